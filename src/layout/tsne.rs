//! t-SNE (van der Maaten & Hinton 2008), with the Barnes-Hut approximation of the repulsive
//! forces (van der Maaten 2014), run step by step.
//!
//! Each point `i` turns its distances into probabilities over its `3 x perplexity` nearest
//! neighbours, `p_j|i ~ exp(-beta_i d_ij^2)` with `beta_i` found by bisection so that the
//! distribution's perplexity `2^H` is the one asked for; `p_ij = (p_j|i + p_i|j) / 2n`. The map
//! `y` is moved to make the Student-t similarities `q_ij = (1 + |y_i - y_j|^2)^-1 / Z` match
//! them, by gradient descent on `KL(P || Q)`:
//!
//! ```text
//! dC/dy_i = 4 sum_j (p_ij - q_ij) (1 + |y_i - y_j|^2)^-1 (y_i - y_j)
//! ```
//!
//! The attractive half is a sum over the sparse neighbours; the repulsive half over all pairs is
//! approximated with a quadtree: a cell of far-away points (its width over its distance below
//! `theta`) acts as one point at its centre of mass (`theta = 0`: every pair, exactly).
//! The optimisation is the reference one: the first 250 iterations exaggerate P 12-fold with
//! momentum 0.5, then momentum 0.8; per-coordinate gains; the learning rate `n / 12` (Belkina et
//! al. 2019), at least 50. The start is the PCA map scaled to a standard deviation of 1e-4
//! (Kobak & Berens 2019): seeded, and global structure is kept better than from noise.

use ndarray::Array2;

use crate::error::{Error, Result};

/// Exaggeration of P in the first iterations, and for how many.
const EXAGGERATION: f64 = 12.0;
const EARLY: usize = 250;

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct TsneParams {
    /// The effective number of neighbours each point keeps (5 to 50 is usual).
    pub perplexity: f32,
    /// Barnes-Hut's accuracy: 0 computes every pair; 0.5 is the usual trade.
    pub theta: f32,
    /// Iterations in all (the first 250 exaggerated).
    pub iterations: usize,
}

impl Default for TsneParams {
    fn default() -> Self {
        TsneParams {
            perplexity: 30.0,
            theta: 0.5,
            iterations: 750,
        }
    }
}

/// A t-SNE layout in progress.
#[derive(Debug, Clone)]
pub struct Tsne {
    n: usize,
    /// Sparse symmetric P, by rows: `(j, p_ij)`.
    p: Vec<Vec<(usize, f64)>>,
    y: Vec<f64>,
    update: Vec<f64>,
    gains: Vec<f64>,
    rate: f64,
    theta: f64,
    iteration: usize,
    iterations: usize,
    /// The perplexity used (the one asked for, capped below a third of the points).
    pub perplexity: f32,
}

