//! Measure templates (Mustervorlagen) of the network: a sheet stored as JSON, published by the admin.

use crate::{Db, StoreError, StoreResult, now_secs, on_db};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Template {
    pub id: i64,
    pub title: String,
    pub short_description: String,
    pub primary_field_id: Option<i64>,
    pub sheet: String,
    pub published: bool,
}

pub async fn list(db: &Db, only_published: bool) -> StoreResult<Vec<Template>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Template>(
            "SELECT id, title, short_description, primary_field_id, sheet, published FROM measure_templates \
             WHERE published OR NOT $1 ORDER BY title",
        )
        .bind(only_published).fetch_all(pool).await?
    });
    Ok(rows)
}

pub async fn get(db: &Db, id: i64) -> StoreResult<Template> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Template>(
            "SELECT id, title, short_description, primary_field_id, sheet, published FROM measure_templates WHERE id = $1",
        )
        .bind(id).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}

/// Store a template from a sheet (JSON of `domain::measure::SheetInput`-shaped fields).
pub async fn create(
    db: &Db,
    title: &str,
    short: &str,
    primary_field_id: Option<i64>,
    sheet_json: &str,
    published: bool,
) -> StoreResult<i64> {
    let now = now_secs();
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO measure_templates (title, short_description, primary_field_id, sheet, published, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(title).bind(short).bind(primary_field_id).bind(sheet_json).bind(published).bind(now)
        .fetch_one(pool).await?
    });
    Ok(id)
}

pub async fn set_published(db: &Db, id: i64, published: bool) -> StoreResult<()> {
    let n = on_db!(db, pool => {
        sqlx::query("UPDATE measure_templates SET published = $1, updated_at = $2 WHERE id = $3")
            .bind(published).bind(now_secs()).bind(id).execute(pool).await?.rows_affected()
    });
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}
