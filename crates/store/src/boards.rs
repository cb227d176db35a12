//! Live boards of workshops.
//!
//! Every change to a board runs in one write transaction that first takes the board's next sequence number
//! (`UPDATE boards SET seq = seq + 1 … RETURNING seq`). That row lock serialises writers per board, so
//! events commit in sequence order and every state read after it is current; the transaction ends by
//! appending exactly one event (`board_events`, the SSE event id is its `seq`) and, on PostgreSQL,
//! `pg_notify('werkstatt_board', workshop_id)`, which PostgreSQL delivers to every node on commit.
//!
//! Dot budgets are enforced by the schema: `board_dot_budgets.used <= max_dots` and
//! `board_votes.dots <= max_per_card` are CHECK constraints, so parallel votes cannot overspend.

use crate::{Db, DbKind, Pool, StoreError, StoreResult, in_tx, now_secs, on_db};
use serde::Serialize;
use serde_json::{Value, json};

/// The PostgreSQL channel that carries board changes between nodes.
pub const CHANNEL: &str = "werkstatt_board";

/// Why a board change was refused (nothing was written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The participant has spent all dots of this round.
    NoDotsLeft,
    /// The round does not allow more than one dot per card.
    OneDotPerCard,
    /// There is no dot of this participant on the card to take back.
    NothingToTakeBack,
    /// No voting round is open.
    NoOpenRound,
    /// A round is already open.
    RoundAlreadyOpen,
    /// Too many cards in a short time.
    TooFast,
    /// The card or cluster does not belong to this board.
    Unknown,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::NoDotsLeft => "board-no-dots-left",
            Refusal::OneDotPerCard => "board-one-dot-per-card",
            Refusal::NothingToTakeBack => "board-nothing-to-take-back",
            Refusal::NoOpenRound => "board-no-open-round",
            Refusal::RoundAlreadyOpen => "board-round-already-open",
            Refusal::TooFast => "board-too-fast",
            Refusal::Unknown => "board-unknown",
        }
    }
}

/// A board with the workshop facts that decide who may use it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Board {
    pub workshop_id: i64,
    pub municipality_id: Option<i64>,
    pub join_code: String,
    pub guests_allowed: bool,
    pub closed: bool,
    pub seq: i64,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
}

