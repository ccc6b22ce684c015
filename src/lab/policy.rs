//! What to show: the policies, and the learner whose scores and uncertainty they use.
//!
//! The **learner** is the same for every policy: the matrix-factorisation model (logistic loss)
//! retrained on the growing click log every few rounds, plus, between retrains, a Bayesian
//! update of each user's factor vector with the item factors held fixed. Its uncertainty is the
//! Laplace approximation of the logistic likelihood around the learned user factor `p_u`:
//!
//! ```text
//! Sigma_u^-1 = I + sum over items j shown to u of  w_j q_j q_j^T,   w_j = p_j (1 - p_j)
//! ```
//!
//! so a user shown few items (or only items whose factors point one way) has a wide posterior
//! in the directions not yet tried. Items get the same treatment for their bias: its variance
//! is `1 / (1 + sum of w over the item's impressions)`, so an item hardly ever shown is
//! uncertain whoever the user. Each impression updates both at once (one Newton step each:
//! `theta_u += Sigma_u q_i (click - p_ui)`, with `Sigma_u` updated by Sherman-Morrison, and
//! `b_i += (click - p_ui) / precision_i`). The score's posterior variance for `u` and `i` is
//! `q_i^T Sigma_u q_i + 1 / precision_i`.
//!
//! The **policies** differ only in how they choose from that:
//!
//! * `greedy`: the highest estimated click probability; no uncertainty used.
//! * `epsilon-greedy`: greedy, except with probability epsilon a uniformly random item; with
//!   decay, epsilon at round t is `epsilon / sqrt(1 + t / 10)`.
//! * `ucb`: the highest optimistic score `s_ui + c sqrt(q_i^T Sigma_u q_i)`: the score's
//!   posterior standard deviation is the bonus for what is not yet known.
//! * `thompson`: draws a user vector from the posterior `N(theta_u, Sigma_u)` and shows the best
//!   item for the draw: items with a real chance of being best get shown in proportion.
//! * `random`: uniformly among the allowed items; no model used.

use crate::error::{Error, Result};
use crate::model::{sigmoid, MfModel};
use crate::rng::Rng;

/// A rule for choosing the item to show.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    Greedy,
    EpsilonGreedy,
    Ucb,
    Thompson,
    Random,
}

impl Policy {
    pub const ALL: [Policy; 5] = [
        Policy::Greedy,
        Policy::EpsilonGreedy,
        Policy::Ucb,
        Policy::Thompson,
        Policy::Random,
    ];

    /// The name used on the command line, in the page and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Policy::Greedy => "greedy",
            Policy::EpsilonGreedy => "epsilon-greedy",
            Policy::Ucb => "ucb",
            Policy::Thompson => "thompson",
            Policy::Random => "random",
        }
    }

    pub fn from_name(name: &str) -> Result<Policy> {
        Policy::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| {
                Error::invalid(
                    "policy",
                    name,
                    "choose greedy, epsilon-greedy, ucb, thompson or random",
                )
            })
    }
}

/// The knobs of the policies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Knobs {
    pub epsilon: f32,
    pub decay: bool,
    pub ucb_c: f32,
}

/// The learner's per-user posteriors over user factors, on top of the current model.
#[derive(Debug, Clone)]
pub struct Learner {
    pub model: MfModel,
    k: usize,
    /// Posterior means, `n_users x k`.
    theta: Vec<f32>,
    /// Posterior covariances, `n_users x k x k`.
    sigma: Vec<f64>,
    /// Posterior precision of each item bias.
    item_precision: Vec<f64>,
}

impl Learner {
    /// Posteriors centred on the model's user factors, updated with each user's log.
    pub fn new(model: MfModel, log: &[(u32, u32, f32)]) -> Learner {
        let (n, k) = (model.n_users(), model.n_factors());
        let mut sigma = vec![0.0; n * k * k];
        for u in 0..n {
            for d in 0..k {
                sigma[u * k * k + d * k + d] = 1.0;
            }
        }
        let theta = model.user_factors.iter().copied().collect();
        let item_precision = vec![1.0; model.n_items()];
        let mut l = Learner {
            model,
            k,
            theta,
            sigma,
            item_precision,
        };
        // The log's information, without moving the means: they are the model's fit already.
        for &(u, i, _) in log {
            let p = sigmoid(l.score(u as usize, i as usize));
            l.absorb(u as usize, i as usize, p, None);
        }
        l
    }

