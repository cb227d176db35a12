//! Charts over time: a KPI's measurements against its baseline and target, and the roadmap of a city's
//! measures. Same rules as the other charts (see the parent module): `role="img"` with title and summary,
//! escaped text, presentation attributes only, and the caller renders the same data as a table.

use super::{BRAND, INK, LINE, MUTED, clean_id, esc, num, open, truncate};
use std::fmt::Write;

macro_rules! w {
    ($($arg:tt)*) => {{
        let _ = write!($($arg)*);
    }};
}

/// Days since 1970-01-01 of an ISO date (`YYYY-MM-DD`); `None` for anything else.
pub fn day_number(iso: &str) -> Option<i64> {
    let mut it = iso.splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.get(..2)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

const K_W: f64 = 640.0;
const K_H: f64 = 260.0;
const K_LEFT: f64 = 70.0;
const K_RIGHT: f64 = 160.0;
const K_TOP: f64 = 16.0;
const K_BOTTOM: f64 = 40.0;

/// Texts of a KPI chart in the page's language.
pub struct KpiLabels<'a> {
    pub baseline: &'a str,
    pub target: &'a str,
    /// Summary lead, e.g. "Messwerte:".
    pub values: &'a str,
}

/// A line of the measurements `(ISO date, value, value label)` in date order, with dashed horizontal lines for
/// baseline and target (each labelled at the right end). Dates that do not parse are left out.
pub fn kpi_chart(
    id: &str,
    title: &str,
    points: &[(String, f64, String)],
    baseline: Option<f64>,
    target: Option<f64>,
    labels: &KpiLabels,
) -> String {
    let id = clean_id(id);
    let mut pts: Vec<(i64, f64, &str, &str)> = points
        .iter()
        .filter(|p| p.1.is_finite())
        .filter_map(|(d, v, l)| Some((day_number(d)?, *v, d.as_str(), l.as_str())))
        .collect();
    pts.sort_by_key(|p| p.0);
    let mut desc = String::new();
    if let Some(b) = baseline {
        w!(desc, "{}: {}; ", labels.baseline, super::num(b));
    }
    if let Some(t) = target {
        w!(desc, "{}: {}; ", labels.target, super::num(t));
    }
    w!(
        desc,
        "{} {}",
        labels.values,
        pts.iter()
            .map(|p| format!("{} {}", p.2, p.3))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut s = String::with_capacity(2_000 + pts.len() * 200);
    open(&mut s, &id, K_W, K_H, title, &desc);

    let values = pts
        .iter()
        .map(|p| p.1)
        .chain(baseline)
        .chain(target)
        .collect::<Vec<_>>();
    let (mut lo, mut hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(*v), b.max(*v))
        });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if (hi - lo).abs() < f64::EPSILON {
        (lo, hi) = (lo - 1.0, hi + 1.0);
    }
    let pad = (hi - lo) * 0.08;
    let (lo, hi) = (lo - pad, hi + pad);
    let (d0, d1) = match (pts.first(), pts.last()) {
        (Some(a), Some(b)) if b.0 > a.0 => (a.0, b.0),
        (Some(a), _) => (a.0 - 1, a.0 + 1),
        _ => (0, 1),
    };
    let plot_w = K_W - K_LEFT - K_RIGHT;
    let plot_h = K_H - K_TOP - K_BOTTOM;
    let x = |d: i64| K_LEFT + (d - d0) as f64 / (d1 - d0) as f64 * plot_w;
    let y = |v: f64| K_TOP + (hi - v) / (hi - lo) * plot_h;

    // Axes: the value range at left, first and last date below.
    w!(
        s,
        "<line x1=\"{l}\" y1=\"{t}\" x2=\"{l}\" y2=\"{b}\" stroke=\"{MUTED}\"/>\
         <line x1=\"{l}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"{MUTED}\"/>",
        l = num(K_LEFT),
        t = num(K_TOP),
        b = num(K_TOP + plot_h),
        r = num(K_LEFT + plot_w)
    );
    for v in [lo + pad, hi - pad] {
        w!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{MUTED}\" font-size=\"12\">{}</text>",
            num(K_LEFT - 6.0),
            num(y(v) + 4.0),
            esc(&domain::values::format_decimal(v))
        );
    }
    if let (Some(a), Some(b)) = (pts.first(), pts.last()) {
        let base = num(K_TOP + plot_h + 18.0);
        w!(
            s,
            "<text x=\"{}\" y=\"{base}\" fill=\"{MUTED}\" font-size=\"12\">{}</text>",
            num(K_LEFT),
            esc(a.2)
        );
        if b.0 != a.0 {
            w!(
                s,
                "<text x=\"{}\" y=\"{base}\" text-anchor=\"end\" fill=\"{MUTED}\" font-size=\"12\">{}</text>",
                num(K_LEFT + plot_w),
                esc(b.2)
            );
        }
    }
    // Baseline and target: dashed lines, different dash patterns, labelled.
    for (v, label, dash) in [
        (baseline, labels.baseline, "2 4"),
        (target, labels.target, "8 4"),
    ] {
        if let Some(v) = v {
            let yy = num(y(v));
            w!(
                s,
                "<g class=\"ref\"><line x1=\"{}\" y1=\"{yy}\" x2=\"{}\" y2=\"{yy}\" stroke=\"{INK}\" \
                 stroke-dasharray=\"{dash}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{} {}</text></g>",
                num(K_LEFT),
                num(K_LEFT + plot_w),
                num(K_LEFT + plot_w + 6.0),
                num(y(v) + 4.0),
                esc(label),
                esc(&domain::values::format_decimal(v))
            );
        }
    }
    if pts.len() > 1 {
        let path = pts
            .iter()
            .map(|p| format!("{},{}", num(x(p.0)), num(y(p.1))))
            .collect::<Vec<_>>()
            .join(" ");
        w!(
            s,
            "<polyline points=\"{path}\" fill=\"none\" stroke=\"{BRAND}\" stroke-width=\"2\"/>"
        );
    }
    for p in &pts {
        w!(
            s,
            "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{BRAND}\"><title>{}: {}</title></circle>",
            num(x(p.0)),
            num(y(p.1)),
            esc(p.2),
            esc(p.3)
        );
    }
    s.push_str("</svg>");
    s
}

