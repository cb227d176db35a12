use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::state::AppState;
use crate::view::render;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use store::municipalities::Municipality;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: RequestCtx,
    network: String,
    municipalities: Vec<Municipality>,
}

pub async fn show(State(state): State<AppState>, Ctx(ctx): Ctx) -> Result<Response, AppError> {
    let municipalities = store::municipalities::list(&state.db).await?;
    let network = store::network::name(&state.db)
        .await?
        .unwrap_or_else(|| ctx.t("network-default-name"));
    Ok(render(&HomePage {
        ctx,
        network,
        municipalities,
    })?
    .into_response())
}
