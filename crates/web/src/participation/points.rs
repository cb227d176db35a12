//! Point voting (Punktabstimmung) on measures or ideas: each participant distributes the format's points
//! (one per item, or several when cumulative); with one point and not cumulative it is a simple support.
//! Votes go through the node's group-commit writer; the budget and the one-row-per-person-and-item rule are
//! database constraints. Totals are maintained per item, so results read one small table.

use super::Format;
use super::pages::show_page;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::{Form, wants_json};
use crate::state::AppState;
use crate::view::FormView;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::CookieJar;
use domain::visibility::Visibility;
use serde::Deserialize;
use serde_json::json;
use store::participation::Item;
use store::votes::{Counted, VoteOp};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/kommunen/{slug}/beteiligung/{id}/punkte", post(vote))
        .route(
            "/kommunen/{slug}/beteiligung/{id}/punkte/eintraege",
            post(set_items),
        )
        .route("/api/v1/participations/{id}/points", get(api_points))
}

/// An item with the viewer's points and (where visible) the total.
pub struct Row {
    pub item: Item,
    pub mine: i64,
    pub total: i64,
    pub voters: i64,
}

async fn rows(state: &AppState, f: &Format) -> Result<Vec<Row>, AppError> {
    let items = store::participation::items(&state.db, f.p.id).await?;
    let tallies = store::votes::tallies(&state.db, f.p.id).await?;
    let mine = match &f.participant {
        Some(p) => store::votes::mine(&state.db, p.id).await?,
        None => vec![],
    };
    Ok(items
        .into_iter()
        .map(|item| {
            let t = tallies
                .iter()
                .find(|(k, id, _, _)| *k == item.item_kind && *id == item.item_id);
            Row {
                mine: mine
                    .iter()
                    .find(|(k, id, _)| *k == item.item_kind && *id == item.item_id)
                    .map(|(_, _, p)| *p)
                    .unwrap_or(0),
                total: t.map(|t| t.2).unwrap_or(0),
                voters: t.map(|t| t.3).unwrap_or(0),
                item,
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "participation/points/section.html")]
struct Section<'a> {
    ctx: &'a RequestCtx,
    f: &'a Format,
    rows: Vec<Row>,
    remaining: i64,
    can_vote: bool,
    max_per_item: i64,
    /// The city's measures to choose from (editors).
    measures: Vec<(i64, String, bool)>,
}

fn max_per_item(f: &Format) -> i64 {
    domain::participation::max_points_per_item(f.p.points, f.p.cumulative)
}

pub async fn section(state: &AppState, ctx: &RequestCtx, f: &Format) -> Result<String, AppError> {
    let rows = rows(state, f).await?;
    let used: i64 = rows.iter().map(|r| r.mine).sum();
    let measures = if f.city.can_edit {
        store::measures::list(
            &state.db,
            f.city.m.id,
            Visibility::Intern,
            &Default::default(),
            Default::default(),
        )
        .await?
        .into_iter()
        .map(|m| {
            let chosen = rows
                .iter()
                .any(|r| r.item.item_kind == "massnahme" && r.item.item_id == m.id);
            (m.id, m.title, chosen)
        })
        .collect()
    } else {
        vec![]
    };
    let s = Section {
        ctx,
        f,
        remaining: f.p.points - used,
        can_vote: f.active_participant().is_some(),
        max_per_item: max_per_item(f),
        rows,
        measures,
    };
    Ok(s.render()?)
}

#[derive(Template)]
#[template(path = "participation/points/results.html")]
struct Results<'a> {
    ctx: &'a RequestCtx,
    chart: String,
    rows: Vec<Row>,
}

fn ranked(mut rows: Vec<Row>) -> Vec<Row> {
    rows.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then(a.item.position.cmp(&b.item.position))
    });
    rows
}

