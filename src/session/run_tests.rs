//! Runs made in the page: kept, written, read back, opened again to the same figures, compared.

use super::*;
use crate::run::{self, Run};
use crate::synthetic::SyntheticParams;
use crate::train::TrainParams;

fn generated() -> Session {
    let mut s = Session::new(Limits::PAGE, None);
    s.generate(&SyntheticParams {
        n_users: 150,
        n_items: 90,
        density: 0.2,
        seed: 5,
        ..SyntheticParams::default()
    })
    .unwrap();
    s
}

fn trained(s: &mut Session, factors: usize, epochs: usize) -> Run {
    s.configure(
        TrainParams::new(factors)
            .learning_rate(0.02)
            .reg(0.05)
            .n_epochs(epochs),
        0.2,
    )
    .unwrap();
    s.train_epochs(epochs as u32).unwrap();
    s.make_run(&RunRequest {
        name: String::new(),
        data_name: "generated".into(),
        k: 10,
        threshold: 4.0,
        knobs: Some(serde_json::json!({ "nFactors": factors })),
    })
    .unwrap()
}

#[test]
fn a_run_keeps_the_evaluation_s_figures_its_curves_users_and_model() {
    let mut s = generated();
    let r = trained(&mut s, 4, 12);
    let e = s.evaluate(10, 4.0).unwrap();
    let model = &e.rows[0];
    let ranking = model.ranking.as_ref().unwrap();
    let figure = |key: &str| r.metrics[key].as_f64().unwrap();
    assert_eq!(
        figure("ndcg_at_10"),
        run::num(ranking.ndcg).as_f64().unwrap()
    );
    assert_eq!(
        figure("test_rmse"),
        run::num(model.test_rmse.unwrap()).as_f64().unwrap()
    );
    assert_eq!(r.metrics["epochs"], 12);
    assert_eq!(r.name, "mf squared, k = 4, 12 epochs");
    assert_eq!(
        r.curves.iter().map(|c| c.epoch).collect::<Vec<_>>(),
        (1..=12).collect::<Vec<_>>()
    );
    // Each ranked user's figures, whose mean is the table's.
    assert_eq!(r.per_user.users.len(), e.test_users_used);
    let ndcg: Vec<f64> = r.per_user.ndcg.iter().flatten().copied().collect();
    assert_eq!(ndcg.len(), ranking.users);
    let mean = ndcg.iter().sum::<f64>() / ndcg.len() as f64;
    assert!((mean - ranking.ndcg as f64).abs() < 1e-6);
    assert!(r.model.is_some());
    assert_eq!(r.split.description, "random 0.2, seed 42");
    assert_eq!(r.knobs, Some(serde_json::json!({ "nFactors": 4 })));
    // Written and read back whole, alone or with others.
    assert_eq!(Run::read(&r.to_json()).unwrap(), r);
    let two = Run::write_many(&[r.clone(), r.clone()]);
    assert_eq!(Run::read_many(&two).unwrap(), vec![r.clone(), r.clone()]);
    assert_eq!(Run::read_many(&r.to_json()).unwrap(), vec![r]);
}

#[test]
fn a_run_opened_again_gives_its_figures_and_refuses_other_data() {
    let mut s = generated();
    let r = trained(&mut s, 5, 10);
    let ndcg = r.metrics["ndcg_at_10"].clone();
    // Another model in between, then the run again: the same figures, and its curves.
    trained(&mut s, 2, 3);
    let opened = s.open_run(&r.to_json(), 0.2).unwrap();
    assert_eq!((opened.epoch, opened.notes.len()), (10, 0));
    assert_eq!(opened.curves, r.curves);
    let again = s
        .make_run(&RunRequest {
            name: "again".into(),
            data_name: "generated".into(),
            k: 10,
            threshold: 4.0,
            knobs: None,
        })
        .unwrap();
    assert_eq!(again.metrics["ndcg_at_10"], ndcg);
    assert_eq!(again.per_user, r.per_user);
    assert_eq!(again.split, r.split);
    // Another test share: opened, with a note that its figures will differ.
    let opened = s.open_run(&r.to_json(), 0.3).unwrap();
    assert_eq!(opened.notes.len(), 1);
    assert!(
        opened.notes[0]
            .contains("another test part (random 0.2, seed 42; now random 0.3, seed 42)"),
        "{:?}",
        opened.notes
    );
    // Other data: refused, saying which data the run needs.
    let mut other = Session::new(Limits::PAGE, None);
    other.load_builtin("seed-10x10").unwrap();
    let e = other.open_run(&r.to_json(), 0.2).unwrap_err();
    assert!(
        e.to_string()
            .contains("was trained on other data (generated, "),
        "{e}"
    );
    assert!(e.to_string().ends_with("load that data first"), "{e}");
    // A run that kept no model says so.
    let mut bare = r.clone();
    bare.model = None;
    let e = s.open_run(&bare.to_json(), 0.2).unwrap_err();
    assert!(e.to_string().contains("kept no model"), "{e}");
}

#[test]
fn two_runs_on_the_same_split_compare_user_by_user() {
    let mut s = generated();
    let small = trained(&mut s, 1, 2);
    let big = trained(&mut s, 6, 30);
    let c = run::compare(&small, &big, 500, 1).unwrap();
    let names: Vec<&str> = c.metrics.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["rmse", "ndcg@10", "recall@10"]);
    let rmse = &c.metrics[0].1;
    assert_eq!(rmse.n, small.per_user.users.len());
    assert!(rmse.mean_a != rmse.mean_b);
}

#[test]
fn files_of_runs_say_which_run_is_wrong() {
    let mut s = generated();
    let r = trained(&mut s, 2, 2);
    let mut bad: serde_json::Value =
        serde_json::from_str(&Run::write_many(&[r.clone(), r])).unwrap();
    bad["runs"][1]["perUser"] = serde_json::json!("nothing");
    let e = Run::read_many(&bad.to_string()).unwrap_err();
    assert!(e.to_string().contains("run 2 of 2"), "{e}");
    let e = Run::read_many("{\"format\": \"mfp-model\"}").unwrap_err();
    assert!(e.to_string().contains("is not an mfp run"), "{e}");
    let e = Run::read_many("[1, 2").unwrap_err();
    assert!(e.to_string().contains("is not JSON"), "{e}");
}

#[test]
fn going_back_to_the_best_epoch_takes_the_later_points_off_the_curves() {
    let mut s = generated();
    s.configure_with(
        TrainParams::new(8)
            .learning_rate(0.05)
            .reg(0.0)
            .n_epochs(60),
        0.2,
        Some(EarlyStopping {
            validation: 0.2,
            patience: 3,
        }),
    )
    .unwrap();
    let reports = s.train_epochs(60).unwrap();
    let best = s.restore_best().unwrap();
    assert!(best < reports.len());
    let r = s
        .make_run(&RunRequest {
            name: "best".into(),
            data_name: "generated".into(),
            k: 10,
            threshold: 4.0,
            knobs: None,
        })
        .unwrap();
    assert_eq!(r.curves.last().unwrap().epoch, best);
    assert!(r
        .split
        .description
        .ends_with("; 0.2 of training held out for early stopping"));
}
