//! The session's behaviour as the page meets it, through its public calls.

use super::limits::thousands;
use super::*;
use crate::data::parse::ReadOptions;
use crate::data::split::Holdout;
use crate::data::Feedback;
use crate::lab::Policy;
use crate::model::Similarity;
use crate::sweep::{SweepGrid, SweepPoint};
use crate::train::{Loss, TrainParams};

fn seed_session() -> Session {
    let mut s = Session::new(Limits::PAGE, None);
    s.load_builtin("seed-10x10").unwrap();
    s
}

#[test]
fn a_failed_load_keeps_the_data_and_the_model() {
    let mut s = seed_session();
    s.configure(TrainParams::new(2).loss(Loss::Logistic), 0.2)
        .unwrap();
    s.train_epochs(3).unwrap();
    let before = s.predicted_matrix().unwrap();
    let e = s
        .preview_bytes(
            b"a,b,1\nc,d,x\n",
            &ReadOptions::default(),
            None,
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 2, column 3: rating \"x\" is not a number"
    );
    assert!(s.load_bytes(b"", &ReadOptions::default(), None).is_err());
    assert_eq!(s.epoch(), 3);
    assert_eq!(s.predicted_matrix().unwrap(), before);
    assert_eq!(s.shape().unwrap(), (10, 10));
}

#[test]
fn limits_refuse_oversized_data_and_models_with_a_message() {
    let small = Limits {
        max_users: 5,
        max_items: 100,
        max_ratings: 1_000,
        max_parameters: 100,
    };
    let mut s = Session::new(small, None);
    let e = s.load_builtin("seed-10x10").unwrap_err();
    assert_eq!(e.code(), "too_large");
    assert_eq!(
        e.to_string(),
        "the data has 10 users; the page takes at most 5 (the mfp command line has no limit)"
    );
    let mut s = Session::new(
        Limits {
            max_users: 10,
            ..small
        },
        None,
    );
    s.load_builtin("seed-10x10").unwrap();
    let e = s.configure(TrainParams::new(8), 0.0).unwrap_err();
    assert_eq!(e.code(), "too_large");
    assert_eq!(
        e.to_string(),
        "8 factors make 180 model parameters ((users + items) x (factors + 1)); \
         the page takes at most 100: choose at most 4 factors"
    );
    assert_eq!(thousands(1_234_567), "1,234,567");
    assert_eq!(thousands(100), "100");
    s.configure(TrainParams::new(4), 0.0).unwrap();
}

#[test]
fn a_diverged_model_is_not_ranked_explained_or_mapped() {
    let mut s = seed_session();
    let p = TrainParams::new(8).loss(Loss::Squared).learning_rate(90.0);
    s.configure(p, 0.2).unwrap();
    let reports = s.train_epochs(50).unwrap();
    assert!(reports.last().unwrap().diverged);
    for e in [
        s.recommend(0, 5).map(|_| ()),
        s.explain(0, 0).map(|_| ()),
        s.embeddings(None).map(|_| ()),
        s.similar_items(0, 3, Similarity::Cosine).map(|_| ()),
        s.fold_in(&[(0, 1.0)], 3).map(|_| ()),
        s.evaluate(5, 0.5).map(|_| ()),
    ] {
        let e = e.unwrap_err();
        assert_eq!(e.code(), "not_ready");
        assert!(e.to_string().contains("diverged"), "{e}");
    }
    // Reset: a fresh model with a sane rate serves again.
    s.configure(TrainParams::new(4).loss(Loss::Logistic), 0.2)
        .unwrap();
    s.train_epochs(2).unwrap();
    assert!(s
        .recommend(0, 5)
        .unwrap()
        .items
        .iter()
        .all(|x| x.value.is_finite()));
}

