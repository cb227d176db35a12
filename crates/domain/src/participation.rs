//! Participation formats (Beteiligung): kinds, access modes, the settings form, the open period, and the
//! rules every format shares (honeypot, text limits).

use crate::validation::{FieldErrors, required_text};
use crate::values::optional_text;
use crate::workshop::local_to_utc;

/// The formats a city can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Umfrage,
    Ideen,
    Punkte,
    Nutzwert,
    Meinungsbild,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Umfrage,
        Kind::Ideen,
        Kind::Punkte,
        Kind::Nutzwert,
        Kind::Meinungsbild,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Umfrage => "umfrage",
            Kind::Ideen => "ideen",
            Kind::Punkte => "punkte",
            Kind::Nutzwert => "nutzwert",
            Kind::Meinungsbild => "meinungsbild",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Who may take part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Everyone who confirms an e-mail address (double opt-in); accounts without further step.
    Email,
    /// Everyone, without account (one browser = one participant; a weaker guarantee, shown as such).
    Gast,
    /// Only holders of a single-use access code.
    Code,
}

impl Access {
    pub const ALL: [Access; 3] = [Access::Email, Access::Gast, Access::Code];

    pub fn as_str(self) -> &'static str {
        match self {
            Access::Email => "email",
            Access::Gast => "gast",
            Access::Code => "code",
        }
    }

    pub fn parse(s: &str) -> Option<Access> {
        Access::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The settings form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ParticipationInput {
    pub kind: String,
    pub title: String,
    pub description: String,
    pub processing_purpose: String,
    pub legal_basis: String,
    pub opens_on: String,
    pub closes_on: String,
    pub access: String,
    pub published: String,
    pub results_public: String,
    pub premoderation: String,
    pub points: String,
    pub cumulative: String,
    pub retention_days: String,
}

/// Validated settings.
#[derive(Debug, Clone, PartialEq)]
pub struct ParticipationDraft {
    pub kind: Kind,
    pub title: String,
    pub description: String,
    pub purpose: String,
    pub legal_basis: String,
    /// Start of the first day, Berlin time, as Unix seconds.
    pub opens_at: i64,
    /// End of the last day (23:59:59 Berlin time), as Unix seconds.
    pub closes_at: i64,
    pub access: Access,
    pub published: bool,
    pub results_public: bool,
    pub premoderation: bool,
    pub points: i64,
    pub cumulative: bool,
    pub retention_days: i64,
}

fn on(v: &str) -> bool {
    matches!(v, "on" | "1" | "true")
}

impl ParticipationInput {
    pub fn parse(&self) -> Result<ParticipationDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = Kind::parse(self.kind.trim());
        if kind.is_none() {
            e.push("kind", "err-participation-kind");
        }
        let title = e.take("title", required_text(&self.title, 200));
        let description = e.take("description", optional_text(&self.description, 10_000));
        let purpose = e.take(
            "processing_purpose",
            required_long(&self.processing_purpose, 2_000),
        );
        let legal_basis = e.take("legal_basis", required_long(&self.legal_basis, 1_000));
        let opens = e.take("opens_on", day(&self.opens_on, 0, 0));
        let closes = e.take("closes_on", day(&self.closes_on, 23, 59));
        if let (Some(o), Some(c)) = (opens, closes)
            && c <= o
        {
            e.push("closes_on", "err-participation-period");
        }
        let access = Access::parse(self.access.trim());
        if access.is_none() {
            e.push("access", "err-participation-access");
        }
        let points = match self.points.trim() {
            "" => Some(0),
            p => match p.parse::<i64>() {
                Ok(n) if (0..=100).contains(&n) => Some(n),
                _ => {
                    e.push("points", "err-participation-points");
                    None
                }
            },
        };
        if kind == Some(Kind::Punkte) && points == Some(0) {
            e.push("points", "err-participation-points");
        }
        let retention_days = match self.retention_days.trim() {
            "" => Some(365),
            r => match r.parse::<i64>() {
                Ok(n) if (1..=3650).contains(&n) => Some(n),
                _ => {
                    e.push("retention_days", "err-participation-retention");
                    None
                }
            },
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ParticipationDraft {
            kind: kind.expect("checked"),
            title: title.expect("checked"),
            description: description.expect("checked"),
            purpose: purpose.expect("checked"),
            legal_basis: legal_basis.expect("checked"),
            opens_at: opens.expect("checked"),
            closes_at: closes.expect("checked") + 59,
            access: access.expect("checked"),
            published: on(&self.published),
            results_public: on(&self.results_public),
            premoderation: on(&self.premoderation),
            points: points.expect("checked"),
            cumulative: on(&self.cumulative),
            retention_days: retention_days.expect("checked"),
        })
    }
}

fn required_long(raw: &str, max: usize) -> Result<String, &'static str> {
    let t = optional_text(raw, max)?;
    if t.is_empty() {
        Err("err-required")
    } else {
        Ok(t)
    }
}

