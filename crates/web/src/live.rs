//! Live fan-out of board events to the Server-Sent-Event streams of this node.
//!
//! The database's event log is the single source: a writer commits its event and wakes the board's pump on
//! this node; other nodes hear of it through PostgreSQL `LISTEN/NOTIFY` (on SQLite, where there is no
//! notification, the pump polls the board's sequence number while anyone watches). A pump reads the events
//! after the last one it delivered, in sequence order, and broadcasts them to the node's subscribers. One
//! database read per event per node, however many screens watch.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::Db;
use store::boards::Event;
use tokio::sync::{Notify, broadcast, watch};

/// How often a pump looks for events without being woken: often on SQLite (other nodes cannot wake it), as
/// a safety net on PostgreSQL (a notification lost while the LISTEN connection reconnected).
fn tick(db: &Db) -> Duration {
    match db.kind() {
        store::DbKind::Sqlite => Duration::from_millis(250),
        store::DbKind::Postgres => Duration::from_secs(5),
    }
}

/// A pump without subscribers stops after this long.
const IDLE: Duration = Duration::from_secs(60);
/// Events read per database query.
pub const BATCH: i64 = 500;

struct Channel {
    tx: broadcast::Sender<Arc<Event>>,
    wake: Notify,
    last: AtomicI64,
}

/// The node's registry of watched boards.
pub struct Hub {
    db: Db,
    boards: Mutex<HashMap<i64, Arc<Channel>>>,
    closing: watch::Sender<bool>,
}

impl Hub {
    pub fn new(db: Db) -> Arc<Hub> {
        Arc::new(Hub {
            db,
            boards: Mutex::new(HashMap::new()),
            closing: watch::channel(false).0,
        })
    }

    /// Receive the board's events from now on. `current_seq` is the board's sequence number as the caller
    /// read it; a new pump starts delivering after it (the caller catches up on older events itself).
    pub fn subscribe(
        self: &Arc<Self>,
        workshop_id: i64,
        current_seq: i64,
    ) -> broadcast::Receiver<Arc<Event>> {
        let mut boards = self.boards.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(ch) = boards.get(&workshop_id) {
            return ch.tx.subscribe();
        }
        let (tx, rx) = broadcast::channel(1024);
        let ch = Arc::new(Channel {
            tx,
            wake: Notify::new(),
            last: AtomicI64::new(current_seq),
        });
        boards.insert(workshop_id, ch.clone());
        drop(boards);
        tokio::spawn(self.clone().pump(workshop_id, ch));
        rx
    }

    /// A board changed (committed on this node or announced by another): let its pump read.
    pub fn wake(&self, workshop_id: i64) {
        let boards = self.boards.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(ch) = boards.get(&workshop_id) {
            ch.wake.notify_one();
        }
    }

    fn wake_all(&self) {
        let boards = self.boards.lock().unwrap_or_else(|e| e.into_inner());
        for ch in boards.values() {
            ch.wake.notify_one();
        }
    }

    /// Resolves when the server shuts down, so that open streams end and the shutdown can finish.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Boards with a pump on this node.
    pub fn watched(&self) -> usize {
        self.boards.lock().map(|b| b.len()).unwrap_or(0)
    }

    async fn pump(self: Arc<Self>, workshop_id: i64, ch: Arc<Channel>) {
        let tick = tick(&self.db);
        let mut idle_since: Option<Instant> = None;
        loop {
            tokio::select! {
                _ = ch.wake.notified() => {}
                _ = tokio::time::sleep(tick) => {}
            }
            if ch.tx.receiver_count() == 0 {
                let since = *idle_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= IDLE {
                    let mut boards = self.boards.lock().unwrap_or_else(|e| e.into_inner());
                    if ch.tx.receiver_count() == 0 {
                        boards.remove(&workshop_id);
                        return;
                    }
                }
                continue;
            }
            idle_since = None;
            loop {
                let last = ch.last.load(Ordering::Acquire);
                match store::boards::events_since(&self.db, workshop_id, last, BATCH).await {
                    Ok(events) => {
                        let full = events.len() as i64 == BATCH;
                        for e in events {
                            ch.last.store(e.seq, Ordering::Release);
                            // No receivers right now is fine: they catch up from the database.
                            let _ = ch.tx.send(Arc::new(e));
                        }
                        if !full {
                            break;
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, workshop_id, "board events could not be read");
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        break;
                    }
                }
            }
        }
    }

    /// Follow the other nodes' changes: PostgreSQL notifications (SQLite pumps poll instead).
    pub fn spawn_listener(self: &Arc<Self>) {
        if self.db.kind() != store::DbKind::Postgres {
            return;
        }
        let hub = self.clone();
        tokio::spawn(async move {
            let mut closing = hub.closing();
            loop {
                let mut listener = match store::boards::Listener::connect(&hub.db).await {
                    Ok(Some(l)) => l,
                    Ok(None) => return,
                    Err(e) => {
                        tracing::warn!(error = %e, "LISTEN failed; retrying");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        continue;
                    }
                };
                tracing::info!("listening for the board events of other nodes");
                // Anything that happened before LISTEN took effect.
                hub.wake_all();
                loop {
                    tokio::select! {
                        _ = closing.changed() => return,
                        n = listener.next() => match n {
                            Ok(Some(wid)) => hub.wake(wid),
                            Ok(None) => hub.wake_all(),
                            Err(e) => {
                                tracing::warn!(error = %e, "LISTEN connection lost");
                                break;
                            }
                        }
                    }
                }
            }
        });
    }
}
