//! Opinion map (Meinungsbild): statements with their moderation state, loading a format's conversation for
//! the analysis, counts per statement, and the import of a Pol.is conversation. Votes themselves are written
//! only through the group-commit writer (`crate::votes::VoteOp::Opinion`).

use crate::{Db, StoreResult, in_tx, now_secs, on_db};

/// Moderation states of a statement.
pub const PENDING: &str = "offen";
pub const ACCEPTED: &str = "angenommen";
pub const REJECTED: &str = "abgelehnt";

/// Longest statement (characters).
pub const MAX_LEN: usize = 280;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Statement {
    pub id: i64,
    pub participation_id: i64,
    pub participant_id: Option<i64>,
    pub text: String,
    pub state: String,
    pub created_at: i64,
}

const SELECT: &str =
    "SELECT id, participation_id, participant_id, text, state, created_at FROM opinion_statements";

/// Add a statement; returns its id.
pub async fn create(
    db: &Db,
    participation_id: i64,
    participant_id: Option<i64>,
    text: &str,
    state: &str,
) -> StoreResult<i64> {
    in_tx!(db, tx => {
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO opinion_statements (participation_id, participant_id, text, state, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(participation_id).bind(participant_id).bind(text).bind(state).bind(now_secs())
        .fetch_one(&mut *tx).await?;
        search_change!(tx, "aussage", id);
        Ok(id)
    })
}

/// Accept or reject a statement of the format; false if there is no such statement.
pub async fn set_state(db: &Db, participation_id: i64, id: i64, state: &str) -> StoreResult<bool> {
    in_tx!(db, tx => {
        let n = sqlx::query("UPDATE opinion_statements SET state = $3 WHERE id = $2 AND participation_id = $1")
            .bind(participation_id).bind(id).bind(state).execute(&mut *tx).await?.rows_affected();
        if n == 1 {
            search_change!(tx, "aussage", id);
        }
        Ok(n == 1)
    })
}

/// All statements of a format, oldest first.
pub async fn list(db: &Db, participation_id: i64) -> StoreResult<Vec<Statement>> {
    let sql = format!("{SELECT} WHERE participation_id = $1 ORDER BY id");
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Statement>(sqlx::AssertSqlSafe(sql.clone())).bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// The statements a participant wrote.
pub async fn by_participant(db: &Db, participant_id: i64) -> StoreResult<Vec<Statement>> {
    let sql = format!("{SELECT} WHERE participant_id = $1 ORDER BY id");
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, Statement>(sqlx::AssertSqlSafe(sql.clone())).bind(participant_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Every vote of a format as `(participant_id, statement_id, value, created_at)`, in the order cast.
pub async fn votes(db: &Db, participation_id: i64) -> StoreResult<Vec<(i64, i64, i64, i64)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, i64, i64, i64)>(
            "SELECT participant_id, statement_id, value, created_at FROM opinion_votes WHERE participation_id = $1 \
             ORDER BY created_at, participant_id, statement_id",
        )
        .bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Counts per statement: `(statement_id, agree, disagree, pass)`.
pub async fn counts(db: &Db, participation_id: i64) -> StoreResult<Vec<(i64, i64, i64, i64)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, i64, i64, i64)>(
            "SELECT statement_id, \
             CAST(SUM(CASE WHEN value = 1 THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN value = -1 THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN value = 0 THEN 1 ELSE 0 END) AS BIGINT) \
             FROM opinion_votes WHERE participation_id = $1 GROUP BY statement_id ORDER BY statement_id",
        )
        .bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// A cheap fingerprint of a format's conversation: changes whenever a vote is cast or changed or a
/// statement is added or moderated. `(votes, latest vote, weighted sum of values, statements, state sum)`.
pub async fn fingerprint(db: &Db, participation_id: i64) -> StoreResult<[i64; 5]> {
    let (a, b, c) = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, i64, i64)>(
            "SELECT COUNT(*), COALESCE(MAX(created_at), 0), \
             COALESCE(CAST(SUM((value + 2) * (statement_id % 1009 + 1) * (participant_id % 997 + 1)) AS BIGINT), 0) \
             FROM opinion_votes WHERE participation_id = $1",
        )
        .bind(participation_id).fetch_one(pool).await?
    });
    let (d, e) = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT COUNT(*), COALESCE(CAST(SUM(CASE state WHEN 'angenommen' THEN id * 3 WHEN 'abgelehnt' THEN id * 7 ELSE id END) AS BIGINT), 0) \
             FROM opinion_statements WHERE participation_id = $1",
        )
        .bind(participation_id).fetch_one(pool).await?
    });
    Ok([a, b, c, d, e])
}

/// Import a conversation's statements and voters: creates `voters` anonymous guest participants (no
/// browser token, so nobody can act as them) and the statements as accepted, in one transaction. Returns
/// the new participant ids (index for index) and statement ids (index for index). `statements`:
/// `(text, author index into voters)`.
pub async fn import(
    db: &Db,
    participation_id: i64,
    voters: usize,
    statements: &[(String, Option<usize>)],
) -> StoreResult<(Vec<i64>, Vec<i64>)> {
    let now = now_secs();
    in_tx!(db, tx => {
        let mut people = Vec::with_capacity(voters);
        for _ in 0..voters {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO participants (participation_id, kind, confirmed_at, created_at) VALUES ($1, 'gast', $2, $2) RETURNING id",
            )
            .bind(participation_id).bind(now).fetch_one(&mut *tx).await?;
            people.push(id);
        }
        let mut ids = Vec::with_capacity(statements.len());
        for (text, author) in statements {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO opinion_statements (participation_id, participant_id, text, state, created_at) \
                 VALUES ($1, $2, $3, 'angenommen', $4) RETURNING id",
            )
            .bind(participation_id).bind(author.and_then(|a| people.get(a).copied())).bind(text).bind(now)
            .fetch_one(&mut *tx).await?;
            ids.push(id);
        }
        search_change!(tx, "beteiligung", participation_id);
        Ok((people, ids))
    })
}

/// A participant's votes with the statement texts: `(statement_id, text, value, created_at)`.
pub async fn votes_of(db: &Db, participant_id: i64) -> StoreResult<Vec<(i64, String, i64, i64)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, String, i64, i64)>(
            "SELECT v.statement_id, s.text, v.value, v.created_at FROM opinion_votes v \
             JOIN opinion_statements s ON s.id = v.statement_id WHERE v.participant_id = $1 ORDER BY v.statement_id",
        )
        .bind(participant_id).fetch_all(pool).await?
    });
    Ok(rows)
}