impl Tsne {
    /// Prepares the layout of the rows of `x` (at least 4); `start` is the map to start from,
    /// row-major `(n, 2)` (the PCA map), scaled here to a standard deviation of 1e-4.
    pub fn new(x: &Array2<f32>, start: &[f32], params: &TsneParams) -> Result<Tsne> {
        let n = x.nrows();
        if n < 4 {
            return Err(Error::invalid("points", n, "t-SNE needs at least 4 points"));
        }
        if !(params.perplexity >= 2.0 && params.perplexity <= 100.0) {
            return Err(Error::invalid(
                "perplexity",
                params.perplexity,
                "must lie between 2 and 100",
            ));
        }
        if !(0.0..=1.0).contains(&params.theta) {
            return Err(Error::invalid(
                "theta",
                params.theta,
                "must lie between 0 and 1",
            ));
        }
        if params.iterations == 0 || params.iterations > 10_000 {
            return Err(Error::invalid(
                "iterations",
                params.iterations,
                "must lie between 1 and 10,000",
            ));
        }
        assert_eq!(start.len(), 2 * n, "a start point per row");
        let perplexity = params.perplexity.min(((n - 1) as f32 / 3.0).max(1.0));
        let k = ((3.0 * perplexity).floor() as usize).clamp(1, n - 1);
        let nn = super::knn::nearest(x, k);
        let conditional = crate::parallel::map((0..n).collect(), |i: usize| {
            calibrate(&nn[i], perplexity as f64)
        });
        // Symmetrise: p_ij = (p_j|i + p_i|j) / 2n.
        let mut rows: Vec<std::collections::BTreeMap<usize, f64>> = vec![Default::default(); n];
        for i in 0..n {
            for (&(j, _), &pj) in nn[i].iter().zip(&conditional[i]) {
                let v = pj / (2.0 * n as f64);
                *rows[i].entry(j).or_insert(0.0) += v;
                *rows[j].entry(i).or_insert(0.0) += v;
            }
        }
        let p = rows.into_iter().map(|r| r.into_iter().collect()).collect();
        let sd = {
            let m = start.iter().step_by(2).map(|&v| v as f64).sum::<f64>() / n as f64;
            let v = start
                .iter()
                .step_by(2)
                .map(|&v| (v as f64 - m).powi(2))
                .sum::<f64>()
                / n as f64;
            v.sqrt()
        };
        let scale = if sd > 0.0 { 1e-4 / sd } else { 0.0 };
        let mut y: Vec<f64> = start.iter().map(|&v| v as f64 * scale).collect();
        if scale == 0.0 {
            // Every start point the same: spread them on a tiny circle, deterministically.
            for i in 0..n {
                let t = i as f64 * 2.399_963;
                y[2 * i] = 1e-4 * t.cos();
                y[2 * i + 1] = 1e-4 * t.sin();
            }
        }
        centre(&mut y);
        Ok(Tsne {
            n,
            p,
            y,
            update: vec![0.0; 2 * n],
            gains: vec![1.0; 2 * n],
            rate: (n as f64 / EXAGGERATION).max(50.0),
            theta: params.theta as f64,
            iteration: 0,
            iterations: params.iterations,
            perplexity,
        })
    }

    /// Runs up to `steps` more iterations; returns how many ran.
    pub fn step(&mut self, steps: usize) -> usize {
        let mut ran = 0;
        while ran < steps && self.iteration < self.iterations {
            self.iterate();
            ran += 1;
        }
        ran
    }

    pub fn iteration(&self) -> usize {
        self.iteration
    }

    pub fn iterations(&self) -> usize {
        self.iterations
    }

    pub fn done(&self) -> bool {
        self.iteration >= self.iterations
    }

    /// The map now, row-major `(n, 2)`.
    pub fn layout(&self) -> Vec<f32> {
        self.y.iter().map(|&v| v as f32).collect()
    }

    fn iterate(&mut self) {
        let n = self.n;
        let early = self.iteration < EARLY;
        let exaggeration = if early { EXAGGERATION } else { 1.0 };
        let momentum = if early { 0.5 } else { 0.8 };
        let (rep, z) = repulsion(&self.y, self.theta);
        let y = &self.y;
        let p = &self.p;
        let attract = crate::parallel::map((0..n).collect(), |i: usize| {
            let (yi0, yi1) = (y[2 * i], y[2 * i + 1]);
            let (mut f0, mut f1) = (0.0, 0.0);
            for &(j, pij) in &p[i] {
                let (d0, d1) = (yi0 - y[2 * j], yi1 - y[2 * j + 1]);
                let w = pij / (1.0 + d0 * d0 + d1 * d1);
                f0 += w * d0;
                f1 += w * d1;
            }
            (f0, f1)
        });
        for i in 0..n {
            for d in 0..2 {
                let a = if d == 0 { attract[i].0 } else { attract[i].1 };
                let grad = 4.0 * (exaggeration * a - rep[2 * i + d] / z);
                let at = 2 * i + d;
                let g = &mut self.gains[at];
                *g = if (grad > 0.0) != (self.update[at] > 0.0) {
                    *g + 0.2
                } else {
                    (*g * 0.8).max(0.01)
                };
                self.update[at] = momentum * self.update[at] - self.rate * *g * grad;
                self.y[at] += self.update[at];
            }
        }
        centre(&mut self.y);
        self.iteration += 1;
    }

