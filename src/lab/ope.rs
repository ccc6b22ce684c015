//! Off-policy evaluation: what click-through rate would a **target** policy get, judged only
//! from the log of another, the **logging** policy, that showed items with known probabilities?
//! A site can then try a new policy on yesterday's log instead of on today's users.
//!
//! Each impression of the log is a user `u`, the item `a` the logging policy showed with
//! probability `pi_0(a|u)` (its propensity), and the click `r`. With `w = pi(a|u) / pi_0(a|u)`
//! (how much more often the target would have shown `a`) and a reward model `r^(u, a)` (here the
//! lab's own model's click probability):
//!
//! * **naive**: the log's own CTR, the logging policy's, not the target's at all;
//! * **IPS**, inverse propensity scoring (Horvitz & Thompson 1952; Li et al. 2011):
//!   `mean(w r)`: unbiased whenever the logging policy can show every item the target would,
//!   but an impression of an item the logging policy rarely shows weighs `1 / pi_0`, so its
//!   estimates swing;
//! * **SNIPS**, self-normalised IPS (Swaminathan & Joachims 2015): `sum(w r) / sum(w)`: a little
//!   bias for much less spread;
//! * **DM**, the direct method: `mean over logged users of sum_a pi(a|u) r^(u, a)`: the reward
//!   model's opinion, steady but as wrong as the model;
//! * **DR**, doubly robust (Dudik, Langford & Li 2011): DM plus IPS of the model's errors,
//!   `mean(sum_a pi(a|u) r^(u, a) + w (r - r^(u, a)))`: unbiased like IPS when the propensities
//!   are right, and with less spread the better the model is.
//!
//! The world knows the target's true CTR (`mean over users of sum_a pi(a|u) p(u, a)`), so each
//! estimator's bias and spread over many logs (seeds) can be drawn beside it. The policies are
//! those whose propensities are known exactly: uniform, epsilon-greedy and greedy on the model's
//! scores, and a softmax of them (Thompson sampling's would have to be estimated by sampling).

use super::World;
use crate::error::{Error, Result};
use crate::model::MfModel;
use crate::rng::Rng;

/// A policy whose probability of showing each item is known.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Every item alike.
    Uniform,
    /// The model's best item, or with probability epsilon a uniformly random one.
    EpsilonGreedy,
    /// The model's best item always.
    Greedy,
    /// Item `a` in proportion to `exp(score(u, a) / temperature)`.
    Softmax,
}

/// A policy and its knob: epsilon for epsilon-greedy, the temperature for softmax.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Stochastic {
    pub kind: Kind,
    #[serde(default)]
    pub epsilon: f32,
    #[serde(default = "one")]
    pub temperature: f32,
}

fn one() -> f32 {
    1.0
}

impl Stochastic {
    fn check(&self, what: &'static str) -> Result<()> {
        if !(0.0..=1.0).contains(&self.epsilon) {
            return Err(Error::invalid(
                what,
                self.epsilon,
                "epsilon must lie between 0 and 1",
            ));
        }
        if self.kind == Kind::Softmax && !(self.temperature > 0.0 && self.temperature.is_finite()) {
            return Err(Error::invalid(
                what,
                self.temperature,
                "the softmax temperature must be positive",
            ));
        }
        Ok(())
    }

    /// A policy from its name and knob, as the command line gives it: `uniform`, `greedy`,
    /// `epsilon-greedy=0.3`, `softmax=0.5` (the temperature).
    pub fn parse(s: &str) -> Result<Stochastic> {
        let (name, knob) = match s.split_once('=') {
            Some((n, k)) => (n.trim(), Some(k.trim())),
            None => (s.trim(), None),
        };
        let value = |what: &'static str| -> Result<f32> {
            let k = knob.ok_or_else(|| {
                Error::invalid("policy", s, format!("give its {what}: {name}=VALUE"))
            })?;
            k.parse::<f32>()
                .map_err(|_| Error::invalid("policy", s, format!("its {what} is not a number")))
        };
        let p = match name {
            "uniform" => Stochastic {
                kind: Kind::Uniform,
                epsilon: 0.0,
                temperature: 1.0,
            },
            "greedy" => Stochastic {
                kind: Kind::Greedy,
                epsilon: 0.0,
                temperature: 1.0,
            },
            "epsilon-greedy" => Stochastic {
                kind: Kind::EpsilonGreedy,
                epsilon: value("epsilon")?,
                temperature: 1.0,
            },
            "softmax" => Stochastic {
                kind: Kind::Softmax,
                epsilon: 0.0,
                temperature: value("temperature")?,
            },
            _ => {
                return Err(Error::invalid(
                    "policy",
                    s,
                    "choose uniform, greedy, epsilon-greedy=EPSILON or softmax=TEMPERATURE",
                ))
            }
        };
        if knob.is_some() && matches!(p.kind, Kind::Uniform | Kind::Greedy) {
            return Err(Error::invalid(
                "policy",
                s,
                format!("{name} takes no value"),
            ));
        }
        p.check("policy")?;
        Ok(p)
    }

    /// Whether the policy shows only the model's best item.
    fn only_best(&self) -> bool {
        self.kind == Kind::Greedy || (self.kind == Kind::EpsilonGreedy && self.epsilon == 0.0)
    }

    /// What the policy is, in words.
    pub fn describe(&self) -> String {
        match self.kind {
            Kind::Uniform => "uniform".into(),
            Kind::EpsilonGreedy => format!("epsilon-greedy {}", self.epsilon),
            Kind::Greedy => "greedy".into(),
            Kind::Softmax => format!("softmax, temperature {}", self.temperature),
        }
    }
}

