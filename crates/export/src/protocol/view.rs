//! The display model of a workshop protocol.
//!
//! [`ProtocolView`] holds display-ready German strings grouped into sections
//! and blocks; the typst template and the Markdown writer both render exactly
//! this model, so PDF and Markdown show the same content.

use serde::Serialize;

use super::{ProtocolCard, ProtocolCluster, ProtocolExport, ProtocolRound};
use crate::format::{self, EMPTY};
use crate::view::Fact;

/// Label shown above the title.
pub(crate) const KIND: &str = "Protokoll";

/// A whole protocol, ready for rendering.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProtocolView {
    /// PDF metadata title: "Protokoll: {title}".
    pub doc_title: String,
    /// Visible title (the workshop's title).
    pub title: String,
    /// Shown above the title and used as PDF author; may be empty.
    pub municipality: String,
    /// "Protokoll".
    pub kind: String,
    /// Format, date/time, place, online link (only those given).
    pub facts: Vec<Fact>,
    pub sections: Vec<Section>,
    /// "Erstellt am … mit Smart City Werkstatt".
    pub closing: String,
}

/// A numbered top-level section.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// The building blocks of a section.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Block {
    /// Paragraphs of user text; single newlines are line breaks.
    Text { paragraphs: Vec<String> },
    /// A bullet list of user text (single-line items).
    List { items: Vec<String> },
    /// A second-level heading (cluster, voting round).
    Subheading { text: String },
    /// A short sentence of our own (hint, empty state, count).
    Note { text: String },
    /// Label/value pairs.
    Facts { facts: Vec<Fact> },
    /// A table with a header row and an optional total row (`footer`, empty = none).
    Table {
        header: Vec<String>,
        /// Relative column widths (typst `fr`).
        widths: Vec<f64>,
        /// Right-align this column (numbers).
        numeric: Vec<bool>,
        rows: Vec<Vec<String>>,
        footer: Vec<String>,
    },
    /// Pinboard cards.
    Cards { cards: Vec<Card> },
}

/// One pinboard card for display.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Card {
    /// Card text; single newlines are line breaks.
    pub text: String,
    /// "(Kategorie) · 3 Punkte" or "· 3 Punkte" (follows the text).
    pub meta: String,
    /// Single-line outcomes, without the arrow.
    pub outcomes: Vec<String>,
}

/// A single-line table cell; blank → "–".
fn cell(value: &str) -> String {
    let joined = format::single_line(value);
    if joined.is_empty() {
        EMPTY.to_owned()
    } else {
        joined
    }
}

/// `1234` → `1.234`.
fn number(value: u64) -> String {
    format::integer(i64::try_from(value).unwrap_or(i64::MAX))
}

/// `1` → `1 Punkt`, `12` → `12 Punkte`.
pub(crate) fn points(dots: u64) -> String {
    if dots == 1 {
        "1\u{a0}Punkt".to_owned()
    } else {
        format!("{}\u{a0}Punkte", number(dots))
    }
}

/// Text with lines trimmed and blank lines dropped, joined with `\n`.
fn lines(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The item text of a list line ("- x", "* x", "• x", "– x"), if it is one.
fn bullet(line: &str) -> Option<&str> {
    if matches!(line, "-" | "*" | "•" | "–") {
        return Some("");
    }
    ["- ", "* ", "• ", "– "]
        .iter()
        .find_map(|marker| line.strip_prefix(marker))
        .map(str::trim)
}

/// Splits plain text with simple Markdown structure into paragraphs and
/// bullet lists ("- " items; indented lines continue an item). Any other
/// markup stays literal text.
pub(crate) fn rich_text(text: &str) -> Vec<Block> {
    fn flush(blocks: &mut Vec<Block>, paragraph: &mut Vec<String>, items: &mut Vec<String>) {
        if !paragraph.is_empty() {
            let text = paragraph.join("\n");
            paragraph.clear();
            match blocks.last_mut() {
                Some(Block::Text { paragraphs }) => paragraphs.push(text),
                _ => blocks.push(Block::Text {
                    paragraphs: vec![text],
                }),
            }
        }
        if !items.is_empty() {
            let new = std::mem::take(items);
            match blocks.last_mut() {
                Some(Block::List { items }) => items.extend(new),
                _ => blocks.push(Block::List { items: new }),
            }
        }
    }

    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut blocks = Vec::new();
    let mut paragraph: Vec<String> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    for raw in normalised.split('\n') {
        let line = raw.trim();
        if line.is_empty() {
            flush(&mut blocks, &mut paragraph, &mut items);
        } else if let Some(item) = bullet(line) {
            flush(&mut blocks, &mut paragraph, &mut Vec::new());
            if !item.is_empty() {
                items.push(format::single_line(item));
            }
        } else if raw.starts_with([' ', '\t']) && !items.is_empty() {
            if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(&format::single_line(line));
            }
        } else {
            flush(&mut blocks, &mut Vec::new(), &mut items);
            paragraph.push(line.to_owned());
        }
    }
    flush(&mut blocks, &mut paragraph, &mut items);
    blocks
}

