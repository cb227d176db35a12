//! Import and export of a Pol.is conversation export: its `comments.csv` and `votes.csv`.
//!
//! `comments.csv`: `timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body`, where
//! `moderated` is 1 (accepted), 0 (not yet moderated) or −1 (rejected). `votes.csv`:
//! `timestamp,datetime,comment-id,voter-id,vote` with `vote` 1 (agree), −1 (disagree) or 0 (pass); the
//! export already flips Pol.is' internal sign (−1 = agree there). Timestamps are Unix seconds and
//! `datetime` is the same instant as JavaScript's `Date#toString()` in UTC prints it. Columns are found by
//! their header, so extra columns (newer exports add `important`) and another order are fine.
//!
//! Reading keeps the statements in file order and orders the votes by timestamp (stably), so that the
//! latest vote of a participant on a statement is the one that counts; `agrees`, `disagrees` and
//! `datetime` are derived values and are not read. Writing derives them from the votes. A statement that is
//! not moderated out is written as accepted (1), one that is as rejected (−1); 0 reads as not moderated out.
//!
//! Statements are written by citizens and the files are opened by city staff, often in a spreadsheet
//! program: a statement that would start a formula (`=`, `+`, `-`, `@`, tab, carriage return — "CSV
//! injection") is written with a leading apostrophe, after any apostrophes it already starts with, and reading
//! takes that one apostrophe off again, so the round trip is exact.

use crate::{Conversation, Statement, Vote};
use std::collections::HashMap;
use std::io::{Read, Write};

/// What can go wrong reading or writing an export.
#[derive(Debug, thiserror::Error)]
pub enum PolisError {
    #[error("{file}: {source}")]
    Csv {
        file: &'static str,
        #[source]
        source: csv::Error,
    },
    #[error("{file}: the column `{column}` is missing")]
    MissingColumn {
        file: &'static str,
        column: &'static str,
    },
    #[error("{file}, line {line}: `{value}` is not a valid {column}")]
    BadValue {
        file: &'static str,
        line: u64,
        column: &'static str,
        value: String,
    },
    #[error("{file}: {source}")]
    Io {
        file: &'static str,
        #[source]
        source: std::io::Error,
    },
}

const COMMENTS: &str = "comments.csv";
const VOTES: &str = "votes.csv";
const COMMENTS_HEADER: [&str; 8] = [
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
];
const VOTES_HEADER: [&str; 5] = ["timestamp", "datetime", "comment-id", "voter-id", "vote"];

/// Timestamps (Unix seconds) of the statements and votes of a conversation, index for index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Times {
    pub statements: Vec<i64>,
    pub votes: Vec<i64>,
}

impl Times {
    /// 0, 1, 2, … for statements and votes: keeps the order when no real times are known.
    pub fn sequential(c: &Conversation) -> Self {
        Self {
            statements: (0..c.statements.len() as i64).collect(),
            votes: (0..c.votes.len() as i64).collect(),
        }
    }
}

/// Reads a conversation from the two export files.
pub fn read(comments: impl Read, votes: impl Read) -> Result<Conversation, PolisError> {
    read_with_times(comments, votes).map(|(c, _)| c)
}

/// Writes a conversation as the two export files, with [`Times::sequential`] timestamps.
pub fn write(c: &Conversation, comments: impl Write, votes: impl Write) -> Result<(), PolisError> {
    write_with_times(c, &Times::sequential(c), comments, votes)
}

