//! Votes of participation formats, written with group commit.
//!
//! A vote is acknowledged only after the transaction holding it has committed (SQLite `synchronous=FULL`,
//! PostgreSQL's default `synchronous_commit`). One fsync per vote would cap the rate near the disk's fsync rate,
//! so a single writer task per node collects the votes that arrive while the previous batch commits and
//! writes them in one transaction. Point votes are decided in memory in arrival order from one read of the
//! participants' budgets and rows, and written as net changes: on PostgreSQL in a few multi-row statements
//! (about ten per batch, whatever its size), on SQLite straight on the connection's handle from one-row
//! prepared statements (`direct`, ADR 0025); other votes, and a batch whose batched write fails, go one by
//! one through sqlx, each inside
//! its own savepoint: a refused vote (over budget, unknown item) is rolled back alone and the others still
//! commit. The one-vote-per-person rule is the primary key of the vote tables, the budget a CHECK constraint,
//! so several nodes writing at once cannot break either (`docs/BENCHMARKS.md`, "Durable votes").

use crate::{Db, DbKind, StoreError, StoreResult, now_secs};
use std::collections::{BTreeMap, HashMap};
use tokio::sync::{mpsc, oneshot};

// The macros of the batched path and of the votes as sent expand here, in the writer's transaction.
#[macro_use]
mod batched;
#[macro_use]
mod sent;
mod direct;
use batched::*;
use sent::*;

/// One change a participant asks for.
#[derive(Debug, Clone)]
pub enum VoteOp {
    /// Support an item (idea, measure) or withdraw the support.
    Support {
        participation_id: i64,
        participant_id: i64,
        item_kind: &'static str,
        item_id: i64,
        on: bool,
    },
    /// One point more (`delta = 1`) or less (`-1`) on an item, within `budget` points per person and
    /// `max_per_item` per item.
    Points {
        participation_id: i64,
        participant_id: i64,
        item_kind: &'static str,
        item_id: i64,
        delta: i64,
        budget: i64,
        max_per_item: i64,
    },
    /// A point vote as it arrived over the web, not yet checked: the format `participation_id` of the city
    /// `slug`, the participant who is the user `user_id` or holds the cookie token hashed as `token_hash`.
    /// The writer resolves it inside the batch's transaction, in one statement for all such votes of the
    /// batch, to [`VoteOp::Points`] when the format is a published point format open at `now`, the
    /// participant active and the item one of the format's (the checks of the request path); otherwise it
    /// answers [`UNRESOLVED`] and writes nothing, and the caller takes the path that reads and checks first.
    /// So an accepted vote costs the request no read of its own.
    PointsAsSent {
        slug: String,
        participation_id: i64,
        user_id: Option<i64>,
        token_hash: Option<String>,
        item_kind: &'static str,
        item_id: i64,
        delta: i64,
        now: i64,
    },
    /// Agree (1), disagree (-1) or pass (0) on an accepted statement; a later vote replaces the earlier.
    Opinion {
        participation_id: i64,
        participant_id: i64,
        statement_id: i64,
        value: i64,
    },
}

/// What a committed vote changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    /// The item's total points (support: supporters) after the vote; opinion votes: 0.
    pub total: i64,
    /// Points the participant has left (point voting only).
    pub remaining: Option<i64>,
}

/// A vote refused by a rule; nothing of it was written. The string is a message key.
pub type Refused = &'static str;

/// The answer to a [`VoteOp::PointsAsSent`] that is not an active participant's vote on an item of an open,
/// published point format of that city. Not shown to anyone: the caller then reads and checks the vote itself
/// and answers with the precise reason.
pub const UNRESOLVED: Refused = "err-vote-unresolved";

fn classify(e: sqlx::Error, check: Refused) -> Result<Refused, StoreError> {
    if let sqlx::Error::Database(d) = &e {
        match d.kind() {
            sqlx::error::ErrorKind::CheckViolation => return Ok(check),
            sqlx::error::ErrorKind::ForeignKeyViolation => return Ok("err-vote-unknown"),
            _ => {}
        }
    }
    Err(StoreError::Database(e))
}

