//! Participation formats and their participants: settings, joining by account, confirmed e-mail, guest
//! cookie or single-use access code (each unique per format by index), rate limits in the database,
//! anonymisation (on request and after the retention period) and the links from contributions to measures.

use crate::{Db, StoreError, StoreResult, in_tx, now_secs, on_db};
use domain::participation::ParticipationDraft;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Participation {
    pub id: i64,
    pub municipality_id: i64,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub purpose: String,
    pub legal_basis: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub access: String,
    pub published: bool,
    pub results_public: bool,
    pub premoderation: bool,
    pub points: i64,
    pub cumulative: bool,
    pub retention_days: i64,
    pub personal_data_removed_at: Option<i64>,
}

const SELECT: &str = "SELECT id, municipality_id, kind, title, description, purpose, legal_basis, opens_at, closes_at, \
    access, published, results_public, premoderation, points, cumulative, retention_days, personal_data_removed_at \
    FROM participations";

pub async fn create(
    db: &Db,
    municipality_id: i64,
    d: &ParticipationDraft,
    by: i64,
) -> StoreResult<i64> {
    let now = now_secs();
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO participations (municipality_id, kind, title, description, purpose, legal_basis, opens_at, closes_at, \
             access, published, results_public, premoderation, points, cumulative, retention_days, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id",
        )
        .bind(municipality_id).bind(d.kind.as_str()).bind(&d.title).bind(&d.description).bind(&d.purpose)
        .bind(&d.legal_basis).bind(d.opens_at).bind(d.closes_at).bind(d.access.as_str()).bind(d.published)
        .bind(d.results_public).bind(d.premoderation).bind(d.points).bind(d.cumulative).bind(d.retention_days)
        .bind(by).bind(now)
        .fetch_one(pool).await?
    });
    Ok(id)
}

/// Change the settings; the kind never changes after creation.
pub async fn update(
    db: &Db,
    municipality_id: i64,
    id: i64,
    d: &ParticipationDraft,
) -> StoreResult<()> {
    let n = in_tx!(db, tx => {
        let n = sqlx::query(
            "UPDATE participations SET title = $3, description = $4, purpose = $5, legal_basis = $6, opens_at = $7, \
             closes_at = $8, access = $9, published = $10, results_public = $11, premoderation = $12, points = $13, \
             cumulative = $14, retention_days = $15, updated_at = $16 WHERE id = $1 AND municipality_id = $2",
        )
        .bind(id).bind(municipality_id).bind(&d.title).bind(&d.description).bind(&d.purpose).bind(&d.legal_basis)
        .bind(d.opens_at).bind(d.closes_at).bind(d.access.as_str()).bind(d.published).bind(d.results_public)
        .bind(d.premoderation).bind(d.points).bind(d.cumulative).bind(d.retention_days).bind(now_secs())
        .execute(&mut *tx).await?.rows_affected();
        if n > 0 {
            search_change!(tx, "beteiligung", id);
        }
        Ok(n)
    })?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The formats of a city, newest first (`only_published`: what the public sees).
pub async fn list(
    db: &Db,
    municipality_id: i64,
    only_published: bool,
) -> StoreResult<Vec<Participation>> {
    let sql = format!(
        "{SELECT} WHERE municipality_id = $1 AND (published = TRUE OR $2 = FALSE) ORDER BY opens_at DESC, id DESC"
    );
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Participation>(sqlx::AssertSqlSafe(sql.clone())).bind(municipality_id).bind(only_published).fetch_all(pool).await?
    });
    Ok(rows)
}

pub async fn get(db: &Db, municipality_id: i64, id: i64) -> StoreResult<Participation> {
    let sql = format!("{SELECT} WHERE id = $1 AND municipality_id = $2");
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Participation>(sqlx::AssertSqlSafe(sql.clone())).bind(id).bind(municipality_id).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}

pub async fn get_any(db: &Db, id: i64) -> StoreResult<Participation> {
    let sql = format!("{SELECT} WHERE id = $1");
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Participation>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}

// ---------------------------------------------------------------------------------------------------------
// Participants

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Participant {
    pub id: i64,
    pub participation_id: i64,
    pub kind: String,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub confirmed_at: Option<i64>,
    pub created_at: i64,
    pub anonymised_at: Option<i64>,
}

