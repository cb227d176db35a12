//! Stakeholders (Akteure) of a municipality: organisations and persons with a group.

use crate::{Db, StoreError, StoreResult, now_secs, on_db};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Stakeholder {
    pub id: i64,
    pub municipality_id: i64,
    pub kind: String,
    pub name: String,
    pub group_id: Option<i64>,
    pub group_name: Option<String>,
    pub organisation_id: Option<i64>,
    pub email: String,
}

pub async fn list(db: &Db, municipality_id: i64) -> StoreResult<Vec<Stakeholder>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Stakeholder>(
            "SELECT s.id, s.municipality_id, s.kind, s.name, s.group_id, t.name AS group_name, s.organisation_id, s.email \
             FROM stakeholders s LEFT JOIN taxonomy_terms t ON t.id = s.group_id \
             WHERE s.municipality_id = $1 ORDER BY s.name",
        )
        .bind(municipality_id).fetch_all(pool).await?
    });
    Ok(rows)
}

pub async fn create(
    db: &Db,
    municipality_id: i64,
    kind: &str,
    name: &str,
    group_id: Option<i64>,
    organisation_id: Option<i64>,
    email: &str,
) -> StoreResult<i64> {
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO stakeholders (municipality_id, kind, name, group_id, organisation_id, email, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(municipality_id).bind(kind).bind(name).bind(group_id).bind(organisation_id).bind(email).bind(now_secs())
        .fetch_one(pool).await?
    });
    Ok(id)
}

/// A stakeholder of this municipality (never another's).
pub async fn get(db: &Db, municipality_id: i64, id: i64) -> StoreResult<Stakeholder> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Stakeholder>(
            "SELECT s.id, s.municipality_id, s.kind, s.name, s.group_id, t.name AS group_name, s.organisation_id, s.email \
             FROM stakeholders s LEFT JOIN taxonomy_terms t ON t.id = s.group_id WHERE s.id = $1 AND s.municipality_id = $2",
        )
        .bind(id).bind(municipality_id).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}
