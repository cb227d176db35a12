//! (being built)

use super::Format;
use crate::ctx::RequestCtx;
use crate::error::AppError;
use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}

pub async fn section(
    _state: &AppState,
    _ctx: &RequestCtx,
    _f: &Format,
) -> Result<String, AppError> {
    Ok(String::new())
}

pub async fn results(
    _state: &AppState,
    _ctx: &RequestCtx,
    _f: &Format,
) -> Result<String, AppError> {
    Ok(String::new())
}

pub async fn result_table(
    _state: &AppState,
    _f: &Format,
) -> Result<(Vec<String>, Vec<Vec<String>>), AppError> {
    Ok((vec![], vec![]))
}

pub async fn export_of(
    _state: &AppState,
    _participant_id: i64,
) -> Result<serde_json::Value, AppError> {
    Ok(serde_json::Value::Null)
}
