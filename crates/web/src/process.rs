//! The process of a municipality: phases (from the network template) with status and dates, milestones,
//! and the two-year timeline (SVG with a table beside it). The network's overview of every city is in
//! `crate::network::dashboard`.

use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::{FormView, render, today};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::process::{Bar, PhaseStatus, add_months, bar};
use domain::validation::required_text;
use domain::values::parse_date;
use serde::Deserialize;
use store::process::{Milestone, Phase};

/// Months shown by the timeline.
const TIMELINE_MONTHS: f64 = 24.0;

/// Make sure the municipality has its phases (created on first use from the template, starting this month).
pub async fn ensure_phases(state: &AppState, municipality_id: i64) -> Result<Vec<Phase>, AppError> {
    let phases = store::process::phases(&state.db, municipality_id).await?;
    if !phases.is_empty() {
        return Ok(phases);
    }
    let start = format!("{}-01", &today()[..7]);
    store::process::instantiate(&state.db, municipality_id, &start, add_months).await?;
    Ok(store::process::phases(&state.db, municipality_id).await?)
}

/// The phase a city is in: the first active one, else the first open one after closed ones.
pub fn current_phase(phases: &[Phase]) -> Option<&Phase> {
    phases
        .iter()
        .find(|p| p.status == "aktiv")
        .or_else(|| phases.iter().find(|p| p.status == "offen"))
}

pub struct TimelineRow {
    pub phase: Phase,
    pub planned: Option<Bar>,
    pub actual: Option<Bar>,
}

/// Year marks of the timeline: label and x position in percent.
fn year_marks(origin: &str) -> Vec<(String, f64)> {
    let year: i64 = origin[..4].parse().unwrap_or(2026);
    let month: i64 = origin[5..7].parse().unwrap_or(1);
    let mut marks = Vec::new();
    for y in year + 1..=year + 2 {
        let x = ((y - year) * 12 - (month - 1)) as f64 / TIMELINE_MONTHS * 100.0;
        if x < 100.0 {
            marks.push((y.to_string(), x));
        }
    }
    marks
}

#[derive(Template)]
#[template(path = "process.html")]
struct ProcessPage {
    ctx: RequestCtx,
    city: City,
    rows: Vec<TimelineRow>,
    /// Milestones with the title of their measure (only measures the visitor may see).
    milestones: Vec<(Milestone, Option<String>)>,
    marks: Vec<(String, f64)>,
    origin_label: String,
    today_x: Option<f64>,
    form: FormView,
}

impl ProcessPage {
    pub fn date(&self, iso: &Option<String>) -> String {
        iso.as_deref()
            .map(domain::values::german_date)
            .unwrap_or_else(|| "–".into())
    }

    pub fn y(&self, index: &usize) -> usize {
        40 + index * 34
    }

    pub fn height(&self) -> usize {
        50 + self.rows.len() * 34
    }
}

