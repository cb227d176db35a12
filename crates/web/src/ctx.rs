//! Per-request context: language, CSRF token, the logged-in user and what they may do. Built once by the
//! `load` middleware from cookies and the database, then read by handlers (`Ctx` extractor) and templates.

use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use domain::permission::{Actor, Permission};
use domain::role::CityRole;

pub const SESSION_COOKIE: &str = "wk_session";
pub const CSRF_COOKIE: &str = "wk_csrf";
pub const LANG_COOKIE: &str = "wk_lang";

/// A municipality the user belongs to, for navigation.
#[derive(Debug, Clone)]
pub struct CityLink {
    pub slug: String,
    pub name: String,
    pub role: CityRole,
}

/// The logged-in user, as shown in the page frame.
#[derive(Debug, Clone)]
pub struct UserView {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub cities: Vec<CityLink>,
}

#[derive(Debug, Clone)]
pub struct RequestCtx {
    pub lang: Lang,
    pub csrf: String,
    pub actor: Actor,
    pub user: Option<UserView>,
    /// Path and query of this request (for the language switch and log-in redirects).
    pub path: String,
    /// The session token, when a session cookie named a live session.
    pub session_token: Option<String>,
}

impl RequestCtx {
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The text for `prefix` + `key`, e.g. `tk("size-", "kleinstadt")`.
    pub fn tk(&self, prefix: &str, key: &str) -> String {
        self.lang.t(&format!("{prefix}{key}"))
    }

    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.lang.t_args(key, &[(name, value.to_string())])
    }

    pub fn can(&self, p: Permission) -> bool {
        self.actor.can(p)
    }

    pub fn is_admin(&self) -> bool {
        self.actor.is_admin()
    }

    pub fn can_read_all(&self) -> bool {
        self.actor.can(Permission::ReadAllCities)
    }

    /// Cities this user coordinates (for the navigation).
    pub fn coordinated(&self) -> Vec<&CityLink> {
        self.user
            .iter()
            .flat_map(|u| u.cities.iter())
            .filter(|c| c.role == CityRole::Coordinator)
            .collect()
    }

    pub fn int(&self, n: &i64) -> String {
        crate::i18n::format_int(self.lang, *n)
    }
}

/// Extractor for the request context.
pub struct Ctx(pub RequestCtx);

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = crate::error::AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestCtx>()
            .cloned()
            .map(Ctx)
            .ok_or_else(|| crate::error::AppError::Internal("request context missing".into()))
    }
}

/// Random URL-safe token with 256 bits of entropy.
pub fn new_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Build a cookie with the platform's attributes (HttpOnly, SameSite=Lax, Path=/, Secure if configured).
pub fn cookie(
    state: &AppState,
    name: &'static str,
    value: String,
    max_age_secs: Option<i64>,
) -> Cookie<'static> {
    let mut c = Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies || state.config.is_https())
        .build();
    if let Some(secs) = max_age_secs {
        c.set_max_age(time::Duration::seconds(secs));
    }
    c
}

/// Middleware: build the `RequestCtx` and set the CSRF cookie when the visitor had none.
pub async fn load(
    State(state): State<AppState>,
    jar: CookieJar,
    mut req: Request,
    next: Next,
) -> Response {
    let lang = jar
        .get(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .unwrap_or_default();
    let existing_csrf = jar
        .get(CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 64);
    let csrf = existing_csrf.clone().unwrap_or_else(new_token);
    let mut actor = Actor::anonymous();
    let mut user = None;
    let mut session_token = None;
    if let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) {
        match load_user(&state, &token).await {
            Ok(Some((a, u))) => {
                actor = a;
                user = Some(u);
                session_token = Some(token);
            }
            Ok(None) => {}
            Err(e) if e.is_unavailable() => {
                // The handler would wait for the database again: answer 503 at once (error::error_pages).
                tracing::warn!(error = %e, "could not load session: database unavailable");
                req.extensions_mut().insert(crate::error::DatabaseDown);
            }
            Err(e) => tracing::warn!(error = %e, "could not load session"),
        }
    }
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    req.extensions_mut().insert(RequestCtx {
        lang,
        csrf: csrf.clone(),
        actor,
        user,
        path,
        session_token,
    });
    let response = next.run(req).await;
    if existing_csrf.is_none() {
        let jar = CookieJar::new().add(cookie(&state, CSRF_COOKIE, csrf, None));
        return (jar, response).into_response();
    }
    response
}

async fn load_user(
    state: &AppState,
    token: &str,
) -> Result<Option<(Actor, UserView)>, store::StoreError> {
    let Some(user_id) = store::tokens::session_user(&state.db, token).await? else {
        return Ok(None);
    };
    let user = store::users::by_id(&state.db, user_id).await?;
    let memberships = store::users::memberships(&state.db, user_id).await?;
    let actor = store::users::actor(&user, &memberships);
    let cities = memberships
        .into_iter()
        .filter_map(|m| {
            CityRole::parse(&m.role).map(|role| CityLink {
                slug: m.slug,
                name: m.name,
                role,
            })
        })
        .collect();
    Ok(Some((
        actor,
        UserView {
            id: user.id,
            display_name: user.display_name,
            email: user.email,
            cities,
        },
    )))
}
