//! BPR, the pairwise loss (Rendle et al. 2009): each click against an item the user never had,
//! for MF and for the hybrid model, trained by SGD.

use mf_playground::baseline::{Baseline, BaselineKind};
use mf_playground::data::split::{cold, holdout};
use mf_playground::data::{Ratings, Side};
use mf_playground::fit::Fitted;
use mf_playground::metrics::{ranking_in, Scope};
use mf_playground::synthetic::{generate, SyntheticParams};
use mf_playground::train::{Family, Loss, Optimizer, TrainParams, Trainer};

/// Clicks only (the 1s of generated implicit data), with the genres the generator planted.
fn clicks() -> Ratings {
    let r = generate(&SyntheticParams {
        n_users: 300,
        n_items: 200,
        n_clusters: 6,
        rank: 6,
        density: 0.2,
        spread: 0.2,
        taste: 3.0,
        implicit: true,
        seed: 3,
        ..Default::default()
    })
    .unwrap()
    .ratings;
    let ones: Vec<usize> = (0..r.len()).filter(|&k| r.values()[k] == 1.0).collect();
    r.subset(&ones)
}

fn bpr(family: Family) -> TrainParams {
    TrainParams {
        learning_rate: 0.05,
        n_factors: 8,
        reg_factor: 0.001,
        reg_bias: 0.001,
        negatives: 1,
        loss: Loss::Bpr,
        ..TrainParams::for_family(family).n_epochs(30)
    }
}

/// Area under the ROC curve of the test clicks among the items each user did not click in
/// training (in `scope`).
fn auc(scope: Scope, train: &Ratings, test: &Ratings, f: &Fitted) -> f32 {
    ranking_in(scope, train, test, 10, 0.5, None, |u| f.scores_for_user(u)).auc
}

#[test]
fn bpr_ranks_held_out_clicks_above_popularity_and_its_loss_falls() {
    let split = holdout(&clicks(), 0.2, 5).unwrap();
    let mut f = Fitted::new(split.train.clone(), bpr(Family::Mf)).unwrap();
    let reports = f.fit();
    let (first, last) = (reports[0].loss, reports.last().unwrap().loss);
    // The mean loss of a pair starts near ln 2 (every score alike) and falls.
    assert!(
        (first - 2f32.ln()).abs() < 0.1 && last < 0.7 * first,
        "{first} -> {last}"
    );
    let model = auc(Scope::Catalogue, &split.train, &split.test, &f);
    let pop = Baseline::fit(BaselineKind::Popularity, &split.train, 0.0, 1).unwrap();
    let popularity = ranking_in(
        Scope::Catalogue,
        &split.train,
        &split.test,
        10,
        0.5,
        None,
        |u| pop.scores_for_user(u),
    )
    .auc;
    eprintln!("warm AUC: bpr {model:.3}, popularity {popularity:.3}");
    assert!(
        model > popularity + 0.03,
        "bpr {model} vs popularity {popularity}"
    );
    // The offset and the users' biases take no part in a pair: they stay where they started.
    let m = f.mf().unwrap();
    assert_eq!(m.mu, 0.0);
    assert!(m.user_bias.iter().all(|&b| b == 0.0));
}

#[test]
fn on_new_items_the_hybrid_ranks_by_their_features() {
    let split = cold(&clicks(), Side::Item, 0.2, 5).unwrap();
    let score = |family| {
        let mut f = Fitted::new(split.train.clone(), bpr(family)).unwrap();
        f.fit();
        auc(Scope::NewItems, &split.train, &split.test, &f)
    };
    let (mf, hybrid) = (score(Family::Mf), score(Family::Hybrid));
    eprintln!("new items AUC: mf {mf:.3}, hybrid {hybrid:.3}");
    // MF knows nothing of an item it never saw (its row stays as drawn): chance, give or take.
    assert!((mf - 0.5).abs() < 0.06, "{mf}");
    assert!(hybrid > 0.65 && hybrid > mf + 0.15, "{hybrid} vs {mf}");
}

#[test]
fn a_pairwise_epoch_in_slices_equals_the_epoch_whole_for_both_families() {
    for family in [Family::Mf, Family::Hybrid] {
        let data = clicks();
        let p = bpr(family).n_epochs(2);
        let mut whole = Trainer::new(data.clone(), p.clone()).unwrap();
        let mut sliced = Trainer::new(data, p).unwrap();
        for _ in 0..2 {
            let a = whole.step();
            let b = loop {
                if let Some(r) = sliced.advance(97) {
                    break r;
                }
            };
            assert_eq!(a.loss, b.loss, "{family:?}");
        }
        assert_eq!(
            whole.model().item_factors,
            sliced.model().item_factors,
            "{family:?}"
        );
        // Two pairs per click: twice the examples.
        let two = Trainer::new(clicks(), bpr(family).negatives(2)).unwrap();
        assert_eq!(two.examples_per_epoch(), 2 * clicks().len());
    }
}

#[test]
fn what_cannot_fit_bpr_says_so() {
    let data = clicks();
    let refused = |p: TrainParams| Fitted::new(data.clone(), p).err().unwrap().to_string();
    let adam = refused(TrainParams {
        optimizer: Optimizer::ADAM,
        ..bpr(Family::Mf)
    });
    assert!(
        adam.contains("adam fits squared or logistic loss"),
        "{adam}"
    );
    let als = refused(TrainParams {
        optimizer: Optimizer::from_name("als").unwrap(),
        ..bpr(Family::Mf)
    });
    assert!(als.contains("optimizer = als: fits squared error"), "{als}");
    let gmf = refused(TrainParams {
        loss: Loss::Bpr,
        ..TrainParams::for_family(Family::Gmf)
    });
    assert!(
        gmf.contains("BPR is for MF and hybrid MF with sgd"),
        "{gmf}"
    );
}
