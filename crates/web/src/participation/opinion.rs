//! Opinion map (Meinungsbild, Pol.is-style): participants agree, disagree or pass on short statements; the
//! `opinion` crate finds opinion groups, places everybody on a map and names each group's representative
//! statements and the statements with broad consensus.
//!
//! Editors add seed statements (accepted at once) and moderate the participants' statements (which start
//! pending and become votable once accepted). Votes go through the node's group-commit writer. The analysis
//! is kept per node in memory and recomputed at most every [`MIN_INTERVAL`] when the conversation changed,
//! warm-started from the previous analysis; requests in between are served the cached analysis (a delayed
//! recomputation catches up). Import and export use Pol.is' `comments.csv` and `votes.csv`: two downloads,
//! and an import form with two text areas for the contents of the two files (no multipart needed).

use super::pages::ShowPage;
use super::{Format, date_of};
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::{Form, wants_json};
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::CookieJar;
use domain::participation::{Kind, Phase};
use opinion::{Analysis, Conversation, Options};
use serde::Deserialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};
use store::opinions::{ACCEPTED, MAX_LEN, PENDING, REJECTED, Statement};
use store::votes::VoteOp;

/// Statements a participant votes on before the map is shown to them (fewer if there are fewer).
pub const MAP_AFTER_VOTES: usize = 3;
/// Statements a participant may add per hour.
pub const STATEMENT_RATE: (i64, i64) = (5, 3600);
/// Shortest time between two recomputations of a format's analysis on this node.
pub const MIN_INTERVAL: Duration = Duration::from_secs(2);

pub fn routes() -> Router<AppState> {
    const BASE: &str = "/kommunen/{slug}/beteiligung/{id}/meinungsbild";
    Router::new()
        .route(&format!("{BASE}/abstimmen"), post(vote))
        .route(&format!("{BASE}/aussagen"), post(add_statement))
        .route(
            &format!("{BASE}/aussagen/{{sid}}/moderation"),
            post(moderate),
        )
        .route(&format!("{BASE}/comments.csv"), get(comments_csv))
        .route(&format!("{BASE}/votes.csv"), get(votes_csv))
        .route(&format!("{BASE}/import"), post(import))
        .route("/api/v1/participations/{id}/opinions", get(api_opinions))
}

