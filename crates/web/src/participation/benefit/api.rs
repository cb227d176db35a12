//! `GET /api/v1/participations/{id}/benefit`: the evaluation of a benefit analysis as JSON — for the city's
//! editors always, for everyone once the results are public.

use super::{Analysis, load};
use crate::api::ApiError;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::Serialize;
use utoipa::ToSchema;

/// A criterion with its weight and its share of its direction's weights.
#[derive(Debug, Serialize, ToSchema)]
pub struct BenefitCriterion {
    pub id: i64,
    pub name: String,
    /// `ko`, `nutzen` (benefit) or `aufwand` (effort).
    pub kind: String,
    /// 0 for KO criteria.
    pub weight: i64,
    /// 0 for KO criteria.
    pub scale_max: i64,
    /// `weight / Σ weights` of the same kind; `null` for KO criteria.
    pub share: Option<f64>,
}

/// How the raters answered one KO criterion for one measure.
#[derive(Debug, Serialize, ToSchema)]
pub struct BenefitKo {
    pub criterion: i64,
    pub name: String,
    pub passes: usize,
    pub fails: usize,
    /// More raters said "no" than "yes".
    pub failed: bool,
}

/// One rater group's scores for one measure.
#[derive(Debug, Serialize, ToSchema)]
pub struct BenefitGroupScore {
    /// `verwaltung`, `politik`, `expertinnen` or `buergerinnen`.
    pub group: String,
    pub label: String,
    pub raters: usize,
    /// The group's share of the overall score for this measure.
    pub weight: f64,
    /// 0..100.
    pub benefit: Option<f64>,
    /// 0..100, higher = more effort.
    pub effort: Option<f64>,
}

/// One measure's result.
#[derive(Debug, Serialize, ToSchema)]
pub struct BenefitMeasure {
    pub measure_id: i64,
    pub title: String,
    /// 1 = highest benefit; `null` when KO-excluded or unscored.
    pub rank: Option<usize>,
    /// 0..100.
    pub benefit: Option<f64>,
    /// 0..100.
    pub effort: Option<f64>,
    /// `quick_win`, `strategisch`, `fuellmassnahme` or `zurueckstellen`.
    pub quadrant: Option<String>,
    /// `hoch`, `mittel` or `niedrig`, from the quadrant.
    pub suggested_priority: Option<String>,
    pub excluded: bool,
    /// Names of the failed KO criteria.
    pub failed_ko: Vec<String>,
    pub ko: Vec<BenefitKo>,
    pub raters: usize,
    pub groups: Vec<BenefitGroupScore>,
}

/// One weight variation (a column of the sensitivity table).
#[derive(Debug, Serialize, ToSchema)]
pub struct BenefitVariation {
    pub criterion: i64,
    pub name: String,
    /// 0.8 or 1.2.
    pub factor: f64,
}

