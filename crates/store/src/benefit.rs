//! Nutzwertanalyse (benefit analysis): criteria, group weights, raters with their group, ratings (one per
//! rater, measure and criterion; re-submitting replaces) and the results written back to the measures as a
//! priority with a revision in the measure's history.
//!
//! The rules of the evaluation are in `domain::benefit`; this module loads its inputs and keeps what people
//! entered. Structural changes of the criteria (add, delete, kind, scale) are refused once anyone has rated,
//! so that stored ratings always fit their criterion; names and weights may still change.

use crate::{Db, StoreError, StoreResult, in_tx, now_secs, on_db};
use domain::benefit::{Criterion, Direction, RaterGroup, Rating, RatingValue};
use domain::measure::FieldChange;

/// A stored criterion.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct CriterionRow {
    pub id: i64,
    pub participation_id: i64,
    pub position: i64,
    pub name: String,
    /// `ko`, `nutzen` (benefit) or `aufwand` (effort).
    pub kind: String,
    /// 0..=1000; 0 for KO criteria.
    pub weight: i64,
    /// 1..=10; 0 for KO criteria.
    pub scale_max: i64,
}

impl CriterionRow {
    pub fn is_ko(&self) -> bool {
        self.kind == "ko"
    }

    /// The criterion for `domain::benefit::evaluate`.
    pub fn to_domain(&self) -> Criterion {
        let scale = u8::try_from(self.scale_max).unwrap_or(0);
        let weight = self.weight as f64;
        match self.kind.as_str() {
            "ko" => Criterion::ko(self.id, self.name.clone()),
            "aufwand" => Criterion::effort(self.id, self.name.clone(), weight, scale),
            _ => Criterion::benefit(self.id, self.name.clone(), weight, scale),
        }
    }

    pub fn direction(&self) -> Option<Direction> {
        match self.kind.as_str() {
            "nutzen" => Some(Direction::Benefit),
            "aufwand" => Some(Direction::Effort),
            _ => None,
        }
    }
}

/// A criterion as entered (validated by the caller).
#[derive(Debug, Clone, PartialEq)]
pub struct NewCriterion {
    pub name: String,
    pub kind: &'static str,
    pub weight: i64,
    pub scale_max: i64,
}

const CRITERIA: &str =
    "SELECT id, participation_id, position, name, kind, weight, scale_max FROM benefit_criteria";

/// The criteria of a format in their order.
pub async fn criteria(db: &Db, participation_id: i64) -> StoreResult<Vec<CriterionRow>> {
    let sql = format!("{CRITERIA} WHERE participation_id = $1 ORDER BY position, id");
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, CriterionRow>(sqlx::AssertSqlSafe(sql.clone())).bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// How many ratings a format has (0: the criteria may still change freely).
pub async fn rating_count(db: &Db, participation_id: i64) -> StoreResult<i64> {
    let n = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM benefit_ratings WHERE participation_id = $1")
            .bind(participation_id).fetch_one(pool).await?
    });
    Ok(n)
}

/// Most criteria per format.
pub const MAX_CRITERIA: i64 = 20;

