//! Read-only data of an idea collection: the located ideas as GeoJSON (RFC 7946: coordinates are
//! `[longitude, latitude]`) and `GET /api/v1/participations/{id}/ideas`. Both show what everyone sees on
//! the page: visible ideas only, and linked measures only where the caller may see them.

use super::{Format, require_ideas};
use crate::api::ApiError;
use crate::api::paging::{self, PageParams, Paged};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use domain::idea::{Sort, State as ItemState};
use domain::permission::Permission;
use domain::visibility::Visibility;
use serde::Serialize;
use serde_json::json;
use store::ideas::Idea;
use utoipa::ToSchema;

/// A FeatureCollection of the visible ideas that have a location.
pub fn feature_collection(ideas: &[Idea], url_of: impl Fn(i64) -> String) -> serde_json::Value {
    let features: Vec<serde_json::Value> = ideas
        .iter()
        .filter(|i| i.state() == ItemState::Visible)
        .filter_map(|i| {
            let (lat, lon) = i.lat.zip(i.lon)?;
            Some(json!({
                "type": "Feature",
                "id": i.id,
                "geometry": { "type": "Point", "coordinates": [lon, lat] },
                "properties": {
                    "id": i.id,
                    "title": i.title,
                    "text": i.body,
                    "field": i.field_name,
                    "support": i.support,
                    "url": url_of(i.id),
                },
            }))
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

/// `GET /kommunen/{slug}/beteiligung/{id}/ideen.geojson`
pub async fn geojson(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let f = Format::load(&state, &ctx, &jar, &slug, id).await?;
    require_ideas(&f)?;
    let ideas = store::ideas::list(&state.db, f.p.id, Sort::Newest).await?;
    let base = state.config.url(&f.path(""));
    let body = feature_collection(&ideas, |i| format!("{base}#idee-{i}"));
    let bytes = serde_json::to_vec(&body).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/geo+json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"ideen-{id}.geojson\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A measure an idea fed.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedMeasure {
    pub id: i64,
    pub title: String,
}

/// A visible idea of an idea collection.
#[derive(Debug, Serialize, ToSchema)]
pub struct IdeaDto {
    pub id: i64,
    pub title: String,
    pub text: String,
    /// Name of the field of action, if the author chose one.
    pub field_of_action: Option<String>,
    pub field_of_action_id: Option<i64>,
    /// WGS 84 decimal degrees.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// People who support the idea.
    pub support: i64,
    /// Visible comments.
    pub comments: i64,
    /// Unix seconds.
    pub created_at: i64,
    /// Measures of the city this idea fed ("Ihr habt gesagt – wir haben getan").
    pub measures: Vec<LinkedMeasure>,
}

/// The visible ideas of an idea collection, most support first.
#[utoipa::path(
    get,
    path = "/api/v1/participations/{id}/ideas",
    params(("id" = i64, Path, description = "Participation (idea collection) id"), PageParams),
    responses(
        (status = 200, description = "Visible ideas with support counts and linked measures, most support first; `Link` header with first/prev/next/last", body = Paged<IdeaDto>),
        (status = 400, description = "Bad paging parameter", body = ApiError),
        (status = 404, description = "No published idea collection with this id", body = ApiError)
    ),
    tag = "participation"
)]
pub async fn list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Query(pp): Query<PageParams>,
) -> Result<Response, AppError> {
    let paging = match pp.paging() {
        Ok(p) => p,
        Err(r) => return Ok(*r),
    };
    let p = match store::participation::get_any(&state.db, id).await {
        Ok(p) => p,
        Err(store::StoreError::NotFound) => return Ok(ApiError::not_found()),
        Err(e) => return Err(e.into()),
    };
    let editor = ctx.can(Permission::EditCity(p.municipality_id));
    if p.kind != "ideen" || !(p.published || editor) {
        return Ok(ApiError::not_found());
    }
    let min = ctx.actor.min_visibility(p.municipality_id);
    let ideas = store::ideas::list(&state.db, p.id, Sort::Support).await?;
    let mut links = std::collections::HashMap::<i64, Vec<LinkedMeasure>>::new();
    for (idea, mid, title, vis) in store::ideas::links(&state.db, p.id).await? {
        if Visibility::parse(&vis).unwrap_or(Visibility::Intern) >= min {
            links
                .entry(idea)
                .or_default()
                .push(LinkedMeasure { id: mid, title });
        }
    }
    let items: Vec<IdeaDto> = ideas
        .into_iter()
        .filter(|i| i.state() == ItemState::Visible)
        .map(|i| IdeaDto {
            measures: links.remove(&i.id).unwrap_or_default(),
            id: i.id,
            title: i.title,
            text: i.body,
            field_of_action: i.field_name,
            field_of_action_id: i.field_id,
            latitude: i.lat,
            longitude: i.lon,
            support: i.support,
            comments: i.comments,
            created_at: i.created_at,
        })
        .collect();
    let path = format!("/api/v1/participations/{id}/ideas");
    Ok(paging::respond_slice(items, paging, &path, ""))
}
