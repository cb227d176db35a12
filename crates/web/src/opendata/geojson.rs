//! GeoJSON downloads (`application/geo+json`, RFC 7946: lon/lat): the city's located ideas and measures that the
//! visitor may see — public only for everyone without rights in the city.

use crate::city::City;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use domain::opendata::geometry_of;
use serde_json::{Value, json};

fn respond(collection: Value, filename: &str, public: bool) -> Response {
    let mut r = collection.to_string().into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // What a member sees must not land in a shared cache.
    let cache = if public {
        "public, max-age=300"
    } else {
        "private, no-store"
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r
}

/// `GET /kommunen/{slug}/massnahmen.geojson`
pub async fn measures(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let rows = store::opendata::located_measures(&state.db, city.m.id, city.min_visibility).await?;
    let features: Vec<Value> = rows
        .into_iter()
        .filter_map(|m| {
            let geometry = geometry_of(&m.location_geojson)?;
            Some(json!({
                "type": "Feature",
                "id": format!("massnahme-{}", m.id),
                "geometry": geometry,
                "properties": {
                    "kind": "massnahme",
                    "id": m.id,
                    "title": m.title,
                    "status": m.status,
                    "status_name": m.status_name,
                    "visibility": m.visibility,
                    "link": state.config.url(&city.path(&format!("/massnahmen/{}", m.id))),
                }
            }))
        })
        .collect();
    let public = city.min_visibility == domain::visibility::Visibility::Oeffentlich;
    Ok(respond(
        json!({"type": "FeatureCollection", "features": features}),
        &format!("massnahmen-{}.geojson", city.m.slug),
        public,
    ))
}

/// `GET /kommunen/{slug}/ideen.geojson`
pub async fn ideas(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let rows = store::opendata::located_ideas(&state.db, city.m.id, city.can_edit).await?;
    let features: Vec<Value> = rows
        .into_iter()
        .filter(|d| d.lat.is_finite() && d.lon.is_finite())
        .map(|d| {
            json!({
                "type": "Feature",
                "id": format!("idee-{}", d.id),
                "geometry": {"type": "Point", "coordinates": [d.lon, d.lat]},
                "properties": {
                    "kind": "idee",
                    "id": d.id,
                    "title": d.title,
                    "status": d.state,
                    "participation": d.participation_title,
                    "link": state.config.url(&city.path(&format!("/beteiligung/{}#idee-{}", d.participation_id, d.id))),
                }
            })
        })
        .collect();
    Ok(respond(
        json!({"type": "FeatureCollection", "features": features}),
        &format!("ideen-{}.geojson", city.m.slug),
        !city.can_edit,
    ))
}