impl Participant {
    /// May take part: e-mail participants only after confirming.
    pub fn active(&self) -> bool {
        is_active(&self.kind, self.confirmed_at, self.anonymised_at)
    }
}

/// The rule of [`Participant::active`] on the columns themselves (for reads that do not load the row).
pub fn is_active(kind: &str, confirmed_at: Option<i64>, anonymised_at: Option<i64>) -> bool {
    anonymised_at.is_none() && (kind != "email" || confirmed_at.is_some())
}

const PARTICIPANT: &str = "SELECT id, participation_id, kind, user_id, email, confirmed_at, created_at, anonymised_at FROM participants";

/// The participant of an account (created on first use).
pub async fn join_account(
    db: &Db,
    participation_id: i64,
    user_id: i64,
) -> StoreResult<Participant> {
    let sql = format!("{PARTICIPANT} WHERE participation_id = $1 AND user_id = $2");
    in_tx!(db, tx => {
        if let Some(p) = sqlx::query_as::<_, Participant>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(participation_id).bind(user_id).fetch_optional(&mut *tx).await? {
            return Ok(p);
        }
        sqlx::query("INSERT INTO participants (participation_id, kind, user_id, confirmed_at, created_at) VALUES ($1, 'konto', $2, $3, $3)")
            .bind(participation_id).bind(user_id).bind(now_secs()).execute(&mut *tx).await?;
        let p = sqlx::query_as::<_, Participant>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(participation_id).bind(user_id).fetch_one(&mut *tx).await?;
        Ok(p)
    })
}

/// A guest (one browser, identified by the hash of its cookie token).
pub async fn join_guest(
    db: &Db,
    participation_id: i64,
    token_hash: &str,
) -> StoreResult<Participant> {
    let sql = format!("{PARTICIPANT} WHERE participation_id = $1 AND token_hash = $2");
    in_tx!(db, tx => {
        if let Some(p) = sqlx::query_as::<_, Participant>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(participation_id).bind(token_hash).fetch_optional(&mut *tx).await? {
            return Ok(p);
        }
        sqlx::query("INSERT INTO participants (participation_id, kind, token_hash, confirmed_at, created_at) VALUES ($1, 'gast', $2, $3, $3)")
            .bind(participation_id).bind(token_hash).bind(now_secs()).execute(&mut *tx).await?;
        let p = sqlx::query_as::<_, Participant>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(participation_id).bind(token_hash).fetch_one(&mut *tx).await?;
        Ok(p)
    })
}

/// Register an e-mail address awaiting confirmation. A repeated registration gets a new confirmation token
/// (for a confirmed address the link moves participation to the browser that opens it).
pub async fn register_email(
    db: &Db,
    participation_id: i64,
    email: &str,
    confirm_hash: &str,
    token_hash: &str,
) -> StoreResult<()> {
    in_tx!(db, tx => {
        let existing: Option<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT id, confirmed_at FROM participants WHERE participation_id = $1 AND email = $2",
        )
        .bind(participation_id).bind(email).fetch_optional(&mut *tx).await?;
        match existing {
            // Already confirmed: the new link lets this person continue in another browser.
            Some((id, Some(_))) => {
                sqlx::query("UPDATE participants SET confirm_hash = $2 WHERE id = $1")
                    .bind(id).bind(confirm_hash).execute(&mut *tx).await?;
                Ok(())
            }
            Some((id, None)) => {
                sqlx::query("UPDATE participants SET confirm_hash = $2, token_hash = $3 WHERE id = $1")
                    .bind(id).bind(confirm_hash).bind(token_hash).execute(&mut *tx).await?;
                Ok(())
            }
            None => {
                sqlx::query(
                    "INSERT INTO participants (participation_id, kind, email, confirm_hash, token_hash, created_at) \
                     VALUES ($1, 'email', $2, $3, $4, $5)",
                )
                .bind(participation_id).bind(email).bind(confirm_hash).bind(token_hash).bind(now_secs())
                .execute(&mut *tx).await.map_err(StoreError::classify)?;
                Ok(())
            }
        }
    })
}

