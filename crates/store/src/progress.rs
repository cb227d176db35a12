//! Implementation tracking: progress reports with photos, followers of measures and cities, and the
//! notifications a report leaves for them (mailed at once or in a daily digest by the housekeeping job).

use crate::{Db, StoreError, StoreResult, now_secs, on_db};
use sha2::{Digest, Sha256};

/// A photo to store with a report: content type (already sniffed), alt text, bytes.
#[derive(Debug, Clone)]
pub struct NewPhoto {
    pub content_type: &'static str,
    pub alt: String,
    pub data: Vec<u8>,
}

/// A report to store.
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    pub municipality_id: i64,
    pub measure_id: i64,
    /// The measure's visibility, for who may be notified.
    pub visibility: &'a str,
    pub status: &'a str,
    pub draft: &'a domain::progress::ProgressDraft,
    pub author_id: i64,
    pub photos: Vec<NewPhoto>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Report {
    pub id: i64,
    pub measure_id: i64,
    pub reported_on: String,
    pub status: String,
    pub status_name: String,
    pub percent: i64,
    pub body: String,
    pub milestone_id: Option<i64>,
    pub milestone_title: Option<String>,
    pub author: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Photo {
    pub report_id: i64,
    pub upload_id: i64,
    pub alt_text: String,
}

/// Store a report, mark its milestone done, store its photos and leave a notification for every follower
/// of the measure or its city who may see the measure (not the author). One transaction; returns the id.
pub async fn add_report(db: &Db, r: &NewReport<'_>) -> StoreResult<i64> {
    let now = now_secs();
    let d = r.draft;
    crate::in_tx!(db, tx => {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO progress_reports (measure_id, reported_on, status, percent, body, milestone_id, author_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(r.measure_id).bind(&d.reported_on).bind(r.status).bind(d.percent).bind(&d.body)
        .bind(d.milestone_id).bind(r.author_id).bind(now)
        .fetch_one(&mut *tx).await?;
        if let Some(ms) = d.milestone_id {
            let done = sqlx::query(
                "UPDATE milestones SET done_on = $1 WHERE id = $2 AND measure_id = $3 AND done_on IS NULL",
            )
            .bind(&d.reported_on).bind(ms).bind(r.measure_id)
            .execute(&mut *tx).await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Refused("err-progress-milestone"));
            }
        }
        for (pos, p) in r.photos.iter().enumerate() {
            let sha = hex::encode(Sha256::digest(&p.data));
            let upload: i64 = sqlx::query_scalar(
                "INSERT INTO uploads (municipality_id, content_type, size, sha256, data, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(r.municipality_id).bind(p.content_type).bind(p.data.len() as i64).bind(sha)
            .bind(&p.data).bind(r.author_id).bind(now)
            .fetch_one(&mut *tx).await?;
            sqlx::query("INSERT INTO progress_photos (report_id, upload_id, position, alt_text) VALUES ($1, $2, $3, $4)")
                .bind(id).bind(upload).bind(pos as i64).bind(&p.alt)
                .execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO notifications (user_id, report_id, created_at) \
             SELECT DISTINCT f.user_id, $1, $2 FROM follows f JOIN users u ON u.id = f.user_id \
             WHERE ((f.target_kind = 'massnahme' AND f.target_id = $3) OR (f.target_kind = 'kommune' AND f.target_id = $4)) \
               AND f.user_id <> $6 \
               AND ($5 = 'oeffentlich' OR u.network_role IS NOT NULL OR EXISTS ( \
                    SELECT 1 FROM memberships ms WHERE ms.user_id = f.user_id AND (ms.municipality_id = $4 OR $5 = 'netzwerk'))) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id).bind(now).bind(r.measure_id).bind(r.municipality_id).bind(r.visibility).bind(r.author_id)
        .execute(&mut *tx).await?;
        Ok(id)
    })
}

const REPORT: &str = "SELECT r.id, r.measure_id, r.reported_on, r.status, s.name AS status_name, r.percent, r.body, \
     r.milestone_id, ms.title AS milestone_title, u.display_name AS author, r.created_at \
     FROM progress_reports r JOIN measure_statuses s ON s.status_key = r.status \
     LEFT JOIN milestones ms ON ms.id = r.milestone_id LEFT JOIN users u ON u.id = r.author_id";

/// A measure's reports, newest first.
pub async fn reports(db: &Db, measure_id: i64) -> StoreResult<Vec<Report>> {
    let sql = format!("{REPORT} WHERE r.measure_id = $1 ORDER BY r.reported_on DESC, r.id DESC");
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Report>(sqlx::AssertSqlSafe(sql.clone())).bind(measure_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// The photos of a measure's reports, in order.
pub async fn photos(db: &Db, measure_id: i64) -> StoreResult<Vec<Photo>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Photo>(
            "SELECT p.report_id, p.upload_id, p.alt_text FROM progress_photos p \
             JOIN progress_reports r ON r.id = p.report_id WHERE r.measure_id = $1 ORDER BY p.report_id, p.position",
        )
        .bind(measure_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// The latest percent complete of every measure of a city that has reports: `(measure id, percent, date)`.
pub async fn latest_by_measure(
    db: &Db,
    municipality_id: i64,
) -> StoreResult<Vec<(i64, i64, String)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, i64, String)>(
            "SELECT r.measure_id, r.percent, r.reported_on FROM progress_reports r \
             JOIN measures m ON m.id = r.measure_id \
             WHERE m.municipality_id = $1 AND NOT EXISTS ( \
               SELECT 1 FROM progress_reports n WHERE n.measure_id = r.measure_id \
               AND (n.reported_on > r.reported_on OR (n.reported_on = r.reported_on AND n.id > r.id)))",
        )
        .bind(municipality_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// A photo of a report of a measure: `(content type, bytes, measure id, municipality id)`.
pub async fn photo(db: &Db, upload_id: i64) -> StoreResult<(String, Vec<u8>, i64, i64)> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, (String, Vec<u8>, i64, i64)>(
            "SELECT u.content_type, u.data, r.measure_id, u.municipality_id FROM uploads u \
             JOIN progress_photos p ON p.upload_id = u.id JOIN progress_reports r ON r.id = p.report_id \
             WHERE u.id = $1",
        )
        .bind(upload_id).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}

// ---------------------------------------------------------------------------------------------------------
// Following

pub async fn follow(db: &Db, user_id: i64, kind: &str, target_id: i64) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query(
            "INSERT INTO follows (user_id, target_kind, target_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(user_id).bind(kind).bind(target_id).bind(now_secs()).execute(pool).await?;
    });
    Ok(())
}

pub async fn unfollow(db: &Db, user_id: i64, kind: &str, target_id: i64) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query("DELETE FROM follows WHERE user_id = $1 AND target_kind = $2 AND target_id = $3")
            .bind(user_id).bind(kind).bind(target_id).execute(pool).await?;
    });
    Ok(())
}

