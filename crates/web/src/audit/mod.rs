//! The audit log of administrative and editorial changes (ADR 0018). `routes::ROUTES` declares every route
//! with its access policy and, for the audited ones, a German label; the `record` middleware writes one
//! `audit_log` row for each audited request that succeeded (2xx, or a redirect that is not to the log-in
//! page), with who (account and a snapshot of name and e-mail, or the API token), when, what (label,
//! method, concrete path, the path's ids), the city and the outcome. The views are in `pages`.

pub mod pages;
pub mod routes;

use crate::ctx::RequestCtx;
use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::Response;

/// Who made a change when no session says so: handlers authorised by an API token put this into their
/// response's extensions, and the middleware records it instead of the (anonymous) session.
#[derive(Debug, Clone)]
pub struct ActingToken {
    /// The token's name, as the coordination gave it.
    pub name: String,
    /// The person who created the token.
    pub created_by: i64,
}

/// What a handler knows better than the path: the city a change concerns when the path names none (e.g. a
/// role granted from the admin's user list) and a short detail. Put into the response's extensions.
#[derive(Debug, Clone, Default)]
pub struct AuditNote {
    pub municipality_id: Option<i64>,
    pub detail: String,
}

impl AuditNote {
    /// The response with this note attached.
    pub fn attach(self, mut response: Response) -> Response {
        response.extensions_mut().insert(self);
        response
    }
}

/// Middleware: record audited requests that succeeded. Reads and unaudited writes (votes, ideas, cards)
/// pass after one hash look-up. The row is written after the handler's own transaction has committed; if
/// writing it fails, the error is logged and the answer still goes out (ADR 0018).
pub async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let Some(spec) = req
        .extensions()
        .get::<MatchedPath>()
        .and_then(|m| routes::find(req.method().as_str(), m.as_str()))
    else {
        return next.run(req).await;
    };
    let Some(label) = spec.audit else {
        return next.run(req).await;
    };
    let ctx = req.extensions().get::<RequestCtx>().cloned();
    let path = req.uri().path().to_owned();
    let method = req.method().as_str().to_owned();
    let response = next.run(req).await;
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let succeeded =
        status.is_success() || (status.is_redirection() && !location.starts_with("/anmelden"));
    if !succeeded {
        return response;
    }
    let token = response.extensions().get::<ActingToken>().cloned();
    let note = response.extensions().get::<AuditNote>().cloned();
    let note_city = note.as_ref().and_then(|n| n.municipality_id);
    let user = ctx.as_ref().and_then(|c| c.user.as_ref());
    let mut entry = store::audit::NewEntry {
        at: store::now_secs(),
        action: label.to_owned(),
        method,
        route: spec.path.to_owned(),
        status: i32::from(status.as_u16()),
        outcome: if location.is_empty() {
            status.as_u16().to_string()
        } else {
            format!("{} → {location}", status.as_u16())
        },
        ..Default::default()
    };
    match (token, user) {
        (Some(t), _) => {
            entry.actor_user_id = Some(t.created_by);
            entry.actor_name = format!("API-Token „{}“", t.name);
            entry.via_token = true;
        }
        (None, Some(u)) => {
            entry.actor_user_id = Some(u.id);
            entry.actor_name = u.display_name.clone();
            entry.actor_email = u.email.clone();
        }
        // Nobody to name: an anonymous request cannot have changed anything audited.
        (None, None) => return response,
    }
    let params = routes::params(spec.path, &path);
    entry.entity = params
        .iter()
        .filter(|(name, _)| *name != "slug" || !is_city_route(spec.path))
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join(" ");
    entry.path = path.clone();
    if let Some(note) = note.filter(|n| !n.detail.is_empty()) {
        entry.entity = [entry.entity.as_str(), note.detail.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · ");
    }
    if let Err(e) = complete(&state, &mut entry, &params, note_city).await {
        tracing::warn!(error = %e, path = %entry.path, "audit: city of an entry not found");
    }
    if let Err(e) = store::audit::record(&state.db, &entry).await {
        tracing::error!(error = %e, action = %entry.action, path = %entry.path,
            actor = ?entry.actor_user_id, "audit: entry not written");
    }
    response
}

/// Routes whose `{slug}` is a municipality (not an article or a legal page).
fn is_city_route(pattern: &str) -> bool {
    [
        "/kommunen/{slug}",
        "/admin/kommunen/{slug}",
        "/api/v1/municipalities/{slug}",
    ]
    .iter()
    .any(|p| pattern.starts_with(p))
}

/// The entry's municipality: the handler's note, the path's city, or the city of the live board the path
/// names.
async fn complete(
    state: &AppState,
    entry: &mut store::audit::NewEntry,
    params: &[(&str, &str)],
    note_city: Option<i64>,
) -> Result<(), store::StoreError> {
    let value = |name: &str| params.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    let city = if let Some(id) = note_city {
        Some(store::municipalities::by_id(&state.db, id).await?)
    } else if let Some(slug) = value("slug").filter(|_| is_city_route(&entry.route)) {
        Some(store::municipalities::by_slug(&state.db, slug).await?)
    } else if let Some(code) = value("code") {
        match store::boards::by_code(&state.db, &code.to_uppercase())
            .await?
            .and_then(|b| b.municipality_id)
        {
            Some(id) => Some(store::municipalities::by_id(&state.db, id).await?),
            None => None,
        }
    } else {
        None
    };
    if let Some(m) = city {
        entry.municipality_id = Some(m.id);
        entry.municipality_name = m.name;
    }
    Ok(())
}
