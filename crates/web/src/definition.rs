//! The Smart City definition (Leitbild) of a municipality: versioned Markdown, rendered sanitised; word-level
//! comparison of any two versions; comments; status Entwurf → abgestimmt → beschlossen with the council
//! decision; a second editor saving on a stale version gets a conflict page with both texts.

use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::markdown::to_safe_html_below;
use crate::state::AppState;
use crate::view::{FormView, datetime, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::definition::{DefinitionStatus, DiffPart, MAX_DEFINITION_CHARS, word_diff};
use domain::permission::Permission;
use domain::values::{optional_text, parse_date, parse_link};
use domain::visibility::Visibility;
use serde::Deserialize;
use store::definitions::{Comment, Definition, Version};

#[derive(Template)]
#[template(path = "definition/show.html")]
struct ShowPage {
    ctx: RequestCtx,
    city: City,
    def: Option<Definition>,
    current: Option<Version>,
    body_html: String,
    versions: Vec<Version>,
    comments: Vec<Comment>,
    can_comment: bool,
    next_statuses: Vec<&'static str>,
    diff: Option<(i64, i64, Vec<DiffPart>)>,
    form: FormView,
}

impl ShowPage {
    pub fn when(&self, secs: &i64) -> String {
        datetime(*secs)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    von: String,
    bis: String,
}

/// Whether the visitor may read the definition at all.
fn readable(city: &City, def: &Option<Definition>) -> bool {
    let v = def
        .as_ref()
        .and_then(|d| Visibility::parse(&d.visibility).ok())
        .unwrap_or(Visibility::Intern);
    city.may_see(v)
}

async fn show_page(
    state: &AppState,
    ctx: RequestCtx,
    city: City,
    q: &ShowQuery,
    form: FormView,
) -> Result<ShowPage, AppError> {
    let def = store::definitions::get(&state.db, city.m.id).await?;
    if !readable(&city, &def) {
        return Err(if ctx.actor.is_authenticated() {
            AppError::NotFound
        } else {
            AppError::LoginRequired
        });
    }
    let current_version = def.as_ref().map(|d| d.current_version).unwrap_or(0);
    let current = if current_version > 0 {
        Some(store::definitions::version(&state.db, city.m.id, current_version).await?)
    } else {
        None
    };
    let body_html = current
        .as_ref()
        .map(|v| to_safe_html_below(&v.body_md, pulldown_cmark::HeadingLevel::H1))
        .unwrap_or_default();
    let is_member = ctx.can(Permission::ReadCityInternal(city.m.id));
    let versions = if is_member || city.can_edit {
        store::definitions::versions(&state.db, city.m.id).await?
    } else {
        vec![]
    };
    let comments = if is_member {
        store::definitions::comments(&state.db, city.m.id).await?
    } else {
        vec![]
    };
    let status = def
        .as_ref()
        .and_then(|d| DefinitionStatus::parse(&d.status))
        .unwrap_or(DefinitionStatus::Entwurf);
    let next_statuses = if city.can_coordinate && current.is_some() {
        status.next().iter().map(|s| s.as_str()).collect()
    } else {
        vec![]
    };
    let diff = match (q.von.parse::<i64>(), q.bis.parse::<i64>()) {
        (Ok(a), Ok(b)) if is_member || city.can_edit => {
            let old = versions.iter().find(|v| v.version == a);
            let new = versions.iter().find(|v| v.version == b);
            match (old, new) {
                (Some(o), Some(n)) => Some((a, b, word_diff(&o.body_md, &n.body_md))),
                _ => return Err(AppError::NotFound),
            }
        }
        _ => None,
    };
    Ok(ShowPage {
        ctx,
        city,
        def,
        current,
        body_html,
        versions,
        comments,
        can_comment: is_member,
        next_statuses,
        diff,
        form,
    })
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    Ok(render(&show_page(&state, ctx, city, &q, FormView::new()).await?)?.into_response())
}

#[derive(Template)]
#[template(path = "definition/edit.html")]
struct EditPage {
    ctx: RequestCtx,
    city: City,
    form: FormView,
    base_version: i64,
    /// On a conflict: the version saved meanwhile.
    theirs: Option<Version>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditForm {
    body_md: String,
    note: String,
    base_version: String,
}

pub async fn edit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let def = store::definitions::get(&state.db, city.m.id).await?;
    let base_version = def.map(|d| d.current_version).unwrap_or(0);
    let body = if base_version > 0 {
        store::definitions::version(&state.db, city.m.id, base_version)
            .await?
            .body_md
    } else {
        String::new()
    };
    let form = FormView::new().with("body_md", &body);
    Ok(render(&EditPage {
        ctx,
        city,
        form,
        base_version,
        theirs: None,
    })?
    .into_response())
}

pub async fn save(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(f): Form<EditForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let user_id = city.require_edit(&ctx)?;
    let base_version: i64 = f.base_version.trim().parse().unwrap_or(-1);
    let mut e = FieldErrors::new();
    let body = e.take("body_md", optional_text(&f.body_md, MAX_DEFINITION_CHARS));
    if body.as_deref().is_some_and(str::is_empty) {
        e.push("body_md", "err-required");
    }
    let note = e.take("note", optional_text(&f.note, 300));
    let form = FormView::new()
        .with("body_md", &f.body_md)
        .with("note", &f.note);
    let (Some(body), Some(note), true) = (body, note, e.is_empty()) else {
        let page = EditPage {
            ctx: ctx.clone(),
            city,
            form: form.with_errors(&ctx, &e),
            base_version,
            theirs: None,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    };
    match store::definitions::save(&state.db, city.m.id, base_version, &body, &note, user_id).await
    {
        Ok(v) => {
            tracing::info!(
                municipality_id = city.m.id,
                version = v,
                by = user_id,
                "definition saved"
            );
            Ok(Redirect::to(&city.path("/leitbild")).into_response())
        }
        Err(store::StoreError::Conflict(_)) => {
            let current = store::definitions::get(&state.db, city.m.id)
                .await?
                .map(|d| d.current_version)
                .unwrap_or(0);
            let theirs = if current > 0 {
                Some(store::definitions::version(&state.db, city.m.id, current).await?)
            } else {
                None
            };
            let form = form.with_error(&ctx, "body_md", "err-definition-conflict");
            let page = EditPage {
                ctx,
                city,
                form,
                base_version: current,
                theirs,
            };
            Ok((StatusCode::CONFLICT, render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
    decision_date: String,
    decision_reference: String,
    decision_link: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(f): Form<StatusForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_coordinate(&ctx)?;
    let def = store::definitions::get(&state.db, city.m.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let current = DefinitionStatus::parse(&def.status).unwrap_or(DefinitionStatus::Entwurf);
    let mut e = FieldErrors::new();
    let target = DefinitionStatus::parse(&f.status);
    match target {
        None => e.push("status", "err-choice-unknown"),
        Some(t) if !current.next().contains(&t) => e.push("status", "err-transition-unknown"),
        _ => {}
    }
    let mut decision = None;
    if target == Some(DefinitionStatus::Beschlossen) {
        let date = e
            .take("decision_date", parse_date(&f.decision_date))
            .flatten();
        if date.is_none() && e.for_field("decision_date").is_none() {
            e.push("decision_date", "err-required");
        }
        let reference = e
            .take(
                "decision_reference",
                optional_text(&f.decision_reference, 100),
            )
            .unwrap_or_default();
        if reference.is_empty() && e.for_field("decision_reference").is_none() {
            e.push("decision_reference", "err-required");
        }
        let link = e
            .take("decision_link", parse_link(&f.decision_link))
            .unwrap_or_default();
        decision = date.map(|d| (d, reference, link));
    }
    let Some(target) = target.filter(|_| e.is_empty()) else {
        let form = FormView::new()
            .with("decision_date", &f.decision_date)
            .with("decision_reference", &f.decision_reference)
            .with("decision_link", &f.decision_link)
            .with_errors(&ctx, &e);
        let p = show_page(&state, ctx, city, &ShowQuery::default(), form).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    };
    let d = decision
        .as_ref()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()));
    store::definitions::set_status(&state.db, city.m.id, target.as_str(), d).await?;
    tracing::info!(
        municipality_id = city.m.id,
        status = target.as_str(),
        "definition status changed"
    );
    Ok(Redirect::to(&city.path("/leitbild")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct VisibilityForm {
    visibility: String,
}

pub async fn set_visibility(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(f): Form<VisibilityForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_coordinate(&ctx)?;
    let v = Visibility::parse(&f.visibility).map_err(|_| AppError::NotFound)?;
    store::definitions::set_visibility(&state.db, city.m.id, v.as_str()).await?;
    Ok(Redirect::to(&city.path("/leitbild")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CommentForm {
    comment: String,
}

pub async fn comment(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(f): Form<CommentForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let user_id = crate::auth::require_login(&ctx)?;
    if !ctx.can(Permission::ReadCityInternal(city.m.id)) {
        return Err(AppError::Forbidden);
    }
    let def = store::definitions::get(&state.db, city.m.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut e = FieldErrors::new();
    let body = e.take(
        "comment",
        domain::validation::required_text(&f.comment.replace(['\r', '\n'], " "), 4000),
    );
    let Some(body) = body else {
        let form = FormView::new()
            .with("comment", &f.comment)
            .with_errors(&ctx, &e);
        let p = show_page(&state, ctx, city, &ShowQuery::default(), form).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    };
    store::definitions::add_comment(&state.db, city.m.id, def.current_version, user_id, &body)
        .await?;
    Ok(Redirect::to(&city.path("/leitbild#kommentare")).into_response())
}
