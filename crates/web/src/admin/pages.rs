use crate::auth::require;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::public::legal::LEGAL_PAGES;
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::permission::Permission;
use domain::validation::required_text;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/page_form.html")]
struct PageForm {
    ctx: RequestCtx,
    slug: String,
    form: FormView,
    pages: Vec<(String, &'static str)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageInput {
    title: String,
    body_md: String,
}

const MAX_BODY_CHARS: usize = 100_000;

fn page_list() -> Vec<(String, &'static str)> {
    LEGAL_PAGES
        .iter()
        .map(|(slug, title, _)| (slug.to_string(), *title))
        .collect()
}

fn known(slug: &str) -> Result<(), AppError> {
    if LEGAL_PAGES.iter().any(|(s, _, _)| *s == slug) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn edit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::EditLegalPages)?;
    known(&slug)?;
    let page = store::pages::get(&state.db, &slug).await?;
    let form = FormView::new()
        .with("title", &page.title)
        .with("body_md", &page.body_md);
    Ok(render(&PageForm {
        ctx,
        slug,
        form,
        pages: page_list(),
    })?
    .into_response())
}

pub async fn save(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(input): Form<PageInput>,
) -> Result<Response, AppError> {
    let user_id = crate::auth::require_login(&ctx)?;
    require(&ctx, Permission::EditLegalPages)?;
    known(&slug)?;
    let mut errs = FieldErrors::new();
    let title = errs.take("title", required_text(&input.title, 120));
    if input.body_md.trim().is_empty() {
        errs.push("body_md", "err-required");
    } else if input.body_md.chars().count() > MAX_BODY_CHARS {
        errs.push("body_md", "err-too-long");
    }
    let (Some(title), true) = (title, errs.is_empty()) else {
        let form = FormView::new()
            .with("title", &input.title)
            .with("body_md", &input.body_md)
            .with_errors(&ctx, &errs);
        let page = PageForm {
            ctx,
            slug,
            form,
            pages: page_list(),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    };
    store::pages::update(&state.db, &slug, &title, &input.body_md, user_id).await?;
    tracing::info!(page = %slug, by = user_id, "legal page updated");
    Ok(Redirect::to(&format!("/{slug}")).into_response())
}
