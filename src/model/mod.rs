//! The biased matrix-factorisation model.
//!
//! A user's rating of an item is modelled as
//!
//! ```text
//! score(u, i) = mu + b_u + b_i + p_u . q_i
//! ```
//!
//! where `mu` is the global mean, `b_u` and `b_i` say how much this user rates above average and
//! how much this item is rated above average, and the dot product of the `k`-dimensional factor
//! vectors `p_u` and `q_i` carries the interaction (Koren, Bell & Volinsky, "Matrix factorization
//! techniques for recommender systems", IEEE Computer 2009). For explicit ratings the prediction
//! is the score itself; for implicit 0/1 data it is the probability `sigmoid(score)`.

mod features;
mod fold_in;

pub use features::{FeaturePart, FeatureParts, SideParts};
pub use fold_in::NewUser;

use ndarray::{Array1, Array2};

use crate::data::preprocess::Normalizer;
use crate::error::{Error, Result};
use crate::kernels::dot;

/// How a raw score becomes a prediction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Output {
    /// The prediction is the score (explicit ratings, squared loss).
    Identity,
    /// The prediction is `1 / (1 + exp(-score))` (implicit data, logistic loss).
    Sigmoid,
}

/// Logistic function, written to stay finite for large `|x|`.
pub fn sigmoid(x: f32) -> f32 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// How to compare two items' factor vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Similarity {
    Cosine,
    Dot,
}

/// A trained (or training) factorisation.
#[derive(Debug, Clone, PartialEq)]
pub struct MfModel {
    /// Global offset `mu`.
    pub mu: f32,
    /// `b_u`, shape `(n_users,)`.
    pub user_bias: Array1<f32>,
    /// `b_i`, shape `(n_items,)`.
    pub item_bias: Array1<f32>,
    /// `P`, shape `(n_users, n_factors)`.
    pub user_factors: Array2<f32>,
    /// `Q`, shape `(n_items, n_factors)`.
    pub item_factors: Array2<f32>,
    /// Identity for ratings, sigmoid for probabilities.
    pub output: Output,
    /// For ratings: predictions are clamped to this range (the data's scale), since a 5.7 on a
    /// 1-5 scale is certainly wrong and 5 is closer. `None` leaves them as they are.
    pub clip: Option<(f32, f32)>,
    /// For ratings: the normalisation the model was trained in. The score is then in normalised
    /// units and a prediction is `score * divisor + offset` (the user's mean, say), back in the
    /// data's units, before clipping. `None`: scores are in the data's units already.
    pub norm: Option<Normalizer>,
    /// A hybrid model's id and feature parameters, whose sums the factors and biases above
    /// hold (see [`FeatureParts`]); `None` for a plain factorisation.
    pub features: Option<Box<FeatureParts>>,
}

/// A prediction taken apart into the terms of the model.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub mu: f32,
    pub user_bias: f32,
    pub item_bias: f32,
    /// `p_uf * q_if` for each factor `f`; they sum to the dot product.
    pub factor_parts: Vec<f32>,
    /// `mu + b_u + b_i + sum(factor_parts)`.
    pub score: f32,
    /// A hybrid model's features, each with its part in the score (through the row's vector
    /// and bias); empty for a plain factorisation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub feature_parts: Vec<FeaturePart>,
    /// The normalisation's offset and divisor for this cell (0 and 1 without one): the score is
    /// mapped back to the data's units as `score * divisor + offset`.
    pub offset: f32,
    pub divisor: f32,
    /// The score after the normalisation's inverse and the output function.
    pub prediction: f32,
}

impl MfModel {
    /// A model of zeros with the given shape.
    pub fn zeros(n_users: usize, n_items: usize, n_factors: usize, output: Output) -> Self {
        MfModel {
            mu: 0.0,
            user_bias: Array1::zeros(n_users),
            item_bias: Array1::zeros(n_items),
            user_factors: Array2::zeros((n_users, n_factors)),
            item_factors: Array2::zeros((n_items, n_factors)),
            output,
            clip: None,
            norm: None,
            features: None,
        }
    }

    pub fn n_users(&self) -> usize {
        self.user_bias.len()
    }

    pub fn n_items(&self) -> usize {
        self.item_bias.len()
    }

