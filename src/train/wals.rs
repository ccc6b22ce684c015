//! Weighted alternating least squares for implicit feedback (Hu, Koren & Volinsky,
//! "Collaborative filtering for implicit feedback datasets", ICDM 2008).
//!
//! Every cell of the matrix counts: the preference `p_ui` is 1 where the user interacted with the
//! item (a stored value above 0) and 0 everywhere else, with confidence `c_ui = 1 + alpha r_ui`
//! for interactions and 1 elsewhere. With the items `Y` fixed, each user's factors solve
//!
//! ```text
//! (Y^T Y + Y^T (C_u - I) Y + lambda I) x_u = Y^T C_u p_u
//! ```
//!
//! where `Y^T Y` is computed once per sweep, so a user costs `O(n_u k^2 + k^3)` rather than a pass
//! over all items. Then the same for the items. The model has no `mu` and no biases here: the
//! score is `x_u . y_i`, an estimate of the preference.
//!
//! With `cg_steps > 0` (the default, 3) each system is not solved exactly but improved by that
//! many conjugate-gradient steps from the row's current value (Takács, Pilászy & Tikk,
//! "Applications of the conjugate gradient method for implicit feedback collaborative
//! filtering", RecSys 2011; the `implicit` package does the same). A step multiplies by the
//! matrix without forming it: `(Y^T Y + lambda I) v` plus `(c - 1)(y_i . v) y_i` for each
//! interaction, `O(k^2 + n_u k)` instead of `O(n_u k^2 + k^3)`. Since every epoch starts from the
//! last one's factors, a few steps track the exact solution closely; `cg_steps = 0` solves
//! exactly (Cholesky).

use ndarray::Array2;

use crate::data::Ratings;
use crate::model::MfModel;

use super::algorithm::{squared_only, Algorithm, AlgorithmInfo, EpochFn, Learner};
use super::als::solve_with_jitter;
use super::params::TrainParams;
use super::Loss;
use crate::error::Result;
use crate::kernels::{add_outer, axpy, dot};

/// Weighted ALS for implicit feedback, registered in [`super::registry`].
pub struct WeightedAls;

impl Algorithm for WeightedAls {
    fn info(&self) -> AlgorithmInfo {
        AlgorithmInfo {
            name: "als-implicit",
            label: "Weighted ALS (implicit)",
            summary: "every cell counts, interactions with confidence 1 + alpha r (Hu, Koren & Volinsky 2008)",
            losses: &[Loss::Squared],
            uses: &["alpha", "cgSteps"],
            biases: false,
            implicit: true,
            normalizes: false,
            race: false,
        }
    }

    fn check(&self, p: &TrainParams) -> Result<()> {
        squared_only(
            "als-implicit",
            p,
            "fits a weighted squared error of its own: set loss to squared",
        )
    }

    /// Weighted ALS fits no offset and no biases.
    fn prepare(&self, model: &mut MfModel) {
        model.mu = 0.0;
        model.user_bias.fill(0.0);
        model.item_bias.fill(0.0);
    }

    fn start(&self, _model: &MfModel, _params: &TrainParams) -> Learner {
        Learner::Epochs(Box::new(EpochFn(wals_epoch)))
    }

    fn data_loss(&self, model: &MfModel, data: &Ratings, params: &TrainParams) -> Option<f64> {
        Some(weighted_loss(model, data, params))
    }
}

/// One weighted-ALS epoch: all users, then all items.
pub fn wals_epoch(
    model: &mut MfModel,
    data: &Ratings,
    params: &TrainParams,
    by_user: &[Vec<u32>],
    by_item: &[Vec<u32>],
) {
    let (x, y) = (&mut model.user_factors, &mut model.item_factors);
    if params.cg_steps > 0 {
        sweep_cg(x, y, data, params, by_user, true);
        sweep_cg(y, x, data, params, by_item, false);
    } else {
        sweep(x, y, data, params, by_user, true);
        sweep(y, x, data, params, by_item, false);
    }
}

/// Rows solved together on one thread (see [`super::als`]).
const ROWS_PER_PIECE: usize = 64;

/// `solve` (rows of `k`) cut into pieces of [`ROWS_PER_PIECE`] rows: `(first row, its rows)`.
fn pieces(solve: &mut [f32], k: usize, n_rows: usize) -> Vec<(usize, &mut [f32])> {
    let mut out = Vec::with_capacity(n_rows.div_ceil(ROWS_PER_PIECE));
    let mut rest = solve;
    for start in (0..n_rows).step_by(ROWS_PER_PIECE) {
        let len = ROWS_PER_PIECE.min(n_rows - start);
        let (piece, r) = rest.split_at_mut(len * k);
        rest = r;
        out.push((start, piece));
    }
    out
}

