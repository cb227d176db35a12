//! The Umsetzungskonzept of a municipality: the draft compiled from the live data (editors), published
//! immutable versions (everyone, as far as each version's visibility allows), the comparison of two
//! versions, downloads as PDF, Markdown and HTML, and "Version veröffentlichen" (ADR 0012).

pub mod compile;
mod pages;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub use pages::render_file;

pub fn routes() -> Router<AppState> {
    let base = "/kommunen/{slug}/umsetzungskonzept";
    Router::new()
        .route(base, get(pages::show))
        .route(&format!("{base}/entwurf/{{file}}"), get(pages::draft_file))
        .route(&format!("{base}/veroeffentlichen"), post(pages::publish))
        .route(&format!("{base}/vergleich"), get(pages::compare))
        .route(&format!("{base}/fassung/{{n}}"), get(pages::version))
        .route(
            &format!("{base}/fassung/{{n}}/{{file}}"),
            get(pages::version_file),
        )
}

/// The downloads, by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Markdown,
    Html,
}

impl FileKind {
    /// `konzept.pdf`, `konzept.md`, `konzept.html`; anything else is unknown.
    pub fn parse(file: &str) -> Option<FileKind> {
        match file {
            "konzept.pdf" => Some(FileKind::Pdf),
            "konzept.md" => Some(FileKind::Markdown),
            "konzept.html" => Some(FileKind::Html),
            _ => None,
        }
    }

    /// From a CLI `--format` value: `pdf`, `md`, `html`.
    pub fn from_format(format: &str) -> Option<FileKind> {
        match format {
            "pdf" => Some(FileKind::Pdf),
            "md" | "markdown" => Some(FileKind::Markdown),
            "html" => Some(FileKind::Html),
            _ => None,
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Markdown => "md",
            FileKind::Html => "html",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Markdown => "text/markdown; charset=utf-8",
            FileKind::Html => "text/html; charset=utf-8",
        }
    }
}

/// The concept of the municipality `slug` as `audience` may see it, outside any request (the CLI): compiled
/// from the current data (`version: None`, edition "Stand …"), or a published version the audience may read.
pub async fn load_for(
    state: &AppState,
    slug: &str,
    audience: domain::visibility::Visibility,
    version: Option<i64>,
) -> Result<export::ConceptExport, crate::error::AppError> {
    use crate::error::AppError;
    let m = store::municipalities::by_slug(&state.db, slug).await?;
    let city = crate::city::City {
        m,
        min_visibility: audience,
        can_edit: false,
        can_coordinate: false,
    };
    match version {
        None => {
            let edition = format!("Stand {}", crate::view::datetime(store::now_secs()));
            compile::compile(state, &city, edition).await
        }
        Some(n) => {
            let v = store::concepts::get(&state.db, city.m.id, n).await?;
            let vis = domain::visibility::Visibility::parse(&v.visibility)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            if !city.may_see(vis) {
                return Err(AppError::NotFound);
            }
            serde_json::from_str(&v.document)
                .map_err(|e| AppError::Internal(format!("concept version {n}: {e}")))
        }
    }
}
