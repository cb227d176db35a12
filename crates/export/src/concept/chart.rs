//! The concept's two charts as self-contained SVG: the Nutzen-Aufwand
//! portfolio and the roadmap. The same SVG is embedded in the PDF (typst
//! `image`, vector) and inline in HTML; the data always follows as a table.

use std::fmt::Write as _;

/// Escapes text for SVG/XML content and attributes.
pub(crate) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A measure placed in the portfolio: `x` effort, `y` benefit, both 0..100.
pub(crate) struct Point {
    pub label: String,
    pub x: f64,
    pub y: f64,
}

const FONT: &str = "font-family=\"Libertinus Serif, serif\"";

/// Nutzen-Aufwand portfolio: effort to the right, benefit upwards, the
/// thresholds as dashed lines, each measure a dot with its short label.
pub(crate) fn portfolio(points: &[Point], effort_threshold: f64, benefit_threshold: f64) -> String {
    let (w, h, left, top, size) = (440.0, 340.0, 50.0, 15.0, 280.0);
    let plot_w = 400.0;
    let px = |x: f64| left + plot_w * x.clamp(0.0, 100.0) / 100.0;
    let py = |y: f64| top + size - size * y.clamp(0.0, 100.0) / 100.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" {FONT} font-size=\"11\">"
    );
    let _ = write!(
        s,
        "<rect x=\"{left}\" y=\"{top}\" width=\"{plot_w}\" height=\"{size}\" fill=\"#ffffff\" stroke=\"#333333\"/>"
    );
    let tx = px(effort_threshold);
    let ty = py(benefit_threshold);
    let _ = write!(
        s,
        "<line x1=\"{tx:.1}\" y1=\"{top}\" x2=\"{tx:.1}\" y2=\"{}\" stroke=\"#666666\" stroke-dasharray=\"4 3\"/>\
         <line x1=\"{left}\" y1=\"{ty:.1}\" x2=\"{}\" y2=\"{ty:.1}\" stroke=\"#666666\" stroke-dasharray=\"4 3\"/>",
        top + size,
        left + plot_w
    );
    for (label, x, y) in [
        ("Quick Win", left + 6.0, top + 14.0),
        ("strategische Maßnahme", left + plot_w - 6.0, top + 14.0),
        ("Füllmaßnahme", left + 6.0, top + size - 6.0),
        ("zurückstellen", left + plot_w - 6.0, top + size - 6.0),
    ] {
        let anchor = if x > left + plot_w / 2.0 {
            "end"
        } else {
            "start"
        };
        let _ = write!(
            s,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" fill=\"#444444\" font-style=\"italic\">{}</text>",
            xml(label)
        );
    }
    for tick in [0, 25, 50, 75, 100] {
        let t = f64::from(tick);
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#222222\">{tick}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#222222\">{tick}</text>",
            px(t),
            top + size + 14.0,
            left - 5.0,
            py(t) + 4.0
        );
    }
    let _ = write!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#222222\">Aufwand</text>\
         <text x=\"14\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#222222\" transform=\"rotate(-90 14 {:.1})\">Nutzen</text>",
        left + plot_w / 2.0,
        top + size + 30.0,
        top + size / 2.0,
        top + size / 2.0
    );
    for p in points {
        let (x, y) = (px(p.x), py(p.y));
        let _ = write!(
            s,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"#1f5f99\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"#111111\">{}</text>",
            x + 6.0,
            y - 4.0,
            xml(&p.label)
        );
    }
    s.push_str("</svg>");
    s
}

/// Days since 1970-01-01 of an ISO date `YYYY-MM-DD` (optionally followed by more).
pub(crate) fn day(iso: &str) -> Option<i64> {
    let d = iso.trim().get(..10)?;
    let mut parts = d.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let dd: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&dd) {
        return None;
    }
    // Days from civil (proleptic Gregorian calendar).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The year of a day number from [`day`].
fn year_of(day: i64) -> i64 {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(m <= 2)
}

