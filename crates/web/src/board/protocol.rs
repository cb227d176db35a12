//! The workshop protocol (Protokoll): compiled from the workshop (agenda, attendance by group with names
//! only where people consented, clusters and cards with their dots and outcomes, voting rounds) plus the
//! moderator's notes (decisions, next steps, notes). Shown as a page, downloaded as Markdown or PDF, and
//! published to members, the network or the public as the city chooses.

use crate::city::City;
use crate::ctx::{Ctx, RequestCtx};
use crate::error::AppError;
use crate::form::Form;
use crate::measures::export::{download, file_name};
use crate::state::AppState;
use crate::view::{FormView, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::visibility::Visibility;
use export::{
    AttendanceGroup, ProtocolAgendaItem, ProtocolCard, ProtocolCluster, ProtocolExport,
    ProtocolRound, RankedItem,
};
use serde::Deserialize;
use store::boards::ProtocolNotes;

/// Who may read the protocol in its publish state.
fn may_read(city: &City, published: &str) -> bool {
    match published {
        "intern" => city.may_see(Visibility::Intern),
        "netzwerk" => city.may_see(Visibility::Netzwerk),
        "oeffentlich" => true,
        _ => city.can_edit,
    }
}

/// Compile the protocol of a workshop.
pub async fn compile(
    state: &AppState,
    city: &City,
    workshop_id: i64,
    notes: &ProtocolNotes,
) -> Result<ProtocolExport, AppError> {
    let db = &state.db;
    let w = store::workshops::get(db, city.m.id, workshop_id).await?;
    let agenda = store::workshops::agenda(db, w.id).await?;
    let registrations = store::workshops::registrations(db, w.id).await?;
    let members = store::users::members(db, city.m.id).await?;
    let mut attendance: Vec<AttendanceGroup> = vec![];
    let mut add = |group: &str, name: Option<&str>| {
        let g = match attendance.iter_mut().position(|g| g.group == group) {
            Some(i) => &mut attendance[i],
            None => {
                attendance.push(AttendanceGroup {
                    group: group.to_string(),
                    ..Default::default()
                });
                attendance.last_mut().expect("just pushed")
            }
        };
        g.count += 1;
        if let Some(n) = name {
            g.names.push(n.to_string());
        }
    };
    let mut counted: Vec<i64> = vec![];
    for r in registrations.iter().filter(|r| r.attended) {
        let group = if members.iter().any(|m| m.user_id == r.user_id) {
            "Kommune und Projektteam"
        } else {
            "Partner und Netzwerk"
        };
        add(group, r.show_name.then_some(r.display_name.as_str()));
        counted.push(r.user_id);
    }
    let mut rounds_out = vec![];
    let mut clusters_out = vec![];
    if let Some(board) = store::boards::get(db, w.id).await? {
        for p in store::boards::participants(db, board.workshop_id).await? {
            match p.user_id {
                Some(uid) if counted.contains(&uid) => {}
                Some(_) => add("Weitere Teilnehmende an der Pinnwand", None),
                None => add("Gäste an der Pinnwand", None),
            }
        }
        let cards = store::boards::cards(db, w.id).await?;
        let clusters = store::boards::clusters(db, w.id).await?;
        let links = store::boards::links(db, w.id).await?;
        let rounds = store::boards::rounds(db, w.id).await?;
        // Dots shown with the cards: the last round's.
        let last_tally = match rounds.last() {
            Some(r) => store::boards::tally(db, r.id).await?,
            None => vec![],
        };
        let dots = |id: i64| {
            last_tally
                .iter()
                .find(|(c, _)| *c == id)
                .map(|(_, d)| *d as u32)
                .unwrap_or(0)
        };
        let visible: Vec<_> = cards.iter().filter(|c| !c.hidden).collect();
        let card_out = |c: &store::boards::Card| ProtocolCard {
            text: c.text.clone(),
            category: c
                .category
                .as_deref()
                .map(|k| domain::board::category_label(Some(k)).to_string()),
            dots: dots(c.id),
            outcomes: links
                .iter()
                .filter(|l| l.card_id == c.id)
                .map(|l| format!("{}: {}", target_label(&l.target_kind), l.label))
                .collect(),
        };
        for cl in &clusters {
            let cs: Vec<ProtocolCard> = visible
                .iter()
                .filter(|c| c.cluster_id == Some(cl.id))
                .map(|c| card_out(c))
                .collect();
            clusters_out.push(ProtocolCluster {
                name: cl.name.clone(),
                dots: cs.iter().map(|c| c.dots).sum(),
                cards: cs,
            });
        }
        let unsorted: Vec<ProtocolCard> = visible
            .iter()
            .filter(|c| {
                c.cluster_id
                    .is_none_or(|id| !clusters.iter().any(|cl| cl.id == id))
            })
            .map(|c| card_out(c))
            .collect();
        if !unsorted.is_empty() {
            clusters_out.push(ProtocolCluster {
                name: "Ohne Cluster".into(),
                dots: unsorted.iter().map(|c| c.dots).sum(),
                cards: unsorted,
            });
        }
        for r in &rounds {
            let tally = store::boards::tally(db, r.id).await?;
            let voters = store::boards::voters(db, r.id).await?;
            let ranking = tally
                .iter()
                .filter_map(|(id, d)| {
                    cards.iter().find(|c| c.id == *id).map(|c| RankedItem {
                        label: c.text.clone(),
                        dots: *d as u32,
                    })
                })
                .collect();
            rounds_out.push(ProtocolRound {
                label: format!(
                    "Runde {} – {} Punkte je Person, {}",
                    r.number,
                    r.dots,
                    if r.cumulative {
                        "kumulieren erlaubt"
                    } else {
                        "ein Punkt je Karte"
                    }
                ),
                participants: voters as u32,
                ranking,
            });
        }
    }
    let (date, _) = domain::workshop::utc_to_local(store::now_secs());
    Ok(ProtocolExport {
        municipality: city.m.name.clone(),
        title: w.title.clone(),
        format: w.format_name.clone(),
        when: crate::workshops::when(&w),
        place: w.place.clone(),
        online_link: w.online_link.clone(),
        purpose: w.purpose.clone(),
        agenda: agenda
            .iter()
            .map(|a| ProtocolAgendaItem {
                title: a.title.clone(),
                minutes: a.minutes as u32,
            })
            .collect(),
        attendance,
        clusters: clusters_out,
        rounds: rounds_out,
        decisions: notes.decisions.clone(),
        next_steps: notes.next_steps.clone(),
        notes: notes.notes.clone(),
        generated: domain::values::german_date(&date),
    })
}

pub fn target_label(kind: &str) -> &'static str {
    match kind {
        "massnahme" => "Maßnahme",
        "ziel" => "Ziel",
        "handlungsfeld" => "Handlungsfeld",
        "definition" => "Vorschlag zum Leitbild",
        _ => "Ergebnis",
    }
}

