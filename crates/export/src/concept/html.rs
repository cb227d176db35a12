//! The Umsetzungskonzept as HTML: an `<article>` fragment for the web page and
//! a standalone document for download. All text is escaped; charts are inline
//! SVG with `role="img"` and a text alternative, each followed by its table.

use std::fmt::Write as _;

use super::ConceptExport;
use super::chart::xml as esc;
use super::view::{CBlock, ConceptView};
use crate::view::Block;

fn heading(out: &mut String, level: usize, text: &str, id: Option<&str>) {
    let level = level.clamp(1, 6);
    match id {
        Some(id) => {
            let _ = writeln!(out, "<h{level} id=\"{}\">{}</h{level}>", esc(id), esc(text));
        }
        None => {
            let _ = writeln!(out, "<h{level}>{}</h{level}>", esc(text));
        }
    }
}

fn paragraphs(out: &mut String, items: &[String]) {
    if items.is_empty() {
        out.push_str("<p>–</p>\n");
    }
    for p in items {
        let lines: Vec<String> = p.lines().map(esc).collect();
        let _ = writeln!(out, "<p>{}</p>", lines.join("<br>"));
    }
}

fn block(out: &mut String, b: &Block, level: usize) {
    match b {
        Block::Facts { facts } => {
            out.push_str("<dl class=\"facts\">\n");
            for f in facts {
                let value = match &f.url {
                    Some(url) => format!("<a href=\"{}\">{}</a>", esc(url), esc(&f.value)),
                    None => esc(&f.value),
                };
                let _ = writeln!(out, "<dt>{}</dt><dd>{value}</dd>", esc(&f.label));
            }
            out.push_str("</dl>\n");
        }
        Block::Text {
            label,
            paragraphs: p,
        } => {
            heading(out, level, label, None);
            paragraphs(out, p);
        }
        Block::List { label, items } => {
            heading(out, level, label, None);
            if items.is_empty() {
                out.push_str("<p>–</p>\n");
            } else {
                out.push_str("<ul>\n");
                for i in items {
                    let _ = writeln!(out, "<li>{}</li>", esc(i));
                }
                out.push_str("</ul>\n");
            }
        }
        Block::Table {
            label,
            header,
            numeric,
            rows,
            empty,
            ..
        } => {
            heading(out, level, label, None);
            if rows.is_empty() {
                let _ = writeln!(out, "<p>{}</p>", esc(empty));
                return;
            }
            let _ = writeln!(
                out,
                "<div class=\"table-scroll\"><table>\n<caption class=\"visually-hidden\">{}</caption>\n<thead><tr>",
                esc(label)
            );
            for h in header {
                let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            for row in rows {
                out.push_str("<tr>");
                for (i, c) in row.iter().enumerate() {
                    let class = if numeric.get(i).copied().unwrap_or(false) {
                        " class=\"num\""
                    } else {
                        ""
                    };
                    let _ = write!(out, "<td{class}>{}</td>", esc(c));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody></table></div>\n");
        }
    }
}

/// Inline SVG made accessible: `role="img"` with a title and the text
/// alternative as its description.
fn chart(out: &mut String, svg: &str, alt: &str, caption: &str, n: usize) {
    let title_id = format!("chart-{n}-title");
    let desc_id = format!("chart-{n}-desc");
    let svg = svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-labelledby=\"{title_id} {desc_id}\" class=\"chart\" style=\"max-width:100%;height:auto\" "
        ),
        1,
    );
    let svg = match svg.find('>') {
        Some(pos) => format!(
            "{}<title id=\"{title_id}\">{}</title><desc id=\"{desc_id}\">{}</desc>{}",
            &svg[..=pos],
            esc(caption),
            esc(alt),
            &svg[pos + 1..]
        ),
        None => svg,
    };
    let _ = writeln!(
        out,
        "<figure>{svg}<figcaption>{}</figcaption></figure>",
        esc(caption)
    );
}

/// The concept as an `<article>`: the title as heading of level `base` (1 for
/// a document of its own, 2 inside a page that has its own `h1`), the
/// contents as a linked list, chapters one level below with ids, measures and
/// sub-sections below them (never deeper than `h6`).
pub fn concept_html_fragment(concept: &ConceptExport, base: usize) -> String {
    let base = base.clamp(1, 2);
    let view = ConceptView::new(concept);
    let mut out = String::new();
    out.push_str("<article class=\"concept\">\n<header>\n");
    heading(&mut out, base, &view.title, None);
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} · {} · Fassung für: {}</p>\n</header>",
        esc(&view.municipality),
        esc(&view.edition),
        esc(&view.audience)
    );
    let _ = writeln!(
        out,
        "<nav aria-labelledby=\"concept-toc\">\n<h{0} id=\"concept-toc\">Inhalt</h{0}>\n<ol>",
        base + 1
    );
    for c in &view.chapters {
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">{}</a></li>",
            esc(&c.id),
            esc(&c.heading)
        );
    }
    out.push_str("</ol>\n</nav>\n");
    let mut charts = 0;
    for (i, chapter) in view.chapters.iter().enumerate() {
        let number = i + 1;
        let _ = writeln!(out, "<section aria-labelledby=\"{}\">", esc(&chapter.id));
        heading(
            &mut out,
            base + 1,
            &format!("{number}. {}", chapter.heading),
            Some(&chapter.id),
        );
        let mut sub = 0;
        for b in &chapter.blocks {
            match b {
                CBlock::Subheading { text } => {
                    sub += 1;
                    heading(&mut out, base + 2, &format!("{number}.{sub} {text}"), None);
                }
                CBlock::Paragraphs { paragraphs: p } => paragraphs(&mut out, p),
                CBlock::Bullets { items } => {
                    out.push_str("<ul>\n");
                    for i in items {
                        let _ = writeln!(out, "<li>{}</li>", esc(i));
                    }
                    out.push_str("</ul>\n");
                }
                CBlock::Chart { svg, alt, caption } => {
                    charts += 1;
                    chart(&mut out, svg, alt, caption, charts);
                }
                CBlock::Sheet {
                    title,
                    lead,
                    sections,
                } => {
                    sub += 1;
                    out.push_str("<section class=\"concept-sheet\">\n");
                    heading(&mut out, base + 2, &format!("{number}.{sub} {title}"), None);
                    if !lead.is_empty() {
                        paragraphs(&mut out, lead);
                    }
                    for s in sections {
                        heading(&mut out, base + 3, &s.heading, None);
                        for b in &s.blocks {
                            block(&mut out, b, base + 4);
                        }
                    }
                    out.push_str("</section>\n");
                }
                CBlock::Base(b) => block(&mut out, b, base + if sub > 0 { 3 } else { 2 }),
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</article>\n");
    out
}

/// The concept as a standalone HTML document (`lang="de"`, print styles).
pub fn concept_html(concept: &ConceptExport) -> String {
    let title = ConceptView::new(concept).title;
    format!(
        "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<main>\n{}</main>\n</body>\n</html>\n",
        esc(&title),
        concept_html_fragment(concept, 1)
    )
}

const STYLE: &str = "body{font-family:Georgia,serif;line-height:1.5;max-width:60rem;margin:0 auto;padding:1rem;color:#111}\
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #999;padding:.25rem .4rem;text-align:left;vertical-align:top}\
th{background:#e8e8e8}td.num{text-align:right}dl.facts{display:grid;grid-template-columns:14rem 1fr;gap:.2rem 1rem}\
dt{font-weight:bold}dd{margin:0}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}\
figure{margin:1rem 0}.meta{color:#444}";
