use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::state::AppState;
use crate::view::render;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::municipality::State as Land;
use domain::permission::Permission;
use store::municipalities::Municipality;

#[derive(Template)]
#[template(path = "municipality.html")]
struct MunicipalityPage {
    ctx: RequestCtx,
    m: Municipality,
    state_name: String,
    can_manage_members: bool,
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let m = store::municipalities::by_slug(&state.db, &slug).await?;
    let state_name = Land::by_code(&m.state)
        .map(|s| s.name.to_string())
        .unwrap_or_default();
    let can_manage_members = ctx.can(Permission::ManageMembers(m.id));
    Ok(render(&MunicipalityPage {
        ctx,
        m,
        state_name,
        can_manage_members,
    })?
    .into_response())
}
