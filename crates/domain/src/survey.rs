//! Surveys (Umfrage): question definitions as editors type them, the participant's form parsed into answers
//! (conditions, required questions, ranges, rankings), the count changes one response makes, and the
//! summaries the results page shows from those counts. No I/O.
//!
//! Form names: a question `q{id}` (radio value, repeated checkbox values, scale value, number, text); a
//! ranking `q{id}-{option}` per option with its rank. Options are numbered from 0 in the order typed.

use crate::FieldErrors;
use crate::validation::required_text;
use crate::values::optional_text;
use serde::Serialize;
use std::collections::HashMap;

/// Most questions in one survey.
pub const MAX_QUESTIONS: usize = 60;
/// Most options of a single- or multiple-choice question.
pub const MAX_OPTIONS: usize = 20;
/// Most options of a ranking question (every option must be ranked).
pub const MAX_RANKING_OPTIONS: usize = 10;
/// Steps of a Likert scale (values 1..=scale).
pub const SCALE_STEPS: std::ops::RangeInclusive<i64> = 3..=10;
/// Numbers are whole numbers within ±10^12 (so a million sums still fit into 64 bits).
pub const NUMBER_LIMIT: i64 = 1_000_000_000_000;
/// Longest free-text answer an editor may allow, and the default.
pub const TEXT_LIMIT: i64 = 5_000;
pub const TEXT_DEFAULT: i64 = 1_000;
/// The count slot that holds how many people answered a question (numbers: also sum, min, max).
pub const ANSWERED: i64 = -1;

/// The kinds of question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    /// One option (radio buttons).
    Einfach,
    /// Any number of options (checkboxes).
    Mehrfach,
    /// A Likert scale 1..=n with labels at both ends.
    Skala,
    /// Every option gets a distinct rank 1..=n.
    Rangfolge,
    /// A whole number, optionally within bounds.
    Zahl,
    /// Free text up to a length.
    Freitext,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 6] = [
        QuestionKind::Einfach,
        QuestionKind::Mehrfach,
        QuestionKind::Skala,
        QuestionKind::Rangfolge,
        QuestionKind::Zahl,
        QuestionKind::Freitext,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Einfach => "einfach",
            QuestionKind::Mehrfach => "mehrfach",
            QuestionKind::Skala => "skala",
            QuestionKind::Rangfolge => "rangfolge",
            QuestionKind::Zahl => "zahl",
            QuestionKind::Freitext => "freitext",
        }
    }

    pub fn parse(s: &str) -> Option<QuestionKind> {
        QuestionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Questions whose answers can be the condition of a later question.
    pub fn is_choice(self) -> bool {
        matches!(self, QuestionKind::Einfach | QuestionKind::Mehrfach)
    }

    fn has_options(self) -> bool {
        matches!(
            self,
            QuestionKind::Einfach | QuestionKind::Mehrfach | QuestionKind::Rangfolge
        )
    }
}

/// "Show this question only if question `question_id` was answered with option `option`."
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Condition {
    pub question_id: i64,
    pub option: usize,
}

/// A question as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: i64,
    pub kind: QuestionKind,
    pub text: String,
    pub help: String,
    pub required: bool,
    /// Choice and ranking options, in order.
    pub options: Vec<String>,
    /// Likert steps (values 1..=scale); 0 for other kinds.
    pub scale: i64,
    pub low_label: String,
    pub high_label: String,
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// Free text: most characters.
    pub max_length: i64,
    pub condition: Option<Condition>,
}

/// The count slots a question has from the start (so results show zeros): answered, and one per option or
/// scale value.
fn slots(kind: QuestionKind, options: usize, scale: i64) -> Vec<i64> {
    let mut s = vec![ANSWERED];
    match kind {
        QuestionKind::Einfach | QuestionKind::Mehrfach | QuestionKind::Rangfolge => {
            s.extend(0..options as i64)
        }
        QuestionKind::Skala => s.extend(1..=scale),
        QuestionKind::Zahl | QuestionKind::Freitext => {}
    }
    s
}

impl Question {
    /// The count slots of this question (see [`QuestionDraft::slots`]).
    pub fn slots(&self) -> Vec<i64> {
        slots(self.kind, self.options.len(), self.scale)
    }
}

// ---------------------------------------------------------------------------------------------------------
// Defining questions

/// The add-question form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct QuestionInput {
    pub survey_kind: String,
    pub survey_text: String,
    pub survey_help: String,
    /// One option per line.
    pub survey_options: String,
    pub survey_scale: String,
    pub survey_low: String,
    pub survey_high: String,
    pub survey_min: String,
    pub survey_max: String,
    pub survey_max_length: String,
    pub survey_required: String,
    /// `""` or `"{question id}:{option}"`.
    pub survey_condition: String,
}

