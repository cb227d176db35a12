//! Shared by every page of one municipality: load it by slug and say what the visitor may do there.

use crate::ctx::RequestCtx;
use crate::error::AppError;
use crate::state::AppState;
use domain::permission::Permission;
use domain::visibility::Visibility;
use store::municipalities::Municipality;

/// A municipality with the visitor's rights in it.
pub struct City {
    pub m: Municipality,
    /// Lowest visibility the visitor may see here.
    pub min_visibility: Visibility,
    pub can_edit: bool,
    pub can_coordinate: bool,
}

impl City {
    pub async fn load(state: &AppState, ctx: &RequestCtx, slug: &str) -> Result<City, AppError> {
        let m = store::municipalities::by_slug(&state.db, slug).await?;
        Ok(City::of(ctx, m))
    }

    /// The city with the visitor's rights, from a municipality already read.
    pub fn of(ctx: &RequestCtx, m: store::municipalities::Municipality) -> City {
        let min_visibility = ctx.actor.min_visibility(m.id);
        let can_edit = ctx.can(Permission::EditCity(m.id));
        let can_coordinate = ctx.can(Permission::ManageMembers(m.id));
        City {
            m,
            min_visibility,
            can_edit,
            can_coordinate,
        }
    }

    pub fn may_see(&self, v: Visibility) -> bool {
        v >= self.min_visibility
    }

    /// Editors and coordinators of the city, and the network admin; others get 403 (or the log-in page).
    pub fn require_edit(&self, ctx: &RequestCtx) -> Result<i64, AppError> {
        let user_id = crate::auth::require_login(ctx)?;
        if self.can_edit {
            Ok(user_id)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Coordinators of the city and the network admin.
    pub fn require_coordinate(&self, ctx: &RequestCtx) -> Result<i64, AppError> {
        let user_id = crate::auth::require_login(ctx)?;
        if self.can_coordinate {
            Ok(user_id)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn path(&self, rest: &str) -> String {
        format!("/kommunen/{}{rest}", self.m.slug)
    }
}
