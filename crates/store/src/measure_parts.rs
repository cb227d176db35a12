//! The lists of a project sheet that are edited one entry at a time: partners, responsibility matrix
//! (RACI), dependencies (kept acyclic inside the transaction), KPIs and their measurements.

use crate::{Db, StoreError, StoreResult, in_tx, now_secs, on_db};

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Partner {
    pub stakeholder_id: i64,
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Raci {
    pub stakeholder_id: i64,
    pub name: String,
    pub responsible: bool,
    pub accountable: bool,
    pub consulted: bool,
    pub informed: bool,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Dependency {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub visibility: String,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Kpi {
    pub id: i64,
    pub measure_id: i64,
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub method: String,
    pub data_source: String,
    pub measure_interval: String,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Measurement {
    pub id: i64,
    pub kpi_id: i64,
    pub measured_on: String,
    pub value: f64,
}

/// Everything list-shaped of one measure, loaded with a fixed number of queries.
#[derive(Debug, Clone, Default)]
pub struct Parts {
    pub partners: Vec<Partner>,
    pub raci: Vec<Raci>,
    pub depends_on: Vec<Dependency>,
    pub needed_by: Vec<Dependency>,
    pub kpis: Vec<Kpi>,
    pub measurements: Vec<Measurement>,
    pub milestones: Vec<crate::process::Milestone>,
}

pub async fn load(db: &Db, municipality_id: i64, measure_id: i64) -> StoreResult<Parts> {
    let parts = on_db!(db, pool => {
        Parts {
            partners: sqlx::query_as(
                "SELECT p.stakeholder_id, s.name, p.role FROM measure_partners p JOIN stakeholders s ON s.id = p.stakeholder_id \
                 WHERE p.measure_id = $1 ORDER BY s.name",
            ).bind(measure_id).fetch_all(pool).await?,
            raci: sqlx::query_as(
                "SELECT r.stakeholder_id, s.name, r.responsible, r.accountable, r.consulted, r.informed FROM measure_raci r \
                 JOIN stakeholders s ON s.id = r.stakeholder_id WHERE r.measure_id = $1 ORDER BY s.name",
            ).bind(measure_id).fetch_all(pool).await?,
            depends_on: sqlx::query_as(
                "SELECT m.id, m.title, m.status, m.visibility FROM measure_dependencies d JOIN measures m ON m.id = d.depends_on_id \
                 WHERE d.measure_id = $1 ORDER BY m.title",
            ).bind(measure_id).fetch_all(pool).await?,
            needed_by: sqlx::query_as(
                "SELECT m.id, m.title, m.status, m.visibility FROM measure_dependencies d JOIN measures m ON m.id = d.measure_id \
                 WHERE d.depends_on_id = $1 ORDER BY m.title",
            ).bind(measure_id).fetch_all(pool).await?,
            kpis: sqlx::query_as(
                "SELECT id, measure_id, name, unit, baseline, target, method, data_source, measure_interval FROM kpis \
                 WHERE measure_id = $1 ORDER BY id",
            ).bind(measure_id).fetch_all(pool).await?,
            measurements: sqlx::query_as(
                "SELECT x.id, x.kpi_id, x.measured_on, x.value FROM kpi_measurements x JOIN kpis k ON k.id = x.kpi_id \
                 WHERE k.measure_id = $1 ORDER BY x.kpi_id, x.measured_on",
            ).bind(measure_id).fetch_all(pool).await?,
            milestones: sqlx::query_as(
                "SELECT id, municipality_id, phase_id, measure_id, title, due_date, done_on FROM milestones \
                 WHERE measure_id = $1 AND municipality_id = $2 ORDER BY due_date, id",
            ).bind(measure_id).bind(municipality_id).fetch_all(pool).await?,
        }
    });
    Ok(parts)
}

pub async fn set_partner(
    db: &Db,
    measure_id: i64,
    stakeholder_id: i64,
    role: &str,
) -> StoreResult<()> {
    on_db!(db, pool => {
        sqlx::query(
            "INSERT INTO measure_partners (measure_id, stakeholder_id, role) VALUES ($1, $2, $3) \
             ON CONFLICT (measure_id, stakeholder_id) DO UPDATE SET role = excluded.role",
        )
        .bind(measure_id).bind(stakeholder_id).bind(role).execute(pool).await?;
    });
    Ok(())
}

pub async fn remove_partner(db: &Db, measure_id: i64, stakeholder_id: i64) -> StoreResult<()> {
    let n = on_db!(db, pool => {
        sqlx::query("DELETE FROM measure_partners WHERE measure_id = $1 AND stakeholder_id = $2")
            .bind(measure_id).bind(stakeholder_id).execute(pool).await?.rows_affected()
    });
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Set the RACI letters of a stakeholder; all four false removes the row.
pub async fn set_raci(
    db: &Db,
    measure_id: i64,
    stakeholder_id: i64,
    letters: [bool; 4],
) -> StoreResult<()> {
    let [r, a, c, i] = letters;
    in_tx!(db, tx => {
        sqlx::query("DELETE FROM measure_raci WHERE measure_id = $1 AND stakeholder_id = $2")
            .bind(measure_id).bind(stakeholder_id).execute(&mut *tx).await?;
        if r || a || c || i {
            sqlx::query(
                "INSERT INTO measure_raci (measure_id, stakeholder_id, responsible, accountable, consulted, informed) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(measure_id).bind(stakeholder_id).bind(r).bind(a).bind(c).bind(i).execute(&mut *tx).await?;
        }
        Ok(())
    })
}

/// Add "`measure_id` depends on `depends_on`" if `check` finds no cycle in the municipality's dependency
/// graph (read inside the write transaction, so parallel additions cannot together form a cycle).
/// `Conflict("cycle:<ids>")` names the cycle.
pub async fn add_dependency(
    db: &Db,
    municipality_id: i64,
    measure_id: i64,
    depends_on: i64,
    check: impl Fn(&[(i64, i64)]) -> Option<Vec<i64>>,
) -> StoreResult<()> {
    in_tx!(db, tx => {
        if let crate::Pool::Postgres(_) = db.pool() {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(municipality_id).execute(&mut *tx).await?;
        }
        let both: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM measures WHERE municipality_id = $1 AND id IN ($2, $3)")
            .bind(municipality_id).bind(measure_id).bind(depends_on).fetch_one(&mut *tx).await?;
        if both != if measure_id == depends_on { 1 } else { 2 } {
            return Err(StoreError::NotFound);
        }
        let edges: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT d.measure_id, d.depends_on_id FROM measure_dependencies d JOIN measures m ON m.id = d.measure_id \
             WHERE m.municipality_id = $1",
        )
        .bind(municipality_id).fetch_all(&mut *tx).await?;
        if let Some(cycle) = check(&edges) {
            let ids: Vec<String> = cycle.iter().map(i64::to_string).collect();
            return Err(StoreError::Conflict(format!("cycle:{}", ids.join(","))));
        }
        sqlx::query("INSERT INTO measure_dependencies (measure_id, depends_on_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(measure_id).bind(depends_on).execute(&mut *tx).await?;
        Ok(())
    })
}

pub async fn remove_dependency(db: &Db, measure_id: i64, depends_on: i64) -> StoreResult<()> {
    let n = on_db!(db, pool => {
        sqlx::query("DELETE FROM measure_dependencies WHERE measure_id = $1 AND depends_on_id = $2")
            .bind(measure_id).bind(depends_on).execute(pool).await?.rows_affected()
    });
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub struct NewKpi<'a> {
    pub name: &'a str,
    pub unit: &'a str,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub method: &'a str,
    pub data_source: &'a str,
    pub interval: &'a str,
}

pub async fn add_kpi(db: &Db, measure_id: i64, k: &NewKpi<'_>) -> StoreResult<i64> {
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO kpis (measure_id, name, unit, baseline, target, method, data_source, measure_interval) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(measure_id).bind(k.name).bind(k.unit).bind(k.baseline).bind(k.target).bind(k.method).bind(k.data_source)
        .bind(k.interval).fetch_one(pool).await?
    });
    Ok(id)
}

/// Add a measurement to a KPI of this measure.
pub async fn add_measurement(
    db: &Db,
    measure_id: i64,
    kpi_id: i64,
    measured_on: &str,
    value: f64,
) -> StoreResult<i64> {
    let id = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO kpi_measurements (kpi_id, measured_on, value, created_at) \
             SELECT id, $1, $2, $3 FROM kpis WHERE id = $4 AND measure_id = $5 RETURNING id",
        )
        .bind(measured_on).bind(value).bind(now_secs()).bind(kpi_id).bind(measure_id)
        .fetch_optional(pool).await?
    });
    id.ok_or(StoreError::NotFound)
}
