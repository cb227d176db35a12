//! iCalendar feeds beyond the workshops feed: milestones of the city's public measures and the periods of its
//! published participation formats. Public data only, whoever asks, so that a subscribed calendar shows the
//! same to everyone; UIDs are stable (`meilenstein-{id}@host`, `beteiligung-{id}@host`), times in UTC.

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use icalendar::{Calendar, Component, EventLike};

fn host(state: &AppState) -> String {
    state
        .config
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or("werkstatt")
        .trim_end_matches('/')
        .to_string()
}

fn respond(name: String, cal: Calendar) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "public, max-age=300".to_string()),
        ],
        cal.to_string(),
    )
        .into_response()
}

/// `GET /kommunen/{slug}/meilensteine.ics`: dated milestones of public measures, as all-day events.
pub async fn milestones(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let m = store::municipalities::by_slug(&state.db, &slug).await?;
    let rows = store::opendata::public_milestones(&state.db, m.id).await?;
    let host = host(&state);
    let mut cal = Calendar::new();
    cal.name(&format!("Meilensteine der Maßnahmen – {}", m.name));
    for ms in rows {
        let Ok(day) = chrono::NaiveDate::parse_from_str(&ms.due_date, "%Y-%m-%d") else {
            continue;
        };
        let mut e = icalendar::Event::new();
        let done = match &ms.done_on {
            Some(d) => format!(" (erreicht am {})", domain::values::german_date(d)),
            None => String::new(),
        };
        e.uid(&format!("meilenstein-{}@{host}", ms.id))
            .summary(&format!("{}: {}{done}", ms.measure_title, ms.title))
            .all_day(day)
            .url(&state.config.url(&format!(
                "/kommunen/{}/massnahmen/{}",
                m.slug, ms.measure_id
            )));
        cal.push(e.done());
    }
    Ok(respond(format!("meilensteine-{}.ics", m.slug), cal.done()))
}

/// `GET /kommunen/{slug}/beteiligung.ics`: the periods of published participation formats.
pub async fn participation(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let m = store::municipalities::by_slug(&state.db, &slug).await?;
    let rows = store::participation::list(&state.db, m.id, true).await?;
    let host = host(&state);
    let mut cal = Calendar::new();
    cal.name(&format!("Beteiligung – {}", m.name));
    for p in rows {
        let at = |secs: i64| {
            chrono::DateTime::<chrono::Utc>::from_timestamp(secs, 0).unwrap_or_default()
        };
        let mut e = icalendar::Event::new();
        e.uid(&format!("beteiligung-{}@{host}", p.id))
            .summary(&p.title)
            .starts(at(p.opens_at))
            .ends(at(p.closes_at))
            .url(
                &state
                    .config
                    .url(&format!("/kommunen/{}/beteiligung/{}", m.slug, p.id)),
            );
        if !p.description.is_empty() {
            e.description(&p.description);
        }
        cal.push(e.done());
    }
    Ok(respond(format!("beteiligung-{}.ics", m.slug), cal.done()))
}
