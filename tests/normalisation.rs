//! Training on normalised ratings (the article's preprocessing step): the statistics come from
//! the training part alone, every prediction is mapped back to stars, and without biases a
//! per-user normalisation recovers what the user biases would have learned.

use mf_playground::baseline::{Baseline, BaselineKind};
use mf_playground::data::preprocess::{Normalization, Normalizer};
use mf_playground::data::split::{holdout, Split};
use mf_playground::metrics::accuracy;
use mf_playground::model_file::{DataRef, SavedModel};
use mf_playground::synthetic::{generate, SyntheticParams};
use mf_playground::train::{Loss, Optimizer, TrainParams, Trainer};

/// Ratings with strong user effects: some users rate everything high, some low.
fn full() -> mf_playground::data::Ratings {
    generate(&SyntheticParams {
        n_users: 300,
        n_items: 200,
        density: 0.2,
        noise: 0.4,
        seed: 5,
        ..Default::default()
    })
    .unwrap()
    .ratings
}

fn data() -> Split {
    holdout(&full(), 0.2, 1).unwrap()
}

fn params(norm: Normalization) -> TrainParams {
    TrainParams::new(8)
        .n_epochs(30)
        .learning_rate(0.01)
        .reg(0.05)
        .normalization(norm)
}

fn test_rmse(split: &Split, t: &Trainer) -> f32 {
    accuracy(&split.test, |u, i| t.model().predict(u, i)).rmse
}

#[test]
fn the_statistics_come_from_the_training_part_alone() {
    let split = data();
    let t = Trainer::new(split.train.clone(), params(Normalization::UserMean)).unwrap();
    let n = t.model().norm.as_ref().expect("a normalised model");
    let fitted = Normalizer::fit(Normalization::UserMean, &split.train).unwrap();
    assert_eq!(n, &fitted);
    let with_test = Normalizer::fit(Normalization::UserMean, &full()).unwrap();
    assert_ne!(
        n, &with_test,
        "the test ratings would have moved the offsets"
    );
}

#[test]
fn every_normalisation_reports_and_predicts_in_stars() {
    let split = data();
    let scale = split.train.scale();
    for &(name, kind) in Normalization::ALL {
        for opt in [Optimizer::SGD, Optimizer::ALS, Optimizer::ADAM] {
            let mut t =
                Trainer::new(split.train.clone(), params(kind).optimizer(opt.clone())).unwrap();
            let last = t.fit().pop().unwrap();
            assert!(!last.diverged, "{name} {opt:?}");
            // The reported training RMSE is the stars' RMSE of the model's predictions.
            let direct = accuracy(&split.train, |u, i| t.model().predict(u, i)).rmse;
            assert!(
                (last.rmse - direct).abs() < 1e-4,
                "{name} {opt:?}: {} vs {direct}",
                last.rmse
            );
            let test = test_rmse(&split, &t);
            assert!(test < 1.2, "{name} {opt:?}: test RMSE {test}");
            for u in 0..5 {
                for p in t.model().scores_for_user(u) {
                    assert!(p.is_finite());
                }
                let v = t.model().predict(u, 0);
                assert!(v >= scale.min && v <= scale.max, "{name}: {v}");
            }
        }
    }
}

#[test]
fn a_normalised_model_that_has_learned_nothing_is_the_mean_fill() {
    // Biases off and factors at zero: all that is left is the normaliser, so a user-mean model
    // predicts what filling the missing cells with the user's mean predicts (and item-mean
    // with the item's): the article's missing-value strategies are where normalisation starts.
    let split = data();
    for (norm, kind) in [
        (Normalization::UserMean, BaselineKind::UserMean),
        (Normalization::ItemMean, BaselineKind::ItemMean),
        (Normalization::GlobalMean, BaselineKind::GlobalMean),
    ] {
        let t = Trainer::new(
            split.train.clone(),
            params(norm).biases(false).init_std(0.0),
        )
        .unwrap();
        let fill = Baseline::fit(kind, &split.train, 0.0, 0).unwrap();
        for k in 0..split.test.len() {
            let (u, i, _) = split.test.get(k);
            let (a, b) = (t.model().predict(u, i), fill.predict(u, i));
            assert!((a - b).abs() < 1e-4, "{norm:?} ({u}, {i}): {a} vs {b}");
        }
    }
}

#[test]
fn training_improves_on_the_mean_fill_it_starts_from() {
    let split = data();
    for norm in [Normalization::UserMean, Normalization::UserZScore] {
        let p = params(norm).biases(false);
        let mut t = Trainer::new(split.train.clone(), p.clone().init_std(0.0)).unwrap();
        let start = test_rmse(&split, &t);
        t = Trainer::new(split.train.clone(), p).unwrap();
        t.fit();
        let end = test_rmse(&split, &t);
        eprintln!("{norm:?}: test RMSE {start} before training, {end} after");
        assert!(end < 0.9 * start, "{norm:?}: {end} vs {start}");
    }
}

#[test]
fn a_saved_normalised_model_predicts_the_same_and_trains_on() {
    let split = data();
    let p = params(Normalization::UserZScore).n_epochs(5);
    let mut t = Trainer::new(split.train.clone(), p.clone()).unwrap();
    t.fit();
    let saved = SavedModel {
        model: t.model().clone(),
        user_ids: split.train.user_ids().to_vec(),
        item_ids: split.train.item_ids().to_vec(),
        item_labels: split.train.item_ids().to_vec(),
        params: p.clone(),
        epoch: 5,
        data: DataRef {
            name: "synthetic".into(),
            n_ratings: split.train.len(),
        },
    };
    let back = SavedModel::from_json(&saved.to_json()).unwrap();
    assert_eq!(back.model, *t.model());
    let mut again = Trainer::new(split.train.clone(), p.clone()).unwrap();
    again.restore(back.model, 5).unwrap();
    let a = again.step();
    let b = t.step();
    assert_eq!(a.rmse, b.rmse);

    // A file whose normaliser does not fit is refused with the field named.
    let json = saved.to_json();
    let bad = json.replacen("\"kind\":\"user-z-score\"", "\"kind\":\"item-mean\"", 1);
    let e = SavedModel::from_json(&bad).unwrap_err().to_string();
    assert!(e.contains("normalizer"), "{e}");
    let bad = json.replacen(
        "\"normalization\":\"user-z-score\"",
        "\"normalization\":\"none\"",
        1,
    );
    let e = SavedModel::from_json(&bad).unwrap_err().to_string();
    assert!(e.contains("normalizer = user-z-score"), "{e}");
}

#[test]
fn normalisation_is_refused_where_it_means_nothing() {
    let e = params(Normalization::UserMean)
        .loss(Loss::Logistic)
        .check()
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("normalization = user-mean"), "{e}");
    let e = Normalization::from_name("median").unwrap_err().to_string();
    assert!(e.contains("choose one of none, global-mean"), "{e}");
}
