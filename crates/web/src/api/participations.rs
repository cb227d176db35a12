//! Participation formats in the JSON API: the published formats of a city, one format, and its results as a
//! table (the same rows as the CSV download) once the city has published them.

use super::ApiError;
use super::paging::{self, PageParams, Paged};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::participation::Format;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum_extra::extract::CookieJar;
use serde::Serialize;
use utoipa::ToSchema;

/// A participation format.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipationDto {
    pub id: i64,
    /// `umfrage`, `ideen`, `punkte`, `nutzwert` or `meinungsbild`.
    pub kind: String,
    pub title: String,
    pub description: String,
    /// Purpose of processing personal data and its legal basis (shown before taking part).
    pub purpose: String,
    pub legal_basis: String,
    /// Unix seconds.
    pub opens_at: i64,
    pub closes_at: i64,
    /// `email` (double opt-in), `gast` (no account), `code` (single-use access codes).
    pub access: String,
    pub results_public: bool,
    /// Page for people.
    pub url: String,
    /// The results in this API, once the city has published them.
    pub results_url: Option<String>,
}

fn dto(slug: &str, p: store::participation::Participation) -> ParticipationDto {
    ParticipationDto {
        url: format!("/kommunen/{slug}/beteiligung/{}", p.id),
        results_url: p
            .results_public
            .then(|| format!("/api/v1/participations/{}/results", p.id)),
        id: p.id,
        kind: p.kind,
        title: p.title,
        description: p.description,
        purpose: p.purpose,
        legal_basis: p.legal_basis,
        opens_at: p.opens_at,
        closes_at: p.closes_at,
        access: p.access,
        results_public: p.results_public,
    }
}

/// Results as a table.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultTable {
    pub participation: ParticipationDto,
    pub participants: i64,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Published participation formats of a municipality, newest first.
#[utoipa::path(get, path = "/api/v1/municipalities/{slug}/participations", tag = "participation",
    params(("slug" = String, Path, description = "municipality slug"), PageParams),
    responses(
        (status = 200, description = "Published formats; `Link` header with first/prev/next/last", body = Paged<ParticipationDto>),
        (status = 400, description = "Bad paging parameter", body = ApiError),
        (status = 404, description = "No municipality with this slug", body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(pp): Query<PageParams>,
) -> Result<Response, AppError> {
    let paging = match pp.paging() {
        Ok(p) => p,
        Err(r) => return Ok(*r),
    };
    let m = match store::municipalities::by_slug(&state.db, &slug).await {
        Ok(m) => m,
        Err(store::StoreError::NotFound) => return Ok(ApiError::not_found()),
        Err(e) => return Err(e.into()),
    };
    let rows = store::participation::list(&state.db, m.id, true).await?;
    let items: Vec<ParticipationDto> = rows.into_iter().map(|p| dto(&slug, p)).collect();
    let path = format!("/api/v1/municipalities/{slug}/participations");
    Ok(paging::respond_slice(items, paging, &path, ""))
}

async fn load(
    state: &AppState,
    ctx: &crate::ctx::RequestCtx,
    jar: &CookieJar,
    id: i64,
) -> Result<Format, AppError> {
    let p = store::participation::get_any(&state.db, id).await?;
    let m = store::municipalities::by_id(&state.db, p.municipality_id).await?;
    Format::load(state, ctx, jar, &m.slug, id).await
}

/// One published participation format.
#[utoipa::path(get, path = "/api/v1/participations/{id}", tag = "participation",
    params(("id" = i64, Path, description = "participation id")),
    responses((status = 200, body = ParticipationDto), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path(id): Path<i64>,
) -> Result<Json<ParticipationDto>, AppError> {
    let f = load(&state, &ctx, &jar, id).await?;
    let slug = f.city.m.slug.clone();
    Ok(Json(dto(&slug, f.p)))
}

/// The results of a format as a table, once published.
#[utoipa::path(get, path = "/api/v1/participations/{id}/results", tag = "participation",
    params(("id" = i64, Path, description = "participation id")),
    responses((status = 200, body = ResultTable), (status = 404, description = "unknown or results not published")))]
pub async fn results(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path(id): Path<i64>,
) -> Result<Json<ResultTable>, AppError> {
    let f = load(&state, &ctx, &jar, id).await?;
    if !f.may_see_results() {
        return Err(AppError::NotFound);
    }
    let (header, rows) = crate::participation::result_table(&state, &f).await?;
    let participants = store::participation::participant_count(&state.db, f.p.id).await?;
    let slug = f.city.m.slug.clone();
    Ok(Json(ResultTable {
        participation: dto(&slug, f.p),
        participants,
        header,
        rows,
    }))
}
