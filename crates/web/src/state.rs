use crate::config::Config;
use crate::live::Hub;
use crate::metrics::Metrics;
use std::sync::Arc;
use store::Db;
use tokio::sync::Notify;

/// Everything a handler needs; cheap to clone: one reference count, since every middleware layer and handler
/// of a request takes its own copy (the fields are reached through `Deref`).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The node's shared parts.
#[derive(Clone)]
pub struct Shared {
    pub db: Db,
    pub config: Arc<Config>,
    pub metrics: Arc<Metrics>,
    /// Wakes the mail worker when a mail was queued on this node.
    pub mail_wakeup: Arc<Notify>,
    /// Live board events of this node.
    pub hub: Arc<Hub>,
    /// The node's vote writer (group commit).
    pub votes: store::votes::Writer,
    /// The node's own full-text index and its indexer.
    pub search: Arc<crate::search::Search>,
    /// Rendered pages for anonymous visitors, valid while the database is unchanged (ADR 0021).
    pub pages: Arc<crate::pagecache::PageCache>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// The same node with another database handle (e.g. one whose queries are not counted).
    pub fn with_db(&self, db: Db) -> Self {
        Self(Arc::new(Shared {
            db,
            ..(*self.0).clone()
        }))
    }

    pub fn new(db: Db, config: Config) -> Self {
        Self(Arc::new(Shared {
            db: db.clone(),
            config: Arc::new(config),
            metrics: Arc::new(Metrics::new()),
            mail_wakeup: Arc::new(Notify::new()),
            hub: Hub::new(db.clone()),
            votes: store::votes::Writer::spawn(db.clone()),
            search: crate::search::Search::new().expect("an empty in-memory search index"),
            pages: Arc::new(crate::pagecache::PageCache::new(&db)),
        }))
    }
}
