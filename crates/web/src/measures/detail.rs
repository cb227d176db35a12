//! The project sheet page: every field, the lists, the status actions and the revision history.

use super::{Lookups, visible_measure};
use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::state::AppState;
use crate::view::{FormView, datetime, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use domain::measure::Sheet;
use serde::Deserialize;
use store::measure_parts::{Dependency, Parts};
use store::measures::{MeasureRecord, MeasureRow, Revision};

#[derive(Template)]
#[template(path = "measures/detail.html")]
pub struct DetailPage {
    pub ctx: RequestCtx,
    pub city: City,
    pub rec: MeasureRecord,
    pub sheet: Sheet,
    pub parts: Parts,
    pub lookups: Lookups,
    pub next_statuses: Vec<(String, String)>,
    pub revisions: Vec<Revision>,
    /// Other measures of the city that may become a dependency.
    pub candidates: Vec<MeasureRow>,
    pub origin: Option<(String, String)>,
    /// Workshops whose board cards became this measure: `(workshop id, title, card texts)`.
    pub workshop_origins: Vec<(i64, String, Vec<String>)>,
    /// Participation contributions that fed this measure: `(participation id, title, item kind, item id)`.
    pub participation_origins: Vec<(i64, String, String, i64)>,
    /// Benefit analyses written back to this measure: `(participation id, title, benefit, effort, quadrant)`.
    pub benefit: Vec<(i64, String, f64, f64, String)>,
    /// Progress reports, overdue milestones, KPI charts, following.
    pub progress: crate::implementation::progress::ProgressView,
    /// Up to five similar measures of other cities that the visitor may see.
    pub similar: Vec<crate::network::similar::SimilarMeasure>,
    pub form: FormView,
    pub notice: Option<String>,
}

impl DetailPage {
    /// German label of a stored portfolio quadrant.
    pub fn quadrant(&self, q: &str) -> String {
        domain::benefit::Quadrant::parse(q)
            .map(|q| q.label().to_string())
            .unwrap_or_else(|| q.to_string())
    }

    pub fn date(&self, iso: &Option<String>) -> String {
        iso.as_deref()
            .map(domain::values::german_date)
            .unwrap_or_else(|| "–".into())
    }

    pub fn iso(&self, iso: &str) -> String {
        domain::values::german_date(iso)
    }

    pub fn euros(&self, v: &Option<i64>) -> String {
        v.map(domain::values::format_euros)
            .unwrap_or_else(|| "–".into())
    }

    pub fn num(&self, v: &Option<f64>) -> String {
        v.map(domain::values::format_decimal)
            .unwrap_or_else(|| "–".into())
    }

    pub fn num1(&self, v: &f64) -> String {
        domain::values::format_decimal(*v)
    }

    pub fn when(&self, secs: &i64) -> String {
        datetime(*secs)
    }

    /// A dependency the visitor may see (hidden ones are counted, not named).
    pub fn visible(&self, d: &Dependency) -> bool {
        domain::visibility::Visibility::parse(&d.visibility).is_ok_and(|v| self.city.may_see(v))
    }

    pub fn field_label(&self, field: &str) -> String {
        self.ctx.t(&format!("field-{field}"))
    }

    pub fn measurements_of(&self, kpi_id: &i64) -> Vec<&store::measure_parts::Measurement> {
        self.parts
            .measurements
            .iter()
            .filter(|m| m.kpi_id == *kpi_id)
            .collect()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DetailQuery {
    ok: String,
}

/// Build the page (also used to re-render it with a form error).
pub async fn page(
    state: &AppState,
    ctx: RequestCtx,
    city: City,
    id: i64,
    form: FormView,
    notice: Option<String>,
) -> Result<DetailPage, AppError> {
    let rec = visible_measure(state, &city, id).await?;
    let (f, g, t) = store::measures::id_lists(&state.db, id).await?;
    let similar = crate::network::similar::load(state, &ctx, &rec, &f).await?;
    let sheet = rec.sheet(f, g, t);
    let parts = store::measure_parts::load(&state.db, city.m.id, id).await?;
    let lookups = Lookups::load(state, city.m.id).await?;
    let workflow = store::measures::workflow(&state.db).await?;
    let next_statuses = workflow
        .next_for(&ctx.actor, city.m.id, &rec.status)
        .into_iter()
        .map(|k| (lookups.status(&k), k))
        .collect();
    let revisions = store::measures::revisions(&state.db, id).await?;
    let candidates = if city.can_edit {
        store::measures::list(
            &state.db,
            city.m.id,
            city.min_visibility,
            &Default::default(),
            Default::default(),
        )
        .await?
        .into_iter()
        .filter(|m| m.id != id)
        .collect()
    } else {
        vec![]
    };
    let origin = match rec.origin_measure_id {
        Some(oid) => match store::measures::record_any(&state.db, oid).await {
            Ok(o) if ctx.actor.may_see(o.municipality_id, o.visibility()) => {
                let om = store::municipalities::by_id(&state.db, o.municipality_id).await?;
                Some((
                    format!("/kommunen/{}/massnahmen/{}", om.slug, o.id),
                    format!("{} ({})", o.title, om.name),
                ))
            }
            _ => None,
        },
        None => None,
    };
    let mut workshop_origins: Vec<(i64, String, Vec<String>)> = vec![];
    for (wid, title, text) in store::boards::origins(&state.db, "massnahme", rec.id).await? {
        match workshop_origins.iter_mut().find(|(id, _, _)| *id == wid) {
            Some(w) => w.2.push(text),
            None => workshop_origins.push((wid, title, vec![text])),
        }
    }
    let participation_origins = store::participation::links_to_measure(&state.db, rec.id).await?;
    let benefit = store::benefit::writebacks_for_measure(&state.db, rec.id).await?;
    let progress =
        crate::implementation::progress::ProgressView::load(state, &ctx, &rec, &parts).await?;
    Ok(DetailPage {
        similar,
        progress,
        benefit,
        participation_origins,
        workshop_origins,
        ctx,
        city,
        rec,
        sheet,
        parts,
        lookups,
        next_statuses,
        revisions,
        candidates,
        origin,
        form,
        notice,
    })
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let notice = match q.ok.as_str() {
        "created" => Some(ctx.t("notice-measure-created")),
        "saved" | "status" | "part" => Some(ctx.t("notice-saved")),
        "copied" => Some(ctx.t("notice-measure-copied")),
        "progress" => Some(ctx.t("notice-progress-saved")),
        "followed" => Some(ctx.t("notice-followed")),
        "unfollowed" => Some(ctx.t("notice-unfollowed")),
        _ => None,
    };
    let p = page(&state, ctx, city, id, FormView::new(), notice).await?;
    Ok(render(&p)?.into_response())
}
