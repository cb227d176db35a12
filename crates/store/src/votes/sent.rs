//! Votes as sent (`VoteOp::PointsAsSent`, ADR 0023): what the writer reads to check them, in one statement per
//! batch inside its transaction (`resolve_sent!`), and the request path's rules applied to what it read
//! (`resolve`).

use super::VoteOp;
use super::batched::values_sql;

/// What the writer reads to resolve one [`VoteOp::PointsAsSent`]: its index in the batch, the format's kind,
/// published flag, opening and closing time, points per person and cumulative flag, the participant's id,
/// kind, confirmation and anonymisation time (`None` when nobody matches), and whether the item is one of
/// the format's.
pub(super) type SentRow = (
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
pub(super) fn resolve(op: &VoteOp, row: &SentRow) -> Option<VoteOp> {
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
        crate::participation::is_active(pa_kind.as_deref().unwrap_or(""), *confirmed, *anonymised)
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

/// The checks of `n` votes as sent, one row per vote that names an existing format of its city ([`SentRow`]);
/// binds per vote: its index, slug, format, user, token hash, item kind, item.
pub(super) fn sent_sql(n: usize) -> String {
    let values = values_sql(n, 7);
    format!(
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
    )
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
                let sql = sent_sql(c.len());
                let mut q = sqlx::query_as::<_, SentRow>(sqlx::AssertSqlSafe(
                    Engine::placeholders(&$tx, sql),
                ))
                .persistent(false);
                for &i in c {
                    if let VoteOp::PointsAsSent {
                        slug,
                        participation_id,
                        user_id,
                        token_hash,
                        item_kind,
                        item_id,
                        ..
                    } = &ops[i]
                    {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
