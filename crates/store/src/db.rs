use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was violated; the string names the rule (e.g. `municipalities.slug`).
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A statement run straight on a SQLite handle (the vote writer, `votes::direct`) failed.
    #[error("database: {0}")]
    Sqlite(String),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("invalid database url: {0}")]
    Url(String),
    /// A domain rule refused the change; nothing was written. The string is a message key.
    #[error("refused: {0}")]
    Refused(&'static str),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// The database cannot serve right now — a 503 the visitor may retry, not a bug (ADR 0019): it cannot
    /// be reached (pool timeout, closed pool, I/O, a lost PostgreSQL connection or a server shutting down
    /// or out of resources), or SQLite cannot write its file (disk full, read-only or failing file system).
    pub fn is_unavailable(&self) -> bool {
        let StoreError::Database(e) = self else {
            return false;
        };
        match e {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::WorkerCrashed => true,
            // After a COMMIT that SQLite refused (disk full), sqlx lends the connection once more with its
            // transaction depth not yet reset, and the next BEGIN on it fails this way; the connection is
            // reset after that. Transient, part of the same outage.
            sqlx::Error::InvalidSavePointStatement => true,
            sqlx::Error::Database(d) => {
                let code = d.code().unwrap_or_default();
                if d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    // Primary result codes (the low byte of an extended code): SQLITE_READONLY 8,
                    // SQLITE_IOERR 10, SQLITE_FULL 13, SQLITE_CANTOPEN 14.
                    code.parse::<i64>()
                        .is_ok_and(|c| matches!(c & 0xff, 8 | 10 | 13 | 14))
                } else {
                    // SQLSTATE classes 08 (connection exception), 53 (insufficient resources: disk full,
                    // out of memory, too many connections) and 57P (server shutting down or starting).
                    code.starts_with("08") || code.starts_with("53") || code.starts_with("57P")
                }
            }
            _ => false,
        }
    }

    /// Turn a unique-constraint violation into `Conflict` naming the constraint, keep everything else.
    pub(crate) fn classify(e: sqlx::Error) -> StoreError {
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            let msg = db.message().to_string();
            let which = db.constraint().map(str::to_string).unwrap_or(msg);
            return StoreError::Conflict(which);
        }
        StoreError::Database(e)
    }
}

/// Which database engine a `Db` talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

/// The connection pool of one engine.
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The database handle shared by the whole application: the pool, and a counter of database round trips
/// (store calls) so that tests and benchmarks can show that a page's query count does not grow with the data.
#[derive(Clone, Debug)]
pub struct Db {
    pool: Pool,
    round_trips: Arc<AtomicU64>,
}

/// Expand `$body` once per database arm with `$pool` bound to the concrete pool.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db.counted() {
            $crate::Pool::Sqlite($pool) => $body,
            $crate::Pool::Postgres($pool) => $body,
        }
    };
}

/// Run `$body` inside a write transaction (`BEGIN IMMEDIATE` on SQLite) with `$tx` bound to it; commits
/// when the body returns `Ok`, rolls back otherwise. Evaluates to the body's result.
#[macro_export]
macro_rules! in_tx {
    ($db:expr, $tx:ident => $body:expr) => {
        match $db.counted() {
            $crate::Pool::Sqlite(pool) => {
                let mut $tx = pool
                    .begin_with("BEGIN IMMEDIATE")
                    .await
                    .map_err($crate::StoreError::from)?;
                let result: $crate::StoreResult<_> = async { $body }.await;
                if result.is_ok() {
                    $tx.commit().await.map_err($crate::StoreError::from)?;
                }
                result
            }
            $crate::Pool::Postgres(pool) => {
                let mut $tx = pool.begin().await.map_err($crate::StoreError::from)?;
                let result: $crate::StoreResult<_> = async { $body }.await;
                if result.is_ok() {
                    $tx.commit().await.map_err($crate::StoreError::from)?;
                }
                result
            }
        }
    };
}

/// The file of a SQLite URL as sqlx reads it: `sqlite:data/w.db` and `sqlite://data/w.db` are the relative
/// path `data/w.db`, `sqlite:///var/w.db` the absolute `/var/w.db`; options after `?` are not part of it.
/// `None` for other URLs and for in-memory databases.
pub fn sqlite_file(url: &str) -> Option<&std::path::Path> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| std::path::Path::new(path))
}

/// Connections per node on PostgreSQL: with three nodes 48 of the server's default 100.
pub const DEFAULT_POOL_POSTGRES: u32 = 16;
/// Connections per node on SQLite (readers; the vote writer and write transactions queue on SQLite's lock).
pub const DEFAULT_POOL_SQLITE: u32 = 8;

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

