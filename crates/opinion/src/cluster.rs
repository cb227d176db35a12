//! Opinion groups: k-means on the map positions, k chosen by silhouette.
//!
//! Pol.is first condenses the participants into 100 base clusters and clusters those; on a plane, k-means
//! over tens of thousands of points is cheap enough to run directly, so every clustered participant counts
//! with its own position. The silhouette, quadratic in the points, is computed on a fixed random sample
//! (exactly when the sample holds everybody). Cold starts use k-means++ seeding with a fixed seed and keep
//! the best of a few restarts; warm starts begin at the previous group centres.

use crate::matrix::VoteMatrix;
use crate::{Analysis, Candidate, Options};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The chosen grouping of the participants.
#[derive(Debug, Clone)]
pub struct Clustering {
    /// Group of every matrix row; `None` for rows that were not clustered.
    pub group_of: Vec<Option<u32>>,
    /// Centre of each group on the map.
    pub centres: Vec<[f64; 2]>,
    pub silhouette: f64,
    pub candidates: Vec<Candidate>,
}

/// Rows to cluster: those with at least `min(min_votes, columns with votes)` votes; if that leaves fewer
/// than `min_clustered`, the most active of the others join (ties by id).
pub fn eligible(m: &VoteMatrix, o: &Options) -> Vec<usize> {
    let threshold = o.min_votes.min(m.columns_with_votes()).max(1);
    let mut rows: Vec<usize> = (0..m.rows())
        .filter(|&p| m.row(p).len() >= threshold)
        .collect();
    if rows.len() < o.min_clustered {
        let mut others: Vec<usize> = (0..m.rows())
            .filter(|&p| !m.row(p).is_empty() && m.row(p).len() < threshold)
            .collect();
        others.sort_by_key(|&p| std::cmp::Reverse(m.row(p).len()));
        rows.extend(others.into_iter().take(o.min_clustered - rows.len()));
        rows.sort_unstable();
    }
    rows
}

