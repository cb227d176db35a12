//! Persistence for Smart City Werkstatt on SQLite (embedded default) or PostgreSQL.
//!
//! One `Db` enum, one SQL text with `$N` placeholders for both where possible (sqlx-sqlite accepts them),
//! and the `on_db!` macro that expands one body per arm. Every query of city data takes the municipality.

/// Append a row to the search outbox (`search_changes`) inside the write transaction `$tx`, so that every
/// node re-reads the entity into its search index (ADR 0011). `$kind` is a document kind key or
/// `beteiligung` (all ideas and statements of a format).
macro_rules! search_change {
    ($tx:ident, $kind:expr, $id:expr) => {
        sqlx::query("INSERT INTO search_changes (kind, entity_id, changed_at) VALUES ($1, $2, $3)")
            .bind($kind)
            .bind($id)
            .bind($crate::now_secs())
            .execute(&mut *$tx)
            .await?
    };
}

pub mod api_tokens;
pub mod audit;
pub mod benefit;
pub mod boards;
pub mod concepts;
mod db;
pub mod definitions;
pub mod exchange;
pub mod fields;
pub mod freshness;
pub mod ideas;
pub mod library;
pub mod mail;
pub mod measure_parts;
pub mod measures;
pub mod municipalities;
pub mod network;
pub mod opendata;
pub mod opinions;
pub mod pages;
pub mod participation;
pub mod process;
pub mod progress;
pub mod search;
pub mod stakeholders;
pub mod surveys;
pub mod taxonomy;
pub mod templates;
pub mod tokens;
pub mod transfer;
pub mod users;
pub mod votes;
pub mod workshops;

pub use db::{Db, DbKind, Pool, StoreError, StoreResult, now_secs, sqlite_file};