fn note(text: &str) -> Block {
    Block::Note {
        text: text.to_owned(),
    }
}

fn strings<const N: usize>(values: [&str; N]) -> Vec<String> {
    values.map(str::to_owned).to_vec()
}

fn agenda(p: &ProtocolExport) -> Section {
    let blocks = if p.agenda.is_empty() {
        vec![note("Kein Ablauf erfasst.")]
    } else {
        let total: u64 = p.agenda.iter().map(|a| u64::from(a.minutes)).sum();
        let rows = p
            .agenda
            .iter()
            .enumerate()
            .map(|(i, a)| {
                vec![
                    format!("{}.", i + 1),
                    cell(&a.title),
                    if a.minutes == 0 {
                        EMPTY.to_owned()
                    } else {
                        number(u64::from(a.minutes))
                    },
                ]
            })
            .collect();
        vec![Block::Table {
            header: strings(["Nr.", "Programmpunkt", "Dauer (min)"]),
            widths: vec![0.6, 5.0, 1.4],
            numeric: vec![false, false, true],
            rows,
            footer: vec![String::new(), "Gesamt".to_owned(), number(total)],
        }]
    };
    Section {
        heading: "Ablauf".to_owned(),
        blocks,
    }
}

fn attendance(p: &ProtocolExport) -> Section {
    let mut blocks = Vec::new();
    if p.attendance.is_empty() {
        blocks.push(note("Keine Teilnahme erfasst."));
    } else {
        let total: u64 = p.attendance.iter().map(|g| u64::from(g.count)).sum();
        blocks.push(Block::Table {
            header: strings(["Gruppe", "Anzahl"]),
            widths: vec![5.0, 1.4],
            numeric: vec![false, true],
            rows: p
                .attendance
                .iter()
                .map(|g| vec![cell(&g.group), number(u64::from(g.count))])
                .collect(),
            footer: vec!["Gesamt".to_owned(), number(total)],
        });
        let named: Vec<Fact> = p
            .attendance
            .iter()
            .filter_map(|g| {
                let names: Vec<String> = format::non_blank(&g.names)
                    .iter()
                    .map(|n| format::single_line(n))
                    .collect();
                (!names.is_empty()).then(|| Fact {
                    label: cell(&g.group),
                    value: names.join(", "),
                    url: None,
                })
            })
            .collect();
        if !named.is_empty() {
            blocks.push(Block::Facts { facts: named });
        }
        blocks.push(note(
            "Namen werden nur aufgeführt, wenn die Person der Nennung zugestimmt hat.",
        ));
    }
    Section {
        heading: "Teilnahme".to_owned(),
        blocks,
    }
}

fn card(c: &ProtocolCard) -> Card {
    let category = c
        .category
        .as_deref()
        .map(format::single_line)
        .filter(|category| !category.is_empty());
    let dots = points(u64::from(c.dots));
    let meta = match category {
        Some(category) => format!("({category}) · {dots}"),
        None => format!("· {dots}"),
    };
    let text = lines(&c.text);
    Card {
        text: if text.is_empty() {
            EMPTY.to_owned()
        } else {
            text
        },
        meta,
        outcomes: format::non_blank(&c.outcomes)
            .iter()
            .map(|o| format::single_line(o))
            .collect(),
    }
}

fn cluster(blocks: &mut Vec<Block>, c: &ProtocolCluster) {
    let name = match format::single_line(&c.name) {
        n if n.is_empty() => "Ohne Namen".to_owned(),
        n => n,
    };
    blocks.push(Block::Subheading {
        text: format!("{name} ({})", points(u64::from(c.dots))),
    });
    if c.cards.is_empty() {
        blocks.push(note("Keine Karten."));
    } else {
        blocks.push(Block::Cards {
            cards: c.cards.iter().map(card).collect(),
        });
    }
}

fn board(p: &ProtocolExport) -> Section {
    let mut blocks = Vec::new();
    if p.clusters.is_empty() {
        blocks.push(note("Keine Karten an der Pinnwand."));
    }
    for c in &p.clusters {
        cluster(&mut blocks, c);
    }
    Section {
        heading: "Ergebnisse der Pinnwand".to_owned(),
        blocks,
    }
}

/// Ranking rows sorted by dots (descending, stable); equal dots share a rank.
pub(crate) fn ranking_rows(round: &ProtocolRound) -> Vec<Vec<String>> {
    let mut items: Vec<_> = round.ranking.iter().collect();
    items.sort_by_key(|item| std::cmp::Reverse(item.dots));
    let mut rank = 0;
    let mut previous = None;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            if previous != Some(item.dots) {
                rank = i + 1;
                previous = Some(item.dots);
            }
            vec![
                format!("{rank}."),
                cell(&item.label),
                number(u64::from(item.dots)),
            ]
        })
        .collect()
}

