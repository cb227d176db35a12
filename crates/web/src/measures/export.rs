//! Downloads: one project sheet as PDF, Markdown or JSON; the (filtered) measure list as CSV or XLSX.
//! Only what the visitor may see is exported.

use super::list::ListQuery;
use super::{Lookups, visible_measure};
use crate::city::City;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use crate::view::datetime;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use export::{KpiExport, MilestoneExport, PartnerExport, RaciExport, SheetExport};

/// Everything of one measure the sheet documents, resolved to display text (German).
pub async fn sheet_export(state: &AppState, city: &City, id: i64) -> Result<SheetExport, AppError> {
    let l = Lookups::load(state, city.m.id).await?;
    sheet_export_with(state, city, id, &l).await
}

/// [`sheet_export`] with the names already loaded (for many sheets at once, e.g. the Umsetzungskonzept).
pub async fn sheet_export_with(
    state: &AppState,
    city: &City,
    id: i64,
    l: &Lookups,
) -> Result<SheetExport, AppError> {
    let rec = visible_measure(state, city, id).await?;
    let (f, g, t) = store::measures::id_lists(&state.db, id).await?;
    let s = rec.sheet(f, g, t);
    let parts = store::measure_parts::load(&state.db, city.m.id, id).await?;
    let de = crate::i18n::Lang::De;
    let lead_person = s.lead_stakeholder_id.map(|id| l.stakeholder(id));
    Ok(SheetExport {
        municipality: city.m.name.clone(),
        title: s.title.clone(),
        short_description: s.short_description.clone(),
        status: l.status(&rec.status),
        visibility: de.t(&format!("visibility-{}", rec.visibility)),
        primary_field: s.primary_field_id.map(|id| l.term(id)),
        further_fields: s.further_field_ids.iter().map(|id| l.term(id)).collect(),
        goals: s.goal_ids.iter().map(|id| l.goal(id)).collect(),
        initial_situation: s.initial_situation.clone(),
        target_groups: s.target_groups.clone(),
        impact_output: s.impact_output.clone(),
        impact_outcome: s.impact_outcome.clone(),
        impact_impact: s.impact_impact.clone(),
        kpis: parts
            .kpis
            .iter()
            .map(|k| KpiExport {
                name: k.name.clone(),
                unit: k.unit.clone(),
                baseline: k.baseline,
                target: k.target,
                method: k.method.clone(),
                data_source: k.data_source.clone(),
                interval: k.measure_interval.clone(),
                measurements: parts
                    .measurements
                    .iter()
                    .filter(|m| m.kpi_id == k.id)
                    .map(|m| (m.measured_on.clone(), m.value))
                    .collect(),
            })
            .collect(),
        lead_unit: s.lead_unit.clone(),
        lead_person,
        partners: parts
            .partners
            .iter()
            .map(|p| PartnerExport {
                name: p.name.clone(),
                role: p.role.clone(),
            })
            .collect(),
        raci: parts
            .raci
            .iter()
            .map(|r| RaciExport {
                who: r.name.clone(),
                responsible: r.responsible,
                accountable: r.accountable,
                consulted: r.consulted,
                informed: r.informed,
            })
            .collect(),
        start: s.start_date.clone(),
        end: s.end_date.clone(),
        milestones: parts
            .milestones
            .iter()
            .map(|m| MilestoneExport {
                title: m.title.clone(),
                due: m.due_date.clone(),
                done: m.done_on.is_some(),
            })
            .collect(),
        time_horizon: s
            .time_horizon
            .map(|h| de.t(&format!("horizon-{}", h.as_str()))),
        priority: s
            .priority
            .map(|p| de.t(&format!("priority-{}", p.as_str()))),
        quick_win: s.quick_win,
        investment_costs_eur: s.investment_costs,
        operating_costs_eur_per_year: s.operating_costs,
        staff_need_fte: s.staff_need_fte,
        funding_own_share_pct: s.funding_own_share_pct,
        funding_programme: Some(s.funding_programme.clone()).filter(|v| !v.is_empty()),
        funding_rate_pct: s.funding_rate_pct,
        risks: s.risks.clone(),
        dependencies: parts
            .depends_on
            .iter()
            .filter(|d| {
                domain::visibility::Visibility::parse(&d.visibility).is_ok_and(|v| city.may_see(v))
            })
            .map(|d| d.title.clone())
            .collect(),
        council_decision_date: s.council_decision_date.clone(),
        council_decision_link: Some(s.council_decision_link.clone()).filter(|v| !v.is_empty()),
        participation_form: Some(s.participation_form.clone()).filter(|v| !v.is_empty()),
        location: Some(s.location_geojson.clone()).filter(|v| !v.is_empty()),
        sdgs: s
            .tag_ids
            .iter()
            .filter(|id| l.terms.iter().any(|t| t.id == **id && t.taxonomy == "sdg"))
            .map(|id| l.term(id))
            .collect(),
        charta: s
            .tag_ids
            .iter()
            .filter(|id| {
                l.terms
                    .iter()
                    .any(|t| t.id == **id && t.taxonomy == "charta")
            })
            .map(|id| l.term(id))
            .collect(),
        data_protection: s.data_protection.clone(),
        licence: Some(s.licence.clone()).filter(|v| !v.is_empty()),
        repository: Some(s.repository.clone()).filter(|v| !v.is_empty()),
        transferability: s.transferability.clone(),
        contact: Some(s.contact.clone()).filter(|v| !v.is_empty()),
        updated_at: datetime(rec.updated_at),
    })
}

