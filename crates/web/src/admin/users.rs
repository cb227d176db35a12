//! Accounts and roles for the network admin: list, invite, assign and withdraw roles.

use crate::auth::{invite, require};
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
use domain::account::Email;
use domain::permission::Permission;
use domain::role::{Grant, NetworkRole};
use serde::Deserialize;
use store::municipalities::Municipality;

/// One account as listed for the admin.
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub network_role: Option<String>,
    /// `(slug, municipality name, role label)`
    pub memberships: Vec<(String, String, String)>,
    pub has_password: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    ctx: RequestCtx,
    users: Vec<UserRow>,
    municipalities: Vec<Municipality>,
    grants: Vec<(&'static str, String)>,
    form: FormView,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UsersQuery {
    ok: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct GrantForm {
    email: String,
    grant: String,
    municipality: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WithdrawForm {
    /// `network` or a municipality slug.
    what: String,
}

/// The role choices of the forms, value and label.
fn grant_options(ctx: &RequestCtx) -> Vec<(&'static str, String)> {
    [
        "network:admin",
        "network:steering",
        "city:coordinator",
        "city:editor",
        "city:participant",
    ]
    .into_iter()
    .map(|v| {
        (
            v,
            ctx.t(&format!(
                "role-{}",
                v.split_once(':').map(|(_, r)| r).unwrap_or(v)
            )),
        )
    })
    .collect()
}

async fn page(
    state: &AppState,
    ctx: RequestCtx,
    form: FormView,
    notice: Option<String>,
) -> Result<UsersPage, AppError> {
    let users = store::users::list(&state.db).await?;
    let memberships = store::users::all_memberships(&state.db).await?;
    let municipalities = store::municipalities::list(&state.db).await?;
    let users = users
        .into_iter()
        .map(|u| UserRow {
            memberships: memberships
                .iter()
                .filter(|(uid, _)| *uid == u.id)
                .map(|(_, m)| {
                    (
                        m.slug.clone(),
                        m.name.clone(),
                        ctx.t(&format!("role-{}", m.role)),
                    )
                })
                .collect(),
            network_role: u
                .network_role
                .as_deref()
                .map(|r| ctx.t(&format!("role-{r}"))),
            has_password: u.password_hash.is_some(),
            id: u.id,
            email: u.email,
            display_name: u.display_name,
        })
        .collect();
    let grants = grant_options(&ctx);
    Ok(UsersPage {
        ctx,
        users,
        municipalities,
        grants,
        form,
        notice,
    })
}

pub async fn list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Query(q): Query<UsersQuery>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageUsers)?;
    let notice = match q.ok.as_str() {
        "invited" => Some(ctx.t("notice-invited")),
        "saved" => Some(ctx.t("notice-saved")),
        _ => None,
    };
    Ok(render(&page(&state, ctx, FormView::new(), notice).await?)?.into_response())
}

/// Parse the role selector plus municipality slug of a form.
pub async fn parse_grant(
    state: &AppState,
    grant: &str,
    municipality_slug: &str,
) -> Result<Grant, FieldErrors> {
    let mut errs = FieldErrors::new();
    let municipality_id = if grant.starts_with("city:") {
        if municipality_slug.trim().is_empty() {
            errs.push("municipality", "err-municipality-required");
            return Err(errs);
        }
        match store::municipalities::by_slug(&state.db, municipality_slug).await {
            Ok(m) => Some(m.id),
            Err(_) => {
                errs.push("municipality", "err-municipality-unknown");
                return Err(errs);
            }
        }
    } else {
        None
    };
    match Grant::parse(grant, municipality_id) {
        Ok(g) => Ok(g),
        Err(code) => {
            errs.push("grant", code);
            Err(errs)
        }
    }
}

pub async fn invite(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(f): Form<GrantForm>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageUsers)?;
    let mut errs = FieldErrors::new();
    let email = errs.take("email", Email::parse(&f.email));
    let grant = match parse_grant(&state, &f.grant, &f.municipality).await {
        Ok(g) => Some(g),
        Err(e) => {
            errs.0.extend(e.0);
            None
        }
    };
    let (Some(email), Some(grant), true) = (email, grant, errs.is_empty()) else {
        let form = FormView::new()
            .with("email", &f.email)
            .with("grant", &f.grant)
            .with("municipality", &f.municipality)
            .with_errors(&ctx, &errs);
        let p = page(&state, ctx, form, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
    };
    if !ctx.can(Permission::Grant(grant)) {
        return Err(AppError::Forbidden);
    }
    invite::send(&state, &ctx, &email, grant).await?;
    Ok(Redirect::to("/admin/benutzer?ok=invited").into_response())
}

pub async fn assign(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(user_id): Path<i64>,
    Form(f): Form<GrantForm>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageUsers)?;
    let user = store::users::by_id(&state.db, user_id).await?;
    let grant = match parse_grant(&state, &f.grant, &f.municipality).await {
        Ok(g) => g,
        Err(errs) => {
            let form = FormView::new().with_errors(&ctx, &errs);
            let p = page(&state, ctx, form, None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response());
        }
    };
    if user.network_role() == Some(NetworkRole::Admin)
        && matches!(grant, Grant::Network(NetworkRole::Steering))
        && store::users::count_admins(&state.db).await? <= 1
    {
        return last_admin(&state, ctx).await;
    }
    store::users::apply_grant(&state.db, user.id, grant).await?;
    tracing::info!(user_id, by = ?ctx.actor.user_id, "role assigned");
    let note = match grant {
        Grant::City {
            municipality_id,
            role,
        } => crate::audit::AuditNote {
            municipality_id: Some(municipality_id),
            detail: format!("{} → {}", user.email, role.as_str()),
        },
        Grant::Network(role) => crate::audit::AuditNote {
            municipality_id: None,
            detail: format!("{} → {}", user.email, role.as_str()),
        },
    };
    Ok(note.attach(Redirect::to("/admin/benutzer?ok=saved").into_response()))
}

async fn last_admin(state: &AppState, ctx: RequestCtx) -> Result<Response, AppError> {
    let form = FormView::new().with_error(&ctx, "grant", "err-last-admin");
    let p = page(state, ctx, form, None).await?;
    Ok((StatusCode::CONFLICT, render(&p)?).into_response())
}

pub async fn withdraw(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(user_id): Path<i64>,
    Form(f): Form<WithdrawForm>,
) -> Result<Response, AppError> {
    require(&ctx, Permission::ManageUsers)?;
    let user = store::users::by_id(&state.db, user_id).await?;
    let municipality_id = if f.what == "network" {
        if user.network_role() == Some(NetworkRole::Admin)
            && store::users::count_admins(&state.db).await? <= 1
        {
            return last_admin(&state, ctx).await;
        }
        store::users::set_network_role(&state.db, user.id, None).await?;
        None
    } else {
        let m = store::municipalities::by_slug(&state.db, &f.what).await?;
        store::users::remove_membership(&state.db, user.id, m.id).await?;
        Some(m.id)
    };
    tracing::info!(user_id, by = ?ctx.actor.user_id, "role withdrawn");
    let note = crate::audit::AuditNote {
        municipality_id,
        detail: user.email.clone(),
    };
    Ok(note.attach(Redirect::to("/admin/benutzer?ok=saved").into_response()))
}
