//! The format page's part: what is rated and how (for everyone), the editors' setup, the raters' forms.

use super::rate::{RaterView, rater_view};
use super::setup::{EditorView, editor_view};
use super::{Format, dec, kind_label};
use crate::ctx::RequestCtx;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::FormView;
use askama::Template;
use store::benefit::{CriterionRow, MeasureItem};

/// A criterion as everyone sees it.
pub struct CritView {
    pub name: String,
    pub kind_label: String,
    /// "30 (25 %)", empty for KO criteria.
    pub weight: String,
    /// "0–5", or "ja / nein".
    pub scale: String,
}

#[derive(Template)]
#[template(path = "participation/benefit/section.html")]
struct SectionTpl<'a> {
    ctx: &'a RequestCtx,
    f: &'a Format,
    form: &'a FormView,
    criteria: Vec<CritView>,
    measures: Vec<MeasureItem>,
    editor: Option<EditorView>,
    rater: Option<RaterView>,
}

/// Each criterion's weight as a share of its direction's weights.
fn crit_views(ctx: &RequestCtx, criteria: &[CriterionRow]) -> Vec<CritView> {
    let sum = |kind: &str| -> i64 {
        criteria
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.weight)
            .sum()
    };
    criteria
        .iter()
        .map(|c| {
            let total = sum(&c.kind);
            CritView {
                name: c.name.clone(),
                kind_label: kind_label(ctx, &c.kind),
                weight: if c.is_ko() {
                    String::new()
                } else {
                    let share = if total > 0 {
                        100.0 * c.weight as f64 / total as f64
                    } else {
                        0.0
                    };
                    format!("{} ({} %)", c.weight, dec(ctx.lang, share, 0))
                },
                scale: if c.is_ko() {
                    ctx.t("benefit-scale-ko")
                } else {
                    format!("0–{}", c.scale_max)
                },
            }
        })
        .collect()
}

pub async fn section_with(
    state: &AppState,
    ctx: &RequestCtx,
    f: &Format,
    form: &FormView,
) -> Result<String, AppError> {
    let criteria = store::benefit::criteria(&state.db, f.p.id).await?;
    let measures = store::benefit::measures(&state.db, f.p.id).await?;
    let editor = if f.city.can_edit {
        Some(editor_view(state, ctx, f, form, &criteria, &measures).await?)
    } else {
        None
    };
    let rater = match f.active_participant() {
        Some(p) if !criteria.is_empty() && !measures.is_empty() => {
            Some(rater_view(state, ctx, form, p.id, &criteria, &measures).await?)
        }
        _ => None,
    };
    let tpl = SectionTpl {
        ctx,
        f,
        form,
        criteria: crit_views(ctx, &criteria),
        measures,
        editor,
        rater,
    };
    Ok(tpl.render()?)
}
