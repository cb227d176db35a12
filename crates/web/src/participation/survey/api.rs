//! `GET /api/v1/participations/{id}/survey` (the questionnaire) and `…/survey/results` (results from the
//! maintained counts). Visible as on the pages: drafts only to the city's editors, results to editors and,
//! once published, to everyone. Free texts are not part of the API.

use crate::api::ApiError;
use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::participation::Kind;
use serde::Serialize;
use store::participation::Participation;
use utoipa::ToSchema;

/// "Show only if question `question_id` was answered with option `option` (0-based)".
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyConditionDto {
    pub question_id: i64,
    pub option: usize,
}

/// One question of a survey.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyQuestionDto {
    pub id: i64,
    /// 1-based position.
    pub number: usize,
    /// `einfach`, `mehrfach`, `skala`, `rangfolge`, `zahl` or `freitext`.
    pub kind: String,
    pub text: String,
    pub help: String,
    pub required: bool,
    /// Choice and ranking options, in order (answers name them by 0-based index).
    pub options: Vec<String>,
    /// Scale: values 1..=scale.
    pub scale: Option<i64>,
    pub low_label: Option<String>,
    pub high_label: Option<String>,
    /// Number: bounds (whole numbers).
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// Free text: most characters.
    pub max_length: Option<i64>,
    pub condition: Option<SurveyConditionDto>,
}

/// A survey's questionnaire.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyDto {
    pub participation_id: i64,
    pub title: String,
    /// Changes with every change to the questions; answers are accepted for the current version only.
    pub version: i64,
    pub responses: i64,
    pub questions: Vec<SurveyQuestionDto>,
}

/// One row of a question's result.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyResultRowDto {
    /// Option text or scale value.
    pub label: String,
    pub count: i64,
    /// Share of those who answered the question, in per cent (choice and scale).
    pub percent: Option<f64>,
    /// Ranking: average rank (1 = first).
    pub average_rank: Option<f64>,
}

/// The result of one question.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyQuestionResultDto {
    pub id: i64,
    pub number: usize,
    pub kind: String,
    pub text: String,
    /// People who answered this question.
    pub answered: i64,
    /// Choice and scale: per option / value in order; ranking: best average rank first.
    pub rows: Vec<SurveyResultRowDto>,
    /// Scale and number: the mean.
    pub mean: Option<f64>,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// A survey's results.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyResultsDto {
    pub participation_id: i64,
    pub title: String,
    pub responses: i64,
    pub questions: Vec<SurveyQuestionResultDto>,
}

/// The survey format and whether the caller edits its city; `None` when it does not exist for the caller.
async fn survey(
    state: &AppState,
    ctx: &RequestCtx,
    id: i64,
) -> Result<Option<(Participation, bool)>, AppError> {
    let p = match store::participation::get_any(&state.db, id).await {
        Ok(p) => p,
        Err(store::StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if Kind::parse(&p.kind) != Some(Kind::Umfrage) {
        return Ok(None);
    }
    let m = store::municipalities::by_id(&state.db, p.municipality_id).await?;
    let city = City::load(state, ctx, &m.slug).await?;
    if !p.published && !city.can_edit {
        return Ok(None);
    }
    Ok(Some((p, city.can_edit)))
}

/// The questions of a survey.
#[utoipa::path(
    get,
    path = "/api/v1/participations/{id}/survey",
    params(("id" = i64, Path, description = "Participation (survey) id")),
    responses(
        (status = 200, description = "The questionnaire in order", body = SurveyDto),
        (status = 404, description = "No such published survey", body = ApiError)
    ),
    tag = "participation"
)]
pub async fn questions(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let Some((p, _)) = survey(&state, &ctx, id).await? else {
        return Ok(ApiError::not_found());
    };
    let (s, qs) = store::surveys::questions(&state.db, p.id).await?;
    let questions = qs
        .into_iter()
        .enumerate()
        .map(|(i, q)| {
            use domain::survey::QuestionKind as K;
            SurveyQuestionDto {
                id: q.id,
                number: i + 1,
                kind: q.kind.as_str().into(),
                help: q.help,
                required: q.required,
                scale: (q.kind == K::Skala).then_some(q.scale),
                low_label: (q.kind == K::Skala).then_some(q.low_label),
                high_label: (q.kind == K::Skala).then_some(q.high_label),
                min: q.min,
                max: q.max,
                max_length: (q.kind == K::Freitext).then_some(q.max_length),
                condition: q.condition.map(|c| SurveyConditionDto {
                    question_id: c.question_id,
                    option: c.option,
                }),
                options: q.options,
                text: q.text,
            }
        })
        .collect();
    Ok(Json(SurveyDto {
        participation_id: p.id,
        title: p.title,
        version: s.version,
        responses: s.responses,
        questions,
    })
    .into_response())
}

/// The results of a survey (from the maintained counts).
#[utoipa::path(
    get,
    path = "/api/v1/participations/{id}/survey/results",
    params(("id" = i64, Path, description = "Participation (survey) id")),
    responses(
        (status = 200, description = "Results per question", body = SurveyResultsDto),
        (status = 404, description = "No such survey, or its results are not published", body = ApiError)
    ),
    tag = "participation"
)]
pub async fn results(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let Some((p, can_edit)) = survey(&state, &ctx, id).await? else {
        return Ok(ApiError::not_found());
    };
    if !(can_edit || p.results_public) {
        return Ok(ApiError::not_found());
    }
    let (responses, items) = super::results::summaries(&state, p.id).await?;
    let questions = items
        .into_iter()
        .enumerate()
        .map(|(i, (q, s))| SurveyQuestionResultDto {
            id: q.id,
            number: i + 1,
            kind: q.kind.as_str().into(),
            text: q.text,
            answered: s.answered,
            rows: s
                .rows
                .into_iter()
                .map(|r| SurveyResultRowDto {
                    label: r.label,
                    count: r.count,
                    percent: r.percent,
                    average_rank: r.average_rank,
                })
                .collect(),
            mean: s.mean,
            min: s.min,
            max: s.max,
        })
        .collect();
    Ok(Json(SurveyResultsDto {
        participation_id: p.id,
        title: p.title,
        responses,
        questions,
    })
    .into_response())
}
