//! A municipality's page: where it stands in the process, its definition, fields of action and measures.

use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::markdown::to_safe_html_below;
use crate::state::AppState;
use crate::view::render;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::municipality::State as Land;
use domain::visibility::Visibility;
use store::fields::CityField;
use store::measures::MeasureRow;
use store::process::Phase;

#[derive(Template)]
#[template(path = "municipality.html")]
struct MunicipalityPage {
    ctx: RequestCtx,
    city: City,
    state_name: String,
    phase: Option<Phase>,
    phases_total: usize,
    definition: Option<(String, String)>,
    fields: Vec<CityField>,
    measures: Vec<MeasureRow>,
    /// `(status name, count)` of the visible measures.
    by_status: Vec<(String, usize)>,
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let state_name = Land::by_code(&city.m.state)
        .map(|s| s.name.to_string())
        .unwrap_or_default();
    let phases = store::process::phases(&state.db, city.m.id).await?;
    let phase = crate::process::current_phase(&phases).cloned();
    let definition = match store::definitions::get(&state.db, city.m.id).await? {
        Some(d)
            if d.current_version > 0
                && city.may_see(Visibility::parse(&d.visibility).unwrap_or(Visibility::Intern)) =>
        {
            let v = store::definitions::version(&state.db, city.m.id, d.current_version).await?;
            Some((
                d.status,
                to_safe_html_below(&v.body_md, pulldown_cmark::HeadingLevel::H2),
            ))
        }
        _ => None,
    };
    let fields = store::fields::selected(&state.db, city.m.id).await?;
    let measures = store::measures::list(
        &state.db,
        city.m.id,
        city.min_visibility,
        &Default::default(),
        store::measures::Sort::Status,
    )
    .await?;
    let mut by_status: Vec<(String, usize)> = Vec::new();
    for m in &measures {
        match by_status.iter_mut().find(|(s, _)| *s == m.status_name) {
            Some((_, n)) => *n += 1,
            None => by_status.push((m.status_name.clone(), 1)),
        }
    }
    Ok(render(&MunicipalityPage {
        ctx,
        city,
        state_name,
        phase,
        phases_total: phases.len(),
        definition,
        fields,
        measures,
        by_status,
    })?
    .into_response())
}
