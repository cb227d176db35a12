//! Municipalities.

use crate::{Db, StoreError, StoreResult, in_tx, now_secs, on_db};
use domain::municipality::{MunicipalityDraft, SizeClass};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Municipality {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub ags: String,
    pub population: i64,
    pub state: String,
    pub is_demo: bool,
}

impl Municipality {
    pub fn size_class(&self) -> SizeClass {
        SizeClass::from_population(u32::try_from(self.population).unwrap_or(u32::MAX))
    }
}

/// All municipalities ordered by name.
pub async fn list(db: &Db) -> StoreResult<Vec<Municipality>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Municipality>(
            "SELECT id, slug, name, ags, population, state, is_demo FROM municipalities ORDER BY name, id",
        )
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

/// A page of municipalities, optionally restricted to a population range, with the total count.
pub async fn page(
    db: &Db,
    population_range: Option<(i64, i64)>,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<Municipality>, i64)> {
    let (lo, hi) = population_range.unwrap_or((0, i64::MAX));
    let result = on_db!(db, pool => {
        let rows = sqlx::query_as::<_, Municipality>(
            "SELECT id, slug, name, ags, population, state, is_demo FROM municipalities \
             WHERE population >= $1 AND population < $2 ORDER BY name, id LIMIT $3 OFFSET $4",
        )
        .bind(lo).bind(hi).bind(limit).bind(offset)
        .fetch_all(pool)
        .await?;
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM municipalities WHERE population >= $1 AND population < $2",
        )
        .bind(lo).bind(hi)
        .fetch_one(pool)
        .await?;
        (rows, total)
    });
    Ok(result)
}

pub async fn by_slug(db: &Db, slug: &str) -> StoreResult<Municipality> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Municipality>(
            "SELECT id, slug, name, ags, population, state, is_demo FROM municipalities WHERE slug = $1",
        )
        .bind(slug)
        .fetch_optional(pool)
        .await?
    });
    row.ok_or(StoreError::NotFound)
}

pub async fn by_id(db: &Db, id: i64) -> StoreResult<Municipality> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Municipality>(
            "SELECT id, slug, name, ags, population, state, is_demo FROM municipalities WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?
    });
    row.ok_or(StoreError::NotFound)
}

/// Insert a municipality; `Conflict("slug")` or `Conflict("ags")` when either is taken.
pub async fn create(db: &Db, d: &MunicipalityDraft, is_demo: bool) -> StoreResult<i64> {
    let now = now_secs();
    let result = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO municipalities (slug, name, ags, population, state, is_demo, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(d.slug.as_str()).bind(&d.name).bind(d.ags.as_str()).bind(i64::from(d.population))
        .bind(d.state.code).bind(is_demo).bind(now)
        .fetch_one(pool)
        .await
    });
    result.map_err(|e| name_conflict(StoreError::classify(e)))
}

/// Update a municipality by id.
pub async fn update(db: &Db, id: i64, d: &MunicipalityDraft) -> StoreResult<()> {
    let now = now_secs();
    let result = in_tx!(db, tx => {
        let n = sqlx::query(
            "UPDATE municipalities SET slug = $1, name = $2, ags = $3, population = $4, state = $5, \
             updated_at = $6 WHERE id = $7",
        )
        .bind(d.slug.as_str()).bind(&d.name).bind(d.ags.as_str()).bind(i64::from(d.population))
        .bind(d.state.code).bind(now).bind(id)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::classify)?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        // Name and slug are part of every search document of the city.
        sqlx::query(crate::search::REQUEUE_CITY).bind(id).bind(now).execute(&mut *tx).await?;
        Ok(())
    });
    result.map_err(name_conflict)
}

/// Map engine-specific constraint names onto the field that caused them.
fn name_conflict(e: StoreError) -> StoreError {
    match e {
        StoreError::Conflict(c) if c.contains("slug") => StoreError::Conflict("slug".into()),
        StoreError::Conflict(c) if c.contains("ags") => StoreError::Conflict("ags".into()),
        other => other,
    }
}