pub async fn follows(db: &Db, user_id: i64, kind: &str, target_id: i64) -> StoreResult<bool> {
    let n = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM follows WHERE user_id = $1 AND target_kind = $2 AND target_id = $3",
        )
        .bind(user_id).bind(kind).bind(target_id).fetch_one(pool).await?
    });
    Ok(n > 0)
}

/// `"sofort"` (default) or `"taeglich"`.
pub async fn mode(db: &Db, user_id: i64) -> StoreResult<String> {
    let m = on_db!(db, pool => {
        sqlx::query_scalar::<_, String>("SELECT mode FROM notification_settings WHERE user_id = $1")
            .bind(user_id).fetch_optional(pool).await?
    });
    Ok(m.unwrap_or_else(|| "sofort".into()))
}

pub async fn set_mode(db: &Db, user_id: i64, mode: &str) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query(
            "INSERT INTO notification_settings (user_id, mode) VALUES ($1, $2) \
             ON CONFLICT (user_id) DO UPDATE SET mode = excluded.mode",
        )
        .bind(user_id).bind(mode).execute(pool).await?;
    });
    Ok(())
}

// ---------------------------------------------------------------------------------------------------------
// Notifications

/// One pending notification, with what a mail needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Pending {
    pub id: i64,
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub measure_id: i64,
    pub measure_title: String,
    pub slug: String,
    pub city: String,
    pub reported_on: String,
    pub percent: i64,
    pub body: String,
}

/// Whether any notification waits (a read, so that idle passes take no write lock).
pub async fn has_pending(db: &Db) -> StoreResult<bool> {
    let n = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE sent_at IS NULL LIMIT 1) p")
            .fetch_one(pool).await?
    });
    Ok(n > 0)
}

/// A mail to queue: recipient, subject, body.
pub type NewMail = (String, String, String);

