//! Implementation tracking: progress reports (date, percent complete, text, a milestone reached, photos with
//! alt text), which milestones are overdue, and the figures of a measure's progress. No I/O: the photo checks
//! look at the bytes they are given.

use crate::validation::FieldErrors;
use crate::values::{optional_text, parse_date};

/// Longest report text, in characters.
pub const BODY_MAX: usize = 5_000;
/// Largest photo, in bytes (5 MiB).
pub const PHOTO_MAX_BYTES: usize = 5 * 1024 * 1024;
/// Photos per report.
pub const PHOTOS_MAX: usize = 3;
/// Longest alt text, in characters.
pub const ALT_MAX: usize = 300;

/// A progress report as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct ProgressInput {
    pub reported_on: String,
    pub percent: String,
    pub body: String,
    /// Id of one of the measure's open milestones, or empty.
    pub milestone_id: String,
}

/// A checked progress report.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressDraft {
    /// ISO date.
    pub reported_on: String,
    pub percent: i64,
    pub body: String,
    pub milestone_id: Option<i64>,
}

impl ProgressInput {
    /// Check against the measure's open milestones (`open_milestones` ids) and today's ISO date (a report is
    /// about what happened, so it cannot be dated in the future).
    pub fn parse(
        &self,
        open_milestones: &[i64],
        today: &str,
    ) -> Result<ProgressDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let reported_on = match parse_date(&self.reported_on) {
            Ok(Some(d)) if d.as_str() > today => {
                e.push("reported_on", "err-progress-future");
                None
            }
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                e.push("reported_on", "err-required");
                None
            }
            Err(code) => {
                e.push("reported_on", code);
                None
            }
        };
        let percent = match self
            .percent
            .trim()
            .trim_end_matches('%')
            .trim()
            .parse::<i64>()
        {
            Ok(p) if (0..=100).contains(&p) => Some(p),
            _ => {
                e.push("percent", "err-progress-percent");
                None
            }
        };
        let body = match optional_text(&self.body, BODY_MAX) {
            Ok(b) if b.is_empty() => {
                e.push("body", "err-required");
                None
            }
            Ok(b) => Some(b),
            Err(code) => {
                e.push("body", code);
                None
            }
        };
        let milestone_id = match self.milestone_id.trim() {
            "" => Some(None),
            raw => match raw.parse::<i64>() {
                Ok(id) if open_milestones.contains(&id) => Some(Some(id)),
                _ => {
                    e.push("milestone_id", "err-progress-milestone");
                    None
                }
            },
        };
        e.finish(|| {
            Some(ProgressDraft {
                reported_on: reported_on?,
                percent: percent?,
                body: body?,
                milestone_id: milestone_id?,
            })
        })
    }
}

