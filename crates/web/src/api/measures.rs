//! `GET /api/v1/municipalities/{slug}/measures` and `…/measures/{id}`: what the caller may see.

use super::ApiError;
use crate::city::City;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// A measure in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureSummary {
    pub id: i64,
    pub title: String,
    /// Status key, e.g. `idee`, `umsetzung`.
    pub status: String,
    /// `intern`, `netzwerk` or `oeffentlich`.
    pub visibility: String,
    pub field_of_action: Option<String>,
    /// `hoch`, `mittel` or `niedrig`.
    pub priority: Option<String>,
    pub quick_win: bool,
    pub lead_unit: String,
    /// ISO date.
    pub start_date: Option<String>,
    /// ISO date.
    pub end_date: Option<String>,
    /// Whole euros.
    pub investment_costs: Option<i64>,
}

/// A measure with its full project sheet.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureDetail {
    pub id: i64,
    pub municipality: String,
    pub status: String,
    pub version: i64,
    /// The project sheet (German display values, as in the JSON download).
    #[schema(value_type = Object)]
    pub sheet: serde_json::Value,
}

async fn city(
    state: &AppState,
    ctx: &crate::ctx::RequestCtx,
    slug: &str,
) -> Result<Option<City>, AppError> {
    match City::load(state, ctx, slug).await {
        Ok(c) => Ok(Some(c)),
        Err(AppError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The measures of a municipality that the caller may see.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{slug}/measures",
    params(("slug" = String, Path, description = "URL slug of the municipality")),
    responses(
        (status = 200, description = "Visible measures, ordered by title", body = Vec<MeasureSummary>),
        (status = 404, description = "No municipality with this slug", body = ApiError)
    ),
    tag = "measures"
)]
pub async fn list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let Some(city) = city(&state, &ctx, &slug).await? else {
        return Ok(ApiError::not_found());
    };
    let rows = store::measures::list(
        &state.db,
        city.m.id,
        city.min_visibility,
        &Default::default(),
        Default::default(),
    )
    .await?;
    let items: Vec<MeasureSummary> = rows
        .into_iter()
        .map(|m| MeasureSummary {
            id: m.id,
            title: m.title,
            status: m.status,
            visibility: m.visibility,
            field_of_action: m.field_name,
            priority: m.priority,
            quick_win: m.quick_win,
            lead_unit: m.lead_unit,
            start_date: m.start_date,
            end_date: m.end_date,
            investment_costs: m.investment_costs,
        })
        .collect();
    Ok(Json(items).into_response())
}

/// One measure with its project sheet, if the caller may see it.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{slug}/measures/{id}",
    params(("slug" = String, Path, description = "URL slug of the municipality"), ("id" = i64, Path, description = "Measure id")),
    responses(
        (status = 200, description = "The measure", body = MeasureDetail),
        (status = 404, description = "No such measure, or not visible to the caller", body = ApiError)
    ),
    tag = "measures"
)]
pub async fn get(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let Some(city) = city(&state, &ctx, &slug).await? else {
        return Ok(ApiError::not_found());
    };
    let sheet = match crate::measures::export::sheet_export(&state, &city, id).await {
        Ok(s) => s,
        Err(AppError::NotFound) => return Ok(ApiError::not_found()),
        Err(e) => return Err(e),
    };
    let rec = store::measures::record(&state.db, city.m.id, id).await?;
    Ok(Json(MeasureDetail {
        id,
        municipality: city.m.slug,
        status: rec.status,
        version: rec.version,
        sheet: export::sheet_json(&sheet),
    })
    .into_response())
}
