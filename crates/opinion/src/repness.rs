//! Which statements describe a group (representativeness, Pol.is "repness") and which ones all groups
//! share (consensus).
//!
//! Per group and statement: `na`/`nd` members agreed/disagreed, `ns` voted at all (passes included). The
//! agree probability is smoothed by adding one success and one failure, `pa = (1 + na) / (2 + ns)`; `ra` is
//! `pa` divided by the same probability among the members of the other groups; `pat` is a one-proportion
//! z-test of `pa > ½` and `rat` a two-proportion z-test of group against rest (both with the same add-one
//! smoothing). Likewise `pd`, `rd`, `pdt`, `rdt` for disagreement. A statement represents a group when both
//! of its tests for one direction are significant at 90 % (z > 1.2816); the candidates are ranked by
//! `ratio · z_ratio · probability · z_probability`, the best five kept, agreed ones first. If none passes,
//! the statement with the strongest two-proportion test stands in, so that every group is described.
//!
//! Consensus is group-aware: a statement is consensus when its smoothed agree (or disagree) probability is
//! at least [`Options::consensus_threshold`] in every group, ranked by the product of those probabilities.

use crate::matrix::{VoteMatrix, code_column, code_value};
use crate::{Consensus, Options, Repness};

/// z for a one-sided test at 90 % confidence.
pub const Z_90: f64 = 1.2816;

/// Vote counts per group and column, indexed by vote + 1 (disagree, pass, agree).
#[derive(Debug, Clone)]
pub struct GroupCounts {
    k: usize,
    columns: usize,
    per_group: Vec<[u32; 3]>,
    clustered: Vec<[u32; 3]>,
    everyone: Vec<[u32; 3]>,
}

impl GroupCounts {
    /// Counts the votes of every row by the row's group (`group_of`, see [`crate::cluster::Clustering`]).
    pub fn count(m: &VoteMatrix, group_of: &[Option<u32>], k: usize) -> Self {
        let columns = m.columns();
        let mut per_group = vec![[0u32; 3]; k * columns];
        let mut clustered = vec![[0u32; 3]; columns];
        let mut everyone = vec![[0u32; 3]; columns];
        for (p, g) in group_of.iter().enumerate() {
            for &code in m.row(p) {
                let (col, v) = (code_column(code), (code_value(code) + 1) as usize);
                everyone[col][v] += 1;
                if let Some(g) = g {
                    per_group[*g as usize * columns + col][v] += 1;
                    clustered[col][v] += 1;
                }
            }
        }
        Self {
            k,
            columns,
            per_group,
            clustered,
            everyone,
        }
    }

    fn group(&self, g: usize, col: usize) -> Tally {
        Tally::from(self.per_group[g * self.columns + col])
    }

    fn rest(&self, g: usize, col: usize) -> Tally {
        let all = self.clustered[col];
        let own = self.per_group[g * self.columns + col];
        Tally::from([all[0] - own[0], all[1] - own[1], all[2] - own[2]])
    }
}

/// Agree, disagree and seen counts of one statement in one set of participants.
#[derive(Debug, Clone, Copy)]
struct Tally {
    agree: f64,
    disagree: f64,
    seen: f64,
}

impl From<[u32; 3]> for Tally {
    fn from(c: [u32; 3]) -> Self {
        Self {
            agree: c[2] as f64,
            disagree: c[0] as f64,
            seen: (c[0] + c[1] + c[2]) as f64,
        }
    }
}

/// Smoothed probability of `successes` in `trials`.
pub fn smoothed(successes: f64, trials: f64) -> f64 {
    (1.0 + successes) / (2.0 + trials)
}

/// One-proportion z-statistic of "more than half succeed", with add-one smoothing.
pub fn prop_test(successes: f64, trials: f64) -> f64 {
    let (s, n) = (successes + 1.0, trials + 1.0);
    2.0 * n.sqrt() * (s / n - 0.5)
}

/// Two-proportion z-statistic of "more succeed in than out", with add-one smoothing.
pub fn two_prop_test(succ_in: f64, succ_out: f64, n_in: f64, n_out: f64) -> f64 {
    let (si, so, ni, no) = (succ_in + 1.0, succ_out + 1.0, n_in + 1.0, n_out + 1.0);
    let (p1, p2) = (si / ni, so / no);
    let p = (si + so) / (ni + no);
    if p >= 1.0 || p <= 0.0 {
        return 0.0;
    }
    (p1 - p2) / (p * (1.0 - p) * (1.0 / ni + 1.0 / no)).sqrt()
}

