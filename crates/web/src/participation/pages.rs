//! Pages of the participation shell: the city's list, creating and editing a format, the format's page
//! (information before taking part, joining, the format's own part) and the results with downloads.

use super::{Format, date_of};
use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::measures::export::{download, file_name};
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use domain::participation::{Kind, ParticipationInput, Phase};
use serde::Deserialize;
use store::participation::Participation;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/kommunen/{slug}/beteiligung", get(list))
        .route(
            "/kommunen/{slug}/beteiligung/neu",
            get(new_form).post(create),
        )
        .route("/kommunen/{slug}/beteiligung/{id}", get(show))
        .route(
            "/kommunen/{slug}/beteiligung/{id}/einstellungen",
            get(edit_form).post(update),
        )
        .route("/kommunen/{slug}/beteiligung/{id}/ergebnisse", get(results))
        .route(
            "/kommunen/{slug}/beteiligung/{id}/ergebnisse.csv",
            get(results_csv),
        )
        .route(
            "/kommunen/{slug}/beteiligung/{id}/ergebnisse.xlsx",
            get(results_xlsx),
        )
}

/// A row of the list.
pub struct Row {
    pub p: Participation,
    pub period: String,
    pub phase: &'static str,
}

fn phase_key(ph: Phase) -> &'static str {
    match ph {
        Phase::NotYet => "bald",
        Phase::Open => "offen",
        Phase::Closed => "beendet",
    }
}

#[derive(Template)]
#[template(path = "participation/list.html")]
struct ListPage {
    ctx: RequestCtx,
    city: City,
    rows: Vec<Row>,
}

pub async fn list(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let now = store::now_secs();
    let rows = store::participation::list(&state.db, city.m.id, !city.can_edit)
        .await?
        .into_iter()
        .map(|p| Row {
            period: format!("{} – {}", date_of(p.opens_at), date_of(p.closes_at)),
            phase: phase_key(domain::participation::phase(now, p.opens_at, p.closes_at)),
            p,
        })
        .collect();
    Ok(render(&ListPage { ctx, city, rows })?.into_response())
}

#[derive(Template)]
#[template(path = "participation/form.html")]
struct FormPage {
    ctx: RequestCtx,
    city: City,
    form: FormView,
    editing: Option<i64>,
}

fn input_form(i: &ParticipationInput) -> FormView {
    FormView::new()
        .with("kind", &i.kind)
        .with("title", &i.title)
        .with("description", &i.description)
        .with("processing_purpose", &i.processing_purpose)
        .with("legal_basis", &i.legal_basis)
        .with("opens_on", &i.opens_on)
        .with("closes_on", &i.closes_on)
        .with("access", &i.access)
        .with("published", &i.published)
        .with("results_public", &i.results_public)
        .with("premoderation", &i.premoderation)
        .with("points", &i.points)
        .with("cumulative", &i.cumulative)
        .with("retention_days", &i.retention_days)
}