#[test]
fn the_lab_runs_on_a_generated_world_or_on_the_trained_model() {
    let mut s = seed_session();
    let names = s.lab_start(&LabSetup::default()).unwrap();
    assert_eq!(names, ["greedy", "epsilon-greedy", "ucb", "thompson"]);
    let r = s.lab_step(3, false).unwrap();
    assert_eq!(
        (r.rounds.len(), r.rounds[2].len(), r.intervals),
        (3, 4, None)
    );
    // The model as the truth needs a model first.
    let setup = LabSetup {
        world: WorldSource::Model,
        ab: true,
        policies: vec![Policy::Random, Policy::Ucb],
        ..LabSetup::default()
    };
    assert_eq!(s.lab_start(&setup).unwrap_err().code(), "not_ready");
    s.configure(TrainParams::new(2).loss(Loss::Logistic), 0.0)
        .unwrap();
    s.train_epochs(5).unwrap();
    assert_eq!(s.lab_start(&setup).unwrap(), ["A: random", "B: ucb"]);
    let r = s.lab_step(2, true).unwrap();
    assert_eq!(r.intervals.as_ref().map(Vec::len), Some(2));
    // The comparison is still there beside the A/B test, and goes on from its round 3.
    let r = s.lab_step(1, false).unwrap();
    assert_eq!((r.rounds[0][0].round, r.intervals), (4, None));
    let p = s.aa_peeking(10, 20, 30, 1).unwrap();
    assert_eq!(p.runs, 30);
    let three = LabSetup {
        ab: true,
        ..LabSetup::default()
    };
    assert_eq!(s.lab_start(&three).unwrap_err().code(), "invalid_param");
}

fn explicit_session() -> Session {
    let mut s = Session::new(Limits::PAGE, None);
    s.generate(&SyntheticParams {
        n_users: 60,
        n_items: 40,
        density: 0.3,
        seed: 3,
        ..SyntheticParams::default()
    })
    .unwrap();
    s
}

#[test]
fn early_stopping_reports_validation_error_stops_and_restores_the_best_epoch() {
    let mut s = explicit_session();
    let early = EarlyStopping {
        validation: 0.2,
        patience: 3,
    };
    // Many factors, no regularisation, a high rate: it over-fits, validation turns up.
    let p = TrainParams::new(32)
        .learning_rate(0.05)
        .reg(0.0)
        .init_std(0.3);
    s.configure_with(p, 0.2, Some(early)).unwrap();
    let reports = s.train_epochs(500).unwrap();
    let last = reports.last().unwrap();
    assert!(last.stop, "stopped before 500 epochs: {}", reports.len());
    let best = last.best_epoch.unwrap();
    assert_eq!(last.epoch, best + 3, "three epochs without improvement");
    let best_v = reports[best - 1].validation_rmse.unwrap();
    assert!(reports.iter().all(|r| r.validation_rmse.unwrap() >= best_v));
    assert_eq!(s.restore_best().unwrap(), best);
    assert_eq!(s.epoch(), best);
    // Training on from the best model gives reports again, numbered from there.
    let more = s.train_epochs(1).unwrap();
    assert_eq!(more[0].epoch, best + 1);
    // Without early stopping there is no validation figure and no stop.
    s.configure(TrainParams::new(4), 0.2).unwrap();
    let r = s.train_epochs(2).unwrap();
    assert!(r.iter().all(|r| r.validation_rmse.is_none() && !r.stop));
    assert_eq!(s.restore_best().unwrap_err().code(), "not_ready");
}

