//! The sparse vote matrix: one row per participant, one column per statement that is not moderated out.
//!
//! A cell is stored as a single `u32` code `column * 3 + (vote + 1)`, so a row is a short list of codes and
//! every per-cell quantity that depends only on the column and the vote (the centred value, a loading, a
//! count) is a lookup in a table of `3 × columns` entries. Building it is linear in the number of votes:
//! ids are mapped through a direct table when they are reasonably dense (they are in Pol.is and in our
//! database), rows are filled by a counting sort that keeps the order of the votes, and repeated votes are
//! collapsed to the last one in a single pass per row.

use crate::Conversation;
use std::collections::HashMap;

/// Votes as a sparse participants × statements matrix with column means.
#[derive(Debug, Clone)]
pub struct VoteMatrix {
    /// Participant id of each row, ascending.
    pub participants: Vec<i64>,
    /// Statement id of each column, in conversation order (moderated-out statements left out).
    pub statements: Vec<i64>,
    row_start: Vec<u32>,
    codes: Vec<u32>,
    /// Mean of the votes cast per column (0 for a column without votes).
    pub mean: Vec<f64>,
    /// Votes cast per column.
    pub column_votes: Vec<u32>,
}

/// The vote (+1, 0, −1) a cell code stands for.
#[inline]
pub fn code_value(code: u32) -> i32 {
    (code % 3) as i32 - 1
}

/// The column a cell code belongs to.
#[inline]
pub fn code_column(code: u32) -> usize {
    (code / 3) as usize
}

impl VoteMatrix {
    /// Builds the matrix from a conversation in time linear in its votes.
    pub fn build(c: &Conversation) -> Self {
        let statements: Vec<i64> = {
            let mut seen = std::collections::HashSet::new();
            c.statements
                .iter()
                .filter(|s| !s.moderated_out && seen.insert(s.id))
                .map(|s| s.id)
                .collect()
        };
        let all_statements: Vec<i64> = c.statements.iter().map(|s| s.id).collect();
        let columns = IdIndex::new(&statements, &all_statements);
        let participant_ids: Vec<i64> = c.votes.iter().map(|v| v.participant).collect();
        let (participants, rows) = IdIndex::dense_sorted(&participant_ids);
        let n_rows = participants.len();
        let n_cols = statements.len();

        // Counting sort of the (kept) votes into rows, in vote order.
        let mut row_of = Vec::with_capacity(c.votes.len());
        let mut code_of = Vec::with_capacity(c.votes.len());
        let mut count = vec![0u32; n_rows + 1];
        for v in &c.votes {
            let r = rows.get(v.participant).expect("every voter has a row");
            if let Some(col) = columns.get(v.statement) {
                row_of.push(r);
                code_of.push(col * 3 + (v.value.signum() + 1) as u32);
                count[r as usize + 1] += 1;
            }
        }
        for i in 0..n_rows {
            count[i + 1] += count[i];
        }
        let mut next = count.clone();
        let mut codes = vec![0u32; code_of.len()];
        for (r, code) in row_of.iter().zip(&code_of) {
            let at = &mut next[*r as usize];
            codes[*at as usize] = *code;
            *at += 1;
        }
        drop((row_of, code_of, next));

        // Collapse repeated votes per row to the last one, compacting in place.
        let mut seen_in_row = vec![u32::MAX; n_cols];
        let mut slot = vec![0u32; n_cols];
        let mut row_start = Vec::with_capacity(n_rows + 1);
        let mut write = 0usize;
        for r in 0..n_rows {
            row_start.push(write as u32);
            for read in count[r] as usize..count[r + 1] as usize {
                let code = codes[read];
                let col = code_column(code);
                if seen_in_row[col] == r as u32 {
                    codes[slot[col] as usize] = code;
                } else {
                    seen_in_row[col] = r as u32;
                    slot[col] = write as u32;
                    codes[write] = code;
                    write += 1;
                }
            }
        }
        row_start.push(write as u32);
        codes.truncate(write);
        codes.shrink_to_fit();

        let mut sum = vec![0i64; n_cols];
        let mut column_votes = vec![0u32; n_cols];
        for &code in &codes {
            sum[code_column(code)] += code_value(code) as i64;
            column_votes[code_column(code)] += 1;
        }
        let mean = sum
            .iter()
            .zip(&column_votes)
            .map(|(&s, &n)| if n == 0 { 0.0 } else { s as f64 / n as f64 })
            .collect();
        Self {
            participants,
            statements,
            row_start,
            codes,
            mean,
            column_votes,
        }
    }

    /// The cell codes of row `p` (one per statement voted on).
    #[inline]
    pub fn row(&self, p: usize) -> &[u32] {
        &self.codes[self.row_start[p] as usize..self.row_start[p + 1] as usize]
    }

    pub fn rows(&self) -> usize {
        self.participants.len()
    }

    pub fn columns(&self) -> usize {
        self.statements.len()
    }

    /// Number of (distinct, current) votes in the matrix.
    pub fn votes(&self) -> usize {
        self.codes.len()
    }

    /// Columns that have at least one vote (Pol.is' number of comments in the matrix).
    pub fn columns_with_votes(&self) -> usize {
        self.column_votes.iter().filter(|&&n| n > 0).count()
    }

    /// The centred value of every code: `vote − column mean`, indexed by code.
    pub fn centred_values(&self) -> Vec<f64> {
        let mut t = Vec::with_capacity(self.columns() * 3);
        for &m in &self.mean {
            t.extend([-1.0 - m, -m, 1.0 - m]);
        }
        t
    }
}

