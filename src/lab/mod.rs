//! The exploration-vs-exploitation lab: a feedback loop between a recommender and simulated
//! users.
//!
//! Each round, a sample of users arrives; each is shown one item chosen by a [`Policy`] from the
//! current model's scores; the [`World`] decides whether they click (with the probability their
//! hidden true preferences give); the impression, click or not, is appended to the log; every
//! `retrain_every` rounds the model is retrained on the log for a few epochs. All of it is
//! seeded: the same configuration gives the same run.
//!
//! Two set-ups share the loop:
//!
//! * **compare**: every policy serves the same users in the same order from the same start, so
//!   their curves differ only by what they chose (clicks use common random numbers: the same
//!   user shown the same item in the same round clicks in every arm or in none);
//! * **A/B test**: each request (a user in a round) goes to configuration A or B with
//!   probability 1/2, and each learns only from its own traffic; [`ab::interval`] gives the CTR
//!   difference with its confidence interval as it evolves, and [`ab::aa_peeking`] shows what
//!   stopping at the first significant look does to the error rate.
//!
//! Per round the lab reports click-through rate, cumulative regret against the oracle (the
//! best allowed item for each user under the truth, so regret is never negative), catalogue
//! coverage (share of items shown at least once) and the Gini coefficient of exposure (0: every
//! item shown equally often; near 1: a few items get all impressions).

pub mod ab;
pub mod ope;
pub mod policy;
pub mod world;

use crate::data::{DuplicatePolicy, Feedback, RatingsBuilder};
use crate::error::{Error, Result};
use crate::model::MfModel;
use crate::rng::{Fnv1a, Rng};
use crate::train::{Loss, Optimizer, TrainParams, Trainer};

pub use policy::{Knobs, Learner, Policy};
pub use world::World;

/// How the lab runs.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct LabConfig {
    /// Users who arrive each round (each is shown one item).
    pub users_per_round: usize,
    /// Random impressions per user before the loop starts: the log the first model learns from.
    pub warm_impressions: usize,
    /// Share of the catalogue that is new: absent from the warm-up log, so the first model
    /// knows nothing of it (cold-start items; a reason to explore).
    pub new_items: f64,
    /// Retrain the model every this many rounds (0: never; the model stays as first trained).
    pub retrain_every: usize,
    /// Epochs of each retraining (warm-started from the current model).
    pub retrain_epochs: usize,
    /// Epochs of the first training on the warm-up log.
    pub initial_epochs: usize,
    pub n_factors: usize,
    pub learning_rate: f32,
    pub reg: f32,
    /// Update each user's posterior after every impression (between retrains).
    pub online: bool,
    /// A clicked item is not shown to that user again.
    pub consume: bool,
    pub epsilon: f32,
    pub decay: bool,
    pub ucb_c: f32,
    pub seed: u64,
}

impl Default for LabConfig {
    fn default() -> Self {
        LabConfig {
            users_per_round: 50,
            warm_impressions: 3,
            new_items: 0.3,
            retrain_every: 10,
            retrain_epochs: 5,
            initial_epochs: 30,
            n_factors: 8,
            learning_rate: 0.05,
            reg: 0.05,
            online: true,
            consume: true,
            epsilon: 0.1,
            decay: false,
            // 1.5 standard deviations: on the default world UCB ends below greedy's regret on
            // 30 of 30 seeds tried (1.0: 17 of 20 past the first ten).
            ucb_c: 1.5,
            seed: 7,
        }
    }
}

impl LabConfig {
    fn check(&self) -> Result<()> {
        if self.users_per_round == 0 || self.users_per_round > 10_000 {
            return Err(Error::invalid(
                "users_per_round",
                self.users_per_round,
                "must be 1 to 10,000",
            ));
        }
        if self.warm_impressions > 1_000 {
            return Err(Error::invalid(
                "warm_impressions",
                self.warm_impressions,
                "must be at most 1,000",
            ));
        }
        if self.retrain_epochs > 1_000 || self.initial_epochs > 1_000 {
            return Err(Error::invalid(
                "retrain_epochs",
                self.retrain_epochs.max(self.initial_epochs),
                "epochs must be at most 1,000",
            ));
        }
        if !(0.0..1.0).contains(&self.new_items) {
            return Err(Error::invalid(
                "new_items",
                self.new_items,
                "must be in 0..1 (below 1: some items need a history)",
            ));
        }
        if !(0.0..=1.0).contains(&self.epsilon) {
            return Err(Error::invalid("epsilon", self.epsilon, "must be in 0..1"));
        }
        if !(self.ucb_c >= 0.0 && self.ucb_c <= 100.0) {
            return Err(Error::invalid("ucb_c", self.ucb_c, "must be in 0..100"));
        }
        self.train_params().check().map(|_| ())
    }