/// Clusters the rows `clustered` by their positions `xy` for every admissible k and keeps the best.
pub fn choose(
    xy: &[[f64; 2]],
    clustered: &[usize],
    o: &Options,
    previous: Option<&Analysis>,
) -> Clustering {
    let mut group_of = vec![None; xy.len()];
    let points: Vec<[f64; 2]> = clustered.iter().map(|&p| xy[p]).collect();
    let n = points.len();
    if n == 0 {
        return Clustering {
            group_of,
            centres: Vec::new(),
            silhouette: 0.0,
            candidates: Vec::new(),
        };
    }
    let max_k = o
        .max_k
        .min(2 + n / 12)
        .min(distinct_up_to(&points, o.max_k));
    if max_k < 2 {
        for &p in clustered {
            group_of[p] = Some(0);
        }
        return Clustering {
            group_of,
            centres: vec![mean(&points)],
            silhouette: 0.0,
            candidates: Vec::new(),
        };
    }
    let sample = sample(n, o.silhouette_sample, o.seed);
    let previous_k = previous
        .filter(|a| a.groups.len() == a.k)
        .map(|a| a.k)
        .filter(|k| (2..=max_k).contains(k));
    let mut best: Option<(KMeans, f64)> = None;
    let mut kept_previous: Option<(KMeans, f64)> = None;
    let mut candidates = Vec::new();
    for k in 2..=max_k {
        let run = match previous.filter(|_| previous_k == Some(k)) {
            Some(prev) => {
                let init = prev.groups.iter().map(|g| g.centre).collect();
                kmeans(&points, init, o.kmeans_max_iterations)
            }
            None => {
                let mut rng = ChaCha8Rng::seed_from_u64(
                    o.seed ^ (k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
                );
                (0..o.kmeans_restarts.max(1))
                    .map(|_| {
                        kmeans(
                            &points,
                            kmeans_pp(&points, k, &mut rng),
                            o.kmeans_max_iterations,
                        )
                    })
                    .min_by(|a, b| a.inertia.total_cmp(&b.inertia))
                    .expect("at least one restart")
            }
        };
        let s = silhouette(&points, &run.assign, k, &sample);
        candidates.push(Candidate { k, silhouette: s });
        if previous_k == Some(k) {
            kept_previous = Some((run.clone(), s));
        }
        if best.as_ref().is_none_or(|(_, b)| s > *b + 1e-12) {
            best = Some((run, s));
        }
    }
    let (best, best_s) = best.expect("k = 2 was tried");
    let warm = kept_previous
        .as_ref()
        .is_some_and(|(_, s)| *s >= best_s - o.k_switch_margin);
    let (mut run, s) = match kept_previous {
        Some(kept) if warm => kept,
        _ => (best, best_s),
    };
    if !warm {
        relabel_by_size(&mut run);
    }
    for (&p, &g) in clustered.iter().zip(&run.assign) {
        group_of[p] = Some(g);
    }
    Clustering {
        group_of,
        centres: run.centres,
        silhouette: s,
        candidates,
    }
}

/// Lloyd's iterations stop when the centres moved less than this, squared and relative to the spread.
const KMEANS_TOLERANCE: f64 = 1e-4;

/// One k-means result.
#[derive(Debug, Clone)]
struct KMeans {
    centres: Vec<[f64; 2]>,
    assign: Vec<u32>,
    inertia: f64,
}

fn dist2(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (a[0] - b[0], a[1] - b[1]);
    dx * dx + dy * dy
}

fn nearest(p: [f64; 2], centres: &[[f64; 2]]) -> (u32, f64) {
    let mut best = (0, f64::INFINITY);
    for (i, &c) in centres.iter().enumerate() {
        let d = dist2(p, c);
        if d < best.1 {
            best = (i as u32, d);
        }
    }
    best
}

fn mean(points: &[[f64; 2]]) -> [f64; 2] {
    let n = points.len().max(1) as f64;
    let (x, y) = points
        .iter()
        .fold((0.0, 0.0), |(x, y), p| (x + p[0], y + p[1]));
    [x / n, y / n]
}

/// Number of distinct points, counting no further than `limit`.
fn distinct_up_to(points: &[[f64; 2]], limit: usize) -> usize {
    let mut seen: Vec<[f64; 2]> = Vec::new();
    for &p in points {
        if !seen.contains(&p) {
            seen.push(p);
            if seen.len() >= limit {
                break;
            }
        }
    }
    seen.len()
}

/// k-means++ seeding: each further centre is drawn with probability proportional to the squared distance
/// to the nearest centre so far.
fn kmeans_pp(points: &[[f64; 2]], k: usize, rng: &mut ChaCha8Rng) -> Vec<[f64; 2]> {
    let mut centres = vec![points[rng.random_range(0..points.len())]];
    let mut d: Vec<f64> = points.iter().map(|&p| dist2(p, centres[0])).collect();
    while centres.len() < k {
        let total: f64 = d.iter().sum();
        let chosen = if total > 0.0 {
            let mut target = rng.random::<f64>() * total;
            let mut chosen = points.len() - 1;
            for (i, &di) in d.iter().enumerate() {
                if target < di {
                    chosen = i;
                    break;
                }
                target -= di;
            }
            chosen
        } else {
            rng.random_range(0..points.len())
        };
        let c = points[chosen];
        centres.push(c);
        for (di, &p) in d.iter_mut().zip(points) {
            *di = di.min(dist2(p, c));
        }
    }
    centres
}

/// Lloyd's algorithm from the given centres. An emptied group takes over the point farthest from its
/// centre.
fn kmeans(points: &[[f64; 2]], mut centres: Vec<[f64; 2]>, max_iterations: usize) -> KMeans {
    let k = centres.len();
    let mut assign = vec![u32::MAX; points.len()];
    // Stop also when the centres have (almost) stopped moving, relative to the spread of the points (as
    // scikit-learn does): without clear groups, the last few points can otherwise swap back and forth
    // for many iterations.
    let centre = mean(points);
    let spread = points.iter().map(|&p| dist2(p, centre)).sum::<f64>() / points.len() as f64;
    for _ in 0..max_iterations.max(1) {
        let before = centres.clone();
        let mut changed = false;
        let mut sum = vec![[0.0f64; 2]; k];
        let mut count = vec![0usize; k];
        for (a, &p) in assign.iter_mut().zip(points) {
            let (g, _) = nearest(p, &centres);
            if *a != g {
                *a = g;
                changed = true;
            }
            sum[g as usize][0] += p[0];
            sum[g as usize][1] += p[1];
            count[g as usize] += 1;
        }
        for g in 0..k {
            if count[g] > 0 {
                centres[g] = [sum[g][0] / count[g] as f64, sum[g][1] / count[g] as f64];
            } else if let Some((i, _)) = points
                .iter()
                .enumerate()
                .map(|(i, &p)| (i, dist2(p, centres[assign[i] as usize])))
                .max_by(|a, b| a.1.total_cmp(&b.1))
            {
                centres[g] = points[i];
                changed = true;
            }
        }
        let shift: f64 = before
            .iter()
            .zip(&centres)
            .map(|(&a, &b)| dist2(a, b))
            .sum();
        if !changed || shift <= KMEANS_TOLERANCE * spread {
            break;
        }
    }
    let mut inertia = 0.0;
    for (a, &p) in assign.iter_mut().zip(points) {
        let (g, d) = nearest(p, &centres);
        *a = g;
        inertia += d;
    }
    KMeans {
        centres,
        assign,
        inertia,
    }
}

/// Group 0 is the largest; ties by the centre's position, for determinism.
fn relabel_by_size(run: &mut KMeans) {
    let k = run.centres.len();
    let mut size = vec![0usize; k];
    for &g in &run.assign {
        size[g as usize] += 1;
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| {
        size[b]
            .cmp(&size[a])
            .then(run.centres[a][0].total_cmp(&run.centres[b][0]))
            .then(run.centres[a][1].total_cmp(&run.centres[b][1]))
    });
    let mut new_label = vec![0u32; k];
    for (new, &old) in order.iter().enumerate() {
        new_label[old] = new as u32;
    }
    run.centres = order.iter().map(|&old| run.centres[old]).collect();
    for g in &mut run.assign {
        *g = new_label[*g as usize];
    }
}

/// Indices of a fixed random sample of at most `size` of `n` points (all of them, in order, if `n ≤ size`).
fn sample(n: usize, size: usize, seed: u64) -> Vec<usize> {
    let mut all: Vec<usize> = (0..n).collect();
    if n <= size {
        return all;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x51_1C0E77E);
    for i in 0..size {
        let j = rng.random_range(i..n);
        all.swap(i, j);
    }
    all.truncate(size);
    all
}

/// Mean silhouette of the sampled points, measured against the sampled points only.
fn silhouette(points: &[[f64; 2]], assign: &[u32], k: usize, sample: &[usize]) -> f64 {
    let pts: Vec<([f64; 2], usize)> = sample
        .iter()
        .map(|&i| (points[i], assign[i] as usize))
        .collect();
    let mut count = vec![0usize; k];
    for &(_, g) in &pts {
        count[g] += 1;
    }
    let mut total = 0.0;
    let mut sums = vec![0.0f64; k];
    for &(p, g) in &pts {
        sums.iter_mut().for_each(|s| *s = 0.0);
        for &(q, h) in &pts {
            sums[h] += dist2(p, q).sqrt();
        }
        if count[g] <= 1 {
            continue; // a singleton's silhouette is 0
        }
        let a = sums[g] / (count[g] - 1) as f64;
        let b = (0..k)
            .filter(|&h| h != g && count[h] > 0)
            .map(|h| sums[h] / count[h] as f64)
            .fold(f64::INFINITY, f64::min);
        if b.is_finite() && a.max(b) > 0.0 {
            total += (b - a) / a.max(b);
        }
    }
    total / pts.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blobs() -> Vec<[f64; 2]> {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let centres = [[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]];
        (0..300)
            .map(|i| {
                let c = centres[i % 3];
                [
                    c[0] + rng.random_range(-1.0..1.0),
                    c[1] + rng.random_range(-1.0..1.0),
                ]
            })
            .collect()
    }

    #[test]
    fn finds_three_blobs() {
        let xy = blobs();
        let rows: Vec<usize> = (0..xy.len()).collect();
        let c = choose(&xy, &rows, &Options::default(), None);
        assert_eq!(c.centres.len(), 3);
        assert!(c.silhouette > 0.8);
        for i in 0..xy.len() {
            assert_eq!(c.group_of[i], c.group_of[i % 3]);
        }
        assert_eq!(c.candidates.len(), 4);
    }

    #[test]
    fn silhouette_matches_definition() {
        let pts = [[0.0, 0.0], [1.0, 0.0], [5.0, 0.0]];
        let s = silhouette(&pts, &[0, 0, 1], 2, &[0, 1, 2]);
        // a(0) = 1, b(0) = 5 → 0.8; a(1) = 1, b(1) = 4 → 0.75; singleton → 0.
        assert!((s - (0.8 + 0.75) / 3.0).abs() < 1e-12);
    }

    #[test]
    fn few_or_identical_points_make_one_group() {
        let xy = vec![[1.0, 1.0]; 20];
        let rows: Vec<usize> = (0..20).collect();
        let c = choose(&xy, &rows, &Options::default(), None);
        assert_eq!(c.centres, vec![[1.0, 1.0]]);
        assert!(c.group_of.iter().all(|g| *g == Some(0)));
        let none = choose(&xy, &[], &Options::default(), None);
        assert!(none.centres.is_empty());
    }

    #[test]
    fn sample_is_deterministic_and_distinct() {
        let a = sample(10_000, 100, 7);
        assert_eq!(a, sample(10_000, 100, 7));
        let mut b = a.clone();
        b.sort_unstable();
        b.dedup();
        assert_eq!(b.len(), 100);
    }
}
