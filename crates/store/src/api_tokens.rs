//! Per-city API tokens for integrations (ADR 0016). Only the SHA-256 of a token is stored (`tokens::hash_token`);
//! the plaintext exists once, in the response that created it.

use crate::tokens::hash_token;
use crate::{Db, StoreError, StoreResult, now_secs, on_db};

/// A token as its city's coordination sees it (never the secret).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub municipality_id: i64,
    pub name: String,
    /// Space-separated scope keys.
    pub scopes: String,
    pub created_by: i64,
    pub created_by_name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

const SELECT: &str = "SELECT t.id, t.municipality_id, t.name, t.scopes, t.created_by, \
     u.display_name AS created_by_name, t.created_at, t.last_used_at, t.revoked_at \
     FROM api_tokens t JOIN users u ON u.id = t.created_by";

/// Store a new token (its hash); returns the id.
pub async fn create(
    db: &Db,
    municipality_id: i64,
    name: &str,
    scopes: &str,
    token: &str,
    created_by: i64,
) -> StoreResult<i64> {
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO api_tokens (municipality_id, name, token_hash, scopes, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(municipality_id).bind(name).bind(hash_token(token)).bind(scopes).bind(created_by).bind(now_secs())
        .fetch_one(pool).await?
    });
    Ok(id)
}

/// The city's tokens, live ones first, newest first.
pub async fn list(db: &Db, municipality_id: i64) -> StoreResult<Vec<ApiToken>> {
    let sql = format!(
        "{SELECT} WHERE t.municipality_id = $1 \
         ORDER BY CASE WHEN t.revoked_at IS NULL THEN 0 ELSE 1 END, t.created_at DESC, t.id DESC"
    );
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, ApiToken>(sqlx::AssertSqlSafe(sql.clone())).bind(municipality_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Revoke a live token of the city; `NotFound` if there is none with this id (or it is revoked already).
pub async fn revoke(db: &Db, municipality_id: i64, id: i64) -> StoreResult<()> {
    let n = on_db!(db, pool => {
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND municipality_id = $3 AND revoked_at IS NULL",
        )
        .bind(now_secs()).bind(id).bind(municipality_id)
        .execute(pool).await?.rows_affected()
    });
    if n == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// The live token with this plaintext, marking it used now; `None` for unknown or revoked tokens.
pub async fn authenticate(db: &Db, token: &str) -> StoreResult<Option<ApiToken>> {
    let hash = hash_token(token);
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL RETURNING id",
        )
        .bind(now_secs()).bind(&hash)
        .fetch_optional(pool).await?
    });
    let Some(id) = id else { return Ok(None) };
    let sql = format!("{SELECT} WHERE t.id = $1");
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, ApiToken>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(pool).await?
    });
    Ok(row)
}