    /// `KL(P || Q)` of the map now, every pair computed (`n^2`: for tests and small maps).
    pub fn kl(&self) -> f64 {
        let n = self.n;
        let y = &self.y;
        let mut z = 0.0;
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    z += 1.0 / (1.0 + sq(y, i, j));
                }
            }
        }
        let mut kl = 0.0;
        for i in 0..n {
            for &(j, pij) in &self.p[i] {
                let q = 1.0 / (1.0 + sq(y, i, j)) / z;
                if pij > 0.0 {
                    kl += pij * (pij / q.max(1e-300)).ln();
                }
            }
        }
        kl
    }
}

fn sq(y: &[f64], i: usize, j: usize) -> f64 {
    (y[2 * i] - y[2 * j]).powi(2) + (y[2 * i + 1] - y[2 * j + 1]).powi(2)
}

fn centre(y: &mut [f64]) {
    let n = y.len() / 2;
    for d in 0..2 {
        let m = y.iter().skip(d).step_by(2).sum::<f64>() / n as f64;
        y.iter_mut().skip(d).step_by(2).for_each(|v| *v -= m);
    }
}

/// `p_j|i` over a point's neighbours `(j, distance)`, with the precision found by bisection so
/// that their perplexity is `perplexity`.
fn calibrate(nn: &[(usize, f32)], perplexity: f64) -> Vec<f64> {
    let d2: Vec<f64> = nn.iter().map(|&(_, d)| (d as f64).powi(2)).collect();
    let target = perplexity.ln();
    let (mut lo, mut hi, mut beta) = (0.0f64, f64::INFINITY, 1.0f64);
    let min = d2.iter().copied().fold(f64::INFINITY, f64::min);
    let mut p = vec![0.0; d2.len()];
    for _ in 0..200 {
        // Shifted by the smallest distance: the same distribution, no underflow.
        let mut sum = 0.0;
        for (pj, &d) in p.iter_mut().zip(&d2) {
            *pj = (-(d - min) * beta).exp();
            sum += *pj;
        }
        let mut h = 0.0;
        for (pj, &d) in p.iter_mut().zip(&d2) {
            *pj /= sum;
            h += *pj * (d - min) * beta;
        }
        // H = log(sum) + beta <d> over the shifted weights.
        let entropy = sum.ln() + h;
        if (entropy - target).abs() < 1e-5 {
            break;
        }
        if entropy > target {
            lo = beta;
            beta = if hi.is_finite() {
                (beta + hi) / 2.0
            } else {
                beta * 2.0
            };
        } else {
            hi = beta;
            beta = (beta + lo) / 2.0;
        }
    }
    p
}

/// The repulsive forces `sum_j (1 + d_ij^2)^-2 (y_i - y_j)` of every point (row-major) and
/// `Z = sum_{i != j} (1 + d_ij^2)^-1`, by Barnes-Hut over a quadtree (`theta = 0`: exactly).
fn repulsion(y: &[f64], theta: f64) -> (Vec<f64>, f64) {
    let n = y.len() / 2;
    let tree = QuadTree::build(y);
    let per = crate::parallel::map((0..n).collect(), |i: usize| {
        let mut f = [0.0f64; 2];
        let mut z = 0.0f64;
        tree.visit(0, y[2 * i], y[2 * i + 1], theta, &mut f, &mut z);
        (f, z)
    });
    let mut forces = vec![0.0; 2 * n];
    let mut z = 0.0;
    for (i, (f, zi)) in per.into_iter().enumerate() {
        forces[2 * i] = f[0];
        forces[2 * i + 1] = f[1];
        z += zi;
    }
    (forces, z.max(f64::MIN_POSITIVE))
}

/// A quadtree of the map's points: each cell its centre, half-width, the points' count and
/// centre of mass, and its four children (cells of at most one point are leaves; points at the
/// same place share a leaf).
struct QuadTree {
    cells: Vec<Cell>,
}

