//! The Umsetzungskonzept as Markdown (CommonMark with GFM tables). This is
//! also the text that published versions are compared by.

use std::fmt::Write as _;

use super::ConceptExport;
use super::view::{CBlock, ConceptView};
use crate::markdown::{escape_cell, escape_text, write_blocks};

/// Renders the concept as Markdown: title, contents, the numbered chapters,
/// every measure with its project sheet; charts appear as their data tables.
pub fn concept_markdown(concept: &ConceptExport) -> String {
    let view = ConceptView::new(concept);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape_cell(&view.title));
    if !view.municipality.is_empty() {
        let _ = writeln!(out, "**{}**  ", escape_cell(&view.municipality));
    }
    let _ = writeln!(
        out,
        "{} · Fassung für: {}\n",
        escape_cell(&view.edition),
        escape_cell(&view.audience)
    );
    out.push_str("## Inhalt\n\n");
    for (i, c) in view.chapters.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", i + 1, escape_cell(&c.heading));
    }
    out.push('\n');
    for (i, chapter) in view.chapters.iter().enumerate() {
        let number = i + 1;
        let _ = writeln!(out, "## {number}. {}\n", escape_cell(&chapter.heading));
        let mut sub = 0;
        for block in &chapter.blocks {
            match block {
                CBlock::Subheading { text } => {
                    sub += 1;
                    let _ = writeln!(out, "### {number}.{sub} {}\n", escape_cell(text));
                }
                CBlock::Paragraphs { paragraphs } => {
                    for p in paragraphs {
                        let _ = writeln!(out, "{}\n", escape_text(p));
                    }
                }
                CBlock::Bullets { items } => {
                    for i in items {
                        let _ = writeln!(out, "- {}", escape_cell(i));
                    }
                    out.push('\n');
                }
                CBlock::Chart { caption, .. } => {
                    let _ = writeln!(
                        out,
                        "*Abbildung: {} (Werte in der folgenden Tabelle)*\n",
                        escape_cell(caption)
                    );
                }
                CBlock::Sheet {
                    title,
                    lead,
                    sections,
                } => {
                    sub += 1;
                    let _ = writeln!(out, "### {number}.{sub} {}\n", escape_cell(title));
                    for p in lead {
                        let _ = writeln!(out, "{}\n", escape_text(p));
                    }
                    for section in sections {
                        let _ = writeln!(out, "#### {}\n", escape_cell(&section.heading));
                        write_blocks(&mut out, &section.blocks, 5);
                    }
                }
                CBlock::Base(b) => {
                    // Labels one level below the chapter, or below its last sub-heading.
                    let level = if sub > 0 { 4 } else { 3 };
                    write_blocks(&mut out, std::slice::from_ref(b), level);
                }
            }
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
