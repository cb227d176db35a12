//! Measures with their project sheets: list with filters, detail, create, edit with optimistic concurrency
//! and a field-level revision history, status changes. Every query names the municipality.

use crate::{Db, StoreError, StoreResult, in_tx, now_secs, on_db};
use domain::measure::{FieldChange, Priority, Sheet, TimeHorizon};
use domain::visibility::Visibility;

/// One line of the measure list.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct MeasureRow {
    pub id: i64,
    pub municipality_id: i64,
    pub title: String,
    pub status: String,
    pub status_name: String,
    pub visibility: String,
    pub primary_field_id: Option<i64>,
    pub field_name: Option<String>,
    pub priority: Option<String>,
    pub quick_win: bool,
    pub lead_unit: String,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub investment_costs: Option<i64>,
    pub updated_at: i64,
}

/// Filters of the measure list (all optional).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub field_id: Option<i64>,
    pub status: Option<String>,
    pub priority: Option<String>,
    pub quick_win: Option<bool>,
    pub lead: Option<String>,
}

/// Sort orders of the measure list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Title,
    Status,
    Priority,
    Start,
    Updated,
}

impl Sort {
    pub const ALL: [Sort; 5] = [
        Sort::Title,
        Sort::Status,
        Sort::Priority,
        Sort::Start,
        Sort::Updated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Title => "titel",
            Sort::Status => "status",
            Sort::Priority => "prioritaet",
            Sort::Start => "beginn",
            Sort::Updated => "geaendert",
        }
    }

    pub fn parse(raw: &str) -> Option<Sort> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    fn order_by(self) -> &'static str {
        match self {
            Sort::Title => "m.title, m.id",
            Sort::Status => "s.position, m.title, m.id",
            Sort::Priority => {
                "CASE m.priority WHEN 'hoch' THEN 1 WHEN 'mittel' THEN 2 WHEN 'niedrig' THEN 3 ELSE 4 END, m.title, m.id"
            }
            Sort::Start => {
                "CASE WHEN m.start_date IS NULL THEN 1 ELSE 0 END, m.start_date, m.title, m.id"
            }
            Sort::Updated => "m.updated_at DESC, m.id DESC",
        }
    }
}

/// Visibility as a rank for SQL: what the viewer may see is every measure whose rank is ≥ the viewer's minimum.
pub(crate) fn min_rank(v: Visibility) -> i64 {
    match v {
        Visibility::Intern => 0,
        Visibility::Netzwerk => 1,
        Visibility::Oeffentlich => 2,
    }
}

const VISIBLE: &str =
    "(CASE m.visibility WHEN 'intern' THEN 0 WHEN 'netzwerk' THEN 1 ELSE 2 END) >= $2";

/// The measures of a municipality the viewer may see, filtered and sorted — one query.
pub async fn list(
    db: &Db,
    municipality_id: i64,
    min: Visibility,
    f: &Filter,
    sort: Sort,
) -> StoreResult<Vec<MeasureRow>> {
    let sql = format!(
        "SELECT m.id, m.municipality_id, m.title, m.status, s.name AS status_name, m.visibility, m.primary_field_id, \
         t.name AS field_name, m.priority, m.quick_win, m.lead_unit, m.start_date, m.end_date, m.investment_costs, m.updated_at \
         FROM measures m JOIN measure_statuses s ON s.status_key = m.status \
         LEFT JOIN taxonomy_terms t ON t.id = m.primary_field_id \
         WHERE m.municipality_id = $1 AND {VISIBLE} \
         AND ($3 IS NULL OR m.primary_field_id = $3 OR EXISTS (SELECT 1 FROM measure_fields mf WHERE mf.measure_id = m.id AND mf.field_id = $3)) \
         AND ($4 IS NULL OR m.status = $4) AND ($5 IS NULL OR m.priority = $5) AND ($6 IS NULL OR m.quick_win = $6) \
         AND ($7 IS NULL OR LOWER(m.lead_unit) LIKE $7) \
         ORDER BY {}",
        sort.order_by()
    );
    let lead = f
        .lead
        .as_ref()
        .map(|l| format!("%{}%", l.to_lowercase().replace(['%', '_'], "")));
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, MeasureRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(municipality_id).bind(min_rank(min)).bind(f.field_id).bind(&f.status).bind(&f.priority)
            .bind(f.quick_win).bind(&lead)
            .fetch_all(pool).await?
    });
    Ok(rows)
}

