//! Open data and interfaces: the city's API tokens page, GeoJSON downloads, iCalendar feeds of milestones and
//! participation periods, and the DCAT-AP.de catalogue. Everything but the tokens page shows public data only,
//! whoever asks (ADR 0016); the JSON API itself is in `crate::api`.

pub mod dcat;
pub mod feeds;
pub mod geojson;
pub mod tokens;

use crate::api;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/kommunen/{slug}/schnittstellen",
            get(tokens::show).post(tokens::create),
        )
        .route(
            "/kommunen/{slug}/schnittstellen/{id}/widerrufen",
            post(tokens::revoke),
        )
        .route(
            "/kommunen/{slug}/massnahmen.geojson",
            get(geojson::measures),
        )
        .route("/kommunen/{slug}/ideen.geojson", get(geojson::ideas))
        .route("/kommunen/{slug}/meilensteine.ics", get(feeds::milestones))
        .route(
            "/kommunen/{slug}/beteiligung.ics",
            get(feeds::participation),
        )
        .route("/kommunen/{slug}/dcat.jsonld", get(dcat::city))
        .route("/dcat.jsonld", get(dcat::network))
        .route(
            "/api/v1/municipalities/{slug}/measures/{id}/progress",
            get(api::measures::progress).post(api::writes::add_progress),
        )
}
