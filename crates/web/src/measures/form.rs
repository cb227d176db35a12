//! The project sheet form: create and edit, with optimistic concurrency (a conflict shows both versions and
//! keeps what the person typed).

use super::{Lookups, visible_measure};
use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::measure::{FieldChange, Sheet, SheetInput};
use domain::values::format_decimal;
use store::StoreError;
use store::measures::Origin;

#[derive(Template)]
#[template(path = "measures/form.html")]
pub struct SheetPage {
    pub ctx: RequestCtx,
    pub city: City,
    pub form: FormView,
    pub lookups: Lookups,
    /// `Some((id, version))` when editing.
    pub editing: Option<(i64, i64)>,
    /// Fields someone else changed meanwhile (conflict), with their saved values.
    pub conflict: Vec<FieldChange>,
}

fn opt_num(v: Option<f64>) -> String {
    v.map(format_decimal).unwrap_or_default()
}

/// A stored sheet as the form would have sent it.
pub fn sheet_to_input(s: &Sheet) -> SheetInput {
    let ids = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>();
    SheetInput {
        title: s.title.clone(),
        short_description: s.short_description.clone(),
        visibility: s
            .visibility
            .map(|v| v.as_str().to_string())
            .unwrap_or_default(),
        primary_field_id: s
            .primary_field_id
            .map(|v| v.to_string())
            .unwrap_or_default(),
        further_field_ids: ids(&s.further_field_ids),
        goal_ids: ids(&s.goal_ids),
        tag_ids: ids(&s.tag_ids),
        initial_situation: s.initial_situation.clone(),
        target_groups: s.target_groups.join("\n"),
        impact_output: s.impact_output.clone(),
        impact_outcome: s.impact_outcome.clone(),
        impact_impact: s.impact_impact.clone(),
        lead_unit: s.lead_unit.clone(),
        lead_stakeholder_id: s
            .lead_stakeholder_id
            .map(|v| v.to_string())
            .unwrap_or_default(),
        start_date: s.start_date.clone().unwrap_or_default(),
        end_date: s.end_date.clone().unwrap_or_default(),
        time_horizon: s
            .time_horizon
            .map(|v| v.as_str().to_string())
            .unwrap_or_default(),
        priority: s
            .priority
            .map(|v| v.as_str().to_string())
            .unwrap_or_default(),
        quick_win: if s.quick_win {
            "on".into()
        } else {
            String::new()
        },
        investment_costs: s
            .investment_costs
            .map(|v| v.to_string())
            .unwrap_or_default(),
        operating_costs: s.operating_costs.map(|v| v.to_string()).unwrap_or_default(),
        staff_need_fte: opt_num(s.staff_need_fte),
        funding_own_share_pct: opt_num(s.funding_own_share_pct),
        funding_programme: s.funding_programme.clone(),
        funding_rate_pct: opt_num(s.funding_rate_pct),
        risks: s.risks.join("\n"),
        council_decision_date: s.council_decision_date.clone().unwrap_or_default(),
        council_decision_link: s.council_decision_link.clone(),
        participation_form: s.participation_form.clone(),
        location_geojson: s.location_geojson.clone(),
        data_protection: s.data_protection.clone(),
        licence: s.licence.clone(),
        repository: s.repository.clone(),
        transferability: s.transferability.clone(),
        contact: s.contact.clone(),
        base_version: String::new(),
    }
}

/// The form model with every entered value.
pub fn input_to_form(i: &SheetInput) -> FormView {
    let mut f = FormView::new();
    for (k, v) in [
        ("title", &i.title),
        ("short_description", &i.short_description),
        ("visibility", &i.visibility),
        ("primary_field_id", &i.primary_field_id),
        ("initial_situation", &i.initial_situation),
        ("target_groups", &i.target_groups),
        ("impact_output", &i.impact_output),
        ("impact_outcome", &i.impact_outcome),
        ("impact_impact", &i.impact_impact),
        ("lead_unit", &i.lead_unit),
        ("lead_stakeholder_id", &i.lead_stakeholder_id),
        ("start_date", &i.start_date),
        ("end_date", &i.end_date),
        ("time_horizon", &i.time_horizon),
        ("priority", &i.priority),
        ("quick_win", &i.quick_win),
        ("investment_costs", &i.investment_costs),
        ("operating_costs", &i.operating_costs),
        ("staff_need_fte", &i.staff_need_fte),
        ("funding_own_share_pct", &i.funding_own_share_pct),
        ("funding_programme", &i.funding_programme),
        ("funding_rate_pct", &i.funding_rate_pct),
        ("risks", &i.risks),
        ("council_decision_date", &i.council_decision_date),
        ("council_decision_link", &i.council_decision_link),
        ("participation_form", &i.participation_form),
        ("location_geojson", &i.location_geojson),
        ("data_protection", &i.data_protection),
        ("licence", &i.licence),
        ("repository", &i.repository),
        ("transferability", &i.transferability),
        ("contact", &i.contact),
    ] {
        f = f.with(k, v);
    }
    for (k, list) in [
        ("further_field_ids", &i.further_field_ids),
        ("goal_ids", &i.goal_ids),
        ("tag_ids", &i.tag_ids),
    ] {
        for v in list {
            f = f.with(k, v);
        }
    }
    f
}

