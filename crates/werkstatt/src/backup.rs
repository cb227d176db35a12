//! `werkstatt backup`, `werkstatt restore` and `werkstatt migrate-db` (ADR 0017).
//!
//! A backup is always one SQLite file at the current migration: of a SQLite installation made with
//! `VACUUM INTO`, of a PostgreSQL installation by copying every table into a fresh SQLite file
//! (`store::transfer`, one `REPEATABLE READ` snapshot). Restore and `migrate-db` copy with the same engine into
//! the target, which must hold no data of its own unless `--force` is given.

use crate::{DbArgs, redact};
use anyhow::{Context, bail};
use clap::Args;
use std::path::{Path, PathBuf};
use store::Db;
use store::transfer::{self, CopyReport};

#[derive(Args)]
pub(crate) struct BackupArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The backup file to write (a SQLite database; must not exist yet).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
pub(crate) struct RestoreArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The backup file made by `werkstatt backup`.
    #[arg(long)]
    from: PathBuf,
    /// Replace the data the target database already holds.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
pub(crate) struct MigrateDbArgs {
    /// Source database, e.g. `sqlite:./data/werkstatt.db`.
    #[arg(long)]
    from: String,
    /// Target database, e.g. `postgres://werkstatt@db.example.org/werkstatt`.
    #[arg(long)]
    to: String,
    /// Replace the data the target database already holds.
    #[arg(long)]
    force: bool,
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite:{}", path.display())
}

