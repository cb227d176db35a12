use domain::permission::Actor;
use domain::visibility::Visibility;

/// Who is searching, reduced to what decides visibility (ADR 0006): the same rule as
/// `Actor::min_visibility`, in a form the index can turn into a filter query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Viewer {
    /// Sees everything (network admin, steering group).
    pub all: bool,
    /// Sees `Netzwerk` content of every city.
    pub network: bool,
    /// Municipalities whose internal content this viewer sees (memberships of any role).
    pub member_of: Vec<i64>,
}

impl Viewer {
    pub fn anonymous() -> Viewer {
        Viewer::default()
    }

    pub fn of(actor: &Actor) -> Viewer {
        Viewer {
            all: actor.network_role.is_some(),
            network: actor.is_network_member(),
            member_of: actor.memberships.iter().map(|(m, _)| *m).collect(),
        }
    }

    /// Whether a document of `municipality_id` with visibility `v` is visible; the index's filter query
    /// expresses exactly this.
    pub fn may_see(&self, municipality_id: i64, v: Visibility) -> bool {
        self.all
            || v == Visibility::Oeffentlich
            || (self.network && v == Visibility::Netzwerk)
            || self.member_of.contains(&municipality_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::role::{CityRole, NetworkRole};

    #[test]
    fn agrees_with_the_actor_rule_for_every_role() {
        let mut actors = vec![Actor::anonymous()];
        for nr in [None, Some(NetworkRole::Admin), Some(NetworkRole::Steering)] {
            for m in [
                vec![],
                vec![(1, CityRole::Participant)],
                vec![(1, CityRole::Editor)],
                vec![(2, CityRole::Participant)],
                vec![(2, CityRole::Editor)],
                vec![(2, CityRole::Coordinator), (3, CityRole::Participant)],
            ] {
                actors.push(Actor {
                    user_id: Some(7),
                    network_role: nr,
                    memberships: m,
                });
            }
        }
        for a in &actors {
            let v = Viewer::of(a);
            for city in 1..=3 {
                for vis in Visibility::ALL {
                    assert_eq!(
                        v.may_see(city, vis),
                        a.may_see(city, vis),
                        "{a:?} {city} {vis:?}"
                    );
                }
            }
        }
    }
}
