//! Open data and interfaces: the paging rule of every API list, and per-city API tokens (a name and scopes).
//! No I/O; see ADR 0016.

use crate::validation::{FieldErrors, required_text};

/// Items per page when the caller does not say.
pub const PER_PAGE_DEFAULT: i64 = 50;
/// Largest page.
pub const PER_PAGE_MAX: i64 = 100;
/// Highest page number accepted (keeps offsets far from overflow).
pub const PAGE_MAX: i64 = 1_000_000;

/// One page of a list: `page` counts from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
}

impl Default for Paging {
    fn default() -> Self {
        Paging {
            page: 1,
            per_page: PER_PAGE_DEFAULT,
        }
    }
}

fn int_in(raw: Option<&str>, default: i64, max: i64) -> Result<i64, &'static str> {
    match raw.map(str::trim) {
        None | Some("") => Ok(default),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            Ok(_) => Err("err-range"),
            Err(_) => Err("err-integer"),
        },
    }
}

impl Paging {
    /// Parse `?page=&per_page=`: whole numbers, `page` ≥ 1, `per_page` 1–100 (default 1 and 50).
    pub fn parse(page: Option<&str>, per_page: Option<&str>) -> Result<Paging, FieldErrors> {
        let mut e = FieldErrors::new();
        let page = e.take("page", int_in(page, 1, PAGE_MAX));
        let per_page = e.take("per_page", int_in(per_page, PER_PAGE_DEFAULT, PER_PAGE_MAX));
        e.finish(|| {
            Some(Paging {
                page: page?,
                per_page: per_page?,
            })
        })
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    /// The part of `items` this page shows (for lists that are filtered in memory).
    pub fn slice<T>(&self, items: Vec<T>) -> Vec<T> {
        let offset = usize::try_from(self.offset()).unwrap_or(usize::MAX);
        let n = usize::try_from(self.per_page).unwrap_or(0);
        items.into_iter().skip(offset).take(n).collect()
    }

    /// Number of the last page for `total` items (1 when there are none).
    pub fn last_page(&self, total: i64) -> i64 {
        ((total + self.per_page - 1) / self.per_page).max(1)
    }

    pub fn has_next(&self, total: i64) -> bool {
        self.page < self.last_page(total)
    }
}

/// What an API token may do. Reading public data needs no token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Add progress reports to the city's measures.
    ProgressWrite,
    /// Change a measure's status (along the workflow).
    MeasuresWrite,
}

impl Scope {
    pub const ALL: [Scope; 2] = [Scope::ProgressWrite, Scope::MeasuresWrite];

    pub fn key(self) -> &'static str {
        match self {
            Scope::ProgressWrite => "progress:write",
            Scope::MeasuresWrite => "measures:write",
        }
    }

    pub fn parse(raw: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.key() == raw.trim())
    }

    /// The scopes of a stored space-separated list (unknown keys are ignored).
    pub fn list(stored: &str) -> Vec<Scope> {
        stored.split_whitespace().filter_map(Scope::parse).collect()
    }
}

/// Longest token name, in characters.
pub const TOKEN_NAME_MAX: usize = 100;

/// The token form.
#[derive(Debug, Clone, Default)]
pub struct TokenInput {
    pub name: String,
    pub scopes: Vec<String>,
}

/// A checked token request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenDraft {
    pub name: String,
    /// Sorted, without repeats.
    pub scopes: Vec<Scope>,
}