/// Network-visible measures of all other municipalities (for copying), newest first.
pub async fn network_visible(
    db: &Db,
    except_municipality: i64,
) -> StoreResult<Vec<(MeasureRow, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        m: MeasureRow,
        city: String,
    }
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Row>(
            "SELECT m.id, m.municipality_id, m.title, m.status, s.name AS status_name, m.visibility, m.primary_field_id, \
             t.name AS field_name, m.priority, m.quick_win, m.lead_unit, m.start_date, m.end_date, m.investment_costs, \
             m.updated_at, k.name AS city FROM measures m JOIN measure_statuses s ON s.status_key = m.status \
             JOIN municipalities k ON k.id = m.municipality_id LEFT JOIN taxonomy_terms t ON t.id = m.primary_field_id \
             WHERE m.municipality_id <> $1 AND m.visibility IN ('netzwerk', 'oeffentlich') ORDER BY k.name, m.title",
        )
        .bind(except_municipality).fetch_all(pool).await?
    });
    Ok(rows.into_iter().map(|r| (r.m, r.city)).collect())
}

/// The stored columns of a measure.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeasureRecord {
    pub id: i64,
    pub municipality_id: i64,
    pub status: String,
    pub version: i64,
    pub title: String,
    pub short_description: String,
    pub visibility: String,
    pub primary_field_id: Option<i64>,
    pub initial_situation: String,
    pub target_groups: String,
    pub impact_output: String,
    pub impact_outcome: String,
    pub impact_impact: String,
    pub lead_unit: String,
    pub lead_stakeholder_id: Option<i64>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub time_horizon: Option<String>,
    pub priority: Option<String>,
    pub quick_win: bool,
    pub investment_costs: Option<i64>,
    pub operating_costs: Option<i64>,
    pub staff_need_fte: Option<f64>,
    pub funding_own_share_pct: Option<f64>,
    pub funding_programme: String,
    pub funding_rate_pct: Option<f64>,
    pub risks: String,
    pub council_decision_date: Option<String>,
    pub council_decision_link: String,
    pub participation_form: String,
    pub location_geojson: String,
    pub data_protection: String,
    pub licence: String,
    pub repository: String,
    pub transferability: String,
    pub contact: String,
    pub origin_measure_id: Option<i64>,
    pub origin_template_id: Option<i64>,
    pub is_demo: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

const RECORD_COLS: &str = "id, municipality_id, status, version, title, short_description, visibility, primary_field_id, \
    initial_situation, target_groups, impact_output, impact_outcome, impact_impact, lead_unit, lead_stakeholder_id, \
    start_date, end_date, time_horizon, priority, quick_win, investment_costs, operating_costs, staff_need_fte, \
    funding_own_share_pct, funding_programme, funding_rate_pct, risks, council_decision_date, council_decision_link, \
    participation_form, location_geojson, data_protection, licence, repository, transferability, contact, \
    origin_measure_id, origin_template_id, is_demo, created_at, updated_at";

