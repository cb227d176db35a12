//! Who may do what. Every handler asks `Actor::can` before it touches data; the rules live only here.

use crate::role::{CityRole, Grant, NetworkRole};

/// The person behind a request, with everything the rules need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub network_role: Option<NetworkRole>,
    /// `(municipality_id, role)` for every membership.
    pub memberships: Vec<(i64, CityRole)>,
}

/// An action that needs permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Create and edit municipalities.
    ManageMunicipalities,
    /// See all accounts, invite people, assign network roles.
    ManageUsers,
    /// Edit imprint, privacy notice and accessibility statement.
    EditLegalPages,
    /// Read every city's internal content (network admin, steering group).
    ReadAllCities,
    /// See and manage the members of a municipality.
    ManageMembers(i64),
    /// Read a municipality's internal (members-only) content.
    ReadCityInternal(i64),
    /// Edit a municipality's strategy content.
    EditCity(i64),
    /// Grant this role (by invitation or assignment).
    Grant(Grant),
}

impl Actor {
    pub fn anonymous() -> Self {
        Self::default()
    }

    pub fn is_authenticated(&self) -> bool {
        self.user_id.is_some()
    }

    pub fn is_admin(&self) -> bool {
        self.network_role == Some(NetworkRole::Admin)
    }

    pub fn role_in(&self, municipality_id: i64) -> Option<CityRole> {
        self.memberships
            .iter()
            .find(|(m, _)| *m == municipality_id)
            .map(|(_, r)| *r)
    }

    pub fn can(&self, permission: Permission) -> bool {
        if self.user_id.is_none() {
            return false;
        }
        let admin = self.is_admin();
        let steering = self.network_role == Some(NetworkRole::Steering);
        match permission {
            Permission::ManageMunicipalities
            | Permission::ManageUsers
            | Permission::EditLegalPages => admin,
            Permission::ReadAllCities => admin || steering,
            Permission::ManageMembers(m) => admin || self.role_in(m) == Some(CityRole::Coordinator),
            Permission::ReadCityInternal(m) => admin || steering || self.role_in(m).is_some(),
            Permission::EditCity(m) => {
                admin
                    || matches!(
                        self.role_in(m),
                        Some(CityRole::Coordinator | CityRole::Editor)
                    )
            }
            Permission::Grant(Grant::Network(_)) => admin,
            Permission::Grant(Grant::City {
                municipality_id, ..
            }) => self.can(Permission::ManageMembers(municipality_id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(network_role: Option<NetworkRole>, memberships: Vec<(i64, CityRole)>) -> Actor {
        Actor {
            user_id: Some(1),
            network_role,
            memberships,
        }
    }

    #[test]
    fn anonymous_may_nothing() {
        let a = Actor::anonymous();
        assert!(!a.can(Permission::ReadCityInternal(1)));
        assert!(!a.can(Permission::ManageMunicipalities));
    }

    #[test]
    fn coordinator_manages_only_their_city() {
        let a = actor(None, vec![(1, CityRole::Coordinator)]);
        assert!(a.can(Permission::ManageMembers(1)));
        assert!(!a.can(Permission::ManageMembers(2)));
        assert!(a.can(Permission::Grant(Grant::City {
            municipality_id: 1,
            role: CityRole::Editor
        })));
        assert!(!a.can(Permission::Grant(Grant::City {
            municipality_id: 2,
            role: CityRole::Editor
        })));
        assert!(!a.can(Permission::Grant(Grant::Network(NetworkRole::Admin))));
        assert!(!a.can(Permission::ManageMunicipalities));
    }

    #[test]
    fn editor_edits_but_does_not_manage_members() {
        let a = actor(None, vec![(1, CityRole::Editor)]);
        assert!(a.can(Permission::EditCity(1)));
        assert!(!a.can(Permission::ManageMembers(1)));
        let p = actor(None, vec![(1, CityRole::Participant)]);
        assert!(!p.can(Permission::EditCity(1)));
        assert!(p.can(Permission::ReadCityInternal(1)));
        assert!(!p.can(Permission::ReadCityInternal(2)));
    }

    #[test]
    fn steering_reads_everything_changes_nothing() {
        let a = actor(Some(NetworkRole::Steering), vec![]);
        assert!(a.can(Permission::ReadAllCities));
        assert!(a.can(Permission::ReadCityInternal(7)));
        assert!(!a.can(Permission::EditCity(7)));
        assert!(!a.can(Permission::ManageUsers));
    }

    #[test]
    fn admin_may_everything() {
        let a = actor(Some(NetworkRole::Admin), vec![]);
        for p in [
            Permission::ManageMunicipalities,
            Permission::ManageUsers,
            Permission::EditLegalPages,
            Permission::ManageMembers(3),
            Permission::EditCity(3),
            Permission::Grant(Grant::Network(NetworkRole::Admin)),
        ] {
            assert!(a.can(p), "{p:?}");
        }
    }
}
