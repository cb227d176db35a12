//! Secrets handed to browsers or mailboxes: sessions, password-reset links, invitations. Only the SHA-256
//! of a token is stored, so a copy of the database opens no account. Also the log-in failure counters.

use crate::{Db, StoreError, StoreResult, in_tx, now_secs, on_db};
use domain::role::{CityRole, Grant, NetworkRole};
use sha2::{Digest, Sha256};

/// The stored form of a token.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

// ---------------------------------------------------------------------------------------------- sessions

pub async fn create_session(db: &Db, token: &str, user_id: i64, ttl_secs: i64) -> StoreResult<()> {
    let now = now_secs();
    on_db!(db, pool => {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(hash_token(token)).bind(user_id).bind(now).bind(now + ttl_secs)
            .execute(pool).await?;
    });
    Ok(())
}

/// The user id of a live session.
pub async fn session_user(db: &Db, token: &str) -> StoreResult<Option<i64>> {
    let row = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>("SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2")
            .bind(hash_token(token)).bind(now_secs())
            .fetch_optional(pool).await?
    });
    Ok(row)
}

pub async fn delete_session(db: &Db, token: &str) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(hash_token(token)).execute(pool).await?;
    });
    Ok(())
}

/// Remove expired sessions, reset links and throttle rows; returns how many rows went.
pub async fn purge_expired(db: &Db, throttle_window_secs: i64) -> StoreResult<u64> {
    let now = now_secs();
    let n = on_db!(db, pool => {
        let a = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(pool).await?;
        let b = sqlx::query("DELETE FROM password_resets WHERE expires_at <= $1").bind(now).execute(pool).await?;
        let c = sqlx::query("DELETE FROM login_failures WHERE failed_at <= $1")
            .bind(now - throttle_window_secs).execute(pool).await?;
        a.rows_affected() + b.rows_affected() + c.rows_affected()
    });
    Ok(n)
}

// -------------------------------------------------------------------------------------- password resets

pub async fn create_reset(db: &Db, token: &str, user_id: i64, ttl_secs: i64) -> StoreResult<()> {
    let now = now_secs();
    on_db!(db, pool => {
        sqlx::query("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(hash_token(token)).bind(user_id).bind(now).bind(now + ttl_secs)
            .execute(pool).await?;
    });
    Ok(())
}

/// The user of a reset token that is neither used nor expired.
pub async fn reset_user(db: &Db, token: &str) -> StoreResult<Option<i64>> {
    let row = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(hash_token(token)).bind(now_secs())
        .fetch_optional(pool).await?
    });
    Ok(row)
}

/// Use a reset token: set the password, end all sessions of the user, and invalidate every open reset
/// link of the user — all or nothing. `NotFound` if the token was used or expired meanwhile.
pub async fn consume_reset(db: &Db, token: &str, password_hash: &str) -> StoreResult<i64> {
    let now = now_secs();
    let th = hash_token(token);
    in_tx!(db, tx => {
        let user_id: Option<i64> = sqlx::query_scalar(
            "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
             RETURNING user_id",
        )
        .bind(now).bind(&th)
        .fetch_optional(&mut *tx).await?;
        let Some(user_id) = user_id else { return Err(StoreError::NotFound) };
        sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
            .bind(now).bind(user_id).execute(&mut *tx).await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash).bind(user_id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        Ok(user_id)
    })
}

// ------------------------------------------------------------------------------------------ invitations

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    pub network_role: Option<String>,
    pub municipality_id: Option<i64>,
    pub city_role: Option<String>,
    pub expires_at: i64,
}

impl Invitation {
    pub fn grant(&self) -> Option<Grant> {
        if let Some(r) = self.network_role.as_deref() {
            return NetworkRole::parse(r).map(Grant::Network);
        }
        let role = CityRole::parse(self.city_role.as_deref()?)?;
        Some(Grant::City {
            municipality_id: self.municipality_id?,
            role,
        })
    }
}

pub async fn create_invitation(
    db: &Db,
    token: &str,
    email: &str,
    grant: Grant,
    invited_by: Option<i64>,
    ttl_secs: i64,
) -> StoreResult<i64> {
    let now = now_secs();
    let (network_role, municipality_id, city_role) = match grant {
        Grant::Network(r) => (Some(r.as_str()), None, None),
        Grant::City {
            municipality_id,
            role,
        } => (None, Some(municipality_id), Some(role.as_str())),
    };
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO invitations (token_hash, email, network_role, municipality_id, city_role, invited_by, \
             created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(hash_token(token)).bind(email).bind(network_role).bind(municipality_id).bind(city_role)
        .bind(invited_by).bind(now).bind(now + ttl_secs)
        .fetch_one(pool).await?
    });
    Ok(id)
}

/// An open (not accepted, not expired) invitation.
pub async fn open_invitation(db: &Db, token: &str) -> StoreResult<Option<Invitation>> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Invitation>(
            "SELECT id, email, network_role, municipality_id, city_role, expires_at FROM invitations \
             WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2",
        )
        .bind(hash_token(token)).bind(now_secs())
        .fetch_optional(pool).await?
    });
    Ok(row)
}

/// Open invitations of a municipality (for its members page).
pub async fn pending_for_municipality(
    db: &Db,
    municipality_id: i64,
) -> StoreResult<Vec<Invitation>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Invitation>(
            "SELECT id, email, network_role, municipality_id, city_role, expires_at FROM invitations \
             WHERE municipality_id = $1 AND accepted_at IS NULL AND expires_at > $2 ORDER BY created_at DESC",
        )
        .bind(municipality_id).bind(now_secs())
        .fetch_all(pool).await?
    });
    Ok(rows)
}

