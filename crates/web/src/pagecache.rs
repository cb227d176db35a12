//! The rendered-page cache for anonymous visitors (ADR 0021).
//!
//! Public pages are what most people load — the city page, the showcase, participation formats — and they
//! are the same for every anonymous visitor except for the visitor's CSRF token in the page frame's forms
//! (language switch) and the language. A GET by someone without a session (and without any other cookie
//! than the CSRF and language cookies) is answered from memory when the node has rendered the same URL in
//! the same language while the database was in exactly the same committed state
//! (`store::freshness`: PostgreSQL snapshot, SQLite `data_version`). So a hit is never older than the
//! database, whichever node or process wrote last; the only per-request work is reading that marker (one
//! round trip, like `/healthz`) and putting the visitor's own token back into the page.
//!
//! Not cached: anything but `200 text/html`, responses that set cookies or say `no-store`/`private`, pages
//! whose content depends on node memory rather than the database (search index, live boards), and — since
//! some pages depend on the clock (a participation period that starts) — nothing is kept longer than
//! `TTL`.

use crate::ctx::{CSRF_COOKIE, LANG_COOKIE, RequestCtx};
use crate::i18n::Lang;
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Longest time a page is served from memory, even when the database did not change.
pub const TTL: Duration = Duration::from_secs(30);
/// At most this many pages per node.
const MAX_ENTRIES: usize = 2_000;
/// Pages larger than this are not kept.
const MAX_BODY: usize = 8 * 1024 * 1024;
/// Paths whose answer depends on the node's memory, not only on the database.
const BYPASS_PREFIXES: &[&str] = &["/suche", "/w/", "/healthz", "/metrics", "/api/", "/static/"];

/// Response header telling whether the page came from the cache (`hit`) or was rendered (`miss`).
pub const CACHE_HEADER: &str = "x-werkstatt-cache";

/// A handler's response carrying this extension is never cached.
#[derive(Clone, Copy)]
pub struct NoStore;

#[derive(Hash, PartialEq, Eq)]
struct Key {
    path: String,
    lang: Lang,
    accept: Option<HeaderValue>,
}

struct Entry {
    marker: String,
    stored: Instant,
    headers: HeaderMap,
    /// The body split at every occurrence of the renderer's CSRF token.
    parts: Vec<Bytes>,
}

/// The node's cache.
pub struct PageCache {
    freshness: store::freshness::Freshness,
    entries: RwLock<HashMap<Key, Arc<Entry>>>,
}

impl PageCache {
    pub fn new(db: &store::Db) -> PageCache {
        PageCache {
            freshness: store::freshness::Freshness::new(db),
            entries: RwLock::new(HashMap::new()),
        }
    }

    fn get(&self, key: &Key) -> Option<Arc<Entry>> {
        self.entries
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
    }

    fn put(&self, key: Key, entry: Entry) {
        let mut map = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_ENTRIES && !map.contains_key(&key) {
            // Drop what can no longer be served, then, if still full, everything (simple and bounded).
            let marker = entry.marker.clone();
            map.retain(|_, e| e.marker == marker && e.stored.elapsed() < TTL);
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
        }
        map.insert(key, Arc::new(entry));
    }

    /// Number of pages held (for tests and metrics).
    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Whether the request may be answered from, or stored into, the shared cache.
fn cacheable_request(req: &Request, ctx: &RequestCtx) -> bool {
    if req.method() != Method::GET || ctx.user.is_some() || ctx.session_token.is_some() {
        return false;
    }
    let path = req.uri().path();
    if BYPASS_PREFIXES.iter().any(|p| path.starts_with(p)) {
        return false;
    }
    if req.headers().contains_key(header::AUTHORIZATION) {
        return false;
    }
    // Any cookie but the CSRF and language cookies may change the page (guest participant, board guest, a
    // session that expired): render those.
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.split('=').next())
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .all(|name| name == CSRF_COOKIE || name == LANG_COOKIE)
}

fn storable(resp: &Response) -> bool {
    if resp.status() != StatusCode::OK || resp.extensions().get::<NoStore>().is_some() {
        return false;
    }
    let h = resp.headers();
    let html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let private = h
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store") || v.contains("private"));
    html && !private && !h.contains_key(header::SET_COOKIE)
}

