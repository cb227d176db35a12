//! Outgoing mail: composed in handlers, queued in the database, sent by a background worker over SMTP
//! (lettre) or written to a folder when no SMTP server is configured.

use crate::config::{Config, MailTransport};
use crate::state::AppState;
use lettre::message::header::ContentTransferEncoding;
use lettre::message::{Attachment, Body, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

/// Queue a mail and wake the worker.
pub async fn queue(
    state: &AppState,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<(), crate::error::AppError> {
    queue_with(state, to, subject, body, None).await
}

/// Queue a mail with an attachment and wake the worker.
pub async fn queue_with(
    state: &AppState,
    to: &str,
    subject: &str,
    body: &str,
    attachment: Option<&store::mail::Attachment>,
) -> Result<(), crate::error::AppError> {
    store::mail::enqueue_with(&state.db, to, subject, body, attachment).await?;
    state.mail_wakeup.notify_one();
    Ok(())
}

enum Sender {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

impl Sender {
    fn from_config(config: &Config) -> anyhow::Result<Sender> {
        Ok(match &config.mail {
            MailTransport::Smtp(url) => {
                Sender::Smtp(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build())
            }
            MailTransport::Folder(dir) => {
                std::fs::create_dir_all(dir)?;
                Sender::Folder(AsyncFileTransport::<Tokio1Executor>::new(dir), dir.clone())
            }
        })
    }

    async fn send(&self, message: Message, recipient: &str, subject: &str) -> anyhow::Result<()> {
        match self {
            Sender::Smtp(t) => {
                t.send(message).await?;
            }
            Sender::Folder(t, dir) => {
                let id = t.send(message).await?;
                tracing::info!(to = recipient, subject, file = %dir.join(format!("{id}.eml")).display(), "mail written to folder (no SMTP configured)");
            }
        }
        Ok(())
    }
}

fn build(from: &str, m: &store::mail::OutgoingMail) -> anyhow::Result<Message> {
    let from: Mailbox = from.parse()?;
    let to: Mailbox = m.recipient.parse()?;
    // lettre picks the transfer encoding of the text (quoted-printable for long link lines).
    let text = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(Body::new(m.body.clone()));
    let builder = Message::builder().from(from).to(to).subject(&m.subject);
    Ok(
        match (&m.attachment_name, &m.attachment_type, &m.attachment_body) {
            (Some(name), Some(kind), Some(content)) => {
                let body = Body::new_with_encoding(
                    content.clone(),
                    ContentTransferEncoding::QuotedPrintable,
                )
                .map_err(|_| anyhow::anyhow!("attachment not encodable"))?;
                let attachment =
                    Attachment::new(name.clone()).body(body, ContentType::parse(kind)?);
                builder.multipart(MultiPart::mixed().singlepart(text).singlepart(attachment))?
            }
            _ => builder.singlepart(text)?,
        },
    )
}

/// Send every due mail once; returns how many were sent.
pub async fn send_due(state: &AppState) -> anyhow::Result<usize> {
    let sender = Sender::from_config(&state.config)?;
    send_due_with(state, &sender).await
}

async fn send_due_with(state: &AppState, sender: &Sender) -> anyhow::Result<usize> {
    let mut sent = 0;
    loop {
        let batch = store::mail::claim_due(&state.db, 20, 120).await?;
        if batch.is_empty() {
            return Ok(sent);
        }
        for m in batch {
            let result = match build(&state.config.mail_from, &m) {
                Ok(msg) => sender.send(msg, &m.recipient, &m.subject).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => {
                    store::mail::mark_sent(&state.db, m.id).await?;
                    sent += 1;
                }
                Err(e) => {
                    tracing::warn!(id = m.id, attempts = m.attempts, error = %e, "mail not sent, will retry");
                    store::mail::mark_failed(&state.db, m.id, m.attempts, &e.to_string()).await?;
                }
            }
        }
    }
}

/// How often the worker looks for due mails without being woken.
const PASS_INTERVAL: Duration = Duration::from_secs(5);

/// Pause after `failed` passes in a row failed: 5 s, 10 s, 20 s, … at most a minute (ADR 0019).
pub fn retry_delay(failed: u32) -> Duration {
    (PASS_INTERVAL * 2u32.saturating_pow(failed.saturating_sub(1))).min(Duration::from_secs(60))
}

/// Run the worker until the process ends: send due mails when woken or every few seconds.
/// The mail worker: turns progress notifications into mails and sends what is due. It stops between passes
/// when `stop` turns true; a pass under way (a mail being handed to the SMTP server) is finished first.
pub fn spawn_worker(
    state: AppState,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    // Background queries are not counted against the pages that tests and benchmarks measure.
    let state = state.with_db(state.db.detached());
    tokio::spawn(async move {
        // A mail folder that cannot be created now (read-only or full disk) may be fine later: retry.
        let mut failed_passes: u32 = 0;
        let sender = loop {
            match Sender::from_config(&state.config) {
                Ok(s) => break s,
                Err(e) => {
                    failed_passes += 1;
                    tracing::error!(error = %e, "mail transport not usable; mails stay queued, retrying");
                    if crate::workers::pause(
                        &mut stop,
                        retry_delay(failed_passes),
                        state.mail_wakeup.notified(),
                    )
                    .await
                    {
                        return;
                    }
                }
            }
        };
        failed_passes = 0;
        loop {
            let mut ok = true;
            // Progress notifications become mails first, so they go out in the same pass.
            if let Err(e) = crate::implementation::notify::run_once(&state, store::now_secs()).await
            {
                tracing::warn!(error = %e, "notification pass failed");
                ok = false;
            }
            if let Err(e) = send_due_with(&state, &sender).await {
                tracing::warn!(error = %e, "mail worker pass failed");
                ok = false;
            }
            failed_passes = if ok { 0 } else { failed_passes + 1 };
            // While the database fails, back off; a mail queued on this node (so the database answers
            // again) wakes the worker at once either way.
            let pause = if failed_passes == 0 {
                PASS_INTERVAL
            } else {
                retry_delay(failed_passes)
            };
            if crate::workers::pause(&mut stop, pause, state.mail_wakeup.notified()).await {
                return;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_backs_off_to_a_minute() {
        let secs: Vec<u64> = (1..=6).map(|n| retry_delay(n).as_secs()).collect();
        assert_eq!(secs, [5, 10, 20, 40, 60, 60]);
        assert_eq!(retry_delay(u32::MAX), Duration::from_secs(60));
    }
}
