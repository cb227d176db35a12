//! Accessible, hand-written SVG charts: horizontal bars (survey results, rankings), the Nutzen-Aufwand
//! portfolio and the opinion map. Pure functions returning markup to embed inline (`{{ svg|safe }}` in askama).
//!
//! Every chart is `<svg role="img" aria-labelledby="{id}-title {id}-desc">` with a `<title>` (the caller's
//! title) and a `<desc>` (a plain-text summary of the data built from the caller's own strings and rounded
//! numbers, so it has no language of its own). All caller text is escaped with [`esc`]; `id` is reduced to
//! `[A-Za-z0-9_-]` and prefixes every id inside the chart, so several charts can share a page.
//!
//! Accessibility rules kept here: text is `#1b1f24` or `#4a5560` on white or light tints (contrast ≥ 7:1);
//! marks are dark enough for 3:1 against white; nothing is told by colour alone — bars carry value labels,
//! portfolio quadrants carry their names, opinion-map groups differ in shape as well as colour and have a
//! legend. Styling uses presentation attributes only (no `style` attributes or `<style>` elements), which the
//! `style-src 'self'` Content Security Policy allows.
//!
//! **The data table is the caller's job**: render the same `bars` / `points` as an HTML table next to (or in a
//! `<details>` under) the chart. The SVG is a picture of the table, not a replacement for it; long labels are
//! truncated in the picture (full text in a per-mark `<title>` tooltip and in the table).

pub mod time;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// `write!` into a `String` cannot fail.
macro_rules! w {
    ($($arg:tt)*) => {{
        let _ = write!($($arg)*);
    }};
}

const INK: &str = "#1b1f24";
const MUTED: &str = "#4a5560";
const LINE: &str = "#c9d2db";
const BRAND: &str = "#0b5394";
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/// Escape text for SVG/HTML text and attribute values: `& < > " '`.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An id safe in `id`/`href`/`aria-labelledby` (those are space-separated lists, so no spaces).
fn clean_id(id: &str) -> String {
    let s: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if s.is_empty() { "chart".into() } else { s }
}

/// A coordinate with at most one decimal ("12", "12.5").
fn num(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    if s == "-0" { "0".into() } else { s.into() }
}

/// At most `max` characters, the last one an ellipsis when cut.
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let t: String = s.chars().take(max.saturating_sub(1)).collect();
    let mut t = t.trim_end().to_string();
    t.push('…');
    t
}

fn open(out: &mut String, id: &str, w: f64, h: f64, title: &str, desc: &str) {
    let desc = if desc.is_empty() { "—" } else { desc };
    w!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" class=\"chart\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {} {}\" font-family=\"{}\" \
         font-size=\"14\" fill=\"{INK}\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        num(w),
        num(h),
        esc(FONT),
        esc(title),
        esc(desc)
    );
}

/// White outline behind text so it stays readable over marks and tints.
const HALO: &str =
    "stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"";

// ---- bar chart ----

const BAR_W_TOTAL: f64 = 640.0;
const BAR_X: f64 = 220.0;
const BAR_AREA: f64 = 320.0;
const BAR_ROW: f64 = 30.0;
const BAR_H: f64 = 20.0;
const BAR_TOP: f64 = 8.0;
const BAR_LABEL_CHARS: usize = 24;
const BAR_VALUE_CHARS: usize = 13;