    pub fn n_factors(&self) -> usize {
        self.user_factors.ncols()
    }

    /// Number of learned numbers: biases plus both factor matrices (plus `mu`).
    /// For a hybrid model the id and feature parameters, not their sums.
    pub fn n_parameters(&self) -> usize {
        let base = 1
            + self.n_users()
            + self.n_items()
            + (self.n_users() + self.n_items()) * self.n_factors();
        match &self.features {
            None => base,
            Some(f) => {
                let k = self.n_factors();
                let sums =
                    |s: &Option<SideParts>| s.as_ref().map_or(0, |s| s.id_bias.len() * (k + 1));
                base - sums(&f.user) - sums(&f.item) + f.n_parameters()
            }
        }
    }

    /// Writes the sums of a hybrid model's id and feature parameters into its factors and
    /// biases (nothing for a plain factorisation).
    pub fn compose(&mut self) {
        if let Some(f) = &self.features {
            if let Some(s) = &f.user {
                s.compose_all(&mut self.user_factors, &mut self.user_bias);
            }
            if let Some(s) = &f.item {
                s.compose_all(&mut self.item_factors, &mut self.item_bias);
            }
        }
    }

    /// The raw score `mu + b_u + b_i + p_u . q_i`. Panics if `u` or `i` is out of range.
    #[inline]
    pub fn score(&self, u: usize, i: usize) -> f32 {
        self.mu + self.user_bias[u] + self.item_bias[i] + dot(self.user_row(u), self.item_row(i))
    }

    /// `p_u` as a slice. Panics if `u` is out of range.
    #[inline]
    pub fn user_row(&self, u: usize) -> &[f32] {
        let k = self.n_factors();
        &self.user_factors.as_slice().expect("standard layout")[u * k..(u + 1) * k]
    }

    /// `q_i` as a slice. Panics if `i` is out of range.
    #[inline]
    pub fn item_row(&self, i: usize) -> &[f32] {
        let k = self.n_factors();
        &self.item_factors.as_slice().expect("standard layout")[i * k..(i + 1) * k]
    }

    /// The normalisation's offset and divisor for cell `(u, i)`: `(0, 1)` without one.
    #[inline]
    pub fn offset_at(&self, u: usize, i: usize) -> (f32, f32) {
        match &self.norm {
            None => (0.0, 1.0),
            Some(n) => n.at(u, i),
        }
    }

    /// A score in the data's units: the normalisation undone, not yet clipped. Ranking uses
    /// these, so that items compare by predicted rating even under a per-item normalisation.
    #[inline]
    pub fn unnormalise(&self, u: usize, i: usize, score: f32) -> f32 {
        let (o, s) = self.offset_at(u, i);
        score * s + o
    }

    /// Applies the output function to a value in the data's units (see
    /// [`unnormalise`](Self::unnormalise)): clipping to the scale, or the sigmoid.
    #[inline]
    pub fn finish(&self, value: f32) -> f32 {
        match (self.output, self.clip) {
            (Output::Identity, None) => value,
            // A NaN score stays NaN, so divergence shows rather than hiding at a scale end.
            (Output::Identity, Some(_)) if value.is_nan() => value,
            (Output::Identity, Some((lo, hi))) => value.max(lo).min(hi),
            (Output::Sigmoid, _) => sigmoid(value),
        }
    }

    /// The prediction for cell `(u, i)` from its raw score.
    #[inline]
    pub fn link(&self, u: usize, i: usize, score: f32) -> f32 {
        self.finish(self.unnormalise(u, i, score))
    }

    /// The prediction for one (user, item) pair. Panics if either is out of range.
    pub fn predict(&self, u: usize, i: usize) -> f32 {
        self.link(u, i, self.score(u, i))
    }

    /// Predictions for every cell, row-major, shape `(n_users, n_items)`.
    pub fn predict_all(&self) -> Vec<f32> {
        let mut out = Vec::with_capacity(self.n_users() * self.n_items());
        for u in 0..self.n_users() {
            for i in 0..self.n_items() {
                out.push(self.predict(u, i));
            }
        }
        out
    }

