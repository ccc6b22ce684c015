use super::*;
use crate::data::builtin::seed_10x10;

fn seed_params() -> TrainParams {
    TrainParams::new(3)
        .loss(Loss::Logistic)
        .learning_rate(0.1)
        .reg(0.001)
        .n_epochs(200)
}

#[test]
fn loss_falls_on_the_seed_example() {
    let mut t = Trainer::new(seed_10x10(), seed_params()).unwrap();
    let r = t.fit();
    assert_eq!(r.len(), 200);
    assert_eq!(r[199].epoch, 200);
    assert!(
        r[199].loss < 0.5 * r[0].loss,
        "{} vs {}",
        r[199].loss,
        r[0].loss
    );
    // The fit separates the 1s from the 0s.
    let pred = t.model().predict_all();
    let truth = t.data().to_dense();
    for (p, y) in pred.iter().zip(&truth) {
        assert_eq!(*p > 0.5, *y == 1.0, "prediction {p} for a cell holding {y}");
    }
}

#[test]
fn same_seed_same_numbers_other_seed_other_numbers() {
    let run = |seed| {
        let mut t = Trainer::new(seed_10x10(), seed_params().seed(seed).n_epochs(5)).unwrap();
        t.fit();
        t.model().predict_all()
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}

#[test]
fn a_huge_learning_rate_is_reported_as_divergence() {
    let p = TrainParams::new(4)
        .loss(Loss::Squared)
        .learning_rate(90.0)
        .init_std(1.0)
        .n_epochs(50);
    let mut t = Trainer::new(seed_10x10(), p).unwrap();
    let reports = t.fit();
    let last = reports.last().unwrap();
    assert!(last.diverged, "{last:?}");
    assert!(reports.len() < 50);
    assert!(t.step().diverged);
    assert_eq!(t.epoch(), last.epoch, "no epoch runs after divergence");
}

#[test]
fn learning_rate_changes_between_epochs_without_reset() {
    let mut t = Trainer::new(seed_10x10(), seed_params()).unwrap();
    t.step();
    let before = t.model().clone();
    let p = t.params().clone().learning_rate(0.5);
    t.set_params(p).unwrap();
    assert_eq!(t.model(), &before);
    assert_eq!(t.params().learning_rate, 0.5);
    t.step();
    assert_eq!(t.epoch(), 2);
    let e = t
        .set_params(t.params().clone().loss(Loss::Squared))
        .unwrap_err();
    assert!(e.to_string().contains("reset"), "{e}");
}

#[test]
fn data_can_change_between_epochs_without_reset() {
    let mut t = Trainer::new(seed_10x10(), seed_params()).unwrap();
    t.step();
    let mut dense = seed_10x10().to_dense();
    dense[9] = 1.0; // user 1 now also likes item 10
    let rows: Vec<Vec<Option<f32>>> = dense
        .chunks(10)
        .map(|r| r.iter().map(|&v| Some(v)).collect())
        .collect();
    let edited = Ratings::from_dense(&rows, crate::data::Feedback::Implicit).unwrap();
    let before = t.model().predict(0, 9);
    t.set_data(edited).unwrap();
    for _ in 0..100 {
        t.step();
    }
    assert_eq!(t.epoch(), 101);
    assert!(
        t.model().predict(0, 9) > before + 0.2,
        "the edit is learned"
    );
    let small = Ratings::from_dense(&[vec![Some(1.0)]], crate::data::Feedback::Implicit).unwrap();
    assert_eq!(t.set_data(small).unwrap_err().code(), "invalid_param");
}

#[test]
fn an_epoch_in_slices_equals_the_epoch_whole() {
    for opt in [Optimizer::SGD, Optimizer::ADAM] {
        let p = seed_params()
            .optimizer(opt.clone())
            .batch_size(8)
            .n_epochs(3);
        let mut whole = Trainer::new(seed_10x10(), p.clone()).unwrap();
        let mut sliced = Trainer::new(seed_10x10(), p).unwrap();
        for _ in 0..3 {
            let a = whole.step();
            let mut b = None;
            let mut slices = 0;
            while b.is_none() {
                b = sliced.advance(7);
                slices += 1;
                assert_eq!(sliced.in_epoch(), b.is_none());
            }
            assert!(slices > 5, "{opt:?}: the epoch took {slices} slices");
            assert_eq!(b.unwrap().loss, a.loss, "{opt:?}");
        }
        assert_eq!(whole.model(), sliced.model());
    }
}

#[test]
fn switched_off_biases_stay_zero() {
    let p = seed_params().biases(false).n_epochs(10);
    let mut t = Trainer::new(seed_10x10(), p).unwrap();
    t.fit();
    assert_eq!(t.model().mu, 0.0);
    assert!(t.model().user_bias.iter().all(|&b| b == 0.0));
    assert!(t.model().item_bias.iter().all(|&b| b == 0.0));
}
