//! Network-wide taxonomies: fields of action, SDGs, Smart City Charta guidelines, stakeholder groups.

use crate::{Db, StoreError, StoreResult, on_db};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Term {
    pub id: i64,
    pub taxonomy: String,
    pub term_key: String,
    pub name: String,
    pub description: String,
    pub icon: String,
    pub color: String,
    pub position: i64,
    pub active: bool,
}

pub const FIELD_OF_ACTION: &str = "field_of_action";
pub const SDG: &str = "sdg";
pub const CHARTA: &str = "charta";
pub const STAKEHOLDER_GROUP: &str = "stakeholder_group";

/// All terms of one taxonomy in their order (inactive ones included; callers filter).
pub async fn list(db: &Db, taxonomy: &str) -> StoreResult<Vec<Term>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Term>(
            "SELECT id, taxonomy, term_key, name, description, icon, color, position, active FROM taxonomy_terms \
             WHERE taxonomy = $1 ORDER BY position, name",
        )
        .bind(taxonomy).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Every term of every taxonomy (one query; callers group).
pub async fn all(db: &Db) -> StoreResult<Vec<Term>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Term>(
            "SELECT id, taxonomy, term_key, name, description, icon, color, position, active FROM taxonomy_terms \
             ORDER BY taxonomy, position, name",
        )
        .fetch_all(pool).await?
    });
    Ok(rows)
}

pub async fn by_id(db: &Db, id: i64) -> StoreResult<Term> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Term>(
            "SELECT id, taxonomy, term_key, name, description, icon, color, position, active FROM taxonomy_terms WHERE id = $1",
        )
        .bind(id).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}

/// Create a term at the end of its taxonomy; `Conflict("term_key")` if the key is taken.
pub async fn create(
    db: &Db,
    taxonomy: &str,
    key: &str,
    name: &str,
    description: &str,
    color: &str,
) -> StoreResult<i64> {
    let r = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO taxonomy_terms (taxonomy, term_key, name, description, color, position) \
             VALUES ($1, $2, $3, $4, $5, (SELECT COALESCE(MAX(position), 0) + 1 FROM taxonomy_terms WHERE taxonomy = $1)) \
             RETURNING id",
        )
        .bind(taxonomy).bind(key).bind(name).bind(description).bind(color)
        .fetch_one(pool).await
    });
    r.map_err(|e| match StoreError::classify(e) {
        StoreError::Conflict(_) => StoreError::Conflict("term_key".into()),
        other => other,
    })
}

pub async fn update(
    db: &Db,
    id: i64,
    name: &str,
    description: &str,
    color: &str,
    active: bool,
) -> StoreResult<()> {
    let n = on_db!(db, pool => {
        sqlx::query("UPDATE taxonomy_terms SET name = $1, description = $2, color = $3, active = $4 WHERE id = $5")
            .bind(name).bind(description).bind(color).bind(active).bind(id)
            .execute(pool).await?.rows_affected()
    });
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}
