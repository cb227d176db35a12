//! The web layer of Smart City Werkstatt: routes, thin handlers, templates, security middleware, mail.
//!
//! A request passes metrics → security headers → request context (language, CSRF token, session) →
//! error pages → CSRF check → handler. Handlers extract, ask `domain` whether the actor may, call
//! `store`, and render an askama template.

pub mod admin;
pub mod api;
pub mod audit;
pub mod auth;
pub mod board;
pub mod charts;
pub mod city;
pub mod concept;
pub mod config;
pub mod ctx;
pub mod definition;
pub mod demo;
pub mod error;
pub mod exchange;
pub mod fields;
pub mod form;
pub mod health;
pub mod i18n;
pub mod implementation;
pub mod live;
pub mod mail;
pub use richtext as markdown;
pub mod measures;
pub mod members;
pub mod metrics;
pub mod network;
pub mod opendata;
pub mod pagecache;
pub mod participation;
pub mod process;
pub mod public;
pub mod requestlog;
pub mod search;
pub mod security;
pub mod stakeholders;
pub mod state;
pub mod view;
pub mod workers;
pub mod workshops;

pub use config::{Config, MailTransport};
pub use state::AppState;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

const APP_CSS: &str = include_str!("../static/app.css");

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        APP_CSS,
    )
}

const BOARD_JS: &str = include_str!("../static/board.js");
const SURVEY_JS: &str = include_str!("../static/survey.js");

async fn board_script() -> impl IntoResponse {
    script(BOARD_JS)
}

async fn survey_script() -> impl IntoResponse {
    script(SURVEY_JS)
}

fn script(body: &'static str) -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        body,
    )
}

