//! Invitations: an admin or coordinator invites an address with a role; the link lets the person set a
//! name and password (or, for an existing account, adds the role) and logs them in.

use super::password;
use super::reset::NoticePage;
use crate::ctx::{Ctx, RequestCtx, SESSION_COOKIE, cookie, new_token};
use crate::error::AppError;
use crate::form::Form;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use domain::account::{Email, NewAccountInput};
use domain::role::Grant;
use serde::Deserialize;

pub const INVITE_TTL_SECS: i64 = 14 * 24 * 3600;

/// Describe a grant in the visitor's language, e.g. "Redaktion in Arnsberg".
pub async fn describe_grant(
    state: &AppState,
    lang: Lang,
    grant: Grant,
) -> Result<String, AppError> {
    Ok(match grant {
        Grant::Network(r) => lang.t(&format!("role-{}", r.as_str())),
        Grant::City {
            municipality_id,
            role,
        } => {
            let m = store::municipalities::by_id(&state.db, municipality_id).await?;
            lang.t_args(
                "grant-city",
                &[
                    ("role", lang.t(&format!("role-{}", role.as_str()))),
                    ("city", m.name),
                ],
            )
        }
    })
}

/// Create an invitation and queue its mail. The caller has checked `Permission::Grant(grant)`.
pub async fn send(
    state: &AppState,
    inviter: &RequestCtx,
    email: &Email,
    grant: Grant,
) -> Result<(), AppError> {
    let inviter_id = super::require_login(inviter)?;
    let token = new_token();
    store::tokens::create_invitation(
        &state.db,
        &token,
        email.as_str(),
        grant,
        Some(inviter_id),
        INVITE_TTL_SECS,
    )
    .await?;
    let what = describe_grant(state, Lang::De, grant).await?;
    let inviter_name = inviter
        .user
        .as_ref()
        .map(|u| u.display_name.clone())
        .unwrap_or_default();
    let link = format!("{}/einladung/{token}", state.config.base_url);
    let body = Lang::De.t_args(
        "mail-invite-body",
        &[("inviter", inviter_name), ("what", what), ("link", link)],
    );
    crate::mail::queue(
        state,
        email.as_str(),
        &Lang::De.t("mail-invite-subject"),
        &body,
    )
    .await?;
    tracing::info!(by = inviter_id, "invitation sent");
    Ok(())
}

#[derive(Template)]
#[template(path = "auth/invite.html")]
struct InvitePage {
    ctx: RequestCtx,
    form: FormView,
    token: String,
    email: String,
    what: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AcceptForm {
    display_name: String,
    password: String,
    password_confirm: String,
}

fn invalid(ctx: RequestCtx) -> Result<Response, AppError> {
    let page = NoticePage {
        title: ctx.t("invite-invalid-title"),
        text: ctx.t("invite-invalid-text"),
        link: None,
        ctx,
    };
    Ok((StatusCode::GONE, render(&page)?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some(inv) = store::tokens::open_invitation(&state.db, &token).await? else {
        return invalid(ctx);
    };
    let Some(grant) = inv.grant() else {
        return invalid(ctx);
    };
    let what = describe_grant(&state, ctx.lang, grant).await?;
    Ok(render(&InvitePage {
        ctx,
        form: FormView::new(),
        token,
        email: inv.email,
        what,
    })?
    .into_response())
}

pub async fn accept(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
    jar: CookieJar,
    Form(input): Form<AcceptForm>,
) -> Result<Response, AppError> {
    let Some(inv) = store::tokens::open_invitation(&state.db, &token).await? else {
        return invalid(ctx);
    };
    let Some(grant) = inv.grant() else {
        return invalid(ctx);
    };
    let parsed = NewAccountInput {
        display_name: &input.display_name,
        password: &input.password,
        password_confirm: &input.password_confirm,
    }
    .parse();
    let (name, pw) = match parsed {
        Ok(v) => v,
        Err(errs) => {
            let what = describe_grant(&state, ctx.lang, grant).await?;
            let form = FormView::new()
                .with("display_name", &input.display_name)
                .with_errors(&ctx, &errs);
            let page = InvitePage {
                ctx,
                form,
                token,
                email: inv.email,
                what,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    let hash = password::hash(pw).await?;
    let user_id = match store::tokens::accept_invitation(&state.db, &token, &name, &hash).await {
        Ok(id) => id,
        Err(store::StoreError::NotFound) => return invalid(ctx),
        Err(e) => return Err(e.into()),
    };
    let session = new_token();
    store::tokens::create_session(&state.db, &session, user_id, state.config.session_ttl_secs)
        .await?;
    tracing::info!(user_id, "invitation accepted");
    let jar = jar.add(cookie(
        &state,
        SESSION_COOKIE,
        session,
        Some(state.config.session_ttl_secs),
    ));
    Ok((jar, Redirect::to("/konto?ok=welcome")).into_response())
}
