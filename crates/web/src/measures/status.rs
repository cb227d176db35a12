//! Status changes along the workflow; who may make which step is data (`measure_status_transitions`).

use super::detail::page;
use super::visible_measure;
use crate::city::City;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::{FormView, render};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    /// The status the person saw.
    from: String,
    to: String,
}

pub async fn change(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<StatusForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let user_id = city.require_edit(&ctx)?;
    let rec = visible_measure(&state, &city, id).await?;
    let workflow = store::measures::workflow(&state.db).await?;
    let refuse = |code: &'static str, status: StatusCode| (code, status);
    let outcome = if f.from != rec.status {
        Err(refuse("err-status-changed", StatusCode::CONFLICT))
    } else {
        match workflow.check(&ctx.actor, city.m.id, &rec.status, &f.to) {
            Ok(()) => Ok(()),
            Err("err-transition-role") => Err(refuse("err-transition-role", StatusCode::FORBIDDEN)),
            Err(code) => Err(refuse(code, StatusCode::UNPROCESSABLE_ENTITY)),
        }
    };
    let (code, status) = match outcome {
        Ok(()) => {
            match store::measures::set_status(&state.db, city.m.id, id, &f.from, &f.to, user_id)
                .await
            {
                Ok(()) => {
                    tracing::info!(measure_id = id, from = %f.from, to = %f.to, by = user_id, "measure status changed");
                    return Ok(
                        Redirect::to(&city.path(&format!("/massnahmen/{id}?ok=status")))
                            .into_response(),
                    );
                }
                Err(store::StoreError::Conflict(_)) => ("err-status-changed", StatusCode::CONFLICT),
                Err(e) => return Err(e.into()),
            }
        }
        Err(r) => r,
    };
    let form = FormView::new().with_error(&ctx, "status", code);
    let p = page(&state, ctx, city, id, form, None).await?;
    Ok((status, render(&p)?).into_response())
}
