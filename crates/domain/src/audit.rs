//! The audit log's filter rules (ADR 0018): a period of Berlin calendar days and the text filters.

use crate::validation::FieldErrors;
use crate::workshop::local_to_utc;

/// Longest text accepted in a text filter.
pub const MAX_FILTER_TEXT: usize = 200;

/// The filter as typed (query parameters `person`, `von_datum`, `bis_datum`, `q`), checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Unix seconds of the start of day `von_datum` in Berlin, inclusive.
    pub from: Option<i64>,
    /// Unix seconds of the end of day `bis_datum` in Berlin, exclusive.
    pub until: Option<i64>,
    pub person: Option<String>,
    pub text: Option<String>,
}

fn text(e: &mut FieldErrors, field: &'static str, raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.chars().count() > MAX_FILTER_TEXT {
        e.push(field, "err-audit-text-long");
        return None;
    }
    Some(t.to_owned()).filter(|t| !t.is_empty())
}

impl AuditFilter {
    /// Parse the typed filter; dates are ISO (`2026-03-01`) as a date input sends them.
    pub fn parse(person: &str, from: &str, to: &str, q: &str) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let from = match from.trim() {
            "" => Some(None),
            d => e.take("von_datum", local_to_utc(d, 0, 0)).map(Some),
        };
        let until = match to.trim() {
            "" => Some(None),
            d => e
                .take("bis_datum", local_to_utc(d, 23, 59))
                .map(|s| Some(s + 60)),
        };
        if let (Some(Some(a)), Some(Some(b))) = (from, until)
            && b <= a
        {
            e.push("bis_datum", "err-audit-period-order");
        }
        let person = text(&mut e, "person", person);
        let text = text(&mut e, "q", q);
        match (from, until, e.is_empty()) {
            (Some(from), Some(until), true) => Ok(AuditFilter {
                from,
                until,
                person,
                text,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_filters_nothing() {
        assert_eq!(
            AuditFilter::parse("", "", "", " "),
            Ok(AuditFilter::default())
        );
    }

    #[test]
    fn a_day_is_a_berlin_calendar_day() {
        let f = AuditFilter::parse("", "2026-03-01", "2026-03-01", "").expect("valid");
        // 1 March 2026 00:00 in Berlin is 23:00 UTC the day before.
        assert_eq!(f.from, Some(1_772_319_600));
        assert_eq!(f.until, Some(1_772_319_600 + 86_400));
    }

    #[test]
    fn bad_dates_and_order_are_refused_by_field() {
        let e = AuditFilter::parse("", "gestern", "", "").expect_err("bad date");
        assert!(e.for_field("von_datum").is_some());
        let e = AuditFilter::parse("", "2026-03-02", "2026-03-01", "").expect_err("order");
        assert_eq!(e.for_field("bis_datum"), Some("err-audit-period-order"));
        let long = "x".repeat(MAX_FILTER_TEXT + 1);
        assert!(AuditFilter::parse(&long, "", "", "").is_err());
    }
}
