//! SQLite: the batched path for a batch of point votes, run on the writer's own thread straight on the
//! connection's handle (ADR 0025), from statements that stay prepared while the writer keeps the connection
//! (ADR 0026).
//!
//! Through sqlx every statement is a hand-off to the connection's worker thread, and every row it returns
//! comes back over a channel, one wake-up each: under load that was about two thread switches per vote on
//! each side, and the worker and the writer together took two fifths of the server's CPU. Here the writer
//! locks the handle out of sqlx once per batch (`SqliteConnection::lock_handle`) and runs the same statements
//! (`batched::*_sql`, `sent::sent_sql`) and the same decisions (`plan`, `answers`, `resolve`) through
//! `rusqlite` on its own thread. Batches with other votes, and a batch whose batched write fails, take the
//! per-vote path through sqlx as before.
//!
//! The `rusqlite::Connection` on the handle, with its cache of prepared statements, lives as long as the
//! writer keeps sqlx's connection ([`SqliteConn`]): preparing the batch's eleven statements anew for every
//! batch was a third of the writer's time, since under load the batches are small.

use super::batched::{
    Current, ItemKey, PointOp, ReadRow, STALE, anonymous_placeholders, answers, budgets_sql,
    deletes_sql, inserts_sql, item_kind, new_budgets_sql, plan, read_sql, tallies_sql, updates_sql,
};
use super::sent::{SentRow, resolve, sent_sql};
use super::{Counted, Refused, VoteOp};
use crate::{StoreError, StoreResult, now_secs};
use rusqlite::types::Value;
use rusqlite::{CachedStatement, Connection, ErrorCode, params_from_iter};
use sqlx::pool::PoolConnection;
use std::collections::HashMap;

/// Whether a batch can take this path: point votes only (the others need the per-vote path's savepoints).
pub(super) fn fits(ops: &[VoteOp]) -> bool {
    ops.iter()
        .all(|op| matches!(op, VoteOp::Points { .. } | VoteOp::PointsAsSent { .. }))
}

/// A rusqlite error as the store's: what makes the database unavailable (read-only, I/O error, disk full,
/// cannot open) stays a 503 for the visitor, as through sqlx (`StoreError::is_unavailable`).
fn store_error(e: rusqlite::Error) -> StoreError {
    let unavailable = matches!(
        e.sqlite_error_code(),
        Some(
            ErrorCode::ReadOnly
                | ErrorCode::SystemIoFailure
                | ErrorCode::DiskFull
                | ErrorCode::CannotOpen
        )
    );
    if unavailable {
        StoreError::Database(sqlx::Error::Io(std::io::Error::other(e.to_string())))
    } else {
        StoreError::Sqlite(e.to_string())
    }
}

fn int(v: i64) -> Value {
    Value::Integer(v)
}

fn text(v: &str) -> Value {
    Value::Text(v.to_string())
}

/// The statements of the batched path for one row each (`?` placeholders). Run once per vote, participant,
/// vote row or item, their texts never change, so each is parsed once per connection and kept prepared. (The
/// sqlx path sends multi-row statements, one hand-off to the connection's thread each, whose texts depend on
/// the batch's size and are parsed for every batch; here a statement costs no hand-off.)
struct Sql {
    sent: String,
    read: String,
    new_budget: String,
    budget: String,
    delete: String,
    update: String,
    insert: String,
    tally: String,
}

impl Sql {
    /// Built once per process.
    fn get() -> &'static Sql {
        static SQL: std::sync::OnceLock<Sql> = std::sync::OnceLock::new();
        SQL.get_or_init(Sql::new)
    }

    fn new() -> Sql {
        let one = |sql: String| anonymous_placeholders(&sql);
        Sql {
            sent: one(sent_sql(1)),
            read: one(read_sql(1)),
            new_budget: one(new_budgets_sql(1)),
            budget: one(budgets_sql(1)),
            delete: one(deletes_sql(1)),
            update: one(updates_sql(1)),
            insert: one(inserts_sql(1)),
            tally: one(tallies_sql(1)),
        }
    }
}