/// A file name from a title: letters, digits and hyphens.
pub(crate) fn file_name(title: &str, ext: &str) -> String {
    let base: String = title
        .chars()
        .map(|c| match c {
            'ä' => 'a',
            'ö' => 'o',
            'ü' => 'u',
            'Ä' => 'A',
            'Ö' => 'O',
            'Ü' => 'U',
            'ß' => 's',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        })
        .collect();
    let base = base
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!(
        "{}.{ext}",
        if base.is_empty() {
            "projektblatt".to_string()
        } else {
            base
        }
    )
}

pub(crate) fn download(content_type: &'static str, name: String, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn pdf(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let sheet = sheet_export(&state, &city, id).await?;
    let name = file_name(&sheet.title, "pdf");
    let bytes = tokio::task::spawn_blocking(move || export::sheet_pdf(&sheet))
        .await
        .map_err(|e| AppError::Internal(format!("pdf task: {e}")))?
        .map_err(|e| AppError::Internal(format!("pdf: {e}")))?;
    Ok(download("application/pdf", name, bytes))
}

pub async fn markdown(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let sheet = sheet_export(&state, &city, id).await?;
    let name = file_name(&sheet.title, "md");
    Ok(download(
        "text/markdown; charset=utf-8",
        name,
        export::sheet_markdown(&sheet).into_bytes(),
    ))
}

pub async fn json(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let sheet = sheet_export(&state, &city, id).await?;
    let name = file_name(&sheet.title, "json");
    let body = serde_json::to_vec_pretty(&export::sheet_json(&sheet))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download("application/json", name, body))
}

async fn rows(
    state: &AppState,
    city: &City,
    q: &ListQuery,
) -> Result<Vec<export::MeasureRow>, AppError> {
    let (filter, sort) = q.filter();
    let de = crate::i18n::Lang::De;
    Ok(
        store::measures::list(&state.db, city.m.id, city.min_visibility, &filter, sort)
            .await?
            .into_iter()
            .map(|m| export::MeasureRow {
                id: m.id,
                title: m.title,
                status: m.status_name,
                primary_field: m.field_name.unwrap_or_default(),
                priority: m
                    .priority
                    .map(|p| de.t(&format!("priority-{p}")))
                    .unwrap_or_default(),
                quick_win: m.quick_win,
                lead: m.lead_unit,
                start: m.start_date,
                end: m.end_date,
                investment_costs_eur: m.investment_costs,
                visibility: de.t(&format!("visibility-{}", m.visibility)),
                updated_at: datetime(m.updated_at),
            })
            .collect(),
    )
}

pub async fn csv(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let rows = rows(&state, &city, &q).await?;
    let body = export::measures_csv(&rows).map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    Ok(download(
        "text/csv; charset=utf-8",
        format!("massnahmen-{}.csv", city.m.slug),
        body,
    ))
}

pub async fn xlsx(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let rows = rows(&state, &city, &q).await?;
    let body =
        export::measures_xlsx(&rows).map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("massnahmen-{}.xlsx", city.m.slug),
        body,
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_are_safe() {
        assert_eq!(
            super::file_name("Digitale Parkraum-Steuerung (Phase 1)", "pdf"),
            "Digitale-Parkraum-Steuerung-Phase-1.pdf"
        );
        assert_eq!(
            super::file_name("Bürger-App für Ölpe", "md"),
            "Burger-App-fur-Olpe.md"
        );
        assert_eq!(super::file_name("///", "json"), "projektblatt.json");
    }
}
