//! Measures (Maßnahmen) and their project sheets: parsing the sheet form into typed values, the field-level
//! change list for the revision history, and the status workflow (data-driven transitions).

use crate::permission::{Actor, Permission};
use crate::role::CityRole;
use crate::validation::{FieldErrors, required_text};
use crate::values::{
    optional_text, parse_date, parse_euros, parse_lines, parse_link, parse_non_negative,
    parse_percent,
};
use crate::visibility::Visibility;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Hoch,
    Mittel,
    Niedrig,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::Hoch, Priority::Mittel, Priority::Niedrig];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Hoch => "hoch",
            Priority::Mittel => "mittel",
            Priority::Niedrig => "niedrig",
        }
    }

    pub fn parse(raw: &str) -> Result<Option<Self>, &'static str> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == raw)
            .map(Some)
            .ok_or("err-choice-unknown")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeHorizon {
    Kurz,
    Mittel,
    Lang,
}

impl TimeHorizon {
    pub const ALL: [TimeHorizon; 3] = [TimeHorizon::Kurz, TimeHorizon::Mittel, TimeHorizon::Lang];

    pub fn as_str(self) -> &'static str {
        match self {
            TimeHorizon::Kurz => "kurz",
            TimeHorizon::Mittel => "mittel",
            TimeHorizon::Lang => "lang",
        }
    }

    pub fn parse(raw: &str) -> Result<Option<Self>, &'static str> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == raw)
            .map(Some)
            .ok_or("err-choice-unknown")
    }
}

/// The project sheet form as submitted (all text, as typed).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct SheetInput {
    pub title: String,
    pub short_description: String,
    pub visibility: String,
    pub primary_field_id: String,
    pub further_field_ids: Vec<String>,
    pub goal_ids: Vec<String>,
    pub tag_ids: Vec<String>,
    pub initial_situation: String,
    pub target_groups: String,
    pub impact_output: String,
    pub impact_outcome: String,
    pub impact_impact: String,
    pub lead_unit: String,
    pub lead_stakeholder_id: String,
    pub start_date: String,
    pub end_date: String,
    pub time_horizon: String,
    pub priority: String,
    pub quick_win: String,
    pub investment_costs: String,
    pub operating_costs: String,
    pub staff_need_fte: String,
    pub funding_own_share_pct: String,
    pub funding_programme: String,
    pub funding_rate_pct: String,
    pub risks: String,
    pub council_decision_date: String,
    pub council_decision_link: String,
    pub participation_form: String,
    pub location_geojson: String,
    pub data_protection: String,
    pub licence: String,
    pub repository: String,
    pub transferability: String,
    pub contact: String,
    /// The version the edit form was loaded at (optimistic concurrency); empty when creating.
    pub base_version: String,
}

/// A validated project sheet (the measure's own fields; partners, RACI, KPIs, milestones and dependencies are
/// edited as their own lists).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Sheet {
    pub title: String,
    pub short_description: String,
    pub visibility: Option<Visibility>,
    pub primary_field_id: Option<i64>,
    pub further_field_ids: Vec<i64>,
    pub goal_ids: Vec<i64>,
    pub tag_ids: Vec<i64>,
    pub initial_situation: String,
    pub target_groups: Vec<String>,
    pub impact_output: String,
    pub impact_outcome: String,
    pub impact_impact: String,
    pub lead_unit: String,
    pub lead_stakeholder_id: Option<i64>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub time_horizon: Option<TimeHorizon>,
    pub priority: Option<Priority>,
    pub quick_win: bool,
    pub investment_costs: Option<i64>,
    pub operating_costs: Option<i64>,
    pub staff_need_fte: Option<f64>,
    pub funding_own_share_pct: Option<f64>,
    pub funding_programme: String,
    pub funding_rate_pct: Option<f64>,
    pub risks: Vec<String>,
    pub council_decision_date: Option<String>,
    pub council_decision_link: String,
    pub participation_form: String,
    pub location_geojson: String,
    pub data_protection: String,
    pub licence: String,
    pub repository: String,
    pub transferability: String,
    pub contact: String,
}

fn parse_id(raw: &str) -> Result<Option<i64>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<i64>()
        .map(Some)
        .map_err(|_| "err-choice-unknown")
}

