use opinion::synthetic::{Planted, adjusted_rand_index, planted};
use opinion::{Options, analyze};
fn main() {
    let args: Vec<f64> = std::env::args()
        .skip(1)
        .map(|a| a.parse().unwrap())
        .collect();
    let mut shape = Planted::largest();
    shape.participants = args[0] as usize;
    shape.statements = args[1] as usize;
    shape.votes_per_participant = args[2] as usize;
    shape.groups = args[3] as usize;
    shape.noise = args[4];
    shape.seed = args[5] as u64;
    let d = planted(&shape);
    let a = analyze(&d.conversation, &Options::default());
    let g = shape.groups;
    for k in 0..g {
        let pts: Vec<_> = a
            .participants
            .iter()
            .filter(|p| d.group[p.participant as usize] == k)
            .map(|p| (p.x, p.y))
            .collect();
        let n = pts.len() as f64;
        let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
        let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
        let sd = (pts
            .iter()
            .map(|p| (p.0 - mx).powi(2) + (p.1 - my).powi(2))
            .sum::<f64>()
            / n)
            .sqrt();
        println!("group {k}: n={n} centre=({mx:.2},{my:.2}) sd={sd:.2}");
    }
    let f: Vec<usize> = a
        .participants
        .iter()
        .map(|p| p.group.unwrap_or(99))
        .collect();
    println!(
        "k={} sil={:.3} {:?} ARI={:.3} var={:?} iters={}",
        a.k,
        a.silhouette,
        a.candidates
            .iter()
            .map(|c| (c.k, (c.silhouette * 1000.0).round() / 1000.0))
            .collect::<Vec<_>>(),
        adjusted_rand_index(&f, &d.group),
        a.components.variance,
        a.components.iterations
    );
}
