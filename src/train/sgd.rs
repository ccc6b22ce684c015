//! Stochastic gradient descent, one update per known rating (Funk 2006; Koren, Bell & Volinsky
//! 2009).
//!
//! For each rating `(u, i, r)` in the visiting order, with `g = dloss/dscore` (for squared loss
//! `g = -(r - r_hat)`, the negative prediction error), learning rate `eta` and weights `lambda_b`,
//! `lambda_f`:
//!
//! ```text
//! b_u <- b_u - eta (g + lambda_b b_u)
//! b_i <- b_i - eta (g + lambda_b b_i)
//! p_u <- p_u - eta (g q_i + lambda_f p_u)      (both with the old p_u and q_i)
//! q_i <- q_i - eta (g p_u + lambda_f q_i)
//! ```
//!
//! This is the update Surprise's `SVD` performs, so results compare with it at equal settings.

use crate::model::MfModel;

use super::params::TrainParams;
use super::Triplets;

/// Runs one SGD pass over `data` in the given `order` (indices into the rating arrays).
pub fn sgd_epoch(model: &mut MfModel, data: &Triplets, order: &[u32], params: &TrainParams) {
    let k = model.n_factors();
    let eta = params.learning_rate;
    let (reg_b, reg_f) = (params.reg_bias, params.reg_factor);
    let mu = model.mu;
    let (users, items, values) = (data.users, data.items, data.values);
    // Row-major factor matrices: row u is the contiguous slice [u*k, (u+1)*k).
    let p_all = model
        .user_factors
        .as_slice_mut()
        .expect("factor matrices are standard-layout");
    let q_all = model
        .item_factors
        .as_slice_mut()
        .expect("factor matrices are standard-layout");
    let bu_all = model.user_bias.as_slice_mut().expect("contiguous");
    let bi_all = model.item_bias.as_slice_mut().expect("contiguous");
    for &idx in order {
        let idx = idx as usize;
        let (u, i, r) = (users[idx] as usize, items[idx] as usize, values[idx]);
        let p = &mut p_all[u * k..(u + 1) * k];
        let q = &mut q_all[i * k..(i + 1) * k];
        let score = mu + bu_all[u] + bi_all[i] + dot(p, q);
        let g = params.loss.grad(score, r);
        if params.use_user_bias {
            bu_all[u] -= eta * (g + reg_b * bu_all[u]);
        }
        if params.use_item_bias {
            bi_all[i] -= eta * (g + reg_b * bi_all[i]);
        }
        for (pf, qf) in p.iter_mut().zip(q.iter_mut()) {
            let (p0, q0) = (*pf, *qf);
            *pf -= eta * (g * q0 + reg_f * p0);
            *qf -= eta * (g * p0 + reg_f * q0);
        }
    }
}

/// Dot product with four independent accumulators, so the compiler can keep four lanes busy
/// (a single accumulator is a serial dependency chain that no vector unit can help).
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f32; 4];
    let chunks = n / 4;
    for c in 0..chunks {
        for l in 0..4 {
            acc[l] += a[4 * c + l] * b[4 * c + l];
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for j in 4 * chunks..n {
        s += a[j] * b[j];
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_matches_naive_for_every_remainder() {
        for n in 0..13 {
            let a: Vec<f32> = (0..n).map(|x| x as f32 * 0.5 - 1.0).collect();
            let b: Vec<f32> = (0..n).map(|x| 2.0 - x as f32 * 0.25).collect();
            let naive: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((dot(&a, &b) - naive).abs() < 1e-5, "n={n}");
        }
    }
}