fn parse_ids(raw: &[String]) -> Result<Vec<i64>, &'static str> {
    let mut ids = Vec::new();
    for r in raw {
        if let Some(id) = parse_id(r)?
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// A location: empty, or a GeoJSON object with a `type` (coordinates are lon/lat).
fn parse_geojson(raw: &str) -> Result<String, &'static str> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    if t.len() > 100_000 {
        return Err("err-too-long");
    }
    let v: serde_json::Value = serde_json::from_str(t).map_err(|_| "err-geojson")?;
    let kind = v.get("type").and_then(|k| k.as_str()).unwrap_or("");
    const KINDS: [&str; 9] = [
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
        "Feature",
        "FeatureCollection",
    ];
    if KINDS.contains(&kind) {
        Ok(t.to_string())
    } else {
        Err("err-geojson")
    }
}

impl SheetInput {
    pub fn parse(&self) -> Result<Sheet, FieldErrors> {
        let mut e = FieldErrors::new();
        let long = 20_000;
        let s = Sheet {
            title: e
                .take("title", required_text(&self.title, 200))
                .unwrap_or_default(),
            short_description: e
                .take(
                    "short_description",
                    optional_text(&self.short_description, 2_000),
                )
                .unwrap_or_default(),
            visibility: e.take("visibility", Visibility::parse(&self.visibility)),
            primary_field_id: e
                .take("primary_field_id", parse_id(&self.primary_field_id))
                .flatten(),
            further_field_ids: e
                .take("further_field_ids", parse_ids(&self.further_field_ids))
                .unwrap_or_default(),
            goal_ids: e
                .take("goal_ids", parse_ids(&self.goal_ids))
                .unwrap_or_default(),
            tag_ids: e
                .take("tag_ids", parse_ids(&self.tag_ids))
                .unwrap_or_default(),
            initial_situation: e
                .take(
                    "initial_situation",
                    optional_text(&self.initial_situation, long),
                )
                .unwrap_or_default(),
            target_groups: e
                .take("target_groups", parse_lines(&self.target_groups, 30, 200))
                .unwrap_or_default(),
            impact_output: e
                .take("impact_output", optional_text(&self.impact_output, 4_000))
                .unwrap_or_default(),
            impact_outcome: e
                .take("impact_outcome", optional_text(&self.impact_outcome, 4_000))
                .unwrap_or_default(),
            impact_impact: e
                .take("impact_impact", optional_text(&self.impact_impact, 4_000))
                .unwrap_or_default(),
            lead_unit: e
                .take("lead_unit", optional_text(&self.lead_unit, 200))
                .unwrap_or_default(),
            lead_stakeholder_id: e
                .take("lead_stakeholder_id", parse_id(&self.lead_stakeholder_id))
                .flatten(),
            start_date: e.take("start_date", parse_date(&self.start_date)).flatten(),
            end_date: e.take("end_date", parse_date(&self.end_date)).flatten(),
            time_horizon: e
                .take("time_horizon", TimeHorizon::parse(&self.time_horizon))
                .flatten(),
            priority: e
                .take("priority", Priority::parse(&self.priority))
                .flatten(),
            quick_win: matches!(self.quick_win.as_str(), "on" | "true" | "1" | "ja"),
            investment_costs: e
                .take("investment_costs", parse_euros(&self.investment_costs))
                .flatten(),
            operating_costs: e
                .take("operating_costs", parse_euros(&self.operating_costs))
                .flatten(),
            staff_need_fte: e
                .take("staff_need_fte", parse_non_negative(&self.staff_need_fte))
                .flatten(),
            funding_own_share_pct: e
                .take(
                    "funding_own_share_pct",
                    parse_percent(&self.funding_own_share_pct),
                )
                .flatten(),
            funding_programme: e
                .take(
                    "funding_programme",
                    optional_text(&self.funding_programme, 300),
                )
                .unwrap_or_default(),
            funding_rate_pct: e
                .take("funding_rate_pct", parse_percent(&self.funding_rate_pct))
                .flatten(),
            risks: e
                .take("risks", parse_lines(&self.risks, 30, 500))
                .unwrap_or_default(),
            council_decision_date: e
                .take(
                    "council_decision_date",
                    parse_date(&self.council_decision_date),
                )
                .flatten(),
            council_decision_link: e
                .take(
                    "council_decision_link",
                    parse_link(&self.council_decision_link),
                )
                .unwrap_or_default(),
            participation_form: e
                .take(
                    "participation_form",
                    optional_text(&self.participation_form, 500),
                )
                .unwrap_or_default(),
            location_geojson: e
                .take("location_geojson", parse_geojson(&self.location_geojson))
                .unwrap_or_default(),
            data_protection: e
                .take(
                    "data_protection",
                    optional_text(&self.data_protection, 4_000),
                )
                .unwrap_or_default(),
            licence: e
                .take("licence", optional_text(&self.licence, 200))
                .unwrap_or_default(),
            repository: e
                .take("repository", parse_link(&self.repository))
                .unwrap_or_default(),
            transferability: e
                .take(
                    "transferability",
                    optional_text(&self.transferability, 4_000),
                )
                .unwrap_or_default(),
            contact: e
                .take("contact", optional_text(&self.contact, 300))
                .unwrap_or_default(),
        };
        if let (Some(a), Some(b)) = (&s.start_date, &s.end_date)
            && b < a
        {
            e.push("end_date", "err-end-before-start");
        }
        if s.primary_field_id.is_some()
            && s.further_field_ids
                .contains(&s.primary_field_id.unwrap_or_default())
        {
            e.push("further_field_ids", "err-primary-field-repeated");
        }
        if e.is_empty() { Ok(s) } else { Err(e) }
    }
}

