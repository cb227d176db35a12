//! Copy the platform's data from one database to another (ADR 0017): backups of PostgreSQL into a SQLite
//! file, restores, and `migrate-db` from SQLite to PostgreSQL all use this one engine.
//!
//! Both sides run the migrations first, so both hold the same tables and columns; the engine reads the list of
//! tables, columns, primary keys and foreign keys from the schema (nothing is hard-coded, a new table is
//! copied without a change here). The source is read inside one consistent snapshot (a read transaction on
//! SQLite, `REPEATABLE READ` on PostgreSQL) while writers go on; the target is replaced inside one write
//! transaction: its rows are deleted (children first), the source's rows inserted in foreign-key order with
//! their ids, self-references set in a second pass, and PostgreSQL's identity sequences moved past the
//! highest id. `_sqlx_migrations` is not copied: both sides must be at the same migration.

use crate::{Db, Pool, StoreError};
use futures_util::TryStreamExt;
use sqlx::{AssertSqlSafe, Column as _, Row, TypeInfo, ValueRef};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Why a copy failed.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The two schemas differ or hold something the engine does not know; the string says what.
    #[error("{0}")]
    Schema(String),
}

impl From<sqlx::Error> for TransferError {
    fn from(e: sqlx::Error) -> Self {
        TransferError::Store(StoreError::Database(e))
    }
}

pub type TransferResult<T> = Result<T, TransferError>;

/// One value of one column, independent of the engine.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    Bool(bool),
}

impl Value {
    /// The same value as the other engine would read it back (booleans are integers on SQLite): for comparing
    /// a copy with its source across engines.
    pub fn normalized(self) -> Value {
        match self {
            Value::Bool(b) => Value::Integer(i64::from(b)),
            v => v,
        }
    }

    fn size(&self) -> usize {
        match self {
            Value::Text(s) => s.len(),
            Value::Blob(b) => b.len(),
            _ => 8,
        }
    }
}

/// How a column's values are bound on insert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Integer,
    Real,
    Text,
    Blob,
    Bool,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

/// A table of the platform's schema as the copy needs it.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    /// Primary key columns (empty: none; rows are then ordered by all columns).
    pub primary_key: Vec<String>,
    /// Columns referencing this same table (filled in a second pass on copy).
    pub self_refs: Vec<String>,
    /// Tables this one references (other than itself).
    pub parents: BTreeSet<String>,
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

fn sqlite_kind(table: &str, column: &str, decl: &str) -> TransferResult<Kind> {
    let d = decl.to_ascii_uppercase();
    Ok(if d.contains("INT") {
        Kind::Integer
    } else if d.contains("BOOL") {
        Kind::Bool
    } else if d.contains("CHAR") || d.contains("CLOB") || d.contains("TEXT") {
        Kind::Text
    } else if d.contains("REAL") || d.contains("FLOA") || d.contains("DOUB") {
        Kind::Real
    } else if d.contains("BLOB") || d.is_empty() {
        Kind::Blob
    } else {
        return Err(TransferError::Schema(format!(
            "column {table}.{column} has the type {decl}, which the copy does not know"
        )));
    })
}

fn postgres_kind(table: &str, column: &str, data_type: &str) -> TransferResult<Kind> {
    Ok(match data_type {
        "bigint" | "integer" | "smallint" => Kind::Integer,
        "double precision" | "real" => Kind::Real,
        "text" | "character varying" | "character" => Kind::Text,
        "bytea" => Kind::Blob,
        "boolean" => Kind::Bool,
        other => {
            return Err(TransferError::Schema(format!(
                "column {table}.{column} has the type {other}, which the copy does not know"
            )));
        }
    })
}

