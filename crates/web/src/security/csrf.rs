//! CSRF protection for every unsafe request (POST, PUT, PATCH, DELETE):
//! 1. the browser's own signal: `Sec-Fetch-Site` must be `same-origin` or `none`, and an `Origin` header,
//!    when present, must name this host;
//! 2. a token: the `_csrf` field of a url-encoded form (or the `X-CSRF-Token` header; for multipart uploads
//!    the `_csrf` query parameter of the form's action, so that the file body need not be buffered here) must
//!    equal the visitor's `wk_csrf` cookie (compared in constant time). The referrer policy is `same-origin`,
//!    so a token in an action URL never leaves the site.
//!
//! A rejected request changes nothing and gets a friendly 403 page asking to send the form again.

use crate::ctx::RequestCtx;
use crate::error::ErrorKind;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

/// Largest form body we buffer to find the token.
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

pub async fn protect(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    // API writes of integrations carry a bearer token, which a browser never adds to a cross-site request;
    // their handlers authorise by that token alone and ignore the session (ADR 0016).
    if req.uri().path().starts_with("/api/") && crate::api::writes::bearer(req.headers()).is_some()
    {
        return next.run(req).await;
    }
    let Some(expected) = req.extensions().get::<RequestCtx>().map(|c| c.csrf.clone()) else {
        return ErrorKind::Csrf.into_response();
    };
    if !same_origin(req.headers()) {
        tracing::info!("cross-site request refused");
        return ErrorKind::Csrf.into_response();
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let header_token = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (req, presented) = if is_multipart {
        let token = url::form_urlencoded::parse(req.uri().query().unwrap_or_default().as_bytes())
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.into_owned());
        (req, token.or(header_token))
    } else if is_form {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
            return (
                axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                "Formular zu groß",
            )
                .into_response();
        };
        let token = url::form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.into_owned());
        (
            Request::from_parts(parts, Body::from(bytes)),
            token.or(header_token),
        )
    } else {
        (req, header_token)
    };
    match presented {
        Some(t) if bool::from(t.as_bytes().ct_eq(expected.as_bytes())) => next.run(req).await,
        _ => {
            tracing::info!("csrf token missing or wrong");
            ErrorKind::Csrf.into_response()
        }
    }
}

fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
        return origin != "null" && !host.is_empty() && origin_host == host;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn origin_rules() {
        assert!(same_origin(&headers(&[("host", "a.de")])));
        assert!(same_origin(&headers(&[
            ("host", "a.de"),
            ("origin", "https://a.de")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "a.de"),
            ("origin", "https://evil.de")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "a.de"),
            ("origin", "null")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "a.de"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(same_origin(&headers(&[
            ("host", "a.de"),
            ("sec-fetch-site", "same-origin")
        ])));
    }
}
