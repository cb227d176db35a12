//! Idea collection (Ideensammlung): an idea has a title, a text, optionally a field of action of the city
//! and a location (a point). Ideas and comments are moderated (report, hide with a reason, optional
//! pre-moderation). This module parses the forms once and decides what a viewer sees of an item.

use crate::validation::{FieldErrors, required_text};
use crate::values::optional_text;

/// Longest idea title (characters).
pub const TITLE_MAX: usize = 120;
/// Longest idea text (characters).
pub const TEXT_MAX: usize = 2_000;
/// Longest comment (characters).
pub const COMMENT_MAX: usize = 1_000;
/// Longest reason of a report or of hiding (characters).
pub const REASON_MAX: usize = 500;

/// Ideas per participant and hour.
pub const IDEA_RATE: (i64, i64) = (10, 3_600);
/// Comments per participant and hour.
pub const COMMENT_RATE: (i64, i64) = (30, 3_600);
/// Reports per participant and hour.
pub const REPORT_RATE: (i64, i64) = (20, 3_600);

/// Where a location may lie: Germany's bounding box with a small margin (the platform serves German
/// municipalities; a point far outside is a typing error, e.g. latitude and longitude swapped).
pub const LAT_RANGE: (f64, f64) = (47.0, 55.5);
pub const LON_RANGE: (f64, f64) = (5.5, 15.5);

/// The idea form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct IdeaInput {
    pub idea_title: String,
    pub idea_text: String,
    /// Id of a selected field of action, or empty.
    pub idea_field: String,
    /// Latitude in decimal degrees (comma or point), or empty.
    pub idea_lat: String,
    /// Longitude in decimal degrees (comma or point), or empty.
    pub idea_lon: String,
    /// Honeypot: hidden from people, filled by robots.
    pub website: String,
}

/// A point in WGS 84.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

/// A valid idea.
#[derive(Debug, Clone, PartialEq)]
pub struct IdeaDraft {
    pub title: String,
    pub text: String,
    pub field_id: Option<i64>,
    pub location: Option<Point>,
}

impl IdeaInput {
    /// Parse against the fields of action the city selected (`fields`); every problem is named by field.
    pub fn parse(&self, fields: &[i64]) -> Result<IdeaDraft, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.take("idea_title", required_text(&self.idea_title, TITLE_MAX));
        let text = e.take("idea_text", required_long(&self.idea_text, TEXT_MAX));
        let field_id = match self.idea_field.trim() {
            "" => Some(None),
            raw => match raw.parse::<i64>() {
                Ok(id) if fields.contains(&id) => Some(Some(id)),
                _ => {
                    e.push("idea_field", "err-idea-field");
                    None
                }
            },
        };
        let lat = e.take(
            "idea_lat",
            coordinate(&self.idea_lat, LAT_RANGE, "err-idea-lat"),
        );
        let lon = e.take(
            "idea_lon",
            coordinate(&self.idea_lon, LON_RANGE, "err-idea-lon"),
        );
        let location = match (lat, lon) {
            (Some(Some(lat)), Some(Some(lon))) => Some(Some(Point { lat, lon })),
            (Some(None), Some(None)) => Some(None),
            (Some(None), Some(Some(_))) => {
                e.push("idea_lat", "err-idea-location-both");
                None
            }
            (Some(Some(_)), Some(None)) => {
                e.push("idea_lon", "err-idea-location-both");
                None
            }
            _ => None,
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(IdeaDraft {
            title: title.expect("checked"),
            text: text.expect("checked"),
            field_id: field_id.expect("checked"),
            location: location.expect("checked"),
        })
    }
}

/// A required multi-line text of at most `max` characters.
fn required_long(raw: &str, max: usize) -> Result<String, &'static str> {
    let t = optional_text(raw, max)?;
    if t.is_empty() {
        Err("err-required")
    } else {
        Ok(t)
    }
}

/// An optional decimal degree within `range`; German decimal comma accepted.
fn coordinate(
    raw: &str,
    range: (f64, f64),
    err: &'static str,
) -> Result<Option<f64>, &'static str> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() && v >= range.0 && v <= range.1 => {
            // Seven decimals are about a centimetre; more is noise.
            Ok(Some((v * 1e7).round() / 1e7))
        }
        _ => Err(err),
    }
}

/// A comment as typed (required, at most [`COMMENT_MAX`] characters).
pub fn parse_comment(raw: &str) -> Result<String, &'static str> {
    required_long(raw, COMMENT_MAX)
}