/// Remove a SQLite file with its WAL and shared-memory files.
fn remove_sqlite(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// A SQLite file in the temporary folder, removed when dropped.
struct TempDb(PathBuf);

impl TempDb {
    fn new(what: &str) -> TempDb {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        TempDb(std::env::temp_dir().join(format!(
            "werkstatt-{what}-{}-{}.db",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        )))
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        remove_sqlite(&self.0);
    }
}

pub(crate) async fn backup(args: BackupArgs) -> anyhow::Result<()> {
    if args.out.exists() {
        bail!(
            "{} exists already; a backup never overwrites a file, choose a new name",
            args.out.display()
        );
    }
    let db = args.db.open().await?;
    let rows = backup_to(&db, &args.out).await?;
    db.close().await;
    println!(
        "Sicherung geschrieben: {} ({rows} Zeilen)",
        args.out.display()
    );
    Ok(())
}

/// Write a consistent backup of `db` to `out` (via `<out>.partial`, renamed when complete). Returns the rows.
pub(crate) async fn backup_to(db: &Db, out: &Path) -> anyhow::Result<i64> {
    let partial = PathBuf::from(format!("{}.partial", out.display()));
    remove_sqlite(&partial);
    let result = async {
        match db.kind() {
            store::DbKind::Sqlite => transfer::vacuum_into(db, &partial)
                .await
                .context("VACUUM INTO")?,
            store::DbKind::Postgres => {
                let file = Db::connect(&sqlite_url(&partial)).await?;
                file.migrate().await?;
                let copied = transfer::copy(db, &file).await;
                file.close().await;
                copied.context("copying the tables")?;
            }
        }
        let file = Db::connect(&sqlite_url(&partial)).await?;
        let rows: i64 = transfer::row_counts(&file)
            .await?
            .iter()
            .map(|(_, n)| n)
            .sum();
        file.close().await;
        anyhow::Ok(rows)
    }
    .await;
    match result {
        Ok(rows) => {
            remove_sqlite_sidecars(&partial);
            std::fs::rename(&partial, out)
                .with_context(|| format!("renaming the backup to {}", out.display()))?;
            Ok(rows)
        }
        Err(e) => {
            remove_sqlite(&partial);
            Err(e.context(format!("backup to {} failed", out.display())))
        }
    }
}

fn remove_sqlite_sidecars(path: &Path) {
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

pub(crate) async fn restore(args: RestoreArgs) -> anyhow::Result<()> {
    let target = args.db.open().await?;
    let report = restore_into(&args.from, &target, args.force).await;
    target.close().await;
    let report = report?;
    println!(
        "Sicherung {} eingespielt: {} Zeilen in {} Tabellen.",
        args.from.display(),
        report.rows(),
        report.tables.len()
    );
    Ok(())
}

/// Bring the backup file `from` into `target` (migrated). The file itself is not changed: it is copied and the
/// copy migrated, so that a backup of an older version can be restored by a newer binary.
pub(crate) async fn restore_into(
    from: &Path,
    target: &Db,
    force: bool,
) -> anyhow::Result<CopyReport> {
    let mut header = [0u8; 16];
    let readable = std::fs::File::open(from)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
        .with_context(|| format!("cannot read the backup file {}", from.display()));
    readable?;
    if &header != b"SQLite format 3\0" {
        bail!(
            "{} is not a werkstatt backup (not a SQLite database file)",
            from.display()
        );
    }
    let work = TempDb::new("restore");
    std::fs::copy(from, &work.0).with_context(|| format!("copying {}", from.display()))?;
    let source = Db::connect(&sqlite_url(&work.0)).await?;
    let migrated = source.migrate().await.with_context(|| {
        format!(
            "{} does not fit this werkstatt version (was it made by a newer one?)",
            from.display()
        )
    });
    let result = match migrated {
        Ok(()) => copy_checked(&source, target, force).await,
        Err(e) => Err(e),
    };
    source.close().await;
    result
}

pub(crate) async fn migrate_db(args: MigrateDbArgs) -> anyhow::Result<()> {
    if let Some(path) = store::sqlite_file(&args.from)
        && !path.exists()
    {
        bail!("the source database {} does not exist", path.display());
    }
    let source = open_url(&args.from).await?;
    let target = open_url(&args.to).await?;
    let report = copy_checked(&source, &target, args.force).await;
    source.close().await;
    target.close().await;
    let report = report?;
    println!(
        "Daten übertragen nach {}: {} Zeilen in {} Tabellen.",
        redact(&args.to),
        report.rows(),
        report.tables.len()
    );
    Ok(())
}

async fn open_url(url: &str) -> anyhow::Result<Db> {
    let db = Db::connect(url)
        .await
        .with_context(|| format!("cannot open database {}", redact(url)))?;
    web::prepare(&db)
        .await
        .with_context(|| format!("migrating {}", redact(url)))?;
    Ok(db)
}

/// Copy `source` into `target` after checking that the target holds no data of its own (or `force`).
pub(crate) async fn copy_checked(
    source: &Db,
    target: &Db,
    force: bool,
) -> anyhow::Result<CopyReport> {
    if !force {
        let occupied = occupied_tables(target).await?;
        if !occupied.is_empty() {
            let list: Vec<String> = occupied
                .iter()
                .map(|(t, n)| format!("{t} ({n} rows)"))
                .collect();
            bail!(
                "the target database already holds data: {}. Nothing was changed. Use an empty database, or \
                 add --force to replace its data with the backup's.",
                list.join(", ")
            );
        }
    }
    Ok(transfer::copy(source, target).await?)
}

/// Tables of `db` with more rows than a freshly prepared database has (migration seeds, default pages).
pub(crate) async fn occupied_tables(db: &Db) -> anyhow::Result<Vec<(String, i64)>> {
    let fresh = TempDb::new("baseline");
    let base = Db::connect(&sqlite_url(&fresh.0)).await?;
    web::prepare(&base).await?;
    let baseline = transfer::row_counts(&base).await;
    base.close().await;
    let baseline: std::collections::HashMap<String, i64> = baseline?.into_iter().collect();
    Ok(transfer::row_counts(db)
        .await?
        .into_iter()
        .filter(|(t, n)| *n > baseline.get(t).copied().unwrap_or(0))
        .collect())
}
