//! One log line per request, inside a span that every log line of the request carries: request id (the
//! proxy's `X-Request-Id` when it is sane, else a new one; echoed in the response), method, route template,
//! municipality slug, status and latency.
//!
//! Only the route *template* is logged (`/einladung/{token}`), never the path or query as sent: they can hold
//! invitation and reset tokens or the CSRF token of a multipart form. Headers (cookies) are not logged.

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;
use tracing::Instrument;

pub const HEADER: &str = "x-request-id";

/// A request id from outside is kept when it is 1–64 characters of `A-Z a-z 0-9 - _ . :`; anything else
/// (empty, long, spaces, control characters) is replaced, so the log cannot be forged through it.
pub fn sane_request_id(v: &str) -> bool {
    (1..=64).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

fn new_request_id() -> String {
    hex::encode(rand::random::<[u8; 12]>())
}

/// The municipality of a path: `/kommunen/{slug}…` and `/api/v1/municipalities/{slug}…`.
pub fn municipality_of(path: &str) -> Option<&str> {
    let rest = path
        .strip_prefix("/kommunen/")
        .or_else(|| path.strip_prefix("/api/v1/municipalities/"))?;
    let slug = rest.split(['/', '?', '.']).next()?;
    (!slug.is_empty()
        && slug.len() <= 64
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
    .then_some(slug)
}

pub async fn trace(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let id = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| sane_request_id(v))
        .map(str::to_string)
        .unwrap_or_else(new_request_id);
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("-", MatchedPath::as_str)
        .to_string();
    let municipality = municipality_of(req.uri().path()).unwrap_or("").to_string();
    let method = req.method().to_string();
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %method,
        route = %route,
        municipality = %municipality,
    );
    let mut response = next.run(req).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let latency_ms = start.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        tracing::info!(
            request_id = %id,
            method = %method,
            route = %route,
            municipality = %municipality,
            status,
            latency_ms,
            "request"
        );
    });
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_from_outside_must_be_sane() {
        assert!(sane_request_id("3f2c-11aa_b.c:9"));
        for bad in ["", "a b", "x\ny", &"a".repeat(65), "ä", "id\"}"] {
            assert!(!sane_request_id(bad), "{bad:?}");
        }
        assert_eq!(new_request_id().len(), 24);
    }

    #[test]
    fn municipality_from_the_path() {
        assert_eq!(municipality_of("/kommunen/arnsberg"), Some("arnsberg"));
        assert_eq!(
            municipality_of("/kommunen/bad-oeynhausen/massnahmen/3"),
            Some("bad-oeynhausen")
        );
        assert_eq!(
            municipality_of("/kommunen/siegen/massnahmen.csv"),
            Some("siegen")
        );
        assert_eq!(
            municipality_of("/api/v1/municipalities/siegen/measures"),
            Some("siegen")
        );
        assert_eq!(municipality_of("/netzwerk"), None);
        assert_eq!(municipality_of("/kommunen/<script>"), None);
    }
}