    /// Scores of every item for user `u`, for ranking: in the data's units when the model was
    /// trained on normalised ratings (unclipped), raw otherwise. Panics if `u` is out of range.
    pub fn scores_for_user(&self, u: usize) -> Vec<f32> {
        let p = self.user_row(u);
        let base = self.mu + self.user_bias[u];
        (0..self.n_items())
            .map(|i| {
                let s = base + self.item_bias[i] + dot(p, self.item_row(i));
                self.unnormalise(u, i, s)
            })
            .collect()
    }

    /// The `n` best-scored items for user `u` that are not in `exclude` (for example the items
    /// the user already rated), best first, with their predictions.
    pub fn recommend(&self, u: usize, n: usize, exclude: &[usize]) -> Result<Vec<(usize, f32)>> {
        self.check_pair(u, 0)?;
        let scores = self.scores_for_user(u);
        let mut skip = vec![false; self.n_items()];
        for &i in exclude {
            if i < skip.len() {
                skip[i] = true;
            }
        }
        Ok(crate::ranking::top_items(&scores, &skip, n)
            .into_iter()
            .map(|i| (i, self.finish(scores[i])))
            .collect())
    }

    /// The `n` items most similar to item `i` by their factors (`cosine` or raw dot product),
    /// excluding `i` itself, most similar first.
    pub fn similar_items(
        &self,
        i: usize,
        n: usize,
        similarity: Similarity,
    ) -> Result<Vec<(usize, f32)>> {
        self.check_pair(0, i)?;
        Ok(similar_rows(&self.item_factors, i, n, similarity))
    }

    /// Takes a prediction apart into `mu`, the biases and each factor's part.
    pub fn explain(&self, u: usize, i: usize) -> Result<Explanation> {
        self.check_pair(u, i)?;
        let factor_parts: Vec<f32> = self
            .user_factors
            .row(u)
            .iter()
            .zip(self.item_factors.row(i))
            .map(|(p, q)| p * q)
            .collect();
        let score = self.score(u, i);
        let (offset, divisor) = self.offset_at(u, i);
        let mut feature_parts = Vec::new();
        if let Some(f) = &self.features {
            if let Some(s) = &f.user {
                feature_parts.extend(s.parts(crate::data::Side::User, u, self.item_row(i)));
            }
            if let Some(s) = &f.item {
                feature_parts.extend(s.parts(crate::data::Side::Item, i, self.user_row(u)));
            }
        }
        Ok(Explanation {
            mu: self.mu,
            user_bias: self.user_bias[u],
            item_bias: self.item_bias[i],
            factor_parts,
            feature_parts,
            score,
            offset,
            divisor,
            prediction: self.link(u, i, score),
        })
    }

    /// An error unless `u` and `i` index a user and an item of this model.
    pub fn check_pair(&self, u: usize, i: usize) -> Result<()> {
        if u >= self.n_users() {
            return Err(Error::OutOfRange {
                what: "user",
                index: u,
                len: self.n_users(),
            });
        }
        if i >= self.n_items() {
            return Err(Error::OutOfRange {
                what: "item",
                index: i,
                len: self.n_items(),
            });
        }
        Ok(())
    }

    /// True when every parameter is a finite number.
    pub fn is_finite(&self) -> bool {
        self.mu.is_finite()
            && self.user_bias.iter().all(|x| x.is_finite())
            && self.item_bias.iter().all(|x| x.is_finite())
            && self.user_factors.iter().all(|x| x.is_finite())
            && self.item_factors.iter().all(|x| x.is_finite())
            && self.features.as_ref().is_none_or(|f| f.is_finite())
    }
}

