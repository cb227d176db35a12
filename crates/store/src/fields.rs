//! A municipality's fields of action (selection with priority and rationale) and its goals.

use crate::{Db, StoreError, StoreResult, on_db};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CityField {
    pub field_id: i64,
    pub name: String,
    pub color: String,
    pub icon: String,
    pub priority: String,
    pub rationale: String,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Goal {
    pub id: i64,
    pub municipality_id: i64,
    pub field_id: i64,
    pub text: String,
    pub indicator: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub target_value: Option<f64>,
    pub target_year: Option<i64>,
}

/// The selected fields of a municipality, high priority first.
pub async fn selected(db: &Db, municipality_id: i64) -> StoreResult<Vec<CityField>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, CityField>(
            "SELECT t.id AS field_id, t.name, t.color, t.icon, c.priority, c.rationale FROM city_fields c \
             JOIN taxonomy_terms t ON t.id = c.field_id WHERE c.municipality_id = $1 \
             ORDER BY CASE c.priority WHEN 'hoch' THEN 1 WHEN 'mittel' THEN 2 ELSE 3 END, t.position",
        )
        .bind(municipality_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Select a field (or change priority and rationale of a selected one).
pub async fn select(
    db: &Db,
    municipality_id: i64,
    field_id: i64,
    priority: &str,
    rationale: &str,
) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query(
            "INSERT INTO city_fields (municipality_id, field_id, priority, rationale) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (municipality_id, field_id) DO UPDATE SET priority = excluded.priority, rationale = excluded.rationale",
        )
        .bind(municipality_id).bind(field_id).bind(priority).bind(rationale)
        .execute(pool).await?;
    });
    Ok(())
}

pub async fn deselect(db: &Db, municipality_id: i64, field_id: i64) -> StoreResult<()> {
    let n = on_db!(db, pool => {
        sqlx::query("DELETE FROM city_fields WHERE municipality_id = $1 AND field_id = $2")
            .bind(municipality_id).bind(field_id).execute(pool).await?.rows_affected()
    });
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub async fn goals(db: &Db, municipality_id: i64) -> StoreResult<Vec<Goal>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Goal>(
            "SELECT id, municipality_id, field_id, text, indicator, unit, baseline, target_value, target_year FROM goals \
             WHERE municipality_id = $1 ORDER BY field_id, id",
        )
        .bind(municipality_id).fetch_all(pool).await?
    });
    Ok(rows)
}

pub struct NewGoal<'a> {
    pub field_id: i64,
    pub text: &'a str,
    pub indicator: &'a str,
    pub unit: &'a str,
    pub baseline: Option<f64>,
    pub target_value: Option<f64>,
    pub target_year: Option<i64>,
}

pub async fn add_goal(db: &Db, municipality_id: i64, g: &NewGoal<'_>) -> StoreResult<i64> {
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO goals (municipality_id, field_id, text, indicator, unit, baseline, target_value, target_year, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(municipality_id).bind(g.field_id).bind(g.text).bind(g.indicator).bind(g.unit)
        .bind(g.baseline).bind(g.target_value).bind(g.target_year).bind(crate::now_secs())
        .fetch_one(pool).await?
    });
    Ok(id)
}