    fn train_params(&self) -> TrainParams {
        TrainParams::new(self.n_factors)
            .loss(Loss::Logistic)
            .optimizer(Optimizer::ADAM)
            .learning_rate(self.learning_rate)
            .reg(self.reg)
            .seed(self.seed)
    }

    fn knobs(&self) -> Knobs {
        Knobs {
            epsilon: self.epsilon,
            decay: self.decay,
            ucb_c: self.ucb_c,
        }
    }
}

/// One arm's figures after a round.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundStats {
    pub name: String,
    pub round: usize,
    pub impressions: u64,
    pub clicks: u64,
    /// Clicks / impressions so far.
    pub ctr: f64,
    /// This round's clicks / impressions.
    pub round_ctr: f64,
    /// Mean true click probability of what was shown so far (CTR without the coin flips).
    pub expected_ctr: f64,
    /// Sum over impressions of (the oracle's click probability - the shown item's).
    pub regret: f64,
    /// Share of the catalogue shown at least once.
    pub coverage: f64,
    /// Gini coefficient of the impressions per item.
    pub gini: f64,
}

/// One configuration in the loop: a policy with its own model, log and figures.
#[derive(Debug, Clone)]
pub struct Arm {
    name: String,
    policy: Policy,
    learner: Learner,
    log: Vec<(u32, u32, f32)>,
    /// `n_users x n_items`: clicked already (with `consume`, not shown again).
    clicked: Vec<bool>,
    exposure: Vec<u64>,
    impressions: u64,
    clicks: u64,
    expected: f64,
    regret: f64,
    round_impressions: u64,
    round_clicks: u64,
    rng: Rng,
}

impl Arm {
    fn stats(&self, round: usize) -> RoundStats {
        let ratio = |a: f64, b: u64| if b == 0 { 0.0 } else { a / b as f64 };
        RoundStats {
            name: self.name.clone(),
            round,
            impressions: self.impressions,
            clicks: self.clicks,
            ctr: ratio(self.clicks as f64, self.impressions),
            round_ctr: ratio(self.round_clicks as f64, self.round_impressions),
            expected_ctr: ratio(self.expected, self.impressions),
            regret: self.regret,
            coverage: self.exposure.iter().filter(|&&e| e > 0).count() as f64
                / self.exposure.len() as f64,
            gini: gini(&self.exposure),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// The arm's current model.
    pub fn model(&self) -> &MfModel {
        &self.learner.model
    }
}

/// How requests reach the arms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Routing {
    /// Every arm serves every user (a comparison).
    All,
    /// Each request goes to one arm at random (an A/B test).
    Split,
}

/// The loop: a world, the arms and the round counter.
#[derive(Debug, Clone)]
pub struct Lab {
    world: World,
    cfg: LabConfig,
    arms: Vec<Arm>,
    routing: Routing,
    round: usize,
    users: Rng,
    /// The model trained on the warm-up log, before any arm served anyone.
    first: MfModel,
}

/// The start every arm shares: a few random impressions per user of the items that are not
/// new (the warm-up log), which of them were clicked, and the model trained on it.
struct Warm {
    model: MfModel,
    log: Vec<(u32, u32, f32)>,
    clicked: Vec<bool>,
}

impl Warm {
    fn up(world: &World, cfg: &LabConfig) -> Result<Warm> {
        let (nu, ni) = (world.n_users(), world.n_items());
        // The warm-up log: a few random impressions per user of the items that are not new,
        // clicks drawn from the truth. The new items are a seeded random share of the catalogue.
        let mut rng = Rng::new(cfg.seed ^ 0x5eed_1ab0);
        let mut old: Vec<usize> = (0..ni).collect();
        rng.shuffle(&mut old);
        old.truncate((ni - (cfg.new_items * ni as f64).round() as usize).max(1));
        let mut log = Vec::with_capacity(nu * cfg.warm_impressions);
        let mut clicked = vec![false; nu * ni];
        for u in 0..nu {
            for _ in 0..cfg.warm_impressions.min(old.len()) {
                let i = old[rng.below(old.len())];
                let y = (rng.next_f32() < world.prob(u, i)) as u8 as f32;
                if y == 1.0 {
                    clicked[u * ni + i] = true;
                }
                log.push((u as u32, i as u32, y));
            }
        }
        let model = retrain(None, &log, nu, ni, cfg, cfg.initial_epochs)?;
        Ok(Warm {
            model,
            log,
            clicked,
        })
    }
}

/// The model the lab starts from on `world` with `cfg` (trained on its warm-up log): what
/// `mfp simulate --off-policy` needs of a lab, without its arms.
pub fn warm_model(world: &World, cfg: &LabConfig) -> Result<MfModel> {
    cfg.check()?;
    Ok(Warm::up(world, cfg)?.model)
}

impl Lab {
    /// Every policy in `policies` serves every arriving user, from the same start.
    pub fn compare(world: World, cfg: LabConfig, policies: &[Policy]) -> Result<Lab> {
        if policies.is_empty() {
            return Err(Error::invalid("policies", "none", "choose at least one"));
        }
        let arms: Vec<(String, Policy)> = policies
            .iter()
            .map(|p| (p.name().to_string(), *p))
            .collect();
        Lab::new(world, cfg, arms, Routing::All)
    }