pub async fn results(state: &AppState, ctx: &RequestCtx, f: &Format) -> Result<String, AppError> {
    let rows = ranked(rows(state, f).await?);
    let bars: Vec<(String, f64, String)> = rows
        .iter()
        .map(|r| {
            (
                r.item.title.clone(),
                r.total as f64,
                ctx.t1("points-total", "n", r.total),
            )
        })
        .collect();
    let chart =
        crate::charts::bar_chart("points-chart", &ctx.t("points-results-title"), &bars, None);
    Ok(Results { ctx, chart, rows }.render()?)
}

pub async fn result_table(
    state: &AppState,
    f: &Format,
) -> Result<(Vec<String>, Vec<Vec<String>>), AppError> {
    let rows = ranked(rows(state, f).await?);
    let header = ["Rang", "Art", "ID", "Titel", "Punkte", "Abstimmende"]
        .map(String::from)
        .to_vec();
    let body = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                r.item.item_kind.clone(),
                r.item.item_id.to_string(),
                r.item.title.clone(),
                r.total.to_string(),
                r.voters.to_string(),
            ]
        })
        .collect();
    Ok((header, body))
}

pub async fn export_of(
    state: &AppState,
    participant_id: i64,
) -> Result<serde_json::Value, AppError> {
    let mine = store::votes::mine(&state.db, participant_id).await?;
    Ok(json!({
        "punkte": mine.iter().map(|(k, id, p)| json!({"art": k, "id": id, "punkte": p})).collect::<Vec<_>>()
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct VoteForm {
    item_kind: String,
    item_id: String,
    delta: String,
}

/// The answer to a counted vote: JSON for scripts, else back to the item.
fn voted(headers: &HeaderMap, format_path: &str, item: (&str, i64), counted: Counted) -> Response {
    if wants_json(headers) {
        Json(json!({"ok": true, "remaining": counted.remaining, "total": counted.total}))
            .into_response()
    } else {
        let (kind, id) = item;
        Redirect::to(&format!("{format_path}?ok=voted#item-{kind}-{id}")).into_response()
    }
}

/// Give or take back one point.
///
/// A well-formed vote goes to the writer as sent ([`VoteOp::PointsAsSent`]), which checks it in the batch's
/// transaction: an accepted vote costs the request no read of its own. A vote the writer could not resolve
/// (no such open format, no active participant, not an item) or refused is then read and checked here, and
/// answered with the precise reason on the format's page.
pub async fn vote(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(v): Form<VoteForm>,
) -> Result<Response, AppError> {
    let kind = match v.item_kind.as_str() {
        "massnahme" => Some("massnahme"),
        "idee" => Some("idee"),
        _ => None,
    };
    let item_id = v.item_id.parse::<i64>().ok();
    let item = kind.zip(item_id);
    let delta = match v.delta.as_str() {
        "1" | "+1" => Some(1),
        "-1" => Some(-1),
        _ => None,
    };
    let token_hash = jar
        .get(super::PART_COOKIE)
        .map(|c| store::tokens::hash_token(c.value()));
    let mut refused_as_sent = None;
    if let (Some((kind, item_id)), Some(delta), true) = (
        item,
        delta,
        token_hash.is_some() || ctx.actor.user_id.is_some(),
    ) {
        let op = VoteOp::PointsAsSent {
            slug: slug.clone(),
            participation_id: id,
            user_id: ctx.actor.user_id,
            token_hash,
            item_kind: kind,
            item_id,
            delta,
            now: store::now_secs(),
        };
        match state.votes.submit(op).await {
            Ok(Ok(counted)) => {
                let path = format!("/kommunen/{slug}/beteiligung/{id}");
                return Ok(voted(&headers, &path, (kind, item_id), counted));
            }
            Ok(Err(code)) if code != store::votes::UNRESOLVED => refused_as_sent = Some(code),
            Ok(Err(_)) => {}
            Err(e) => return Err(AppError::Unavailable(e)),
        }
    }
    let (f, is_item) = Format::load_with_item(&state, &ctx, &jar, &slug, id, item).await?;
    let refuse = |ctx: RequestCtx, f: Format, code: &'static str| {
        let state = state.clone();
        let json = wants_json(&headers);
        async move {
            if json {
                let body = json!({"ok": false, "code": code, "message": ctx.t(code)});
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response());
            }
            let form = FormView::new().with_error(&ctx, "item_id", code);
            show_page(&state, ctx, f, form, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    };
    if f.kind != domain::participation::Kind::Punkte {
        return Err(AppError::NotFound);
    }
    // Checked by the writer and refused by a rule (budget, per-item limit, nothing to take back).
    if let Some(code) = refused_as_sent {
        return refuse(ctx, f, code).await;
    }
    let Some(participant) = f.active_participant().cloned() else {
        let code = if f.phase == domain::participation::Phase::Open {
            "err-participation-join-first"
        } else {
            "err-participation-closed"
        };
        return refuse(ctx, f, code).await;
    };
    // Only the format's items can receive points, one at a time.
    let (Some((kind, item_id)), true) = (item, is_item) else {
        return refuse(ctx, f, "err-vote-unknown").await;
    };
    let Some(delta) = delta else {
        return refuse(ctx, f, "err-vote-delta").await;
    };
    let op = VoteOp::Points {
        participation_id: f.p.id,
        participant_id: participant.id,
        item_kind: kind,
        item_id,
        delta,
        budget: f.p.points,
        max_per_item: max_per_item(&f),
    };
    match state.votes.submit(op).await {
        Ok(Ok(counted)) => Ok(voted(&headers, &f.path(""), (kind, item_id), counted)),
        Ok(Err(code)) => refuse(ctx, f, code).await,
        Err(e) => Err(AppError::Unavailable(e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ItemsForm {
    measure_ids: Vec<String>,
}

/// Editors: choose the measures people vote on (before anyone voted).
pub async fn set_items(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<ItemsForm>,
) -> Result<Response, AppError> {
    let f = Format::load(&state, &ctx, &jar, &slug, id).await?;
    f.require_edit(&ctx)?;
    if !store::votes::tallies(&state.db, f.p.id)
        .await?
        .iter()
        .all(|t| t.2 == 0)
    {
        let form = FormView::new().with_error(&ctx, "measure_ids", "err-points-items-locked");
        return show_page(&state, ctx, f, form, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let own: Vec<i64> = store::measures::list(
        &state.db,
        f.city.m.id,
        Visibility::Intern,
        &Default::default(),
        Default::default(),
    )
    .await?
    .into_iter()
    .map(|m| m.id)
    .collect();
    let mut chosen = vec![];
    for raw in &form.measure_ids {
        match raw.parse::<i64>() {
            Ok(mid) if own.contains(&mid) => chosen.push(("massnahme", mid)),
            _ => {
                let form = FormView::new().with_error(&ctx, "measure_ids", "err-points-items");
                return show_page(&state, ctx, f, form, None, StatusCode::UNPROCESSABLE_ENTITY)
                    .await;
            }
        }
    }
    store::participation::set_items(&state.db, f.p.id, &chosen).await?;
    Ok(Redirect::to(&f.path("?ok=saved")).into_response())
}

/// The items of a point voting; totals only where the results are public.
#[utoipa::path(get, path = "/api/v1/participations/{id}/points", tag = "participation",
    params(("id" = i64, Path, description = "participation id")),
    responses((status = 200, description = "items with totals (when results are public)"), (status = 404)))]
pub async fn api_points(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let p = store::participation::get_any(&state.db, id).await?;
    let m = store::municipalities::by_id(&state.db, p.municipality_id).await?;
    let f = Format::load(&state, &ctx, &jar, &m.slug, id).await?;
    if f.kind != domain::participation::Kind::Punkte {
        return Err(AppError::NotFound);
    }
    let show = f.may_see_results();
    let rows = rows(&state, &f).await?;
    Ok(Json(json!({
        "id": f.p.id,
        "title": f.p.title,
        "points_per_person": f.p.points,
        "cumulative": f.p.cumulative,
        "items": rows.iter().map(|r| json!({
            "kind": r.item.item_kind,
            "id": r.item.item_id,
            "title": r.item.title,
            "points": show.then_some(r.total),
            "voters": show.then_some(r.voters),
            "mine": r.mine,
        })).collect::<Vec<_>>(),
    }))
    .into_response())
}