struct Cell {
    cx: f64,
    cy: f64,
    half: f64,
    count: usize,
    mx: f64,
    my: f64,
    children: [u32; 4],
    /// A leaf's first point (its place), while it holds points at one place only.
    point: Option<(f64, f64)>,
}

const MAX_DEPTH: usize = 40;

impl QuadTree {
    fn build(y: &[f64]) -> QuadTree {
        let n = y.len() / 2;
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for i in 0..n {
            x0 = x0.min(y[2 * i]);
            x1 = x1.max(y[2 * i]);
            y0 = y0.min(y[2 * i + 1]);
            y1 = y1.max(y[2 * i + 1]);
        }
        let half = ((x1 - x0).max(y1 - y0) / 2.0).max(1e-12) * (1.0 + 1e-9);
        let mut t = QuadTree {
            cells: vec![Cell::new((x0 + x1) / 2.0, (y0 + y1) / 2.0, half)],
        };
        for i in 0..n {
            t.insert(0, y[2 * i], y[2 * i + 1], 0);
        }
        t
    }

    fn insert(&mut self, at: usize, px: f64, py: f64, depth: usize) {
        let c = &mut self.cells[at];
        c.mx += px;
        c.my += py;
        c.count += 1;
        if c.count == 1 {
            c.point = Some((px, py));
            return;
        }
        let leaf = c.children == [0; 4];
        if leaf {
            match c.point {
                // Points at one place (or too deep to split further) stay together.
                Some((qx, qy)) if (qx == px && qy == py) || depth >= MAX_DEPTH => return,
                Some((qx, qy)) => {
                    c.point = None;
                    self.split(at);
                    let q = self.child_for(at, qx, qy);
                    self.insert(q, qx, qy, depth + 1);
                }
                None => return,
            }
        }
        let q = self.child_for(at, px, py);
        self.insert(q, px, py, depth + 1);
    }

    fn split(&mut self, at: usize) {
        let (cx, cy, h) = (
            self.cells[at].cx,
            self.cells[at].cy,
            self.cells[at].half / 2.0,
        );
        for (k, (dx, dy)) in [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)]
            .into_iter()
            .enumerate()
        {
            self.cells.push(Cell::new(cx + dx * h, cy + dy * h, h));
            self.cells[at].children[k] = (self.cells.len() - 1) as u32;
        }
    }

    fn child_for(&self, at: usize, px: f64, py: f64) -> usize {
        let c = &self.cells[at];
        let k = (px >= c.cx) as usize + 2 * (py >= c.cy) as usize;
        c.children[k] as usize
    }

    /// Adds the repulsion of cell `at` on a point at `(px, py)`.
    fn visit(&self, at: usize, px: f64, py: f64, theta: f64, f: &mut [f64; 2], z: &mut f64) {
        let c = &self.cells[at];
        if c.count == 0 {
            return;
        }
        let (mx, my) = (c.mx / c.count as f64, c.my / c.count as f64);
        let (dx, dy) = (px - mx, py - my);
        let d2 = dx * dx + dy * dy;
        let leaf = c.children == [0; 4];
        if leaf || (2.0 * c.half) * (2.0 * c.half) < theta * theta * d2 {
            // The point itself (a leaf at its place) does not repel itself.
            let count = if leaf && d2 == 0.0 {
                c.count - 1
            } else {
                c.count
            } as f64;
            if count == 0.0 {
                return;
            }
            let q = 1.0 / (1.0 + d2);
            *z += count * q;
            f[0] += count * q * q * dx;
            f[1] += count * q * q * dy;
            return;
        }
        for &ch in &c.children {
            self.visit(ch as usize, px, py, theta, f, z);
        }
    }
}

