use crate::auth::require;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::municipality::{MunicipalityInput, STATES, State as Land};
use domain::permission::Permission;
use serde::Deserialize;
use store::StoreError;
use store::municipalities::Municipality;

#[derive(Template)]
#[template(path = "admin/municipalities.html")]
struct ListPage {
    ctx: RequestCtx,
    municipalities: Vec<Municipality>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/municipality_form.html")]
struct FormPage {
    ctx: RequestCtx,
    form: FormView,
    /// `None` when creating.
    editing: Option<String>,
    states: &'static [Land],
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    ok: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MunicipalityForm {
    slug: String,
    name: String,
    ags: String,
    population: String,
    state: String,
}

impl MunicipalityForm {
    fn input(&self) -> MunicipalityInput {
        MunicipalityInput {
            slug: self.slug.clone(),
            name: self.name.clone(),
            ags: self.ags.clone(),
            population: self.population.clone(),
            state: self.state.clone(),
        }
    }

    fn view(&self) -> FormView {
        FormView::new()
            .with("slug", &self.slug)
            .with("name", &self.name)
            .with("ags", &self.ags)
            .with("population", &self.population)
            .with("state", &self.state)
    }
}

pub async fn list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageMunicipalities)?;
    let municipalities = store::municipalities::list(&state.db).await?;
    let notice = match q.ok.as_str() {
        "created" => Some(ctx.t("notice-municipality-created")),
        "saved" => Some(ctx.t("notice-saved")),
        _ => None,
    };
    Ok(render(&ListPage {
        ctx,
        municipalities,
        notice,
    })?
    .into_response())
}

pub async fn new_form(Ctx(ctx): Ctx) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageMunicipalities)?;
    let form = FormView::new().with("state", "05");
    Ok(render(&FormPage {
        ctx,
        form,
        editing: None,
        states: &STATES,
    })?
    .into_response())
}

fn invalid(ctx: RequestCtx, form: FormView, editing: Option<String>) -> Result<Response, AppError> {
    let page = FormPage {
        ctx,
        form,
        editing,
        states: &STATES,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

/// Map a uniqueness conflict onto the field that caused it.
fn conflict_errors(which: &str) -> FieldErrors {
    let mut errs = FieldErrors::new();
    if which == "ags" {
        errs.push("ags", "err-ags-taken");
    } else {
        errs.push("slug", "err-slug-taken");
    }
    errs
}

pub async fn create(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(f): Form<MunicipalityForm>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageMunicipalities)?;
    let draft = match f.input().parse() {
        Ok(d) => d,
        Err(errs) => {
            let form = f.view().with_errors(&ctx, &errs);
            return invalid(ctx, form, None);
        }
    };
    match store::municipalities::create(&state.db, &draft, false).await {
        Ok(id) => {
            tracing::info!(municipality_id = id, by = ?ctx.actor.user_id, "municipality created");
            // The path names no city yet: the audit entry gets the new one.
            let note = crate::audit::AuditNote {
                municipality_id: Some(id),
                detail: draft.slug.as_str().to_string(),
            };
            Ok(note.attach(Redirect::to("/admin/kommunen?ok=created").into_response()))
        }
        Err(StoreError::Conflict(which)) => {
            let form = f.view().with_errors(&ctx, &conflict_errors(&which));
            invalid(ctx, form, None)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageMunicipalities)?;
    let m = store::municipalities::by_slug(&state.db, &slug).await?;
    let form = FormView::new()
        .with("slug", &m.slug)
        .with("name", &m.name)
        .with("ags", &m.ags)
        .with("population", &m.population.to_string())
        .with("state", &m.state);
    Ok(render(&FormPage {
        ctx,
        form,
        editing: Some(m.slug),
        states: &STATES,
    })?
    .into_response())
}

pub async fn update(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(f): Form<MunicipalityForm>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageMunicipalities)?;
    let m = store::municipalities::by_slug(&state.db, &slug).await?;
    let draft = match f.input().parse() {
        Ok(d) => d,
        Err(errs) => {
            let form = f.view().with_errors(&ctx, &errs);
            return invalid(ctx, form, Some(m.slug));
        }
    };
    match store::municipalities::update(&state.db, m.id, &draft).await {
        Ok(()) => {
            tracing::info!(municipality_id = m.id, by = ?ctx.actor.user_id, "municipality updated");
            // The path names the old slug, which a rename leaves unknown: the audit entry gets the city itself.
            let detail = if draft.slug.as_str() == m.slug {
                String::new()
            } else {
                format!("{} → {}", m.slug, draft.slug.as_str())
            };
            let note = crate::audit::AuditNote {
                municipality_id: Some(m.id),
                detail,
            };
            Ok(note.attach(Redirect::to("/admin/kommunen?ok=saved").into_response()))
        }
        Err(StoreError::Conflict(which)) => {
            let form = f.view().with_errors(&ctx, &conflict_errors(&which));
            invalid(ctx, form, Some(m.slug))
        }
        Err(e) => Err(e.into()),
    }
}
