//! Published versions of the Umsetzungskonzept (ADR 0012): append-only, numbered per municipality; the
//! schema refuses changes to a stored version (trigger `concept_versions_immutable`).

use crate::{Db, StoreError, StoreResult, in_tx, now_secs, on_db};

/// A published version without its (large) document columns.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionInfo {
    pub id: i64,
    pub version: i64,
    pub published_at: i64,
    /// Display name of the publisher; `None` once the account is deleted.
    pub published_by: Option<String>,
    pub visibility: String,
    pub title: String,
    pub note: String,
}

/// A published version with its Markdown and the JSON document it was compiled from.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Version {
    pub version: i64,
    pub published_at: i64,
    pub published_by: Option<String>,
    pub visibility: String,
    pub title: String,
    pub note: String,
    pub markdown: String,
    pub document: String,
}

/// What a new version stores.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub visibility: &'a str,
    pub title: &'a str,
    pub note: &'a str,
    pub markdown: &'a str,
    pub document: &'a str,
}

/// The number the next version of the municipality gets (1, 2, …).
pub async fn next_version(db: &Db, municipality_id: i64) -> StoreResult<i64> {
    let next = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "SELECT CAST(COALESCE(MAX(version), 0) + 1 AS BIGINT) FROM concept_versions WHERE municipality_id = $1",
        )
        .bind(municipality_id).fetch_one(pool).await?
    });
    Ok(next)
}

/// Stores version `next` (from [`next_version`], as the document names it). If another version with that
/// number was published meanwhile, nothing is written and `Conflict("version")` is returned.
pub async fn publish(
    db: &Db,
    municipality_id: i64,
    next: i64,
    published_by: i64,
    v: &NewVersion<'_>,
) -> StoreResult<i64> {
    let now = now_secs();
    in_tx!(db, tx => {
        sqlx::query(
            "INSERT INTO concept_versions (municipality_id, version, published_at, published_by, visibility, \
             title, note, markdown, document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(municipality_id).bind(next).bind(now).bind(published_by).bind(v.visibility)
        .bind(v.title).bind(v.note).bind(v.markdown).bind(v.document)
        .execute(&mut *tx).await.map_err(StoreError::classify)?;
        Ok(next)
    })
}

/// The versions of a municipality whose visibility is one of `visible` (what the reader may see), newest
/// first.
pub async fn list(
    db: &Db,
    municipality_id: i64,
    visible: &[&str],
) -> StoreResult<Vec<VersionInfo>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, VersionInfo>(
            "SELECT c.id, c.version, c.published_at, u.display_name AS published_by, c.visibility, c.title, c.note \
             FROM concept_versions c LEFT JOIN users u ON u.id = c.published_by \
             WHERE c.municipality_id = $1 ORDER BY c.version DESC",
        )
        .bind(municipality_id).fetch_all(pool).await?
    });
    Ok(rows
        .into_iter()
        .filter(|r| visible.contains(&r.visibility.as_str()))
        .collect())
}

/// One version with its content; `NotFound` if it does not exist in the municipality.
pub async fn get(db: &Db, municipality_id: i64, version: i64) -> StoreResult<Version> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Version>(
            "SELECT c.version, c.published_at, u.display_name AS published_by, c.visibility, c.title, c.note, \
             c.markdown, c.document FROM concept_versions c LEFT JOIN users u ON u.id = c.published_by \
             WHERE c.municipality_id = $1 AND c.version = $2",
        )
        .bind(municipality_id).bind(version).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}
