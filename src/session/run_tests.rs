//! Runs made in the page (kept, written, read back, opened again to the same figures, compared)
//! and the t-SNE and UMAP maps of its embeddings.

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

/// The current model kept as a run named `name`, ranked at 10 (4 stars and up relevant).
fn keep(s: &Session, name: &str) -> Run {
    s.make_run(&RunRequest {
        name: name.into(),
        data_name: "generated".into(),
        k: 10,
        threshold: 4.0,
        knobs: None,
    })
    .unwrap()
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
    let again = keep(&s, "again");
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
    let r = keep(&s, "best");
    assert_eq!(r.curves.last().unwrap().epoch, best);
    assert!(r
        .split
        .description
        .ends_with("; 0.2 of training held out for early stopping"));
}

#[test]
fn t_sne_and_umap_maps_of_the_items_keep_their_neighbours_better_than_chance() {
    let mut s = Session::new(Limits::PAGE, None);
    s.generate(&SyntheticParams {
        n_users: 200,
        n_items: 150,
        n_clusters: 4,
        density: 0.25,
        seed: 8,
        ..SyntheticParams::default()
    })
    .unwrap();
    s.configure(
        TrainParams::new(8)
            .learning_rate(0.02)
            .reg(0.05)
            .n_epochs(40),
        0.0,
    )
    .unwrap();
    s.train_epochs(40).unwrap();
    let items = s.embeddings(None).unwrap();
    assert_eq!(items.items.coords.len(), 300);
    let factors = {
        let t = s.sound_trainer().unwrap();
        t.tables_named("factors").unwrap().1
    };
    let mut random = crate::rng::Rng::new(1);
    let chance: Vec<f32> = (0..300).map(|_| random.normal() as f32).collect();
    let floor = crate::layout::trustworthiness(&factors, &chance, 10);
    for method in ["tsne", "umap"] {
        let started = s
            .map_start(&MapRequest {
                method: method.into(),
                ..MapRequest::default()
            })
            .unwrap();
        assert_eq!((started.rows.len(), started.total), (150, 150));
        let first = s.map_step(0).unwrap();
        assert_eq!((first.step, first.done), (0, false));
        let mut last = first;
        while !last.done {
            last = s.map_step(100).unwrap();
        }
        assert_eq!(last.step, started.steps);
        let trust = crate::layout::trustworthiness(&factors, &last.coords, 10);
        assert!(
            trust > floor + 0.2 && trust > 0.85,
            "{method}: {trust} (random {floor})"
        );
    }
    // Bad requests are refused by name; other data drops the map.
    let e = s
        .map_start(&MapRequest {
            method: "isomap".into(),
            ..MapRequest::default()
        })
        .unwrap_err();
    assert!(e.to_string().contains("choose tsne or umap"), "{e}");
    s.load_builtin("seed-10x10").unwrap();
    assert!(s.map_step(1).is_err());
}

#[test]
fn successive_maps_are_turned_onto_the_one_before() {
    let mut s = Session::new(Limits::PAGE, None);
    s.generate(&SyntheticParams {
        n_users: 80,
        n_items: 60,
        density: 0.3,
        seed: 2,
        ..SyntheticParams::default()
    })
    .unwrap();
    s.configure(TrainParams::new(6).learning_rate(0.02).n_epochs(30), 0.0)
        .unwrap();
    s.train_epochs(10).unwrap();
    let before = s.embeddings(None).unwrap();
    // The same map turned a quarter and mirrored comes back onto itself.
    let turned: Vec<f32> = before
        .items
        .coords
        .chunks(2)
        .flat_map(|p| [-p[1], -p[0]])
        .collect();
    let e = s
        .embeddings_aligned(None, Some((&before.users.coords, &turned)))
        .unwrap();
    assert!(e.aligned);
    let (_, rms) = crate::layout::align(&before.items.coords, &turned);
    for (a, b) in e.items.coords.iter().zip(&turned) {
        assert!((a - b).abs() <= rms + 1e-4);
    }
    // After more epochs, the turned map is at least as close to the last one as the plain map.
    s.train_epochs(5).unwrap();
    let plain = s.embeddings(None).unwrap();
    let aligned = s
        .embeddings_aligned(None, Some((&before.users.coords, &before.items.coords)))
        .unwrap();
    let dist = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f32>();
    assert!(
        dist(&aligned.items.coords, &before.items.coords)
            <= dist(&plain.items.coords, &before.items.coords) + 1e-6
    );
    // Other points (another table, other data) are left as they are.
    let e = s
        .embeddings_aligned(None, Some((&[0.0; 4], &[0.0; 4])))
        .unwrap();
    assert!(!e.aligned);
    assert_eq!(e.items.coords, plain.items.coords);
}

#[test]
fn two_runs_maps_differ_mostly_by_a_turn() {
    let mut s = generated();
    let a = trained(&mut s, 4, 25);
    // The same model from another seed: other factors, much the same map once turned.
    s.configure(
        TrainParams::new(4)
            .learning_rate(0.02)
            .reg(0.05)
            .n_epochs(25)
            .seed(7),
        0.2,
    )
    .unwrap();
    s.train_epochs(25).unwrap();
    let b = keep(&s, "seed 7");
    let m = run::compare_maps(&a, &b, "items").unwrap();
    assert_eq!(m.a.len(), 180);
    assert_eq!(m.labels.len(), 90);
    assert!(
        m.rms_after < m.rms_before,
        "{} {}",
        m.rms_after,
        m.rms_before
    );
    assert!(m.moved.windows(2).all(|w| w[0].1 >= w[1].1));
    let same = run::compare_maps(&a, &a, "users").unwrap();
    assert!(same.rms_after < 1e-5 && same.rms_before < 1e-5);
    let mut other = Session::new(Limits::PAGE, None);
    other.load_builtin("seed-10x10").unwrap();
    other.configure(TrainParams::new(2), 0.2).unwrap();
    other.train_epochs(2).unwrap();
    let c = other
        .make_run(&RunRequest {
            name: "other".into(),
            data_name: "seed".into(),
            k: 10,
            threshold: 0.5,
            knobs: None,
        })
        .unwrap();
    let e = run::compare_maps(&a, &c, "items").unwrap_err();
    assert!(e.to_string().contains("different data"), "{e}");
}

#[test]
fn a_map_of_more_than_its_limit_lays_out_an_evenly_spaced_sample_and_says_so() {
    let mut s = Session::new(Limits::PAGE, None);
    s.generate(&SyntheticParams {
        n_users: 40,
        n_items: MAX_MAP_POINTS + 300,
        density: 0.2,
        seed: 1,
        ..SyntheticParams::default()
    })
    .unwrap();
    s.configure(TrainParams::new(3).n_epochs(1), 0.0).unwrap();
    s.train_epochs(1).unwrap();
    let started = s
        .map_start(&MapRequest {
            method: "umap".into(),
            ..MapRequest::default()
        })
        .unwrap();
    assert_eq!(started.total, MAX_MAP_POINTS + 300);
    // As many as a layout takes, evenly spaced over all of them.
    assert_eq!(started.rows.len(), MAX_MAP_POINTS);
    assert!(started
        .rows
        .windows(2)
        .all(|w| (1..=2).contains(&(w[1] - w[0]))));
    assert!(*started.rows.last().unwrap() as usize >= MAX_MAP_POINTS + 290);
    let ids = s.data_ref().unwrap().item_ids();
    assert_eq!(started.ids[7], ids[started.rows[7] as usize]);
}