/// One measure on the roadmap.
pub(crate) struct Bar {
    pub label: String,
    pub start: i64,
    pub end: i64,
    /// Milestone due days.
    pub marks: Vec<i64>,
}

fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        let mut s: String = label.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

/// Roadmap: one row per measure, a bar from start to end, milestones as
/// diamonds, years as vertical grid lines.
pub(crate) fn roadmap(bars: &[Bar]) -> String {
    let first = bars
        .iter()
        .flat_map(|b| std::iter::once(b.start).chain(b.marks.iter().copied()))
        .min()
        .unwrap_or(0);
    let last = bars
        .iter()
        .flat_map(|b| std::iter::once(b.end).chain(b.marks.iter().copied()))
        .max()
        .unwrap_or(first);
    let (y0, y1) = (year_of(first), year_of(last) + 1);
    let from = day(&format!("{y0:04}-01-01")).unwrap_or(first);
    let to = day(&format!("{y1:04}-01-01")).unwrap_or(last + 1);
    let span = (to - from).max(1) as f64;
    let (label_w, plot_w, row_h, top) = (200.0, 300.0, 16.0, 22.0);
    let w = label_w + plot_w + 10.0;
    let h = top + row_h * bars.len() as f64 + 8.0;
    let x = |d: i64| label_w + plot_w * (d - from) as f64 / span;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h:.0}\" width=\"{w}\" height=\"{h:.0}\" {FONT} font-size=\"9\">"
    );
    for year in y0..=y1 {
        if let Some(d) = day(&format!("{year:04}-01-01")) {
            let gx = x(d);
            let _ = write!(
                s,
                "<line x1=\"{gx:.1}\" y1=\"12\" x2=\"{gx:.1}\" y2=\"{:.1}\" stroke=\"#bbbbbb\"/>",
                h - 4.0
            );
            if year < y1 {
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"10\" fill=\"#222222\">{year}</text>",
                    gx + 3.0
                );
            }
        }
    }
    for (i, b) in bars.iter().enumerate() {
        let ry = top + row_h * i as f64;
        let (bx, ex) = (x(b.start), x(b.end.max(b.start)));
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{:.1}\" fill=\"#111111\">{}</text>\
             <rect x=\"{bx:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"9\" fill=\"#1f5f99\"/>",
            ry + 9.0,
            xml(&shorten(&b.label, 42)),
            ry + 2.0,
            (ex - bx).max(2.0)
        );
        for m in &b.marks {
            let mx = x(*m);
            let cy = ry + 6.5;
            let _ = write!(
                s,
                "<path d=\"M{mx:.1} {:.1} L{:.1} {cy:.1} L{mx:.1} {:.1} L{:.1} {cy:.1} Z\" fill=\"#c4501b\"/>",
                cy - 5.0,
                mx + 5.0,
                cy + 5.0,
                mx - 5.0
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_years() {
        assert_eq!(day("1970-01-01"), Some(0));
        assert_eq!(day("2000-03-01"), Some(11_017));
        assert_eq!(day("2026-13-01"), None);
        assert_eq!(day("kaputt"), None);
        for y in [1999, 2000, 2024, 2026] {
            let d = day(&format!("{y}-01-01")).expect("date");
            assert_eq!(year_of(d), y);
            assert_eq!(year_of(d - 1), y - 1);
        }
    }

    #[test]
    fn charts_escape_labels() {
        let svg = portfolio(
            &[Point {
                label: "<M1>".into(),
                x: 20.0,
                y: 80.0,
            }],
            50.0,
            50.0,
        );
        assert!(svg.contains("&lt;M1&gt;") && !svg.contains("<M1>"));
        let svg = roadmap(&[Bar {
            label: "A & B".into(),
            start: day("2026-01-01").expect("d"),
            end: day("2027-06-30").expect("d"),
            marks: vec![day("2026-06-01").expect("d")],
        }]);
        assert!(svg.contains("A &amp; B") && svg.contains("2027"));
    }
}
