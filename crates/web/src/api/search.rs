//! `GET /api/v1/search`: full-text search over what the caller may see.

use super::{ApiError, ApiFieldError};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use search::{PER_PAGE, QueryError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Search text (German: stemming and compound splitting apply), 1–200 characters, not only spaces.
    #[param(required = true, min_length = 1, max_length = 200, pattern = r"\S")]
    q: Option<String>,
    /// Only this municipality (URL slug).
    city: Option<String>,
    /// Only this kind: `massnahme`, `idee`, `aussage`, `werkstatt`, `leitbild` or `artikel`.
    #[param(pattern = r"^\s*(massnahme|idee|aussage|werkstatt|leitbild|artikel)?\s*$")]
    kind: Option<String>,
    /// Only this field of action (taxonomy term id).
    #[param(pattern = r"^\s*(-?[0-9]{1,18})?\s*$")]
    field: Option<String>,
    /// Page, 1–500 (default 1); 20 results per page.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    page: Option<String>,
}

/// One result. `title_html` and `snippet_html` are HTML-escaped text with matches in `<mark>`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    /// `massnahme`, `idee`, `aussage`, `werkstatt`, `leitbild` or `artikel`.
    pub kind: String,
    pub id: i64,
    /// Municipality slug.
    pub municipality: String,
    pub municipality_name: String,
    pub title_html: String,
    pub snippet_html: String,
    /// Path of the page showing the item.
    pub url: String,
}

/// A facet value with its number of results.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCount {
    /// Municipality slug, kind key or field-of-action id (as text).
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchFacets {
    pub cities: Vec<FacetCount>,
    pub kinds: Vec<FacetCount>,
    pub fields: Vec<FacetCount>,
}

/// One page of results.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchPage {
    pub items: Vec<SearchHit>,
    /// Results in all pages.
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub facets: SearchFacets,
}

fn invalid(e: QueryError) -> Response {
    let field = match e {
        QueryError::Empty | QueryError::TooLong => "q",
        QueryError::BadKind => "kind",
        QueryError::BadField => "field",
        QueryError::BadPage => "page",
    };
    let en = crate::i18n::Lang::En;
    let message = match e {
        QueryError::TooLong => en.t_args(
            e.message_id(),
            &[("max", search::MAX_QUERY_CHARS.to_string())],
        ),
        _ => en.t(e.message_id()),
    };
    let body = ApiError {
        error: "validation".into(),
        message: "The request has invalid parameters.".into(),
        fields: vec![ApiFieldError {
            field: field.into(),
            code: e.message_id().into(),
            message,
        }],
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// Search measures, ideas, statements, workshops and definitions the caller may see.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    params(SearchParams),
    responses(
        (status = 200, description = "Results, best first, with facet counts", body = SearchPage),
        (status = 422, description = "Missing, too long or invalid parameters", body = ApiError)
    ),
    tag = "search"
)]
pub async fn search(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Query(p): Query<SearchParams>,
) -> Result<Response, AppError> {
    let query = match search::Query::parse(
        p.q.as_deref(),
        p.city.as_deref(),
        p.kind.as_deref(),
        p.field.as_deref(),
        p.page.as_deref(),
    ) {
        Ok(q) => q,
        Err(e) => return Ok(invalid(e)),
    };
    let page = query.page;
    let r = crate::search::run(&state, &ctx.actor, query).await?;
    let count = |value: String, count: u64| FacetCount { value, count };
    Ok(Json(SearchPage {
        total: r.total,
        page,
        per_page: PER_PAGE,
        items: r
            .hits
            .into_iter()
            .map(|h| SearchHit {
                kind: h.kind.as_str().into(),
                id: h.id,
                municipality: h.municipality_slug,
                municipality_name: h.municipality_name,
                title_html: h.title_html,
                snippet_html: h.snippet_html,
                url: h.url,
            })
            .collect(),
        facets: SearchFacets {
            cities: r
                .facets
                .cities
                .into_iter()
                .map(|(c, n)| count(c, n))
                .collect(),
            kinds: r
                .facets
                .kinds
                .into_iter()
                .map(|(k, n)| count(k.as_str().into(), n))
                .collect(),
            fields: r
                .facets
                .fields
                .into_iter()
                .map(|(f, n)| count(f.to_string(), n))
                .collect(),
        },
    })
    .into_response())
}
