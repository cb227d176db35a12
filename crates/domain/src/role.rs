//! The six roles of DESIGN.md §2. Two are network-wide (held on the account), three are per municipality
//! (memberships), and "public" is everyone else.

use serde::Serialize;

/// A role held across the whole network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkRole {
    /// Netzwerk-Admin (Geschäftsstelle).
    Admin,
    /// Steuerungsgruppe.
    Steering,
}

impl NetworkRole {
    pub const ALL: [NetworkRole; 2] = [NetworkRole::Admin, NetworkRole::Steering];

    pub fn as_str(self) -> &'static str {
        match self {
            NetworkRole::Admin => "admin",
            NetworkRole::Steering => "steering",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// A role held in one municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CityRole {
    /// Teilnehmende.
    Participant,
    /// Redaktion.
    Editor,
    /// Kommunal-Koordination.
    Coordinator,
}

impl CityRole {
    pub const ALL: [CityRole; 3] = [
        CityRole::Coordinator,
        CityRole::Editor,
        CityRole::Participant,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CityRole::Coordinator => "coordinator",
            CityRole::Editor => "editor",
            CityRole::Participant => "participant",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// What an invitation grants: a network role or a role in one municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    Network(NetworkRole),
    City {
        municipality_id: i64,
        role: CityRole,
    },
}

impl Grant {
    /// Parse the role selector used by forms: `network:admin`, `network:steering`, `city:editor`, …
    /// City grants need the municipality the form was about.
    pub fn parse(raw: &str, municipality_id: Option<i64>) -> Result<Grant, &'static str> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("err-required");
        }
        if let Some(r) = raw.strip_prefix("network:") {
            return NetworkRole::parse(r)
                .map(Grant::Network)
                .ok_or("err-role-unknown");
        }
        if let Some(r) = raw.strip_prefix("city:") {
            let role = CityRole::parse(r).ok_or("err-role-unknown")?;
            let municipality_id = municipality_id.ok_or("err-municipality-required")?;
            return Ok(Grant::City {
                municipality_id,
                role,
            });
        }
        Err("err-role-unknown")
    }
}