impl Cell {
    fn new(cx: f64, cy: f64, half: f64) -> Cell {
        Cell {
            cx,
            cy,
            half,
            count: 0,
            mx: 0.0,
            my: 0.0,
            children: [0; 4],
            point: None,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::rng::Rng;

    /// Points around `clusters` well separated centres in 10 dimensions, and their cluster.
    pub(crate) fn clusters(n: usize, clusters: usize, seed: u64) -> (Array2<f32>, Vec<usize>) {
        let mut rng = Rng::new(seed);
        let centres: Vec<Vec<f32>> = (0..clusters)
            .map(|_| (0..10).map(|_| 6.0 * rng.normal() as f32).collect())
            .collect();
        let label: Vec<usize> = (0..n).map(|i| i % clusters).collect();
        let x = Array2::from_shape_fn((n, 10), |(i, d)| centres[label[i]][d] + rng.normal() as f32);
        (x, label)
    }

    #[test]
    fn perplexity_is_met_by_bisection() {
        let nn: Vec<(usize, f32)> = (0..90).map(|j| (j, 0.1 * j as f32)).collect();
        let p = calibrate(&nn, 30.0);
        let h: f64 = -p
            .iter()
            .filter(|&&v| v > 0.0)
            .map(|v| v * v.ln())
            .sum::<f64>();
        assert!((h.exp() - 30.0).abs() < 0.01, "{}", h.exp());
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn barnes_hut_repulsion_is_close_to_every_pair() {
        let mut rng = Rng::new(4);
        let y: Vec<f64> = (0..600).map(|_| rng.normal() * 3.0).collect();
        let (exact, z0) = repulsion(&y, 0.0);
        let (approx, z) = repulsion(&y, 0.5);
        assert!((z - z0).abs() / z0 < 0.01, "{z} {z0}");
        let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
        let diff: Vec<f64> = exact.iter().zip(&approx).map(|(a, b)| a - b).collect();
        assert!(norm(&diff) / norm(&exact) < 0.05);
        // theta = 0 is every pair, as written out.
        let mut f0 = 0.0;
        for j in 1..300 {
            let (dx, dy) = (y[0] - y[2 * j], y[1] - y[2 * j + 1]);
            let q = 1.0 / (1.0 + dx * dx + dy * dy);
            f0 += q * q * dx;
        }
        assert!((f0 - exact[0]).abs() < 1e-9 * f0.abs().max(1.0));
    }

    #[test]
    fn the_map_keeps_neighbours_separates_clusters_and_lowers_the_kl() {
        let (x, label) = clusters(300, 4, 2);
        let start = crate::project::project_2d(&x).coords;
        let mut t = Tsne::new(&x, &start, &TsneParams::default()).unwrap();
        t.step(260);
        let kl_early = t.kl();
        assert_eq!(t.step(10_000), 490);
        assert!(t.done() && t.iteration() == 750);
        assert!(t.kl() < kl_early, "{} {kl_early}", t.kl());
        let map = t.layout();
        let trust = crate::layout::trustworthiness(&x, &map, 10);
        assert!(trust > 0.9, "{trust}");
        // Each point's nearest map neighbour is of its own cluster.
        let nn = crate::layout::knn::nearest(&Array2::from_shape_vec((300, 2), map).unwrap(), 1);
        let same = (0..300).filter(|&i| label[nn[i][0].0] == label[i]).count();
        assert!(same >= 295, "{same}");
        // Seeded by its start: the same map again.
        let mut again = Tsne::new(&x, &start, &TsneParams::default()).unwrap();
        again.step(750);
        assert_eq!(again.layout(), t.layout());
    }

    #[test]
    fn bad_knobs_and_too_few_points_are_refused() {
        let (x, _) = clusters(30, 2, 1);
        let start = vec![0.0; 60];
        for p in [
            TsneParams {
                perplexity: 1.0,
                ..Default::default()
            },
            TsneParams {
                theta: 2.0,
                ..Default::default()
            },
            TsneParams {
                iterations: 0,
                ..Default::default()
            },
        ] {
            assert!(Tsne::new(&x, &start, &p).is_err());
        }
        let small = x.slice(ndarray::s![..3, ..]).to_owned();
        assert!(Tsne::new(&small, &start[..6], &TsneParams::default()).is_err());
        // All points at one place still make a map (a small perplexity is capped).
        let t = Tsne::new(&x, &start, &TsneParams::default()).unwrap();
        assert!((t.perplexity - 29.0 / 3.0).abs() < 1e-6);
    }
}
