//! "Ähnliche Maßnahmen in anderen Kommunen" on every measure page: up to five measures of other cities that the
//! visitor may see, ranked by `domain::network::rank_similar` over one bounded candidate query.

use crate::ctx::RequestCtx;
use crate::error::AppError;
use crate::state::AppState;
use domain::network::{SimilarDoc, rank_similar};
use std::collections::BTreeMap;
use store::library::Viewer;
use store::measures::MeasureRecord;

/// How many similar measures a measure page shows.
pub const SHOWN: usize = 5;

/// A similar measure as the page links it.
#[derive(Debug, Clone)]
pub struct SimilarMeasure {
    pub href: String,
    pub title: String,
    pub city: String,
    pub status_name: String,
}

/// The similar measures of `rec` (whose further fields of action are `further_fields`) for this visitor.
pub async fn load(
    state: &AppState,
    ctx: &RequestCtx,
    rec: &MeasureRecord,
    further_fields: &[i64],
) -> Result<Vec<SimilarMeasure>, AppError> {
    let rows = store::library::similar_candidates(
        &state.db,
        Viewer::of(&ctx.actor),
        rec.municipality_id,
        rec.id,
    )
    .await?;
    let mut docs: BTreeMap<i64, SimilarDoc> = BTreeMap::new();
    let mut lines: BTreeMap<i64, SimilarMeasure> = BTreeMap::new();
    for r in rows {
        let doc = docs.entry(r.id).or_insert_with(|| SimilarDoc {
            id: r.id,
            fields: r.primary_field_id.into_iter().collect(),
            title: r.title.clone(),
            description: r.short_description.clone(),
        });
        doc.fields.extend(r.further_field_id);
        lines.entry(r.id).or_insert_with(|| SimilarMeasure {
            href: format!("/kommunen/{}/massnahmen/{}", r.slug, r.id),
            title: r.title,
            city: r.city,
            status_name: r.status_name,
        });
    }
    let target = SimilarDoc {
        id: rec.id,
        fields: rec
            .primary_field_id
            .into_iter()
            .chain(further_fields.iter().copied())
            .collect(),
        title: rec.title.clone(),
        description: rec.short_description.clone(),
    };
    let candidates: Vec<SimilarDoc> = docs.into_values().collect();
    Ok(rank_similar(&target, &candidates, SHOWN)
        .into_iter()
        .filter_map(|id| lines.remove(&id))
        .collect())
}
