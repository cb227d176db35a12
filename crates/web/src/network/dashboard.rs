//! `GET /netzwerk`: every city's phase and progress, measures by status and by field of action, participation,
//! the implementation rate and the comparison by size class — charts (SVG) each with its table; and
//! `GET /netzwerk/uebersicht.csv`, one row per city. Network admin and steering group only. A fixed number
//! of queries whatever the number of cities: every figure is grouped in SQL.

use super::{decimal1, percent};
use crate::auth::require;
use crate::charts::bar_chart;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::measures::export::download;
use crate::process::current_phase;
use crate::state::AppState;
use crate::view::render;
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::network::{
    CityFigures, CityInput, ClassFigures, by_size_class, totals_by_field, totals_by_status,
};
use domain::permission::Permission;
use std::collections::BTreeMap;
use store::measures::Status;

/// Everything the dashboard and its CSV show.
pub struct Dashboard {
    pub cities: Vec<CityFigures>,
    pub classes: Vec<ClassFigures>,
    pub statuses: Vec<Status>,
}

/// Read the grouped figures (seven queries) and compute the cities' and size classes' figures.
pub async fn load(state: &AppState) -> Result<Dashboard, AppError> {
    let db = &state.db;
    let municipalities = store::municipalities::list(db).await?;
    let phases = store::process::all_phases(db).await?;
    let by_status = store::network::measures_by_status(db).await?;
    let by_field = store::network::measures_by_field(db).await?;
    let participation = store::network::participation(db).await?;
    let progress = store::network::latest_progress(db).await?;
    let statuses = store::measures::statuses(db).await?;
    let cities: Vec<CityFigures> = municipalities
        .into_iter()
        .map(|m| {
            let own: Vec<store::process::Phase> = phases
                .iter()
                .filter(|p| p.municipality_id == m.id)
                .cloned()
                .collect();
            let p = participation.iter().find(|p| p.municipality_id == m.id);
            let (reported, percent_sum) = progress
                .iter()
                .find(|r| r.0 == m.id)
                .map(|r| (r.1, r.2))
                .unwrap_or_default();
            CityFigures::of(CityInput {
                id: m.id,
                phase: current_phase(&own).map(|p| (p.position, p.name.clone(), p.status.clone())),
                phases_done: own.iter().filter(|p| p.status == "abgeschlossen").count() as i64,
                phases_total: own.len() as i64,
                by_status: by_status
                    .iter()
                    .filter(|r| r.0 == m.id)
                    .map(|r| (r.1.clone(), r.2))
                    .collect(),
                by_field: by_field
                    .iter()
                    .filter(|r| r.0 == m.id)
                    .map(|r| (r.1.clone(), r.2))
                    .collect(),
                formats: p.map_or(0, |p| p.formats),
                participants: p.map_or(0, |p| p.participants),
                contributions: p.map_or(0, |p| p.contributions),
                reported,
                percent_sum,
                slug: m.slug,
                name: m.name,
                population: m.population,
            })
        })
        .collect();
    let classes = by_size_class(&cities);
    Ok(Dashboard {
        cities,
        classes,
        statuses,
    })
}

/// One city as a table row.
pub struct CityLine {
    pub slug: String,
    pub name: String,
    pub size: String,
    pub phase: String,
    pub phases: String,
    pub phase_progress: String,
    pub measures: i64,
    pub by_status: Vec<i64>,
    /// Measures per field of action, in the order of `DashboardPage::field_totals`.
    pub by_field: Vec<i64>,
    pub implemented: i64,
    pub rate: String,
    pub avg_percent: String,
    pub formats: i64,
    pub participants: i64,
    pub contributions: i64,
}

/// One size class as a table row.
pub struct ClassLine {
    pub label: String,
    pub cities: i64,
    pub measures: i64,
    pub implemented: i64,
    pub rate: String,
    pub avg_percent: String,
    pub formats: i64,
    pub participants: i64,
    pub contributions: i64,
    pub measures_per_city: String,
    pub participants_per_city: String,
}