    /// An A/B test: requests split at random between policy `a` and policy `b`.
    pub fn ab(world: World, cfg: LabConfig, a: Policy, b: Policy) -> Result<Lab> {
        let arms = vec![
            (format!("A: {}", a.name()), a),
            (format!("B: {}", b.name()), b),
        ];
        Lab::new(world, cfg, arms, Routing::Split)
    }

    fn new(
        world: World,
        cfg: LabConfig,
        arms: Vec<(String, Policy)>,
        routing: Routing,
    ) -> Result<Lab> {
        cfg.check()?;
        let ni = world.n_items();
        let Warm {
            model,
            log,
            clicked,
        } = Warm::up(&world, &cfg)?;
        let first = model.clone();
        let learner = Learner::new(model, &log);
        let arms = arms
            .into_iter()
            // Each arm's randomness is its own stream, named by the arm: a policy draws the same
            // numbers whichever others run beside it.
            .map(|(name, policy)| Arm {
                rng: Rng::new(cfg.seed ^ Fnv1a::of(&name)),
                name,
                policy,
                learner: learner.clone(),
                log: log.clone(),
                clicked: clicked.clone(),
                exposure: vec![0; ni],
                impressions: 0,
                clicks: 0,
                expected: 0.0,
                regret: 0.0,
                round_impressions: 0,
                round_clicks: 0,
            })
            .collect();
        Ok(Lab {
            users: Rng::new(cfg.seed ^ 0x05e5),
            world,
            cfg,
            arms,
            routing,
            round: 0,
            first,
        })
    }

    /// The model trained on the warm-up log: what a site has before it starts to explore.
    pub fn first_model(&self) -> &MfModel {
        &self.first
    }

    pub fn arms(&self) -> &[Arm] {
        &self.arms
    }

