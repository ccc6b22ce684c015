//! `mfp simulate`: the exploration lab on the command line.

use serde_json::json;

use mf_playground::lab::ope::{self, OpeConfig, Stochastic};
use mf_playground::lab::{self, ab, Lab, LabConfig, Policy, RoundStats, World};
use mf_playground::model_file::Saved;

use clap::Args;

use crate::common::{load_model, Fail};

/// The exploration lab: policies, feedback loop, A/B tests on simulated users.
///
/// Each round some users of a simulated world are shown one item each, chosen by each policy
/// from its model; they click with the probability their true taste gives; the models learn from
/// the clicks. Prints each policy's CTR, cumulative regret, coverage and exposure Gini at the end
/// (with --json: one JSON object per round and policy, and for an A/B test one per round with
/// the interval of B - A). The world is generated (its size, genres and seed are flags) or a
/// saved model treated as the truth (--truth).
#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// Comma-separated: greedy, epsilon-greedy, ucb, thompson, random [default: all]
    #[arg(long, value_name = "LIST", conflicts_with_all = ["ab", "aa_peeking"])]
    pub policies: Option<String>,
    /// An A/B test of two policies instead, A,B
    #[arg(long, value_name = "A,B", conflicts_with = "aa_peeking")]
    pub ab: Option<String>,
    /// A/A tests on the world, this many, with and without stopping early
    #[arg(long, value_name = "RUNS")]
    pub aa_peeking: Option<usize>,
    /// Off-policy estimates instead: LOGGING,TARGET (uniform, greedy, epsilon-greedy=E,
    /// softmax=T), from --logs logs of --impressions each on the world, both policies choosing by
    /// the model trained on the warm-up log
    #[arg(long, value_name = "LOGGING,TARGET", conflicts_with_all = ["policies", "ab", "aa_peeking"])]
    pub off_policy: Option<String>,
    /// Off-policy: impressions in each log
    #[arg(long, default_value_t = OpeConfig::default().impressions)]
    pub impressions: usize,
    /// Off-policy: logs drawn
    #[arg(long, default_value_t = OpeConfig::default().logs)]
    pub logs: usize,
    /// Rounds to run
    #[arg(long, default_value_t = 300)]
    pub rounds: usize,
    /// Users arriving each round
    #[arg(long, default_value_t = LabConfig::default().users_per_round)]
    pub users_per_round: usize,
    /// Retrain every N rounds, 0 never
    #[arg(long, value_name = "N", default_value_t = LabConfig::default().retrain_every)]
    pub retrain_every: usize,
    /// Epochs per retraining
    #[arg(long, value_name = "N", default_value_t = LabConfig::default().retrain_epochs)]
    pub retrain_epochs: usize,
    /// Random impressions per user before the loop
    #[arg(long, value_name = "N", default_value_t = LabConfig::default().warm_impressions)]
    pub warm: usize,
    /// Share of items with no history at the start
    #[arg(long, allow_negative_numbers = true, value_name = "SHARE", default_value_t = LabConfig::default().new_items)]
    pub new_items: f64,
    /// The learner's factors
    #[arg(long, value_name = "K", default_value_t = LabConfig::default().n_factors)]
    pub factors: usize,
    /// Epsilon-greedy's epsilon
    #[arg(long, allow_negative_numbers = true, default_value_t = LabConfig::default().epsilon)]
    pub epsilon: f32,
    /// Epsilon / sqrt(1 + round / 10)
    #[arg(long)]
    pub decay: bool,
    /// UCB's multiple of the score's standard deviation
    #[arg(long, allow_negative_numbers = true, value_name = "C", default_value_t = LabConfig::default().ucb_c)]
    pub ucb_c: f32,
    /// A clicked item may be shown to the same user again
    #[arg(long)]
    pub no_consume: bool,
    /// No retraining and no online updates (a fixed model)
    #[arg(long)]
    pub frozen: bool,
    /// Seed of the loop
    #[arg(long, default_value_t = LabConfig::default().seed)]
    pub seed: u64,
    /// Generated world: users
    #[arg(long, value_name = "N", default_value_t = World::DEFAULT_SIZE.0)]
    pub world_users: usize,
    /// Generated world: items
    #[arg(long, value_name = "N", default_value_t = World::DEFAULT_SIZE.1)]
    pub world_items: usize,
    /// Generated world: genres
    #[arg(long, value_name = "N", default_value_t = World::DEFAULT_SIZE.2)]
    pub world_genres: usize,
    /// Generated world: seed
    #[arg(long, value_name = "SEED", default_value_t = 1)]
    pub world_seed: u64,
    /// A model saved by mfp train --save, used as the true preferences
    #[arg(long, value_name = "FILE", conflicts_with_all = ["world_users", "world_items", "world_genres", "world_seed"])]
    pub truth: Option<String>,
    /// JSON lines
    #[arg(long)]
    pub json: bool,
}

