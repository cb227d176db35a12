//! Votes of participation formats, written with group commit.
//!
//! A vote is acknowledged only after the transaction holding it has committed (SQLite `synchronous=FULL`,
//! PostgreSQL's default `synchronous_commit`). One fsync per vote would cap the rate near the disk's fsync rate,
//! so a single writer task per node collects the votes that arrive while the previous batch commits and
//! writes them in one transaction, each inside its own savepoint: a refused vote (over budget, unknown item)
//! is rolled back alone and the others still commit. The one-vote-per-person rule is the primary key of the
//! vote tables, the budget a CHECK constraint, so several nodes writing at once cannot break either.

use crate::{Db, DbKind, StoreError, StoreResult, now_secs};
use tokio::sync::{mpsc, oneshot};

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
                    sqlx::query("INSERT INTO participation_budgets (participant_id, max_points, used) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING")
                        .bind(*participant_id).bind(*budget).execute(&mut *$tx).await?;
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

/// Apply votes in one transaction, each in its own savepoint. Refusals are per vote; a database failure
/// fails the whole batch (nothing committed, every caller gets the error).
pub async fn apply_batch(db: &Db, ops: &[VoteOp]) -> StoreResult<Vec<Result<Counted, Refused>>> {
    let mut out = Vec::with_capacity(ops.len());
    crate::in_tx!(db, tx => {
        for op in ops {
            sqlx::query("SAVEPOINT vote").execute(&mut *tx).await?;
            match apply_one!(tx, op) {
                Ok(Ok(c)) => {
                    sqlx::query("RELEASE SAVEPOINT vote").execute(&mut *tx).await?;
                    out.push(Ok(c));
                }
                Ok(Err(refused)) => {
                    sqlx::query("ROLLBACK TO SAVEPOINT vote").execute(&mut *tx).await?;
                    sqlx::query("RELEASE SAVEPOINT vote").execute(&mut *tx).await?;
                    out.push(Err(refused));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    })?;
    Ok(out)
}

type Job = (
    VoteOp,
    oneshot::Sender<Result<Result<Counted, Refused>, String>>,
);

/// Most votes in one transaction.
pub const MAX_BATCH: usize = 1024;

/// The node's vote writer: send a vote, get the answer after its batch committed.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Job>,
}

impl Writer {
    /// Start the writer task on `db`.
    pub fn spawn(db: Db) -> Writer {
        let (tx, mut rx) = mpsc::channel::<Job>(16 * MAX_BATCH);
        tokio::spawn(async move {
            let mut jobs: Vec<Job> = Vec::with_capacity(MAX_BATCH);
            while let Some(first) = rx.recv().await {
                jobs.push(first);
                while jobs.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(j) => jobs.push(j),
                        Err(_) => break,
                    }
                }
                let ops: Vec<VoteOp> = jobs.iter().map(|(op, _)| op.clone()).collect();
                let t0 = std::time::Instant::now();
                let result = apply_batch(&db, &ops).await;
                tracing::info!(target: "votes_timing", batch = ops.len(), us = t0.elapsed().as_micros() as u64, "batch");
                match result {
                    Ok(results) => {
                        for ((_, reply), r) in jobs.drain(..).zip(results) {
                            let _ = reply.send(Ok(r));
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, batch = jobs.len(), "vote batch failed");
                        let msg = e.to_string();
                        for (_, reply) in jobs.drain(..) {
                            let _ = reply.send(Err(msg.clone()));
                        }
                    }
                }
            }
        });
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
