//! Editing the lists of a project sheet: partners, RACI, dependencies, KPIs and measurements, milestones.
//! Each change is recorded in the revision history.

use super::detail::page;
use super::visible_measure;
use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::{FormView, render};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::measure::FieldChange;
use domain::validation::required_text;
use domain::values::{optional_text, parse_date, parse_decimal};
use serde::Deserialize;

async fn refuse(
    state: &AppState,
    ctx: RequestCtx,
    city: City,
    id: i64,
    errs: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let form = FormView::new().with_errors(&ctx, &errs);
    let p = page(state, ctx, city, id, form, None).await?;
    Ok((status, render(&p)?).into_response())
}

/// A stakeholder of this city from a form value (never another city's).
async fn stakeholder(
    state: &AppState,
    city: &City,
    raw: &str,
) -> Option<store::stakeholders::Stakeholder> {
    let id = raw.parse::<i64>().ok()?;
    store::stakeholders::get(&state.db, city.m.id, id)
        .await
        .ok()
}

fn unknown(field: &'static str) -> FieldErrors {
    let mut e = FieldErrors::new();
    e.push(field, "err-choice-unknown");
    e
}

fn done(city: &City, id: i64) -> Response {
    Redirect::to(&city.path(&format!("/massnahmen/{id}?ok=part"))).into_response()
}

/// Record one changed list of the sheet in the measure's history.
async fn record(
    state: &AppState,
    city: &City,
    id: i64,
    user_id: i64,
    field: &str,
    before: String,
    after: String,
) -> Result<(), AppError> {
    let change = [FieldChange {
        field: field.into(),
        before,
        after,
    }];
    store::measures::record_change(&state.db, city.m.id, id, user_id, &change).await?;
    Ok(())
}

/// Re-render the sheet with the errors of a refused list edit (422).
async fn invalid(
    state: &AppState,
    ctx: RequestCtx,
    city: City,
    id: i64,
    errs: FieldErrors,
) -> Result<Response, AppError> {
    refuse(state, ctx, city, id, errs, StatusCode::UNPROCESSABLE_ENTITY).await
}

