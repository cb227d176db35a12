//! Full-text search: the node's index (crate `search`), kept current by the indexer task, and the search
//! page. The index is in memory; at start the indexer rebuilds it from the database, then tails the
//! `search_changes` outbox every second — and within 50 ms after a write request on this node (ADR 0011).

pub mod page;

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use domain::visibility::Visibility;
use search::{Document, Kind, Tail};
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::Db;
use tokio::sync::{Notify, watch};

/// How often a node looks for changes made by other nodes.
const POLL: Duration = Duration::from_secs(1);
/// The shortest pause between two looks at the outbox: under a stream of write requests (votes, cards) the
/// wake-ups coalesce into at most one outbox query per pause instead of one per request.
const MIN_PAUSE: Duration = Duration::from_millis(50);
/// How long a missing outbox row may stay missing before it counts as rolled back.
const HOLE_GRACE: Duration = Duration::from_secs(10);
/// Outbox rows re-applied after the start-up rebuild, to catch transactions that committed around it.
const REPLAY: i64 = 100;
/// Outbox rows older than this are purged by the housekeeping job.
pub const KEEP_CHANGES_SECS: i64 = 24 * 3600;

/// The node's search index and the handles of its indexer.
pub struct Search {
    pub index: search::Index,
    /// Wakes the indexer (after writes on this node).
    wakeup: Notify,
    /// Outbox position reflected in the index; `None` until the start-up rebuild is done.
    ready: watch::Sender<Option<i64>>,
}

impl Search {
    pub fn new() -> anyhow::Result<Arc<Search>> {
        Ok(Arc::new(Search {
            index: search::Index::new_in_ram()?,
            wakeup: Notify::new(),
            ready: watch::Sender::new(None),
        }))
    }

    /// Ask the indexer to look at the outbox now.
    pub fn wake(&self) {
        self.wakeup.notify_one();
    }

    /// Whether the start-up rebuild is done.
    pub fn is_ready(&self) -> bool {
        self.ready.borrow().is_some()
    }
}

/// The URL of a search result.
fn url(e: &store::search::Entry) -> String {
    let city = &e.municipality_slug;
    match e.kind.as_str() {
        "massnahme" => format!("/kommunen/{city}/massnahmen/{}", e.id),
        "idee" | "aussage" => format!(
            "/kommunen/{city}/beteiligung/{}",
            e.parent_id.unwrap_or_default()
        ),
        "werkstatt" if e.municipality_id == 0 => format!("/netzwerk/veranstaltungen/{}", e.id),
        "werkstatt" => format!("/kommunen/{city}/werkstaetten/{}", e.id),
        "artikel" => format!("/netzwerk/magazin/{}", e.slug),
        "leitbild" => format!("/kommunen/{city}/leitbild"),
        _ => format!("/kommunen/{city}"),
    }
}

/// A stored entity as an index document; `None` for unknown kinds or visibilities (never guessed).
fn document(e: store::search::Entry) -> Option<Document> {
    let kind = Kind::parse(&e.kind)?;
    let visibility = Visibility::parse(&e.visibility).ok()?;
    let url = url(&e);
    let title = match kind {
        Kind::Definition => format!("Smart-City-Definition {}", e.title),
        _ => e.title,
    };
    Some(Document {
        kind,
        id: e.id,
        municipality_id: e.municipality_id,
        municipality_slug: e.municipality_slug,
        municipality_name: e.municipality_name,
        field_ids: e.field_ids,
        visibility,
        title,
        body: e.body,
        url,
    })
}

/// Rebuild the index from the database; returns the outbox position it reflects.
async fn rebuild(db: &Db, s: &Search) -> anyhow::Result<i64> {
    // Read the position first: a change committed during the rebuild is then applied (again) by the tail.
    let last = store::search::last_seq(db).await?;
    let docs: Vec<Document> = store::search::all(db)
        .await?
        .into_iter()
        .filter_map(document)
        .collect();
    s.index.replace_all(&docs)?;
    tracing::info!(documents = docs.len(), "search index built");
    Ok(last)
}

/// Apply the outbox rows after the tail's position.
async fn catch_up(db: &Db, s: &Search, tail: &mut Tail) -> anyhow::Result<()> {
    loop {
        let rows = store::search::changes_after(db, tail.after(), 500).await?;
        let n = rows.len();
        let mut gone = Vec::new();
        let mut docs = Vec::new();
        for c in rows {
            if !tail.accept(c.seq) {
                continue;
            }
            if c.kind == "beteiligung" {
                let (ideas, statements) =
                    store::search::items_of_participation(db, c.entity_id).await?;
                gone.extend(ideas.into_iter().map(|id| (Kind::Idea, id)));
                gone.extend(statements.into_iter().map(|id| (Kind::Statement, id)));
            } else if let Some(k) = Kind::parse(&c.kind) {
                gone.push((k, c.entity_id));
            }
            docs.extend(
                store::search::for_change(db, &c.kind, c.entity_id)
                    .await?
                    .into_iter()
                    .filter_map(document),
            );
        }
        if !gone.is_empty() || !docs.is_empty() {
            s.index.apply(&gone, &docs)?;
        }
        tail.advance(Instant::now());
        if n < 500 {
            s.ready.send_replace(Some(tail.after()));
            return Ok(());
        }
    }
}

/// Start the node's indexer: rebuild, then follow the outbox for the life of the process.
pub fn spawn_indexer(state: &AppState) {
    // The indexer's queries are not the pages': its own round-trip counter.
    let db = state.db.detached();
    let s = state.search.clone();
    tokio::spawn(async move {
        let last = loop {
            match rebuild(&db, &s).await {
                Ok(last) => break last,
                Err(e) => {
                    tracing::warn!(error = %e, "search index rebuild failed; retrying");
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
            }
        };
        let mut tail = Tail::new((last - REPLAY).max(0), HOLE_GRACE);
        loop {
            if let Err(e) = catch_up(&db, &s, &mut tail).await {
                tracing::warn!(error = %e, "search index update failed");
            }
            let _ = tokio::time::timeout(POLL, s.wakeup.notified()).await;
            tokio::time::sleep(MIN_PAUSE).await;
        }
    });
}

/// After a write request (any method but GET/HEAD) on this node, wake the indexer.
pub async fn wake_after_writes(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let write = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let resp = next.run(req).await;
    if write {
        state.search.wake();
    }
    resp
}

/// Search the node's index as `actor` (off the async runtime: scoring and snippets are CPU work).
pub async fn run(
    state: &AppState,
    actor: &domain::permission::Actor,
    q: search::Query,
) -> Result<search::Results, crate::error::AppError> {
    let s = state.search.clone();
    let viewer = search::Viewer::of(actor);
    tokio::task::spawn_blocking(move || s.index.search(&q, &viewer))
        .await
        .map_err(|e| crate::error::AppError::Internal(e.to_string()))?
        .map_err(|e| crate::error::AppError::Internal(e.to_string()))
}