#[derive(Template)]
#[template(path = "board/protocol.html")]
struct ProtocolPage {
    ctx: RequestCtx,
    city: City,
    workshop_id: i64,
    title: String,
    html: String,
    form: FormView,
    notice: Option<String>,
}

async fn load(
    state: &AppState,
    ctx: &RequestCtx,
    slug: &str,
    id: i64,
) -> Result<(City, ProtocolNotes, ProtocolExport), AppError> {
    let city = City::load(state, ctx, slug).await?;
    let notes = store::boards::protocol_notes(&state.db, id).await?;
    // Check the workshop belongs to the city before anything else.
    store::workshops::get(&state.db, city.m.id, id).await?;
    if !may_read(&city, &notes.published) {
        return Err(if ctx.actor.is_authenticated() {
            AppError::Forbidden
        } else {
            AppError::LoginRequired
        });
    }
    let p = compile(state, &city, id, &notes).await?;
    Ok((city, notes, p))
}

fn notes_form(n: &ProtocolNotes) -> FormView {
    FormView::new()
        .with("decisions", &n.decisions)
        .with("next_steps", &n.next_steps)
        .with("notes", &n.notes)
        .with("published", &n.published)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    ok: String,
}

pub async fn show(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    axum::extract::Query(q): axum::extract::Query<ShowQuery>,
) -> Result<Response, AppError> {
    let (city, notes, p) = load(&state, &ctx, &slug, id).await?;
    let html = crate::markdown::to_safe_html_below(
        &export::protocol_markdown(&p),
        pulldown_cmark::HeadingLevel::H1,
    );
    let notice = (q.ok == "saved").then(|| ctx.t("protocol-saved"));
    let page = ProtocolPage {
        ctx,
        city,
        workshop_id: id,
        title: p.title,
        html,
        form: notes_form(&notes),
        notice,
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NotesForm {
    decisions: String,
    next_steps: String,
    notes: String,
    published: String,
}

pub async fn save(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<NotesForm>,
) -> Result<Response, AppError> {
    let city = City::load(&state, &ctx, &slug).await?;
    city.require_edit(&ctx)?;
    let w = store::workshops::get(&state.db, city.m.id, id).await?;
    let mut errs = domain::FieldErrors::new();
    let decisions = errs
        .take(
            "decisions",
            domain::values::optional_text(&f.decisions, 20_000),
        )
        .unwrap_or_default();
    let next_steps = errs
        .take(
            "next_steps",
            domain::values::optional_text(&f.next_steps, 20_000),
        )
        .unwrap_or_default();
    let notes = errs
        .take("notes", domain::values::optional_text(&f.notes, 50_000))
        .unwrap_or_default();
    if !["entwurf", "intern", "netzwerk", "oeffentlich"].contains(&f.published.as_str()) {
        errs.push("published", "err-protocol-published");
    }
    if !errs.is_empty() {
        let stored = store::boards::protocol_notes(&state.db, w.id).await?;
        let p = compile(&state, &city, w.id, &stored).await?;
        let html = crate::markdown::to_safe_html_below(
            &export::protocol_markdown(&p),
            pulldown_cmark::HeadingLevel::H1,
        );
        let form = FormView::new()
            .with("decisions", &f.decisions)
            .with("next_steps", &f.next_steps)
            .with("notes", &f.notes)
            .with("published", &f.published)
            .with_errors(&ctx, &errs);
        let page = ProtocolPage {
            ctx,
            city,
            workshop_id: w.id,
            title: p.title,
            html,
            form,
            notice: None,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    let n = ProtocolNotes {
        decisions,
        next_steps,
        notes,
        published: f.published,
    };
    store::boards::save_protocol_notes(&state.db, w.id, &n).await?;
    Ok(
        Redirect::to(&city.path(&format!("/werkstaetten/{}/protokoll?ok=saved", w.id)))
            .into_response(),
    )
}

pub async fn markdown(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (_, _, p) = load(&state, &ctx, &slug, id).await?;
    let name = file_name(&format!("Protokoll {}", p.title), "md");
    Ok(download(
        "text/markdown; charset=utf-8",
        name,
        export::protocol_markdown(&p).into_bytes(),
    ))
}

pub async fn pdf(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let (_, _, p) = load(&state, &ctx, &slug, id).await?;
    let name = file_name(&format!("Protokoll {}", p.title), "pdf");
    let bytes = tokio::task::spawn_blocking(move || export::protocol_pdf(&p))
        .await
        .map_err(|e| AppError::Internal(format!("pdf task: {e}")))?
        .map_err(|e| AppError::Internal(format!("pdf: {e}")))?;
    Ok(download("application/pdf", name, bytes))
}