/// The repness statistics of one statement for one direction.
#[derive(Debug, Clone, Copy)]
struct Side {
    n_success: f64,
    probability: f64,
    p_test: f64,
    ratio: f64,
    r_test: f64,
}

impl Side {
    fn new(success_in: f64, seen_in: f64, success_out: f64, seen_out: f64) -> Self {
        let probability = smoothed(success_in, seen_in);
        Self {
            n_success: success_in,
            probability,
            p_test: prop_test(success_in, seen_in),
            ratio: probability / smoothed(success_out, seen_out),
            r_test: two_prop_test(success_in, success_out, seen_in, seen_out),
        }
    }

    fn significant(&self) -> bool {
        self.p_test > Z_90 && self.r_test > Z_90
    }

    fn metric(&self) -> f64 {
        self.ratio * self.r_test * self.probability * self.p_test
    }
}

/// The representative statements of group `g` (none when there is only one group).
pub fn representative(counts: &GroupCounts, m: &VoteMatrix, g: usize, o: &Options) -> Vec<Repness> {
    if counts.k < 2 {
        return Vec::new();
    }
    let mut sufficient: Vec<(f64, Repness)> = Vec::new();
    let mut fallback: Option<(f64, Repness)> = None;
    for col in 0..counts.columns {
        let (own, rest) = (counts.group(g, col), counts.rest(g, col));
        if own.agree + own.disagree == 0.0 {
            continue;
        }
        let agree = Side::new(own.agree, own.seen, rest.agree, rest.seen);
        let disagree = Side::new(own.disagree, own.seen, rest.disagree, rest.seen);
        let for_agree = match (agree.significant(), disagree.significant()) {
            (true, false) => true,
            (false, true) => false,
            _ => agree.r_test > disagree.r_test,
        };
        let side = if for_agree { agree } else { disagree };
        let entry = Repness {
            statement: m.statements[col],
            text: String::new(),
            agree: for_agree,
            probability: side.probability,
            ratio: side.ratio,
            z: side.r_test,
            n_success: side.n_success as usize,
            n_trials: own.seen as usize,
        };
        if side.significant() {
            sufficient.push((side.metric(), entry));
        } else if fallback.as_ref().is_none_or(|(z, _)| side.r_test > *z) {
            fallback = Some((side.r_test, entry));
        }
    }
    if sufficient.is_empty() {
        return fallback.map(|(_, r)| r).into_iter().collect();
    }
    sufficient.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut chosen: Vec<Repness> = sufficient
        .into_iter()
        .take(o.max_representative)
        .map(|(_, r)| r)
        .collect();
    chosen.sort_by_key(|r| !r.agree); // stable: agreed first, each part by rank
    chosen
}

/// Statements every group agrees (then: disagrees) with, by descending product of group probabilities.
/// Without groups, everybody who voted counts as one group.
pub fn consensus(m: &VoteMatrix, counts: &GroupCounts, o: &Options) -> Vec<Consensus> {
    let groups: Vec<Vec<Tally>> = if counts.k == 0 {
        vec![counts.everyone.iter().map(|&c| Tally::from(c)).collect()]
    } else {
        (0..counts.k)
            .map(|g| {
                (0..counts.columns)
                    .map(|col| counts.group(g, col))
                    .collect()
            })
            .collect()
    };
    let mut out = Vec::new();
    for agree in [true, false] {
        let mut found: Vec<Consensus> = (0..counts.columns)
            .filter_map(|col| {
                let mut product = 1.0;
                for tallies in &groups {
                    let t = tallies[col];
                    let p = smoothed(if agree { t.agree } else { t.disagree }, t.seen);
                    if p < o.consensus_threshold {
                        return None;
                    }
                    product *= p;
                }
                Some(Consensus {
                    statement: m.statements[col],
                    text: String::new(),
                    agree,
                    probability: product,
                })
            })
            .collect();
        found.sort_by(|a, b| b.probability.total_cmp(&a.probability));
        found.truncate(o.max_consensus);
        out.extend(found);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_match_the_formulas() {
        assert!((smoothed(3.0, 4.0) - 4.0 / 6.0).abs() < 1e-12);
        // 9 of 10 agree: 2·√11·(10/11 − ½)
        assert!((prop_test(9.0, 10.0) - 2.0 * 11f64.sqrt() * (10.0 / 11.0 - 0.5)).abs() < 1e-12);
        assert!(two_prop_test(9.0, 1.0, 10.0, 10.0) > Z_90);
        assert!(two_prop_test(1.0, 9.0, 10.0, 10.0) < -Z_90);
        assert_eq!(two_prop_test(5.0, 5.0, 10.0, 10.0), 0.0);
    }
}
