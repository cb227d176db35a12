//! Surveys (Umfrage): questions, one response per participant (primary key of `survey_responses`), answers,
//! and the counts every response updates in its own transaction (`survey_counts`), so that results are read
//! from counts and never recomputed from answers.
//!
//! Questions change only while nobody has answered: every change bumps `surveys.version` in an `UPDATE … WHERE
//! responses = 0`, and a response increments `responses` only `WHERE version` is the one its answers were
//! validated against. The `surveys` row is the lock both take (on PostgreSQL the row lock, on SQLite the
//! write lock of `BEGIN IMMEDIATE`), so a question cannot change under a response being counted.

use crate::{Db, StoreError, StoreResult, in_tx, now_secs, on_db};
use domain::survey::{
    Answer, Condition, Count, MAX_QUESTIONS, Question, QuestionDraft, QuestionKind, count_deltas,
};

/// The survey's questionnaire version and number of responses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct Survey {
    pub version: i64,
    pub responses: i64,
}

#[derive(sqlx::FromRow)]
struct QuestionRow {
    id: i64,
    kind: String,
    text: String,
    help: String,
    required: bool,
    options: String,
    scale: i64,
    low_label: String,
    high_label: String,
    min_value: Option<i64>,
    max_value: Option<i64>,
    max_length: i64,
    cond_question_id: Option<i64>,
    cond_option: Option<i64>,
}

impl QuestionRow {
    fn into_question(self) -> Option<Question> {
        Some(Question {
            id: self.id,
            kind: QuestionKind::parse(&self.kind)?,
            text: self.text,
            help: self.help,
            required: self.required,
            options: if self.options.is_empty() {
                vec![]
            } else {
                self.options.split('\n').map(str::to_string).collect()
            },
            scale: self.scale,
            low_label: self.low_label,
            high_label: self.high_label,
            min: self.min_value,
            max: self.max_value,
            max_length: self.max_length,
            condition: match (self.cond_question_id, self.cond_option) {
                (Some(q), Some(o)) if o >= 0 => Some(Condition {
                    question_id: q,
                    option: o as usize,
                }),
                _ => None,
            },
        })
    }
}

const QUESTIONS: &str = "SELECT id, kind, text, help, required, options, scale, low_label, high_label, min_value, \
    max_value, max_length, cond_question_id, cond_option FROM survey_questions WHERE participation_id = $1 \
    ORDER BY position, id";

fn to_questions(rows: Vec<QuestionRow>) -> Vec<Question> {
    rows.into_iter()
        .filter_map(QuestionRow::into_question)
        .collect()
}

/// The survey state and its questions in order (a survey without questions: version 0, no responses).
pub async fn questions(db: &Db, participation_id: i64) -> StoreResult<(Survey, Vec<Question>)> {
    let (survey, rows) = on_db!(db, pool => {
        let s = sqlx::query_as::<_, Survey>("SELECT version, responses FROM surveys WHERE participation_id = $1")
            .bind(participation_id).fetch_optional(pool).await?;
        let rows = sqlx::query_as::<_, QuestionRow>(QUESTIONS).bind(participation_id).fetch_all(pool).await?;
        (s, rows)
    });
    Ok((survey.unwrap_or_default(), to_questions(rows)))
}

/// Bump the version of a survey nobody has answered yet (creating its row); refused once it has responses.
macro_rules! change_questions {
    ($tx:ident, $participation_id:expr) => {{
        sqlx::query("INSERT INTO surveys (participation_id) VALUES ($1) ON CONFLICT DO NOTHING")
            .bind($participation_id)
            .execute(&mut *$tx)
            .await?;
        let v: Option<i64> = sqlx::query_scalar(
            "UPDATE surveys SET version = version + 1 WHERE participation_id = $1 AND responses = 0 RETURNING version",
        )
        .bind($participation_id)
        .fetch_optional(&mut *$tx)
        .await?;
        if v.is_none() {
            return Err(StoreError::Refused("err-survey-has-answers"));
        }
    }};
}

