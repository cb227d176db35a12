//! Who may see a piece of city content: members of the city (intern), staff of the network (Netzwerk),
//! or everyone (öffentlich).

use crate::permission::Actor;
use crate::role::CityRole;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Kommune intern: members of the municipality, network admin, steering group.
    Intern,
    /// Netzwerk: everyone working in the network (network roles, coordinators and editors of any city).
    Netzwerk,
    /// Öffentlich: everyone.
    Oeffentlich,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [
        Visibility::Intern,
        Visibility::Netzwerk,
        Visibility::Oeffentlich,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Intern => "intern",
            Visibility::Netzwerk => "netzwerk",
            Visibility::Oeffentlich => "oeffentlich",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == raw.trim())
            .ok_or("err-visibility-unknown")
    }
}

impl Actor {
    /// Works in the network: a network role, or coordinator/editor somewhere.
    pub fn is_network_member(&self) -> bool {
        self.network_role.is_some()
            || self
                .memberships
                .iter()
                .any(|(_, r)| matches!(r, CityRole::Coordinator | CityRole::Editor))
    }

    /// The lowest visibility this actor may see in a municipality (everything at or above it is visible).
    pub fn min_visibility(&self, municipality_id: i64) -> Visibility {
        if self.network_role.is_some() || self.role_in(municipality_id).is_some() {
            Visibility::Intern
        } else if self.is_network_member() {
            Visibility::Netzwerk
        } else {
            Visibility::Oeffentlich
        }
    }

    pub fn may_see(&self, municipality_id: i64, v: Visibility) -> bool {
        v >= self.min_visibility(municipality_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::NetworkRole;

    fn actor(network_role: Option<NetworkRole>, memberships: Vec<(i64, CityRole)>) -> Actor {
        Actor {
            user_id: Some(1),
            network_role,
            memberships,
        }
    }

    #[test]
    fn who_sees_what() {
        let public = Actor::anonymous();
        let citizen_elsewhere = actor(None, vec![(2, CityRole::Participant)]);
        let participant = actor(None, vec![(1, CityRole::Participant)]);
        let editor_elsewhere = actor(None, vec![(2, CityRole::Editor)]);
        let steering = actor(Some(NetworkRole::Steering), vec![]);
        assert_eq!(public.min_visibility(1), Visibility::Oeffentlich);
        assert_eq!(citizen_elsewhere.min_visibility(1), Visibility::Oeffentlich);
        assert_eq!(participant.min_visibility(1), Visibility::Intern);
        assert_eq!(editor_elsewhere.min_visibility(1), Visibility::Netzwerk);
        assert_eq!(steering.min_visibility(1), Visibility::Intern);
        assert!(!editor_elsewhere.may_see(1, Visibility::Intern));
        assert!(editor_elsewhere.may_see(1, Visibility::Netzwerk));
        assert!(public.may_see(1, Visibility::Oeffentlich));
    }
}
