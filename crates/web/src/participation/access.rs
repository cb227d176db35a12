//! Taking part: joining a format (account, confirmed e-mail with double opt-in, guest, single-use access
//! code), the confirmation link, access-code sheets for print, and the participant's own data (download and
//! deletion). Joining is rate-limited in the database by a hash of the client address, kept only for the window.

use super::pages::show_page;
use super::{Format, PART_COOKIE, date_of};
use crate::ctx::{Ctx, RequestCtx, cookie, new_token};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::FormView;
use axum::Router;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use domain::participation::{Access, Phase};
use serde::Deserialize;
use std::net::SocketAddr;
use store::StoreError;
use store::tokens::hash_token;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/kommunen/{slug}/beteiligung/{id}/teilnehmen", post(join))
        .route("/beteiligung/bestaetigen/{token}", get(confirm))
        .route(
            "/kommunen/{slug}/beteiligung/{id}/zugangscodes",
            post(codes),
        )
        .route(
            "/kommunen/{slug}/beteiligung/{id}/meine-daten",
            get(my_data),
        )
        .route(
            "/kommunen/{slug}/beteiligung/{id}/meine-daten/loeschen",
            post(delete_my_data),
        )
}

/// Joins per client address and hour.
const JOIN_LIMIT: (i64, i64) = (30, 3600);

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct JoinForm {
    email: String,
    code: String,
    consent: String,
    /// Honeypot: hidden from people, filled by robots.
    website: String,
}

/// The browser's participation token (existing or new) and the jar that keeps it.
fn browser_token(state: &AppState, jar: CookieJar) -> (String, CookieJar) {
    match jar
        .get(PART_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|t| t.len() == 64)
    {
        Some(t) => (t, jar),
        None => {
            let t = new_token();
            let jar = jar.add(cookie(state, PART_COOKIE, t.clone(), Some(400 * 24 * 3600)));
            (t, jar)
        }
    }
}

async fn refuse(
    state: &AppState,
    ctx: RequestCtx,
    f: Format,
    field: &'static str,
    code: &'static str,
    kept: &[(&str, &str)],
) -> Result<Response, AppError> {
    let mut form = FormView::new();
    for (k, v) in kept {
        form = form.with(k, v);
    }
    let form = form.with_error(&ctx, field, code);
    show_page(state, ctx, f, form, None, StatusCode::UNPROCESSABLE_ENTITY).await
}