/// The reason of a report or of hiding (required, at most [`REASON_MAX`] characters).
pub fn parse_reason(raw: &str) -> Result<String, &'static str> {
    required_long(raw, REASON_MAX)
}

/// Moderation state of an idea or comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Waiting for an editor (pre-moderation).
    Pending,
    Visible,
    /// Hidden by an editor, with a reason everyone sees.
    Hidden,
}

impl State {
    pub const ALL: [State; 3] = [State::Pending, State::Visible, State::Hidden];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "wartend",
            State::Visible => "sichtbar",
            State::Hidden => "ausgeblendet",
        }
    }

    pub fn parse(raw: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// The state of a new contribution.
    pub fn initial(premoderation: bool) -> State {
        if premoderation {
            State::Pending
        } else {
            State::Visible
        }
    }
}

/// What a viewer sees of an idea or comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Everything (editors also see hidden and pending items in full, marked).
    Full,
    /// Only "ausgeblendet: reason" instead of the content.
    Placeholder,
    /// Nothing: pending items are for their author and the editors.
    Nothing,
}

/// The visibility rule of moderated contributions.
pub fn shown(state: State, is_author: bool, is_editor: bool) -> Shown {
    match state {
        State::Visible => Shown::Full,
        State::Hidden if is_editor => Shown::Full,
        State::Hidden => Shown::Placeholder,
        State::Pending if is_editor || is_author => Shown::Full,
        State::Pending => Shown::Nothing,
    }
}

/// A moderation step by an editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moderation {
    /// Release a pending item.
    Approve,
    /// Hide with a reason shown to everyone.
    Hide(String),
    /// Show a hidden item again.
    Unhide,
    /// Keep the item as it is and close its reports.
    Dismiss,
}

impl Moderation {
    /// From the form's `action` and `hide_reason`: `Err((field, code))` for a missing reason or unknown action.
    pub fn parse(action: &str, reason: &str) -> Result<Moderation, (&'static str, &'static str)> {
        match action {
            "freigeben" => Ok(Moderation::Approve),
            "einblenden" => Ok(Moderation::Unhide),
            "behalten" => Ok(Moderation::Dismiss),
            "ausblenden" => parse_reason(reason)
                .map(Moderation::Hide)
                .map_err(|code| ("hide_reason", code)),
            _ => Err(("hide_reason", "err-idea-action")),
        }
    }

    /// The state after this step, from `from`; `None` when the step does not apply (nothing changes).
    pub fn next(&self, from: State) -> Option<State> {
        match (self, from) {
            (Moderation::Approve, State::Pending) => Some(State::Visible),
            (Moderation::Hide(_), _) => Some(State::Hidden),
            (Moderation::Unhide, State::Hidden) => Some(State::Visible),
            (Moderation::Dismiss, s) => Some(s),
            _ => None,
        }
    }
}

/// Sort orders of the idea list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Newest,
    Support,
}