    pub fn round(&self) -> usize {
        self.round
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    /// The figures of every arm now.
    pub fn stats(&self) -> Vec<RoundStats> {
        self.arms.iter().map(|a| a.stats(self.round)).collect()
    }

    /// Runs one round; returns every arm's figures after it.
    pub fn step(&mut self) -> Result<Vec<RoundStats>> {
        let (nu, ni) = (self.world.n_users(), self.world.n_items());
        let t = self.round;
        // The users who arrive: distinct, the same for every arm.
        let mut order: Vec<usize> = (0..nu).collect();
        let n = self.cfg.users_per_round.min(nu);
        for j in 0..n {
            let pick = j + self.users.below(nu - j);
            order.swap(j, pick);
        }
        let knobs = self.cfg.knobs();
        let n_arms = self.arms.len();
        for arm in &mut self.arms {
            arm.round_impressions = 0;
            arm.round_clicks = 0;
        }
        let mut allowed = vec![true; ni];
        for &u in &order[..n] {
            let targets: Vec<usize> = match self.routing {
                Routing::All => (0..n_arms).collect(),
                Routing::Split => {
                    vec![(mix(self.cfg.seed ^ 0xab, t as u64, u as u64, 0) & 1) as usize]
                }
            };
            for a in targets {
                let arm = &mut self.arms[a];
                for (i, slot) in allowed.iter_mut().enumerate() {
                    *slot = !(self.cfg.consume && arm.clicked[u * ni + i]);
                }
                let Some(i) = arm
                    .learner
                    .choose(arm.policy, &knobs, u, &allowed, t, &mut arm.rng)
                else {
                    continue; // this user has clicked everything
                };
                let p = self.world.prob(u, i);
                let best = self.world.best(u, |j| allowed[j]).map_or(p, |(_, b)| b);
                // Common random numbers: the same user, item and round click alike in every arm.
                let coin = (mix(self.cfg.seed, t as u64, u as u64, i as u64) >> 40) as f32
                    / (1u64 << 24) as f32;
                let y = (coin < p) as u8 as f32;
                arm.impressions += 1;
                arm.round_impressions += 1;
                arm.exposure[i] += 1;
                arm.expected += p as f64;
                arm.regret += (best - p).max(0.0) as f64;
                if y == 1.0 {
                    arm.clicks += 1;
                    arm.round_clicks += 1;
                    arm.clicked[u * ni + i] = true;
                }
                arm.log.push((u as u32, i as u32, y));
                if self.cfg.online {
                    arm.learner.observe(u, i, y);
                }
            }
        }
        self.round += 1;
        if self.cfg.retrain_every > 0 && self.round.is_multiple_of(self.cfg.retrain_every) {
            for arm in &mut self.arms {
                let model = retrain(
                    Some(arm.learner.model.clone()),
                    &arm.log,
                    nu,
                    ni,
                    &self.cfg,
                    self.cfg.retrain_epochs,
                )?;
                arm.learner = Learner::new(model, &arm.log);
            }
        }
        Ok(self.stats())
    }

    /// For a frozen lab (no retraining, no online updates, nothing consumed): each arm's true
    /// expected CTR, where its policy has no randomness (greedy, random). `None` otherwise.
    pub fn frozen_true_ctr(&self) -> Vec<Option<f64>> {
        let frozen = self.cfg.retrain_every == 0 && !self.cfg.online && !self.cfg.consume;
        let (nu, ni) = (self.world.n_users(), self.world.n_items());
        self.arms
            .iter()
            .map(|arm| {
                if !frozen {
                    return None;
                }
                let per_user = |u: usize| -> Option<f64> {
                    match arm.policy {
                        Policy::Random => Some(
                            (0..ni).map(|i| self.world.prob(u, i) as f64).sum::<f64>() / ni as f64,
                        ),
                        Policy::Greedy => {
                            let all = vec![true; ni];
                            let knobs = self.cfg.knobs();
                            let mut rng = Rng::new(0);
                            arm.learner
                                .choose(Policy::Greedy, &knobs, u, &all, 0, &mut rng)
                                .map(|i| self.world.prob(u, i) as f64)
                        }
                        _ => None,
                    }
                };
                let mut sum = 0.0;
                for u in 0..nu {
                    sum += per_user(u)?;
                }
                Some(sum / nu as f64)
            })
            .collect()
    }
}

/// Trains (or, given a model, goes on training) on the log, as implicit 0/1 data where a later
/// impression of the same pair replaces an earlier one.
fn retrain(
    start: Option<MfModel>,
    log: &[(u32, u32, f32)],
    nu: usize,
    ni: usize,
    cfg: &LabConfig,
    epochs: usize,
) -> Result<MfModel> {
    let mut b = RatingsBuilder::new(Feedback::Implicit).duplicates(DuplicatePolicy::KeepLast);
    let users: Vec<String> = (0..nu).map(|u| format!("u{u}")).collect();
    let items: Vec<String> = (0..ni).map(|i| format!("i{i}")).collect();
    for u in &users {
        b.add_user(u);
    }
    for i in &items {
        b.add_item(i);
    }
    for &(u, i, y) in log {
        b.push(&users[u as usize], &items[i as usize], y)?;
    }
    let data = b.build()?;
    let params = cfg.train_params();
    let mut t = match start {
        Some(m) => Trainer::with_model(data, params, m)?,
        None => Trainer::new(data, params)?,
    };
    let before = t.model().clone();
    for _ in 0..epochs {
        if t.step().diverged {
            // Keep serving with the last sound model rather than with NaNs.
            return Ok(before);
        }
    }
    Ok(t.model().clone())
}

/// Gini coefficient of non-negative counts (0 for equal counts or no counts).
pub fn gini(counts: &[u64]) -> f64 {
    let n = counts.len();
    let total: u64 = counts.iter().sum();
    if n == 0 || total == 0 {
        return 0.0;
    }
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let weighted: f64 = sorted
        .iter()
        .enumerate()
        .map(|(k, &c)| (k as f64 + 1.0) * c as f64)
        .sum();
    (2.0 * weighted) / (n as f64 * total as f64) - (n as f64 + 1.0) / n as f64
}

/// A 64-bit hash of four numbers (splitmix64 steps): seeded, stateless randomness.
fn mix(a: u64, b: u64, c: u64, d: u64) -> u64 {
    let mut x = a;
    for v in [b, c, d] {
        x = x.wrapping_add(v).wrapping_add(0x9e37_79b9_7f4a_7c15);
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^= x >> 31;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gini_is_zero_for_equal_exposure_and_near_one_for_one_item() {
        assert_eq!(gini(&[5, 5, 5, 5]), 0.0);
        let g = gini(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 100]);
        assert!((g - 0.9).abs() < 1e-9, "{g}");
        assert_eq!(gini(&[0, 0]), 0.0);
    }
}
