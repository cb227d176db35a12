//! Fields of action (Handlungsfelder) of a municipality with priority and rationale, and the goals per field;
//! the network admin's editing of the taxonomies and the process template.

use crate::auth::require;
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
use domain::FieldErrors;
use domain::measure::Priority;
use domain::permission::Permission;
use domain::validation::required_text;
use domain::values::{optional_text, parse_decimal, parse_year};
use serde::Deserialize;
use store::fields::{CityField, Goal};
use store::taxonomy::Term;

#[derive(Template)]
#[template(path = "fields.html")]
struct FieldsPage {
    ctx: RequestCtx,
    city: City,
    selected: Vec<CityField>,
    goals: Vec<Goal>,
    taxonomy: Vec<Term>,
    form: FormView,
}

impl FieldsPage {
    pub fn goals_of(&self, field_id: &i64) -> Vec<&Goal> {
        self.goals
            .iter()
            .filter(|g| g.field_id == *field_id)
            .collect()
    }

    pub fn selection(&self, field_id: &i64) -> Option<&CityField> {
        self.selected.iter().find(|s| s.field_id == *field_id)
    }

    pub fn num(&self, v: &Option<f64>) -> String {
        v.map(domain::values::format_decimal)
            .unwrap_or_else(|| "–".into())
    }
}