/// One changed field of a revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

fn ids(v: &[i64]) -> String {
    let mut v = v.to_vec();
    v.sort_unstable();
    v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

impl Sheet {
    /// The sheet as `(field, canonical text)` pairs, in form order; the basis of the revision diff.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("title", self.title.clone()),
            ("short_description", self.short_description.clone()),
            (
                "visibility",
                self.visibility
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default(),
            ),
            ("primary_field_id", opt(&self.primary_field_id)),
            ("further_field_ids", ids(&self.further_field_ids)),
            ("goal_ids", ids(&self.goal_ids)),
            ("tag_ids", ids(&self.tag_ids)),
            ("initial_situation", self.initial_situation.clone()),
            ("target_groups", self.target_groups.join("\n")),
            ("impact_output", self.impact_output.clone()),
            ("impact_outcome", self.impact_outcome.clone()),
            ("impact_impact", self.impact_impact.clone()),
            ("lead_unit", self.lead_unit.clone()),
            ("lead_stakeholder_id", opt(&self.lead_stakeholder_id)),
            ("start_date", opt(&self.start_date)),
            ("end_date", opt(&self.end_date)),
            (
                "time_horizon",
                self.time_horizon
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default(),
            ),
            (
                "priority",
                self.priority
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default(),
            ),
            (
                "quick_win",
                if self.quick_win {
                    "ja".into()
                } else {
                    "nein".into()
                },
            ),
            ("investment_costs", opt(&self.investment_costs)),
            ("operating_costs", opt(&self.operating_costs)),
            ("staff_need_fte", opt(&self.staff_need_fte)),
            ("funding_own_share_pct", opt(&self.funding_own_share_pct)),
            ("funding_programme", self.funding_programme.clone()),
            ("funding_rate_pct", opt(&self.funding_rate_pct)),
            ("risks", self.risks.join("\n")),
            ("council_decision_date", opt(&self.council_decision_date)),
            ("council_decision_link", self.council_decision_link.clone()),
            ("participation_form", self.participation_form.clone()),
            ("location_geojson", self.location_geojson.clone()),
            ("data_protection", self.data_protection.clone()),
            ("licence", self.licence.clone()),
            ("repository", self.repository.clone()),
            ("transferability", self.transferability.clone()),
            ("contact", self.contact.clone()),
        ]
    }

    /// The fields that differ from `before`.
    pub fn changes_from(&self, before: &Sheet) -> Vec<FieldChange> {
        before
            .fields()
            .into_iter()
            .zip(self.fields())
            .filter(|((_, a), (_, b))| a != b)
            .map(|((field, a), (_, b))| FieldChange {
                field: field.to_string(),
                before: a,
                after: b,
            })
            .collect()
    }
}

/// The least role a status transition needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinRole {
    Editor,
    Coordinator,
}

impl MinRole {
    pub fn parse(raw: &str) -> Option<MinRole> {
        match raw {
            "editor" => Some(MinRole::Editor),
            "coordinator" => Some(MinRole::Coordinator),
            _ => None,
        }
    }
}

/// The allowed status transitions (from the database).
#[derive(Debug, Clone, Default)]
pub struct Workflow {
    pub transitions: Vec<(String, String, MinRole)>,
}

impl Workflow {
    /// Statuses reachable from `from` for this actor in this municipality.
    pub fn next_for(&self, actor: &Actor, municipality_id: i64, from: &str) -> Vec<String> {
        self.transitions
            .iter()
            .filter(|(f, _, role)| f == from && Self::role_ok(actor, municipality_id, *role))
            .map(|(_, t, _)| t.clone())
            .collect()
    }

    fn role_ok(actor: &Actor, municipality_id: i64, role: MinRole) -> bool {
        match role {
            MinRole::Editor => actor.can(Permission::EditCity(municipality_id)),
            MinRole::Coordinator => {
                actor.is_admin() || actor.role_in(municipality_id) == Some(CityRole::Coordinator)
            }
        }
    }

