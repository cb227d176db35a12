//! Survey results from the maintained counts: per question an accessible bar chart with its data table
//! (choice: counts and shares; scale: distribution and mean; ranking: average rank, best first; number: n,
//! mean, minimum, maximum; free text: the count, the texts only for editors), and the same as a table for the
//! CSV and XLSX downloads.

use super::super::Format;
use super::{decimal, percent};
use crate::charts::bar_chart;
use crate::ctx::RequestCtx;
use crate::error::AppError;
use crate::i18n::{Lang, format_int};
use crate::state::AppState;
use askama::Template;
use domain::survey::{Count, Question, QuestionKind, Summary, summarise};
use std::collections::HashMap;

/// Free texts an editor sees per question on the page (all of them are in the download).
const TEXTS_ON_PAGE: i64 = 100;

/// One question's results.
pub struct ResultView {
    pub id: i64,
    pub number: usize,
    pub text: String,
    pub kind_label: String,
    pub answered: String,
    pub svg: String,
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub note: String,
    /// Free text: whether the texts are shown (editors), the newest texts, and how many more there are.
    pub show_texts: bool,
    pub texts: Vec<String>,
    pub more_texts: i64,
}

#[derive(Template)]
#[template(path = "participation/survey/results.html")]
struct ResultsView<'a> {
    ctx: &'a RequestCtx,
    responses: String,
    questions: Vec<ResultView>,
}

/// The questions, the survey's response count, and each question's summary.
pub async fn summaries(
    state: &AppState,
    participation_id: i64,
) -> Result<(i64, Vec<(Question, Summary)>), AppError> {
    let (survey, questions) = store::surveys::questions(&state.db, participation_id).await?;
    let mut by_question: HashMap<i64, Vec<Count>> = HashMap::new();
    for (qid, c) in store::surveys::counts(&state.db, participation_id).await? {
        by_question.entry(qid).or_default().push(c);
    }
    let out = questions
        .into_iter()
        .map(|q| {
            let s = summarise(&q, by_question.get(&q.id).map_or(&[][..], |v| v));
            (q, s)
        })
        .collect();
    Ok((survey.responses, out))
}

pub async fn results(state: &AppState, ctx: &RequestCtx, f: &Format) -> Result<String, AppError> {
    let lang = ctx.lang;
    let (responses, items) = summaries(state, f.p.id).await?;
    let mut views = Vec::with_capacity(items.len());
    for (i, (q, s)) in items.iter().enumerate() {
        let mut v = view(ctx, i + 1, q, s);
        if q.kind == QuestionKind::Freitext && f.city.can_edit {
            v.show_texts = true;
            v.texts = store::surveys::texts(&state.db, q.id, TEXTS_ON_PAGE).await?;
            v.more_texts = (s.answered - v.texts.len() as i64).max(0);
        }
        views.push(v);
    }
    Ok(ResultsView {
        ctx,
        responses: ctx.t1("survey-responses", "n", format_int(lang, responses)),
        questions: views,
    }
    .render()?)
}

