//! Workshops: plan, agenda, registrations with capacity and waiting list (decided inside the write
//! transaction so parallel registrations cannot overbook), attendance.

use crate::{Db, StoreError, StoreResult, in_tx, now_secs, on_db};
use domain::visibility::Visibility;
use domain::workshop::{WorkshopDraft, registration_status};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Workshop {
    pub id: i64,
    pub municipality_id: Option<i64>,
    pub phase_id: Option<i64>,
    pub format_key: String,
    pub format_name: String,
    pub title: String,
    pub purpose: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub online_link: String,
    pub capacity: Option<i64>,
    pub visibility: String,
    pub seats_taken: i64,
    pub waiting: i64,
}

impl Workshop {
    pub fn visibility(&self) -> Visibility {
        Visibility::parse(&self.visibility).unwrap_or(Visibility::Intern)
    }
}

const SELECT: &str = "SELECT w.id, w.municipality_id, w.phase_id, w.format_key, f.name AS format_name, w.title, w.purpose, \
    w.starts_at, w.ends_at, w.place, w.online_link, w.capacity, w.visibility, \
    (SELECT COUNT(*) FROM workshop_registrations r WHERE r.workshop_id = w.id AND r.status = 'angemeldet') AS seats_taken, \
    (SELECT COUNT(*) FROM workshop_registrations r WHERE r.workshop_id = w.id AND r.status = 'warteliste') AS waiting \
    FROM workshops w JOIN workshop_formats f ON f.format_key = w.format_key";

const VISIBLE: &str =
    "(CASE w.visibility WHEN 'intern' THEN 0 WHEN 'netzwerk' THEN 1 ELSE 2 END) >= $2";

fn rank(v: Visibility) -> i64 {
    match v {
        Visibility::Intern => 0,
        Visibility::Netzwerk => 1,
        Visibility::Oeffentlich => 2,
    }
}

/// `(key, name)` of the workshop formats.
pub async fn formats(db: &Db) -> StoreResult<Vec<(String, String)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (String, String)>("SELECT format_key, name FROM workshop_formats ORDER BY position")
            .fetch_all(pool).await?
    });
    Ok(rows)
}

pub async fn create(db: &Db, municipality_id: i64, d: &WorkshopDraft, by: i64) -> StoreResult<i64> {
    insert(db, Some(municipality_id), d, by).await
}

/// A network event: a workshop of no municipality (planned by the network admin).
pub async fn create_network(db: &Db, d: &WorkshopDraft, by: i64) -> StoreResult<i64> {
    insert(db, None, d, by).await
}

async fn insert(
    db: &Db,
    municipality_id: Option<i64>,
    d: &WorkshopDraft,
    by: i64,
) -> StoreResult<i64> {
    let now = now_secs();
    in_tx!(db, tx => {
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO workshops (municipality_id, phase_id, format_key, title, purpose, starts_at, ends_at, place, \
             online_link, capacity, visibility, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
        )
        .bind(municipality_id).bind(d.phase_id).bind(&d.format_key).bind(&d.title).bind(&d.purpose)
        .bind(d.starts_at).bind(d.ends_at).bind(&d.place).bind(&d.online_link).bind(d.capacity)
        .bind(d.visibility.as_str()).bind(by).bind(now)
        .fetch_one(&mut *tx).await?;
        search_change!(tx, "werkstatt", id);
        Ok(id)
    })
}

/// The workshops of a municipality the viewer may see, soonest first (`upcoming_from`: only those ending later).
pub async fn list(
    db: &Db,
    municipality_id: i64,
    min: Visibility,
    upcoming_from: Option<i64>,
) -> StoreResult<Vec<Workshop>> {
    let sql = format!(
        "{SELECT} WHERE w.municipality_id = $1 AND {VISIBLE} AND w.ends_at > $3 ORDER BY w.starts_at, w.id"
    );
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Workshop>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(municipality_id).bind(rank(min)).bind(upcoming_from.unwrap_or(i64::MIN))
            .fetch_all(pool).await?
    });
    Ok(rows)
}

/// One workshop of this municipality.
pub async fn get(db: &Db, municipality_id: i64, id: i64) -> StoreResult<Workshop> {
    let sql = format!("{SELECT} WHERE w.id = $1 AND w.municipality_id = $2");
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Workshop>(sqlx::AssertSqlSafe(sql.clone())).bind(id).bind(municipality_id).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}

/// Network events at or above `min`, soonest first (`upcoming_from`: only those ending later).
pub async fn list_network(
    db: &Db,
    min: Visibility,
    upcoming_from: Option<i64>,
) -> StoreResult<Vec<Workshop>> {
    let sql = format!(
        "{SELECT} WHERE w.municipality_id IS NULL \
         AND (CASE w.visibility WHEN 'intern' THEN 0 WHEN 'netzwerk' THEN 1 ELSE 2 END) >= $1 \
         AND w.ends_at > $2 ORDER BY w.starts_at, w.id"
    );
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Workshop>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(rank(min)).bind(upcoming_from.unwrap_or(i64::MIN))
            .fetch_all(pool).await?
    });
    Ok(rows)
}

/// One network event.
pub async fn get_network(db: &Db, id: i64) -> StoreResult<Workshop> {
    let sql = format!("{SELECT} WHERE w.id = $1 AND w.municipality_id IS NULL");
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, Workshop>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgendaItem {
    pub id: i64,
    pub position: i64,
    pub title: String,
    pub minutes: i64,
}

pub async fn agenda(db: &Db, workshop_id: i64) -> StoreResult<Vec<AgendaItem>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, AgendaItem>("SELECT id, position, title, minutes FROM workshop_agenda WHERE workshop_id = $1 ORDER BY position, id")
            .bind(workshop_id).fetch_all(pool).await?
    });
    Ok(rows)
}