/// Claim the pending notifications of people in `mode` created before `cutoff` (at most 1,000 per pass) and
/// queue the mails that `compose` makes of them, in one transaction: a notification is marked as sent only
/// together with its mail in the outbox, so a crash or a failed insert loses none (it stays pending for the
/// next pass). With several nodes each notification is claimed once. Returns the number of mails queued.
pub async fn claim_pending_into_mails(
    db: &Db,
    mode: &str,
    cutoff: i64,
    compose: impl FnOnce(Vec<Pending>) -> Vec<NewMail>,
) -> StoreResult<usize> {
    let now = now_secs();
    crate::in_tx!(db, tx => {
        let rows: Vec<Pending> = sqlx::query_as(
            "SELECT n.id, n.user_id, u.email, u.display_name, m.id AS measure_id, m.title AS measure_title, \
             c.slug, c.name AS city, r.reported_on, r.percent, r.body \
             FROM notifications n JOIN users u ON u.id = n.user_id \
             JOIN progress_reports r ON r.id = n.report_id JOIN measures m ON m.id = r.measure_id \
             JOIN municipalities c ON c.id = m.municipality_id \
             LEFT JOIN notification_settings s ON s.user_id = n.user_id \
             WHERE n.sent_at IS NULL AND COALESCE(s.mode, 'sofort') = $1 AND n.created_at < $2 \
             ORDER BY n.user_id, n.id LIMIT 1000",
        )
        .bind(mode).bind(cutoff).fetch_all(&mut *tx).await?;
        // Another node may have claimed some in the meantime (PostgreSQL re-checks `sent_at` after the
        // row lock): keep only the rows this update marked.
        let mut mine = Vec::with_capacity(rows.len());
        for p in rows {
            let marked = sqlx::query("UPDATE notifications SET sent_at = $1 WHERE id = $2 AND sent_at IS NULL")
                .bind(now).bind(p.id).execute(&mut *tx).await?;
            if marked.rows_affected() == 1 {
                mine.push(p);
            }
        }
        if mine.is_empty() {
            return Ok(0);
        }
        let mails = compose(mine);
        for (recipient, subject, body) in &mails {
            sqlx::query(
                "INSERT INTO mail_outbox (recipient, subject, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4)",
            )
            .bind(recipient).bind(subject).bind(body).bind(now)
            .execute(&mut *tx).await?;
        }
        Ok(mails.len())
    })
}

// ---------------------------------------------------------------------------------------------------------
// "Ihr habt gesagt – wir haben getan"

/// A public contribution that fed a measure.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Source {
    pub measure_id: i64,
    /// `workshop` or `beteiligung`.
    pub source_kind: String,
    /// Workshop or participation format id.
    pub source_id: i64,
    pub source_title: String,
    /// `karte`, `idee`, `aussage` or `frage`.
    pub item_kind: String,
    pub item_id: i64,
    pub text: String,
}

/// Everything public that fed a city's measures: cards of public workshops (not hidden), visible ideas,
/// accepted statements and questions of published formats. The caller keeps only public measures.
pub async fn public_sources(db: &Db, municipality_id: i64) -> StoreResult<Vec<Source>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Source>(
            "SELECT l.target_id AS measure_id, 'workshop' AS source_kind, w.id AS source_id, w.title AS source_title, \
                    'karte' AS item_kind, c.id AS item_id, c.text \
             FROM board_links l JOIN board_cards c ON c.id = l.card_id JOIN workshops w ON w.id = c.workshop_id \
             WHERE l.target_kind = 'massnahme' AND w.municipality_id = $1 AND w.visibility = 'oeffentlich' AND NOT c.hidden \
             UNION ALL \
             SELECT l.measure_id, 'beteiligung', p.id, p.title, l.item_kind, l.item_id, \
                    COALESCE(i.title, s.text, q.text, '') \
             FROM participation_links l JOIN participations p ON p.id = l.participation_id \
             LEFT JOIN ideas i ON l.item_kind = 'idee' AND i.id = l.item_id AND i.state = 'sichtbar' \
             LEFT JOIN opinion_statements s ON l.item_kind = 'aussage' AND s.id = l.item_id AND s.state = 'angenommen' \
             LEFT JOIN survey_questions q ON l.item_kind = 'frage' AND q.id = l.item_id \
             WHERE p.municipality_id = $1 AND p.published \
               AND (i.id IS NOT NULL OR s.id IS NOT NULL OR q.id IS NOT NULL) \
             ORDER BY 1, 2, 3, 6",
        )
        .bind(municipality_id).fetch_all(pool).await?
    });
    Ok(rows)
}