fn voting(p: &ProtocolExport) -> Section {
    let mut blocks = Vec::new();
    if p.rounds.is_empty() {
        blocks.push(note("Keine Abstimmung durchgeführt."));
    }
    for (i, round) in p.rounds.iter().enumerate() {
        let label = match format::single_line(&round.label) {
            l if l.is_empty() => format!("Runde {}", i + 1),
            l => l,
        };
        blocks.push(Block::Subheading { text: label });
        blocks.push(Block::Note {
            text: format!("Teilnehmende: {}", number(u64::from(round.participants))),
        });
        if round.ranking.is_empty() {
            blocks.push(note("Keine Punkte vergeben."));
        } else {
            blocks.push(Block::Table {
                header: strings(["Rang", "Beitrag", "Punkte"]),
                widths: vec![0.8, 5.0, 1.2],
                numeric: vec![false, false, true],
                rows: ranking_rows(round),
                footer: Vec::new(),
            });
        }
    }
    Section {
        heading: "Punktabstimmung".to_owned(),
        blocks,
    }
}

/// A section of free text, or `None` when the text is blank.
fn text_section(heading: &str, text: &str) -> Option<Section> {
    let blocks = rich_text(text);
    (!blocks.is_empty()).then(|| Section {
        heading: heading.to_owned(),
        blocks,
    })
}

impl ProtocolView {
    pub(crate) fn new(p: &ProtocolExport) -> Self {
        let title = match format::single_line(&p.title) {
            t if t.is_empty() => "Werkstatt".to_owned(),
            t => t,
        };

        let mut facts = Vec::new();
        for (label, value) in [
            ("Format", &p.format),
            ("Termin", &p.when),
            ("Ort", &p.place),
        ] {
            let value = format::single_line(value);
            if !value.is_empty() {
                facts.push(Fact {
                    label: label.to_owned(),
                    value,
                    url: None,
                });
            }
        }
        let online = p.online_link.trim();
        if !online.is_empty() {
            facts.push(Fact {
                label: "Online".to_owned(),
                value: format::single_line(online),
                url: format::is_web_url(online).then(|| online.to_owned()),
            });
        }

        let mut sections = Vec::new();
        sections.extend(text_section("Anlass und Ziel", &p.purpose));
        sections.push(agenda(p));
        sections.push(attendance(p));
        sections.push(board(p));
        sections.push(voting(p));
        sections.extend(text_section("Beschlüsse", &p.decisions));
        sections.extend(text_section("Nächste Schritte", &p.next_steps));
        sections.extend(text_section("Notizen", &p.notes));

        let generated = format::single_line(&p.generated);
        let closing = if generated.is_empty() {
            "Erstellt mit Smart City Werkstatt".to_owned()
        } else {
            format!("Erstellt am {generated} mit Smart City Werkstatt")
        };

        ProtocolView {
            doc_title: format!("{KIND}: {title}"),
            title,
            municipality: format::single_line(&p.municipality),
            kind: KIND.to_owned(),
            facts,
            sections,
            closing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RankedItem;

    #[test]
    fn rich_text_splits_paragraphs_and_lists() {
        let blocks = rich_text(
            "Erster Absatz\nzweite Zeile\n\n- Punkt eins\n  fortgesetzt\n* Punkt zwei\n\nSchluss\n-\n",
        );
        let shape: Vec<String> = blocks
            .iter()
            .map(|b| match b {
                Block::Text { paragraphs } => format!("T{paragraphs:?}"),
                Block::List { items } => format!("L{items:?}"),
                _ => "?".to_owned(),
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                r#"T["Erster Absatz\nzweite Zeile"]"#.to_owned(),
                r#"L["Punkt eins fortgesetzt", "Punkt zwei"]"#.to_owned(),
                r#"T["Schluss"]"#.to_owned(),
            ]
        );
        assert!(rich_text(" \n\n ").is_empty());
    }

    #[test]
    fn ranking_is_sorted_and_ties_share_a_rank() {
        let round = ProtocolRound {
            ranking: [("a", 2), ("b", 5), ("c", 2), ("d", 7)]
                .map(|(label, dots)| RankedItem {
                    label: label.to_owned(),
                    dots,
                })
                .to_vec(),
            ..ProtocolRound::default()
        };
        let rows: Vec<String> = ranking_rows(&round).iter().map(|r| r.join(" ")).collect();
        assert_eq!(rows, ["1. d 7", "2. b 5", "3. a 2", "3. c 2"]);
        assert_eq!(points(1), "1\u{a0}Punkt");
        assert_eq!(points(1200), "1.200\u{a0}Punkte");
    }
}
