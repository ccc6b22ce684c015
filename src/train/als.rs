//! Alternating least squares with biases, for explicit ratings.
//!
//! With the items fixed, the objective is a ridge regression for each user separately: for user
//! `u` with rated items `I(u)`, unknowns `w = [b_u, p_u]`, features `x_i = [1, q_i]` and targets
//! `y_i = r_ui - mu - b_i`,
//!
//! ```text
//! (sum_i x_i x_i^T + n_u diag(lambda_b, lambda_f, ..., lambda_f)) w = sum_i x_i y_i
//! ```
//!
//! and the same for each item with the users fixed. Scaling the regulariser by the number of
//! ratings `n_u` ("ALS-WR", Zhou et al. 2008) makes ALS minimise exactly the objective SGD
//! descends (see [`super::loss`]), so the two can be compared on one loss curve. One epoch is one
//! user sweep and one item sweep. A switched-off bias drops its column.
//!
//! References: Koren, Bell & Volinsky 2009; Zhou, Wilkinson, Schreiber & Pan, "Large-scale
//! parallel collaborative filtering for the Netflix prize", AAIM 2008.

use crate::data::Ratings;
use crate::linalg::cholesky_solve;
use crate::model::MfModel;

use super::algorithm::{squared_only, Algorithm, AlgorithmInfo, EpochFn, Learner};
use super::params::TrainParams;
use super::Loss;
use crate::error::Result;
use crate::kernels::{add_outer_lower, add_outer_lower4};

/// ALS with biases, registered in [`super::registry`].
pub struct Als;

impl Algorithm for Als {
    fn info(&self) -> AlgorithmInfo {
        AlgorithmInfo {
            name: "als",
            label: "ALS",
            summary: "alternating least squares with biases: each user's and each item's row solved exactly in turn",
            losses: &[Loss::Squared],
            uses: &[],
            biases: true,
            implicit: false,
            normalizes: true,
            race: true,
        }
    }

    fn check(&self, p: &TrainParams) -> Result<()> {
        squared_only(
            "als",
            p,
            "fits squared error on ratings: choose sgd, adam or rmsprop for logistic loss, \
             or als-implicit for 0/1 data",
        )
    }

    fn start(&self, _model: &MfModel, _params: &TrainParams) -> Learner {
        Learner::Epochs(Box::new(EpochFn(als_epoch)))
    }
}

/// Which side is being solved for.
#[derive(Clone, Copy)]
enum Side {
    Users,
    Items,
}

/// One ALS epoch: solve every user, then every item. `by_user[u]` and `by_item[i]` list rating
/// indices.
pub fn als_epoch(
    model: &mut MfModel,
    data: &Ratings,
    params: &TrainParams,
    by_user: &[Vec<u32>],
    by_item: &[Vec<u32>],
) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU has just been checked for the features this copy is compiled with.
        return unsafe { als_epoch_avx2(model, data, params, by_user, by_item) };
    }
    sweep(model, data, params, by_user, Side::Users);
    sweep(model, data, params, by_item, Side::Items);
}

/// The same epoch compiled for AVX2 and FMA, chosen at run time (as SGD's loop is).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn als_epoch_avx2(
    model: &mut MfModel,
    data: &Ratings,
    params: &TrainParams,
    by_user: &[Vec<u32>],
    by_item: &[Vec<u32>],
) {
    sweep(model, data, params, by_user, Side::Users);
    sweep(model, data, params, by_item, Side::Items);
}

#[inline(always)]
fn sweep(model: &mut MfModel, data: &Ratings, params: &TrainParams, rows: &[Vec<u32>], side: Side) {
    let k = model.n_factors();
    let (own_bias, other_bias) = match side {
        Side::Users => (params.use_user_bias, params.use_item_bias),
        Side::Items => (params.use_item_bias, params.use_user_bias),
    };
    let off = own_bias as usize;
    let n = k + off;
    if n == 0 {
        // No factors and this side's bias off: nothing to solve for.
        return;
    }
    let mut a = vec![0.0f64; n * n];
    let mut b = vec![0.0f64; n];
    // The Gram matrix's lower triangle (all the Cholesky solve reads) is summed in f32 with
    // row-prefix multiply-adds (the vector kernels), then solved in f64: building it is the
    // O(n_u k^2) part of a row's cost.
    let mut a32 = vec![0.0f32; n * n];
    let mut x4 = vec![0.0f32; 4 * n];
    let mut scratch = Vec::new();
    for (row, ratings) in rows.iter().enumerate() {
        if ratings.is_empty() {
            continue;
        }
        a32.iter_mut().for_each(|v| *v = 0.0);
        b.iter_mut().for_each(|v| *v = 0.0);
        // Rating rows are gathered four at a time into `x4` for the rank-four update.
        let mut held = 0;
        for &idx in ratings {
            let (u, i, r) = data.get(idx as usize);
            let (other, other_b) = match side {
                Side::Users => (model.item_factors.row(i), model.item_bias[i]),
                Side::Items => (model.user_factors.row(u), model.user_bias[u]),
            };
            let y = (r - model.mu - if other_bias { other_b } else { 0.0 }) as f64;
            let x = &mut x4[held * n..(held + 1) * n];
            if own_bias {
                x[0] = 1.0;
            }
            for f in 0..k {
                x[off + f] = other[f];
            }
            for (b, &xp) in b.iter_mut().zip(&*x) {
                *b += xp as f64 * y;
            }
            held += 1;
            if held == 4 {
                add_outer_lower4(&mut a32, &x4, n);
                held = 0;
            }
        }
        for x in x4[..held * n].chunks_exact(n) {
            add_outer_lower(&mut a32, x);
        }
        for (a, &v) in a.iter_mut().zip(&a32) {
            *a = v as f64;
        }
        let cnt = ratings.len() as f64;
        if own_bias {
            a[0] += cnt * params.reg_bias as f64;
        }
        for f in 0..k {
            a[(off + f) * n + off + f] += cnt * params.reg_factor as f64;
        }
        if !solve_with_jitter(&mut a, &mut b, n, &mut scratch) {
            continue;
        }
        let (bias, factors) = match side {
            Side::Users => (&mut model.user_bias[row], model.user_factors.row_mut(row)),
            Side::Items => (&mut model.item_bias[row], model.item_factors.row_mut(row)),
        };
        if own_bias {
            *bias = b[0] as f32;
        }
        for (f, w) in factors.into_iter().enumerate() {
            *w = b[off + f] as f32;
        }
    }
}

/// Solves, adding a tiny ridge if the system is singular (zero regularisation with fewer
/// ratings than unknowns). Leaves the row unchanged if even that fails.
/// `scratch` holds a copy of the system for the retry; it is resized as needed.
pub(crate) fn solve_with_jitter(
    a: &mut [f64],
    b: &mut [f64],
    n: usize,
    scratch: &mut Vec<f64>,
) -> bool {
    scratch.clear();
    scratch.extend_from_slice(&a[..n * n]);
    scratch.extend_from_slice(&b[..n]);
    let (a0, b0) = scratch.split_at(n * n);
    if cholesky_solve(a, b, n) {
        return true;
    }
    let trace: f64 = (0..n).map(|i| a0[i * n + i]).sum();
    let jitter = 1e-6 * (trace / n as f64).max(1e-6);
    a[..n * n].copy_from_slice(a0);
    b[..n].copy_from_slice(b0);
    for i in 0..n {
        a[i * n + i] += jitter;
    }
    cholesky_solve(a, b, n)
}