/// The platform's tables (without migration bookkeeping), parents before children.
pub async fn tables(db: &Db) -> TransferResult<Vec<Table>> {
    // (table, column, declared type, primary-key position (0 = none))
    let cols: Vec<(String, String, String, i64)>;
    // (table, referenced table, column)
    let fks: Vec<(String, String, String)>;
    match db.pool() {
        Pool::Sqlite(p) => {
            cols = sqlx::query_as(
                "SELECT m.name, c.name, c.type, c.pk FROM sqlite_master m, pragma_table_info(m.name) c \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations' \
                 ORDER BY m.name, c.cid",
            )
            .fetch_all(p)
            .await?;
            fks = sqlx::query_as(
                "SELECT m.name, f.\"table\", f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(p)
            .await?;
        }
        Pool::Postgres(p) => {
            cols = sqlx::query_as(
                "SELECT c.table_name::text, c.column_name::text, c.data_type::text, \
                 COALESCE((SELECT k.ordinal_position::bigint FROM information_schema.table_constraints t \
                   JOIN information_schema.key_column_usage k ON k.constraint_schema = t.constraint_schema \
                    AND k.constraint_name = t.constraint_name AND k.table_name = t.table_name \
                   WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = c.table_schema \
                    AND t.table_name = c.table_name AND k.column_name = c.column_name), 0) \
                 FROM information_schema.columns c JOIN information_schema.tables t \
                   ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
                 WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
                   AND c.table_name <> '_sqlx_migrations' \
                 ORDER BY c.table_name, c.ordinal_position",
            )
            .fetch_all(p)
            .await?;
            fks = sqlx::query_as(
                "SELECT cl.relname::text, rf.relname::text, a.attname::text FROM pg_constraint c \
                 JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class rf ON rf.oid = c.confrelid \
                 JOIN pg_namespace n ON n.oid = cl.relnamespace \
                 CROSS JOIN LATERAL unnest(c.conkey) AS k(attnum) \
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum \
                 WHERE c.contype = 'f' AND n.nspname = current_schema()",
            )
            .fetch_all(p)
            .await?;
        }
    }
    let mut by_name: BTreeMap<String, Table> = BTreeMap::new();
    let mut pk_pos: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for (table, column, decl, pk) in cols {
        let kind = match db.pool() {
            Pool::Sqlite(_) => sqlite_kind(&table, &column, &decl)?,
            Pool::Postgres(_) => postgres_kind(&table, &column, &decl)?,
        };
        if pk > 0 {
            pk_pos
                .entry(table.clone())
                .or_default()
                .push((pk, column.clone()));
        }
        by_name
            .entry(table.clone())
            .or_insert_with(|| Table {
                name: table,
                columns: vec![],
                primary_key: vec![],
                self_refs: vec![],
                parents: BTreeSet::new(),
            })
            .columns
            .push(Column { name: column, kind });
    }
    for (table, mut keys) in pk_pos {
        keys.sort();
        if let Some(t) = by_name.get_mut(&table) {
            t.primary_key = keys.into_iter().map(|(_, c)| c).collect();
        }
    }
    for (table, parent, column) in fks {
        let Some(t) = by_name.get_mut(&table) else {
            continue;
        };
        if table == parent {
            if !t.self_refs.contains(&column) {
                t.self_refs.push(column);
            }
        } else {
            t.parents.insert(parent);
        }
    }
    // Parents before children (Kahn's algorithm; ties by name for a stable order).
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut ordered = Vec::with_capacity(by_name.len());
    while done.len() < by_name.len() {
        let ready: Vec<String> = by_name
            .values()
            .filter(|t| !done.contains(&t.name))
            .filter(|t| {
                t.parents
                    .iter()
                    .all(|p| done.contains(p) || !by_name.contains_key(p))
            })
            .map(|t| t.name.clone())
            .collect();
        if ready.is_empty() {
            let rest: Vec<&str> = by_name
                .keys()
                .filter(|n| !done.contains(*n))
                .map(String::as_str)
                .collect();
            return Err(TransferError::Schema(format!(
                "foreign keys form a cycle among: {}",
                rest.join(", ")
            )));
        }
        for name in ready {
            done.insert(name.clone());
            ordered.push(by_name[&name].clone());
        }
    }
    Ok(ordered)
}

/// Versions of the applied migrations, ascending.
pub async fn migration_versions(db: &Db) -> TransferResult<Vec<i64>> {
    let sql = "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version";
    Ok(match db.pool() {
        Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await?,
        Pool::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await?,
    })
}

/// Rows per table (platform tables only, in foreign-key order).
pub async fn row_counts(db: &Db) -> TransferResult<Vec<(String, i64)>> {
    let mut out = vec![];
    for t in tables(db).await? {
        let sql = AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", quote(&t.name)));
        let n: i64 = match db.pool() {
            Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await?,
            Pool::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await?,
        };
        out.push((t.name, n));
    }
    Ok(out)
}

fn select_sql(t: &Table) -> String {
    let cols: Vec<String> = t.columns.iter().map(|c| quote(&c.name)).collect();
    let order: Vec<String> = if t.primary_key.is_empty() {
        (1..=cols.len()).map(|i| i.to_string()).collect()
    } else {
        t.primary_key.iter().map(|c| quote(c)).collect()
    };
    format!(
        "SELECT {} FROM {} ORDER BY {}",
        cols.join(", "),
        quote(&t.name),
        order.join(", ")
    )
}

fn decode_sqlite(row: &sqlx::sqlite::SqliteRow, t: &Table) -> TransferResult<Vec<Value>> {
    let mut out = Vec::with_capacity(t.columns.len());
    for (i, col) in t.columns.iter().enumerate() {
        let raw = row.try_get_raw(i)?;
        let v = if raw.is_null() {
            Value::Null
        } else {
            match raw.type_info().name() {
                "INTEGER" if col.kind == Kind::Bool => {
                    Value::Bool(row.try_get_unchecked::<i64, _>(i)? != 0)
                }
                "INTEGER" => Value::Integer(row.try_get_unchecked(i)?),
                "REAL" => Value::Real(row.try_get_unchecked(i)?),
                "TEXT" => Value::Text(row.try_get_unchecked(i)?),
                "BLOB" => Value::Blob(row.try_get_unchecked(i)?),
                other => {
                    return Err(TransferError::Schema(format!(
                        "value of {}.{} has the storage class {other}",
                        t.name, col.name
                    )));
                }
            }
        };
        out.push(v);
    }
    Ok(out)
}

fn decode_postgres(row: &sqlx::postgres::PgRow, t: &Table) -> TransferResult<Vec<Value>> {
    let mut out = Vec::with_capacity(t.columns.len());
    for (i, col) in t.columns.iter().enumerate() {
        let v = match col.kind {
            Kind::Integer => {
                let name = row.columns()[i].type_info().name().to_string();
                match name.as_str() {
                    "INT2" => row
                        .try_get::<Option<i16>, _>(i)?
                        .map_or(Value::Null, |x| Value::Integer(x.into())),
                    "INT4" => row
                        .try_get::<Option<i32>, _>(i)?
                        .map_or(Value::Null, |x| Value::Integer(x.into())),
                    _ => row
                        .try_get::<Option<i64>, _>(i)?
                        .map_or(Value::Null, Value::Integer),
                }
            }
            Kind::Real => {
                if row.columns()[i].type_info().name() == "FLOAT4" {
                    row.try_get::<Option<f32>, _>(i)?
                        .map_or(Value::Null, |x| Value::Real(x.into()))
                } else {
                    row.try_get::<Option<f64>, _>(i)?
                        .map_or(Value::Null, Value::Real)
                }
            }
            Kind::Text => row
                .try_get::<Option<String>, _>(i)?
                .map_or(Value::Null, Value::Text),
            Kind::Blob => row
                .try_get::<Option<Vec<u8>>, _>(i)?
                .map_or(Value::Null, Value::Blob),
            Kind::Bool => row
                .try_get::<Option<bool>, _>(i)?
                .map_or(Value::Null, Value::Bool),
        };
        out.push(v);
    }
    Ok(out)
}

/// A value converted to what the target column takes.
enum Bound {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
    Blob(Option<Vec<u8>>),
    Bool(Option<bool>),
}

fn bind_value(table: &str, col: &Column, v: Value) -> TransferResult<Bound> {
    let mismatch = |v: &Value| {
        TransferError::Schema(format!(
            "{table}.{}: value {v:?} does not fit a {:?} column",
            col.name, col.kind
        ))
    };
    Ok(match (col.kind, v) {
        (Kind::Integer, Value::Null) => Bound::Int(None),
        (Kind::Integer, Value::Integer(i)) => Bound::Int(Some(i)),
        (Kind::Integer, Value::Bool(b)) => Bound::Int(Some(i64::from(b))),
        (Kind::Bool, Value::Null) => Bound::Bool(None),
        (Kind::Bool, Value::Bool(b)) => Bound::Bool(Some(b)),
        (Kind::Bool, Value::Integer(i)) => Bound::Bool(Some(i != 0)),
        (Kind::Real, Value::Null) => Bound::Real(None),
        (Kind::Real, Value::Real(f)) => Bound::Real(Some(f)),
        (Kind::Real, Value::Integer(i)) => Bound::Real(Some(i as f64)),
        (Kind::Text, Value::Null) => Bound::Text(None),
        (Kind::Text, Value::Text(s)) => Bound::Text(Some(s)),
        (Kind::Blob, Value::Null) => Bound::Blob(None),
        (Kind::Blob, Value::Blob(b)) => Bound::Blob(Some(b)),
        (Kind::Blob, Value::Text(s)) => Bound::Blob(Some(s.into_bytes())),
        (_, v) => return Err(mismatch(&v)),
    })
}

macro_rules! bind_bound {
    ($q:ident, $b:expr) => {
        match $b {
            Bound::Int(v) => $q.bind(v),
            Bound::Real(v) => $q.bind(v),
            Bound::Text(v) => $q.bind(v),
            Bound::Blob(v) => $q.bind(v),
            Bound::Bool(v) => $q.bind(v),
        }
    };
}

/// The target of a copy: one open write transaction.
enum Target {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Target {
    async fn execute(&mut self, sql: String) -> TransferResult<u64> {
        Ok(match self {
            Target::Sqlite(tx) => sqlx::query(AssertSqlSafe(sql))
                .execute(&mut **tx)
                .await?
                .rows_affected(),
            Target::Postgres(tx) => sqlx::query(AssertSqlSafe(sql))
                .execute(&mut **tx)
                .await?
                .rows_affected(),
        })
    }

    async fn execute_bound(&mut self, sql: String, values: Vec<Bound>) -> TransferResult<()> {
        match self {
            Target::Sqlite(tx) => {
                let mut q = sqlx::query(AssertSqlSafe(sql));
                for b in values {
                    q = bind_bound!(q, b);
                }
                q.execute(&mut **tx).await?;
            }
            Target::Postgres(tx) => {
                let mut q = sqlx::query(AssertSqlSafe(sql));
                for b in values {
                    q = bind_bound!(q, b);
                }
                q.execute(&mut **tx).await?;
            }
        }
        Ok(())
    }
}

/// Target side of one table: its columns on the target (for binding), and what the second pass must set.
struct Sink<'a> {
    source: &'a Table,
    target: &'a Table,
    /// `(primary key values, column, value)` of self-references, set after all rows are in.
    pending: Vec<(Vec<Value>, String, Value)>,
    rows: Vec<Vec<Value>>,
    bytes: usize,
    copied: u64,
}

/// Parameters per statement: below SQLite's limit (32,766) and PostgreSQL's (65,535).
const MAX_PARAMS: usize = 30_000;
const MAX_BYTES: usize = 8 << 20;

fn column_of<'t>(table: &'t Table, name: &str) -> TransferResult<&'t Column> {
    table
        .columns
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            TransferError::Schema(format!(
                "column {}.{name} is missing in the target",
                table.name
            ))
        })
}