fn view(ctx: &RequestCtx, number: usize, q: &Question, s: &Summary) -> ResultView {
    let lang = ctx.lang;
    let int = |n: i64| format_int(lang, n);
    let chart_id = format!("survey-chart-{}", q.id);
    let mut v = ResultView {
        id: q.id,
        number,
        text: q.text.clone(),
        kind_label: ctx.tk("survey-kind-", q.kind.as_str()),
        answered: ctx.t1("survey-answered", "n", int(s.answered)),
        svg: String::new(),
        caption: ctx.t1("survey-table-caption", "n", number),
        headers: vec![],
        rows: vec![],
        note: String::new(),
        show_texts: false,
        texts: vec![],
        more_texts: 0,
    };
    let count_label = |n: i64, p: Option<f64>| format!("{} ({})", int(n), percent(lang, p));
    match q.kind {
        QuestionKind::Einfach | QuestionKind::Mehrfach => {
            let bars: Vec<(String, f64, String)> = s
                .rows
                .iter()
                .map(|r| {
                    (
                        r.label.clone(),
                        r.percent.unwrap_or(0.0),
                        count_label(r.count, r.percent),
                    )
                })
                .collect();
            v.svg = bar_chart(&chart_id, &q.text, &bars, Some(100.0));
            v.headers = vec![
                ctx.t("survey-col-option"),
                ctx.t("survey-col-count"),
                ctx.t("survey-col-share"),
            ];
            v.rows = s
                .rows
                .iter()
                .map(|r| vec![r.label.clone(), int(r.count), percent(lang, r.percent)])
                .collect();
            if q.kind == QuestionKind::Mehrfach {
                v.note = ctx.t("survey-note-multiple");
            }
        }
        QuestionKind::Skala => {
            let label = |r: &domain::survey::ResultRow| {
                let end = if r.label == "1" {
                    &q.low_label
                } else if r.label == q.scale.to_string() {
                    &q.high_label
                } else {
                    ""
                };
                if end.is_empty() {
                    r.label.clone()
                } else {
                    format!("{} – {end}", r.label)
                }
            };
            let bars: Vec<(String, f64, String)> = s
                .rows
                .iter()
                .map(|r| (label(r), r.count as f64, count_label(r.count, r.percent)))
                .collect();
            v.svg = bar_chart(&chart_id, &q.text, &bars, None);
            v.headers = vec![
                ctx.t("survey-col-value"),
                ctx.t("survey-col-count"),
                ctx.t("survey-col-share"),
            ];
            v.rows = s
                .rows
                .iter()
                .map(|r| vec![label(r), int(r.count), percent(lang, r.percent)])
                .collect();
            if let Some(m) = s.mean {
                v.note = lang.t_args(
                    "survey-mean-of",
                    &[("mean", decimal(lang, m, 2)), ("of", q.scale.to_string())],
                );
            }
        }
        QuestionKind::Rangfolge => {
            let k = q.options.len() as f64;
            let avg = |r: &domain::survey::ResultRow| {
                r.average_rank
                    .map(|a| decimal(lang, a, 2))
                    .unwrap_or_else(|| "–".into())
            };
            // Longer bar = better place: k + 1 − average rank (first place everywhere = k).
            let bars: Vec<(String, f64, String)> = s
                .rows
                .iter()
                .map(|r| {
                    (
                        r.label.clone(),
                        r.average_rank.map_or(0.0, |a| k + 1.0 - a),
                        ctx.t1("survey-average-rank-short", "rank", avg(r)),
                    )
                })
                .collect();
            v.svg = bar_chart(&chart_id, &q.text, &bars, Some(k));
            v.headers = vec![
                ctx.t("survey-col-place"),
                ctx.t("survey-col-option"),
                ctx.t("survey-col-average-rank"),
                ctx.t("survey-col-count"),
            ];
            v.rows = s
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| vec![(i + 1).to_string(), r.label.clone(), avg(r), int(r.count)])
                .collect();
            v.note = ctx.t("survey-note-ranking");
        }
        QuestionKind::Zahl => {
            let mean = s.mean.map(|m| decimal(lang, m, 2));
            let dash = || "–".to_string();
            if s.answered > 0 {
                let bars = vec![
                    (
                        ctx.t("survey-min"),
                        s.min.unwrap_or(0) as f64,
                        s.min.map(int).unwrap_or_else(dash),
                    ),
                    (
                        ctx.t("survey-mean"),
                        s.mean.unwrap_or(0.0),
                        mean.clone().unwrap_or_else(dash),
                    ),
                    (
                        ctx.t("survey-max"),
                        s.max.unwrap_or(0) as f64,
                        s.max.map(int).unwrap_or_else(dash),
                    ),
                ];
                v.svg = bar_chart(&chart_id, &q.text, &bars, None);
            }
            v.headers = vec![ctx.t("survey-col-figure"), ctx.t("survey-col-value")];
            v.rows = vec![
                vec![ctx.t("survey-count"), int(s.answered)],
                vec![ctx.t("survey-mean"), mean.unwrap_or_else(dash)],
                vec![ctx.t("survey-min"), s.min.map(int).unwrap_or_else(dash)],
                vec![ctx.t("survey-max"), s.max.map(int).unwrap_or_else(dash)],
            ];
        }
        QuestionKind::Freitext => {
            v.headers = vec![ctx.t("survey-col-figure"), ctx.t("survey-col-value")];
            v.rows = vec![vec![ctx.t("survey-count"), int(s.answered)]];
            v.note = ctx.t("survey-note-texts");
        }
    }
    v
}

/// The results as one table for CSV/XLSX: one row per question and option (value, figure) with the count,
/// the share and the value (mean, average rank). German, numbers with a decimal comma. Free texts only for
/// editors.
pub async fn result_table(
    state: &AppState,
    f: &Format,
) -> Result<(Vec<String>, Vec<Vec<String>>), AppError> {
    let lang = Lang::De;
    let (_, items) = summaries(state, f.p.id).await?;
    let texts = if f.city.can_edit {
        store::surveys::all_texts(&state.db, f.p.id).await?
    } else {
        vec![]
    };
    let header = [
        "Nr.",
        "Frage",
        "Fragetyp",
        "Antwort",
        "Anzahl",
        "Anteil (%)",
        "Wert",
    ]
    .map(String::from)
    .to_vec();
    let mut rows = Vec::new();
    let dec = |v: Option<f64>, p: usize| v.map(|v| decimal(lang, v, p)).unwrap_or_default();
    for (i, (q, s)) in items.iter().enumerate() {
        let kind = lang.t(&format!("survey-kind-{}", q.kind.as_str()));
        let mut row = |answer: String, count: String, share: String, value: String| {
            rows.push(vec![
                (i + 1).to_string(),
                q.text.clone(),
                kind.clone(),
                answer,
                count,
                share,
                value,
            ]);
        };
        match q.kind {
            QuestionKind::Einfach | QuestionKind::Mehrfach | QuestionKind::Skala => {
                for r in &s.rows {
                    row(
                        r.label.clone(),
                        r.count.to_string(),
                        dec(r.percent, 1),
                        String::new(),
                    );
                }
                row(
                    "beantwortet".into(),
                    s.answered.to_string(),
                    String::new(),
                    String::new(),
                );
                if q.kind == QuestionKind::Skala {
                    row(
                        "Mittelwert".into(),
                        String::new(),
                        String::new(),
                        dec(s.mean, 2),
                    );
                }
            }
            QuestionKind::Rangfolge => {
                for r in &s.rows {
                    row(
                        r.label.clone(),
                        r.count.to_string(),
                        String::new(),
                        dec(r.average_rank, 2),
                    );
                }
            }
            QuestionKind::Zahl => {
                let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
                row(
                    "beantwortet".into(),
                    s.answered.to_string(),
                    String::new(),
                    String::new(),
                );
                row(
                    "Mittelwert".into(),
                    String::new(),
                    String::new(),
                    dec(s.mean, 2),
                );
                row("Minimum".into(), String::new(), String::new(), opt(s.min));
                row("Maximum".into(), String::new(), String::new(), opt(s.max));
            }
            QuestionKind::Freitext => {
                row(
                    "beantwortet".into(),
                    s.answered.to_string(),
                    String::new(),
                    String::new(),
                );
                for (_, t) in texts.iter().filter(|(qid, _)| *qid == q.id) {
                    row("Freitext".into(), String::new(), String::new(), t.clone());
                }
            }
        }
    }
    Ok((header, rows))
}
