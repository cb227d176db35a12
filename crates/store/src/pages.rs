//! Configurable legal pages: imprint, privacy notice, accessibility statement.

use crate::{Db, StoreError, StoreResult, now_secs, on_db};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub body_md: String,
    pub updated_at: i64,
}

pub async fn get(db: &Db, slug: &str) -> StoreResult<Page> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Page>("SELECT slug, title, body_md, updated_at FROM pages WHERE slug = $1")
            .bind(slug).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}

/// Insert the page only if it does not exist yet (defaults on first start).
pub async fn insert_default(db: &Db, slug: &str, title: &str, body_md: &str) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query(
            "INSERT INTO pages (slug, title, body_md, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING",
        )
        .bind(slug).bind(title).bind(body_md).bind(now_secs())
        .execute(pool).await?;
    });
    Ok(())
}

pub async fn update(db: &Db, slug: &str, title: &str, body_md: &str, by: i64) -> StoreResult<()> {
    let n = on_db!(db, pool => {
        sqlx::query("UPDATE pages SET title = $1, body_md = $2, updated_at = $3, updated_by = $4 WHERE slug = $5")
            .bind(title).bind(body_md).bind(now_secs()).bind(by).bind(slug)
            .execute(pool).await?.rows_affected()
    });
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}