/// Run a prepared statement with `binds`, mapping each row.
fn query<T>(
    stmt: &mut CachedStatement<'_>,
    binds: impl IntoIterator<Item = Value>,
    map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    stmt.query_map(params_from_iter(binds), map)?.collect()
}

/// The batch's votes as sent, checked and resolved as by `resolve_sent!`.
fn resolve_sent(conn: &Connection, sql: &Sql, ops: &[VoteOp]) -> rusqlite::Result<Vec<VoteOp>> {
    let mut out = ops.to_vec();
    let mut stmt = conn.prepare_cached(&sql.sent)?;
    for (i, op) in ops.iter().enumerate() {
        let VoteOp::PointsAsSent {
            slug,
            participation_id,
            user_id,
            token_hash,
            item_kind,
            item_id,
            ..
        } = op
        else {
            continue;
        };
        let binds = [
            int(i as i64),
            text(slug),
            int(*participation_id),
            user_id.map_or(Value::Null, int),
            token_hash.as_deref().map_or(Value::Null, text),
            text(item_kind),
            int(*item_id),
        ];
        let rows = query(&mut stmt, binds, |r| SentRow::try_from(r))?;
        if let Some(checked) = rows.first().and_then(|row| resolve(op, row)) {
            out[i] = checked;
        }
    }
    Ok(out)
}

/// Read, decide, write, as `apply_points!`: the answers, or the error after which the batch is rolled back.
fn apply_points(
    conn: &Connection,
    sql: &Sql,
    ops: &[PointOp],
) -> StoreResult<Vec<Result<Counted, Refused>>> {
    let e = store_error;
    let prepare = |sql: &str| conn.prepare_cached(sql).map_err(e);
    let mut cur = Current::default();
    let mut pids: Vec<i64> = ops.iter().map(|o| o.participant_id).collect();
    pids.sort_unstable();
    pids.dedup();
    let mut read = prepare(&sql.read)?;
    for p in &pids {
        let rows = query(&mut read, [int(*p), int(*p)], |r| ReadRow::try_from(r)).map_err(e)?;
        for row in rows {
            cur.add(row);
        }
    }
    let plan = plan(ops, &cur);
    let mut used: HashMap<i64, i64> = cur.budgets.iter().map(|(p, (_, u))| (*p, *u)).collect();
    let mut new_budget = prepare(&sql.new_budget)?;
    let mut budget = prepare(&sql.budget)?;
    for &(p, max, d) in &plan.budgets {
        if cur.budgets.contains_key(&p) {
            let rows =
                query(&mut budget, [int(d), int(p)], |r| <(i64, i64)>::try_from(r)).map_err(e)?;
            if rows.len() != 1 {
                return Err(StoreError::Conflict(STALE.into()));
            }
            used.extend(rows);
        } else {
            new_budget
                .execute(params_from_iter([int(p), int(max), int(d)]))
                .map_err(e)?;
            used.insert(p, d);
        }
    }
    // Each change names the points it expects, so a row changed meanwhile is noticed.
    let named = |p: &i64, k: &str, i: &i64, before: &i64| [int(*p), text(k), int(*i), int(*before)];
    let mut delete = prepare(&sql.delete)?;
    for (p, k, i, before) in &plan.deletes {
        if delete
            .execute(params_from_iter(named(p, k, i, before)))
            .map_err(e)?
            != 1
        {
            return Err(StoreError::Conflict(STALE.into()));
        }
    }
    let mut update = prepare(&sql.update)?;
    for (d, rows) in &plan.updates {
        for (p, k, i, before) in rows {
            let binds = std::iter::once(int(*d)).chain(named(p, k, i, before));
            if update.execute(params_from_iter(binds)).map_err(e)? != 1 {
                return Err(StoreError::Conflict(STALE.into()));
            }
        }
    }
    let now = now_secs();
    let mut insert = prepare(&sql.insert)?;
    for (pn, p, k, i, points, max) in &plan.inserts {
        let binds = [
            int(*pn),
            int(*p),
            text(k),
            int(*i),
            int(*points),
            int(*max),
            int(now),
        ];
        insert.execute(params_from_iter(binds)).map_err(e)?;
    }
    let mut totals: HashMap<ItemKey, i64> = HashMap::new();
    let mut tally = prepare(&sql.tally)?;
    for (pn, k, i, d, v) in &plan.tallies {
        let rows = query(
            &mut tally,
            [int(*pn), text(k), int(*i), int(*d), int(*v)],
            |r| <(i64, String, i64, i64)>::try_from(r),
        )
        .map_err(e)?;
        for (pn, k, i, points) in rows {
            if let Some(k) = item_kind(&k) {
                totals.insert((pn, k, i), points);
            }
        }
    }
    Ok(answers(&plan, totals, used))
}

