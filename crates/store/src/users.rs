//! Accounts and memberships.

use crate::{Db, StoreError, StoreResult, in_tx, now_secs, on_db};
use domain::permission::Actor;
use domain::role::{CityRole, Grant, NetworkRole};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub network_role: Option<String>,
}

impl User {
    pub fn network_role(&self) -> Option<NetworkRole> {
        self.network_role.as_deref().and_then(NetworkRole::parse)
    }
}

/// A membership with the municipality's slug and name, for display.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MembershipView {
    pub municipality_id: i64,
    pub slug: String,
    pub name: String,
    pub role: String,
}

/// A member of one municipality.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Member {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
}

pub async fn by_email(db: &Db, email: &str) -> StoreResult<Option<User>> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, User>(
            "SELECT id, email, display_name, password_hash, network_role FROM users WHERE email = $1",
        )
        .bind(email)
        .fetch_optional(pool)
        .await?
    });
    Ok(row)
}

pub async fn by_id(db: &Db, id: i64) -> StoreResult<User> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, User>(
            "SELECT id, email, display_name, password_hash, network_role FROM users WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?
    });
    row.ok_or(StoreError::NotFound)
}

/// All accounts, ordered by e-mail.
pub async fn list(db: &Db) -> StoreResult<Vec<User>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, User>(
            "SELECT id, email, display_name, password_hash, network_role FROM users ORDER BY email",
        )
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

/// Create an account; `Conflict("email")` if the address is taken.
pub async fn create(
    db: &Db,
    email: &str,
    display_name: &str,
    password_hash: &str,
    network_role: Option<NetworkRole>,
) -> StoreResult<i64> {
    let now = now_secs();
    let result = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO users (email, display_name, password_hash, network_role, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(email).bind(display_name).bind(password_hash).bind(network_role.map(NetworkRole::as_str)).bind(now)
        .fetch_one(pool)
        .await
    });
    result.map_err(|e| match StoreError::classify(e) {
        StoreError::Conflict(_) => StoreError::Conflict("email".into()),
        other => other,
    })
}

/// Replace the password hash and end every session of the user (a reset must log out everywhere).
pub async fn set_password(db: &Db, user_id: i64, password_hash: &str) -> StoreResult<()> {
    in_tx!(db, tx => {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash).bind(user_id)
            .execute(&mut *tx).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        Ok(())
    })
}

pub async fn set_network_role(db: &Db, user_id: i64, role: Option<NetworkRole>) -> StoreResult<()> {
    let n = on_db!(db, pool => {
        sqlx::query("UPDATE users SET network_role = $1 WHERE id = $2")
            .bind(role.map(NetworkRole::as_str)).bind(user_id)
            .execute(pool).await?.rows_affected()
    });
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Give the user this role in the municipality, replacing any role they had there.
pub async fn set_membership(
    db: &Db,
    user_id: i64,
    municipality_id: i64,
    role: CityRole,
) -> StoreResult<()> {
    let now = now_secs();
    in_tx!(db, tx => {
        sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND municipality_id = $2")
            .bind(user_id).bind(municipality_id)
            .execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO memberships (user_id, municipality_id, role, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(user_id).bind(municipality_id).bind(role.as_str()).bind(now)
        .execute(&mut *tx).await?;
        Ok(())
    })
}

pub async fn remove_membership(db: &Db, user_id: i64, municipality_id: i64) -> StoreResult<()> {
    let n = on_db!(db, pool => {
        sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND municipality_id = $2")
            .bind(user_id).bind(municipality_id)
            .execute(pool).await?.rows_affected()
    });
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Apply a grant to an existing account.
pub async fn apply_grant(db: &Db, user_id: i64, grant: Grant) -> StoreResult<()> {
    match grant {
        Grant::Network(r) => set_network_role(db, user_id, Some(r)).await,
        Grant::City {
            municipality_id,
            role,
        } => set_membership(db, user_id, municipality_id, role).await,
    }
}

pub async fn memberships(db: &Db, user_id: i64) -> StoreResult<Vec<MembershipView>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, MembershipView>(
            "SELECT m.municipality_id, k.slug, k.name, m.role FROM memberships m \
             JOIN municipalities k ON k.id = m.municipality_id WHERE m.user_id = $1 ORDER BY k.name",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

/// The members of one municipality.
pub async fn members(db: &Db, municipality_id: i64) -> StoreResult<Vec<Member>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Member>(
            "SELECT u.id AS user_id, u.email, u.display_name, m.role FROM memberships m \
             JOIN users u ON u.id = m.user_id WHERE m.municipality_id = $1 ORDER BY u.display_name, u.email",
        )
        .bind(municipality_id)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

/// Build the actor for a user: network role plus memberships.
pub fn actor(user: &User, memberships: &[MembershipView]) -> Actor {
    Actor {
        user_id: Some(user.id),
        network_role: user.network_role(),
        memberships: memberships
            .iter()
            .filter_map(|m| CityRole::parse(&m.role).map(|r| (m.municipality_id, r)))
            .collect(),
    }
}

/// Every membership of every account (for the admin's account list), ordered by municipality name.
pub async fn all_memberships(db: &Db) -> StoreResult<Vec<(i64, MembershipView)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        user_id: i64,
        municipality_id: i64,
        slug: String,
        name: String,
        role: String,
    }
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Row>(
            "SELECT m.user_id, m.municipality_id, k.slug, k.name, m.role FROM memberships m \
             JOIN municipalities k ON k.id = m.municipality_id ORDER BY k.name",
        )
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.user_id,
                MembershipView {
                    municipality_id: r.municipality_id,
                    slug: r.slug,
                    name: r.name,
                    role: r.role,
                },
            )
        })
        .collect())
}

/// How many accounts hold the network admin role.
pub async fn count_admins(db: &Db) -> StoreResult<i64> {
    let n = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users WHERE network_role = 'admin'").fetch_one(pool).await?
    });
    Ok(n)
}

/// How many coordinators a municipality has.
pub async fn count_coordinators(db: &Db, municipality_id: i64) -> StoreResult<i64> {
    let n = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM memberships WHERE municipality_id = $1 AND role = 'coordinator'",
        )
        .bind(municipality_id)
        .fetch_one(pool)
        .await?
    });
    Ok(n)
}

/// The role of one user in one municipality.
pub async fn role_in(db: &Db, user_id: i64, municipality_id: i64) -> StoreResult<Option<CityRole>> {
    let r = on_db!(db, pool => {
        sqlx::query_scalar::<_, String>("SELECT role FROM memberships WHERE user_id = $1 AND municipality_id = $2")
            .bind(user_id).bind(municipality_id)
            .fetch_optional(pool).await?
    });
    Ok(r.as_deref().and_then(CityRole::parse))
}