/// Append a question (with its zero counts). Refused once the survey has responses, beyond
/// [`MAX_QUESTIONS`], or when the condition's question is gone.
pub async fn add_question(db: &Db, participation_id: i64, d: &QuestionDraft) -> StoreResult<i64> {
    let slots = d.slots();
    in_tx!(db, tx => {
        change_questions!(tx, participation_id);
        let (count, last): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MAX(position) FROM survey_questions WHERE participation_id = $1",
        )
        .bind(participation_id).fetch_one(&mut *tx).await?;
        if count as usize >= MAX_QUESTIONS {
            return Err(StoreError::Refused("err-survey-too-many"));
        }
        if let Some(c) = d.condition {
            let target: Option<(String, String)> = sqlx::query_as(
                "SELECT kind, options FROM survey_questions WHERE id = $1 AND participation_id = $2",
            )
            .bind(c.question_id).bind(participation_id).fetch_optional(&mut *tx).await?;
            let ok = target.is_some_and(|(kind, options)| {
                QuestionKind::parse(&kind).is_some_and(QuestionKind::is_choice)
                    && c.option < options.split('\n').count()
            });
            if !ok {
                return Err(StoreError::Refused("err-survey-condition"));
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO survey_questions (participation_id, position, kind, text, help, required, options, scale, \
             low_label, high_label, min_value, max_value, max_length, cond_question_id, cond_option, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
        )
        .bind(participation_id).bind(last.unwrap_or(0) + 1).bind(d.kind.as_str()).bind(&d.text).bind(&d.help)
        .bind(d.required).bind(d.options.join("\n")).bind(d.scale).bind(&d.low_label).bind(&d.high_label)
        .bind(d.min).bind(d.max).bind(d.max_length).bind(d.condition.map(|c| c.question_id))
        .bind(d.condition.map(|c| c.option as i64)).bind(now_secs())
        .fetch_one(&mut *tx).await?;
        for slot in &slots {
            sqlx::query("INSERT INTO survey_counts (question_id, participation_id, slot) VALUES ($1, $2, $3)")
                .bind(id).bind(participation_id).bind(*slot).execute(&mut *tx).await?;
        }
        Ok(id)
    })
}

/// Delete a question of a survey nobody has answered yet, unless another question's condition names it.
pub async fn delete_question(db: &Db, participation_id: i64, question_id: i64) -> StoreResult<()> {
    in_tx!(db, tx => {
        change_questions!(tx, participation_id);
        let dependants: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM survey_questions WHERE cond_question_id = $1")
            .bind(question_id).fetch_one(&mut *tx).await?;
        if dependants > 0 {
            return Err(StoreError::Refused("err-survey-delete-referenced"));
        }
        let n = sqlx::query("DELETE FROM survey_questions WHERE id = $1 AND participation_id = $2")
            .bind(question_id).bind(participation_id).execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    })
}

/// Move a question one place up or down (a no-op at either end); refused when a question would come
/// before the question its condition names, or once the survey has responses.
pub async fn move_question(
    db: &Db,
    participation_id: i64,
    question_id: i64,
    up: bool,
) -> StoreResult<()> {
    in_tx!(db, tx => {
        change_questions!(tx, participation_id);
        let rows = sqlx::query_as::<_, QuestionRow>(QUESTIONS).bind(participation_id).fetch_all(&mut *tx).await?;
        let qs = to_questions(rows);
        let order = match domain::survey::moved(&qs, question_id, up) {
            Ok(Some(ids)) => ids,
            Ok(None) => return Ok(()),
            Err("err-survey-unknown-question") => return Err(StoreError::NotFound),
            Err(code) => return Err(StoreError::Refused(code)),
        };
        for (pos, id) in order.iter().enumerate() {
            sqlx::query("UPDATE survey_questions SET position = $2 WHERE id = $1")
                .bind(*id).bind(pos as i64 + 1).execute(&mut *tx).await?;
        }
        Ok(())
    })
}

/// One response to submit: the participant, the questionnaire version its answers were validated against,
/// and the answers (question id, answer) in question order.
#[derive(Debug, Clone)]
pub struct Response {
    pub participation_id: i64,
    pub participant_id: i64,
    pub version: i64,
    pub answers: Vec<(i64, Answer)>,
}

/// A response refused by a rule (nothing of it written); the message key.
pub type Refused = &'static str;

macro_rules! submit_one {
    ($tx:ident, $r:expr) => {{
        let r: &Response = $r;
        let out: StoreResult<Result<(), Refused>> = async {
            let inserted = sqlx::query(
                "INSERT INTO survey_responses (participant_id, participation_id, version, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(r.participant_id).bind(r.participation_id).bind(r.version).bind(now_secs())
            .execute(&mut *$tx).await?.rows_affected();
            if inserted == 0 {
                return Ok(Err("err-survey-already"));
            }
            let counted = sqlx::query(
                "UPDATE surveys SET responses = responses + 1 WHERE participation_id = $1 AND version = $2",
            )
            .bind(r.participation_id).bind(r.version)
            .execute(&mut *$tx).await?.rows_affected();
            if counted == 0 {
                return Ok(Err("err-survey-changed"));
            }
            for (qid, a) in &r.answers {
                sqlx::query("INSERT INTO survey_answers (participant_id, question_id, value) VALUES ($1, $2, $3)")
                    .bind(r.participant_id).bind(*qid).bind(a.encode())
                    .execute(&mut *$tx).await?;
            }
            for d in count_deltas(&r.answers) {
                sqlx::query(
                    "INSERT INTO survey_counts (question_id, participation_id, slot, n, total, min_value, max_value) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (question_id, slot) DO UPDATE SET \
                     n = survey_counts.n + excluded.n, total = survey_counts.total + excluded.total, \
                     min_value = CASE WHEN excluded.min_value IS NULL THEN survey_counts.min_value \
                       WHEN survey_counts.min_value IS NULL OR excluded.min_value < survey_counts.min_value \
                       THEN excluded.min_value ELSE survey_counts.min_value END, \
                     max_value = CASE WHEN excluded.max_value IS NULL THEN survey_counts.max_value \
                       WHEN survey_counts.max_value IS NULL OR excluded.max_value > survey_counts.max_value \
                       THEN excluded.max_value ELSE survey_counts.max_value END",
                )
                .bind(d.question_id).bind(r.participation_id).bind(d.slot).bind(d.n).bind(d.total).bind(d.value)
                .execute(&mut *$tx).await?;
            }
            Ok(Ok(()))
        }
        .await;
        out
    }};
}

/// Store one response with its answers and count it, in one transaction. Refused (nothing written) when
/// the participant already answered (`err-survey-already`; the primary key decides, so of two parallel
/// submissions one is refused) or the questions changed since validation (`err-survey-changed`).
pub async fn submit(db: &Db, r: &Response) -> StoreResult<Result<(), Refused>> {
    let outcome = in_tx!(db, tx => {
        match submit_one!(tx, r)? {
            Ok(()) => Ok(Ok(())),
            // Roll back what the refused response wrote (the response row, if it got that far).
            Err(refused) => Err(StoreError::Refused(refused)),
        }
    });
    match outcome {
        Err(StoreError::Refused(code)) => Ok(Err(code)),
        other => other,
    }
}

/// Store many responses in one transaction, each in its own savepoint (a refused one is rolled back
/// alone). For imports; the web form uses [`submit`]. On PostgreSQL every response writes a new version of
/// the survey's count rows, and versions written inside one transaction cannot be pruned before it commits:
/// keep batches small (or vacuum `survey_counts` afterwards), else reading the counts slows down until
/// autovacuum has run. One transaction per response keeps every update HOT and the table at its size.
pub async fn submit_many(db: &Db, rs: &[Response]) -> StoreResult<Vec<Result<(), Refused>>> {
    let mut out = Vec::with_capacity(rs.len());
    in_tx!(db, tx => {
        for r in rs {
            sqlx::query("SAVEPOINT response").execute(&mut *tx).await?;
            let result = submit_one!(tx, r)?;
            if result.is_err() {
                sqlx::query("ROLLBACK TO SAVEPOINT response").execute(&mut *tx).await?;
            }
            sqlx::query("RELEASE SAVEPOINT response").execute(&mut *tx).await?;
            out.push(result);
        }
        Ok(())
    })?;
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct CountRow {
    question_id: i64,
    slot: i64,
    n: i64,
    total: i64,
    min_value: Option<i64>,
    max_value: Option<i64>,
}

/// The maintained counts of a survey: `(question id, count)`.
pub async fn counts(db: &Db, participation_id: i64) -> StoreResult<Vec<(i64, Count)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, CountRow>(
            "SELECT question_id, slot, n, total, min_value, max_value FROM survey_counts WHERE participation_id = $1",
        )
        .bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.question_id,
                Count {
                    slot: r.slot,
                    n: r.n,
                    total: r.total,
                    min: r.min_value,
                    max: r.max_value,
                },
            )
        })
        .collect())
}

