//! `GET /api/v1/municipalities/{slug}/measures` and `…/measures/{id}`: what the caller may see.

use super::ApiError;
use super::paging::{self, PageParams, Paged};
use crate::city::City;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
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
    /// Percent complete in the latest progress report, if any.
    pub progress_percent: Option<i64>,
    /// ISO date of the latest progress report.
    pub progress_reported_on: Option<String>,
    /// The measure's page for people.
    pub url: String,
    /// Its progress reports in this API.
    pub progress_url: String,
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

/// The measures of a municipality that the caller may see, with their latest progress.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{slug}/measures",
    params(("slug" = String, Path, description = "URL slug of the municipality"), PageParams),
    responses(
        (status = 200, description = "Visible measures, ordered by title; `Link` header with first/prev/next/last", body = Paged<MeasureSummary>),
        (status = 400, description = "Bad paging parameter; `fields` names it", body = ApiError),
        (status = 404, description = "No municipality with this slug", body = ApiError)
    ),
    tag = "measures"
)]
pub async fn list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Query(pp): Query<PageParams>,
) -> Result<Response, AppError> {
    let paging = match pp.paging() {
        Ok(p) => p,
        Err(r) => return Ok(*r),
    };
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
    let latest = store::progress::latest_by_measure(&state.db, city.m.id).await?;
    let items: Vec<MeasureSummary> = rows
        .into_iter()
        .map(|m| {
            let last = latest.iter().find(|(id, _, _)| *id == m.id);
            MeasureSummary {
                url: city.path(&format!("/massnahmen/{}", m.id)),
                progress_url: format!("/api/v1/municipalities/{slug}/measures/{}/progress", m.id),
                progress_percent: last.map(|(_, p, _)| *p),
                progress_reported_on: last.map(|(_, _, d)| d.clone()),
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
            }
        })
        .collect();
    let path = format!("/api/v1/municipalities/{slug}/measures");
    Ok(paging::respond_slice(items, paging, &path, ""))
}

/// A photo of a progress report: its URL (served to those who may see the measure) and alt text.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoDto {
    pub url: String,
    pub alt_text: String,
}

/// A progress report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressReportDto {
    pub id: i64,
    /// ISO date.
    pub reported_on: String,
    /// The measure's status when the report was made.
    pub status: String,
    pub percent: i64,
    pub body: String,
    pub milestone_id: Option<i64>,
    pub milestone_title: Option<String>,
    pub photos: Vec<PhotoDto>,
    /// Unix seconds.
    pub created_at: i64,
}

/// The progress reports of a measure, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{slug}/measures/{id}/progress",
    params(("slug" = String, Path, description = "URL slug of the municipality"), ("id" = i64, Path, description = "Measure id"), PageParams),
    responses(
        (status = 200, description = "Reports, newest first; `Link` header with first/prev/next/last", body = Paged<ProgressReportDto>),
        (status = 400, description = "Bad paging parameter", body = ApiError),
        (status = 404, description = "No such measure, or not visible to the caller", body = ApiError)
    ),
    tag = "measures"
)]
pub async fn progress(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(pp): Query<PageParams>,
) -> Result<Response, AppError> {
    let paging = match pp.paging() {
        Ok(p) => p,
        Err(r) => return Ok(*r),
    };
    let Some(city) = city(&state, &ctx, &slug).await? else {
        return Ok(ApiError::not_found());
    };
    match crate::measures::visible_measure(&state, &city, id).await {
        Ok(_) => {}
        Err(AppError::NotFound) => return Ok(ApiError::not_found()),
        Err(e) => return Err(e),
    }
    let reports = store::progress::reports(&state.db, id).await?;
    let photos = store::progress::photos(&state.db, id).await?;
    let items: Vec<ProgressReportDto> = reports
        .into_iter()
        .map(|r| ProgressReportDto {
            photos: photos
                .iter()
                .filter(|p| p.report_id == r.id)
                .map(|p| PhotoDto {
                    url: city.path(&format!("/fotos/{}", p.upload_id)),
                    alt_text: p.alt_text.clone(),
                })
                .collect(),
            id: r.id,
            reported_on: r.reported_on,
            status: r.status,
            percent: r.percent,
            body: r.body,
            milestone_id: r.milestone_id,
            milestone_title: r.milestone_title,
            created_at: r.created_at,
        })
        .collect();
    let path = format!("/api/v1/municipalities/{slug}/measures/{id}/progress");
    Ok(paging::respond_slice(items, paging, &path, ""))
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