#[test]
fn a_threshold_turns_ratings_into_clicks_and_back() {
    let mut s = explicit_session();
    let before = s.observed_matrix().unwrap();
    let sum = s.set_implicit_threshold(Some(3.5)).unwrap();
    assert_eq!(sum.feedback, Feedback::Implicit);
    let bin = s.observed_matrix().unwrap();
    for (a, b) in before.iter().zip(&bin) {
        if a.is_nan() {
            assert!(b.is_nan());
        } else {
            assert_eq!(*b, if *a >= 3.5 { 1.0 } else { 0.0 });
        }
    }
    assert!(
        s.truth_matrix().is_err(),
        "the ratings' truth does not describe clicks"
    );
    // Another threshold applies to the original ratings, not to the 0/1 data.
    s.set_implicit_threshold(Some(2.0)).unwrap();
    assert!(
        s.observed_matrix()
            .unwrap()
            .iter()
            .filter(|v| **v == 1.0)
            .count()
            > bin.iter().filter(|v| **v == 1.0).count()
    );
    let back = s.set_implicit_threshold(None).unwrap();
    assert_eq!(back.feedback, Feedback::Explicit);
    assert_eq!(s.observed_matrix().unwrap().len(), before.len());
    assert!(s.truth_matrix().is_ok());
    assert_eq!(
        s.set_implicit_threshold(Some(99.0)).unwrap_err().code(),
        "invalid_param"
    );
    let mut seed = seed_session();
    assert_eq!(
        seed.set_implicit_threshold(Some(0.5)).unwrap_err().code(),
        "invalid_param"
    );
}

#[test]
fn a_sweep_point_is_the_model_configure_and_train_would_give() {
    let mut s = explicit_session();
    let base = TrainParams::new(8).learning_rate(0.02);
    let grid = SweepGrid {
        factors: vec![2, 8],
        regs: vec![0.05],
        epochs: vec![6],
        ..SweepGrid::default()
    };
    assert_eq!(s.sweep_start(base.clone(), &grid, 0.2).unwrap(), 2);
    let p1 = s.sweep_point(1).unwrap();
    assert_eq!((p1.n_factors, p1.epochs), (8, 6));
    s.configure(base.clone().reg(0.05).n_epochs(6), 0.2)
        .unwrap();
    let r = s.train_epochs(6).unwrap();
    assert_eq!(r.last().unwrap().test_rmse.unwrap(), p1.test_rmse);
    let f = s.sweep_fronts().unwrap();
    assert_eq!((f.points.len(), f.by_size.len()), (1, 1));
    assert!(
        f.by_size[0] && f.by_time[0],
        "a lone point is on both fronts"
    );
    assert_eq!(s.sweep_point(2).unwrap_err().code(), "out_of_range");
    // Another engine with the same data and sweep trains point 0: recorded here, it is the
    // point this engine would have trained, and it joins the fronts.
    let mut other = explicit_session();
    other.sweep_start(base.clone(), &grid, 0.2).unwrap();
    let p0 = other.sweep_point(0).unwrap();
    s.sweep_record(p0.clone()).unwrap();
    assert_eq!(s.sweep_fronts().unwrap().points.len(), 2);
    let mut again = explicit_session();
    again.sweep_start(base.clone(), &grid, 0.2).unwrap();
    assert_eq!(again.sweep_point(0).unwrap().test_rmse, p0.test_rmse);
    // A point of another sweep is refused.
    let wrong = SweepPoint {
        n_factors: 3,
        ..p0.clone()
    };
    let e = s.sweep_record(wrong).unwrap_err().to_string();
    assert!(e.contains("other parameters"), "{e}");
    let far = SweepPoint { index: 9, ..p0 };
    assert_eq!(s.sweep_record(far).unwrap_err().code(), "out_of_range");
    assert_eq!(
        s.sweep_start(base, &grid, 0.0).unwrap_err().code(),
        "invalid_param"
    );
}

