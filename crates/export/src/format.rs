//! German display formats for numbers, money and dates.

/// Placeholder shown for an empty value.
pub(crate) const EMPTY: &str = "–";

/// Groups the digits of an unsigned decimal integer with `.` (German style).
fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    let first = digits.len() % 3;
    for (i, c) in digits.chars().enumerate() {
        if i != 0 && (i + 3 - first).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `1234567` → `1.234.567`, `-1500` → `-1.500`.
pub(crate) fn integer(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let grouped = group_thousands(&digits);
    if value < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// `1234567` → `1.234.567 €` (with a no-break space before the sign).
pub(crate) fn euro(value: i64) -> String {
    format!("{}\u{a0}€", integer(value))
}

/// A decimal number with German separators and at most `max_decimals`
/// decimals, trailing zeros removed: `1234.5` → `1.234,5`, `2.0` → `2`.
pub(crate) fn decimal(value: f64, max_decimals: usize) -> String {
    if !value.is_finite() {
        return EMPTY.to_owned();
    }
    let fixed = format!("{:.*}", max_decimals, value.abs());
    let (int_part, frac_part) = match fixed.split_once('.') {
        Some((i, f)) => (i, f.trim_end_matches('0')),
        None => (fixed.as_str(), ""),
    };
    let mut out = String::new();
    let is_zero = int_part.chars().all(|c| c == '0') && frac_part.is_empty();
    if value.is_sign_negative() && !is_zero {
        out.push('-');
    }
    out.push_str(&group_thousands(int_part));
    if !frac_part.is_empty() {
        out.push(',');
        out.push_str(frac_part);
    }
    out
}

/// `12.5` → `12,5 %` (with a no-break space before the sign).
pub(crate) fn percent(value: f64) -> String {
    if !value.is_finite() {
        return EMPTY.to_owned();
    }
    format!("{}\u{a0}%", decimal(value, 2))
}

/// An ISO date `2026-03-01` (optionally followed by a time) → `01.03.2026`;
/// anything else is returned unchanged (trimmed).
pub(crate) fn date(value: &str) -> String {
    let trimmed = value.trim();
    let bytes = trimmed.as_bytes();
    let is_iso = bytes.len() >= 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| bytes[i].is_ascii_digit())
        && (bytes.len() == 10 || matches!(bytes[10], b'T' | b' '));
    if is_iso {
        format!("{}.{}.{}", &trimmed[8..10], &trimmed[5..7], &trimmed[0..4])
    } else {
        trimmed.to_owned()
    }
}

/// `true` → `ja`, `false` → `nein`.
pub(crate) fn yes_no(value: bool) -> &'static str {
    if value { "ja" } else { "nein" }
}

/// The text itself, or [`EMPTY`] when it is blank.
pub(crate) fn or_empty(value: &str) -> String {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        EMPTY.to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Like [`or_empty`] for optional text.
pub(crate) fn opt_or_empty(value: Option<&str>) -> String {
    or_empty(value.unwrap_or_default())
}

/// Non-blank entries, trimmed.
pub(crate) fn non_blank(values: &[String]) -> Vec<String> {
    values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Splits plain text into paragraphs at blank lines; single newlines stay
/// inside a paragraph. Line endings are normalised to `\n`.
pub(crate) fn paragraphs(text: &str) -> Vec<String> {
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in normalised.split('\n') {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    out
}

/// Collapses runs of breaking white space (including newlines) into one
/// space; no-break spaces are kept.
pub(crate) fn single_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}'))
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Is `value` an absolute http(s) URL that may become a clickable link?
pub(crate) fn is_web_url(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !value.trim().chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_integers_and_money() {
        assert_eq!(integer(0), "0");
        assert_eq!(integer(999), "999");
        assert_eq!(integer(1000), "1.000");
        assert_eq!(integer(1_234_567), "1.234.567");
        assert_eq!(integer(-1_500), "-1.500");
        assert_eq!(integer(i64::MIN), "-9.223.372.036.854.775.808");
        assert_eq!(euro(1_234_567), "1.234.567\u{a0}€");
    }

    #[test]
    fn german_decimals() {
        assert_eq!(decimal(1234.5, 2), "1.234,5");
        assert_eq!(decimal(2.0, 2), "2");
        assert_eq!(decimal(0.125, 3), "0,125");
        assert_eq!(decimal(-0.0001, 2), "0");
        assert_eq!(decimal(-12.25, 2), "-12,25");
        assert_eq!(decimal(f64::NAN, 2), EMPTY);
        assert_eq!(percent(12.5), "12,5\u{a0}%");
    }

    #[test]
    fn german_dates() {
        assert_eq!(date("2026-03-01"), "01.03.2026");
        assert_eq!(date("2026-03-01T10:00:00Z"), "01.03.2026");
        assert_eq!(date("Frühjahr 2027"), "Frühjahr 2027");
        assert_eq!(date("2026-3-1"), "2026-3-1");
    }

    #[test]
    fn text_helpers() {
        assert_eq!(
            paragraphs("a\r\nb\n\n\n c \n"),
            vec!["a\nb".to_owned(), "c".to_owned()]
        );
        assert!(paragraphs(" \n ").is_empty());
        assert_eq!(or_empty("  "), EMPTY);
        assert_eq!(single_line(" a \n b\u{a0}€ "), "a b\u{a0}€");
        assert!(is_web_url("https://example.org/a"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("https://a b"));
    }
}