/// The content type of an image from its first bytes (PNG, JPEG, WebP); `None` for anything else, whatever
/// the browser claimed it to be.
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Check one photo with its alt text: `Ok((content type, alt text))` or the error code.
pub fn check_photo(bytes: &[u8], alt: &str) -> Result<(&'static str, String), &'static str> {
    if bytes.len() > PHOTO_MAX_BYTES {
        return Err("err-photo-too-large");
    }
    let kind = sniff_image(bytes).ok_or("err-photo-type")?;
    let alt = optional_text(alt, ALT_MAX)?;
    if alt.is_empty() {
        return Err("err-photo-alt");
    }
    Ok((kind, alt))
}

/// A milestone is overdue when its due date has passed and it is not done.
pub fn overdue(due_date: Option<&str>, done_on: Option<&str>, today: &str) -> bool {
    matches!(due_date, Some(d) if d < today) && done_on.is_none()
}

/// How far a KPI has come from its baseline towards its target, in percent (may be below 0 or above 100);
/// `None` without baseline, target or a measurement, or when baseline and target are equal.
pub fn kpi_progress(
    baseline: Option<f64>,
    target: Option<f64>,
    latest: Option<f64>,
) -> Option<f64> {
    let (b, t, v) = (baseline?, target?, latest?);
    if (t - b).abs() < f64::EPSILON {
        return None;
    }
    Some((v - b) / (t - b) * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(date: &str, percent: &str, body: &str, ms: &str) -> ProgressInput {
        ProgressInput {
            reported_on: date.into(),
            percent: percent.into(),
            body: body.into(),
            milestone_id: ms.into(),
        }
    }

    #[test]
    fn a_valid_report_is_normalised() {
        let d = input("3.11.2026", " 40 % ", "  Ausschreibung läuft. ", "7")
            .parse(&[7, 8], "2026-11-26")
            .unwrap();
        assert_eq!(
            d,
            ProgressDraft {
                reported_on: "2026-11-03".into(),
                percent: 40,
                body: "Ausschreibung läuft.".into(),
                milestone_id: Some(7),
            }
        );
    }

    #[test]
    fn every_bad_field_gets_its_own_message() {
        let e = input("2027-01-01", "101", "", "9")
            .parse(&[7], "2026-11-26")
            .unwrap_err();
        assert_eq!(e.for_field("reported_on"), Some("err-progress-future"));
        assert_eq!(e.for_field("percent"), Some("err-progress-percent"));
        assert_eq!(e.for_field("body"), Some("err-required"));
        assert_eq!(e.for_field("milestone_id"), Some("err-progress-milestone"));
        let e = input("31.2.2026", "-1", &"x".repeat(BODY_MAX + 1), "x")
            .parse(&[], "2026-11-26")
            .unwrap_err();
        assert_eq!(e.for_field("reported_on"), Some("err-date-invalid"));
        assert_eq!(e.for_field("percent"), Some("err-progress-percent"));
        assert_eq!(e.for_field("body"), Some("err-too-long"));
        assert_eq!(e.for_field("milestone_id"), Some("err-progress-milestone"));
        assert_eq!(
            input("", "50", "x", "")
                .parse(&[], "2026-11-26")
                .unwrap_err()
                .for_field("reported_on"),
            Some("err-required")
        );
    }

    #[test]
    fn photos_are_judged_by_their_bytes() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(
            sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0, 0]),
            Some("image/jpeg")
        );
        assert_eq!(sniff_image(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff_image(b"<svg xmlns=..."), None);
        assert_eq!(sniff_image(b"GIF89a"), None);
        assert_eq!(check_photo(b"<html>", "Bild"), Err("err-photo-type"));
        assert_eq!(
            check_photo(b"\x89PNG\r\n\x1a\n", "  "),
            Err("err-photo-alt")
        );
        let big = [&b"\x89PNG\r\n\x1a\n"[..], &vec![0u8; PHOTO_MAX_BYTES]].concat();
        assert_eq!(check_photo(&big, "Bild"), Err("err-photo-too-large"));
        assert_eq!(
            check_photo(b"\x89PNG\r\n\x1a\n", " Neue Bank am Markt "),
            Ok(("image/png", "Neue Bank am Markt".into()))
        );
    }

    #[test]
    fn overdue_means_past_due_and_not_done() {
        let today = "2026-11-26";
        assert!(overdue(Some("2026-11-25"), None, today));
        assert!(!overdue(Some("2026-11-26"), None, today));
        assert!(!overdue(Some("2026-11-01"), Some("2026-11-02"), today));
        assert!(!overdue(None, None, today));
    }

    #[test]
    fn kpi_progress_runs_from_baseline_to_target_either_way() {
        assert_eq!(kpi_progress(Some(10.0), Some(20.0), Some(15.0)), Some(50.0));
        assert_eq!(
            kpi_progress(Some(100.0), Some(50.0), Some(75.0)),
            Some(50.0)
        );
        assert_eq!(kpi_progress(Some(1.0), Some(1.0), Some(1.0)), None);
        assert_eq!(kpi_progress(None, Some(1.0), Some(1.0)), None);
    }
}
