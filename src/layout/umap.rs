//! UMAP (McInnes, Healy & Melville 2018), run epoch by epoch.
//!
//! Each point's `k` nearest neighbours become a fuzzy graph: with `rho_i` the distance to its
//! nearest neighbour and `sigma_i` found by bisection so that
//! `sum_j exp(-(d_ij - rho_i) / sigma_i) = log2(k)`, the edge `i -> j` weighs
//! `exp(-(d_ij - rho_i) / sigma_i)`, and the graph is their fuzzy union
//! `w_ij = w_i->j + w_j->i - w_i->j w_j->i`. The map is laid out by stochastic gradient descent
//! on the cross-entropy between that graph and the map's similarities `1 / (1 + a d^2b)`, where
//! `a` and `b` make that curve follow `min_dist` (`1` below it, `exp(-(d - min_dist))` above):
//! each edge is sampled in proportion to its weight and pulls its two ends together, and
//! `negatives` random points per sample push its head away; the step shrinks linearly to 0 over
//! the epochs. As in the reference, gradients are clipped to 4 and the start is the PCA map
//! scaled to a width of 20 (umap-learn's `init="pca"`; its default, a spectral start, is not
//! implemented). One thread, in a seeded order: the same map on any machine.

use ndarray::Array2;

use crate::error::{Error, Result};
use crate::rng::Rng;

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct UmapParams {
    /// Neighbours each point's graph keeps (2 to 100; 15 is usual): small sees local
    /// structure, large global.
    pub neighbours: usize,
    /// How tightly points may pack on the map (0 to 1; 0.1 is usual).
    pub min_dist: f32,
    /// Epochs of the layout (0: 500 up to 10,000 points, else 200).
    pub epochs: usize,
    /// Random points pushed away per edge sample.
    pub negatives: usize,
    pub seed: u64,
}

impl Default for UmapParams {
    fn default() -> Self {
        UmapParams {
            neighbours: 15,
            min_dist: 0.1,
            epochs: 0,
            negatives: 5,
            seed: 1,
        }
    }
}

/// A UMAP layout in progress.
#[derive(Debug, Clone)]
pub struct Umap {
    n: usize,
    /// The graph's edges `(head, tail)`, and how many epochs apart each is sampled.
    edges: Vec<(usize, usize)>,
    every: Vec<f64>,
    next: Vec<f64>,
    next_negative: Vec<f64>,
    y: Vec<f32>,
    a: f32,
    b: f32,
    negatives: usize,
    epoch: usize,
    epochs: usize,
    rng: Rng,
}

impl Umap {
    /// Prepares the layout of the rows of `x` (at least 4) from `start`, row-major `(n, 2)`
    /// (the PCA map).
    pub fn new(x: &Array2<f32>, start: &[f32], params: &UmapParams) -> Result<Umap> {
        let n = x.nrows();
        if n < 4 {
            return Err(Error::invalid("points", n, "UMAP needs at least 4 points"));
        }
        if !(2..=100).contains(&params.neighbours) {
            return Err(Error::invalid(
                "neighbours",
                params.neighbours,
                "must lie between 2 and 100",
            ));
        }
        if !(0.0..=1.0).contains(&params.min_dist) {
            return Err(Error::invalid(
                "min_dist",
                params.min_dist,
                "must lie between 0 and 1",
            ));
        }
        if params.epochs > 5_000 || params.negatives > 50 {
            return Err(Error::invalid(
                "epochs",
                params.epochs,
                "at most 5,000 epochs and 50 negatives per sample",
            ));
        }
        assert_eq!(start.len(), 2 * n, "a start point per row");
        let k = params.neighbours.min(n - 1);
        let nn = super::knn::nearest(x, k);
        let directed = crate::parallel::map((0..n).collect(), |i: usize| memberships(&nn[i]));
        let mut w: std::collections::BTreeMap<(usize, usize), (f64, f64)> = Default::default();
        for i in 0..n {
            for (&(j, _), &v) in nn[i].iter().zip(&directed[i]) {
                let key = (i.min(j), i.max(j));
                let e = w.entry(key).or_insert((0.0, 0.0));
                if i < j {
                    e.0 = v;
                } else {
                    e.1 = v;
                }
            }
        }
        let epochs = match params.epochs {
            0 if n <= 10_000 => 500,
            0 => 200,
            e => e,
        };
        let weights: Vec<((usize, usize), f64)> = w
            .into_iter()
            .map(|(e, (p, q))| (e, p + q - p * q))
            .collect();
        let max = weights.iter().map(|&(_, v)| v).fold(0.0, f64::max);
        // Edges too weak to be sampled even once are dropped, as in the reference.
        let kept: Vec<((usize, usize), f64)> = weights
            .into_iter()
            .filter(|&(_, v)| v >= max / epochs as f64)
            .collect();
        let every: Vec<f64> = kept.iter().map(|&(_, v)| max / v).collect();
        let negatives = params.negatives;
        let next_negative = every.iter().map(|e| e / negatives.max(1) as f64).collect();
        let (a, b) = curve(params.min_dist as f64);
        let width = start.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        let scale = if width > 0.0 { 10.0 / width } else { 0.0 };
        let mut rng = Rng::new(params.seed ^ 0x0a4a_9e11);
        let y = start
            .iter()
            .map(|&v| v * scale + 1e-4 * rng.normal() as f32)
            .collect();
        Ok(Umap {
            n,
            edges: kept.iter().map(|&(e, _)| e).collect(),
            next: every.clone(),
            every,
            next_negative,
            y,
            a: a as f32,
            b: b as f32,
            negatives,
            epoch: 0,
            epochs,
            rng,
        })
    }

