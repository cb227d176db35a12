//! Editors set up the analysis: criteria (add one, take the default set, edit all at once, delete one),
//! the city's measures to rate, and the weights of the rater groups.

use super::{Format, done, group_label, kind_label, load, push_error, refuse};
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::FormView;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum_extra::extract::CookieJar;
use domain::benefit::RaterGroup;
use domain::visibility::Visibility;
use serde::Deserialize;
use store::StoreError;
use store::benefit::{CriterionRow, MeasureItem, NewCriterion};

/// The default set ("Standardkriterien übernehmen"): two KO criteria, four benefit and two effort criteria
/// on a 0–5 scale. Weights are per direction (they need not sum to 100; each is divided by the sum).
pub const DEFAULTS: [(&str, &str, i64); 8] = [
    ("Rechtlich zulässig", "ko", 0),
    ("Passt zur Smart-City-Strategie", "ko", 0),
    ("Bürgernutzen", "nutzen", 30),
    ("Beitrag zu den Zielen", "nutzen", 25),
    ("Nachhaltigkeit", "nutzen", 20),
    ("Machbarkeit", "nutzen", 25),
    ("Kosten", "aufwand", 60),
    ("Umsetzungsaufwand", "aufwand", 40),
];
pub const DEFAULT_SCALE: i64 = 5;
pub const MAX_MEASURES: usize = 50;
const KINDS: [&str; 3] = ["ko", "nutzen", "aufwand"];

/// Which part of a criterion an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Name,
    Kind,
    Weight,
    Scale,
}

impl Part {
    fn key(self) -> &'static str {
        match self {
            Part::Name => "name",
            Part::Kind => "kind",
            Part::Weight => "weight",
            Part::Scale => "scale",
        }
    }
}

/// Parse a criterion as typed: name 1–120 characters, kind `ko`/`nutzen`/`aufwand`; scored criteria need a
/// whole-number weight 0–1000 and a scale maximum 1–10 (KO criteria ignore both and store 0).
pub fn parse_criterion(
    name: &str,
    kind: &str,
    weight: &str,
    scale: &str,
) -> Result<NewCriterion, Vec<(Part, &'static str)>> {
    let mut errs = Vec::new();
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        errs.push((Part::Name, "err-benefit-name"));
    }
    let kind = KINDS.into_iter().find(|k| *k == kind.trim());
    if kind.is_none() {
        errs.push((Part::Kind, "err-benefit-kind"));
    }
    let (mut w, mut s) = (0, 0);
    if kind.is_some_and(|k| k != "ko") {
        match weight.trim().parse::<i64>() {
            Ok(v) if (0..=1000).contains(&v) => w = v,
            _ => errs.push((Part::Weight, "err-benefit-weight")),
        }
        match scale.trim().parse::<i64>() {
            Ok(v) if (1..=10).contains(&v) => s = v,
            _ => errs.push((Part::Scale, "err-benefit-scale")),
        }
    }
    match kind {
        Some(kind) if errs.is_empty() => Ok(NewCriterion {
            name: name.to_string(),
            kind,
            weight: w,
            scale_max: s,
        }),
        _ => Err(errs),
    }
}

/// A group weight as typed: empty = 1, else a whole number 0–100.
pub fn parse_group_weight(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(1);
    }
    raw.parse::<i64>().ok().filter(|v| (0..=100).contains(v))
}

// ---- view ----

/// One row of the criteria table as the editor edits it.
pub struct CritEdit {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub weight: String,
    pub scale: String,
    pub name_error: Option<String>,
    pub kind_error: Option<String>,
    pub weight_error: Option<String>,
    pub scale_error: Option<String>,
}

pub struct MeasureChoice {
    pub id: i64,
    pub title: String,
    pub checked: bool,
    pub internal: bool,
}

pub struct GroupWeightEdit {
    pub key: String,
    pub label: String,
    pub value: String,
}

