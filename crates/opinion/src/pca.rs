//! The first two principal components of the centred vote matrix, and the sparsity-aware projection of
//! the participants onto them.
//!
//! Missing votes count as the column mean (Pol.is does the same), so the centred matrix `A` has exactly one
//! non-zero per vote and the covariance `AᵀA` is never formed: each iteration multiplies a block of four
//! vectors by `AᵀA` in one pass over the votes (`y = A v` per row, then `z += y · row`, while the row is
//! still in cache). Subspace iteration on four vectors with a Rayleigh–Ritz step converges at the rate
//! `λ₅/λ₂` instead of plain power iteration's `λ₃/λ₂`, and it stops as soon as both Ritz pairs have a small
//! residual. Started from the previous analysis' components, a recomputation after a few new votes needs
//! only a handful of passes, and the axes keep their orientation.

use crate::matrix::{VoteMatrix, code_column};
use crate::{Components, Options};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// Block size of the subspace iteration.
const BLOCK: usize = 4;

/// The principal components of a [`VoteMatrix`], over its columns.
#[derive(Debug, Clone)]
pub struct Pca {
    /// Unit loading vectors (zero where undefined, e.g. a conversation with one statement has no second).
    pub pc: [Vec<f64>; 2],
    /// Eigenvalues of `AᵀA` divided by the number of participants.
    pub variance: [f64; 2],
    pub iterations: usize,
}

impl Pca {
    /// The serialisable form, keyed by statement id.
    pub fn components(&self, m: &VoteMatrix) -> Components {
        Components {
            statements: m.statements.clone(),
            center: m.mean.clone(),
            pc1: self.pc[0].clone(),
            pc2: self.pc[1].clone(),
            variance: self.variance,
            iterations: self.iterations,
        }
    }
}

/// Computes the first two principal components, warm-started from `previous` when given.
pub fn principal_components(m: &VoteMatrix, o: &Options, previous: Option<&Components>) -> Pca {
    let n = m.columns();
    let b = BLOCK.min(n);
    let mut rng = ChaCha8Rng::seed_from_u64(o.seed);
    let zero = Pca {
        pc: [vec![0.0; n], vec![0.0; n]],
        variance: [0.0; 2],
        iterations: 0,
    };
    if b == 0 || m.rows() == 0 {
        return zero;
    }
    let centred = m.centred_values();
    let mut v: Vec<Vec<f64>> = Vec::with_capacity(b);
    if let Some(prev) = previous {
        let at: HashMap<i64, usize> = prev
            .statements
            .iter()
            .enumerate()
            .map(|(i, &id)| (id, i))
            .collect();
        for old in [&prev.pc1, &prev.pc2].into_iter().take(b) {
            let start: Vec<f64> = m
                .statements
                .iter()
                .map(|id| at.get(id).and_then(|&i| old.get(i)).copied().unwrap_or(0.0))
                .collect();
            v.push(start);
        }
    }
    while v.len() < b {
        v.push(random_vector(n, &mut rng));
    }
    orthonormalise(&mut v, &mut rng);

    let mut iterations = 0;
    let mut result = None;
    let mut previous_theta: Vec<f64> = Vec::new();
    for it in 1..=o.pca_max_iterations.max(1) {
        iterations = it;
        let z = multiply(m, &centred, &v);
        // Rayleigh–Ritz: eigenpairs of the small matrix Vᵀ(AᵀA)V.
        let h: Vec<Vec<f64>> = (0..b)
            .map(|i| {
                (0..b)
                    .map(|j| (dot(&v[i], &z[j]) + dot(&v[j], &z[i])) / 2.0)
                    .collect()
            })
            .collect();
        let (theta, q) = symmetric_eigen(h);
        let ritz: Vec<Vec<f64>> = (0..b).map(|k| combine(&v, &q, k)).collect();
        let image: Vec<Vec<f64>> = (0..b).map(|k| combine(&z, &q, k)).collect();
        let scale = theta[0].max(f64::MIN_POSITIVE);
        let wanted = 2.min(b);
        // A Ritz pair is done when its residual is small, or when its eigenvalue has stopped growing: then
        // it sits in a cluster of (nearly) equal eigenvalues, where every direction captures the same
        // variance and the exact vector is neither determined nor of interest (typically noise).
        let converged = theta[0] <= 1e-12
            || (0..wanted).all(|k| {
                let r: f64 = image[k]
                    .iter()
                    .zip(&ritz[k])
                    .map(|(cz, u)| (cz - theta[k] * u).powi(2))
                    .sum();
                let stalled = previous_theta
                    .get(k)
                    .is_some_and(|&t: &f64| (theta[k] - t).abs() <= o.pca_stall_tolerance * scale);
                r.sqrt() / scale < o.pca_tolerance || stalled
            });
        previous_theta = theta.clone();
        if converged || it == o.pca_max_iterations.max(1) {
            result = Some((theta, ritz));
            break;
        }
        v = image;
        orthonormalise(&mut v, &mut rng);
    }
    let Some((theta, ritz)) = result else {
        return zero;
    };
    let rows = m.rows() as f64;
    let mut pc = [vec![0.0; n], vec![0.0; n]];
    let mut variance = [0.0; 2];
    for k in 0..2.min(b) {
        if theta[k] <= 1e-12 {
            continue;
        }
        let mut u = ritz[k].clone();
        let flip = match previous {
            // Keep the orientation of the previous map.
            Some(prev) => {
                let old = if k == 0 { &prev.pc1 } else { &prev.pc2 };
                let at: HashMap<i64, f64> = prev
                    .statements
                    .iter()
                    .copied()
                    .zip(old.iter().copied())
                    .collect();
                let d: f64 = m
                    .statements
                    .iter()
                    .zip(&u)
                    .map(|(id, x)| at.get(id).copied().unwrap_or(0.0) * x)
                    .sum();
                d < 0.0 || (d == 0.0 && largest_is_negative(&u))
            }
            None => largest_is_negative(&u),
        };
        if flip {
            u.iter_mut().for_each(|x| *x = -*x);
        }
        pc[k] = u;
        variance[k] = theta[k] / rows;
    }
    Pca {
        pc,
        variance,
        iterations,
    }
}