/// `out = (G + lambda I) v + sum over the row's interactions of (c - 1)(y_i . v) y_i`: the
/// system's matrix times `v`, without forming it. `g` is `G` row-major.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn times_system(
    out: &mut [f32],
    g: &[f32],
    lambda: f32,
    v: &[f32],
    others: &[(usize, f32)],
    fixed: &[f32],
    k: usize,
) {
    for (p, o) in out.iter_mut().enumerate() {
        *o = dot(&g[p * k..(p + 1) * k], v) + lambda * v[p];
    }
    for &(j, c) in others {
        let y = &fixed[j * k..(j + 1) * k];
        axpy(out, (c - 1.0) * dot(y, v), y);
    }
}

/// Every row of `solve` improved by `params.cg_steps` conjugate-gradient steps, pieces of rows
/// on as many threads as there are (each row's steps read only the fixed side).
fn sweep_cg(
    solve: &mut Array2<f32>,
    fixed: &Array2<f32>,
    data: &Ratings,
    params: &TrainParams,
    rows: &[Vec<u32>],
    solving_users: bool,
) {
    let k = fixed.ncols();
    let g: Vec<f32> = gram(fixed).iter().map(|&v| v as f32).collect();
    let job = CgJob {
        g: &g,
        fixed: fixed
            .as_slice()
            .expect("factor matrices are standard-layout"),
        data,
        params,
        solving_users,
        k,
    };
    let solve = solve
        .as_slice_mut()
        .expect("factor matrices are standard-layout");
    crate::parallel::for_each(pieces(solve, k, rows.len()), |(start, xs)| {
        cg_piece(&job, &rows[start..start + xs.len() / k.max(1)], xs);
    });
}

/// What every piece of a conjugate-gradient sweep shares.
struct CgJob<'a> {
    g: &'a [f32],
    fixed: &'a [f32],
    data: &'a Ratings,
    params: &'a TrainParams,
    solving_users: bool,
    k: usize,
}

fn cg_piece(job: &CgJob, rows: &[Vec<u32>], xs: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if crate::kernels::wide("avx2,fma") {
        // SAFETY: the CPU has just been checked for the features this copy is compiled with.
        return unsafe { cg_piece_avx2(job, rows, xs) };
    }
    cg_piece_portable(job, rows, xs);
}

/// [`cg_piece`] compiled for AVX2 and FMA, chosen at run time (as SGD's loop is).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn cg_piece_avx2(job: &CgJob, rows: &[Vec<u32>], xs: &mut [f32]) {
    cg_piece_portable(job, rows, xs);
}

#[inline(always)]
fn cg_piece_portable(job: &CgJob, rows: &[Vec<u32>], xs: &mut [f32]) {
    let CgJob {
        g,
        fixed,
        data,
        params,
        solving_users,
        k,
    } = *job;
    let lambda = params.reg_factor;
    let alpha = params.alpha;
    let (mut r, mut p, mut ap) = (vec![0.0f32; k], vec![0.0f32; k], vec![0.0f32; k]);
    let mut others: Vec<(usize, f32)> = Vec::new();
    for (row, ratings) in rows.iter().enumerate() {
        others.clear();
        for &idx in ratings {
            let (u, i, v) = data.get(idx as usize);
            if v > 0.0 {
                others.push((if solving_users { i } else { u }, 1.0 + alpha * v));
            }
        }
        let x = &mut xs[row * k..(row + 1) * k];
        // r = b - A x, with b = sum of c y_i over the interactions (preference 1).
        times_system(&mut ap, g, lambda, x, &others, fixed, k);
        r.iter_mut().zip(&ap).for_each(|(r, a)| *r = -a);
        for &(j, c) in &others {
            axpy(&mut r, c, &fixed[j * k..(j + 1) * k]);
        }
        p.copy_from_slice(&r);
        let mut rs_old = dot(&r, &r);
        for _ in 0..params.cg_steps {
            if rs_old < 1e-20 {
                break;
            }
            times_system(&mut ap, g, lambda, &p, &others, fixed, k);
            let pap = dot(&p, &ap);
            if pap.is_nan() || pap <= 0.0 {
                break; // not positive definite along p (lambda 0 and no data): leave x here
            }
            let step = rs_old / pap;
            axpy(x, step, &p);
            axpy(&mut r, -step, &ap);
            let rs_new = dot(&r, &r);
            let beta = rs_new / rs_old;
            for (p, r) in p.iter_mut().zip(&r) {
                *p = r + beta * *p;
            }
            rs_old = rs_new;
        }
    }
}

