//! Project sheet as Markdown (CommonMark with GFM tables), German headings.
//!
//! All user text is escaped so that it renders as literal text: inline markup
//! characters get a backslash, block markers at the start of a line are
//! neutralised and table cells cannot break out of their column.

use std::fmt::Write as _;

use crate::SheetExport;
use crate::format::single_line;
use crate::view::{Block, SheetView};

/// Characters that can start or end inline markup (or HTML) anywhere in a line.
const INLINE_SPECIAL: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '#', '&', '$', '!',
];

/// Escapes user text for use inside a line (after other text, in a heading,
/// in a table cell): only inline markup characters are escaped.
fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.trim().chars() {
        if INLINE_SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes one line of user text that starts a Markdown line (paragraph line,
/// list item): additionally neutralises block markers (list bullets, setext
/// underlines, ordered-list numbers like "1." / "1)").
pub(crate) fn escape_line(line: &str) -> String {
    let mut out = escape_inline(line);
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    } else {
        let digits = out.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && out[digits..].starts_with(['.', ')']) {
            out.insert(digits, '\\');
        }
    }
    out
}

/// Escapes text that may span several lines; newlines become hard breaks.
pub(crate) fn escape_text(text: &str) -> String {
    text.lines()
        .map(escape_line)
        .collect::<Vec<_>>()
        .join("\\\n")
}

/// Escapes a value for a GFM table cell, fact value or heading (single line).
pub(crate) fn escape_cell(text: &str) -> String {
    escape_inline(&single_line(text))
}

pub(crate) fn link(value: &str, url: &str) -> String {
    // `url` is an http(s) URL without whitespace (checked in the view); the
    // angle-bracket form tolerates parentheses, but not `<`, `>` or `\`.
    let safe_url: String = url
        .chars()
        .map(|c| match c {
            '<' => "%3C".to_owned(),
            '>' => "%3E".to_owned(),
            '\\' => "%5C".to_owned(),
            c => c.to_string(),
        })
        .collect();
    format!("[{}](<{safe_url}>)", escape_cell(value))
}

pub(crate) fn table(out: &mut String, header: &[String], numeric: &[bool], rows: &[Vec<String>]) {
    let head: Vec<String> = header.iter().map(|h| escape_cell(h)).collect();
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let rule: Vec<&str> = (0..header.len())
        .map(|i| {
            if numeric.get(i).copied().unwrap_or(false) {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    let _ = writeln!(out, "| {} |", rule.join(" | "));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| escape_cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

/// Writes the blocks of a sheet section; block labels become headings of
/// `level` (3 on a sheet, deeper inside the Umsetzungskonzept).
pub(crate) fn write_blocks(out: &mut String, blocks: &[Block], level: usize) {
    let hashes = "#".repeat(level.clamp(1, 6));
    for block in blocks {
        match block {
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
            Block::Text { label, paragraphs } => {
                let _ = writeln!(out, "{hashes} {}\n", escape_cell(label));
                if paragraphs.is_empty() {
                    out.push_str("–\n\n");
                }
                for paragraph in paragraphs {
                    let _ = writeln!(out, "{}\n", escape_text(paragraph));
                }
            }
            Block::List { label, items } => {
                let _ = writeln!(out, "{hashes} {}\n", escape_cell(label));
                if items.is_empty() {
                    out.push_str("–\n");
                }
                for item in items {
                    let _ = writeln!(out, "- {}", escape_line(&single_line(item)));
                }
                out.push('\n');
            }
            Block::Table {
                label,
                header,
                numeric,
                rows,
                empty,
                ..
            } => {
                let _ = writeln!(out, "{hashes} {}\n", escape_cell(label));
                if rows.is_empty() {
                    let _ = writeln!(out, "{}", escape_cell(empty));
                } else {
                    table(out, header, numeric, rows);
                }
                out.push('\n');
            }
        }
    }
}

/// Renders the project sheet as Markdown with the same sections, labels and
/// values as the PDF.
pub fn sheet_markdown(sheet: &SheetExport) -> String {
    let view = SheetView::new(sheet);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape_cell(&view.title));
    if !view.municipality.is_empty() {
        let _ = writeln!(out, "**{}**  ", escape_cell(&view.municipality));
    }
    let _ = writeln!(
        out,
        "Projektblatt · Stand: {}\n",
        escape_cell(&view.updated_at)
    );
    for paragraph in &view.lead {
        let _ = writeln!(out, "{}\n", escape_text(paragraph));
    }

    for (number, section) in view.sections.iter().enumerate() {
        let _ = writeln!(
            out,
            "## {}. {}\n",
            number + 1,
            escape_cell(&section.heading)
        );
        write_blocks(&mut out, &section.blocks, 3);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escaping() {
        assert_eq!(
            escape_line("# a *b* [c](d) <e> | _f_"),
            r"\# a \*b\* \[c\](d) \<e\> \| \_f\_"
        );
        assert_eq!(escape_line("- Punkt"), r"\- Punkt");
        assert_eq!(escape_line("2026. Jahr"), r"2026\. Jahr");
        assert_eq!(escape_cell("1.234.567 €"), "1.234.567 €");
        assert_eq!(escape_line("Straße & Weg"), r"Straße \& Weg");
        assert_eq!(escape_text("a\nb"), "a\\\nb");
        assert_eq!(escape_cell("a\n|b"), r"a \|b");
        assert_eq!(
            link("x", "https://e.org/<a>"),
            "[x](<https://e.org/%3Ca%3E>)"
        );
    }
}
