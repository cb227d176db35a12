//! The Smart City definition: versions (optimistic concurrency through a unique version number),
//! status with the council decision, comments.

use crate::{Db, StoreError, StoreResult, in_tx, now_secs, on_db};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Definition {
    pub municipality_id: i64,
    pub status: String,
    pub current_version: i64,
    pub visibility: String,
    pub decision_date: Option<String>,
    pub decision_reference: Option<String>,
    pub decision_link: Option<String>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Version {
    pub version: i64,
    pub body_md: String,
    pub author: Option<String>,
    pub note: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Comment {
    pub id: i64,
    pub version: i64,
    pub author: Option<String>,
    pub body: String,
    pub created_at: i64,
}

/// The definition of a municipality, if one was ever saved.
pub async fn get(db: &Db, municipality_id: i64) -> StoreResult<Option<Definition>> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Definition>(
            "SELECT municipality_id, status, current_version, visibility, decision_date, decision_reference, \
             decision_link, updated_at FROM definitions WHERE municipality_id = $1",
        )
        .bind(municipality_id).fetch_optional(pool).await?
    });
    Ok(row)
}

/// One version (0 = none).
pub async fn version(db: &Db, municipality_id: i64, version: i64) -> StoreResult<Version> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Version>(
            "SELECT v.version, v.body_md, u.display_name AS author, v.note, v.created_at FROM definition_versions v \
             LEFT JOIN users u ON u.id = v.author_id WHERE v.municipality_id = $1 AND v.version = $2",
        )
        .bind(municipality_id).bind(version).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}

/// All versions, newest first, without bodies' authors resolved separately.
pub async fn versions(db: &Db, municipality_id: i64) -> StoreResult<Vec<Version>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Version>(
            "SELECT v.version, v.body_md, u.display_name AS author, v.note, v.created_at FROM definition_versions v \
             LEFT JOIN users u ON u.id = v.author_id WHERE v.municipality_id = $1 ORDER BY v.version DESC",
        )
        .bind(municipality_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Save a new version on top of `base_version`. If someone saved in between, nothing is written and
/// `Conflict("version")` is returned, so the caller can show both texts.
pub async fn save(
    db: &Db,
    municipality_id: i64,
    base_version: i64,
    body_md: &str,
    note: &str,
    author_id: i64,
) -> StoreResult<i64> {
    let now = now_secs();
    let next = base_version + 1;
    let r: StoreResult<i64> = in_tx!(db, tx => {
        let current: Option<i64> = sqlx::query_scalar("SELECT current_version FROM definitions WHERE municipality_id = $1")
            .bind(municipality_id).fetch_optional(&mut *tx).await?;
        if current.unwrap_or(0) != base_version {
            return Err(StoreError::Conflict("version".into()));
        }
        sqlx::query(
            "INSERT INTO definition_versions (municipality_id, version, body_md, author_id, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(municipality_id).bind(next).bind(body_md).bind(author_id).bind(note).bind(now)
        .execute(&mut *tx).await.map_err(StoreError::classify)?;
        sqlx::query(
            "INSERT INTO definitions (municipality_id, current_version, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (municipality_id) DO UPDATE SET current_version = excluded.current_version, \
             updated_at = excluded.updated_at, status = CASE WHEN definitions.status = 'beschlossen' \
             THEN 'entwurf' ELSE definitions.status END",
        )
        .bind(municipality_id).bind(next).bind(now)
        .execute(&mut *tx).await?;
        search_change!(tx, "leitbild", municipality_id);
        Ok(next)
    });
    match r {
        Err(StoreError::Conflict(_)) => Err(StoreError::Conflict("version".into())),
        other => other,
    }
}

/// Set the status (and, for "beschlossen", the council decision).
pub async fn set_status(
    db: &Db,
    municipality_id: i64,
    status: &str,
    decision: Option<(&str, &str, &str)>,
) -> StoreResult<()> {
    let (date, reference, link) = match decision {
        Some((d, r, l)) => (Some(d), Some(r), Some(l)),
        None => (None, None, None),
    };
    let n = on_db!(db, pool => {
        sqlx::query(
            "UPDATE definitions SET status = $1, decision_date = $2, decision_reference = $3, decision_link = $4, \
             updated_at = $5 WHERE municipality_id = $6",
        )
        .bind(status).bind(date).bind(reference).bind(link).bind(now_secs()).bind(municipality_id)
        .execute(pool).await?.rows_affected()
    });
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub async fn set_visibility(db: &Db, municipality_id: i64, visibility: &str) -> StoreResult<()> {
    let n = in_tx!(db, tx => {
        let n = sqlx::query("UPDATE definitions SET visibility = $1 WHERE municipality_id = $2")
            .bind(visibility).bind(municipality_id)
            .execute(&mut *tx).await?.rows_affected();
        search_change!(tx, "leitbild", municipality_id);
        Ok(n)
    })?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub async fn comments(db: &Db, municipality_id: i64) -> StoreResult<Vec<Comment>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Comment>(
            "SELECT c.id, c.version, u.display_name AS author, c.body, c.created_at FROM definition_comments c \
             LEFT JOIN users u ON u.id = c.author_id WHERE c.municipality_id = $1 ORDER BY c.created_at, c.id",
        )
        .bind(municipality_id).fetch_all(pool).await?
    });
    Ok(rows)
}

pub async fn add_comment(
    db: &Db,
    municipality_id: i64,
    version: i64,
    author_id: i64,
    body: &str,
) -> StoreResult<i64> {
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO definition_comments (municipality_id, version, author_id, body, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(municipality_id).bind(version).bind(author_id).bind(body).bind(now_secs())
        .fetch_one(pool).await?
    });
    Ok(id)
}
