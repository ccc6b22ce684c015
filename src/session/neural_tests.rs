//! The neural families in the session, as the page meets them: configured by the family knob,
//! trained in slices, shown, explained, stopped early, and refused clearly where only MF goes.

use super::*;
use crate::fit::Parts;
use crate::model::Similarity;
use crate::synthetic::SyntheticParams;
use crate::train::{Family, Loss, TrainParams};

fn implicit_session() -> Session {
    let mut s = Session::new(Limits::PAGE, None);
    s.generate(&SyntheticParams {
        n_users: 60,
        n_items: 40,
        implicit: true,
        ..SyntheticParams::default()
    })
    .unwrap();
    s
}

fn neumf() -> TrainParams {
    TrainParams {
        n_factors: 4,
        layers: vec![8, 4],
        learning_rate: 0.01,
        batch_size: 64,
        ..TrainParams::for_family(Family::NeuMf)
    }
}

#[test]
fn a_network_trains_in_slices_and_every_view_follows_it() {
    let mut s = implicit_session();
    s.configure(neumf(), 0.2).unwrap();
    let mut reports = Vec::new();
    // The page's slices: a few hundred examples at a time, pausable between them.
    while reports.len() < 5 {
        if let Some(r) = s.advance(300).unwrap() {
            reports.push(r);
        } else {
            assert!(s.in_epoch());
        }
    }
    assert_eq!(s.epoch(), 5);
    assert!(reports[4].loss < reports[0].loss);
    let shape = s.view_shape().unwrap();
    let predicted = s.predicted_matrix().unwrap();
    assert_eq!(predicted.len(), shape.len());
    assert!(predicted.iter().all(|p| (0.0..=1.0).contains(p)));
    assert_eq!(s.residual_matrix().unwrap().len(), shape.len());
    let Parts::Neural(e) = s.explain(3, 5).unwrap() else {
        panic!("a network's explanation")
    };
    assert_eq!(e.family, Family::NeuMf);
    assert_eq!(e.factor_parts.len(), 4);
    let sum = e.bias + e.factor_parts.iter().sum::<f32>() + e.tower.unwrap();
    assert!((sum - e.score).abs() < 1e-5);
    let map = s.embeddings(None).unwrap();
    assert_eq!(
        (map.users.coords.len(), map.items.coords.len()),
        (60 * 2, 40 * 2)
    );
    let names: Vec<&str> = map.tables.iter().map(|t| t.name).collect();
    assert_eq!((map.table, names), ("gmf", vec!["gmf", "mlp"]));
    assert_eq!(map.tables[1].label, "MLP embeddings");
    let mlp = s.embeddings(Some("mlp")).unwrap();
    assert_eq!(mlp.table, "mlp");
    assert_ne!(mlp.items.coords, map.items.coords);
    let e = s.embeddings(Some("factors")).unwrap_err().to_string();
    assert!(e.contains("tables are gmf, mlp"), "{e}");
    let recs = s.recommend(3, 5).unwrap();
    assert_eq!(recs.items.len(), 5);
    assert!(s.similar_items(2, 3, Similarity::Cosine).unwrap().len() == 3);
    let table = s.evaluate(10, 1.0).unwrap();
    assert!(table.rows[0].ranking.is_some());
    // NCF's sampled protocol for the model and each baseline that ranks, none for the global
    // mean (its scores are all alike).
    let hr: Vec<Option<f64>> = table
        .rows
        .iter()
        .map(|r| r.sampled.map(|x| x.hit_ratio))
        .collect();
    assert!(hr[0].is_some_and(|h| (0.0..=1.0).contains(&h)), "{hr:?}");
    assert_eq!(hr[1], None);
    assert!(hr[2..].iter().all(Option::is_some), "{hr:?}");
    // A new user: fitted with the items and layers fixed, never recommended what they rated.
    let recs = s.fold_in(&[(1, 1.0), (2, 1.0)], 5).unwrap();
    assert_eq!(recs.len(), 5);
    assert!(recs.iter().all(|r| r.item != 1 && r.item != 2));
    assert!(
        recs.iter().all(|r| (0.0..=1.0).contains(&r.value)),
        "{recs:?}"
    );
    let e = s.fold_in(&[(1, 0.5)], 5).unwrap_err().to_string();
    assert!(e.contains("this model's data is 0/1"), "{e}");
    // A model file takes the network out and back in: the same predictions, the same epoch.
    let json = s.export_model("synthetic").unwrap();
    assert!(json.starts_with("{\"format\":\"mf-playground-network\""));
    let before = s.predicted_matrix().unwrap();
    s.configure(neumf(), 0.2).unwrap();
    assert_ne!(s.predicted_matrix().unwrap(), before);
    let (p, epoch) = s.import_model(&json, 0.2).unwrap();
    assert_eq!((p.family, epoch), (Family::NeuMf, 5));
    assert_eq!(s.predicted_matrix().unwrap(), before);
    assert_eq!(s.train_epochs(1).unwrap()[0].epoch, 6);
    // The lab's world can be the network: its click probabilities are the truth.
    let setup = LabSetup {
        world: WorldSource::Model,
        ..LabSetup::default()
    };
    assert_eq!(s.lab_start(&setup).unwrap().len(), 4);
    assert_eq!(s.lab_step(3, false).unwrap().rounds.len(), 3);
    let projector = s.projector().unwrap();
    assert_eq!(projector.item_vectors.lines().count(), 40);
    assert!(projector.item_metadata.starts_with("id\ttitle\n"));
}