pub struct EditorView {
    /// Someone has rated: no adding or deleting, kind and scale fixed.
    pub locked: bool,
    pub rows: Vec<CritEdit>,
    pub kinds: Vec<(&'static str, String)>,
    pub add_kind: String,
    pub add_weight: String,
    pub add_scale: String,
    pub measures: Vec<MeasureChoice>,
    pub groups: Vec<GroupWeightEdit>,
}

pub async fn editor_view(
    state: &AppState,
    ctx: &RequestCtx,
    f: &Format,
    form: &FormView,
    criteria: &[CriterionRow],
    chosen: &[MeasureItem],
) -> Result<EditorView, AppError> {
    let locked = store::benefit::rating_count(&state.db, f.p.id).await? > 0;
    let kept = form.value("form") == "criteria";
    let rows = criteria
        .iter()
        .map(|c| {
            let key = |part: Part| format!("c{}_{}", c.id, part.key());
            let value = |part: Part, stored: String| {
                if kept {
                    form.value(&key(part)).to_string()
                } else {
                    stored
                }
            };
            let kind = if locked {
                c.kind.clone()
            } else {
                value(Part::Kind, c.kind.clone())
            };
            CritEdit {
                id: c.id,
                name: value(Part::Name, c.name.clone()),
                kind_label: kind_label(ctx, &kind),
                kind,
                weight: value(Part::Weight, c.weight.to_string()),
                scale: if locked {
                    c.scale_max.to_string()
                } else {
                    value(Part::Scale, c.scale_max.to_string())
                },
                name_error: form.error(&key(Part::Name)).map(str::to_string),
                kind_error: form.error(&key(Part::Kind)).map(str::to_string),
                weight_error: form.error(&key(Part::Weight)).map(str::to_string),
                scale_error: form.error(&key(Part::Scale)).map(str::to_string),
            }
        })
        .collect();
    let all = store::measures::list(
        &state.db,
        f.city.m.id,
        Visibility::Intern,
        &Default::default(),
        Default::default(),
    )
    .await?;
    let kept_measures = form.value("form") == "measures";
    let measures = all
        .into_iter()
        .map(|m| MeasureChoice {
            checked: if kept_measures {
                form.checked("benefit_measures", &m.id.to_string())
            } else {
                chosen.iter().any(|c| c.id == m.id)
            },
            internal: m.visibility != "oeffentlich",
            id: m.id,
            title: m.title,
        })
        .collect();
    let stored = store::benefit::group_weights(&state.db, f.p.id).await?;
    let kept_groups = form.value("form") == "groups";
    let groups = RaterGroup::ALL
        .into_iter()
        .map(|g| {
            let key = format!("benefit_gw_{}", g.as_str());
            let value = if kept_groups {
                form.value(&key).to_string()
            } else {
                stored
                    .iter()
                    .find(|(s, _)| *s == g)
                    .map(|(_, w)| w.to_string())
                    .unwrap_or_default()
            };
            GroupWeightEdit {
                label: group_label(ctx, g),
                key,
                value,
            }
        })
        .collect();
    let or = |name: &str, default: &str| {
        let v = form.value(name);
        if v.is_empty() {
            default.to_string()
        } else {
            v.to_string()
        }
    };
    Ok(EditorView {
        locked,
        rows,
        kinds: KINDS.into_iter().map(|k| (k, kind_label(ctx, k))).collect(),
        add_kind: or("benefit_kind", "nutzen"),
        add_weight: or("benefit_weight", "20"),
        add_scale: or("benefit_scale", &DEFAULT_SCALE.to_string()),
        measures,
        groups,
    })
}

// ---- handlers ----

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AddForm {
    benefit_name: String,
    benefit_kind: String,
    benefit_weight: String,
    benefit_scale: String,
}

fn add_field(p: Part) -> &'static str {
    match p {
        Part::Name => "benefit_name",
        Part::Kind => "benefit_kind",
        Part::Weight => "benefit_weight",
        Part::Scale => "benefit_scale",
    }
}

