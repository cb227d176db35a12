//! Idea collection (Ideensammlung): ideas with their support (from the maintained vote tallies) and
//! visible-comment counts, comments, reports (one per participant and item by a unique key) and
//! moderation (pre-moderation, hiding with a reason, closing reports). Every query names the format.

use crate::{Db, StoreError, StoreResult, in_tx, now_secs, on_db};
use domain::idea::{IdeaDraft, Moderation, Sort, State, Target};

/// An idea with its field name, support and the number of visible comments.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Idea {
    pub id: i64,
    pub participation_id: i64,
    pub participant_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub field_id: Option<i64>,
    pub field_name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub state: String,
    pub hidden_reason: Option<String>,
    pub created_at: i64,
    pub support: i64,
    pub comments: i64,
}

impl Idea {
    pub fn state(&self) -> State {
        State::parse(&self.state).unwrap_or(State::Hidden)
    }
}

/// A comment on an idea.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Comment {
    pub id: i64,
    pub idea_id: i64,
    pub participant_id: Option<i64>,
    pub body: String,
    pub state: String,
    pub hidden_reason: Option<String>,
    pub created_at: i64,
}

impl Comment {
    pub fn state(&self) -> State {
        State::parse(&self.state).unwrap_or(State::Hidden)
    }
}

/// An open (unresolved) report.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Report {
    pub item_kind: String,
    pub item_id: i64,
    pub reason: String,
    pub created_at: i64,
}

/// A measure an idea fed: `(idea id, measure id, measure title, measure visibility)`.
pub type Link = (i64, i64, String, String);

const SELECT: &str = "SELECT d.id, d.participation_id, d.participant_id, d.title, d.body, d.field_id, \
    t.name AS field_name, d.lat, d.lon, d.state, d.hidden_reason, d.created_at, \
    COALESCE(v.points, 0) AS support, \
    (SELECT COUNT(*) FROM idea_comments c WHERE c.idea_id = d.id AND c.state = 'sichtbar') AS comments \
    FROM ideas d LEFT JOIN taxonomy_terms t ON t.id = d.field_id \
    LEFT JOIN participation_tallies v ON v.participation_id = d.participation_id AND v.item_kind = 'idee' AND v.item_id = d.id";

fn order_by(sort: Sort) -> &'static str {
    match sort {
        Sort::Newest => "d.created_at DESC, d.id DESC",
        Sort::Support => "support DESC, d.created_at DESC, d.id DESC",
    }
}

/// Store a new idea in `state`; returns its id.
pub async fn create(
    db: &Db,
    participation_id: i64,
    participant_id: i64,
    d: &IdeaDraft,
    state: State,
) -> StoreResult<i64> {
    let (lat, lon) = match d.location {
        Some(p) => (Some(p.lat), Some(p.lon)),
        None => (None, None),
    };
    in_tx!(db, tx => {
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO ideas (participation_id, participant_id, title, body, field_id, lat, lon, state, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(participation_id).bind(participant_id).bind(&d.title).bind(&d.text).bind(d.field_id)
        .bind(lat).bind(lon).bind(state.as_str()).bind(now_secs())
        .fetch_one(&mut *tx).await?;
        search_change!(tx, "idee", id);
        Ok(id)
    })
}

/// All ideas of a format in the given order (every state; the caller decides what a viewer sees).
pub async fn list(db: &Db, participation_id: i64, sort: Sort) -> StoreResult<Vec<Idea>> {
    let sql = format!(
        "{SELECT} WHERE d.participation_id = $1 ORDER BY {}",
        order_by(sort)
    );
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Idea>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// One idea of a format.
pub async fn get(db: &Db, participation_id: i64, id: i64) -> StoreResult<Idea> {
    let sql = format!("{SELECT} WHERE d.participation_id = $1 AND d.id = $2");
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Idea>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(participation_id).bind(id).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}

/// All comments of a format, oldest first.
pub async fn comments(db: &Db, participation_id: i64) -> StoreResult<Vec<Comment>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Comment>(
            "SELECT id, idea_id, participant_id, body, state, hidden_reason, created_at FROM idea_comments \
             WHERE participation_id = $1 ORDER BY created_at, id",
        )
        .bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Comment on a visible idea of the format; `NotFound` when there is no such visible idea.
pub async fn add_comment(
    db: &Db,
    participation_id: i64,
    idea_id: i64,
    participant_id: i64,
    body: &str,
    state: State,
) -> StoreResult<i64> {
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO idea_comments (participation_id, idea_id, participant_id, body, state, created_at) \
             SELECT $1, id, $3, $4, $5, $6 FROM ideas WHERE id = $2 AND participation_id = $1 AND state = 'sichtbar' \
             RETURNING id",
        )
        .bind(participation_id).bind(idea_id).bind(participant_id).bind(body).bind(state.as_str()).bind(now_secs())
        .fetch_optional(pool).await?
    });
    id.ok_or(StoreError::NotFound)
}

fn table(t: Target) -> &'static str {
    match t {
        Target::Idea => "ideas",
        Target::Comment => "idea_comments",
    }
}

