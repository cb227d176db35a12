//! The public city showcase (Smart-City-Schaufenster): the definition, the fields of action with their goals,
//! every public measure with status and progress, the roadmap (timeline + table), and the chain from public
//! contributions (workshop cards, ideas, statements, questions) to the measures they fed and their progress.
//! Only public content is shown, whoever looks: it is the page a city links to from its website.

use crate::charts::time::{RoadmapRow, roadmap};
use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::markdown::to_safe_html_below;
use crate::state::AppState;
use crate::view::render;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use domain::visibility::Visibility;
use serde::Deserialize;
use store::fields::{CityField, Goal};
use store::measures::MeasureRow;
use store::progress::Source;

/// A public measure with its latest progress and what fed it.
pub struct ShowMeasure {
    pub m: MeasureRow,
    pub percent: Option<i64>,
    pub reported_on: Option<String>,
    pub sources: Vec<Source>,
}

#[derive(Template)]
#[template(path = "implementation/showcase.html")]
struct ShowcasePage {
    ctx: RequestCtx,
    city: City,
    definition: Option<String>,
    fields: Vec<CityField>,
    goals: Vec<Goal>,
    measures: Vec<ShowMeasure>,
    roadmap_svg: String,
    following: Option<bool>,
    notice: Option<String>,
}

impl ShowcasePage {
    pub fn goals_of(&self, field_id: &i64) -> Vec<&Goal> {
        self.goals
            .iter()
            .filter(|g| g.field_id == *field_id)
            .collect()
    }

    pub fn date(&self, iso: &Option<String>) -> String {
        iso.as_deref()
            .map(domain::values::german_date)
            .unwrap_or_else(|| "–".into())
    }

    pub fn with_sources(&self) -> Vec<&ShowMeasure> {
        self.measures
            .iter()
            .filter(|m| !m.sources.is_empty())
            .collect()
    }

    /// Where a contribution can be seen.
    pub fn source_link(&self, s: &Source) -> String {
        match s.source_kind.as_str() {
            "workshop" => self.city.path(&format!("/werkstaetten/{}", s.source_id)),
            _ => self.city.path(&format!("/beteiligung/{}", s.source_id)),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowcaseQuery {
    ok: String,
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Query(q): Query<ShowcaseQuery>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let definition = match store::definitions::get(&state.db, city.m.id).await? {
        Some(d) if d.current_version > 0 && d.visibility == Visibility::Oeffentlich.as_str() => {
            let v = store::definitions::version(&state.db, city.m.id, d.current_version).await?;
            Some(to_safe_html_below(
                &v.body_md,
                pulldown_cmark::HeadingLevel::H2,
            ))
        }
        _ => None,
    };
    let fields = store::fields::selected(&state.db, city.m.id).await?;
    let goals = store::fields::goals(&state.db, city.m.id).await?;
    let rows = store::measures::list(
        &state.db,
        city.m.id,
        Visibility::Oeffentlich,
        &Default::default(),
        store::measures::Sort::Status,
    )
    .await?;
    let latest = store::progress::latest_by_measure(&state.db, city.m.id).await?;
    let mut sources = store::progress::public_sources(&state.db, city.m.id).await?;
    let measures: Vec<ShowMeasure> = rows
        .into_iter()
        .map(|m| {
            let l = latest.iter().find(|(id, _, _)| *id == m.id);
            let mine: Vec<Source> = sources
                .iter()
                .filter(|s| s.measure_id == m.id)
                .cloned()
                .collect();
            sources.retain(|s| s.measure_id != m.id);
            ShowMeasure {
                percent: l.map(|l| l.1),
                reported_on: l.map(|l| l.2.clone()),
                sources: mine,
                m,
            }
        })
        .collect();
    let rows: Vec<RoadmapRow> = measures
        .iter()
        .map(|s| RoadmapRow {
            label: s.m.title.clone(),
            start: s.m.start_date.clone(),
            end: s.m.end_date.clone(),
            state: match s.percent {
                Some(p) => format!("{} · {p} %", s.m.status_name),
                None => s.m.status_name.clone(),
            },
            percent: s.percent,
        })
        .collect();
    let roadmap_svg = roadmap(
        "roadmap",
        &ctx.t1("showcase-roadmap-title", "city", &city.m.name),
        &rows,
    );
    let following = match ctx.actor.user_id {
        Some(uid) => Some(store::progress::follows(&state.db, uid, "kommune", city.m.id).await?),
        None => None,
    };
    let notice = match q.ok.as_str() {
        "followed" => Some(ctx.t("notice-followed")),
        "unfollowed" => Some(ctx.t("notice-unfollowed")),
        _ => None,
    };
    Ok(render(&ShowcasePage {
        ctx,
        city,
        definition,
        fields,
        goals,
        measures,
        roadmap_svg,
        following,
        notice,
    })?
    .into_response())
}
