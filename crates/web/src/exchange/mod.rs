//! Network exchange (Erfahrungsaustausch, issue 6): network events — workshops of no municipality, with the
//! workshop registration and waiting list — and the magazine of articles by the network admin (Markdown,
//! sanitised; images with alt text; drafts; Atom feed). Who may see and write: `domain::exchange`.

pub mod events;
pub mod magazine;

use crate::ctx::RequestCtx;
use crate::error::AppError;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// Largest image upload request: one image and its alt text.
const IMAGE_BODY_LIMIT: usize = domain::progress::PHOTO_MAX_BYTES + 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/netzwerk/veranstaltungen", get(events::list))
        .route("/netzwerk/veranstaltungen.ics", get(events::ics_feed))
        .route(
            "/netzwerk/veranstaltungen/neu",
            get(events::new_form).post(events::create),
        )
        .route("/netzwerk/veranstaltungen/{id}", get(events::show))
        .route(
            "/netzwerk/veranstaltungen/{id}/termin.ics",
            get(events::ics_one),
        )
        .route(
            "/netzwerk/veranstaltungen/{id}/agenda",
            post(events::add_agenda),
        )
        .route(
            "/netzwerk/veranstaltungen/{id}/anmelden",
            post(events::register),
        )
        .route(
            "/netzwerk/veranstaltungen/{id}/abmelden",
            post(events::cancel),
        )
        .route("/netzwerk/magazin", get(magazine::list))
        .route("/netzwerk/magazin.atom", get(magazine::atom))
        .route(
            "/netzwerk/magazin/neu",
            get(magazine::new_form).post(magazine::create),
        )
        .route("/netzwerk/magazin/bilder/{id}", get(magazine::image))
        .route("/netzwerk/magazin/{slug}", get(magazine::show))
        .route(
            "/netzwerk/magazin/{slug}/bearbeiten",
            get(magazine::edit_form).post(magazine::update),
        )
        .route(
            "/netzwerk/magazin/{slug}/veroeffentlichen",
            post(magazine::publish),
        )
        .route(
            "/netzwerk/magazin/{slug}/zurueckziehen",
            post(magazine::unpublish),
        )
        .route(
            "/netzwerk/magazin/{slug}/bilder",
            post(magazine::upload).layer(DefaultBodyLimit::max(IMAGE_BODY_LIMIT)),
        )
}

/// The network admin, or 403 (anonymous visitors are sent to log in first).
fn require_writer(ctx: &RequestCtx) -> Result<i64, AppError> {
    let user_id = crate::auth::require_login(ctx)?;
    if domain::exchange::may_write(&ctx.actor) {
        Ok(user_id)
    } else {
        Err(AppError::Forbidden)
    }
}

/// `dd.mm.yyyy` in Berlin time.
pub fn date(secs: i64) -> String {
    domain::values::german_date(&domain::workshop::utc_to_local(secs).0)
}
