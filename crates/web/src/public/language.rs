use crate::auth::safe_next;
use crate::ctx::{LANG_COOKIE, cookie};
use crate::form::Form;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LangForm {
    lang: String,
    back: String,
}

/// `POST /sprache`: remember the language for a year and go back to the page.
pub async fn switch(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(f): Form<LangForm>,
) -> Response {
    let lang = Lang::parse(&f.lang).unwrap_or_default();
    let jar = jar.add(cookie(
        &state,
        LANG_COOKIE,
        lang.code().to_string(),
        Some(365 * 24 * 3600),
    ));
    (jar, Redirect::to(safe_next(&f.back))).into_response()
}
