//! Losses and the gradient of one observation's objective.
//!
//! Training minimises, over the known cells `(u, i, r)`,
//!
//! ```text
//! J = sum  loss(score(u, i), r)
//!   + lambda_b / 2 * (b_u^2 + b_i^2) + lambda_f / 2 * (|p_u|^2 + |q_i|^2)      (per observation)
//! ```
//!
//! with the regulariser counted once per observation, which is the objective the classic SGD
//! update descends (Funk 2006; Koren, Bell & Volinsky 2009).
//!
//! * squared: `loss = (s - r)^2 / 2`, `dloss/ds = s - r`;
//! * logistic (0/1 targets): `loss = log(1 + e^s) - r s`, `dloss/ds = sigmoid(s) - r`, which is the
//!   cross-entropy of the predicted probability `sigmoid(s)`.

use crate::model::{sigmoid, MfModel, Output};

use super::params::TrainParams;

/// The data term of the objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Loss {
    /// Squared error, for explicit ratings.
    Squared,
    /// Logistic (binary cross-entropy), for 0/1 implicit feedback.
    Logistic,
}

impl Loss {
    /// `(loss, dloss/dscore)` for a score and its target.
    ///
    /// ```
    /// use mf_playground::train::Loss;
    /// assert_eq!(Loss::Squared.value_and_grad(3.0, 1.0), (2.0, 2.0));
    /// let (l, g) = Loss::Logistic.value_and_grad(0.0, 1.0);
    /// assert!((l - 2f32.ln()).abs() < 1e-6 && (g + 0.5).abs() < 1e-6);
    /// ```
    #[inline]
    pub fn value_and_grad(self, score: f32, target: f32) -> (f32, f32) {
        match self {
            Loss::Squared => {
                let d = score - target;
                (0.5 * d * d, d)
            }
            Loss::Logistic => {
                // softplus(s) = max(s, 0) + ln(1 + e^-|s|) never overflows.
                let softplus = score.max(0.0) + (-score.abs()).exp().ln_1p();
                (softplus - target * score, sigmoid(score) - target)
            }
        }
    }

    /// `dloss/dscore` alone.
    #[inline]
    pub fn grad(self, score: f32, target: f32) -> f32 {
        match self {
            Loss::Squared => score - target,
            Loss::Logistic => sigmoid(score) - target,
        }
    }

    /// How the model turns scores into predictions under this loss.
    pub fn output(self) -> Output {
        match self {
            Loss::Squared => Output::Identity,
            Loss::Logistic => Output::Sigmoid,
        }
    }
}

/// Gradient of one observation's objective with respect to the parameters it touches.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservationGrad {
    pub loss: f32,
    pub user_bias: f32,
    pub item_bias: f32,
    pub user_factors: Vec<f32>,
    pub item_factors: Vec<f32>,
}

impl ObservationGrad {
    pub fn zeros(n_factors: usize) -> Self {
        ObservationGrad {
            loss: 0.0,
            user_bias: 0.0,
            item_bias: 0.0,
            user_factors: vec![0.0; n_factors],
            item_factors: vec![0.0; n_factors],
        }
    }
}

/// Fills `out` with the gradient of observation `(u, i, r)`'s objective (data term plus its
/// share of the regulariser). Bias terms that are switched off get a zero gradient.
pub fn observation_grad(
    model: &MfModel,
    params: &TrainParams,
    u: usize,
    i: usize,
    r: f32,
    out: &mut ObservationGrad,
) {
    let s = model.score(u, i);
    let (loss, g) = params.loss.value_and_grad(s, r);
    out.loss = loss;
    let (bu, bi) = (model.user_bias[u], model.item_bias[i]);
    out.user_bias = if params.use_user_bias {
        g + params.reg_bias * bu
    } else {
        0.0
    };
    out.item_bias = if params.use_item_bias {
        g + params.reg_bias * bi
    } else {
        0.0
    };
    let p = model.user_factors.row(u);
    let q = model.item_factors.row(i);
    for f in 0..p.len() {
        out.user_factors[f] = g * q[f] + params.reg_factor * p[f];
        out.item_factors[f] = g * p[f] + params.reg_factor * q[f];
    }
}

/// The objective of one observation, for gradient checks.
pub fn observation_objective(
    model: &MfModel,
    params: &TrainParams,
    u: usize,
    i: usize,
    r: f32,
) -> f64 {
    let (loss, _) = params.loss.value_and_grad(model.score(u, i), r);
    let p = model.user_factors.row(u);
    let q = model.item_factors.row(i);
    let mut reg = 0.0f64;
    if params.use_user_bias {
        reg += 0.5 * params.reg_bias as f64 * (model.user_bias[u] as f64).powi(2);
    }
    if params.use_item_bias {
        reg += 0.5 * params.reg_bias as f64 * (model.item_bias[i] as f64).powi(2);
    }
    reg += 0.5 * params.reg_factor as f64 * (p.dot(&p) as f64 + q.dot(&q) as f64);
    loss as f64 + reg
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Central finite differences in f64 of the loss as a function of the score.
    fn check_loss(loss: Loss, targets: &[f32]) {
        for &r in targets {
            for &s in &[-4.0f32, -1.0, -0.1, 0.0, 0.3, 2.0, 5.0] {
                let h = 1e-2f32;
                let (lp, _) = loss.value_and_grad(s + h, r);
                let (lm, _) = loss.value_and_grad(s - h, r);
                let numeric = (lp - lm) / (2.0 * h);
                let (_, g) = loss.value_and_grad(s, r);
                assert!(
                    (numeric - g).abs() < 2e-3,
                    "{loss:?} s={s} r={r}: numeric {numeric} vs analytic {g}"
                );
                assert!((loss.grad(s, r) - g).abs() < 1e-7);
            }
        }
    }

    #[test]
    fn squared_loss_gradient_matches_finite_differences() {
        check_loss(Loss::Squared, &[0.0, 1.0, 3.5]);
    }

    #[test]
    fn logistic_loss_gradient_matches_finite_differences() {
        check_loss(Loss::Logistic, &[0.0, 1.0]);
    }

    #[test]
    fn logistic_loss_is_finite_for_extreme_scores() {
        let (l, g) = Loss::Logistic.value_and_grad(200.0, 0.0);
        assert!((l - 200.0).abs() < 1e-3 && (g - 1.0).abs() < 1e-6);
        let (l, g) = Loss::Logistic.value_and_grad(-200.0, 0.0);
        assert!(l.abs() < 1e-6 && g.abs() < 1e-6);
    }
}
