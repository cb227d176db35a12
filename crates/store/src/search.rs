//! What the search index reads: searchable entities as flat rows, and the `search_changes` outbox
//! (written by the store functions that change those entities, in the same transaction; ADR 0011).
//!
//! Only what some viewer may see is returned: ideas that are visible (moderated) and statements that were
//! accepted, both only of published formats (their visibility is then `oeffentlich`); workshops of
//! municipalities and network events; definitions with at least one version; published articles.
//! A renamed city re-queues every entity of the city (`REQUEUE_CITY`): each document carries its name and slug.

use crate::{Db, StoreResult, on_db};

/// One searchable entity. `kind` is the document kind key (`massnahme`, `idee`, …); `parent_id` is the
/// participation of ideas and statements; `field_ids` lists the fields of action.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub kind: String,
    pub id: i64,
    pub parent_id: Option<i64>,
    pub municipality_id: i64,
    pub municipality_slug: String,
    pub municipality_name: String,
    pub visibility: String,
    pub title: String,
    pub body: String,
    #[sqlx(skip)]
    pub field_ids: Vec<i64>,
    pub primary_field_id: Option<i64>,
    /// The slug of an article (its URL); empty for other kinds.
    #[sqlx(default)]
    pub slug: String,
}

/// One outbox row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Change {
    pub seq: i64,
    pub kind: String,
    pub entity_id: i64,
}

const MEASURES: &str = "SELECT 'massnahme' AS kind, m.id, CAST(NULL AS BIGINT) AS parent_id, m.municipality_id, k.slug AS municipality_slug, \
    k.name AS municipality_name, m.visibility, m.title, \
    m.short_description || ' ' || m.initial_situation || ' ' || m.impact_output || ' ' || m.impact_outcome || ' ' || \
    m.impact_impact || ' ' || m.lead_unit AS body, m.primary_field_id \
    FROM measures m JOIN municipalities k ON k.id = m.municipality_id WHERE ($1 IS NULL OR m.id = $1)";

const IDEAS: &str = "SELECT 'idee' AS kind, i.id, p.id AS parent_id, p.municipality_id, k.slug AS municipality_slug, \
    k.name AS municipality_name, 'oeffentlich' AS visibility, i.title, i.body, i.field_id AS primary_field_id \
    FROM ideas i JOIN participations p ON p.id = i.participation_id JOIN municipalities k ON k.id = p.municipality_id \
    WHERE i.state = 'sichtbar' AND p.published = TRUE AND ($1 IS NULL OR i.id = $1) AND ($2 IS NULL OR p.id = $2)";

const STATEMENTS: &str = "SELECT 'aussage' AS kind, s.id, p.id AS parent_id, p.municipality_id, k.slug AS municipality_slug, \
    k.name AS municipality_name, 'oeffentlich' AS visibility, p.title, s.text AS body, CAST(NULL AS BIGINT) AS primary_field_id \
    FROM opinion_statements s JOIN participations p ON p.id = s.participation_id \
    JOIN municipalities k ON k.id = p.municipality_id \
    WHERE s.state = 'angenommen' AND p.published = TRUE AND ($1 IS NULL OR s.id = $1) AND ($2 IS NULL OR p.id = $2)";

/// Workshops of municipalities and network events (no municipality: id 0, which no one is a member of).
const WORKSHOPS: &str = "SELECT 'werkstatt' AS kind, w.id, CAST(NULL AS BIGINT) AS parent_id, \
    COALESCE(w.municipality_id, 0) AS municipality_id, COALESCE(k.slug, 'netzwerk') AS municipality_slug, \
    COALESCE(k.name, 'Netzwerk') AS municipality_name, w.visibility, w.title, w.purpose || ' ' || w.place AS body, \
    CAST(NULL AS BIGINT) AS primary_field_id \
    FROM workshops w LEFT JOIN municipalities k ON k.id = w.municipality_id WHERE ($1 IS NULL OR w.id = $1)";

/// Published magazine articles (network content: municipality id 0).
const ARTICLES: &str = "SELECT 'artikel' AS kind, a.id, CAST(NULL AS BIGINT) AS parent_id, CAST(0 AS BIGINT) AS municipality_id, \
    'netzwerk' AS municipality_slug, 'Netzwerk' AS municipality_name, a.visibility, a.title, \
    a.teaser || ' ' || a.body_md AS body, CAST(NULL AS BIGINT) AS primary_field_id, a.slug \
    FROM articles a WHERE a.published_at IS NOT NULL AND ($1 IS NULL OR a.id = $1)";

const DEFINITIONS: &str = "SELECT 'leitbild' AS kind, d.municipality_id AS id, CAST(NULL AS BIGINT) AS parent_id, d.municipality_id, \
    k.slug AS municipality_slug, k.name AS municipality_name, d.visibility, k.name AS title, v.body_md AS body, \
    CAST(NULL AS BIGINT) AS primary_field_id FROM definitions d JOIN municipalities k ON k.id = d.municipality_id \
    JOIN definition_versions v ON v.municipality_id = d.municipality_id AND v.version = d.current_version \
    WHERE ($1 IS NULL OR d.municipality_id = $1)";