macro_rules! apply_one {
    ($tx:ident, $op:expr) => {{
        let op: &VoteOp = $op;
        let r: Result<Result<Counted, Refused>, StoreError> = async {
            match op {
                VoteOp::Support { participation_id, participant_id, item_kind, item_id, on } => {
                    let changed = if *on {
                        sqlx::query(
                            "INSERT INTO participation_votes (participation_id, participant_id, item_kind, item_id, points, max_per_item, created_at) \
                             VALUES ($1, $2, $3, $4, 1, 1, $5) ON CONFLICT DO NOTHING",
                        )
                        .bind(*participation_id).bind(*participant_id).bind(*item_kind).bind(*item_id).bind(now_secs())
                        .execute(&mut *$tx).await.map(|r| r.rows_affected())
                    } else {
                        sqlx::query("DELETE FROM participation_votes WHERE participant_id = $1 AND item_kind = $2 AND item_id = $3")
                            .bind(*participant_id).bind(*item_kind).bind(*item_id)
                            .execute(&mut *$tx).await.map(|r| r.rows_affected())
                    };
                    let changed = match changed {
                        Ok(n) => n as i64,
                        Err(e) => return classify(e, "err-vote-refused").map(Err),
                    };
                    let d = if *on { changed } else { -changed };
                    let total: i64 = sqlx::query_scalar(
                        "INSERT INTO participation_tallies (participation_id, item_kind, item_id, points, voters) VALUES ($1, $2, $3, $4, $4) \
                         ON CONFLICT (participation_id, item_kind, item_id) DO UPDATE SET points = participation_tallies.points + $4, \
                         voters = participation_tallies.voters + $4 RETURNING points",
                    )
                    .bind(*participation_id).bind(*item_kind).bind(*item_id).bind(d)
                    .fetch_one(&mut *$tx).await?;
                    Ok(Ok(Counted { total, remaining: None }))
                }
                VoteOp::Points { participation_id, participant_id, item_kind, item_id, delta, budget, max_per_item } => {
                    if let Err(e) = sqlx::query("INSERT INTO participation_budgets (participant_id, max_points, used) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING")
                        .bind(*participant_id).bind(*budget).execute(&mut *$tx).await {
                        // An unknown participant (foreign key) is refused alone, not the whole batch.
                        return classify(e, "err-vote-refused").map(Err);
                    }
                    let voter_delta: i64;
                    if *delta > 0 {
                        if let Err(e) = sqlx::query("UPDATE participation_budgets SET used = used + 1 WHERE participant_id = $1")
                            .bind(*participant_id).execute(&mut *$tx).await {
                            return classify(e, "err-vote-no-points-left").map(Err);
                        }
                        let points: i64 = match sqlx::query_scalar(
                            "INSERT INTO participation_votes (participation_id, participant_id, item_kind, item_id, points, max_per_item, created_at) \
                             VALUES ($1, $2, $3, $4, 1, $5, $6) ON CONFLICT (participant_id, item_kind, item_id) \
                             DO UPDATE SET points = participation_votes.points + 1 RETURNING points",
                        )
                        .bind(*participation_id).bind(*participant_id).bind(*item_kind).bind(*item_id).bind(*max_per_item).bind(now_secs())
                        .fetch_one(&mut *$tx).await {
                            Ok(p) => p,
                            Err(e) => return classify(e, "err-vote-item-limit").map(Err),
                        };
                        voter_delta = if points == 1 { 1 } else { 0 };
                    } else {
                        let left: Option<i64> = sqlx::query_scalar(
                            "UPDATE participation_votes SET points = points - 1 WHERE participant_id = $1 AND item_kind = $2 AND item_id = $3 AND points > 1 RETURNING points",
                        )
                        .bind(*participant_id).bind(*item_kind).bind(*item_id).fetch_optional(&mut *$tx).await?;
                        if left.is_none() {
                            let n = sqlx::query("DELETE FROM participation_votes WHERE participant_id = $1 AND item_kind = $2 AND item_id = $3")
                                .bind(*participant_id).bind(*item_kind).bind(*item_id).execute(&mut *$tx).await?.rows_affected();
                            if n == 0 {
                                return Ok(Err("err-vote-nothing-to-take-back"));
                            }
                            voter_delta = -1;
                        } else {
                            voter_delta = 0;
                        }
                        sqlx::query("UPDATE participation_budgets SET used = used - 1 WHERE participant_id = $1")
                            .bind(*participant_id).execute(&mut *$tx).await?;
                    }
                    let d = if *delta > 0 { 1 } else { -1 };
                    let total: i64 = sqlx::query_scalar(
                        "INSERT INTO participation_tallies (participation_id, item_kind, item_id, points, voters) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (participation_id, item_kind, item_id) DO UPDATE SET points = participation_tallies.points + $4, \
                         voters = participation_tallies.voters + $5 RETURNING points",
                    )
                    .bind(*participation_id).bind(*item_kind).bind(*item_id).bind(d).bind(voter_delta)
                    .fetch_one(&mut *$tx).await?;
                    let used: i64 = sqlx::query_scalar("SELECT used FROM participation_budgets WHERE participant_id = $1")
                        .bind(*participant_id).fetch_one(&mut *$tx).await?;
                    Ok(Ok(Counted { total, remaining: Some(budget - used) }))
                }
                // Resolved before; one still here did not resolve.
                VoteOp::PointsAsSent { .. } => Ok(Err(UNRESOLVED)),
                VoteOp::Opinion { participation_id, participant_id, statement_id, value } => {
                    let n = match sqlx::query(
                        "INSERT INTO opinion_votes (participation_id, participant_id, statement_id, value, created_at) \
                         SELECT $1, $2, id, $4, $5 FROM opinion_statements WHERE id = $3 AND participation_id = $1 AND state = 'angenommen' \
                         ON CONFLICT (participant_id, statement_id) DO UPDATE SET value = excluded.value, created_at = excluded.created_at",
                    )
                    .bind(*participation_id).bind(*participant_id).bind(*statement_id).bind(*value).bind(now_secs())
                    .execute(&mut *$tx).await {
                        Ok(r) => r.rows_affected(),
                        Err(e) => return classify(e, "err-vote-refused").map(Err),
                    };
                    if n == 0 {
                        return Ok(Err("err-vote-unknown"));
                    }
                    Ok(Ok(Counted { total: 0, remaining: None }))
                }
            }
        }
        .await;
        r
    }};
}

