//! Form posts of the idea collection. Every handler answers a script (`Accept: application/json`) with
//! JSON, and a plain form post with a redirect back to the item (done) or the format page with the message
//! and the entered values (refused, 422). A refused post changes nothing.

use super::{Format, page, require_ideas};
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
use domain::idea::{IdeaInput, Moderation, State as ItemState, Target};
use domain::participation::Phase;
use domain::visibility::Visibility;
use serde::Deserialize;
use serde_json::json;
use store::StoreError;
use store::votes::VoteOp;

/// How a post ends.
enum Outcome {
    /// Done: the notice (`participation-ok-<key>`), the anchor to return to, details for scripts.
    Done(&'static str, String, serde_json::Value),
    /// Refused: the field and message keys (several for a form with many problems).
    Refused(Vec<(&'static str, &'static str)>),
}

fn refused(field: &'static str, code: &'static str) -> Outcome {
    Outcome::Refused(vec![(field, code)])
}

async fn answer(
    state: &AppState,
    ctx: RequestCtx,
    headers: &HeaderMap,
    f: Format,
    outcome: Outcome,
    kept: &[(&str, &str)],
) -> Result<Response, AppError> {
    match outcome {
        Outcome::Done(ok, anchor, details) => {
            if wants_json(headers) {
                Ok(Json(json!({"ok": true, "notice": ctx.tk("participation-ok-", ok), "details": details}))
                    .into_response())
            } else {
                Ok(Redirect::to(&f.path(&format!("?ok={ok}#{anchor}"))).into_response())
            }
        }
        Outcome::Refused(errs) => {
            if wants_json(headers) {
                let errors: Vec<serde_json::Value> = errs
                    .iter()
                    .map(|(field, code)| json!({"field": field, "code": code, "message": ctx.t(code)}))
                    .collect();
                let (field, code) = errs[0];
                let body = json!({"ok": false, "field": field, "code": code, "message": ctx.t(code), "errors": errors});
                Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response())
            } else {
                let mut form = FormView::new();
                for (k, v) in kept {
                    form = form.with(k, v);
                }
                let mut e = domain::FieldErrors::new();
                for (field, code) in errs {
                    e.push(field, code);
                }
                let form = form.with_errors(&ctx, &e);
                page(state, ctx, f, form, StatusCode::UNPROCESSABLE_ENTITY).await
            }
        }
    }
}

/// The participant who may contribute now, or why not (message key).
fn contributor(f: &Format) -> Result<i64, &'static str> {
    match f.active_participant() {
        Some(p) => Ok(p.id),
        None if f.phase != Phase::Open => Err("err-participation-closed"),
        None => Err("err-participation-join-first"),
    }
}

async fn load(
    state: &AppState,
    ctx: &RequestCtx,
    jar: &CookieJar,
    slug: &str,
    id: i64,
) -> Result<Format, AppError> {
    let f = Format::load(state, ctx, jar, slug, id).await?;
    require_ideas(&f)?;
    Ok(f)
}

/// Submit an idea.
pub async fn submit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(input): Form<IdeaInput>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    let kept = [
        ("idea_title", input.idea_title.as_str()),
        ("idea_text", input.idea_text.as_str()),
        ("idea_field", input.idea_field.as_str()),
        ("idea_lat", input.idea_lat.as_str()),
        ("idea_lon", input.idea_lon.as_str()),
    ];
    let outcome = submit_outcome(&state, &f, &input).await?;
    answer(&state, ctx, &headers, f, outcome, &kept).await
}