/// Horizontal bars: label left, bar, value label right of the bar. `bars` are `(label, value, value_label)`;
/// the bar length is `value / max` of the bar area, `max` defaulting to the largest value. Negative and
/// non-finite values draw as 0, values above `max` as a full bar. Labels longer than 24 characters are
/// truncated with "…" (each bar's `<title>` has the full label and value label).
pub fn bar_chart(
    id: &str,
    title: &str,
    bars: &[(String, f64, String)],
    max: Option<f64>,
) -> String {
    let id = clean_id(id);
    let value = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
    let max = match max {
        Some(m) if m.is_finite() && m > 0.0 => m,
        _ => bars
            .iter()
            .map(|b| value(b.1))
            .fold(0.0, f64::max)
            .max(f64::MIN_POSITIVE),
    };
    let h = (BAR_TOP * 2.0 + BAR_ROW * bars.len() as f64).max(40.0);
    let desc = bars
        .iter()
        .map(|(l, _, v)| format!("{l}: {v}"))
        .collect::<Vec<_>>()
        .join("; ");

    let mut s = String::with_capacity(400 + bars.len() * 400);
    open(&mut s, &id, BAR_W_TOTAL, h, title, &desc);
    w!(
        s,
        "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{MUTED}\" stroke-width=\"1\"/>",
        num(BAR_TOP / 2.0),
        num(h - BAR_TOP / 2.0),
        x = num(BAR_X)
    );
    for (i, (label, v, value_label)) in bars.iter().enumerate() {
        let y = BAR_TOP + BAR_ROW * i as f64;
        let width = (value(*v) / max).min(1.0) * BAR_AREA;
        let text_y = num(y + BAR_ROW / 2.0 + 5.0);
        w!(
            s,
            "<g class=\"bar\"><title>{}: {}</title>\
             <text x=\"{}\" y=\"{text_y}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{BRAND}\"/>\
             <text x=\"{}\" y=\"{text_y}\" fill=\"{INK}\">{}</text></g>",
            esc(label),
            esc(value_label),
            num(BAR_X - 8.0),
            esc(&truncate(label, BAR_LABEL_CHARS)),
            num(BAR_X),
            num(y + (BAR_ROW - BAR_H) / 2.0),
            num(width),
            num(BAR_H),
            num(BAR_X + width + 6.0),
            esc(&truncate(value_label, BAR_VALUE_CHARS)),
        );
    }
    s.push_str("</svg>");
    s
}

// ---- portfolio ----

/// One measure in the Nutzen-Aufwand portfolio.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioPoint {
    /// Full name (tooltip and description).
    pub label: String,
    /// Short mark next to the point, e.g. "M3"; the caller's table maps it to the measure.
    pub short: String,
    /// 0..100, up = more benefit.
    pub benefit: f64,
    /// 0..100, right = more effort.
    pub effort: f64,
    /// E.g. "Quick Win".
    pub quadrant_label: String,
}

/// The portfolio's words, in the page's language.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioLabels {
    pub x_axis: String,
    pub y_axis: String,
    /// Top left: high benefit, low effort.
    pub quick_win: String,
    /// Top right: high benefit, high effort.
    pub strategic: String,
    /// Bottom left: low benefit, low effort.
    pub filler: String,
    /// Bottom right: low benefit, high effort.
    pub postpone: String,
}

const PF_W: f64 = 600.0;
const PF_H: f64 = 530.0;
const PF_L: f64 = 76.0;
const PF_T: f64 = 16.0;
const PF_PW: f64 = 500.0;
const PF_PH: f64 = 440.0;

fn clamp100(v: f64) -> f64 {
    v.clamp(0.0, 100.0)
}

fn pf_x(effort: f64) -> f64 {
    PF_L + clamp100(effort) / 100.0 * PF_PW
}

fn pf_y(benefit: f64) -> f64 {
    PF_T + (1.0 - clamp100(benefit) / 100.0) * PF_PH
}

