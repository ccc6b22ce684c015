//! On a planted low-rank matrix with known noise, every optimiser reaches a test RMSE within 10%
//! of the noise level (the best any model can do), and weighted ALS beats popularity on implicit
//! data.

use mf_playground::baseline::{Baseline, BaselineKind};
use mf_playground::data::split::holdout;
use mf_playground::metrics::{accuracy, model_ranking, ranking};
use mf_playground::synthetic::{generate, SyntheticParams};
use mf_playground::train::{Loss, Optimizer, TrainParams, Trainer};

const NOISE: f32 = 0.5;

fn planted() -> mf_playground::data::split::Split {
    let s = generate(&SyntheticParams {
        n_users: 400,
        n_items: 300,
        n_clusters: 4,
        rank: 3,
        density: 0.3,
        noise: NOISE,
        spread: 0.4,
        seed: 11,
        ..Default::default()
    })
    .unwrap();
    holdout(&s.ratings, 0.2, 3).unwrap()
}

fn test_rmse(optimizer: Optimizer, params: TrainParams) -> f32 {
    let split = planted();
    let mut t = Trainer::new(
        split.train.clone(),
        params.optimizer(optimizer.clone()).loss(Loss::Squared),
    )
    .unwrap();
    let reports = t.fit();
    assert!(!reports.last().unwrap().diverged);
    let rmse = accuracy(&split.test, |u, i| t.model().predict(u, i)).rmse;
    eprintln!(
        "{optimizer:?}: test RMSE {rmse} after {} epochs (noise {NOISE})",
        reports.len()
    );
    rmse
}

fn assert_near_noise(rmse: f32) {
    assert!(
        rmse <= 1.1 * NOISE,
        "test RMSE {rmse} is not within 10% of the noise {NOISE}"
    );
}

#[test]
fn sgd_reaches_the_noise_level() {
    assert_near_noise(test_rmse(
        Optimizer::SGD,
        TrainParams::new(3)
            .learning_rate(0.02)
            .reg(0.05)
            .n_epochs(60),
    ));
}

#[test]
fn adam_reaches_the_noise_level() {
    assert_near_noise(test_rmse(
        Optimizer::ADAM,
        TrainParams::new(3)
            .learning_rate(0.01)
            .reg(0.05)
            .batch_size(64)
            .n_epochs(60),
    ));
}

#[test]
fn rmsprop_reaches_the_noise_level() {
    assert_near_noise(test_rmse(
        Optimizer::RMSPROP,
        TrainParams::new(3)
            .learning_rate(0.003)
            .reg(0.05)
            .batch_size(64)
            .n_epochs(60),
    ));
}

#[test]
fn als_reaches_the_noise_level() {
    assert_near_noise(test_rmse(
        Optimizer::ALS,
        TrainParams::new(3).reg(0.05).n_epochs(15),
    ));
}

#[test]
fn factorisation_beats_the_bias_only_baseline() {
    let split = planted();
    let base = Baseline::fit(BaselineKind::BiasOnly, &split.train, 0.05, 0).unwrap();
    let b = accuracy(&split.test, |u, i| base.predict(u, i)).rmse;
    let m = test_rmse(Optimizer::ALS, TrainParams::new(3).reg(0.05).n_epochs(15));
    assert!(m < 0.8 * b, "model {m} vs bias-only {b}");
}

#[test]
fn weighted_als_ranks_better_than_popularity_on_implicit_data() {
    let s = generate(&SyntheticParams {
        n_users: 300,
        n_items: 200,
        n_clusters: 5,
        rank: 5,
        density: 0.3,
        implicit: true,
        taste: 3.0,
        seed: 4,
        ..Default::default()
    })
    .unwrap();
    let split = holdout(&s.ratings, 0.2, 1).unwrap();
    let params = TrainParams::new(8)
        .optimizer(Optimizer::ALS_IMPLICIT)
        .reg(0.1)
        .alpha(5.0)
        .n_epochs(10);
    let mut t = Trainer::new(split.train.clone(), params).unwrap();
    let reports = t.fit();
    assert!(
        reports.windows(2).all(|w| w[1].loss <= w[0].loss * 1.001),
        "weighted ALS never raises its objective"
    );
    let m = model_ranking(t.model(), &split.train, &split.test, 10, 0.5);
    let pop = Baseline::fit(BaselineKind::Popularity, &split.train, 0.0, 0).unwrap();
    let p = ranking(&split.train, &split.test, 10, 0.5, None, |u| {
        pop.scores_for_user(u)
    });
    eprintln!(
        "WALS precision@10 {} ndcg {} vs popularity {} {}",
        m.precision, m.ndcg, p.precision, p.ndcg
    );
    assert!(m.precision > 1.2 * p.precision && m.ndcg > p.ndcg);
    assert!(m.auc > 0.6);
}

#[test]
fn logistic_sgd_with_negative_sampling_learns_from_ones_only() {
    // Keep only the 1s of an implicit set: without negatives every prediction drifts to 1.
    let s = generate(&SyntheticParams {
        n_users: 200,
        n_items: 100,
        n_clusters: 4,
        rank: 4,
        density: 0.5,
        implicit: true,
        taste: 3.0,
        spread: 0.1,
        click_offset: 3.0,
        seed: 8,
        ..Default::default()
    })
    .unwrap();
    let ones: Vec<usize> = (0..s.ratings.len())
        .filter(|&k| s.ratings.values()[k] == 1.0)
        .collect();
    let positives = s.ratings.subset(&ones);
    let split = holdout(&positives, 0.2, 2).unwrap();
    let params = TrainParams::new(8)
        .loss(Loss::Logistic)
        .learning_rate(0.05)
        .reg(0.01)
        .negatives(3)
        .n_epochs(30);
    let mut t = Trainer::new(split.train.clone(), params).unwrap();
    t.fit();
    let m = model_ranking(t.model(), &split.train, &split.test, 10, 0.5);
    let pop = Baseline::fit(BaselineKind::Popularity, &split.train, 0.0, 0).unwrap();
    let p = ranking(&split.train, &split.test, 10, 0.5, None, |u| {
        pop.scores_for_user(u)
    });
    eprintln!(
        "logistic+negatives precision@10 {} vs popularity {}",
        m.precision, p.precision
    );
    assert!(m.precision > p.precision);
    let mean_pred: f32 = (0..100).map(|i| t.model().predict(0, i)).sum::<f32>() / 100.0;
    assert!(
        mean_pred < 0.9,
        "negatives keep predictions from saturating at 1: {mean_pred}"
    );
}
