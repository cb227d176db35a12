//! The survey's part of the format page: the editor panel (questions with move and delete, the add form),
//! the questionnaire as one form for participants, or the answers of someone who took part.

use super::super::Format;
use super::answer_text;
use crate::ctx::RequestCtx;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::FormView;
use askama::Template;
use domain::participation::Phase;
use domain::survey::{Answer, Question, QuestionKind};

/// One option, scale value or ranking row of a question in the form.
pub struct OptView {
    pub input_id: String,
    pub name: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
    /// Ranking: the rank entered for this option.
    pub rank: String,
}

/// A question as the form shows it (and the editor list describes it).
pub struct QView {
    pub id: i64,
    pub number: usize,
    pub kind: &'static str,
    pub kind_label: String,
    pub text: String,
    pub help: String,
    pub required: bool,
    /// "Nur beantworten, wenn …", empty without condition.
    pub condition: String,
    /// The condition for the script: the field name of the earlier question and the option's value; empty
    /// without condition.
    pub when_name: String,
    pub when_value: String,
    /// Range, length or ranking instructions.
    pub hint: String,
    pub name: String,
    pub error: Option<String>,
    /// Ids of help, hint, condition and error, for `aria-describedby`.
    pub describedby: String,
    pub options: Vec<OptView>,
    pub ranks: Vec<usize>,
    pub value: String,
    pub max_length: i64,
    /// Editor list: options, scale, bounds or length in one line.
    pub details: String,
}

#[derive(Template)]
#[template(path = "participation/survey/section.html")]
struct SectionView<'a> {
    ctx: &'a RequestCtx,
    form: &'a FormView,
    answer_action: String,
    edit_action: String,
    /// `…/umfrage/fragen/` (question id and action follow).
    question_base: String,
    can_edit: bool,
    /// `answer`, `done`, `join`, `closed`, `waiting` (joined, not yet active) or `empty`.
    mode: &'static str,
    version: i64,
    responses: i64,
    questions: Vec<QView>,
    mine: Vec<(String, String)>,
    answered_at: String,
    conditions: Vec<(String, String)>,
    kinds: Vec<(&'static str, String)>,
}

pub async fn render_section(
    state: &AppState,
    ctx: &RequestCtx,
    f: &Format,
    form: &FormView,
) -> Result<String, AppError> {
    let (survey, questions) = store::surveys::questions(&state.db, f.p.id).await?;
    let mine = match &f.participant {
        Some(p) => store::surveys::mine(&state.db, p.id).await?,
        None => None,
    };
    let mode = if questions.is_empty() {
        "empty"
    } else if mine.is_some() {
        "done"
    } else if f.active_participant().is_some() {
        "answer"
    } else if f.phase != Phase::Open {
        "closed"
    } else if f.participant.is_some() {
        "waiting"
    } else {
        "join"
    };
    let mut mine_view = Vec::new();
    let mut answered_at = String::new();
    if let Some(m) = &mine {
        answered_at = crate::view::datetime(m.created_at);
        for (i, q) in questions.iter().enumerate() {
            if let Some((_, raw)) = m.answers.iter().find(|(id, _)| *id == q.id) {
                let shown = Answer::decode(q, raw)
                    .map(|a| answer_text(ctx.lang, q, &a))
                    .unwrap_or_else(|| raw.clone());
                mine_view.push((format!("{}. {}", i + 1, q.text), shown));
            }
        }
    }
    let conditions = if f.city.can_edit {
        condition_choices(ctx, &questions)
    } else {
        vec![]
    };
    let view = SectionView {
        ctx,
        form,
        answer_action: f.path("/umfrage/antworten"),
        edit_action: f.path("/umfrage/fragen"),
        question_base: f.path("/umfrage/fragen/"),
        can_edit: f.city.can_edit,
        mode,
        version: survey.version,
        responses: survey.responses,
        questions: question_views(ctx, form, &questions),
        mine: mine_view,
        answered_at,
        conditions,
        kinds: QuestionKind::ALL
            .iter()
            .map(|k| (k.as_str(), ctx.tk("survey-kind-", k.as_str())))
            .collect(),
    };
    Ok(view.render()?)
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let t: String = s.chars().take(max - 1).collect();
        format!("{}…", t.trim_end())
    }
}

/// Every option of every choice question, as the editor's condition choices (`"{id}:{option}"`).
fn condition_choices(ctx: &RequestCtx, questions: &[Question]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        if !q.kind.is_choice() {
            continue;
        }
        for (o, label) in q.options.iter().enumerate() {
            out.push((
                format!("{}:{o}", q.id),
                ctx.lang.t_args(
                    "survey-condition-choice",
                    &[
                        ("n", (i + 1).to_string()),
                        ("question", short(&q.text, 40)),
                        ("option", label.clone()),
                    ],
                ),
            ));
        }
    }
    out
}