/// All routes with their middleware.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(public::home::show))
        .route("/kommunen/{slug}", get(public::municipality::show))
        .route("/impressum", get(public::legal::imprint))
        .route("/datenschutz", get(public::legal::privacy))
        .route("/barrierefreiheit", get(public::legal::accessibility))
        .route("/sprache", post(public::language::switch))
        .route(
            "/anmelden",
            get(auth::login::show).post(auth::login::submit),
        )
        .route("/abmelden", post(auth::login::logout))
        .route(
            "/passwort-vergessen",
            get(auth::reset::show_forgot).post(auth::reset::submit_forgot),
        )
        .route(
            "/passwort-neu/{token}",
            get(auth::reset::show_reset).post(auth::reset::submit_reset),
        )
        .route(
            "/einladung/{token}",
            get(auth::invite::show).post(auth::invite::accept),
        )
        .route("/konto", get(auth::account::show))
        .route("/konto/passwort", post(auth::account::change_password))
        .route("/admin/kommunen", get(admin::municipalities::list))
        .route(
            "/admin/kommunen/neu",
            get(admin::municipalities::new_form).post(admin::municipalities::create),
        )
        .route(
            "/admin/kommunen/{slug}/bearbeiten",
            get(admin::municipalities::edit_form).post(admin::municipalities::update),
        )
        .route("/admin/benutzer", get(admin::users::list))
        .route("/admin/benutzer/einladen", post(admin::users::invite))
        .route("/admin/benutzer/{id}/rolle", post(admin::users::assign))
        .route(
            "/admin/benutzer/{id}/rolle-entziehen",
            post(admin::users::withdraw),
        )
        .route(
            "/admin/seiten/{slug}",
            get(admin::pages::edit).post(admin::pages::save),
        )
        .route("/kommunen/{slug}/mitglieder", get(members::show))
        .route(
            "/kommunen/{slug}/mitglieder/einladen",
            post(members::invite),
        )
        .route(
            "/kommunen/{slug}/mitglieder/{user_id}/rolle",
            post(members::change_role),
        )
        .route(
            "/kommunen/{slug}/mitglieder/{user_id}/entfernen",
            post(members::remove),
        )
        .route("/netzwerk", get(network::dashboard::show))
        .route("/netzwerk/uebersicht.csv", get(network::dashboard::csv))
        .route("/netzwerk/bibliothek", get(network::library::show))
        .route("/kommunen/{slug}/prozess", get(process::show))
        .route(
            "/kommunen/{slug}/prozess/phasen/{id}",
            post(process::update_phase),
        )
        .route(
            "/kommunen/{slug}/prozess/meilensteine",
            post(process::add_milestone),
        )
        .route("/kommunen/{slug}/leitbild", get(definition::show))
        .route(
            "/kommunen/{slug}/leitbild/bearbeiten",
            get(definition::edit).post(definition::save),
        )
        .route(
            "/kommunen/{slug}/leitbild/status",
            post(definition::set_status),
        )
        .route(
            "/kommunen/{slug}/leitbild/sichtbarkeit",
            post(definition::set_visibility),
        )
        .route(
            "/kommunen/{slug}/leitbild/kommentare",
            post(definition::comment),
        )
        .route(
            "/kommunen/{slug}/handlungsfelder",
            get(fields::show).post(fields::select),
        )
        .route(
            "/kommunen/{slug}/handlungsfelder/ziele",
            post(fields::add_goal),
        )
        .route(
            "/kommunen/{slug}/akteure",
            get(stakeholders::show).post(stakeholders::create),
        )
        .route("/kommunen/{slug}/massnahmen", get(measures::list::show))
        .route(
            "/kommunen/{slug}/massnahmen.csv",
            get(measures::export::csv),
        )
        .route(
            "/kommunen/{slug}/massnahmen.xlsx",
            get(measures::export::xlsx),
        )
        .route(
            "/kommunen/{slug}/massnahmen/neu",
            get(measures::form::new_form).post(measures::form::create),
        )
        .route(
            "/kommunen/{slug}/massnahmen/vorlagen",
            get(measures::templates::sources),
        )
        .route(
            "/kommunen/{slug}/massnahmen/aus-vorlage/{id}",
            post(measures::templates::from_template),
        )
        .route(
            "/kommunen/{slug}/massnahmen/kopieren/{id}",
            post(measures::templates::copy_measure),
        )
        .route(
            "/kommunen/{slug}/massnahmen/{id}",
            get(measures::detail::show),
        )
        .route(
            "/kommunen/{slug}/massnahmen/{id}/bearbeiten",
            get(measures::form::edit_form).post(measures::form::update),
        )
        .route(
            "/kommunen/{slug}/massnahmen/{id}/status",
            post(measures::status::change),
        )
        .route(
            "/kommunen/{slug}/massnahmen/{id}/partner",
            post(measures::parts::partner),
        )
        .route(
            "/kommunen/{slug}/massnahmen/{id}/raci",
            post(measures::parts::raci),
        )
        .route(
            "/kommunen/{slug}/massnahmen/{id}/abhaengigkeiten",
            post(measures::parts::dependency),
        )
        .route(
            "/kommunen/{slug}/massnahmen/{id}/kpis",
            post(measures::parts::kpi),
        )
        .route(
            "/kommunen/{slug}/massnahmen/{id}/kpis/{kpi}/messwerte",
            post(measures::parts::measurement),
        )
        .route(
            "/kommunen/{slug}/massnahmen/{id}/meilensteine",
            post(measures::parts::milestone),
        )
        .route(
            "/kommunen/{slug}/massnahmen/{id}/projektblatt.pdf",
            get(measures::export::pdf),
        )
        .route(
            "/kommunen/{slug}/massnahmen/{id}/projektblatt.md",
            get(measures::export::markdown),
        )
        .route(
            "/kommunen/{slug}/massnahmen/{id}/projektblatt.json",
            get(measures::export::json),
        )
        .route(
            "/admin/taxonomien",
            get(fields::admin_taxonomies).post(fields::admin_add_term),
        )
        .route("/admin/taxonomien/{id}", post(fields::admin_update_term))
        .route("/kommunen/{slug}/werkstaetten", get(workshops::list))
        .route(
            "/kommunen/{slug}/werkstaetten.ics",
            get(workshops::ics_feed),
        )
        .route(
            "/kommunen/{slug}/werkstaetten/neu",
            get(workshops::new_form).post(workshops::create),
        )
        .route("/kommunen/{slug}/werkstaetten/{id}", get(workshops::show))
        .route(
            "/kommunen/{slug}/werkstaetten/{id}/termin.ics",
            get(workshops::ics_one),
        )
        .route(
            "/kommunen/{slug}/werkstaetten/{id}/agenda",
            post(workshops::add_agenda),
        )
        .route(
            "/kommunen/{slug}/werkstaetten/{id}/anmelden",
            post(workshops::register),
        )
        .route(
            "/kommunen/{slug}/werkstaetten/{id}/abmelden",
            post(workshops::cancel),
        )
        .route(
            "/kommunen/{slug}/werkstaetten/{id}/teilnahme",
            post(workshops::attendance),
        )
        .route(
            "/kommunen/{slug}/werkstaetten/{id}/einladen",
            post(workshops::invite),
        )
        .route(
            "/kommunen/{slug}/werkstaetten/{id}/pinnwand",
            post(board::page::open_board),
        )
        .route(
            "/kommunen/{slug}/werkstaetten/{id}/protokoll",
            get(board::protocol::show).post(board::protocol::save),
        )
        .route(
            "/kommunen/{slug}/werkstaetten/{id}/protokoll.md",
            get(board::protocol::markdown),
        )
        .route(
            "/kommunen/{slug}/werkstaetten/{id}/protokoll.pdf",
            get(board::protocol::pdf),
        )
        .route("/mitmachen", get(board::page::enter))
        .route("/w/{code}", get(board::page::show))
        .route("/w/{code}/beitreten", post(board::page::join))
        .route("/w/{code}/live", get(board::page::live))
        .route("/w/{code}/events", get(board::stream::events))
        .route("/w/{code}/projektor", get(board::page::projector))
        .route("/w/{code}/projektor/live", get(board::page::projector_live))
        .route("/w/{code}/qr.svg", get(board::page::qr))
        .route("/w/{code}/karten", post(board::actions::add_card))
        .route(
            "/w/{code}/karten/{card}",
            post(board::actions::moderate_card),
        )
        .route("/w/{code}/punkte", post(board::actions::vote))
        .route("/w/{code}/cluster", post(board::actions::add_cluster))
        .route(
            "/w/{code}/cluster/{cluster}",
            post(board::actions::change_cluster),
        )
        .route("/w/{code}/runde", post(board::actions::round))
        .route("/w/{code}/einstellungen", post(board::actions::settings))
        .route("/w/{code}/uebernehmen", post(board::convert::convert))
        .route("/admin/prozessvorlage", post(fields::admin_add_phase))
        .route(
            "/admin/prozessvorlage/{id}",
            post(fields::admin_update_phase),
        )
        .route("/admin/vorlagen", get(measures::templates::admin_list))
        .route(
            "/admin/vorlagen/aus-massnahme",
            post(measures::templates::admin_from_measure),
        )
        .route(
            "/admin/vorlagen/{id}/veroeffentlichen",
            post(measures::templates::admin_publish),
        )
        .route(
            "/api/v1/municipalities/{slug}/measures",
            get(api::measures::list),
        )
        .route(
            "/api/v1/municipalities/{slug}/measures/{id}",
            get(api::measures::get).patch(api::writes::patch_measure),
        )
        .route("/api/v1/municipalities", get(api::municipalities::list))
        .route(
            "/api/v1/municipalities/{slug}",
            get(api::municipalities::get),
        )
        .route(
            "/api/v1/municipalities/{slug}/participations",
            get(api::participations::list),
        )
        .route("/api/v1/participations/{id}", get(api::participations::get))
        .route(
            "/api/v1/participations/{id}/results",
            get(api::participations::results),
        )
        .route("/suche", get(search::page::show))
        .route("/api/v1/search", get(api::search::search))
        .route("/api/openapi.json", get(api::openapi))
        .merge(participation::routes())
        .merge(implementation::routes())
        .merge(concept::routes())
        .merge(exchange::routes())
        .merge(opendata::routes())
        .merge(audit::pages::routes())
        .fallback(error::not_found)
        // One composed layer per route (outermost first): each `Router::layer` call would box every route
        // once more, and every request would clone that whole chain at each level.
        .layer(
            ServiceBuilder::new()
                .layer(from_fn_with_state(state.clone(), search::wake_after_writes))
                .layer(from_fn_with_state(state.clone(), ctx::load))
                .layer(from_fn_with_state(state.clone(), audit::record))
                .layer(from_fn_with_state(state.clone(), pagecache::serve))
                .layer(from_fn(error::error_pages))
                // A panicking handler becomes the friendly 500 page (rendered by `error_pages`).
                .layer(CatchPanicLayer::custom(|_| {
                    error::ErrorKind::Internal.into_response()
                }))
                .layer(from_fn(security::csrf::protect)),
        );

    Router::new()
        .route("/healthz", get(health::check))
        .route("/metrics", get(metrics::expose))
        .route("/static/app.css", get(stylesheet))
        .route("/static/board.js", get(board_script))
        .route("/static/survey.js", get(survey_script))
        .merge(pages)
        .layer(
            ServiceBuilder::new()
                .layer(from_fn(requestlog::trace))
                .layer(CatchPanicLayer::new())
                .layer(TimeoutLayer::with_status_code(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    Duration::from_secs(30),
                ))
                .layer(from_fn_with_state(state.clone(), metrics::track))
                .layer(from_fn_with_state(state.clone(), security::headers::set)),
        )
        .with_state(state)
}

