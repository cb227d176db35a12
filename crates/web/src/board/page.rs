//! Board pages: the code entry, joining, the board itself (with its live part as a fragment for scripts),
//! the projector view and the QR code.

use super::{Access, GUEST_COOKIE, Snapshot};
use crate::city::City;
use crate::ctx::{Ctx, RequestCtx, cookie, new_token};
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use domain::board::Category;
use serde::Deserialize;

/// The moderator's choices for conversions: the city's fields of action and the network's fields.
pub struct Targets {
    pub city_fields: Vec<(i64, String)>,
    pub all_fields: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "board/page.html")]
pub struct BoardPage {
    pub ctx: RequestCtx,
    pub a: Access,
    pub s: Snapshot,
    pub form: FormView,
    pub notice: Option<String>,
    pub targets: Targets,
    pub categories: Vec<(&'static str, &'static str)>,
    pub join_url: String,
    pub projector: bool,
}

#[derive(Template)]
#[template(path = "board/live.html")]
pub struct LiveFragment {
    pub ctx: RequestCtx,
    pub a: Access,
    pub s: Snapshot,
    pub targets: Targets,
    pub projector: bool,
}

#[derive(Template)]
#[template(path = "board/projector.html")]
pub struct ProjectorPage {
    pub ctx: RequestCtx,
    pub a: Access,
    pub s: Snapshot,
    pub targets: Targets,
    pub projector: bool,
    pub join_url: String,
}

#[derive(Template)]
#[template(path = "board/join.html")]
pub struct JoinPage {
    pub ctx: RequestCtx,
    pub a: Option<Access>,
    pub form: FormView,
    pub message: Option<String>,
}

pub fn categories() -> Vec<(&'static str, &'static str)> {
    Category::ALL
        .iter()
        .map(|c| (c.as_str(), c.label()))
        .collect()
}

pub async fn targets(state: &AppState, a: &Access) -> Result<Targets, AppError> {
    if !a.moderator {
        return Ok(Targets {
            city_fields: vec![],
            all_fields: vec![],
        });
    }
    let city_fields = match a.board.municipality_id {
        Some(mid) => store::fields::selected(&state.db, mid)
            .await?
            .into_iter()
            .map(|f| (f.field_id, f.name))
            .collect(),
        None => vec![],
    };
    let all_fields = store::taxonomy::list(&state.db, "field_of_action")
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    Ok(Targets {
        city_fields,
        all_fields,
    })
}