/// Reads a conversation and the timestamps of its statements and votes.
pub fn read_with_times(
    comments: impl Read,
    votes: impl Read,
) -> Result<(Conversation, Times), PolisError> {
    let mut times = Times::default();
    let mut statements = Vec::new();
    let mut r = reader(comments);
    let cols = Columns::new(&mut r, COMMENTS, &["comment-id", "comment-body"])?;
    let mut record = csv::StringRecord::new();
    while read_record(&mut r, &mut record, COMMENTS)? {
        let line = line_of(&record);
        let id = cols
            .int(&record, "comment-id", COMMENTS, line)?
            .unwrap_or_default();
        let author = cols.int(&record, "author-id", COMMENTS, line)?;
        let moderated = cols.int(&record, "moderated", COMMENTS, line)?.unwrap_or(0);
        if !(-1..=1).contains(&moderated) {
            return Err(bad(COMMENTS, line, "moderated", &moderated.to_string()));
        }
        times
            .statements
            .push(cols.int(&record, "timestamp", COMMENTS, line)?.unwrap_or(0));
        statements.push(Statement {
            id,
            text: unguard(cols.text(&record, "comment-body")).to_string(),
            author,
            moderated_out: moderated == -1,
        });
    }

    let mut timed = Vec::new();
    let mut r = reader(votes);
    let cols = Columns::new(&mut r, VOTES, &["comment-id", "voter-id", "vote"])?;
    while read_record(&mut r, &mut record, VOTES)? {
        let line = line_of(&record);
        let need = |column: &'static str| {
            cols.int(&record, column, VOTES, line)?
                .ok_or_else(|| bad(VOTES, line, column, ""))
        };
        let statement = need("comment-id")?;
        let participant = need("voter-id")?;
        let value = need("vote")?;
        if !(-1..=1).contains(&value) {
            return Err(bad(VOTES, line, "vote", &value.to_string()));
        }
        let at = cols.int(&record, "timestamp", VOTES, line)?.unwrap_or(0);
        timed.push((
            at,
            Vote {
                participant,
                statement,
                value: value as i8,
            },
        ));
    }
    timed.sort_by_key(|(at, _)| *at); // stable: equal times keep file order
    let (vote_times, votes) = timed.into_iter().unzip();
    times.votes = vote_times;
    Ok((Conversation { statements, votes }, times))
}

/// Writes a conversation with the given timestamps (missing ones count as 0). Votes should be in
/// timestamp order, as they are when read; otherwise reading the files back orders them by time.
pub fn write_with_times(
    c: &Conversation,
    times: &Times,
    comments: impl Write,
    votes: impl Write,
) -> Result<(), PolisError> {
    let mut latest: HashMap<(i64, i64), i8> = HashMap::with_capacity(c.votes.len());
    for v in &c.votes {
        latest.insert((v.participant, v.statement), v.value);
    }
    let mut tally: HashMap<i64, (u64, u64)> = HashMap::new();
    for (&(_, statement), &value) in &latest {
        let t = tally.entry(statement).or_default();
        match value.signum() {
            1 => t.0 += 1,
            -1 => t.1 += 1,
            _ => {}
        }
    }

    let csv_err = |file| move |source| PolisError::Csv { file, source };
    let mut w = csv::Writer::from_writer(comments);
    w.write_record(COMMENTS_HEADER).map_err(csv_err(COMMENTS))?;
    for (i, s) in c.statements.iter().enumerate() {
        let at = times.statements.get(i).copied().unwrap_or(0);
        let (agrees, disagrees) = tally.get(&s.id).copied().unwrap_or_default();
        w.write_record([
            at.to_string(),
            js_datetime(at),
            s.id.to_string(),
            s.author.map(|a| a.to_string()).unwrap_or_default(),
            agrees.to_string(),
            disagrees.to_string(),
            if s.moderated_out { "-1" } else { "1" }.to_string(),
            guard(&s.text),
        ])
        .map_err(csv_err(COMMENTS))?;
    }
    w.flush().map_err(|source| PolisError::Io {
        file: COMMENTS,
        source,
    })?;

    let mut w = csv::Writer::from_writer(votes);
    w.write_record(VOTES_HEADER).map_err(csv_err(VOTES))?;
    for (i, v) in c.votes.iter().enumerate() {
        let at = times.votes.get(i).copied().unwrap_or(0);
        w.write_record([
            at.to_string(),
            js_datetime(at),
            v.statement.to_string(),
            v.participant.to_string(),
            v.value.signum().to_string(),
        ])
        .map_err(csv_err(VOTES))?;
    }
    w.flush().map_err(|source| PolisError::Io {
        file: VOTES,
        source,
    })
}

/// Characters that make a spreadsheet program read a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell for a statement: a leading apostrophe when the text (after its own leading apostrophes) would
/// start a formula.
fn guard(text: &str) -> String {
    if text.trim_start_matches('\'').starts_with(FORMULA_START) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The inverse of [`guard`].
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

fn reader<R: Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::Headers)
        .from_reader(input)
}

fn read_record<R: Read>(
    r: &mut csv::Reader<R>,
    record: &mut csv::StringRecord,
    file: &'static str,
) -> Result<bool, PolisError> {
    r.read_record(record)
        .map_err(|source| PolisError::Csv { file, source })
}

fn line_of(record: &csv::StringRecord) -> u64 {
    record.position().map(|p| p.line()).unwrap_or(0)
}