/// Solves every row of `solve` with `fixed` held, pieces of rows on as many threads as there
/// are.
fn sweep(
    solve: &mut Array2<f32>,
    fixed: &Array2<f32>,
    data: &Ratings,
    params: &TrainParams,
    rows: &[Vec<u32>],
    solving_users: bool,
) {
    let k = fixed.ncols();
    let gram = gram(fixed);
    let alpha = params.alpha as f64;
    let solve = solve
        .as_slice_mut()
        .expect("factor matrices are standard-layout");
    crate::parallel::for_each(pieces(solve, k, rows.len()), |(start, xs)| {
        let mut a = vec![0.0f64; k * k];
        let mut b = vec![0.0f64; k];
        let mut scratch = Vec::new();
        for (row, ratings) in rows[start..start + xs.len() / k.max(1)].iter().enumerate() {
            a.copy_from_slice(&gram);
            b.iter_mut().for_each(|v| *v = 0.0);
            for &idx in ratings {
                let (u, i, r) = data.get(idx as usize);
                if r <= 0.0 {
                    continue; // an observed 0 is "no interaction", like a missing cell
                }
                let other = fixed.row(if solving_users { i } else { u });
                let c = 1.0 + alpha * r as f64;
                for p in 0..k {
                    let yp = other[p] as f64;
                    b[p] += c * yp;
                    for q in 0..=p {
                        a[p * k + q] += (c - 1.0) * yp * other[q] as f64;
                    }
                }
            }
            for f in 0..k {
                a[f * k + f] += params.reg_factor as f64;
            }
            if solve_with_jitter(&mut a, &mut b, k, &mut scratch) {
                for (f, w) in xs[row * k..(row + 1) * k].iter_mut().enumerate() {
                    *w = b[f] as f32;
                }
            }
        }
    });
}

/// `M^T M` as row-major `k x k` in f64: summed in f32 over blocks of rows (whole-row
/// multiply-adds, which vectorise), each block's sum then added in f64.
#[inline]
fn gram(m: &Array2<f32>) -> Vec<f64> {
    const BLOCK: usize = 256;
    let k = m.ncols();
    let mut g = vec![0.0f64; k * k];
    let mut block = vec![0.0f32; k * k];
    let rows = m.as_slice().expect("factor matrices are standard-layout");
    for chunk in rows.chunks(BLOCK * k.max(1)) {
        block.iter_mut().for_each(|v| *v = 0.0);
        for row in chunk.chunks_exact(k.max(1)) {
            add_outer(&mut block, row);
        }
        for (g, b) in g.iter_mut().zip(&block) {
            *g += *b as f64;
        }
    }
    g
}

/// The mean over all cells of the weighted squared error `c_ui (p_ui - s_ui)^2`, without visiting
/// every cell: `sum_all s^2 = <X^T X, Y^T Y>`, then a correction on each interaction.
pub fn weighted_loss(model: &MfModel, data: &Ratings, params: &TrainParams) -> f64 {
    let gx = gram(&model.user_factors);
    let gy = gram(&model.item_factors);
    let mut total: f64 = gx.iter().zip(&gy).map(|(a, b)| a * b).sum();
    let alpha = params.alpha as f64;
    for k in 0..data.len() {
        let (u, i, r) = data.get(k);
        if r > 0.0 {
            let s = model.user_factors.row(u).dot(&model.item_factors.row(i)) as f64;
            let c = 1.0 + alpha * r as f64;
            total += c * (1.0 - s).powi(2) - s * s;
        }
    }
    total / (model.n_users() as f64 * model.n_items() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::{generate, SyntheticParams};
    use crate::train::{Optimizer, Trainer};

    fn clicks() -> Ratings {
        generate(&SyntheticParams {
            n_users: 80,
            n_items: 60,
            implicit: true,
            density: 0.4,
            seed: 3,
            ..Default::default()
        })
        .unwrap()
        .ratings
    }

    fn params(cg_steps: usize) -> TrainParams {
        TrainParams::new(6)
            .optimizer(Optimizer::ALS_IMPLICIT)
            .reg(0.1)
            .alpha(5.0)
            .cg_steps(cg_steps)
            .n_epochs(8)
    }

    #[test]
    fn conjugate_gradient_with_k_steps_solves_each_row_exactly() {
        // In exact arithmetic CG solves a k x k system in k steps: one epoch of each, from the
        // same start, lands on (nearly) the same factors.
        let data = clicks();
        let mut exact = Trainer::new(data.clone(), params(0).n_epochs(1)).unwrap();
        let mut cg = Trainer::new(data, params(6).n_epochs(1)).unwrap();
        exact.fit();
        cg.fit();
        let worst = exact
            .model()
            .user_factors
            .iter()
            .chain(exact.model().item_factors.iter())
            .zip(
                cg.model()
                    .user_factors
                    .iter()
                    .chain(cg.model().item_factors.iter()),
            )
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 1e-3, "largest difference {worst}");
    }

    #[test]
    fn three_steps_an_epoch_reach_the_exact_objective() {
        let data = clicks();
        let loss = |steps| {
            let mut t = Trainer::new(data.clone(), params(steps)).unwrap();
            t.fit().last().unwrap().loss
        };
        let (exact, cg) = (loss(0), loss(3));
        assert!(
            cg.is_finite() && cg <= exact * 1.02,
            "CG {cg} vs exact {exact}"
        );
    }
}