/// One measure's ranks across the variations.
#[derive(Debug, Serialize, ToSchema)]
pub struct BenefitSensitivityRow {
    pub measure_id: i64,
    pub base_rank: Option<usize>,
    /// Aligned with `variations`.
    pub ranks: Vec<Option<usize>>,
    pub min_rank: Option<usize>,
    pub max_rank: Option<usize>,
    pub stable: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BenefitSensitivity {
    pub delta: f64,
    pub variations: Vec<BenefitVariation>,
    pub rows: Vec<BenefitSensitivityRow>,
}

/// The weight of a rater group.
#[derive(Debug, Serialize, ToSchema)]
pub struct BenefitGroupWeight {
    pub group: String,
    pub weight: i64,
}

/// The evaluation of a benefit analysis.
#[derive(Debug, Serialize, ToSchema)]
pub struct BenefitResults {
    pub participation_id: i64,
    pub title: String,
    pub criteria: Vec<BenefitCriterion>,
    /// Empty: every group counts the same.
    pub group_weights: Vec<BenefitGroupWeight>,
    /// Where the portfolio splits high from low (0..100).
    pub threshold_benefit: f64,
    pub threshold_effort: f64,
    /// Ranked measures first, then unscored, then KO-excluded ones.
    pub measures: Vec<BenefitMeasure>,
    pub sensitivity: BenefitSensitivity,
}

/// The evaluation of a benefit analysis (Nutzwertanalyse).
#[utoipa::path(
    get,
    path = "/api/v1/participations/{id}/benefit",
    params(("id" = i64, Path, description = "Participation id")),
    responses(
        (status = 200, description = "Scores, ranks, quadrants, KO exclusions and sensitivity", body = BenefitResults),
        (status = 404, description = "No such benefit analysis, or its results are not public", body = ApiError)
    ),
    tag = "participation"
)]
pub async fn benefit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let p = match store::participation::get_any(&state.db, id).await {
        Ok(p) => p,
        Err(store::StoreError::NotFound) => return Ok(ApiError::not_found()),
        Err(e) => return Err(e.into()),
    };
    let m = store::municipalities::by_id(&state.db, p.municipality_id).await?;
    let f = match load(&state, &ctx, &jar, &m.slug, id).await {
        Ok(f) => f,
        Err(AppError::NotFound) => return Ok(ApiError::not_found()),
        Err(e) => return Err(e),
    };
    if !f.may_see_results() {
        return Ok(ApiError::not_found());
    }
    let a = Analysis::load(&state, id).await?;
    Ok(Json(build(&a, id, &f.p.title)).into_response())
}

fn build(a: &Analysis, id: i64, title: &str) -> BenefitResults {
    let e = a.evaluate();
    let s = a.sensitivity();
    BenefitResults {
        participation_id: id,
        title: title.to_string(),
        criteria: a
            .criteria
            .iter()
            .map(|c| BenefitCriterion {
                id: c.id,
                name: c.name.clone(),
                kind: c.kind.clone(),
                weight: c.weight,
                scale_max: c.scale_max,
                share: e
                    .criteria
                    .iter()
                    .find(|x| x.criterion == c.id)
                    .map(|x| x.share),
            })
            .collect(),
        group_weights: a
            .group_weights
            .iter()
            .map(|(g, w)| BenefitGroupWeight {
                group: g.as_str().to_string(),
                weight: *w,
            })
            .collect(),
        threshold_benefit: e.thresholds.benefit,
        threshold_effort: e.thresholds.effort,
        measures: e
            .measures
            .iter()
            .map(|m| BenefitMeasure {
                measure_id: m.measure,
                title: a.title(m.measure).to_string(),
                rank: m.rank,
                benefit: m.benefit,
                effort: m.effort,
                quadrant: m.quadrant.map(|q| q.as_str().to_string()),
                suggested_priority: m
                    .quadrant
                    .map(|q| q.suggested_priority().as_str().to_string()),
                excluded: m.excluded,
                failed_ko: m.failed_ko.clone(),
                ko: m
                    .ko
                    .iter()
                    .map(|k| BenefitKo {
                        criterion: k.criterion,
                        name: k.name.clone(),
                        passes: k.passes,
                        fails: k.fails,
                        failed: k.failed,
                    })
                    .collect(),
                raters: m.raters,
                groups: m
                    .groups
                    .iter()
                    .map(|g| BenefitGroupScore {
                        group: g.group.as_str().to_string(),
                        label: g.group.label().to_string(),
                        raters: g.raters,
                        weight: g.weight,
                        benefit: g.benefit,
                        effort: g.effort,
                    })
                    .collect(),
            })
            .collect(),
        sensitivity: BenefitSensitivity {
            delta: s.delta,
            variations: s
                .variations
                .iter()
                .map(|v| BenefitVariation {
                    criterion: v.criterion,
                    name: v.name.clone(),
                    factor: v.factor,
                })
                .collect(),
            rows: s
                .rows
                .iter()
                .map(|r| BenefitSensitivityRow {
                    measure_id: r.measure,
                    base_rank: r.base_rank,
                    ranks: r.ranks.clone(),
                    min_rank: r.min_rank,
                    max_rank: r.max_rank,
                    stable: r.stable,
                })
                .collect(),
        },
    }
}
