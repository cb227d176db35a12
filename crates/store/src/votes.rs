//! Votes of participation formats, written with group commit.
//!
//! A vote is acknowledged only after the transaction holding it has committed (SQLite `synchronous=FULL`,
//! PostgreSQL's default `synchronous_commit`). One fsync per vote would cap the rate near the disk's fsync rate,
//! so a single writer task per node collects the votes that arrive while the previous batch commits and
//! writes them in one transaction. Point votes are decided in memory in arrival order from one read of the
//! participants' budgets and rows, and written as net changes in a few multi-row statements (about ten per
//! batch, whatever its size); other votes, and a batch whose batched write fails, go one by one, each inside
//! its own savepoint: a refused vote (over budget, unknown item) is rolled back alone and the others still
//! commit. The one-vote-per-person rule is the primary key of the vote tables, the budget a CHECK constraint,
//! so several nodes writing at once cannot break either (`docs/BENCHMARKS.md`, "Durable votes").

use crate::{Db, DbKind, StoreError, StoreResult, now_secs};
use std::collections::{BTreeMap, HashMap};
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

/// What the writer reads to resolve one [`VoteOp::PointsAsSent`]: its index in the batch, the format's kind,
/// published flag, opening and closing time, points per person and cumulative flag, the participant's id,
/// kind, confirmation and anonymisation time (`None` when nobody matches), and whether the item is one of
/// the format's.
type SentRow = (
    i64,
    String,
    bool,
    i64,
    i64,
    i64,
    bool,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    bool,
);

/// The checked vote of a vote as sent, by the request path's rules; `None`: unresolved.
fn resolve(op: &VoteOp, row: &SentRow) -> Option<VoteOp> {
    let VoteOp::PointsAsSent {
        participation_id,
        item_kind,
        item_id,
        delta,
        now,
        ..
    } = op
    else {
        return None;
    };
    let (
        _,
        kind,
        published,
        opens_at,
        closes_at,
        points,
        cumulative,
        pa_id,
        pa_kind,
        confirmed,
        anonymised,
        has_item,
    ) = row;
    let open = domain::participation::phase(*now, *opens_at, *closes_at)
        == domain::participation::Phase::Open;
    let participant = pa_id.filter(|_| {
        anonymised.is_none() && (pa_kind.as_deref() != Some("email") || confirmed.is_some())
    })?;
    (kind == "punkte" && *published && open && *has_item && matches!(*delta, 1 | -1)).then(|| {
        VoteOp::Points {
            participation_id: *participation_id,
            participant_id: participant,
            item_kind,
            item_id: *item_id,
            delta: *delta,
            budget: *points,
            max_per_item: domain::participation::max_points_per_item(*points, *cumulative),
        }
    })
}