#[derive(Template)]
#[template(path = "network/dashboard.html")]
struct DashboardPage {
    ctx: RequestCtx,
    statuses: Vec<String>,
    cities: Vec<CityLine>,
    classes: Vec<ClassLine>,
    /// `(status name, measures)` over all cities, in workflow order.
    status_totals: Vec<(String, i64)>,
    /// `(field name, measures)` over all cities, most measures first.
    field_totals: Vec<(String, i64)>,
    total_measures: i64,
    total_implemented: i64,
    total_rate: String,
    rate_svg: String,
    status_svg: String,
    field_svg: String,
    participation_svg: String,
    class_svg: String,
}

fn phase_label(ctx: &RequestCtx, c: &CityFigures) -> String {
    match &c.input.phase {
        Some((pos, name, status)) => format!("{pos}. {name} ({})", ctx.tk("phase-", status)),
        None => ctx.t("network-no-process"),
    }
}

fn per_city(v: Option<f64>) -> String {
    v.map(decimal1).unwrap_or_else(|| "–".into())
}

pub async fn show(State(state): State<AppState>, Ctx(ctx): Ctx) -> Result<Response, AppError> {
    require(&ctx, Permission::ReadAllCities)?;
    let d = load(&state).await?;
    let no_field = ctx.t("netdash-no-field");
    // Fields with measures, most measures first; `None` is "without a field".
    let mut fields: Vec<(Option<String>, i64)> = totals_by_field(&d.cities).into_iter().collect();
    fields.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let field_totals: Vec<(String, i64)> = fields
        .iter()
        .map(|(k, v)| (k.clone().unwrap_or_else(|| no_field.clone()), *v))
        .collect();
    let cities: Vec<CityLine> = d
        .cities
        .iter()
        .map(|c| CityLine {
            slug: c.input.slug.clone(),
            name: c.input.name.clone(),
            size: ctx.tk("size-", c.size_class.as_str()),
            phase: phase_label(&ctx, c),
            phases: format!("{} / {}", c.input.phases_done, c.input.phases_total),
            phase_progress: percent(c.phase_progress),
            measures: c.measures,
            by_status: d
                .statuses
                .iter()
                .map(|s| c.input.by_status.get(&s.status_key).copied().unwrap_or(0))
                .collect(),
            by_field: fields
                .iter()
                .map(|(k, _)| c.input.by_field.get(k).copied().unwrap_or(0))
                .collect(),
            implemented: c.implemented,
            rate: percent(c.rate),
            avg_percent: percent(c.avg_percent),
            formats: c.input.formats,
            participants: c.input.participants,
            contributions: c.input.contributions,
        })
        .collect();
    let classes: Vec<ClassLine> = d
        .classes
        .iter()
        .map(|k| ClassLine {
            label: ctx.tk("size-", k.class.as_str()),
            cities: k.cities,
            measures: k.measures,
            implemented: k.implemented,
            rate: percent(k.rate),
            avg_percent: percent(k.avg_percent),
            formats: k.formats,
            participants: k.participants,
            contributions: k.contributions,
            measures_per_city: per_city(k.measures_per_city),
            participants_per_city: per_city(k.participants_per_city),
        })
        .collect();
    let totals = totals_by_status(&d.cities);
    let status_totals: Vec<(String, i64)> = d
        .statuses
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                totals.get(&s.status_key).copied().unwrap_or(0),
            )
        })
        .collect();
    let (total_implemented, rate) = domain::network::implementation_rate(&totals);
    let total_measures = totals.values().sum();

    let rate_bars: Vec<(String, f64, String)> = d
        .cities
        .iter()
        .map(|c| (c.input.name.clone(), c.rate.unwrap_or(0.0), percent(c.rate)))
        .collect();
    let count_bars = |rows: &[(String, i64)]| -> Vec<(String, f64, String)> {
        rows.iter()
            .map(|(l, n)| (l.clone(), *n as f64, ctx.int(n)))
            .collect()
    };
    let participation_bars: Vec<(String, f64, String)> = d
        .cities
        .iter()
        .map(|c| {
            (
                c.input.name.clone(),
                c.input.participants as f64,
                ctx.int(&c.input.participants),
            )
        })
        .collect();
    let class_bars: Vec<(String, f64, String)> = classes
        .iter()
        .zip(&d.classes)
        .map(|(l, k)| (l.label.clone(), k.rate.unwrap_or(0.0), l.rate.clone()))
        .collect();
    let page = DashboardPage {
        rate_svg: bar_chart(
            "chart-rate",
            &ctx.t("netdash-rate-chart"),
            &rate_bars,
            Some(100.0),
        ),
        status_svg: bar_chart(
            "chart-status",
            &ctx.t("netdash-status-chart"),
            &count_bars(&status_totals),
            None,
        ),
        field_svg: bar_chart(
            "chart-field",
            &ctx.t("netdash-field-chart"),
            &count_bars(&field_totals),
            None,
        ),
        participation_svg: bar_chart(
            "chart-participation",
            &ctx.t("netdash-participation-chart"),
            &participation_bars,
            None,
        ),
        class_svg: bar_chart(
            "chart-class",
            &ctx.t("netdash-class-chart"),
            &class_bars,
            Some(100.0),
        ),
        statuses: d.statuses.iter().map(|s| s.name.clone()).collect(),
        cities,
        classes,
        status_totals,
        field_totals,
        total_measures,
        total_implemented,
        total_rate: percent(rate),
        ctx,
    };
    Ok(render(&page)?.into_response())
}

