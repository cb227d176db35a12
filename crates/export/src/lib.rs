//! Documents out of Smart City Werkstatt.
//!
//! A pure library without database or HTTP: the caller resolves a measure into
//! display values ([`SheetExport`], [`MeasureRow`]) and gets bytes back.
//!
//! * project sheet (Projektblatt) as PDF ([`sheet_pdf`], typst, A4, tagged PDF/UA-1),
//!   Markdown ([`sheet_markdown`]) and JSON ([`sheet_json`]);
//! * workshop protocol (Werkstatt-Protokoll) as PDF ([`protocol_pdf`], typst, A4,
//!   tagged PDF/UA-1) and Markdown ([`protocol_markdown`]);
//! * Umsetzungskonzept of a city as PDF ([`concept_pdf`]), HTML
//!   ([`concept_html`], [`concept_html_fragment`]) and Markdown ([`concept_markdown`]),
//!   every measure with its full project sheet;
//! * measure lists as CSV ([`measures_csv`]) and XLSX ([`measures_xlsx`]).
//!
//! PDF and Markdown are both built from the same intermediate document model
//! (`view` module for sheets, `protocol::view` for protocols), so they show the
//! same content with the same German labels.

mod access_codes;
mod concept;
mod format;
mod markdown;
mod pdf;
mod protocol;
mod table;
mod view;

use serde::{Deserialize, Serialize};

pub use access_codes::{AccessCodeSheet, access_codes_pdf};
pub use concept::{
    ConceptBenefit, ConceptBenefitRow, ConceptDefinition, ConceptExport, ConceptField, ConceptGoal,
    ConceptOpinion, ConceptParticipation, ConceptPhase, ConceptStakeholder, ConceptStatement,
    concept_html, concept_html_fragment, concept_markdown, concept_pdf,
};
pub use markdown::sheet_markdown;
pub use pdf::{PdfConformance, sheet_pdf, sheet_pdf_with, warm_up};
pub use protocol::{
    AttendanceGroup, ProtocolAgendaItem, ProtocolCard, ProtocolCluster, ProtocolExport,
    ProtocolRound, RankedItem, protocol_markdown, protocol_pdf,
};
pub use table::{CSV_HEADER, measures_csv, measures_xlsx, table_csv, table_xlsx};

/// The one error type of this crate.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The typst template failed to compile (a bug in the template, not in the data).
    #[error("typst template failed to compile: {0}")]
    Typst(String),
    /// The laid-out document could not be written as PDF.
    #[error("PDF writing failed: {0}")]
    Pdf(String),
    /// Serialising the sheet or protocol for the template failed.
    #[error("sheet data not serialisable for the template: {0}")]
    Json(#[from] serde_json::Error),
    /// Writing CSV failed.
    #[error("CSV writing failed: {0}")]
    Csv(#[from] csv::Error),
    /// Writing XLSX failed.
    #[error("XLSX writing failed: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Everything a project sheet (Projektblatt) shows, already resolved to display
/// strings/numbers by the caller.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SheetExport {
    pub municipality: String,
    pub title: String,
    pub short_description: String,
    /// German label, e.g. "in Umsetzung".
    pub status: String,
    /// "Kommune intern" | "Netzwerk" | "öffentlich".
    pub visibility: String,
    /// Field of action (Handlungsfeld).
    pub primary_field: Option<String>,
    pub further_fields: Vec<String>,
    pub goals: Vec<String>,
    /// Ausgangslage / Bedarf (plain text, may contain newlines).
    pub initial_situation: String,
    pub target_groups: Vec<String>,
    /// Wirkungslogik: output.
    pub impact_output: String,
    /// Wirkungslogik: outcome.
    pub impact_outcome: String,
    /// Wirkungslogik: impact.
    pub impact_impact: String,
    pub kpis: Vec<KpiExport>,
    /// Federführung: organisational unit.
    pub lead_unit: String,
    pub lead_person: Option<String>,
    pub partners: Vec<PartnerExport>,
    pub raci: Vec<RaciExport>,
    /// ISO date, e.g. "2026-03-01".
    pub start: Option<String>,
    /// ISO date, e.g. "2026-12-31".
    pub end: Option<String>,
    pub milestones: Vec<MilestoneExport>,
    /// "kurzfristig" | "mittelfristig" | "langfristig".
    pub time_horizon: Option<String>,
    /// "hoch" | "mittel" | "niedrig".
    pub priority: Option<String>,
    pub quick_win: bool,
    pub investment_costs_eur: Option<i64>,
    pub operating_costs_eur_per_year: Option<i64>,
    pub staff_need_fte: Option<f64>,
    pub funding_own_share_pct: Option<f64>,
    pub funding_programme: Option<String>,
    pub funding_rate_pct: Option<f64>,
    pub risks: Vec<String>,
    /// Titles of measures this one depends on.
    pub dependencies: Vec<String>,
    /// ISO date.
    pub council_decision_date: Option<String>,
    pub council_decision_link: Option<String>,
    pub participation_form: Option<String>,
    /// GeoJSON text or a place description.
    pub location: Option<String>,
    pub sdgs: Vec<String>,
    pub charta: Vec<String>,
    pub data_protection: String,
    pub licence: Option<String>,
    pub repository: Option<String>,
    pub transferability: String,
    pub contact: Option<String>,
    /// Already formatted, e.g. "26.11.2026 11:00".
    pub updated_at: String,
}

/// One key performance indicator (Kennzahl) of a sheet.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KpiExport {
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub method: String,
    pub data_source: String,
    pub interval: String,
    /// `(ISO date, value)` pairs.
    pub measurements: Vec<(String, f64)>,
}

/// A partner of the measure and its role.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PartnerExport {
    pub name: String,
    pub role: String,
}

/// One row of the RACI matrix.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RaciExport {
    pub who: String,
    pub responsible: bool,
    pub accountable: bool,
    pub consulted: bool,
    pub informed: bool,
}

/// A milestone of the schedule.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MilestoneExport {
    pub title: String,
    /// ISO date.
    pub due: Option<String>,
    pub done: bool,
}

/// One line of a measure list (CSV/XLSX export).
#[derive(Debug, Clone, Serialize)]
pub struct MeasureRow {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub primary_field: String,
    pub priority: String,
    pub quick_win: bool,
    pub lead: String,
    /// ISO date.
    pub start: Option<String>,
    /// ISO date.
    pub end: Option<String>,
    pub investment_costs_eur: Option<i64>,
    pub visibility: String,
    pub updated_at: String,
}

/// The sheet as JSON (plain serde serialisation of [`SheetExport`]).
pub fn sheet_json(sheet: &SheetExport) -> serde_json::Value {
    // Serialising plain strings, numbers, bools and vectors cannot fail; the
    // only failure mode of `to_value` (non-string map keys) does not occur here.
    // Non-finite floats become `null`, which is what serde_json does anyway.
    serde_json::to_value(sheet).unwrap_or(serde_json::Value::Null)
}