/// Map coordinates of every row: the centred votes projected onto the two components, scaled by
/// `sqrt(columns with votes / votes of the row)` (Pol.is' sparsity-aware projection).
pub fn project(m: &VoteMatrix, pca: &Pca) -> Vec<[f64; 2]> {
    let centred = m.centred_values();
    let table: Vec<[f64; 2]> = centred
        .iter()
        .enumerate()
        .map(|(code, c)| {
            let col = code / 3;
            [c * pca.pc[0][col], c * pca.pc[1][col]]
        })
        .collect();
    let columns = m.columns_with_votes() as f64;
    (0..m.rows())
        .map(|p| {
            let row = m.row(p);
            if row.is_empty() {
                return [0.0, 0.0];
            }
            let mut xy = [0.0, 0.0];
            for &code in row {
                let t = table[code as usize];
                xy[0] += t[0];
                xy[1] += t[1];
            }
            let scale = (columns / row.len() as f64).sqrt();
            [xy[0] * scale, xy[1] * scale]
        })
        .collect()
}

/// `AᵀA v` for each vector of the block, in one pass over the votes.
fn multiply(m: &VoteMatrix, centred: &[f64], v: &[Vec<f64>]) -> Vec<Vec<f64>> {
    match v.len() {
        1 => multiply_block::<1>(m, centred, v),
        2 => multiply_block::<2>(m, centred, v),
        3 => multiply_block::<3>(m, centred, v),
        _ => multiply_block::<4>(m, centred, v),
    }
}