/// Add one criterion.
pub async fn add(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(a): Form<AddForm>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    f.require_edit(&ctx)?;
    let kept = FormView::new()
        .with("benefit_name", &a.benefit_name)
        .with("benefit_kind", &a.benefit_kind)
        .with("benefit_weight", &a.benefit_weight)
        .with("benefit_scale", &a.benefit_scale);
    let new = match parse_criterion(
        &a.benefit_name,
        &a.benefit_kind,
        &a.benefit_weight,
        &a.benefit_scale,
    ) {
        Ok(c) => c,
        Err(errs) => {
            let mut form = kept;
            for (part, code) in errs {
                form = form.with_error(&ctx, add_field(part), code);
            }
            return refuse(&state, ctx, &headers, f, form).await;
        }
    };
    match store::benefit::add_criteria(&state.db, f.p.id, std::slice::from_ref(&new), false).await {
        Ok(_) => Ok(done(
            &headers,
            f.path("?ok=benefit-criteria#benefit-setup"),
            serde_json::json!({}),
        )),
        Err(StoreError::Refused(code)) => {
            let form = kept.with_error(&ctx, "benefit_name", code);
            refuse(&state, ctx, &headers, f, form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Take the default set (criteria whose name is already used are left out).
pub async fn defaults(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    f.require_edit(&ctx)?;
    let set: Vec<NewCriterion> = DEFAULTS
        .iter()
        .map(|(name, kind, weight)| NewCriterion {
            name: (*name).to_string(),
            kind,
            weight: *weight,
            scale_max: if *kind == "ko" { 0 } else { DEFAULT_SCALE },
        })
        .collect();
    match store::benefit::add_criteria(&state.db, f.p.id, &set, true).await {
        Ok(n) => Ok(done(
            &headers,
            f.path("?ok=benefit-criteria#benefit-setup"),
            serde_json::json!({"added": n}),
        )),
        Err(StoreError::Refused(code)) => {
            let form = FormView::new().with_error(&ctx, "benefit_defaults", code);
            refuse(&state, ctx, &headers, f, form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Save the criteria table (names, kinds, weights, scales) at once.
pub async fn save(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    f.require_edit(&ctx)?;
    let criteria = store::benefit::criteria(&state.db, f.p.id).await?;
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let mut form = FormView::new().with("form", "criteria");
    for (k, v) in &fields {
        if k.starts_with('c') {
            form = form.with(k, v);
        }
    }
    let mut changes = Vec::new();
    let mut errors = Vec::new();
    for c in &criteria {
        let key = |p: Part| format!("c{}_{}", c.id, p.key());
        // A criterion added since the form was shown keeps its values.
        let weight = c.weight.to_string();
        let scale = c.scale_max.to_string();
        let name = get(&key(Part::Name)).unwrap_or(&c.name);
        let kind = get(&key(Part::Kind)).unwrap_or(&c.kind);
        let w = get(&key(Part::Weight)).unwrap_or(&weight);
        let s = get(&key(Part::Scale)).unwrap_or(&scale);
        match parse_criterion(name, kind, w, s) {
            Ok(new) => changes.push((c.id, new)),
            Err(errs) => {
                for (part, code) in errs {
                    let label = format!("{} – {}", c.name, ctx.tk("benefit-col-", part.key()));
                    errors.push((key(part), label, ctx.t(code)));
                }
            }
        }
    }
    if !errors.is_empty() {
        for (field, label, message) in errors {
            push_error(&mut form, field, label, message);
        }
        return refuse(&state, ctx, &headers, f, form).await;
    }
    match store::benefit::update_criteria(&state.db, f.p.id, &changes).await {
        Ok(()) => Ok(done(
            &headers,
            f.path("?ok=benefit-criteria#benefit-setup"),
            serde_json::json!({}),
        )),
        Err(StoreError::Refused(code)) => {
            let first = criteria.first().map(|c| c.id).unwrap_or(0);
            push_error(
                &mut form,
                format!("c{first}_name"),
                ctx.t("benefit-criteria-h"),
                ctx.t(code),
            );
            refuse(&state, ctx, &headers, f, form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Delete one criterion (only before anyone has rated).
pub async fn delete(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id, cid)): Path<(String, i64, i64)>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    f.require_edit(&ctx)?;
    match store::benefit::delete_criterion(&state.db, f.p.id, cid).await {
        Ok(()) => Ok(done(
            &headers,
            f.path("?ok=benefit-criteria#benefit-setup"),
            serde_json::json!({}),
        )),
        Err(StoreError::Refused(code)) => {
            let mut form = FormView::new();
            push_error(
                &mut form,
                format!("c{cid}_name"),
                ctx.t("benefit-criteria-h"),
                ctx.t(code),
            );
            refuse(&state, ctx, &headers, f, form).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MeasuresForm {
    benefit_measures: Vec<String>,
}

/// Choose the measures to rate (from the city's measures).
pub async fn measures(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(m): Form<MeasuresForm>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    f.require_edit(&ctx)?;
    let mut form = FormView::new().with("form", "measures");
    for v in &m.benefit_measures {
        form = form.with("benefit_measures", v);
    }
    let city = store::measures::list(
        &state.db,
        f.city.m.id,
        Visibility::Intern,
        &Default::default(),
        Default::default(),
    )
    .await?;
    let picked: Option<Vec<i64>> = m
        .benefit_measures
        .iter()
        .map(|v| {
            v.trim()
                .parse::<i64>()
                .ok()
                .filter(|id| city.iter().any(|c| c.id == *id))
        })
        .collect();
    let code = match &picked {
        None => Some("err-benefit-unknown-measure"),
        Some(p) if p.is_empty() => Some("err-benefit-measures-none"),
        Some(p) if p.len() > MAX_MEASURES => Some("err-benefit-measures-many"),
        Some(_) => None,
    };
    if let Some(code) = code {
        let form = form.with_error(&ctx, "benefit_measures", code);
        return refuse(&state, ctx, &headers, f, form).await;
    }
    let picked = picked.unwrap_or_default();
    // In the order of the city's list, each once.
    let items: Vec<(&str, i64)> = city
        .iter()
        .filter(|c| picked.contains(&c.id))
        .map(|c| ("massnahme", c.id))
        .collect();
    store::participation::set_items(&state.db, f.p.id, &items).await?;
    Ok(done(
        &headers,
        f.path("?ok=benefit-measures#benefit-setup"),
        serde_json::json!({"measures": items.len()}),
    ))
}

/// Weights of the rater groups: empty fields count 1; all equal is stored as "equal".
pub async fn group_weights(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    f.require_edit(&ctx)?;
    let mut form = FormView::new().with("form", "groups");
    let mut weights = Vec::new();
    let mut bad = Vec::new();
    for g in RaterGroup::ALL {
        let key = format!("benefit_gw_{}", g.as_str());
        let raw = fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        form = form.with(&key, raw);
        match parse_group_weight(raw) {
            Some(w) => weights.push((g, w)),
            None => bad.push((key, group_label(&ctx, g))),
        }
    }
    if !bad.is_empty() || weights.iter().all(|(_, w)| *w == 0) {
        let message = if bad.is_empty() {
            ctx.t("err-benefit-group-weights-zero")
        } else {
            ctx.t("err-benefit-group-weight")
        };
        if bad.is_empty() {
            bad.push((
                "benefit_gw_verwaltung".into(),
                group_label(&ctx, RaterGroup::Verwaltung),
            ));
        }
        for (key, label) in bad {
            push_error(&mut form, key, label, message.clone());
        }
        return refuse(&state, ctx, &headers, f, form).await;
    }
    let first = weights.first().map(|(_, w)| *w);
    if weights.iter().all(|(_, w)| Some(*w) == first) {
        weights.clear();
    }
    store::benefit::set_group_weights(&state.db, f.p.id, &weights).await?;
    Ok(done(
        &headers,
        f.path("?ok=benefit-weights#benefit-setup"),
        serde_json::json!({}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criteria_parse() {
        let c = parse_criterion(" Bürgernutzen ", "nutzen", "30", "5").unwrap();
        assert_eq!(
            (c.name.as_str(), c.kind, c.weight, c.scale_max),
            ("Bürgernutzen", "nutzen", 30, 5)
        );
        // KO criteria ignore weight and scale.
        let c = parse_criterion("Rechtlich zulässig", "ko", "viel", "").unwrap();
        assert_eq!((c.kind, c.weight, c.scale_max), ("ko", 0, 0));
        let errs = parse_criterion("", "nutzen", "viel", "0").unwrap_err();
        assert_eq!(
            errs,
            [
                (Part::Name, "err-benefit-name"),
                (Part::Weight, "err-benefit-weight"),
                (Part::Scale, "err-benefit-scale")
            ]
        );
        assert_eq!(
            parse_criterion("x", "lotto", "1", "5").unwrap_err(),
            [(Part::Kind, "err-benefit-kind")]
        );
        assert!(parse_criterion("x", "aufwand", "1001", "5").is_err());
        assert!(parse_criterion("x", "aufwand", "-1", "5").is_err());
        assert!(parse_criterion("x", "aufwand", "0", "11").is_err());
        assert!(parse_criterion(&"x".repeat(121), "ko", "", "").is_err());
    }

    #[test]
    fn group_weights_parse() {
        assert_eq!(parse_group_weight(""), Some(1));
        assert_eq!(parse_group_weight(" 3 "), Some(3));
        assert_eq!(parse_group_weight("0"), Some(0));
        assert_eq!(parse_group_weight("101"), None);
        assert_eq!(parse_group_weight("1,5"), None);
    }

    #[test]
    fn the_default_set_is_valid() {
        for (name, kind, weight) in DEFAULTS {
            let c = parse_criterion(name, kind, &weight.to_string(), "5").unwrap();
            assert_eq!(c.kind, kind);
        }
    }
}
