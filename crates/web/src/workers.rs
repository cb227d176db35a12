//! The node's background workers (mail, housekeeping) and how they stop: on shutdown each is told to stop,
//! finishes the pass it is in (a mail being handed to the SMTP server is sent and marked as sent) and ends
//! by itself; only a worker still busy after the time it is given is aborted.

use crate::state::AppState;
use std::future::Future;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Wait for `delay` or until `wake` fires, whichever comes first; true when the worker is told to stop
/// (before or during the wait), so the worker returns instead of starting another pass.
pub async fn pause(
    stop: &mut watch::Receiver<bool>,
    delay: Duration,
    wake: impl Future<Output = ()>,
) -> bool {
    if *stop.borrow() {
        return true;
    }
    // A dropped sender (the node is going away) counts as a stop too.
    let told = async { stop.wait_for(|s| *s).await.map(|_| ()) };
    let told = tokio::select! {
        _ = told => true,
        _ = tokio::time::timeout(delay, wake) => false,
    };
    told || *stop.borrow()
}

/// How the workers ended.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stopped {
    pub finished: usize,
    pub aborted: usize,
}

/// Tell the workers to stop and wait up to `within` for them to end by themselves; abort the rest.
pub async fn stop_all(
    stop: &watch::Sender<bool>,
    workers: Vec<JoinHandle<()>>,
    within: Duration,
) -> Stopped {
    let _ = stop.send(true);
    let deadline = tokio::time::Instant::now() + within;
    let mut out = Stopped::default();
    for mut w in workers {
        match tokio::time::timeout_at(deadline, &mut w).await {
            Ok(_) => out.finished += 1,
            Err(_) => {
                w.abort();
                let _ = w.await;
                out.aborted += 1;
            }
        }
    }
    out
}

/// Purge expired sessions, reset links and throttle rows, personal data past retention and old search
/// changes every few minutes.
pub fn spawn_housekeeping(state: AppState, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let window = domain::throttle::LoginThrottle::default().window_secs;
        // Not at the very start: a fresh node has nothing to purge yet, and the first minute stays free of
        // background queries (the query-count tests measure pages right after start).
        let mut delay = Duration::from_secs(60);
        loop {
            if pause(&mut stop, delay, std::future::pending::<()>()).await {
                return;
            }
            if let Err(e) = store::tokens::purge_expired(&state.db, window).await {
                tracing::warn!(error = %e, "housekeeping failed");
            }
            // Personal data of participation formats past their retention period; rate-limit windows.
            match store::participation::apply_retention(&state.db, store::now_secs()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(formats = n, "retention: personal data removed"),
                Err(e) => tracing::warn!(error = %e, "retention job failed"),
            }
            if let Err(e) = store::participation::purge_rate_hits(&state.db, 24 * 3600).await {
                tracing::warn!(error = %e, "rate-limit purge failed");
            }
            if let Err(e) =
                store::search::purge_changes(&state.db, crate::search::KEEP_CHANGES_SECS).await
            {
                tracing::warn!(error = %e, "search outbox purge failed");
            }
            delay = Duration::from_secs(300);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_worker_told_to_stop_ends_by_itself_and_a_stuck_one_is_aborted() {
        let (tx, rx) = watch::channel(false);
        // Waits between passes like the mail worker: a long pause that the stop signal cuts short.
        let mut polite_rx = rx.clone();
        let polite = tokio::spawn(async move {
            while !pause(
                &mut polite_rx,
                Duration::from_secs(3600),
                std::future::pending(),
            )
            .await
            {}
        });
        // Ignores the signal.
        let stuck = tokio::spawn(std::future::pending::<()>());
        let stopped = stop_all(&tx, vec![polite, stuck], Duration::from_millis(300)).await;
        assert_eq!(
            stopped,
            Stopped {
                finished: 1,
                aborted: 1
            }
        );
    }

    #[tokio::test]
    async fn a_wake_up_does_not_stop_the_worker_but_a_stop_during_the_pause_does() {
        let (tx, mut rx) = watch::channel(false);
        let wake = tokio::sync::Notify::new();
        wake.notify_one();
        assert!(!pause(&mut rx, Duration::from_secs(60), wake.notified()).await);
        assert!(!pause(&mut rx, Duration::from_millis(10), std::future::pending()).await);
        let waiting = tokio::spawn(async move {
            pause(&mut rx, Duration::from_secs(3600), std::future::pending()).await
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        tx.send(true).expect("receiver alive");
        assert!(waiting.await.expect("task"));
    }
}
