//! The hybrid model (MF plus features, as LightFM) on data whose features explain part of the
//! taste: on items it has never seen it predicts from their genres, where MF has nothing.

use mf_playground::baseline::{Baseline, BaselineKind};
use mf_playground::data::split::{cold, holdout};
use mf_playground::data::{FeatureMatrix, Side};
use mf_playground::fit::Fitted;
use mf_playground::metrics::accuracy;
use mf_playground::synthetic::{generate, SyntheticParams};
use mf_playground::train::{Family, TrainParams, Trainer};

fn data() -> mf_playground::data::Ratings {
    generate(&SyntheticParams {
        n_users: 300,
        n_items: 200,
        n_clusters: 6,
        rank: 6,
        density: 0.12,
        spread: 0.2,
        seed: 3,
        ..Default::default()
    })
    .unwrap()
    .ratings
}

fn params(family: Family) -> TrainParams {
    TrainParams {
        learning_rate: 0.02,
        n_factors: 6,
        ..TrainParams::for_family(family).n_epochs(40)
    }
}

#[test]
fn on_new_items_the_hybrid_beats_mf_and_the_item_mean() {
    let split = cold(&data(), Side::Item, 0.2, 5).unwrap();
    let rmse = |family| {
        let mut f = Fitted::new(split.train.clone(), params(family)).unwrap();
        f.fit();
        accuracy(&split.test, |u, i| f.predict(u, i)).rmse
    };
    let (mf, hybrid) = (rmse(Family::Mf), rmse(Family::Hybrid));
    let base = Baseline::fit(BaselineKind::BiasOnly, &split.train, 1.0, 1).unwrap();
    let biases = accuracy(&split.test, |u, i| base.predict(u, i)).rmse;
    eprintln!("cold items: mf {mf:.3}, biases {biases:.3}, hybrid {hybrid:.3}");
    assert!(hybrid < 0.8 * mf, "hybrid {hybrid} vs mf {mf}");
    assert!(hybrid < 0.8 * biases, "hybrid {hybrid} vs biases {biases}");
}

#[test]
fn on_known_items_it_is_as_good_as_mf() {
    let split = holdout(&data(), 0.2, 5).unwrap();
    let rmse = |family| {
        let mut f = Fitted::new(split.train.clone(), params(family)).unwrap();
        f.fit();
        accuracy(&split.test, |u, i| f.predict(u, i)).rmse
    };
    let (mf, hybrid) = (rmse(Family::Mf), rmse(Family::Hybrid));
    eprintln!("warm: mf {mf:.3}, hybrid {hybrid:.3}");
    assert!(hybrid < 1.05 * mf, "hybrid {hybrid} vs mf {mf}");
}

#[test]
fn an_epoch_in_slices_equals_the_epoch_whole() {
    let p = params(Family::Hybrid).n_epochs(3);
    let mut whole = Trainer::new(data(), p.clone()).unwrap();
    let mut sliced = Trainer::new(data(), p).unwrap();
    for _ in 0..3 {
        let a = whole.step();
        let b = loop {
            if let Some(r) = sliced.advance(37) {
                break r;
            }
        };
        assert_eq!(a.loss, b.loss);
    }
    assert_eq!(whole.model(), sliced.model());
}

#[test]
fn the_model_is_the_sum_of_its_parts_and_explains_them() {
    let mut t = Trainer::new(data(), params(Family::Hybrid).n_epochs(2)).unwrap();
    t.fit();
    let m = t.model();
    let mut again = m.clone();
    again.compose();
    assert_eq!(&again, m);
    let e = m.explain(0, 0).unwrap();
    let names: Vec<&str> = e.feature_parts.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].starts_with("likes "), "{names:?}");
    // The parameters counted are the ids' and the features', not their sums twice.
    let parts = m.features.as_ref().unwrap();
    let k = m.n_factors();
    assert_eq!(
        m.n_parameters(),
        1 + parts.user.as_ref().unwrap().n_parameters()
            + parts.item.as_ref().unwrap().n_parameters()
    );
    assert_eq!(parts.item.as_ref().unwrap().factors.ncols(), k);
}

