//! Building the questionnaire (editors of the city): add a question, move it up or down, delete it — only
//! while nobody has answered (the store refuses afterwards, inside the transaction). Refusals re-render the
//! format page with the message and the values kept (422).

use super::{load, refused_page};
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::FormView;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use domain::survey::QuestionInput;
use serde::Deserialize;
use store::StoreError;

fn input_form(i: &QuestionInput) -> FormView {
    FormView::new()
        .with("survey_kind", &i.survey_kind)
        .with("survey_text", &i.survey_text)
        .with("survey_help", &i.survey_help)
        .with("survey_options", &i.survey_options)
        .with("survey_scale", &i.survey_scale)
        .with("survey_low", &i.survey_low)
        .with("survey_high", &i.survey_high)
        .with("survey_min", &i.survey_min)
        .with("survey_max", &i.survey_max)
        .with("survey_max_length", &i.survey_max_length)
        .with("survey_required", &i.survey_required)
        .with("survey_condition", &i.survey_condition)
}

/// A store refusal becomes the message at `field`; other errors pass through.
fn refused(e: StoreError) -> Result<&'static str, AppError> {
    match e {
        StoreError::Refused(code) => Ok(code),
        other => Err(other.into()),
    }
}

/// `POST …/umfrage/fragen`: append a question.
pub async fn add(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path((slug, id)): Path<(String, i64)>,
    Form(input): Form<QuestionInput>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    f.require_edit(&ctx)?;
    let (survey, questions) = store::surveys::questions(&state.db, f.p.id).await?;
    let form = input_form(&input);
    if survey.responses > 0 {
        let form = form.with_error(&ctx, "survey_text", "err-survey-has-answers");
        return refused_page(&state, ctx, f, form).await;
    }
    let draft = match input.parse(&questions) {
        Ok(d) => d,
        Err(errs) => {
            let form = form.with_errors(&ctx, &errs);
            return refused_page(&state, ctx, f, form).await;
        }
    };
    match store::surveys::add_question(&state.db, f.p.id, &draft).await {
        Ok(qid) => {
            tracing::info!(
                participation_id = f.p.id,
                question_id = qid,
                kind = draft.kind.as_str(),
                "survey question added"
            );
            Ok(Redirect::to(&f.path("?ok=survey-question#survey-edit-h")).into_response())
        }
        Err(e) => {
            let code = refused(e)?;
            let form = form.with_error(&ctx, "survey_text", code);
            refused_page(&state, ctx, f, form).await
        }
    }
}

async fn change(
    state: AppState,
    ctx: RequestCtx,
    jar: CookieJar,
    slug: String,
    id: i64,
    what: impl AsyncFnOnce(&AppState, i64) -> Result<(), StoreError>,
    ok: &str,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    f.require_edit(&ctx)?;
    match what(&state, f.p.id).await {
        Ok(()) => Ok(Redirect::to(&f.path(&format!("?ok={ok}#survey-edit-h"))).into_response()),
        Err(e) => {
            let code = refused(e)?;
            let form = FormView::new().with_error(&ctx, "survey_questions", code);
            refused_page(&state, ctx, f, form).await
        }
    }
}

/// `POST …/umfrage/fragen/{qid}/loeschen`.
pub async fn delete(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path((slug, id, qid)): Path<(String, i64, i64)>,
) -> Result<Response, AppError> {
    let delete =
        async |s: &AppState, pid: i64| store::surveys::delete_question(&s.db, pid, qid).await;
    change(state, ctx, jar, slug, id, delete, "survey-deleted").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    dir: String,
}

/// `POST …/umfrage/fragen/{qid}/verschieben` with `dir=hoch|runter`.
pub async fn reorder(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path((slug, id, qid)): Path<(String, i64, i64)>,
    Form(m): Form<MoveForm>,
) -> Result<Response, AppError> {
    // Permission first (in `change`), then the direction: a refused visitor learns nothing from the form.
    let up = match m.dir.as_str() {
        "hoch" => Some(true),
        "runter" => Some(false),
        _ => None,
    };
    let moved = async |s: &AppState, pid: i64| match up {
        Some(up) => store::surveys::move_question(&s.db, pid, qid, up).await,
        None => Err(StoreError::Refused("err-survey-direction")),
    };
    change(state, ctx, jar, slug, id, moved, "survey-moved").await
}
