//! Municipalities (Kommunen): slug, name, AGS, population, state and the derived size class.

use crate::validation::{FieldErrors, required_text};
use serde::Serialize;

/// URL slug of a municipality: lowercase ASCII letters, digits and single hyphens, 2–60 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("err-required");
        }
        let ok_chars = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !(2..=60).contains(&s.len())
            || !ok_chars
            || s.starts_with('-')
            || s.ends_with('-')
            || s.contains("--")
        {
            return Err("err-slug-format");
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Amtlicher Gemeindeschlüssel: exactly eight digits; the first two name the federal state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Ags(String);

impl Ags {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s: String = raw.trim().chars().filter(|c| *c != ' ').collect();
        if s.is_empty() {
            return Err("err-required");
        }
        if s.len() != 8 || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err("err-ags-format");
        }
        if State::by_code(&s[..2]).is_none() {
            return Err("err-ags-state-unknown");
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-digit state code (Länderschlüssel).
    pub fn state_code(&self) -> &str {
        &self.0[..2]
    }
}

/// A German federal state (Land) with its two-digit key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    pub code: &'static str,
    pub name: &'static str,
}

pub const STATES: [State; 16] = [
    State {
        code: "01",
        name: "Schleswig-Holstein",
    },
    State {
        code: "02",
        name: "Hamburg",
    },
    State {
        code: "03",
        name: "Niedersachsen",
    },
    State {
        code: "04",
        name: "Bremen",
    },
    State {
        code: "05",
        name: "Nordrhein-Westfalen",
    },
    State {
        code: "06",
        name: "Hessen",
    },
    State {
        code: "07",
        name: "Rheinland-Pfalz",
    },
    State {
        code: "08",
        name: "Baden-Württemberg",
    },
    State {
        code: "09",
        name: "Bayern",
    },
    State {
        code: "10",
        name: "Saarland",
    },
    State {
        code: "11",
        name: "Berlin",
    },
    State {
        code: "12",
        name: "Brandenburg",
    },
    State {
        code: "13",
        name: "Mecklenburg-Vorpommern",
    },
    State {
        code: "14",
        name: "Sachsen",
    },
    State {
        code: "15",
        name: "Sachsen-Anhalt",
    },
    State {
        code: "16",
        name: "Thüringen",
    },
];

impl State {
    pub fn by_code(code: &str) -> Option<State> {
        STATES.iter().copied().find(|s| s.code == code)
    }

    pub fn parse(raw: &str) -> Result<State, &'static str> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("err-required");
        }
        State::by_code(raw).ok_or("err-state-unknown")
    }
}

/// Size class derived from the population (BBSR convention used by the network).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeClass {
    Landgemeinde,
    Kleinstadt,
    Mittelstadt,
    Grossstadt,
}

impl SizeClass {
    pub const ALL: [SizeClass; 4] = [
        SizeClass::Landgemeinde,
        SizeClass::Kleinstadt,
        SizeClass::Mittelstadt,
        SizeClass::Grossstadt,
    ];

    pub fn from_population(population: u32) -> Self {
        match population {
            0..5_000 => SizeClass::Landgemeinde,
            5_000..20_000 => SizeClass::Kleinstadt,
            20_000..100_000 => SizeClass::Mittelstadt,
            _ => SizeClass::Grossstadt,
        }
    }

    /// Stable identifier used in the API and as message key suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            SizeClass::Landgemeinde => "landgemeinde",
            SizeClass::Kleinstadt => "kleinstadt",
            SizeClass::Mittelstadt => "mittelstadt",
            SizeClass::Grossstadt => "grossstadt",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw)
    }
}

/// Population: a positive whole number of inhabitants (German thousands separators accepted).
pub fn parse_population(raw: &str) -> Result<u32, &'static str> {
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}'))
        .collect();
    if cleaned.is_empty() {
        return Err("err-required");
    }
    match cleaned.parse::<u32>() {
        Ok(0) => Err("err-population-range"),
        Ok(n) if n > 20_000_000 => Err("err-population-range"),
        Ok(n) => Ok(n),
        Err(_) => Err("err-population-format"),
    }
}