async fn setup(
    state: &AppState,
    ctx: &RequestCtx,
    slug: &str,
    id: i64,
) -> Result<(City, i64), AppError> {
    let city = City::load(state, ctx, slug).await?;
    let user_id = city.require_edit(ctx)?;
    visible_measure(state, &city, id).await?;
    Ok((city, user_id))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PartnerForm {
    stakeholder_id: String,
    role: String,
    remove: String,
}

pub async fn partner(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<PartnerForm>,
) -> Result<Response, AppError> {
    let (city, user_id) = setup(&state, &ctx, &slug, id).await?;
    let Some(s) = stakeholder(&state, &city, &f.stakeholder_id).await else {
        return invalid(&state, ctx, city, id, unknown("partner")).await;
    };
    if f.remove == "1" {
        store::measure_parts::remove_partner(&state.db, id, s.id).await?;
        record(
            &state,
            &city,
            id,
            user_id,
            "partners",
            s.name,
            String::new(),
        )
        .await?;
    } else {
        let role = match optional_text(&f.role, 200) {
            Ok(r) => r,
            Err(code) => {
                let mut e = FieldErrors::new();
                e.push("partner_role", code);
                return invalid(&state, ctx, city, id, e).await;
            }
        };
        store::measure_parts::set_partner(&state.db, id, s.id, &role).await?;
        let after = if role.is_empty() {
            s.name
        } else {
            format!("{} ({role})", s.name)
        };
        record(&state, &city, id, user_id, "partners", String::new(), after).await?;
    }
    Ok(done(&city, id))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RaciForm {
    stakeholder_id: String,
    r: String,
    a: String,
    c: String,
    i: String,
}

pub async fn raci(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<RaciForm>,
) -> Result<Response, AppError> {
    let (city, user_id) = setup(&state, &ctx, &slug, id).await?;
    let Some(s) = stakeholder(&state, &city, &f.stakeholder_id).await else {
        return invalid(&state, ctx, city, id, unknown("raci")).await;
    };
    let on = |v: &str| v == "on";
    let letters = [on(&f.r), on(&f.a), on(&f.c), on(&f.i)];
    store::measure_parts::set_raci(&state.db, id, s.id, letters).await?;
    let code: String = ["R", "A", "C", "I"]
        .iter()
        .zip(letters)
        .filter(|(_, b)| *b)
        .map(|(l, _)| *l)
        .collect();
    record(
        &state,
        &city,
        id,
        user_id,
        "raci",
        String::new(),
        format!("{}: {code}", s.name),
    )
    .await?;
    Ok(done(&city, id))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DependencyForm {
    depends_on: String,
    remove: String,
}

pub async fn dependency(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<DependencyForm>,
) -> Result<Response, AppError> {
    let (city, user_id) = setup(&state, &ctx, &slug, id).await?;
    let target = match f.depends_on.parse::<i64>() {
        Ok(t) => visible_measure(&state, &city, t).await.ok(),
        Err(_) => None,
    };
    let Some(target) = target else {
        return invalid(&state, ctx, city, id, unknown("depends_on")).await;
    };
    if f.remove == "1" {
        store::measure_parts::remove_dependency(&state.db, id, target.id).await?;
        record(
            &state,
            &city,
            id,
            user_id,
            "dependencies",
            target.title,
            String::new(),
        )
        .await?;
        return Ok(done(&city, id));
    }
    let check = |edges: &[(i64, i64)]| domain::graph::cycle_with(edges, id, target.id);
    match store::measure_parts::add_dependency(&state.db, city.m.id, id, target.id, check).await {
        Ok(()) => {
            record(
                &state,
                &city,
                id,
                user_id,
                "dependencies",
                String::new(),
                target.title,
            )
            .await?;
            Ok(done(&city, id))
        }
        Err(store::StoreError::Conflict(c)) if c.starts_with("cycle:") => {
            let mut e = FieldErrors::new();
            e.push("depends_on", "err-dependency-cycle");
            refuse(&state, ctx, city, id, e, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct KpiForm {
    kpi_name: String,
    kpi_unit: String,
    kpi_baseline: String,
    kpi_target: String,
    kpi_method: String,
    kpi_source: String,
    kpi_interval: String,
}

pub async fn kpi(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<KpiForm>,
) -> Result<Response, AppError> {
    let (city, user_id) = setup(&state, &ctx, &slug, id).await?;
    let mut e = FieldErrors::new();
    let name = e.take("kpi_name", required_text(&f.kpi_name, 200));
    let unit = e.take("kpi_unit", optional_text(&f.kpi_unit, 50));
    let baseline = e.take("kpi_baseline", parse_decimal(&f.kpi_baseline));
    let target = e.take("kpi_target", parse_decimal(&f.kpi_target));
    let method = e.take("kpi_method", optional_text(&f.kpi_method, 500));
    let source = e.take("kpi_source", optional_text(&f.kpi_source, 300));
    let interval = e.take("kpi_interval", optional_text(&f.kpi_interval, 100));
    let (
        Some(name),
        Some(unit),
        Some(baseline),
        Some(target),
        Some(method),
        Some(source),
        Some(interval),
        true,
    ) = (
        name,
        unit,
        baseline,
        target,
        method,
        source,
        interval,
        e.is_empty(),
    )
    else {
        return invalid(&state, ctx, city, id, e).await;
    };
    let k = store::measure_parts::NewKpi {
        name: &name,
        unit: &unit,
        baseline,
        target,
        method: &method,
        data_source: &source,
        interval: &interval,
    };
    store::measure_parts::add_kpi(&state.db, id, &k).await?;
    record(&state, &city, id, user_id, "kpis", String::new(), name).await?;
    Ok(done(&city, id))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MeasurementForm {
    measured_on: String,
    value: String,
}

pub async fn measurement(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id, kpi_id)): Path<(String, i64, i64)>,
    Form(f): Form<MeasurementForm>,
) -> Result<Response, AppError> {
    let (city, user_id) = setup(&state, &ctx, &slug, id).await?;
    let mut e = FieldErrors::new();
    let on = e.take("measured_on", parse_date(&f.measured_on)).flatten();
    let value = e.take("value", parse_decimal(&f.value)).flatten();
    if on.is_none() && e.for_field("measured_on").is_none() {
        e.push("measured_on", "err-required");
    }
    if value.is_none() && e.for_field("value").is_none() {
        e.push("value", "err-required");
    }
    let (Some(on), Some(value)) = (on, value) else {
        return invalid(&state, ctx, city, id, e).await;
    };
    store::measure_parts::add_measurement(&state.db, id, kpi_id, &on, value).await?;
    let after = format!("{on}: {}", domain::values::format_decimal(value));
    record(
        &state,
        &city,
        id,
        user_id,
        "measurements",
        String::new(),
        after,
    )
    .await?;
    Ok(done(&city, id))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MilestoneForm {
    milestone_title: String,
    milestone_due: String,
    done_id: String,
}

pub async fn milestone(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<MilestoneForm>,
) -> Result<Response, AppError> {
    let (city, user_id) = setup(&state, &ctx, &slug, id).await?;
    if let Ok(done_id) = f.done_id.parse::<i64>() {
        let today = crate::view::today();
        let parts = store::measure_parts::load(&state.db, city.m.id, id).await?;
        let Some(ms) = parts.milestones.iter().find(|m| m.id == done_id) else {
            return Err(AppError::NotFound);
        };
        store::process::set_milestone_done(&state.db, city.m.id, done_id, Some(&today)).await?;
        record(
            &state,
            &city,
            id,
            user_id,
            "milestones",
            ms.title.clone(),
            format!("{} ✓", ms.title),
        )
        .await?;
        return Ok(done(&city, id));
    }
    let mut e = FieldErrors::new();
    let title = e.take("milestone_title", required_text(&f.milestone_title, 200));
    let due = e.take("milestone_due", parse_date(&f.milestone_due));
    let (Some(title), Some(due), true) = (title, due, e.is_empty()) else {
        return invalid(&state, ctx, city, id, e).await;
    };
    store::process::add_milestone(&state.db, city.m.id, None, Some(id), &title, due.as_deref())
        .await?;
    record(
        &state,
        &city,
        id,
        user_id,
        "milestones",
        String::new(),
        title,
    )
    .await?;
    Ok(done(&city, id))
}
