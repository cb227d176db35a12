//! Network events (`/netzwerk/veranstaltungen`): workshops of no municipality, planned by the network admin,
//! open for registration to logged-in people of every city who may see them. Registration, waiting list
//! and move-up are the workshop functions of `store::workshops`; the feed is anonymous (public events only).

use super::require_writer;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::{FormView, render};
use crate::workshops::{calendar_event, calendar_response, when};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::exchange::{may_see, min_visibility, parse_event};
use domain::visibility::Visibility;
use domain::workshop::{WorkshopInput, parse_agenda_item};
use icalendar::Calendar;
use serde::Deserialize;
use store::workshops::{AgendaItem, Registration, Workshop};

fn path(id: i64) -> String {
    format!("/netzwerk/veranstaltungen/{id}")
}

/// A network event the visitor may see.
async fn visible(state: &AppState, ctx: &RequestCtx, id: i64) -> Result<Workshop, AppError> {
    let w = store::workshops::get_network(&state.db, id).await?;
    if may_see(&ctx.actor, w.visibility()) {
        Ok(w)
    } else {
        Err(AppError::NotFound)
    }
}

#[derive(Template)]
#[template(path = "exchange/events.html")]
struct ListPage {
    ctx: RequestCtx,
    upcoming: Vec<Workshop>,
    past: Vec<Workshop>,
    can_write: bool,
}

impl ListPage {
    pub fn when(&self, w: &Workshop) -> String {
        when(w)
    }
}

pub async fn list(State(state): State<AppState>, Ctx(ctx): Ctx) -> Result<Response, AppError> {
    let now = store::now_secs();
    let all = store::workshops::list_network(&state.db, min_visibility(&ctx.actor), None).await?;
    let (upcoming, mut past): (Vec<Workshop>, Vec<Workshop>) =
        all.into_iter().partition(|w| w.ends_at > now);
    past.reverse();
    let can_write = domain::exchange::may_write(&ctx.actor);
    Ok(render(&ListPage {
        ctx,
        upcoming,
        past,
        can_write,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "exchange/event_form.html")]
struct FormPage {
    ctx: RequestCtx,
    form: FormView,
    formats: Vec<(String, String)>,
}

pub async fn new_form(State(state): State<AppState>, Ctx(ctx): Ctx) -> Result<Response, AppError> {
    require_writer(&ctx)?;
    let formats = store::workshops::formats(&state.db).await?;
    let form = FormView::new()
        .with("format_key", "erfahrungsaustausch")
        .with("visibility", "netzwerk")
        .with("start_time", "10:00")
        .with("end_time", "16:00");
    Ok(render(&FormPage { ctx, form, formats })?.into_response())
}

pub async fn create(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(input): Form<WorkshopInput>,
) -> Result<Response, AppError> {
    let user_id = require_writer(&ctx)?;
    let formats = store::workshops::formats(&state.db).await?;
    let keys: Vec<String> = formats.iter().map(|(k, _)| k.clone()).collect();
    let draft = match parse_event(&input, &keys) {
        Ok(d) => d,
        Err(errs) => {
            let form = FormView::new()
                .with("title", &input.title)
                .with("format_key", &input.format_key)
                .with("date", &input.date)
                .with("start_time", &input.start_time)
                .with("end_time", &input.end_time)
                .with("place", &input.place)
                .with("online_link", &input.online_link)
                .with("capacity", &input.capacity)
                .with("purpose", &input.purpose)
                .with("visibility", &input.visibility)
                .with_errors(&ctx, &errs);
            let page = FormPage { ctx, form, formats };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    let id = store::workshops::create_network(&state.db, &draft, user_id).await?;
    tracing::info!(workshop_id = id, by = user_id, "network event planned");
    Ok(Redirect::to(&path(id)).into_response())
}

#[derive(Template)]
#[template(path = "exchange/event.html")]
struct DetailPage {
    ctx: RequestCtx,
    w: Workshop,
    when: String,
    agenda: Vec<AgendaItem>,
    /// Everyone registered (network admin only).
    registrations: Vec<Registration>,
    /// The visitor's own registration status, if any.
    mine: Option<String>,
    can_write: bool,
    form: FormView,
}

async fn detail_page(
    state: &AppState,
    ctx: RequestCtx,
    id: i64,
    form: FormView,
) -> Result<DetailPage, AppError> {
    let w = visible(state, &ctx, id).await?;
    let agenda = store::workshops::agenda(&state.db, id).await?;
    let all = store::workshops::registrations(&state.db, id).await?;
    let mine = ctx.actor.user_id.and_then(|u| {
        all.iter()
            .find(|r| r.user_id == u && r.status != "abgemeldet")
            .map(|r| r.status.clone())
    });
    let can_write = domain::exchange::may_write(&ctx.actor);
    let registrations = if can_write { all } else { vec![] };
    Ok(DetailPage {
        ctx,
        when: when(&w),
        w,
        agenda,
        registrations,
        mine,
        can_write,
        form,
    })
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    Ok(render(&detail_page(&state, ctx, id, FormView::new()).await?)?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AgendaForm {
    agenda_title: String,
    agenda_minutes: String,
}

pub async fn add_agenda(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Form(f): Form<AgendaForm>,
) -> Result<Response, AppError> {
    require_writer(&ctx)?;
    visible(&state, &ctx, id).await?;
    match parse_agenda_item(&f.agenda_title, &f.agenda_minutes) {
        Ok((title, minutes)) => {
            store::workshops::add_agenda_item(&state.db, id, &title, minutes).await?;
            Ok(Redirect::to(&path(id)).into_response())
        }
        Err(errs) => {
            let form = FormView::new()
                .with("agenda_title", &f.agenda_title)
                .with("agenda_minutes", &f.agenda_minutes)
                .with_errors(&ctx, &errs);
            let p = detail_page(&state, ctx, id, form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response())
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegisterForm {
    show_name: String,
}

pub async fn register(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Form(f): Form<RegisterForm>,
) -> Result<Response, AppError> {
    let user_id = crate::auth::require_login(&ctx)?;
    visible(&state, &ctx, id).await?;
    let status = store::workshops::register(&state.db, id, user_id, f.show_name == "on").await?;
    tracing::info!(workshop_id = id, user_id, status = %status, "network event registration");
    Ok(Redirect::to(&path(id)).into_response())
}

pub async fn cancel(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user_id = crate::auth::require_login(&ctx)?;
    visible(&state, &ctx, id).await?;
    store::workshops::cancel(&state.db, id, user_id).await?;
    Ok(Redirect::to(&path(id)).into_response())
}

/// `GET /netzwerk/veranstaltungen/{id}/termin.ics`
pub async fn ics_one(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let w = visible(&state, &ctx, id).await?;
    let mut cal = Calendar::new();
    cal.name(&w.title)
        .push(calendar_event(&state, &w, &path(w.id)));
    Ok(calendar_response(
        format!("veranstaltung-{id}.ics"),
        cal.done(),
    ))
}

/// `GET /netzwerk/veranstaltungen.ics`: upcoming public network events. Calendar apps subscribe without a
/// session, so the feed is the same for everyone and never shows network-only events.
pub async fn ics_feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let upcoming =
        store::workshops::list_network(&state.db, Visibility::Oeffentlich, Some(store::now_secs()))
            .await?;
    let mut cal = Calendar::new();
    cal.name("Netzwerk-Veranstaltungen");
    for w in &upcoming {
        cal.push(calendar_event(&state, w, &path(w.id)));
    }
    Ok(calendar_response(
        "netzwerk-veranstaltungen.ics".into(),
        cal.done(),
    ))
}
