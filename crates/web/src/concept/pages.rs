//! Handlers of the Umsetzungskonzept pages: extract, check, compile or load, render.

use super::FileKind;
use super::compile::{self, audience};
use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::measures::export::download;
use crate::state::AppState;
use crate::view::{FormView, datetime, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::concept::{Comparison, Publish, compare as compare_texts};
use domain::visibility::Visibility;
use export::ConceptExport;
use serde::Deserialize;
use store::concepts::VersionInfo;

/// Renders a compiled concept as one of the download formats (PDF on the blocking pool).
pub async fn render_file(concept: ConceptExport, kind: FileKind) -> Result<Vec<u8>, AppError> {
    match kind {
        FileKind::Markdown => Ok(export::concept_markdown(&concept).into_bytes()),
        FileKind::Html => Ok(export::concept_html(&concept).into_bytes()),
        FileKind::Pdf => tokio::task::spawn_blocking(move || export::concept_pdf(&concept))
            .await
            .map_err(|e| AppError::Internal(format!("pdf task: {e}")))?
            .map_err(|e| AppError::Internal(format!("pdf: {e}"))),
    }
}

/// The visibility values a visitor of the city may read.
fn readable(city: &City) -> Vec<&'static str> {
    Visibility::ALL
        .into_iter()
        .filter(|v| city.may_see(*v))
        .map(Visibility::as_str)
        .collect()
}

/// A published version the visitor may read (404 otherwise, so hidden versions stay unknown).
async fn readable_version(
    state: &AppState,
    city: &City,
    n: i64,
) -> Result<(store::concepts::Version, ConceptExport), AppError> {
    let v = store::concepts::get(&state.db, city.m.id, n).await?;
    let vis = Visibility::parse(&v.visibility).map_err(|e| AppError::Internal(e.to_string()))?;
    if !city.may_see(vis) {
        return Err(AppError::NotFound);
    }
    let doc: ConceptExport = serde_json::from_str(&v.document)
        .map_err(|e| AppError::Internal(format!("concept version {n}: {e}")))?;
    Ok((v, doc))
}

fn draft_edition() -> String {
    format!(
        "Entwurf · Stand {}",
        crate::view::datetime(store::now_secs())
    )
}

/// The audience of a draft: the editor's own, or (`?fuer=`) a wider one to preview what it will get.
fn draft_city(mut city: City, fuer: &str) -> City {
    if let Ok(v) = Visibility::parse(fuer)
        && v > city.min_visibility
    {
        city.min_visibility = v;
    }
    city
}

#[derive(Template)]
#[template(path = "concept/show.html")]
struct ShowPage {
    ctx: RequestCtx,
    city: City,
    versions: Vec<VersionInfo>,
    /// The draft (editors) or the newest readable version, as HTML.
    body_html: String,
    /// Set when the body is a published version: its number.
    shown_version: Option<i64>,
    /// Audience of the draft preview (`intern`, `netzwerk`, `oeffentlich`).
    preview_for: &'static str,
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
    fuer: String,
}