async fn page(
    state: &AppState,
    ctx: RequestCtx,
    city: City,
    form: FormView,
) -> Result<ProcessPage, AppError> {
    let phases = ensure_phases(state, city.m.id).await?;
    let origin = phases
        .first()
        .and_then(|p| p.planned_start.clone())
        .unwrap_or_else(|| format!("{}-01", &today()[..7]));
    let rows = phases
        .into_iter()
        .map(|p| TimelineRow {
            planned: bar(
                &origin,
                TIMELINE_MONTHS,
                p.planned_start.as_deref(),
                p.planned_end.as_deref(),
            ),
            actual: bar(
                &origin,
                TIMELINE_MONTHS,
                p.actual_start.as_deref(),
                p.actual_end.as_deref().or(Some(&today())),
            ),
            phase: p,
        })
        .collect();
    let visible: Vec<(i64, String)> = store::measures::list(
        &state.db,
        city.m.id,
        city.min_visibility,
        &Default::default(),
        Default::default(),
    )
    .await?
    .into_iter()
    .map(|m| (m.id, m.title))
    .collect();
    let milestones = store::process::milestones(&state.db, city.m.id)
        .await?
        .into_iter()
        .filter_map(|ms| match ms.measure_id {
            None => Some((ms, None)),
            Some(id) => visible
                .iter()
                .find(|(v, _)| *v == id)
                .map(|(_, title)| (ms, Some(title.clone()))),
        })
        .collect();
    let t = today();
    let today_x = bar(&origin, TIMELINE_MONTHS, Some(&origin), Some(&t)).map(|b| b.width_pct);
    let marks = year_marks(&origin);
    let origin_label = origin.get(..4).unwrap_or_default().to_string();
    Ok(ProcessPage {
        ctx,
        city,
        rows,
        milestones,
        marks,
        origin_label,
        today_x,
        form,
    })
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    Ok(render(&page(&state, ctx, city, FormView::new()).await?)?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PhaseForm {
    status: String,
    planned_start: String,
    planned_end: String,
    actual_start: String,
    actual_end: String,
}

pub async fn update_phase(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, phase_id)): Path<(String, i64)>,
    Form(f): Form<PhaseForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_coordinate(&ctx)?;
    let phases = ensure_phases(&state, city.m.id).await?;
    let Some(mut phase) = phases.into_iter().find(|p| p.id == phase_id) else {
        return Err(AppError::NotFound);
    };
    let mut e = FieldErrors::new();
    let status = e.take("status", PhaseStatus::parse(&f.status));
    let ps = e.take("planned_start", parse_date(&f.planned_start));
    let pe = e.take("planned_end", parse_date(&f.planned_end));
    let a_s = e.take("actual_start", parse_date(&f.actual_start));
    let a_e = e.take("actual_end", parse_date(&f.actual_end));
    if let (Some(Some(a)), Some(Some(b))) = (&ps, &pe)
        && b < a
    {
        e.push("planned_end", "err-end-before-start");
    }
    if let (Some(Some(a)), Some(Some(b))) = (&a_s, &a_e)
        && b < a
    {
        e.push("actual_end", "err-end-before-start");
    }
    let (Some(status), Some(ps), Some(pe), Some(a_s), Some(a_e), true) =
        (status, ps, pe, a_s, a_e, e.is_empty())
    else {
        let form = FormView::new()
            .with("phase", &phase_id.to_string())
            .with_errors(&ctx, &e);
        let p = page(&state, ctx, city, form).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    };
    phase.status = status.as_str().to_string();
    phase.planned_start = ps;
    phase.planned_end = pe;
    // Starting a phase records its actual start, closing it its actual end, unless given.
    phase.actual_start = a_s.or_else(|| (status != PhaseStatus::Offen).then(today));
    phase.actual_end = a_e.or_else(|| (status == PhaseStatus::Abgeschlossen).then(today));
    store::process::update_phase(&state.db, city.m.id, &phase).await?;
    tracing::info!(municipality_id = city.m.id, phase_id, status = %phase.status, "phase updated");
    Ok(Redirect::to(&city.path("/prozess")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MilestoneForm {
    milestone_title: String,
    milestone_due: String,
    phase_id: String,
}

pub async fn add_milestone(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(f): Form<MilestoneForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let phases = ensure_phases(&state, city.m.id).await?;
    let mut e = FieldErrors::new();
    let title = e.take("milestone_title", required_text(&f.milestone_title, 200));
    let due = e.take("milestone_due", parse_date(&f.milestone_due));
    let phase_id = f
        .phase_id
        .parse::<i64>()
        .ok()
        .filter(|id| phases.iter().any(|p| p.id == *id));
    let (Some(title), Some(due), true) = (title, due, e.is_empty()) else {
        let form = FormView::new()
            .with("milestone_title", &f.milestone_title)
            .with_errors(&ctx, &e);
        let p = page(&state, ctx, city, form).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    };
    store::process::add_milestone(&state.db, city.m.id, phase_id, None, &title, due.as_deref())
        .await?;
    Ok(Redirect::to(&city.path("/prozess")).into_response())
}