/// How to estimate.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpeConfig {
    pub logging: Stochastic,
    pub target: Stochastic,
    /// Impressions in each log.
    pub impressions: usize,
    /// Logs drawn (each from its own seed): the estimators' spread.
    pub logs: usize,
    pub seed: u64,
}

impl Default for OpeConfig {
    fn default() -> Self {
        OpeConfig {
            logging: Stochastic {
                kind: Kind::EpsilonGreedy,
                epsilon: 0.3,
                temperature: 1.0,
            },
            target: Stochastic {
                kind: Kind::Greedy,
                epsilon: 0.0,
                temperature: 1.0,
            },
            impressions: 2_000,
            logs: 30,
            seed: 1,
        }
    }
}

/// One estimator over the logs: each log's estimate, and how far they fall from the truth.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Estimator {
    pub name: &'static str,
    pub estimates: Vec<f64>,
    pub mean: f64,
    /// `mean - true CTR`.
    pub bias: f64,
    /// The standard deviation of the estimates over the logs.
    pub spread: f64,
    /// The root mean square of `estimate - true CTR`: bias and spread together.
    pub rmse: f64,
}

/// The estimators beside the truth.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpeReport {
    /// The target policy's true CTR on this world.
    pub true_ctr: f64,
    /// The logging policy's true CTR.
    pub logging_ctr: f64,
    /// The largest weight `pi / pi_0` an impression can have (over every user and item): how
    /// lopsided the logs can be.
    pub max_weight: f64,
    pub impressions: usize,
    pub logs: usize,
    pub estimators: Vec<Estimator>,
}

/// One user, as the estimates need them: the model's best item, the softmax's maximum and its
/// normalisers at both policies' temperatures, and sums over items: the target's and the
/// logging policy's true CTR, the model's CTR for the target, the largest weight.
struct User {
    best: usize,
    max: f64,
    z_logging: f64,
    z_target: f64,
    target_truth: f64,
    logging_truth: f64,
    target_model: f64,
    /// The largest `pi / pi_0` over the user's items.
    max_weight: f64,
}

/// The probability that `p` shows item `a` of `n` to a user whose best item is `best`, whose
/// scores' maximum is `max` and softmax normaliser `z`.
fn prob(p: &Stochastic, a: usize, score: f64, n: usize, best: usize, max: f64, z: f64) -> f64 {
    let uniform = 1.0 / n as f64;
    match p.kind {
        Kind::Uniform => uniform,
        Kind::Greedy => (a == best) as u8 as f64,
        Kind::EpsilonGreedy => {
            let e = p.epsilon as f64;
            e * uniform + (1.0 - e) * (a == best) as u8 as f64
        }
        Kind::Softmax => ((score - max) / p.temperature as f64).exp() / z,
    }
}