/// Resolve the batch's [`VoteOp::PointsAsSent`] in one statement (per 1,024) on `$tx`: evaluates to the
/// batch with each resolved vote as [`VoteOp::Points`] and the unresolved ones left as they were. The
/// participant is the account's, else the token's (each lookup one row of a unique index).
macro_rules! resolve_sent {
    ($tx:ident, $ops:expr) => {{
        let ops: &[VoteOp] = $ops;
        let r: Result<Vec<VoteOp>, StoreError> = async {
            let mut out = ops.to_vec();
            let sent: Vec<usize> = (0..ops.len())
                .filter(|&i| matches!(ops[i], VoteOp::PointsAsSent { .. }))
                .collect();
            for c in chunks(&sent, ROWS) {
                let values = rows_sql(c.len(), 7, 1, ", ", |n| {
                    format!("(${n}, ${}, ${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5, n + 6)
                });
                let sql = format!(
                    "WITH r (n, slug, pid, uid, th, ik, iid) AS (VALUES {values}) \
                     SELECT r.n, p.kind, p.published, p.opens_at, p.closes_at, p.points, p.cumulative, \
                     pa.id, pa.kind, pa.confirmed_at, pa.anonymised_at, \
                     EXISTS (SELECT 1 FROM participation_items i WHERE i.participation_id = p.id \
                         AND i.item_kind = r.ik AND i.item_id = r.iid) \
                     FROM r JOIN municipalities m ON m.slug = r.slug \
                     JOIN participations p ON p.id = r.pid AND p.municipality_id = m.id \
                     LEFT JOIN participants pa ON pa.id = COALESCE( \
                         (SELECT x.id FROM participants x WHERE x.participation_id = r.pid AND x.user_id = r.uid), \
                         (SELECT x.id FROM participants x WHERE x.participation_id = r.pid AND x.token_hash = r.th))"
                );
                let mut q = sqlx::query_as::<_, SentRow>(sqlx::AssertSqlSafe(Engine::placeholders(&$tx, sql))).persistent(false);
                for &i in c {
                    if let VoteOp::PointsAsSent { slug, participation_id, user_id, token_hash, item_kind, item_id, .. } = &ops[i] {
                        q = q
                            .bind(i as i64)
                            .bind(slug.as_str())
                            .bind(*participation_id)
                            .bind(*user_id)
                            .bind(token_hash.as_deref())
                            .bind(*item_kind)
                            .bind(*item_id);
                    }
                }
                for row in q.fetch_all(&mut *$tx).await? {
                    let i = row.0 as usize;
                    if let Some(checked) = ops.get(i).and_then(|op| resolve(op, &row)) {
                        out[i] = checked;
                    }
                }
            }
            Ok(out)
        }
        .await;
        r
    }};
}

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

/// The fields of a point vote, for the batched path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PointOp {
    participation_id: i64,
    participant_id: i64,
    item_kind: &'static str,
    item_id: i64,
    delta: i64,
    budget: i64,
    max_per_item: i64,
}

impl PointOp {
    fn of(op: &VoteOp) -> Option<PointOp> {
        match op {
            VoteOp::Points {
                participation_id,
                participant_id,
                item_kind,
                item_id,
                delta,
                budget,
                max_per_item,
            } => Some(PointOp {
                participation_id: *participation_id,
                participant_id: *participant_id,
                item_kind,
                item_id: *item_id,
                delta: if *delta > 0 { 1 } else { -1 },
                budget: *budget,
                max_per_item: *max_per_item,
            }),
            _ => None,
        }
    }
}

fn item_kind(k: &str) -> Option<&'static str> {
    match k {
        "massnahme" => Some("massnahme"),
        "idee" => Some("idee"),
        _ => None,
    }
}

