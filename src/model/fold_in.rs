//! A user outside the training data, placed by a few ratings with the items held fixed
//! (fold-in): what the page's "Add yourself" does.

use super::MfModel;
use crate::data::preprocess::mean_and_spread;
use crate::error::{Error, Result};
use crate::kernels::dot;

/// A user outside the training data, fitted from a few ratings (see [`MfModel::fold_in`]).
#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    pub bias: f32,
    pub factors: Vec<f32>,
    /// Mean and spread of the user's ratings, for per-user normalisations.
    pub stats: (f32, f32),
}

impl MfModel {
    /// Factors and bias for a new user from a few `(item, rating)` pairs, with the items held
    /// fixed: the ridge regression ALS would solve for that user (regularisation `reg`, scaled by
    /// the number of ratings as in training). Ratings of unknown items are an error.
    ///
    /// Under a normalisation the ratings are normalised first, a per-user one with the new
    /// user's own mean and spread. Score an item with [`MfModel::score_new_user`].
    pub fn fold_in(&self, ratings: &[(usize, f32)], reg: f32, use_bias: bool) -> Result<NewUser> {
        if ratings.is_empty() {
            return Err(Error::EmptyDataset("rate at least one item".into()));
        }
        let k = self.n_factors();
        let off = use_bias as usize;
        let n = k + off;
        let mut a = vec![0.0f64; n * n];
        let mut b = vec![0.0f64; n];
        let mut x = vec![0.0f64; n];
        for &(i, r) in ratings {
            self.check_pair(0, i)?;
            if !r.is_finite() {
                return Err(Error::invalid("rating", r, "is not a finite number"));
            }
        }
        let values: Vec<f32> = ratings.iter().map(|&(_, r)| r).collect();
        let stats = mean_and_spread(&values);
        for &(i, r) in ratings {
            let (o, s) = self.new_user_offset(stats, i);
            let r = (r - o) / s;
            if use_bias {
                x[0] = 1.0;
            }
            for f in 0..k {
                x[off + f] = self.item_factors[[i, f]] as f64;
            }
            let y = (r - self.mu - self.item_bias[i]) as f64;
            for p in 0..n {
                b[p] += x[p] * y;
                for q in 0..=p {
                    a[p * n + q] += x[p] * x[q];
                }
            }
        }
        // A floor on the ridge keeps one or two ratings from producing wild factors.
        let lambda = (reg as f64).max(1e-3) * ratings.len() as f64;
        for d in 0..n {
            a[d * n + d] += lambda;
        }
        if !crate::linalg::cholesky_solve(&mut a, &mut b, n) {
            return Err(Error::NotReady(
                "could not fit the new user (singular system)".into(),
            ));
        }
        Ok(NewUser {
            bias: if use_bias { b[0] as f32 } else { 0.0 },
            factors: b[off..].iter().map(|&v| v as f32).collect(),
            stats,
        })
    }

    fn new_user_offset(&self, stats: (f32, f32), i: usize) -> (f32, f32) {
        match &self.norm {
            None => (0.0, 1.0),
            Some(n) => n.at_new_user(stats, i),
        }
    }

    /// The prediction for a folded-in user (see [`MfModel::fold_in`]) on item `i`.
    pub fn score_new_user(&self, user: &NewUser, i: usize) -> f32 {
        self.finish(self.rank_score_new_user(user, i))
    }

    /// A folded-in user's score of item `i` for ranking: in the data's units, not clipped to the
    /// scale (as [`MfModel::scores_for_user`]), so items the model likes beyond the top of the
    /// scale do not all tie at it.
    pub fn rank_score_new_user(&self, user: &NewUser, i: usize) -> f32 {
        let (o, s) = self.new_user_offset(user.stats, i);
        let score = self.mu + user.bias + self.item_bias[i] + dot(&user.factors, self.item_row(i));
        score * s + o
    }
}