fn policy_list(s: &str) -> Result<Vec<Policy>, Fail> {
    s.split(',')
        .map(|p| Policy::from_name(p.trim()).map_err(|e| Fail::Input(e.to_string())))
        .collect()
}

pub fn run(a: &SimulateArgs) -> Result<(), Fail> {
    let d = LabConfig::default();
    let cfg = LabConfig {
        users_per_round: a.users_per_round,
        retrain_every: if a.frozen { 0 } else { a.retrain_every },
        retrain_epochs: a.retrain_epochs,
        warm_impressions: a.warm,
        new_items: a.new_items,
        n_factors: a.factors,
        epsilon: a.epsilon,
        decay: a.decay,
        ucb_c: a.ucb_c,
        consume: !a.no_consume,
        online: !a.frozen,
        seed: a.seed,
        ..d
    };
    let world = match &a.truth {
        Some(path) => {
            let saved = load_model(path, None)?;
            match &saved {
                Saved::Mf(s) => World::from_model(
                    &s.model,
                    s.model
                        .clip
                        .map(|(min, max)| mf_playground::data::Scale { min, max }),
                ),
                // A network file keeps no scale: ratings are read around 3, as on 1-5 stars.
                Saved::Network(s) => {
                    let net = &s.network;
                    World::from_predictions(
                        net.n_users,
                        net.n_items,
                        net.output == mf_playground::model::Output::Sigmoid,
                        None,
                        |u, i| net.predict(u, i),
                    )
                }
            }
            .map_err(|e| Fail::Input(format!("{path}: {e}")))?
        }
        None => World::generated(a.world_users, a.world_items, a.world_genres, a.world_seed)
            .map_err(|e| Fail::Input(e.to_string()))?,
    };
    let rounds = a.rounds;
    let json = a.json;
    if let Some(runs) = a.aa_peeking {
        let p = ab::aa_peeking(&world, cfg.users_per_round, rounds, runs, cfg.seed)
            .map_err(|e| Fail::Input(format!("--aa-peeking: {e}")))?;
        if json {
            println!(
                "{}",
                json!({ "runs": p.runs, "rounds": p.rounds, "false_alarms_at_end": p.false_alarms_at_end,
                "false_alarms_peeking": p.false_alarms_peeking })
            );
        } else {
            println!(
                "{runs} A/A tests of {rounds} rounds: {:.1}% declared a difference at the planned end, {:.1}% when stopping at the first significant look",
                100.0 * p.false_alarms_at_end,
                100.0 * p.false_alarms_peeking
            );
        }
        return Ok(());
    }
    if let Some(spec) = &a.off_policy {
        return off_policy(spec, a, world, cfg);
    }
    let is_ab = a.ab.is_some();
    let mut lab = match &a.ab {
        Some(s) => {
            let p = policy_list(s)?;
            let [pa, pb] = p[..] else {
                return Err(Fail::Input(format!("--ab {s}: name two policies, A,B")));
            };
            Lab::ab(world, cfg, pa, pb)
        }
        None => {
            let p = match &a.policies {
                Some(s) => policy_list(s)?,
                None => Policy::ALL.to_vec(),
            };
            Lab::compare(world, cfg, &p)
        }
    }
    .map_err(|e| Fail::Input(e.to_string()))?;
    let mut last: Vec<RoundStats> = lab.stats();
    for _ in 0..rounds {
        last = lab.step().map_err(|e| Fail::Other(e.to_string()))?;
        if json {
            for s in &last {
                println!("{}", serde_json::to_string(s).unwrap_or_default());
            }
            if is_ab {
                if let Some(iv) = ab::interval(
                    last[0].clicks,
                    last[0].impressions,
                    last[1].clicks,
                    last[1].impressions,
                ) {
                    println!("{}", json!({ "round": last[0].round, "interval": iv }));
                }
            }
        }
    }
    if !json {
        println!(
            "{:>16} {:>7} {:>7} {:>9} {:>9} {:>6}",
            "policy", "CTR", "E[CTR]", "regret", "coverage", "Gini"
        );
        for s in &last {
            println!(
                "{:>16} {:>7.4} {:>7.4} {:>9.1} {:>8.1}% {:>6.3}",
                s.name,
                s.ctr,
                s.expected_ctr,
                s.regret,
                100.0 * s.coverage,
                s.gini
            );
        }
        if is_ab {
            if let Some(iv) = ab::interval(
                last[0].clicks,
                last[0].impressions,
                last[1].clicks,
                last[1].impressions,
            ) {
                println!(
                    "B - A = {:+.4}, 95% interval [{:+.4}, {:+.4}]: {}",
                    iv.diff,
                    iv.low,
                    iv.high,
                    if iv.significant {
                        "significant"
                    } else {
                        "not significant"
                    }
                );
            }
        }
    }
    Ok(())
}

