//! The network's library across cities: measures of every city the viewer may see (filtered and paged in SQL),
//! and the candidates for "similar measures in other cities". The visibility rule (ADR 0006) is one SQL
//! predicate here, fed from `domain::permission::Actor`.

use crate::{Db, StoreResult, on_db};
use domain::permission::Actor;

/// Who looks, in the three facts the visibility rule needs.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    /// A network role (admin, steering group): every visibility in every city.
    pub all: bool,
    /// Coordinator or editor somewhere (or a network role): `netzwerk` and up everywhere.
    pub network_member: bool,
    /// Members see everything of their own cities (any role).
    pub user_id: Option<i64>,
}

impl Viewer {
    pub fn of(actor: &Actor) -> Viewer {
        Viewer {
            all: actor.network_role.is_some(),
            network_member: actor.is_network_member(),
            user_id: actor.user_id,
        }
    }
}

/// The visibility predicate on `m` (measures), with the viewer's facts in parameters `$a`, `$b`, `$c`.
fn visible(a: u8, b: u8, c: u8) -> String {
    format!(
        "(${a} OR m.visibility = 'oeffentlich' OR (m.visibility = 'netzwerk' AND ${b}) \
         OR EXISTS (SELECT 1 FROM memberships ms WHERE ms.user_id = ${c} AND ms.municipality_id = m.municipality_id))"
    )
}

/// Filters of the library (all optional).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LibraryFilter {
    pub field_id: Option<i64>,
    /// Population range of the size class: `min <= population < max`.
    pub population: Option<(i64, i64)>,
    pub status: Option<String>,
    /// Investment costs in euros, inclusive.
    pub cost_min: Option<i64>,
    pub cost_max: Option<i64>,
    /// Words looked for in title and short description (case-insensitive substring).
    pub text: Option<String>,
}

/// One measure of the library.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LibraryRow {
    pub id: i64,
    pub municipality_id: i64,
    pub slug: String,
    pub city: String,
    pub population: i64,
    pub title: String,
    pub short_description: String,
    pub status: String,
    pub status_name: String,
    pub visibility: String,
    pub field_name: Option<String>,
    pub investment_costs: Option<i64>,
    /// Matches of the whole filter (the same on every row).
    pub total: i64,
}

/// One page of the library, sorted by city and title — one query (the total comes as a window count).
pub async fn measures(
    db: &Db,
    viewer: Viewer,
    f: &LibraryFilter,
    limit: i64,
    offset: i64,
) -> StoreResult<Vec<LibraryRow>> {
    let sql = format!(
        "SELECT m.id, m.municipality_id, k.slug, k.name AS city, k.population, m.title, m.short_description, \
         m.status, s.name AS status_name, m.visibility, t.name AS field_name, m.investment_costs, \
         COUNT(*) OVER () AS total \
         FROM measures m JOIN municipalities k ON k.id = m.municipality_id \
         JOIN measure_statuses s ON s.status_key = m.status LEFT JOIN taxonomy_terms t ON t.id = m.primary_field_id \
         WHERE {} \
         AND ($4 IS NULL OR m.primary_field_id = $4 OR EXISTS (SELECT 1 FROM measure_fields mf WHERE mf.measure_id = m.id AND mf.field_id = $4)) \
         AND ($5 IS NULL OR k.population >= $5) AND ($6 IS NULL OR k.population < $6) \
         AND ($7 IS NULL OR m.status = $7) \
         AND ($8 IS NULL OR m.investment_costs >= $8) AND ($9 IS NULL OR m.investment_costs <= $9) \
         AND ($10 IS NULL OR LOWER(m.title) LIKE $10 OR LOWER(m.short_description) LIKE $10) \
         ORDER BY k.name, m.title, m.id LIMIT $11 OFFSET $12",
        visible(1, 2, 3)
    );
    let text = f
        .text
        .as_ref()
        .map(|t| format!("%{}%", t.to_lowercase().replace(['%', '_'], "")));
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, LibraryRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(viewer.all).bind(viewer.network_member).bind(viewer.user_id)
            .bind(f.field_id).bind(f.population.map(|p| p.0)).bind(f.population.map(|p| p.1))
            .bind(&f.status).bind(f.cost_min).bind(f.cost_max).bind(&text).bind(limit).bind(offset)
            .fetch_all(pool).await?
    });
    Ok(rows)
}

/// Upper bound of candidates read for the similarity ranking.
pub const SIMILAR_CANDIDATES: i64 = 300;

/// A candidate for "similar measures": one row per (measure, further field); `further_field_id` is `None` for a
/// measure without further fields.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CandidateRow {
    pub id: i64,
    pub slug: String,
    pub city: String,
    pub title: String,
    pub short_description: String,
    pub status_name: String,
    pub primary_field_id: Option<i64>,
    pub further_field_id: Option<i64>,
}

/// Measures of other cities than `municipality_id` that the viewer may see, as candidates for the similarity
/// of measure `measure_id`: at most [`SIMILAR_CANDIDATES`] measures, those sharing a field of action with it
/// first, then the most recently changed — one query.
pub async fn similar_candidates(
    db: &Db,
    viewer: Viewer,
    municipality_id: i64,
    measure_id: i64,
) -> StoreResult<Vec<CandidateRow>> {
    let sql = format!(
        "SELECT c.id, c.slug, c.city, c.title, c.short_description, c.status_name, c.primary_field_id, \
         mf.field_id AS further_field_id FROM ( \
           SELECT m.id, k.slug, k.name AS city, m.title, m.short_description, s.name AS status_name, \
           m.primary_field_id, CASE WHEN EXISTS ( \
             SELECT 1 FROM measures tm WHERE tm.id = $5 AND tm.primary_field_id IS NOT NULL \
             AND (tm.primary_field_id = m.primary_field_id \
               OR tm.primary_field_id IN (SELECT x.field_id FROM measure_fields x WHERE x.measure_id = m.id))) \
           OR EXISTS (SELECT 1 FROM measure_fields tf WHERE tf.measure_id = $5 \
             AND (tf.field_id = m.primary_field_id \
               OR tf.field_id IN (SELECT x.field_id FROM measure_fields x WHERE x.measure_id = m.id))) \
           THEN 0 ELSE 1 END AS related, m.updated_at \
           FROM measures m JOIN municipalities k ON k.id = m.municipality_id \
           JOIN measure_statuses s ON s.status_key = m.status \
           WHERE m.municipality_id <> $4 AND {} \
           ORDER BY related, m.updated_at DESC, m.id LIMIT $6 \
         ) c LEFT JOIN measure_fields mf ON mf.measure_id = c.id ORDER BY c.id, mf.field_id",
        visible(1, 2, 3)
    );
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, CandidateRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(viewer.all).bind(viewer.network_member).bind(viewer.user_id)
            .bind(municipality_id).bind(measure_id).bind(SIMILAR_CANDIDATES)
            .fetch_all(pool).await?
    });
    Ok(rows)
}
