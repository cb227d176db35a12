//! Pol.is export: round trip and a hand-written sample in the export's format.

use opinion::polis::{self, Times};
use opinion::synthetic::{Planted, planted};
use opinion::{Conversation, Options, Statement, Vote, analyze};
use proptest::prelude::*;

fn write(c: &Conversation) -> (Vec<u8>, Vec<u8>) {
    let (mut comments, mut votes) = (Vec::new(), Vec::new());
    polis::write(c, &mut comments, &mut votes).expect("writing to memory");
    (comments, votes)
}

fn statement(id: i64, text: &str, author: Option<i64>, moderated_out: bool) -> Statement {
    Statement {
        id,
        text: text.to_string(),
        author,
        moderated_out,
    }
}

fn vote(participant: i64, statement: i64, value: i8) -> Vote {
    Vote {
        participant,
        statement,
        value,
    }
}

#[test]
fn write_then_read_gives_the_same_conversation() {
    let mut c = planted(&Planted {
        participants: 50,
        statements: 12,
        votes_per_participant: 8,
        ..Planted::largest()
    })
    .conversation;
    c.statements[0].text = "Mehr Radwege, auch \"sichere\" –\nund überdachte Abstellplätze.".into();
    c.statements[1].author = Some(17);
    c.statements[2].moderated_out = true;
    c.votes.push(vote(3, 4, 1));
    c.votes.push(vote(3, 4, -1)); // a changed vote: both are kept, in order
    let (comments, votes) = write(&c);
    let back = polis::read(comments.as_slice(), votes.as_slice()).expect("reading back");
    assert_eq!(back, c);
}

#[test]
fn times_round_trip_and_order_the_votes() {
    let c = Conversation {
        statements: vec![
            statement(0, "A", Some(1), false),
            statement(1, "B", None, true),
        ],
        votes: vec![vote(1, 0, 1), vote(2, 0, -1), vote(2, 1, 0)],
    };
    let times = Times {
        statements: vec![1_593_461_131, 1_593_461_482],
        votes: vec![1_594_000_000, 1_594_000_000, 1_594_100_000],
    };
    let (mut comments, mut votes) = (Vec::new(), Vec::new());
    polis::write_with_times(&c, &times, &mut comments, &mut votes).expect("writing");
    let text = String::from_utf8(comments.clone()).expect("utf-8");
    assert_eq!(
        text.lines().nth(1),
        Some(
            "1593461131,Mon Jun 29 2020 20:05:31 GMT+0000 (Coordinated Universal Time),0,1,1,1,1,A"
        )
    );
    assert!(
        text.lines()
            .nth(2)
            .is_some_and(|l| l.ends_with(",1,,0,0,-1,B"))
    );
    let (back, back_times) =
        polis::read_with_times(comments.as_slice(), votes.as_slice()).expect("reading");
    assert_eq!(back, c);
    assert_eq!(back_times, times);
}

/// A sample in the format of a real export: extra `important` column, votes not in time order, a changed
/// vote, an unmoderated (0) and a rejected (−1) comment, quoted bodies.
const COMMENTS: &str = "\
timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body
1593461131,Mon Jun 29 2020 20:05:31 GMT+0000 (Coordinated Universal Time),0,0,2,1,1,\"Mehr Radwege, weniger Parkplätze.\"
1593461482,Mon Jun 29 2020 20:11:22 GMT+0000 (Coordinated Universal Time),1,4,1,1,0,Homeoffice bleibt.
1593461494,Mon Jun 29 2020 20:11:34 GMT+0000 (Coordinated Universal Time),2,7,0,0,-1,\"Werbung, bitte entfernen\"
";
const VOTES: &str = "\
timestamp,datetime,comment-id,voter-id,vote,important
1594984322,Fri Jul 17 2020 11:12:02 GMT+0000 (Coordinated Universal Time),0,0,1,
1594148968,Tue Jul 07 2020 19:09:28 GMT+0000 (Coordinated Universal Time),0,3,1,1
1594200000,Wed Jul 08 2020 09:20:00 GMT+0000 (Coordinated Universal Time),1,3,0,
1594100000,Tue Jul 07 2020 05:33:20 GMT+0000 (Coordinated Universal Time),1,3,-1,
1594150000,Tue Jul 07 2020 19:26:40 GMT+0000 (Coordinated Universal Time),1,5,1,
1594067327,Mon Jul 06 2020 20:28:47 GMT+0000 (Coordinated Universal Time),0,5,-1,
1594067327,Mon Jul 06 2020 20:28:47 GMT+0000 (Coordinated Universal Time),2,5,1,
";

#[test]
fn reads_a_hand_written_export() {
    let c = polis::read(COMMENTS.as_bytes(), VOTES.as_bytes()).expect("valid sample");
    assert_eq!(
        c.statements,
        vec![
            statement(0, "Mehr Radwege, weniger Parkplätze.", Some(0), false),
            statement(1, "Homeoffice bleibt.", Some(4), false),
            statement(2, "Werbung, bitte entfernen", Some(7), true),
        ]
    );
    // Ordered by time; equal times keep file order; participant 3's later pass replaces the disagree.
    assert_eq!(
        c.votes,
        vec![
            vote(5, 0, -1),
            vote(5, 2, 1),
            vote(3, 1, -1),
            vote(3, 0, 1),
            vote(5, 1, 1),
            vote(3, 1, 0),
            vote(0, 0, 1),
        ]
    );
    let a = analyze(&c, &Options::default());
    assert_eq!(
        a.participants.iter().map(|p| p.votes).collect::<Vec<_>>(),
        vec![1, 2, 2]
    );
    assert_eq!(
        a.components.statements,
        vec![0, 1],
        "the rejected comment is ignored"
    );
}

fn arbitrary_conversation() -> impl Strategy<Value = Conversation> {
    let statement = (
        any::<i64>(),
        any::<String>(),
        any::<Option<i64>>(),
        any::<bool>(),
    )
        .prop_map(|(id, text, author, moderated_out)| Statement {
            id,
            text,
            author,
            moderated_out,
        });
    let vote =
        (any::<i64>(), any::<i64>(), -1i8..=1).prop_map(|(participant, statement, value)| Vote {
            participant,
            statement,
            value,
        });
    (
        proptest::collection::vec(statement, 0..12),
        proptest::collection::vec(vote, 0..40),
    )
        .prop_map(|(statements, votes)| Conversation { statements, votes })
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_conversation_round_trips(c in arbitrary_conversation()) {
        let (comments, votes) = write(&c);
        let back = polis::read(comments.as_slice(), votes.as_slice());
        prop_assert_eq!(back.ok(), Some(c));
    }
}