fn day(raw: &str, h: i8, m: i8) -> Result<i64, &'static str> {
    match crate::values::parse_date(raw)? {
        Some(d) => local_to_utc(&d, h, m),
        None => Err("err-required"),
    }
}

/// Where a format stands in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    NotYet,
    Open,
    Closed,
}

/// Points one person may give a single item of a point format with `points` per person: all of them when the
/// format is cumulative, else one.
pub fn max_points_per_item(points: i64, cumulative: bool) -> i64 {
    if cumulative { points } else { 1 }
}

pub fn phase(now: i64, opens_at: i64, closes_at: i64) -> Phase {
    if now < opens_at {
        Phase::NotYet
    } else if now <= closes_at {
        Phase::Open
    } else {
        Phase::Closed
    }
}

/// When personal data of a closed format is removed: `retention_days` after it closed.
pub fn retention_due(now: i64, closes_at: i64, retention_days: i64) -> bool {
    now > closes_at + retention_days * 86_400
}

/// The honeypot field must stay empty: people do not see it, form-filling robots do.
pub fn honeypot_ok(value: &str) -> bool {
    value.trim().is_empty()
}

/// An access code as typed: upper case, without spaces and dashes; 10 characters of the join-code alphabet.
pub fn normalise_access_code(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == ACCESS_CODE_LEN
        && code
            .bytes()
            .all(|b| crate::board::CODE_ALPHABET.contains(&b)))
    .then_some(code)
}

/// Length of an access code (26^10 ≈ 1.4·10^14: not guessable within the rate limit).
pub const ACCESS_CODE_LEN: usize = 10;

pub fn access_code_from_bytes(bytes: &[u8; ACCESS_CODE_LEN]) -> String {
    bytes
        .iter()
        .map(|b| {
            crate::board::CODE_ALPHABET[*b as usize % crate::board::CODE_ALPHABET.len()] as char
        })
        .collect()
}

/// `ABCDE-FGHJK` for printing.
pub fn display_access_code(code: &str) -> String {
    if code.len() == ACCESS_CODE_LEN {
        format!("{}-{}", &code[..5], &code[5..])
    } else {
        code.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ParticipationInput {
        ParticipationInput {
            kind: "umfrage".into(),
            title: "Wie mobil ist Arnsberg?".into(),
            processing_purpose: "Bedarfe für den Handlungsfeld Mobilität erheben".into(),
            legal_basis: "Art. 6 Abs. 1 lit. a DSGVO (Einwilligung)".into(),
            opens_on: "2027-03-01".into(),
            closes_on: "2027-03-31".into(),
            access: "gast".into(),
            ..Default::default()
        }
    }

    #[test]
    fn settings_parse_with_berlin_days() {
        let d = input().parse().unwrap();
        assert_eq!(d.kind, Kind::Umfrage);
        assert_eq!(d.access, Access::Gast);
        // 2027-03-01 00:00 CET = 2027-02-28 23:00 UTC (`TZ=Europe/Berlin date -d ... +%s`).
        assert_eq!(d.opens_at, 1_803_855_600);
        // 2027-03-31 23:59:59 CEST = 21:59:59 UTC.
        assert_eq!(d.closes_at, 1_806_530_399);
        assert_eq!(d.retention_days, 365);
        assert!(!d.published);
    }

    #[test]
    fn bad_settings_name_every_field() {
        let mut i = input();
        i.kind = "lotterie".into();
        i.title = " ".into();
        i.processing_purpose = "".into();
        i.closes_on = "2027-02-01".into();
        i.access = "alle".into();
        i.retention_days = "0".into();
        let e = i.parse().unwrap_err();
        for f in [
            "kind",
            "title",
            "processing_purpose",
            "closes_on",
            "access",
            "retention_days",
        ] {
            assert!(e.for_field(f).is_some(), "{f}");
        }
        let mut p = input();
        p.kind = "punkte".into();
        assert_eq!(
            p.parse().unwrap_err().for_field("points"),
            Some("err-participation-points")
        );
        p.points = "10".into();
        assert_eq!(p.parse().unwrap().points, 10);
    }

    #[test]
    fn phases_and_retention() {
        assert_eq!(phase(5, 10, 20), Phase::NotYet);
        assert_eq!(phase(10, 10, 20), Phase::Open);
        assert_eq!(phase(21, 10, 20), Phase::Closed);
        assert!(!retention_due(20 + 86_400, 20, 1));
        assert!(retention_due(21 + 86_400, 20, 1));
    }

    #[test]
    fn access_codes() {
        let c = access_code_from_bytes(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(c.len(), ACCESS_CODE_LEN);
        assert_eq!(
            normalise_access_code(&display_access_code(&c).to_lowercase()),
            Some(c)
        );
        assert_eq!(normalise_access_code("ABC"), None);
        assert!(honeypot_ok(" ") && !honeypot_ok("http://spam"));
    }
}