#[test]
fn an_exported_model_imports_to_the_same_predictions_and_trains_on() {
    let mut s = explicit_session();
    let p = TrainParams::new(4).learning_rate(0.02);
    s.configure(p.clone(), 0.2).unwrap();
    s.train_epochs(7).unwrap();
    let json = s.export_model("synthetic").unwrap();
    let before = s.predicted_matrix().unwrap();
    let next = s.train_epochs(1).unwrap()[0].test_rmse;
    // A fresh model, then the import: the same predictions, epoch 7, and the same next epoch.
    s.configure(TrainParams::new(4), 0.2).unwrap();
    let (params, epoch) = s.import_model(&json, 0.2).unwrap();
    assert_eq!((params, epoch), (p, 7));
    assert_eq!(s.predicted_matrix().unwrap(), before);
    assert_eq!(s.epoch(), 7);
    assert_eq!(s.train_epochs(1).unwrap()[0].test_rmse, next);
    // Other data: a clear refusal.
    let mut other = seed_session();
    let e = other.import_model(&json, 0.2).unwrap_err();
    assert!(
        e.to_string()
            .contains("load the data the model was trained on first"),
        "{e}"
    );
    // The other exports.
    let proj = s.projector().unwrap();
    assert_eq!(proj.item_vectors.lines().count(), 40);
    assert_eq!(
        proj.item_vectors
            .lines()
            .next()
            .unwrap()
            .split('\t')
            .count(),
        4
    );
    assert!(proj.item_metadata.starts_with("id\ttitle\tbias\n"));
    let preds = s.predictions_csv().unwrap();
    assert_eq!(preds.lines().count(), 1 + 720);
    let recs = s.recommendations_csv(3).unwrap();
    assert_eq!(recs.lines().count(), 1 + 60 * 3);
}

#[test]
fn a_negative_test_share_is_refused() {
    let mut s = seed_session();
    let e = s.configure(TrainParams::new(2), -0.1).unwrap_err();
    assert_eq!(e.code(), "invalid_param");
}

#[test]
fn titles_given_after_the_ratings_are_applied_and_the_model_kept() {
    let mut s = Session::new(Limits::PAGE, None);
    s.load_bytes(
        b"1\t242\t5\n1\t302\t3\n2\t242\t4\n2\t302\t2\n",
        &ReadOptions::default(),
        None,
    )
    .unwrap();
    s.configure(TrainParams::new(2), 0.0).unwrap();
    s.train_epochs(2).unwrap();
    let u_item = b"242|Kolya (1996)|24-Jan-1997||url|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n\
                   302|L.A. Confidential (1997)|01-Jan-1997||url|0|0|0|0|0|0|1|0|0|0|1|0|0|1|0|0|1|0|0\n";
    let summary = s.set_titles(u_item).unwrap();
    assert_eq!(
        summary.item_labels,
        ["Kolya (1996)", "L.A. Confidential (1997)"]
    );
    assert_eq!(summary.groups.unwrap().names, ["Comedy", "Crime"]);
    assert_eq!(s.epoch(), 2, "the model stays");
    // Titles of other data, or a bad file, change nothing and say why.
    let e = s.set_titles(b"1|Toy Story (1995)|x\n").unwrap_err();
    assert!(
        e.to_string()
            .contains("names none of the loaded data's items"),
        "{e}"
    );
    assert!(s.set_titles(b"").is_err());
    let again = s.set_titles(u_item).unwrap();
    assert_eq!(again.item_labels[0], "Kolya (1996)");
}

#[test]
fn a_test_file_is_every_model_s_test_part_and_stays_with_its_data() {
    let mut s = Session::new(Limits::PAGE, None);
    let base = b"u1,a,5\nu1,b,3\nu2,a,4\nu2,c,1\nu3,b,2\nu3,c,5\n";
    s.load_bytes(base, &ReadOptions::default(), None).unwrap();
    // u9 and item z are unknown: skipped and counted.
    let test = b"u1,c,4\nu2,b,2\nu9,a,3\nu3,z,1\n";
    let t = s
        .set_test_bytes(Some(test), &ReadOptions::default())
        .unwrap()
        .unwrap();
    assert_eq!((t.n_ratings, t.dropped), (2, 2));
    // The test share asked for is not used: all six ratings train, the file's two test.
    s.configure(TrainParams::new(2), 0.5).unwrap();
    let r = s.train_epochs(3).unwrap();
    assert!(r[2].test_rmse.is_some());
    let csv = s.predictions_csv().unwrap();
    assert_eq!(csv.matches(",train\n").count(), 6);
    assert_eq!(csv.matches(",test\n").count(), 2);
    // Shown as 0/1, the test file is too (4 >= 4 is a 1, 2 a 0); and back.
    s.set_implicit_threshold(Some(4.0)).unwrap();
    assert_eq!(s.test_file(), Some(t.clone()));
    s.configure(TrainParams::new(2).loss(Loss::Logistic), 0.2)
        .unwrap();
    s.train_epochs(1).unwrap();
    let csv = s.predictions_csv().unwrap();
    assert!(csv.contains("u1,c,1,") && csv.contains("u2,b,0,"), "{csv}");
    s.set_implicit_threshold(None).unwrap();
    assert_eq!(s.test_file(), Some(t));
    // A file for other data is refused and changes nothing; other data drops the test file.
    let e = s
        .set_test_bytes(Some(b"x,y,1\n"), &ReadOptions::default())
        .unwrap_err();
    assert!(e.to_string().contains("none has a user and an item"), "{e}");
    assert!(s.test_file().is_some());
    s.load_builtin("seed-10x10").unwrap();
    assert_eq!(s.test_file(), None);
}

