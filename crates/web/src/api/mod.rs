//! The JSON API under `/api/v1/`, described by the OpenAPI document at `/api/openapi.json`.

pub mod measures;
pub mod municipalities;
pub mod paging;
pub mod participations;
pub mod search;
pub mod writes;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Smart City Werkstatt API",
        version = "1",
        description = "Public data of the municipalities in the network. Field names are English; texts are German."
    ),
    paths(
        municipalities::list,
        municipalities::get,
        measures::list,
        measures::get,
        measures::progress,
        writes::add_progress,
        writes::patch_measure,
        participations::list,
        participations::get,
        participations::results,
        search::search,
        crate::participation::points::api_points,
        crate::participation::ideas::api::list,
        crate::participation::benefit::api::benefit,
        crate::participation::opinion::api_opinions,
        crate::participation::survey::api::questions,
        crate::participation::survey::api::results
    ),
    components(schemas(
        municipalities::MunicipalityDto,
        municipalities::MunicipalityDetail,
        municipalities::SizeClassDto,
        measures::MeasureSummary,
        measures::MeasureDetail,
        participations::ParticipationDto,
        participations::ResultTable,
        search::SearchPage,
        search::SearchHit,
        search::SearchFacets,
        search::FacetCount,
        crate::participation::ideas::api::IdeaDto,
        crate::participation::ideas::api::LinkedMeasure,
        crate::participation::benefit::api::BenefitResults,
        crate::participation::benefit::api::BenefitCriterion,
        crate::participation::benefit::api::BenefitGroupWeight,
        crate::participation::benefit::api::BenefitMeasure,
        crate::participation::benefit::api::BenefitKo,
        crate::participation::benefit::api::BenefitGroupScore,
        crate::participation::benefit::api::BenefitSensitivity,
        crate::participation::benefit::api::BenefitVariation,
        crate::participation::benefit::api::BenefitSensitivityRow,
        crate::participation::survey::api::SurveyDto,
        crate::participation::survey::api::SurveyQuestionDto,
        crate::participation::survey::api::SurveyConditionDto,
        crate::participation::survey::api::SurveyResultsDto,
        crate::participation::survey::api::SurveyQuestionResultDto,
        crate::participation::survey::api::SurveyResultRowDto,
        ApiError,
        ApiFieldError
    )),
    modifiers(&BearerScheme)
)]
pub struct ApiDoc;

/// The `bearer` security scheme of the write endpoints: a per-city API token (ADR 0016).
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A per-city API token, created by the city's coordination on \
                         /kommunen/{slug}/schnittstellen; scopes `progress:write`, `measures:write`.",
                    ))
                    .build(),
            ),
        );
    }
}

/// `GET /api/openapi.json`
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// One problem with one request field.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiFieldError {
    /// The parameter or JSON field, e.g. `limit`.
    pub field: String,
    /// Stable error code, e.g. `err-limit-range`.
    pub code: String,
    /// Human-readable explanation (English).
    pub message: String,
}

/// Error body of every failed API request.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    /// `validation`, `not_found`, …
    pub error: String,
    pub message: String,
    #[serde(default)]
    pub fields: Vec<ApiFieldError>,
}

impl ApiError {
    pub fn validation(errors: &domain::FieldErrors) -> Response {
        Self::invalid(StatusCode::BAD_REQUEST, errors)
    }

    /// A body without fields, e.g. `unauthorized`.
    pub fn plain(status: StatusCode, error: &str, message: &str) -> Response {
        let body = ApiError {
            error: error.into(),
            message: message.into(),
            fields: vec![],
        };
        (status, Json(body)).into_response()
    }

    /// `validation` with one entry per bad field, under `status` (400 for parameters, 422 for JSON bodies).
    pub fn invalid(status: StatusCode, errors: &domain::FieldErrors) -> Response {
        let en = crate::i18n::Lang::En;
        let body = ApiError {
            error: "validation".into(),
            message: "The request has invalid parameters.".into(),
            fields: errors
                .0
                .iter()
                .map(|e| ApiFieldError {
                    field: e.field.into(),
                    code: e.code.into(),
                    message: en.t(e.code),
                })
                .collect(),
        };
        (status, Json(body)).into_response()
    }

    pub fn not_found() -> Response {
        let body = ApiError {
            error: "not_found".into(),
            message: "No such resource.".into(),
            fields: vec![],
        };
        (StatusCode::NOT_FOUND, Json(body)).into_response()
    }
}