/// Confirm an e-mail participant by the token from the mail; the browser that clicks gets `token_hash`.
pub async fn confirm_email(
    db: &Db,
    confirm_hash: &str,
    token_hash: &str,
) -> StoreResult<Participant> {
    let sql = format!("{PARTICIPANT} WHERE id = $1");
    in_tx!(db, tx => {
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE participants SET confirmed_at = COALESCE(confirmed_at, $2), confirm_hash = NULL, token_hash = $3 \
             WHERE confirm_hash = $1 AND anonymised_at IS NULL RETURNING id",
        )
        .bind(confirm_hash).bind(now_secs()).bind(token_hash).fetch_optional(&mut *tx).await?;
        let Some(id) = id else { return Err(StoreError::NotFound) };
        let p = sqlx::query_as::<_, Participant>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_one(&mut *tx).await?;
        Ok(p)
    })
}

/// Redeem a single-use access code: `NotFound` for an unknown code, `Conflict` for a used one.
pub async fn redeem_code(
    db: &Db,
    participation_id: i64,
    code_hash: &str,
    token_hash: &str,
) -> StoreResult<Participant> {
    let sql = format!("{PARTICIPANT} WHERE code_id = $1");
    in_tx!(db, tx => {
        let code: Option<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT id, used_at FROM access_codes WHERE code_hash = $1 AND participation_id = $2",
        )
        .bind(code_hash).bind(participation_id).fetch_optional(&mut *tx).await?;
        let Some((code_id, used)) = code else { return Err(StoreError::NotFound) };
        if used.is_some() {
            return Err(StoreError::Conflict("access_codes.used".into()));
        }
        // The `used_at IS NULL` condition makes the redemption single-use under parallel requests too.
        let n = sqlx::query("UPDATE access_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
            .bind(code_id).bind(now_secs()).execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict("access_codes.used".into()));
        }
        sqlx::query(
            "INSERT INTO participants (participation_id, kind, code_id, token_hash, confirmed_at, created_at) VALUES ($1, 'code', $2, $3, $4, $4)",
        )
        .bind(participation_id).bind(code_id).bind(token_hash).bind(now_secs())
        .execute(&mut *tx).await.map_err(StoreError::classify)?;
        let p = sqlx::query_as::<_, Participant>(sqlx::AssertSqlSafe(sql.clone())).bind(code_id).fetch_one(&mut *tx).await?;
        Ok(p)
    })
}

/// Store a batch of access codes (their hashes); returns the batch number.
pub async fn add_codes(db: &Db, participation_id: i64, code_hashes: &[String]) -> StoreResult<i64> {
    in_tx!(db, tx => {
        let batch: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(batch), 0) + 1 FROM access_codes WHERE participation_id = $1")
            .bind(participation_id).fetch_one(&mut *tx).await?;
        for h in code_hashes {
            sqlx::query("INSERT INTO access_codes (participation_id, code_hash, batch, created_at) VALUES ($1, $2, $3, $4)")
                .bind(participation_id).bind(h).bind(batch).bind(now_secs())
                .execute(&mut *tx).await.map_err(StoreError::classify)?;
        }
        Ok(batch)
    })
}

/// `(issued, used)` access codes of a format.
pub async fn code_counts(db: &Db, participation_id: i64) -> StoreResult<(i64, i64)> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT COUNT(*), COUNT(used_at) FROM access_codes WHERE participation_id = $1",
        )
        .bind(participation_id).fetch_one(pool).await?
    });
    Ok(row)
}

/// How many people take part (confirmed), for result pages.
pub async fn participant_count(db: &Db, participation_id: i64) -> StoreResult<i64> {
    let n = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM participants WHERE participation_id = $1 AND (kind <> 'email' OR confirmed_at IS NOT NULL)",
        )
        .bind(participation_id).fetch_one(pool).await?
    });
    Ok(n)
}

/// Remove the personal data of one participant: account link, e-mail, browser token. Contributions and
/// votes stay (so aggregates stay correct) but no longer point to a person.
pub async fn anonymise(db: &Db, participant_id: i64) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query(
            "UPDATE participants SET user_id = NULL, email = NULL, confirm_hash = NULL, token_hash = NULL, \
             anonymised_at = COALESCE(anonymised_at, $2) WHERE id = $1",
        )
        .bind(participant_id).bind(now_secs()).execute(pool).await?;
    });
    Ok(())
}