/// The Nutzen-Aufwand portfolio: effort on the x axis (right = more), benefit on the y axis (up = more),
/// the four quadrants split at the thresholds, shaded and named; each point a circle with its short label.
/// Scores are clamped to 0..100; points with a non-finite score are left out (and belong in the table).
pub fn portfolio(
    id: &str,
    title: &str,
    points: &[PortfolioPoint],
    threshold_benefit: f64,
    threshold_effort: f64,
    labels: PortfolioLabels,
) -> String {
    let id = clean_id(id);
    let points: Vec<&PortfolioPoint> = points
        .iter()
        .filter(|p| p.benefit.is_finite() && p.effort.is_finite())
        .collect();
    let tb = if threshold_benefit.is_finite() {
        threshold_benefit
    } else {
        50.0
    };
    let te = if threshold_effort.is_finite() {
        threshold_effort
    } else {
        50.0
    };
    let (tx, ty) = (pf_x(te), pf_y(tb));
    let (left, top, right, bottom) = (PF_L, PF_T, PF_L + PF_PW, PF_T + PF_PH);

    let describe = |p: &PortfolioPoint| {
        format!(
            "{} {}: {} ({} {}, {} {})",
            p.short,
            p.label,
            p.quadrant_label,
            labels.y_axis,
            p.benefit.round(),
            labels.x_axis,
            p.effort.round()
        )
    };
    let desc = points
        .iter()
        .map(|p| describe(p))
        .collect::<Vec<_>>()
        .join("; ");

    let mut s = String::with_capacity(3000 + points.len() * 400);
    open(&mut s, &id, PF_W, PF_H, title, &desc);

    // Quadrants: tint + name in the outer corner.
    let quads = [
        (
            left,
            top,
            tx,
            ty,
            "#e8f5ec",
            &labels.quick_win,
            left + 8.0,
            top + 20.0,
            "start",
        ),
        (
            tx,
            top,
            right,
            ty,
            "#e6eef7",
            &labels.strategic,
            right - 8.0,
            top + 20.0,
            "end",
        ),
        (
            left,
            ty,
            tx,
            bottom,
            "#f3f6f9",
            &labels.filler,
            left + 8.0,
            bottom - 10.0,
            "start",
        ),
        (
            tx,
            ty,
            right,
            bottom,
            "#fdecee",
            &labels.postpone,
            right - 8.0,
            bottom - 10.0,
            "end",
        ),
    ];
    for (x0, y0, x1, y1, fill, _, _, _, _) in quads {
        w!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>",
            num(x0),
            num(y0),
            num(x1 - x0),
            num(y1 - y0)
        );
    }
    for (_, _, _, _, _, name, lx, ly, anchor) in quads {
        w!(
            s,
            "<text class=\"quadrant\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" font-weight=\"700\">{}</text>",
            num(lx),
            num(ly),
            esc(&truncate(name, 30))
        );
    }
    // Threshold lines and frame.
    w!(
        s,
        "<line class=\"threshold\" x1=\"{tx}\" y1=\"{}\" x2=\"{tx}\" y2=\"{}\" stroke=\"{MUTED}\" stroke-dasharray=\"6 4\"/>\
         <line class=\"threshold\" x1=\"{}\" y1=\"{ty}\" x2=\"{}\" y2=\"{ty}\" stroke=\"{MUTED}\" stroke-dasharray=\"6 4\"/>\
         <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{MUTED}\"/>",
        num(top),
        num(bottom),
        num(left),
        num(right),
        num(left),
        num(top),
        num(PF_PW),
        num(PF_PH),
        tx = num(tx),
        ty = num(ty),
    );
    // Ticks.
    for t in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let (x, y) = (pf_x(t), pf_y(t));
        w!(
            s,
            "<line x1=\"{x}\" y1=\"{b}\" x2=\"{x}\" y2=\"{}\" stroke=\"{MUTED}\"/>\
             <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" fill=\"{MUTED}\">{t}</text>\
             <line x1=\"{}\" y1=\"{y}\" x2=\"{l}\" y2=\"{y}\" stroke=\"{MUTED}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{MUTED}\">{t}</text>",
            num(bottom + 5.0),
            num(bottom + 20.0),
            num(left - 5.0),
            num(left - 9.0),
            num(y + 5.0),
            x = num(x),
            y = num(y),
            b = num(bottom),
            l = num(left),
        );
    }
    // Axis titles.
    let (cx, cy) = (left + PF_PW / 2.0, top + PF_PH / 2.0);
    w!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"600\">{} →</text>\
         <text x=\"22\" y=\"{cy}\" text-anchor=\"middle\" font-weight=\"600\" transform=\"rotate(-90 22 {cy})\">{} →</text>",
        num(cx),
        num(bottom + 46.0),
        esc(&labels.x_axis),
        esc(&labels.y_axis),
        cy = num(cy),
    );

    // Points, then their labels on top (nudged apart when they would overlap).
    let mut placed: Vec<(f64, f64)> = Vec::new();
    let mut marks = String::new();
    let mut texts = String::new();
    for p in &points {
        let (x, y) = (pf_x(p.effort), pf_y(p.benefit));
        w!(
            marks,
            "<g class=\"point\"><title>{}</title><circle class=\"pt\" cx=\"{}\" cy=\"{}\" r=\"7\" fill=\"{BRAND}\" \
             stroke=\"#ffffff\" stroke-width=\"2\"/></g>",
            esc(&describe(p)),
            num(x),
            num(y)
        );
        let (lx, anchor) = if x > right - 56.0 {
            (x - 11.0, "end")
        } else {
            (x + 11.0, "start")
        };
        let mut ly = y + 5.0;
        for k in 0..9 {
            let dy = [0.0, -16.0, 16.0, -32.0, 32.0, -48.0, 48.0, -64.0, 64.0][k];
            let cand = (y + 5.0 + dy).clamp(top + 14.0, bottom - 4.0);
            if !placed
                .iter()
                .any(|&(px, py)| (px - lx).abs() < 44.0 && (py - cand).abs() < 14.0)
            {
                ly = cand;
                break;
            }
        }
        placed.push((lx, ly));
        w!(
            texts,
            "<text class=\"pt-label\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" font-weight=\"700\" {HALO}>{}</text>",
            num(lx),
            num(ly),
            esc(&truncate(&p.short, 12))
        );
    }
    s.push_str(&marks);
    s.push_str(&texts);
    s.push_str("</svg>");
    s
}