/// Report an idea or comment of the format (not a pending one). `NotFound` for an unknown item,
/// `Conflict` when this participant reported it before.
pub async fn report(
    db: &Db,
    participation_id: i64,
    participant_id: i64,
    target: Target,
    item_id: i64,
    reason: &str,
) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO idea_reports (participation_id, participant_id, item_kind, item_id, reason, created_at) \
         SELECT $1, $2, $3, id, $5, $6 FROM {} WHERE id = $4 AND participation_id = $1 AND state <> 'wartend'",
        table(target)
    );
    let n = on_db!(db, pool => {
        sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(participation_id).bind(participant_id).bind(target.as_str()).bind(item_id).bind(reason)
            .bind(now_secs())
            .execute(pool).await.map_err(StoreError::classify)?.rows_affected()
    });
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Apply a moderation step to an idea or comment of the format and close its open reports; returns the
/// new state. `Refused` when the step does not apply to the item's state (e.g. approving a visible idea).
pub async fn moderate(
    db: &Db,
    participation_id: i64,
    target: Target,
    item_id: i64,
    step: &Moderation,
    by: i64,
) -> StoreResult<State> {
    let select = format!(
        "SELECT state FROM {} WHERE id = $1 AND participation_id = $2",
        table(target)
    );
    let update = format!(
        "UPDATE {} SET state = $3, hidden_reason = $4, moderated_at = $5, moderated_by = $6 \
         WHERE id = $1 AND participation_id = $2",
        table(target)
    );
    let now = now_secs();
    in_tx!(db, tx => {
        let from: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(select.clone()))
            .bind(item_id).bind(participation_id).fetch_optional(&mut *tx).await?;
        let Some(from) = from.as_deref().and_then(State::parse) else {
            return Err(StoreError::NotFound);
        };
        let Some(to) = step.next(from) else {
            return Err(StoreError::Refused("err-idea-moderation-state"));
        };
        if *step != Moderation::Dismiss {
            let reason = match step {
                Moderation::Hide(r) => Some(r.as_str()),
                _ => None,
            };
            sqlx::query(sqlx::AssertSqlSafe(update.clone()))
                .bind(item_id).bind(participation_id).bind(to.as_str()).bind(reason).bind(now).bind(by)
                .execute(&mut *tx).await?;
            if target == Target::Idea {
                search_change!(tx, "idee", item_id);
            }
        }
        sqlx::query(
            "UPDATE idea_reports SET resolved_at = $4 WHERE participation_id = $1 AND item_kind = $2 AND item_id = $3 \
             AND resolved_at IS NULL",
        )
        .bind(participation_id).bind(target.as_str()).bind(item_id).bind(now)
        .execute(&mut *tx).await?;
        Ok(to)
    })
}

/// Open reports of a format, oldest first.
pub async fn open_reports(db: &Db, participation_id: i64) -> StoreResult<Vec<Report>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Report>(
            "SELECT item_kind, item_id, reason, created_at FROM idea_reports \
             WHERE participation_id = $1 AND resolved_at IS NULL ORDER BY created_at, id",
        )
        .bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Reports a participant made (open or resolved).
pub async fn reports_of(db: &Db, participant_id: i64) -> StoreResult<Vec<Report>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Report>(
            "SELECT item_kind, item_id, reason, created_at FROM idea_reports WHERE participant_id = $1 ORDER BY created_at, id",
        )
        .bind(participant_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// The measures ideas of a format fed, in the order they were linked.
pub async fn links(db: &Db, participation_id: i64) -> StoreResult<Vec<Link>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Link>(
            "SELECT l.item_id, m.id, m.title, m.visibility FROM participation_links l JOIN measures m ON m.id = l.measure_id \
             WHERE l.participation_id = $1 AND l.item_kind = 'idee' ORDER BY l.created_at, m.id",
        )
        .bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Remove the link between an idea and a measure.
pub async fn unlink_measure(
    db: &Db,
    participation_id: i64,
    idea_id: i64,
    measure_id: i64,
) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query(
            "DELETE FROM participation_links WHERE participation_id = $1 AND item_kind = 'idee' AND item_id = $2 AND measure_id = $3",
        )
        .bind(participation_id).bind(idea_id).bind(measure_id).execute(pool).await?;
    });
    Ok(())
}

/// Everything one participant contributed: ideas, comments, supported ideas `(id, title)`, reports.
pub struct Contributions {
    pub ideas: Vec<Idea>,
    pub comments: Vec<Comment>,
    pub supports: Vec<(i64, String)>,
    pub reports: Vec<Report>,
}

pub async fn contributions_of(db: &Db, participant_id: i64) -> StoreResult<Contributions> {
    let sql = format!("{SELECT} WHERE d.participant_id = $1 ORDER BY d.created_at, d.id");
    let ideas = on_db!(db, pool => {
        sqlx::query_as::<_, Idea>(sqlx::AssertSqlSafe(sql.clone())).bind(participant_id).fetch_all(pool).await?
    });
    let comments = on_db!(db, pool => {
        sqlx::query_as::<_, Comment>(
            "SELECT id, idea_id, participant_id, body, state, hidden_reason, created_at FROM idea_comments \
             WHERE participant_id = $1 ORDER BY created_at, id",
        )
        .bind(participant_id).fetch_all(pool).await?
    });
    let supports = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, String)>(
            "SELECT d.id, d.title FROM participation_votes v JOIN ideas d ON d.id = v.item_id \
             WHERE v.participant_id = $1 AND v.item_kind = 'idee' AND d.participation_id = v.participation_id ORDER BY d.id",
        )
        .bind(participant_id).fetch_all(pool).await?
    });
    let reports = reports_of(db, participant_id).await?;
    Ok(Contributions {
        ideas,
        comments,
        supports,
        reports,
    })
}
