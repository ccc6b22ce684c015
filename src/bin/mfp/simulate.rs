//! `mfp simulate`: the exploration lab on the command line.

use serde_json::json;

use mf_playground::lab::{ab, Lab, LabConfig, Policy, RoundStats, World};

use crate::args::{self, Args, Flag};
use crate::common::{self, load_model, Fail};

const SUMMARY: &str = "mfp simulate [--policies greedy,ucb,...] [--rounds 300] [flags] [--json]
mfp simulate --ab greedy,thompson [flags]
mfp simulate --aa-peeking 200 [flags]

Runs the exploration lab (the engine's lab module): each round some users of a simulated world
are shown one item each, chosen by each policy from its model; they click with the probability
their true taste gives; the models learn from the clicks. Prints each policy's CTR, cumulative
regret, coverage and exposure Gini at the end (with --json: one JSON object per round and policy,
and for an A/B test one per round with the interval of B - A). The world is generated (its size,
genres and seed are flags) or a saved model treated as the truth (--truth).";

const FLAGS: &[Flag] = &[
    args::value(
        "policies",
        "comma-separated: greedy, epsilon-greedy, ucb, thompson, random (default all)",
    ),
    args::value("ab", "A,B: an A/B test of two policies instead"),
    args::value(
        "aa-peeking",
        "RUNS: A/A tests on the world, with and without stopping early",
    ),
    args::value("rounds", "rounds to run (default 300)"),
    args::value("users-per-round", "users arriving each round (default 50)"),
    args::value(
        "retrain-every",
        "retrain every N rounds, 0 never (default 10)",
    ),
    args::value("retrain-epochs", "epochs per retraining (default 5)"),
    args::value(
        "warm",
        "random impressions per user before the loop (default 3)",
    ),
    args::value(
        "new-items",
        "share of items with no history at the start (default 0.3)",
    ),
    args::value("factors", "the learner's factors (default 8)"),
    args::value("epsilon", "epsilon-greedy's epsilon (default 0.1)"),
    args::switch("decay", "epsilon / sqrt(1 + round / 10)"),
    args::value(
        "ucb-c",
        "UCB's multiple of the score's standard deviation (default 1.5)",
    ),
    args::switch(
        "no-consume",
        "a clicked item may be shown to the same user again",
    ),
    args::switch(
        "frozen",
        "no retraining and no online updates (a fixed model)",
    ),
    args::value("seed", "seed of the loop (default 7)"),
    args::value("world-users", "generated world: users (default 100)"),
    args::value("world-items", "generated world: items (default 200)"),
    args::value("world-genres", "generated world: genres (default 5)"),
    args::value("world-seed", "generated world: seed (default 1.5)"),
    args::value(
        "truth",
        "a model saved by mfp train --save, used as the true preferences",
    ),
    args::switch("json", "JSON lines"),
];

fn policy_list(s: &str) -> Result<Vec<Policy>, Fail> {
    s.split(',')
        .map(|p| Policy::from_name(p.trim()).map_err(|e| Fail::Input(e.to_string())))
        .collect()
}

pub fn run(argv: &[String]) -> Result<(), Fail> {
    if common::help(argv, SUMMARY, FLAGS) {
        return Ok(());
    }
    let a = Args::parse(argv, FLAGS)?;
    let d = LabConfig::default();
    let frozen = a.has("frozen");
    let cfg = LabConfig {
        users_per_round: a.get("users-per-round")?.unwrap_or(d.users_per_round),
        retrain_every: if frozen {
            0
        } else {
            a.get("retrain-every")?.unwrap_or(d.retrain_every)
        },
        retrain_epochs: a.get("retrain-epochs")?.unwrap_or(d.retrain_epochs),
        warm_impressions: a.get("warm")?.unwrap_or(d.warm_impressions),
        new_items: a.get("new-items")?.unwrap_or(d.new_items),
        n_factors: a.get("factors")?.unwrap_or(d.n_factors),
        epsilon: a.get("epsilon")?.unwrap_or(d.epsilon),
        decay: a.has("decay"),
        ucb_c: a.get("ucb-c")?.unwrap_or(d.ucb_c),
        consume: !a.has("no-consume"),
        online: !frozen,
        seed: a.get("seed")?.unwrap_or(d.seed),
        ..d
    };
    let world = match a.str("truth") {
        Some(path) => {
            let saved = load_model(path)?;
            World::from_model(
                &saved.model,
                saved
                    .model
                    .clip
                    .map(|(min, max)| mf_playground::data::Scale { min, max }),
            )
            .map_err(|e| Fail::Input(format!("{path}: {e}")))?
        }
        None => World::generated(
            a.get("world-users")?.unwrap_or(World::DEFAULT_SIZE.0),
            a.get("world-items")?.unwrap_or(World::DEFAULT_SIZE.1),
            a.get("world-genres")?.unwrap_or(World::DEFAULT_SIZE.2),
            a.get("world-seed")?.unwrap_or(1),
        )
        .map_err(|e| Fail::Input(e.to_string()))?,
    };
    let rounds: usize = a.get("rounds")?.unwrap_or(300);
    let json = a.has("json");
    if let Some(runs) = a.get::<usize>("aa-peeking")? {
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
    let is_ab = a.str("ab").is_some();
    let mut lab = match a.str("ab") {
        Some(s) => {
            let p = policy_list(s)?;
            let [pa, pb] = p[..] else {
                return Err(Fail::Input(format!("--ab {s}: name two policies, A,B")));
            };
            Lab::ab(world, cfg, pa, pb)
        }
        None => {
            let p = match a.str("policies") {
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
