//! Pairwise updates: Bayesian personalised ranking (Rendle, Freudenthaler, Gantner &
//! Schmidt-Thieme 2009) by stochastic gradient descent, the factorisation's own rows.
//!
//! Each example is a user `u`, an item `i` the user has a value for and an item `j` drawn among
//! those the user has none for (see [`super::triplets::sample_pairs`]). With
//! `d = b_i - b_j + p_u . (q_i - q_j)` and `g = dloss/dd = sigmoid(d) - 1`:
//!
//! ```text
//! p_u <- p_u - eta (g (q_i - q_j) + lambda_f p_u)
//! q_i <- q_i - eta (g p_u + lambda_f q_i);     b_i <- b_i - eta (g + lambda_b b_i)
//! q_j <- q_j - eta (-g p_u + lambda_f q_j);    b_j <- b_j - eta (-g + lambda_b b_j)
//! ```
//!
//! (all with the old values). `mu` and `b_u` are the same for both items, so they cancel and
//! stay as they are. The hybrid model's pairs are in [`super::hybrid`].

use super::params::TrainParams;
use super::triplets::NO_ITEM;
use super::{Loss, Triplets};
use crate::kernels::dot;
use crate::model::MfModel;

/// One pass of BPR updates over the pairs `order` picks.
pub(super) fn bpr_epoch(model: &mut MfModel, data: &Triplets, order: &[u32], params: &TrainParams) {
    let eta = params.learning_rate;
    let (reg_b, reg_f) = (params.reg_bias, params.reg_factor);
    let shrink = 1.0 - eta * reg_f;
    let k = model.n_factors();
    let p_all = model
        .user_factors
        .as_slice_mut()
        .expect("factor matrices are standard-layout");
    let q_all = model
        .item_factors
        .as_slice_mut()
        .expect("factor matrices are standard-layout");
    let bi_all = model.item_bias.as_slice_mut().expect("contiguous");
    for &idx in order {
        let idx = idx as usize;
        let j = data.negatives[idx];
        if j == NO_ITEM {
            continue;
        }
        let (u, i, j) = (
            data.users[idx] as usize,
            data.items[idx] as usize,
            j as usize,
        );
        let p = &mut p_all[u * k..(u + 1) * k];
        let (qi, qj) = (&q_all[i * k..(i + 1) * k], &q_all[j * k..(j + 1) * k]);
        let d = bi_all[i] - bi_all[j] + dot(p, qi) - dot(p, qj);
        let g = Loss::Bpr.grad(d, 1.0);
        if params.use_item_bias {
            bi_all[i] -= eta * (g + reg_b * bi_all[i]);
            bi_all[j] -= eta * (-g + reg_b * bi_all[j]);
        }
        let a = eta * g;
        for f in 0..k {
            let (pu, x, y) = (p[f], q_all[i * k + f], q_all[j * k + f]);
            p[f] = shrink * pu - a * (x - y);
            q_all[i * k + f] = shrink * x - a * pu;
            q_all[j * k + f] = shrink * y + a * pu;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Output;

    /// One pair's update is a gradient step on the BPR loss plus the L2 term: checked against
    /// central finite differences of `loss(d) + lambda/2 |x|^2` in every parameter it moves.
    #[test]
    fn one_pair_is_a_gradient_step() {
        let mut m = MfModel::zeros(1, 3, 2, Output::Sigmoid);
        m.user_factors.assign(&ndarray::arr2(&[[0.3, -0.2]]));
        m.item_factors
            .assign(&ndarray::arr2(&[[0.5, 0.1], [0.0, 0.0], [-0.4, 0.7]]));
        m.item_bias.assign(&ndarray::arr1(&[0.2, 0.0, -0.1]));
        let params = TrainParams::new(2)
            .loss(Loss::Bpr)
            .learning_rate(1e-3)
            .reg(0.1);
        let objective = |m: &MfModel| {
            let d = m.item_bias[0] - m.item_bias[2]
                + m.user_row(0)[0] * (m.item_row(0)[0] - m.item_row(2)[0])
                + m.user_row(0)[1] * (m.item_row(0)[1] - m.item_row(2)[1]);
            let sq = |r: &[f32]| r.iter().map(|x| x * x).sum::<f32>();
            Loss::Bpr.value_and_grad(d, 1.0).0
                + 0.05 * (sq(m.user_row(0)) + sq(m.item_row(0)) + sq(m.item_row(2)))
                + 0.05 * (m.item_bias[0].powi(2) + m.item_bias[2].powi(2))
        };
        let before = m.clone();
        let data = Triplets {
            users: &[0],
            items: &[0],
            values: &[1.0],
            negatives: &[2],
        };
        bpr_epoch(&mut m, &data, &[0], &params);
        // Each parameter moved by -eta times the objective's partial derivative.
        let h = 1e-2f32;
        let check = |get: &dyn Fn(&MfModel) -> f32, set: &dyn Fn(&mut MfModel, f32)| {
            let mut a = before.clone();
            let x = get(&a);
            set(&mut a, x + h);
            let up = objective(&a);
            set(&mut a, x - h);
            let down = objective(&a);
            let numeric = (up - down) / (2.0 * h);
            let moved = (get(&m) - x) / -1e-3;
            assert!((numeric - moved).abs() < 2e-3, "{numeric} vs {moved}");
        };
        for f in 0..2 {
            check(&|m| m.user_row(0)[f], &|m, v| m.user_factors[[0, f]] = v);
            check(&|m| m.item_row(0)[f], &|m, v| m.item_factors[[0, f]] = v);
            check(&|m| m.item_row(2)[f], &|m, v| m.item_factors[[2, f]] = v);
        }
        check(&|m| m.item_bias[0], &|m, v| m.item_bias[0] = v);
        check(&|m| m.item_bias[2], &|m, v| m.item_bias[2] = v);
        // Item 1 took no part; a pair without a negative is skipped.
        assert_eq!(m.item_row(1), before.item_row(1));
        let same = m.clone();
        let none = Triplets {
            negatives: &[NO_ITEM],
            ..data
        };
        bpr_epoch(&mut m, &none, &[0], &params);
        assert_eq!(m.user_row(0), same.user_row(0));
    }
}
