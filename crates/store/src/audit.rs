//! The audit log (ADR 0018): one row per successful administrative or editorial change, written by the web
//! layer's audit middleware after the change; read newest first with filters for the admin and city views.

use crate::{Db, StoreResult, on_db};

/// One change as the middleware records it.
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub actor_name: String,
    pub actor_email: String,
    pub via_token: bool,
    pub municipality_id: Option<i64>,
    pub municipality_name: String,
    pub action: String,
    pub method: String,
    pub path: String,
    pub route: String,
    pub entity: String,
    pub status: i32,
    pub outcome: String,
}

/// A stored entry.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub actor_name: String,
    pub actor_email: String,
    pub via_token: bool,
    pub municipality_id: Option<i64>,
    pub municipality_name: String,
    pub action: String,
    pub method: String,
    pub path: String,
    pub route: String,
    pub entity: String,
    pub status: i32,
    pub outcome: String,
}

/// Which entries to read. `None` fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub municipality_id: Option<i64>,
    /// Part of the actor's name or e-mail address (case-insensitive).
    pub person: Option<String>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub until: Option<i64>,
    /// Part of the action label or the path (case-insensitive).
    pub text: Option<String>,
}

/// Append one entry.
pub async fn record(db: &Db, e: &NewEntry) -> StoreResult<i64> {
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO audit_log (at, actor_user_id, actor_name, actor_email, via_token, municipality_id, \
             municipality_name, action, method, path, route, entity, status, outcome) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(e.at).bind(e.actor_user_id).bind(&e.actor_name).bind(&e.actor_email).bind(e.via_token)
        .bind(e.municipality_id).bind(&e.municipality_name).bind(&e.action).bind(&e.method).bind(&e.path)
        .bind(&e.route).bind(&e.entity).bind(e.status).bind(&e.outcome)
        .fetch_one(pool).await?
    });
    Ok(id)
}

fn pattern(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(|t| format!("%{}%", t.to_lowercase().replace(['%', '_'], "")))
}

const WHERE: &str = "($1 IS NULL OR municipality_id = $1) \
     AND ($2 IS NULL OR LOWER(actor_name) LIKE $2 OR LOWER(actor_email) LIKE $2) \
     AND ($3 IS NULL OR at >= $3) AND ($4 IS NULL OR at < $4) \
     AND ($5 IS NULL OR LOWER(action) LIKE $5 OR LOWER(path) LIKE $5)";

/// Entries matching the filter, newest first; `limit` `None` reads all of them (for the export).
pub async fn list(db: &Db, f: &Filter, limit: Option<i64>, offset: i64) -> StoreResult<Vec<Entry>> {
    let sql = format!(
        "SELECT id, at, actor_user_id, actor_name, actor_email, via_token, municipality_id, municipality_name, \
         action, method, path, route, entity, status, outcome FROM audit_log WHERE {WHERE} \
         ORDER BY at DESC, id DESC LIMIT $6 OFFSET $7"
    );
    let (person, text) = (pattern(&f.person), pattern(&f.text));
    // PostgreSQL refuses a negative LIMIT, so "all" is the largest one.
    let limit = limit.unwrap_or(i64::MAX);
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Entry>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(f.municipality_id).bind(person.clone()).bind(f.from).bind(f.until).bind(text.clone())
            .bind(limit).bind(offset)
            .fetch_all(pool).await?
    });
    Ok(rows)
}

/// How many entries match the filter.
pub async fn count(db: &Db, f: &Filter) -> StoreResult<i64> {
    let sql = format!("SELECT COUNT(*) FROM audit_log WHERE {WHERE}");
    let (person, text) = (pattern(&f.person), pattern(&f.text));
    let n = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(f.municipality_id).bind(person.clone()).bind(f.from).bind(f.until).bind(text.clone())
            .fetch_one(pool).await?
    });
    Ok(n)
}
