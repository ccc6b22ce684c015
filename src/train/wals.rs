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

use ndarray::Array2;

use crate::data::Ratings;
use crate::model::MfModel;

use super::als::solve_with_jitter;
use super::params::TrainParams;

/// One weighted-ALS epoch: all users, then all items.
pub fn wals_epoch(
    model: &mut MfModel,
    data: &Ratings,
    params: &TrainParams,
    by_user: &[Vec<u32>],
    by_item: &[Vec<u32>],
) {
    let (x, y) = (&mut model.user_factors, &mut model.item_factors);
    sweep(x, y, data, params, by_user, true);
    sweep(y, x, data, params, by_item, false);
}

/// Solves every row of `solve` with `fixed` held.
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
    let mut a = vec![0.0f64; k * k];
    let mut b = vec![0.0f64; k];
    let mut scratch = Vec::new();
    for (row, ratings) in rows.iter().enumerate() {
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
            for (f, w) in solve.row_mut(row).into_iter().enumerate() {
                *w = b[f] as f32;
            }
        }
    }
}

/// `M^T M` as row-major `k x k` in f64.
fn gram(m: &Array2<f32>) -> Vec<f64> {
    let k = m.ncols();
    let mut g = vec![0.0f64; k * k];
    for row in m.rows() {
        for p in 0..k {
            let rp = row[p] as f64;
            for q in 0..=p {
                g[p * k + q] += rp * row[q] as f64;
            }
        }
    }
    for p in 0..k {
        for q in 0..p {
            g[q * k + p] = g[p * k + q];
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
