//! Markdown to sanitised HTML: everything user-written goes through ammonia before it reaches a page.

use pulldown_cmark::{Options, Parser, html};

pub fn to_safe_html(md: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(md, opts));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
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
}
