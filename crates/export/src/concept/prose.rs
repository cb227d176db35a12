//! A city's own Markdown prose (the Smart City definition) as blocks of the
//! concept's document model: headings become sub-headings, paragraphs stay
//! paragraphs, lists become bullet lists. Inline emphasis is dropped (the
//! words stay), a link keeps its address in brackets, and HTML tags are
//! dropped (their text stays, as plain text that every writer escapes).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::view::CBlock;

/// Converts Markdown into sub-headings, paragraphs and bullet lists.
pub(crate) fn blocks(md: &str) -> Vec<CBlock> {
    let mut out: Vec<CBlock> = Vec::new();
    let mut paragraphs: Vec<String> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut link: Option<String> = None;
    let mut list_depth = 0usize;
    let flush_paragraphs = |out: &mut Vec<CBlock>, paragraphs: &mut Vec<String>| {
        if !paragraphs.is_empty() {
            out.push(CBlock::Paragraphs {
                paragraphs: std::mem::take(paragraphs),
            });
        }
    };
    for event in Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                flush_paragraphs(&mut out, &mut paragraphs);
                text.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                let heading = text.trim().to_owned();
                if !heading.is_empty() {
                    out.push(CBlock::Subheading { text: heading });
                }
                text.clear();
            }
            Event::Start(Tag::List(_)) => {
                if list_depth == 0 {
                    flush_paragraphs(&mut out, &mut paragraphs);
                } else {
                    // A nested list continues the flat list; finish the parent item first.
                    push_item(&mut items, &mut text);
                }
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                list_depth = list_depth.saturating_sub(1);
                if list_depth == 0 && !items.is_empty() {
                    out.push(CBlock::Bullets {
                        items: std::mem::take(&mut items),
                    });
                }
            }
            Event::End(TagEnd::Item) => push_item(&mut items, &mut text),
            Event::End(TagEnd::Paragraph) if list_depth == 0 => {
                let p = text.trim().to_owned();
                if !p.is_empty() {
                    paragraphs.push(p);
                }
                text.clear();
            }
            Event::End(TagEnd::Paragraph) => text.push(' '),
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                let row = text.trim().trim_end_matches('|').trim().to_owned();
                if !row.is_empty() {
                    paragraphs.push(row);
                }
                text.clear();
            }
            Event::End(TagEnd::TableCell) => text.push_str(" | "),
            Event::Start(Tag::Link { dest_url, .. }) => link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.take()
                    && !url.is_empty()
                    && !text.trim_end().ends_with(url.as_str())
                {
                    text.push_str(&format!(" ({url})"));
                }
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak => text.push(' '),
            Event::HardBreak => text.push('\n'),
            _ => {}
        }
    }
    flush_paragraphs(&mut out, &mut paragraphs);
    out
}

fn push_item(items: &mut Vec<String>, text: &mut String) {
    let item = text.trim().to_owned();
    if !item.is_empty() {
        items.push(item);
    }
    text.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(blocks: &[CBlock]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                CBlock::Subheading { text } => format!("h:{text}"),
                CBlock::Paragraphs { paragraphs } => format!("p:{}", paragraphs.join("/")),
                CBlock::Bullets { items } => format!("ul:{}", items.join("/")),
                _ => "other".into(),
            })
            .collect()
    }

    #[test]
    fn headings_paragraphs_and_lists_keep_their_structure() {
        let md = "# Unser Leitbild\n\nArnsberg ist **vernetzt** und\n*nah*.\n\nZweiter Absatz.\n\n## Ziele\n\n- Mobilität\n- Teilhabe\n  - digital\n- Klima\n";
        assert_eq!(
            kinds(&blocks(md)),
            [
                "h:Unser Leitbild",
                "p:Arnsberg ist vernetzt und nah./Zweiter Absatz.",
                "h:Ziele",
                "ul:Mobilität/Teilhabe/digital/Klima",
            ]
        );
    }

    #[test]
    fn markup_and_html_are_not_passed_on_and_links_keep_their_address() {
        let md = "Mehr unter [der Stadt](https://arnsberg.de) und <script>alert(1)</script> `code`.\n\n<b>fett</b>";
        let got = kinds(&blocks(md));
        // Tags are dropped; what stands between them stays as plain text, which every writer escapes.
        assert_eq!(
            got,
            ["p:Mehr unter der Stadt (https://arnsberg.de) und alert(1) code./fett"]
        );
    }

    #[test]
    fn an_empty_text_gives_no_blocks() {
        assert!(blocks("  \n\n").is_empty());
    }
}
