//! Workshops (Werkstätten) of a municipality: planning with agenda, registration with capacity and waiting
//! list, attendance, and calendar files (iCalendar, UTC times) for one workshop and as a feed per city.

use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::workshop::{WorkshopInput, parse_agenda_item, utc_to_local};
use icalendar::{Calendar, Component, EventLike};
use serde::Deserialize;
use store::workshops::{AgendaItem, Registration, Workshop};

/// A workshop of the city that the visitor may see.
async fn visible(state: &AppState, city: &City, id: i64) -> Result<Workshop, AppError> {
    let w = store::workshops::get(&state.db, city.m.id, id).await?;
    if city.may_see(w.visibility()) {
        Ok(w)
    } else {
        Err(AppError::NotFound)
    }
}

/// `dd.mm.yyyy, HH:MM–HH:MM Uhr` in Berlin time.
pub fn when(w: &Workshop) -> String {
    let (d, s) = utc_to_local(w.starts_at);
    let (_, e) = utc_to_local(w.ends_at);
    format!("{}, {s}–{e} Uhr", domain::values::german_date(&d))
}

#[derive(Template)]
#[template(path = "workshops/list.html")]
struct ListPage {
    ctx: RequestCtx,
    city: City,
    upcoming: Vec<Workshop>,
    past: Vec<Workshop>,
}

impl ListPage {
    pub fn when(&self, w: &Workshop) -> String {
        when(w)
    }
}

