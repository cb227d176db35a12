//! Nutzwertanalyse (benefit analysis) as a participation format.
//!
//! Editors set up the criteria (KO yes/no, or scored with weight, scale and direction Nutzen/Aufwand; a
//! default set in one click), the city's measures to rate and optional weights of the rater groups. Raters
//! are the format's participants: each chooses a group once (Verwaltung, Politik, Expert:innen,
//! Bürger:innen), then rates every measure (one rating per rater, measure and criterion; re-submitting
//! replaces). The results (overall and per group, KO exclusions, the Nutzen-Aufwand portfolio with its data
//! table, the sensitivity of the ranks to ±20 % weight changes) come from `domain::benefit`; editors can
//! write the suggested priorities back to the measures, recorded in each measure's history.
//!
//! Once anyone has rated, the criteria keep their structure (no adding or deleting, no change of kind or
//! scale) so that every stored rating still fits its criterion; names and weights may change — a weight
//! only re-weights the same ratings, and the sensitivity view shows how much that matters.
//!
//! Files: `section` (the format page's part), `setup` (editor forms), `rate` (group choice and rating
//! forms), `results` (results part, table, write-back), `api` (JSON).

pub mod api;
mod rate;
mod results;
mod section;
mod setup;

use super::{Format, date_of};
use crate::ctx::RequestCtx;
use crate::error::AppError;
use crate::form::wants_json;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::view::{FormView, ShownError, render};
use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use domain::benefit::{
    Criterion, Evaluation, Quadrant, RaterGroup, Rating, Sensitivity, evaluate, sensitivity,
};
use domain::participation::{Kind, Phase};
use store::benefit::{CriterionRow, MeasureItem};

/// The weight change the sensitivity view tries (±20 %).
pub const SENSITIVITY_DELTA: f64 = 0.2;

pub fn routes() -> Router<AppState> {
    let base = "/kommunen/{slug}/beteiligung/{id}/nutzwert";
    Router::new()
        .route(&format!("{base}/kriterien"), post(setup::add))
        .route(&format!("{base}/kriterien/standard"), post(setup::defaults))
        .route(&format!("{base}/kriterien/speichern"), post(setup::save))
        .route(
            &format!("{base}/kriterien/{{cid}}/loeschen"),
            post(setup::delete),
        )
        .route(&format!("{base}/massnahmen"), post(setup::measures))
        .route(
            &format!("{base}/gruppengewichte"),
            post(setup::group_weights),
        )
        .route(&format!("{base}/gruppe"), post(rate::choose_group))
        .route(&format!("{base}/bewerten/{{mid}}"), post(rate::rate))
        .route(&format!("{base}/uebernehmen"), post(results::write_back))
        .route("/api/v1/participations/{id}/benefit", get(api::benefit))
}

/// Load a format for one of this module's handlers: only benefit analyses.
async fn load(
    state: &AppState,
    ctx: &RequestCtx,
    jar: &CookieJar,
    slug: &str,
    id: i64,
) -> Result<Format, AppError> {
    let f = Format::load(state, ctx, jar, slug, id).await?;
    if f.kind != Kind::Nutzwert {
        return Err(AppError::NotFound);
    }
    Ok(f)
}

/// Everything the evaluation needs, loaded once.
pub(crate) struct Analysis {
    pub criteria: Vec<CriterionRow>,
    pub measures: Vec<MeasureItem>,
    pub group_weights: Vec<(RaterGroup, i64)>,
    pub ratings: Vec<Rating>,
}

impl Analysis {
    pub async fn load(state: &AppState, participation_id: i64) -> Result<Analysis, AppError> {
        let criteria = store::benefit::criteria(&state.db, participation_id).await?;
        let measures = store::benefit::measures(&state.db, participation_id).await?;
        let group_weights = store::benefit::group_weights(&state.db, participation_id).await?;
        // Ratings of measures no longer in the list stay stored (they count again if it is re-added).
        let ratings = store::benefit::ratings(&state.db, participation_id)
            .await?
            .into_iter()
            .filter(|r| measures.iter().any(|m| m.id == r.measure))
            .collect();
        Ok(Analysis {
            criteria,
            measures,
            group_weights,
            ratings,
        })
    }

    fn domain_criteria(&self) -> Vec<Criterion> {
        self.criteria.iter().map(CriterionRow::to_domain).collect()
    }

    fn measure_ids(&self) -> Vec<i64> {
        self.measures.iter().map(|m| m.id).collect()
    }

    /// Empty: equal weights (the domain's rule); otherwise every group with its stored weight.
    fn weights(&self) -> Vec<(RaterGroup, f64)> {
        self.group_weights
            .iter()
            .map(|(g, w)| (*g, *w as f64))
            .collect()
    }

    pub fn evaluate(&self) -> Evaluation {
        evaluate(
            &self.domain_criteria(),
            &self.ratings,
            &self.measure_ids(),
            &self.weights(),
        )
    }

    pub fn sensitivity(&self) -> Sensitivity {
        sensitivity(
            &self.domain_criteria(),
            &self.ratings,
            &self.measure_ids(),
            &self.weights(),
            SENSITIVITY_DELTA,
        )
    }

    pub fn title(&self, measure_id: i64) -> &str {
        self.measures
            .iter()
            .find(|m| m.id == measure_id)
            .map(|m| m.title.as_str())
            .unwrap_or("")
    }