async fn page(
    state: &AppState,
    ctx: RequestCtx,
    city: City,
    form: FormView,
) -> Result<FieldsPage, AppError> {
    let selected = store::fields::selected(&state.db, city.m.id).await?;
    let goals = store::fields::goals(&state.db, city.m.id).await?;
    let taxonomy = store::taxonomy::list(&state.db, store::taxonomy::FIELD_OF_ACTION)
        .await?
        .into_iter()
        .filter(|t| t.active)
        .collect();
    Ok(FieldsPage {
        ctx,
        city,
        selected,
        goals,
        taxonomy,
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
pub struct SelectForm {
    field_id: String,
    priority: String,
    rationale: String,
    remove: String,
}

pub async fn select(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(f): Form<SelectForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let terms = store::taxonomy::list(&state.db, store::taxonomy::FIELD_OF_ACTION).await?;
    let Some(term) = f
        .field_id
        .parse::<i64>()
        .ok()
        .and_then(|id| terms.into_iter().find(|t| t.id == id))
    else {
        return Err(AppError::NotFound);
    };
    if f.remove == "1" {
        store::fields::deselect(&state.db, city.m.id, term.id).await?;
        return Ok(Redirect::to(&city.path("/handlungsfelder")).into_response());
    }
    let mut e = FieldErrors::new();
    let priority = match Priority::parse(&f.priority) {
        Ok(Some(p)) => Some(p),
        Ok(None) => {
            e.push("priority", "err-required");
            None
        }
        Err(code) => {
            e.push("priority", code);
            None
        }
    };
    let rationale = e.take("rationale", optional_text(&f.rationale, 2000));
    let (Some(priority), Some(rationale), true) = (priority, rationale, e.is_empty()) else {
        let form = FormView::new()
            .with("rationale", &f.rationale)
            .with_errors(&ctx, &e);
        let p = page(&state, ctx, city, form).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    };
    store::fields::select(&state.db, city.m.id, term.id, priority.as_str(), &rationale).await?;
    Ok(Redirect::to(&city.path("/handlungsfelder")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct GoalForm {
    field_id: String,
    goal_text: String,
    indicator: String,
    unit: String,
    baseline: String,
    target_value: String,
    target_year: String,
}

pub async fn add_goal(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(f): Form<GoalForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let selected = store::fields::selected(&state.db, city.m.id).await?;
    let mut e = FieldErrors::new();
    let field_id = f
        .field_id
        .parse::<i64>()
        .ok()
        .filter(|id| selected.iter().any(|s| s.field_id == *id));
    if field_id.is_none() {
        e.push("field_id", "err-field-not-selected");
    }
    let text = e.take("goal_text", required_text(&f.goal_text, 500));
    let indicator = e.take("indicator", optional_text(&f.indicator, 300));
    let unit = e.take("unit", optional_text(&f.unit, 50));
    let baseline = e.take("baseline", parse_decimal(&f.baseline));
    let target = e.take("target_value", parse_decimal(&f.target_value));
    let year = e.take("target_year", parse_year(&f.target_year));
    let (
        Some(field_id),
        Some(text),
        Some(indicator),
        Some(unit),
        Some(baseline),
        Some(target),
        Some(year),
        true,
    ) = (
        field_id,
        text,
        indicator,
        unit,
        baseline,
        target,
        year,
        e.is_empty(),
    )
    else {
        let form = FormView::new()
            .with("goal_field", &f.field_id)
            .with("goal_text", &f.goal_text)
            .with("indicator", &f.indicator)
            .with("unit", &f.unit)
            .with("baseline", &f.baseline)
            .with("target_value", &f.target_value)
            .with("target_year", &f.target_year)
            .with_errors(&ctx, &e);
        let p = page(&state, ctx, city, form).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    };
    let g = store::fields::NewGoal {
        field_id,
        text: &text,
        indicator: &indicator,
        unit: &unit,
        baseline,
        target_value: target,
        target_year: year,
    };
    store::fields::add_goal(&state.db, city.m.id, &g).await?;
    Ok(Redirect::to(&city.path("/handlungsfelder")).into_response())
}

#[derive(Template)]
#[template(path = "admin/taxonomies.html")]
struct TaxonomiesPage {
    ctx: RequestCtx,
    fields: Vec<Term>,
    sdgs: Vec<Term>,
    charta: Vec<Term>,
    groups: Vec<Term>,
    phases: Vec<store::process::PhaseTemplate>,
    form: FormView,
}

async fn taxonomies_page(
    state: &AppState,
    ctx: RequestCtx,
    form: FormView,
) -> Result<TaxonomiesPage, AppError> {
    Ok(TaxonomiesPage {
        ctx,
        fields: store::taxonomy::list(&state.db, store::taxonomy::FIELD_OF_ACTION).await?,
        sdgs: store::taxonomy::list(&state.db, store::taxonomy::SDG).await?,
        charta: store::taxonomy::list(&state.db, store::taxonomy::CHARTA).await?,
        groups: store::taxonomy::list(&state.db, store::taxonomy::STAKEHOLDER_GROUP).await?,
        phases: store::process::templates(&state.db).await?,
        form,
    })
}

pub async fn admin_taxonomies(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageMunicipalities)?;
    Ok(render(&taxonomies_page(&state, ctx, FormView::new()).await?)?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TermForm {
    taxonomy: String,
    term_key: String,
    name: String,
    description: String,
    color: String,
    active: String,
}

fn parse_color(raw: &str) -> Result<String, &'static str> {
    let c = raw.trim();
    if c.is_empty() {
        return Ok(String::new());
    }
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit());
    if ok {
        Ok(c.to_lowercase())
    } else {
        Err("err-color-format")
    }
}

pub async fn admin_add_term(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(f): Form<TermForm>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageMunicipalities)?;
    let mut e = FieldErrors::new();
    if !matches!(
        f.taxonomy.as_str(),
        "field_of_action" | "sdg" | "charta" | "stakeholder_group"
    ) {
        e.push("taxonomy", "err-choice-unknown");
    }
    let key = e.take("term_key", domain::municipality::Slug::parse(&f.term_key));
    let name = e.take("name", required_text(&f.name, 120));
    let description = e.take("description", optional_text(&f.description, 1000));
    let color = e.take("color", parse_color(&f.color));
    let (Some(key), Some(name), Some(description), Some(color), true) =
        (key, name, description, color, e.is_empty())
    else {
        let form = FormView::new()
            .with("taxonomy", &f.taxonomy)
            .with("term_key", &f.term_key)
            .with("name", &f.name)
            .with("description", &f.description)
            .with("color", &f.color)
            .with_errors(&ctx, &e);
        let p = taxonomies_page(&state, ctx, form).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    };
    match store::taxonomy::create(
        &state.db,
        &f.taxonomy,
        key.as_str(),
        &name,
        &description,
        &color,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/admin/taxonomien").into_response()),
        Err(store::StoreError::Conflict(_)) => {
            let form =
                FormView::new()
                    .with("name", &f.name)
                    .with_error(&ctx, "term_key", "err-key-taken");
            let p = taxonomies_page(&state, ctx, form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn admin_update_term(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Form(f): Form<TermForm>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageMunicipalities)?;
    let mut e = FieldErrors::new();
    let name = e.take("name", required_text(&f.name, 120));
    let description = e.take("description", optional_text(&f.description, 1000));
    let color = e.take("color", parse_color(&f.color));
    let (Some(name), Some(description), Some(color), true) =
        (name, description, color, e.is_empty())
    else {
        let form = FormView::new().with_errors(&ctx, &e);
        let p = taxonomies_page(&state, ctx, form).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    };
    store::taxonomy::update(&state.db, id, &name, &description, &color, f.active == "on").await?;
    Ok(Redirect::to("/admin/taxonomien").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PhaseTemplateForm {
    name: String,
    description: String,
    planned_months: String,
}

/// Parse a phase template form: name, description, planned months (1–36).
fn parse_phase_template(f: &PhaseTemplateForm) -> Result<(String, String, i64), FieldErrors> {
    let mut e = FieldErrors::new();
    let name = e.take("name", required_text(&f.name, 120));
    let description = e.take("description", optional_text(&f.description, 1000));
    let months = match f.planned_months.trim().parse::<i64>() {
        Ok(m) if (1..=36).contains(&m) => Some(m),
        _ => {
            e.push("planned_months", "err-months-range");
            None
        }
    };
    match (name, description, months, e.is_empty()) {
        (Some(n), Some(d), Some(m), true) => Ok((n, d, m)),
        _ => Err(e),
    }
}

/// `POST /admin/prozessvorlage`: append a phase to the network's process template (new cities get it).
pub async fn admin_add_phase(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(f): Form<PhaseTemplateForm>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageMunicipalities)?;
    match parse_phase_template(&f) {
        Ok((name, description, months)) => {
            store::process::add_template(&state.db, &name, &description, months).await?;
            Ok(Redirect::to("/admin/taxonomien#prozess").into_response())
        }
        Err(e) => {
            let form = FormView::new().with_errors(&ctx, &e);
            let p = taxonomies_page(&state, ctx, form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response())
        }
    }
}

pub async fn admin_update_phase(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Form(f): Form<PhaseTemplateForm>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageMunicipalities)?;
    let (name, description, months) = match parse_phase_template(&f) {
        Ok(v) => v,
        Err(e) => {
            let form = FormView::new().with_errors(&ctx, &e);
            let p = taxonomies_page(&state, ctx, form).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
        }
    };
    store::process::update_template(&state.db, id, &name, &description, months).await?;
    Ok(Redirect::to("/admin/taxonomien#prozess").into_response())
}
