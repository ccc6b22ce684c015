//! Off-policy estimates on a generated world and a model fitted to clicks drawn from it.

use super::*;

/// A generated world and a model fitted to clicks drawn from it, as the lab fits one.
fn world_and_model() -> (World, MfModel) {
    let world = World::generated(80, 60, 4, 3).unwrap();
    let mut rng = Rng::new(9);
    let mut log = Vec::new();
    for u in 0..80u32 {
        for _ in 0..15 {
            let i = rng.below(60);
            let click = (rng.next_f64() < world.prob(u as usize, i) as f64) as u8 as f32;
            log.push((u, i as u32, click));
        }
    }
    let model =
        super::super::retrain(None, &log, 80, 60, &super::super::LabConfig::default(), 30).unwrap();
    (world, model)
}

fn cfg(logging: Stochastic, target: Stochastic) -> OpeConfig {
    OpeConfig {
        logging,
        target,
        impressions: 3_000,
        logs: 40,
        seed: 5,
    }
}

const fn policy(kind: Kind, epsilon: f32, temperature: f32) -> Stochastic {
    Stochastic {
        kind,
        epsilon,
        temperature,
    }
}

#[test]
fn a_target_like_the_logging_policy_is_its_log_s_ctr() {
    let (world, model) = world_and_model();
    let same = policy(Kind::EpsilonGreedy, 0.3, 1.0);
    let r = estimate(&world, &model, &cfg(same, same)).unwrap();
    assert!((r.true_ctr - r.logging_ctr).abs() < 1e-12);
    // Every weight is 1: IPS, SNIPS and the naive CTR are one and the same.
    let by = |n: &str| r.estimators.iter().find(|e| e.name == n).unwrap();
    assert_eq!(by("ips").estimates, by("naive").estimates);
    assert_eq!(by("snips").estimates, by("naive").estimates);
    assert_eq!(r.max_weight, 1.0);
}

#[test]
fn ips_and_dr_find_the_target_s_ctr_where_the_naive_ctr_does_not() {
    let (world, model) = world_and_model();
    let r = estimate(
        &world,
        &model,
        &cfg(
            policy(Kind::Uniform, 0.0, 1.0),
            policy(Kind::Greedy, 0.0, 1.0),
        ),
    )
    .unwrap();
    let by = |n: &str| r.estimators.iter().find(|e| e.name == n).unwrap();
    // The log is uniform's; greedy on a fitted model clicks more.
    assert!(r.true_ctr > r.logging_ctr + 0.05, "{r:?}");
    assert!((by("naive").mean - r.logging_ctr).abs() < 0.02);
    // Unbiased: the mean over 40 logs is within a few standard errors of the truth.
    for name in ["ips", "dr"] {
        let e = by(name);
        let se = e.spread / (r.logs as f64).sqrt();
        assert!(
            e.bias.abs() < 4.0 * se + 1e-3,
            "{name}: {e:?} truth {}",
            r.true_ctr
        );
    }
    // IPS's weights are 60 on the best item: it swings; DR and SNIPS swing less.
    assert_eq!(r.max_weight, 60.0);
    assert!(by("dr").spread < by("ips").spread, "{r:?}");
    assert!(by("snips").spread < by("ips").spread, "{r:?}");
    assert!(by("naive").rmse > by("dr").rmse);
}

#[test]
fn softmax_propensities_sum_to_one_and_its_truth_is_the_weighted_sum() {
    let (world, model) = world_and_model();
    let soft = policy(Kind::Softmax, 0.0, 0.5);
    let r = estimate(&world, &model, &cfg(soft, policy(Kind::Uniform, 0.0, 1.0))).unwrap();
    // The uniform target's truth is the plain mean of the world's probabilities.
    let plain = (0..80)
        .flat_map(|u| (0..60).map(move |i| (u, i)))
        .map(|(u, i)| world.prob(u, i) as f64)
        .sum::<f64>()
        / (80.0 * 60.0);
    assert!((r.true_ctr - plain).abs() < 1e-9);
    let by = |n: &str| r.estimators.iter().find(|e| e.name == n).unwrap();
    let e = by("ips");
    assert!(
        e.bias.abs() < 4.0 * e.spread / (r.logs as f64).sqrt() + 1e-3,
        "{e:?}"
    );
}

#[test]
fn policies_read_from_the_command_line() {
    assert_eq!(
        Stochastic::parse("epsilon-greedy=0.25").unwrap(),
        policy(Kind::EpsilonGreedy, 0.25, 1.0)
    );
    assert_eq!(
        Stochastic::parse("softmax=0.5").unwrap(),
        policy(Kind::Softmax, 0.0, 0.5)
    );
    assert_eq!(
        Stochastic::parse("greedy").unwrap(),
        policy(Kind::Greedy, 0.0, 1.0)
    );
    for (bad, why) in [
        ("softmax", "give its temperature"),
        ("epsilon-greedy=x", "is not a number"),
        ("epsilon-greedy=2", "between 0 and 1"),
        ("uniform=3", "takes no value"),
        ("thompson", "choose uniform"),
    ] {
        let e = Stochastic::parse(bad).unwrap_err();
        assert!(e.to_string().contains(why), "{bad}: {e}");
    }
}

#[test]
fn a_log_that_never_explores_and_bad_knobs_are_refused() {
    let (world, model) = world_and_model();
    let e = estimate(
        &world,
        &model,
        &cfg(
            policy(Kind::Greedy, 0.0, 1.0),
            policy(Kind::Uniform, 0.0, 1.0),
        ),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("give the logging policy some exploration"),
        "{e}"
    );
    let e = estimate(
        &world,
        &model,
        &cfg(
            policy(Kind::Softmax, 0.0, 0.0),
            policy(Kind::Greedy, 0.0, 1.0),
        ),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("temperature must be positive"),
        "{e}"
    );
    let mut c = cfg(
        policy(Kind::Uniform, 0.0, 1.0),
        policy(Kind::Greedy, 0.0, 1.0),
    );
    c.logs = 1;
    assert!(estimate(&world, &model, &c).is_err());
}
