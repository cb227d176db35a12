//! Reads for open-data downloads and feeds: located ideas and measures, milestones of public measures, and the
//! last change of each dataset (for `dct:modified`). Visibility is filtered in SQL, like every city query.

use crate::measures::min_rank;
use crate::{Db, StoreResult, on_db};
use domain::visibility::Visibility;

/// An idea with coordinates.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LocatedIdea {
    pub id: i64,
    pub participation_id: i64,
    pub participation_title: String,
    pub title: String,
    pub state: String,
    pub lat: f64,
    pub lon: f64,
    pub created_at: i64,
}

/// Visible ideas with coordinates of the city's formats: published formats only, unless `with_unpublished`
/// (the city's editors see their drafts' ideas on the pages too).
pub async fn located_ideas(
    db: &Db,
    municipality_id: i64,
    with_unpublished: bool,
) -> StoreResult<Vec<LocatedIdea>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, LocatedIdea>(
            "SELECT d.id, d.participation_id, p.title AS participation_title, d.title, d.state, d.lat, d.lon, d.created_at \
             FROM ideas d JOIN participations p ON p.id = d.participation_id \
             WHERE p.municipality_id = $1 AND (p.published = TRUE OR $2 = TRUE) AND d.state = 'sichtbar' \
               AND d.lat IS NOT NULL AND d.lon IS NOT NULL \
             ORDER BY d.id",
        )
        .bind(municipality_id).bind(with_unpublished).fetch_all(pool).await?
    });
    Ok(rows)
}

/// A measure with its location (GeoJSON text as stored).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LocatedMeasure {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub status_name: String,
    pub visibility: String,
    pub location_geojson: String,
    pub updated_at: i64,
}

/// Measures the viewer may see that have a location.
pub async fn located_measures(
    db: &Db,
    municipality_id: i64,
    min: Visibility,
) -> StoreResult<Vec<LocatedMeasure>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, LocatedMeasure>(
            "SELECT m.id, m.title, m.status, s.name AS status_name, m.visibility, m.location_geojson, m.updated_at \
             FROM measures m JOIN measure_statuses s ON s.status_key = m.status \
             WHERE m.municipality_id = $1 \
               AND (CASE m.visibility WHEN 'intern' THEN 0 WHEN 'netzwerk' THEN 1 ELSE 2 END) >= $2 \
               AND m.location_geojson <> '' \
             ORDER BY m.id",
        )
        .bind(municipality_id).bind(min_rank(min)).fetch_all(pool).await?
    });
    Ok(rows)
}

/// A dated milestone of a public measure.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicMilestone {
    pub id: i64,
    pub measure_id: i64,
    pub measure_title: String,
    pub title: String,
    /// ISO date.
    pub due_date: String,
    pub done_on: Option<String>,
}

/// Milestones with a due date of the city's public measures, by date.
pub async fn public_milestones(db: &Db, municipality_id: i64) -> StoreResult<Vec<PublicMilestone>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, PublicMilestone>(
            "SELECT ms.id, ms.measure_id, m.title AS measure_title, ms.title, ms.due_date, ms.done_on \
             FROM milestones ms JOIN measures m ON m.id = ms.measure_id \
             WHERE m.municipality_id = $1 AND m.visibility = 'oeffentlich' AND ms.due_date IS NOT NULL \
             ORDER BY ms.due_date, ms.id",
        )
        .bind(municipality_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// When each public dataset of a city last changed (Unix seconds; `None` when the dataset is empty).
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Modified {
    pub measures: Option<i64>,
    pub measures_count: i64,
    pub located_measures: i64,
    pub ideas: Option<i64>,
    pub located_ideas: i64,
    pub workshops: Option<i64>,
    pub workshops_count: i64,
    pub participations: Option<i64>,
    pub participations_count: i64,
    pub milestones_count: i64,
}

/// Sizes and last changes of the city's public datasets, in one query.
pub async fn public_modified(db: &Db, municipality_id: i64) -> StoreResult<Modified> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Modified>(
            "SELECT \
               (SELECT MAX(updated_at) FROM measures WHERE municipality_id = $1 AND visibility = 'oeffentlich') AS measures, \
               (SELECT COUNT(*) FROM measures WHERE municipality_id = $1 AND visibility = 'oeffentlich') AS measures_count, \
               (SELECT COUNT(*) FROM measures WHERE municipality_id = $1 AND visibility = 'oeffentlich' AND location_geojson <> '') AS located_measures, \
               (SELECT MAX(d.created_at) FROM ideas d JOIN participations p ON p.id = d.participation_id \
                 WHERE p.municipality_id = $1 AND p.published = TRUE AND d.state = 'sichtbar') AS ideas, \
               (SELECT COUNT(*) FROM ideas d JOIN participations p ON p.id = d.participation_id \
                 WHERE p.municipality_id = $1 AND p.published = TRUE AND d.state = 'sichtbar' AND d.lat IS NOT NULL) AS located_ideas, \
               (SELECT MAX(updated_at) FROM workshops WHERE municipality_id = $1 AND visibility = 'oeffentlich') AS workshops, \
               (SELECT COUNT(*) FROM workshops WHERE municipality_id = $1 AND visibility = 'oeffentlich') AS workshops_count, \
               (SELECT MAX(updated_at) FROM participations WHERE municipality_id = $1 AND published = TRUE) AS participations, \
               (SELECT COUNT(*) FROM participations WHERE municipality_id = $1 AND published = TRUE) AS participations_count, \
               (SELECT COUNT(*) FROM milestones ms JOIN measures m ON m.id = ms.measure_id \
                 WHERE m.municipality_id = $1 AND m.visibility = 'oeffentlich' AND ms.due_date IS NOT NULL) AS milestones_count",
        )
        .bind(municipality_id).fetch_one(pool).await?
    });
    Ok(row)
}
