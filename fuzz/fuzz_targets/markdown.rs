//! Markdown rendering and sanitising (`richtext`, used by every page that shows user-written Markdown):
//! no input may panic or bring a script, an event handler or a `javascript:` link into the page.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Whether `needle` occurs inside a tag of `html` (after a `<` that no `>` closed). Text never holds a raw `<`
/// (it is written as `&lt;`), so text that merely reads like an attribute does not count.
fn in_tag(html: &str, needle: &str) -> bool {
    html.match_indices(needle)
        .any(|(i, _)| html[..i].rfind('<') > html[..i].rfind('>'))
}

fn assert_safe(md: &str, html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script from {md:?}: {html}");
    assert!(!lower.contains("<iframe"), "iframe from {md:?}: {html}");
    for attr in [
        " href=\"javascript:",
        " src=\"javascript:",
        " href=\"data:",
        " src=\"data:",
    ] {
        assert!(!in_tag(&lower, attr), "{attr} from {md:?}: {html}");
    }
    // ammonia writes every attribute as ` name="…"` and escapes `"` inside values, so an event handler
    // would show as ` on…="`.
    for (i, _) in lower.match_indices(" on") {
        let name_len = lower[i + 1..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        let after = i + 1 + name_len;
        if lower[after..].starts_with("=\"") {
            assert!(
                !in_tag(&lower[..after], &lower[i..after]),
                "event handler from {md:?}: {html}"
            );
        }
    }
}

fuzz_target!(|md: &str| {
    assert_safe(md, &richtext::to_safe_html(md));
    assert_safe(
        md,
        &richtext::to_safe_html_below(md, richtext::HeadingLevel::H2),
    );
});
