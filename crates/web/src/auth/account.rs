//! The own account: roles and memberships, password change.

use super::{password, require_login};
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::account::parse_new_password;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "auth/account.html")]
struct AccountPage {
    ctx: RequestCtx,
    network_role: Option<String>,
    /// How progress notifications arrive: "sofort" or "taeglich".
    notify_mode: String,
    form: FormView,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AccountQuery {
    ok: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    password: String,
    password_confirm: String,
}

fn network_role_label(ctx: &RequestCtx) -> Option<String> {
    ctx.actor
        .network_role
        .map(|r| ctx.t(&format!("role-{}", r.as_str())))
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Query(q): Query<AccountQuery>,
) -> Result<Response, AppError> {
    let user_id = require_login(&ctx)?;
    let notify_mode = store::progress::mode(&state.db, user_id).await?;
    let notice = match q.ok.as_str() {
        "welcome" => Some(ctx.t("notice-welcome")),
        "mode" => Some(ctx.t("notice-mode-saved")),
        _ => None,
    };
    let network_role = network_role_label(&ctx);
    Ok(render(&AccountPage {
        ctx,
        network_role,
        notify_mode,
        form: FormView::new(),
        notice,
    })?
    .into_response())
}

pub async fn change_password(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(input): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let user_id = require_login(&ctx)?;
    let user = store::users::by_id(&state.db, user_id).await?;
    let mut errs = domain::FieldErrors::new();
    if !password::verify(input.current_password.clone(), user.password_hash.clone()).await {
        errs.push("current_password", "err-password-wrong");
    }
    let new = errs.take(
        "password",
        parse_new_password(&input.password, &input.password_confirm),
    );
    let (Some(new), true) = (new, errs.is_empty()) else {
        let form = FormView::new().with_errors(&ctx, &errs);
        let network_role = network_role_label(&ctx);
        let notify_mode = store::progress::mode(&state.db, user_id).await?;
        let page = AccountPage {
            ctx,
            network_role,
            notify_mode,
            form,
            notice: None,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    };
    let hash = password::hash(new).await?;
    // Ends every session, this one included: log in again with the new password.
    store::users::set_password(&state.db, user_id, &hash).await?;
    Ok(Redirect::to("/anmelden?ok=reset").into_response())
}
