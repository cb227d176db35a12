//! Parsing of the value kinds a project sheet holds: dates, money, decimals, percentages, lists.
//! German and ISO spellings are accepted; everything is stored in one canonical form.

/// A calendar date as ISO `YYYY-MM-DD`; accepts `2026-03-01` and `1.3.2026`.
pub fn parse_date(raw: &str) -> Result<Option<String>, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let (y, m, d) = if let Some((y, rest)) = s.split_once('-') {
        let (m, d) = rest.split_once('-').ok_or("err-date-format")?;
        (y, m, d)
    } else {
        let mut parts = s.split('.');
        let d = parts.next().ok_or("err-date-format")?;
        let m = parts.next().ok_or("err-date-format")?;
        let y = parts.next().ok_or("err-date-format")?;
        if parts.next().is_some() {
            return Err("err-date-format");
        }
        (y, m, d)
    };
    let (y, m, d): (i32, u32, u32) = (
        y.trim().parse().map_err(|_| "err-date-format")?,
        m.trim().parse().map_err(|_| "err-date-format")?,
        d.trim().parse().map_err(|_| "err-date-format")?,
    );
    if !(1900..=2200).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return Err("err-date-invalid");
    }
    Ok(Some(format!("{y:04}-{m:02}-{d:02}")))
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Show an ISO date the German way (`01.03.2026`).
pub fn german_date(iso: &str) -> String {
    let mut p = iso.split('-');
    match (p.next(), p.next(), p.next()) {
        (Some(y), Some(m), Some(d)) => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

/// A decimal number in German (`1.234,5`) or plain (`1234.5`) notation; empty is `None`.
pub fn parse_decimal(raw: &str) -> Result<Option<f64>, &'static str> {
    let s: String = raw
        .trim()
        .trim_end_matches(['€', '%'])
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return Ok(None);
    }
    let normalised = if s.contains(',') {
        s.replace('.', "").replace(',', ".")
    } else if s.matches('.').count() > 1
        || (s.contains('.') && s.rsplit('.').next().is_some_and(|t| t.len() == 3))
    {
        // 1.234 or 1.234.567: thousands separators
        s.replace('.', "")
    } else {
        s
    };
    let v: f64 = normalised.parse().map_err(|_| "err-number-format")?;
    if !v.is_finite() {
        return Err("err-number-format");
    }
    Ok(Some(v))
}

/// A non-negative amount of whole euros.
pub fn parse_euros(raw: &str) -> Result<Option<i64>, &'static str> {
    match parse_decimal(raw)? {
        None => Ok(None),
        Some(v) if v < 0.0 => Err("err-number-negative"),
        Some(v) if v > 1e13 => Err("err-number-range"),
        Some(v) => Ok(Some(v.round() as i64)),
    }
}

/// A percentage between 0 and 100.
pub fn parse_percent(raw: &str) -> Result<Option<f64>, &'static str> {
    match parse_decimal(raw)? {
        Some(v) if !(0.0..=100.0).contains(&v) => Err("err-percent-range"),
        other => Ok(other),
    }
}

/// A non-negative decimal (e.g. staff in full-time equivalents).
pub fn parse_non_negative(raw: &str) -> Result<Option<f64>, &'static str> {
    match parse_decimal(raw)? {
        Some(v) if v < 0.0 => Err("err-number-negative"),
        other => Ok(other),
    }
}

/// A year between 2000 and 2100.
pub fn parse_year(raw: &str) -> Result<Option<i64>, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i64>() {
        Ok(y) if (2000..=2100).contains(&y) => Ok(Some(y)),
        _ => Err("err-year-format"),
    }
}

/// One entry per non-empty line, trimmed; at most `max_items` entries of at most `max_chars` each.
pub fn parse_lines(
    raw: &str,
    max_items: usize,
    max_chars: usize,
) -> Result<Vec<String>, &'static str> {
    let items: Vec<String> = raw
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if items.len() > max_items {
        return Err("err-too-many");
    }
    if items.iter().any(|i| i.chars().count() > max_chars) {
        return Err("err-too-long");
    }
    Ok(items)
}

/// Optional free text of bounded length (multi-line allowed).
pub fn optional_text(raw: &str, max_chars: usize) -> Result<String, &'static str> {
    let t = raw.trim();
    if t.chars().count() > max_chars {
        Err("err-too-long")
    } else if t
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        Err("err-control-chars")
    } else {
        Ok(t.replace("\r\n", "\n"))
    }
}

/// An optional web link: must be http(s).
pub fn parse_link(raw: &str) -> Result<String, &'static str> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    let ok = (t.starts_with("https://") || t.starts_with("http://"))
        && t.len() <= 2000
        && !t
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>');
    if ok {
        Ok(t.to_string())
    } else {
        Err("err-link-format")
    }
}

/// Format euros with German thousands separators.
pub fn format_euros(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("{}{out} €", if v < 0 { "-" } else { "" })
}

/// Format a decimal the German way with up to two decimals (`1,5`).
pub fn format_decimal(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("2026-03-01"), Ok(Some("2026-03-01".into())));
        assert_eq!(parse_date("1.3.2026"), Ok(Some("2026-03-01".into())));
        assert_eq!(parse_date(""), Ok(None));
        assert_eq!(parse_date("31.02.2026"), Err("err-date-invalid"));
        assert_eq!(parse_date("29.02.2028"), Ok(Some("2028-02-29".into())));
        assert_eq!(parse_date("morgen"), Err("err-date-format"));
        assert_eq!(german_date("2026-03-01"), "01.03.2026");
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_decimal("1.234,5"), Ok(Some(1234.5)));
        assert_eq!(parse_decimal("1234.5"), Ok(Some(1234.5)));
        assert_eq!(parse_decimal("250.000"), Ok(Some(250000.0)));
        assert_eq!(parse_decimal("1,5"), Ok(Some(1.5)));
        assert_eq!(parse_euros("250.000 €"), Ok(Some(250_000)));
        assert_eq!(parse_euros("-5"), Err("err-number-negative"));
        assert_eq!(parse_percent("120"), Err("err-percent-range"));
        assert_eq!(parse_decimal("viel"), Err("err-number-format"));
        assert_eq!(format_euros(1_234_567), "1.234.567 €");
        assert_eq!(format_decimal(1.5), "1,5");
        assert_eq!(format_decimal(2.0), "2");
    }

    #[test]
    fn lists_and_links() {
        assert_eq!(
            parse_lines(" a \n\n b\n", 10, 100),
            Ok(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(parse_lines("a\nb\nc", 2, 100), Err("err-too-many"));
        assert_eq!(parse_link("javascript:alert(1)"), Err("err-link-format"));
        assert_eq!(
            parse_link("https://ratsinfo.arnsberg.de/vorlage/1"),
            Ok("https://ratsinfo.arnsberg.de/vorlage/1".into())
        );
    }
}
