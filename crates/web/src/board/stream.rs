//! `GET /w/{code}/events`: the board's changes as Server-Sent Events. The event id is the board's sequence
//! number; a client that reconnects sends `Last-Event-ID` (browsers do this themselves) or `?since=` and
//! first gets what it missed from the database, then live events from this node's hub.

use super::Access;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use futures_util::stream::{self, Stream};
use serde::Deserialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use store::boards::Event;
use tokio::sync::{broadcast, watch};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StreamQuery {
    since: Option<i64>,
}

pub async fn events(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    jar: CookieJar,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<StreamQuery>,
) -> Result<Response, AppError> {
    let a = Access::load(&state, &ctx, &jar, &code).await?;
    // Participants and moderators; the projector view (anyone with a valid code) too.
    if !(a.may_view() || a.open) {
        return Err(AppError::Forbidden);
    }
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let since = last_event_id
        .or(q.since)
        .unwrap_or(a.board.seq)
        .clamp(0, a.board.seq.max(0));
    let wid = a.board.workshop_id;
    // Subscribe before reading the backlog so that nothing falls between the two.
    let rx = state.hub.subscribe(wid, a.board.seq);
    let st = Follow {
        state: state.clone(),
        workshop_id: wid,
        last: since,
        backlog: VecDeque::new(),
        needs_backlog: true,
        rx,
        closing: state.hub.closing(),
    };
    state.metrics.sse_open();
    let s = stream::unfold(st, |mut st| async move {
        let ev = st.next().await?;
        Some((Ok::<SseEvent, Infallible>(ev), st))
    });
    let sse = Sse::new(Guarded {
        inner: Box::pin(s),
        metrics: state.metrics.clone(),
    })
    .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)));
    // nginx passes this stream on unbuffered even where `proxy_buffering` is on (docs/OPERATIONS.md).
    Ok(([("x-accel-buffering", "no")], sse).into_response())
}

struct Follow {
    state: AppState,
    workshop_id: i64,
    last: i64,
    backlog: VecDeque<Event>,
    needs_backlog: bool,
    rx: broadcast::Receiver<Arc<Event>>,
    closing: watch::Receiver<bool>,
}

fn to_sse(e: &Event) -> SseEvent {
    SseEvent::default()
        .id(e.seq.to_string())
        .event(e.kind.clone())
        .data(e.data.clone())
}

impl Follow {
    /// The next event for this client, or `None` when the stream should end.
    async fn next(&mut self) -> Option<SseEvent> {
        loop {
            if let Some(e) = self.backlog.pop_front() {
                if e.seq > self.last {
                    self.last = e.seq;
                    return Some(to_sse(&e));
                }
                continue;
            }
            if self.needs_backlog {
                let events = store::boards::events_since(
                    &self.state.db,
                    self.workshop_id,
                    self.last,
                    crate::live::BATCH,
                )
                .await
                .ok()?;
                self.needs_backlog = events.len() as i64 == crate::live::BATCH;
                self.backlog.extend(events);
                continue;
            }
            if *self.closing.borrow() {
                return None;
            }
            tokio::select! {
                _ = self.closing.changed() => return None,
                r = self.rx.recv() => match r {
                    Ok(e) => {
                        if e.seq > self.last + 1 {
                            // A gap (events committed while we read the backlog): read them in order.
                            self.needs_backlog = true;
                            continue;
                        }
                        if e.seq > self.last {
                            self.last = e.seq;
                            return Some(to_sse(&e));
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => self.needs_backlog = true,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        }
    }
}

/// Counts open streams for the metrics endpoint.
struct Guarded<S> {
    inner: std::pin::Pin<Box<S>>,
    metrics: Arc<crate::metrics::Metrics>,
}

impl<S: Stream> Stream for Guarded<S> {
    type Item = S::Item;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<S> Drop for Guarded<S> {
    fn drop(&mut self) {
        self.metrics.sse_closed();
    }
}
