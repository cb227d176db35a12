//! The network: one per deployment.

use crate::{Db, StoreResult, on_db};

pub async fn name(db: &Db) -> StoreResult<Option<String>> {
    let n = on_db!(db, pool => {
        sqlx::query_scalar::<_, String>("SELECT name FROM network WHERE id = 1").fetch_optional(pool).await?
    });
    Ok(n)
}

/// Set the network's name, creating the row on first use.
pub async fn set_name(db: &Db, name: &str) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query("INSERT INTO network (id, name) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET name = excluded.name")
            .bind(name).execute(pool).await?;
    });
    Ok(())
}