/// A validated new question (what is irrelevant for its kind is left empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionDraft {
    pub kind: QuestionKind,
    pub text: String,
    pub help: String,
    pub required: bool,
    pub options: Vec<String>,
    pub scale: i64,
    pub low_label: String,
    pub high_label: String,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub max_length: i64,
    pub condition: Option<Condition>,
}

impl QuestionDraft {
    /// The count slots created with the question (so results show zeros): [`ANSWERED`], and one per option
    /// or scale value.
    pub fn slots(&self) -> Vec<i64> {
        slots(self.kind, self.options.len(), self.scale)
    }
}

fn bound(raw: &str) -> Result<Option<i64>, &'static str> {
    match raw.trim() {
        "" => Ok(None),
        t => match parse_int(t) {
            Some(n) => Ok(Some(n)),
            None => Err("err-survey-bound"),
        },
    }
}

/// A whole number within ±[`NUMBER_LIMIT`]; `+`, `-` and spaces as thousands separators are accepted.
pub fn parse_int(raw: &str) -> Option<i64> {
    let t: String = raw.trim().chars().filter(|c| *c != ' ').collect();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(&t);
    if digits.is_empty() || digits.len() > 13 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = t.parse().ok()?;
    (n.abs() <= NUMBER_LIMIT).then_some(n)
}

/// `"{question id}:{option}"` of a condition select.
pub fn parse_condition(raw: &str) -> Option<(i64, usize)> {
    let (q, o) = raw.trim().split_once(':')?;
    Some((q.parse().ok()?, o.parse().ok()?))
}

impl QuestionInput {
    /// Validate against the survey's `existing` questions (conditions may only name one of them).
    pub fn parse(&self, existing: &[Question]) -> Result<QuestionDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = QuestionKind::parse(self.survey_kind.trim());
        if kind.is_none() {
            e.push("survey_kind", "err-survey-kind");
        }
        let text = e.take("survey_text", required_text(&self.survey_text, 500));
        if existing.len() >= MAX_QUESTIONS {
            e.push("survey_text", "err-survey-too-many");
        }
        let help = e.take("survey_help", optional_text(&self.survey_help, 1_000));
        let mut draft = QuestionDraft {
            kind: kind.unwrap_or(QuestionKind::Einfach),
            text: text.unwrap_or_default(),
            help: help.unwrap_or_default(),
            required: matches!(self.survey_required.as_str(), "on" | "1" | "true"),
            options: vec![],
            scale: 0,
            low_label: String::new(),
            high_label: String::new(),
            min: None,
            max: None,
            max_length: 0,
            condition: None,
        };
        match kind {
            Some(k) if k.has_options() => {
                let max = if k == QuestionKind::Rangfolge {
                    MAX_RANKING_OPTIONS
                } else {
                    MAX_OPTIONS
                };
                if let Some(o) = e.take("survey_options", options(&self.survey_options, max)) {
                    draft.options = o;
                }
            }
            Some(QuestionKind::Skala) => {
                match self.survey_scale.trim().parse::<i64>() {
                    Ok(n) if SCALE_STEPS.contains(&n) => draft.scale = n,
                    _ => e.push("survey_scale", "err-survey-scale"),
                }
                if let Some(l) = e.take("survey_low", optional_text(&self.survey_low, 100)) {
                    draft.low_label = l.replace('\n', " ");
                }
                if let Some(h) = e.take("survey_high", optional_text(&self.survey_high, 100)) {
                    draft.high_label = h.replace('\n', " ");
                }
            }
            Some(QuestionKind::Zahl) => {
                let min = e.take("survey_min", bound(&self.survey_min));
                let max = e.take("survey_max", bound(&self.survey_max));
                if let (Some(Some(a)), Some(Some(b))) = (min, max)
                    && a > b
                {
                    e.push("survey_max", "err-survey-bounds-order");
                }
                draft.min = min.flatten();
                draft.max = max.flatten();
            }
            Some(QuestionKind::Freitext) => match self.survey_max_length.trim() {
                "" => draft.max_length = TEXT_DEFAULT,
                t => match t.parse::<i64>() {
                    Ok(n) if (1..=TEXT_LIMIT).contains(&n) => draft.max_length = n,
                    _ => e.push("survey_max_length", "err-survey-max-length"),
                },
            },
            _ => {}
        }
        if !self.survey_condition.trim().is_empty() {
            let found = parse_condition(&self.survey_condition).and_then(|(qid, opt)| {
                existing
                    .iter()
                    .find(|q| q.id == qid && q.kind.is_choice() && opt < q.options.len())
                    .map(|_| Condition {
                        question_id: qid,
                        option: opt,
                    })
            });
            match found {
                Some(c) => draft.condition = Some(c),
                None => e.push("survey_condition", "err-survey-condition"),
            }
        }
        if e.is_empty() { Ok(draft) } else { Err(e) }
    }
}