/// One row of the roadmap: a measure with its period and state.
pub struct RoadmapRow {
    pub label: String,
    /// ISO start and end; rows without both are left out of the picture (the table still lists them).
    pub start: Option<String>,
    pub end: Option<String>,
    /// Status name and progress, shown next to the bar, e.g. "in Umsetzung · 40 %".
    pub state: String,
    /// 0–100: the filled part of the bar.
    pub percent: Option<i64>,
}

const R_W: f64 = 760.0;
const R_LABEL: f64 = 230.0;
const R_STATE: f64 = 150.0;
const R_ROW: f64 = 28.0;
const R_TOP: f64 = 30.0;

/// Horizontal bars on a time axis with a tick per year; the done part of each bar is filled dark, the rest
/// light with a dark outline, so progress does not depend on colour alone.
pub fn roadmap(id: &str, title: &str, rows: &[RoadmapRow]) -> String {
    let id = clean_id(id);
    let rows: Vec<(&RoadmapRow, i64, i64)> = rows
        .iter()
        .filter_map(|r| {
            let a = day_number(r.start.as_deref()?)?;
            let b = day_number(r.end.as_deref()?)?;
            (b >= a).then_some((r, a, b))
        })
        .collect();
    let desc = rows
        .iter()
        .map(|(r, _, _)| {
            format!(
                "{}: {} – {}, {}",
                r.label,
                r.start.as_deref().unwrap_or(""),
                r.end.as_deref().unwrap_or(""),
                r.state
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let h = R_TOP + R_ROW * rows.len().max(1) as f64 + 10.0;
    let mut s = String::with_capacity(1_000 + rows.len() * 500);
    open(&mut s, &id, R_W, h, title, &desc);
    let (d0, d1) = rows
        .iter()
        .fold((i64::MAX, i64::MIN), |(a, b), r| (a.min(r.1), b.max(r.2)));
    if rows.is_empty() {
        s.push_str("</svg>");
        return s;
    }
    // Whole years around the range.
    let year_of = |d: i64| 1970 + d.div_euclid(365) as i32;
    let (y0, y1) = (year_of(d0) - 1, year_of(d1) + 1);
    let start = (y0..=y1)
        .filter_map(|y| day_number(&format!("{y:04}-01-01")))
        .filter(|d| *d <= d0)
        .max()
        .unwrap_or(d0);
    let end = (y0..=y1 + 1)
        .filter_map(|y| day_number(&format!("{y:04}-01-01")))
        .filter(|d| *d >= d1)
        .min()
        .unwrap_or(d1 + 1)
        .max(start + 1);
    let area = R_W - R_LABEL - R_STATE;
    let x = |d: i64| R_LABEL + (d - start) as f64 / (end - start) as f64 * area;
    for y in y0..=y1 + 1 {
        let Some(d) = day_number(&format!("{y:04}-01-01")) else {
            continue;
        };
        if d < start || d > end {
            continue;
        }
        w!(
            s,
            "<line x1=\"{xx}\" y1=\"{}\" x2=\"{xx}\" y2=\"{}\" stroke=\"{LINE}\"/>\
             <text x=\"{xx}\" y=\"18\" text-anchor=\"middle\" fill=\"{MUTED}\" font-size=\"12\">{y}</text>",
            num(R_TOP - 6.0),
            num(h - 6.0),
            xx = num(x(d))
        );
    }
    for (i, (r, a, b)) in rows.iter().enumerate() {
        let top = R_TOP + R_ROW * i as f64;
        let (xa, xb) = (x(*a), x(*b).max(x(*a) + 2.0));
        let done = r.percent.unwrap_or(0).clamp(0, 100) as f64 / 100.0 * (xb - xa);
        w!(
            s,
            "<g class=\"row\"><title>{}: {} – {}, {}</title>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"#dbe7f3\" stroke=\"{BRAND}\"/>\
             <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"{BRAND}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text></g>",
            esc(&r.label),
            esc(r.start.as_deref().unwrap_or("")),
            esc(r.end.as_deref().unwrap_or("")),
            esc(&r.state),
            num(R_LABEL - 8.0),
            num(top + 17.0),
            esc(&truncate(&r.label, 25)),
            num(xa),
            num(top + 4.0),
            num(xb - xa),
            num(xa),
            num(top + 4.0),
            num(done),
            num(R_W - R_STATE + 8.0),
            num(top + 17.0),
            esc(&truncate(&r.state, 22)),
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_count_from_1970() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("1970-01-02"), Some(1));
        assert_eq!(day_number("2000-03-01"), Some(11_017));
        assert_eq!(
            day_number("2026-11-26").unwrap() - day_number("2025-11-26").unwrap(),
            365
        );
        assert_eq!(
            day_number("2024-03-01").unwrap() - day_number("2024-02-28").unwrap(),
            2
        );
        assert_eq!(day_number("2026-13-01"), None);
        assert_eq!(day_number("gestern"), None);
    }

    #[test]
    fn the_kpi_chart_names_baseline_target_and_every_value() {
        let pts = vec![
            ("2026-03-01".to_string(), 12.0, "12 %".to_string()),
            ("2026-01-01".to_string(), 10.0, "10 %".to_string()),
            ("kein Datum".to_string(), 99.0, "99 %".to_string()),
        ];
        let labels = KpiLabels {
            baseline: "Ausgangswert",
            target: "Zielwert",
            values: "Messwerte:",
        };
        let svg = kpi_chart(
            "kpi 1",
            "Anteil <Rad>",
            &pts,
            Some(8.0),
            Some(20.0),
            &labels,
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\"") && svg.contains("Anteil &lt;Rad&gt;"));
        assert!(svg.contains(
            "Ausgangswert: 8; Zielwert: 20; Messwerte: 2026-01-01 10 %, 2026-03-01 12 %"
        ));
        assert_eq!(
            svg.matches("<circle").count(),
            2,
            "the undated value is left out"
        );
        // Sorted by date: the line starts at the left edge with 10.
        let poly = svg.split("points=\"").nth(1).unwrap();
        assert!(poly.starts_with("70,"), "{poly}");
        assert_eq!(svg.matches("stroke-dasharray").count(), 2);
    }

    #[test]
    fn the_roadmap_draws_dated_rows_with_their_progress() {
        let rows = vec![
            RoadmapRow {
                label: "Digitale Parkraumanzeige".into(),
                start: Some("2026-01-01".into()),
                end: Some("2027-12-31".into()),
                state: "in Umsetzung · 50 %".into(),
                percent: Some(50),
            },
            RoadmapRow {
                label: "Ohne Zeitraum".into(),
                start: None,
                end: None,
                state: "Idee".into(),
                percent: None,
            },
        ];
        let svg = roadmap("rm", "Fahrplan", &rows);
        assert!(svg.contains("Digitale Parkraumanzeige") && !svg.contains("Ohne Zeitraum"));
        assert!(svg.contains(">2026<") && svg.contains(">2027<") && svg.contains(">2028<"));
        // The filled part is half of the bar.
        let widths: Vec<f64> = svg
            .split("height=\"16\"")
            .filter_map(|p| p.rsplit("width=\"").next()?.split('"').next()?.parse().ok())
            .collect();
        assert_eq!(widths.len(), 2, "{svg}");
        assert!((widths[1] * 2.0 - widths[0]).abs() < 0.2, "{widths:?}");
        assert!(roadmap("e", "leer", &[]).ends_with("</svg>"));
    }
}