    /// Runs up to `steps` more epochs; returns how many ran.
    pub fn step(&mut self, steps: usize) -> usize {
        let mut ran = 0;
        while ran < steps && self.epoch < self.epochs {
            self.run_epoch();
            ran += 1;
        }
        ran
    }

    pub fn epoch(&self) -> usize {
        self.epoch
    }

    pub fn epochs(&self) -> usize {
        self.epochs
    }

    pub fn done(&self) -> bool {
        self.epoch >= self.epochs
    }

    /// The curve's `a` and `b` for the `min_dist` asked for.
    pub fn curve(&self) -> (f32, f32) {
        (self.a, self.b)
    }

    /// The map now, row-major `(n, 2)`.
    pub fn layout(&self) -> Vec<f32> {
        self.y.clone()
    }

    fn run_epoch(&mut self) {
        let t = self.epoch as f64;
        let alpha = 1.0 - t / self.epochs as f64;
        let (a, b) = (self.a, self.b);
        let clip = |v: f32| v.clamp(-4.0, 4.0);
        for e in 0..self.edges.len() {
            if self.next[e] > t + 1.0 {
                continue;
            }
            let (i, j) = self.edges[e];
            // Which end is the head alternates by epoch, so neither end is favoured.
            let (i, j) = if self.epoch.is_multiple_of(2) {
                (i, j)
            } else {
                (j, i)
            };
            let (d0, d1) = (
                self.y[2 * i] - self.y[2 * j],
                self.y[2 * i + 1] - self.y[2 * j + 1],
            );
            let d2 = d0 * d0 + d1 * d1;
            if d2 > 0.0 {
                // d^2b once: d^2(b - 1) is it over d^2 (powf is the costly part, in wasm most).
                let pb = d2.powf(b);
                let c = -2.0 * a * b * (pb / d2) / (1.0 + a * pb);
                for (dim, d) in [(0, d0), (1, d1)] {
                    let g = clip(c * d) * alpha as f32;
                    self.y[2 * i + dim] += g;
                    self.y[2 * j + dim] -= g;
                }
            }
            self.next[e] += self.every[e];
            let per = self.every[e] / self.negatives.max(1) as f64;
            let count = if self.negatives == 0 {
                0
            } else {
                ((t + 1.0 - self.next_negative[e]) / per).floor().max(0.0) as usize
            };
            for _ in 0..count {
                let k = self.rng.below(self.n);
                if k == i {
                    continue;
                }
                let (d0, d1) = (
                    self.y[2 * i] - self.y[2 * k],
                    self.y[2 * i + 1] - self.y[2 * k + 1],
                );
                let d2 = d0 * d0 + d1 * d1;
                let c = 2.0 * b / ((0.001 + d2) * (1.0 + a * d2.powf(b)));
                for (dim, d) in [(0, d0), (1, d1)] {
                    let g = if c > 0.0 { clip(c * d) } else { 4.0 };
                    self.y[2 * i + dim] += g * alpha as f32;
                }
            }
            self.next_negative[e] += count as f64 * per;
        }
        self.epoch += 1;
    }
}

/// A point's memberships `exp(-(d - rho) / sigma)` over its neighbours `(j, distance)`.
fn memberships(nn: &[(usize, f32)]) -> Vec<f64> {
    let d: Vec<f64> = nn.iter().map(|&(_, d)| d as f64).collect();
    let rho = d.iter().copied().find(|&v| v > 0.0).unwrap_or(0.0);
    let target = (d.len() as f64).log2();
    let sum = |sigma: f64| -> f64 {
        d.iter()
            .map(|&v| (-((v - rho).max(0.0)) / sigma).exp())
            .sum()
    };
    let (mut lo, mut hi, mut sigma) = (0.0f64, f64::INFINITY, 1.0f64);
    for _ in 0..64 {
        let s = sum(sigma);
        if (s - target).abs() < 1e-5 {
            break;
        }
        if s > target {
            hi = sigma;
            sigma = (lo + hi) / 2.0;
        } else {
            lo = sigma;
            sigma = if hi.is_finite() {
                (lo + hi) / 2.0
            } else {
                sigma * 2.0
            };
        }
    }
    // As the reference: sigma no smaller than a thousandth of the mean distance.
    let mean = d.iter().sum::<f64>() / d.len().max(1) as f64;
    let sigma = sigma.max(1e-3 * mean).max(1e-12);
    d.iter()
        .map(|&v| (-((v - rho).max(0.0)) / sigma).exp())
        .collect()
}

