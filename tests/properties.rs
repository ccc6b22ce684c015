//! Property tests, driven by the engine's own seeded generator so every failure reproduces:
//! no byte string makes a reader panic; predictions stay finite; metrics stay in [0, 1]; seeded
//! splits are deterministic, disjoint and complete; a model file round-trips exactly.

use mf_playground::data::parse::{read_item_titles, read_ratings, ReadOptions};
use mf_playground::data::split::{holdout, k_fold};
use mf_playground::metrics::model_ranking;
use mf_playground::model_file::SavedModel;
use mf_playground::rng::Rng;
use mf_playground::synthetic::{generate, SyntheticParams};
use mf_playground::train::{Loss, Optimizer, TrainParams, Trainer};

/// Pieces that make up plausible and implausible rating files.
const TOKENS: &[&str] = &[
    "1",
    "2",
    "5",
    "0",
    "3.5",
    "-1",
    "1e40",
    "NaN",
    "inf",
    "?",
    "NA",
    "",
    "abc",
    "u1",
    "tt0001",
    ",",
    ",",
    "\t",
    "::",
    ";",
    "|",
    " ",
    "\n",
    "\n",
    "\r\n",
    "\"",
    "\"a,b\"",
    "#",
    "user",
    "item",
    "rating",
    "é",
    "\u{feff}",
    "\u{0}",
    "ñ",
    "<script>",
    "9999999999999999999999",
];

fn random_text(rng: &mut Rng) -> Vec<u8> {
    let n = rng.below(60);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(TOKENS[rng.below(TOKENS.len())]);
    }
    s.into_bytes()
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let n = rng.below(200);
    (0..n).map(|_| rng.below(256) as u8).collect()
}

#[test]
fn no_input_makes_a_reader_panic() {
    let mut rng = Rng::new(2024);
    let options = [
        ReadOptions::default(),
        ReadOptions {
            zero_is_missing: true,
            ..Default::default()
        },
        ReadOptions {
            implicit_threshold: Some(3.0),
            ..Default::default()
        },
        ReadOptions {
            duplicates: mf_playground::data::DuplicatePolicy::Mean,
            ..Default::default()
        },
    ];
    let mut accepted = 0;
    for case in 0..20_000 {
        let bytes = if case % 3 == 0 {
            random_bytes(&mut rng)
        } else {
            random_text(&mut rng)
        };
        let opts = &options[case % options.len()];
        match read_ratings(&bytes, opts) {
            Ok((r, _)) => {
                accepted += 1;
                assert!(!r.is_empty());
                assert!(r.values().iter().all(|v| v.is_finite()), "case {case}");
                let mut r = r;
                let _ = read_item_titles(&bytes, &mut r);
            }
            Err(e) => {
                assert!(!e.to_string().is_empty());
                if e.code() == "parse_error" {
                    assert!(e.to_string().starts_with("line "), "case {case}: {e}");
                }
            }
        }
    }
    // The generator produces both kinds; a test that only ever saw errors would prove little.
    assert!(accepted > 100, "only {accepted} inputs were accepted");
}

fn small_data(seed: u64, implicit: bool) -> mf_playground::data::Ratings {
    generate(&SyntheticParams {
        n_users: 30,
        n_items: 20,
        density: 0.4,
        implicit,
        seed,
        ..Default::default()
    })
    .unwrap()
    .ratings
}

/// Each optimiser with a loss it fits and whether it wants 0/1 data.
const EVERY_OPTIMISER: [(Optimizer, Loss, bool); 5] = [
    (Optimizer::SGD, Loss::Squared, false),
    (Optimizer::ADAM, Loss::Squared, false),
    (Optimizer::RMSPROP, Loss::Logistic, true),
    (Optimizer::ALS, Loss::Squared, false),
    (Optimizer::ALS_IMPLICIT, Loss::Squared, true),
];

#[test]
fn predictions_are_finite_for_every_optimiser_and_seed() {
    for seed in 0..5 {
        for (opt, loss, implicit) in EVERY_OPTIMISER {
            let data = small_data(seed, implicit);
            let params = TrainParams::new(1 + seed as usize)
                .optimizer(opt.clone())
                .loss(loss)
                .learning_rate(0.01)
                .seed(seed)
                .n_epochs(5);
            let mut t = Trainer::new(data, params).unwrap();
            for r in t.fit() {
                assert!(
                    r.loss.is_finite() && r.rmse.is_finite(),
                    "{opt:?} seed {seed}"
                );
            }
            assert!(
                t.model().predict_all().iter().all(|p| p.is_finite()),
                "{opt:?} seed {seed}"
            );
        }
    }
}

