//! "Has anything been written since?" — a marker of the database's committed state, for caches that must
//! never serve data older than the database (the page cache of `web::pagecache`, ADR 0021).
//!
//! Two equal markers mean no write was committed in between, by this process, another node, or any other
//! client of the database:
//! - **PostgreSQL**: the text of `pg_current_snapshot()` (`xmin:xmax:in-progress xids`). Only writing
//!   transactions get transaction ids, so the snapshot moves exactly when a writer starts or finishes; two
//!   equal snapshots see the same data (that is what an MVCC snapshot is).
//! - **SQLite**: `PRAGMA data_version` on one connection of its own that never writes. SQLite changes the
//!   value whenever another connection — of this process or any other — commits. The value is only
//!   comparable on the same connection, so a reconnect starts a new epoch that is part of the marker.

use crate::{Db, Pool, StoreResult};
use sqlx::Connection;
use sqlx::sqlite::SqliteConnection;
use std::time::Instant;
use tokio::sync::Mutex;

/// Reads a marker, sharing one read among the requests that wait for it.
pub struct Freshness {
    kind: Kind,
}

enum Kind {
    Postgres {
        pool: sqlx::PgPool,
        last: Mutex<Option<Reading>>,
    },
    Sqlite {
        options: Box<sqlx::sqlite::SqliteConnectOptions>,
        conn: Mutex<SqliteState>,
    },
}

/// A marker and when the query that read it was sent.
#[derive(Clone)]
struct Reading {
    sent: Instant,
    value: String,
}

impl Reading {
    /// A reading serves a caller that asked at `asked` when its query was sent later: it then sees every
    /// commit that was acknowledged before the caller asked.
    fn serves(&self, asked: Instant) -> bool {
        self.sent > asked
    }
}

#[derive(Default)]
struct SqliteState {
    epoch: u64,
    conn: Option<SqliteConnection>,
    last: Option<Reading>,
}

impl Freshness {
    pub fn new(db: &Db) -> Freshness {
        let kind = match db.pool() {
            Pool::Postgres(p) => Kind::Postgres {
                pool: p.clone(),
                last: Mutex::new(None),
            },
            Pool::Sqlite(p) => Kind::Sqlite {
                options: Box::new((*p.connect_options()).clone()),
                conn: Mutex::new(SqliteState::default()),
            },
        };
        Freshness { kind }
    }

    /// The current marker: one read at a time; callers that queued while a read was under way take the next
    /// reading sent after they asked, so under load one query answers many requests (and none gets a reading
    /// older than its own arrival). Errors (database unreachable) are returned; callers treat them as
    /// "unknown".
    pub async fn marker(&self) -> StoreResult<String> {
        let asked = Instant::now();
        match &self.kind {
            Kind::Postgres { pool, last } => {
                let mut last = last.lock().await;
                if let Some(r) = last.as_ref().filter(|r| r.serves(asked)) {
                    return Ok(r.value.clone());
                }
                let sent = Instant::now();
                let value: String = sqlx::query_scalar("SELECT pg_current_snapshot()::text")
                    .fetch_one(pool)
                    .await?;
                *last = Some(Reading {
                    sent,
                    value: value.clone(),
                });
                Ok(value)
            }
            Kind::Sqlite { options, conn } => {
                let mut state = conn.lock().await;
                if let Some(r) = state.last.as_ref().filter(|r| r.serves(asked)) {
                    return Ok(r.value.clone());
                }
                if state.conn.is_none() {
                    state.epoch += 1;
                    state.conn = Some(SqliteConnection::connect_with(options).await?);
                }
                let epoch = state.epoch;
                let c = state.conn.as_mut().expect("connection just opened");
                let sent = Instant::now();
                match sqlx::query_scalar::<_, i64>("PRAGMA data_version")
                    .fetch_one(&mut *c)
                    .await
                {
                    Ok(v) => {
                        let value = format!("{epoch}:{v}");
                        state.last = Some(Reading {
                            sent,
                            value: value.clone(),
                        });
                        Ok(value)
                    }
                    Err(e) => {
                        // Reopen next time; a new connection's values are not comparable to the old ones.
                        state.conn = None;
                        state.last = None;
                        Err(e.into())
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_reading_serves_only_callers_that_asked_before_it_was_sent() {
        let asked = Instant::now();
        std::thread::sleep(Duration::from_millis(1));
        let later = Reading {
            sent: Instant::now(),
            value: "1:1".into(),
        };
        assert!(later.serves(asked));
        let earlier = Reading {
            sent: asked,
            value: "1:1".into(),
        };
        assert!(!earlier.serves(asked), "sent at the same instant");
        std::thread::sleep(Duration::from_millis(1));
        assert!(!later.serves(Instant::now()));
    }
}
