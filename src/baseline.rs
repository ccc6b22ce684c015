//! Baselines every factorisation must beat, evaluated with the same metrics.
//!
//! * global mean: `r_hat = mu` (or median: the seed article's "median fill");
//! * user mean / item mean: the mean of the user's (item's) training ratings, `mu` when there
//!   are none (the article's "mean fill" by row or by column);
//! * bias-only: `mu + b_u + b_i` with regularised biases fitted by alternating least squares, the
//!   model with zero factors;
//! * popularity: ranks items by how many training ratings they have (a ranking baseline; its
//!   rating prediction is the item mean);
//! * random: ranks items in a seeded random order (its rating prediction is the global mean).

use crate::data::Ratings;
use crate::error::{Error, Result};
use crate::model::{MfModel, Output};
use crate::rng::Rng;

/// Which baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BaselineKind {
    GlobalMean,
    GlobalMedian,
    UserMean,
    ItemMean,
    BiasOnly,
    Popularity,
    Random,
}

impl BaselineKind {
    pub const ALL: &'static [BaselineKind] = &[
        BaselineKind::GlobalMean,
        BaselineKind::GlobalMedian,
        BaselineKind::UserMean,
        BaselineKind::ItemMean,
        BaselineKind::BiasOnly,
        BaselineKind::Popularity,
        BaselineKind::Random,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BaselineKind::GlobalMean => "global-mean",
            BaselineKind::GlobalMedian => "global-median",
            BaselineKind::UserMean => "user-mean",
            BaselineKind::ItemMean => "item-mean",
            BaselineKind::BiasOnly => "bias-only",
            BaselineKind::Popularity => "popularity",
            BaselineKind::Random => "random",
        }
    }
}

/// A fitted baseline: a factor-free model for predictions, plus a ranking score.
#[derive(Debug, Clone)]
pub struct Baseline {
    pub kind: BaselineKind,
    /// Predictions are this model's (it has zero factors).
    pub model: MfModel,
    popularity: Vec<f32>,
    seed: u64,
}

impl Baseline {
    /// Fits a baseline on `train`. `reg` is the bias regularisation of `BiasOnly`.
    pub fn fit(kind: BaselineKind, train: &Ratings, reg: f32, seed: u64) -> Result<Baseline> {
        if train.is_empty() {
            return Err(Error::EmptyDataset(
                "no training ratings for the baseline".into(),
            ));
        }
        let mut model = MfModel::zeros(train.n_users(), train.n_items(), 0, Output::Identity);
        model.mu = train.mean();
        let (n_u, n_i) = (train.n_users(), train.n_items());
        let mut popularity = vec![0.0f32; n_i];
        for k in 0..train.len() {
            popularity[train.get(k).1] += 1.0;
        }
        match kind {
            BaselineKind::GlobalMedian => model.mu = median(train.values().to_vec()),
            BaselineKind::UserMean => mean_offsets(
                train,
                model.mu,
                true,
                &mut model.user_bias.as_slice_mut().expect("contiguous")[..n_u],
            ),
            BaselineKind::ItemMean | BaselineKind::Popularity => mean_offsets(
                train,
                model.mu,
                false,
                &mut model.item_bias.as_slice_mut().expect("contiguous")[..n_i],
            ),
            BaselineKind::BiasOnly => {
                for _ in 0..10 {
                    fit_biases(train, &mut model, reg, true);
                    fit_biases(train, &mut model, reg, false);
                }
            }
            BaselineKind::GlobalMean | BaselineKind::Random => {}
        }
        Ok(Baseline {
            kind,
            model,
            popularity,
            seed,
        })
    }

    /// The rating prediction.
    pub fn predict(&self, u: usize, i: usize) -> f32 {
        self.model.predict(u, i)
    }