    /// "M1", "M2", … by the measure's place in the list (the portfolio's marks).
    pub fn short(&self, measure_id: i64) -> String {
        let i = self
            .measures
            .iter()
            .position(|m| m.id == measure_id)
            .unwrap_or(0);
        format!("M{}", i + 1)
    }
}

/// A number with `decimals` places, German (`81,3`) or English (`81.3`).
/// Halves round away from zero (81.25 → 81.3), as people round by hand.
pub(crate) fn dec(lang: Lang, v: f64, decimals: usize) -> String {
    let f = 10f64.powi(decimals as i32);
    let v = (v * f).round() / f;
    let s = format!("{v:.decimals$}");
    if lang == Lang::De {
        s.replace('.', ",")
    } else {
        s
    }
}

/// An optional score with one decimal, "–" when absent.
pub(crate) fn score(lang: Lang, v: Option<f64>) -> String {
    v.map(|v| dec(lang, v, 1)).unwrap_or_else(|| "–".into())
}

pub(crate) fn group_label(ctx: &RequestCtx, g: RaterGroup) -> String {
    ctx.tk("benefit-group-", g.as_str())
}

pub(crate) fn quadrant_label(ctx: &RequestCtx, q: Quadrant) -> String {
    ctx.tk("benefit-quadrant-", q.as_str())
}

/// `ko`, `nutzen`, `aufwand` in words.
pub(crate) fn kind_label(ctx: &RequestCtx, kind: &str) -> String {
    ctx.tk("benefit-kind-", kind)
}

/// Add an error with its own label (fields named per measure or criterion have no `field-…` key).
pub(crate) fn push_error(form: &mut FormView, field: String, label: String, message: String) {
    form.errors.push(ShownError {
        field,
        label,
        message,
    });
}

/// A refused post as JSON: `{"ok": false, "errors": [{"field", "message"}]}`.
fn refused_json(form: &FormView) -> Response {
    let errors: Vec<serde_json::Value> = form
        .errors
        .iter()
        .map(|e| serde_json::json!({"field": e.field, "label": e.label, "message": e.message}))
        .collect();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        axum::Json(serde_json::json!({"ok": false, "errors": errors})),
    )
        .into_response()
}

fn phase_key(ph: Phase) -> &'static str {
    match ph {
        Phase::NotYet => "bald",
        Phase::Open => "offen",
        Phase::Closed => "beendet",
    }
}

/// Answer a refused post: JSON for scripts, else the format page (422) with the message at the top, next
/// to the field and the entered values kept.
async fn refuse(
    state: &AppState,
    ctx: RequestCtx,
    headers: &HeaderMap,
    f: Format,
    form: FormView,
) -> Result<Response, AppError> {
    if wants_json(headers) {
        return Ok(refused_json(&form));
    }
    let section = section::section_with(state, &ctx, &f, &form).await?;
    let codes = if f.city.can_edit && f.p.access == "code" {
        store::participation::code_counts(&state.db, f.p.id).await?
    } else {
        (0, 0)
    };
    let page = super::pages::ShowPage {
        period: format!("{} – {}", date_of(f.p.opens_at), date_of(f.p.closes_at)),
        phase: phase_key(f.phase),
        section,
        form,
        notice: None,
        codes,
        ctx,
        f,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

/// Answer an accepted post: JSON for scripts, else a redirect to `to` (a path of the format).
fn done(headers: &HeaderMap, to: String, details: serde_json::Value) -> Response {
    if wants_json(headers) {
        axum::Json(serde_json::json!({"ok": true, "details": details})).into_response()
    } else {
        axum::response::Redirect::to(&to).into_response()
    }
}

// ---- the functions the participation shell calls ----

pub async fn section(state: &AppState, ctx: &RequestCtx, f: &Format) -> Result<String, AppError> {
    section::section_with(state, ctx, f, &FormView::new()).await
}

pub async fn results(state: &AppState, ctx: &RequestCtx, f: &Format) -> Result<String, AppError> {
    results::section_with(state, ctx, f, &FormView::new()).await
}

pub async fn result_table(
    state: &AppState,
    f: &Format,
) -> Result<(Vec<String>, Vec<Vec<String>>), AppError> {
    results::table(state, f).await
}

pub async fn export_of(
    state: &AppState,
    participant_id: i64,
) -> Result<serde_json::Value, AppError> {
    let (group, rows) = store::benefit::export(&state.db, participant_id).await?;
    let ratings: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|r| {
            let answer = match (r.ko, r.score) {
                (Some(true), _) => serde_json::json!("ja"),
                (Some(false), _) => serde_json::json!("nein"),
                (None, Some(s)) => serde_json::json!(s),
                (None, None) => serde_json::Value::Null,
            };
            serde_json::json!({
                "massnahme_id": r.measure_id,
                "massnahme": r.measure,
                "kriterium": r.criterion,
                "art": r.kind,
                "skala_bis": if r.kind == "ko" { serde_json::Value::Null } else { serde_json::json!(r.scale_max) },
                "antwort": answer,
                "geaendert": r.updated_at,
            })
        })
        .collect();
    Ok(serde_json::json!({
        "gruppe": group.map(|g| g.label()),
        "bewertungen": ratings,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_both_languages() {
        assert_eq!(dec(Lang::De, 81.25, 2), "81,25");
        assert_eq!(dec(Lang::En, 81.25, 1), "81.3");
        assert_eq!(dec(Lang::De, -0.04, 1), "-0,0");
        assert_eq!(score(Lang::De, Some(51.5625)), "51,6");
        assert_eq!(score(Lang::De, None), "–");
    }
}