    /// The learner's logit for `u` and `i`, with the online user vector.
    pub fn score(&self, u: usize, i: usize) -> f32 {
        let m = &self.model;
        let q = m.item_factors.row(i);
        let t = &self.theta[u * self.k..(u + 1) * self.k];
        m.mu + m.user_bias[u]
            + m.item_bias[i]
            + t.iter().zip(q.iter()).map(|(a, b)| a * b).sum::<f32>()
    }

    /// The posterior standard deviation of `u`'s score for `i`.
    pub fn score_sd(&self, u: usize, i: usize) -> f32 {
        (self.user_variance(u, i) + 1.0 / self.item_precision[i]).sqrt() as f32
    }

    /// `q_i^T Sigma_u q_i`: the part of the score's variance from `u`'s vector.
    fn user_variance(&self, u: usize, i: usize) -> f64 {
        let k = self.k;
        let s = &self.sigma[u * k * k..(u + 1) * k * k];
        let q = self.model.item_factors.row(i);
        let mut v = 0.0f64;
        for a in 0..k {
            let mut row = 0.0f64;
            for b in 0..k {
                row += s[a * k + b] * q[b] as f64;
            }
            v += q[a] as f64 * row;
        }
        v.max(0.0)
    }

    /// Takes in one observation of `u` on `i`.
    pub fn observe(&mut self, u: usize, i: usize, click: f32) {
        let p = sigmoid(self.score(u, i));
        self.absorb(u, i, p, Some(click));
    }

    /// Sherman-Morrison update of `Sigma_u` with weight `p (1 - p)`, then (given a click value)
    /// one Newton step of the mean.
    fn absorb(&mut self, u: usize, i: usize, p: f32, click: Option<f32>) {
        let k = self.k;
        let w = (p as f64 * (1.0 - p as f64)).max(1e-4);
        self.item_precision[i] += w;
        if let Some(y) = click {
            self.model.item_bias[i] += ((y - p) as f64 / self.item_precision[i]) as f32;
        }
        if k == 0 {
            return;
        }
        let q: Vec<f64> = self
            .model
            .item_factors
            .row(i)
            .iter()
            .map(|&x| x as f64)
            .collect();
        let s = &mut self.sigma[u * k * k..(u + 1) * k * k];
        let sq: Vec<f64> = (0..k)
            .map(|a| (0..k).map(|b| s[a * k + b] * q[b]).sum())
            .collect();
        let denom = 1.0 + w * q.iter().zip(&sq).map(|(a, b)| a * b).sum::<f64>();
        for a in 0..k {
            for b in 0..k {
                s[a * k + b] -= w * sq[a] * sq[b] / denom;
            }
        }
        if let Some(y) = click {
            // The updated Sigma_u q is sq / denom.
            let step = (y - p) as f64 / denom;
            for (t, v) in self.theta[u * k..(u + 1) * k].iter_mut().zip(&sq) {
                *t += (step * v) as f32;
            }
        }
    }

    /// A draw of `u`'s vector from the posterior, and the scores it gives.
    fn sampled_scores(&self, u: usize, rng: &mut Rng) -> Vec<f32> {
        let k = self.k;
        let l = cholesky(&self.sigma[u * k * k..(u + 1) * k * k], k);
        let z: Vec<f64> = (0..k).map(|_| rng.normal()).collect();
        let theta: Vec<f32> = (0..k)
            .map(|a| {
                self.theta[u * k + a] + (0..=a).map(|b| l[a * k + b] * z[b]).sum::<f64>() as f32
            })
            .collect();
        let m = &self.model;
        (0..m.n_items())
            .map(|i| {
                let bias_sd = (1.0 / self.item_precision[i]).sqrt() as f32;
                m.mu + m.user_bias[u]
                    + m.item_bias[i]
                    + bias_sd * rng.normal() as f32
                    + theta
                        .iter()
                        .zip(m.item_factors.row(i).iter())
                        .map(|(a, b)| a * b)
                        .sum::<f32>()
            })
            .collect()
    }