/// The writer's SQLite connection: sqlx's, and a `rusqlite::Connection` on its handle whose prepared
/// statements (the batch's statements, `BEGIN IMMEDIATE`, `COMMIT`, `ROLLBACK`) stay prepared between batches.
/// The handle is used only while it is locked out of sqlx's worker thread, one lock per batch. Before sqlx
/// gets the connection back (to its pool, or to close it: closing a handle with statements left panics
/// sqlx's worker), [`SqliteConn::release`] finalizes the statements under the lock.
pub(super) struct SqliteConn {
    sqlx: Option<PoolConnection<sqlx::Sqlite>>,
    direct: Option<Connection>,
}

impl SqliteConn {
    pub(super) fn new(sqlx: PoolConnection<sqlx::Sqlite>) -> SqliteConn {
        SqliteConn {
            sqlx: Some(sqlx),
            direct: None,
        }
    }

    /// sqlx's connection, for the per-vote path (the prepared statements of the direct path are reset
    /// between batches, so they hold no lock and no transaction).
    pub(super) fn sqlx(&mut self) -> &mut PoolConnection<sqlx::Sqlite> {
        self.sqlx.as_mut().expect("present until released")
    }

    /// The batch in one transaction on the handle (see [`attempt`]).
    pub(super) async fn attempt(
        &mut self,
        ops: &[VoteOp],
    ) -> StoreResult<Option<Vec<Result<Counted, Refused>>>> {
        let sqlx = self.sqlx.as_mut().expect("present until released");
        let mut handle = sqlx.lock_handle().await?;
        let db = handle.as_raw_handle().as_ptr();
        let direct = match &mut self.direct {
            Some(direct) => direct,
            // SAFETY: the handle is open and locked out of sqlx's worker until `handle` drops; this
            // connection does not own it (it never closes it), and it is only used while locked (here, and
            // in `release`, which finalizes its statements before sqlx can close the handle).
            None => self
                .direct
                .insert(unsafe { Connection::from_handle(db) }.map_err(store_error)?),
        };
        let done = attempt(direct, ops);
        drop(handle);
        done
    }

    /// Give sqlx's connection back: its statements finalized under the lock first.
    pub(super) async fn release(mut self) {
        if let (Some(sqlx), Some(direct)) = (self.sqlx.as_mut(), self.direct.take()) {
            match sqlx.lock_handle().await {
                Ok(handle) => {
                    // Not owned: dropping it finalizes its statements and leaves the handle open.
                    drop(direct);
                    drop(handle);
                }
                // sqlx's worker is gone: nobody can finalize or close anything any more.
                Err(e) => {
                    tracing::warn!(error = %e, "vote writer: connection lost");
                    std::mem::forget(direct);
                }
            }
        }
    }
}