/// Accept an invitation in one transaction: create the account (or use the existing one with the invited
/// address), apply the grant, mark the invitation accepted. Returns the user id.
/// `NotFound` if the invitation is no longer open (accepted in parallel, expired).
pub async fn accept_invitation(
    db: &Db,
    token: &str,
    display_name: &str,
    password_hash: &str,
) -> StoreResult<i64> {
    let now = now_secs();
    let th = hash_token(token);
    in_tx!(db, tx => {
        let inv: Option<Invitation> = sqlx::query_as(
            "UPDATE invitations SET accepted_at = $1 WHERE token_hash = $2 AND accepted_at IS NULL AND expires_at > $1 \
             RETURNING id, email, network_role, municipality_id, city_role, expires_at",
        )
        .bind(now).bind(&th)
        .fetch_optional(&mut *tx).await?;
        let Some(inv) = inv else { return Err(StoreError::NotFound) };
        let grant = inv.grant().ok_or(StoreError::NotFound)?;
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(&inv.email).fetch_optional(&mut *tx).await?;
        let user_id = match existing {
            Some(id) => {
                sqlx::query("UPDATE users SET password_hash = $1, display_name = $2 WHERE id = $3")
                    .bind(password_hash).bind(display_name).bind(id)
                    .execute(&mut *tx).await?;
                id
            }
            None => {
                sqlx::query_scalar::<_, i64>(
                    "INSERT INTO users (email, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4) \
                     RETURNING id",
                )
                .bind(&inv.email).bind(display_name).bind(password_hash).bind(now)
                .fetch_one(&mut *tx).await?
            }
        };
        match grant {
            Grant::Network(r) => {
                sqlx::query("UPDATE users SET network_role = $1 WHERE id = $2")
                    .bind(r.as_str()).bind(user_id).execute(&mut *tx).await?;
            }
            Grant::City { municipality_id, role } => {
                sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND municipality_id = $2")
                    .bind(user_id).bind(municipality_id).execute(&mut *tx).await?;
                sqlx::query(
                    "INSERT INTO memberships (user_id, municipality_id, role, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(user_id).bind(municipality_id).bind(role.as_str()).bind(now)
                .execute(&mut *tx).await?;
            }
        }
        Ok(user_id)
    })
}

// --------------------------------------------------------------------------------------- log-in failures

/// Failures recorded for `key` since `since`, and the time of the oldest of them.
pub async fn failures_since(db: &Db, key: &str, since: i64) -> StoreResult<(i64, Option<i64>)> {
    let row: (i64, Option<i64>) = on_db!(db, pool => {
        sqlx::query_as("SELECT COUNT(*), MIN(failed_at) FROM login_failures WHERE throttle_key = $1 AND failed_at > $2")
            .bind(key).bind(since)
            .fetch_one(pool).await?
    });
    Ok(row)
}

/// One log-in attempt, recorded before the password is checked (see [`begin_attempt`]).
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The rows written, one per key, in the order of the keys.
    pub ids: Vec<i64>,
    /// Per key: attempts in the window *before* this one (every other node's included), and the oldest.
    pub earlier: Vec<(i64, Option<i64>)>,
}

/// Record an attempt for each key, then count each key's attempts since `since`.
///
/// Counting first and recording after the password check lets parallel attempts (on one node or spread
/// over several) all see the same count and all be checked — more guesses than the limit allows. Here the
/// row is committed before counting, so of any two attempts the later-committed one sees the other: at most
/// `limit` attempts find fewer than `limit` rows. The caller forgets the rows of a refused attempt
/// ([`forget_attempt`]) and keeps those of a failed one as its failure record.
pub async fn begin_attempt(db: &Db, keys: &[&str], since: i64) -> StoreResult<Attempt> {
    let now = now_secs();
    let ids = in_tx!(db, tx => {
        let mut ids = Vec::with_capacity(keys.len());
        for key in keys {
            let id: i64 = sqlx::query_scalar("INSERT INTO login_failures (throttle_key, failed_at) VALUES ($1, $2) RETURNING id")
                .bind(*key).bind(now).fetch_one(&mut *tx).await?;
            ids.push(id);
        }
        Ok(ids)
    })?;
    let mut earlier = Vec::with_capacity(keys.len());
    for (key, id) in keys.iter().zip(&ids) {
        let (n, oldest): (i64, Option<i64>) = on_db!(db, pool => {
            sqlx::query_as("SELECT COUNT(*), MIN(failed_at) FROM login_failures WHERE throttle_key = $1 AND failed_at > $2 AND id <> $3")
                .bind(*key).bind(since).bind(*id)
                .fetch_one(pool).await?
        });
        earlier.push((n, oldest));
    }
    Ok(Attempt { ids, earlier })
}

/// Remove the rows of an attempt that turned out not to be a failure (refused, or a successful log-in).
pub async fn forget_attempt(db: &Db, ids: &[i64]) -> StoreResult<()> {
    in_tx!(db, tx => {
        for id in ids {
            sqlx::query("DELETE FROM login_failures WHERE id = $1").bind(*id).execute(&mut *tx).await?;
        }
        Ok(())
    })
}

/// Record one failure for each key.
pub async fn record_failure(db: &Db, keys: &[&str]) -> StoreResult<()> {
    let now = now_secs();
    in_tx!(db, tx => {
        for key in keys {
            sqlx::query("INSERT INTO login_failures (throttle_key, failed_at) VALUES ($1, $2)")
                .bind(*key).bind(now).execute(&mut *tx).await?;
        }
        Ok(())
    })
}

/// Forget the failures of a key (after a successful log-in to that account).
pub async fn clear_failures(db: &Db, key: &str) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1").bind(key).execute(pool).await?;
    });
    Ok(())
}