const BOARD_SELECT: &str = "SELECT b.workshop_id, w.municipality_id, b.join_code, b.guests_allowed, b.closed, b.seq, \
     w.title, w.starts_at, w.ends_at FROM boards b JOIN workshops w ON w.id = b.workshop_id";

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Card {
    pub id: i64,
    pub text: String,
    pub category: Option<String>,
    pub cluster_id: Option<i64>,
    pub hidden: bool,
    pub merged_into: Option<i64>,
    pub participant_id: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Cluster {
    pub id: i64,
    pub name: String,
    pub position: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Round {
    pub id: i64,
    pub number: i64,
    pub dots: i64,
    pub cumulative: bool,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Participant {
    pub id: i64,
    pub workshop_id: i64,
    pub user_id: Option<i64>,
    pub display_name: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Link {
    pub card_id: i64,
    pub target_kind: String,
    pub target_id: i64,
    pub label: String,
}

/// One entry of a board's event log.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Event {
    pub workshop_id: i64,
    pub seq: i64,
    pub kind: String,
    pub data: String,
}

/// Votes of one round: `(card_id, dots)` for cards with at least one dot.
pub type Tally = Vec<(i64, i64)>;

/// Take the board's next sequence number; locks the board row until the transaction ends.
macro_rules! next_seq {
    ($tx:ident, $wid:expr) => {{
        let seq: Option<i64> = sqlx::query_scalar(
            "UPDATE boards SET seq = seq + 1 WHERE workshop_id = $1 RETURNING seq",
        )
        .bind($wid)
        .fetch_optional(&mut *$tx)
        .await?;
        seq.ok_or(StoreError::NotFound)?
    }};
}

/// Append the transaction's one event and tell the other nodes (PostgreSQL delivers NOTIFY on commit).
macro_rules! emit {
    ($tx:ident, $pg:expr, $wid:expr, $seq:expr, $kind:expr, $data:expr) => {{
        sqlx::query("INSERT INTO board_events (workshop_id, seq, kind, data, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind($wid)
            .bind($seq)
            .bind($kind)
            .bind($data.to_string())
            .bind(now_secs())
            .execute(&mut *$tx)
            .await?;
        if $pg {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind($wid.to_string())
                .execute(&mut *$tx)
                .await?;
        }
    }};
}

fn refused(r: Refusal) -> StoreError {
    StoreError::Refused(r.key())
}

/// Map a CHECK violation (the dot guards) to a refusal; keep every other error.
fn check_to(e: sqlx::Error, r: Refusal) -> StoreError {
    if let sqlx::Error::Database(d) = &e
        && d.kind() == sqlx::error::ErrorKind::CheckViolation
    {
        return refused(r);
    }
    StoreError::Database(e)
}

/// Create the board of a workshop with `join_code`. `Conflict` if the code is taken or the board exists.
pub async fn create(
    db: &Db,
    workshop_id: i64,
    join_code: &str,
    guests_allowed: bool,
) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query("INSERT INTO boards (workshop_id, join_code, guests_allowed, created_at) VALUES ($1, $2, $3, $4)")
            .bind(workshop_id).bind(join_code).bind(guests_allowed).bind(now_secs())
            .execute(pool).await.map_err(StoreError::classify)?;
    });
    Ok(())
}

pub async fn get(db: &Db, workshop_id: i64) -> StoreResult<Option<Board>> {
    let sql = format!("{BOARD_SELECT} WHERE b.workshop_id = $1");
    let b = on_db!(db, pool => {
        sqlx::query_as::<_, Board>(sqlx::AssertSqlSafe(sql.clone())).bind(workshop_id).fetch_optional(pool).await?
    });
    Ok(b)
}

/// The board with this join code (codes are stored upper-case).
pub async fn by_code(db: &Db, code: &str) -> StoreResult<Option<Board>> {
    let sql = format!("{BOARD_SELECT} WHERE b.join_code = $1");
    let b = on_db!(db, pool => {
        sqlx::query_as::<_, Board>(sqlx::AssertSqlSafe(sql.clone())).bind(code).fetch_optional(pool).await?
    });
    Ok(b)
}

/// Change who may join and whether the board takes contributions; announced as a `settings` event.
pub async fn set_settings(
    db: &Db,
    workshop_id: i64,
    guests_allowed: bool,
    closed: bool,
) -> StoreResult<i64> {
    let pg = db.kind() == DbKind::Postgres;
    in_tx!(db, tx => {
        let seq = next_seq!(tx, workshop_id);
        sqlx::query("UPDATE boards SET guests_allowed = $2, closed = $3 WHERE workshop_id = $1")
            .bind(workshop_id).bind(guests_allowed).bind(closed).execute(&mut *tx).await?;
        emit!(tx, pg, workshop_id, seq, "settings", json!({"closed": closed, "guests_allowed": guests_allowed}));
        Ok(seq)
    })
}

// ---------------------------------------------------------------------------------------------------------
// Participants

const PARTICIPANT: &str = "SELECT id, workshop_id, user_id, display_name FROM board_participants";

/// The participant row of an account on this board, created on first join.
pub async fn join_user(
    db: &Db,
    workshop_id: i64,
    user_id: i64,
    name: &str,
) -> StoreResult<Participant> {
    let sql = format!("{PARTICIPANT} WHERE workshop_id = $1 AND user_id = $2");
    in_tx!(db, tx => {
        let existing = sqlx::query_as::<_, Participant>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(workshop_id).bind(user_id).fetch_optional(&mut *tx).await?;
        if let Some(p) = existing {
            return Ok(p);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO board_participants (workshop_id, user_id, display_name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(workshop_id).bind(user_id).bind(name).bind(now_secs())
        .fetch_one(&mut *tx).await?;
        Ok(Participant { id, workshop_id, user_id: Some(user_id), display_name: name.to_string() })
    })
}

/// A guest joins with a display name; `token_hash` is the hash of the token kept in the guest's cookie.
pub async fn join_guest(
    db: &Db,
    workshop_id: i64,
    name: &str,
    token_hash: &str,
) -> StoreResult<Participant> {
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO board_participants (workshop_id, display_name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(workshop_id).bind(name).bind(token_hash).bind(now_secs())
        .fetch_one(pool).await.map_err(StoreError::classify)?
    });
    Ok(Participant {
        id,
        workshop_id,
        user_id: None,
        display_name: name.to_string(),
    })
}

pub async fn guest(
    db: &Db,
    workshop_id: i64,
    token_hash: &str,
) -> StoreResult<Option<Participant>> {
    let sql = format!("{PARTICIPANT} WHERE workshop_id = $1 AND token_hash = $2");
    let p = on_db!(db, pool => {
        sqlx::query_as::<_, Participant>(sqlx::AssertSqlSafe(sql.clone())).bind(workshop_id).bind(token_hash).fetch_optional(pool).await?
    });
    Ok(p)
}

pub async fn participant_of_user(
    db: &Db,
    workshop_id: i64,
    user_id: i64,
) -> StoreResult<Option<Participant>> {
    let sql = format!("{PARTICIPANT} WHERE workshop_id = $1 AND user_id = $2");
    let p = on_db!(db, pool => {
        sqlx::query_as::<_, Participant>(sqlx::AssertSqlSafe(sql.clone())).bind(workshop_id).bind(user_id).fetch_optional(pool).await?
    });
    Ok(p)
}

pub async fn participants(db: &Db, workshop_id: i64) -> StoreResult<Vec<Participant>> {
    let sql = format!("{PARTICIPANT} WHERE workshop_id = $1 ORDER BY id");
    let p = on_db!(db, pool => {
        sqlx::query_as::<_, Participant>(sqlx::AssertSqlSafe(sql.clone())).bind(workshop_id).fetch_all(pool).await?
    });
    Ok(p)
}

// ---------------------------------------------------------------------------------------------------------
// Cards and clusters

const CARD: &str = "SELECT id, text, category, cluster_id, hidden, merged_into, participant_id, created_at FROM board_cards";

fn card_event(c: &Card) -> Value {
    if c.hidden {
        // A hidden card's text is not sent to participants' screens.
        json!({"id": c.id, "hidden": true, "cluster_id": c.cluster_id, "merged_into": c.merged_into})
    } else {
        json!({"id": c.id, "hidden": false, "text": c.text, "category": c.category, "cluster_id": c.cluster_id})
    }
}

/// What a new card needs.
pub struct NewCard<'a> {
    pub participant_id: Option<i64>,
    pub text: &'a str,
    pub category: Option<&'a str>,
    pub cluster_id: Option<i64>,
    /// At most this many cards by the participant within `window_secs` (`None`: no limit, e.g. moderators).
    pub rate: Option<(i64, i64)>,
}

pub async fn add_card(db: &Db, workshop_id: i64, n: &NewCard<'_>) -> StoreResult<Card> {
    let pg = db.kind() == DbKind::Postgres;
    let now = now_secs();
    let sql = format!("{CARD} WHERE id = $1");
    in_tx!(db, tx => {
        let seq = next_seq!(tx, workshop_id);
        if let (Some(pid), Some((limit, window))) = (n.participant_id, n.rate) {
            let recent: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM board_cards WHERE participant_id = $1 AND created_at > $2",
            )
            .bind(pid).bind(now - window).fetch_one(&mut *tx).await?;
            if recent >= limit {
                return Err(refused(Refusal::TooFast));
            }
        }
        if let Some(cid) = n.cluster_id {
            let ok: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM board_clusters WHERE id = $1 AND workshop_id = $2 AND removed = FALSE")
                .bind(cid).bind(workshop_id).fetch_one(&mut *tx).await?;
            if ok == 0 {
                return Err(refused(Refusal::Unknown));
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO board_cards (workshop_id, participant_id, text, category, cluster_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(workshop_id).bind(n.participant_id).bind(n.text).bind(n.category).bind(n.cluster_id).bind(now)
        .fetch_one(&mut *tx).await?;
        let card = sqlx::query_as::<_, Card>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_one(&mut *tx).await?;
        emit!(tx, pg, workshop_id, seq, "card", card_event(&card));
        Ok(card)
    })
}

/// A moderator's change to a card.
#[derive(Debug, Clone)]
pub enum CardChange {
    Edit {
        text: String,
        category: Option<String>,
    },
    Move {
        cluster_id: Option<i64>,
    },
    Hide(bool),
}

pub async fn change_card(
    db: &Db,
    workshop_id: i64,
    card_id: i64,
    change: &CardChange,
) -> StoreResult<Card> {
    let pg = db.kind() == DbKind::Postgres;
    let now = now_secs();
    let sql = format!("{CARD} WHERE id = $1 AND workshop_id = $2");
    in_tx!(db, tx => {
        let seq = next_seq!(tx, workshop_id);
        let exists = sqlx::query_as::<_, Card>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(card_id).bind(workshop_id).fetch_optional(&mut *tx).await?;
        if exists.is_none() {
            return Err(refused(Refusal::Unknown));
        }
        match change {
            CardChange::Edit { text, category } => {
                sqlx::query("UPDATE board_cards SET text = $2, category = $3, updated_at = $4 WHERE id = $1")
                    .bind(card_id).bind(text).bind(category.as_deref()).bind(now).execute(&mut *tx).await?;
            }
            CardChange::Move { cluster_id } => {
                if let Some(cid) = cluster_id {
                    let ok: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM board_clusters WHERE id = $1 AND workshop_id = $2 AND removed = FALSE")
                        .bind(*cid).bind(workshop_id).fetch_one(&mut *tx).await?;
                    if ok == 0 {
                        return Err(refused(Refusal::Unknown));
                    }
                }
                sqlx::query("UPDATE board_cards SET cluster_id = $2, updated_at = $3 WHERE id = $1")
                    .bind(card_id).bind(*cluster_id).bind(now).execute(&mut *tx).await?;
            }
            CardChange::Hide(hidden) => {
                sqlx::query("UPDATE board_cards SET hidden = $2, merged_into = NULL, updated_at = $3 WHERE id = $1")
                    .bind(card_id).bind(*hidden).bind(now).execute(&mut *tx).await?;
            }
        }
        let card = sqlx::query_as::<_, Card>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(card_id).bind(workshop_id).fetch_one(&mut *tx).await?;
        emit!(tx, pg, workshop_id, seq, "card", card_event(&card));
        Ok(card)
    })
}

/// Merge card `from` into `into`: `from` is hidden and points to `into`; its dots in open rounds stay where
/// they were given (a merge does not move anyone's votes).
pub async fn merge_cards(db: &Db, workshop_id: i64, from: i64, into: i64) -> StoreResult<()> {
    if from == into {
        return Err(refused(Refusal::Unknown));
    }
    let pg = db.kind() == DbKind::Postgres;
    let now = now_secs();
    in_tx!(db, tx => {
        let seq = next_seq!(tx, workshop_id);
        let both: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM board_cards WHERE workshop_id = $1 AND id IN ($2, $3) AND hidden = FALSE")
            .bind(workshop_id).bind(from).bind(into).fetch_one(&mut *tx).await?;
        if both != 2 {
            return Err(refused(Refusal::Unknown));
        }
        sqlx::query("UPDATE board_cards SET hidden = TRUE, merged_into = $2, updated_at = $3 WHERE id = $1")
            .bind(from).bind(into).bind(now).execute(&mut *tx).await?;
        emit!(tx, pg, workshop_id, seq, "card", json!({"id": from, "hidden": true, "merged_into": into}));
        Ok(())
    })
}

pub async fn add_cluster(db: &Db, workshop_id: i64, name: &str) -> StoreResult<Cluster> {
    let pg = db.kind() == DbKind::Postgres;
    in_tx!(db, tx => {
        let seq = next_seq!(tx, workshop_id);
        let position: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM board_clusters WHERE workshop_id = $1")
            .bind(workshop_id).fetch_one(&mut *tx).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO board_clusters (workshop_id, name, position, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(workshop_id).bind(name).bind(position).bind(now_secs()).fetch_one(&mut *tx).await?;
        let c = Cluster { id, name: name.to_string(), position };
        emit!(tx, pg, workshop_id, seq, "cluster", json!({"id": id, "name": name, "position": position}));
        Ok(c)
    })
}

pub async fn rename_cluster(
    db: &Db,
    workshop_id: i64,
    cluster_id: i64,
    name: &str,
) -> StoreResult<()> {
    let pg = db.kind() == DbKind::Postgres;
    in_tx!(db, tx => {
        let seq = next_seq!(tx, workshop_id);
        let position: Option<i64> = sqlx::query_scalar(
            "UPDATE board_clusters SET name = $3 WHERE id = $1 AND workshop_id = $2 AND removed = FALSE RETURNING position",
        )
        .bind(cluster_id).bind(workshop_id).bind(name).fetch_optional(&mut *tx).await?;
        let Some(position) = position else { return Err(refused(Refusal::Unknown)) };
        emit!(tx, pg, workshop_id, seq, "cluster", json!({"id": cluster_id, "name": name, "position": position}));
        Ok(())
    })
}

/// Dissolve a cluster: its cards go back to the unsorted area.
pub async fn remove_cluster(db: &Db, workshop_id: i64, cluster_id: i64) -> StoreResult<()> {
    let pg = db.kind() == DbKind::Postgres;
    in_tx!(db, tx => {
        let seq = next_seq!(tx, workshop_id);
        let n = sqlx::query("UPDATE board_clusters SET removed = TRUE WHERE id = $1 AND workshop_id = $2 AND removed = FALSE")
            .bind(cluster_id).bind(workshop_id).execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            return Err(refused(Refusal::Unknown));
        }
        sqlx::query("UPDATE board_cards SET cluster_id = NULL WHERE cluster_id = $1").bind(cluster_id).execute(&mut *tx).await?;
        emit!(tx, pg, workshop_id, seq, "cluster_removed", json!({"id": cluster_id}));
        Ok(())
    })
}

/// All cards of the board (hidden ones too; the caller filters by role), in creation order.
pub async fn cards(db: &Db, workshop_id: i64) -> StoreResult<Vec<Card>> {
    let sql = format!("{CARD} WHERE workshop_id = $1 ORDER BY id");
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Card>(sqlx::AssertSqlSafe(sql.clone())).bind(workshop_id).fetch_all(pool).await?
    });
    Ok(rows)
}

pub async fn card(db: &Db, workshop_id: i64, card_id: i64) -> StoreResult<Card> {
    let sql = format!("{CARD} WHERE id = $1 AND workshop_id = $2");
    let c = on_db!(db, pool => {
        sqlx::query_as::<_, Card>(sqlx::AssertSqlSafe(sql.clone())).bind(card_id).bind(workshop_id).fetch_optional(pool).await?
    });
    c.ok_or(StoreError::NotFound)
}

pub async fn clusters(db: &Db, workshop_id: i64) -> StoreResult<Vec<Cluster>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Cluster>("SELECT id, name, position FROM board_clusters WHERE workshop_id = $1 AND removed = FALSE ORDER BY position, id")
            .bind(workshop_id).fetch_all(pool).await?
    });
    Ok(rows)
}

