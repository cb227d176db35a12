//! Benchmark: analyses a synthetic conversation the size of the largest known Pol.is conversation
//! (33,000 participants × 800 statements, ~2 million votes, four planted groups) on one thread, and as
//! the ceiling times one plain pass over the vote list and the building of the vote matrix in the same run.
//!
//! `cargo run --release -p opinion --example synthetic [participants statements votes-per-participant groups]`
//! (`bench/opinion.sh` pins it to one core.) Every figure is taken over seven runs; the median and the best
//! are printed, and the ratios use the best times, the steadier figure on a shared machine.

use opinion::synthetic::{Planted, adjusted_rand_index, planted};
use opinion::{Options, Vote, analyze, analyze_from, cluster, matrix, pca, repness};
use std::hint::black_box;
use std::time::{Duration, Instant};

const RUNS: usize = 7;

/// Wall times of `RUNS` runs of one step.
#[derive(Clone, Copy)]
struct Times {
    median: Duration,
    best: Duration,
}

impl std::fmt::Display for Times {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        write!(
            f,
            "{:7.1} ms median {:7.1} ms best",
            ms(self.median),
            ms(self.best)
        )
    }
}

/// Times `RUNS` runs of `f` and returns the last result.
fn time<T>(mut f: impl FnMut() -> T) -> (Times, T) {
    let mut times = Vec::with_capacity(RUNS);
    let mut out = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let r = black_box(f());
        times.push(start.elapsed());
        out = Some(r);
    }
    times.sort();
    let t = Times {
        median: times[RUNS / 2],
        best: times[0],
    };
    (t, out.expect("RUNS > 0"))
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

    let (found, truth): (Vec<usize>, Vec<usize>) = a
        .participants
        .iter()
        .filter_map(|p| p.group.map(|g| (g, data.group[p.participant as usize])))
        .unzip();
    let found_consensus = data
        .consensus
        .iter()
        .filter(|s| a.consensus.iter().any(|c| c.agree && c.statement == **s))
        .count();
    let ratio = |x: Times, y: Times| x.best.as_secs_f64() / y.best.as_secs_f64();

    println!("votes in the matrix (repeats collapsed): {}", m.votes());
    println!("ceiling: one pass over the votes     {pass}");
    println!("ceiling: building the vote matrix    {build}");
    println!(
        "  PCA ({:>3} passes)                   {t_pca}",
        p.iterations
    );
    println!("  projection                         {t_project}");
    println!("  k-means k=2..=5 + silhouette       {t_cluster}");
    println!("  representative + consensus         {t_repness}");
    println!("analyze (cold)                       {total}");
    println!(
        "analyze_from after 100 new votes     {warm}  (PCA {} passes)",
        b.components.iterations
    );
    println!(
        "ratio analyze : one pass             {:7.1}",
        ratio(total, pass)
    );
    println!(
        "ratio analyze : building the matrix  {:7.1}",
        ratio(total, build)
    );
    println!(
        "groups: k = {} (silhouette {:.3}; {}), clustered {} of {}, ARI vs planted {:.4}, planted consensus found {}/{}",
        a.k,
        a.silhouette,
        a.candidates
            .iter()
            .map(|c| format!("k={}: {:.3}", c.k, c.silhouette))
            .collect::<Vec<_>>()
            .join(", "),
        found.len(),
        a.participants.len(),
        adjusted_rand_index(&found, &truth),
        found_consensus,
        data.consensus.len()
    );
    println!(
        "under one second (median): {}",
        if total.median < Duration::from_secs(1) {
            "yes"
        } else {
            "NO"
        }
    );
}
