//! The mail outbox: mails are written in the request's transaction scope and sent later by a worker, so a
//! slow or absent mail server never blocks or loses a request. Claiming uses a lease (`locked_until`) that
//! the outer `WHERE` re-checks, so two nodes never send the same mail at the same time.

use crate::{Db, StoreResult, now_secs, on_db};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutgoingMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
    pub attachment_name: Option<String>,
    pub attachment_type: Option<String>,
    pub attachment_body: Option<String>,
}

/// A file sent along with a mail.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub body: String,
}

/// Queue a mail with an optional attachment.
pub async fn enqueue_with(
    db: &Db,
    recipient: &str,
    subject: &str,
    body: &str,
    attachment: Option<&Attachment>,
) -> StoreResult<i64> {
    let now = now_secs();
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO mail_outbox (recipient, subject, body, created_at, next_attempt_at, attachment_name, \
             attachment_type, attachment_body) VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING id",
        )
        .bind(recipient).bind(subject).bind(body).bind(now)
        .bind(attachment.map(|a| a.name.as_str())).bind(attachment.map(|a| a.content_type.as_str()))
        .bind(attachment.map(|a| a.body.as_str()))
        .fetch_one(pool).await?
    });
    Ok(id)
}

/// Lease up to `limit` due mails for `lease_secs`.
pub async fn claim_due(db: &Db, limit: i64, lease_secs: i64) -> StoreResult<Vec<OutgoingMail>> {
    let now = now_secs();
    let rows = match db.counted() {
        crate::Pool::Sqlite(pool) => {
            sqlx::query_as::<_, OutgoingMail>(
                "UPDATE mail_outbox SET locked_until = $1 WHERE id IN (SELECT id FROM mail_outbox \
                 WHERE sent_at IS NULL AND next_attempt_at <= $2 AND (locked_until IS NULL OR locked_until < $2) \
                 ORDER BY id LIMIT $3) RETURNING id, recipient, subject, body, attempts, attachment_name, attachment_type, attachment_body",
            )
            .bind(now + lease_secs).bind(now).bind(limit)
            .fetch_all(pool).await?
        }
        crate::Pool::Postgres(pool) => {
            sqlx::query_as::<_, OutgoingMail>(
                "UPDATE mail_outbox SET locked_until = $1 WHERE id IN (SELECT id FROM mail_outbox \
                 WHERE sent_at IS NULL AND next_attempt_at <= $2 AND (locked_until IS NULL OR locked_until < $2) \
                 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
                 AND sent_at IS NULL AND (locked_until IS NULL OR locked_until < $2) \
                 RETURNING id, recipient, subject, body, attempts, attachment_name, attachment_type, attachment_body",
            )
            .bind(now + lease_secs).bind(now).bind(limit)
            .fetch_all(pool).await?
        }
    };
    Ok(rows)
}

/// Record a delivered mail and erase its body and attachment: mails carry secret links (invitations,
/// password resets, confirmations) that must not stay readable in the database or its backups once delivered.
/// Recipient, subject and times stay for the record.
pub async fn mark_sent(db: &Db, id: i64) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query("UPDATE mail_outbox SET sent_at = $1, locked_until = NULL, last_error = NULL, body = '', \
                     attachment_body = NULL WHERE id = $2")
            .bind(now_secs()).bind(id).execute(pool).await?;
    });
    Ok(())
}

/// Pause before the next attempt after `attempts` earlier failed ones: 5 s, 10 s, 20 s, … at most an hour
/// (ADR 0019: a mail server back after a short outage gets the mail within seconds, a long outage costs a
/// few attempts an hour).
pub fn retry_backoff_secs(attempts: i64) -> i64 {
    (5_i64 << attempts.clamp(0, 10)).min(3600)
}

/// Record a failed attempt and schedule the next one with exponential backoff ([`retry_backoff_secs`]).
pub async fn mark_failed(db: &Db, id: i64, attempts: i64, error: &str) -> StoreResult<()> {
    let backoff = retry_backoff_secs(attempts);
    on_db!(db, pool => {
        sqlx::query(
            "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $1, locked_until = NULL, \
             last_error = $2 WHERE id = $3",
        )
        .bind(now_secs() + backoff).bind(error).bind(id).execute(pool).await?;
    });
    Ok(())
}

/// Mails not yet sent (for operators and tests).
pub async fn pending_count(db: &Db) -> StoreResult<i64> {
    let n = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL").fetch_one(pool).await?
    });
    Ok(n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let secs: Vec<i64> = (0..12).map(super::retry_backoff_secs).collect();
        assert_eq!(
            secs,
            [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]
        );
        assert_eq!(super::retry_backoff_secs(-1), 5);
        assert_eq!(super::retry_backoff_secs(i64::MAX), 3600);
    }
}
