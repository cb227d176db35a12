//! Raters: choose a group once, then rate each measure — every KO criterion yes/no and every scored
//! criterion on its scale (radio groups). Re-submitting a measure replaces the rater's earlier answers.

use super::{done, group_label, kind_label, load, push_error, refuse};
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::FormView;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum_extra::extract::CookieJar;
use domain::benefit::{RaterGroup, RatingValue};
use serde::Deserialize;
use store::StoreError;
use store::benefit::{CriterionRow, MeasureItem};

/// Why an answer was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerError {
    Missing,
    /// Not `ja`/`nein` for a KO criterion, not a whole number within the scale for a scored one.
    Invalid,
}

/// Parse one answer: `ja`/`nein` for a KO criterion, `0..=scale_max` for a scored one.
pub fn parse_answer(c: &CriterionRow, raw: &str) -> Result<RatingValue, AnswerError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(AnswerError::Missing);
    }
    if c.is_ko() {
        return match raw {
            "ja" => Ok(RatingValue::Ko(true)),
            "nein" => Ok(RatingValue::Ko(false)),
            _ => Err(AnswerError::Invalid),
        };
    }
    match raw.parse::<u8>() {
        Ok(v) if i64::from(v) <= c.scale_max => Ok(RatingValue::Score(v)),
        _ => Err(AnswerError::Invalid),
    }
}

fn stored_value(v: RatingValue) -> String {
    match v {
        RatingValue::Ko(true) => "ja".into(),
        RatingValue::Ko(false) => "nein".into(),
        RatingValue::Score(s) => s.to_string(),
    }
}

// ---- view ----

pub struct RateOption {
    pub id: String,
    pub value: String,
    pub label: String,
}

/// One criterion of a measure's rating form: a radio group.
pub struct RateField {
    /// `m{measure}_c{criterion}`: the error key and the first radio's id (`f-…`).
    pub key: String,
    /// The radio group's name inside the form, `c{criterion}`.
    pub name: String,
    pub legend: String,
    pub hint: String,
    pub options: Vec<RateOption>,
    pub selected: String,
    pub error: Option<String>,
}

impl RateField {
    /// `aria-describedby` of the fieldset: the hint and the error, if any.
    pub fn described_by(&self) -> String {
        let mut ids = vec![format!("f-{}-hint", self.key)];
        if self.error.is_some() {
            ids.push(format!("f-{}-error", self.key));
        }
        ids.join(" ")
    }
}

pub struct RateForm {
    pub measure_id: i64,
    pub title: String,
    pub rated: bool,
    pub fields: Vec<RateField>,
}