/// Split `body` at every occurrence of `token`.
fn split_at_token(body: &Bytes, token: &str) -> Vec<Bytes> {
    let needle = token.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    if !needle.is_empty() {
        for at in memchr::memmem::find_iter(body, needle) {
            parts.push(body.slice(start..at));
            start = at + needle.len();
        }
    }
    parts.push(body.slice(start..));
    parts
}

/// The stored page with the visitor's token put back, without copying the page: the body is the stored
/// parts (shared, reference-counted) interleaved with the token, written by hyper as they are.
fn assemble(entry: &Entry, token: &str) -> Response {
    let len = entry.parts.iter().map(Bytes::len).sum::<usize>()
        + token.len() * entry.parts.len().saturating_sub(1);
    let token = Bytes::copy_from_slice(token.as_bytes());
    let mut chunks = Vec::with_capacity(entry.parts.len() * 2);
    for (i, part) in entry.parts.iter().enumerate() {
        if i > 0 {
            chunks.push(Ok::<_, std::convert::Infallible>(token.clone()));
        }
        chunks.push(Ok(part.clone()));
    }
    let mut resp = Response::new(Body::from_stream(futures_util::stream::iter(chunks)));
    *resp.headers_mut() = entry.headers.clone();
    resp.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    resp.headers_mut()
        .insert(CACHE_HEADER, HeaderValue::from_static("hit"));
    resp
}

pub async fn serve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let Some(ctx) = req.extensions().get::<RequestCtx>().cloned() else {
        return next.run(req).await;
    };
    if !cacheable_request(&req, &ctx) {
        return next.run(req).await;
    }
    let cache = &state.pages;
    // Read the marker before rendering: what the handler reads is at least this fresh.
    let marker = match cache.freshness.marker().await {
        Ok(m) => m,
        Err(e) => {
            // The database does not answer: the 503 page at once, not a second wait in the handler.
            let mut req = req;
            if e.is_unavailable() {
                req.extensions_mut().insert(crate::error::DatabaseDown);
            }
            return next.run(req).await;
        }
    };
    let key = Key {
        path: ctx.path.clone(),
        lang: ctx.lang,
        accept: req.headers().get(header::ACCEPT).cloned(),
    };
    if let Some(entry) = cache.get(&key)
        && entry.marker == marker
        && entry.stored.elapsed() < TTL
    {
        return assemble(&entry, &ctx.csrf);
    }
    let resp = next.run(req).await;
    if !storable(&resp) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        // Larger than we keep, or the body failed: answer with an error page rather than half a page.
        return crate::error::ErrorKind::Internal.into_response();
    };
    cache.put(
        key,
        Entry {
            marker,
            stored: Instant::now(),
            headers: parts.headers.clone(),
            parts: split_at_token(&bytes, &ctx.csrf),
        },
    );
    parts
        .headers
        .insert(CACHE_HEADER, HeaderValue::from_static("miss"));
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_cut_out_and_put_back() {
        let token = "a".repeat(64);
        let body = Bytes::from(format!("<p>{token}</p><input value=\"{token}\">end"));
        let parts = split_at_token(&body, &token);
        assert_eq!(parts.len(), 3);
        assert!(
            parts
                .iter()
                .all(|p| !p.windows(64).any(|w| w == token.as_bytes()))
        );
        let entry = Entry {
            marker: String::new(),
            stored: Instant::now(),
            headers: HeaderMap::new(),
            parts,
        };
        let other = "b".repeat(64);
        let resp = assemble(&entry, &other);
        let (_, body) = resp.into_parts();
        let bytes = futures_lite_body(body);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            format!("<p>{other}</p><input value=\"{other}\">end")
        );
    }

    fn futures_lite_body(body: Body) -> Vec<u8> {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(axum::body::to_bytes(body, usize::MAX))
            .unwrap()
            .to_vec()
    }

    #[test]
    fn a_body_without_the_token_stays_whole() {
        let body = Bytes::from_static(b"<p>hallo</p>");
        assert_eq!(split_at_token(&body, &"c".repeat(64)), vec![body.clone()]);
    }
}
