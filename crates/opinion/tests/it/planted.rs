//! Property test: opinion groups planted in synthetic conversations are recovered.

use opinion::synthetic::{Planted, PlantedConversation, adjusted_rand_index, planted};
use opinion::{Analysis, Options, analyze};
use proptest::prelude::*;

/// Planted group of each clustered participant, next to the group found.
fn found_and_planted(a: &Analysis, data: &PlantedConversation) -> (Vec<usize>, Vec<usize>) {
    a.participants
        .iter()
        .filter_map(|p| p.group.map(|g| (g, data.group[p.participant as usize])))
        .unzip()
}

/// For each found group, the planted group most of its members come from.
fn majority(found: &[usize], truth: &[usize], k: usize, planted_k: usize) -> Vec<usize> {
    (0..k)
        .map(|g| {
            let mut count = vec![0usize; planted_k];
            for (f, t) in found.iter().zip(truth) {
                if *f == g {
                    count[*t] += 1;
                }
            }
            (0..planted_k).max_by_key(|&t| count[t]).unwrap_or(0)
        })
        .collect()
}

fn stance(planted_k: usize, consensus: usize, g: usize, statement: i64) -> i32 {
    let s = statement as usize;
    if s < consensus {
        return 1;
    }
    let h = (s - consensus) % planted_k;
    let cos = (std::f64::consts::TAU * (g as f64 - h as f64) / planted_k as f64).cos();
    if cos > 0.25 {
        1
    } else if cos < -0.25 {
        -1
    } else {
        0
    }
}

fn shape() -> impl Strategy<Value = Planted> {
    (
        2usize..=4,
        200usize..=400,
        30usize..=60,
        0.5f64..=0.9,
        0.0f64..=0.15,
        any::<u64>(),
    )
        .prop_map(
            |(groups, participants, statements, share, noise, seed)| Planted {
                participants,
                statements,
                groups,
                votes_per_participant: ((statements as f64) * share) as usize,
                noise,
                consensus: 2,
                seed,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn planted_groups_are_recovered(shape in shape()) {
        let data = planted(&shape);
        let a = analyze(&data.conversation, &Options::default());
        prop_assert_eq!(a.k, shape.groups, "silhouettes {:?}", a.candidates);
        let (found, truth) = found_and_planted(&a, &data);
        for p in &a.participants {
            prop_assert_eq!(p.group.is_some(), p.votes >= 7, "clustered exactly with 7 votes or more");
        }
        // At least 90 % of the clustered participants are in the found group that matches their planted one.
        let owner = majority(&found, &truth, a.k, shape.groups);
        let matched = found.iter().zip(&truth).filter(|(f, t)| owner[**f] == **t).count();
        prop_assert!(
            matched * 10 >= found.len() * 9,
            "{matched} of {} matched, adjusted Rand index {}", found.len(), adjusted_rand_index(&found, &truth)
        );

        // Every planted consensus statement is found as agreed consensus.
        for s in &data.consensus {
            prop_assert!(
                a.consensus.iter().any(|c| c.agree && c.statement == *s),
                "consensus statement {s} missing from {:?}", a.consensus
            );
        }
        // Representative statements agree with the planted opinions of the group they describe.
        for g in &a.groups {
            prop_assert!(!g.representative.is_empty());
            for r in &g.representative {
                let planted = stance(shape.groups, shape.consensus, owner[g.id], r.statement);
                prop_assert_eq!(planted, if r.agree { 1 } else { -1 }, "group {} statement {:?}", g.id, r);
            }
        }
    }
}

#[test]
fn the_largest_shape_is_recovered_in_a_smaller_version() {
    let shape = Planted {
        participants: 3_300,
        statements: 200,
        ..Planted::largest()
    };
    let data = planted(&shape);
    let a = analyze(&data.conversation, &Options::default());
    assert_eq!(a.k, 4);
    let (found, truth) = found_and_planted(&a, &data);
    let ari = adjusted_rand_index(&found, &truth);
    assert!(ari > 0.95, "adjusted Rand index {ari}");
}
