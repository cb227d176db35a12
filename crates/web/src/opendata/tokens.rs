//! `/kommunen/{slug}/schnittstellen`: the city's coordination creates API tokens for integrations (name and
//! scopes; the secret is shown once, stored only as its SHA-256), sees when each was last used, and revokes them.

use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::{FormView, datetime, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::opendata::{Scope, TokenInput};
use serde::Deserialize;

/// Prefix of every token, so that secret scanners and people recognise one.
pub const TOKEN_PREFIX: &str = "wkt_";

/// A token in the list.
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    /// Translated scope names.
    pub scopes: Vec<String>,
    pub created: String,
    pub created_by: String,
    pub last_used: Option<String>,
    pub revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "opendata/tokens.html")]
pub struct TokensPage {
    pub ctx: RequestCtx,
    pub city: City,
    pub tokens: Vec<TokenRow>,
    /// `(key, label)` of every scope.
    pub scopes: Vec<(&'static str, String)>,
    pub form: FormView,
    /// The secret of the token just created: shown once, in this response only.
    pub created: Option<(String, String)>,
    pub notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    name: String,
    scopes: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokensQuery {
    ok: String,
}

async fn page(
    state: &AppState,
    ctx: RequestCtx,
    city: City,
    form: FormView,
    created: Option<(String, String)>,
    notice: Option<String>,
) -> Result<TokensPage, AppError> {
    let tokens = store::api_tokens::list(&state.db, city.m.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            scopes: Scope::list(&t.scopes)
                .into_iter()
                .map(|s| ctx.t(&scope_key(s)))
                .collect(),
            name: t.name,
            created: datetime(t.created_at),
            created_by: t.created_by_name,
            last_used: t.last_used_at.map(datetime),
            revoked: t.revoked_at.map(datetime),
        })
        .collect();
    let scopes = Scope::ALL
        .into_iter()
        .map(|s| (s.key(), ctx.t(&scope_key(s))))
        .collect();
    Ok(TokensPage {
        ctx,
        city,
        tokens,
        scopes,
        form,
        created,
        notice,
    })
}

fn scope_key(s: Scope) -> String {
    format!("token-scope-{}", s.key().replace(':', "-"))
}

/// Never cache a page that may hold a secret.
fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Query(q): Query<TokensQuery>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_coordinate(&ctx)?;
    let notice = (q.ok == "widerrufen").then(|| ctx.t("token-revoked-notice"));
    let p = page(&state, ctx, city, FormView::new(), None, notice).await?;
    Ok(no_store(render(&p)?.into_response()))
}

pub async fn create(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(f): Form<TokenForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let user_id = city.require_coordinate(&ctx)?;
    let input = TokenInput {
        name: f.name.clone(),
        scopes: f.scopes.clone(),
    };
    let draft = match input.parse() {
        Ok(d) => d,
        Err(errs) => {
            let mut form = FormView::new().with("name", &f.name);
            for s in &f.scopes {
                form = form.with("scopes", s);
            }
            let form = form.with_errors(&ctx, &errs);
            let p = page(&state, ctx, city, form, None, None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
        }
    };
    let secret = format!("{TOKEN_PREFIX}{}", crate::ctx::new_token());
    let id = store::api_tokens::create(
        &state.db,
        city.m.id,
        &draft.name,
        &draft.scopes_text(),
        &secret,
        user_id,
    )
    .await?;
    tracing::info!(token_id = id, municipality_id = city.m.id, by = user_id, scopes = %draft.scopes_text(), "api token created");
    let p = page(
        &state,
        ctx,
        city,
        FormView::new(),
        Some((draft.name, secret)),
        None,
    )
    .await?;
    Ok(no_store(render(&p)?.into_response()))
}

pub async fn revoke(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let user_id = city.require_coordinate(&ctx)?;
    store::api_tokens::revoke(&state.db, city.m.id, id).await?;
    tracing::info!(token_id = id, by = user_id, "api token revoked");
    Ok(Redirect::to(&city.path("/schnittstellen?ok=widerrufen")).into_response())
}