/// Column names of the CSV export: fixed columns with one column per status (workflow order) in between.
pub fn csv_table(d: &Dashboard) -> (Vec<String>, Vec<Vec<String>>) {
    let pct = |v: Option<f64>| v.map(decimal1).unwrap_or_default();
    let mut header: Vec<String> = [
        "Kommune",
        "Größenklasse",
        "Einwohner",
        "Aktuelle Phase",
        "Phasen abgeschlossen",
        "Phasen gesamt",
        "Maßnahmen",
    ]
    .map(String::from)
    .to_vec();
    header.extend(d.statuses.iter().map(|s| format!("Status: {}", s.name)));
    header.extend(
        [
            "umgesetzt",
            "Umsetzungsquote (%)",
            "Ø Fortschritt (%)",
            "Beteiligungsformate",
            "Teilnehmende",
            "Beiträge",
        ]
        .map(String::from),
    );
    let size_names: BTreeMap<&str, &str> = [
        ("landgemeinde", "Landgemeinde"),
        ("kleinstadt", "Kleinstadt"),
        ("mittelstadt", "Mittelstadt"),
        ("grossstadt", "Großstadt"),
    ]
    .into();
    let rows = d
        .cities
        .iter()
        .map(|c| {
            let mut row = vec![
                c.input.name.clone(),
                size_names
                    .get(c.size_class.as_str())
                    .copied()
                    .unwrap_or_default()
                    .to_string(),
                c.input.population.to_string(),
                c.input
                    .phase
                    .as_ref()
                    .map(|(pos, name, _)| format!("{pos}. {name}"))
                    .unwrap_or_default(),
                c.input.phases_done.to_string(),
                c.input.phases_total.to_string(),
                c.measures.to_string(),
            ];
            row.extend(d.statuses.iter().map(|s| {
                c.input
                    .by_status
                    .get(&s.status_key)
                    .copied()
                    .unwrap_or(0)
                    .to_string()
            }));
            row.extend([
                c.implemented.to_string(),
                pct(c.rate),
                pct(c.avg_percent),
                c.input.formats.to_string(),
                c.input.participants.to_string(),
                c.input.contributions.to_string(),
            ]);
            row
        })
        .collect();
    (header, rows)
}

/// `GET /netzwerk/uebersicht.csv`
pub async fn csv(State(state): State<AppState>, Ctx(ctx): Ctx) -> Result<Response, AppError> {
    require(&ctx, Permission::ReadAllCities)?;
    let d = load(&state).await?;
    let (header, rows) = csv_table(&d);
    let body =
        export::table_csv(&header, &rows).map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    Ok(download(
        "text/csv; charset=utf-8",
        "netzwerk-uebersicht.csv".into(),
        body,
    ))
}
