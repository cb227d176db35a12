//! Idea collection (Ideensammlung): participants submit ideas (title, text, optional field of action and
//! location), comment on them and support them (one vote per person, group-committed); anyone taking part
//! may report an idea or comment once; editors approve (pre-moderation), hide with a reason, show again and
//! link ideas to the measures they fed. The list sorts by newest or most support and filters by field of
//! action; the located ideas are a GeoJSON download; results rank the ideas by support.
//!
//! `actions` has the form posts, `api` the GeoJSON export and the JSON API; this file renders.

pub mod actions;
pub mod api;

use super::pages::ShowPage;
use super::{Format, date_of};
use crate::ctx::RequestCtx;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::idea::{Shown, Sort, State, shown};
use domain::participation::{Kind, Phase};
use domain::visibility::Visibility;
use std::collections::{BTreeMap, HashMap, HashSet};
use store::ideas::{Comment, Idea};

pub fn routes() -> Router<AppState> {
    const BASE: &str = "/kommunen/{slug}/beteiligung/{id}";
    Router::new()
        .route(&format!("{BASE}/ideen"), post(actions::submit))
        .route(&format!("{BASE}/ideen.geojson"), get(api::geojson))
        .route(&format!("{BASE}/ideen/melden"), post(actions::report))
        .route(&format!("{BASE}/ideen/moderieren"), post(actions::moderate))
        .route(
            &format!("{BASE}/ideen/{{idea}}/kommentare"),
            post(actions::comment),
        )
        .route(
            &format!("{BASE}/ideen/{{idea}}/unterstuetzen"),
            post(actions::support),
        )
        .route(
            &format!("{BASE}/ideen/{{idea}}/massnahmen"),
            post(actions::link),
        )
        .route("/api/v1/participations/{id}/ideas", get(api::list))
}