pub async fn add_agenda_item(
    db: &Db,
    workshop_id: i64,
    title: &str,
    minutes: i64,
) -> StoreResult<i64> {
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO workshop_agenda (workshop_id, position, title, minutes) \
             VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM workshop_agenda WHERE workshop_id = $1), $2, $3) RETURNING id",
        )
        .bind(workshop_id).bind(title).bind(minutes).fetch_one(pool).await?
    });
    Ok(id)
}

/// Register a user; returns `angemeldet` or `warteliste`. A second registration keeps the first one's status.
pub async fn register(
    db: &Db,
    workshop_id: i64,
    user_id: i64,
    show_name: bool,
) -> StoreResult<String> {
    let now = now_secs();
    in_tx!(db, tx => {
        // Serialise registrations of one workshop (SQLite: BEGIN IMMEDIATE already does).
        let capacity: Option<Option<i64>> = match db.pool() {
            crate::Pool::Postgres(_) => sqlx::query_scalar("SELECT capacity FROM workshops WHERE id = $1 FOR UPDATE")
                .bind(workshop_id).fetch_optional(&mut *tx).await?,
            crate::Pool::Sqlite(_) => sqlx::query_scalar("SELECT capacity FROM workshops WHERE id = $1")
                .bind(workshop_id).fetch_optional(&mut *tx).await?,
        };
        let Some(capacity) = capacity else { return Err(StoreError::NotFound) };
        let existing: Option<String> = sqlx::query_scalar(
            "SELECT status FROM workshop_registrations WHERE workshop_id = $1 AND user_id = $2",
        )
        .bind(workshop_id).bind(user_id).fetch_optional(&mut *tx).await?;
        if let Some(s) = existing.filter(|s| s != "abgemeldet") {
            return Ok(s);
        }
        let taken: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM workshop_registrations WHERE workshop_id = $1 AND status = 'angemeldet'",
        )
        .bind(workshop_id).fetch_one(&mut *tx).await?;
        let status = registration_status(capacity, taken);
        sqlx::query(
            "INSERT INTO workshop_registrations (workshop_id, user_id, status, show_name, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (workshop_id, user_id) \
             DO UPDATE SET status = excluded.status, show_name = excluded.show_name, updated_at = excluded.updated_at",
        )
        .bind(workshop_id).bind(user_id).bind(status).bind(show_name).bind(now)
        .execute(&mut *tx).await?;
        Ok(status.to_string())
    })
}

/// Cancel a registration; a freed seat goes to the first person on the waiting list.
pub async fn cancel(db: &Db, workshop_id: i64, user_id: i64) -> StoreResult<()> {
    let now = now_secs();
    in_tx!(db, tx => {
        if let crate::Pool::Postgres(_) = db.pool() {
            sqlx::query("SELECT id FROM workshops WHERE id = $1 FOR UPDATE").bind(workshop_id).execute(&mut *tx).await?;
        }
        let was: Option<String> = sqlx::query_scalar(
            "UPDATE workshop_registrations SET status = 'abgemeldet', updated_at = $1 \
             WHERE workshop_id = $2 AND user_id = $3 AND status <> 'abgemeldet' RETURNING 'x'",
        )
        .bind(now).bind(workshop_id).bind(user_id).fetch_optional(&mut *tx).await?;
        if was.is_none() {
            return Err(StoreError::NotFound);
        }
        let capacity: Option<i64> = sqlx::query_scalar("SELECT capacity FROM workshops WHERE id = $1")
            .bind(workshop_id).fetch_one(&mut *tx).await?;
        let taken: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM workshop_registrations WHERE workshop_id = $1 AND status = 'angemeldet'",
        )
        .bind(workshop_id).fetch_one(&mut *tx).await?;
        if registration_status(capacity, taken) == "angemeldet" {
            let next: Option<i64> = sqlx::query_scalar(
                "SELECT user_id FROM workshop_registrations WHERE workshop_id = $1 AND status = 'warteliste' \
                 ORDER BY created_at, user_id LIMIT 1",
            )
            .bind(workshop_id).fetch_optional(&mut *tx).await?;
            if let Some(next) = next {
                sqlx::query("UPDATE workshop_registrations SET status = 'angemeldet', updated_at = $1 WHERE workshop_id = $2 AND user_id = $3")
                    .bind(now).bind(workshop_id).bind(next).execute(&mut *tx).await?;
            }
        }
        Ok(())
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Registration {
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub status: String,
    pub attended: bool,
    pub show_name: bool,
}

pub async fn registrations(db: &Db, workshop_id: i64) -> StoreResult<Vec<Registration>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Registration>(
            "SELECT r.user_id, u.display_name, u.email, r.status, r.attended, r.show_name FROM workshop_registrations r \
             JOIN users u ON u.id = r.user_id WHERE r.workshop_id = $1 ORDER BY r.status, r.created_at, u.display_name",
        )
        .bind(workshop_id).fetch_all(pool).await?
    });
    Ok(rows)
}

pub async fn set_attended(
    db: &Db,
    workshop_id: i64,
    user_id: i64,
    attended: bool,
) -> StoreResult<()> {
    let n = on_db!(db, pool => {
        sqlx::query("UPDATE workshop_registrations SET attended = $1, updated_at = $2 WHERE workshop_id = $3 AND user_id = $4")
            .bind(attended).bind(now_secs()).bind(workshop_id).bind(user_id).execute(pool).await?.rows_affected()
    });
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}