#[test]
fn without_features_it_says_so_and_a_factorisation_carries_on_unchanged() {
    let mut plain = data();
    plain.set_features(Side::User, None).unwrap();
    plain.set_features(Side::Item, None).unwrap();
    let e = Trainer::new(plain.clone(), params(Family::Hybrid))
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("needs features"), "{e}");
    // A trained MF model carried on as a hybrid predicts as it did.
    let mut mf = Trainer::new(plain.clone(), params(Family::Mf).n_epochs(3)).unwrap();
    mf.fit();
    let genres: Vec<Vec<String>> = (0..plain.n_items())
        .map(|i| vec![format!("g{}", i % 3)])
        .collect();
    plain
        .set_features(
            Side::Item,
            Some(FeatureMatrix::from_lists(&genres).unwrap().into()),
        )
        .unwrap();
    let carried = Trainer::with_model(plain, params(Family::Hybrid), mf.model().clone()).unwrap();
    for (u, i) in [(0, 0), (5, 17), (299, 199)] {
        assert!((carried.model().predict(u, i) - mf.model().predict(u, i)).abs() < 1e-6);
    }
}

#[test]
fn a_saved_hybrid_reads_back_whole_and_trains_on_as_it_would_have() {
    use mf_playground::model_file::SavedModel;
    let data = data();
    let p = params(Family::Hybrid).n_epochs(4);
    let mut t = Trainer::new(data.clone(), p.clone()).unwrap();
    for _ in 0..2 {
        t.step();
    }
    let text = SavedModel::of(t.model().clone(), &data, p.clone(), 2, "gen").to_json();
    let back = SavedModel::from_json(&text).unwrap();
    assert_eq!(
        &back.model,
        t.model(),
        "the parts and their sums, number for number"
    );
    // Carried on from the file, it trains as the run that was never saved.
    let mut again = Trainer::with_model(data.clone(), p, back.model.clone()).unwrap();
    again.restore(back.model, 2).unwrap();
    let mut whole = t;
    assert_eq!(whole.step().loss, again.step().loss);
    assert_eq!(whole.model(), again.model());
    // A file whose parts do not fit its shape names the field.
    let bad = text.replacen("\"idBias\":[", "\"idBias\":[0.5,", 1);
    let e = SavedModel::from_json(&bad).unwrap_err().to_string();
    assert!(e.contains("userFeatures") && e.contains("idBias"), "{e}");
}

#[test]
fn adam_and_rmsprop_train_the_hybrid_too_and_in_slices_as_whole() {
    use mf_playground::train::Optimizer;
    let split = cold(&data(), Side::Item, 0.2, 5).unwrap();
    for optimizer in [Optimizer::ADAM, Optimizer::RMSPROP] {
        let p = TrainParams {
            optimizer: optimizer.clone(),
            learning_rate: 0.01,
            batch_size: 32,
            ..params(Family::Hybrid)
        };
        let mut f = Fitted::new(split.train.clone(), p.clone()).unwrap();
        let reports = f.fit();
        assert!(
            reports.last().unwrap().loss < 0.5 * reports[0].loss,
            "{}",
            optimizer.name()
        );
        let hybrid = accuracy(&split.test, |u, i| f.predict(u, i)).rmse;
        let mut mf = Fitted::new(
            split.train.clone(),
            TrainParams {
                family: Family::Mf,
                ..p.clone()
            },
        )
        .unwrap();
        mf.fit();
        let plain = accuracy(&split.test, |u, i| mf.predict(u, i)).rmse;
        assert!(
            hybrid < 0.85 * plain,
            "{}: hybrid {hybrid} vs mf {plain}",
            optimizer.name()
        );
        // Slices of whole mini-batches give the epoch whole.
        let mut whole = Trainer::new(split.train.clone(), p.clone().n_epochs(2)).unwrap();
        let mut sliced = Trainer::new(split.train.clone(), p.n_epochs(2)).unwrap();
        for _ in 0..2 {
            let a = whole.step();
            let b = loop {
                if let Some(r) = sliced.advance(100) {
                    break r;
                }
            };
            assert_eq!(a.loss, b.loss);
        }
        assert_eq!(whole.model(), sliced.model());
    }
}

