//! Results into the strategy: the moderator turns a card or a cluster into a measure (pre-filled project
//! sheet), a goal, a field-of-action selection or a passage proposed for the Smart City definition. The cards
//! keep a link to what they became (`board_links`) and the new object shows the cards it came from.

use super::Access;
use super::page::board_page;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::form::Form;
use crate::state::AppState;
use crate::view::FormView;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use store::measures::Origin;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConvertForm {
    /// `card-{id}` or `cluster-{id}`.
    source: String,
    /// `massnahme`, `ziel`, `handlungsfeld` or `definition`.
    target: String,
    field_id: String,
}

/// The cards of a source and its title: `(title, [(card id, text)])`.
async fn resolve(
    state: &AppState,
    workshop_id: i64,
    source: &str,
) -> Result<Option<(String, Vec<(i64, String)>)>, AppError> {
    let cards = store::boards::cards(&state.db, workshop_id).await?;
    let visible = cards.into_iter().filter(|c| !c.hidden);
    if let Some(id) = source
        .strip_prefix("card-")
        .and_then(|s| s.parse::<i64>().ok())
    {
        return Ok(visible
            .into_iter()
            .find(|c| c.id == id)
            .map(|c| (c.text.clone(), vec![(c.id, c.text)])));
    }
    if let Some(id) = source
        .strip_prefix("cluster-")
        .and_then(|s| s.parse::<i64>().ok())
    {
        let clusters = store::boards::clusters(&state.db, workshop_id).await?;
        let Some(cluster) = clusters.into_iter().find(|c| c.id == id) else {
            return Ok(None);
        };
        let cards: Vec<(i64, String)> = visible
            .filter(|c| c.cluster_id == Some(id))
            .map(|c| (c.id, c.text))
            .collect();
        if cards.is_empty() {
            return Ok(None);
        }
        return Ok(Some((cluster.name, cards)));
    }
    Ok(None)
}

pub async fn convert(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path(code): Path<String>,
    Form(f): Form<ConvertForm>,
) -> Result<Response, AppError> {
    let a = Access::load(&state, &ctx, &jar, &code).await?;
    a.require_moderator()?;
    let user_id = crate::auth::require_login(&ctx)?;
    let Some(m) = a.municipality.clone() else {
        // Network events have no city strategy to feed.
        return Err(AppError::NotFound);
    };
    let wid = a.board.workshop_id;
    let refuse = |ctx, a, field: &'static str, code: &'static str| {
        let state = state.clone();
        async move {
            let form = FormView::new().with_error(&ctx, field, code);
            board_page(&state, ctx, a, form, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    };
    let Some((title, cards)) = resolve(&state, wid, &f.source).await? else {
        return refuse(ctx, a, "source", "err-convert-source").await;
    };
    let ids: Vec<i64> = cards.iter().map(|(id, _)| *id).collect();
    let texts: Vec<String> = cards.into_iter().map(|(_, t)| t).collect();
    let field_id = f.field_id.parse::<i64>().ok();
    match f.target.as_str() {
        "massnahme" => {
            let w = store::workshops::get(&state.db, m.id, wid).await?;
            let (date, _) = domain::workshop::utc_to_local(w.starts_at);
            let draft = domain::board::measure_draft(
                &w.title,
                &domain::values::german_date(&date),
                &title,
                &texts,
            );
            let sheet = draft
                .parse()
                .map_err(|e| AppError::Internal(format!("board draft invalid: {e:?}")))?;
            let id = store::measures::create(
                &state.db,
                m.id,
                &sheet,
                "idee",
                Some(user_id),
                Origin::default(),
            )
            .await?;
            store::boards::link(&state.db, wid, &ids, "massnahme", id, &sheet.title).await?;
            state.hub.wake(wid);
            tracing::info!(
                workshop_id = wid,
                measure_id = id,
                "board result became a measure"
            );
            Ok(
                Redirect::to(&format!("/kommunen/{}/massnahmen/{id}/bearbeiten", m.slug))
                    .into_response(),
            )
        }
        "ziel" => {
            let fields = store::fields::selected(&state.db, m.id).await?;
            let Some(field) = field_id.and_then(|id| fields.into_iter().find(|f| f.field_id == id))
            else {
                return refuse(ctx, a, "field_id", "err-convert-city-field").await;
            };
            let text = domain::board::clip(&title, 500);
            let goal = store::fields::NewGoal {
                field_id: field.field_id,
                text: &text,
                indicator: "",
                unit: "",
                baseline: None,
                target_value: None,
                target_year: None,
            };
            let id = store::fields::add_goal(&state.db, m.id, &goal).await?;
            store::boards::link(&state.db, wid, &ids, "ziel", id, &text).await?;
            state.hub.wake(wid);
            Ok(Redirect::to(&a.path("?ok=converted")).into_response())
        }
        "handlungsfeld" => {
            let all = store::taxonomy::list(&state.db, "field_of_action").await?;
            let Some(term) = field_id.and_then(|id| all.into_iter().find(|t| t.id == id)) else {
                return refuse(ctx, a, "field_id", "err-convert-field").await;
            };
            let selected = store::fields::selected(&state.db, m.id).await?;
            if !selected.iter().any(|s| s.field_id == term.id) {
                let rationale = format!("Aus der Werkstatt: {}", domain::board::clip(&title, 300));
                store::fields::select(&state.db, m.id, term.id, "mittel", &rationale).await?;
            }
            store::boards::link(&state.db, wid, &ids, "handlungsfeld", term.id, &term.name).await?;
            state.hub.wake(wid);
            Ok(Redirect::to(&a.path("?ok=converted")).into_response())
        }
        "definition" => {
            let version = store::definitions::get(&state.db, m.id)
                .await?
                .map(|d| d.current_version)
                .unwrap_or(0);
            let w = store::workshops::get(&state.db, m.id, wid).await?;
            let mut body = format!("Vorschlag aus der Werkstatt „{}“: {}", w.title, title);
            if texts.len() > 1 {
                for t in &texts {
                    body.push_str("\n- ");
                    body.push_str(t);
                }
            }
            let id =
                store::definitions::add_comment(&state.db, m.id, version, user_id, &body).await?;
            let label = domain::board::clip(&title, 120);
            store::boards::link(&state.db, wid, &ids, "definition", id, &label).await?;
            state.hub.wake(wid);
            Ok(Redirect::to(&a.path("?ok=converted")).into_response())
        }
        _ => refuse(ctx, a, "target", "err-convert-target").await,
    }
}