/// Anonymise every participant of formats whose retention period has passed; returns how many formats.
pub async fn apply_retention(db: &Db, now: i64) -> StoreResult<u64> {
    in_tx!(db, tx => {
        let due: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM participations WHERE personal_data_removed_at IS NULL AND closes_at + retention_days * 86400 < $1",
        )
        .bind(now).fetch_all(&mut *tx).await?;
        for id in &due {
            sqlx::query(
                "UPDATE participants SET user_id = NULL, email = NULL, confirm_hash = NULL, token_hash = NULL, \
                 anonymised_at = COALESCE(anonymised_at, $2) WHERE participation_id = $1",
            )
            .bind(*id).bind(now).execute(&mut *tx).await?;
            sqlx::query("UPDATE participations SET personal_data_removed_at = $2 WHERE id = $1")
                .bind(*id).bind(now).execute(&mut *tx).await?;
        }
        Ok(due.len() as u64)
    })
}

// ---------------------------------------------------------------------------------------------------------
// Rate limits

/// Count one hit for `key` in the current window of `window_secs`; true while at most `limit` hits.
/// The key is a hash (never a plain IP address); old windows are purged by [`purge_rate_hits`].
pub async fn rate_hit(db: &Db, key: &str, window_secs: i64, limit: i64) -> StoreResult<bool> {
    let window = now_secs() / window_secs * window_secs;
    let hits = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO rate_hits (key, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_hits.hits + 1 RETURNING hits",
        )
        .bind(key).bind(window).fetch_one(pool).await?
    });
    Ok(hits <= limit)
}

/// Forget rate-limit windows older than `max_window_secs`.
pub async fn purge_rate_hits(db: &Db, max_window_secs: i64) -> StoreResult<u64> {
    let n = on_db!(db, pool => {
        sqlx::query("DELETE FROM rate_hits WHERE window_start < $1")
            .bind(now_secs() - max_window_secs).execute(pool).await?.rows_affected()
    });
    Ok(n)
}

// ---------------------------------------------------------------------------------------------------------
// Links to measures

pub async fn link_measure(
    db: &Db,
    participation_id: i64,
    item_kind: &str,
    item_id: i64,
    measure_id: i64,
) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query(
            "INSERT INTO participation_links (participation_id, item_kind, item_id, measure_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(participation_id).bind(item_kind).bind(item_id).bind(measure_id).bind(now_secs())
        .execute(pool).await?;
    });
    Ok(())
}

/// `(item_kind, item_id, measure_id, measure title)` of a format.
pub async fn links(db: &Db, participation_id: i64) -> StoreResult<Vec<(String, i64, i64, String)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (String, i64, i64, String)>(
            "SELECT l.item_kind, l.item_id, l.measure_id, m.title FROM participation_links l \
             JOIN measures m ON m.id = l.measure_id WHERE l.participation_id = $1 ORDER BY l.created_at",
        )
        .bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// `(participation id, title, item_kind, item_id)` that fed a measure.
pub async fn links_to_measure(
    db: &Db,
    measure_id: i64,
) -> StoreResult<Vec<(i64, String, String, i64)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, String, String, i64)>(
            "SELECT p.id, p.title, l.item_kind, l.item_id FROM participation_links l \
             JOIN participations p ON p.id = l.participation_id WHERE l.measure_id = $1 ORDER BY l.created_at",
        )
        .bind(measure_id).fetch_all(pool).await?
    });
    Ok(rows)
}

// ---------------------------------------------------------------------------------------------------------
// Items (what a point voting or benefit analysis is about)

/// An item with its title, resolved from the measure or idea it names.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Item {
    pub item_kind: String,
    pub item_id: i64,
    pub title: String,
    pub position: i64,
}

/// Replace the items of a format (measures must belong to the format's city).
pub async fn set_items(db: &Db, participation_id: i64, items: &[(&str, i64)]) -> StoreResult<()> {
    in_tx!(db, tx => {
        sqlx::query("DELETE FROM participation_items WHERE participation_id = $1")
            .bind(participation_id).execute(&mut *tx).await?;
        for (pos, (kind, id)) in items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO participation_items (participation_id, item_kind, item_id, position) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(participation_id).bind(*kind).bind(*id).bind(pos as i64)
            .execute(&mut *tx).await?;
        }
        Ok(())
    })
}

