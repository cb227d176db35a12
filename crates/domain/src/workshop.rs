//! Workshops (Werkstätten): planning input in local time (Europe/Berlin) stored as UTC, the capacity rule of
//! registrations, and agenda items.

use crate::validation::{FieldErrors, required_text};
use crate::values::{optional_text, parse_date, parse_link};
use crate::visibility::Visibility;
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// The time zone of forms and pages.
pub const ZONE: &str = "Europe/Berlin";

fn zone() -> TimeZone {
    TimeZone::get(ZONE).unwrap_or(TimeZone::UTC)
}

/// `HH:MM` → (hour, minute).
fn parse_time(raw: &str) -> Result<(i8, i8), &'static str> {
    let t = raw.trim();
    if t.is_empty() {
        return Err("err-required");
    }
    let (h, m) = t.split_once(':').ok_or("err-time-format")?;
    let h: i8 = h.trim().parse().map_err(|_| "err-time-format")?;
    let m: i8 = m.trim().parse().map_err(|_| "err-time-format")?;
    if !(0..=23).contains(&h) || !(0..=59).contains(&m) {
        return Err("err-time-format");
    }
    Ok((h, m))
}

/// Local date and time in Berlin to Unix seconds (UTC).
pub fn local_to_utc(iso_date: &str, hour: i8, minute: i8) -> Result<i64, &'static str> {
    let mut p = iso_date.split('-');
    let (Some(y), Some(mo), Some(d)) = (p.next(), p.next(), p.next()) else {
        return Err("err-date-format");
    };
    let (y, mo, d): (i16, i8, i8) = (
        y.parse().map_err(|_| "err-date-format")?,
        mo.parse().map_err(|_| "err-date-format")?,
        d.parse().map_err(|_| "err-date-format")?,
    );
    let dt = DateTime::new(y, mo, d, hour, minute, 0, 0).map_err(|_| "err-date-invalid")?;
    let zoned = dt
        .to_zoned_datetime(zone())
        .map_err(|_| "err-date-invalid")?;
    Ok(zoned.timestamp().as_second())
}

/// Unix seconds to Berlin local `(YYYY-MM-DD, HH:MM)`.
pub fn utc_to_local(secs: i64) -> (String, String) {
    match Timestamp::from_second(secs) {
        Ok(ts) => {
            let z = ts.to_zoned_datetime(zone());
            (
                z.strftime("%Y-%m-%d").to_string(),
                z.strftime("%H:%M").to_string(),
            )
        }
        Err(_) => (String::new(), String::new()),
    }
}

/// Raw planning form.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct WorkshopInput {
    pub title: String,
    pub format_key: String,
    pub date: String,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub online_link: String,
    pub capacity: String,
    pub purpose: String,
    pub phase_id: String,
    pub visibility: String,
}

/// A validated workshop plan.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkshopDraft {
    pub title: String,
    pub format_key: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub online_link: String,
    pub capacity: Option<i64>,
    pub purpose: String,
    pub phase_id: Option<i64>,
    pub visibility: Visibility,
}