impl TokenDraft {
    /// The stored form of the scopes: keys separated by spaces.
    pub fn scopes_text(&self) -> String {
        self.scopes
            .iter()
            .map(|s| s.key())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl TokenInput {
    pub fn parse(&self) -> Result<TokenDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.take("name", required_text(&self.name, TOKEN_NAME_MAX));
        let mut scopes = Vec::new();
        for raw in &self.scopes {
            match Scope::parse(raw) {
                Some(s) => scopes.push(s),
                None => {
                    e.push("scopes", "err-token-scope-unknown");
                    break;
                }
            }
        }
        scopes.sort();
        scopes.dedup();
        if scopes.is_empty() && e.for_field("scopes").is_none() {
            e.push("scopes", "err-token-scope-required");
        }
        e.finish(|| {
            Some(TokenDraft {
                name: name?,
                scopes,
            })
        })
    }
}

/// The geometry of a measure's stored location (a checked GeoJSON text: a geometry, a `Feature` or a
/// `FeatureCollection`), for one feature of a download: a feature gives its geometry, a collection the
/// `GeometryCollection` of its features' geometries. `None` when there is nothing to place.
pub fn geometry_of(location_geojson: &str) -> Option<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(location_geojson.trim()).ok()?;
    match v.get("type")?.as_str()? {
        "Feature" => v.get("geometry").filter(|g| g.is_object()).cloned(),
        "FeatureCollection" => {
            let geometries: Vec<serde_json::Value> = v
                .get("features")?
                .as_array()?
                .iter()
                .filter_map(|f| f.get("geometry").filter(|g| g.is_object()).cloned())
                .collect();
            match geometries.len() {
                0 => None,
                1 => geometries.into_iter().next(),
                _ => Some(
                    serde_json::json!({"type": "GeometryCollection", "geometries": geometries}),
                ),
            }
        }
        _ => Some(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_defaults_limits_and_errors() {
        assert_eq!(Paging::parse(None, None), Ok(Paging::default()));
        let p = Paging::parse(Some("3"), Some("10")).expect("valid");
        assert_eq!(
            (p.offset(), p.last_page(25), p.has_next(25)),
            (20, 3, false)
        );
        assert!(
            Paging::parse(Some("2"), Some("10"))
                .expect("v")
                .has_next(25)
        );
        assert_eq!(Paging::default().last_page(0), 1);
        let e = Paging::parse(Some("0"), Some("101")).expect_err("invalid");
        assert_eq!(e.for_field("page"), Some("err-range"));
        assert_eq!(e.for_field("per_page"), Some("err-range"));
        let e = Paging::parse(Some("x"), Some("1.5")).expect_err("invalid");
        assert_eq!(e.0.len(), 2);
        assert_eq!(e.for_field("page"), Some("err-integer"));
        assert_eq!(
            Paging::parse(None, Some("100")).map(|p| p.per_page),
            Ok(100)
        );
        let p = Paging::parse(Some("2"), Some("2")).expect("valid");
        assert_eq!(p.slice(vec![1, 2, 3, 4, 5]), vec![3, 4]);
    }

    #[test]
    fn geometries_come_from_geometries_features_and_collections() {
        let point = r#"{"type":"Point","coordinates":[8.06,51.39]}"#;
        assert_eq!(
            geometry_of(point).and_then(|g| g["type"].as_str().map(str::to_string)),
            Some("Point".into())
        );
        let feature = format!(r#"{{"type":"Feature","geometry":{point},"properties":{{}}}}"#);
        assert_eq!(geometry_of(&feature), geometry_of(point));
        let two = format!(r#"{{"type":"FeatureCollection","features":[{feature},{feature}]}}"#);
        assert_eq!(
            geometry_of(&two).map(|g| g["geometries"].as_array().map(Vec::len)),
            Some(Some(2))
        );
        assert_eq!(
            geometry_of(r#"{"type":"FeatureCollection","features":[]}"#),
            None
        );
        assert_eq!(geometry_of(""), None);
    }

    #[test]
    fn tokens_need_a_name_and_known_scopes() {
        let ok = TokenInput {
            name: " Sensorplattform ".into(),
            scopes: vec![
                "measures:write".into(),
                "progress:write".into(),
                "measures:write".into(),
            ],
        }
        .parse()
        .expect("valid");
        assert_eq!(ok.name, "Sensorplattform");
        assert_eq!(ok.scopes_text(), "progress:write measures:write");
        assert_eq!(
            Scope::list("progress:write bogus"),
            vec![Scope::ProgressWrite]
        );
        let e = TokenInput::default().parse().expect_err("invalid");
        assert_eq!(e.for_field("name"), Some("err-required"));
        assert_eq!(e.for_field("scopes"), Some("err-token-scope-required"));
        let e = TokenInput {
            name: "x".into(),
            scopes: vec!["admin:all".into()],
        }
        .parse()
        .expect_err("invalid");
        assert_eq!(e.for_field("scopes"), Some("err-token-scope-unknown"));
    }
}