impl Sort {
    pub const ALL: [Sort; 2] = [Sort::Newest, Sort::Support];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "neu",
            Sort::Support => "unterstuetzung",
        }
    }

    /// Unknown values fall back to the default (a bookmark with an old value still works).
    pub fn parse(raw: &str) -> Sort {
        Sort::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .unwrap_or_default()
    }
}

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Idea,
    Comment,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Idea => "idee",
            Target::Comment => "kommentar",
        }
    }

    pub fn parse(raw: &str) -> Option<Target> {
        match raw {
            "idee" => Some(Target::Idea),
            "kommentar" => Some(Target::Comment),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> IdeaInput {
        IdeaInput {
            idea_title: " Mehr Bänke am Neumarkt ".into(),
            idea_text: "Zum Ausruhen beim Einkaufen.\r\nGern mit Schatten.".into(),
            idea_field: "7".into(),
            idea_lat: "51,3967".into(),
            idea_lon: "8.0644".into(),
            website: String::new(),
        }
    }

    #[test]
    fn a_good_idea_parses_with_decimal_comma() {
        let d = input().parse(&[3, 7]).unwrap();
        assert_eq!(d.title, "Mehr Bänke am Neumarkt");
        assert_eq!(d.text, "Zum Ausruhen beim Einkaufen.\nGern mit Schatten.");
        assert_eq!(d.field_id, Some(7));
        assert_eq!(
            d.location,
            Some(Point {
                lat: 51.3967,
                lon: 8.0644
            })
        );
        let mut bare = input();
        bare.idea_field.clear();
        bare.idea_lat.clear();
        bare.idea_lon = " ".into();
        let d = bare.parse(&[]).unwrap();
        assert_eq!((d.field_id, d.location), (None, None));
    }

    #[test]
    fn every_bad_field_is_named() {
        let i = IdeaInput {
            idea_title: "x".repeat(TITLE_MAX + 1),
            idea_text: " ".into(),
            idea_field: "99".into(),
            idea_lat: "91".into(),
            idea_lon: "acht".into(),
            website: String::new(),
        };
        let e = i.parse(&[7]).unwrap_err();
        assert_eq!(e.for_field("idea_title"), Some("err-too-long"));
        assert_eq!(e.for_field("idea_text"), Some("err-required"));
        assert_eq!(e.for_field("idea_field"), Some("err-idea-field"));
        assert_eq!(e.for_field("idea_lat"), Some("err-idea-lat"));
        assert_eq!(e.for_field("idea_lon"), Some("err-idea-lon"));
        // Swapped coordinates fall outside the box.
        let mut swapped = input();
        swapped.idea_lat = "8.06".into();
        swapped.idea_lon = "51.39".into();
        let e = swapped.parse(&[7]).unwrap_err();
        assert!(e.for_field("idea_lat").is_some() && e.for_field("idea_lon").is_some());
        // One coordinate alone is not a place.
        let mut half = input();
        half.idea_lon.clear();
        assert_eq!(
            half.parse(&[7]).unwrap_err().for_field("idea_lon"),
            Some("err-idea-location-both")
        );
        let mut long = input();
        long.idea_text = "ä".repeat(TEXT_MAX + 1);
        assert_eq!(
            long.parse(&[7]).unwrap_err().for_field("idea_text"),
            Some("err-too-long")
        );
        long.idea_text = "ä".repeat(TEXT_MAX);
        assert!(long.parse(&[7]).is_ok());
        let mut nan = input();
        nan.idea_lat = "NaN".into();
        assert!(nan.parse(&[7]).is_err());
    }

    #[test]
    fn comments_and_reasons_have_limits() {
        assert_eq!(parse_comment("  "), Err("err-required"));
        assert_eq!(
            parse_comment(&"a".repeat(COMMENT_MAX + 1)),
            Err("err-too-long")
        );
        assert_eq!(parse_comment(" gut ").as_deref(), Ok("gut"));
        assert_eq!(parse_reason(""), Err("err-required"));
        assert_eq!(
            parse_reason(&"a".repeat(REASON_MAX + 1)),
            Err("err-too-long")
        );
    }

    #[test]
    fn who_sees_what() {
        use Shown::*;
        assert_eq!(shown(State::Visible, false, false), Full);
        assert_eq!(shown(State::Hidden, true, false), Placeholder);
        assert_eq!(shown(State::Hidden, false, true), Full);
        assert_eq!(shown(State::Pending, false, false), Nothing);
        assert_eq!(shown(State::Pending, true, false), Full);
        assert_eq!(shown(State::Pending, false, true), Full);
        assert_eq!(State::initial(true), State::Pending);
        assert_eq!(State::initial(false), State::Visible);
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn moderation_steps() {
        assert_eq!(
            Moderation::parse("ausblenden", " "),
            Err(("hide_reason", "err-required"))
        );
        let hide = Moderation::parse("ausblenden", "Beleidigung").unwrap();
        assert_eq!(hide, Moderation::Hide("Beleidigung".into()));
        assert_eq!(hide.next(State::Visible), Some(State::Hidden));
        assert_eq!(
            Moderation::Approve.next(State::Pending),
            Some(State::Visible)
        );
        assert_eq!(Moderation::Approve.next(State::Hidden), None);
        assert_eq!(Moderation::Unhide.next(State::Hidden), Some(State::Visible));
        assert_eq!(Moderation::Unhide.next(State::Pending), None);
        assert_eq!(
            Moderation::Dismiss.next(State::Visible),
            Some(State::Visible)
        );
        assert!(Moderation::parse("loeschen", "").is_err());
        assert_eq!(Sort::parse("unterstuetzung"), Sort::Support);
        assert_eq!(Sort::parse("x"), Sort::Newest);
        assert_eq!(Target::parse("kommentar"), Some(Target::Comment));
        assert_eq!(Target::parse("karte"), None);
    }
}