/// `--off-policy LOGGING,TARGET`: the estimators beside the target's true CTR.
fn off_policy(spec: &str, a: &SimulateArgs, world: World, cfg: LabConfig) -> Result<(), Fail> {
    let bad = |e: mf_playground::Error| Fail::Input(format!("--off-policy {spec}: {e}"));
    let Some((logging, target)) = spec.split_once(',') else {
        return Err(Fail::Input(format!(
            "--off-policy {spec}: name two policies, LOGGING,TARGET"
        )));
    };
    let ope_cfg = OpeConfig {
        logging: Stochastic::parse(logging).map_err(bad)?,
        target: Stochastic::parse(target).map_err(bad)?,
        impressions: a.impressions,
        logs: a.logs,
        seed: cfg.seed,
    };
    let seed = cfg.seed;
    let model = lab::warm_model(&world, &cfg).map_err(|e| Fail::Input(e.to_string()))?;
    let r = ope::estimate(&world, &model, &ope_cfg).map_err(bad)?;
    if a.json {
        println!("{}", serde_json::to_string(&r).unwrap_or_default());
        return Ok(());
    }
    println!(
        "{} logs of {} impressions (seed {seed}), logged by {}: the target, {}, has a true CTR of {:.4} (the logging policy's: {:.4}); the largest weight is {:.1}",
        r.logs,
        r.impressions,
        ope_cfg.logging.describe(),
        ope_cfg.target.describe(),
        r.true_ctr,
        r.logging_ctr,
        r.max_weight
    );
    println!(
        "{:>10} {:>8} {:>8} {:>8} {:>8}",
        "estimator", "mean", "bias", "spread", "RMSE"
    );
    for e in &r.estimators {
        println!(
            "{:>10} {:>8.4} {:>+8.4} {:>8.4} {:>8.4}",
            e.name, e.mean, e.bias, e.spread, e.rmse
        );
    }
    Ok(())
}