/// Add criteria at the end. Refused (`err-benefit-locked`) once anyone has rated, (`err-benefit-name-taken`)
/// for a name already used (case-insensitive), (`err-benefit-too-many`) beyond [`MAX_CRITERIA`]. With
/// `skip_taken`, criteria whose name is used are left out instead (for the default set); returns how many
/// were added.
pub async fn add_criteria(
    db: &Db,
    participation_id: i64,
    new: &[NewCriterion],
    skip_taken: bool,
) -> StoreResult<usize> {
    let now = now_secs();
    in_tx!(db, tx => {
        let rated: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM benefit_ratings WHERE participation_id = $1")
            .bind(participation_id).fetch_one(&mut *tx).await?;
        if rated > 0 {
            return Err(StoreError::Refused("err-benefit-locked"));
        }
        let names: Vec<String> = sqlx::query_scalar("SELECT name FROM benefit_criteria WHERE participation_id = $1")
            .bind(participation_id).fetch_all(&mut *tx).await?;
        let mut taken: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
        let mut next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM benefit_criteria WHERE participation_id = $1")
            .bind(participation_id).fetch_one(&mut *tx).await?;
        let mut added = 0usize;
        for c in new {
            let lower = c.name.to_lowercase();
            if taken.contains(&lower) {
                if skip_taken {
                    continue;
                }
                return Err(StoreError::Refused("err-benefit-name-taken"));
            }
            if taken.len() as i64 >= MAX_CRITERIA {
                return Err(StoreError::Refused("err-benefit-too-many"));
            }
            sqlx::query(
                "INSERT INTO benefit_criteria (participation_id, position, name, kind, weight, scale_max, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(participation_id).bind(next).bind(&c.name).bind(c.kind).bind(c.weight).bind(c.scale_max).bind(now)
            .execute(&mut *tx).await?;
            taken.push(lower);
            next += 1;
            added += 1;
        }
        Ok(added)
    })
}

/// Change criteria, all or nothing: `(criterion id, new values)`. Names and weights may always change;
/// kind and scale only while nobody has rated (`err-benefit-locked-kind`). Names stay unique
/// (case-insensitive, `err-benefit-name-taken`). `NotFound` for a criterion of another format.
pub async fn update_criteria(
    db: &Db,
    participation_id: i64,
    changes: &[(i64, NewCriterion)],
) -> StoreResult<()> {
    let sql = format!("{CRITERIA} WHERE participation_id = $1");
    in_tx!(db, tx => {
        let old = sqlx::query_as::<_, CriterionRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(participation_id).fetch_all(&mut *tx).await?;
        let mut structural = false;
        for (cid, c) in changes {
            let Some(o) = old.iter().find(|o| o.id == *cid) else { return Err(StoreError::NotFound) };
            structural |= o.kind != c.kind || o.scale_max != c.scale_max;
        }
        if structural {
            let rated: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM benefit_ratings WHERE participation_id = $1")
                .bind(participation_id).fetch_one(&mut *tx).await?;
            if rated > 0 {
                return Err(StoreError::Refused("err-benefit-locked-kind"));
            }
        }
        let mut names: Vec<String> = old
            .iter()
            .map(|o| changes.iter().find(|(id, _)| *id == o.id).map_or(&o.name, |(_, c)| &c.name).to_lowercase())
            .collect();
        names.sort();
        if names.windows(2).any(|w| w[0] == w[1]) {
            return Err(StoreError::Refused("err-benefit-name-taken"));
        }
        for (cid, c) in changes {
            sqlx::query("UPDATE benefit_criteria SET name = $1, kind = $2, weight = $3, scale_max = $4 WHERE id = $5 AND participation_id = $6")
                .bind(&c.name).bind(c.kind).bind(c.weight).bind(c.scale_max).bind(*cid).bind(participation_id)
                .execute(&mut *tx).await?;
        }
        Ok(())
    })
}

/// Delete a criterion while nobody has rated (`err-benefit-locked`).
pub async fn delete_criterion(
    db: &Db,
    participation_id: i64,
    criterion_id: i64,
) -> StoreResult<()> {
    in_tx!(db, tx => {
        let rated: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM benefit_ratings WHERE participation_id = $1")
            .bind(participation_id).fetch_one(&mut *tx).await?;
        if rated > 0 {
            return Err(StoreError::Refused("err-benefit-locked"));
        }
        let n = sqlx::query("DELETE FROM benefit_criteria WHERE id = $1 AND participation_id = $2")
            .bind(criterion_id).bind(participation_id).execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------------------
// Measures and group weights

/// A measure to rate: `(id, title, visibility)`, in the order the editors chose. Measures deleted since
/// are left out.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct MeasureItem {
    pub id: i64,
    pub title: String,
    pub visibility: String,
}

pub async fn measures(db: &Db, participation_id: i64) -> StoreResult<Vec<MeasureItem>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, MeasureItem>(
            "SELECT m.id, m.title, m.visibility FROM participation_items i \
             JOIN participations p ON p.id = i.participation_id \
             JOIN measures m ON m.id = i.item_id AND m.municipality_id = p.municipality_id \
             WHERE i.participation_id = $1 AND i.item_kind = 'massnahme' ORDER BY i.position",
        )
        .bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// The stored group weights; empty: every group counts the same.
pub async fn group_weights(db: &Db, participation_id: i64) -> StoreResult<Vec<(RaterGroup, i64)>> {
    let rows: Vec<(String, i64)> = on_db!(db, pool => {
        sqlx::query_as("SELECT grp, weight FROM benefit_group_weights WHERE participation_id = $1")
            .bind(participation_id).fetch_all(pool).await?
    });
    let mut out: Vec<(RaterGroup, i64)> = rows
        .into_iter()
        .filter_map(|(g, w)| Some((RaterGroup::parse(&g)?, w)))
        .collect();
    out.sort_by_key(|(g, _)| *g);
    Ok(out)
}

/// Replace the group weights (empty: equal weights).
pub async fn set_group_weights(
    db: &Db,
    participation_id: i64,
    weights: &[(RaterGroup, i64)],
) -> StoreResult<()> {
    in_tx!(db, tx => {
        sqlx::query("DELETE FROM benefit_group_weights WHERE participation_id = $1")
            .bind(participation_id).execute(&mut *tx).await?;
        for (g, w) in weights {
            sqlx::query("INSERT INTO benefit_group_weights (participation_id, grp, weight) VALUES ($1, $2, $3)")
                .bind(participation_id).bind(g.as_str()).bind(*w).execute(&mut *tx).await?;
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------------------
// Raters and ratings

/// The group a participant rates in, if chosen.
pub async fn rater_group(db: &Db, participant_id: i64) -> StoreResult<Option<RaterGroup>> {
    let g: Option<String> = on_db!(db, pool => {
        sqlx::query_scalar("SELECT grp FROM benefit_raters WHERE participant_id = $1")
            .bind(participant_id).fetch_optional(pool).await?
    });
    Ok(g.as_deref().and_then(RaterGroup::parse))
}

/// Choose the group. It may change until the first rating is saved (`err-benefit-group-fixed` after).
pub async fn set_rater_group(
    db: &Db,
    participation_id: i64,
    participant_id: i64,
    group: RaterGroup,
) -> StoreResult<()> {
    in_tx!(db, tx => {
        let current: Option<String> = sqlx::query_scalar("SELECT grp FROM benefit_raters WHERE participant_id = $1")
            .bind(participant_id).fetch_optional(&mut *tx).await?;
        match current {
            Some(g) if g == group.as_str() => Ok(()),
            Some(_) => {
                let rated: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM benefit_ratings WHERE participant_id = $1")
                    .bind(participant_id).fetch_one(&mut *tx).await?;
                if rated > 0 {
                    return Err(StoreError::Refused("err-benefit-group-fixed"));
                }
                sqlx::query("UPDATE benefit_raters SET grp = $1 WHERE participant_id = $2")
                    .bind(group.as_str()).bind(participant_id).execute(&mut *tx).await?;
                Ok(())
            }
            None => {
                sqlx::query("INSERT INTO benefit_raters (participant_id, participation_id, grp, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (participant_id) DO NOTHING")
                    .bind(participant_id).bind(participation_id).bind(group.as_str()).bind(now_secs())
                    .execute(&mut *tx).await?;
                Ok(())
            }
        }
    })
}

/// Save one rater's answers for one measure (replacing earlier ones). Checked again inside the
/// transaction: the rater has a group (`err-benefit-no-group`), the measure is one of the format's
/// (`err-benefit-unknown-measure`), every criterion belongs to the format, answers fit its kind and scale
/// (`err-benefit-stale`: the criteria changed since the form was shown). Nothing is written when refused.
pub async fn save_ratings(
    db: &Db,
    participation_id: i64,
    participant_id: i64,
    measure_id: i64,
    answers: &[(i64, RatingValue)],
) -> StoreResult<()> {
    let sql = format!("{CRITERIA} WHERE participation_id = $1");
    let now = now_secs();
    in_tx!(db, tx => {
        let has_group: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM benefit_raters WHERE participant_id = $1 AND participation_id = $2",
        )
        .bind(participant_id).bind(participation_id).fetch_one(&mut *tx).await?;
        if has_group == 0 {
            return Err(StoreError::Refused("err-benefit-no-group"));
        }
        let item: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM participation_items i JOIN participations p ON p.id = i.participation_id \
             JOIN measures m ON m.id = i.item_id AND m.municipality_id = p.municipality_id \
             WHERE i.participation_id = $1 AND i.item_kind = 'massnahme' AND i.item_id = $2",
        )
        .bind(participation_id).bind(measure_id).fetch_one(&mut *tx).await?;
        if item == 0 {
            return Err(StoreError::Refused("err-benefit-unknown-measure"));
        }
        let crit = sqlx::query_as::<_, CriterionRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(participation_id).fetch_all(&mut *tx).await?;
        for (cid, value) in answers {
            let Some(c) = crit.iter().find(|c| c.id == *cid) else {
                return Err(StoreError::Refused("err-benefit-stale"));
            };
            let fits = match value {
                RatingValue::Ko(_) => c.is_ko(),
                RatingValue::Score(s) => !c.is_ko() && i64::from(*s) <= c.scale_max,
            };
            if !fits {
                return Err(StoreError::Refused("err-benefit-stale"));
            }
        }
        for (cid, value) in answers {
            let (ko, score) = match value {
                RatingValue::Ko(b) => (Some(*b), None),
                RatingValue::Score(s) => (None, Some(i64::from(*s))),
            };
            sqlx::query(
                "INSERT INTO benefit_ratings (participation_id, participant_id, measure_id, criterion_id, ko, score, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (participant_id, measure_id, criterion_id) \
                 DO UPDATE SET ko = excluded.ko, score = excluded.score, updated_at = excluded.updated_at",
            )
            .bind(participation_id).bind(participant_id).bind(measure_id).bind(*cid).bind(ko).bind(score).bind(now)
            .execute(&mut *tx).await?;
        }
        Ok(())
    })
}

#[derive(sqlx::FromRow)]
struct RatingRow {
    participant_id: i64,
    grp: String,
    measure_id: i64,
    criterion_id: i64,
    ko: Option<bool>,
    score: Option<i64>,
}

impl RatingRow {
    fn to_domain(&self) -> Option<Rating> {
        let value = match (self.ko, self.score) {
            (Some(b), _) => RatingValue::Ko(b),
            (None, Some(s)) => RatingValue::Score(u8::try_from(s).ok()?),
            (None, None) => return None,
        };
        Some(Rating {
            rater: self.participant_id,
            group: RaterGroup::parse(&self.grp)?,
            measure: self.measure_id,
            criterion: self.criterion_id,
            value,
        })
    }
}

/// Every rating of a format (anonymised raters included: their ratings keep counting).
pub async fn ratings(db: &Db, participation_id: i64) -> StoreResult<Vec<Rating>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, RatingRow>(
            "SELECT r.participant_id, g.grp, r.measure_id, r.criterion_id, r.ko, r.score FROM benefit_ratings r \
             JOIN benefit_raters g ON g.participant_id = r.participant_id \
             WHERE r.participation_id = $1 ORDER BY r.participant_id, r.measure_id, r.criterion_id",
        )
        .bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows.iter().filter_map(RatingRow::to_domain).collect())
}

/// One participant's ratings: `(measure, criterion, value)`.
pub async fn mine(db: &Db, participant_id: i64) -> StoreResult<Vec<(i64, i64, RatingValue)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, RatingRow>(
            "SELECT r.participant_id, g.grp, r.measure_id, r.criterion_id, r.ko, r.score FROM benefit_ratings r \
             JOIN benefit_raters g ON g.participant_id = r.participant_id \
             WHERE r.participant_id = $1 ORDER BY r.measure_id, r.criterion_id",
        )
        .bind(participant_id).fetch_all(pool).await?
    });
    Ok(rows
        .iter()
        .filter_map(RatingRow::to_domain)
        .map(|r| (r.measure, r.criterion, r.value))
        .collect())
}