impl<'a> Sink<'a> {
    fn new(source: &'a Table, target: &'a Table) -> Self {
        Sink {
            source,
            target,
            pending: vec![],
            rows: vec![],
            bytes: 0,
            copied: 0,
        }
    }

    async fn push(&mut self, to: &mut Target, mut row: Vec<Value>) -> TransferResult<()> {
        if !self.source.self_refs.is_empty() {
            let key: Vec<Value> = self
                .source
                .primary_key
                .iter()
                .filter_map(|k| self.source.columns.iter().position(|c| &c.name == k))
                .map(|i| row[i].clone())
                .collect();
            for r in &self.source.self_refs {
                let i = self
                    .source
                    .columns
                    .iter()
                    .position(|c| &c.name == r)
                    .unwrap_or(0);
                let v = std::mem::replace(&mut row[i], Value::Null);
                if v != Value::Null {
                    self.pending.push((key.clone(), r.clone(), v));
                }
            }
        }
        self.bytes += row.iter().map(Value::size).sum::<usize>();
        self.rows.push(row);
        if (self.rows.len() + 1) * self.source.columns.len() > MAX_PARAMS || self.bytes > MAX_BYTES
        {
            self.flush(to).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, to: &mut Target) -> TransferResult<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let (source, target): (&'a Table, &'a Table) = (self.source, self.target);
        let cols: Vec<&Column> = source
            .columns
            .iter()
            .map(|c| column_of(target, &c.name))
            .collect::<TransferResult<_>>()?;
        let names: Vec<String> = cols.iter().map(|c| quote(&c.name)).collect();
        let mut sql = format!(
            "INSERT INTO {} ({}) VALUES ",
            quote(&target.name),
            names.join(", ")
        );
        let mut binds = Vec::with_capacity(self.rows.len() * cols.len());
        let mut n = 0;
        for (r, row) in std::mem::take(&mut self.rows).into_iter().enumerate() {
            if r > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for (i, v) in row.into_iter().enumerate() {
                n += 1;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("${n}"));
                binds.push(bind_value(&target.name, cols[i], v)?);
            }
            sql.push(')');
            self.copied += 1;
        }
        self.bytes = 0;
        to.execute_bound(sql, binds).await
    }

    async fn finish(&mut self, to: &mut Target) -> TransferResult<()> {
        self.flush(to).await?;
        let (source, target): (&'a Table, &'a Table) = (self.source, self.target);
        for (key, column, value) in std::mem::take(&mut self.pending) {
            let col = column_of(target, &column)?;
            let mut binds = vec![bind_value(&target.name, col, value)?];
            let mut conds = vec![];
            for (i, (k, v)) in source.primary_key.iter().zip(key).enumerate() {
                let kc = column_of(target, k)?;
                conds.push(format!("{} = ${}", quote(k), i + 2));
                binds.push(bind_value(&target.name, kc, v)?);
            }
            let sql = format!(
                "UPDATE {} SET {} = $1 WHERE {}",
                quote(&target.name),
                quote(&column),
                conds.join(" AND ")
            );
            to.execute_bound(sql, binds).await?;
        }
        Ok(())
    }
}

