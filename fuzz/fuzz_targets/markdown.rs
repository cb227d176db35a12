//! Markdown rendering and sanitising (`richtext`, used by every page that shows user-written Markdown):
//! no input may panic or bring a script, an event handler or a `javascript:` link into the page.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// For each byte of `html`, whether it lies inside a tag (after a `<` that no `>` closed yet). Text never holds
/// a raw `<` (it is written as `&lt;`), so text that merely reads like an attribute is outside.
fn inside_tags(html: &str) -> Vec<bool> {
    let mut inside = false;
    html.bytes()
        .map(|b| {
            match b {
                b'<' => inside = true,
                b'>' => inside = false,
                _ => {}
            }
            inside
        })
        .collect()
}

fn assert_safe(md: &str, html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script from {md:?}: {html}");
    assert!(!lower.contains("<iframe"), "iframe from {md:?}: {html}");
    let inside = inside_tags(&lower);
    for attr in [
        " href=\"javascript:",
        " src=\"javascript:",
        " href=\"data:",
        " src=\"data:",
    ] {
        for (i, _) in lower.match_indices(attr) {
            assert!(!inside[i], "{attr} from {md:?}: {html}");
        }
    }
    // ammonia writes every attribute as ` name="…"` and escapes `"` inside values, so an event handler
    // would show as ` on…="` inside a tag.
    for (i, _) in lower.match_indices(" on") {
        if !inside[i] {
            continue;
        }
        let name_len = lower[i + 1..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        assert!(
            !lower[i + 1 + name_len..].starts_with("=\""),
            "event handler from {md:?}: {html}"
        );
    }
}

fuzz_target!(|md: &str| {
    assert_safe(md, &richtext::to_safe_html(md));
    assert_safe(
        md,
        &richtext::to_safe_html_below(md, richtext::HeadingLevel::H2),
    );
});
