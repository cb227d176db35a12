//! Imprint, privacy notice and accessibility statement: Markdown pages stored in the database, with
//! German defaults written on first start and editable by the network admin.

use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::markdown::to_safe_html;
use crate::state::AppState;
use crate::view::{datetime, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use store::Db;

/// The legal pages: slug (also the URL), default title, default body.
pub const LEGAL_PAGES: [(&str, &str, &str); 3] = [
    (
        "impressum",
        "Impressum",
        include_str!("../../defaults/impressum.md"),
    ),
    (
        "datenschutz",
        "Datenschutzerklärung",
        include_str!("../../defaults/datenschutz.md"),
    ),
    (
        "barrierefreiheit",
        "Erklärung zur Barrierefreiheit",
        include_str!("../../defaults/barrierefreiheit.md"),
    ),
];

/// Write the default pages where none exist yet.
pub async fn ensure_defaults(db: &Db) -> Result<(), store::StoreError> {
    for (slug, title, body) in LEGAL_PAGES {
        store::pages::insert_default(db, slug, title, body).await?;
    }
    Ok(())
}

#[derive(Template)]
#[template(path = "legal.html")]
struct LegalPage {
    ctx: RequestCtx,
    slug: String,
    title: String,
    body_html: String,
    updated: String,
}

async fn show(state: &AppState, ctx: RequestCtx, slug: &str) -> Result<Response, AppError> {
    let page = store::pages::get(&state.db, slug).await?;
    Ok(render(&LegalPage {
        ctx,
        slug: page.slug,
        title: page.title,
        body_html: to_safe_html(&page.body_md),
        updated: datetime(page.updated_at),
    })?
    .into_response())
}

pub async fn imprint(State(state): State<AppState>, Ctx(ctx): Ctx) -> Result<Response, AppError> {
    show(&state, ctx, "impressum").await
}

pub async fn privacy(State(state): State<AppState>, Ctx(ctx): Ctx) -> Result<Response, AppError> {
    show(&state, ctx, "datenschutz").await
}

pub async fn accessibility(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
) -> Result<Response, AppError> {
    show(&state, ctx, "barrierefreiheit").await
}