/// One rating for the participant's data download.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ExportRow {
    pub measure_id: i64,
    pub measure: String,
    pub criterion: String,
    pub kind: String,
    pub ko: Option<bool>,
    pub score: Option<i64>,
    pub scale_max: i64,
    pub updated_at: i64,
}

/// A participant's group and ratings with names, for the DSGVO download.
pub async fn export(
    db: &Db,
    participant_id: i64,
) -> StoreResult<(Option<RaterGroup>, Vec<ExportRow>)> {
    let group = rater_group(db, participant_id).await?;
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, ExportRow>(
            "SELECT r.measure_id, COALESCE(m.title, '') AS measure, c.name AS criterion, c.kind, r.ko, r.score, \
             c.scale_max, r.updated_at FROM benefit_ratings r \
             JOIN benefit_criteria c ON c.id = r.criterion_id LEFT JOIN measures m ON m.id = r.measure_id \
             WHERE r.participant_id = $1 ORDER BY r.measure_id, c.position, c.id",
        )
        .bind(participant_id).fetch_all(pool).await?
    });
    Ok((group, rows))
}

// ---------------------------------------------------------------------------------------------------------
// Write-back to the measures

/// One measure's result to write back.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteBack {
    pub measure_id: i64,
    pub benefit: f64,
    pub effort: f64,
    /// `Quadrant::as_str`.
    pub quadrant: &'static str,
    pub rank: i64,
    /// `Priority::as_str` ("hoch", "mittel", "niedrig").
    pub priority: &'static str,
    /// What the measure's history shows as the new priority, e.g. "hoch (aus Nutzwertanalyse „…“)".
    pub note: String,
}