/// What a copy did: rows per table.
#[derive(Debug, Default)]
pub struct CopyReport {
    pub tables: Vec<(String, u64)>,
}

impl CopyReport {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

/// Replace all platform data of `to` with that of `from`, read in one consistent snapshot while `from` may be
/// written to. Both must be migrated to the same version. Nothing changes in `to` when it fails.
pub async fn copy(from: &Db, to: &Db) -> TransferResult<CopyReport> {
    let (fv, tv) = (
        migration_versions(from).await?,
        migration_versions(to).await?,
    );
    if fv != tv {
        return Err(TransferError::Schema(format!(
            "source and target are at different migrations (source: {:?}, target: {:?}); run both with the same werkstatt version",
            fv.last(),
            tv.last()
        )));
    }
    let source_tables = tables(from).await?;
    let target_tables = tables(to).await?;
    let target_by_name: HashMap<&str, &Table> =
        target_tables.iter().map(|t| (t.name.as_str(), t)).collect();
    for t in &source_tables {
        if !target_by_name.contains_key(t.name.as_str()) {
            return Err(TransferError::Schema(format!(
                "table {} is missing in the target",
                t.name
            )));
        }
    }
    let mut target = match to.pool() {
        Pool::Sqlite(p) => {
            let mut tx = p.begin_with("BEGIN IMMEDIATE").await?;
            sqlx::query("PRAGMA defer_foreign_keys = ON")
                .execute(&mut *tx)
                .await?;
            Target::Sqlite(tx)
        }
        Pool::Postgres(p) => Target::Postgres(p.begin().await?),
    };
    // Children first, so that no foreign key refuses a delete.
    for t in target_tables.iter().rev() {
        target
            .execute(format!("DELETE FROM {}", quote(&t.name)))
            .await?;
    }
    let mut report = CopyReport::default();
    match from.pool() {
        Pool::Sqlite(p) => {
            // A deferred read transaction: the snapshot is taken by the first read and kept to the end.
            let mut src = p.begin().await?;
            for t in &source_tables {
                let mut sink = Sink::new(t, target_by_name[t.name.as_str()]);
                let sql = select_sql(t);
                let mut rows = sqlx::query(AssertSqlSafe(sql)).fetch(&mut *src);
                while let Some(row) = rows.try_next().await? {
                    sink.push(&mut target, decode_sqlite(&row, t)?).await?;
                }
                drop(rows);
                sink.finish(&mut target).await?;
                report.tables.push((t.name.clone(), sink.copied));
            }
            src.rollback().await?;
        }
        Pool::Postgres(p) => {
            let mut src = p
                .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await?;
            for t in &source_tables {
                let mut sink = Sink::new(t, target_by_name[t.name.as_str()]);
                let sql = select_sql(t);
                let mut rows = sqlx::query(AssertSqlSafe(sql)).fetch(&mut *src);
                while let Some(row) = rows.try_next().await? {
                    sink.push(&mut target, decode_postgres(&row, t)?).await?;
                }
                drop(rows);
                sink.finish(&mut target).await?;
                report.tables.push((t.name.clone(), sink.copied));
            }
            src.rollback().await?;
        }
    }
    match target {
        Target::Sqlite(tx) => tx.commit().await?,
        Target::Postgres(mut tx) => {
            reset_sequences(&mut tx).await?;
            tx.commit().await?
        }
    }
    Ok(report)
}

/// Move every identity/serial sequence of the schema past the highest id in its column.
async fn reset_sequences(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
) -> TransferResult<()> {
    let cols: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')",
    )
    .fetch_all(&mut **tx)
    .await?;
    for (table, column) in cols {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX({c}) FROM {t}), 0) + 1, false)",
            c = quote(&column),
            t = quote(&table)
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(quote(&table))
            .bind(&column)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Every row of every platform table, read in one snapshot, values normalised across engines: for comparing a
