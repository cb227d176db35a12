//! Implementation tracking (issue 6): progress reports with photos on the measure page, KPI charts and
//! overdue milestones, following measures and cities with e-mail notifications (at once or as a daily
//! digest), and the public city showcase (Smart-City-Schaufenster) with its roadmap and the chain from
//! contributions to measures ("Ihr habt gesagt – wir haben getan").

pub mod follow;
pub mod notify;
pub mod progress;
pub mod showcase;

use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// Largest progress-report request: three photos of at most 5 MiB and the text.
const REPORT_BODY_LIMIT: usize = 3 * domain::progress::PHOTO_MAX_BYTES + 256 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/kommunen/{slug}/massnahmen/{id}/fortschritt",
            post(progress::add).layer(DefaultBodyLimit::max(REPORT_BODY_LIMIT)),
        )
        .route("/kommunen/{slug}/fotos/{upload_id}", get(progress::photo))
        .route(
            "/kommunen/{slug}/massnahmen/{id}/folgen",
            post(follow::measure),
        )
        .route("/kommunen/{slug}/folgen", post(follow::city))
        .route("/konto/benachrichtigungen", post(follow::set_mode))
        .route("/kommunen/{slug}/schaufenster", get(showcase::show))
}