fn require_opinion(f: &Format) -> Result<(), AppError> {
    if f.kind == Kind::Meinungsbild {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

// ---------------------------------------------------------------------------------------------------------
// The analysis and its cache

struct Entry {
    key: [i64; 5],
    analysis: Arc<Analysis>,
    computed: Instant,
    busy: bool,
    scheduled: bool,
}

/// `(node, participation id, created_at)`: the node is the address of its metrics (several apps may run in
/// one process, e.g. in tests), the municipality guards against a reused id.
type CacheKey = (usize, i64, i64);

static CACHE: LazyLock<Mutex<HashMap<CacheKey, Entry>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn cache_key(state: &AppState, f: &Format) -> CacheKey {
    (
        Arc::as_ptr(&state.metrics) as usize,
        f.p.id,
        f.p.municipality_id,
    )
}

/// A format's conversation: accepted and rejected (moderated-out) statements, the votes in the order cast,
/// and the times of both.
async fn conversation(
    state: &AppState,
    participation_id: i64,
) -> Result<(Conversation, opinion::polis::Times, Vec<Statement>), AppError> {
    let statements = store::opinions::list(&state.db, participation_id).await?;
    let votes = store::opinions::votes(&state.db, participation_id).await?;
    let mut c = Conversation::default();
    let mut times = opinion::polis::Times::default();
    for s in statements.iter().filter(|s| s.state != PENDING) {
        c.statements.push(opinion::Statement {
            id: s.id,
            text: s.text.clone(),
            author: s.participant_id,
            moderated_out: s.state == REJECTED,
        });
        times.statements.push(s.created_at);
    }
    for (participant, statement, value, at) in votes {
        c.votes.push(opinion::Vote {
            participant,
            statement,
            value: value.clamp(-1, 1) as i8,
        });
        times.votes.push(at);
    }
    Ok((c, times, statements))
}

/// Recompute the analysis from the database, warm-started from `previous`, and store it.
async fn recompute(
    state: &AppState,
    participation_id: i64,
    ck: CacheKey,
    previous: Option<Arc<Analysis>>,
) -> Result<Arc<Analysis>, AppError> {
    let result = async {
        // The fingerprint is read first: a vote arriving while loading makes the next request recompute.
        let key = store::opinions::fingerprint(&state.db, participation_id).await?;
        let (c, _, _) = conversation(state, participation_id).await?;
        let a = tokio::task::spawn_blocking(move || {
            opinion::analyze_from(&c, &Options::default(), previous.as_deref())
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok::<_, AppError>((key, Arc::new(a)))
    }
    .await;
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    match result {
        Ok((key, a)) => {
            cache.insert(
                ck,
                Entry {
                    key,
                    analysis: a.clone(),
                    computed: Instant::now(),
                    busy: false,
                    scheduled: false,
                },
            );
            Ok(a)
        }
        Err(e) => {
            if let Some(entry) = cache.get_mut(&ck) {
                entry.busy = false;
            }
            Err(e)
        }
    }
}

/// The format's current analysis: cached while nothing changed; after a change recomputed at once unless
/// the last computation is less than [`MIN_INTERVAL`] old or running — then the cached one is served and
/// a recomputation is scheduled.
async fn current(state: &AppState, f: &Format) -> Result<Arc<Analysis>, AppError> {
    let ck = cache_key(state, f);
    let key = store::opinions::fingerprint(&state.db, f.p.id).await?;
    let previous = {
        let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
        match cache.get_mut(&ck) {
            Some(e) if e.key == key => return Ok(e.analysis.clone()),
            Some(e) if e.busy || e.computed.elapsed() < MIN_INTERVAL => {
                if !e.scheduled {
                    e.scheduled = true;
                    let wait = MIN_INTERVAL.saturating_sub(e.computed.elapsed())
                        + Duration::from_millis(50);
                    let state = state.clone();
                    let pid = f.p.id;
                    tokio::spawn(async move {
                        tokio::time::sleep(wait).await;
                        let previous = {
                            let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
                            match cache.get_mut(&ck) {
                                Some(e) if !e.busy => {
                                    e.busy = true;
                                    Some(e.analysis.clone())
                                }
                                Some(e) => {
                                    e.scheduled = false;
                                    return;
                                }
                                None => None,
                            }
                        };
                        if let Err(e) = recompute(&state, pid, ck, previous).await {
                            tracing::warn!(error = %e, participation_id = pid, "opinion map not recomputed");
                        }
                    });
                }
                return Ok(e.analysis.clone());
            }
            Some(e) => {
                e.busy = true;
                Some(e.analysis.clone())
            }
            None => None,
        }
    };
    recompute(state, f.p.id, ck, previous).await
}

// ---------------------------------------------------------------------------------------------------------
// Views

fn group_label(ctx: &RequestCtx, g: usize) -> String {
    let letter = (b'A' + (g % 26) as u8) as char;
    ctx.t1("opinion-group", "name", letter)
}

fn percent(part: usize, whole: usize) -> i64 {
    if whole == 0 {
        0
    } else {
        ((part as f64) * 100.0 / (whole as f64)).round() as i64
    }
}

pub struct RepView {
    pub text: String,
    pub agree: bool,
    pub percent: i64,
}

pub struct GroupView {
    pub label: String,
    pub size: usize,
    pub reps: Vec<RepView>,
}

pub struct ConsensusView {
    pub text: String,
    pub agree: bool,
    pub percent: i64,
}

/// The map, the group tables and the consensus statements.
pub struct MapView {
    pub svg: String,
    pub groups: Vec<GroupView>,
    pub consensus: Vec<ConsensusView>,
    pub placed: usize,
    pub ungrouped: usize,
}

type Counts = HashMap<i64, (i64, i64, i64)>;

async fn counts(state: &AppState, pid: i64) -> Result<Counts, AppError> {
    Ok(store::opinions::counts(&state.db, pid)
        .await?
        .into_iter()
        .map(|(s, a, d, p)| (s, (a, d, p)))
        .collect())
}

fn map_view(ctx: &RequestCtx, a: &Analysis, me: Option<i64>, counts: &Counts) -> MapView {
    let labels: Vec<String> = a.groups.iter().map(|g| group_label(ctx, g.id)).collect();
    let points: Vec<(f64, f64, Option<usize>, bool)> = a
        .participants
        .iter()
        .map(|p| (p.x, p.y, p.group, Some(p.participant) == me))
        .collect();
    let svg = crate::charts::scatter_map_labelled(
        "opinion-map",
        &ctx.t("opinion-map-title"),
        &points,
        &labels,
        &ctx.t("opinion-map-me"),
    );
    let groups = a
        .groups
        .iter()
        .map(|g| GroupView {
            label: group_label(ctx, g.id),
            size: g.members.len(),
            reps: g
                .representative
                .iter()
                .map(|r| RepView {
                    text: r.text.clone(),
                    agree: r.agree,
                    percent: percent(r.n_success, r.n_trials),
                })
                .collect(),
        })
        .collect();
    let consensus = a
        .consensus
        .iter()
        .map(|c| {
            let (ag, di, pa) = counts.get(&c.statement).copied().unwrap_or((0, 0, 0));
            let n = (ag + di + pa) as usize;
            ConsensusView {
                text: c.text.clone(),
                agree: c.agree,
                percent: percent(if c.agree { ag } else { di } as usize, n),
            }
        })
        .collect();
    MapView {
        svg,
        groups,
        consensus,
        placed: a.participants.len(),
        ungrouped: a.participants.iter().filter(|p| p.group.is_none()).count(),
    }
}

/// A statement with its counts (and the viewer's vote).
#[derive(Clone)]
pub struct Row {
    pub s: Statement,
    pub agree: i64,
    pub disagree: i64,
    pub pass: i64,
    pub mine: Option<i64>,
}

#[derive(Template)]
#[template(path = "participation/opinion/section.html")]
struct Section<'a> {
    ctx: &'a RequestCtx,
    f: &'a Format,
    form: &'a FormView,
    can_vote: bool,
    /// Accepted statements the viewer has not voted on yet.
    open: Vec<Row>,
    /// Accepted statements the viewer voted on.
    voted: Vec<Row>,
    /// Editors: pending statements.
    pending: Vec<Row>,
    /// Editors: every statement.
    all: Vec<Row>,
    map: Option<MapView>,
    /// Votes still needed before the map is shown.
    votes_needed: usize,
    max_len: usize,
}

async fn render_section(
    state: &AppState,
    ctx: &RequestCtx,
    f: &Format,
    form: &FormView,
) -> Result<String, AppError> {
    let statements = store::opinions::list(&state.db, f.p.id).await?;
    let counts = counts(state, f.p.id).await?;
    let me = f.participant.as_ref().map(|p| p.id);
    let mine: HashMap<i64, i64> = match me {
        Some(id) => store::votes::my_opinions(&state.db, id)
            .await?
            .into_iter()
            .collect(),
        None => HashMap::new(),
    };
    let rows: Vec<Row> = statements
        .into_iter()
        .map(|s| {
            let (agree, disagree, pass) = counts.get(&s.id).copied().unwrap_or((0, 0, 0));
            Row {
                mine: mine.get(&s.id).copied(),
                s,
                agree,
                disagree,
                pass,
            }
        })
        .collect();
    let accepted = rows.iter().filter(|r| r.s.state == ACCEPTED).count();
    let my_votes = rows
        .iter()
        .filter(|r| r.s.state == ACCEPTED && r.mine.is_some())
        .count();
    let votes_needed = MAP_AFTER_VOTES.min(accepted).saturating_sub(my_votes);
    let show_map = f.city.can_edit || (me.is_some() && accepted > 0 && votes_needed == 0);
    let map = if show_map {
        let a = current(state, f).await?;
        (!a.participants.is_empty()).then(|| map_view(ctx, &a, me, &counts))
    } else {
        None
    };
    let can_vote = f.active_participant().is_some();
    let (mut open, mut voted, mut pending, mut all) = (vec![], vec![], vec![], vec![]);
    for r in rows {
        if f.city.can_edit {
            all.push(r.clone());
            if r.s.state == PENDING {
                pending.push(r.clone());
            }
        }
        if r.s.state == ACCEPTED {
            if r.mine.is_some() {
                voted.push(r);
            } else {
                open.push(r);
            }
        }
    }
    let s = Section {
        ctx,
        f,
        form,
        can_vote,
        open,
        voted,
        pending,
        all,
        map,
        votes_needed,
        max_len: MAX_LEN,
    };
    Ok(s.render()?)
}

pub async fn section(state: &AppState, ctx: &RequestCtx, f: &Format) -> Result<String, AppError> {
    render_section(state, ctx, f, &FormView::new()).await
}

/// The format page with this section showing kept values and errors (a refused form post).
async fn page(
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

#[derive(Template)]
#[template(path = "participation/opinion/results.html")]
struct Results<'a> {
    ctx: &'a RequestCtx,
    map: Option<MapView>,
    rows: Vec<Row>,
}

pub async fn results(state: &AppState, ctx: &RequestCtx, f: &Format) -> Result<String, AppError> {
    let a = current(state, f).await?;
    let counts = counts(state, f.p.id).await?;
    let me = f.participant.as_ref().map(|p| p.id);
    let map = (!a.participants.is_empty()).then(|| map_view(ctx, &a, me, &counts));
    let rows = store::opinions::list(&state.db, f.p.id)
        .await?
        .into_iter()
        .filter(|s| s.state == ACCEPTED)
        .map(|s| {
            let (agree, disagree, pass) = counts.get(&s.id).copied().unwrap_or((0, 0, 0));
            Row {
                s,
                agree,
                disagree,
                pass,
                mine: None,
            }
        })
        .collect();
    Ok(Results { ctx, map, rows }.render()?)
}

/// Per group and statement: `(agree, votes)` of the group's members.
fn group_counts(a: &Analysis, votes: &[(i64, i64, i64, i64)]) -> Vec<HashMap<i64, (usize, usize)>> {
    let member: HashMap<i64, usize> = a
        .groups
        .iter()
        .enumerate()
        .flat_map(|(i, g)| g.members.iter().map(move |m| (*m, i)))
        .collect();
    let mut out = vec![HashMap::new(); a.groups.len()];
    for (participant, statement, value, _) in votes {
        if let Some(&g) = member.get(participant) {
            let e: &mut (usize, usize) = out[g].entry(*statement).or_default();
            e.1 += 1;
            if *value == 1 {
                e.0 += 1;
            }
        }
    }
    out
}

pub async fn result_table(
    state: &AppState,
    f: &Format,
) -> Result<(Vec<String>, Vec<Vec<String>>), AppError> {
    let a = current(state, f).await?;
    let counts = counts(state, f.p.id).await?;
    let votes = store::opinions::votes(&state.db, f.p.id).await?;
    let per_group = group_counts(&a, &votes);
    let consensus: HashSet<i64> = a.consensus.iter().map(|c| c.statement).collect();
    let mut header: Vec<String> = [
        "ID",
        "Aussage",
        "Status",
        "Zustimmung",
        "Ablehnung",
        "Überspringen",
        "Konsens",
    ]
    .map(String::from)
    .to_vec();
    for g in &a.groups {
        let letter = (b'A' + (g.id % 26) as u8) as char;
        header.push(format!("Gruppe {letter}: Zustimmung %"));
    }
    let statements = store::opinions::list(&state.db, f.p.id).await?;
    let body = statements
        .iter()
        .map(|s| {
            let (ag, di, pa) = counts.get(&s.id).copied().unwrap_or((0, 0, 0));
            let mut row = vec![
                s.id.to_string(),
                s.text.clone(),
                s.state.clone(),
                ag.to_string(),
                di.to_string(),
                pa.to_string(),
                if consensus.contains(&s.id) {
                    "ja"
                } else {
                    "nein"
                }
                .to_string(),
            ];
            for g in &per_group {
                row.push(match g.get(&s.id) {
                    Some((agree, n)) if *n > 0 => percent(*agree, *n).to_string(),
                    _ => String::new(),
                });
            }
            row
        })
        .collect();
    Ok((header, body))
}

pub async fn export_of(
    state: &AppState,
    participant_id: i64,
) -> Result<serde_json::Value, AppError> {
    let statements = store::opinions::by_participant(&state.db, participant_id).await?;
    let votes = store::opinions::votes_of(&state.db, participant_id).await?;
    Ok(json!({
        "aussagen": statements.iter().map(|s| json!({"id": s.id, "text": s.text, "status": s.state, "erstellt": s.created_at})).collect::<Vec<_>>(),
        "stimmen": votes.iter().map(|(id, text, value, at)| json!({
            "aussage": id, "text": text, "stimme": value,
            "bedeutung": match value { 1 => "Zustimmung", -1 => "Ablehnung", _ => "Überspringen" },
            "zeit": at,
        })).collect::<Vec<_>>(),
    }))
}

// ---------------------------------------------------------------------------------------------------------
// Form posts

async fn load(
    state: &AppState,
    ctx: &RequestCtx,
    jar: &CookieJar,
    slug: &str,
    id: i64,
) -> Result<Format, AppError> {
    let f = Format::load(state, ctx, jar, slug, id).await?;
    require_opinion(&f)?;
    Ok(f)
}

/// Done: redirect to the format page with a notice (or JSON). Refused: the page with the message and kept
/// values, 422 (or JSON).
async fn done(
    ctx: &RequestCtx,
    headers: &HeaderMap,
    f: &Format,
    ok: &str,
    anchor: &str,
    details: serde_json::Value,
) -> Result<Response, AppError> {
    if wants_json(headers) {
        Ok(
            Json(
                json!({"ok": true, "notice": ctx.tk("participation-ok-", ok), "details": details}),
            )
            .into_response(),
        )
    } else {
        Ok(Redirect::to(&f.path(&format!("?ok={ok}#{anchor}"))).into_response())
    }
}

async fn refuse(
    state: &AppState,
    ctx: RequestCtx,
    headers: &HeaderMap,
    f: Format,
    field: &'static str,
    code: &'static str,
    kept: &[(&str, &str)],
) -> Result<Response, AppError> {
    if wants_json(headers) {
        let body = json!({"ok": false, "field": field, "code": code, "message": ctx.t(code)});
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response());
    }
    let mut form = FormView::new();
    for (k, v) in kept {
        form = form.with(k, v);
    }
    let form = form.with_error(&ctx, field, code);
    page(state, ctx, f, form, StatusCode::UNPROCESSABLE_ENTITY).await
}

fn contributor(f: &Format) -> Result<i64, &'static str> {
    match f.active_participant() {
        Some(p) => Ok(p.id),
        None if f.phase != Phase::Open => Err("err-participation-closed"),
        None => Err("err-participation-join-first"),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct VoteForm {
    statement_id: String,
    value: String,
}

/// Agree (1), disagree (-1) or pass (0) on an accepted statement; a later vote replaces the earlier one.
pub async fn vote(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(v): Form<VoteForm>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    const FIELD: &str = "opinion_vote";
    let pid = match contributor(&f) {
        Ok(p) => p,
        Err(code) => return refuse(&state, ctx, &headers, f, FIELD, code, &[]).await,
    };
    let value = match v.value.trim() {
        "1" | "+1" => 1,
        "-1" => -1,
        "0" => 0,
        _ => {
            return refuse(
                &state,
                ctx,
                &headers,
                f,
                FIELD,
                "err-opinion-vote-value",
                &[],
            )
            .await;
        }
    };
    let Ok(statement_id) = v.statement_id.trim().parse::<i64>() else {
        return refuse(&state, ctx, &headers, f, FIELD, "err-vote-unknown", &[]).await;
    };
    let op = VoteOp::Opinion {
        participation_id: f.p.id,
        participant_id: pid,
        statement_id,
        value,
    };
    match state.votes.submit(op).await {
        Ok(Ok(_)) => {
            let details = json!({"statement": statement_id, "value": value});
            done(&ctx, &headers, &f, "opinion-voted", "meinungsbild", details).await
        }
        Ok(Err(code)) => refuse(&state, ctx, &headers, f, FIELD, code, &[]).await,
        Err(e) => Err(AppError::Unavailable(e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatementForm {
    opinion_text: String,
    website: String,
}

/// Check a statement's text: the trimmed text or a message key.
fn statement_text(raw: &str) -> Result<String, &'static str> {
    let t = raw.trim();
    if t.is_empty() {
        Err("err-opinion-text-empty")
    } else if t.chars().count() > MAX_LEN {
        Err("err-opinion-text-long")
    } else {
        Ok(t.to_string())
    }
}

/// Add a statement: editors' seed statements are accepted at once, participants' wait for moderation.
pub async fn add_statement(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(input): Form<StatementForm>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    const FIELD: &str = "opinion_text";
    let kept = [(FIELD, input.opinion_text.as_str())];
    if !domain::participation::honeypot_ok(&input.website) {
        tracing::info!(
            participation_id = f.p.id,
            "honeypot filled; statement refused"
        );
        return refuse(&state, ctx, &headers, f, FIELD, "err-honeypot", &kept).await;
    }
    if f.city.can_edit {
        let text = match statement_text(&input.opinion_text) {
            Ok(t) => t,
            Err(code) => return refuse(&state, ctx, &headers, f, FIELD, code, &kept).await,
        };
        let sid = store::opinions::create(&state.db, f.p.id, None, &text, ACCEPTED).await?;
        tracing::info!(
            participation_id = f.p.id,
            statement = sid,
            "seed statement added"
        );
        let details = json!({"id": sid, "state": ACCEPTED});
        return done(
            &ctx,
            &headers,
            &f,
            "opinion-seeded",
            "meinungsbild-neu",
            details,
        )
        .await;
    }
    let pid = match contributor(&f) {
        Ok(p) => p,
        Err(code) => return refuse(&state, ctx, &headers, f, FIELD, code, &kept).await,
    };
    let text = match statement_text(&input.opinion_text) {
        Ok(t) => t,
        Err(code) => return refuse(&state, ctx, &headers, f, FIELD, code, &kept).await,
    };
    let (limit, window) = STATEMENT_RATE;
    if !store::participation::rate_hit(&state.db, &format!("opinion:{pid}"), window, limit).await? {
        return refuse(&state, ctx, &headers, f, FIELD, "err-rate-limit", &kept).await;
    }
    let sid = store::opinions::create(&state.db, f.p.id, Some(pid), &text, PENDING).await?;
    tracing::info!(
        participation_id = f.p.id,
        statement = sid,
        "statement submitted"
    );
    let details = json!({"id": sid, "state": PENDING});
    done(&ctx, &headers, &f, "pending", "meinungsbild-neu", details).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ModerationForm {
    decision: String,
}

/// Editors: accept or reject a statement.
pub async fn moderate(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id, sid)): Path<(String, i64, i64)>,
    Form(m): Form<ModerationForm>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    f.require_edit(&ctx)?;
    let st = match m.decision.as_str() {
        ACCEPTED => ACCEPTED,
        REJECTED => REJECTED,
        _ => {
            return refuse(
                &state,
                ctx,
                &headers,
                f,
                "opinion_vote",
                "err-opinion-decision",
                &[],
            )
            .await;
        }
    };
    if !store::opinions::set_state(&state.db, f.p.id, sid, st).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(
        participation_id = f.p.id,
        statement = sid,
        state = st,
        "statement moderated"
    );
    done(
        &ctx,
        &headers,
        &f,
        "moderated",
        "meinungsbild-moderation",
        json!({"id": sid, "state": st}),
    )
    .await
}

// ---------------------------------------------------------------------------------------------------------
// Pol.is import and export

async fn polis_files(state: &AppState, f: &Format) -> Result<(Vec<u8>, Vec<u8>), AppError> {
    let (c, times, _) = conversation(state, f.p.id).await?;
    let (mut comments, mut votes) = (Vec::new(), Vec::new());
    opinion::polis::write_with_times(&c, &times, &mut comments, &mut votes)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((comments, votes))
}

fn csv_download(name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Editors: the statements as Pol.is `comments.csv`.
pub async fn comments_csv(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    f.require_edit(&ctx)?;
    let (comments, _) = polis_files(&state, &f).await?;
    Ok(csv_download("comments.csv", comments))
}

/// Editors: the votes as Pol.is `votes.csv` (participants as numeric ids).
pub async fn votes_csv(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    f.require_edit(&ctx)?;
    let (_, votes) = polis_files(&state, &f).await?;
    Ok(csv_download("votes.csv", votes))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ImportForm {
    opinion_comments: String,
    opinion_votes: String,
}

/// Editors: import a Pol.is conversation (the contents of `comments.csv` and `votes.csv` pasted into two
/// text areas). Statements become accepted statements (rejected ones rejected), every voter an anonymous
/// guest participant without a browser token; the votes go through the vote writer.
pub async fn import(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
    Form(input): Form<ImportForm>,
) -> Result<Response, AppError> {
    let f = load(&state, &ctx, &jar, &slug, id).await?;
    f.require_edit(&ctx)?;
    let kept = [
        ("opinion_comments", input.opinion_comments.as_str()),
        ("opinion_votes", input.opinion_votes.as_str()),
    ];
    let c = match opinion::polis::read(
        input.opinion_comments.as_bytes(),
        input.opinion_votes.as_bytes(),
    ) {
        Ok(c) => c,
        Err(e) => {
            tracing::info!(participation_id = f.p.id, error = %e, "Pol.is import refused");
            let field = if e.to_string().starts_with("votes.csv") {
                "opinion_votes"
            } else {
                "opinion_comments"
            };
            return refuse(&state, ctx, &headers, f, field, "err-opinion-import", &kept).await;
        }
    };
    if c.statements.is_empty() {
        return refuse(
            &state,
            ctx,
            &headers,
            f,
            "opinion_comments",
            "err-opinion-import-empty",
            &kept,
        )
        .await;
    }
    let mut texts = Vec::with_capacity(c.statements.len());
    for s in &c.statements {
        match statement_text(&s.text) {
            Ok(t) => texts.push(t),
            Err(_) => {
                return refuse(
                    &state,
                    ctx,
                    &headers,
                    f,
                    "opinion_comments",
                    "err-opinion-import-text",
                    &kept,
                )
                .await;
            }
        }
    }
    // Voters (and authors) in order of appearance.
    let mut voter_index: HashMap<i64, usize> = HashMap::new();
    let known: HashSet<i64> = c.statements.iter().map(|s| s.id).collect();
    for v in c.votes.iter().filter(|v| known.contains(&v.statement)) {
        let n = voter_index.len();
        voter_index.entry(v.participant).or_insert(n);
    }
    for s in &c.statements {
        if let Some(a) = s.author {
            let n = voter_index.len();
            voter_index.entry(a).or_insert(n);
        }
    }
    let statements: Vec<(String, Option<usize>)> = c
        .statements
        .iter()
        .zip(texts)
        .map(|(s, t)| (t, s.author.and_then(|a| voter_index.get(&a).copied())))
        .collect();
    let (people, ids) =
        store::opinions::import(&state.db, f.p.id, voter_index.len(), &statements).await?;
    let statement_id: HashMap<i64, i64> = c
        .statements
        .iter()
        .zip(&ids)
        .map(|(s, id)| (s.id, *id))
        .collect();
    // The last vote per voter and statement counts.
    let mut last: HashMap<(i64, i64), i8> = HashMap::new();
    for v in &c.votes {
        last.insert((v.participant, v.statement), v.value);
    }
    let ops: Vec<VoteOp> = last
        .iter()
        .filter_map(|((voter, statement), value)| {
            Some(VoteOp::Opinion {
                participation_id: f.p.id,
                participant_id: people[*voter_index.get(voter)?],
                statement_id: *statement_id.get(statement)?,
                value: i64::from(value.signum()),
            })
        })
        .collect();
    let mut counted = 0usize;
    for chunk in ops.chunks(512) {
        let results =
            futures_util::future::join_all(chunk.iter().map(|op| state.votes.submit(op.clone())))
                .await;
        for r in results {
            match r {
                Ok(Ok(_)) => counted += 1,
                Ok(Err(code)) => tracing::warn!(code, "imported vote refused"),
                Err(e) => return Err(AppError::Unavailable(e)),
            }
        }
    }
    for (s, id) in c.statements.iter().zip(&ids) {
        if s.moderated_out {
            store::opinions::set_state(&state.db, f.p.id, *id, REJECTED).await?;
        }
    }
    tracing::info!(
        participation_id = f.p.id,
        statements = ids.len(),
        voters = people.len(),
        votes = counted,
        "Pol.is conversation imported"
    );
    let details = json!({"statements": ids.len(), "participants": people.len(), "votes": counted});
    done(
        &ctx,
        &headers,
        &f,
        "opinion-imported",
        "meinungsbild-import",
        details,
    )
    .await
}

// ---------------------------------------------------------------------------------------------------------
// JSON API

/// The opinion map of a format: accepted statements with counts, the groups with their representative
/// statements, the consensus statements, and every participant's position and group under an anonymous
/// number (`me`: the caller's own). Counts and the analysis only where the results are visible.
#[utoipa::path(get, path = "/api/v1/participations/{id}/opinions", tag = "participation",
    params(("id" = i64, Path, description = "participation id")),
    responses((status = 200, description = "statements with counts, groups, consensus and positions (when results are visible)"), (status = 404)))]
pub async fn api_opinions(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let p = store::participation::get_any(&state.db, id).await?;
    let m = store::municipalities::by_id(&state.db, p.municipality_id).await?;
    let f = Format::load(&state, &ctx, &jar, &m.slug, id).await?;
    require_opinion(&f)?;
    let statements: Vec<Statement> = store::opinions::list(&state.db, f.p.id)
        .await?
        .into_iter()
        .filter(|s| s.state == ACCEPTED)
        .collect();
    if !f.may_see_results() {
        return Ok(Json(json!({
            "id": f.p.id,
            "title": f.p.title,
            "statements": statements.iter().map(|s| json!({"id": s.id, "text": s.text})).collect::<Vec<_>>(),
            "results": false,
        }))
        .into_response());
    }
    let a = current(&state, &f).await?;
    let counts = counts(&state, f.p.id).await?;
    let consensus: HashSet<i64> = a.consensus.iter().map(|c| c.statement).collect();
    let me = f.participant.as_ref().map(|p| p.id);
    let anon: Vec<serde_json::Value> = a
        .participants
        .iter()
        .enumerate()
        .map(|(i, p)| json!({"id": i + 1, "x": p.x, "y": p.y, "group": p.group, "votes": p.votes}))
        .collect();
    let mine = a
        .participants
        .iter()
        .position(|p| Some(p.participant) == me)
        .map(|i| anon[i].clone());
    let votes: i64 = counts.values().map(|(a, d, p)| a + d + p).sum();
    Ok(Json(json!({
        "id": f.p.id,
        "title": f.p.title,
        "results": true,
        "votes": votes,
        "analysed_votes": a.participants.iter().map(|p| p.votes).sum::<usize>(),
        "statements": statements.iter().map(|s| {
            let (ag, di, pa) = counts.get(&s.id).copied().unwrap_or((0, 0, 0));
            json!({"id": s.id, "text": s.text, "agree": ag, "disagree": di, "pass": pa, "consensus": consensus.contains(&s.id)})
        }).collect::<Vec<_>>(),
        "k": a.k,
        "silhouette": if a.silhouette.is_finite() { json!(a.silhouette) } else { json!(null) },
        "groups": a.groups.iter().map(|g| json!({
            "id": g.id,
            "label": group_label(&ctx, g.id),
            "size": g.members.len(),
            "representative": g.representative.iter().map(|r| json!({
                "statement": r.statement, "text": r.text, "agree": r.agree,
                "probability": r.probability, "percent": percent(r.n_success, r.n_trials),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "consensus": a.consensus.iter().map(|c| json!({
            "statement": c.statement, "text": c.text, "agree": c.agree, "probability": c.probability,
        })).collect::<Vec<_>>(),
        "participants": anon,
        "me": mine,
    }))
    .into_response())
}
