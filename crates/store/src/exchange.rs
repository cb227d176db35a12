//! Network exchange: magazine articles (drafts until published; slugs unique and stable) with their images.
//! Network events are workshops without a municipality (`workshops::create_network`, `list_network`,
//! `get_network`); registrations go through the workshop functions.

use crate::{Db, StoreError, StoreResult, in_tx, now_secs, on_db};
use domain::exchange::{ArticleDraft, slug_candidate, slugify};
use domain::visibility::Visibility;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub teaser: String,
    pub body_md: String,
    pub visibility: String,
    /// `None` while a draft.
    pub published_at: Option<i64>,
    pub author: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Article {
    pub fn visibility(&self) -> Visibility {
        Visibility::parse(&self.visibility).unwrap_or(Visibility::Netzwerk)
    }

    pub fn is_published(&self) -> bool {
        self.published_at.is_some()
    }
}

const SELECT: &str = "SELECT a.id, a.slug, a.title, a.teaser, a.body_md, a.visibility, a.published_at, \
    COALESCE(u.display_name, '') AS author, a.created_at, a.updated_at \
    FROM articles a LEFT JOIN users u ON u.id = a.author_id";

/// Store a new draft under a free slug derived from the title; returns `(id, slug)`.
pub async fn create_article(db: &Db, d: &ArticleDraft, by: i64) -> StoreResult<(i64, String)> {
    let now = now_secs();
    let base = slugify(&d.title);
    in_tx!(db, tx => {
        let taken: Vec<String> = sqlx::query_scalar("SELECT slug FROM articles WHERE slug = $1 OR slug LIKE $2")
            .bind(&base).bind(format!("{base}-%")).fetch_all(&mut *tx).await?;
        let slug = (1..)
            .map(|n| slug_candidate(&base, n))
            .find(|s| !taken.contains(s))
            .unwrap_or_else(|| base.clone());
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO articles (slug, title, teaser, body_md, visibility, published_at, author_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $7) RETURNING id",
        )
        .bind(&slug).bind(&d.title).bind(&d.teaser).bind(&d.body_md).bind(d.visibility.as_str()).bind(by).bind(now)
        .fetch_one(&mut *tx).await?;
        search_change!(tx, "artikel", id);
        Ok((id, slug))
    })
}

/// Change an article's text and visibility; the slug stays, so links keep working.
pub async fn update_article(db: &Db, id: i64, d: &ArticleDraft) -> StoreResult<()> {
    let now = now_secs();
    in_tx!(db, tx => {
        let n = sqlx::query(
            "UPDATE articles SET title = $1, teaser = $2, body_md = $3, visibility = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(&d.title).bind(&d.teaser).bind(&d.body_md).bind(d.visibility.as_str()).bind(now).bind(id)
        .execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        search_change!(tx, "artikel", id);
        Ok(())
    })
}

/// Publish (keeping the first publication date when published before) or withdraw into a draft.
pub async fn set_published(db: &Db, id: i64, published: bool) -> StoreResult<()> {
    let now = now_secs();
    in_tx!(db, tx => {
        let n = if published {
            sqlx::query("UPDATE articles SET published_at = $1, updated_at = $1 WHERE id = $2 AND published_at IS NULL")
                .bind(now).bind(id).execute(&mut *tx).await?.rows_affected()
        } else {
            sqlx::query("UPDATE articles SET published_at = NULL, updated_at = $1 WHERE id = $2")
                .bind(now).bind(id).execute(&mut *tx).await?.rows_affected()
        };
        if n > 0 {
            search_change!(tx, "artikel", id);
        }
        Ok(())
    })
}

pub async fn by_slug(db: &Db, slug: &str) -> StoreResult<Article> {
    let sql = format!("{SELECT} WHERE a.slug = $1");
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Article>(sqlx::AssertSqlSafe(sql.clone())).bind(slug).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}

fn rank(v: Visibility) -> i64 {
    match v {
        Visibility::Intern => 0,
        Visibility::Netzwerk => 1,
        Visibility::Oeffentlich => 2,
    }
}

const VISIBLE: &str = "(CASE a.visibility WHEN 'netzwerk' THEN 1 ELSE 2 END) >= $1";

/// Published articles at or above `min`, newest first: one page and the total.
pub async fn published(
    db: &Db,
    min: Visibility,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<Article>, i64)> {
    let sql = format!(
        "{SELECT} WHERE a.published_at IS NOT NULL AND {VISIBLE} ORDER BY a.published_at DESC, a.id DESC LIMIT $2 OFFSET $3"
    );
    let count =
        format!("SELECT COUNT(*) FROM articles a WHERE a.published_at IS NOT NULL AND {VISIBLE}");
    let r = on_db!(db, pool => {
        let rows = sqlx::query_as::<_, Article>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(rank(min)).bind(limit).bind(offset).fetch_all(pool).await?;
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone())).bind(rank(min)).fetch_one(pool).await?;
        (rows, n)
    });
    Ok(r)
}

/// Drafts, last changed first (network admin).
pub async fn drafts(db: &Db) -> StoreResult<Vec<Article>> {
    let sql =
        format!("{SELECT} WHERE a.published_at IS NULL ORDER BY a.updated_at DESC, a.id DESC");
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Article>(sqlx::AssertSqlSafe(sql.clone())).fetch_all(pool).await?
    });
    Ok(rows)
}

/// An image of an article (metadata).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Image {
    pub id: i64,
    pub alt_text: String,
}

/// Store an already checked image (content type sniffed from the bytes, alt text present).
pub async fn add_image(
    db: &Db,
    article_id: i64,
    content_type: &str,
    alt: &str,
    data: &[u8],
    by: i64,
) -> StoreResult<i64> {
    let sha = hex::encode(Sha256::digest(data));
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO article_images (article_id, content_type, size, sha256, alt_text, data, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(article_id).bind(content_type).bind(data.len() as i64).bind(sha).bind(alt).bind(data).bind(by).bind(now_secs())
        .fetch_one(pool).await?
    });
    Ok(id)
}

pub async fn images(db: &Db, article_id: i64) -> StoreResult<Vec<Image>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Image>("SELECT id, alt_text FROM article_images WHERE article_id = $1 ORDER BY id")
            .bind(article_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// One image: `(content type, bytes, the article's slug)`.
pub async fn image(db: &Db, id: i64) -> StoreResult<(String, Vec<u8>, String)> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, (String, Vec<u8>, String)>(
            "SELECT i.content_type, i.data, a.slug FROM article_images i JOIN articles a ON a.id = i.article_id WHERE i.id = $1",
        )
        .bind(id).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}