/// copy with its source.
pub async fn snapshot(db: &Db) -> TransferResult<BTreeMap<String, Vec<Vec<Value>>>> {
    let mut out = BTreeMap::new();
    let ts = tables(db).await?;
    match db.pool() {
        Pool::Sqlite(p) => {
            let mut tx = p.begin().await?;
            for t in &ts {
                let rows = sqlx::query(AssertSqlSafe(select_sql(t)))
                    .fetch_all(&mut *tx)
                    .await?;
                let mut v: Vec<Vec<Value>> = vec![];
                for r in &rows {
                    v.push(
                        decode_sqlite(r, t)?
                            .into_iter()
                            .map(Value::normalized)
                            .collect(),
                    );
                }
                out.insert(t.name.clone(), v);
            }
            tx.rollback().await?;
        }
        Pool::Postgres(p) => {
            let mut tx = p
                .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await?;
            for t in &ts {
                let rows = sqlx::query(AssertSqlSafe(select_sql(t)))
                    .fetch_all(&mut *tx)
                    .await?;
                let mut v: Vec<Vec<Value>> = vec![];
                for r in &rows {
                    v.push(
                        decode_postgres(r, t)?
                            .into_iter()
                            .map(Value::normalized)
                            .collect(),
                    );
                }
                out.insert(t.name.clone(), v);
            }
            tx.rollback().await?;
        }
    }
    Ok(out)
}

/// Write a consistent copy of a SQLite database to `path` (which must not exist) while it stays in use.
pub async fn vacuum_into(db: &Db, path: &std::path::Path) -> TransferResult<()> {
    let Pool::Sqlite(p) = db.pool() else {
        return Err(TransferError::Schema(
            "VACUUM INTO works on SQLite only".into(),
        ));
    };
    sqlx::query("VACUUM INTO $1")
        .bind(path.to_string_lossy().into_owned())
        .execute(p)
        .await?;
    Ok(())
}