// ---------------------------------------------------------------------------------------------------------
// Dot voting

const ROUND: &str = "SELECT id, number, dots, cumulative, opened_at, closed_at FROM board_rounds";

pub async fn open_round(
    db: &Db,
    workshop_id: i64,
    dots: i64,
    cumulative: bool,
) -> StoreResult<Round> {
    let pg = db.kind() == DbKind::Postgres;
    let now = now_secs();
    in_tx!(db, tx => {
        let seq = next_seq!(tx, workshop_id);
        let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM board_rounds WHERE workshop_id = $1 AND closed_at IS NULL")
            .bind(workshop_id).fetch_one(&mut *tx).await?;
        if open > 0 {
            return Err(refused(Refusal::RoundAlreadyOpen));
        }
        let number: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM board_rounds WHERE workshop_id = $1")
            .bind(workshop_id).fetch_one(&mut *tx).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO board_rounds (workshop_id, number, dots, cumulative, opened_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(workshop_id).bind(number).bind(dots).bind(cumulative).bind(now).fetch_one(&mut *tx).await?;
        let r = Round { id, number, dots, cumulative, opened_at: now, closed_at: None };
        emit!(tx, pg, workshop_id, seq, "round", json!({"id": id, "number": number, "dots": dots, "cumulative": cumulative, "open": true}));
        Ok(r)
    })
}

pub async fn close_round(db: &Db, workshop_id: i64) -> StoreResult<()> {
    let pg = db.kind() == DbKind::Postgres;
    let now = now_secs();
    let sql = format!("{ROUND} WHERE workshop_id = $1 AND closed_at IS NULL");
    in_tx!(db, tx => {
        let seq = next_seq!(tx, workshop_id);
        let r = sqlx::query_as::<_, Round>(sqlx::AssertSqlSafe(sql.clone())).bind(workshop_id).fetch_optional(&mut *tx).await?;
        let Some(r) = r else { return Err(refused(Refusal::NoOpenRound)) };
        sqlx::query("UPDATE board_rounds SET closed_at = $2 WHERE id = $1").bind(r.id).bind(now).execute(&mut *tx).await?;
        emit!(tx, pg, workshop_id, seq, "round", json!({"id": r.id, "number": r.number, "dots": r.dots, "cumulative": r.cumulative, "open": false}));
        Ok(())
    })
}

pub async fn rounds(db: &Db, workshop_id: i64) -> StoreResult<Vec<Round>> {
    let sql = format!("{ROUND} WHERE workshop_id = $1 ORDER BY number");
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Round>(sqlx::AssertSqlSafe(sql.clone())).bind(workshop_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Give (`delta = 1`) or take back (`delta = -1`) one dot on a card in the open round. Returns the
/// participant's remaining dots. The budget row's CHECK is the final guard against overspending.
pub async fn vote(
    db: &Db,
    workshop_id: i64,
    participant_id: i64,
    card_id: i64,
    delta: i64,
) -> StoreResult<i64> {
    let pg = db.kind() == DbKind::Postgres;
    let round_sql = format!("{ROUND} WHERE workshop_id = $1 AND closed_at IS NULL");
    in_tx!(db, tx => {
        let seq = next_seq!(tx, workshop_id);
        let r = sqlx::query_as::<_, Round>(sqlx::AssertSqlSafe(round_sql.clone())).bind(workshop_id).fetch_optional(&mut *tx).await?;
        let Some(r) = r else { return Err(refused(Refusal::NoOpenRound)) };
        let visible: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM board_cards WHERE id = $1 AND workshop_id = $2 AND hidden = FALSE")
            .bind(card_id).bind(workshop_id).fetch_one(&mut *tx).await?;
        if visible == 0 {
            return Err(refused(Refusal::Unknown));
        }
        sqlx::query("INSERT INTO board_dot_budgets (round_id, participant_id, max_dots, used) VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING")
            .bind(r.id).bind(participant_id).bind(r.dots).execute(&mut *tx).await?;
        let per_card = if r.cumulative { r.dots } else { 1 };
        if delta > 0 {
            sqlx::query("UPDATE board_dot_budgets SET used = used + 1 WHERE round_id = $1 AND participant_id = $2")
                .bind(r.id).bind(participant_id).execute(&mut *tx).await
                .map_err(|e| check_to(e, Refusal::NoDotsLeft))?;
            sqlx::query(
                "INSERT INTO board_votes (round_id, participant_id, card_id, dots, max_per_card) VALUES ($1, $2, $3, 1, $4) \
                 ON CONFLICT (round_id, participant_id, card_id) DO UPDATE SET dots = board_votes.dots + 1",
            )
            .bind(r.id).bind(participant_id).bind(card_id).bind(per_card).execute(&mut *tx).await
            .map_err(|e| check_to(e, Refusal::OneDotPerCard))?;
        } else {
            let n = sqlx::query("UPDATE board_votes SET dots = dots - 1 WHERE round_id = $1 AND participant_id = $2 AND card_id = $3 AND dots > 1")
                .bind(r.id).bind(participant_id).bind(card_id).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                let d = sqlx::query("DELETE FROM board_votes WHERE round_id = $1 AND participant_id = $2 AND card_id = $3")
                    .bind(r.id).bind(participant_id).bind(card_id).execute(&mut *tx).await?.rows_affected();
                if d == 0 {
                    return Err(refused(Refusal::NothingToTakeBack));
                }
            }
            sqlx::query("UPDATE board_dot_budgets SET used = used - 1 WHERE round_id = $1 AND participant_id = $2")
                .bind(r.id).bind(participant_id).execute(&mut *tx).await?;
        }
        let used: i64 = sqlx::query_scalar("SELECT used FROM board_dot_budgets WHERE round_id = $1 AND participant_id = $2")
            .bind(r.id).bind(participant_id).fetch_one(&mut *tx).await?;
        let total: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(SUM(dots), 0) AS BIGINT) FROM board_votes WHERE round_id = $1 AND card_id = $2")
            .bind(r.id).bind(card_id).fetch_one(&mut *tx).await?;
        emit!(tx, pg, workshop_id, seq, "dots", json!({"round": r.id, "card": card_id, "dots": total}));
        Ok(r.dots - used)
    })
}

/// `(card_id, dots)` of a round, most dots first.
pub async fn tally(db: &Db, round_id: i64) -> StoreResult<Tally> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT card_id, CAST(SUM(dots) AS BIGINT) AS d FROM board_votes WHERE round_id = $1 GROUP BY card_id ORDER BY d DESC, card_id",
        )
        .bind(round_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// How many people voted in a round.
pub async fn voters(db: &Db, round_id: i64) -> StoreResult<i64> {
    let n = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM board_dot_budgets WHERE round_id = $1 AND used > 0")
            .bind(round_id).fetch_one(pool).await?
    });
    Ok(n)
}

