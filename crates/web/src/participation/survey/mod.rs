//! Survey (Umfrage): editors build the questionnaire on the format page (`edit`), participants answer it as
//! one form (`answer`), results come from counts maintained with every response (`results`), and the JSON
//! API serves the questions and the results (`api`). Rules live in `domain::survey`, SQL in
//! `store::surveys`.

pub mod answer;
pub mod api;
pub mod edit;
pub mod results;
mod section;

use super::Format;
use super::pages::ShowPage;
use crate::ctx::RequestCtx;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::view::{FormView, render};
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use domain::participation::{Kind, Phase};
use domain::survey::{Answer, Question};

pub use results::{result_table, results};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/kommunen/{slug}/beteiligung/{id}/umfrage/fragen",
            post(edit::add),
        )
        .route(
            "/kommunen/{slug}/beteiligung/{id}/umfrage/fragen/{qid}/loeschen",
            post(edit::delete),
        )
        .route(
            "/kommunen/{slug}/beteiligung/{id}/umfrage/fragen/{qid}/verschieben",
            post(edit::reorder),
        )
        .route(
            "/kommunen/{slug}/beteiligung/{id}/umfrage/antworten",
            post(answer::submit),
        )
        .route("/api/v1/participations/{id}/survey", get(api::questions))
        .route(
            "/api/v1/participations/{id}/survey/results",
            get(api::results),
        )
}

/// A survey format of the city (404 for other kinds).
async fn load(
    state: &AppState,
    ctx: &RequestCtx,
    jar: &CookieJar,
    slug: &str,
    id: i64,
) -> Result<Format, AppError> {
    let f = Format::load(state, ctx, jar, slug, id).await?;
    if f.kind != Kind::Umfrage {
        return Err(AppError::NotFound);
    }
    Ok(f)
}

/// The survey's part of the format page: the editor panel, the questionnaire or the participant's answers.
pub async fn section(state: &AppState, ctx: &RequestCtx, f: &Format) -> Result<String, AppError> {
    section::render_section(state, ctx, f, &FormView::new()).await
}

/// The format page answering a refused post: the section with the values kept and the messages, status 422.
async fn refused_page(
    state: &AppState,
    ctx: RequestCtx,
    f: Format,
    form: FormView,
) -> Result<Response, AppError> {
    let section = section::render_section(state, &ctx, &f, &form).await?;
    let codes = if f.city.can_edit && f.p.access == "code" {
        store::participation::code_counts(&state.db, f.p.id).await?
    } else {
        (0, 0)
    };
    let page = ShowPage {
        period: format!(
            "{} – {}",
            super::date_of(f.p.opens_at),
            super::date_of(f.p.closes_at)
        ),
        phase: match f.phase {
            Phase::NotYet => "bald",
            Phase::Open => "offen",
            Phase::Closed => "beendet",
        },
        section,
        form,
        notice: None,
        codes,
        ctx,
        f,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

/// The participant's data: their answers with the questions, for the DSGVO download.
pub async fn export_of(
    state: &AppState,
    participant_id: i64,
) -> Result<serde_json::Value, AppError> {
    let Some(mine) = store::surveys::mine(&state.db, participant_id).await? else {
        return Ok(serde_json::json!({ "antworten": [] }));
    };
    let (_, questions) = store::surveys::questions(&state.db, mine.participation_id).await?;
    let answers: Vec<serde_json::Value> = questions
        .iter()
        .enumerate()
        .filter_map(|(i, q)| {
            let raw = &mine.answers.iter().find(|(id, _)| *id == q.id)?.1;
            let shown = Answer::decode(q, raw)
                .map(|a| answer_text(Lang::De, q, &a))
                .unwrap_or_else(|| raw.clone());
            Some(serde_json::json!({
                "nr": i + 1,
                "frage": q.text,
                "typ": q.kind.as_str(),
                "antwort": shown,
                "gespeichert_als": raw,
            }))
        })
        .collect();
    Ok(serde_json::json!({
        "abgegeben_am": crate::view::datetime(mine.created_at),
        "antworten": answers,
    }))
}

/// An answer as a person reads it: option labels, "4 von 5", "1. Rad, 2. Bus", the number, the text.
pub fn answer_text(lang: Lang, q: &Question, a: &Answer) -> String {
    let label = |o: usize| q.options.get(o).cloned().unwrap_or_default();
    match a {
        Answer::Single(o) => label(*o),
        Answer::Multiple(os) => os.iter().map(|o| label(*o)).collect::<Vec<_>>().join(", "),
        Answer::Scale(v) => lang.t_args(
            "survey-scale-answer",
            &[("value", v.to_string()), ("of", q.scale.to_string())],
        ),
        Answer::Ranking(ranks) => {
            let mut order: Vec<(i64, usize)> =
                ranks.iter().enumerate().map(|(i, r)| (*r, i)).collect();
            order.sort();
            order
                .iter()
                .map(|(r, i)| format!("{r}. {}", label(*i)))
                .collect::<Vec<_>>()
                .join(", ")
        }
        Answer::Number(n) => crate::i18n::format_int(lang, *n),
        Answer::Text(t) => t.clone(),
    }
}

/// A decimal number with `places` digits in the page's language (`3,5` / `3.5`).
pub fn decimal(lang: Lang, v: f64, places: usize) -> String {
    let s = format!("{v:.places$}");
    if lang == Lang::De {
        s.replace('.', ",")
    } else {
        s
    }
}

/// A share in per cent, one decimal (`66,7 %`), or `–` when nobody answered.
pub fn percent(lang: Lang, p: Option<f64>) -> String {
    match p {
        Some(p) => format!("{} %", decimal(lang, p, 1)),
        None => "–".into(),
    }
}
