//! The results: ranking with KO exclusions, scores per rater group, the Nutzen-Aufwand portfolio with its
//! data table, the sensitivity of the ranks, the table for CSV/XLSX, and the editors' write-back of the
//! suggested priorities to the measures (recorded in each measure's history).

use super::{
    Analysis, Format, dec, group_label, load, push_error, quadrant_label, refused_json, score,
    wants_json,
};
use crate::charts::{PortfolioLabels, PortfolioPoint, portfolio};
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use domain::benefit::{Evaluation, MeasureScore, Quadrant, RaterGroup};
use std::collections::{BTreeMap, BTreeSet};
use store::benefit::WriteBack;

pub struct ShareRow {
    pub name: String,
    pub kind: String,
    pub weight: i64,
    pub share: String,
    pub scale: String,
}

pub struct RankRow {
    pub rank: String,
    pub short: String,
    pub title: String,
    pub benefit: String,
    pub effort: String,
    pub quadrant: String,
    pub priority: String,
    pub raters: usize,
    pub ko: String,
    pub excluded: bool,
}

pub struct GroupRow {
    pub title: String,
    /// Per shown group: (benefit, effort).
    pub cells: Vec<(String, String)>,
}

pub struct PointRow {
    pub short: String,
    pub title: String,
    pub benefit: String,
    pub effort: String,
    pub quadrant: String,
}

pub struct SensRow {
    pub title: String,
    pub base: String,
    pub ranks: Vec<String>,
    pub min: String,
    pub max: String,
    pub stable: bool,
}

pub struct WbItem {
    pub id: i64,
    /// "Maßnahme X: Quick Win → Priorität hoch".
    pub label: String,
    pub quadrant_key: String,
    pub last: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "participation/benefit/results.html")]
struct ResultsTpl<'a> {
    ctx: &'a RequestCtx,
    f: &'a Format,
    form: &'a FormView,
    notice: Option<String>,
    has_ratings: bool,
    rater_counts: String,
    group_weights: String,
    thresholds: String,
    criteria: Vec<ShareRow>,
    rows: Vec<RankRow>,
    excluded: Vec<String>,
    groups: Vec<String>,
    group_rows: Vec<GroupRow>,
    chart: String,
    points: Vec<PointRow>,
    sens_cols: Vec<String>,
    sens_rows: Vec<SensRow>,
    writeback: Vec<WbItem>,
    /// Measures with no quadrant (KO-excluded or not scored): not written back.
    not_written: Vec<String>,
}

fn rank_text(r: Option<usize>) -> String {
    r.map(|r| r.to_string()).unwrap_or_else(|| "–".into())
}