/// (participant, item kind, item)
type PairKey = (i64, &'static str, i64);
/// (participation, item kind, item)
type ItemKey = (i64, &'static str, i64);

/// What the batched path read before deciding: budgets `(max_points, used)` and vote rows
/// `(points, max_per_item)` of the batch's participants.
#[derive(Default)]
struct Current {
    budgets: HashMap<i64, (i64, i64)>,
    votes: HashMap<PairKey, (i64, i64)>,
}

/// The decisions for a batch of point votes and the net changes that write them.
#[derive(Default, Debug, PartialEq)]
struct Plan {
    /// Per vote, in order: refused, or accepted (as its op).
    decisions: Vec<Result<PointOp, Refused>>,
    /// (participant, max_points for a new row, net change of `used`; for a new row: `used`); new rows and
    /// changed ones only.
    budgets: Vec<(i64, i64, i64)>,
    /// New vote rows: (participation, participant, kind, item, points, max_per_item).
    inserts: Vec<(i64, i64, &'static str, i64, i64, i64)>,
    /// Changed rows, by net change: (participant, kind, item, points before).
    updates: BTreeMap<i64, Vec<(i64, &'static str, i64, i64)>>,
    /// Rows whose last point was taken back: (participant, kind, item, points before).
    deletes: Vec<(i64, &'static str, i64, i64)>,
    /// Totals touched: (participation, kind, item, net points, net voters).
    tallies: Vec<(i64, &'static str, i64, i64, i64)>,
}

/// Decide a batch of point votes in arrival order by the rules the constraints enforce (budget: `used ≤
/// max_points`; per item: `points ≤ max_per_item`; taking back needs a point), starting from `cur`.
fn plan(ops: &[PointOp], cur: &Current) -> Plan {
    // participant → (max_points, used, used before, row existed, any vote accepted)
    let mut budgets: BTreeMap<i64, (i64, i64, i64, bool, bool)> = BTreeMap::new();
    // pair → (points, max_per_item, points before, row existed, participation, any vote accepted)
    let mut votes: BTreeMap<PairKey, (i64, i64, i64, bool, i64, bool)> = BTreeMap::new();
    let mut tallies: BTreeMap<ItemKey, (i64, i64)> = BTreeMap::new();
    let mut decisions = Vec::with_capacity(ops.len());
    for op in ops {
        let b = budgets.entry(op.participant_id).or_insert_with(|| {
            match cur.budgets.get(&op.participant_id) {
                Some(&(max, used)) => (max, used, used, true, false),
                None => (op.budget, 0, 0, false, false),
            }
        });
        let key = (op.participant_id, op.item_kind, op.item_id);
        let v = votes
            .entry(key)
            .or_insert_with(|| match cur.votes.get(&key) {
                Some(&(points, max)) => (points, max, points, true, op.participation_id, false),
                None => (0, op.max_per_item, 0, false, op.participation_id, false),
            });
        let voters;
        if op.delta > 0 {
            if b.1 + 1 > b.0 {
                decisions.push(Err("err-vote-no-points-left"));
                continue;
            }
            let max = if v.0 == 0 { op.max_per_item } else { v.1 };
            if v.0 + 1 > max {
                decisions.push(Err("err-vote-item-limit"));
                continue;
            }
            v.1 = max;
            v.0 += 1;
            b.1 += 1;
            voters = if v.0 == 1 { 1 } else { 0 };
        } else {
            if v.0 == 0 {
                decisions.push(Err("err-vote-nothing-to-take-back"));
                continue;
            }
            v.0 -= 1;
            b.1 -= 1;
            voters = if v.0 == 0 { -1 } else { 0 };
        }
        b.4 = true;
        v.5 = true;
        let t = tallies
            .entry((op.participation_id, op.item_kind, op.item_id))
            .or_default();
        t.0 += op.delta;
        t.1 += voters;
        decisions.push(Ok(*op));
    }
    let mut p = Plan {
        decisions,
        ..Default::default()
    };
    for (pid, (max, used, before, existed, touched)) in budgets {
        if touched && (!existed || used != before) {
            p.budgets.push((pid, max, used - before));
        }
    }
    for ((pid, kind, item), (points, max, before, existed, participation, touched)) in votes {
        match (touched, existed, points) {
            (false, _, _) | (true, false, 0) => {}
            (true, false, _) => p
                .inserts
                .push((participation, pid, kind, item, points, max)),
            (true, true, 0) => p.deletes.push((pid, kind, item, before)),
            (true, true, _) if points != before => p
                .updates
                .entry(points - before)
                .or_default()
                .push((pid, kind, item, before)),
            _ => {}
        }
    }
    p.tallies = tallies
        .into_iter()
        .map(|((pn, k, i), (d, v))| (pn, k, i, d, v))
        .collect();
    p
}

/// What each vote of a batch answers, given the totals and budgets after the whole batch (as the database
/// returned them): walking backwards, each accepted vote sees the values before the later votes.
fn answers(
    p: &Plan,
    mut totals: HashMap<ItemKey, i64>,
    mut used: HashMap<i64, i64>,
) -> Vec<Result<Counted, Refused>> {
    let mut out: Vec<Result<Counted, Refused>> = Vec::with_capacity(p.decisions.len());
    for d in p.decisions.iter().rev() {
        match d {
            Err(r) => out.push(Err(r)),
            Ok(op) => {
                let t = totals
                    .entry((op.participation_id, op.item_kind, op.item_id))
                    .or_default();
                let u = used.entry(op.participant_id).or_default();
                out.push(Ok(Counted {
                    total: *t,
                    remaining: Some(op.budget - *u),
                }));
                *t -= op.delta;
                *u -= op.delta;
            }
        }
    }
    out.reverse();
    out
}

/// At most `cap` rows per piece.
fn chunks<T>(rows: &[T], cap: usize) -> std::slice::Chunks<'_, T> {
    rows.chunks(cap)
}

/// How the engine of a transaction wants the placeholders of the writer's multi-row statements.
///
/// They are written `$1, $2, …`, each once and in order. PostgreSQL takes them as they are. SQLite treats
/// `$N` as a named parameter: it looks each name up in a list while parsing and again while binding (sqlx asks
/// the name of every parameter), which is quadratic in the number of parameters — with a batch of a few hundred
/// votes, a sixth of the server's CPU went there. Plain `?` placeholders, bound in order, need neither.
trait Engine {
    fn placeholders(&self, sql: String) -> String;
}

impl Engine for sqlx::Transaction<'_, sqlx::Postgres> {
    fn placeholders(&self, sql: String) -> String {
        sql
    }
}

impl Engine for sqlx::Transaction<'_, sqlx::Sqlite> {
    fn placeholders(&self, sql: String) -> String {
        anonymous_placeholders(&sql)
    }
}

/// `$1 … $n` (each once, in order) as `?`.
fn anonymous_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut expected = 1usize;
    let mut chars = sql.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '$' && chars.peek().is_some_and(|(_, d)| d.is_ascii_digit()) {
            let mut end = at + 1;
            while let Some((i, d)) = chars.peek().copied().filter(|(_, d)| d.is_ascii_digit()) {
                end = i + d.len_utf8();
                chars.next();
            }
            debug_assert_eq!(
                sql[at + 1..end].parse::<usize>().ok(),
                Some(expected),
                "placeholders must appear once each, in order: {sql}"
            );
            expected += 1;
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

/// `rows` rows of `cols` placeholders each, numbered from `first`, joined with `sep`; `row` formats one row
/// from its first placeholder number (`($1, $2, $3), ($4, $5, $6)`).
fn rows_sql(
    rows: usize,
    cols: usize,
    first: usize,
    sep: &str,
    row: impl Fn(usize) -> String,
) -> String {
    (0..rows)
        .map(|r| row(first + r * cols))
        .collect::<Vec<_>>()
        .join(sep)
}

/// Rows per multi-row statement: whole batches fit (`MAX_BATCH`), far below both engines' parameter limits.
const ROWS: usize = 1024;
/// Terms per `OR` chain, below SQLite's expression depth limit (1000).
const OR_TERMS: usize = 256;

/// The batch went stale under us (another node wrote the same rows): use the per-vote path.
const STALE: &str = "votes changed concurrently";

/// Read, decide, write: the batched path for point votes, about ten statements for the whole batch. Their
/// texts depend on the batch's size, so they are not kept prepared. Evaluates to the answers, or an error
/// after which the caller rolls the transaction back.
macro_rules! apply_points {
    ($tx:ident, $ops:expr) => {{
        let ops: &[PointOp] = $ops;
        let r: Result<Vec<Result<Counted, Refused>>, StoreError> = async {
            // The participants' budgets and vote rows, in one statement.
            let mut cur = Current::default();
            let mut pids: Vec<i64> = ops.iter().map(|o| o.participant_id).collect();
            pids.sort_unstable();
            pids.dedup();
            for c in chunks(&pids, ROWS) {
                // The list twice, numbered on (each placeholder once, in order: see `Engine::placeholders`).
                let list = rows_sql(c.len(), 1, 1, ", ", |n| format!("${n}"));
                let again = rows_sql(c.len(), 1, 1 + c.len(), ", ", |n| format!("${n}"));
                let sql = format!(
                    "SELECT CAST(0 AS BIGINT), participant_id, '', CAST(0 AS BIGINT), max_points, used FROM participation_budgets \
                     WHERE participant_id IN ({list}) UNION ALL \
                     SELECT CAST(1 AS BIGINT), participant_id, item_kind, item_id, points, max_per_item FROM participation_votes \
                     WHERE participant_id IN ({again})"
                );
                let mut q = sqlx::query_as::<_, (i64, i64, String, i64, i64, i64)>(sqlx::AssertSqlSafe(Engine::placeholders(&$tx, sql))).persistent(false);
                for p in c.iter().chain(c) {
                    q = q.bind(*p);
                }
                for (table, p, kind, item, a, b) in q.fetch_all(&mut *$tx).await? {
                    if table == 0 {
                        cur.budgets.insert(p, (a, b));
                    } else if let Some(kind) = item_kind(&kind) {
                        cur.votes.insert((p, kind, item), (a, b));
                    }
                }
            }
            let plan = plan(ops, &cur);
            let mut used: HashMap<i64, i64> = cur.budgets.iter().map(|(p, (_, u))| (*p, *u)).collect();
            // Budgets: new rows, then existing ones by net change (an upsert would check the proposed row, with
            // a negative change, against the CHECK before seeing the conflict).
            let (new_budgets, changed): (Vec<(i64, i64, i64)>, Vec<(i64, i64, i64)>) =
                plan.budgets.iter().copied().partition(|b| !cur.budgets.contains_key(&b.0));
            for c in chunks(&new_budgets, ROWS) {
                let values = rows_sql(c.len(), 3, 1, ", ", |n| format!("(${n}, ${}, ${})", n + 1, n + 2));
                let sql = format!("INSERT INTO participation_budgets (participant_id, max_points, used) VALUES {values}");
                let mut q = sqlx::query(sqlx::AssertSqlSafe(Engine::placeholders(&$tx, sql))).persistent(false);
                for (p, max, u) in c {
                    q = q.bind(*p).bind(*max).bind(*u);
                    used.insert(*p, *u);
                }
                q.execute(&mut *$tx).await?;
            }
            let mut by_change: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
            for (p, _, d) in changed {
                by_change.entry(d).or_default().push(p);
            }
            for (d, pids) in &by_change {
                for c in chunks(pids, ROWS) {
                    let list = rows_sql(c.len(), 1, 2, ", ", |n| format!("${n}"));
                    let sql = format!(
                        "UPDATE participation_budgets SET used = used + $1 WHERE participant_id IN ({list}) RETURNING participant_id, used"
                    );
                    let mut q = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(Engine::placeholders(&$tx, sql))).persistent(false).bind(*d);
                    for p in c {
                        q = q.bind(*p);
                    }
                    let rows = q.fetch_all(&mut *$tx).await?;
                    if rows.len() != c.len() {
                        return Err(StoreError::Conflict(STALE.into()));
                    }
                    used.extend(rows);
                }
            }
            // Vote rows: gone, changed, new. Each change names the points it expects, so a row another node
            // changed meanwhile is noticed.
            for c in chunks(&plan.deletes, OR_TERMS) {
                let cond = rows_sql(c.len(), 4, 1, " OR ", |n| {
                    format!("(participant_id = ${n} AND item_kind = ${} AND item_id = ${} AND points = ${})", n + 1, n + 2, n + 3)
                });
                let sql = format!("DELETE FROM participation_votes WHERE {cond}");
                let mut q = sqlx::query(sqlx::AssertSqlSafe(Engine::placeholders(&$tx, sql))).persistent(false);
                for (p, k, i, before) in c {
                    q = q.bind(*p).bind(*k).bind(*i).bind(*before);
                }
                if q.execute(&mut *$tx).await?.rows_affected() != c.len() as u64 {
                    return Err(StoreError::Conflict(STALE.into()));
                }
            }
            for (d, rows) in &plan.updates {
                for c in chunks(rows, OR_TERMS) {
                    let cond = rows_sql(c.len(), 4, 2, " OR ", |n| {
                        format!("(participant_id = ${n} AND item_kind = ${} AND item_id = ${} AND points = ${})", n + 1, n + 2, n + 3)
                    });
                    let sql = format!("UPDATE participation_votes SET points = points + $1 WHERE {cond}");
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(Engine::placeholders(&$tx, sql))).persistent(false).bind(*d);
                    for (p, k, i, before) in c {
                        q = q.bind(*p).bind(*k).bind(*i).bind(*before);
                    }
                    if q.execute(&mut *$tx).await?.rows_affected() != c.len() as u64 {
                        return Err(StoreError::Conflict(STALE.into()));
                    }
                }
            }
            let now = now_secs();
            for c in chunks(&plan.inserts, ROWS) {
                let values = rows_sql(c.len(), 7, 1, ", ", |n| {
                    format!("(${n}, ${}, ${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5, n + 6)
                });
                let sql = format!(
                    "INSERT INTO participation_votes (participation_id, participant_id, item_kind, item_id, points, max_per_item, created_at) \
                     VALUES {values}"
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(Engine::placeholders(&$tx, sql))).persistent(false);
                for (pn, p, k, i, points, max) in c {
                    q = q.bind(*pn).bind(*p).bind(*k).bind(*i).bind(*points).bind(*max).bind(now);
                }
                q.execute(&mut *$tx).await?;
            }
            // Totals, relative, so that other nodes' votes add up; their values after the batch come back.
            let mut totals: HashMap<ItemKey, i64> = HashMap::new();
            for c in chunks(&plan.tallies, ROWS) {
                let values = rows_sql(c.len(), 5, 1, ", ", |n| {
                    format!("(${n}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4)
                });
                let sql = format!(
                    "INSERT INTO participation_tallies (participation_id, item_kind, item_id, points, voters) VALUES {values} \
                     ON CONFLICT (participation_id, item_kind, item_id) DO UPDATE SET \
                     points = participation_tallies.points + excluded.points, voters = participation_tallies.voters + excluded.voters \
                     RETURNING participation_id, item_kind, item_id, points"
                );
                let mut q = sqlx::query_as::<_, (i64, String, i64, i64)>(sqlx::AssertSqlSafe(Engine::placeholders(&$tx, sql))).persistent(false);
                for (pn, k, i, d, v) in c {
                    q = q.bind(*pn).bind(*k).bind(*i).bind(*d).bind(*v);
                }
                for (pn, k, i, points) in q.fetch_all(&mut *$tx).await? {
                    if let Some(k) = item_kind(&k) {
                        totals.insert((pn, k, i), points);
                    }
                }
            }
            Ok(answers(&plan, totals, used))
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
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
}

impl Conn {
    async fn acquire(db: &Db) -> StoreResult<Conn> {
        Ok(match db.counted() {
            crate::Pool::Sqlite(p) => Conn::Sqlite(p.acquire().await?),
            crate::Pool::Postgres(p) => Conn::Postgres(p.acquire().await?),
        })
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
    for batched in [true, false] {
        let done = match conn {
            Conn::Sqlite(c) => {
                let mut tx = c.begin_with("BEGIN IMMEDIATE").await?;
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
    apply_on(&mut conn, ops).await
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
            let mut conn: Option<Conn> = None;
            loop {
                // Keep the connection while votes keep coming; give it back to the pool when idle.
                let first = if conn.is_some() {
                    match tokio::time::timeout(KEEP_CONNECTION, rx.recv()).await {
                        Ok(j) => j,
                        Err(_) => {
                            conn = None;
                            rx.recv().await
                        }
                    }
                } else {
                    rx.recv().await
                };
                let Some(first) = first else { break };
                jobs.push(first);
                // Let the tasks that are ready to vote (often all those just answered) queue up first, so that a
                // lone early vote does not take a commit of its own.
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
                        conn = None;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_anonymous_in_order() {
        assert_eq!(
            anonymous_placeholders("UPDATE t SET a = a + $1 WHERE (b = $2 AND c = '$x') OR b = $3"),
            "UPDATE t SET a = a + ? WHERE (b = ? AND c = '$x') OR b = ?"
        );
        let many = rows_sql(300, 2, 1, ", ", |n| format!("(${n}, ${})", n + 1));
        assert_eq!(anonymous_placeholders(&many).matches('?').count(), 600);
        assert!(!anonymous_placeholders(&many).contains('$'));
    }

    #[test]
    #[should_panic(expected = "once each, in order")]
    fn placeholders_out_of_order_are_caught_in_tests() {
        anonymous_placeholders("SELECT $2, $1");
    }

    #[test]
    fn a_vote_as_sent_resolves_only_by_the_request_paths_rules() {
        let sent = VoteOp::PointsAsSent {
            slug: "arnsberg".into(),
            participation_id: 7,
            user_id: None,
            token_hash: Some("h".into()),
            item_kind: "massnahme",
            item_id: 3,
            delta: -1,
            now: 1_000,
        };
        // Open from 500 to 2,000, published, five points, cumulative; a confirmed e-mail participant 11.
        let good: SentRow = (
            0,
            "punkte".into(),
            true,
            500,
            2_000,
            5,
            true,
            Some(11),
            Some("email".into()),
            Some(600),
            None,
            true,
        );
        let Some(VoteOp::Points {
            participation_id: 7,
            participant_id: 11,
            item_kind: "massnahme",
            item_id: 3,
            delta: -1,
            budget: 5,
            max_per_item: 5,
        }) = resolve(&sent, &good)
        else {
            panic!("resolves: {:?}", resolve(&sent, &good));
        };
        let with = |change: &dyn Fn(&mut SentRow)| {
            let mut row = good.clone();
            change(&mut row);
            row
        };
        let not_cumulative = with(&|r| r.6 = false);
        assert!(matches!(
            resolve(&sent, &not_cumulative),
            Some(VoteOp::Points {
                max_per_item: 1,
                ..
            })
        ));
        let unresolved: [(&str, SentRow); 8] = [
            ("survey", with(&|r| r.1 = "umfrage".into())),
            ("unpublished", with(&|r| r.2 = false)),
            ("not yet open", with(&|r| r.3 = 1_001)),
            ("closed", with(&|r| r.4 = 999)),
            ("nobody", with(&|r| r.7 = None)),
            ("unconfirmed", with(&|r| r.9 = None)),
            ("anonymised", with(&|r| r.10 = Some(900))),
            ("no item", with(&|r| r.11 = false)),
        ];
        for (why, row) in unresolved {
            assert!(resolve(&sent, &row).is_none(), "{why}");
        }
        // A guest needs no confirmation; a delta other than one point never resolves.
        let guest = with(&|r| {
            r.8 = Some("gast".into());
            r.9 = None;
        });
        assert!(resolve(&sent, &guest).is_some());
        let two = VoteOp::PointsAsSent {
            slug: "arnsberg".into(),
            participation_id: 7,
            user_id: None,
            token_hash: None,
            item_kind: "massnahme",
            item_id: 3,
            delta: 2,
            now: 1_000,
        };
        assert!(resolve(&two, &good).is_none());
    }

    fn op(participant: i64, item: i64, delta: i64) -> PointOp {
        PointOp {
            participation_id: 7,
            participant_id: participant,
            item_kind: "massnahme",
            item_id: item,
            delta,
            budget: 3,
            max_per_item: 2,
        }
    }

    #[test]
    fn statements_cover_every_row() {
        let rows: Vec<usize> = (0..300).collect();
        let parts: Vec<&[usize]> = chunks(&rows, 128).collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            vec![128, 128, 44]
        );
        assert_eq!(parts.concat(), rows);
        const { assert!(MAX_BATCH <= ROWS, "a whole batch fits one statement") };
        assert_eq!(
            rows_sql(2, 3, 1, ", ", |n| format!("(${n}, ${}, ${})", n + 1, n + 2)),
            "($1, $2, $3), ($4, $5, $6)"
        );
    }

    #[test]
    fn votes_are_decided_in_order_by_the_constraints_rules() {
        // Participant 1 had 1 point on item 10 (budget 3, 1 used); participant 2 is new.
        let mut cur = Current::default();
        cur.budgets.insert(1, (3, 1));
        cur.votes.insert((1, "massnahme", 10), (1, 2));
        let ops = [
            op(1, 10, 1),  // 2 on item 10, 2 used
            op(1, 10, 1),  // item limit 2
            op(1, 11, 1),  // 3 used
            op(1, 12, 1),  // budget exhausted
            op(2, 10, -1), // nothing to take back
            op(2, 10, 1),  // new row
            op(1, 11, -1), // row of item 11 goes again
            op(2, 12, 1),
            op(2, 12, -1),
        ];
        let p = plan(&ops, &cur);
        let refused: Vec<Option<&str>> = p.decisions.iter().map(|d| d.err()).collect();
        assert_eq!(
            refused,
            vec![
                None,
                Some("err-vote-item-limit"),
                None,
                Some("err-vote-no-points-left"),
                Some("err-vote-nothing-to-take-back"),
                None,
                None,
                None,
                None
            ]
        );
        // Net changes: participant 1 +1 used, participant 2 new with 1 used.
        assert_eq!(p.budgets, vec![(1, 3, 1), (2, 3, 1)]);
        assert_eq!(p.inserts, vec![(7, 2, "massnahme", 10, 1, 2)]);
        assert_eq!(p.updates.get(&1), Some(&vec![(1, "massnahme", 10, 1)]));
        assert!(
            p.deletes.is_empty(),
            "item 11 and 12 rows came and went in the batch"
        );
        assert_eq!(
            p.tallies,
            vec![
                (7, "massnahme", 10, 2, 1),
                (7, "massnahme", 11, 0, 0),
                (7, "massnahme", 12, 0, 0)
            ]
        );
        // Totals after the batch: item 10 had 5 points and now 7; answers walk back from there.
        let totals = HashMap::from([
            ((7, "massnahme", 10), 7),
            ((7, "massnahme", 11), 0),
            ((7, "massnahme", 12), 4),
        ]);
        let used = HashMap::from([(1, 2), (2, 1)]);
        let a = answers(&p, totals, used);
        let got: Vec<Option<(i64, Option<i64>)>> = a
            .iter()
            .map(|r| r.as_ref().ok().map(|c| (c.total, c.remaining)))
            .collect();
        assert_eq!(
            got,
            vec![
                Some((6, Some(1))),
                None,
                Some((1, Some(0))),
                None,
                None,
                Some((7, Some(2))),
                Some((0, Some(1))),
                Some((5, Some(1))),
                Some((4, Some(2)))
            ]
        );
    }

    #[test]
    fn taking_back_the_last_point_deletes_the_row() {
        let mut cur = Current::default();
        cur.budgets.insert(1, (3, 2));
        cur.votes.insert((1, "massnahme", 10), (2, 2));
        let p = plan(&[op(1, 10, -1), op(1, 10, -1), op(1, 10, -1)], &cur);
        assert_eq!(p.decisions[2], Err("err-vote-nothing-to-take-back"));
        assert_eq!(p.deletes, vec![(1, "massnahme", 10, 2)]);
        assert_eq!(p.budgets, vec![(1, 3, -2)]);
        assert_eq!(p.tallies, vec![(7, "massnahme", 10, -2, -1)]);
        // A participant whose every vote was refused writes nothing.
        let p = plan(&[op(5, 10, -1)], &Current::default());
        assert!(p.budgets.is_empty() && p.tallies.is_empty() && p.inserts.is_empty());
    }
}
