//! Markdown to sanitised HTML: everything user-written goes through ammonia before it reaches a page.
//! Its own crate (used as `web::markdown`) so that the fuzz target `markdown` builds without the web stack.

pub use pulldown_cmark::HeadingLevel;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

fn options() -> Options {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts
}

fn sanitise(raw: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(raw)
        .to_string()
}

pub fn to_safe_html(md: &str) -> String {
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(md, options()));
    sanitise(&raw)
}

/// Like `to_safe_html`, for text embedded under a heading of level `parent`: the text's top headings become
/// one level below the parent and the rest follow, so that the page keeps one heading hierarchy.
pub fn to_safe_html_below(md: &str, parent: HeadingLevel) -> String {
    let events: Vec<Event> = Parser::new_ext(md, options()).collect();
    let top = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let deeper = |level: HeadingLevel| {
        HeadingLevel::try_from((level as usize + parent as usize + 1 - top).min(6))
            .unwrap_or(HeadingLevel::H6)
    };
    let events = events.into_iter().map(|e| match e {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: deeper(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(deeper(level))),
        other => other,
    });
    let mut raw = String::new();
    html::push_html(&mut raw, events);
    sanitise(&raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed() {
        let out = to_safe_html(
            "# Titel\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) [b](https://example.org)",
        );
        assert!(out.contains("<h1>Titel</h1>"));
        assert!(!out.contains("<script"));
        assert!(!out.contains("onerror"));
        assert!(!out.contains("javascript:"), "{out}");
        assert!(out.contains(r#"href="https://example.org""#), "{out}");
    }

    #[test]
    fn embedded_headings_move_below_the_parent() {
        assert_eq!(to_safe_html("# A\n\n## B").trim(), "<h1>A</h1>\n<h2>B</h2>");
        assert_eq!(
            to_safe_html_below("# A\n\n## B", HeadingLevel::H2).trim(),
            "<h3>A</h3>\n<h4>B</h4>"
        );
        assert_eq!(
            to_safe_html_below("## A\n\n### B", HeadingLevel::H1).trim(),
            "<h2>A</h2>\n<h3>B</h3>"
        );
        assert_eq!(
            to_safe_html_below("# A\n\n###### F", HeadingLevel::H3).trim(),
            "<h4>A</h4>\n<h6>F</h6>"
        );
    }
}
