//! The network: one per deployment.

use crate::{Db, StoreResult, on_db};

pub async fn name(db: &Db) -> StoreResult<Option<String>> {
    let n = on_db!(db, pool => {
        sqlx::query_scalar::<_, String>("SELECT name FROM network WHERE id = 1").fetch_optional(pool).await?
    });
    Ok(n)
}

/// Set the network's name, creating the row on first use.
pub async fn set_name(db: &Db, name: &str) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query("INSERT INTO network (id, name) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET name = excluded.name")
            .bind(name).execute(pool).await?;
    });
    Ok(())
}

// ---- network dashboard: grouped counts over all cities, a fixed number of queries whatever their number ----

/// `(municipality, status key, measures)` over all measures (the dashboard's roles see every visibility).
pub async fn measures_by_status(db: &Db) -> StoreResult<Vec<(i64, String, i64)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, String, i64)>(
            "SELECT municipality_id, status, COUNT(*) FROM measures GROUP BY municipality_id, status",
        )
        .fetch_all(pool).await?
    });
    Ok(rows)
}

/// `(municipality, primary field name or none, measures)`.
pub async fn measures_by_field(db: &Db) -> StoreResult<Vec<(i64, Option<String>, i64)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, Option<String>, i64)>(
            "SELECT m.municipality_id, t.name, COUNT(*) FROM measures m \
             LEFT JOIN taxonomy_terms t ON t.id = m.primary_field_id GROUP BY m.municipality_id, t.name",
        )
        .fetch_all(pool).await?
    });
    Ok(rows)
}

/// Participation per city.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct ParticipationFigures {
    pub municipality_id: i64,
    /// Participation formats (any state).
    pub formats: i64,
    /// Participants who joined a format (accounts, confirmed or unconfirmed e-mail, guests, access codes).
    pub participants: i64,
    /// Contributions: ideas, comments on ideas, survey responses, votes of point voting, opinion statements and
    /// votes on them, ratings of a benefit analysis.
    pub contributions: i64,
}

pub async fn participation(db: &Db) -> StoreResult<Vec<ParticipationFigures>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, ParticipationFigures>(
            "SELECT p.municipality_id, COUNT(*) AS formats, \
             CAST(COALESCE(SUM((SELECT COUNT(*) FROM participants x WHERE x.participation_id = p.id)), 0) AS BIGINT) AS participants, \
             CAST(COALESCE(SUM( \
               (SELECT COUNT(*) FROM ideas x WHERE x.participation_id = p.id) \
             + (SELECT COUNT(*) FROM idea_comments x WHERE x.participation_id = p.id) \
             + (SELECT COUNT(*) FROM survey_responses x WHERE x.participation_id = p.id) \
             + (SELECT COUNT(*) FROM participation_votes x WHERE x.participation_id = p.id) \
             + (SELECT COUNT(*) FROM opinion_statements x WHERE x.participation_id = p.id) \
             + (SELECT COUNT(*) FROM opinion_votes x WHERE x.participation_id = p.id) \
             + (SELECT COUNT(*) FROM benefit_ratings x WHERE x.participation_id = p.id)), 0) AS BIGINT) AS contributions \
             FROM participations p GROUP BY p.municipality_id",
        )
        .fetch_all(pool).await?
    });
    Ok(rows)
}

/// `(municipality, measures with a progress report, sum of the percent of each one's latest report)`.
pub async fn latest_progress(db: &Db) -> StoreResult<Vec<(i64, i64, i64)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, i64, i64)>(
            "SELECT m.municipality_id, COUNT(*), CAST(COALESCE(SUM(r.percent), 0) AS BIGINT) FROM progress_reports r \
             JOIN measures m ON m.id = r.measure_id \
             WHERE NOT EXISTS (SELECT 1 FROM progress_reports n WHERE n.measure_id = r.measure_id \
               AND (n.reported_on > r.reported_on OR (n.reported_on = r.reported_on AND n.id > r.id))) \
             GROUP BY m.municipality_id",
        )
        .fetch_all(pool).await?
    });
    Ok(rows)
}
