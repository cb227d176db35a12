use super::ApiError;
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::municipality::SizeClass;
use serde::{Deserialize, Serialize};
use store::municipalities::Municipality;
use utoipa::{IntoParams, ToSchema};

/// Size class derived from the population.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SizeClassDto {
    Landgemeinde,
    Kleinstadt,
    Mittelstadt,
    Grossstadt,
}

impl From<SizeClass> for SizeClassDto {
    fn from(c: SizeClass) -> Self {
        match c {
            SizeClass::Landgemeinde => SizeClassDto::Landgemeinde,
            SizeClass::Kleinstadt => SizeClassDto::Kleinstadt,
            SizeClass::Mittelstadt => SizeClassDto::Mittelstadt,
            SizeClass::Grossstadt => SizeClassDto::Grossstadt,
        }
    }
}

/// A municipality of the network.
#[derive(Debug, Serialize, ToSchema)]
pub struct MunicipalityDto {
    /// URL slug, e.g. `arnsberg`.
    pub slug: String,
    pub name: String,
    /// Amtlicher Gemeindeschlüssel, eight digits.
    pub ags: String,
    pub population: i64,
    pub size_class: SizeClassDto,
    /// Two-digit key of the federal state (`05` = Nordrhein-Westfalen).
    pub state: String,
}

impl From<Municipality> for MunicipalityDto {
    fn from(m: Municipality) -> Self {
        MunicipalityDto {
            size_class: m.size_class().into(),
            slug: m.slug,
            name: m.name,
            ags: m.ags,
            population: m.population,
            state: m.state,
        }
    }
}

/// One page of municipalities.
#[derive(Debug, Serialize, ToSchema)]
pub struct MunicipalityPage {
    pub items: Vec<MunicipalityDto>,
    /// Number of matching municipalities in all pages.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only this size class: `landgemeinde`, `kleinstadt`, `mittelstadt` or `grossstadt`.
    size_class: Option<String>,
    /// Page size, 1–500 (default 100).
    limit: Option<String>,
    /// Items to skip (default 0).
    offset: Option<String>,
}

fn population_range(c: SizeClass) -> (i64, i64) {
    match c {
        SizeClass::Landgemeinde => (0, 5_000),
        SizeClass::Kleinstadt => (5_000, 20_000),
        SizeClass::Mittelstadt => (20_000, 100_000),
        SizeClass::Grossstadt => (100_000, i64::MAX),
    }
}

fn parse_int(raw: Option<&str>, default: i64, min: i64, max: i64) -> Result<i64, &'static str> {
    match raw {
        None => Ok(default),
        Some(s) => match s.trim().parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            Ok(_) => Err("err-range"),
            Err(_) => Err("err-integer"),
        },
    }
}

/// List the municipalities of the network.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities",
    params(ListParams),
    responses(
        (status = 200, description = "A page of municipalities, ordered by name", body = MunicipalityPage),
        (status = 400, description = "A parameter is invalid; `fields` names it", body = ApiError)
    ),
    tag = "municipalities"
)]
pub async fn list(
    State(state): State<AppState>,
    Query(p): Query<ListParams>,
) -> Result<Response, AppError> {
    let mut errs = FieldErrors::new();
    let class = match p.size_class.as_deref() {
        None | Some("") => None,
        Some(raw) => match SizeClass::parse(raw) {
            Some(c) => Some(c),
            None => {
                errs.push("size_class", "err-size-class-unknown");
                None
            }
        },
    };
    let limit = errs.take("limit", parse_int(p.limit.as_deref(), 100, 1, 500));
    let offset = errs.take(
        "offset",
        parse_int(p.offset.as_deref(), 0, 0, i64::from(i32::MAX)),
    );
    let (Some(limit), Some(offset), true) = (limit, offset, errs.is_empty()) else {
        return Ok(ApiError::validation(&errs));
    };
    let (rows, total) =
        store::municipalities::page(&state.db, class.map(population_range), limit, offset).await?;
    let items = rows.into_iter().map(MunicipalityDto::from).collect();
    Ok(Json(MunicipalityPage {
        items,
        total,
        limit,
        offset,
    })
    .into_response())
}

/// One municipality by slug.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{slug}",
    params(("slug" = String, Path, description = "URL slug of the municipality")),
    responses(
        (status = 200, description = "The municipality", body = MunicipalityDto),
        (status = 404, description = "No municipality with this slug", body = ApiError)
    ),
    tag = "municipalities"
)]
pub async fn get(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    match store::municipalities::by_slug(&state.db, &slug).await {
        Ok(m) => Ok(Json(MunicipalityDto::from(m)).into_response()),
        Err(store::StoreError::NotFound) => Ok(ApiError::not_found()),
        Err(e) => Err(e.into()),
    }
}