/// Parse the form and check every referenced id against this municipality's data.
fn parse(input: &SheetInput, lookups: &Lookups) -> Result<Sheet, domain::FieldErrors> {
    let sheet = input.parse()?;
    let refs = lookups.check_refs(&sheet);
    if refs.is_empty() {
        Ok(sheet)
    } else {
        Err(refs)
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let lookups = Lookups::load(&state, city.m.id).await?;
    let form = FormView::new().with("visibility", "intern");
    Ok(render(&SheetPage {
        ctx,
        city,
        form,
        lookups,
        editing: None,
        conflict: vec![],
    })?
    .into_response())
}

pub async fn create(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(input): Form<SheetInput>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let user_id = city.require_edit(&ctx)?;
    let lookups = Lookups::load(&state, city.m.id).await?;
    let sheet = match parse(&input, &lookups) {
        Ok(s) => s,
        Err(errs) => {
            let form = input_to_form(&input).with_errors(&ctx, &errs);
            let page = SheetPage {
                ctx,
                city,
                form,
                lookups,
                editing: None,
                conflict: vec![],
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    let id = store::measures::create(
        &state.db,
        city.m.id,
        &sheet,
        "idee",
        Some(user_id),
        Origin::default(),
    )
    .await?;
    tracing::info!(
        municipality_id = city.m.id,
        measure_id = id,
        by = user_id,
        "measure created"
    );
    Ok(Redirect::to(&city.path(&format!("/massnahmen/{id}?ok=created"))).into_response())
}

pub async fn edit_form(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let rec = visible_measure(&state, &city, id).await?;
    let (f, g, t) = store::measures::id_lists(&state.db, id).await?;
    let lookups = Lookups::load(&state, city.m.id).await?;
    let form = input_to_form(&sheet_to_input(&rec.sheet(f, g, t)));
    Ok(render(&SheetPage {
        ctx,
        city,
        form,
        lookups,
        editing: Some((id, rec.version)),
        conflict: vec![],
    })?
    .into_response())
}

pub async fn update(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(input): Form<SheetInput>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let user_id = city.require_edit(&ctx)?;
    visible_measure(&state, &city, id).await?;
    let lookups = Lookups::load(&state, city.m.id).await?;
    let base_version: i64 = input.base_version.trim().parse().unwrap_or(0);
    let sheet = match parse(&input, &lookups) {
        Ok(s) => s,
        Err(errs) => {
            let form = input_to_form(&input).with_errors(&ctx, &errs);
            let page = SheetPage {
                ctx,
                city,
                form,
                lookups,
                editing: Some((id, base_version)),
                conflict: vec![],
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    match store::measures::update(&state.db, city.m.id, id, base_version, &sheet, user_id).await {
        Ok(changes) => {
            tracing::info!(
                measure_id = id,
                by = user_id,
                fields = changes.len(),
                "measure saved"
            );
            Ok(Redirect::to(&city.path(&format!("/massnahmen/{id}?ok=saved"))).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            // Someone saved in between: show what they changed next to this person's input, which stays in
            // the form; saving again on top of the new version is a deliberate decision.
            let rec = store::measures::record(&state.db, city.m.id, id).await?;
            let (fi, g, t) = store::measures::id_lists(&state.db, id).await?;
            let theirs = rec.sheet(fi, g, t);
            let conflict = sheet.changes_from(&theirs);
            let form = input_to_form(&input).with_error(&ctx, "title", "err-measure-conflict");
            let page = SheetPage {
                ctx,
                city,
                form,
                lookups,
                editing: Some((id, rec.version)),
                conflict,
            };
            Ok((StatusCode::CONFLICT, render(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