/// The newest free-text answers to one question, at most `limit`.
pub async fn texts(db: &Db, question_id: i64, limit: i64) -> StoreResult<Vec<String>> {
    let rows = on_db!(db, pool => {
        sqlx::query_scalar::<_, String>(
            "SELECT value FROM survey_answers WHERE question_id = $1 ORDER BY participant_id DESC LIMIT $2",
        )
        .bind(question_id).bind(limit).fetch_all(pool).await?
    });
    Ok(rows)
}

/// Every free-text answer of a survey, `(question id, text)` in question and response order (downloads).
pub async fn all_texts(db: &Db, participation_id: i64) -> StoreResult<Vec<(i64, String)>> {
    let rows = on_db!(db, pool => {
        sqlx::query_as::<_, (i64, String)>(
            "SELECT a.question_id, a.value FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id \
             WHERE q.participation_id = $1 AND q.kind = 'freitext' ORDER BY q.position, a.question_id, a.participant_id",
        )
        .bind(participation_id).fetch_all(pool).await?
    });
    Ok(rows)
}

/// A participant's response: when, to which survey, and the stored answers `(question id, value)`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Mine {
    pub participation_id: i64,
    pub created_at: i64,
    pub answers: Vec<(i64, String)>,
}

/// The response of a participant, if they answered.
pub async fn mine(db: &Db, participant_id: i64) -> StoreResult<Option<Mine>> {
    let found = on_db!(db, pool => {
        let head: Option<(i64, i64)> = sqlx::query_as(
            "SELECT participation_id, created_at FROM survey_responses WHERE participant_id = $1",
        )
        .bind(participant_id).fetch_optional(pool).await?;
        match head {
            None => None,
            Some((participation_id, created_at)) => {
                let answers = sqlx::query_as::<_, (i64, String)>(
                    "SELECT question_id, value FROM survey_answers WHERE participant_id = $1",
                )
                .bind(participant_id).fetch_all(pool).await?;
                Some(Mine { participation_id, created_at, answers })
            }
        }
    });
    Ok(found)
}