fn list_from_json(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

fn list_to_json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

impl MeasureRecord {
    pub fn visibility(&self) -> Visibility {
        Visibility::parse(&self.visibility).unwrap_or(Visibility::Intern)
    }

    /// The sheet, with the id lists loaded separately.
    pub fn sheet(
        &self,
        further_field_ids: Vec<i64>,
        goal_ids: Vec<i64>,
        tag_ids: Vec<i64>,
    ) -> Sheet {
        Sheet {
            title: self.title.clone(),
            short_description: self.short_description.clone(),
            visibility: Some(self.visibility()),
            primary_field_id: self.primary_field_id,
            further_field_ids,
            goal_ids,
            tag_ids,
            initial_situation: self.initial_situation.clone(),
            target_groups: list_from_json(&self.target_groups),
            impact_output: self.impact_output.clone(),
            impact_outcome: self.impact_outcome.clone(),
            impact_impact: self.impact_impact.clone(),
            lead_unit: self.lead_unit.clone(),
            lead_stakeholder_id: self.lead_stakeholder_id,
            start_date: self.start_date.clone(),
            end_date: self.end_date.clone(),
            time_horizon: self
                .time_horizon
                .as_deref()
                .and_then(|v| TimeHorizon::parse(v).ok().flatten()),
            priority: self
                .priority
                .as_deref()
                .and_then(|v| Priority::parse(v).ok().flatten()),
            quick_win: self.quick_win,
            investment_costs: self.investment_costs,
            operating_costs: self.operating_costs,
            staff_need_fte: self.staff_need_fte,
            funding_own_share_pct: self.funding_own_share_pct,
            funding_programme: self.funding_programme.clone(),
            funding_rate_pct: self.funding_rate_pct,
            risks: list_from_json(&self.risks),
            council_decision_date: self.council_decision_date.clone(),
            council_decision_link: self.council_decision_link.clone(),
            participation_form: self.participation_form.clone(),
            location_geojson: self.location_geojson.clone(),
            data_protection: self.data_protection.clone(),
            licence: self.licence.clone(),
            repository: self.repository.clone(),
            transferability: self.transferability.clone(),
            contact: self.contact.clone(),
        }
    }
}

/// A measure of this municipality.
pub async fn record(db: &Db, municipality_id: i64, id: i64) -> StoreResult<MeasureRecord> {
    let sql = format!("SELECT {RECORD_COLS} FROM measures WHERE id = $1 AND municipality_id = $2");
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, MeasureRecord>(sqlx::AssertSqlSafe(sql.clone())).bind(id).bind(municipality_id).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}

/// A measure by id alone (for copying from another municipality; the caller checks visibility).
pub async fn record_any(db: &Db, id: i64) -> StoreResult<MeasureRecord> {
    let sql = format!("SELECT {RECORD_COLS} FROM measures WHERE id = $1");
    let row = on_db!(db, pool => {
        sqlx::query_as::<_, MeasureRecord>(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}

/// `(further fields, goals, tags)` of a measure.
pub async fn id_lists(db: &Db, id: i64) -> StoreResult<(Vec<i64>, Vec<i64>, Vec<i64>)> {
    let r = on_db!(db, pool => {
        let f: Vec<i64> = sqlx::query_scalar("SELECT field_id FROM measure_fields WHERE measure_id = $1 ORDER BY field_id")
            .bind(id).fetch_all(pool).await?;
        let g: Vec<i64> = sqlx::query_scalar("SELECT goal_id FROM measure_goals WHERE measure_id = $1 ORDER BY goal_id")
            .bind(id).fetch_all(pool).await?;
        let t: Vec<i64> = sqlx::query_scalar("SELECT term_id FROM measure_tags WHERE measure_id = $1 ORDER BY term_id")
            .bind(id).fetch_all(pool).await?;
        (f, g, t)
    });
    Ok(r)
}

/// Write the scalar sheet columns and replace the id lists, inside a transaction.
macro_rules! write_sheet {
    ($tx:ident, $id:expr, $s:expr, $now:expr) => {{
        let s: &Sheet = $s;
        sqlx::query(
            "UPDATE measures SET title = $1, short_description = $2, visibility = $3, primary_field_id = $4, \
             initial_situation = $5, target_groups = $6, impact_output = $7, impact_outcome = $8, impact_impact = $9, \
             lead_unit = $10, lead_stakeholder_id = $11, start_date = $12, end_date = $13, time_horizon = $14, \
             priority = $15, quick_win = $16, investment_costs = $17, operating_costs = $18, staff_need_fte = $19, \
             funding_own_share_pct = $20, funding_programme = $21, funding_rate_pct = $22, risks = $23, \
             council_decision_date = $24, council_decision_link = $25, participation_form = $26, \
             location_geojson = $27, data_protection = $28, licence = $29, repository = $30, transferability = $31, \
             contact = $32, updated_at = $33 WHERE id = $34",
        )
        .bind(&s.title).bind(&s.short_description)
        .bind(s.visibility.unwrap_or(Visibility::Intern).as_str())
        .bind(s.primary_field_id).bind(&s.initial_situation).bind(list_to_json(&s.target_groups))
        .bind(&s.impact_output).bind(&s.impact_outcome).bind(&s.impact_impact).bind(&s.lead_unit)
        .bind(s.lead_stakeholder_id).bind(&s.start_date).bind(&s.end_date)
        .bind(s.time_horizon.map(|v| v.as_str())).bind(s.priority.map(|v| v.as_str())).bind(s.quick_win)
        .bind(s.investment_costs).bind(s.operating_costs).bind(s.staff_need_fte).bind(s.funding_own_share_pct)
        .bind(&s.funding_programme).bind(s.funding_rate_pct).bind(list_to_json(&s.risks))
        .bind(&s.council_decision_date).bind(&s.council_decision_link).bind(&s.participation_form)
        .bind(&s.location_geojson).bind(&s.data_protection).bind(&s.licence).bind(&s.repository)
        .bind(&s.transferability).bind(&s.contact).bind($now).bind($id)
        .execute(&mut *$tx).await?;
        sqlx::query("DELETE FROM measure_fields WHERE measure_id = $1").bind($id).execute(&mut *$tx).await?;
        for f in &s.further_field_ids {
            sqlx::query("INSERT INTO measure_fields (measure_id, field_id) VALUES ($1, $2)").bind($id).bind(*f).execute(&mut *$tx).await?;
        }
        sqlx::query("DELETE FROM measure_goals WHERE measure_id = $1").bind($id).execute(&mut *$tx).await?;
        for g in &s.goal_ids {
            sqlx::query("INSERT INTO measure_goals (measure_id, goal_id) VALUES ($1, $2)").bind($id).bind(*g).execute(&mut *$tx).await?;
        }
        sqlx::query("DELETE FROM measure_tags WHERE measure_id = $1").bind($id).execute(&mut *$tx).await?;
        for t in &s.tag_ids {
            sqlx::query("INSERT INTO measure_tags (measure_id, term_id) VALUES ($1, $2)").bind($id).bind(*t).execute(&mut *$tx).await?;
        }
    }};
}

/// Where a new measure came from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Origin {
    pub measure_id: Option<i64>,
    pub template_id: Option<i64>,
    pub is_demo: bool,
}

/// Create a measure with status `status`; the first revision records every filled field.
pub async fn create(
    db: &Db,
    municipality_id: i64,
    sheet: &Sheet,
    status: &str,
    author_id: Option<i64>,
    origin: Origin,
) -> StoreResult<i64> {
    let now = now_secs();
    let changes = sheet.changes_from(&Sheet::default());
    let changes_json = serde_json::to_string(&changes).unwrap_or_else(|_| "[]".into());
    in_tx!(db, tx => {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO measures (municipality_id, title, status, origin_measure_id, origin_template_id, is_demo, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(municipality_id).bind(&sheet.title).bind(status).bind(origin.measure_id).bind(origin.template_id)
        .bind(origin.is_demo).bind(author_id).bind(now)
        .fetch_one(&mut *tx).await?;
        write_sheet!(tx, id, sheet, now);
        sqlx::query("INSERT INTO measure_revisions (measure_id, version, author_id, created_at, changes) VALUES ($1, 1, $2, $3, $4)")
            .bind(id).bind(author_id).bind(now).bind(&changes_json)
            .execute(&mut *tx).await?;
        search_change!(tx, "massnahme", id);
        Ok(id)
    })
}

/// Save an edited sheet on top of `base_version`. `Conflict("version")` if someone saved in between;
/// returns the changes written (empty: nothing changed, no new version).
pub async fn update(
    db: &Db,
    municipality_id: i64,
    id: i64,
    base_version: i64,
    sheet: &Sheet,
    author_id: i64,
) -> StoreResult<Vec<FieldChange>> {
    let before = record(db, municipality_id, id).await?;
    if before.version != base_version {
        return Err(StoreError::Conflict("version".into()));
    }
    let (f, g, t) = id_lists(db, id).await?;
    let changes = sheet.changes_from(&before.sheet(f, g, t));
    if changes.is_empty() {
        return Ok(changes);
    }
    let changes_json = serde_json::to_string(&changes).unwrap_or_else(|_| "[]".into());
    let now = now_secs();
    let next = base_version + 1;
    in_tx!(db, tx => {
        // The version check and the bump are one statement: a parallel save cannot slip in between.
        let bumped = sqlx::query("UPDATE measures SET version = $1 WHERE id = $2 AND municipality_id = $3 AND version = $4")
            .bind(next).bind(id).bind(municipality_id).bind(base_version)
            .execute(&mut *tx).await?.rows_affected();
        if bumped == 0 {
            return Err(StoreError::Conflict("version".into()));
        }
        write_sheet!(tx, id, sheet, now);
        sqlx::query("INSERT INTO measure_revisions (measure_id, version, author_id, created_at, changes) VALUES ($1, $2, $3, $4, $5)")
            .bind(id).bind(next).bind(author_id).bind(now).bind(&changes_json)
            .execute(&mut *tx).await?;
        search_change!(tx, "massnahme", id);
        Ok(changes)
    })
}

/// Record a change that is not part of the sheet form (status, partners, KPIs, …) as a new version.
pub async fn record_change(
    db: &Db,
    municipality_id: i64,
    id: i64,
    author_id: i64,
    changes: &[FieldChange],
) -> StoreResult<i64> {
    let changes_json = serde_json::to_string(changes).unwrap_or_else(|_| "[]".into());
    let now = now_secs();
    in_tx!(db, tx => {
        let v: Option<i64> = sqlx::query_scalar(
            "UPDATE measures SET version = version + 1, updated_at = $1 WHERE id = $2 AND municipality_id = $3 RETURNING version",
        )
        .bind(now).bind(id).bind(municipality_id).fetch_optional(&mut *tx).await?;
        let Some(v) = v else { return Err(StoreError::NotFound) };
        sqlx::query("INSERT INTO measure_revisions (measure_id, version, author_id, created_at, changes) VALUES ($1, $2, $3, $4, $5)")
            .bind(id).bind(v).bind(author_id).bind(now).bind(&changes_json)
            .execute(&mut *tx).await?;
        Ok(v)
    })
}

/// Change the status from `from` (as seen by the user) to `to`; `Conflict("status")` if it changed meanwhile.
pub async fn set_status(
    db: &Db,
    municipality_id: i64,
    id: i64,
    from: &str,
    to: &str,
    author_id: i64,
) -> StoreResult<()> {
    let now = now_secs();
    let changes = vec![FieldChange {
        field: "status".into(),
        before: from.into(),
        after: to.into(),
    }];
    let changes_json = serde_json::to_string(&changes).unwrap_or_else(|_| "[]".into());
    in_tx!(db, tx => {
        let v: Option<i64> = sqlx::query_scalar(
            "UPDATE measures SET status = $1, version = version + 1, updated_at = $2 \
             WHERE id = $3 AND municipality_id = $4 AND status = $5 RETURNING version",
        )
        .bind(to).bind(now).bind(id).bind(municipality_id).bind(from)
        .fetch_optional(&mut *tx).await?;
        let Some(v) = v else { return Err(StoreError::Conflict("status".into())) };
        sqlx::query("INSERT INTO measure_revisions (measure_id, version, author_id, created_at, changes) VALUES ($1, $2, $3, $4, $5)")
            .bind(id).bind(v).bind(author_id).bind(now).bind(&changes_json)
            .execute(&mut *tx).await?;
        Ok(())
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Revision {
    pub version: i64,
    pub author: Option<String>,
    pub created_at: i64,
    pub changes: String,
}

impl Revision {
    pub fn changes(&self) -> Vec<FieldChange> {
        serde_json::from_str(&self.changes).unwrap_or_default()
    }
}

pub async fn revisions(db: &Db, id: i64) -> StoreResult<Vec<Revision>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Revision>(
            "SELECT r.version, u.display_name AS author, r.created_at, r.changes FROM measure_revisions r \
             LEFT JOIN users u ON u.id = r.author_id WHERE r.measure_id = $1 ORDER BY r.version DESC",
        )
        .bind(id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Statuses in order with their names and finality.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Status {
    pub status_key: String,
    pub name: String,
    pub position: i64,
    pub is_final: bool,
}

pub async fn statuses(db: &Db) -> StoreResult<Vec<Status>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Status>("SELECT status_key, name, position, is_final FROM measure_statuses ORDER BY position")
            .fetch_all(pool).await?
    });
    Ok(rows)
}

/// The workflow's transitions.
pub async fn workflow(db: &Db) -> StoreResult<domain::measure::Workflow> {
    let rows: Vec<(String, String, String)> = on_db!(db, pool => {
        sqlx::query_as("SELECT from_key, to_key, min_role FROM measure_status_transitions").fetch_all(pool).await?
    });
    Ok(domain::measure::Workflow {
        transitions: rows
            .into_iter()
            .filter_map(|(f, t, r)| domain::measure::MinRole::parse(&r).map(|r| (f, t, r)))
            .collect(),
    })
}

/// Number of measures of a municipality (all visibilities).
pub async fn count(db: &Db, municipality_id: i64) -> StoreResult<i64> {
    let n = on_db!(db, pool => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM measures WHERE municipality_id = $1")
            .bind(municipality_id).fetch_one(pool).await?
    });
    Ok(n)
}