pub async fn join(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((slug, id)): Path<(String, i64)>,
    Form(j): Form<JoinForm>,
) -> Result<Response, AppError> {
    let f = Format::load(&state, &ctx, &jar, &slug, id).await?;
    let kept = [("email", j.email.as_str()), ("code", j.code.as_str())];
    if !domain::participation::honeypot_ok(&j.website) {
        tracing::info!(participation_id = id, "honeypot filled; join refused");
        return refuse(&state, ctx, f, "email", "err-honeypot", &kept).await;
    }
    if f.phase != Phase::Open {
        return refuse(&state, ctx, f, "consent", "err-participation-closed", &kept).await;
    }
    if j.consent != "on" {
        return refuse(
            &state,
            ctx,
            f,
            "consent",
            "err-participation-consent",
            &kept,
        )
        .await;
    }
    let ip = crate::auth::login::client_ip(&state, &headers, peer);
    let key = format!("join:{}", hash_token(&ip));
    if !store::participation::rate_hit(&state.db, &key, JOIN_LIMIT.1, JOIN_LIMIT.0).await? {
        return refuse(&state, ctx, f, "consent", "err-rate-limit", &kept).await;
    }
    let access = Access::parse(&f.p.access).unwrap_or(Access::Email);
    let back = f.path("");
    // Accounts take part as themselves, except where a code is the ticket.
    if let (Some(uid), false) = (ctx.actor.user_id, access == Access::Code) {
        store::participation::join_account(&state.db, f.p.id, uid).await?;
        return Ok(Redirect::to(&format!("{back}?ok=joined")).into_response());
    }
    match access {
        Access::Gast => {
            let (token, jar) = browser_token(&state, jar);
            store::participation::join_guest(&state.db, f.p.id, &hash_token(&token)).await?;
            Ok((jar, Redirect::to(&format!("{back}?ok=joined"))).into_response())
        }
        Access::Email => {
            let email = match domain::account::Email::parse(&j.email) {
                Ok(e) => e,
                Err(code) => return refuse(&state, ctx, f, "email", code, &kept).await,
            };
            let (token, jar) = browser_token(&state, jar);
            let confirm = new_token();
            store::participation::register_email(
                &state.db,
                f.p.id,
                email.as_str(),
                &hash_token(&confirm),
                &hash_token(&token),
            )
            .await?;
            let link = state
                .config
                .url(&format!("/beteiligung/bestaetigen/{confirm}"));
            let body = ctx.lang.t_args(
                "participation-confirm-mail",
                &[
                    ("title", f.p.title.clone()),
                    ("city", f.city.m.name.clone()),
                    ("link", link),
                    ("until", date_of(f.p.closes_at)),
                ],
            );
            crate::mail::queue(
                &state,
                email.as_str(),
                &ctx.t1("participation-confirm-subject", "title", &f.p.title),
                &body,
            )
            .await?;
            Ok((jar, Redirect::to(&format!("{back}?ok=mail-sent"))).into_response())
        }
        Access::Code => {
            let Some(code) = domain::participation::normalise_access_code(&j.code) else {
                return refuse(&state, ctx, f, "code", "err-access-code", &kept).await;
            };
            let (token, jar) = browser_token(&state, jar);
            match store::participation::redeem_code(
                &state.db,
                f.p.id,
                &hash_token(&code),
                &hash_token(&token),
            )
            .await
            {
                Ok(_) => Ok((jar, Redirect::to(&format!("{back}?ok=joined"))).into_response()),
                Err(StoreError::NotFound) => {
                    refuse(&state, ctx, f, "code", "err-access-code", &kept).await
                }
                Err(StoreError::Conflict(_)) => {
                    refuse(&state, ctx, f, "code", "err-access-code-used", &kept).await
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}

/// The link from the confirmation mail: confirms the address and lets this browser take part.
pub async fn confirm(
    State(state): State<AppState>,
    Ctx(_ctx): Ctx,
    jar: CookieJar,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if token.len() != 64 {
        return Err(AppError::NotFound);
    }
    let (browser, jar) = browser_token(&state, jar);
    let p =
        store::participation::confirm_email(&state.db, &hash_token(&token), &hash_token(&browser))
            .await?;
    let f = store::participation::get_any(&state.db, p.participation_id).await?;
    let m = store::municipalities::by_id(&state.db, f.municipality_id).await?;
    tracing::info!(participation_id = f.id, "e-mail participant confirmed");
    Ok((
        jar,
        Redirect::to(&format!(
            "/kommunen/{}/beteiligung/{}?ok=confirmed",
            m.slug, f.id
        )),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodesForm {
    count: String,
}

/// Editors: a batch of single-use access codes as a PDF to print. Codes are shown only here; the database
/// keeps their hashes.
pub async fn codes(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path((slug, id)): Path<(String, i64)>,
    Form(c): Form<CodesForm>,
) -> Result<Response, AppError> {
    let f = Format::load(&state, &ctx, &jar, &slug, id).await?;
    f.require_edit(&ctx)?;
    let count = match c.count.trim().parse::<usize>() {
        Ok(n) if (1..=500).contains(&n) => n,
        _ => {
            return refuse(
                &state,
                ctx,
                f,
                "count",
                "err-access-code-count",
                &[("count", &c.count)],
            )
            .await;
        }
    };
    let mut codes = Vec::with_capacity(count);
    for _ in 0..count {
        let mut bytes = [0u8; domain::participation::ACCESS_CODE_LEN];
        rand::Rng::fill(&mut rand::rng(), &mut bytes);
        codes.push(domain::participation::access_code_from_bytes(&bytes));
    }
    let hashes: Vec<String> = codes.iter().map(|c| hash_token(c)).collect();
    let batch = store::participation::add_codes(&state.db, f.p.id, &hashes).await?;
    tracing::info!(
        participation_id = f.p.id,
        batch,
        count,
        "access codes issued"
    );
    let sheet = export::AccessCodeSheet {
        municipality: f.city.m.name.clone(),
        title: f.p.title.clone(),
        url: state.config.url(&f.path("")),
        valid_until: date_of(f.p.closes_at),
        codes: codes
            .iter()
            .map(|c| domain::participation::display_access_code(c))
            .collect(),
    };
    let bytes = tokio::task::spawn_blocking(move || export::access_codes_pdf(&sheet))
        .await
        .map_err(|e| AppError::Internal(format!("pdf task: {e}")))?
        .map_err(|e| AppError::Internal(format!("pdf: {e}")))?;
    Ok(crate::measures::export::download(
        "application/pdf",
        format!("zugangscodes-{}-{batch}.pdf", f.p.id),
        bytes,
    ))
}

/// The participant's own data as a JSON file (DSGVO Art. 15/20).
pub async fn my_data(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let f = Format::load(&state, &ctx, &jar, &slug, id).await?;
    let Some(p) = f.participant.clone() else {
        return Err(AppError::NotFound);
    };
    let data = super::export_participant(&state, &f, &p).await?;
    let body = serde_json::to_vec_pretty(&data).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"meine-daten-beteiligung-{id}.json\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// Delete the participant's personal data: contributions stay, anonymised, so results stay correct.
pub async fn delete_my_data(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let f = Format::load(&state, &ctx, &jar, &slug, id).await?;
    let Some(p) = f.participant.as_ref() else {
        return Err(AppError::NotFound);
    };
    store::participation::anonymise(&state.db, p.id).await?;
    tracing::info!(participation_id = id, "participant anonymised on request");
    Ok(Redirect::to(&f.path("?ok=deleted")).into_response())
}