/// `a` and `b` of `1 / (1 + a x^2b)` fitted by least squares (Gauss-Newton) to `1` below
/// `min_dist` and `exp(-(x - min_dist))` above, on 300 points of `[0, 3]` (spread 1).
pub fn curve(min_dist: f64) -> (f64, f64) {
    let xs: Vec<f64> = (0..300).map(|k| 3.0 * k as f64 / 299.0).collect();
    let ys: Vec<f64> = xs
        .iter()
        .map(|&x| {
            if x < min_dist {
                1.0
            } else {
                (-(x - min_dist)).exp()
            }
        })
        .collect();
    let (mut a, mut b) = (1.0f64, 1.0f64);
    let loss = |a: f64, b: f64| -> f64 {
        xs.iter()
            .zip(&ys)
            .map(|(&x, &y)| (1.0 / (1.0 + a * x.powf(2.0 * b)) - y).powi(2))
            .sum()
    };
    let mut lambda = 1e-3;
    for _ in 0..200 {
        // Levenberg-Marquardt on the two parameters.
        let (mut jtj, mut jtr) = ([[0.0f64; 2]; 2], [0.0f64; 2]);
        for (&x, &y) in xs.iter().zip(&ys) {
            if x == 0.0 {
                continue;
            }
            let p = x.powf(2.0 * b);
            let f = 1.0 / (1.0 + a * p);
            let r = f - y;
            let da = -p * f * f;
            let db = -a * p * 2.0 * x.ln() * f * f;
            let j = [da, db];
            for u in 0..2 {
                jtr[u] += j[u] * r;
                for v in 0..2 {
                    jtj[u][v] += j[u] * j[v];
                }
            }
        }
        let m = [
            [jtj[0][0] * (1.0 + lambda), jtj[0][1]],
            [jtj[1][0], jtj[1][1] * (1.0 + lambda)],
        ];
        let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
        if det.abs() < 1e-300 {
            break;
        }
        let da = -(m[1][1] * jtr[0] - m[0][1] * jtr[1]) / det;
        let db = -(-m[1][0] * jtr[0] + m[0][0] * jtr[1]) / det;
        let (na, nb) = (a + da, b + db);
        if na > 0.0 && nb > 0.0 && loss(na, nb) < loss(a, b) {
            let small = da.abs() < 1e-12 && db.abs() < 1e-12;
            a = na;
            b = nb;
            lambda = (lambda / 3.0).max(1e-12);
            if small {
                break;
            }
        } else {
            lambda *= 4.0;
        }
    }
    (a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::tsne::tests::clusters;

    #[test]
    fn the_curve_is_umap_learn_s() {
        // umap-learn's find_ab_params(1.0, 0.1) gives a = 1.577, b = 0.895 (and for 0.5:
        // 0.583, 1.334): scipy's curve_fit on the same points.
        let (a, b) = curve(0.1);
        assert!(
            (a - 1.577).abs() < 0.01 && (b - 0.895).abs() < 0.005,
            "{a} {b}"
        );
        let (a, b) = curve(0.5);
        assert!(
            (a - 0.583).abs() < 0.01 && (b - 1.334).abs() < 0.01,
            "{a} {b}"
        );
    }

    #[test]
    fn memberships_sum_to_log2_k_and_the_nearest_is_one() {
        let nn: Vec<(usize, f32)> = (0..15).map(|j| (j, 1.0 + 0.3 * j as f32)).collect();
        let m = memberships(&nn);
        assert!((m.iter().sum::<f64>() - 15f64.log2()).abs() < 1e-4);
        assert_eq!(m[0], 1.0);
    }

    #[test]
    fn the_map_keeps_neighbours_and_separates_clusters() {
        let (x, label) = clusters(400, 5, 3);
        let start = crate::project::project_2d(&x).coords;
        let mut u = Umap::new(&x, &start, &UmapParams::default()).unwrap();
        assert_eq!(u.step(100), 100);
        assert_eq!(u.step(10_000), 400);
        assert!(u.done());
        let map = u.layout();
        let trust = crate::layout::trustworthiness(&x, &map, 10);
        assert!(trust > 0.9, "{trust}");
        let nn = crate::layout::knn::nearest(&Array2::from_shape_vec((400, 2), map).unwrap(), 1);
        let same = (0..400).filter(|&i| label[nn[i][0].0] == label[i]).count();
        assert!(same >= 395, "{same}");
        let mut again = Umap::new(&x, &start, &UmapParams::default()).unwrap();
        again.step(500);
        assert_eq!(again.layout(), u.layout());
    }

    #[test]
    fn bad_knobs_are_refused() {
        let (x, _) = clusters(30, 2, 1);
        let start = vec![0.0; 60];
        for p in [
            UmapParams {
                neighbours: 1,
                ..Default::default()
            },
            UmapParams {
                min_dist: 2.0,
                ..Default::default()
            },
            UmapParams {
                epochs: 9_999,
                ..Default::default()
            },
        ] {
            assert!(Umap::new(&x, &start, &p).is_err());
        }
    }
}