/// Prepare the database for serving: migrations and default pages.
pub async fn prepare(db: &store::Db) -> anyhow::Result<()> {
    db.migrate().await?;
    public::legal::ensure_defaults(db).await?;
    Ok(())
}

/// How long the background workers get to finish their pass after the server stopped.
const WORKER_STOP_SECS: u64 = 10;

/// Serve on an already bound listener until `shutdown` resolves, then shut down gracefully: stop accepting
/// connections, end the live (SSE) streams, let requests in flight finish for up to
/// `config.shutdown_grace`, and stop the background workers (the caller closes the database).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (stop_workers, stop) = tokio::sync::watch::channel(false);
    let mut workers = Vec::new();
    if state.config.run_workers {
        workers.push(mail::spawn_worker(state.clone(), stop.clone()));
        workers.push(workers::spawn_housekeeping(state.clone(), stop));
    }
    state.hub.spawn_listener();
    search::spawn_indexer(&state);
    let hub = state.hub.clone();
    let grace = state.config.shutdown_grace;
    let (signalled_tx, signalled_rx) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        shutdown.await;
        tracing::info!(
            grace_secs = grace.as_secs(),
            "shutting down: no new connections, finishing requests in flight"
        );
        let _ = signalled_tx.send(());
        // End the live streams, or the graceful shutdown would wait for them forever.
        hub.close();
    };
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let server = axum::serve(listener, app).with_graceful_shutdown(shutdown);
    let deadline = async move {
        if signalled_rx.await.is_ok() {
            tokio::time::sleep(grace).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        result = server => result?,
        () = deadline => {
            tracing::warn!(grace_secs = grace.as_secs(), "grace period over: closing the connections still open");
        }
    }
    // The workers finish the pass they are in. One still busy after WORKER_STOP_SECS is aborted: it holds
    // no transaction across an await point that matters (a mail claimed but not sent is retried after its
    // lease, ADR 0005; a housekeeping pass is repeated by the next start).
    let stopped = workers::stop_all(
        &stop_workers,
        workers,
        Duration::from_secs(WORKER_STOP_SECS),
    )
    .await;
    if stopped.aborted == 0 {
        tracing::info!(workers = stopped.finished, "background workers stopped");
    } else {
        tracing::warn!(
            finished = stopped.finished,
            aborted = stopped.aborted,
            "background workers did not stop in time and were aborted"
        );
    }
    tracing::info!("stopped");
    Ok(())
}
