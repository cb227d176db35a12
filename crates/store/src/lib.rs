//! Persistence for Smart City Werkstatt on SQLite (embedded default) or PostgreSQL.
//!
//! One `Db` enum, one SQL text with `$N` placeholders for both where possible (sqlx-sqlite accepts them),
//! and the `on_db!` macro that expands one body per arm. Every query of city data takes the municipality.

pub mod benefit;
pub mod boards;
pub mod concepts;
mod db;
pub mod definitions;
pub mod fields;
pub mod ideas;
pub mod mail;
pub mod measure_parts;
pub mod measures;
pub mod municipalities;
pub mod network;
pub mod opinions;
pub mod pages;
pub mod participation;
pub mod process;
pub mod progress;
pub mod stakeholders;
pub mod surveys;
pub mod taxonomy;
pub mod templates;
pub mod tokens;
pub mod users;
pub mod votes;
pub mod workshops;

pub use db::{Db, DbKind, Pool, StoreError, StoreResult, now_secs};
