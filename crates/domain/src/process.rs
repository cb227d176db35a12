//! The per-municipality process: phases with status and dates, and the two-year timeline geometry.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseStatus {
    Offen,
    Aktiv,
    Abgeschlossen,
}

impl PhaseStatus {
    pub const ALL: [PhaseStatus; 3] = [
        PhaseStatus::Offen,
        PhaseStatus::Aktiv,
        PhaseStatus::Abgeschlossen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PhaseStatus::Offen => "offen",
            PhaseStatus::Aktiv => "aktiv",
            PhaseStatus::Abgeschlossen => "abgeschlossen",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or("err-phase-status-unknown")
    }
}

/// Months since year 0 of an ISO date (`YYYY-MM-DD`), with the day as a fraction.
fn month_index(iso: &str) -> Option<f64> {
    let mut p = iso.split('-');
    let y: f64 = p.next()?.parse().ok()?;
    let m: f64 = p.next()?.parse().ok()?;
    let d: f64 = p.next()?.parse().ok()?;
    Some(y * 12.0 + (m - 1.0) + (d - 1.0) / 31.0)
}

/// Add whole months to an ISO date (day clamped to 28 to stay valid).
pub fn add_months(iso: &str, months: i64) -> Option<String> {
    let mut p = iso.split('-');
    let y: i64 = p.next()?.parse().ok()?;
    let m: i64 = p.next()?.parse().ok()?;
    let d: i64 = p.next()?.parse().ok()?;
    let total = y * 12 + (m - 1) + months;
    Some(format!(
        "{:04}-{:02}-{:02}",
        total.div_euclid(12),
        total.rem_euclid(12) + 1,
        d.min(28)
    ))
}

/// A bar of the timeline, in percent of the width.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    pub x_pct: f64,
    pub width_pct: f64,
}

/// Place `start..end` on a timeline of `months` months starting at `origin` (all ISO dates).
/// Bars outside the window are clipped; `None` when a date is missing or the bar lies outside.
pub fn bar(origin: &str, months: f64, start: Option<&str>, end: Option<&str>) -> Option<Bar> {
    let o = month_index(origin)?;
    let s = (month_index(start?)? - o).max(0.0);
    let e = (month_index(end?)? - o).min(months);
    if e <= s {
        return None;
    }
    Some(Bar {
        x_pct: s / months * 100.0,
        width_pct: (e - s) / months * 100.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_placed_and_clipped() {
        let b = bar("2026-01-01", 24.0, Some("2026-07-01"), Some("2027-01-01")).expect("bar");
        assert!(
            (b.x_pct - 25.0).abs() < 0.01 && (b.width_pct - 25.0).abs() < 0.01,
            "{b:?}"
        );
        let clipped = bar("2026-01-01", 24.0, Some("2025-01-01"), Some("2026-07-01")).expect("bar");
        assert!(clipped.x_pct.abs() < 0.01 && (clipped.width_pct - 25.0).abs() < 0.01);
        assert_eq!(
            bar("2026-01-01", 24.0, Some("2030-01-01"), Some("2031-01-01")),
            None
        );
        assert_eq!(bar("2026-01-01", 24.0, None, Some("2031-01-01")), None);
    }

    #[test]
    fn month_arithmetic() {
        assert_eq!(add_months("2026-11-15", 3).as_deref(), Some("2027-02-15"));
        assert_eq!(add_months("2026-01-31", 1).as_deref(), Some("2026-02-28"));
    }
}
