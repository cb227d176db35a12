//! Answering a survey: the whole questionnaire as one form post. The answers are parsed by
//! `domain::survey::parse_answers` (conditions, required questions, ranges, rankings); a refused form comes
//! back with every message next to its question and the values kept, and nothing is stored. An accepted one
//! is stored and counted in one transaction; the participant's second response is refused by the primary key.
//! `Accept: application/json` gets JSON instead of the page or the redirect.

use super::section::answer_message;
use super::{load, refused_page};
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::wants_json;
use crate::state::AppState;
use crate::view::{FormView, ShownError};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use domain::participation::Phase;
use domain::survey::{AnswerError, Question};
use serde_json::json;

/// A problem shown next to question `question_id` (or, without one, at the top of the form).
struct Problem {
    field: String,
    label: String,
    code: &'static str,
    message: String,
}

fn problems(ctx: &RequestCtx, questions: &[Question], errors: &[AnswerError]) -> Vec<Problem> {
    errors
        .iter()
        .filter_map(|e| {
            let (i, q) = questions
                .iter()
                .enumerate()
                .find(|(_, q)| q.id == e.question_id)?;
            Some(Problem {
                field: format!("q{}", q.id),
                label: ctx.t1("survey-question-n", "n", i + 1),
                code: e.code,
                message: answer_message(ctx, q, e.code),
            })
        })
        .collect()
}

/// The refusal: JSON for scripts, else the page with the messages and the entered values.
async fn refuse(
    state: &AppState,
    ctx: RequestCtx,
    f: super::Format,
    headers: &HeaderMap,
    pairs: &[(String, String)],
    problems: Vec<Problem>,
) -> Result<Response, AppError> {
    if wants_json(headers) {
        let errors: Vec<serde_json::Value> = problems
            .iter()
            .map(|p| json!({"field": p.field, "code": p.code, "message": p.message}))
            .collect();
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"ok": false, "errors": errors})),
        )
            .into_response());
    }
    let mut form = FormView::new();
    for (k, v) in pairs.iter().filter(|(k, _)| !k.starts_with('_')) {
        form = form.with(k, v);
    }
    form.errors = problems
        .into_iter()
        .map(|p| ShownError {
            field: p.field,
            label: p.label,
            message: p.message,
        })
        .collect();
    refused_page(state, ctx, f, form).await
}

/// A refusal that concerns the whole form: shown at the top of the survey section (`#f-survey`).
fn general(ctx: &RequestCtx, code: &'static str) -> Vec<Problem> {
    vec![Problem {
        field: "survey".into(),
        label: ctx.t("survey-title"),
        code,
        message: ctx.t(code),
    }]
}

/// `POST …/umfrage/antworten`: a participant's answers.
pub async fn submit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let (survey, questions) = store::surveys::questions(&state.db, f.p.id).await?;
    let Some(participant) = f.active_participant().cloned() else {
        let code = if f.phase != Phase::Open {
            "err-participation-closed"
        } else {
            "err-participation-join-first"
        };
        let p = general(&ctx, code);
        return refuse(&state, ctx, f, &headers, &pairs, p).await;
    };
    if questions.is_empty() {
        return Err(AppError::NotFound);
    }
    // The form names the questionnaire version it showed; a changed questionnaire must be read again.
    let shown_version = pairs
        .iter()
        .find(|(k, _)| k == "_version")
        .and_then(|(_, v)| v.parse::<i64>().ok());
    if shown_version.is_some_and(|v| v != survey.version) {
        let p = general(&ctx, "err-survey-changed");
        return refuse(&state, ctx, f, &headers, &pairs, p).await;
    }
    let answers = match domain::survey::parse_answers(&questions, &pairs) {
        Ok(a) => a,
        Err(errors) => {
            let p = problems(&ctx, &questions, &errors);
            return refuse(&state, ctx, f, &headers, &pairs, p).await;
        }
    };
    let response = store::surveys::Response {
        participation_id: f.p.id,
        participant_id: participant.id,
        version: survey.version,
        answers,
    };
    match store::surveys::submit(&state.db, &response).await? {
        Ok(()) => {
            tracing::info!(
                participation_id = f.p.id,
                answers = response.answers.len(),
                "survey response stored"
            );
            if wants_json(&headers) {
                Ok(Json(json!({"ok": true, "answers": response.answers.len()})).into_response())
            } else {
                Ok(Redirect::to(&f.path("?ok=survey#survey-h")).into_response())
            }
        }
        Err(code) => {
            let p = general(&ctx, code);
            refuse(&state, ctx, f, &headers, &pairs, p).await
        }
    }
}
