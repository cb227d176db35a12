use crate::config::Config;
use crate::metrics::Metrics;
use std::sync::Arc;
use store::Db;
use tokio::sync::Notify;

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub metrics: Arc<Metrics>,
    /// Wakes the mail worker when a mail was queued on this node.
    pub mail_wakeup: Arc<Notify>,
}

impl AppState {
    pub fn new(db: Db, config: Config) -> Self {
        Self {
            db,
            config: Arc::new(config),
            metrics: Arc::new(Metrics::new()),
            mail_wakeup: Arc::new(Notify::new()),
        }
    }
}