/// The votes `$which` of `$ops` one by one, each in its own savepoint: a refused vote is rolled back alone.
/// Evaluates to `Ok(())` with `$out` filled, or the database error that fails the batch.
macro_rules! apply_each {
    ($tx:ident, $ops:expr, $which:expr, $out:expr) => {{
        let r: Result<(), StoreError> = async {
            for &i in $which {
                let op = &$ops[i];
                sqlx::query("SAVEPOINT vote").execute(&mut *$tx).await?;
                match apply_one!($tx, op) {
                    Ok(Ok(c)) => {
                        sqlx::query("RELEASE SAVEPOINT vote")
                            .execute(&mut *$tx)
                            .await?;
                        $out[i] = Some(Ok(c));
                    }
                    Ok(Err(refused)) => {
                        sqlx::query("ROLLBACK TO SAVEPOINT vote")
                            .execute(&mut *$tx)
                            .await?;
                        sqlx::query("RELEASE SAVEPOINT vote")
                            .execute(&mut *$tx)
                            .await?;
                        $out[i] = Some(Err(refused));
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(())
        }
        .await;
        r
    }};
}

/// A connection the writer keeps while votes keep coming (no pool queue between two batches).
enum Conn {
    Sqlite(direct::SqliteConn),
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
}

impl Conn {
    async fn acquire(db: &Db) -> StoreResult<Conn> {
        Ok(match db.counted() {
            crate::Pool::Sqlite(p) => Conn::Sqlite(direct::SqliteConn::new(p.acquire().await?)),
            crate::Pool::Postgres(p) => Conn::Postgres(p.acquire().await?),
        })
    }

    /// Give the connection back to the pool (on SQLite after finalizing the direct path's statements).
    async fn release(self) {
        match self {
            Conn::Sqlite(c) => c.release().await,
            Conn::Postgres(c) => drop(c),
        }
    }
}

/// One attempt at a batch in one transaction `$tx` (begun): point votes batched when `$batched`, the others
/// (all, when not) one by one. `Ok(None)`: the batched path failed and the transaction was rolled back.
macro_rules! attempt {
    ($tx:ident, $ops:expr, $batched:expr) => {{
        let sent: &[VoteOp] = $ops;
        let r: StoreResult<Option<Vec<Result<Counted, Refused>>>> = async {
            let resolved;
            let ops: &[VoteOp] = if sent.iter().any(|op| matches!(op, VoteOp::PointsAsSent { .. })) {
                resolved = resolve_sent!($tx, sent)?;
                &resolved
            } else {
                sent
            };
            let mut out: Vec<Option<Result<Counted, Refused>>> = ops
                .iter()
                .map(|op| matches!(op, VoteOp::PointsAsSent { .. }).then_some(Err(UNRESOLVED)))
                .collect();
            let points: Vec<(usize, PointOp)> = if $batched {
                ops.iter().enumerate().filter_map(|(i, op)| PointOp::of(op).map(|p| (i, p))).collect()
            } else {
                vec![]
            };
            if !points.is_empty() {
                let batch: Vec<PointOp> = points.iter().map(|(_, p)| *p).collect();
                match apply_points!($tx, &batch) {
                    Ok(answers) => {
                        for ((i, _), a) in points.iter().zip(answers) {
                            out[*i] = Some(a);
                        }
                    }
                    Err(e) => {
                        tracing::debug!(error = %e, votes = batch.len(), "batched point votes: once more one by one");
                        $tx.rollback().await?;
                        return Ok(None);
                    }
                }
            }
            let rest: Vec<usize> = (0..ops.len()).filter(|i| out[*i].is_none()).collect();
            apply_each!($tx, ops, &rest, out)?;
            $tx.commit().await?;
            Ok(Some(out.into_iter().map(|o| o.expect("every vote answered")).collect()))
        }
        .await;
        r
    }};
}

async fn apply_on(conn: &mut Conn, ops: &[VoteOp]) -> StoreResult<Vec<Result<Counted, Refused>>> {
    use sqlx::Connection as _;
    let mut passes: &[bool] = &[true, false];
    // SQLite, point votes only: the batched path straight on the handle, on this thread (`direct`).
    if let Conn::Sqlite(c) = conn
        && direct::fits(ops)
    {
        if let Some(answers) = c.attempt(ops).await? {
            return Ok(answers);
        }
        passes = &[false];
    }
    for &batched in passes {
        let done = match conn {
            Conn::Sqlite(c) => {
                let mut tx = c.sqlx().begin_with("BEGIN IMMEDIATE").await?;
                attempt!(tx, ops, batched)
            }
            Conn::Postgres(c) => {
                let mut tx = c.begin().await?;
                attempt!(tx, ops, batched)
            }
        };
        if let Some(answers) = done? {
            return Ok(answers);
        }
    }
    unreachable!("the one-by-one attempt answers or fails")
}

/// Apply votes in one transaction. Point votes take the batched path (a few statements for the whole batch:
/// read the participants' budgets and rows, decide every vote in order in memory by the rules the constraints
/// enforce, write the net changes); should that fail (a constraint, because another node changed the same
/// rows meanwhile, or an unknown participant), the transaction is rolled back and the whole batch is applied
/// once more one vote at a time, each in its own savepoint: a refused vote is rolled back alone and the
/// others still commit. Other votes always take that path. A database failure fails the whole batch (nothing
/// committed, every caller gets the error).
pub async fn apply_batch(db: &Db, ops: &[VoteOp]) -> StoreResult<Vec<Result<Counted, Refused>>> {
    let mut conn = Conn::acquire(db).await?;
    let answers = apply_on(&mut conn, ops).await;
    conn.release().await;
    answers
}

/// The per-vote path alone (each vote in its own savepoint), for comparison with the batched one.
pub async fn apply_one_by_one(
    db: &Db,
    ops: &[VoteOp],
) -> StoreResult<Vec<Result<Counted, Refused>>> {
    let mut out: Vec<Option<Result<Counted, Refused>>> = vec![None; ops.len()];
    let all: Vec<usize> = (0..ops.len()).collect();
    crate::in_tx!(db, tx => apply_each!(tx, ops, &all, out))?;
    Ok(out
        .into_iter()
        .map(|o| o.expect("every vote answered"))
        .collect())
}

type Job = (
    VoteOp,
    oneshot::Sender<Result<Result<Counted, Refused>, String>>,
);

/// Most votes in one transaction.
pub const MAX_BATCH: usize = 1024;

/// How long the writer keeps its connection after the last batch, waiting for more votes.
const KEEP_CONNECTION: std::time::Duration = std::time::Duration::from_millis(200);

/// Give the writer's connection, if it holds one, back to the pool.
async fn give_back(conn: &mut Option<Conn>) {
    if let Some(c) = conn.take() {
        c.release().await;
    }
}

/// The writer's loop: take the votes that are waiting (up to [`MAX_BATCH`]), apply them in one transaction,
/// answer each; until every [`Writer`] is gone.
async fn write(db: Db, mut rx: mpsc::Receiver<Job>) {
    let mut jobs: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    let mut conn: Option<Conn> = None;
    loop {
        // Keep the connection while votes keep coming; give it back to the pool when idle.
        let first = if conn.is_some() {
            match tokio::time::timeout(KEEP_CONNECTION, rx.recv()).await {
                Ok(j) => j,
                Err(_) => {
                    give_back(&mut conn).await;
                    rx.recv().await
                }
            }
        } else {
            rx.recv().await
        };
        let Some(first) = first else {
            give_back(&mut conn).await;
            break;
        };
        jobs.push(first);
        // On the server's runtime (PostgreSQL) let the request tasks that are ready to vote (often all those
        // just answered) queue up first, so that a lone early vote does not take a commit of its own. On the
        // writer's own thread (SQLite) there is nobody to yield to: the batch is what queued meanwhile.
        tokio::task::yield_now().await;
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let ops: Vec<VoteOp> = jobs.iter().map(|(op, _)| op.clone()).collect();
        let started = std::time::Instant::now();
        let result = match &mut conn {
            Some(c) => apply_on(c, &ops).await,
            None => match Conn::acquire(&db).await {
                Ok(c) => apply_on(conn.insert(c), &ops).await,
                Err(e) => Err(e),
            },
        };
        tracing::debug!(
            votes = ops.len(),
            us = started.elapsed().as_micros() as u64,
            "vote batch"
        );
        match result {
            Ok(results) => {
                for ((_, reply), r) in jobs.drain(..).zip(results) {
                    let _ = reply.send(Ok(r));
                }
            }
            Err(e) => {
                // The connection may be broken: take a fresh one for the next batch.
                give_back(&mut conn).await;
                tracing::warn!(error = %e, batch = jobs.len(), "vote batch failed");
                let msg = e.to_string();
                for (_, reply) in jobs.drain(..) {
                    let _ = reply.send(Err(msg.clone()));
                }
            }
        }
    }
}

/// The node's vote writer: send a vote, get the answer after its batch committed.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Job>,
}

impl Writer {
    /// Start the writer on `db`. On SQLite it runs on a thread of its own (`werkstatt-votes`, with a
    /// single-threaded runtime). Through sqlx a batch was about nine statements, each a hand-off to the
    /// connection's thread and back, and as a task among hundreds of request tasks the writer waited behind
    /// them after each one (ADR 0024); a batch of point votes now runs on this thread straight on the
    /// connection's handle (`direct`, ADR 0025), and only the other batches still hand statements over. A
    /// SQLite connection has no socket (sqlx talks to its thread over channels), so nothing of it is tied to
    /// the server's runtime. On PostgreSQL a connection's socket belongs to the runtime that opened it, and
    /// the writer stays a task there.
    pub fn spawn(db: Db) -> Writer {
        let (tx, rx) = mpsc::channel::<Job>(16 * MAX_BATCH);
        if single_writer(&db) {
            let thread = std::thread::Builder::new()
                .name("werkstatt-votes".into())
                .spawn(move || {
                    match tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    {
                        Ok(rt) => rt.block_on(write(db, rx)),
                        // Without the writer every vote is answered "vote writer stopped" by `submit`.
                        Err(e) => tracing::error!(error = %e, "vote writer: no runtime"),
                    }
                });
            if let Err(e) = thread {
                tracing::error!(error = %e, "vote writer: no thread");
            }
        } else {
            tokio::spawn(write(db, rx));
        }
        Writer { tx }
    }

    /// Submit one vote and wait until it is durably committed (or refused).
    pub async fn submit(&self, op: VoteOp) -> Result<Result<Counted, Refused>, String> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send((op, reply))
            .await
            .map_err(|_| "vote writer stopped".to_string())?;
        answer
            .await
            .map_err(|_| "vote writer dropped the vote".to_string())?
    }
}

/// Whether the engine needs the single writer (SQLite allows one writer at a time anyway).
pub fn single_writer(db: &Db) -> bool {
    db.kind() == DbKind::Sqlite
}

/// Totals of a format: `(item_kind, item_id, points, voters)`, most points first.
pub async fn tallies(db: &Db, participation_id: i64) -> StoreResult<Vec<(String, i64, i64, i64)>> {
    let rows = crate::on_db!(db, pool => {
        sqlx::query_as::<_, (String, i64, i64, i64)>(
            "SELECT item_kind, item_id, points, voters FROM participation_tallies WHERE participation_id = $1 \
             ORDER BY points DESC, item_id",
        )
        .bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// `(item_kind, item_id, points)` a participant gave.
pub async fn mine(db: &Db, participant_id: i64) -> StoreResult<Vec<(String, i64, i64)>> {
    let rows = crate::on_db!(db, pool => {
        sqlx::query_as::<_, (String, i64, i64)>(
            "SELECT item_kind, item_id, points FROM participation_votes WHERE participant_id = $1 ORDER BY item_kind, item_id",
        )
        .bind(participant_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// `(statement_id, value)` a participant gave on an opinion map.
pub async fn my_opinions(db: &Db, participant_id: i64) -> StoreResult<Vec<(i64, i64)>> {
    let rows = crate::on_db!(db, pool => {
        sqlx::query_as::<_, (i64, i64)>("SELECT statement_id, value FROM opinion_votes WHERE participant_id = $1 ORDER BY statement_id")
            .bind(participant_id).fetch_all(pool).await?
    });
    Ok(rows)
}
