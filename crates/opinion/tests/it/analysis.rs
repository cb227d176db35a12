//! The analysis as a whole: determinism, warm starts, who is clustered, what is ignored.

use opinion::synthetic::{Planted, adjusted_rand_index, planted};
use opinion::{Conversation, Options, Vote, analyze, analyze_from};

fn conversation(groups: usize, seed: u64) -> Conversation {
    planted(&Planted {
        participants: 600,
        statements: 40,
        groups,
        votes_per_participant: 20,
        noise: 0.15,
        consensus: 2,
        seed,
    })
    .conversation
}

fn labels(a: &opinion::Analysis) -> Vec<usize> {
    a.participants
        .iter()
        .map(|p| p.group.unwrap_or(usize::MAX))
        .collect()
}

#[test]
fn the_same_input_gives_the_same_analysis() {
    let c = conversation(3, 1);
    let o = Options::default();
    assert_eq!(analyze(&c, &o), analyze(&c, &o));
    let json = serde_json::to_value(analyze(&c, &o)).expect("serialisable");
    assert_eq!(json["k"], 3);
    assert!(json["groups"][0]["representative"][0]["text"].is_string());
}

#[test]
fn a_warm_start_after_new_votes_is_quick_and_keeps_groups_and_axes() {
    let mut c = conversation(3, 2);
    let o = Options::default();
    let before = analyze(&c, &o);
    // Fifty new votes, including a brand-new participant.
    for i in 0..50 {
        c.votes.push(Vote {
            participant: (i * 7) % 600,
            statement: i % 40,
            value: 1,
        });
    }
    for s in 2..12 {
        c.votes.push(Vote {
            participant: 10_000,
            statement: s,
            value: -1,
        });
    }
    let after = analyze_from(&c, &o, Some(&before));
    assert_eq!(after.k, before.k);
    assert!(
        after.components.iterations <= 4,
        "{} passes",
        after.components.iterations
    );
    // Same participants keep (nearly) the same groups under the same numbers, and the map keeps its
    // orientation.
    let n = before.participants.len();
    let same = labels(&before)
        .iter()
        .zip(&labels(&after)[..n])
        .filter(|(a, b)| a == b)
        .count();
    assert!(
        same * 100 >= n * 98,
        "{same} of {n} kept their group number"
    );
    let dot: f64 = before
        .components
        .pc1
        .iter()
        .zip(&after.components.pc1)
        .map(|(a, b)| a * b)
        .sum();
    assert!(dot > 0.99, "first axis turned: {dot}");
    let newcomer = after.participants.last().expect("participants");
    assert_eq!((newcomer.participant, newcomer.votes), (10_000, 10));
    assert!(newcomer.group.is_some());
}

#[test]
fn a_warm_start_follows_a_clearly_better_k() {
    // The previous analysis saw two groups; the conversation now has four.
    let o = Options::default();
    let two = analyze(&conversation(2, 3), &o);
    let c = conversation(4, 3);
    let a = analyze_from(&c, &o, Some(&two));
    assert_eq!(a.k, 4);
    let cold = analyze(&c, &o);
    assert!(adjusted_rand_index(&labels(&a), &labels(&cold)) > 0.95);
}

#[test]
fn participants_with_few_votes_are_placed_but_not_clustered() {
    let mut c = conversation(2, 4);
    for s in 0..3 {
        c.votes.push(Vote {
            participant: 5_000,
            statement: s,
            value: 1,
        });
    }
    let a = analyze(&c, &Options::default());
    let few = a
        .participants
        .iter()
        .find(|p| p.participant == 5_000)
        .expect("listed");
    assert_eq!((few.votes, few.group), (3, None));
    assert!(few.x.is_finite() && few.y.is_finite());
    assert!(a.groups.iter().all(|g| !g.members.contains(&5_000)));
}

#[test]
fn moderated_out_statements_are_ignored() {
    let mut c = conversation(2, 5);
    let out = c.statements[0].id; // a planted consensus statement
    c.statements[0].moderated_out = true;
    let a = analyze(&c, &Options::default());
    assert!(!a.components.statements.contains(&out));
    assert!(a.consensus.iter().all(|s| s.statement != out));
    assert!(
        a.groups
            .iter()
            .flat_map(|g| &g.representative)
            .all(|r| r.statement != out)
    );
    assert!(
        a.consensus
            .iter()
            .any(|s| s.agree && s.statement == c.statements[1].id)
    );
}

#[test]
fn tiny_and_empty_conversations() {
    let o = Options::default();
    let empty = analyze(&Conversation::default(), &o);
    assert_eq!((empty.k, empty.participants.len()), (0, 0));
    let c = Conversation {
        statements: conversation(2, 6).statements,
        votes: vec![
            Vote {
                participant: 1,
                statement: 0,
                value: 1,
            },
            Vote {
                participant: 2,
                statement: 0,
                value: 1,
            },
            Vote {
                participant: 2,
                statement: 1,
                value: -1,
            },
        ],
    };
    let a = analyze(&c, &o);
    assert_eq!(a.participants.len(), 2);
    assert!(a.k <= 1);
    assert!(
        a.participants
            .iter()
            .all(|p| p.x.is_finite() && p.y.is_finite())
    );
}
