use super::{password, safe_next};
use crate::ctx::{Ctx, RequestCtx, SESSION_COOKIE, cookie, new_token};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use domain::throttle::LoginThrottle;
use serde::Deserialize;
use std::net::SocketAddr;
use store::tokens::hash_token;

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    ctx: RequestCtx,
    form: FormView,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginQuery {
    next: String,
    ok: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: String,
}

pub async fn show(Ctx(ctx): Ctx, Query(q): Query<LoginQuery>) -> Result<Response, AppError> {
    if ctx.actor.is_authenticated() {
        return Ok(Redirect::to(safe_next(&q.next)).into_response());
    }
    let notice = match q.ok.as_str() {
        "reset" => Some(ctx.t("notice-password-reset")),
        "logout" => Some(ctx.t("notice-logged-out")),
        _ => None,
    };
    let form = FormView::new().with("next", safe_next(&q.next));
    Ok(render(&LoginPage { ctx, form, notice })?.into_response())
}

/// The client address: the peer, or the last `X-Forwarded-For` hop when the proxy is trusted.
pub fn client_ip(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> String {
    if state.config.trust_proxy
        && let Some(last) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|s| !s.is_empty())
    {
        return last.to_string();
    }
    peer.ip().to_string()
}

pub async fn submit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(input): Form<LoginForm>,
) -> Result<Response, AppError> {
    let email = input.email.trim().to_lowercase();
    let form = FormView::new()
        .with("email", &input.email)
        .with("next", safe_next(&input.next));
    let mut errs = domain::FieldErrors::new();
    if email.is_empty() {
        errs.push("email", "err-required");
    }
    if input.password.is_empty() {
        errs.push("password", "err-required");
    }
    if !errs.is_empty() {
        let form = form.with_errors(&ctx, &errs);
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&LoginPage {
                ctx,
                form,
                notice: None,
            })?,
        )
            .into_response());
    }

    let policy = LoginThrottle::default();
    let now = store::now_secs();
    let account_key = format!("acct:{}", hash_token(&email));
    let ip_key = format!("ip:{}", hash_token(&client_ip(&state, &headers, peer)));
    let since = now - policy.window_secs;
    // The attempt is recorded before the password is checked, so parallel attempts on any node count
    // against each other (store::tokens::begin_attempt).
    let attempt = store::tokens::begin_attempt(&state.db, &[&account_key, &ip_key], since).await?;
    let [(acct_failures, acct_oldest), (ip_failures, ip_oldest)] =
        [attempt.earlier[0], attempt.earlier[1]];
    if !policy.allows(acct_failures, ip_failures) {
        store::tokens::forget_attempt(&state.db, &attempt.ids).await?;
        let oldest = acct_oldest
            .into_iter()
            .chain(ip_oldest)
            .min()
            .unwrap_or(now);
        let minutes = policy.retry_after_minutes(oldest, now).max(1);
        let mut form = form;
        form.errors.push(crate::view::ShownError {
            field: "email".into(),
            label: ctx.t("field-email"),
            message: ctx.t1("err-login-throttled", "minutes", minutes),
        });
        let page = render(&LoginPage {
            ctx,
            form,
            notice: None,
        })?;
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", (minutes * 60).to_string())],
            page,
        )
            .into_response());
    }

    let user = store::users::by_email(&state.db, &email).await?;
    let ok = password::verify(
        input.password.clone(),
        user.as_ref().and_then(|u| u.password_hash.clone()),
    )
    .await;
    let Some(user) = user.filter(|_| ok) else {
        // The attempt's rows stay: they are the failure record.
        let form = form.with_error(&ctx, "email", "err-login-failed");
        return Ok((
            StatusCode::UNAUTHORIZED,
            render(&LoginPage {
                ctx,
                form,
                notice: None,
            })?,
        )
            .into_response());
    };
    store::tokens::clear_failures(&state.db, &account_key).await?;
    store::tokens::forget_attempt(&state.db, &attempt.ids[1..]).await?;
    let token = new_token();
    store::tokens::create_session(&state.db, &token, user.id, state.config.session_ttl_secs)
        .await?;
    tracing::info!(user_id = user.id, "logged in");
    let jar = jar.add(cookie(
        &state,
        SESSION_COOKIE,
        token,
        Some(state.config.session_ttl_secs),
    ));
    Ok((jar, Redirect::to(safe_next(&input.next))).into_response())
}

pub async fn logout(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
) -> Result<Response, AppError> {
    if let Some(token) = &ctx.session_token {
        store::tokens::delete_session(&state.db, token).await?;
    }
    let jar = jar.remove(cookie(&state, SESSION_COOKIE, String::new(), None));
    Ok((jar, Redirect::to("/anmelden?ok=logout")).into_response())
}