    /// Scores for ranking every item for user `u`.
    pub fn scores_for_user(&self, u: usize) -> Vec<f32> {
        match self.kind {
            BaselineKind::Popularity => self.popularity.clone(),
            BaselineKind::Random => {
                let mut rng = Rng::new(self.seed ^ (u as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                (0..self.popularity.len()).map(|_| rng.next_f32()).collect()
            }
            _ => self.model.scores_for_user(u),
        }
    }
}

fn median(mut v: Vec<f32>) -> f32 {
    v.sort_by(f32::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Offsets so that `mu + offset` is each user's (or item's) mean rating; 0 where there is none.
fn mean_offsets(train: &Ratings, mu: f32, by_user: bool, out: &mut [f32]) {
    let mut sum = vec![0.0f64; out.len()];
    let mut cnt = vec![0usize; out.len()];
    for k in 0..train.len() {
        let (u, i, v) = train.get(k);
        let j = if by_user { u } else { i };
        sum[j] += v as f64;
        cnt[j] += 1;
    }
    for j in 0..out.len() {
        out[j] = if cnt[j] > 0 {
            (sum[j] / cnt[j] as f64) as f32 - mu
        } else {
            0.0
        };
    }
}

/// One closed-form half-step of regularised bias fitting: `b = sum(residual) / (n + reg * n)`,
/// the minimiser of the per-observation objective used in training.
fn fit_biases(train: &Ratings, m: &mut MfModel, reg: f32, users: bool) {
    let n = if users { m.n_users() } else { m.n_items() };
    let mut sum = vec![0.0f64; n];
    let mut cnt = vec![0usize; n];
    for k in 0..train.len() {
        let (u, i, v) = train.get(k);
        let (j, other) = if users {
            (u, m.item_bias[i])
        } else {
            (i, m.user_bias[u])
        };
        sum[j] += (v - m.mu - other) as f64;
        cnt[j] += 1;
    }
    let target = if users {
        &mut m.user_bias
    } else {
        &mut m.item_bias
    };
    for j in 0..n {
        target[j] = if cnt[j] > 0 {
            (sum[j] / (cnt[j] as f64 * (1.0 + reg as f64))) as f32
        } else {
            0.0
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Feedback, RatingsBuilder};

    fn data() -> Ratings {
        let mut b = RatingsBuilder::new(Feedback::Explicit);
        for (u, i, v) in [
            ("a", "x", 5.0),
            ("a", "y", 3.0),
            ("b", "x", 4.0),
            ("c", "z", 1.0),
            ("c", "x", 2.0),
        ] {
            b.push(u, i, v).unwrap();
        }
        b.build().unwrap()
    }

    #[test]
    fn means_and_median_by_hand() {
        let d = data();
        let g = Baseline::fit(BaselineKind::GlobalMean, &d, 0.0, 0).unwrap();
        assert!((g.predict(0, 0) - 3.0).abs() < 1e-6);
        let m = Baseline::fit(BaselineKind::GlobalMedian, &d, 0.0, 0).unwrap();
        assert_eq!(m.predict(1, 2), 3.0);
        let u = Baseline::fit(BaselineKind::UserMean, &d, 0.0, 0).unwrap();
        assert!((u.predict(0, 2) - 4.0).abs() < 1e-6 && (u.predict(2, 0) - 1.5).abs() < 1e-6);
        let i = Baseline::fit(BaselineKind::ItemMean, &d, 0.0, 0).unwrap();
        assert!((i.predict(2, 0) - 11.0 / 3.0).abs() < 1e-6);
    }

    #[test]
    fn bias_only_fits_training_data_better_than_the_mean() {
        let d = data();
        let b = Baseline::fit(BaselineKind::BiasOnly, &d, 0.01, 0).unwrap();
        let g = Baseline::fit(BaselineKind::GlobalMean, &d, 0.0, 0).unwrap();
        let err = |f: &Baseline| crate::metrics::accuracy(&d, |u, i| f.predict(u, i)).rmse;
        assert!(err(&b) < 0.6 * err(&g), "{} vs {}", err(&b), err(&g));
    }

    #[test]
    fn popularity_and_random_rank() {
        let d = data();
        let p = Baseline::fit(BaselineKind::Popularity, &d, 0.0, 0).unwrap();
        assert_eq!(p.scores_for_user(0), vec![3.0, 1.0, 1.0]);
        let r = Baseline::fit(BaselineKind::Random, &d, 0.0, 5).unwrap();
        assert_eq!(r.scores_for_user(1), r.scores_for_user(1));
        assert_ne!(r.scores_for_user(1), r.scores_for_user(2));
    }
}