fn number_hint(ctx: &RequestCtx, q: &Question) -> String {
    let n = |v: i64| crate::i18n::format_int(ctx.lang, v);
    match (q.min, q.max) {
        (Some(a), Some(b)) => ctx
            .lang
            .t_args("survey-hint-number-range", &[("min", n(a)), ("max", n(b))]),
        (Some(a), None) => ctx.t1("survey-hint-number-min", "min", n(a)),
        (None, Some(b)) => ctx.t1("survey-hint-number-max", "max", n(b)),
        (None, None) => ctx.t("survey-hint-number"),
    }
}

/// The message of an answer error, with the question's bounds filled in.
pub fn answer_message(ctx: &RequestCtx, q: &Question, code: &str) -> String {
    let n = |v: Option<i64>| {
        v.map(|v| crate::i18n::format_int(ctx.lang, v))
            .unwrap_or_default()
    };
    ctx.lang.t_args(
        code,
        &[
            ("min", n(q.min)),
            ("max", n(q.max)),
            ("n", q.max_length.to_string()),
        ],
    )
}

fn question_views(ctx: &RequestCtx, form: &FormView, questions: &[Question]) -> Vec<QView> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let name = format!("q{}", q.id);
            let input_id = |k: usize| {
                if k == 0 {
                    format!("f-{name}")
                } else {
                    format!("f-{name}-{k}")
                }
            };
            let condition = q
                .condition
                .and_then(|c| {
                    let n = questions.iter().position(|p| p.id == c.question_id)?;
                    let option = questions[n].options.get(c.option)?;
                    Some(ctx.lang.t_args(
                        "survey-condition-hint",
                        &[("n", (n + 1).to_string()), ("option", option.clone())],
                    ))
                })
                .unwrap_or_default();
            let (when_name, when_value) = q
                .condition
                .map(|c| (format!("q{}", c.question_id), c.option.to_string()))
                .unwrap_or_default();
            let hint = match q.kind {
                QuestionKind::Mehrfach => ctx.t("survey-hint-multiple"),
                QuestionKind::Rangfolge => ctx.t1("survey-hint-ranking", "n", q.options.len()),
                QuestionKind::Zahl => number_hint(ctx, q),
                QuestionKind::Freitext => ctx.t1("survey-hint-text", "n", q.max_length),
                QuestionKind::Einfach | QuestionKind::Skala => String::new(),
            };
            let error = form.error(&name).map(str::to_string);
            let mut describedby = Vec::new();
            for (part, present) in [
                ("help", !q.help.is_empty()),
                ("hint", !hint.is_empty()),
                ("cond", !condition.is_empty()),
                ("error", error.is_some()),
            ] {
                if present {
                    describedby.push(format!("f-{name}-{part}"));
                }
            }
            let options: Vec<OptView> = match q.kind {
                QuestionKind::Einfach | QuestionKind::Mehrfach => q
                    .options
                    .iter()
                    .enumerate()
                    .map(|(k, label)| OptView {
                        input_id: input_id(k),
                        name: name.clone(),
                        value: k.to_string(),
                        label: label.clone(),
                        checked: form.checked(&name, &k.to_string()),
                        rank: String::new(),
                    })
                    .collect(),
                QuestionKind::Skala => (1..=q.scale)
                    .map(|v| {
                        let end = if v == 1 {
                            &q.low_label
                        } else if v == q.scale {
                            &q.high_label
                        } else {
                            ""
                        };
                        OptView {
                            input_id: input_id(v as usize - 1),
                            name: name.clone(),
                            value: v.to_string(),
                            label: if end.is_empty() {
                                v.to_string()
                            } else {
                                format!("{v} – {end}")
                            },
                            checked: form.value(&name) == v.to_string(),
                            rank: String::new(),
                        }
                    })
                    .collect(),
                QuestionKind::Rangfolge => q
                    .options
                    .iter()
                    .enumerate()
                    .map(|(k, label)| {
                        let field = format!("{name}-{k}");
                        OptView {
                            input_id: input_id(k),
                            rank: form.value(&field).to_string(),
                            name: field,
                            value: k.to_string(),
                            label: label.clone(),
                            checked: false,
                        }
                    })
                    .collect(),
                QuestionKind::Zahl | QuestionKind::Freitext => vec![],
            };
            let details = match q.kind {
                QuestionKind::Einfach | QuestionKind::Mehrfach | QuestionKind::Rangfolge => {
                    q.options.join(" · ")
                }
                QuestionKind::Skala => ctx.lang.t_args(
                    "survey-details-scale",
                    &[
                        ("n", q.scale.to_string()),
                        ("low", q.low_label.clone()),
                        ("high", q.high_label.clone()),
                    ],
                ),
                QuestionKind::Zahl => number_hint(ctx, q),
                QuestionKind::Freitext => ctx.t1("survey-hint-text", "n", q.max_length),
            };
            QView {
                id: q.id,
                number: i + 1,
                kind: q.kind.as_str(),
                kind_label: ctx.tk("survey-kind-", q.kind.as_str()),
                text: q.text.clone(),
                help: q.help.clone(),
                required: q.required,
                condition,
                when_name,
                when_value,
                hint,
                value: form.value(&name).to_string(),
                name,
                error,
                describedby: describedby.join(" "),
                ranks: (1..=q.options.len()).collect(),
                options,
                max_length: q.max_length,
                details,
            }
        })
        .collect()
}
