//! The form extractor of every handler: url-encoded bodies (repeated keys become lists), and a friendly
//! 400 page instead of a plain-text error when a body cannot be read at all.

use crate::error::AppError;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

pub struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum_extra::extract::Form::<T>::from_request(req, state).await {
            Ok(axum_extra::extract::Form(v)) => Ok(Form(v)),
            Err(e) => Err(AppError::BadRequest(e.to_string())),
        }
    }
}

/// The request asks for JSON (a script's form post with `Accept: application/json`) rather than a page.
pub fn wants_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}