impl Db {
    /// Connect to `sqlite:PATH` (created if missing, WAL, full fsync) or `postgres://…` with the default pool
    /// size ([`DEFAULT_POOL_POSTGRES`], [`DEFAULT_POOL_SQLITE`]).
    pub async fn connect(url: &str) -> StoreResult<Db> {
        Self::connect_with(url, None).await
    }

    /// [`Db::connect`] with at most `pool_size` connections (`None`: the default of the engine).
    pub async fn connect_with(url: &str, pool_size: Option<u32>) -> StoreResult<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts =
                PgConnectOptions::from_str(url).map_err(|e| StoreError::Url(e.to_string()))?;
            let pool = PgPoolOptions::new()
                .max_connections(pool_size.unwrap_or(DEFAULT_POOL_POSTGRES))
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(opts)
                .await?;
            Ok(Db::new(Pool::Postgres(pool)))
        } else if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::Url(e.to_string()))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            // An in-process connection cannot go stale: no ping before each lend (a round trip to the
            // connection's worker thread per query otherwise).
            let pool = SqlitePoolOptions::new()
                .test_before_acquire(false)
                .max_connections(pool_size.unwrap_or(DEFAULT_POOL_SQLITE))
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Db::new(Pool::Sqlite(pool)))
        } else {
            Err(StoreError::Url(format!(
                "expected sqlite:… or postgres://…, got {url:?}"
            )))
        }
    }

    fn new(pool: Pool) -> Db {
        Db {
            pool,
            round_trips: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Connections the pool may open.
    pub fn pool_size(&self) -> u32 {
        match &self.pool {
            Pool::Sqlite(p) => p.options().get_max_connections(),
            Pool::Postgres(p) => p.options().get_max_connections(),
        }
    }

    pub fn kind(&self) -> DbKind {
        match self.pool {
            Pool::Sqlite(_) => DbKind::Sqlite,
            Pool::Postgres(_) => DbKind::Postgres,
        }
    }

    /// The pool, without counting (for code outside the store that needs the engine, e.g. tests).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// The pool, counting one round trip; used by `on_db!` and `in_tx!`.
    #[doc(hidden)]
    pub fn counted(&self) -> &Pool {
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        &self.pool
    }

    /// A handle on the same pool with its own round-trip counter: for background work (the search
    /// indexer) whose queries must not be counted against the pages measured by tests and benchmarks.
    pub fn detached(&self) -> Db {
        Db::new(self.pool.clone())
    }

    /// Store calls made through this handle (and its clones) so far.
    pub fn round_trips(&self) -> u64 {
        self.round_trips.load(Ordering::Relaxed)
    }

    /// Apply all pending migrations of the matching tree.
    pub async fn migrate(&self) -> StoreResult<()> {
        match &self.pool {
            Pool::Sqlite(p) => SQLITE_MIGRATOR.run(p).await?,
            Pool::Postgres(p) => POSTGRES_MIGRATOR.run(p).await?,
        }
        Ok(())
    }

    /// A trivial round trip, for health checks.
    pub async fn ping(&self) -> StoreResult<()> {
        on_db!(self, pool => {
            let one: i32 = sqlx::query_scalar("SELECT 1").fetch_one(pool).await?;
            debug_assert_eq!(one, 1);
        });
        Ok(())
    }

    /// `(table, column)` pairs of the platform's own schema, sorted; used by the migration parity test.
    pub async fn schema_columns(&self) -> StoreResult<Vec<(String, String)>> {
        let mut cols: Vec<(String, String)> = match &self.pool {
            Pool::Sqlite(p) => {
                sqlx::query_as(
                    "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
                )
                .fetch_all(p)
                .await?
            }
            Pool::Postgres(p) => {
                sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
                )
                .fetch_all(p)
                .await?
            }
        };
        cols.sort();
        Ok(cols)
    }

    /// Close all connections (used on shutdown and by tests).
    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }
}

/// Current time in Unix seconds.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod url_tests {
    use super::sqlite_file;
    use std::path::Path;

    #[test]
    fn sqlite_urls_name_their_file_like_sqlx() {
        assert_eq!(
            sqlite_file("sqlite:data/w.db"),
            Some(Path::new("data/w.db"))
        );
        assert_eq!(
            sqlite_file("sqlite://data/w.db"),
            Some(Path::new("data/w.db"))
        );
        assert_eq!(
            sqlite_file("sqlite://./w.db?mode=rwc"),
            Some(Path::new("./w.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///var/w.db"),
            Some(Path::new("/var/w.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:/var/w.db"),
            Some(Path::new("/var/w.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("sqlite:"), None);
        assert_eq!(sqlite_file("postgres://db/w"), None);
    }
}