#[test]
fn a_u_genre_file_names_the_genre_flags_of_u_item_before_or_after_it() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/fixtures");
    let ratings = std::fs::read(root.join("u.data")).unwrap();
    let item = std::fs::read(root.join("u.item")).unwrap();
    // The standard names in Chinese, for a class: one per flag, numbered from 0.
    let zh = [
        "未知",
        "动作",
        "冒险",
        "动画",
        "儿童",
        "喜剧",
        "犯罪",
        "纪录片",
        "剧情",
        "奇幻",
        "黑色电影",
        "恐怖",
        "歌舞",
        "悬疑",
        "爱情",
        "科幻",
        "惊悚",
        "战争",
        "西部",
    ];
    let genre: String = zh
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{n}|{i}\n"))
        .collect();
    let names = |s: &Session| {
        s.loaded
            .as_ref()
            .unwrap()
            .groups
            .as_ref()
            .unwrap()
            .names
            .clone()
    };
    for genre_first in [false, true] {
        let mut s = Session::new(Limits::PAGE, None);
        s.load_bytes(&ratings, &ReadOptions::default(), None)
            .unwrap();
        if genre_first {
            s.set_titles(genre.as_bytes()).unwrap();
            s.set_titles(&item).unwrap();
        } else {
            s.set_titles(&item).unwrap();
            let standard = names(&s);
            assert!(
                standard.iter().all(|n| !zh.contains(&n.as_str())),
                "{standard:?}"
            );
            s.set_titles(genre.as_bytes()).unwrap();
        }
        let named = names(&s);
        assert!(
            !named.is_empty()
                && named
                    .iter()
                    .all(|n| zh.contains(&n.as_str()) || n == "other"),
            "{named:?}"
        );
    }
    // A list with a number missing or twice names the line; with the ratings it is refused.
    let mut s = Session::new(Limits::PAGE, None);
    s.load_bytes(&ratings, &ReadOptions::default(), None)
        .unwrap();
    let e = s
        .set_titles(b"Action|0\nDrama|0\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("line 2") && e.contains("given twice"), "{e}");
    let e = s
        .set_titles(b"Action|0\nDrama|5\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("numbers its 2 genres from 0"), "{e}");
    let e = s
        .load_bytes(&ratings, &ReadOptions::default(), Some(genre.as_bytes()))
        .unwrap_err()
        .to_string();
    assert!(e.contains("genre list (u.genre)"), "{e}");
}

#[test]
fn the_holdout_makes_the_test_part_and_stays_with_its_data_through_a_threshold() {
    let mut s = Session::new(Limits::PAGE, None);
    // Each user's latest rating is of item "new"; the file's order puts it in the middle.
    let mut csv = String::new();
    for u in 0..6 {
        for (i, t) in [("a", 10), ("new", 900), ("b", 20), ("c", 30)] {
            csv.push_str(&format!("u{u},{i},{},{}\n", 1 + (u + t) % 5, t + u));
        }
    }
    let summary = s
        .load_bytes(csv.as_bytes(), &ReadOptions::default(), None)
        .unwrap();
    assert!(summary.has_times);
    assert_eq!(s.holdout(), Some(Holdout::Random));
    s.set_holdout(Holdout::OnePerUser).unwrap();
    // One per user ignores the share (0 would otherwise hold nothing out).
    s.configure(TrainParams::new(2), 0.0).unwrap();
    s.train_epochs(1).unwrap();
    let out = s.predictions_csv().unwrap();
    let tested: Vec<&str> = out.lines().filter(|l| l.ends_with(",test")).collect();
    assert_eq!(tested.len(), 6, "{out}");
    assert!(tested.iter().all(|l| l.contains(",new,")), "{out}");
    // The split by time: the latest quarter is every user's "new".
    s.set_holdout(Holdout::Latest).unwrap();
    assert!(!s.has_model(), "a new holdout drops the model");
    s.configure(TrainParams::new(2), 0.25).unwrap();
    s.train_epochs(1).unwrap();
    let out = s.predictions_csv().unwrap();
    assert_eq!(out.matches(",new,").count(), 6);
    assert!(out
        .lines()
        .filter(|l| l.ends_with(",test"))
        .all(|l| l.contains(",new,")));
    // The evaluation says where the split by time cut: the earliest "new" (user 0's, at 900).
    assert_eq!(s.evaluate(5, 4.0).unwrap().test_since, Some(900));
    s.set_holdout(Holdout::Random).unwrap();
    s.configure(TrainParams::new(2), 0.25).unwrap();
    s.train_epochs(1).unwrap();
    assert_eq!(s.evaluate(5, 4.0).unwrap().test_since, None);
    s.set_holdout(Holdout::Latest).unwrap();
    s.set_implicit_threshold(Some(3.0)).unwrap();
    assert_eq!(
        s.holdout(),
        Some(Holdout::Latest),
        "kept through a threshold"
    );
    // Data without times refuses the split by time and keeps what it had; other data resets it.
    s.load_builtin("seed-10x10").unwrap();
    assert_eq!(s.holdout(), Some(Holdout::Random));
    let e = s.set_holdout(Holdout::Latest).unwrap_err().to_string();
    assert!(e.contains("needs the time of every rating"), "{e}");
    assert_eq!(s.holdout(), Some(Holdout::Random));
}

#[test]
fn the_evaluation_says_whether_the_model_really_beats_each_baseline() {
    let mut s = Session::new(Limits::PAGE, None);
    s.generate(&crate::synthetic::SyntheticParams {
        n_users: 200,
        n_items: 120,
        density: 0.2,
        ..Default::default()
    })
    .unwrap();
    s.configure(
        TrainParams::new(4)
            .learning_rate(0.02)
            .reg(0.05)
            .n_epochs(40),
        0.2,
    )
    .unwrap();
    s.train_epochs(40).unwrap();
    let e = s.evaluate(10, 4.0).unwrap();
    let names: Vec<&str> = e.versus.iter().map(|v| v.name).collect();
    assert_eq!(names, ["bias-only", "popularity", "random"]);
    let ndcg = |name: &str| {
        let r = e.rows.iter().find(|r| r.name == name).unwrap();
        r.ranking.as_ref().unwrap().ndcg as f64
    };
    for v in &e.versus {
        let p = &v.paired;
        // The same users as the table's means: the mean difference is the difference of means.
        assert!(
            (p.mean_diff - (ndcg("model") - ndcg(v.name))).abs() < 1e-6,
            "{v:?}"
        );
        assert_eq!(p.n, e.rows[0].ranking.as_ref().unwrap().users);
        assert!(p.ci_low <= p.mean_diff && p.mean_diff <= p.ci_high);
    }
    // A model trained on genres clearly beats a random order.
    let random = &e.versus[2].paired;
    assert!(random.ci_low > 0.0 && random.p_value < 0.001, "{random:?}");
}