/// `(card_id, dots)` the participant gave in a round.
pub async fn my_votes(db: &Db, round_id: i64, participant_id: i64) -> StoreResult<Tally> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, i64)>("SELECT card_id, dots FROM board_votes WHERE round_id = $1 AND participant_id = $2")
            .bind(round_id).bind(participant_id).fetch_all(pool).await?
    });
    Ok(rows)
}

// ---------------------------------------------------------------------------------------------------------
// Links into the strategy

/// Record that `card_ids` became `target` (e.g. a measure); announced as one `links` event.
pub async fn link(
    db: &Db,
    workshop_id: i64,
    card_ids: &[i64],
    target_kind: &str,
    target_id: i64,
    label: &str,
) -> StoreResult<()> {
    let pg = db.kind() == DbKind::Postgres;
    in_tx!(db, tx => {
        let seq = next_seq!(tx, workshop_id);
        for id in card_ids {
            sqlx::query(
                "INSERT INTO board_links (card_id, target_kind, target_id, label, created_at) \
                 SELECT id, $2, $3, $4, $5 FROM board_cards WHERE id = $1 AND workshop_id = $6 ON CONFLICT DO NOTHING",
            )
            .bind(*id).bind(target_kind).bind(target_id).bind(label).bind(now_secs()).bind(workshop_id)
            .execute(&mut *tx).await?;
        }
        emit!(tx, pg, workshop_id, seq, "links", json!({"cards": card_ids, "kind": target_kind, "target": target_id, "label": label}));
        Ok(())
    })
}