    /// The item `policy` shows `u` among those `allowed` (`None` if none is), at round `t`.
    pub fn choose(
        &self,
        policy: Policy,
        knobs: &Knobs,
        u: usize,
        allowed: &[bool],
        t: usize,
        rng: &mut Rng,
    ) -> Option<usize> {
        let n_allowed = allowed.iter().filter(|&&a| a).count();
        if n_allowed == 0 {
            return None;
        }
        let random = |rng: &mut Rng| {
            let pick = rng.below(n_allowed);
            allowed
                .iter()
                .enumerate()
                .filter(|(_, &a)| a)
                .nth(pick)
                .map(|(i, _)| i)
        };
        let best_by = |f: &dyn Fn(usize) -> f32| {
            let mut best: Option<(usize, f32)> = None;
            for (i, &a) in allowed.iter().enumerate() {
                if a {
                    let v = f(i);
                    if best.is_none_or(|(_, b)| v > b) {
                        best = Some((i, v));
                    }
                }
            }
            best.map(|(i, _)| i)
        };
        match policy {
            Policy::Random => random(rng),
            Policy::Greedy => best_by(&|i| self.score(u, i)),
            Policy::EpsilonGreedy => {
                let eps = if knobs.decay {
                    knobs.epsilon / (1.0 + t as f32 / 10.0).sqrt()
                } else {
                    knobs.epsilon
                };
                if rng.next_f32() < eps {
                    random(rng)
                } else {
                    best_by(&|i| self.score(u, i))
                }
            }
            Policy::Ucb => best_by(&|i| self.score(u, i) + knobs.ucb_c * self.score_sd(u, i)),
            Policy::Thompson => {
                let s = self.sampled_scores(u, rng);
                best_by(&|i| s[i])
            }
        }
    }
}

/// The lower Cholesky factor of a symmetric positive semi-definite `k x k` matrix (a
/// non-positive pivot, from rounding, gives a zero column).
fn cholesky(a: &[f64], k: usize) -> Vec<f64> {
    let mut l = vec![0.0; k * k];
    for j in 0..k {
        let d = a[j * k + j] - (0..j).map(|m| l[j * k + m] * l[j * k + m]).sum::<f64>();
        if d <= 1e-12 {
            continue;
        }
        let d = d.sqrt();
        l[j * k + j] = d;
        for i in j + 1..k {
            let s = a[i * k + j] - (0..j).map(|m| l[i * k + m] * l[j * k + m]).sum::<f64>();
            l[i * k + j] = s / d;
        }
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Output;

    fn model() -> MfModel {
        let mut m = MfModel::zeros(1, 3, 2, Output::Sigmoid);
        m.item_factors[[0, 0]] = 1.0;
        m.item_factors[[1, 1]] = 1.0;
        m.item_factors[[2, 0]] = 0.7;
        m.item_factors[[2, 1]] = 0.7;
        m.item_bias[2] = 0.1;
        m
    }

    #[test]
    fn observing_shrinks_the_uncertainty_of_what_was_shown_and_moves_the_mean() {
        let mut l = Learner::new(model(), &[]);
        let before = (l.score_sd(0, 0), l.score_sd(0, 1));
        for _ in 0..10 {
            l.observe(0, 0, 1.0);
        }
        assert!(l.score_sd(0, 0) < 0.7 * before.0, "{:?}", l.score_sd(0, 0));
        assert!(
            (l.score_sd(0, 1) - before.1).abs() < 1e-5,
            "an orthogonal item stays unknown"
        );
        assert!(
            l.score(0, 0) > 1.0,
            "clicks raise the estimate: {}",
            l.score(0, 0)
        );
    }

    #[test]
    fn policies_choose_among_allowed_items_only() {
        let l = Learner::new(model(), &[]);
        let knobs = Knobs {
            epsilon: 0.5,
            decay: true,
            ucb_c: 1.0,
        };
        let mut rng = Rng::new(1);
        let allowed = [true, false, true];
        for p in Policy::ALL {
            for t in 0..50 {
                let i = l.choose(p, &knobs, 0, &allowed, t, &mut rng).unwrap();
                assert!(allowed[i], "{p:?} chose {i}");
            }
            assert_eq!(l.choose(p, &knobs, 0, &[false; 3], 0, &mut rng), None);
        }
        // Greedy takes the highest score: item 2 has the bias.
        assert_eq!(
            l.choose(Policy::Greedy, &knobs, 0, &allowed, 0, &mut rng),
            Some(2)
        );
        assert_eq!(Policy::from_name("ucb").unwrap(), Policy::Ucb);
        assert!(Policy::from_name("best").is_err());
    }
}