fn stored_form(p: &Participation) -> FormView {
    let day = |secs: i64| domain::workshop::utc_to_local(secs).0;
    let flag = |b: bool| if b { "on" } else { "" };
    input_form(&ParticipationInput {
        kind: p.kind.clone(),
        title: p.title.clone(),
        description: p.description.clone(),
        processing_purpose: p.purpose.clone(),
        legal_basis: p.legal_basis.clone(),
        opens_on: day(p.opens_at),
        closes_on: day(p.closes_at),
        access: p.access.clone(),
        published: flag(p.published).into(),
        results_public: flag(p.results_public).into(),
        premoderation: flag(p.premoderation).into(),
        points: p.points.to_string(),
        cumulative: flag(p.cumulative).into(),
        retention_days: p.retention_days.to_string(),
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let today = crate::view::today();
    let form = FormView::new()
        .with("kind", "umfrage")
        .with("access", "email")
        .with("opens_on", &today)
        .with("retention_days", "365")
        .with(
            "legal_basis",
            "Art. 6 Abs. 1 lit. a DSGVO (Einwilligung durch Teilnahme)",
        );
    Ok(render(&FormPage {
        ctx,
        city,
        form,
        editing: None,
    })?
    .into_response())
}

pub async fn create(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(slug): Path<String>,
    Form(input): Form<ParticipationInput>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    let user_id = city.require_edit(&ctx)?;
    match input.parse() {
        Ok(d) => {
            let id = store::participation::create(&state.db, city.m.id, &d, user_id).await?;
            tracing::info!(
                municipality_id = city.m.id,
                participation_id = id,
                kind = d.kind.as_str(),
                "participation created"
            );
            Ok(Redirect::to(&city.path(&format!("/beteiligung/{id}"))).into_response())
        }
        Err(errs) => {
            let form = input_form(&input).with_errors(&ctx, &errs);
            let page = FormPage {
                ctx,
                city,
                form,
                editing: None,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let p = store::participation::get(&state.db, city.m.id, id).await?;
    let form = stored_form(&p);
    Ok(render(&FormPage {
        ctx,
        city,
        form,
        editing: Some(id),
    })?
    .into_response())
}

pub async fn update(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(mut input): Form<ParticipationInput>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let p = store::participation::get(&state.db, city.m.id, id).await?;
    // The kind is fixed once created.
    input.kind = p.kind.clone();
    match input.parse() {
        Ok(d) => {
            store::participation::update(&state.db, city.m.id, id, &d).await?;
            Ok(Redirect::to(&city.path(&format!("/beteiligung/{id}?ok=saved"))).into_response())
        }
        Err(errs) => {
            let form = input_form(&input).with_errors(&ctx, &errs);
            let page = FormPage {
                ctx,
                city,
                form,
                editing: Some(id),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "participation/show.html")]
pub struct ShowPage {
    pub ctx: RequestCtx,
    pub f: Format,
    pub period: String,
    pub phase: &'static str,
    pub section: String,
    pub form: FormView,
    pub notice: Option<String>,
    pub codes: (i64, i64),
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    ok: String,
    /// From the QR code on a printed access-code sheet: pre-fills the code field.
    code: String,
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let f = Format::load(&state, &ctx, &jar, &slug, id).await?;
    let notice = (!q.ok.is_empty()).then(|| ctx.tk("participation-ok-", &q.ok));
    let form = FormView::new().with("code", q.code.trim());
    show_page(&state, ctx, f, form, notice, StatusCode::OK).await
}

/// The format's page; also used to answer a refused form post (with the message and the values kept).
pub async fn show_page(
    state: &AppState,
    ctx: RequestCtx,
    f: Format,
    form: FormView,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let section = super::section(state, &ctx, &f).await?;
    let codes = if f.city.can_edit && f.p.access == "code" {
        store::participation::code_counts(&state.db, f.p.id).await?
    } else {
        (0, 0)
    };
    let page = ShowPage {
        period: format!("{} – {}", date_of(f.p.opens_at), date_of(f.p.closes_at)),
        phase: phase_key(f.phase),
        section,
        form,
        notice,
        codes,
        ctx,
        f,
    };
    Ok((status, render(&page)?).into_response())
}

#[derive(Template)]
#[template(path = "participation/results.html")]
struct ResultsPage {
    ctx: RequestCtx,
    f: Format,
    participants: i64,
    section: String,
    links: Vec<(String, i64, i64, String)>,
}

pub async fn results(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let f = Format::load(&state, &ctx, &jar, &slug, id).await?;
    if !f.may_see_results() {
        return Err(AppError::NotFound);
    }
    let section = super::results(&state, &ctx, &f).await?;
    let participants = store::participation::participant_count(&state.db, f.p.id).await?;
    let links = store::participation::links(&state.db, f.p.id).await?;
    Ok(render(&ResultsPage {
        ctx,
        f,
        participants,
        section,
        links,
    })?
    .into_response())
}

async fn table(
    state: &AppState,
    ctx: &RequestCtx,
    jar: &CookieJar,
    slug: &str,
    id: i64,
) -> Result<(Format, Vec<String>, Vec<Vec<String>>), AppError> {
    let f = Format::load(state, ctx, jar, slug, id).await?;
    if !f.may_see_results() {
        return Err(AppError::NotFound);
    }
    let (header, rows) = super::result_table(state, &f).await?;
    Ok((f, header, rows))
}

pub async fn results_csv(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (f, header, rows) = table(&state, &ctx, &jar, &slug, id).await?;
    let bytes = export::table_csv(&header, &rows).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(
        "text/csv; charset=utf-8",
        file_name(&format!("Ergebnisse {}", f.p.title), "csv"),
        bytes,
    ))
}

pub async fn results_xlsx(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (f, header, rows) = table(&state, &ctx, &jar, &slug, id).await?;
    let bytes = export::table_xlsx("Ergebnisse", &header, &rows)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        file_name(&format!("Ergebnisse {}", f.p.title), "xlsx"),
        bytes,
    ))
}

/// Kinds for the create form.
pub fn kinds() -> Vec<&'static str> {
    Kind::ALL.iter().map(|k| k.as_str()).collect()
}
