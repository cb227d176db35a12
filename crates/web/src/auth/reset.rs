//! "Passwort vergessen": a one-hour link by e-mail; the same answer whether or not the address exists.

use super::password;
use crate::ctx::{Ctx, RequestCtx, new_token};
use crate::error::AppError;
use crate::form::Form;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::account::{Email, parse_new_password};
use serde::Deserialize;
use store::tokens::hash_token;

const RESET_TTL_SECS: i64 = 3600;
/// At most this many reset mails per address within the throttle window (no mail-bombing).
const MAX_RESET_MAILS: i64 = 3;

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    ctx: RequestCtx,
    form: FormView,
    sent: bool,
}

#[derive(Template)]
#[template(path = "auth/reset.html")]
struct ResetPage {
    ctx: RequestCtx,
    form: FormView,
    token: String,
}

#[derive(Template)]
#[template(path = "notice.html")]
pub struct NoticePage {
    pub ctx: RequestCtx,
    pub title: String,
    pub text: String,
    pub link: Option<(String, String)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ForgotForm {
    email: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    password: String,
    password_confirm: String,
}

pub async fn show_forgot(Ctx(ctx): Ctx) -> Result<Response, AppError> {
    Ok(render(&ForgotPage {
        ctx,
        form: FormView::new(),
        sent: false,
    })?
    .into_response())
}

pub async fn submit_forgot(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(input): Form<ForgotForm>,
) -> Result<Response, AppError> {
    let email = match Email::parse(&input.email) {
        Ok(e) => e,
        Err(code) => {
            let form = FormView::new()
                .with("email", &input.email)
                .with_error(&ctx, "email", code);
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&ForgotPage {
                    ctx,
                    form,
                    sent: false,
                })?,
            )
                .into_response());
        }
    };
    if let Some(user) = store::users::by_email(&state.db, email.as_str()).await? {
        let key = format!("reset:{}", hash_token(email.as_str()));
        let window = domain::throttle::LoginThrottle::default().window_secs;
        let (recent, _) =
            store::tokens::failures_since(&state.db, &key, store::now_secs() - window).await?;
        if recent < MAX_RESET_MAILS {
            store::tokens::record_failure(&state.db, &[&key]).await?;
            let token = new_token();
            store::tokens::create_reset(&state.db, &token, user.id, RESET_TTL_SECS).await?;
            let link = format!("{}/passwort-neu/{token}", state.config.base_url);
            let body = Lang::De.t_args(
                "mail-reset-body",
                &[("name", user.display_name.clone()), ("link", link)],
            );
            crate::mail::queue(
                &state,
                email.as_str(),
                &Lang::De.t("mail-reset-subject"),
                &body,
            )
            .await?;
        } else {
            tracing::info!(
                user_id = user.id,
                "password reset mail suppressed (limit reached)"
            );
        }
    }
    Ok(render(&ForgotPage {
        ctx,
        form: FormView::new(),
        sent: true,
    })?
    .into_response())
}

fn invalid_link(ctx: RequestCtx) -> Result<Response, AppError> {
    let page = NoticePage {
        title: ctx.t("reset-invalid-title"),
        text: ctx.t("reset-invalid-text"),
        link: Some(("/passwort-vergessen".into(), ctx.t("reset-request-new"))),
        ctx,
    };
    Ok((StatusCode::GONE, render(&page)?).into_response())
}

pub async fn show_reset(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if store::tokens::reset_user(&state.db, &token)
        .await?
        .is_none()
    {
        return invalid_link(ctx);
    }
    Ok(render(&ResetPage {
        ctx,
        form: FormView::new(),
        token,
    })?
    .into_response())
}

pub async fn submit_reset(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
    Form(input): Form<ResetForm>,
) -> Result<Response, AppError> {
    if store::tokens::reset_user(&state.db, &token)
        .await?
        .is_none()
    {
        return invalid_link(ctx);
    }
    let password = match parse_new_password(&input.password, &input.password_confirm) {
        Ok(p) => p,
        Err(code) => {
            let form = FormView::new().with_error(&ctx, "password", code);
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&ResetPage { ctx, form, token })?,
            )
                .into_response());
        }
    };
    let hash = password::hash(password).await?;
    match store::tokens::consume_reset(&state.db, &token, &hash).await {
        Ok(user_id) => {
            tracing::info!(user_id, "password reset");
            Ok(Redirect::to("/anmelden?ok=reset").into_response())
        }
        Err(store::StoreError::NotFound) => invalid_link(ctx),
        Err(e) => Err(e.into()),
    }
}