/// Write the results to the measures, all or nothing: each measure's priority is set, its version bumped
/// and a revision recorded (field `priority`, before → `note`) exactly as `measures::record_change` does,
/// and the scores are kept in `benefit_writebacks`. `NotFound` if a measure is not the municipality's.
pub async fn write_back(
    db: &Db,
    municipality_id: i64,
    participation_id: i64,
    author_id: i64,
    items: &[WriteBack],
) -> StoreResult<()> {
    let now = now_secs();
    in_tx!(db, tx => {
        for w in items {
            let before: Option<Option<String>> = sqlx::query_scalar(
                "SELECT priority FROM measures WHERE id = $1 AND municipality_id = $2",
            )
            .bind(w.measure_id).bind(municipality_id).fetch_optional(&mut *tx).await?;
            let Some(before) = before else { return Err(StoreError::NotFound) };
            let v: i64 = sqlx::query_scalar(
                "UPDATE measures SET priority = $1, version = version + 1, updated_at = $2 \
                 WHERE id = $3 AND municipality_id = $4 RETURNING version",
            )
            .bind(w.priority).bind(now).bind(w.measure_id).bind(municipality_id)
            .fetch_one(&mut *tx).await?;
            let changes = [FieldChange {
                field: "priority".into(),
                before: before.unwrap_or_default(),
                after: w.note.clone(),
            }];
            let changes_json = serde_json::to_string(&changes).unwrap_or_else(|_| "[]".into());
            sqlx::query("INSERT INTO measure_revisions (measure_id, version, author_id, created_at, changes) VALUES ($1, $2, $3, $4, $5)")
                .bind(w.measure_id).bind(v).bind(author_id).bind(now).bind(&changes_json)
                .execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO benefit_writebacks (measure_id, participation_id, benefit, effort, quadrant, rank, priority, author_id, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(w.measure_id).bind(participation_id).bind(w.benefit).bind(w.effort).bind(w.quadrant)
            .bind(w.rank).bind(w.priority).bind(author_id).bind(now)
            .execute(&mut *tx).await?;
        }
        Ok(())
    })
}

/// The latest write-back of each measure of a format: `(measure id, priority, at)`.
pub async fn writebacks_of(db: &Db, participation_id: i64) -> StoreResult<Vec<(i64, String, i64)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, String, i64)>(
            "SELECT w.measure_id, w.priority, w.at FROM benefit_writebacks w WHERE w.participation_id = $1 \
             AND w.id = (SELECT MAX(x.id) FROM benefit_writebacks x WHERE x.participation_id = w.participation_id \
             AND x.measure_id = w.measure_id) ORDER BY w.measure_id",
        )
        .bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// The analyses whose results were written to a measure, newest first, one row per analysis (its latest
/// write-back): `(participation id, title, benefit, effort, quadrant)`. For the link on the measure page.
pub async fn writebacks_for_measure(
    db: &Db,
    measure_id: i64,
) -> StoreResult<Vec<(i64, String, f64, f64, String)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, String, f64, f64, String)>(
            "SELECT p.id, p.title, w.benefit, w.effort, w.quadrant FROM benefit_writebacks w \
             JOIN participations p ON p.id = w.participation_id WHERE w.measure_id = $1 \
             AND w.id = (SELECT MAX(x.id) FROM benefit_writebacks x WHERE x.measure_id = w.measure_id \
             AND x.participation_id = w.participation_id) ORDER BY w.at DESC, w.id DESC",
        )
        .bind(measure_id).fetch_all(pool).await?
    });
    Ok(rows)
}