/// Raw form or JSON input for creating or editing a municipality.
#[derive(Debug, Clone, Default)]
pub struct MunicipalityInput {
    pub slug: String,
    pub name: String,
    pub ags: String,
    pub population: String,
    pub state: String,
}

/// A validated municipality, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MunicipalityDraft {
    pub slug: Slug,
    pub name: String,
    pub ags: Ags,
    pub population: u32,
    pub state: State,
}

impl MunicipalityDraft {
    pub fn size_class(&self) -> SizeClass {
        SizeClass::from_population(self.population)
    }
}

impl MunicipalityInput {
    /// Parse every field, collecting all errors; the AGS must belong to the chosen state.
    pub fn parse(&self) -> Result<MunicipalityDraft, FieldErrors> {
        let mut errs = FieldErrors::new();
        let slug = errs.take("slug", Slug::parse(&self.slug));
        let name = errs.take("name", required_text(&self.name, 120));
        let ags = errs.take("ags", Ags::parse(&self.ags));
        let population = errs.take("population", parse_population(&self.population));
        let state = errs.take("state", State::parse(&self.state));
        if let (Some(a), Some(s)) = (&ags, &state)
            && a.state_code() != s.code
        {
            errs.push("ags", "err-ags-state-mismatch");
        }
        errs.finish(|| {
            Some(MunicipalityDraft {
                slug: slug?,
                name: name?,
                ags: ags?,
                population: population?,
                state: state?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(ags: &str, pop: &str, state: &str) -> MunicipalityInput {
        MunicipalityInput {
            slug: "arnsberg".into(),
            name: "Arnsberg".into(),
            ags: ags.into(),
            population: pop.into(),
            state: state.into(),
        }
    }

    #[test]
    fn size_class_boundaries() {
        assert_eq!(SizeClass::from_population(4_999), SizeClass::Landgemeinde);
        assert_eq!(SizeClass::from_population(5_000), SizeClass::Kleinstadt);
        assert_eq!(SizeClass::from_population(19_999), SizeClass::Kleinstadt);
        assert_eq!(SizeClass::from_population(20_000), SizeClass::Mittelstadt);
        assert_eq!(SizeClass::from_population(99_999), SizeClass::Mittelstadt);
        assert_eq!(SizeClass::from_population(100_000), SizeClass::Grossstadt);
    }

    #[test]
    fn ags_must_be_eight_digits_of_a_known_state() {
        assert_eq!(
            Ags::parse("05958004").map(|a| a.as_str().to_string()),
            Ok("05958004".into())
        );
        assert_eq!(Ags::parse("0595800"), Err("err-ags-format"));
        assert_eq!(Ags::parse("059580041"), Err("err-ags-format"));
        assert_eq!(Ags::parse("0595800a"), Err("err-ags-format"));
        assert_eq!(Ags::parse("99958004"), Err("err-ags-state-unknown"));
        assert_eq!(Ags::parse(" "), Err("err-required"));
    }

    #[test]
    fn ags_state_mismatch_is_reported_on_the_ags_field() {
        let err = input("09162000", "73000", "05").parse().unwrap_err();
        assert_eq!(err.for_field("ags"), Some("err-ags-state-mismatch"));
    }

    #[test]
    fn all_errors_are_collected() {
        let err = MunicipalityInput::default().parse().unwrap_err();
        for f in ["slug", "name", "ags", "population", "state"] {
            assert_eq!(err.for_field(f), Some("err-required"), "{f}");
        }
    }

    #[test]
    fn german_thousands_separator_is_accepted() {
        let d = input("05958004", "73.456", "05").parse().unwrap();
        assert_eq!(d.population, 73_456);
        assert_eq!(d.size_class(), SizeClass::Mittelstadt);
    }

    #[test]
    fn slug_rules() {
        assert!(Slug::parse("bad-nauheim-2").is_ok());
        assert_eq!(Slug::parse("Arnsberg"), Err("err-slug-format"));
        assert_eq!(Slug::parse("-a"), Err("err-slug-format"));
        assert_eq!(Slug::parse("a--b"), Err("err-slug-format"));
        assert_eq!(Slug::parse("ä"), Err("err-slug-format"));
    }
}