fn bad(file: &'static str, line: u64, column: &'static str, value: &str) -> PolisError {
    PolisError::BadValue {
        file,
        line,
        column,
        value: value.to_string(),
    }
}

/// Header positions of one file.
struct Columns(HashMap<String, usize>);

impl Columns {
    fn new<R: Read>(
        r: &mut csv::Reader<R>,
        file: &'static str,
        required: &[&'static str],
    ) -> Result<Self, PolisError> {
        let headers = r
            .headers()
            .map_err(|source| PolisError::Csv { file, source })?;
        let map: HashMap<String, usize> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim_start_matches('\u{feff}').to_string(), i))
            .collect();
        for &column in required {
            if !map.contains_key(column) {
                return Err(PolisError::MissingColumn { file, column });
            }
        }
        Ok(Self(map))
    }

    fn text<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.0
            .get(column)
            .and_then(|&i| record.get(i))
            .unwrap_or("")
    }

    /// The integer in `column`; `None` when the column or the value is absent. Accepts `12.0`.
    fn int(
        &self,
        record: &csv::StringRecord,
        column: &'static str,
        file: &'static str,
        line: u64,
    ) -> Result<Option<i64>, PolisError> {
        let raw = self.text(record, column).trim();
        if raw.is_empty() {
            return Ok(None);
        }
        if let Ok(n) = raw.parse::<i64>() {
            return Ok(Some(n));
        }
        match raw.parse::<f64>() {
            Ok(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
            _ => Err(bad(file, line, column, raw)),
        }
    }
}

/// `Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)`: JavaScript's `Date#toString()` in UTC,
/// the form of Pol.is' `datetime` column.
pub fn js_datetime(unix_seconds: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{} {} {:02} {:04} {:02}:{:02}:{:02} GMT+0000 (Coordinated Universal Time)",
        DAYS[days.rem_euclid(7) as usize],
        MONTHS[(month - 1) as usize],
        day,
        year,
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_like_javascript() {
        assert_eq!(
            js_datetime(0),
            "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"
        );
        assert_eq!(
            js_datetime(1_760_000_000),
            "Thu Oct 09 2025 08:53:20 GMT+0000 (Coordinated Universal Time)"
        );
        assert_eq!(
            js_datetime(1_709_210_096),
            "Thu Feb 29 2024 12:34:56 GMT+0000 (Coordinated Universal Time)"
        );
    }

    #[test]
    fn formulas_are_neutralised_and_read_back_exactly() {
        let texts = [
            "=HYPERLINK(\"http://x.example\",\"klick\")",
            "+49 Radweg",
            "-2+3",
            "@SUMME(A1)",
            "'=schon maskiert",
            "''@",
            "'",
            "Kein 'Problem' = gut",
        ];
        let c = Conversation {
            statements: texts
                .iter()
                .enumerate()
                .map(|(i, t)| Statement {
                    id: i as i64,
                    text: t.to_string(),
                    author: None,
                    moderated_out: false,
                })
                .collect(),
            votes: vec![],
        };
        let (mut comments, mut votes) = (Vec::new(), Vec::new());
        write(&c, &mut comments, &mut votes).expect("write");
        let mut r = csv::Reader::from_reader(comments.as_slice());
        let cells: Vec<String> = r
            .records()
            .map(|rec| rec.expect("record")[7].to_string())
            .collect();
        for cell in &cells[..6] {
            assert!(cell.starts_with('\''), "{cell}");
        }
        assert_eq!(cells[6], "'");
        assert_eq!(cells[7], texts[7]);
        let back = read(comments.as_slice(), votes.as_slice()).expect("read");
        assert_eq!(back, c);
    }

    #[test]
    fn missing_column_and_bad_values_are_reported() {
        let err = read("comment-id\n1\n".as_bytes(), "".as_bytes()).unwrap_err();
        assert!(matches!(
            err,
            PolisError::MissingColumn {
                column: "comment-body",
                ..
            }
        ));
        let comments = "comment-id,comment-body\n1,x\n";
        let votes = "comment-id,voter-id,vote\n1,2,1\n1,3,2\n";
        let err = read(comments.as_bytes(), votes.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "votes.csv, line 3: `2` is not a valid vote"
        );
        let votes = "comment-id,voter-id,vote\n1,x,1\n";
        let err = read(comments.as_bytes(), votes.as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "votes.csv, line 2: `x` is not a valid voter-id"
        );
    }
}