async fn submit_outcome(
    state: &AppState,
    f: &Format,
    input: &IdeaInput,
) -> Result<Outcome, AppError> {
    if !domain::participation::honeypot_ok(&input.website) {
        tracing::info!(participation_id = f.p.id, "honeypot filled; idea refused");
        return Ok(refused("idea_title", "err-honeypot"));
    }
    let pid = match contributor(f) {
        Ok(p) => p,
        Err(code) => return Ok(refused("idea_title", code)),
    };
    let fields: Vec<i64> = store::fields::selected(&state.db, f.city.m.id)
        .await?
        .iter()
        .map(|c| c.field_id)
        .collect();
    let draft = match input.parse(&fields) {
        Ok(d) => d,
        Err(errs) => {
            return Ok(Outcome::Refused(
                errs.0.iter().map(|e| (e.field, e.code)).collect(),
            ));
        }
    };
    let (limit, window) = domain::idea::IDEA_RATE;
    if !store::participation::rate_hit(&state.db, &format!("idea:{pid}"), window, limit).await? {
        return Ok(refused("idea_title", "err-rate-limit"));
    }
    let st = ItemState::initial(f.p.premoderation);
    let idea = store::ideas::create(&state.db, f.p.id, pid, &draft, st).await?;
    tracing::info!(
        participation_id = f.p.id,
        idea,
        state = st.as_str(),
        "idea submitted"
    );
    let ok = if st == ItemState::Pending {
        "pending"
    } else {
        "contributed"
    };
    Ok(Outcome::Done(
        ok,
        format!("idee-{idea}"),
        json!({"id": idea, "state": st.as_str()}),
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CommentForm {
    idea_comment: String,
    website: String,
}

/// Comment on a visible idea.
pub async fn comment(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id, idea)): Path<(String, i64, i64)>,
    Form(c): Form<CommentForm>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    let target = format!("idee-{idea}");
    let kept = [
        ("for", target.as_str()),
        ("idea_comment", c.idea_comment.as_str()),
    ];
    let outcome = comment_outcome(&state, &f, idea, &c).await?;
    answer(&state, ctx, &headers, f, outcome, &kept).await
}

async fn comment_outcome(
    state: &AppState,
    f: &Format,
    idea: i64,
    c: &CommentForm,
) -> Result<Outcome, AppError> {
    if !domain::participation::honeypot_ok(&c.website) {
        return Ok(refused("idea_comment", "err-honeypot"));
    }
    let pid = match contributor(f) {
        Ok(p) => p,
        Err(code) => return Ok(refused("idea_comment", code)),
    };
    let body = match domain::idea::parse_comment(&c.idea_comment) {
        Ok(b) => b,
        Err(code) => return Ok(refused("idea_comment", code)),
    };
    let (limit, window) = domain::idea::COMMENT_RATE;
    let key = format!("idea-comment:{pid}");
    if !store::participation::rate_hit(&state.db, &key, window, limit).await? {
        return Ok(refused("idea_comment", "err-rate-limit"));
    }
    let st = ItemState::initial(f.p.premoderation);
    match store::ideas::add_comment(&state.db, f.p.id, idea, pid, &body, st).await {
        Ok(cid) => {
            tracing::info!(
                participation_id = f.p.id,
                idea,
                comment = cid,
                "idea comment"
            );
            let ok = if st == ItemState::Pending {
                "pending"
            } else {
                "contributed"
            };
            Ok(Outcome::Done(
                ok,
                format!("kommentar-{cid}"),
                json!({"id": cid, "idea": idea, "state": st.as_str()}),
            ))
        }
        Err(StoreError::NotFound) => Ok(refused("idea_comment", "err-idea-unknown")),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SupportForm {
    /// `1` to support, `0` to withdraw (explicit, so that a repeated or parallel request changes nothing).
    support: String,
}

/// Support an idea or withdraw the support: one vote per person, counted by the vote writer.
pub async fn support(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id, idea)): Path<(String, i64, i64)>,
    Form(s): Form<SupportForm>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    let target = format!("idee-{idea}");
    let outcome = support_outcome(&state, &f, idea, &s).await?;
    answer(&state, ctx, &headers, f, outcome, &[("for", &target)]).await
}

async fn support_outcome(
    state: &AppState,
    f: &Format,
    idea: i64,
    s: &SupportForm,
) -> Result<Outcome, AppError> {
    let pid = match contributor(f) {
        Ok(p) => p,
        Err(code) => return Ok(refused("support", code)),
    };
    let on = match s.support.trim() {
        "1" | "on" | "true" => true,
        "0" | "off" | "false" => false,
        _ => return Ok(refused("support", "err-idea-support")),
    };
    match store::ideas::get(&state.db, f.p.id, idea).await {
        Ok(i) if i.state() == ItemState::Visible => {}
        Ok(_) | Err(StoreError::NotFound) => return Ok(refused("support", "err-idea-unknown")),
        Err(e) => return Err(e.into()),
    }
    let op = VoteOp::Support {
        participation_id: f.p.id,
        participant_id: pid,
        item_kind: "idee",
        item_id: idea,
        on,
    };
    match state.votes.submit(op).await {
        Ok(Ok(c)) => Ok(Outcome::Done(
            if on {
                "idea-supported"
            } else {
                "idea-unsupported"
            },
            format!("idee-{idea}"),
            json!({"idea": idea, "support": c.total, "supported": on}),
        )),
        Ok(Err(code)) => Ok(refused("support", code)),
        Err(e) => Err(AppError::Unavailable(e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReportForm {
    /// `idee-<id>` or `kommentar-<id>`.
    #[serde(rename = "for")]
    target: String,
    report_reason: String,
}

/// `idee-5` → (Idea, 5).
fn parse_target(raw: &str) -> Option<(Target, i64)> {
    let (kind, id) = raw.split_once('-')?;
    Some((Target::parse(kind)?, id.parse().ok()?))
}

/// Report an idea or comment (once per participant and item).
pub async fn report(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(r): Form<ReportForm>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    let kept = [
        ("for", r.target.as_str()),
        ("report_reason", r.report_reason.as_str()),
    ];
    let outcome = report_outcome(&state, &f, &r).await?;
    answer(&state, ctx, &headers, f, outcome, &kept).await
}

async fn report_outcome(state: &AppState, f: &Format, r: &ReportForm) -> Result<Outcome, AppError> {
    let pid = match contributor(f) {
        Ok(p) => p,
        Err(code) => return Ok(refused("report_reason", code)),
    };
    let Some((target, item)) = parse_target(&r.target) else {
        return Ok(refused("report_reason", "err-idea-unknown"));
    };
    let reason = match domain::idea::parse_reason(&r.report_reason) {
        Ok(x) => x,
        Err(code) => return Ok(refused("report_reason", code)),
    };
    let (limit, window) = domain::idea::REPORT_RATE;
    let key = format!("idea-report:{pid}");
    if !store::participation::rate_hit(&state.db, &key, window, limit).await? {
        return Ok(refused("report_reason", "err-rate-limit"));
    }
    match store::ideas::report(&state.db, f.p.id, pid, target, item, &reason).await {
        Ok(()) => {
            tracing::info!(
                participation_id = f.p.id,
                kind = target.as_str(),
                item,
                "idea collection item reported"
            );
            Ok(Outcome::Done(
                "idea-reported",
                r.target.clone(),
                json!({"kind": target.as_str(), "id": item}),
            ))
        }
        Err(StoreError::NotFound) => Ok(refused("report_reason", "err-idea-unknown")),
        Err(StoreError::Conflict(_)) => Ok(refused("report_reason", "err-idea-reported-twice")),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ModerateForm {
    #[serde(rename = "for")]
    target: String,
    /// `freigeben`, `ausblenden`, `einblenden`, `behalten`.
    action: String,
    hide_reason: String,
}

/// Editors: approve, hide with a reason, show again, or keep an item and close its reports.
pub async fn moderate(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(m): Form<ModerateForm>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    let user = f.require_edit(&ctx)?;
    let kept = [
        ("for", m.target.as_str()),
        ("hide_reason", m.hide_reason.as_str()),
    ];
    let Some((target, item)) = parse_target(&m.target) else {
        return Err(AppError::NotFound);
    };
    let outcome = match Moderation::parse(m.action.trim(), &m.hide_reason) {
        Err((field, code)) => refused(field, code),
        Ok(step) => {
            match store::ideas::moderate(&state.db, f.p.id, target, item, &step, user).await {
                Ok(to) => {
                    tracing::info!(
                        participation_id = f.p.id,
                        kind = target.as_str(),
                        item,
                        action = m.action.as_str(),
                        "idea collection item moderated"
                    );
                    Outcome::Done(
                        "moderated",
                        m.target.clone(),
                        json!({"kind": target.as_str(), "id": item, "state": to.as_str()}),
                    )
                }
                Err(StoreError::Refused(code)) => refused("hide_reason", code),
                Err(e) => return Err(e.into()),
            }
        }
    };
    answer(&state, ctx, &headers, f, outcome, &kept).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LinkForm {
    idea_measure: String,
    /// `verknuepfen` (default) or `loesen`.
    action: String,
}

/// Editors: link an idea to a measure of the city it fed (or remove the link).
pub async fn link(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id, idea)): Path<(String, i64, i64)>,
    Form(l): Form<LinkForm>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    f.require_edit(&ctx)?;
    store::ideas::get(&state.db, f.p.id, idea).await?;
    let target = format!("idee-{idea}");
    let kept = [
        ("for", target.as_str()),
        ("idea_measure", l.idea_measure.as_str()),
    ];
    let measures = store::measures::list(
        &state.db,
        f.city.m.id,
        Visibility::Intern,
        &Default::default(),
        Default::default(),
    )
    .await?;
    let measure = l
        .idea_measure
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|m| measures.iter().any(|x| x.id == *m));
    let outcome = match (measure, l.action.as_str()) {
        (None, _) => refused("idea_measure", "err-idea-measure"),
        (Some(m), "loesen") => {
            store::ideas::unlink_measure(&state.db, f.p.id, idea, m).await?;
            Outcome::Done(
                "idea-unlinked",
                target.clone(),
                json!({"idea": idea, "measure": m}),
            )
        }
        (Some(m), _) => {
            store::participation::link_measure(&state.db, f.p.id, "idee", idea, m).await?;
            tracing::info!(
                participation_id = f.p.id,
                idea,
                measure = m,
                "idea linked to measure"
            );
            Outcome::Done(
                "idea-linked",
                target.clone(),
                json!({"idea": idea, "measure": m}),
            )
        }
    };
    answer(&state, ctx, &headers, f, outcome, &kept).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(parse_target("idee-5"), Some((Target::Idea, 5)));
        assert_eq!(parse_target("kommentar-12"), Some((Target::Comment, 12)));
        assert_eq!(parse_target("karte-1"), None);
        assert_eq!(parse_target("idee-x"), None);
        assert_eq!(parse_target(""), None);
    }
}