    /// Check one transition: `err-transition-unknown` if the workflow has no such step,
    /// `err-transition-role` if the actor's role is not enough.
    pub fn check(
        &self,
        actor: &Actor,
        municipality_id: i64,
        from: &str,
        to: &str,
    ) -> Result<(), &'static str> {
        let Some((_, _, role)) = self
            .transitions
            .iter()
            .find(|(f, t, _)| f == from && t == to)
        else {
            return Err("err-transition-unknown");
        };
        if Self::role_ok(actor, municipality_id, *role) {
            Ok(())
        } else {
            Err("err-transition-role")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::NetworkRole;

    fn input() -> SheetInput {
        SheetInput {
            title: "Digitale Parkraumsteuerung".into(),
            visibility: "oeffentlich".into(),
            investment_costs: "250.000".into(),
            staff_need_fte: "1,5".into(),
            start_date: "1.3.2026".into(),
            end_date: "2026-12-31".into(),
            target_groups: "Pendler\n\nBesucher\n".into(),
            quick_win: "on".into(),
            ..Default::default()
        }
    }

    #[test]
    fn sheet_values_are_typed() {
        let s = input().parse().expect("valid");
        assert_eq!(s.investment_costs, Some(250_000));
        assert_eq!(s.staff_need_fte, Some(1.5));
        assert_eq!(s.start_date.as_deref(), Some("2026-03-01"));
        assert_eq!(s.target_groups, vec!["Pendler", "Besucher"]);
        assert!(s.quick_win);
        assert_eq!(s.visibility, Some(Visibility::Oeffentlich));
    }

    #[test]
    fn sheet_errors_name_their_fields() {
        let mut i = input();
        i.title = " ".into();
        i.end_date = "2025-01-01".into();
        i.funding_rate_pct = "140".into();
        i.location_geojson = "{\"type\": \"Kreis\"}".into();
        i.council_decision_link = "ftp://x".into();
        let e = i.parse().expect_err("invalid");
        assert_eq!(e.for_field("title"), Some("err-required"));
        assert_eq!(e.for_field("end_date"), Some("err-end-before-start"));
        assert_eq!(e.for_field("funding_rate_pct"), Some("err-percent-range"));
        assert_eq!(e.for_field("location_geojson"), Some("err-geojson"));
        assert_eq!(
            e.for_field("council_decision_link"),
            Some("err-link-format")
        );
    }

    #[test]
    fn changes_list_only_changed_fields() {
        let a = input().parse().expect("valid");
        let mut b = a.clone();
        b.title = "Parkleitsystem".into();
        b.investment_costs = Some(300_000);
        let c = b.changes_from(&a);
        assert_eq!(
            c,
            vec![
                FieldChange {
                    field: "title".into(),
                    before: "Digitale Parkraumsteuerung".into(),
                    after: "Parkleitsystem".into()
                },
                FieldChange {
                    field: "investment_costs".into(),
                    before: "250000".into(),
                    after: "300000".into()
                },
            ]
        );
        assert!(a.changes_from(&a).is_empty());
    }

    #[test]
    fn workflow_respects_roles() {
        let wf = Workflow {
            transitions: vec![
                ("idee".into(), "geprueft".into(), MinRole::Editor),
                (
                    "priorisiert".into(),
                    "beschlossen".into(),
                    MinRole::Coordinator,
                ),
            ],
        };
        let editor = Actor {
            user_id: Some(1),
            network_role: None,
            memberships: vec![(1, CityRole::Editor)],
        };
        let coord = Actor {
            user_id: Some(2),
            network_role: None,
            memberships: vec![(1, CityRole::Coordinator)],
        };
        let steering = Actor {
            user_id: Some(3),
            network_role: Some(NetworkRole::Steering),
            memberships: vec![],
        };
        assert_eq!(wf.check(&editor, 1, "idee", "geprueft"), Ok(()));
        assert_eq!(
            wf.check(&editor, 1, "priorisiert", "beschlossen"),
            Err("err-transition-role")
        );
        assert_eq!(wf.check(&coord, 1, "priorisiert", "beschlossen"), Ok(()));
        assert_eq!(
            wf.check(&coord, 2, "priorisiert", "beschlossen"),
            Err("err-transition-role")
        );
        assert_eq!(
            wf.check(&coord, 1, "idee", "beschlossen"),
            Err("err-transition-unknown")
        );
        assert_eq!(
            wf.check(&steering, 1, "idee", "geprueft"),
            Err("err-transition-role")
        );
        assert_eq!(
            wf.next_for(&editor, 1, "idee"),
            vec!["geprueft".to_string()]
        );
    }
}
