//! Workshop protocol as Markdown (CommonMark with GFM tables), German headings.
//!
//! Uses the escaping helpers of the project sheet: user text renders as
//! literal text, block markers at line starts are neutralised and table cells
//! cannot break out of their column.

use std::fmt::Write as _;

use super::ProtocolExport;
use super::view::{Block, Card, ProtocolView};
use crate::markdown::{escape_cell, escape_line, escape_text, link, table};

/// One card as list item: text (line breaks kept), category and dots, then
/// one "→ outcome" line per outcome.
fn card(out: &mut String, card: &Card) {
    let lines: Vec<String> = card.text.lines().map(escape_line).collect();
    let _ = write!(
        out,
        "- {} {}",
        lines.join("\\\n  "),
        escape_cell(&card.meta)
    );
    for outcome in &card.outcomes {
        let _ = write!(out, "\\\n  → {}", escape_cell(outcome));
    }
    out.push('\n');
}

fn block(out: &mut String, block: &Block) {
    match block {
        Block::Text { paragraphs } => {
            for paragraph in paragraphs {
                let _ = writeln!(out, "{}\n", escape_text(paragraph));
            }
        }
        Block::List { items } => {
            for item in items {
                let _ = writeln!(out, "- {}", escape_line(item));
            }
            out.push('\n');
        }
        Block::Subheading { text } => {
            let _ = writeln!(out, "### {}\n", escape_cell(text));
        }
        Block::Note { text } => {
            let _ = writeln!(out, "{}\n", escape_line(text));
        }
        Block::Facts { facts } => {
            for fact in facts {
                let value = match &fact.url {
                    Some(url) => link(&fact.value, url),
                    None => escape_cell(&fact.value),
                };
                let _ = writeln!(out, "- **{}:** {value}", escape_cell(&fact.label));
            }
            out.push('\n');
        }
        Block::Table {
            header,
            numeric,
            rows,
            footer,
            ..
        } => {
            if footer.is_empty() {
                table(out, header, numeric, rows);
            } else {
                let mut all = rows.clone();
                all.push(footer.clone());
                table(out, header, numeric, &all);
            }
            out.push('\n');
        }
        Block::Cards { cards } => {
            for c in cards {
                card(out, c);
            }
            out.push('\n');
        }
    }
}

/// Renders the workshop protocol as Markdown with the same sections, labels
/// and values as the PDF.
pub fn protocol_markdown(p: &ProtocolExport) -> String {
    let view = ProtocolView::new(p);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape_cell(&view.title));
    if !view.municipality.is_empty() {
        let _ = writeln!(out, "**{}**  ", escape_cell(&view.municipality));
    }
    let _ = writeln!(out, "{}\n", view.kind);
    if !view.facts.is_empty() {
        block(&mut out, &Block::Facts { facts: view.facts });
    }
    for (number, section) in view.sections.iter().enumerate() {
        let _ = writeln!(
            out,
            "## {}. {}\n",
            number + 1,
            escape_cell(&section.heading)
        );
        for b in &section.blocks {
            block(&mut out, b);
        }
    }
    let _ = writeln!(out, "---\n\n{}", escape_line(&view.closing));
    out
}