/// "Rechtlich zulässig (3 nein : 1 ja)" for each failed KO criterion.
fn failed_ko_text(ctx: &RequestCtx, m: &MeasureScore) -> String {
    m.ko.iter()
        .filter(|k| k.failed)
        .map(|k| {
            ctx.lang.t_args(
                "benefit-ko-failed-count",
                &[
                    ("name", k.name.clone()),
                    ("no", k.fails.to_string()),
                    ("yes", k.passes.to_string()),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The groups that rated anything, in their fixed order.
fn present_groups(e: &Evaluation) -> Vec<RaterGroup> {
    let set: BTreeSet<RaterGroup> = e
        .measures
        .iter()
        .flat_map(|m| m.groups.iter().map(|g| g.group))
        .collect();
    set.into_iter().collect()
}

/// "+20 %" / "−20 %".
fn factor_text(lang: Lang, factor: f64) -> String {
    let pct = (factor - 1.0) * 100.0;
    let sign = if pct < 0.0 { "−" } else { "+" };
    format!("{sign}{} %", dec(lang, pct.abs(), 0))
}

/// The query parameter `ok` of this request, if any.
fn ok_param(ctx: &RequestCtx) -> Option<&str> {
    let (_, q) = ctx.path.split_once('?')?;
    q.split('&')
        .find_map(|kv| kv.strip_prefix("ok="))
        .map(|v| v.split('#').next().unwrap_or(v))
}

pub async fn section_with(
    state: &AppState,
    ctx: &RequestCtx,
    f: &Format,
    form: &FormView,
) -> Result<String, AppError> {
    let a = Analysis::load(state, f.p.id).await?;
    let e = a.evaluate();
    let s = a.sensitivity();
    let lang = ctx.lang;

    let kinds: BTreeMap<i64, &str> = a.criteria.iter().map(|c| (c.id, c.kind.as_str())).collect();
    let criteria = a
        .criteria
        .iter()
        .filter(|c| !c.is_ko())
        .map(|c| {
            let share = e
                .criteria
                .iter()
                .find(|x| x.criterion == c.id)
                .map(|x| x.share)
                .unwrap_or(0.0);
            ShareRow {
                name: c.name.clone(),
                kind: super::kind_label(ctx, kinds.get(&c.id).copied().unwrap_or("")),
                weight: c.weight,
                share: format!("{} %", dec(lang, 100.0 * share, 1)),
                scale: format!("0–{}", c.scale_max),
            }
        })
        .collect();

    let rows: Vec<RankRow> = e
        .measures
        .iter()
        .map(|m| RankRow {
            rank: rank_text(m.rank),
            short: a.short(m.measure),
            title: a.title(m.measure).to_string(),
            benefit: score(lang, m.benefit),
            effort: score(lang, m.effort),
            quadrant: m
                .quadrant
                .map(|q| quadrant_label(ctx, q))
                .unwrap_or_else(|| "–".into()),
            priority: m
                .quadrant
                .map(|q| ctx.tk("priority-", q.suggested_priority().as_str()))
                .unwrap_or_else(|| "–".into()),
            raters: m.raters,
            ko: if m.excluded {
                failed_ko_text(ctx, m)
            } else {
                ctx.t("benefit-ko-passed")
            },
            excluded: m.excluded,
        })
        .collect();
    let excluded = e
        .measures
        .iter()
        .filter(|m| m.excluded)
        .map(|m| {
            ctx.lang.t_args(
                "benefit-excluded-because",
                &[
                    ("title", a.title(m.measure).to_string()),
                    ("criteria", failed_ko_text(ctx, m)),
                ],
            )
        })
        .collect();

    let groups = present_groups(&e);
    let group_rows = e
        .measures
        .iter()
        .map(|m| GroupRow {
            title: a.title(m.measure).to_string(),
            cells: groups
                .iter()
                .map(|g| {
                    let gs = m.groups.iter().find(|x| x.group == *g);
                    (
                        score(lang, gs.and_then(|x| x.benefit)),
                        score(lang, gs.and_then(|x| x.effort)),
                    )
                })
                .collect(),
        })
        .collect();
    let mut per_group: BTreeMap<RaterGroup, BTreeSet<i64>> = BTreeMap::new();
    for r in &a.ratings {
        per_group.entry(r.group).or_default().insert(r.rater);
    }
    let all_raters: BTreeSet<i64> = a.ratings.iter().map(|r| r.rater).collect();
    let rater_counts = if per_group.is_empty() {
        String::new()
    } else {
        ctx.lang.t_args(
            "benefit-raters-summary",
            &[
                ("n", all_raters.len().to_string()),
                (
                    "groups",
                    per_group
                        .iter()
                        .map(|(g, r)| format!("{} {}", group_label(ctx, *g), r.len()))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ],
        )
    };
    let group_weights = if a.group_weights.is_empty() {
        ctx.t("benefit-group-weights-equal")
    } else {
        ctx.t1(
            "benefit-group-weights-set",
            "weights",
            a.group_weights
                .iter()
                .map(|(g, w)| format!("{} {w}", group_label(ctx, *g)))
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    let thresholds = ctx.lang.t_args(
        "benefit-thresholds",
        &[
            ("benefit", dec(lang, e.thresholds.benefit, 0)),
            ("effort", dec(lang, e.thresholds.effort, 0)),
        ],
    );

    let placed: Vec<&MeasureScore> = e.measures.iter().filter(|m| m.quadrant.is_some()).collect();
    let chart_points: Vec<PortfolioPoint> = placed
        .iter()
        .filter_map(|m| {
            Some(PortfolioPoint {
                label: a.title(m.measure).to_string(),
                short: a.short(m.measure),
                benefit: m.benefit?,
                effort: m.effort?,
                quadrant_label: quadrant_label(ctx, m.quadrant?),
            })
        })
        .collect();
    let chart = portfolio(
        &format!("benefit-portfolio-{}", f.p.id),
        &ctx.t("benefit-portfolio-title"),
        &chart_points,
        e.thresholds.benefit,
        e.thresholds.effort,
        PortfolioLabels {
            x_axis: ctx.t("benefit-axis-effort"),
            y_axis: ctx.t("benefit-axis-benefit"),
            quick_win: ctx.t("benefit-quadrants-quick_win"),
            strategic: ctx.t("benefit-quadrants-strategisch"),
            filler: ctx.t("benefit-quadrants-fuellmassnahme"),
            postpone: ctx.t("benefit-quadrants-zurueckstellen"),
        },
    );
    let points = placed
        .iter()
        .map(|m| PointRow {
            short: a.short(m.measure),
            title: a.title(m.measure).to_string(),
            benefit: score(lang, m.benefit),
            effort: score(lang, m.effort),
            quadrant: m
                .quadrant
                .map(|q| quadrant_label(ctx, q))
                .unwrap_or_default(),
        })
        .collect();

    let sens_cols = s
        .variations
        .iter()
        .map(|v| format!("{} {}", v.name, factor_text(lang, v.factor)))
        .collect();
    let sens_rows = s
        .rows
        .iter()
        .map(|r| SensRow {
            title: a.title(r.measure).to_string(),
            base: rank_text(r.base_rank),
            ranks: r.ranks.iter().map(|x| rank_text(*x)).collect(),
            min: rank_text(r.min_rank),
            max: rank_text(r.max_rank),
            stable: r.stable,
        })
        .collect();

    let (writeback, not_written) = if f.city.can_edit {
        let last = store::benefit::writebacks_of(&state.db, f.p.id).await?;
        let kept = form.value("form") == "writeback";
        let items = placed
            .iter()
            .filter_map(|m| {
                let q = m.quadrant?;
                let p = q.suggested_priority();
                Some(WbItem {
                    id: m.measure,
                    label: ctx.lang.t_args(
                        "benefit-writeback-item",
                        &[
                            ("title", a.title(m.measure).to_string()),
                            ("quadrant", quadrant_label(ctx, q)),
                            ("priority", ctx.tk("priority-", p.as_str())),
                        ],
                    ),
                    quadrant_key: q.as_str().to_string(),
                    last: last
                        .iter()
                        .find(|(id, _, _)| *id == m.measure)
                        .map(|(_, prio, at)| {
                            ctx.lang.t_args(
                                "benefit-written-at",
                                &[
                                    ("priority", ctx.tk("priority-", prio)),
                                    ("date", super::date_of(*at)),
                                ],
                            )
                        })
                        .unwrap_or_default(),
                    checked: !kept || form.checked("benefit_writeback", &m.measure.to_string()),
                })
            })
            .collect();
        let not = e
            .measures
            .iter()
            .filter(|m| m.quadrant.is_none())
            .map(|m| a.title(m.measure).to_string())
            .collect();
        (items, not)
    } else {
        (vec![], vec![])
    };

    let tpl = ResultsTpl {
        ctx,
        f,
        form,
        notice: (ok_param(ctx) == Some("benefit-written")).then(|| ctx.t("benefit-ok-written")),
        has_ratings: !a.ratings.is_empty(),
        rater_counts,
        group_weights,
        thresholds,
        criteria,
        rows,
        excluded,
        groups: groups.iter().map(|g| group_label(ctx, *g)).collect(),
        group_rows,
        chart,
        points,
        sens_cols,
        sens_rows,
        writeback,
        not_written,
    };
    Ok(tpl.render()?)
}

/// One row per measure: rank, title, overall and per-group scores, quadrant, priority, KO (German, for
/// CSV and XLSX).
pub async fn table(
    state: &AppState,
    f: &Format,
) -> Result<(Vec<String>, Vec<Vec<String>>), AppError> {
    let a = Analysis::load(state, f.p.id).await?;
    let e = a.evaluate();
    let groups = present_groups(&e);
    let num = |v: Option<f64>| v.map(|v| dec(Lang::De, v, 2)).unwrap_or_default();
    let mut header: Vec<String> = [
        "Rang",
        "Maßnahme",
        "Nutzen gesamt",
        "Aufwand gesamt",
        "Quadrant",
        "Vorgeschlagene Priorität",
    ]
    .map(String::from)
    .to_vec();
    for g in &groups {
        header.push(format!("Nutzen {}", g.label()));
        header.push(format!("Aufwand {}", g.label()));
    }
    header.extend(["Bewertende", "KO-Kriterien"].map(String::from));
    let rows = e
        .measures
        .iter()
        .map(|m| {
            let mut row = vec![
                m.rank.map(|r| r.to_string()).unwrap_or_default(),
                a.title(m.measure).to_string(),
                num(m.benefit),
                num(m.effort),
                m.quadrant
                    .map(|q| q.label().to_string())
                    .unwrap_or_default(),
                m.quadrant
                    .map(|q| q.suggested_priority().as_str().to_string())
                    .unwrap_or_default(),
            ];
            for g in &groups {
                let gs = m.groups.iter().find(|x| x.group == *g);
                row.push(num(gs.and_then(|x| x.benefit)));
                row.push(num(gs.and_then(|x| x.effort)));
            }
            row.push(m.raters.to_string());
            row.push(if m.excluded {
                format!("ausgeschlossen: {}", m.failed_ko.join(", "))
            } else {
                "erfüllt".into()
            });
            row
        })
        .collect();
    Ok((header, rows))
}

// ---- write-back ----

#[derive(Template)]
#[template(path = "participation/benefit/results_page.html")]
struct ResultsPage {
    ctx: RequestCtx,
    f: Format,
    form: FormView,
    section: String,
}

async fn refuse_results(
    state: &AppState,
    ctx: RequestCtx,
    headers: &HeaderMap,
    f: Format,
    form: FormView,
) -> Result<Response, AppError> {
    if wants_json(headers) {
        return Ok(refused_json(&form));
    }
    let section = section_with(state, &ctx, &f, &form).await?;
    let page = ResultsPage {
        ctx,
        f,
        form,
        section,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

/// The text the measure's history shows as the new priority.
pub fn history_note(title: &str, m: &MeasureScore, q: Quadrant) -> String {
    format!(
        "{} (aus Nutzwertanalyse „{}“: Rang {}, Nutzen {}, Aufwand {}, {})",
        q.suggested_priority().as_str(),
        title,
        rank_text(m.rank),
        score(Lang::De, m.benefit),
        score(Lang::De, m.effort),
        q.label()
    )
}

/// Editors: set the suggested priority of the chosen measures. Each choice carries the quadrant the editor
/// saw (`q_{id}`); if the results changed since, nothing is written and the new suggestions are shown.
pub async fn write_back(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    let user_id = f.require_edit(&ctx)?;
    let a = Analysis::load(&state, f.p.id).await?;
    let e = a.evaluate();
    let chosen: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == "benefit_writeback")
        .map(|(_, v)| v.as_str())
        .collect();
    let mut form = FormView::new().with("form", "writeback");
    for c in &chosen {
        form = form.with("benefit_writeback", c);
    }
    let label = ctx.t("field-benefit_writeback");
    let mut items = Vec::new();
    let mut problem: Option<&'static str> =
        chosen.is_empty().then_some("err-benefit-writeback-none");
    for raw in &chosen {
        let m = raw
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|mid| e.measure(mid));
        let Some((m, q)) = m.and_then(|m| Some((m, m.quadrant?))) else {
            problem = Some("err-benefit-writeback-unranked");
            break;
        };
        let seen = fields
            .iter()
            .find(|(k, _)| *k == format!("q_{}", m.measure))
            .map(|(_, v)| v.as_str());
        if seen != Some(q.as_str()) {
            problem = Some("err-benefit-changed");
            break;
        }
        let (Some(benefit), Some(effort), Some(rank)) = (m.benefit, m.effort, m.rank) else {
            problem = Some("err-benefit-writeback-unranked");
            break;
        };
        items.push(WriteBack {
            measure_id: m.measure,
            benefit,
            effort,
            quadrant: q.as_str(),
            rank: rank as i64,
            priority: q.suggested_priority().as_str(),
            note: history_note(&f.p.title, m, q),
        });
    }
    if let Some(code) = problem {
        push_error(&mut form, "benefit_writeback".into(), label, ctx.t(code));
        return refuse_results(&state, ctx, &headers, f, form).await;
    }
    store::benefit::write_back(&state.db, f.city.m.id, f.p.id, user_id, &items).await?;
    tracing::info!(
        participation_id = f.p.id,
        measures = items.len(),
        "benefit results written back"
    );
    if wants_json(&headers) {
        let written: Vec<serde_json::Value> = items
            .iter()
            .map(|w| serde_json::json!({"measure": w.measure_id, "priority": w.priority}))
            .collect();
        return Ok(
            axum::Json(serde_json::json!({"ok": true, "details": {"written": written}}))
                .into_response(),
        );
    }
    Ok(Redirect::to(&f.path("/ergebnisse?ok=benefit-written#benefit-writeback")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_read_as_percent() {
        assert_eq!(factor_text(Lang::De, 0.8), "−20 %");
        assert_eq!(factor_text(Lang::De, 1.2), "+20 %");
    }
}