fn join_url(state: &AppState, a: &Access) -> String {
    state.config.url(&a.path(""))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EnterQuery {
    code: String,
}

/// `/mitmachen`: type the code from the screen (or follow `?code=`).
pub async fn enter(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Query(q): Query<EnterQuery>,
) -> Result<Response, AppError> {
    if q.code.trim().is_empty() {
        let page = JoinPage {
            ctx,
            a: None,
            form: FormView::new(),
            message: None,
        };
        return Ok(render(&page)?.into_response());
    }
    let found = match domain::board::normalise_code(&q.code) {
        Some(code) => store::boards::by_code(&state.db, &code).await?,
        None => None,
    };
    match found {
        Some(b) => Ok(Redirect::to(&format!("/w/{}", b.join_code)).into_response()),
        None => {
            let form =
                FormView::new()
                    .with("code", &q.code)
                    .with_error(&ctx, "code", "err-board-code");
            let page = JoinPage {
                ctx,
                a: None,
                form,
                message: None,
            };
            Ok((StatusCode::NOT_FOUND, render(&page)?).into_response())
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    ok: String,
}

/// The board for moderators and participants; the join form for everyone else.
pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path(code): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let a = Access::load(&state, &ctx, &jar, &code).await?;
    if !a.may_view() {
        return join_page(ctx, a, FormView::new(), StatusCode::OK);
    }
    let notice = (!q.ok.is_empty()).then(|| ctx.tk("board-ok-", &q.ok));
    board_page(&state, ctx, a, FormView::new(), notice, StatusCode::OK).await
}

pub async fn board_page(
    state: &AppState,
    ctx: RequestCtx,
    a: Access,
    form: FormView,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let s = Snapshot::load(state, &a, a.moderator).await?;
    let targets = targets(state, &a).await?;
    let join_url = join_url(state, &a);
    let page = BoardPage {
        ctx,
        a,
        s,
        form,
        notice,
        targets,
        categories: categories(),
        join_url,
        projector: false,
    };
    Ok((status, render(&page)?).into_response())
}

pub fn join_page(
    ctx: RequestCtx,
    a: Access,
    form: FormView,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (status, message) = if a.open {
        (status, None)
    } else {
        (StatusCode::GONE, Some(ctx.t("board-expired")))
    };
    let page = JoinPage {
        ctx,
        a: Some(a),
        form,
        message,
    };
    Ok((status, render(&page)?).into_response())
}

/// The live part alone, for scripts that refresh it after an event.
pub async fn live(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let a = Access::load(&state, &ctx, &jar, &code).await?;
    if !a.may_view() {
        return Err(AppError::Forbidden);
    }
    let s = Snapshot::load(&state, &a, a.moderator).await?;
    let targets = targets(&state, &a).await?;
    let page = LiveFragment {
        ctx,
        a,
        s,
        targets,
        projector: false,
    };
    Ok(render(&page)?.into_response())
}

/// The projector view: large type, read-only, with the code and QR code for the room. Anyone holding the
/// code may open it while the code is valid; moderators always.
pub async fn projector(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let a = Access::load(&state, &ctx, &jar, &code).await?;
    if !(a.moderator || a.open) {
        return join_page(ctx, a, FormView::new(), StatusCode::OK);
    }
    let s = Snapshot::load(&state, &a, false).await?;
    let join_url = join_url(&state, &a);
    let page = ProjectorPage {
        ctx,
        a,
        s,
        targets: Targets {
            city_fields: vec![],
            all_fields: vec![],
        },
        projector: true,
        join_url,
    };
    Ok(render(&page)?.into_response())
}

/// The live part of the projector view.
pub async fn projector_live(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let a = Access::load(&state, &ctx, &jar, &code).await?;
    if !(a.moderator || a.open) {
        return Err(AppError::Forbidden);
    }
    let s = Snapshot::load(&state, &a, false).await?;
    let page = LiveFragment {
        ctx,
        a,
        s,
        targets: Targets {
            city_fields: vec![],
            all_fields: vec![],
        },
        projector: true,
    };
    Ok(render(&page)?.into_response())
}

/// The join link as a QR code (SVG).
pub async fn qr(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let a = Access::load(&state, &ctx, &jar, &code).await?;
    let url = join_url(&state, &a);
    let svg = qr_svg(&url).map_err(|e| AppError::Internal(format!("qr: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        svg,
    )
        .into_response())
}

/// An SVG QR code of `text`, dark modules on white, with a title for screen readers.
pub fn qr_svg(text: &str) -> Result<String, qrcode::types::QrError> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct JoinForm {
    display_name: String,
}

/// Join the board: with the account when logged in, else as a guest with a display name (if allowed).
pub async fn join(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path(code): Path<String>,
    Form(f): Form<JoinForm>,
) -> Result<Response, AppError> {
    let a = Access::load(&state, &ctx, &jar, &code).await?;
    if a.participant.is_some() {
        return Ok(Redirect::to(&a.path("")).into_response());
    }
    if !a.open && !a.moderator {
        return join_page(ctx, a, FormView::new(), StatusCode::GONE);
    }
    let wid = a.board.workshop_id;
    if let Some(user) = &ctx.user {
        store::boards::join_user(&state.db, wid, user.id, &user.display_name).await?;
        return Ok(Redirect::to(&a.path("")).into_response());
    }
    if !a.board.guests_allowed {
        return Err(AppError::LoginRequired);
    }
    let name = match domain::board::parse_name(&f.display_name) {
        Ok(n) => n,
        Err(code) => {
            let form = FormView::new()
                .with("display_name", &f.display_name)
                .with_error(&ctx, "display_name", code);
            return join_page(ctx, a, form, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let token = jar
        .get(GUEST_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|t| t.len() == 64)
        .unwrap_or_else(new_token);
    let hash = store::tokens::hash_token(&token);
    store::boards::join_guest(&state.db, wid, &name, &hash).await?;
    tracing::info!(workshop_id = wid, "guest joined board");
    let jar = jar.add(cookie(&state, GUEST_COOKIE, token, Some(30 * 24 * 3600)));
    Ok((jar, Redirect::to(&a.path(""))).into_response())
}

/// Open (or go to) the board of a workshop: moderators of the city.
pub async fn open_board(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let w = store::workshops::get(&state.db, city.m.id, id).await?;
    if let Some(b) = store::boards::get(&state.db, w.id).await? {
        return Ok(Redirect::to(&format!("/w/{}", b.join_code)).into_response());
    }
    for _ in 0..5 {
        let mut bytes = [0u8; domain::board::CODE_LEN];
        rand::Rng::fill(&mut rand::rng(), &mut bytes);
        let code = domain::board::code_from_bytes(&bytes);
        match store::boards::create(&state.db, w.id, &code, true).await {
            Ok(()) => {
                tracing::info!(workshop_id = w.id, "board opened");
                return Ok(Redirect::to(&format!("/w/{code}")).into_response());
            }
            Err(store::StoreError::Conflict(c))
                if c.contains("workshop_id") || c.contains("pkey") =>
            {
                // Opened at the same moment by someone else.
                if let Some(b) = store::boards::get(&state.db, w.id).await? {
                    return Ok(Redirect::to(&format!("/w/{}", b.join_code)).into_response());
                }
            }
            Err(store::StoreError::Conflict(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Internal("no free join code after 5 tries".into()))
}