/// The `n` rows of `q` most similar to row `i` (`cosine` or raw dot product), excluding `i`
/// itself, most similar first: similar items by any model's item embeddings.
pub fn similar_rows(
    q: &Array2<f32>,
    i: usize,
    n: usize,
    similarity: Similarity,
) -> Vec<(usize, f32)> {
    let qi = q.row(i);
    let norm_i = qi.dot(&qi).sqrt();
    let sims: Vec<f32> = (0..q.nrows())
        .map(|j| {
            let d = qi.dot(&q.row(j));
            match similarity {
                Similarity::Dot => d,
                Similarity::Cosine => {
                    let denom = norm_i * q.row(j).dot(&q.row(j)).sqrt();
                    if denom > 0.0 {
                        d / denom
                    } else {
                        0.0
                    }
                }
            }
        })
        .collect();
    let mut skip = vec![false; q.nrows()];
    skip[i] = true;
    crate::ranking::top_items(&sims, &skip, n)
        .into_iter()
        .map(|j| (j, sims[j]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn tiny() -> MfModel {
        MfModel {
            mu: 0.5,
            user_bias: array![0.1, -0.2],
            item_bias: array![0.3],
            user_factors: array![[1.0, 2.0], [0.0, -1.0]],
            item_factors: array![[0.5, 0.25]],
            output: Output::Identity,
            clip: None,
            norm: None,
            features: None,
        }
    }

    #[test]
    fn score_is_mu_plus_biases_plus_dot() {
        let m = tiny();
        assert!((m.score(0, 0) - (0.5 + 0.1 + 0.3 + 0.5 + 0.5)).abs() < 1e-6);
        assert!((m.score(1, 0) - (0.5 - 0.2 + 0.3 - 0.25)).abs() < 1e-6);
        assert_eq!(m.n_parameters(), 1 + 2 + 1 + 3 * 2);
    }

    #[test]
    fn clipping_keeps_predictions_on_the_scale() {
        let mut m = tiny();
        m.clip = Some((1.0, 1.5));
        assert_eq!(m.predict(0, 0), 1.5);
        assert_eq!(m.predict(1, 0), 1.0);
        assert!(m.link(0, 0, f32::NAN).is_nan());
        let e = m.explain(0, 0).unwrap();
        assert!(e.score > 1.5 && e.prediction == 1.5);
    }

    /// The tiny model trained in user-mean units: user 0's mean is 4, user 1's is 2.
    fn normalised() -> MfModel {
        let mut m = tiny();
        m.norm = Some(Normalizer {
            kind: crate::data::preprocess::Normalization::UserMean,
            offset: vec![4.0, 2.0],
            scale: vec![1.0],
        });
        m.clip = Some((1.0, 5.0));
        m
    }

    #[test]
    fn a_normalised_score_is_mapped_back_before_clipping() {
        let m = normalised();
        // Scores 1.9 and 0.35 in user-mean units: 4 + 1.9 = 5.9 clips to 5; 2 + 0.35 = 2.35.
        assert_eq!(m.predict(0, 0), 5.0);
        assert!((m.predict(1, 0) - 2.35).abs() < 1e-6);
        let e = m.explain(1, 0).unwrap();
        assert_eq!((e.offset, e.divisor), (2.0, 1.0));
        assert!((e.score * e.divisor + e.offset - e.prediction).abs() < 1e-6);
        // Ranking sees the data's units, unclipped.
        assert!((m.scores_for_user(0)[0] - 5.9).abs() < 1e-6);
    }

    #[test]
    fn ranking_follows_predicted_ratings_under_an_item_normalisation() {
        // Item 0 is normalised by a mean of 4.5, item 1 by 2: the raw scores favour item 1,
        // the predicted ratings (4.4 against 2.5) item 0.
        let mut m = MfModel::zeros(1, 2, 1, Output::Identity);
        m.item_bias = ndarray::array![-0.1, 0.5];
        m.norm = Some(Normalizer {
            kind: crate::data::preprocess::Normalization::ItemMean,
            offset: vec![4.5, 2.0],
            scale: vec![1.0],
        });
        let r = m.recommend(0, 2, &[]).unwrap();
        assert_eq!(r[0].0, 0);
        assert!(
            (r[0].1 - 4.4).abs() < 1e-6 && (r[1].1 - 2.5).abs() < 1e-6,
            "{r:?}"
        );
    }

    #[test]
    fn fold_in_under_a_user_normalisation_uses_the_new_users_mean() {
        // A model that has learned nothing but the offsets predicts each user's own mean.
        let mut m = normalised();
        m.mu = 0.0;
        m.user_factors.fill(0.0);
        m.item_bias.fill(0.0);
        let user = m.fold_in(&[(0, 1.0), (0, 2.0)], 0.1, false).unwrap();
        assert_eq!(user.stats.0, 1.5);
        assert!((m.score_new_user(&user, 0) - 1.5).abs() < 1e-6);
    }

    #[test]
    fn explanation_parts_add_up() {
        let m = tiny();
        let e = m.explain(0, 0).unwrap();
        let sum = e.mu + e.user_bias + e.item_bias + e.factor_parts.iter().sum::<f32>();
        assert!((sum - e.score).abs() < 1e-6);
        assert_eq!(e.factor_parts, vec![0.5, 0.5]);
        assert_eq!(m.explain(2, 0).unwrap_err().code(), "out_of_range");
        assert_eq!(m.explain(0, 1).unwrap_err().code(), "out_of_range");
    }

    #[test]
    fn recommend_skips_excluded_and_sorts() {
        let mut m = MfModel::zeros(1, 4, 1, Output::Identity);
        m.item_bias = ndarray::array![0.1, 0.4, 0.3, 0.2];
        let r = m.recommend(0, 2, &[1]).unwrap();
        assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), vec![2, 3]);
        assert_eq!(m.recommend(1, 2, &[]).unwrap_err().code(), "out_of_range");
    }

    #[test]
    fn similar_items_by_cosine_and_dot() {
        let mut m = MfModel::zeros(1, 3, 2, Output::Identity);
        m.item_factors = ndarray::array![[1.0, 0.0], [10.0, 1.0], [0.5, 0.0]];
        let cos = m.similar_items(0, 2, Similarity::Cosine).unwrap();
        assert_eq!(cos[0].0, 2);
        assert!((cos[0].1 - 1.0).abs() < 1e-6);
        let dot = m.similar_items(0, 2, Similarity::Dot).unwrap();
        assert_eq!(dot[0], (1, 10.0));
    }

    #[test]
    fn fold_in_recovers_a_user_from_their_ratings() {
        // Items with known factors; a user with p = (1, -1), b = 0.5 rates them exactly.
        let mut m = MfModel::zeros(1, 4, 2, Output::Identity);
        m.mu = 3.0;
        m.item_factors = ndarray::array![[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, -1.0]];
        let truth = |i: usize| 3.0 + 0.5 + m.item_factors[[i, 0]] - m.item_factors[[i, 1]];
        let ratings: Vec<(usize, f32)> = (0..4).map(|i| (i, truth(i))).collect();
        let user = m.fold_in(&ratings, 0.0, true).unwrap();
        let (b, p) = (user.bias, &user.factors);
        assert!(
            (b - 0.5).abs() < 1e-2 && (p[0] - 1.0).abs() < 1e-2 && (p[1] + 1.0).abs() < 1e-2,
            "{b} {p:?}"
        );
        assert!((m.score_new_user(&user, 3) - truth(3)).abs() < 2e-2);
        assert_eq!(
            m.fold_in(&[], 0.1, true).unwrap_err().code(),
            "empty_dataset"
        );
        assert_eq!(
            m.fold_in(&[(9, 1.0)], 0.1, true).unwrap_err().code(),
            "out_of_range"
        );
    }

    #[test]
    fn sigmoid_is_stable_and_symmetric() {
        assert_eq!(sigmoid(0.0), 0.5);
        assert!((sigmoid(3.0) + sigmoid(-3.0) - 1.0).abs() < 1e-6);
        assert_eq!(sigmoid(-1000.0), 0.0);
        assert_eq!(sigmoid(1000.0), 1.0);
        let mut m = tiny();
        m.output = Output::Sigmoid;
        assert!((m.predict(0, 0) - sigmoid(m.score(0, 0))).abs() < 1e-7);
    }

    #[test]
    fn a_new_users_scores_rank_beyond_the_top_of_the_scale() {
        // Four items whose predictions all clip to 5 (scores 5.5, 7, 6, 5.2) but rank apart.
        let mut m = MfModel::zeros(1, 5, 1, Output::Identity);
        m.mu = 4.0;
        m.clip = Some((1.0, 5.0));
        m.item_bias = array![1.5, 3.0, 2.0, 1.2, -2.0];
        let user = m.fold_in(&[(4, 2.0)], 0.1, false).unwrap();
        let raw: Vec<f32> = (0..4).map(|i| m.rank_score_new_user(&user, i)).collect();
        assert!(
            raw[1] > raw[2] && raw[2] > raw[0] && raw[0] > raw[3],
            "{raw:?}"
        );
        assert!((0..4).all(|i| m.score_new_user(&user, i) == 5.0));
    }
}
