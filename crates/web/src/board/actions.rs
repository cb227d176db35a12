//! Changes to a board: cards and votes by participants, clustering, hiding, merging, voting rounds and
//! settings by moderators. Every handler answers a script (`Accept: application/json`) with JSON and a
//! plain form post with a redirect back to the board (or the board with the error, status 422).

use super::Access;
use super::page::board_page;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::{Form, wants_json};
use crate::state::AppState;
use crate::view::FormView;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use serde_json::json;
use store::StoreError;
use store::boards::{CardChange, NewCard};

/// How a handler ends: done (with a notice key and JSON details) or refused (field and message key).
enum Outcome {
    Done(&'static str, serde_json::Value),
    Refused(&'static str, &'static str),
}

/// Answer the request: JSON for scripts; a redirect (done) or the board with the message (refused).
async fn answer(
    state: &AppState,
    ctx: RequestCtx,
    headers: &HeaderMap,
    a: Access,
    outcome: Outcome,
    kept: &[(&str, &str)],
) -> Result<Response, AppError> {
    // This node's screens see the change at once; other nodes hear of it through the database.
    state.hub.wake(a.board.workshop_id);
    match outcome {
        Outcome::Done(ok, details) => {
            if wants_json(headers) {
                Ok(Json(json!({"ok": true, "details": details})).into_response())
            } else {
                Ok(Redirect::to(&a.path(&format!("?ok={ok}"))).into_response())
            }
        }
        Outcome::Refused(field, code) => {
            if wants_json(headers) {
                let body =
                    json!({"ok": false, "field": field, "code": code, "message": ctx.t(code)});
                Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response())
            } else {
                let mut form = FormView::new();
                for (k, v) in kept {
                    form = form.with(k, v);
                }
                let form = form.with_error(&ctx, field, code);
                board_page(state, ctx, a, form, None, StatusCode::UNPROCESSABLE_ENTITY).await
            }
        }
    }
}