pub struct RaterView {
    pub group: Option<String>,
    /// The group form is shown until the first rating (the group may change until then).
    pub show_group_form: bool,
    pub groups: Vec<(&'static str, String, bool)>,
    pub forms: Vec<RateForm>,
    /// "Sie haben 1 von 3 Maßnahmen bewertet."
    pub progress: String,
}

pub async fn rater_view(
    state: &AppState,
    ctx: &RequestCtx,
    form: &FormView,
    participant_id: i64,
    criteria: &[CriterionRow],
    measures: &[MeasureItem],
) -> Result<RaterView, AppError> {
    let group = store::benefit::rater_group(&state.db, participant_id).await?;
    let mine = store::benefit::mine(&state.db, participant_id).await?;
    let chosen = if form.value("form") == "group" {
        form.value("benefit_group").to_string()
    } else {
        group.map(|g| g.as_str().to_string()).unwrap_or_default()
    };
    let groups = RaterGroup::ALL
        .into_iter()
        .map(|g| (g.as_str(), group_label(ctx, g), chosen == g.as_str()))
        .collect();
    let forms: Vec<RateForm> = if group.is_some() {
        measures
            .iter()
            .map(|m| rate_form(ctx, form, m, criteria, &mine))
            .collect()
    } else {
        vec![]
    };
    let rated = measures
        .iter()
        .filter(|m| mine.iter().any(|(mid, _, _)| *mid == m.id))
        .count();
    let progress = ctx.lang.t_args(
        "benefit-progress",
        &[
            ("done", rated.to_string()),
            ("total", measures.len().to_string()),
        ],
    );
    Ok(RaterView {
        group: group.map(|g| group_label(ctx, g)),
        show_group_form: mine.is_empty(),
        groups,
        forms,
        progress,
    })
}

fn rate_form(
    ctx: &RequestCtx,
    form: &FormView,
    m: &MeasureItem,
    criteria: &[CriterionRow],
    mine: &[(i64, i64, RatingValue)],
) -> RateForm {
    let kept = form.value("form") == format!("m{}", m.id);
    let fields = criteria
        .iter()
        .map(|c| {
            let key = format!("m{}_c{}", m.id, c.id);
            let selected = if kept {
                form.value(&key).to_string()
            } else {
                mine.iter()
                    .find(|(mid, cid, _)| *mid == m.id && *cid == c.id)
                    .map(|(_, _, v)| stored_value(*v))
                    .unwrap_or_default()
            };
            let values: Vec<(String, String)> = if c.is_ko() {
                vec![
                    ("ja".into(), ctx.t("benefit-ko-yes")),
                    ("nein".into(), ctx.t("benefit-ko-no")),
                ]
            } else {
                (0..=c.scale_max)
                    .map(|v| (v.to_string(), v.to_string()))
                    .collect()
            };
            let options = values
                .into_iter()
                .enumerate()
                .map(|(i, (value, label))| RateOption {
                    id: if i == 0 {
                        format!("f-{key}")
                    } else {
                        format!("f-{key}-{value}")
                    },
                    value,
                    label,
                })
                .collect();
            let hint = match c.kind.as_str() {
                "ko" => ctx.t("benefit-hint-ko"),
                "aufwand" => ctx.t1("benefit-hint-aufwand", "max", c.scale_max),
                _ => ctx.t1("benefit-hint-nutzen", "max", c.scale_max),
            };
            RateField {
                legend: format!("{} ({})", c.name, kind_label(ctx, &c.kind)),
                hint,
                name: format!("c{}", c.id),
                options,
                selected,
                error: form.error(&key).map(str::to_string),
                key,
            }
        })
        .collect();
    RateForm {
        measure_id: m.id,
        title: m.title.clone(),
        rated: mine.iter().any(|(mid, _, _)| *mid == m.id),
        fields,
    }
}

// ---- handlers ----

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct GroupForm {
    benefit_group: String,
}

/// Choose the group to rate in.
pub async fn choose_group(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(g): Form<GroupForm>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    let form = FormView::new()
        .with("form", "group")
        .with("benefit_group", &g.benefit_group);
    let Some(me) = f.active_participant().map(|p| p.id) else {
        let form = form.with_error(&ctx, "benefit_group", "err-participation-join-first");
        return refuse(&state, ctx, &headers, f, form).await;
    };
    let Some(group) = RaterGroup::parse(&g.benefit_group) else {
        let form = form.with_error(&ctx, "benefit_group", "err-benefit-group");
        return refuse(&state, ctx, &headers, f, form).await;
    };
    match store::benefit::set_rater_group(&state.db, f.p.id, me, group).await {
        Ok(()) => Ok(done(
            &headers,
            f.path("?ok=benefit-group#benefit-rate"),
            serde_json::json!({"group": group.as_str()}),
        )),
        Err(StoreError::Refused(code)) => {
            let form = form.with_error(&ctx, "benefit_group", code);
            refuse(&state, ctx, &headers, f, form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Rate one measure: every criterion must be answered; nothing is stored when anything is wrong.
pub async fn rate(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id, mid)): Path<(String, i64, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    let criteria = store::benefit::criteria(&state.db, f.p.id).await?;
    let measures = store::benefit::measures(&state.db, f.p.id).await?;
    let Some(measure) = measures.iter().find(|m| m.id == mid) else {
        return Err(AppError::NotFound);
    };
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let mut form = FormView::new().with("form", &format!("m{mid}"));
    for c in &criteria {
        form = form.with(&format!("m{mid}_c{}", c.id), get(&format!("c{}", c.id)));
    }
    let first_key = criteria
        .first()
        .map(|c| format!("m{mid}_c{}", c.id))
        .unwrap_or_else(|| "benefit_group".into());
    let Some(me) = f.active_participant().map(|p| p.id) else {
        push_error(
            &mut form,
            first_key,
            measure.title.clone(),
            ctx.t("err-participation-join-first"),
        );
        return refuse(&state, ctx, &headers, f, form).await;
    };
    if store::benefit::rater_group(&state.db, me).await?.is_none() {
        let form = form.with_error(&ctx, "benefit_group", "err-benefit-no-group");
        return refuse(&state, ctx, &headers, f, form).await;
    }
    let mut answers = Vec::new();
    let mut errors = Vec::new();
    for c in &criteria {
        match parse_answer(c, get(&format!("c{}", c.id))) {
            Ok(v) => answers.push((c.id, v)),
            Err(e) => {
                let message = match (e, c.is_ko()) {
                    (AnswerError::Missing, _) => ctx.t("err-benefit-answer-missing"),
                    (AnswerError::Invalid, true) => ctx.t("err-benefit-ko-answer"),
                    (AnswerError::Invalid, false) => {
                        ctx.t1("err-benefit-score-range", "max", c.scale_max)
                    }
                };
                errors.push((
                    format!("m{mid}_c{}", c.id),
                    format!("{}: {}", measure.title, c.name),
                    message,
                ));
            }
        }
    }
    if criteria.is_empty() {
        errors.push((
            first_key.clone(),
            measure.title.clone(),
            ctx.t("err-benefit-no-criteria"),
        ));
    }
    if !errors.is_empty() {
        for (field, label, message) in errors {
            push_error(&mut form, field, label, message);
        }
        return refuse(&state, ctx, &headers, f, form).await;
    }
    match store::benefit::save_ratings(&state.db, f.p.id, me, mid, &answers).await {
        Ok(()) => {
            tracing::info!(
                participation_id = f.p.id,
                measure_id = mid,
                "benefit rating saved"
            );
            Ok(done(
                &headers,
                f.path("?ok=benefit-rated#benefit-rate"),
                serde_json::json!({"measure": mid, "answers": answers.len()}),
            ))
        }
        Err(StoreError::Refused(code)) => {
            push_error(&mut form, first_key, measure.title.clone(), ctx.t(code));
            refuse(&state, ctx, &headers, f, form).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crit(kind: &str, scale_max: i64) -> CriterionRow {
        CriterionRow {
            id: 1,
            participation_id: 1,
            position: 1,
            name: "K".into(),
            kind: kind.into(),
            weight: 1,
            scale_max,
        }
    }

    #[test]
    fn answers_parse() {
        let ko = crit("ko", 0);
        assert_eq!(parse_answer(&ko, "ja"), Ok(RatingValue::Ko(true)));
        assert_eq!(parse_answer(&ko, "nein"), Ok(RatingValue::Ko(false)));
        assert_eq!(parse_answer(&ko, "3"), Err(AnswerError::Invalid));
        assert_eq!(parse_answer(&ko, " "), Err(AnswerError::Missing));
        let s = crit("nutzen", 5);
        assert_eq!(parse_answer(&s, "0"), Ok(RatingValue::Score(0)));
        assert_eq!(parse_answer(&s, "5"), Ok(RatingValue::Score(5)));
        assert_eq!(parse_answer(&s, "6"), Err(AnswerError::Invalid));
        assert_eq!(parse_answer(&s, "-1"), Err(AnswerError::Invalid));
        assert_eq!(parse_answer(&s, "2.5"), Err(AnswerError::Invalid));
        assert_eq!(parse_answer(&s, "ja"), Err(AnswerError::Invalid));
        assert_eq!(parse_answer(&s, ""), Err(AnswerError::Missing));
    }
}