// ---- opinion map ----

const SC_W: f64 = 600.0;
const SC_L: f64 = 16.0;
const SC_T: f64 = 16.0;
const SC_PW: f64 = 568.0;
const SC_PH: f64 = 360.0;
const SC_LEGEND_COLS: usize = 3;
const SC_LEGEND_ROW: f64 = 26.0;

/// Group colours, each ≥ 4.5:1 against white.
const GROUP_COLOURS: [&str; 5] = ["#0b5394", "#a14f00", "#1e6b34", "#7b2d8e", "#4a5560"];

/// The mark of group `k` centred on 0,0: circle, square, triangle, diamond, cross; beyond five groups the
/// shapes repeat with a shifted colour, so 25 groups stay distinct.
fn group_mark(k: usize) -> String {
    let colour = GROUP_COLOURS[(k + k / 5) % 5];
    let filled = format!("fill=\"{colour}\" stroke=\"#ffffff\" stroke-width=\"1\"");
    match k % 5 {
        0 => format!("<circle r=\"4.5\" {filled}/>"),
        1 => format!("<rect x=\"-4\" y=\"-4\" width=\"8\" height=\"8\" {filled}/>"),
        2 => format!("<path d=\"M0 -5.5L5 4H-5Z\" {filled}/>"),
        3 => format!("<path d=\"M0 -5.5L5.5 0L0 5.5L-5.5 0Z\" {filled}/>"),
        _ => format!(
            "<path d=\"M-4.5 -4.5L4.5 4.5M-4.5 4.5L4.5 -4.5\" fill=\"none\" stroke=\"{colour}\" \
             stroke-width=\"2.5\"/>"
        ),
    }
}

/// The mark of points without a group: a hollow grey circle.
const NO_GROUP_MARK: &str =
    "<circle r=\"4\" fill=\"#ffffff\" stroke=\"#4a5560\" stroke-width=\"1.5\"/>";

/// The opinion map with the German label "Sie" for the viewer; see [`scatter_map_labelled`].
pub fn scatter_map(
    id: &str,
    title: &str,
    points: &[(f64, f64, Option<usize>, bool)],
    group_labels: &[String],
) -> String {
    scatter_map_labelled(id, title, points, group_labels, "Sie")
}

