//! Stakeholders (Akteure) of a municipality: the organisations and persons that lead, partner and are
//! responsible in measures.

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
use domain::validation::required_text;
use serde::Deserialize;
use store::stakeholders::Stakeholder;
use store::taxonomy::Term;

#[derive(Template)]
#[template(path = "stakeholders.html")]
struct StakeholdersPage {
    ctx: RequestCtx,
    city: City,
    stakeholders: Vec<Stakeholder>,
    groups: Vec<Term>,
    form: FormView,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StakeholderForm {
    kind: String,
    name: String,
    group_id: String,
    organisation_id: String,
    email: String,
}

async fn page(
    state: &AppState,
    ctx: RequestCtx,
    city: City,
    form: FormView,
) -> Result<StakeholdersPage, AppError> {
    let stakeholders = store::stakeholders::list(&state.db, city.m.id).await?;
    let groups = store::taxonomy::list(&state.db, store::taxonomy::STAKEHOLDER_GROUP).await?;
    Ok(StakeholdersPage {
        ctx,
        city,
        stakeholders,
        groups,
        form,
    })
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let form = FormView::new().with("kind", "organisation");
    Ok(render(&page(&state, ctx, city, form).await?)?.into_response())
}

pub async fn create(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(f): Form<StakeholderForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let mut e = FieldErrors::new();
    if !matches!(f.kind.as_str(), "organisation" | "person") {
        e.push("kind", "err-choice-unknown");
    }
    let name = e.take("name", required_text(&f.name, 200));
    let groups = store::taxonomy::list(&state.db, store::taxonomy::STAKEHOLDER_GROUP).await?;
    let group_id = match f.group_id.parse::<i64>() {
        Ok(id) if groups.iter().any(|g| g.id == id) => Some(id),
        Ok(_) => {
            e.push("group_id", "err-choice-unknown");
            None
        }
        Err(_) => None,
    };
    let organisation_id = match f.organisation_id.parse::<i64>() {
        Ok(id) => match store::stakeholders::get(&state.db, city.m.id, id).await {
            Ok(s) if s.kind == "organisation" => Some(id),
            _ => {
                e.push("organisation_id", "err-choice-unknown");
                None
            }
        },
        Err(_) => None,
    };
    let email = f.email.trim();
    if !email.is_empty() && domain::account::Email::parse(email).is_err() {
        e.push("email", "err-email-format");
    }
    let (Some(name), true) = (name, e.is_empty()) else {
        let form = FormView::new()
            .with("kind", &f.kind)
            .with("name", &f.name)
            .with("group_id", &f.group_id)
            .with("organisation_id", &f.organisation_id)
            .with("email", &f.email)
            .with_errors(&ctx, &e);
        let p = page(&state, ctx, city, form).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    };
    store::stakeholders::create(
        &state.db,
        city.m.id,
        &f.kind,
        &name,
        group_id,
        organisation_id,
        email,
    )
    .await?;
    Ok(Redirect::to(&city.path("/akteure")).into_response())
}