/// The items of a format with their titles, in the order given. Ideas are resolved when the `ideas` table
/// has them; measures from `measures`.
pub async fn items(db: &Db, participation_id: i64) -> StoreResult<Vec<Item>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Item>(
            "SELECT i.item_kind, i.item_id, COALESCE(m.title, d.title, '') AS title, i.position FROM participation_items i \
             LEFT JOIN measures m ON i.item_kind = 'massnahme' AND m.id = i.item_id \
             LEFT JOIN ideas d ON i.item_kind = 'idee' AND d.id = i.item_id \
             WHERE i.participation_id = $1 ORDER BY i.position",
        )
        .bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Everything a request on one format needs before it acts, read in one query: the city (by its slug), the
/// format (of that city), the visitor's participant (by account first, else by the participation cookie's
/// token hash) and whether `item` (kind, id) is one of the format's items. `None` when the city or the format
/// does not exist. This is the vote path's only read before the group-commit writer.
pub struct FormatContext {
    pub municipality: crate::municipalities::Municipality,
    pub participation: Participation,
    pub participant: Option<Participant>,
    pub has_item: bool,
}

pub async fn format_context(
    db: &Db,
    slug: &str,
    id: i64,
    user_id: Option<i64>,
    token_hash: Option<&str>,
    item: Option<(&str, i64)>,
) -> StoreResult<Option<FormatContext>> {
    use sqlx::Row;
    // The participation's own columns keep their names (for its `FromRow`); the others are prefixed.
    const SQL: &str = "SELECT p.id, p.municipality_id, p.kind, p.title, p.description, p.purpose, p.legal_basis, \
        p.opens_at, p.closes_at, p.access, p.published, p.results_public, p.premoderation, p.points, p.cumulative, \
        p.retention_days, p.personal_data_removed_at, \
        m.slug AS m_slug, m.name AS m_name, m.ags AS m_ags, m.population AS m_population, m.state AS m_state, \
        m.is_demo AS m_is_demo, \
        pa.id AS pa_id, pa.kind AS pa_kind, pa.user_id AS pa_user_id, pa.email AS pa_email, \
        pa.confirmed_at AS pa_confirmed_at, pa.created_at AS pa_created_at, pa.anonymised_at AS pa_anonymised_at, \
        EXISTS (SELECT 1 FROM participation_items i WHERE i.participation_id = p.id AND i.item_kind = $5 \
            AND i.item_id = $6) AS has_item \
        FROM municipalities m \
        JOIN participations p ON p.municipality_id = m.id AND p.id = $2 \
        LEFT JOIN participants pa ON pa.id = ( \
            SELECT x.id FROM participants x WHERE x.participation_id = p.id \
            AND (x.user_id = $3 OR x.token_hash = $4) \
            ORDER BY CASE WHEN x.user_id = $3 THEN 0 ELSE 1 END LIMIT 1) \
        WHERE m.slug = $1";
    let (kind, item_id) = item.unwrap_or(("", 0));
    let ctx = on_db!(db, pool => {
        let row = sqlx::query(SQL)
            .bind(slug)
            .bind(id)
            .bind(user_id)
            .bind(token_hash)
            .bind(kind)
            .bind(item_id)
            .fetch_optional(pool)
            .await?;
        match row {
            None => None,
            Some(row) => {
                let participation: Participation = sqlx::FromRow::from_row(&row)?;
                let municipality = crate::municipalities::Municipality {
                    id: participation.municipality_id,
                    slug: row.try_get("m_slug")?,
                    name: row.try_get("m_name")?,
                    ags: row.try_get("m_ags")?,
                    population: row.try_get("m_population")?,
                    state: row.try_get("m_state")?,
                    is_demo: row.try_get("m_is_demo")?,
                };
                let participant = match row.try_get::<Option<i64>, _>("pa_id")? {
                    None => None,
                    Some(pa_id) => Some(Participant {
                        id: pa_id,
                        participation_id: participation.id,
                        kind: row.try_get("pa_kind")?,
                        user_id: row.try_get("pa_user_id")?,
                        email: row.try_get("pa_email")?,
                        confirmed_at: row.try_get("pa_confirmed_at")?,
                        created_at: row.try_get("pa_created_at")?,
                        anonymised_at: row.try_get("pa_anonymised_at")?,
                    }),
                };
                Some(FormatContext {
                    municipality,
                    participation,
                    participant,
                    has_item: row.try_get("has_item")?,
                })
            }
        }
    });
    Ok(ctx)
}
