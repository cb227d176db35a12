use super::ApiError;
use super::paging::{self, Paged};
use crate::city::City;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::municipality::SizeClass;
use domain::opendata::Paging;
use domain::visibility::Visibility;
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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only this size class: `landgemeinde`, `kleinstadt`, `mittelstadt` or `grossstadt`.
    size_class: Option<String>,
    /// Page number, from 1 (default 1).
    page: Option<String>,
    /// Items per page, 1–100 (default 50).
    per_page: Option<String>,
}

fn population_range(c: SizeClass) -> (i64, i64) {
    match c {
        SizeClass::Landgemeinde => (0, 5_000),
        SizeClass::Kleinstadt => (5_000, 20_000),
        SizeClass::Mittelstadt => (20_000, 100_000),
        SizeClass::Grossstadt => (100_000, i64::MAX),
    }
}

/// List the municipalities of the network.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities",
    params(ListParams),
    responses(
        (status = 200, description = "A page of municipalities, ordered by name", body = Paged<MunicipalityDto>),
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
    let paging = match Paging::parse(p.page.as_deref(), p.per_page.as_deref()) {
        Ok(pg) => Some(pg),
        Err(e) => {
            errs.0.extend(e.0);
            None
        }
    };
    let (Some(paging), true) = (paging, errs.is_empty()) else {
        return Ok(ApiError::validation(&errs));
    };
    let (rows, total) = store::municipalities::page(
        &state.db,
        class.map(population_range),
        paging.per_page,
        paging.offset(),
    )
    .await?;
    let items: Vec<MunicipalityDto> = rows.into_iter().map(MunicipalityDto::from).collect();
    let extra = class
        .map(|c| format!("size_class={}", c.as_str()))
        .unwrap_or_default();
    Ok(paging::respond(
        items,
        paging,
        total,
        "/api/v1/municipalities",
        &extra,
    ))
}

/// The city's Smart City definition: the current version, when the caller may read it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DefinitionDto {
    /// `entwurf`, `abgestimmt` or `beschlossen`.
    pub status: String,
    pub version: i64,
    /// The text (Markdown).
    pub body_markdown: String,
    /// ISO date of the council decision.
    pub decision_date: Option<String>,
    pub decision_link: Option<String>,
    /// Unix seconds.
    pub updated_at: i64,
}

/// A goal of a field of action.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalDto {
    pub id: i64,
    pub text: String,
    pub indicator: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub target_value: Option<f64>,
    pub target_year: Option<i64>,
}

/// A field of action the city selected, with its goals.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldOfActionDto {
    /// Taxonomy term id.
    pub id: i64,
    pub name: String,
    /// `hoch`, `mittel` or `niedrig`.
    pub priority: String,
    pub rationale: String,
    pub goals: Vec<GoalDto>,
}

/// Where the city's other resources are.
#[derive(Debug, Serialize, ToSchema)]
pub struct CityLinks {
    /// The city's page for people.
    pub html: String,
    pub measures: String,
    /// Participation formats; each links its published results.
    pub participations: String,
    /// GeoJSON of located measures and ideas.
    pub measures_geojson: String,
    pub ideas_geojson: String,
    /// iCalendar feeds.
    pub workshops_ics: String,
    pub milestones_ics: String,
    pub participation_ics: String,
    /// DCAT-AP.de catalogue (JSON-LD).
    pub dcat: String,
}

/// A municipality with its definition, fields of action and goals.
#[derive(Debug, Serialize, ToSchema)]
pub struct MunicipalityDetail {
    #[serde(flatten)]
    pub municipality: MunicipalityDto,
    /// `null` when there is none or the caller may not read it.
    pub definition: Option<DefinitionDto>,
    pub fields_of_action: Vec<FieldOfActionDto>,
    pub links: CityLinks,
}

/// One municipality by slug, with what its public pages show.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{slug}",
    params(("slug" = String, Path, description = "URL slug of the municipality")),
    responses(
        (status = 200, description = "The municipality", body = MunicipalityDetail),
        (status = 404, description = "No municipality with this slug", body = ApiError)
    ),
    tag = "municipalities"
)]
pub async fn get(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let city = match City::load(&state, &ctx, &slug).await {
        Ok(c) => c,
        Err(AppError::NotFound) => return Ok(ApiError::not_found()),
        Err(e) => return Err(e),
    };
    let mid = city.m.id;
    let definition = match store::definitions::get(&state.db, mid).await? {
        Some(d)
            if d.current_version > 0
                && Visibility::parse(&d.visibility).is_ok_and(|v| city.may_see(v)) =>
        {
            let v = store::definitions::version(&state.db, mid, d.current_version).await?;
            Some(DefinitionDto {
                status: d.status,
                version: v.version,
                body_markdown: v.body_md,
                decision_date: d.decision_date,
                decision_link: d.decision_link,
                updated_at: d.updated_at,
            })
        }
        _ => None,
    };
    let mut goals = store::fields::goals(&state.db, mid).await?;
    let fields_of_action = store::fields::selected(&state.db, mid)
        .await?
        .into_iter()
        .map(|f| {
            let (mine, rest) = goals.drain(..).partition(|g| g.field_id == f.field_id);
            goals = rest;
            FieldOfActionDto {
                id: f.field_id,
                name: f.name,
                priority: f.priority,
                rationale: f.rationale,
                goals: mine
                    .into_iter()
                    .map(|g: store::fields::Goal| GoalDto {
                        id: g.id,
                        text: g.text,
                        indicator: g.indicator,
                        unit: g.unit,
                        baseline: g.baseline,
                        target_value: g.target_value,
                        target_year: g.target_year,
                    })
                    .collect(),
            }
        })
        .collect();
    let page = |rest: &str| format!("/kommunen/{slug}{rest}");
    let api = |rest: &str| format!("/api/v1/municipalities/{slug}{rest}");
    let links = CityLinks {
        html: page(""),
        measures: api("/measures"),
        participations: api("/participations"),
        measures_geojson: page("/massnahmen.geojson"),
        ideas_geojson: page("/ideen.geojson"),
        workshops_ics: page("/werkstaetten.ics"),
        milestones_ics: page("/meilensteine.ics"),
        participation_ics: page("/beteiligung.ics"),
        dcat: page("/dcat.jsonld"),
    };
    Ok(Json(MunicipalityDetail {
        municipality: MunicipalityDto::from(city.m),
        definition,
        fields_of_action,
        links,
    })
    .into_response())
}
