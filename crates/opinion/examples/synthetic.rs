//! Benchmark: analyses a synthetic conversation the size of the largest known Pol.is conversation
//! (33,000 participants × 800 statements, ~2 million votes, four planted groups) on one thread, and as
//! the ceiling times one plain pass over the vote list and the building of the vote matrix in the same run.
//!
//! `cargo run --release -p opinion --example synthetic [participants statements votes-per-participant groups]`
//! (`bench/opinion.sh` pins it to one core.)

use opinion::synthetic::{Planted, adjusted_rand_index, planted};
use opinion::{Options, Vote, analyze, analyze_from, cluster, matrix, pca, repness};
use std::hint::black_box;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

/// Median wall time of `RUNS` runs, and the last result.
fn time<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(RUNS);
    let mut out = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let r = black_box(f());
        times.push(start.elapsed());
        out = Some(r);
    }
    times.sort();
    (times[RUNS / 2], out.expect("RUNS > 0"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| {
            a.parse()
                .expect("numbers: participants statements votes-per-participant groups")
        })
        .collect();
    let mut shape = Planted::largest();
    if let [p, s, v, g, ..] = args[..] {
        (
            shape.participants,
            shape.statements,
            shape.votes_per_participant,
            shape.groups,
        ) = (p, s, v, g);
    }
    let data = planted(&shape);
    let c = &data.conversation;
    let o = Options::default();
    println!(
        "conversation: {} participants × {} statements, {} votes, {} planted groups",
        shape.participants,
        shape.statements,
        c.votes.len(),
        shape.groups
    );

    // Ceilings: one plain pass over the votes (tally per statement), and building the vote matrix.
    let (pass, _) = time(|| {
        let mut tally = vec![0i64; shape.statements];
        for v in black_box(&c.votes) {
            tally[v.statement as usize] += i64::from(v.value);
        }
        tally
    });
    let (build, m) = time(|| matrix::VoteMatrix::build(c));

    // The stages one by one (same code as `analyze`).
    let (t_pca, p) = time(|| pca::principal_components(&m, &o, None));
    let (t_project, xy) = time(|| pca::project(&m, &p));
    let clustered = cluster::eligible(&m, &o);
    let (t_cluster, clustering) = time(|| cluster::choose(&xy, &clustered, &o, None));
    let (t_repness, _) = time(|| {
        let counts =
            repness::GroupCounts::count(&m, &clustering.group_of, clustering.centres.len());
        let reps: Vec<_> = (0..clustering.centres.len())
            .map(|g| repness::representative(&counts, &m, g, &o))
            .collect();
        (reps, repness::consensus(&m, &counts, &o))
    });

    let (total, a) = time(|| analyze(c, &o));

    // Live update: 100 new votes, recomputed from the previous analysis.
    let mut more = c.clone();
    for i in 0..100i64 {
        more.votes.push(Vote {
            participant: i * 37 % shape.participants as i64,
            statement: i * 13 % shape.statements as i64,
            value: 1,
        });
    }
    let (warm, b) = time(|| analyze_from(&more, &o, Some(&a)));

    let found: Vec<usize> = a
        .participants
        .iter()
        .map(|p| p.group.unwrap_or(usize::MAX))
        .collect();
    let clustered_truth: Vec<(usize, usize)> = found
        .iter()
        .zip(&data.group)
        .filter(|(f, _)| **f != usize::MAX)
        .map(|(f, t)| (*f, *t))
        .collect();
    let (f, t): (Vec<usize>, Vec<usize>) = clustered_truth.into_iter().unzip();
    let found_consensus = data
        .consensus
        .iter()
        .filter(|s| a.consensus.iter().any(|c| c.agree && c.statement == **s))
        .count();

    println!(
        "votes in the matrix (after collapsing repeats): {}",
        m.votes()
    );
    println!(
        "ceiling: one pass over the votes        {:8.1} ms",
        ms(pass)
    );
    println!(
        "ceiling: building the vote matrix       {:8.1} ms",
        ms(build)
    );
    println!(
        "  PCA ({:>3} passes)                      {:8.1} ms",
        p.iterations,
        ms(t_pca)
    );
    println!(
        "  projection                            {:8.1} ms",
        ms(t_project)
    );
    println!(
        "  k-means k=2..=5 + silhouette          {:8.1} ms",
        ms(t_cluster)
    );
    println!(
        "  representative + consensus            {:8.1} ms",
        ms(t_repness)
    );
    println!(
        "analyze (cold, median of {RUNS})            {:8.1} ms",
        ms(total)
    );
    println!(
        "analyze_from after 100 new votes        {:8.1} ms  (PCA {} passes)",
        ms(warm),
        b.components.iterations
    );
    println!(
        "ratio analyze : one pass over the votes {:8.1}",
        total.as_secs_f64() / pass.as_secs_f64()
    );
    println!(
        "ratio analyze : building the matrix     {:8.1}",
        total.as_secs_f64() / build.as_secs_f64()
    );
    println!(
        "groups found: k = {} (silhouette {:.3}; {}), clustered {} of {}, ARI vs planted {:.4}, planted consensus found {}/{}",
        a.k,
        a.silhouette,
        a.candidates
            .iter()
            .map(|c| format!("k={}: {:.3}", c.k, c.silhouette))
            .collect::<Vec<_>>()
            .join(", "),
        f.len(),
        a.participants.len(),
        adjusted_rand_index(&f, &t),
        found_consensus,
        data.consensus.len()
    );
    println!(
        "under one second: {}",
        if total < Duration::from_secs(1) {
            "yes"
        } else {
            "NO"
        }
    );
}