/// The routes of this module serve idea collections only.
fn require_ideas(f: &Format) -> Result<(), AppError> {
    if f.kind == Kind::Ideen {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// A comment as the viewer sees it.
pub struct CommentView {
    /// Anchor and form target, `kommentar-<id>`.
    pub key: String,
    pub id: i64,
    pub body: String,
    /// The content is shown (else the placeholder with `hidden_reason`).
    pub full: bool,
    pub pending: bool,
    /// Some when hidden (the reason everyone sees).
    pub hidden_reason: Option<String>,
    pub mine: bool,
    /// The viewer reported it already.
    pub reported: bool,
    /// Open reports (editors only).
    pub reports: Vec<String>,
    pub date: String,
}

/// An idea as the viewer sees it.
pub struct IdeaView {
    /// Anchor and form target, `idee-<id>`.
    pub key: String,
    pub id: i64,
    pub title: String,
    pub body: String,
    pub field_name: Option<String>,
    /// `(latitude, longitude)` as text.
    pub location: Option<(String, String)>,
    pub support: i64,
    pub comment_count: i64,
    pub full: bool,
    pub visible: bool,
    pub pending: bool,
    pub hidden_reason: Option<String>,
    pub mine: bool,
    pub supported: bool,
    pub reported: bool,
    pub reports: Vec<String>,
    pub comments: Vec<CommentView>,
    /// Measures this idea fed that the viewer may see: `(id, title)`.
    pub links: Vec<(i64, String)>,
    pub date: String,
}

/// An entry of the editors' moderation list.
pub struct QueueItem {
    pub key: String,
    pub label: String,
    pub what: String,
}

#[derive(Template)]
#[template(path = "participation/ideas/section.html")]
struct Section<'a> {
    ctx: &'a RequestCtx,
    f: &'a Format,
    form: &'a FormView,
    ideas: Vec<IdeaView>,
    total: usize,
    fields: Vec<(i64, String)>,
    filter_field: String,
    sort: &'static str,
    sorts: [&'static str; 2],
    can_contribute: bool,
    join_hint: Option<&'static str>,
    is_editor: bool,
    measures: Vec<(i64, String)>,
    queue: Vec<QueueItem>,
    /// The per-item form the kept values and errors belong to (`idee-5`, `kommentar-9`), if any.
    target: String,
    located: usize,
}

/// A query parameter of the current request (the section has no extractor of its own).
fn query_param(path: &str, name: &str) -> String {
    path.split_once('?')
        .and_then(|(_, q)| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default()
}

fn coordinate(v: f64) -> String {
    let s = format!("{v:.7}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Measures linked to ideas that the viewer may see, per idea.
fn links_by_idea(links: Vec<store::ideas::Link>, f: &Format) -> HashMap<i64, Vec<(i64, String)>> {
    let mut by: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (idea, mid, title, vis) in links {
        let v = Visibility::parse(&vis).unwrap_or(Visibility::Intern);
        if f.city.may_see(v) {
            by.entry(idea).or_default().push((mid, title));
        }
    }
    by
}

/// The section of the format page; `form` carries kept values and errors of a refused post.
async fn render_section(
    state: &AppState,
    ctx: &RequestCtx,
    f: &Format,
    form: &FormView,
) -> Result<String, AppError> {
    let db = &state.db;
    let is_editor = f.city.can_edit;
    let me = f.participant.as_ref().map(|p| p.id);
    let sort = Sort::parse(&query_param(&ctx.path, "sortierung"));
    let filter_field = query_param(&ctx.path, "feld");
    let filter_id = filter_field.parse::<i64>().ok();

    let all = store::ideas::list(db, f.p.id, sort).await?;
    let comments = store::ideas::comments(db, f.p.id).await?;
    let links = links_by_idea(store::ideas::links(db, f.p.id).await?, f);
    let fields: Vec<(i64, String)> = store::fields::selected(db, f.city.m.id)
        .await?
        .into_iter()
        .map(|c| (c.field_id, c.name))
        .collect();
    let (supported, reported): (HashSet<i64>, HashSet<(String, i64)>) = match me {
        Some(pid) => {
            let votes = store::votes::mine(db, pid).await?;
            let reports = store::ideas::reports_of(db, pid).await?;
            (
                votes
                    .into_iter()
                    .filter(|(k, _, _)| k == "idee")
                    .map(|(_, id, _)| id)
                    .collect(),
                reports
                    .into_iter()
                    .map(|r| (r.item_kind, r.item_id))
                    .collect(),
            )
        }
        None => Default::default(),
    };
    let mut open: HashMap<(String, i64), Vec<String>> = HashMap::new();
    let mut measures = Vec::new();
    if is_editor {
        for r in store::ideas::open_reports(db, f.p.id).await? {
            open.entry((r.item_kind, r.item_id))
                .or_default()
                .push(r.reason);
        }
        measures = store::measures::list(
            db,
            f.city.m.id,
            Visibility::Intern,
            &Default::default(),
            Default::default(),
        )
        .await?
        .into_iter()
        .map(|m| (m.id, m.title))
        .collect();
    }

    let mut by_idea: HashMap<i64, Vec<CommentView>> = HashMap::new();
    let mut queue = Vec::new();
    for c in comments {
        let mine = me.is_some() && c.participant_id == me;
        let st = c.state();
        let show = shown(st, mine, is_editor);
        if show == Shown::Nothing {
            continue;
        }
        let key = format!("kommentar-{}", c.id);
        let reports = open
            .remove(&("kommentar".to_string(), c.id))
            .unwrap_or_default();
        if is_editor && (st == State::Pending || !reports.is_empty()) {
            queue.push(QueueItem {
                key: key.clone(),
                label: ctx.t1("ideas-queue-comment", "text", excerpt(&c.body)),
                what: queue_what(ctx, st, &reports),
            });
        }
        by_idea.entry(c.idea_id).or_default().push(CommentView {
            reported: reported.contains(&("kommentar".to_string(), c.id)),
            key,
            id: c.id,
            full: show == Shown::Full,
            pending: st == State::Pending,
            hidden_reason: hidden_reason(st, &c.hidden_reason),
            mine,
            reports,
            date: date_of(c.created_at),
            body: c.body,
        });
    }

    let mut ideas = Vec::new();
    let mut idea_queue = Vec::new();
    let mut located = 0;
    for i in all {
        let mine = me.is_some() && i.participant_id == me;
        let st = i.state();
        let show = shown(st, mine, is_editor);
        if show == Shown::Nothing {
            continue;
        }
        if st == State::Visible && i.lat.is_some() {
            located += 1;
        }
        let key = format!("idee-{}", i.id);
        let reports = open.remove(&("idee".to_string(), i.id)).unwrap_or_default();
        if is_editor && (st == State::Pending || !reports.is_empty()) {
            idea_queue.push(QueueItem {
                key: key.clone(),
                label: ctx.t1("ideas-queue-idea", "title", &i.title),
                what: queue_what(ctx, st, &reports),
            });
        }
        if filter_id.is_some() && i.field_id != filter_id {
            continue;
        }
        ideas.push(IdeaView {
            supported: supported.contains(&i.id),
            reported: reported.contains(&("idee".to_string(), i.id)),
            comments: if show == Shown::Full {
                by_idea.remove(&i.id).unwrap_or_default()
            } else {
                vec![]
            },
            links: links.get(&i.id).cloned().unwrap_or_default(),
            location: i
                .lat
                .zip(i.lon)
                .map(|(a, o)| (coordinate(a), coordinate(o))),
            key,
            id: i.id,
            full: show == Shown::Full,
            visible: st == State::Visible,
            pending: st == State::Pending,
            hidden_reason: hidden_reason(st, &i.hidden_reason),
            mine,
            reports,
            support: i.support,
            comment_count: i.comments,
            field_name: i.field_name,
            date: date_of(i.created_at),
            title: i.title,
            body: i.body,
        });
    }
    idea_queue.extend(queue);

    let active = f.active_participant().is_some();
    let join_hint = match (f.phase, f.participant.as_ref()) {
        _ if active => None,
        (Phase::NotYet, _) => Some("ideas-not-yet"),
        (Phase::Closed, _) => Some("ideas-closed"),
        (Phase::Open, None) => Some("ideas-join-hint"),
        (Phase::Open, Some(_)) => None,
    };
    let section = Section {
        ctx,
        f,
        form,
        total: ideas.len(),
        ideas,
        fields,
        filter_field,
        sort: sort.as_str(),
        sorts: [Sort::Newest.as_str(), Sort::Support.as_str()],
        can_contribute: active,
        join_hint,
        is_editor,
        measures,
        queue: idea_queue,
        target: form.value("for").to_string(),
        located,
    };
    Ok(section.render()?)
}

fn hidden_reason(st: State, reason: &Option<String>) -> Option<String> {
    (st == State::Hidden).then(|| reason.clone().unwrap_or_default())
}

fn excerpt(text: &str) -> String {
    let mut s: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        s.push('…');
    }
    s
}

fn queue_what(ctx: &RequestCtx, st: State, reports: &[String]) -> String {
    let mut parts = Vec::new();
    if st == State::Pending {
        parts.push(ctx.t("ideas-pending"));
    }
    if !reports.is_empty() {
        parts.push(format!(
            "{} {}",
            ctx.t1("ideas-reports", "n", reports.len()),
            reports.join(" · ")
        ));
    }
    parts.join("; ")
}

pub async fn section(state: &AppState, ctx: &RequestCtx, f: &Format) -> Result<String, AppError> {
    render_section(state, ctx, f, &FormView::new()).await
}

/// The format page with this section rendered with kept values and errors (a refused form post).
pub(super) async fn page(
    state: &AppState,
    ctx: RequestCtx,
    f: Format,
    form: FormView,
    status: StatusCode,
) -> Result<Response, AppError> {
    let section = render_section(state, &ctx, &f, &form).await?;
    let codes = if f.city.can_edit && f.p.access == "code" {
        store::participation::code_counts(&state.db, f.p.id).await?
    } else {
        (0, 0)
    };
    let page = ShowPage {
        period: format!("{} – {}", date_of(f.p.opens_at), date_of(f.p.closes_at)),
        phase: match f.phase {
            Phase::NotYet => "bald",
            Phase::Open => "offen",
            Phase::Closed => "beendet",
        },
        section,
        form,
        notice: None,
        codes,
        ctx,
        f,
    };
    Ok((status, render(&page)?).into_response())
}

// ---------------------------------------------------------------------------------------------------------
// Results

#[derive(Template)]
#[template(path = "participation/ideas/results.html")]
struct Results<'a> {
    ctx: &'a RequestCtx,
    f: &'a Format,
    /// `(rank, title, field, support, comments)` of the visible ideas, most support first.
    ranking: Vec<(usize, String, String, i64, i64)>,
    support_chart: String,
    /// `(field, ideas, support)`.
    per_field: Vec<(String, i64, i64)>,
    field_chart: String,
    located: usize,
    chart_top: usize,
}

/// Bars in the support chart (the table lists all ideas).
const CHART_TOP: usize = 20;

/// Ideas everyone sees, most support first.
async fn visible_ideas(state: &AppState, f: &Format) -> Result<Vec<Idea>, AppError> {
    Ok(store::ideas::list(&state.db, f.p.id, Sort::Support)
        .await?
        .into_iter()
        .filter(|i| i.state() == State::Visible)
        .collect())
}

/// `(field, ideas, support)` per field of action, most ideas first; ideas without a field last.
fn per_field(ideas: &[Idea], none: &str) -> Vec<(String, i64, i64)> {
    let mut m: BTreeMap<Option<String>, (i64, i64)> = BTreeMap::new();
    for i in ideas {
        let e = m.entry(i.field_name.clone()).or_default();
        e.0 += 1;
        e.1 += i.support;
    }
    let mut rows: Vec<(Option<String>, i64, i64)> =
        m.into_iter().map(|(k, (n, s))| (k, n, s)).collect();
    rows.sort_by(|a, b| {
        a.0.is_none()
            .cmp(&b.0.is_none())
            .then(b.1.cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
    rows.into_iter()
        .map(|(k, n, s)| (k.unwrap_or_else(|| none.to_string()), n, s))
        .collect()
}

pub async fn results(state: &AppState, ctx: &RequestCtx, f: &Format) -> Result<String, AppError> {
    let ideas = visible_ideas(state, f).await?;
    let none = ctx.t("ideas-no-field");
    let ranking: Vec<(usize, String, String, i64, i64)> = ideas
        .iter()
        .enumerate()
        .map(|(k, i)| {
            (
                k + 1,
                i.title.clone(),
                i.field_name.clone().unwrap_or_else(|| none.clone()),
                i.support,
                i.comments,
            )
        })
        .collect();
    let bars: Vec<(String, f64, String)> = ideas
        .iter()
        .take(CHART_TOP)
        .map(|i| {
            (
                i.title.clone(),
                i.support as f64,
                ctx.t1("ideas-support-n", "n", i.support),
            )
        })
        .collect();
    let support_chart = if bars.is_empty() {
        String::new()
    } else {
        crate::charts::bar_chart(
            "ideas-support-chart",
            &ctx.t("ideas-results-support"),
            &bars,
            None,
        )
    };
    let per_field = per_field(&ideas, &none);
    let field_bars: Vec<(String, f64, String)> = per_field
        .iter()
        .map(|(name, n, _)| (name.clone(), *n as f64, ctx.t1("ideas-count", "n", n)))
        .collect();
    let field_chart = if field_bars.is_empty() {
        String::new()
    } else {
        crate::charts::bar_chart(
            "ideas-field-chart",
            &ctx.t("ideas-results-fields"),
            &field_bars,
            None,
        )
    };
    let page = Results {
        ctx,
        f,
        located: ideas.iter().filter(|i| i.lat.is_some()).count(),
        ranking,
        support_chart,
        per_field,
        field_chart,
        chart_top: CHART_TOP,
    };
    Ok(page.render()?)
}

/// One row per idea (editors: every idea with its state; everyone else: the visible ones).
pub async fn result_table(
    state: &AppState,
    f: &Format,
) -> Result<(Vec<String>, Vec<Vec<String>>), AppError> {
    let de = Lang::De;
    let header = [
        "id", "title", "text", "field", "support", "comments", "state", "lat", "lon", "measures",
    ]
    .iter()
    .map(|k| de.t(&format!("ideas-col-{k}")))
    .collect();
    let ideas: Vec<Idea> = store::ideas::list(&state.db, f.p.id, Sort::Support)
        .await?
        .into_iter()
        .filter(|i| f.city.can_edit || i.state() == State::Visible)
        .collect();
    let links = links_by_idea(store::ideas::links(&state.db, f.p.id).await?, f);
    let rows = ideas
        .into_iter()
        .map(|i| {
            let measures = links
                .get(&i.id)
                .map(|l| {
                    l.iter()
                        .map(|(id, t)| format!("{t} (#{id})"))
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default();
            vec![
                i.id.to_string(),
                i.title.clone(),
                i.body.clone(),
                i.field_name.clone().unwrap_or_default(),
                i.support.to_string(),
                i.comments.to_string(),
                de.t(&format!("ideas-state-{}", i.state)),
                i.lat.map(coordinate).unwrap_or_default(),
                i.lon.map(coordinate).unwrap_or_default(),
                measures,
            ]
        })
        .collect();
    Ok((header, rows))
}

fn comment_json(c: &Comment) -> serde_json::Value {
    serde_json::json!({
        "id": c.id,
        "idee_id": c.idea_id,
        "text": c.body,
        "status": c.state,
        "ausblendegrund": c.hidden_reason,
        "erstellt": date_of(c.created_at),
    })
}

/// This participant's ideas, comments, supports and reports (DSGVO download).
pub async fn export_of(
    state: &AppState,
    participant_id: i64,
) -> Result<serde_json::Value, AppError> {
    let c = store::ideas::contributions_of(&state.db, participant_id).await?;
    let ideas: Vec<serde_json::Value> = c
        .ideas
        .iter()
        .map(|i| {
            serde_json::json!({
                "id": i.id,
                "titel": i.title,
                "text": i.body,
                "handlungsfeld": i.field_name,
                "breite": i.lat,
                "laenge": i.lon,
                "status": i.state,
                "ausblendegrund": i.hidden_reason,
                "unterstuetzungen": i.support,
                "erstellt": date_of(i.created_at),
            })
        })
        .collect();
    let comments: Vec<serde_json::Value> = c.comments.iter().map(comment_json).collect();
    let supports: Vec<serde_json::Value> = c
        .supports
        .iter()
        .map(|(id, title)| serde_json::json!({ "idee_id": id, "titel": title }))
        .collect();
    let reports: Vec<serde_json::Value> = c
        .reports
        .iter()
        .map(|r| {
            serde_json::json!({
                "art": r.item_kind,
                "id": r.item_id,
                "grund": r.reason,
                "erstellt": date_of(r.created_at),
            })
        })
        .collect();
    Ok(serde_json::json!({
        "ideen": ideas,
        "kommentare": comments,
        "unterstuetzungen": supports,
        "meldungen": reports,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_params_and_coordinates() {
        assert_eq!(
            query_param("/x?feld=12&sortierung=unterstuetzung", "sortierung"),
            "unterstuetzung"
        );
        assert_eq!(query_param("/x?feld=12", "sortierung"), "");
        assert_eq!(query_param("/x", "feld"), "");
        assert_eq!(coordinate(51.3967), "51.3967");
        assert_eq!(coordinate(8.0), "8");
    }
}
