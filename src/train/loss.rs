//! Losses: the data term of the objective (see [`super::objective`] for the whole objective
//! of one observation and its gradient).
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
//! * BPR, Bayesian personalised ranking (Rendle, Freudenthaler, Gantner & Schmidt-Thieme 2009):
//!   pairwise, on a user's stored item `i` against an item `j` drawn among those the user has no
//!   value for, `loss = log(1 + e^-d)` with `d = s(u, i) - s(u, j)`: the logistic loss of the
//!   difference with target 1. It asks only that the user's items rank above the others, so `mu`
//!   and `b_u`, which every item of a user shares, get no gradient; `sigmoid(s)` is a score to
//!   rank by, not a calibrated probability.

use crate::model::{sigmoid, Output};

/// The data term of the objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Loss {
    /// Squared error, for explicit ratings.
    Squared,
    /// Logistic (binary cross-entropy), for 0/1 implicit feedback.
    Logistic,
    /// Bayesian personalised ranking: pairwise, a stored item against a sampled one.
    Bpr,
}

/// A loss as the page learns it: its name, its menu label, and whether it reads `negatives`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LossInfo {
    pub name: &'static str,
    pub label: &'static str,
    pub samples: bool,
}

impl Loss {
    /// The name in links, model files and `mfp --loss`.
    pub fn name(self) -> &'static str {
        match self {
            Loss::Squared => "squared",
            Loss::Logistic => "logistic",
            Loss::Bpr => "bpr",
        }
    }

    /// Every loss, in the order a menu lists them.
    pub const ALL: [Loss; 3] = [Loss::Squared, Loss::Logistic, Loss::Bpr];

    /// The loss named `name` (see [`name`](Self::name)).
    pub fn by_name(name: &str) -> Option<Loss> {
        Loss::ALL.into_iter().find(|l| l.name() == name)
    }

    /// Its name in a menu.
    pub fn label(self) -> &'static str {
        match self {
            Loss::Squared => "Squared error",
            Loss::Logistic => "Logistic (0/1 data)",
            Loss::Bpr => "BPR (pairwise ranking)",
        }
    }

    /// Whether the loss compares two items of a user (its score is a difference of scores).
    pub fn pairwise(self) -> bool {
        self == Loss::Bpr
    }

    /// Whether an epoch draws items the user has no value for: logistic loss's 0s (when
    /// `negatives` is above 0), BPR's pairs.
    pub fn samples(self) -> bool {
        self != Loss::Squared
    }

    /// What it is, for the page (the `describe` request).
    pub fn info(self) -> LossInfo {
        LossInfo {
            name: self.name(),
            label: self.label(),
            samples: self.samples(),
        }
    }

    /// `(loss, dloss/dscore)` for a score and its target (for BPR the score is the difference
    /// `s(u, i) - s(u, j)` and the target 1).
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
            Loss::Logistic | Loss::Bpr => {
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
            Loss::Logistic | Loss::Bpr => sigmoid(score) - target,
        }
    }

    /// How the model turns scores into predictions under this loss.
    pub fn output(self) -> Output {
        match self {
            Loss::Squared => Output::Identity,
            Loss::Logistic | Loss::Bpr => Output::Sigmoid,
        }
    }
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
    fn bpr_is_the_logistic_loss_of_the_difference() {
        check_loss(Loss::Bpr, &[1.0]);
        // A pair ranked right by a wide margin costs almost nothing; the wrong way, about d.
        assert!(Loss::Bpr.value_and_grad(10.0, 1.0).0 < 1e-4);
        assert!((Loss::Bpr.value_and_grad(-10.0, 1.0).0 - 10.0).abs() < 1e-3);
        assert_eq!(Loss::by_name("bpr"), Some(Loss::Bpr));
    }

    #[test]
    fn logistic_loss_is_finite_for_extreme_scores() {
        let (l, g) = Loss::Logistic.value_and_grad(200.0, 0.0);
        assert!((l - 200.0).abs() < 1e-3 && (g - 1.0).abs() < 1e-6);
        let (l, g) = Loss::Logistic.value_and_grad(-200.0, 0.0);
        assert!(l.abs() < 1e-6 && g.abs() < 1e-6);
    }
}
