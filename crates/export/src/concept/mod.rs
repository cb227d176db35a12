//! The Umsetzungskonzept (implementation concept) of a municipality as PDF,
//! HTML and Markdown.
//!
//! Works like the project sheet: the caller compiles the city's live data into
//! display values ([`ConceptExport`], already filtered to what the audience may
//! see); `view` turns them into one document model with German headings, which
//! the typst template (`templates/concept.typ`), the HTML writer and the
//! Markdown writer all render. Every measure is rendered with the project
//! sheet's own model ([`crate::view::SheetView`]) and building blocks
//! (`templates/blocks.typ`, [`crate::markdown::write_blocks`]), so a measure
//! reads the same in its sheet and in the concept. Charts (Nutzen-Aufwand
//! portfolio, roadmap) are SVG built in `chart`, embedded as vector graphics
//! in the PDF and inline in HTML, each followed by its data table.

mod chart;
mod html;
mod markdown;
mod pdf;
mod prose;
mod view;

use serde::{Deserialize, Serialize};

use crate::SheetExport;

pub use html::{concept_html, concept_html_fragment};
pub use markdown::concept_markdown;
pub use pdf::concept_pdf;

/// Everything the concept shows, resolved to display values by the caller and
/// restricted to what its audience may see. Serialisable, so that a published
/// version can keep exactly the data it was compiled from.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConceptExport {
    pub municipality: String,
    /// E.g. "Smart-City-Umsetzungskonzept Arnsberg".
    pub title: String,
    /// E.g. "Entwurf · Stand 26.11.2026" or "Fassung 2 vom 26.11.2026".
    pub edition: String,
    /// Who the document is compiled for, e.g. "Öffentlichkeit".
    pub audience: String,
    /// ISO date the data was compiled (milestones before it and not done are overdue).
    pub compiled_on: String,
    /// Ausgangslage: label/value facts about the city (population, size class, …).
    pub facts: Vec<(String, String)>,
    /// Phases of the city's process, in order.
    pub phases: Vec<ConceptPhase>,
    pub definition: Option<ConceptDefinition>,
    pub fields: Vec<ConceptField>,
    /// Actors (Akteure) of the city.
    pub stakeholders: Vec<ConceptStakeholder>,
    /// Full project sheets of the measures, in the order they appear.
    pub measures: Vec<SheetExport>,
    pub participations: Vec<ConceptParticipation>,
    pub benefit: Vec<ConceptBenefit>,
    pub opinions: Vec<ConceptOpinion>,
    /// Milestones of the city's process that belong to no measure.
    pub milestones: Vec<crate::MilestoneExport>,
}

/// One phase of the city's process.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConceptPhase {
    pub name: String,
    /// German label, e.g. "läuft".
    pub status: String,
    /// ISO date.
    pub start: Option<String>,
    /// ISO date.
    pub end: Option<String>,
    pub current: bool,
}

/// The Smart City definition (Leitbild) in its current version.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConceptDefinition {
    /// German label, e.g. "beschlossen".
    pub status: String,
    pub version: i64,
    /// E.g. "Ratsbeschluss vom 12.03.2026 (Drucksache 12/2026)"; empty when none.
    pub decision: String,
    /// The text (Markdown source; shown as plain paragraphs).
    pub body: String,
}

/// A field of action selected by the city, with its goals.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConceptField {
    pub name: String,
    /// German label, e.g. "hoch".
    pub priority: String,
    pub rationale: String,
    pub goals: Vec<ConceptGoal>,
}

/// A goal of a field of action.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConceptGoal {
    pub text: String,
    pub indicator: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub target_year: Option<i64>,
}

/// An actor of the city.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConceptStakeholder {
    pub name: String,
    /// "Organisation" or "Person".
    pub kind: String,
    /// Stakeholder group, e.g. "Verwaltung".
    pub group: String,
}

/// A participation format and what came of it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConceptParticipation {
    pub title: String,
    /// German label of the format, e.g. "Umfrage".
    pub kind: String,
    /// E.g. "01.03.2026 – 31.03.2026".
    pub period: String,
    pub participants: i64,
    /// What was contributed, e.g. "42 Antworten" or "17 Ideen, 30 Kommentare".
    pub contributions: String,
}

/// Results of a benefit analysis (Nutzwertanalyse).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConceptBenefit {
    pub title: String,
    /// Median thresholds of the portfolio, 0..100.
    pub benefit_threshold: f64,
    pub effort_threshold: f64,
    /// In rank order; unranked (excluded or unrated) measures last.
    pub rows: Vec<ConceptBenefitRow>,
}

/// One measure in a benefit analysis.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConceptBenefitRow {
    pub rank: Option<i64>,
    pub measure: String,
    /// 0..100.
    pub benefit: Option<f64>,
    /// 0..100.
    pub effort: Option<f64>,
    /// German quadrant label, e.g. "Quick Win"; or why it is not placed.
    pub quadrant: String,
    pub raters: i64,
}

/// Summary of an opinion map (Meinungsbild).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConceptOpinion {
    pub title: String,
    pub statements: i64,
    pub participants: i64,
    pub votes: i64,
    /// Statements with the most votes: text, agree, disagree, pass.
    pub top: Vec<ConceptStatement>,
}

/// One statement of an opinion map with its vote counts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConceptStatement {
    pub text: String,
    pub agree: i64,
    pub disagree: i64,
    pub pass: i64,
}