pub async fn links(db: &Db, workshop_id: i64) -> StoreResult<Vec<Link>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Link>(
            "SELECT l.card_id, l.target_kind, l.target_id, l.label FROM board_links l JOIN board_cards c ON c.id = l.card_id \
             WHERE c.workshop_id = $1 ORDER BY l.created_at, l.card_id",
        )
        .bind(workshop_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// The cards (with their workshop) that became this object: `(workshop_id, workshop title, card text)`.
pub async fn origins(
    db: &Db,
    target_kind: &str,
    target_id: i64,
) -> StoreResult<Vec<(i64, String, String)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, String, String)>(
            "SELECT w.id, w.title, c.text FROM board_links l JOIN board_cards c ON c.id = l.card_id \
             JOIN workshops w ON w.id = c.workshop_id WHERE l.target_kind = $1 AND l.target_id = $2 ORDER BY c.id",
        )
        .bind(target_kind).bind(target_id).fetch_all(pool).await?
    });
    Ok(rows)
}

// ---------------------------------------------------------------------------------------------------------
// Events

/// Events after `seq`, oldest first, at most `limit`.
pub async fn events_since(
    db: &Db,
    workshop_id: i64,
    seq: i64,
    limit: i64,
) -> StoreResult<Vec<Event>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Event>(
            "SELECT workshop_id, seq, kind, data FROM board_events WHERE workshop_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(workshop_id).bind(seq).bind(limit).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Boards that have events after the given sequence numbers, for nodes without LISTEN (SQLite):
/// `(workshop_id, seq)` of every board among `ids`.
pub async fn seqs(db: &Db, ids: &[i64]) -> StoreResult<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let list = ids
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!("SELECT workshop_id, seq FROM boards WHERE workshop_id IN ({list})");
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql.clone())).fetch_all(pool).await?
    });
    Ok(rows)
}