/// Map a store refusal to the message shown; other errors pass through.
fn refusal(e: StoreError, field: &'static str) -> Result<Outcome, AppError> {
    match e {
        StoreError::Refused(key) => Ok(Outcome::Refused(field, key)),
        other => Err(other.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CardForm {
    text: String,
    category: String,
    cluster_id: String,
}

/// Add a card (participants while the board is open, moderators always).
pub async fn add_card(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<CardForm>,
) -> Result<Response, AppError> {
    let a = Access::load(&state, &ctx, &jar, &code).await?;
    let Some(participant_id) = a.contributor() else {
        return if a.may_view() {
            let o = Outcome::Refused("text", "err-board-closed");
            answer(&state, ctx, &headers, a, o, &[("text", &f.text)]).await
        } else {
            Err(AppError::Forbidden)
        };
    };
    let card = match domain::board::parse_card(&f.text, &f.category) {
        Ok(c) => c,
        Err(errs) => {
            let e = &errs.0[0];
            let o = Outcome::Refused(e.field, e.code);
            let kept = [("text", f.text.as_str()), ("category", f.category.as_str())];
            return answer(&state, ctx, &headers, a, o, &kept).await;
        }
    };
    let cluster_id = if a.moderator {
        f.cluster_id.parse::<i64>().ok()
    } else {
        None
    };
    let new = NewCard {
        participant_id,
        text: &card.text,
        category: card.category.map(|c| c.as_str()),
        cluster_id,
        rate: (!a.moderator).then_some(domain::board::CARD_RATE),
    };
    let outcome = match store::boards::add_card(&state.db, a.board.workshop_id, &new).await {
        Ok(c) => Outcome::Done("card", json!({"id": c.id})),
        Err(e) => refusal(e, "text")?,
    };
    let kept = [("text", f.text.as_str()), ("category", f.category.as_str())];
    answer(&state, ctx, &headers, a, outcome, &kept).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct VoteForm {
    card_id: String,
    delta: String,
}

/// Give or take back one dot.
pub async fn vote(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<VoteForm>,
) -> Result<Response, AppError> {
    let a = Access::load(&state, &ctx, &jar, &code).await?;
    let pid = match (&a.participant, a.open) {
        (Some(p), true) => p.id,
        (Some(_), false) => {
            let o = Outcome::Refused("card_id", "err-board-closed");
            return answer(&state, ctx, &headers, a, o, &[]).await;
        }
        (None, _) if a.moderator => {
            let o = Outcome::Refused("card_id", "err-board-join-to-vote");
            return answer(&state, ctx, &headers, a, o, &[]).await;
        }
        (None, _) => return Err(AppError::Forbidden),
    };
    let (Ok(card_id), Some(delta)) = (
        f.card_id.parse::<i64>(),
        match f.delta.as_str() {
            "1" | "+1" => Some(1),
            "-1" => Some(-1),
            _ => None,
        },
    ) else {
        let o = Outcome::Refused("card_id", "err-board-vote-invalid");
        return answer(&state, ctx, &headers, a, o, &[]).await;
    };
    let outcome = match store::boards::vote(&state.db, a.board.workshop_id, pid, card_id, delta)
        .await
    {
        Ok(remaining) => Outcome::Done("vote", json!({"remaining": remaining, "card": card_id})),
        Err(e) => refusal(e, "card_id")?,
    };
    answer(&state, ctx, &headers, a, outcome, &[]).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ModerateCardForm {
    action: String,
    text: String,
    category: String,
    cluster_id: String,
    into: String,
}

/// Moderator: edit, move, hide, show or merge a card.
pub async fn moderate_card(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((code, card_id)): Path<(String, i64)>,
    Form(f): Form<ModerateCardForm>,
) -> Result<Response, AppError> {
    let a = Access::load(&state, &ctx, &jar, &code).await?;
    a.require_moderator()?;
    let wid = a.board.workshop_id;
    let change = match f.action.as_str() {
        "edit" => match domain::board::parse_card(&f.text, &f.category) {
            Ok(c) => CardChange::Edit {
                text: c.text,
                category: c.category.map(|c| c.as_str().to_string()),
            },
            Err(errs) => {
                let e = &errs.0[0];
                let o = Outcome::Refused(e.field, e.code);
                return answer(&state, ctx, &headers, a, o, &[("text", &f.text)]).await;
            }
        },
        "move" => CardChange::Move {
            cluster_id: f.cluster_id.parse::<i64>().ok(),
        },
        "hide" => CardChange::Hide(true),
        "show" => CardChange::Hide(false),
        "merge" => {
            let Ok(into) = f.into.parse::<i64>() else {
                let o = Outcome::Refused("into", "err-board-merge-target");
                return answer(&state, ctx, &headers, a, o, &[]).await;
            };
            let outcome = match store::boards::merge_cards(&state.db, wid, card_id, into).await {
                Ok(()) => Outcome::Done("merged", json!({"into": into})),
                Err(e) => refusal(e, "into")?,
            };
            return answer(&state, ctx, &headers, a, outcome, &[]).await;
        }
        _ => {
            return Err(AppError::BadRequest(format!(
                "unknown card action {:?}",
                f.action
            )));
        }
    };
    let outcome = match store::boards::change_card(&state.db, wid, card_id, &change).await {
        Ok(c) => Outcome::Done("card-changed", json!({"id": c.id})),
        Err(e) => refusal(e, "text")?,
    };
    answer(&state, ctx, &headers, a, outcome, &[]).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ClusterForm {
    action: String,
    name: String,
}

/// Moderator: create a cluster.
pub async fn add_cluster(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<ClusterForm>,
) -> Result<Response, AppError> {
    let a = Access::load(&state, &ctx, &jar, &code).await?;
    a.require_moderator()?;
    let outcome = match domain::board::parse_cluster_name(&f.name) {
        Ok(name) => match store::boards::add_cluster(&state.db, a.board.workshop_id, &name).await {
            Ok(c) => Outcome::Done("cluster", json!({"id": c.id})),
            Err(e) => refusal(e, "name")?,
        },
        Err(code) => Outcome::Refused("name", code),
    };
    answer(&state, ctx, &headers, a, outcome, &[("name", &f.name)]).await
}

/// Moderator: rename or dissolve a cluster.
pub async fn change_cluster(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((code, cluster_id)): Path<(String, i64)>,
    Form(f): Form<ClusterForm>,
) -> Result<Response, AppError> {
    let a = Access::load(&state, &ctx, &jar, &code).await?;
    a.require_moderator()?;
    let wid = a.board.workshop_id;
    let outcome = if f.action == "remove" {
        match store::boards::remove_cluster(&state.db, wid, cluster_id).await {
            Ok(()) => Outcome::Done("cluster-removed", json!({})),
            Err(e) => refusal(e, "name")?,
        }
    } else {
        match domain::board::parse_cluster_name(&f.name) {
            Ok(name) => {
                match store::boards::rename_cluster(&state.db, wid, cluster_id, &name).await {
                    Ok(()) => Outcome::Done("cluster", json!({"id": cluster_id})),
                    Err(e) => refusal(e, "name")?,
                }
            }
            Err(code) => Outcome::Refused("name", code),
        }
    };
    answer(&state, ctx, &headers, a, outcome, &[]).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoundForm {
    action: String,
    dots: String,
    cumulative: String,
}

/// Moderator: open a voting round with N dots per person (cumulative or not), or close the open one.
pub async fn round(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<RoundForm>,
) -> Result<Response, AppError> {
    let a = Access::load(&state, &ctx, &jar, &code).await?;
    a.require_moderator()?;
    let wid = a.board.workshop_id;
    let outcome = if f.action == "close" {
        match store::boards::close_round(&state.db, wid).await {
            Ok(()) => Outcome::Done("round-closed", json!({})),
            Err(e) => refusal(e, "dots")?,
        }
    } else {
        match domain::board::parse_dots(&f.dots) {
            Ok(dots) => {
                let cumulative = f.cumulative == "on" || f.cumulative == "1";
                match store::boards::open_round(&state.db, wid, dots, cumulative).await {
                    Ok(r) => Outcome::Done("round-opened", json!({"id": r.id, "number": r.number})),
                    Err(e) => refusal(e, "dots")?,
                }
            }
            Err(code) => Outcome::Refused("dots", code),
        }
    };
    answer(&state, ctx, &headers, a, outcome, &[("dots", &f.dots)]).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    guests_allowed: String,
    closed: String,
}

/// Moderator: allow guests or not, close or reopen the board.
pub async fn settings(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<SettingsForm>,
) -> Result<Response, AppError> {
    let a = Access::load(&state, &ctx, &jar, &code).await?;
    a.require_moderator()?;
    store::boards::set_settings(
        &state.db,
        a.board.workshop_id,
        f.guests_allowed == "on",
        f.closed == "on",
    )
    .await?;
    answer(
        &state,
        ctx,
        &headers,
        a,
        Outcome::Done("settings", json!({})),
        &[],
    )
    .await
}