#[test]
fn a_user_added_with_a_trained_users_ratings_is_recommended_what_that_user_is() {
    for family in [Family::Gmf, Family::Mlp, Family::NeuMf] {
        let mut s = Session::new(Limits::PAGE, None);
        s.generate(&SyntheticParams {
            n_users: 200,
            n_items: 60,
            implicit: true,
            density: 0.8,
            ..SyntheticParams::default()
        })
        .unwrap();
        s.configure(
            TrainParams {
                n_factors: 8,
                layers: vec![16, 8],
                learning_rate: 0.01,
                batch_size: 64,
                ..TrainParams::for_family(family)
            },
            0.0,
        )
        .unwrap();
        s.train_epochs(40).unwrap();
        let data = s.loaded().unwrap().data.clone();
        let by_user = data.by_user();
        // Each of 20 users added again from their clicks: their top ten against the
        // trained user's, and against user u + 100's (what an unrelated taste shares).
        let (mut own, mut other) = (0, 0);
        for (u, rows) in by_user.iter().enumerate().take(20) {
            let rated: Vec<(usize, f32)> = rows
                .iter()
                .map(|&k| (data.get(k).1, data.get(k).2))
                .filter(|r| r.1 == 1.0)
                .collect();
            let folded: Vec<usize> = s
                .fold_in(&rated, 10)
                .unwrap()
                .iter()
                .map(|r| r.item)
                .collect();
            let top = |v: usize| -> Vec<usize> {
                s.recommend(v, 10)
                    .unwrap()
                    .items
                    .iter()
                    .map(|r| r.item)
                    .collect()
            };
            own += top(u).iter().filter(|i| folded.contains(i)).count();
            other += top(u + 100).iter().filter(|i| folded.contains(i)).count();
        }
        // Measured: 151, 127 and 141 of 200 shared with the user, about 36 with another.
        assert!(
            own >= 100 && own > 2 * other,
            "{family:?}: {own} vs {other} of 200"
        );
    }
}

#[test]
fn early_stopping_and_new_knobs_work_for_a_network_as_for_mf() {
    let mut s = implicit_session();
    let early = EarlyStopping {
        validation: 0.2,
        patience: 2,
    };
    s.configure_with(neumf(), 0.2, Some(early)).unwrap();
    let r = s.train_epochs(30).unwrap();
    let best = r.last().unwrap().best_epoch.unwrap();
    assert_eq!(s.restore_best().unwrap(), best);
    assert_eq!(s.epoch(), best);
    // The rate changes from the next epoch on; the tower needs a new model.
    s.set_params(TrainParams {
        learning_rate: 0.002,
        ..neumf()
    })
    .unwrap();
    let e = s
        .set_params(TrainParams {
            layers: vec![16, 8],
            ..neumf()
        })
        .unwrap_err();
    assert!(e.to_string().contains("layers"), "{e}");
    let e = s
        .set_params(TrainParams::for_family(Family::Gmf))
        .unwrap_err();
    assert!(e.to_string().contains("family"), "{e}");
}

#[test]
fn the_page_limits_hold_for_networks_with_a_clear_message() {
    let mut s = Session::new(Limits::PAGE, None);
    s.generate(&SyntheticParams::default()).unwrap();
    let huge = TrainParams {
        n_factors: 8,
        layers: vec![4096, 4096, 4096, 4096],
        loss: Loss::Squared,
        ..TrainParams::for_family(Family::Mlp)
    };
    let e = s.configure(huge, 0.2).unwrap_err().to_string();
    assert!(e.contains("the tower 4096,4096,4096,4096 makes"), "{e}");
    assert!(
        e.contains("choose fewer factors or a narrower tower"),
        "{e}"
    );
    let e = s
        .configure(
            TrainParams {
                layers: vec![8, 0],
                ..neumf()
            },
            0.2,
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("size 0"), "{e}");
    // The data and a model of it are still there.
    s.configure(
        TrainParams {
            loss: Loss::Squared,
            ..neumf()
        },
        0.2,
    )
    .unwrap();
    assert_eq!(s.train_epochs(1).unwrap().len(), 1);
}

#[test]
fn the_articles_model_on_its_random_matrix_memorises_and_learns_nothing() {
    // What the article's code means (embeddings, a product, a dense sigmoid output, binary
    // cross-entropy; Adam, batches of 32, 10 epochs, 5 factors) on its random 0/1 matrix.
    let mut s = Session::new(Limits::PAGE, None);
    s.load_builtin("article-random").unwrap();
    let p = TrainParams {
        n_factors: 5,
        n_epochs: 10,
        batch_size: 32,
        negatives: 0,
        ..TrainParams::for_family(Family::Gmf)
    };
    s.configure(p.clone(), 0.2).unwrap();
    s.train_epochs(10).unwrap();
    let auc = |s: &Session| {
        s.evaluate(10, 1.0).unwrap().rows[0]
            .ranking
            .as_ref()
            .unwrap()
            .auc
    };
    let held_out = auc(&s);
    assert!((0.42..0.58).contains(&held_out), "held-out AUC {held_out}");
    // Longer and faster, it fits the training cells better, and still nothing carries over.
    s.configure(
        TrainParams {
            learning_rate: 0.01,
            n_epochs: 60,
            ..p
        },
        0.2,
    )
    .unwrap();
    let r = s.train_epochs(60).unwrap();
    // From ln 2 = 0.693 (a coin) down: 1,000 embedding numbers fit some of 8,000 random bits.
    assert!(
        r[59].loss < 0.62,
        "fitted noise: training loss {}",
        r[59].loss
    );
    let held_out = auc(&s);
    assert!((0.42..0.58).contains(&held_out), "held-out AUC {held_out}");
}
