//! Full-text search of Smart City Werkstatt: one tantivy index per server node, in memory, with a German
//! analyzer (stop words, Snowball stemmer, compound splitting). The index knows nothing of the database:
//! the web layer feeds it `Document`s (rebuilt at start, then kept current from the `search_changes`
//! outbox, see `Tail`) and asks it `Query`s on behalf of a `Viewer` derived from the actor.

pub mod analyzer;
mod index;
mod kind;
mod query;
mod tail;
mod viewer;

pub use index::{Document, Facets, Hit, Index, Results};
pub use kind::Kind;
pub use query::{MAX_QUERY_CHARS, PER_PAGE, Query, QueryError};
pub use tail::Tail;
pub use viewer::Viewer;

/// Errors of the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index: writer lock poisoned")]
    Poisoned,
}