async fn show_page(
    state: &AppState,
    ctx: RequestCtx,
    city: City,
    fuer: &str,
    form: FormView,
) -> Result<ShowPage, AppError> {
    let versions = store::concepts::list(&state.db, city.m.id, &readable(&city)).await?;
    let (body_html, shown_version, preview_for, city) = if city.can_edit {
        let preview = draft_city(
            City {
                m: city.m.clone(),
                min_visibility: city.min_visibility,
                can_edit: city.can_edit,
                can_coordinate: city.can_coordinate,
            },
            fuer,
        );
        let doc = compile::compile(state, &preview, draft_edition()).await?;
        let for_ = preview.min_visibility.as_str();
        (export::concept_html_fragment(&doc, 2), None, for_, city)
    } else if let Some(newest) = versions.first() {
        let (_, doc) = readable_version(state, &city, newest.version).await?;
        (
            export::concept_html_fragment(&doc, 2),
            Some(newest.version),
            "oeffentlich",
            city,
        )
    } else {
        (String::new(), None, "oeffentlich", city)
    };
    Ok(ShowPage {
        ctx,
        city,
        versions,
        body_html,
        shown_version,
        preview_for,
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
    let form = FormView::new().with("visibility", "oeffentlich");
    Ok(render(&show_page(&state, ctx, city, &q.fuer, form).await?)?.into_response())
}

fn file_name(city: &City, label: &str, kind: FileKind) -> String {
    format!("umsetzungskonzept-{}-{label}.{}", city.m.slug, kind.ext())
}

/// `…/entwurf/konzept.{pdf,md,html}`: the draft as the editor sees it (or `?fuer=` a wider audience).
pub async fn draft_file(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, file)): Path<(String, String)>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let kind = FileKind::parse(&file).ok_or(AppError::NotFound)?;
    let city = draft_city(city, &q.fuer);
    let doc = compile::compile(&state, &city, draft_edition()).await?;
    let body = render_file(doc, kind).await?;
    Ok(download(
        kind.content_type(),
        file_name(&city, "entwurf", kind),
        body,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PublishForm {
    visibility: String,
    note: String,
}

/// "Version veröffentlichen": compiles the concept for the chosen audience and stores it as the next version.
pub async fn publish(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(f): Form<PublishForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let user_id = city.require_edit(&ctx)?;
    let p = match Publish::parse(&f.visibility, &f.note) {
        Ok(p) => p,
        Err(e) => {
            let form = FormView::new()
                .with("visibility", &f.visibility)
                .with("note", &f.note)
                .with_errors(&ctx, &e);
            let page = show_page(&state, ctx, city, "", form).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    let target = City {
        m: city.m.clone(),
        min_visibility: p.visibility,
        can_edit: city.can_edit,
        can_coordinate: city.can_coordinate,
    };
    let date = crate::view::datetime(store::now_secs());
    // The number is known only inside the write; the edition line names the date and audience.
    let mut doc = compile::compile(&state, &target, String::new()).await?;
    let next = store::concepts::next_version(&state.db, city.m.id).await?;
    doc.edition = format!("Fassung {next} vom {date}");
    let markdown = export::concept_markdown(&doc);
    let document = serde_json::to_string(&doc).map_err(|e| AppError::Internal(e.to_string()))?;
    let title = compile::title(&city);
    let stored = store::concepts::publish(
        &state.db,
        city.m.id,
        next,
        user_id,
        &store::concepts::NewVersion {
            visibility: p.visibility.as_str(),
            title: &title,
            note: &p.note,
            markdown: &markdown,
            document: &document,
        },
    )
    .await;
    let n = match stored {
        Ok(n) => n,
        Err(store::StoreError::Conflict(_)) => {
            let mut e = domain::FieldErrors::new();
            e.push("note", "err-concept-publish-conflict");
            let form = FormView::new()
                .with("visibility", p.visibility.as_str())
                .with("note", &p.note)
                .with_errors(&ctx, &e);
            let page = show_page(&state, ctx, city, "", form).await?;
            return Ok((StatusCode::CONFLICT, render(&page)?).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    tracing::info!(
        municipality_id = city.m.id,
        version = n,
        audience = audience(p.visibility),
        by = user_id,
        "concept version published"
    );
    Ok(Redirect::to(&city.path(&format!("/umsetzungskonzept/fassung/{n}"))).into_response())
}

#[derive(Template)]
#[template(path = "concept/version.html")]
struct VersionPage {
    ctx: RequestCtx,
    city: City,
    v: store::concepts::Version,
    body_html: String,
}

impl VersionPage {
    pub fn when(&self, secs: &i64) -> String {
        datetime(*secs)
    }
}

pub async fn version(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, n)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let (v, doc) = readable_version(&state, &city, n).await?;
    let body_html = export::concept_html_fragment(&doc, 2);
    Ok(render(&VersionPage {
        ctx,
        city,
        v,
        body_html,
    })?
    .into_response())
}

pub async fn version_file(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, n, file)): Path<(String, i64, String)>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let kind = FileKind::parse(&file).ok_or(AppError::NotFound)?;
    let (v, doc) = readable_version(&state, &city, n).await?;
    let body = match kind {
        // The stored Markdown is the published text itself.
        FileKind::Markdown => v.markdown.into_bytes(),
        other => render_file(doc, other).await?,
    };
    Ok(download(
        kind.content_type(),
        file_name(&city, &format!("fassung-{n}"), kind),
        body,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CompareQuery {
    von: String,
    bis: String,
}

#[derive(Template)]
#[template(path = "concept/compare.html")]
struct ComparePage {
    ctx: RequestCtx,
    city: City,
    versions: Vec<VersionInfo>,
    from: i64,
    to: i64,
    comparison: Option<Comparison>,
    form: FormView,
}

pub async fn compare(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Query(q): Query<CompareQuery>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let versions = store::concepts::list(&state.db, city.m.id, &readable(&city)).await?;
    let known = |raw: &str| {
        raw.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| versions.iter().any(|v| v.version == *n))
    };
    let (from, to) = (known(&q.von), known(&q.bis));
    let mut e = domain::FieldErrors::new();
    if from.is_none() && !q.von.is_empty() {
        e.push("von", "err-concept-version-unknown");
    }
    if to.is_none() && !q.bis.is_empty() {
        e.push("bis", "err-concept-version-unknown");
    }
    let comparison = match (from, to) {
        (Some(a), Some(b)) => {
            let (old, _) = readable_version(&state, &city, a).await?;
            let (new, _) = readable_version(&state, &city, b).await?;
            Some(compare_texts(&old.markdown, &new.markdown))
        }
        _ => None,
    };
    let status = if e.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let default_to = versions.first().map_or(0, |v| v.version);
    let default_from = versions.get(1).map_or(default_to, |v| v.version);
    let form = FormView::new()
        .with("von", &q.von)
        .with("bis", &q.bis)
        .with_errors(&ctx, &e);
    let page = ComparePage {
        ctx,
        city,
        versions,
        from: from.unwrap_or(default_from),
        to: to.unwrap_or(default_to),
        comparison,
        form,
    };
    Ok((status, render(&page)?).into_response())
}