impl Drop for SqliteConn {
    fn drop(&mut self) {
        // Dropped without `release` (a panic): finalizing the statements now would use the handle without the
        // lock, and sqlx closing the handle with them left would panic its worker. Keep both out of use.
        if let Some(direct) = self.direct.take() {
            tracing::error!("vote writer: connection dropped unreleased; it stays open");
            std::mem::forget(direct);
            if let Some(sqlx) = self.sqlx.take() {
                std::mem::forget(sqlx.detach());
            }
        }
    }
}

/// Run one of the fixed statements (`BEGIN IMMEDIATE`, `COMMIT`, `ROLLBACK`), kept prepared.
fn run(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([]).map(|_| ())
}

/// The batch in one transaction (`BEGIN IMMEDIATE`), as `attempt!` with the batched path: `Ok(Some)` with
/// every vote's answer once committed; `Ok(None)` when the batched write failed and was rolled back (the
/// caller applies the batch once more one vote at a time); `Err` when the database failed (nothing
/// committed). `conn` is used only while its handle is locked out of sqlx ([`SqliteConn::attempt`]).
fn attempt(
    conn: &Connection,
    ops: &[VoteOp],
) -> StoreResult<Option<Vec<Result<Counted, Refused>>>> {
    let sql = Sql::get();
    run(conn, "BEGIN IMMEDIATE").map_err(store_error)?;
    let rollback = |conn: &Connection| {
        // After a failed COMMIT SQLite may have rolled back already; then there is nothing to roll back.
        let _ = run(conn, "ROLLBACK");
    };
    let ops = match resolve_sent(conn, sql, ops) {
        Ok(resolved) => resolved,
        Err(err) => {
            rollback(conn);
            return Err(store_error(err));
        }
    };
    let mut out: Vec<Result<Counted, Refused>> =
        ops.iter().map(|_| Err(super::UNRESOLVED)).collect();
    let points: Vec<(usize, PointOp)> = ops
        .iter()
        .enumerate()
        .filter_map(|(i, op)| PointOp::of(op).map(|p| (i, p)))
        .collect();
    if !points.is_empty() {
        let batch: Vec<PointOp> = points.iter().map(|(_, p)| *p).collect();
        match apply_points(conn, sql, &batch) {
            Ok(answers) => {
                for ((i, _), a) in points.iter().zip(answers) {
                    out[*i] = a;
                }
            }
            Err(err) => {
                tracing::debug!(error = %err, votes = batch.len(), "batched point votes: once more one by one");
                rollback(conn);
                return Ok(None);
            }
        }
    }
    if let Err(err) = run(conn, "COMMIT") {
        rollback(conn);
        return Err(store_error(err));
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::ffi;

    fn failure(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(ffi::Error::new(code), None)
    }

    #[test]
    fn a_full_or_read_only_database_stays_unavailable() {
        for code in [
            ffi::SQLITE_FULL,
            ffi::SQLITE_READONLY,
            ffi::SQLITE_IOERR_WRITE,
            ffi::SQLITE_CANTOPEN,
        ] {
            assert!(store_error(failure(code)).is_unavailable(), "{code}");
        }
        let constraint = store_error(failure(ffi::SQLITE_CONSTRAINT_CHECK));
        assert!(!constraint.is_unavailable());
        assert!(matches!(constraint, StoreError::Sqlite(_)));
    }

    #[test]
    fn only_point_votes_take_the_direct_path() {
        let points = VoteOp::Points {
            participation_id: 1,
            participant_id: 2,
            item_kind: "massnahme",
            item_id: 3,
            delta: 1,
            budget: 5,
            max_per_item: 5,
        };
        let opinion = VoteOp::Opinion {
            participation_id: 1,
            participant_id: 2,
            statement_id: 3,
            value: 1,
        };
        assert!(fits(std::slice::from_ref(&points)));
        assert!(!fits(&[points, opinion]));
    }
}