/// The opinion map: participants `(x, y, group, is_me)` as small marks, shaped and coloured by group (group
/// `k` is named `group_labels[k]` in the legend, with its count); points without a group are hollow grey
/// circles. The viewer's own point(s) get a large ring and `me_label`. The view is scaled to the data with
/// 10 % padding, with the **same scale on both axes** (distances on the map are comparable in every
/// direction); y grows upwards. Non-finite points are left out. The axes carry no meaning of their own, so
/// there are no ticks.
pub fn scatter_map_labelled(
    id: &str,
    title: &str,
    points: &[(f64, f64, Option<usize>, bool)],
    group_labels: &[String],
    me_label: &str,
) -> String {
    let id = clean_id(id);
    let points: Vec<&(f64, f64, Option<usize>, bool)> = points
        .iter()
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .collect();
    let any_me = points.iter().any(|p| p.3);

    // Counts per group for the legend and the description.
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for p in &points {
        if let Some(g) = p.2 {
            *counts.entry(g).or_default() += 1;
        }
    }
    let mut legend: Vec<(String, String)> = group_labels
        .iter()
        .enumerate()
        .map(|(k, l)| {
            (
                format!("#{id}-g{k}"),
                format!("{} ({})", l, counts.get(&k).copied().unwrap_or(0)),
            )
        })
        .collect();
    let mut desc: Vec<String> = legend.iter().map(|(_, t)| t.clone()).collect();
    if any_me {
        legend.push((String::new(), me_label.to_string()));
        desc.push(me_label.to_string());
    }
    let legend_rows = legend.len().div_ceil(SC_LEGEND_COLS);
    let legend_top = SC_T + SC_PH + 16.0;
    let h = legend_top + legend_rows as f64 * SC_LEGEND_ROW + 8.0;

    let mut s = String::with_capacity(2000 + points.len() * 48);
    open(&mut s, &id, SC_W, h, title, &desc.join("; "));

    // Marks used: every labelled group and every group index that occurs.
    let used: BTreeSet<usize> = (0..group_labels.len())
        .chain(counts.keys().copied())
        .collect();
    s.push_str("<defs>");
    for k in &used {
        w!(s, "<g id=\"{id}-g{k}\">{}</g>", group_mark(*k));
    }
    w!(s, "<g id=\"{id}-gx\">{NO_GROUP_MARK}</g></defs>");
    w!(
        s,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\" stroke=\"{LINE}\"/>",
        num(SC_L),
        num(SC_T),
        num(SC_PW),
        num(SC_PH)
    );

    // Scale: equal on both axes, centred, 10 % padding on each side.
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in &points {
        x0 = x0.min(p.0);
        x1 = x1.max(p.0);
        y0 = y0.min(p.1);
        y1 = y1.max(p.1);
    }
    let (cx, cy) = if points.is_empty() {
        (0.0, 0.0)
    } else {
        ((x0 + x1) / 2.0, (y0 + y1) / 2.0)
    };
    let (dx, dy) = if points.is_empty() {
        (0.0, 0.0)
    } else {
        ((x1 - x0) * 1.2, (y1 - y0) * 1.2)
    };
    let scale = match (dx > 0.0, dy > 0.0) {
        (true, true) => (SC_PW / dx).min(SC_PH / dy),
        (true, false) => SC_PW / dx,
        (false, true) => SC_PH / dy,
        // One point (or all on one spot): a unit square around it.
        (false, false) => SC_PH / 2.0,
    };
    let px = |x: f64| SC_L + SC_PW / 2.0 + (x - cx) * scale;
    let py = |y: f64| SC_T + SC_PH / 2.0 - (y - cy) * scale;

    s.push_str("<g class=\"points\">");
    for p in &points {
        let href = match p.2 {
            Some(k) => format!("{id}-g{k}"),
            None => format!("{id}-gx"),
        };
        w!(
            s,
            "<use href=\"#{href}\" x=\"{}\" y=\"{}\"/>",
            num(px(p.0)),
            num(py(p.1))
        );
    }
    s.push_str("</g>");

    for p in points.iter().filter(|p| p.3) {
        let (x, y) = (px(p.0), py(p.1));
        let (lx, anchor) = if x > SC_L + SC_PW - 60.0 {
            (x - 17.0, "end")
        } else {
            (x + 17.0, "start")
        };
        w!(
            s,
            "<g class=\"me\"><circle cx=\"{x}\" cy=\"{y}\" r=\"11\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"6\"/>\
             <circle cx=\"{x}\" cy=\"{y}\" r=\"11\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"3\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" font-weight=\"700\" {HALO}>{}</text></g>",
            num(lx),
            num(y + 5.0),
            esc(me_label),
            x = num(x),
            y = num(y),
        );
    }

    // Legend.
    let col_w = SC_PW / SC_LEGEND_COLS as f64;
    for (i, (href, text)) in legend.iter().enumerate() {
        let x = SC_L + col_w * (i % SC_LEGEND_COLS) as f64;
        let y = legend_top + SC_LEGEND_ROW * (i / SC_LEGEND_COLS) as f64 + SC_LEGEND_ROW / 2.0;
        if href.is_empty() {
            w!(
                s,
                "<circle cx=\"{}\" cy=\"{}\" r=\"7\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"3\"/>",
                num(x + 9.0),
                num(y)
            );
        } else {
            w!(
                s,
                "<use href=\"{href}\" x=\"{}\" y=\"{}\"/>",
                num(x + 9.0),
                num(y)
            );
        }
        w!(
            s,
            "<text x=\"{}\" y=\"{}\"><title>{}</title>{}</text>",
            num(x + 24.0),
            num(y + 5.0),
            esc(text),
            esc(&truncate(text, 22))
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn well_formed(svg: &str, id: &str) {
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains(&format!("aria-labelledby=\"{id}-title {id}-desc\"")));
        assert!(svg.contains(&format!("<title id=\"{id}-title\">")));
        assert!(svg.contains(&format!("<desc id=\"{id}-desc\">")));
        assert!(svg.contains("viewBox=\"0 0 "));
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        assert!(
            !svg.contains("style="),
            "presentation attributes only (CSP)"
        );
        // Tags balance (cheap check).
        assert_eq!(svg.matches("<svg").count(), svg.matches("</svg>").count());
        assert_eq!(svg.matches("<g").count(), svg.matches("</g>").count());
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    }

    /// Values of attribute `name` in order.
    fn attrs(svg: &str, marker: &str, name: &str) -> Vec<f64> {
        svg.match_indices(marker)
            .map(|(i, _)| {
                let rest = &svg[i..];
                let key = format!(" {name}=\"");
                let start = rest.find(&key).unwrap() + key.len();
                let end = start + rest[start..].find('"').unwrap();
                rest[start..end].parse().unwrap()
            })
            .collect()
    }

    #[test]
    fn escapes_all_five() {
        assert_eq!(esc("<b>&\"'x"), "&lt;b&gt;&amp;&quot;&#39;x");
        assert_eq!(clean_id("a b\"<c>"), "abc");
        assert_eq!(clean_id("  "), "chart");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.25), "12.2");
        assert_eq!(num(-0.01), "0");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abcd", 4), "abcd");
        assert_eq!(truncate("ab cd", 4), "ab…");
    }

    #[test]
    fn bars_are_proportional_and_escaped() {
        let bars = vec![
            ("<b>&".to_string(), 50.0, "50 %".to_string()),
            ("B".to_string(), 100.0, "100 %".to_string()),
            ("C".to_string(), f64::NAN, "–".to_string()),
            ("D".to_string(), -3.0, "-3".to_string()),
        ];
        let svg = bar_chart("survey 1", "Frage <1>", &bars, None);
        well_formed(&svg, "survey1");
        assert!(svg.contains("&lt;b&gt;&amp;"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("Frage &lt;1&gt;"));
        assert_eq!(
            attrs(&svg, "<rect x=\"220\"", "width"),
            [160.0, 320.0, 0.0, 0.0]
        );
        // A fixed maximum; values above it are capped.
        let svg = bar_chart("s", "t", &bars[..2], Some(200.0));
        assert_eq!(attrs(&svg, "<rect x=\"220\"", "width"), [80.0, 160.0]);
        let svg = bar_chart("s", "t", &bars[..2], Some(80.0));
        assert_eq!(attrs(&svg, "<rect x=\"220\"", "width"), [200.0, 320.0]);
    }

    #[test]
    fn bars_empty_and_long_labels() {
        let svg = bar_chart("e", "Leer", &[], None);
        well_formed(&svg, "e");
        assert!(!svg.contains("<rect"));

        let long = "Digitale Bürgerbeteiligung für alle Ortsteile und Quartiere".to_string();
        let svg = bar_chart("l", "t", &[(long.clone(), 1.0, "1".into())], None);
        well_formed(&svg, "l");
        assert!(svg.contains(&format!("<title>{long}: 1</title>")));
        assert!(svg.contains(">Digitale Bürgerbeteilig…</text>"));
        assert!(svg.contains(&format!("{long}: 1</desc>")));
    }

    fn labels() -> PortfolioLabels {
        PortfolioLabels {
            x_axis: "Aufwand".into(),
            y_axis: "Nutzen".into(),
            quick_win: "Quick Wins".into(),
            strategic: "strategisch".into(),
            filler: "Füllmaßnahmen".into(),
            postpone: "zurückstellen".into(),
        }
    }

    fn point(short: &str, benefit: f64, effort: f64) -> PortfolioPoint {
        PortfolioPoint {
            label: format!("Maßnahme {short} <&>"),
            short: short.into(),
            benefit,
            effort,
            quadrant_label: "q".into(),
        }
    }

    #[test]
    fn portfolio_places_points_in_their_quadrants() {
        let pts = [
            point("M1", 80.0, 20.0), // quick win: top left
            point("M2", 90.0, 85.0), // strategic: top right
            point("M3", 10.0, 10.0), // filler: bottom left
            point("M4", 30.0, 70.0), // postpone: bottom right
            point("M5", 150.0, -5.0),
        ];
        let svg = portfolio("pf", "Portfolio", &pts, 50.0, 50.0, labels());
        well_formed(&svg, "pf");
        assert!(svg.contains("Maßnahme M1 &lt;&amp;&gt;"));
        for name in [
            "Quick Wins",
            "strategisch",
            "Füllmaßnahmen",
            "zurückstellen",
        ] {
            assert!(svg.contains(&format!(">{name}</text>")));
        }
        let cx = attrs(&svg, "<circle class=\"pt\"", "cx");
        let cy = attrs(&svg, "<circle class=\"pt\"", "cy");
        let (tx, ty) = (PF_L + PF_PW / 2.0, PF_T + PF_PH / 2.0);
        assert!(cx[0] < tx && cy[0] < ty, "M1 top left");
        assert!(cx[1] > tx && cy[1] < ty, "M2 top right");
        assert!(cx[2] < tx && cy[2] > ty, "M3 bottom left");
        assert!(cx[3] > tx && cy[3] > ty, "M4 bottom right");
        // Clamped into the plot: benefit 150 → top edge, effort −5 → left edge.
        assert_eq!((cx[4], cy[4]), (PF_L, PF_T));
        // Exact placement: effort 20 → 76 + 0.2·500 = 176, benefit 80 → 16 + 0.2·440 = 104.
        assert_eq!((cx[0], cy[0]), (176.0, 104.0));
        for t in ["0", "25", "50", "75", "100"] {
            assert!(svg.contains(&format!(">{t}</text>")));
        }

        // Other thresholds move the split: with benefit ≥ 85 high, M1 is below the line.
        let svg = portfolio("pf2", "P", &pts, 85.0, 30.0, labels());
        let ty = pf_y(85.0);
        let cy = attrs(&svg, "<circle class=\"pt\"", "cy");
        assert!(cy[0] > ty && cy[1] < ty);
        assert!(svg.contains(&format!("y1=\"{}\"", num(ty))));
    }

    #[test]
    fn portfolio_without_points_and_with_overlaps() {
        let svg = portfolio("p", "P", &[], 50.0, 50.0, labels());
        well_formed(&svg, "p");
        assert!(!svg.contains("class=\"pt\""));
        let pts = [
            point("M1", 60.0, 40.0),
            point("M2", 60.0, 40.0),
            point("M3", f64::NAN, 40.0),
        ];
        let svg = portfolio("p", "P", &pts, 50.0, 50.0, labels());
        well_formed(&svg, "p");
        assert_eq!(svg.matches("class=\"pt\"").count(), 2);
        let ys = attrs(&svg, "<text class=\"pt-label\"", "y");
        assert_ne!(ys[0], ys[1], "labels of coinciding points are nudged apart");
    }

    #[test]
    fn scatter_handles_no_points() {
        let svg = scatter_map("m", "Meinungskarte", &[], &[]);
        well_formed(&svg, "m");
        assert!(!svg.contains("<use"));
        assert!(!svg.contains("Sie"));
    }

    #[test]
    fn scatter_one_point_is_centred_and_labelled() {
        let svg = scatter_map(
            "m",
            "K",
            &[(3.0, -2.0, Some(1), true)],
            &["A".into(), "B".into()],
        );
        well_formed(&svg, "m");
        let x = attrs(&svg, "<use href=\"#m-g1\" x=", "x");
        let y = attrs(&svg, "<use href=\"#m-g1\" x=", "y");
        assert_eq!((x[0], y[0]), (SC_L + SC_PW / 2.0, SC_T + SC_PH / 2.0));
        assert!(svg.contains(">Sie</text>"));
        assert!(svg.contains(">A (0)</text>") && svg.contains(">B (1)</text>"));
        assert!(svg.contains("<desc id=\"m-desc\">A (0); B (1); Sie</desc>"));
        let en = scatter_map_labelled("m", "K", &[(0.0, 0.0, None, true)], &[], "You");
        assert!(en.contains(">You</text>") && !en.contains("Sie"));
        assert!(en.contains("href=\"#m-gx\""));
    }

    #[test]
    fn scatter_thousand_points_stay_in_view() {
        let groups: Vec<String> = [
            "Verwaltung",
            "Politik",
            "<Expert:innen>",
            "Bürger:innen",
            "Andere",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        let pts: Vec<(f64, f64, Option<usize>, bool)> = (0..1000)
            .map(|i| {
                let t = i as f64 * 0.37;
                (
                    t.sin() * 40.0 + 100.0,
                    t.cos() * 7.0,
                    if i % 11 == 0 { None } else { Some(i % 6) },
                    i == 500,
                )
            })
            .collect();
        let svg = scatter_map("big", "K", &pts, &groups);
        well_formed(&svg, "big");
        assert!(svg.contains("&lt;Expert:innen&gt;"));
        // Distinct marks for the five named groups, the unnamed sixth and the group-less.
        for k in 0..6 {
            assert!(svg.contains(&format!("<g id=\"big-g{k}\">")));
        }
        let xs = attrs(&svg, "<use href=\"#big-g", "x");
        let ys = attrs(&svg, "<use href=\"#big-g", "y");
        // 1000 points + 5 legend entries (the legend's `use` comes after the points).
        assert_eq!(xs.len(), 1005);
        for (x, y) in xs.iter().zip(&ys).take(1000) {
            assert!((SC_L..=SC_L + SC_PW).contains(x) && (SC_T..=SC_T + SC_PH).contains(y));
        }
        // Equal scale: the x extent (80) fills the width less the padding.
        let (min, max) = xs[..1000]
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        assert!((max - min - SC_PW / 1.2).abs() < 2.0, "{min} {max}");
        assert_eq!(svg.matches("class=\"me\"").count(), 1);
        // Shapes differ between the first five groups.
        let marks: BTreeSet<String> = (0..5).map(|k| group_mark(k)[..6].to_string()).collect();
        assert_eq!(marks.len(), 3, "circle, rect, path");
        assert_ne!(group_mark(2), group_mark(3));
        assert_ne!(group_mark(0), group_mark(5));
    }
}