#[test]
fn the_networks_take_the_features_as_extra_inputs() {
    use mf_playground::model_file::Saved;
    let split = cold(&data(), Side::Item, 0.2, 5).unwrap();
    let p = |use_features| TrainParams {
        n_factors: 8,
        layers: vec![16, 8],
        learning_rate: 0.01,
        reg_factor: 0.001,
        loss: mf_playground::train::Loss::Squared,
        negatives: 0,
        n_epochs: 20,
        use_features,
        ..TrainParams::for_family(Family::NeuMf)
    };
    let rmse = |use_features| {
        let mut f = Fitted::new(split.train.clone(), p(use_features)).unwrap();
        f.fit();
        (accuracy(&split.test, |u, i| f.predict(u, i)).rmse, f)
    };
    let ((plain, _), (with, f)) = (rmse(false), rmse(true));
    eprintln!("new items, NeuMF: ids alone {plain:.3}, with features {with:.3}");
    assert!(with < 0.85 * plain, "with {with} vs without {plain}");
    // The parameters counted are the ids' and the features', and the file keeps them.
    let net = f.neural().unwrap();
    let feats = net.features.as_ref().unwrap();
    assert_eq!(feats.item.as_ref().unwrap().matrix.n_features(), 6);
    // Both sides have features here: what is left is the tower (16 x 8 + 8) and the output
    // layer (8 GMF + 8 tower inputs, + 1).
    assert_eq!(net.n_parameters() - feats.n_parameters(), 136 + 17);
    let saved = Saved::of(f.snapshot(), &split.train, p(true), 20, "gen");
    let back = Saved::from_json(&saved.to_json()).unwrap();
    assert_eq!(back.snapshot(), f.snapshot());
    // Slices of whole batches give the epoch whole, the features included.
    let mut whole = mf_playground::neural::NcfTrainer::new(split.train.clone(), p(true)).unwrap();
    let mut sliced = mf_playground::neural::NcfTrainer::new(split.train.clone(), p(true)).unwrap();
    let a = whole.step().unwrap();
    let b = loop {
        if let Some(r) = sliced.advance(300) {
            break r;
        }
    };
    assert_eq!(a.loss, b.loss);
    assert_eq!(whole.model(), sliced.model());
    // Without features in the data, the networks say what they need.
    let mut plain_data = split.train.clone();
    plain_data.set_features(Side::User, None).unwrap();
    plain_data.set_features(Side::Item, None).unwrap();
    let e = Fitted::new(plain_data, p(true)).err().unwrap().to_string();
    assert!(e.contains("needs features"), "{e}");
}

#[test]
fn a_network_explains_what_each_feature_adds() {
    let data = data();
    let p = TrainParams {
        n_factors: 4,
        learning_rate: 0.01,
        loss: mf_playground::train::Loss::Squared,
        negatives: 0,
        n_epochs: 3,
        use_features: true,
        ..TrainParams::for_family(Family::Gmf)
    };
    let mut f = Fitted::new(data, p).unwrap();
    f.fit();
    let net = f.neural().unwrap();
    let (u, i) = (3, 7);
    let e = net.explain(u, i).unwrap();
    // GMF is linear in the item's embedding: its factor parts are the id's part plus the item
    // features' parts (the user's held), exactly.
    let k = 4;
    let item = net.features.as_ref().unwrap().item.as_ref().unwrap();
    let h = &net.head.w[..k];
    let id: f32 = (0..k)
        .map(|j| h[j] * net.gmf_user[u * k + j] * item.gmf_id[i * k + j])
        .sum();
    let features: f32 = e
        .feature_parts
        .iter()
        .filter(|p| p.side == Side::Item)
        .map(|p| p.part)
        .sum();
    let whole: f32 = e.factor_parts.iter().sum();
    assert!(
        (id + features - whole).abs() < 1e-5,
        "{id} + {features} vs {whole}"
    );
    assert!(e
        .feature_parts
        .iter()
        .any(|p| p.side == Side::User && p.name.starts_with("likes ")));
}