/// The degenerate shapes a user can ask for: no factors, with or without biases (found by the
/// session fuzzer: explicit ALS with no unknowns at all once panicked on a zero-width chunk).
#[test]
fn every_optimiser_trains_with_no_factors() {
    for biases in [true, false] {
        for (opt, loss, implicit) in EVERY_OPTIMISER {
            let data = small_data(1, implicit);
            let params = TrainParams::new(0)
                .optimizer(opt.clone())
                .loss(loss)
                .biases(biases)
                .n_epochs(2);
            let mut t = Trainer::new(data, params).unwrap();
            for r in t.fit() {
                assert!(r.rmse.is_finite(), "{opt:?} biases {biases}");
            }
            assert!(
                t.model().predict_all().iter().all(|p| p.is_finite()),
                "{opt:?} biases {biases}"
            );
        }
    }
}

#[test]
fn ranking_metrics_stay_in_the_unit_interval() {
    for seed in 0..8 {
        let data = small_data(seed, seed % 2 == 0);
        let split = holdout(&data, 0.3, seed).unwrap();
        let mut t = Trainer::new(
            split.train.clone(),
            TrainParams::new(3)
                .learning_rate(0.02)
                .seed(seed)
                .n_epochs(3),
        )
        .unwrap();
        t.fit();
        for k in [1, 5, 50] {
            let m = model_ranking(t.model(), &split.train, &split.test, k, 3.0);
            for (name, v) in [
                ("precision", m.precision),
                ("recall", m.recall),
                ("f1", m.f1),
                ("ndcg", m.ndcg),
                ("map", m.map),
                ("auc", m.auc),
                ("coverage", m.coverage),
            ] {
                assert!(
                    (0.0..=1.0).contains(&v),
                    "{name} = {v} (seed {seed}, k {k})"
                );
            }
            assert!(m.diversity >= 0.0 && m.diversity <= 2.0 && m.novelty >= 0.0);
        }
    }
}

#[test]
fn seeded_splits_are_deterministic_disjoint_and_complete() {
    for seed in 0..10 {
        let data = small_data(seed, false);
        let cells = |r: &mf_playground::data::Ratings| {
            let mut v: Vec<(usize, usize)> =
                (0..r.len()).map(|k| (r.get(k).0, r.get(k).1)).collect();
            v.sort_unstable();
            v
        };
        let a = holdout(&data, 0.25, seed).unwrap();
        assert_eq!(a, holdout(&data, 0.25, seed).unwrap());
        let (tr, te) = (cells(&a.train), cells(&a.test));
        let mut all = [tr.clone(), te.clone()].concat();
        all.sort_unstable();
        assert_eq!(all, cells(&data));
        assert!(tr.iter().all(|c| te.binary_search(c).is_err()));
        let folds = k_fold(&data, 4, seed).unwrap();
        assert_eq!(folds, k_fold(&data, 4, seed).unwrap());
        let total: usize = folds.iter().map(|f| f.test.len()).sum();
        assert_eq!(total, data.len());
    }
}

#[test]
fn model_files_round_trip_for_random_models() {
    for seed in 0..10 {
        let data = small_data(seed, seed % 2 == 1);
        let loss = if seed % 2 == 1 {
            Loss::Logistic
        } else {
            Loss::Squared
        };
        let mut t = Trainer::new(
            data.clone(),
            TrainParams::new(seed as usize % 4)
                .loss(loss)
                .seed(seed)
                .n_epochs(2),
        )
        .unwrap();
        t.fit();
        let saved = SavedModel::of(
            t.model().clone(),
            &data,
            t.params().clone(),
            t.epoch(),
            &format!("synthetic-{seed}"),
        );
        let back = SavedModel::from_json(&saved.to_json()).unwrap();
        assert_eq!(back, saved);
        assert_eq!(back.model.predict_all(), saved.model.predict_all());
    }
}