fn options(raw: &str, max: usize) -> Result<Vec<String>, &'static str> {
    let mut out: Vec<String> = Vec::new();
    for line in raw.lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 200 {
            return Err("err-survey-option-long");
        }
        if t.chars().any(|c| c.is_control()) {
            return Err("err-control-chars");
        }
        if out.iter().any(|o| o.to_lowercase() == t.to_lowercase()) {
            return Err("err-survey-options-duplicate");
        }
        out.push(t.to_string());
    }
    if out.len() < 2 {
        Err("err-survey-options-few")
    } else if out.len() > max {
        Err("err-survey-options-many")
    } else {
        Ok(out)
    }
}

/// Question ids in their order after moving `id` one place up or down. `Ok(None)` when it is already
/// first/last; `Err` when the move would put a question above the question its condition names.
pub fn moved(questions: &[Question], id: i64, up: bool) -> Result<Option<Vec<i64>>, &'static str> {
    let Some(i) = questions.iter().position(|q| q.id == id) else {
        return Err("err-survey-unknown-question");
    };
    let j = match (up, i) {
        (true, 0) => return Ok(None),
        (true, i) => i - 1,
        (false, i) if i + 1 >= questions.len() => return Ok(None),
        (false, i) => i + 1,
    };
    // After the swap the earlier one is `questions[max(i,j)]`: it must not depend on the other.
    let (first, second) = if i < j {
        (&questions[i], &questions[j])
    } else {
        (&questions[j], &questions[i])
    };
    if second.condition.is_some_and(|c| c.question_id == first.id) {
        return Err("err-survey-move-condition");
    }
    let mut ids: Vec<i64> = questions.iter().map(|q| q.id).collect();
    ids.swap(i, j);
    Ok(Some(ids))
}

/// Whether a question may be deleted: no other question's condition names it.
pub fn deletable(questions: &[Question], id: i64) -> Result<(), &'static str> {
    if questions
        .iter()
        .any(|q| q.condition.is_some_and(|c| c.question_id == id))
    {
        Err("err-survey-delete-referenced")
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------------------
// Answering

/// One accepted answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Answer {
    Single(usize),
    /// Chosen options, ascending.
    Multiple(Vec<usize>),
    Scale(i64),
    /// The rank (1 = first) of each option, in option order: a permutation of 1..=n.
    Ranking(Vec<i64>),
    Number(i64),
    Text(String),
}

impl Answer {
    /// The stored form: `2`, `0,3`, `4`, `2,1,3`, `-17`, or the text.
    pub fn encode(&self) -> String {
        let list = |v: &mut dyn Iterator<Item = String>| v.collect::<Vec<_>>().join(",");
        match self {
            Answer::Single(o) => o.to_string(),
            Answer::Multiple(os) => list(&mut os.iter().map(|o| o.to_string())),
            Answer::Scale(v) | Answer::Number(v) => v.to_string(),
            Answer::Ranking(rs) => list(&mut rs.iter().map(|r| r.to_string())),
            Answer::Text(t) => t.clone(),
        }
    }

    /// Read a stored answer back (`None` when it does not fit the question any more).
    pub fn decode(q: &Question, raw: &str) -> Option<Answer> {
        let ints = || -> Option<Vec<i64>> { raw.split(',').map(|p| p.parse().ok()).collect() };
        let n = q.options.len();
        match q.kind {
            QuestionKind::Einfach => raw.parse().ok().filter(|o| *o < n).map(Answer::Single),
            QuestionKind::Mehrfach => {
                let os: Vec<usize> = raw
                    .split(',')
                    .map(|p| p.parse().ok())
                    .collect::<Option<_>>()?;
                os.iter().all(|o| *o < n).then_some(Answer::Multiple(os))
            }
            QuestionKind::Skala => raw.parse().ok().map(Answer::Scale),
            QuestionKind::Rangfolge => ints().filter(|r| r.len() == n).map(Answer::Ranking),
            QuestionKind::Zahl => raw.parse().ok().map(Answer::Number),
            QuestionKind::Freitext => Some(Answer::Text(raw.to_string())),
        }
    }

    /// Whether this answer chose `option` (choice questions).
    pub fn chose(&self, option: usize) -> bool {
        match self {
            Answer::Single(o) => *o == option,
            Answer::Multiple(os) => os.contains(&option),
            _ => false,
        }
    }
}

/// A problem with the answer to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AnswerError {
    pub question_id: i64,
    /// Message key (`err-survey-…`); the message may use the question's `min`, `max` and `n`.
    pub code: &'static str,
}

/// Whether each question is asked, given the answers to the earlier ones: a question with a condition only
/// when the condition's question is asked and was answered with the option.
pub fn asked(q: &Question, answers: &HashMap<i64, Answer>) -> bool {
    match q.condition {
        None => true,
        Some(c) => answers
            .get(&c.question_id)
            .is_some_and(|a| a.chose(c.option)),
    }
}