/// Maps ids to dense indices: through a table when the ids span a range not much larger than their
/// number, through a hash map otherwise.
enum IdIndex {
    Table { min: i64, index: Vec<u32> },
    Map(HashMap<i64, u32>),
}

const ABSENT: u32 = u32::MAX;

impl IdIndex {
    fn use_table(min: i64, max: i64, n: usize) -> bool {
        let span = max as i128 - min as i128 + 1;
        span <= (8 * n as i128).max(1 << 16) && span < (1 << 31)
    }

    /// Index `i` for `ids[i]` (first occurrence wins). `universe` bounds the ids that will be looked up.
    fn new(ids: &[i64], universe: &[i64]) -> Self {
        let min = universe.iter().copied().min().unwrap_or(0);
        let max = universe.iter().copied().max().unwrap_or(0);
        if Self::use_table(min, max, universe.len()) {
            let mut index = vec![ABSENT; (max - min + 1) as usize];
            for (i, &id) in ids.iter().enumerate() {
                let slot = &mut index[(id - min) as usize];
                if *slot == ABSENT {
                    *slot = i as u32;
                }
            }
            Self::Table { min, index }
        } else {
            let mut map = HashMap::with_capacity(ids.len());
            for (i, &id) in ids.iter().enumerate() {
                map.entry(id).or_insert(i as u32);
            }
            Self::Map(map)
        }
    }

    /// The distinct ids in ascending order, and the index of each.
    fn dense_sorted(ids: &[i64]) -> (Vec<i64>, Self) {
        let min = ids.iter().copied().min().unwrap_or(0);
        let max = ids.iter().copied().max().unwrap_or(0);
        if Self::use_table(min, max, ids.len()) {
            let mut index = vec![ABSENT; (max - min + 1) as usize];
            for &id in ids {
                index[(id - min) as usize] = 0;
            }
            let mut sorted = Vec::new();
            for (offset, slot) in index.iter_mut().enumerate() {
                if *slot != ABSENT {
                    *slot = sorted.len() as u32;
                    sorted.push(min + offset as i64);
                }
            }
            (sorted, Self::Table { min, index })
        } else {
            let mut sorted = ids.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            let map = sorted
                .iter()
                .enumerate()
                .map(|(i, &id)| (id, i as u32))
                .collect();
            (sorted, Self::Map(map))
        }
    }

    #[inline]
    fn get(&self, id: i64) -> Option<u32> {
        match self {
            Self::Table { min, index } => {
                let offset = id.checked_sub(*min)?;
                let i = *index.get(usize::try_from(offset).ok()?)?;
                (i != ABSENT).then_some(i)
            }
            Self::Map(map) => map.get(&id).copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Statement, Vote};

    fn st(id: i64, out: bool) -> Statement {
        Statement {
            id,
            text: format!("s{id}"),
            author: None,
            moderated_out: out,
        }
    }

    fn v(participant: i64, statement: i64, value: i8) -> Vote {
        Vote {
            participant,
            statement,
            value,
        }
    }

    fn cells(m: &VoteMatrix, p: usize) -> Vec<(i64, i32)> {
        let mut c: Vec<_> = m
            .row(p)
            .iter()
            .map(|&code| (m.statements[code_column(code)], code_value(code)))
            .collect();
        c.sort();
        c
    }

    #[test]
    fn later_votes_replace_earlier_and_moderated_out_columns_are_dropped() {
        let c = Conversation {
            statements: vec![st(10, false), st(11, true), st(12, false)],
            votes: vec![
                v(5, 10, 1),
                v(3, 10, -1),
                v(5, 12, 0),
                v(5, 10, -1),
                v(3, 11, 1),
                v(3, 99, 1),
                v(5, 12, 1),
            ],
        };
        let m = VoteMatrix::build(&c);
        assert_eq!(m.participants, vec![3, 5]);
        assert_eq!(m.statements, vec![10, 12]);
        assert_eq!(cells(&m, 0), vec![(10, -1)]);
        assert_eq!(cells(&m, 1), vec![(10, -1), (12, 1)]);
        assert_eq!(m.votes(), 3);
        assert_eq!(m.mean, vec![-1.0, 1.0]);
        assert_eq!(m.column_votes, vec![2, 1]);
    }

    #[test]
    fn sparse_ids_use_a_map_and_give_the_same_matrix() {
        let dense = Conversation {
            statements: vec![st(1, false), st(2, false)],
            votes: vec![v(1, 1, 1), v(2, 2, -1), v(2, 1, 0)],
        };
        let mut sparse = dense.clone();
        for s in &mut sparse.statements {
            s.id *= 1 << 40;
        }
        for vote in &mut sparse.votes {
            vote.participant *= 1 << 40;
            vote.statement *= 1 << 40;
        }
        let (a, b) = (VoteMatrix::build(&dense), VoteMatrix::build(&sparse));
        assert_eq!(a.codes, b.codes);
        assert_eq!(a.row_start, b.row_start);
        assert_eq!(b.participants, vec![1 << 40, 2 << 40]);
    }

    #[test]
    fn negative_and_extreme_ids() {
        let c = Conversation {
            statements: vec![st(i64::MIN, false), st(i64::MAX, false)],
            votes: vec![v(i64::MAX, i64::MIN, 1), v(-1, i64::MAX, -1)],
        };
        let m = VoteMatrix::build(&c);
        assert_eq!(m.participants, vec![-1, i64::MAX]);
        assert_eq!(cells(&m, 1), vec![(i64::MIN, 1)]);
    }
}