/// Estimates the target's CTR from `cfg.logs` logs of the logging policy on `world`, both
/// policies choosing by `model`'s scores, and DM and DR using its click probabilities.
pub fn estimate(world: &World, model: &MfModel, cfg: &OpeConfig) -> Result<OpeReport> {
    cfg.logging.check("logging")?;
    cfg.target.check("target")?;
    if cfg.impressions == 0 || cfg.logs < 2 {
        return Err(Error::invalid(
            "impressions",
            cfg.impressions.min(cfg.logs),
            "each log needs at least one impression, and the spread at least two logs",
        ));
    }
    if cfg.impressions.saturating_mul(cfg.logs) > 10_000_000 {
        return Err(Error::invalid(
            "impressions",
            cfg.impressions,
            "impressions x logs must be at most 10,000,000",
        ));
    }
    let (nu, ni) = (world.n_users(), world.n_items());
    if model.n_users() != nu || model.n_items() != ni {
        return Err(Error::invalid(
            "model",
            format!("{} x {}", model.n_users(), model.n_items()),
            format!("does not fit the world's {nu} users x {ni} items"),
        ));
    }
    // The target must never show what the logging policy cannot: IPS would be blind there.
    if cfg.logging.only_best() && !cfg.target.only_best() {
        return Err(Error::invalid(
            "logging",
            cfg.logging.describe(),
            "shows only its best item, so the log says nothing of the other items the target would show: give the logging policy some exploration (epsilon above 0, uniform or softmax)",
        ));
    }
    // What depends only on the user, once: O(users x items).
    let users = crate::parallel::map((0..nu).collect(), |u: usize| {
        let scores: Vec<f64> = (0..ni).map(|i| model.score(u, i) as f64).collect();
        let mut best = 0;
        for i in 1..ni {
            if scores[i] > scores[best] {
                best = i;
            }
        }
        let max = scores[best];
        let z = |p: &Stochastic| {
            scores
                .iter()
                .map(|s| ((s - max) / p.temperature as f64).exp())
                .sum::<f64>()
        };
        let (zl, zt) = (z(&cfg.logging), z(&cfg.target));
        let (mut tt, mut lt, mut tm, mut mw) = (0.0, 0.0, 0.0, 0.0f64);
        for (i, &s) in scores.iter().enumerate() {
            let pt = prob(&cfg.target, i, s, ni, best, max, zt);
            let pl = prob(&cfg.logging, i, s, ni, best, max, zl);
            tt += pt * world.prob(u, i) as f64;
            lt += pl * world.prob(u, i) as f64;
            tm += pt * model.predict(u, i) as f64;
            if pl > 0.0 {
                mw = mw.max(pt / pl);
            }
        }
        User {
            best,
            max,
            z_logging: zl,
            z_target: zt,
            target_truth: tt,
            logging_truth: lt,
            target_model: tm,
            max_weight: mw,
        }
    });
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let over_users = |f: fn(&User) -> f64| users.iter().map(f).sum::<f64>() / nu as f64;
    let true_ctr = over_users(|x| x.target_truth);
    let logging_ctr = over_users(|x| x.logging_truth);
    let max_weight = users.iter().map(|x| x.max_weight).fold(0.0, f64::max);
    // Each log from its own seed, so the logs go on the threads there are and give the same
    // numbers on any number of them.
    let per_log = crate::parallel::map((0..cfg.logs).collect(), |log: usize| {
        let mut rng = Rng::new(cfg.seed.wrapping_mul(2_000_003).wrapping_add(log as u64));
        let (mut clicks, mut ips, mut w_sum, mut dm, mut dr) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for _ in 0..cfg.impressions {
            let u = rng.below(nu);
            let user = &users[u];
            let best = user.best;
            // The logging policy's choice.
            let a = match cfg.logging.kind {
                Kind::Uniform => rng.below(ni),
                Kind::Greedy => best,
                Kind::EpsilonGreedy => {
                    if rng.next_f64() < cfg.logging.epsilon as f64 {
                        rng.below(ni)
                    } else {
                        best
                    }
                }
                Kind::Softmax => {
                    let mut x = rng.next_f64() * user.z_logging;
                    let mut pick = ni - 1;
                    for i in 0..ni {
                        x -= ((model.score(u, i) as f64 - user.max)
                            / cfg.logging.temperature as f64)
                            .exp();
                        if x <= 0.0 {
                            pick = i;
                            break;
                        }
                    }
                    pick
                }
            };
            let r = (rng.next_f64() < world.prob(u, a) as f64) as u8 as f64;
            let s = model.score(u, a) as f64;
            let p0 = prob(&cfg.logging, a, s, ni, best, user.max, user.z_logging);
            let p1 = prob(&cfg.target, a, s, ni, best, user.max, user.z_target);
            let w = p1 / p0;
            let guess = model.predict(u, a) as f64;
            clicks += r;
            ips += w * r;
            w_sum += w;
            dm += user.target_model;
            dr += user.target_model + w * (r - guess);
        }
        let n = cfg.impressions as f64;
        [
            clicks / n,
            ips / n,
            if w_sum > 0.0 { ips / w_sum } else { 0.0 },
            dm / n,
            dr / n,
        ]
    });
    let names = ["naive", "ips", "snips", "dm", "dr"];
    let estimators = names
        .iter()
        .enumerate()
        .map(|(j, &name)| {
            let estimates: Vec<f64> = per_log.iter().map(|e| e[j]).collect();
            let m = mean(&estimates);
            let var = estimates.iter().map(|x| (x - m).powi(2)).sum::<f64>()
                / (estimates.len() - 1) as f64;
            let mse = estimates
                .iter()
                .map(|x| (x - true_ctr).powi(2))
                .sum::<f64>()
                / estimates.len() as f64;
            Estimator {
                name,
                estimates,
                mean: m,
                bias: m - true_ctr,
                spread: var.sqrt(),
                rmse: mse.sqrt(),
            }
        })
        .collect();
    Ok(OpeReport {
        true_ctr,
        logging_ctr,
        max_weight,
        impressions: cfg.impressions,
        logs: cfg.logs,
        estimators,
    })
}

#[cfg(test)]
#[path = "ope_tests.rs"]
mod tests;
