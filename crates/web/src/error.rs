//! One error type for the web layer. HTML handlers return `AppError`; the response carries only the status
//! and an `ErrorKind` marker, and the `error_pages` middleware renders a friendly page in the visitor's
//! language. Nothing about the cause reaches the browser; it goes to the log.

use crate::ctx::RequestCtx;
use crate::view::render;
use askama::Template;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use store::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    BadRequest,
    NotFound,
    Forbidden,
    Csrf,
    Unavailable,
    Internal,
}

impl ErrorKind {
    fn status(self) -> StatusCode {
        match self {
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Forbidden | ErrorKind::Csrf => StatusCode::FORBIDDEN,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn key(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "badrequest",
            ErrorKind::NotFound => "notfound",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::Csrf => "csrf",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request body could not be read (malformed form data).
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Not logged in: HTML requests are sent to the log-in page and come back afterwards.
    #[error("login required")]
    LoginRequired,
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Refused(key) => AppError::BadRequest(key.to_string()),
            e if e.is_unavailable() => AppError::Unavailable(e.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let kind = match &self {
            AppError::BadRequest(e) => {
                tracing::info!(error = %e, "unreadable request body");
                ErrorKind::BadRequest
            }
            AppError::NotFound => ErrorKind::NotFound,
            AppError::Forbidden => ErrorKind::Forbidden,
            AppError::LoginRequired => {
                // The marker lets the middleware add the path the visitor wanted.
                let mut r = Redirect::to("/anmelden").into_response();
                r.extensions_mut().insert(LoginRedirect);
                return r;
            }
            AppError::Unavailable(e) => {
                tracing::warn!(error = %e, "database unavailable");
                ErrorKind::Unavailable
            }
            AppError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                ErrorKind::Internal
            }
        };
        kind.into_response()
    }
}

impl IntoResponse for ErrorKind {
    fn into_response(self) -> Response {
        let mut r = self.status().into_response();
        r.extensions_mut().insert(self);
        r
    }
}

#[derive(Clone, Copy)]
struct LoginRedirect;

/// Request marker: the database did not answer while the request context was loaded; the request is
/// answered with the 503 page without running the handler (which would wait for the pool again).
#[derive(Clone, Copy)]
pub struct DatabaseDown;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: RequestCtx,
    title: String,
    text: String,
}

/// Render error markers into pages, and complete log-in redirects with the requested path.
pub async fn error_pages(req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<RequestCtx>().cloned();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let is_api = req.uri().path().starts_with("/api/");
    let response = if req.extensions().get::<DatabaseDown>().is_some() {
        ErrorKind::Unavailable.into_response()
    } else {
        next.run(req).await
    };
    if response.extensions().get::<LoginRedirect>().is_some() {
        let target = format!(
            "/anmelden?next={}",
            url::form_urlencoded::byte_serialize(path_and_query.as_bytes()).collect::<String>()
        );
        return Redirect::to(&target).into_response();
    }
    let Some(kind) = response.extensions().get::<ErrorKind>().copied() else {
        return response;
    };
    if is_api {
        let body = serde_json::json!({ "error": kind.key(), "message": crate::i18n::Lang::En.t(&format!("error-{}-title", kind.key())) });
        return (kind.status(), axum::Json(body)).into_response();
    }
    let Some(ctx) = ctx else { return response };
    let page = ErrorPage {
        title: ctx.t(&format!("error-{}-title", kind.key())),
        text: ctx.t(&format!("error-{}-text", kind.key())),
        ctx,
    };
    match render(&page) {
        Ok(html) => (kind.status(), html).into_response(),
        Err(_) => kind.status().into_response(),
    }
}

/// Fallback for unknown routes.
pub async fn not_found() -> ErrorKind {
    ErrorKind::NotFound
}
