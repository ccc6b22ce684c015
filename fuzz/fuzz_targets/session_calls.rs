//! Sequences of the calls the page makes on a session, with any arguments: every call returns
//! a value or an error, never a panic. Each input byte chooses a call; the bytes after it give
//! the call's arguments.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mf_playground::data::parse::ReadOptions;
use mf_playground::data::split::Holdout;
use mf_playground::data::Side;
use mf_playground::data::preprocess::Normalization;
use mf_playground::synthetic::SyntheticParams;
use mf_playground::model::Similarity;
use mf_playground::session::{Limits, Session};
use mf_playground::train::{Family, Loss, Optimizer, TrainParams};

/// The input, read a byte at a time; zeros once it runs out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }
    fn small(&mut self, n: u8) -> usize {
        (self.u8() % n) as usize
    }
    fn f32(&mut self) -> f32 {
        f32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.u8() as usize % xs.len()].clone()
    }
    fn slice(&mut self, max: usize) -> &[u8] {
        let n = (self.u8() as usize * 4).min(max).min(self.0.len());
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        a
    }
}

fn params(b: &mut Bytes) -> TrainParams {
    TrainParams {
        n_factors: b.small(9),
        n_epochs: 1 + b.small(5),
        learning_rate: b.pick(&[0.01, 0.1, 1.0, 1e6, 0.0, -1.0, f32::NAN]),
        reg_bias: b.pick(&[0.0, 0.02, 1.0, -1.0]),
        reg_factor: b.pick(&[0.0, 0.02, 1.0, f32::INFINITY]),
        init_std: b.pick(&[0.1, 0.0, 10.0, -0.1]),
        seed: b.u8() as u64,
        loss: b.pick(&Loss::ALL),
        optimizer: b.pick(&[
            Optimizer::SGD,
            Optimizer::ADAM,
            Optimizer::RMSPROP,
            Optimizer::ALS,
            Optimizer::ALS_IMPLICIT,
        ]),
        use_global_mean: b.u8() & 1 == 0,
        use_user_bias: b.u8() & 1 == 0,
        use_item_bias: b.u8() & 1 == 0,
        batch_size: b.pick(&[0, 1, 7, 32, 1 << 20]),
        negatives: b.small(4),
        alpha: b.pick(&[1.0, 40.0, 0.0, -1.0]),
        cg_steps: b.pick(&[0, 1, 3, 1000]),
        normalization: b.pick(
            &Normalization::ALL
                .iter()
                .map(|&(_, n)| n)
                .collect::<Vec<_>>(),
        ),
        family: b.pick(&Family::ALL),
        layers: b.pick(&[
            vec![],
            vec![8],
            vec![8, 4],
            vec![7, 3],
            vec![16, 0, 4],
            vec![64, 32, 16, 8],
            vec![4096, 4096],
        ]),
        use_features: b.u8() & 1 == 0,
    }
}

fn fraction(b: &mut Bytes) -> f64 {
    b.pick(&[0.0, 0.2, 0.5, 0.99, 1.0, -0.1, 1.5, f64::NAN])
}

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_users: 2_000,
        max_items: 2_000,
        max_ratings: 20_000,
        max_parameters: 100_000,
    };
    let mut s = Session::new(limits, None);
    let mut b = Bytes(data);
    let mut calls = 0;
    while !b.0.is_empty() && calls < 64 {
        calls += 1;
        match b.small(23) {
            0 => drop(s.load_builtin(b.pick(&["seed-10x10", "article-random", "nope"]))),
            1 => {
                let bytes = b.slice(4096).to_vec();
                drop(s.load_bytes(&bytes, &ReadOptions::default(), None));
            }
            2 => {
                let bytes = b.slice(4096).to_vec();
                let titles = b.slice(512).to_vec();
                let t = (!titles.is_empty()).then_some(titles.as_slice());
                drop(s.preview_bytes(&bytes, &ReadOptions::default(), t, &mut |_| {}));
            }
            3 => drop(s.commit_preview()),
            4 => {
                let p = SyntheticParams {
                    n_users: b.small(40),
                    n_items: b.small(40),
                    n_clusters: b.small(5),
                    rank: b.small(5),
                    density: b.pick(&[0.0, 0.1, 0.5, 1.0, 2.0]),
                    implicit: b.u8() & 1 == 1,
                    seed: b.u8() as u64,
                    ..SyntheticParams::default()
                };
                drop(s.generate(&p));
            }
            5 => {
                let v = if b.u8() & 1 == 0 { None } else { Some(b.f32()) };
                drop(s.set_rating(b.small(50), b.small(50), v));
            }
            6 => {
                drop(s.set_holdout(b.pick(&Holdout::ALL)));
                let p = params(&mut b);
                drop(s.configure(p, fraction(&mut b)));
            }
            7 => drop(s.set_params(params(&mut b))),
            8 => drop(s.train_epochs(1 + b.small(3) as u32)),
            9 => drop(s.advance(b.u8() as u32 * 20)),
            10 => drop(s.evaluate(b.small(20), b.pick(&[0.5, 3.5, f32::NAN]))),
            11 => {
                let p = params(&mut b);
                if s.cv_start(p, b.small(7)).is_ok() {
                    drop(s.cv_fold(b.small(7)));
                }
            }
            12 => {
                let p = params(&mut b);
                if s.race_start(p, fraction(&mut b)).is_ok() {
                    drop(s.race_step(1, None));
                }
            }
            13 => drop(s.explain(b.small(50), b.small(50))),
            14 => drop(s.recommend(b.small(50), b.small(50))),
            15 => {
                let sim = b.pick(&[Similarity::Cosine, Similarity::Dot]);
                drop(s.similar_items(b.small(50), b.small(50), sim));
            }
            16 => {
                let n = b.small(5);
                let ratings: Vec<(usize, f32)> = (0..n).map(|_| (b.small(50), b.f32())).collect();
                drop(s.fold_in(&ratings, b.small(20)));
            }
            17 => drop(s.embeddings(b.pick(&[None, Some("gmf"), Some("mlp"), Some("factors"), Some("x")]))),
            18 => {
                drop(s.predicted_matrix());
                drop(s.test_mask());
                drop(s.truth_matrix());
            }
            19 => {
                if let Ok(o) = s.observed_matrix() {
                    let shape = s.view_shape().expect("data is loaded");
                    assert_eq!(o.len(), shape.len());
                }
            }
            20 => drop(s.ratings_csv()),
            21 => {
                // A features file (or none) for the users or the items.
                let side = b.pick(&[Side::User, Side::Item]);
                let bytes = b.slice(2048).to_vec();
                let given = (b.u8() & 3 != 0).then_some(bytes.as_slice());
                drop(s.set_features(side, given));
            }
            _ => {
                let _ = (s.shape(), s.in_epoch(), s.has_model());
            }
        }
    }
});
