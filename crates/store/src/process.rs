//! Process phases per municipality (instantiated from the network template) and milestones.

use crate::{Db, StoreError, StoreResult, in_tx, on_db};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PhaseTemplate {
    pub id: i64,
    pub position: i64,
    pub name: String,
    pub description: String,
    pub planned_months: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Phase {
    pub id: i64,
    pub municipality_id: i64,
    pub position: i64,
    pub name: String,
    pub description: String,
    pub status: String,
    pub planned_start: Option<String>,
    pub planned_end: Option<String>,
    pub actual_start: Option<String>,
    pub actual_end: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Milestone {
    pub id: i64,
    pub municipality_id: i64,
    pub phase_id: Option<i64>,
    pub measure_id: Option<i64>,
    pub title: String,
    pub due_date: Option<String>,
    pub done_on: Option<String>,
}

pub async fn templates(db: &Db) -> StoreResult<Vec<PhaseTemplate>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, PhaseTemplate>(
            "SELECT id, position, name, description, planned_months FROM phase_templates ORDER BY position",
        )
        .fetch_all(pool).await?
    });
    Ok(rows)
}

pub async fn update_template(
    db: &Db,
    id: i64,
    name: &str,
    description: &str,
    planned_months: i64,
) -> StoreResult<()> {
    let n = on_db!(db, pool => {
        sqlx::query("UPDATE phase_templates SET name = $1, description = $2, planned_months = $3 WHERE id = $4")
            .bind(name).bind(description).bind(planned_months).bind(id)
            .execute(pool).await?.rows_affected()
    });
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub async fn add_template(
    db: &Db,
    name: &str,
    description: &str,
    planned_months: i64,
) -> StoreResult<i64> {
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO phase_templates (position, name, description, planned_months) \
             VALUES ((SELECT COALESCE(MAX(position), 0) + 1 FROM phase_templates), $1, $2, $3) RETURNING id",
        )
        .bind(name).bind(description).bind(planned_months)
        .fetch_one(pool).await?
    });
    Ok(id)
}

/// The phases of a municipality.
pub async fn phases(db: &Db, municipality_id: i64) -> StoreResult<Vec<Phase>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Phase>(
            "SELECT id, municipality_id, position, name, description, status, planned_start, planned_end, \
             actual_start, actual_end FROM phases WHERE municipality_id = $1 ORDER BY position",
        )
        .bind(municipality_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// The phases of every municipality (for the network overview), ordered by municipality and position.
pub async fn all_phases(db: &Db) -> StoreResult<Vec<Phase>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Phase>(
            "SELECT id, municipality_id, position, name, description, status, planned_start, planned_end, \
             actual_start, actual_end FROM phases ORDER BY municipality_id, position",
        )
        .fetch_all(pool).await?
    });
    Ok(rows)
}

/// Create the municipality's phases from the template if it has none yet, planned back to back from `start`
/// (ISO date). `plan` maps `(start, months)` to the end date. Idempotent.
pub async fn instantiate(
    db: &Db,
    municipality_id: i64,
    start: &str,
    plan: impl Fn(&str, i64) -> Option<String>,
) -> StoreResult<()> {
    let templates = templates(db).await?;
    in_tx!(db, tx => {
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM phases WHERE municipality_id = $1")
            .bind(municipality_id).fetch_one(&mut *tx).await?;
        if existing > 0 {
            return Ok(());
        }
        let mut from = start.to_string();
        for t in &templates {
            let to = plan(&from, t.planned_months).unwrap_or_else(|| from.clone());
            sqlx::query(
                "INSERT INTO phases (municipality_id, position, name, description, planned_start, planned_end) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(municipality_id).bind(t.position).bind(&t.name).bind(&t.description).bind(&from).bind(&to)
            .execute(&mut *tx).await?;
            from = to;
        }
        Ok(())
    })
}

/// Update status and dates of one phase of a municipality.
pub async fn update_phase(db: &Db, municipality_id: i64, p: &Phase) -> StoreResult<()> {
    let n = on_db!(db, pool => {
        sqlx::query(
            "UPDATE phases SET status = $1, planned_start = $2, planned_end = $3, actual_start = $4, actual_end = $5 \
             WHERE id = $6 AND municipality_id = $7",
        )
        .bind(&p.status).bind(&p.planned_start).bind(&p.planned_end).bind(&p.actual_start).bind(&p.actual_end)
        .bind(p.id).bind(municipality_id)
        .execute(pool).await?.rows_affected()
    });
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Milestones of a municipality (phase and measure milestones), ordered by due date.
pub async fn milestones(db: &Db, municipality_id: i64) -> StoreResult<Vec<Milestone>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Milestone>(
            "SELECT id, municipality_id, phase_id, measure_id, title, due_date, done_on FROM milestones \
             WHERE municipality_id = $1 ORDER BY due_date, id",
        )
        .bind(municipality_id).fetch_all(pool).await?
    });
    Ok(rows)
}

pub async fn add_milestone(
    db: &Db,
    municipality_id: i64,
    phase_id: Option<i64>,
    measure_id: Option<i64>,
    title: &str,
    due_date: Option<&str>,
) -> StoreResult<i64> {
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO milestones (municipality_id, phase_id, measure_id, title, due_date) VALUES ($1, $2, $3, $4, $5) \
             RETURNING id",
        )
        .bind(municipality_id).bind(phase_id).bind(measure_id).bind(title).bind(due_date)
        .fetch_one(pool).await?
    });
    Ok(id)
}

/// Mark a milestone done (or open again with `None`).
pub async fn set_milestone_done(
    db: &Db,
    municipality_id: i64,
    id: i64,
    done_on: Option<&str>,
) -> StoreResult<()> {
    let n = on_db!(db, pool => {
        sqlx::query("UPDATE milestones SET done_on = $1 WHERE id = $2 AND municipality_id = $3")
            .bind(done_on).bind(id).bind(municipality_id)
            .execute(pool).await?.rows_affected()
    });
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}
