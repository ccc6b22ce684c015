//! The algorithm registry, as the recipe in docs/architecture.md uses it: a new optimiser is
//! one type behind the `Algorithm` trait plus its registration, and it then reaches everything
//! that learns what exists from the registry (the description the page's menu and the command
//! line are built from, parameter checks, the trainer, the session the worker drives, the race,
//! model files) with no other change.

use mf_playground::session::{Limits, Session};
use mf_playground::synthetic::{generate, SyntheticParams};
use mf_playground::train::{registry, Loss, Optimizer, TrainParams, Trainer};

#[path = "toy/mod.rs"]
mod toy_algorithm;

use toy_algorithm::{toy, TOY};

fn params() -> TrainParams {
    TrainParams::new(2)
        .optimizer(toy())
        .loss(Loss::Squared)
        .learning_rate(0.05)
        .n_epochs(30)
        .seed(3)
}

#[test]
fn a_registered_optimiser_is_described_and_parsed() {
    let o = toy();
    let names: Vec<&str> = registry::describe().iter().map(|a| a.name).collect();
    assert_eq!(
        names,
        [
            "sgd",
            "adam",
            "rmsprop",
            "als",
            "als-implicit",
            "toy-bias-steps"
        ],
        "the page's menu and `mfp algorithms` list it, after the built-in ones"
    );
    assert_eq!(o.name(), "toy-bias-steps");
    assert!(
        o.algorithm().unwrap().info().uses.contains(&"learningRate"),
        "it reads the learning rate"
    );
    // Its own rules apply: the default check accepts only the losses it lists.
    let e = params().loss(Loss::Logistic).check().unwrap_err();
    assert!(
        e.to_string().contains("toy-bias-steps fits squared loss"),
        "{e}"
    );
    // Twice, or a malformed name, is refused.
    assert!(registry::register(&TOY).is_err());
    let e = Optimizer::from_name("toy-nothing").unwrap_err();
    assert!(e.to_string().contains("toy-bias-steps"), "{e}");
}

#[test]
fn a_registered_optimiser_trains_through_the_trainer_and_in_slices() {
    let data = generate(&SyntheticParams::default()).unwrap().ratings;
    let mut t = Trainer::new(data.clone(), params()).unwrap();
    let reports = t.fit();
    assert_eq!(reports.len(), 30);
    assert!(reports[29].rmse < reports[0].rmse, "{reports:?}");
    // The factors are the toy's to leave alone: as they started.
    let fresh = Trainer::new(data.clone(), params()).unwrap();
    assert_eq!(t.model().user_factors, fresh.model().user_factors);
    // Sliced epochs (the page pauses inside epochs) give the same model.
    let mut sliced = Trainer::new(data, params()).unwrap();
    let mut n = 0;
    while n < 30 {
        if sliced.advance(97).is_some() {
            n += 1;
        }
    }
    assert_eq!(sliced.model().user_bias, t.model().user_bias);
}

#[test]
fn a_registered_optimiser_runs_in_the_session_the_page_drives() {
    let mut s = Session::new(Limits::PAGE, None);
    s.generate(&SyntheticParams::default()).unwrap();
    s.configure(params(), 0.2).unwrap();
    let r = s.train_epochs(10).unwrap();
    assert!(r[9].test_rmse.unwrap() < r[0].test_rmse.unwrap());
    // The race takes every registered algorithm that races, then the neural families.
    let names = s.race_start(params(), 0.2).unwrap();
    assert_eq!(
        names,
        [
            "sgd",
            "adam",
            "rmsprop",
            "als",
            "toy-bias-steps",
            "gmf",
            "mlp",
            "neumf"
        ]
    );
    let laps = s.race_step(2, None).unwrap();
    assert_eq!(laps.len(), 8);
    // A model file names its optimiser and comes back with it.
    let json = s.export_model("synthetic").unwrap();
    assert!(json.contains("\"optimizer\":\"toy-bias-steps\""));
    let (p, epoch) = s.import_model(&json, 0.2).unwrap();
    assert_eq!((p.optimizer, epoch), (toy(), 10));
    // Switching to it mid-run applies from the next epoch, as for any optimiser.
    s.configure(params().optimizer(Optimizer::SGD), 0.2)
        .unwrap();
    s.train_epochs(2).unwrap();
    s.set_params(params()).unwrap();
    s.train_epochs(1).unwrap();
    assert_eq!(s.epoch(), 3);
}
