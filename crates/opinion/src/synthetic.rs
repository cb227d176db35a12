//! Synthetic conversations with planted opinion groups, for tests, benchmarks and demos.
//!
//! The groups sit at equal angles on a circle of opinion, and every group owns a share of the statements:
//! its members agree with their own group's statements, disagree with those of groups more than a quarter
//! turn away, and are undecided (vote at random) on those of groups a quarter turn away. For two and three
//! groups that is "agree with your own, disagree with all others"; for four it is a square, where each
//! group opposes the group across and is undecided towards its neighbours. The circle keeps the planted
//! structure two-dimensional: four groups that each oppose all three others span three dimensions, and a
//! two-component map (Pol.is' as well as ours) can only show them with two groups on top of each other.
//!
//! The first `consensus` statements are agreed with by everybody. Each vote ignores the opinion with
//! probability `noise` (then it is agree, disagree or pass at random), and each participant votes on a
//! random subset of the statements. The votes come out in random order, as they would arrive.

use crate::{Conversation, Statement, Vote};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Shape of a synthetic conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct Planted {
    pub participants: usize,
    pub statements: usize,
    pub groups: usize,
    /// Mean votes per participant; each draws uniformly from half to one and a half times this.
    pub votes_per_participant: usize,
    /// Probability that a vote is random instead of following the group.
    pub noise: f64,
    /// Statements (ids `0..consensus`) that every group agrees with.
    pub consensus: usize,
    pub seed: u64,
}

impl Planted {
    /// The size of the largest known Pol.is conversation: 33,000 participants × 800 statements, about
    /// 2,000,000 votes, here in four groups.
    pub fn largest() -> Self {
        Self {
            participants: 33_000,
            statements: 800,
            groups: 4,
            votes_per_participant: 61,
            noise: 0.2,
            consensus: 5,
            seed: 42,
        }
    }
}

/// A synthetic conversation and its planted truth.
#[derive(Debug, Clone)]
pub struct PlantedConversation {
    pub conversation: Conversation,
    /// Planted group of participant `i` (participant ids are `0..participants`).
    pub group: Vec<usize>,
    /// Statement ids everybody agrees with.
    pub consensus: Vec<i64>,
}

/// Generates a conversation with planted groups; the same `Planted` always gives the same conversation.
pub fn planted(p: &Planted) -> PlantedConversation {
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let groups = p.groups.max(1);
    let statements: Vec<Statement> = (0..p.statements as i64)
        .map(|id| Statement {
            id,
            text: format!("Aussage {id}"),
            author: None,
            moderated_out: false,
        })
        .collect();
    let consensus = p.consensus.min(p.statements);
    // Owner group of each non-consensus statement, round robin; opinion of group g on group h's statements.
    let owner = |s: usize| (s - consensus) % groups;
    let stance = |g: usize, h: usize| {
        let cos = (std::f64::consts::TAU * (g as f64 - h as f64) / groups as f64).cos();
        if cos > 0.25 {
            1
        } else if cos < -0.25 {
            -1
        } else {
            0
        }
    };
    // Unequal group sizes: weights between 1 and 2.
    let weights: Vec<f64> = (0..groups).map(|_| rng.random_range(1.0..2.0)).collect();
    let total: f64 = weights.iter().sum();
    let group: Vec<usize> = (0..p.participants)
        .map(|i| {
            let mut at = (i as f64 + 0.5) / p.participants as f64 * total;
            weights
                .iter()
                .position(|&w| {
                    at -= w;
                    at < 0.0
                })
                .unwrap_or(groups - 1)
        })
        .collect();
    let mut order: Vec<usize> = (0..p.statements).collect();
    let mut votes = Vec::with_capacity(p.participants * p.votes_per_participant);
    for (participant, &g) in group.iter().enumerate() {
        let lo = (p.votes_per_participant / 2).max(1);
        let hi = (p.votes_per_participant * 3 / 2).max(lo);
        let n = rng.random_range(lo..=hi).min(p.statements);
        for i in 0..n {
            let j = rng.random_range(i..p.statements);
            order.swap(i, j);
            let s = order[i];
            let opinion = if s < consensus {
                1
            } else {
                stance(g, owner(s))
            };
            let value = if opinion == 0 || rng.random_bool(p.noise.clamp(0.0, 1.0)) {
                rng.random_range(-1..=1)
            } else {
                opinion
            };
            votes.push(Vote {
                participant: participant as i64,
                statement: s as i64,
                value,
            });
        }
    }
    votes.shuffle(&mut rng);
    PlantedConversation {
        conversation: Conversation { statements, votes },
        group,
        consensus: (0..consensus as i64).collect(),
    }
}

/// Adjusted Rand index of two labellings of the same items: 1 for identical partitions (whatever the
/// labels), about 0 for unrelated ones.
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    assert_eq!(a.len(), b.len(), "labellings of different lengths");
    let ka = a.iter().max().map_or(0, |m| m + 1);
    let kb = b.iter().max().map_or(0, |m| m + 1);
    let mut table = vec![0u64; ka * kb];
    for (&x, &y) in a.iter().zip(b) {
        table[x * kb + y] += 1;
    }
    let pairs = |n: u64| (n * n.saturating_sub(1) / 2) as f64;
    let rows: f64 = (0..ka)
        .map(|x| pairs(table[x * kb..(x + 1) * kb].iter().sum()))
        .sum();
    let cols: f64 = (0..kb)
        .map(|y| pairs((0..ka).map(|x| table[x * kb + y]).sum()))
        .sum();
    let cells: f64 = table.iter().map(|&n| pairs(n)).sum();
    let expected = rows * cols / pairs(a.len() as u64).max(1.0);
    let max = (rows + cols) / 2.0;
    if max == expected {
        1.0
    } else {
        (cells - expected) / (max - expected)
    }
}
