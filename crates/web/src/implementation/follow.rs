//! Following a measure or a city (people logged in, for what they may see) and choosing how notifications
//! arrive: at once or as a daily digest.

use crate::auth::{require_login, safe_next};
use crate::city::City;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::Form;
use crate::measures::visible_measure;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FollowForm {
    /// "1" to follow, "0" to stop.
    follow: String,
}

fn wants(f: &FollowForm) -> Result<bool, AppError> {
    match f.follow.as_str() {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => Err(AppError::BadRequest("follow must be 1 or 0".into())),
    }
}

pub async fn measure(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<FollowForm>,
) -> Result<Response, AppError> {
    let user_id = require_login(&ctx)?;
    let city = City::load(&state, &ctx, &slug).await?;
    visible_measure(&state, &city, id).await?;
    let ok = if wants(&f)? {
        store::progress::follow(&state.db, user_id, "massnahme", id).await?;
        "followed"
    } else {
        store::progress::unfollow(&state.db, user_id, "massnahme", id).await?;
        "unfollowed"
    };
    Ok(Redirect::to(&city.path(&format!("/massnahmen/{id}?ok={ok}#fortschritt"))).into_response())
}

pub async fn city(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(f): Form<FollowForm>,
) -> Result<Response, AppError> {
    let user_id = require_login(&ctx)?;
    let city = City::load(&state, &ctx, &slug).await?;
    let ok = if wants(&f)? {
        store::progress::follow(&state.db, user_id, "kommune", city.m.id).await?;
        "followed"
    } else {
        store::progress::unfollow(&state.db, user_id, "kommune", city.m.id).await?;
        "unfollowed"
    };
    Ok(Redirect::to(&city.path(&format!("/schaufenster?ok={ok}"))).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ModeForm {
    mode: String,
    next: String,
}

pub async fn set_mode(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(f): Form<ModeForm>,
) -> Result<Response, AppError> {
    let user_id = require_login(&ctx)?;
    let mode = match f.mode.as_str() {
        "sofort" => "sofort",
        "taeglich" => "taeglich",
        _ => {
            return Err(AppError::BadRequest(
                "mode must be sofort or taeglich".into(),
            ));
        }
    };
    store::progress::set_mode(&state.db, user_id, mode).await?;
    let next = match safe_next(&f.next) {
        "" | "/" => "/konto",
        n => n,
    };
    let sep = if next.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{next}{sep}ok=mode")).into_response())
}
