//! Accounts: log-in and log-out, password reset and invitations by e-mail link, the own account page.

pub mod account;
pub mod invite;
pub mod login;
pub mod password;
pub mod reset;

use crate::ctx::RequestCtx;
use crate::error::AppError;
use domain::permission::Permission;

/// Require a logged-in user.
pub fn require_login(ctx: &RequestCtx) -> Result<i64, AppError> {
    ctx.actor.user_id.ok_or(AppError::LoginRequired)
}

/// Require a permission: anonymous visitors are sent to log in, others get 403.
pub fn require(ctx: &RequestCtx, p: Permission) -> Result<(), AppError> {
    require_login(ctx)?;
    if ctx.can(p) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A redirect target from a form or query: only local paths, never another host.
pub fn safe_next(next: &str) -> &str {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.contains("://");
    if ok { next } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_local() {
        assert_eq!(safe_next("/kommunen/arnsberg"), "/kommunen/arnsberg");
        assert_eq!(safe_next("//evil.de"), "/");
        assert_eq!(safe_next("https://evil.de"), "/");
        assert_eq!(safe_next("/\\evil.de"), "/");
        assert_eq!(safe_next(""), "/");
    }
}
