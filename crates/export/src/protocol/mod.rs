//! Workshop protocol (Werkstatt-Protokoll) as PDF and Markdown.
//!
//! Works like the project sheet: the caller resolves a workshop into display
//! values ([`ProtocolExport`]); `view` turns them into one display model with
//! German labels, which the typst template (`templates/protocol.typ`, via
//! `sys.inputs.protocol`) and the Markdown writer both render. User text stays
//! data throughout: it is never interpolated into typst markup, and Markdown
//! escapes it with the same helpers as the sheet.

mod markdown;
mod pdf;
mod view;

use serde::{Deserialize, Serialize};

pub use markdown::protocol_markdown;
pub use pdf::protocol_pdf;

/// Everything a workshop protocol shows, already resolved to display
/// strings/numbers by the caller.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProtocolExport {
    /// "Arnsberg", or "Netzwerk Innenstadt NRW" for network events.
    pub municipality: String,
    pub title: String,
    /// Workshop format, e.g. "Strategiewerkstatt".
    pub format: String,
    /// Already formatted, e.g. "12.03.2027, 17:00–20:00 Uhr".
    pub when: String,
    /// May be empty.
    pub place: String,
    /// May be empty; shown as link when it is an http(s) URL.
    pub online_link: String,
    /// Anlass und Ziel (plain text, may contain newlines).
    pub purpose: String,
    pub agenda: Vec<ProtocolAgendaItem>,
    pub attendance: Vec<AttendanceGroup>,
    /// Pinboard clusters in board order; unclustered cards come as a last
    /// cluster named "Ohne Cluster".
    pub clusters: Vec<ProtocolCluster>,
    pub rounds: Vec<ProtocolRound>,
    /// Plain text with paragraphs and "- " lists; section omitted when empty.
    pub decisions: String,
    /// Plain text with paragraphs and "- " lists; section omitted when empty.
    pub next_steps: String,
    /// Plain text with paragraphs and "- " lists; section omitted when empty.
    pub notes: String,
    /// Already formatted, e.g. "26.11.2026".
    pub generated: String,
}

/// One item of the agenda (Ablauf).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProtocolAgendaItem {
    pub title: String,
    /// Planned duration in minutes (0: not given).
    pub minutes: u32,
}

/// Attendance of one group of participants.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AttendanceGroup {
    pub group: String,
    /// Everyone who attended, named or not.
    pub count: u32,
    /// Only the people who consented to being named.
    pub names: Vec<String>,
}

/// A cluster of the pinboard with its cards.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProtocolCluster {
    pub name: String,
    /// Dots of all cards in the cluster.
    pub dots: u32,
    pub cards: Vec<ProtocolCard>,
}

/// One pinboard card.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProtocolCard {
    pub text: String,
    pub category: Option<String>,
    pub dots: u32,
    /// What became of the card, e.g. "Maßnahme: Digitale Parkraumlenkung".
    pub outcomes: Vec<String>,
}

/// One dot-voting round (Punktabstimmung).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProtocolRound {
    /// E.g. "Runde 1 – 5 Punkte je Person, kumulieren erlaubt".
    pub label: String,
    pub participants: u32,
    /// The voted items; shown sorted by dots, descending (ties keep their order).
    pub ranking: Vec<RankedItem>,
}

/// One voted item of a round.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RankedItem {
    pub label: String,
    pub dots: u32,
}