async fn rows(
    db: &Db,
    sql: &'static str,
    id: Option<i64>,
    parent: Option<i64>,
) -> StoreResult<Vec<Entry>> {
    let two = sql.contains("$2");
    let rows = on_db!(db, pool => {
        let q = sqlx::query_as::<_, Entry>(sql).bind(id);
        let q = if two { q.bind(parent) } else { q };
        q.fetch_all(pool).await?
    });
    Ok(rows)
}

/// Fill `field_ids` (primary field, further fields of measures).
async fn with_fields(
    db: &Db,
    mut entries: Vec<Entry>,
    measure: Option<i64>,
) -> StoreResult<Vec<Entry>> {
    let further: Vec<(i64, i64)> = if entries.iter().any(|e| e.kind == "massnahme") {
        on_db!(db, pool => {
            sqlx::query_as("SELECT measure_id, field_id FROM measure_fields WHERE ($1 IS NULL OR measure_id = $1)")
                .bind(measure).fetch_all(pool).await?
        })
    } else {
        Vec::new()
    };
    let mut by_measure: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for (m, f) in further {
        by_measure.entry(m).or_default().push(f);
    }
    for e in &mut entries {
        e.field_ids.extend(e.primary_field_id);
        if e.kind == "massnahme"
            && let Some(f) = by_measure.remove(&e.id)
        {
            e.field_ids.extend(f);
        }
        e.field_ids.sort_unstable();
        e.field_ids.dedup();
    }
    Ok(entries)
}

/// Every searchable entity (start-up rebuild).
pub async fn all(db: &Db) -> StoreResult<Vec<Entry>> {
    let mut out = Vec::new();
    for sql in [
        MEASURES,
        IDEAS,
        STATEMENTS,
        WORKSHOPS,
        DEFINITIONS,
        ARTICLES,
    ] {
        out.extend(rows(db, sql, None, None).await?);
    }
    with_fields(db, out, None).await
}

/// The searchable entities behind one change (none if the entity is gone or not searchable).
pub async fn for_change(db: &Db, kind: &str, id: i64) -> StoreResult<Vec<Entry>> {
    let out = match kind {
        "massnahme" => rows(db, MEASURES, Some(id), None).await?,
        "idee" => rows(db, IDEAS, Some(id), None).await?,
        "aussage" => rows(db, STATEMENTS, Some(id), None).await?,
        "werkstatt" => rows(db, WORKSHOPS, Some(id), None).await?,
        "leitbild" => rows(db, DEFINITIONS, Some(id), None).await?,
        "artikel" => rows(db, ARTICLES, Some(id), None).await?,
        "beteiligung" => {
            let mut v = rows(db, IDEAS, None, Some(id)).await?;
            v.extend(rows(db, STATEMENTS, None, Some(id)).await?);
            v
        }
        _ => Vec::new(),
    };
    with_fields(db, out, (kind == "massnahme").then_some(id)).await
}

/// Queue every searchable entity of a city for re-reading, in the transaction that renamed it
/// (`$1` the city, `$2` the time).
pub(crate) const REQUEUE_CITY: &str = "INSERT INTO search_changes (kind, entity_id, changed_at) \
    SELECT 'massnahme', id, CAST($2 AS BIGINT) FROM measures WHERE municipality_id = $1 \
    UNION ALL SELECT 'werkstatt', id, CAST($2 AS BIGINT) FROM workshops WHERE municipality_id = $1 \
    UNION ALL SELECT 'beteiligung', id, CAST($2 AS BIGINT) FROM participations WHERE municipality_id = $1 \
    UNION ALL SELECT 'leitbild', municipality_id, CAST($2 AS BIGINT) FROM definitions WHERE municipality_id = $1";

/// Ids of all ideas and statements of a format, searchable or not (to remove the no longer searchable).
pub async fn items_of_participation(
    db: &Db,
    participation_id: i64,
) -> StoreResult<(Vec<i64>, Vec<i64>)> {
    let r = on_db!(db, pool => {
        let i: Vec<i64> = sqlx::query_scalar("SELECT id FROM ideas WHERE participation_id = $1")
            .bind(participation_id).fetch_all(pool).await?;
        let s: Vec<i64> = sqlx::query_scalar("SELECT id FROM opinion_statements WHERE participation_id = $1")
            .bind(participation_id).fetch_all(pool).await?;
        (i, s)
    });
    Ok(r)
}

/// The highest outbox sequence number (0 when empty).
pub async fn last_seq(db: &Db) -> StoreResult<i64> {
    let n = on_db!(db, pool => {
        sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(seq) FROM search_changes").fetch_one(pool).await?
    });
    Ok(n.unwrap_or(0))
}

/// Outbox rows after `seq`, oldest first.
pub async fn changes_after(db: &Db, seq: i64, limit: i64) -> StoreResult<Vec<Change>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Change>(
            "SELECT seq, kind, entity_id FROM search_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(seq).bind(limit).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Delete outbox rows older than `max_age_secs`; returns how many.
pub async fn purge_changes(db: &Db, max_age_secs: i64) -> StoreResult<u64> {
    let before = crate::now_secs() - max_age_secs;
    let n = on_db!(db, pool => {
        sqlx::query("DELETE FROM search_changes WHERE changed_at < $1").bind(before).execute(pool).await?.rows_affected()
    });
    Ok(n)
}
