//! Templates (Mustervorlagen) and copies of other cities' measures, always keeping a link to the origin.

use super::form::sheet_to_input;
use crate::auth::require;
use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::render;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::measure::SheetInput;
use domain::permission::Permission;
use domain::visibility::Visibility;
use serde::Deserialize;
use store::measures::{MeasureRow, Origin};
use store::templates::Template as MeasureTemplate;

#[derive(Template)]
#[template(path = "measures/sources.html")]
struct SourcesPage {
    ctx: RequestCtx,
    city: City,
    templates: Vec<MeasureTemplate>,
    others: Vec<(MeasureRow, String)>,
}

/// `GET /kommunen/{slug}/massnahmen/vorlagen`: templates and network measures to start from.
pub async fn sources(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let templates = store::templates::list(&state.db, true).await?;
    let others = store::measures::network_visible(&state.db, city.m.id).await?;
    Ok(render(&SourcesPage {
        ctx,
        city,
        templates,
        others,
    })?
    .into_response())
}

/// `POST /kommunen/{slug}/massnahmen/aus-vorlage/{id}`
pub async fn from_template(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, template_id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let user_id = city.require_edit(&ctx)?;
    let t = store::templates::get(&state.db, template_id).await?;
    if !t.published {
        return Err(AppError::NotFound);
    }
    let mut input: SheetInput = serde_json::from_str(&t.sheet)
        .map_err(|e| AppError::Internal(format!("template {template_id}: {e}")))?;
    input.visibility = "intern".into();
    // City-specific references do not travel.
    input.goal_ids.clear();
    input.lead_stakeholder_id.clear();
    let sheet = input
        .parse()
        .map_err(|e| AppError::Internal(format!("template {template_id} invalid: {e}")))?;
    let origin = Origin {
        template_id: Some(t.id),
        ..Default::default()
    };
    let id = store::measures::create(&state.db, city.m.id, &sheet, "idee", Some(user_id), origin)
        .await?;
    tracing::info!(
        measure_id = id,
        template_id,
        by = user_id,
        "measure created from template"
    );
    Ok(Redirect::to(&city.path(&format!("/massnahmen/{id}?ok=copied"))).into_response())
}

/// `POST /kommunen/{slug}/massnahmen/kopieren/{id}`: copy another city's network-visible measure.
pub async fn copy_measure(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, source_id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let user_id = city.require_edit(&ctx)?;
    let src = store::measures::record_any(&state.db, source_id).await?;
    let visible = src.visibility() >= Visibility::Netzwerk
        || ctx.actor.may_see(src.municipality_id, src.visibility());
    if !visible {
        return Err(AppError::NotFound);
    }
    let (f, _, t) = store::measures::id_lists(&state.db, src.id).await?;
    let mut sheet = src.sheet(f, vec![], t);
    sheet.visibility = Some(Visibility::Intern);
    sheet.lead_stakeholder_id = None;
    let origin = Origin {
        measure_id: Some(src.id),
        ..Default::default()
    };
    let id = store::measures::create(&state.db, city.m.id, &sheet, "idee", Some(user_id), origin)
        .await?;
    tracing::info!(measure_id = id, source_id, by = user_id, "measure copied");
    Ok(Redirect::to(&city.path(&format!("/massnahmen/{id}?ok=copied"))).into_response())
}

#[derive(Template)]
#[template(path = "admin/templates.html")]
struct AdminTemplatesPage {
    ctx: RequestCtx,
    templates: Vec<MeasureTemplate>,
    notice: Option<String>,
}

pub async fn admin_list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageMunicipalities)?;
    let templates = store::templates::list(&state.db, false).await?;
    Ok(render(&AdminTemplatesPage {
        ctx,
        templates,
        notice: None,
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FromMeasureForm {
    municipality: String,
    measure_id: String,
}

/// `POST /admin/vorlagen/aus-massnahme`: publish a measure's sheet as a template.
pub async fn admin_from_measure(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(f): Form<FromMeasureForm>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageMunicipalities)?;
    let m = store::municipalities::by_slug(&state.db, &f.municipality).await?;
    let id: i64 = f.measure_id.parse().map_err(|_| AppError::NotFound)?;
    let rec = store::measures::record(&state.db, m.id, id).await?;
    let (fi, _, t) = store::measures::id_lists(&state.db, id).await?;
    let mut input = sheet_to_input(&rec.sheet(fi, vec![], t));
    input.lead_stakeholder_id.clear();
    let json = serde_json::to_string(&input).map_err(|e| AppError::Internal(e.to_string()))?;
    store::templates::create(
        &state.db,
        &rec.title,
        &rec.short_description,
        rec.primary_field_id,
        &json,
        true,
    )
    .await?;
    Ok(Redirect::to("/admin/vorlagen").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PublishForm {
    published: String,
}

pub async fn admin_publish(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Form(f): Form<PublishForm>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageMunicipalities)?;
    store::templates::set_published(&state.db, id, f.published == "1").await?;
    Ok(Redirect::to("/admin/vorlagen").into_response())
}
