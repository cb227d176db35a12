//! A municipality's members, managed by its coordinators (and the network admin).

use crate::admin::users::parse_grant;
use crate::auth::{invite, require};
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::{FormView, datetime, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::account::Email;
use domain::permission::Permission;
use domain::role::CityRole;
use serde::Deserialize;
use store::municipalities::Municipality;
use store::users::Member;

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    ctx: RequestCtx,
    m: Municipality,
    members: Vec<Member>,
    /// `(email, role label, expires)`
    pending: Vec<(String, String, String)>,
    roles: Vec<(&'static str, String)>,
    form: FormView,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MembersQuery {
    ok: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    email: String,
    role: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoleForm {
    role: String,
}

async fn load(state: &AppState, ctx: &RequestCtx, slug: &str) -> Result<Municipality, AppError> {
    crate::auth::require_login(ctx)?;
    let m = store::municipalities::by_slug(&state.db, slug).await?;
    require(ctx, Permission::ManageMembers(m.id))?;
    Ok(m)
}

async fn page(
    state: &AppState,
    ctx: RequestCtx,
    m: Municipality,
    form: FormView,
    notice: Option<String>,
) -> Result<MembersPage, AppError> {
    let members = store::users::members(&state.db, m.id).await?;
    let pending = store::tokens::pending_for_municipality(&state.db, m.id)
        .await?
        .into_iter()
        .map(|i| {
            let role = ctx.t(&format!(
                "role-{}",
                i.city_role.as_deref().unwrap_or("participant")
            ));
            (i.email, role, datetime(i.expires_at))
        })
        .collect();
    let roles = CityRole::ALL
        .into_iter()
        .map(|r| (r.as_str(), ctx.t(&format!("role-{}", r.as_str()))))
        .collect();
    Ok(MembersPage {
        ctx,
        m,
        members,
        pending,
        roles,
        form,
        notice,
    })
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Query(q): Query<MembersQuery>,
) -> Result<Response, AppError> {
    let m = load(&state, &ctx, &slug).await?;
    let notice = match q.ok.as_str() {
        "invited" => Some(ctx.t("notice-invited")),
        "saved" => Some(ctx.t("notice-saved")),
        _ => None,
    };
    Ok(render(&page(&state, ctx, m, FormView::new(), notice).await?)?.into_response())
}

pub async fn invite(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(f): Form<InviteForm>,
) -> Result<Response, AppError> {
    let m = load(&state, &ctx, &slug).await?;
    let mut errs = FieldErrors::new();
    let email = errs.take("email", Email::parse(&f.email));
    let grant = match parse_grant(&state, &format!("city:{}", f.role), &m.slug).await {
        Ok(g) => Some(g),
        Err(_) => {
            errs.push(
                "role",
                if f.role.is_empty() {
                    "err-required"
                } else {
                    "err-role-unknown"
                },
            );
            None
        }
    };
    let (Some(email), Some(grant), true) = (email, grant, errs.is_empty()) else {
        let form = FormView::new()
            .with("email", &f.email)
            .with("role", &f.role)
            .with_errors(&ctx, &errs);
        let p = page(&state, ctx, m, form, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    };
    require(&ctx, Permission::Grant(grant))?;
    invite::send(&state, &ctx, &email, grant).await?;
    Ok(Redirect::to(&format!("/kommunen/{}/mitglieder?ok=invited", m.slug)).into_response())
}

/// Refuse changes that would leave the municipality without a coordinator.
async fn keeps_a_coordinator(
    state: &AppState,
    m: &Municipality,
    user_id: i64,
    new_role: Option<CityRole>,
) -> Result<bool, AppError> {
    let current = store::users::role_in(&state.db, user_id, m.id).await?;
    if current == Some(CityRole::Coordinator) && new_role != Some(CityRole::Coordinator) {
        return Ok(store::users::count_coordinators(&state.db, m.id).await? > 1);
    }
    Ok(true)
}

async fn last_coordinator(
    state: &AppState,
    ctx: RequestCtx,
    m: Municipality,
) -> Result<Response, AppError> {
    let form = FormView::new().with_error(&ctx, "role", "err-last-coordinator");
    let p = page(state, ctx, m, form, None).await?;
    Ok((StatusCode::CONFLICT, render(&p)?).into_response())
}

pub async fn change_role(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, user_id)): Path<(String, i64)>,
    Form(f): Form<RoleForm>,
) -> Result<Response, AppError> {
    let m = load(&state, &ctx, &slug).await?;
    let Some(role) = CityRole::parse(&f.role) else {
        let form = FormView::new().with_error(&ctx, "role", "err-role-unknown");
        let p = page(&state, ctx, m, form, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    };
    if store::users::role_in(&state.db, user_id, m.id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    if !keeps_a_coordinator(&state, &m, user_id, Some(role)).await? {
        return last_coordinator(&state, ctx, m).await;
    }
    store::users::set_membership(&state.db, user_id, m.id, role).await?;
    tracing::info!(municipality_id = m.id, user_id, by = ?ctx.actor.user_id, "member role changed");
    Ok(Redirect::to(&format!("/kommunen/{}/mitglieder?ok=saved", m.slug)).into_response())
}

pub async fn remove(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, user_id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let m = load(&state, &ctx, &slug).await?;
    if !keeps_a_coordinator(&state, &m, user_id, None).await? {
        return last_coordinator(&state, ctx, m).await;
    }
    store::users::remove_membership(&state.db, user_id, m.id).await?;
    tracing::info!(municipality_id = m.id, user_id, by = ?ctx.actor.user_id, "member removed");
    Ok(Redirect::to(&format!("/kommunen/{}/mitglieder?ok=saved", m.slug)).into_response())
}
