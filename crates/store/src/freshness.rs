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
use tokio::sync::Mutex;

/// Reads the marker; one per node.
pub struct Freshness {
    kind: Kind,
}

enum Kind {
    Postgres(sqlx::PgPool),
    Sqlite {
        options: Box<sqlx::sqlite::SqliteConnectOptions>,
        conn: Mutex<(u64, Option<SqliteConnection>)>,
    },
}

impl Freshness {
    pub fn new(db: &Db) -> Freshness {
        let kind = match db.pool() {
            Pool::Postgres(p) => Kind::Postgres(p.clone()),
            Pool::Sqlite(p) => Kind::Sqlite {
                options: Box::new((*p.connect_options()).clone()),
                conn: Mutex::new((0, None)),
            },
        };
        Freshness { kind }
    }

    /// The current marker. Errors (database unreachable) are returned; callers treat them as "unknown".
    pub async fn marker(&self) -> StoreResult<String> {
        match &self.kind {
            Kind::Postgres(pool) => {
                let snap: String = sqlx::query_scalar("SELECT pg_current_snapshot()::text")
                    .fetch_one(pool)
                    .await?;
                Ok(snap)
            }
            Kind::Sqlite { options, conn } => {
                let mut guard = conn.lock().await;
                if guard.1.is_none() {
                    guard.0 += 1;
                    guard.1 = Some(SqliteConnection::connect_with(options).await?);
                }
                let epoch = guard.0;
                let c = guard.1.as_mut().expect("connection just opened");
                match sqlx::query_scalar::<_, i64>("PRAGMA data_version")
                    .fetch_one(&mut *c)
                    .await
                {
                    Ok(v) => Ok(format!("{epoch}:{v}")),
                    Err(e) => {
                        // Reopen next time; a new connection's values are not comparable to the old ones.
                        guard.1 = None;
                        Err(e.into())
                    }
                }
            }
        }
    }
}
