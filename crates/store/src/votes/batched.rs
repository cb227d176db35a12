//! The batched path for point votes: the rules decided in memory for a whole batch (`plan`, `answers`) and
//! the few multi-row statements that read and write it (`apply_points!`, expanded in the writer's
//! transaction), with the placeholder style each engine needs (`Engine`).

use super::{Counted, Refused, VoteOp};
use std::collections::{BTreeMap, HashMap};

/// The fields of a point vote, for the batched path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PointOp {
    pub(super) participation_id: i64,
    pub(super) participant_id: i64,
    pub(super) item_kind: &'static str,
    pub(super) item_id: i64,
    pub(super) delta: i64,
    pub(super) budget: i64,
    pub(super) max_per_item: i64,
}

impl PointOp {
    pub(super) fn of(op: &VoteOp) -> Option<PointOp> {
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

pub(super) fn item_kind(k: &str) -> Option<&'static str> {
    match k {
        "massnahme" => Some("massnahme"),
        "idee" => Some("idee"),
        _ => None,
    }
}

/// (participant, item kind, item)
pub(super) type PairKey = (i64, &'static str, i64);
/// (participation, item kind, item)
pub(super) type ItemKey = (i64, &'static str, i64);

/// What the batched path read before deciding: budgets `(max_points, used)` and vote rows
/// `(points, max_per_item)` of the batch's participants.
#[derive(Default)]
pub(super) struct Current {
    pub(super) budgets: HashMap<i64, (i64, i64)>,
    pub(super) votes: HashMap<PairKey, (i64, i64)>,
}

/// One row of [`read_sql`]: `(0, participant, '', 0, max_points, used)` or `(1, participant, kind, item,
/// points, max_per_item)`.
pub(super) type ReadRow = (i64, i64, String, i64, i64, i64);

impl Current {
    pub(super) fn add(&mut self, (table, p, kind, item, a, b): ReadRow) {
        if table == 0 {
            self.budgets.insert(p, (a, b));
        } else if let Some(kind) = item_kind(&kind) {
            self.votes.insert((p, kind, item), (a, b));
        }
    }
}

/// The decisions for a batch of point votes and the net changes that write them.
#[derive(Default, Debug, PartialEq)]
pub(super) struct Plan {
    /// Per vote, in order: refused, or accepted (as its op).
    pub(super) decisions: Vec<Result<PointOp, Refused>>,
    /// (participant, max_points for a new row, net change of `used`; for a new row: `used`); new rows and
    /// changed ones only.
    pub(super) budgets: Vec<(i64, i64, i64)>,
    /// New vote rows: (participation, participant, kind, item, points, max_per_item).
    pub(super) inserts: Vec<(i64, i64, &'static str, i64, i64, i64)>,
    /// Changed rows, by net change: (participant, kind, item, points before).
    pub(super) updates: BTreeMap<i64, Vec<(i64, &'static str, i64, i64)>>,
    /// Rows whose last point was taken back: (participant, kind, item, points before).
    pub(super) deletes: Vec<(i64, &'static str, i64, i64)>,
    /// Totals touched: (participation, kind, item, net points, net voters).
    pub(super) tallies: Vec<(i64, &'static str, i64, i64, i64)>,
}

/// Decide a batch of point votes in arrival order by the rules the constraints enforce (budget: `used ≤
/// max_points`; per item: `points ≤ max_per_item`; taking back needs a point), starting from `cur`.
pub(super) fn plan(ops: &[PointOp], cur: &Current) -> Plan {
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
pub(super) fn answers(
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
pub(super) fn chunks<T>(rows: &[T], cap: usize) -> std::slice::Chunks<'_, T> {
    rows.chunks(cap)
}

/// How the engine of a transaction wants the placeholders of the writer's multi-row statements.
///
/// They are written `$1, $2, …`, each once and in order. PostgreSQL takes them as they are. SQLite treats
/// `$N` as a named parameter: it looks each name up in a list while parsing and again while binding (sqlx asks
/// the name of every parameter), which is quadratic in the number of parameters — with a batch of a few hundred
/// votes, a sixth of the server's CPU went there. Plain `?` placeholders, bound in order, need neither.
pub(super) trait Engine {
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
pub(super) fn anonymous_placeholders(sql: &str) -> String {
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
pub(super) fn rows_sql(
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

/// `rows` rows of `cols` placeholders each for `VALUES`, numbered from 1: `($1, $2, $3), ($4, $5, $6)`.
pub(super) fn values_sql(rows: usize, cols: usize) -> String {
    rows_sql(rows, cols, 1, ", ", |first| {
        let row: Vec<String> = (first..first + cols).map(|n| format!("${n}")).collect();
        format!("({})", row.join(", "))
    })
}

/// Rows per multi-row statement: whole batches fit (`MAX_BATCH`), far below both engines' parameter limits.
pub(super) const ROWS: usize = 1024;
/// Terms per `OR` chain, below SQLite's expression depth limit (1000).
pub(super) const OR_TERMS: usize = 256;

/// The batch went stale under us (another node wrote the same rows): use the per-vote path.
pub(super) const STALE: &str = "votes changed concurrently";

// The statements of the batched path for `n` rows (placeholders `$1 …`, each once, in order).

/// The participants' budgets `(0, participant, '', 0, max_points, used)` and vote rows `(1, participant, kind,
/// item, points, max_per_item)`; binds: the `n` participants twice.
pub(super) fn read_sql(n: usize) -> String {
    let list = rows_sql(n, 1, 1, ", ", |n| format!("${n}"));
    let again = rows_sql(n, 1, 1 + n, ", ", |n| format!("${n}"));
    format!(
        "SELECT CAST(0 AS BIGINT), participant_id, '', CAST(0 AS BIGINT), max_points, used FROM participation_budgets \
         WHERE participant_id IN ({list}) UNION ALL \
         SELECT CAST(1 AS BIGINT), participant_id, item_kind, item_id, points, max_per_item FROM participation_votes \
         WHERE participant_id IN ({again})"
    )
}

/// New budgets; binds per row: participant, max_points, used.
pub(super) fn new_budgets_sql(n: usize) -> String {
    let values = values_sql(n, 3);
    format!("INSERT INTO participation_budgets (participant_id, max_points, used) VALUES {values}")
}

/// One net change of `used` for `n` participants, returning `(participant, used)`; binds: change, participants.
pub(super) fn budgets_sql(n: usize) -> String {
    let list = rows_sql(n, 1, 2, ", ", |n| format!("${n}"));
    format!(
        "UPDATE participation_budgets SET used = used + $1 WHERE participant_id IN ({list}) RETURNING participant_id, used"
    )
}

fn rows_named(n: usize, first: usize) -> String {
    rows_sql(n, 4, first, " OR ", |n| {
        format!(
            "(participant_id = ${n} AND item_kind = ${} AND item_id = ${} AND points = ${})",
            n + 1,
            n + 2,
            n + 3
        )
    })
}

/// Vote rows whose last point went; binds per row: participant, kind, item, points before.
pub(super) fn deletes_sql(n: usize) -> String {
    format!("DELETE FROM participation_votes WHERE {}", rows_named(n, 1))
}

/// One net change of points on `n` rows; binds: change, then per row participant, kind, item, points before.
pub(super) fn updates_sql(n: usize) -> String {
    format!(
        "UPDATE participation_votes SET points = points + $1 WHERE {}",
        rows_named(n, 2)
    )
}

/// New vote rows; binds per row: participation, participant, kind, item, points, max_per_item, created_at.
pub(super) fn inserts_sql(n: usize) -> String {
    let values = values_sql(n, 7);
    format!(
        "INSERT INTO participation_votes (participation_id, participant_id, item_kind, item_id, points, max_per_item, created_at) \
         VALUES {values}"
    )
}

/// Totals, relative, returning `(participation, kind, item, points)` after; binds per row: participation, kind,
/// item, net points, net voters.
pub(super) fn tallies_sql(n: usize) -> String {
    let values = values_sql(n, 5);
    format!(
        "INSERT INTO participation_tallies (participation_id, item_kind, item_id, points, voters) VALUES {values} \
         ON CONFLICT (participation_id, item_kind, item_id) DO UPDATE SET \
         points = participation_tallies.points + excluded.points, voters = participation_tallies.voters + excluded.voters \
         RETURNING participation_id, item_kind, item_id, points"
    )
}

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
                let sql = read_sql(c.len());
                let mut q = sqlx::query_as::<_, ReadRow>(sqlx::AssertSqlSafe(Engine::placeholders(&$tx, sql))).persistent(false);
                for p in c.iter().chain(c) {
                    q = q.bind(*p);
                }
                for row in q.fetch_all(&mut *$tx).await? {
                    cur.add(row);
                }
            }
            let plan = plan(ops, &cur);
            let mut used: HashMap<i64, i64> = cur.budgets.iter().map(|(p, (_, u))| (*p, *u)).collect();
            // Budgets: new rows, then existing ones by net change (an upsert would check the proposed row, with
            // a negative change, against the CHECK before seeing the conflict).
            let (new_budgets, changed): (Vec<(i64, i64, i64)>, Vec<(i64, i64, i64)>) =
                plan.budgets.iter().copied().partition(|b| !cur.budgets.contains_key(&b.0));
            for c in chunks(&new_budgets, ROWS) {
                let sql = new_budgets_sql(c.len());
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
                    let sql = budgets_sql(c.len());
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
                let sql = deletes_sql(c.len());
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
                    let sql = updates_sql(c.len());
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
                let sql = inserts_sql(c.len());
                let mut q = sqlx::query(sqlx::AssertSqlSafe(Engine::placeholders(&$tx, sql))).persistent(false);
                for (pn, p, k, i, points, max) in c {
                    q = q.bind(*pn).bind(*p).bind(*k).bind(*i).bind(*points).bind(*max).bind(now);
                }
                q.execute(&mut *$tx).await?;
            }
            // Totals, relative, so that other nodes' votes add up; their values after the batch come back.
            let mut totals: HashMap<ItemKey, i64> = HashMap::new();
            for c in chunks(&plan.tallies, ROWS) {
                let sql = tallies_sql(c.len());
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
        const {
            assert!(
                super::super::MAX_BATCH <= ROWS,
                "a whole batch fits one statement"
            )
        };
        assert_eq!(
            rows_sql(2, 3, 1, ", ", |n| format!("(${n}, ${}, ${})", n + 1, n + 2)),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(values_sql(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(values_sql(1, 1), "($1)");
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