fn multiply_block<const B: usize>(
    m: &VoteMatrix,
    centred: &[f64],
    v: &[Vec<f64>],
) -> Vec<Vec<f64>> {
    // table[code][k]: the centred cell value times the loading of its column in vector k.
    let table: Vec<[f64; B]> = centred
        .iter()
        .enumerate()
        .map(|(code, &c)| std::array::from_fn(|k| c * v[k][code / 3]))
        .collect();
    // acc[code][k]: sum of y_k over the rows holding that cell code.
    let mut acc = vec![[0.0f64; B]; centred.len()];
    for p in 0..m.rows() {
        let row = m.row(p);
        let mut y = [0.0f64; B];
        for &code in row {
            let t = &table[code as usize];
            for k in 0..B {
                y[k] += t[k];
            }
        }
        for &code in row {
            let a = &mut acc[code as usize];
            for k in 0..B {
                a[k] += y[k];
            }
        }
    }
    let mut z = vec![vec![0.0; m.columns()]; B];
    for (code, a) in acc.iter().enumerate() {
        let c = centred[code];
        let col = code_column(code as u32);
        for k in 0..B {
            z[k][col] += c * a[k];
        }
    }
    z
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Column `k` of `vectors · q`.
fn combine(vectors: &[Vec<f64>], q: &[Vec<f64>], k: usize) -> Vec<f64> {
    let mut out = vec![0.0; vectors[0].len()];
    for (j, vec) in vectors.iter().enumerate() {
        let w = q[j][k];
        for (o, x) in out.iter_mut().zip(vec) {
            *o += w * x;
        }
    }
    out
}

fn random_vector(n: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    (0..n).map(|_| rng.random_range(-1.0..1.0)).collect()
}

/// Modified Gram–Schmidt, in order; a vector that vanishes is replaced by a fresh random one.
fn orthonormalise(v: &mut [Vec<f64>], rng: &mut ChaCha8Rng) {
    for i in 0..v.len() {
        for attempt in 0.. {
            let (done, rest) = v.split_at_mut(i);
            let x = &mut rest[0];
            let before = dot(x, x).sqrt();
            for u in done.iter() {
                let d = dot(u, x);
                x.iter_mut().zip(u).for_each(|(a, b)| *a -= d * b);
            }
            let norm = dot(x, x).sqrt();
            if norm > 1e-10 * before.max(1e-300) && norm > 1e-300 {
                x.iter_mut().for_each(|a| *a /= norm);
                break;
            }
            if attempt > 8 {
                // Cannot happen for fewer vectors than dimensions; keep it finite regardless.
                x.iter_mut().for_each(|a| *a = 0.0);
                break;
            }
            *x = random_vector(x.len(), rng);
        }
    }
}

fn largest_is_negative(u: &[f64]) -> bool {
    let mut best = 0.0f64;
    for &x in u {
        if x.abs() > best.abs() + 1e-12 {
            best = x;
        }
    }
    best < 0.0
}

/// Eigenvalues (descending) and eigenvectors (as columns of the returned matrix) of a small symmetric
/// matrix, by cyclic Jacobi rotations.
fn symmetric_eigen(mut a: Vec<Vec<f64>>) -> (Vec<f64>, Vec<Vec<f64>>) {
    let n = a.len();
    let mut q: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        let scale: f64 = (0..n).map(|i| a[i][i] * a[i][i]).sum::<f64>();
        if off <= 1e-30 * scale.max(1e-300) {
            break;
        }
        for p in 0..n {
            for r in p + 1..n {
                if a[p][r].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[r][r] - a[p][p]) / (2.0 * a[p][r]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut() {
                    let (akp, akr) = (row[p], row[r]);
                    row[p] = c * akp - s * akr;
                    row[r] = s * akp + c * akr;
                }
                let (low, high) = a.split_at_mut(r);
                for (x, y) in low[p].iter_mut().zip(high[0].iter_mut()) {
                    let (apk, ark) = (*x, *y);
                    *x = c * apk - s * ark;
                    *y = s * apk + c * ark;
                }
                for row in q.iter_mut() {
                    let (qp, qr) = (row[p], row[r]);
                    row[p] = c * qp - s * qr;
                    row[r] = s * qp + c * qr;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[j][j].total_cmp(&a[i][i]));
    let values = order.iter().map(|&i| a[i][i]).collect();
    let vectors = (0..n)
        .map(|row| order.iter().map(|&i| q[row][i]).collect())
        .collect();
    (values, vectors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Conversation, Statement, Vote};

    #[test]
    fn jacobi_diagonalises() {
        let a = vec![
            vec![4.0, 1.0, 0.5],
            vec![1.0, 3.0, 0.2],
            vec![0.5, 0.2, 1.0],
        ];
        let (vals, vecs) = symmetric_eigen(a.clone());
        assert!(vals[0] >= vals[1] && vals[1] >= vals[2]);
        for k in 0..3 {
            for i in 0..3 {
                let av: f64 = (0..3).map(|j| a[i][j] * vecs[j][k]).sum();
                assert!((av - vals[k] * vecs[i][k]).abs() < 1e-10);
            }
        }
    }

    /// Dense reference: the top two eigenpairs of the covariance of the mean-imputed matrix, by Jacobi.
    fn dense_top(c: &Conversation) -> ([Vec<f64>; 2], [f64; 2]) {
        let m = VoteMatrix::build(c);
        let n = m.columns();
        let mut dense = vec![vec![0.0; n]; m.rows()];
        let centred = m.centred_values();
        for (p, row) in dense.iter_mut().enumerate() {
            for &code in m.row(p) {
                row[code_column(code)] = centred[code as usize];
            }
        }
        let mut cov = vec![vec![0.0; n]; n];
        for row in &dense {
            for i in 0..n {
                for j in 0..n {
                    cov[i][j] += row[i] * row[j];
                }
            }
        }
        let (vals, vecs) = symmetric_eigen(cov);
        let rows = m.rows() as f64;
        (
            [0, 1].map(|k| (0..n).map(|i| vecs[i][k]).collect()),
            [vals[0] / rows, vals[1] / rows],
        )
    }

    #[test]
    fn matches_a_dense_reference() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let statements = (0..9)
            .map(|id| Statement {
                id,
                text: String::new(),
                author: None,
                moderated_out: false,
            })
            .collect();
        let mut votes = Vec::new();
        for p in 0..60 {
            for s in 0..9 {
                if rng.random_bool(0.7) {
                    let lean = if (p % 2 == 0) == (s < 4) { 1 } else { -1 };
                    let value = if rng.random_bool(0.8) {
                        lean
                    } else {
                        rng.random_range(-1..=1)
                    };
                    votes.push(Vote {
                        participant: p,
                        statement: s,
                        value,
                    });
                }
            }
        }
        let c = Conversation { statements, votes };
        let m = VoteMatrix::build(&c);
        // Without the stall criterion, to test the exact convergence.
        let exact = Options {
            pca_stall_tolerance: 0.0,
            ..Options::default()
        };
        let pca = principal_components(&m, &exact, None);
        let (reference, variance) = dense_top(&c);
        for k in 0..2 {
            let d = dot(&pca.pc[k], &reference[k]).abs();
            assert!(d > 1.0 - 1e-8, "alignment of component {k}: {d}");
            assert!((pca.variance[k] - variance[k]).abs() < 1e-8 * variance[0]);
        }
        assert!(dot(&pca.pc[0], &pca.pc[1]).abs() < 1e-9);
        // Warm start from the answer converges at once and keeps the orientation.
        let again = principal_components(&m, &exact, Some(&pca.components(&m)));
        assert!(again.iterations <= 2, "{}", again.iterations);
        assert!(dot(&again.pc[0], &pca.pc[0]) > 1.0 - 1e-8);
        assert!(dot(&again.pc[1], &pca.pc[1]) > 1.0 - 1e-6);
    }

    #[test]
    fn degenerate_inputs_give_zero_components() {
        let m = VoteMatrix::build(&Conversation::default());
        let pca = principal_components(&m, &Options::default(), None);
        assert!(pca.pc[0].is_empty());
        let c = Conversation {
            statements: vec![Statement {
                id: 1,
                text: String::new(),
                author: None,
                moderated_out: false,
            }],
            votes: vec![
                Vote {
                    participant: 1,
                    statement: 1,
                    value: 1,
                },
                Vote {
                    participant: 2,
                    statement: 1,
                    value: 1,
                },
            ],
        };
        let m = VoteMatrix::build(&c);
        let pca = principal_components(&m, &Options::default(), None);
        assert_eq!(pca.variance, [0.0, 0.0]);
        assert_eq!(project(&m, &pca), vec![[0.0, 0.0]; 2]);
    }
}