pub async fn list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let now = store::now_secs();
    let all = store::workshops::list(&state.db, city.m.id, city.min_visibility, None).await?;
    let (upcoming, mut past): (Vec<Workshop>, Vec<Workshop>) =
        all.into_iter().partition(|w| w.ends_at > now);
    past.reverse();
    Ok(render(&ListPage {
        ctx,
        city,
        upcoming,
        past,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "workshops/form.html")]
struct FormPage {
    ctx: RequestCtx,
    city: City,
    form: FormView,
    formats: Vec<(String, String)>,
    phases: Vec<store::process::Phase>,
}

fn input_form(i: &WorkshopInput) -> FormView {
    FormView::new()
        .with("title", &i.title)
        .with("format_key", &i.format_key)
        .with("date", &i.date)
        .with("start_time", &i.start_time)
        .with("end_time", &i.end_time)
        .with("place", &i.place)
        .with("online_link", &i.online_link)
        .with("capacity", &i.capacity)
        .with("purpose", &i.purpose)
        .with("phase_id", &i.phase_id)
        .with("visibility", &i.visibility)
}

pub async fn new_form(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let formats = store::workshops::formats(&state.db).await?;
    let phases = crate::process::ensure_phases(&state, city.m.id).await?;
    let form = FormView::new()
        .with("visibility", "intern")
        .with("start_time", "17:00")
        .with("end_time", "20:00");
    Ok(render(&FormPage {
        ctx,
        city,
        form,
        formats,
        phases,
    })?
    .into_response())
}

pub async fn create(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(input): Form<WorkshopInput>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let user_id = city.require_edit(&ctx)?;
    let formats = store::workshops::formats(&state.db).await?;
    let phases = crate::process::ensure_phases(&state, city.m.id).await?;
    let keys: Vec<String> = formats.iter().map(|(k, _)| k.clone()).collect();
    let mut draft = match input.parse(&keys) {
        Ok(d) => d,
        Err(errs) => {
            let form = input_form(&input).with_errors(&ctx, &errs);
            let page = FormPage {
                ctx,
                city,
                form,
                formats,
                phases,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    draft.phase_id = draft
        .phase_id
        .filter(|id| phases.iter().any(|p| p.id == *id));
    let id = store::workshops::create(&state.db, city.m.id, &draft, user_id).await?;
    tracing::info!(
        municipality_id = city.m.id,
        workshop_id = id,
        by = user_id,
        "workshop planned"
    );
    Ok(Redirect::to(&city.path(&format!("/werkstaetten/{id}"))).into_response())
}

#[derive(Template)]
#[template(path = "workshops/detail.html")]
struct DetailPage {
    ctx: RequestCtx,
    city: City,
    w: Workshop,
    when: String,
    agenda: Vec<AgendaItem>,
    registrations: Vec<Registration>,
    /// The visitor's own registration status, if any.
    mine: Option<String>,
    /// City members that can be invited (editors only).
    members: Vec<store::users::Member>,
    /// Stakeholders with an e-mail address that can be invited (editors only).
    stakeholders: Vec<store::stakeholders::Stakeholder>,
    form: FormView,
    notice: Option<String>,
    /// The join code of the live board, once opened (shown to editors).
    board_code: Option<String>,
    /// The protocol is readable by this visitor.
    protocol: bool,
}

async fn detail_page(
    state: &AppState,
    ctx: RequestCtx,
    city: City,
    id: i64,
    form: FormView,
) -> Result<DetailPage, AppError> {
    let w = visible(state, &city, id).await?;
    let agenda = store::workshops::agenda(&state.db, id).await?;
    let all = store::workshops::registrations(&state.db, id).await?;
    let mine = ctx.actor.user_id.and_then(|u| {
        all.iter()
            .find(|r| r.user_id == u && r.status != "abgemeldet")
            .map(|r| r.status.clone())
    });
    let (registrations, members, stakeholders) = if city.can_edit {
        let stakeholders = store::stakeholders::list(&state.db, city.m.id)
            .await?
            .into_iter()
            .filter(|s| !s.email.is_empty())
            .collect();
        (
            all,
            store::users::members(&state.db, city.m.id).await?,
            stakeholders,
        )
    } else {
        (vec![], vec![], vec![])
    };
    let board_code = if city.can_edit {
        store::boards::get(&state.db, id)
            .await?
            .map(|b| b.join_code)
    } else {
        None
    };
    let published = store::boards::protocol_notes(&state.db, id)
        .await?
        .published;
    let protocol = match published.as_str() {
        "entwurf" => city.can_edit,
        p => domain::visibility::Visibility::parse(p).is_ok_and(|v| city.may_see(v)),
    };
    Ok(DetailPage {
        board_code,
        protocol,
        ctx,
        when: when(&w),
        city,
        w,
        agenda,
        registrations,
        mine,
        members,
        stakeholders,
        form,
        notice: None,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DetailQuery {
    eingeladen: String,
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    axum::extract::Query(q): axum::extract::Query<DetailQuery>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let notice = q
        .eingeladen
        .parse::<usize>()
        .ok()
        .map(|n| ctx.t1("workshop-invited", "n", n));
    let mut page = detail_page(&state, ctx, city, id, FormView::new()).await?;
    page.notice = notice;
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    user_ids: Vec<String>,
    stakeholder_ids: Vec<String>,
    emails: String,
}

/// `POST …/werkstaetten/{id}/einladen`: invitations by e-mail with the workshop as an .ics attachment.
pub async fn invite(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<InviteForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let w = visible(&state, &city, id).await?;
    let members = store::users::members(&state.db, city.m.id).await?;
    let mut recipients: Vec<String> = members
        .iter()
        .filter(|m| f.user_ids.iter().any(|u| *u == m.user_id.to_string()))
        .map(|m| m.email.clone())
        .collect();
    let stakeholders = store::stakeholders::list(&state.db, city.m.id).await?;
    recipients.extend(
        stakeholders
            .iter()
            .filter(|st| {
                !st.email.is_empty() && f.stakeholder_ids.iter().any(|i| *i == st.id.to_string())
            })
            .map(|st| st.email.to_lowercase()),
    );
    let mut errs = domain::FieldErrors::new();
    for line in f.emails.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match domain::account::Email::parse(line) {
            Ok(e) => recipients.push(e.as_str().to_string()),
            Err(_) => {
                errs.push("emails", "err-email-list");
                break;
            }
        }
    }
    recipients.sort();
    recipients.dedup();
    if errs.is_empty() && recipients.is_empty() {
        errs.push("emails", "err-no-recipients");
    }
    if errs.is_empty() && recipients.len() > 500 {
        errs.push("emails", "err-too-many");
    }
    if !errs.is_empty() {
        let form = FormView::new()
            .with("emails", &f.emails)
            .with_errors(&ctx, &errs);
        let p = detail_page(&state, ctx, city, id, form).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    }
    let mut cal = Calendar::new();
    cal.name(&w.title).push(event(&state, &city, &w));
    let attachment = store::mail::Attachment {
        name: format!("werkstatt-{id}.ics"),
        content_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
        body: cal.done().to_string(),
    };
    let de = crate::i18n::Lang::De;
    let link = format!(
        "{}{}",
        state.config.base_url,
        city.path(&format!("/werkstaetten/{id}"))
    );
    let place = if w.place.is_empty() {
        w.online_link.clone()
    } else {
        w.place.clone()
    };
    let body = de.t_args(
        "mail-workshop-body",
        &[
            ("title", w.title.clone()),
            ("city", city.m.name.clone()),
            ("when", when(&w)),
            ("place", place),
            ("link", link),
        ],
    );
    let subject = de.t_args("mail-workshop-subject", &[("title", w.title.clone())]);
    for to in &recipients {
        crate::mail::queue_with(&state, to, &subject, &body, Some(&attachment)).await?;
    }
    tracing::info!(
        workshop_id = id,
        count = recipients.len(),
        "workshop invitations queued"
    );
    Ok(Redirect::to(&city.path(&format!(
        "/werkstaetten/{id}?eingeladen={}",
        recipients.len()
    )))
    .into_response())
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
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<AgendaForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    visible(&state, &city, id).await?;
    match parse_agenda_item(&f.agenda_title, &f.agenda_minutes) {
        Ok((title, minutes)) => {
            store::workshops::add_agenda_item(&state.db, id, &title, minutes).await?;
            Ok(Redirect::to(&city.path(&format!("/werkstaetten/{id}"))).into_response())
        }
        Err(errs) => {
            let form = FormView::new()
                .with("agenda_title", &f.agenda_title)
                .with("agenda_minutes", &f.agenda_minutes)
                .with_errors(&ctx, &errs);
            let p = detail_page(&state, ctx, city, id, form).await?;
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
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<RegisterForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let user_id = crate::auth::require_login(&ctx)?;
    visible(&state, &city, id).await?;
    let status = store::workshops::register(&state.db, id, user_id, f.show_name == "on").await?;
    tracing::info!(workshop_id = id, user_id, status = %status, "workshop registration");
    Ok(Redirect::to(&city.path(&format!("/werkstaetten/{id}"))).into_response())
}

pub async fn cancel(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let user_id = crate::auth::require_login(&ctx)?;
    visible(&state, &city, id).await?;
    store::workshops::cancel(&state.db, id, user_id).await?;
    Ok(Redirect::to(&city.path(&format!("/werkstaetten/{id}"))).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AttendanceForm {
    user_id: String,
    attended: String,
}

pub async fn attendance(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<AttendanceForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    visible(&state, &city, id).await?;
    let user_id: i64 = f.user_id.parse().map_err(|_| AppError::NotFound)?;
    store::workshops::set_attended(&state.db, id, user_id, f.attended == "1").await?;
    Ok(Redirect::to(&city.path(&format!("/werkstaetten/{id}#teilnahme"))).into_response())
}

fn event(state: &AppState, city: &City, w: &Workshop) -> icalendar::Event {
    calendar_event(state, w, &city.path(&format!("/werkstaetten/{}", w.id)))
}

/// A workshop (or network event, shown at `path`) as an iCalendar event in UTC.
pub(crate) fn calendar_event(state: &AppState, w: &Workshop, path: &str) -> icalendar::Event {
    let start = chrono::DateTime::<chrono::Utc>::from_timestamp(w.starts_at, 0).unwrap_or_default();
    let end = chrono::DateTime::<chrono::Utc>::from_timestamp(w.ends_at, 0).unwrap_or_default();
    let host = state
        .config
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or("werkstatt")
        .to_string();
    let mut e = icalendar::Event::new();
    e.uid(&format!("werkstatt-{}@{host}", w.id))
        .summary(&format!("{} ({})", w.title, w.format_name))
        .starts(start)
        .ends(end)
        .url(&format!("{}{path}", state.config.base_url));
    if !w.place.is_empty() {
        e.location(&w.place);
    }
    let mut description = w.purpose.clone();
    if !w.online_link.is_empty() {
        description = format!("{description}\nOnline: {}", w.online_link)
            .trim()
            .to_string();
    }
    if !description.is_empty() {
        e.description(&description);
    }
    e.done()
}

pub(crate) fn calendar_response(name: String, cal: Calendar) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        cal.to_string(),
    )
        .into_response()
}

/// `GET /kommunen/{slug}/werkstaetten/{id}/termin.ics`
pub async fn ics_one(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let w = visible(&state, &city, id).await?;
    let mut cal = Calendar::new();
    cal.name(&w.title).push(event(&state, &city, &w));
    Ok(calendar_response(format!("werkstatt-{id}.ics"), cal.done()))
}

/// `GET /kommunen/{slug}/werkstaetten.ics`: the upcoming workshops the visitor may see.
pub async fn ics_feed(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let upcoming = store::workshops::list(
        &state.db,
        city.m.id,
        city.min_visibility,
        Some(store::now_secs()),
    )
    .await?;
    let mut cal = Calendar::new();
    cal.name(&format!("Werkstätten {}", city.m.name));
    for w in &upcoming {
        cal.push(event(&state, &city, w));
    }
    Ok(calendar_response(
        format!("werkstaetten-{}.ics", city.m.slug),
        cal.done(),
    ))
}
