//! Finite-difference checks of the gradient of one observation's objective (data term plus its
//! regulariser), for every parameter the observation touches, for each loss, with biases on and
//! off. Central differences in f64 around an f32 model.

use mf_playground::model::{MfModel, Output};
use mf_playground::rng::Rng;
use mf_playground::train::objective::{observation_grad, observation_objective, ObservationGrad};
use mf_playground::train::{Loss, TrainParams};

fn random_model(seed: u64, k: usize, output: Output) -> MfModel {
    let mut rng = Rng::new(seed);
    let mut m = MfModel::zeros(3, 4, k, output);
    m.mu = 0.3;
    m.user_bias.mapv_inplace(|_| rng.normal() as f32 * 0.5);
    m.item_bias.mapv_inplace(|_| rng.normal() as f32 * 0.5);
    m.user_factors.mapv_inplace(|_| rng.normal() as f32 * 0.7);
    m.item_factors.mapv_inplace(|_| rng.normal() as f32 * 0.7);
    m
}

/// Numeric derivative of the objective with respect to one parameter, set through `at`.
fn numeric(
    model: &MfModel,
    params: &TrainParams,
    (u, i, r): (usize, usize, f32),
    at: impl Fn(&mut MfModel) -> &mut f32,
) -> f64 {
    let h = 1e-2f32;
    let mut plus = model.clone();
    *at(&mut plus) += h;
    let mut minus = model.clone();
    *at(&mut minus) -= h;
    (observation_objective(&plus, params, u, i, r) - observation_objective(&minus, params, u, i, r))
        / (2.0 * h as f64)
}

fn check(loss: Loss, biases: bool, target: f32) {
    let k = 4;
    let params = TrainParams::new(k).loss(loss).reg(0.07).biases(biases);
    let output = loss.output();
    for seed in 0..5 {
        let model = random_model(seed, k, output);
        let (u, i) = (seed as usize % 3, (seed as usize * 3 + 1) % 4);
        let mut g = ObservationGrad::zeros(k);
        observation_grad(&model, &params, u, i, target, &mut g);
        let obs = (u, i, target);
        let tol = |a: f64| 2e-3 * (1.0 + a.abs());
        let nb = numeric(&model, &params, obs, |m| &mut m.user_bias[u]);
        let expect_bu = if biases { g.user_bias as f64 } else { 0.0 };
        // With biases off the objective still depends on b_u through the score; the trainer
        // never moves it, and its gradient is reported as zero.
        if biases {
            assert!(
                (nb - expect_bu).abs() < tol(nb),
                "{loss:?} b_u: numeric {nb} analytic {expect_bu}"
            );
            let ni = numeric(&model, &params, obs, |m| &mut m.item_bias[i]);
            assert!(
                (ni - g.item_bias as f64).abs() < tol(ni),
                "{loss:?} b_i: numeric {ni} analytic {}",
                g.item_bias
            );
        } else {
            assert_eq!((g.user_bias, g.item_bias), (0.0, 0.0));
        }
        for f in 0..k {
            let np = numeric(&model, &params, obs, |m| &mut m.user_factors[[u, f]]);
            assert!(
                (np - g.user_factors[f] as f64).abs() < tol(np),
                "{loss:?} p[{f}]: {np} vs {}",
                g.user_factors[f]
            );
            let nq = numeric(&model, &params, obs, |m| &mut m.item_factors[[i, f]]);
            assert!(
                (nq - g.item_factors[f] as f64).abs() < tol(nq),
                "{loss:?} q[{f}]: {nq} vs {}",
                g.item_factors[f]
            );
        }
    }
}

#[test]
fn squared_loss_gradient_matches_finite_differences() {
    check(Loss::Squared, true, 3.5);
    check(Loss::Squared, false, -1.0);
}

#[test]
fn logistic_loss_gradient_matches_finite_differences() {
    check(Loss::Logistic, true, 1.0);
    check(Loss::Logistic, true, 0.0);
    check(Loss::Logistic, false, 1.0);
}