/// Parse a submitted form (name, value pairs) into answers, in question order. Answers to questions whose
/// condition is not met are ignored (neither checked nor kept); required questions must be answered only
/// when asked. An entirely empty response is refused on the first question.
pub fn parse_answers(
    questions: &[Question],
    form: &[(String, String)],
) -> Result<Vec<(i64, Answer)>, Vec<AnswerError>> {
    let mut accepted: HashMap<i64, Answer> = HashMap::new();
    let mut out: Vec<(i64, Answer)> = Vec::new();
    let mut errors: Vec<AnswerError> = Vec::new();
    for q in questions {
        if !asked(q, &accepted) {
            continue;
        }
        match answer_of(q, form) {
            Ok(Some(a)) => {
                accepted.insert(q.id, a.clone());
                out.push((q.id, a));
            }
            Ok(None) if q.required => errors.push(AnswerError {
                question_id: q.id,
                code: "err-survey-required",
            }),
            Ok(None) => {}
            Err(code) => errors.push(AnswerError {
                question_id: q.id,
                code,
            }),
        }
    }
    if errors.is_empty()
        && out.is_empty()
        && let Some(first) = questions.first()
    {
        errors.push(AnswerError {
            question_id: first.id,
            code: "err-survey-empty",
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The non-empty values sent for `name`.
fn values<'a>(form: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    form.iter()
        .filter(|(n, v)| n == name && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
        .collect()
}

fn answer_of(q: &Question, form: &[(String, String)]) -> Result<Option<Answer>, &'static str> {
    let name = format!("q{}", q.id);
    let vals = values(form, &name);
    let n = q.options.len();
    let option = |v: &str| v.parse::<usize>().ok().filter(|o| *o < n);
    match q.kind {
        QuestionKind::Einfach => match vals.as_slice() {
            [] => Ok(None),
            [v] => option(v)
                .map(|o| Some(Answer::Single(o)))
                .ok_or("err-survey-choice"),
            _ => Err("err-survey-choice"),
        },
        QuestionKind::Mehrfach => {
            let mut os = Vec::new();
            for v in vals {
                let o = option(v).ok_or("err-survey-choice")?;
                if !os.contains(&o) {
                    os.push(o);
                }
            }
            os.sort_unstable();
            Ok((!os.is_empty()).then_some(Answer::Multiple(os)))
        }
        QuestionKind::Skala => match vals.as_slice() {
            [] => Ok(None),
            [v] => v
                .parse::<i64>()
                .ok()
                .filter(|s| (1..=q.scale).contains(s))
                .map(|s| Some(Answer::Scale(s)))
                .ok_or("err-survey-scale-value"),
            _ => Err("err-survey-scale-value"),
        },
        QuestionKind::Rangfolge => {
            let ranks: Vec<Vec<&str>> = (0..n)
                .map(|i| values(form, &format!("{name}-{i}")))
                .collect();
            if ranks.iter().all(|r| r.is_empty()) {
                return Ok(None);
            }
            let mut out = Vec::with_capacity(n);
            for r in &ranks {
                match r.as_slice() {
                    [v] => match v.parse::<i64>() {
                        Ok(k) if (1..=n as i64).contains(&k) && !out.contains(&k) => out.push(k),
                        _ => return Err("err-survey-ranking"),
                    },
                    _ => return Err("err-survey-ranking"),
                }
            }
            Ok(Some(Answer::Ranking(out)))
        }
        QuestionKind::Zahl => match vals.as_slice() {
            [] => Ok(None),
            [v] => {
                let x = parse_int(v).ok_or("err-survey-number")?;
                match (q.min, q.max) {
                    (Some(a), Some(b)) if x < a || x > b => Err("err-survey-number-range"),
                    (Some(a), None) if x < a => Err("err-survey-number-min"),
                    (None, Some(b)) if x > b => Err("err-survey-number-max"),
                    _ => Ok(Some(Answer::Number(x))),
                }
            }
            _ => Err("err-survey-number"),
        },
        QuestionKind::Freitext => {
            let raw = form
                .iter()
                .filter(|(k, _)| *k == name)
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>();
            match raw.as_slice() {
                [] => Ok(None),
                [v] => {
                    let t = optional_text(v, usize::MAX).map_err(|_| "err-survey-text-chars")?;
                    if t.is_empty() {
                        Ok(None)
                    } else if t.chars().count() as i64 > q.max_length {
                        Err("err-survey-text-long")
                    } else {
                        Ok(Some(Answer::Text(t)))
                    }
                }
                _ => Err("err-survey-text-chars"),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Counting

/// One change to the maintained counts: `n` more in `slot` (option, scale value or [`ANSWERED`]), `total`
/// more in its sum (ranking: ranks; number: values), `value` for the minimum and maximum (numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountDelta {
    pub question_id: i64,
    pub slot: i64,
    pub n: i64,
    pub total: i64,
    pub value: Option<i64>,
}

/// The count changes of one response, ordered by question and slot (one lock order for every writer).
pub fn count_deltas(answers: &[(i64, Answer)]) -> Vec<CountDelta> {
    let mut out = Vec::new();
    for (qid, a) in answers {
        let d = |slot: i64, total: i64, value: Option<i64>| CountDelta {
            question_id: *qid,
            slot,
            n: 1,
            total,
            value,
        };
        match a {
            Answer::Number(v) => out.push(d(ANSWERED, *v, Some(*v))),
            _ => out.push(d(ANSWERED, 0, None)),
        }
        match a {
            Answer::Single(o) => out.push(d(*o as i64, 0, None)),
            Answer::Multiple(os) => out.extend(os.iter().map(|o| d(*o as i64, 0, None))),
            Answer::Scale(v) => out.push(d(*v, 0, None)),
            Answer::Ranking(rs) => {
                out.extend(rs.iter().enumerate().map(|(i, r)| d(i as i64, *r, None)))
            }
            Answer::Number(_) | Answer::Text(_) => {}
        }
    }
    out.sort_by_key(|c| (c.question_id, c.slot));
    out
}

/// A maintained count row of one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Count {
    pub slot: i64,
    pub n: i64,
    pub total: i64,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// One row of a question's result: label (option text or scale value), count, share of those who answered
/// (%), and for rankings the average rank.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultRow {
    pub label: String,
    pub count: i64,
    pub percent: Option<f64>,
    pub average_rank: Option<f64>,
}

/// What the results page shows of one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// People who answered the question.
    pub answered: i64,
    /// Choice and scale: one row per option / value in order; ranking: options by average rank (best first).
    pub rows: Vec<ResultRow>,
    /// Scale and number: the mean.
    pub mean: Option<f64>,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// Summarise a question from its count rows (any order; missing slots count 0).
pub fn summarise(q: &Question, counts: &[Count]) -> Summary {
    let slot = |s: i64| {
        counts
            .iter()
            .find(|c| c.slot == s)
            .copied()
            .unwrap_or_default()
    };
    let all = slot(ANSWERED);
    let answered = all.n;
    let pct = |n: i64| (answered > 0).then(|| n as f64 * 100.0 / answered as f64);
    let mut s = Summary {
        answered,
        rows: vec![],
        mean: None,
        min: None,
        max: None,
    };
    match q.kind {
        QuestionKind::Einfach | QuestionKind::Mehrfach => {
            s.rows = q
                .options
                .iter()
                .enumerate()
                .map(|(i, label)| {
                    let n = slot(i as i64).n;
                    ResultRow {
                        label: label.clone(),
                        count: n,
                        percent: pct(n),
                        average_rank: None,
                    }
                })
                .collect();
        }
        QuestionKind::Skala => {
            let mut sum = 0i64;
            s.rows = (1..=q.scale)
                .map(|v| {
                    let n = slot(v).n;
                    sum += n * v;
                    ResultRow {
                        label: v.to_string(),
                        count: n,
                        percent: pct(n),
                        average_rank: None,
                    }
                })
                .collect();
            s.mean = (answered > 0).then(|| sum as f64 / answered as f64);
        }
        QuestionKind::Rangfolge => {
            let mut rows: Vec<ResultRow> = q
                .options
                .iter()
                .enumerate()
                .map(|(i, label)| {
                    let c = slot(i as i64);
                    ResultRow {
                        label: label.clone(),
                        count: c.n,
                        percent: None,
                        average_rank: (c.n > 0).then(|| c.total as f64 / c.n as f64),
                    }
                })
                .collect();
            // Best (lowest) average first; unranked options last, in their order.
            rows.sort_by(|a, b| {
                let key = |r: &ResultRow| r.average_rank.unwrap_or(f64::INFINITY);
                key(a).total_cmp(&key(b))
            });
            s.rows = rows;
        }
        QuestionKind::Zahl => {
            s.mean = (answered > 0).then(|| all.total as f64 / answered as f64);
            s.min = all.min;
            s.max = all.max;
        }
        QuestionKind::Freitext => {}
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: i64, kind: QuestionKind) -> Question {
        Question {
            id,
            kind,
            text: format!("Frage {id}"),
            help: String::new(),
            required: false,
            options: if kind.has_options() {
                vec!["Bus".into(), "Rad".into(), "Auto".into()]
            } else {
                vec![]
            },
            scale: if kind == QuestionKind::Skala { 5 } else { 0 },
            low_label: String::new(),
            high_label: String::new(),
            min: None,
            max: None,
            max_length: if kind == QuestionKind::Freitext {
                10
            } else {
                0
            },
            condition: None,
        }
    }

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn input(kind: &str) -> QuestionInput {
        QuestionInput {
            survey_kind: kind.into(),
            survey_text: "Wie kommen Sie in die Innenstadt?".into(),
            ..Default::default()
        }
    }

    #[test]
    fn question_definitions_per_kind() {
        let mut i = input("einfach");
        i.survey_options = " Bus \n\nRad\r\nAuto\n".into();
        i.survey_required = "on".into();
        let d = i.parse(&[]).unwrap();
        assert_eq!(d.options, ["Bus", "Rad", "Auto"]);
        assert!(d.required && d.condition.is_none());

        i.survey_options = "Bus".into();
        assert_eq!(
            i.parse(&[]).unwrap_err().for_field("survey_options"),
            Some("err-survey-options-few")
        );
        i.survey_options = "Bus\nbus".into();
        assert_eq!(
            i.parse(&[]).unwrap_err().for_field("survey_options"),
            Some("err-survey-options-duplicate")
        );
        let mut r = input("rangfolge");
        r.survey_options = (1..=11).map(|k| format!("O{k}\n")).collect();
        assert_eq!(
            r.parse(&[]).unwrap_err().for_field("survey_options"),
            Some("err-survey-options-many")
        );
        r.survey_options = (1..=10).map(|k| format!("O{k}\n")).collect();
        assert_eq!(r.parse(&[]).unwrap().options.len(), 10);

        let mut s = input("skala");
        s.survey_scale = "2".into();
        assert_eq!(
            s.parse(&[]).unwrap_err().for_field("survey_scale"),
            Some("err-survey-scale")
        );
        s.survey_scale = "5".into();
        s.survey_low = "gar nicht".into();
        s.survey_high = "voll".into();
        let d = s.parse(&[]).unwrap();
        assert_eq!((d.scale, d.low_label.as_str()), (5, "gar nicht"));

        let mut n = input("zahl");
        n.survey_min = "10".into();
        n.survey_max = "5".into();
        assert_eq!(
            n.parse(&[]).unwrap_err().for_field("survey_max"),
            Some("err-survey-bounds-order")
        );
        n.survey_max = "zwölf".into();
        assert_eq!(
            n.parse(&[]).unwrap_err().for_field("survey_max"),
            Some("err-survey-bound")
        );
        n.survey_max = "1 000".into();
        assert_eq!(n.parse(&[]).unwrap().max, Some(1000));

        let mut t = input("freitext");
        assert_eq!(t.parse(&[]).unwrap().max_length, TEXT_DEFAULT);
        t.survey_max_length = "5001".into();
        assert!(t.parse(&[]).is_err());

        let mut bad = input("lotto");
        bad.survey_text = " ".into();
        let e = bad.parse(&[]).unwrap_err();
        assert_eq!(e.for_field("survey_kind"), Some("err-survey-kind"));
        assert_eq!(e.for_field("survey_text"), Some("err-required"));
    }

    #[test]
    fn conditions_name_an_option_of_an_earlier_choice_question() {
        let existing = [q(1, QuestionKind::Einfach), q(2, QuestionKind::Zahl)];
        let mut i = input("freitext");
        i.survey_condition = "1:2".into();
        assert_eq!(
            i.parse(&existing).unwrap().condition,
            Some(Condition {
                question_id: 1,
                option: 2
            })
        );
        for bad in ["1:3", "2:0", "9:0", "x"] {
            i.survey_condition = bad.into();
            assert_eq!(
                i.parse(&existing)
                    .unwrap_err()
                    .for_field("survey_condition"),
                Some("err-survey-condition"),
                "{bad}"
            );
        }
        let many: Vec<Question> = (0..MAX_QUESTIONS as i64)
            .map(|k| q(k, QuestionKind::Zahl))
            .collect();
        assert_eq!(
            input("zahl")
                .parse(&many)
                .unwrap_err()
                .for_field("survey_text"),
            Some("err-survey-too-many")
        );
    }

    #[test]
    fn moving_and_deleting_respect_conditions() {
        let mut b = q(2, QuestionKind::Freitext);
        b.condition = Some(Condition {
            question_id: 1,
            option: 0,
        });
        let qs = [q(1, QuestionKind::Einfach), b, q(3, QuestionKind::Zahl)];
        assert_eq!(moved(&qs, 1, true), Ok(None));
        assert_eq!(moved(&qs, 3, false), Ok(None));
        assert_eq!(moved(&qs, 2, true), Err("err-survey-move-condition"));
        assert_eq!(moved(&qs, 1, false), Err("err-survey-move-condition"));
        assert_eq!(moved(&qs, 3, true), Ok(Some(vec![1, 3, 2])));
        assert_eq!(moved(&qs, 2, false), Ok(Some(vec![1, 3, 2])));
        assert_eq!(moved(&qs, 7, false), Err("err-survey-unknown-question"));
        assert_eq!(deletable(&qs, 1), Err("err-survey-delete-referenced"));
        assert_eq!(deletable(&qs, 2), Ok(()));
    }

    fn codes(r: Result<Vec<(i64, Answer)>, Vec<AnswerError>>) -> Vec<(i64, &'static str)> {
        r.unwrap_err()
            .into_iter()
            .map(|e| (e.question_id, e.code))
            .collect()
    }

    #[test]
    fn every_kind_parses_and_refuses_bad_input() {
        let mut num = q(5, QuestionKind::Zahl);
        num.min = Some(0);
        num.max = Some(120);
        let qs = [
            q(1, QuestionKind::Einfach),
            q(2, QuestionKind::Mehrfach),
            q(3, QuestionKind::Skala),
            q(4, QuestionKind::Rangfolge),
            num,
            q(6, QuestionKind::Freitext),
        ];
        let good = form(&[
            ("q1", "2"),
            ("q2", "2"),
            ("q2", "0"),
            ("q2", "2"),
            ("q3", "5"),
            ("q4-0", "3"),
            ("q4-1", "1"),
            ("q4-2", "2"),
            ("q5", " 42 "),
            ("q6", " Mehr Bänke\r\n "),
            ("q99", "ignored"),
        ]);
        let a = parse_answers(&qs, &good).unwrap();
        assert_eq!(
            a,
            vec![
                (1, Answer::Single(2)),
                (2, Answer::Multiple(vec![0, 2])),
                (3, Answer::Scale(5)),
                (4, Answer::Ranking(vec![3, 1, 2])),
                (5, Answer::Number(42)),
                (6, Answer::Text("Mehr Bänke".into())),
            ]
        );
        for (qid, ans) in &a {
            let q = qs.iter().find(|q| q.id == *qid).unwrap();
            assert_eq!(Answer::decode(q, &ans.encode()).as_ref(), Some(ans));
        }
        let bad = form(&[
            ("q1", "3"),
            ("q2", "0"),
            ("q2", "x"),
            ("q3", "6"),
            ("q4-0", "1"),
            ("q4-1", "1"),
            ("q4-2", "2"),
            ("q5", "121"),
            ("q6", "elf Zeichen"),
        ]);
        assert_eq!(
            codes(parse_answers(&qs, &bad)),
            [
                (1, "err-survey-choice"),
                (2, "err-survey-choice"),
                (3, "err-survey-scale-value"),
                (4, "err-survey-ranking"),
                (5, "err-survey-number-range"),
                (6, "err-survey-text-long"),
            ]
        );
        let more_bad = form(&[
            ("q1", "0"),
            ("q1", "1"),
            ("q3", "0"),
            ("q4-0", "1"),
            ("q5", "4,5"),
            ("q6", "a\u{7}b"),
        ]);
        assert_eq!(
            codes(parse_answers(&qs, &more_bad)),
            [
                (1, "err-survey-choice"),
                (3, "err-survey-scale-value"),
                (4, "err-survey-ranking"),
                (5, "err-survey-number"),
                (6, "err-survey-text-chars"),
            ]
        );
        // Nothing at all is refused; one answer is enough when nothing is required.
        assert_eq!(codes(parse_answers(&qs, &[])), [(1, "err-survey-empty")]);
        assert_eq!(parse_answers(&qs, &form(&[("q3", "1")])).unwrap().len(), 1);
    }

    #[test]
    fn numbers_with_one_bound() {
        let mut n = q(1, QuestionKind::Zahl);
        n.min = Some(-5);
        let qs = [n.clone()];
        assert_eq!(
            codes(parse_answers(&qs, &form(&[("q1", "-6")]))),
            [(1, "err-survey-number-min")]
        );
        assert!(parse_answers(&qs, &form(&[("q1", "+1000000")])).is_ok());
        n.min = None;
        n.max = Some(10);
        assert_eq!(
            codes(parse_answers(&[n], &form(&[("q1", "11")]))),
            [(1, "err-survey-number-max")]
        );
        assert_eq!(parse_int("10000000000000"), None);
        assert_eq!(parse_int("-1 000"), Some(-1000));
        assert_eq!(parse_int("1.5"), None);
    }

    #[test]
    fn conditions_decide_what_is_asked_and_required() {
        let a = q(1, QuestionKind::Einfach);
        let mut b = q(2, QuestionKind::Freitext);
        b.required = true;
        b.condition = Some(Condition {
            question_id: 1,
            option: 1,
        });
        let mut c = q(3, QuestionKind::Zahl);
        c.condition = Some(Condition {
            question_id: 2,
            option: 0,
        });
        let qs = [a, b, c];
        // A = "Rad" (option 1): B is asked and required.
        assert_eq!(
            codes(parse_answers(&qs, &form(&[("q1", "1")]))),
            [(2, "err-survey-required")]
        );
        assert_eq!(
            parse_answers(&qs, &form(&[("q1", "1"), ("q2", "Radweg")])).unwrap(),
            vec![(1, Answer::Single(1)), (2, Answer::Text("Radweg".into()))]
        );
        // A = "Bus": B is not asked; its answer (even an invalid one) is ignored.
        assert_eq!(
            parse_answers(&qs, &form(&[("q1", "0"), ("q2", "viel zu lang für zehn")])).unwrap(),
            vec![(1, Answer::Single(0))]
        );
        // A condition on a non-choice answer never holds; a chain stops where a link is not asked.
        assert_eq!(
            parse_answers(&qs, &form(&[("q1", "0"), ("q3", "5")])).unwrap(),
            vec![(1, Answer::Single(0))]
        );
        let mut multi = q(1, QuestionKind::Mehrfach);
        multi.required = true;
        let mut dep = q(2, QuestionKind::Zahl);
        dep.condition = Some(Condition {
            question_id: 1,
            option: 2,
        });
        let qs = [multi, dep];
        assert_eq!(
            parse_answers(&qs, &form(&[("q1", "0"), ("q1", "2"), ("q2", "7")])).unwrap(),
            vec![(1, Answer::Multiple(vec![0, 2])), (2, Answer::Number(7))]
        );
        assert_eq!(
            codes(parse_answers(&qs, &form(&[("q2", "7")]))),
            [(1, "err-survey-required")]
        );
    }

    #[test]
    fn counts_and_summaries() {
        let qs = [
            q(1, QuestionKind::Einfach),
            q(2, QuestionKind::Mehrfach),
            q(3, QuestionKind::Skala),
            q(4, QuestionKind::Rangfolge),
            q(5, QuestionKind::Zahl),
            q(6, QuestionKind::Freitext),
        ];
        let responses = [
            vec![
                (1, Answer::Single(0)),
                (2, Answer::Multiple(vec![0, 1])),
                (3, Answer::Scale(5)),
                (4, Answer::Ranking(vec![1, 2, 3])),
                (5, Answer::Number(10)),
                (6, Answer::Text("a".into())),
            ],
            vec![
                (1, Answer::Single(0)),
                (2, Answer::Multiple(vec![1])),
                (3, Answer::Scale(2)),
                (4, Answer::Ranking(vec![3, 1, 2])),
                (5, Answer::Number(-4)),
            ],
            vec![(1, Answer::Single(2)), (3, Answer::Scale(2))],
        ];
        // Apply the deltas the way the store does.
        let mut counts: HashMap<(i64, i64), Count> = HashMap::new();
        for r in &responses {
            let d = count_deltas(r);
            assert!(
                d.windows(2)
                    .all(|w| (w[0].question_id, w[0].slot) < (w[1].question_id, w[1].slot))
            );
            for c in d {
                let e = counts.entry((c.question_id, c.slot)).or_insert(Count {
                    slot: c.slot,
                    ..Default::default()
                });
                e.n += c.n;
                e.total += c.total;
                if let Some(v) = c.value {
                    e.min = Some(e.min.map_or(v, |m| m.min(v)));
                    e.max = Some(e.max.map_or(v, |m| m.max(v)));
                }
            }
        }
        let of = |qid: i64| -> Vec<Count> {
            counts
                .iter()
                .filter(|((q, _), _)| *q == qid)
                .map(|(_, c)| *c)
                .collect()
        };
        let s = summarise(&qs[0], &of(1));
        assert_eq!(s.answered, 3);
        assert_eq!(
            s.rows.iter().map(|r| r.count).collect::<Vec<_>>(),
            [2, 0, 1]
        );
        assert!((s.rows[0].percent.unwrap() - 66.666).abs() < 0.01);
        let s = summarise(&qs[1], &of(2));
        assert_eq!(
            (s.answered, s.rows[1].count, s.rows[1].percent),
            (2, 2, Some(100.0))
        );
        let s = summarise(&qs[2], &of(3));
        assert_eq!(
            s.rows.iter().map(|r| r.count).collect::<Vec<_>>(),
            [0, 2, 0, 0, 1]
        );
        assert_eq!(s.mean, Some(3.0));
        let s = summarise(&qs[3], &of(4));
        // Rad: ranks 2 and 1 → 1.5; Bus: 1 and 3 → 2; Auto: 3 and 2 → 2.5.
        assert_eq!(
            s.rows
                .iter()
                .map(|r| (r.label.as_str(), r.average_rank.unwrap()))
                .collect::<Vec<_>>(),
            [("Rad", 1.5), ("Bus", 2.0), ("Auto", 2.5)]
        );
        let s = summarise(&qs[4], &of(5));
        assert_eq!(
            (s.answered, s.mean, s.min, s.max),
            (2, Some(3.0), Some(-4), Some(10))
        );
        assert_eq!(summarise(&qs[5], &of(6)).answered, 1);
        // No answers: zeros, no percentages, no means.
        let s = summarise(&qs[2], &[]);
        assert_eq!((s.answered, s.mean, s.rows[0].percent), (0, None, None));
        assert_eq!(qs[2].slots(), [ANSWERED, 1, 2, 3, 4, 5]);
        assert_eq!(qs[3].slots(), [ANSWERED, 0, 1, 2]);
        assert_eq!(qs[4].slots(), [ANSWERED]);
    }
}