/// A LISTEN connection on the board channel (PostgreSQL only; `None` on SQLite).
pub struct Listener(sqlx::postgres::PgListener);

impl Listener {
    pub async fn connect(db: &Db) -> StoreResult<Option<Listener>> {
        match db.pool() {
            Pool::Sqlite(_) => Ok(None),
            Pool::Postgres(p) => {
                let mut l = sqlx::postgres::PgListener::connect_with(p).await?;
                l.listen(CHANNEL).await?;
                Ok(Some(Listener(l)))
            }
        }
    }

    /// The next board that changed (its workshop id). After a lost connection sqlx reconnects and
    /// re-listens; the caller should then re-read every board it serves (`Ok(None)`).
    pub async fn next(&mut self) -> StoreResult<Option<i64>> {
        match self.0.try_recv().await? {
            Some(n) => Ok(n.payload().parse().ok()),
            None => Ok(None),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Protocol notes

#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct ProtocolNotes {
    pub decisions: String,
    pub next_steps: String,
    pub notes: String,
    pub published: String,
}

pub async fn protocol_notes(db: &Db, workshop_id: i64) -> StoreResult<ProtocolNotes> {
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, ProtocolNotes>("SELECT decisions, next_steps, notes, published FROM workshop_protocols WHERE workshop_id = $1")
            .bind(workshop_id).fetch_optional(pool).await?
    });
    Ok(row.unwrap_or(ProtocolNotes {
        published: "entwurf".into(),
        ..Default::default()
    }))
}

pub async fn save_protocol_notes(db: &Db, workshop_id: i64, p: &ProtocolNotes) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query(
            "INSERT INTO workshop_protocols (workshop_id, decisions, next_steps, notes, published, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (workshop_id) DO UPDATE SET decisions = $2, next_steps = $3, notes = $4, published = $5, updated_at = $6",
        )
        .bind(workshop_id).bind(&p.decisions).bind(&p.next_steps).bind(&p.notes).bind(&p.published).bind(now_secs())
        .execute(pool).await?;
    });
    Ok(())
}