impl WorkshopInput {
    /// Parse; `formats` are the known format keys.
    pub fn parse(&self, formats: &[String]) -> Result<WorkshopDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.take("title", required_text(&self.title, 200));
        let format_key = if formats.contains(&self.format_key) {
            Some(self.format_key.clone())
        } else {
            e.push(
                "format_key",
                if self.format_key.is_empty() {
                    "err-required"
                } else {
                    "err-choice-unknown"
                },
            );
            None
        };
        let date = match parse_date(&self.date) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                e.push("date", "err-required");
                None
            }
            Err(code) => {
                e.push("date", code);
                None
            }
        };
        let start = e.take("start_time", parse_time(&self.start_time));
        let end = e.take("end_time", parse_time(&self.end_time));
        let place = e.take("place", optional_text(&self.place, 300));
        let online_link = e.take("online_link", parse_link(&self.online_link));
        if place.as_deref() == Some("") && online_link.as_deref() == Some("") {
            e.push("place", "err-place-or-link");
        }
        let capacity = match self.capacity.trim() {
            "" => Some(None),
            raw => match raw.parse::<i64>() {
                Ok(n) if (1..=10_000).contains(&n) => Some(Some(n)),
                _ => {
                    e.push("capacity", "err-capacity-range");
                    None
                }
            },
        };
        let purpose = e.take("purpose", optional_text(&self.purpose, 4000));
        let phase_id = self.phase_id.trim().parse::<i64>().ok();
        let visibility = e.take("visibility", Visibility::parse(&self.visibility));
        let mut times = None;
        if let (Some(d), Some((sh, sm)), Some((eh, em))) = (&date, start, end) {
            match (local_to_utc(d, sh, sm), local_to_utc(d, eh, em)) {
                (Ok(s), Ok(t)) if t > s => times = Some((s, t)),
                (Ok(_), Ok(_)) => e.push("end_time", "err-end-before-start"),
                _ => e.push("date", "err-date-invalid"),
            }
        }
        match (
            title,
            format_key,
            times,
            place,
            online_link,
            capacity,
            purpose,
            visibility,
            e.is_empty(),
        ) {
            (
                Some(title),
                Some(format_key),
                Some((starts_at, ends_at)),
                Some(place),
                Some(online_link),
                Some(capacity),
                Some(purpose),
                Some(visibility),
                true,
            ) => Ok(WorkshopDraft {
                title,
                format_key,
                starts_at,
                ends_at,
                place,
                online_link,
                capacity,
                purpose,
                phase_id,
                visibility,
            }),
            _ => Err(e),
        }
    }
}

/// Whether a new registration gets a seat or goes onto the waiting list.
pub fn registration_status(capacity: Option<i64>, seats_taken: i64) -> &'static str {
    match capacity {
        Some(c) if seats_taken >= c => "warteliste",
        _ => "angemeldet",
    }
}

/// An agenda item: title and duration in minutes (1–600).
pub fn parse_agenda_item(title: &str, minutes: &str) -> Result<(String, i64), FieldErrors> {
    let mut e = FieldErrors::new();
    let t = e.take("agenda_title", required_text(title, 200));
    let m = match minutes.trim().parse::<i64>() {
        Ok(m) if (1..=600).contains(&m) => Some(m),
        _ => {
            e.push("agenda_minutes", "err-minutes-range");
            None
        }
    };
    match (t, m) {
        (Some(t), Some(m)) => Ok((t, m)),
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> WorkshopInput {
        WorkshopInput {
            title: "Zweite Strategiewerkstatt".into(),
            format_key: "strategiewerkstatt".into(),
            date: "2026-12-03".into(),
            start_time: "17:00".into(),
            end_time: "20:30".into(),
            place: "Rathaus, Sitzungssaal".into(),
            capacity: "40".into(),
            visibility: "oeffentlich".into(),
            ..Default::default()
        }
    }

    #[test]
    fn berlin_local_time_is_stored_as_utc() {
        let d = input()
            .parse(&["strategiewerkstatt".into()])
            .expect("valid");
        // 3 Dec 2026 17:00 CET = 16:00 UTC
        assert_eq!(d.starts_at, 1_796_313_600);
        assert_eq!(d.ends_at - d.starts_at, 3 * 3600 + 1800);
        assert_eq!(
            utc_to_local(d.starts_at),
            ("2026-12-03".into(), "17:00".into())
        );
        // Summer time: 1 Jul 2026 10:00 CEST = 08:00 UTC
        let summer = local_to_utc("2026-07-01", 10, 0).expect("utc");
        assert_eq!(utc_to_local(summer).1, "10:00");
        assert_eq!(summer % 86_400, 8 * 3600);
    }

    #[test]
    fn planning_errors_name_their_fields() {
        let mut i = input();
        i.format_key = "grillfest".into();
        i.end_time = "16:00".into();
        i.capacity = "0".into();
        i.place = String::new();
        let e = i
            .parse(&["strategiewerkstatt".into()])
            .expect_err("invalid");
        assert_eq!(e.for_field("format_key"), Some("err-choice-unknown"));
        assert_eq!(e.for_field("end_time"), Some("err-end-before-start"));
        assert_eq!(e.for_field("capacity"), Some("err-capacity-range"));
        assert_eq!(e.for_field("place"), Some("err-place-or-link"));
    }

    #[test]
    fn capacity_rule() {
        assert_eq!(registration_status(Some(2), 1), "angemeldet");
        assert_eq!(registration_status(Some(2), 2), "warteliste");
        assert_eq!(registration_status(None, 500), "angemeldet");
    }
}
