//! The hybrid model's parameters: a factorisation whose user and item vectors and biases are
//! sums of their id's and their features' (Kula, "Metadata embeddings for user and item
//! cold-start recommendations", CBRecSys 2015, the model of LightFM):
//!
//! ```text
//! q_i = q_id(i) + sum_f w_if e_f        b_i = b_id(i) + sum_f w_if c_f
//! ```
//!
//! with `w_i` the item's row of its [`FeatureMatrix`] (weights summing to one), and the same for
//! users. The [`MfModel`](super::MfModel) keeps these sums as its factors and biases, so every
//! prediction, ranking, map and explanation reads them as it reads a factorisation's, and an item
//! without ratings but with features gets a vector from its features alone: that is cold start.

use std::sync::Arc;

use ndarray::{Array1, Array2};

use crate::data::{FeatureMatrix, Side};
use crate::kernels::{axpy, dot};
use crate::rng::Rng;

/// The id and feature parameters of one side (users or items).
#[derive(Debug, Clone, PartialEq)]
pub struct SideParts {
    pub matrix: Arc<FeatureMatrix>,
    /// One row per user or item: the id's own vector and bias.
    pub id_factors: Array2<f32>,
    pub id_bias: Array1<f32>,
    /// One row per feature.
    pub factors: Array2<f32>,
    pub bias: Array1<f32>,
}

/// What a hybrid model has beyond a factorisation: the sides that have features.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeatureParts {
    pub user: Option<SideParts>,
    pub item: Option<SideParts>,
}

/// One feature's part in a prediction.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeaturePart {
    pub side: Side,
    pub name: String,
    /// `w (e_f . other + c_f)`: what the feature adds to the score through the row's vector and
    /// bias, `other` being the other side's vector.
    pub part: f32,
}

impl SideParts {
    /// Parameters for `matrix`'s rows from `id_factors` (a factorisation's initial rows), and
    /// features drawn from N(0, std^2). Rows without ratings (`rated[r]` false) start at zero, so
    /// their vectors are their features' alone.
    pub fn new(
        matrix: Arc<FeatureMatrix>,
        mut id_factors: Array2<f32>,
        rated: &[bool],
        std: f32,
        rng: &mut Rng,
    ) -> SideParts {
        for (r, mut row) in id_factors.rows_mut().into_iter().enumerate() {
            if !rated[r] {
                row.fill(0.0);
            }
        }
        let k = id_factors.ncols();
        let factors =
            Array2::from_shape_fn((matrix.n_features(), k), |_| rng.normal() as f32 * std);
        SideParts {
            id_bias: Array1::zeros(id_factors.nrows()),
            bias: Array1::zeros(matrix.n_features()),
            matrix,
            id_factors,
            factors,
        }
    }

    /// How many numbers it holds.
    pub fn n_parameters(&self) -> usize {
        self.id_factors.len() + self.id_bias.len() + self.factors.len() + self.bias.len()
    }

    /// Row `r`'s vector and bias, written into `out` (length k): id plus features.
    #[inline]
    pub fn compose(&self, r: usize, out: &mut [f32]) -> f32 {
        let k = out.len();
        let ids = self.id_factors.as_slice().expect("standard layout");
        out.copy_from_slice(&ids[r * k..(r + 1) * k]);
        let fs = self.factors.as_slice().expect("standard layout");
        let (cols, weights) = self.matrix.row(r);
        let mut b = self.id_bias[r];
        for (&c, &w) in cols.iter().zip(weights) {
            let c = c as usize;
            axpy(out, w, &fs[c * k..(c + 1) * k]);
            b += w * self.bias[c];
        }
        b
    }

    /// Writes every row's sum into `factors` and `bias` (the model's).
    pub fn compose_all(&self, factors: &mut Array2<f32>, bias: &mut Array1<f32>) {
        let k = factors.ncols();
        let out = factors.as_slice_mut().expect("standard layout");
        for r in 0..bias.len() {
            bias[r] = self.compose(r, &mut out[r * k..(r + 1) * k]);
        }
    }

    /// Every feature's part in row `r`'s score against the other side's vector `other`.
    pub fn parts(&self, side: Side, r: usize, other: &[f32]) -> Vec<FeaturePart> {
        let k = other.len();
        let fs = self.factors.as_slice().expect("standard layout");
        let (cols, weights) = self.matrix.row(r);
        cols.iter()
            .zip(weights)
            .map(|(&c, &w)| {
                let c = c as usize;
                FeaturePart {
                    side,
                    name: self.matrix.names()[c].clone(),
                    part: w * (dot(&fs[c * k..(c + 1) * k], other) + self.bias[c]),
                }
            })
            .collect()
    }

    /// True when every number is finite.
    pub fn is_finite(&self) -> bool {
        [&self.id_factors, &self.factors]
            .iter()
            .all(|a| a.iter().all(|x| x.is_finite()))
            && [&self.id_bias, &self.bias]
                .iter()
                .all(|a| a.iter().all(|x| x.is_finite()))
    }
}

impl FeatureParts {
    pub fn n_parameters(&self) -> usize {
        [&self.user, &self.item]
            .iter()
            .filter_map(|s| s.as_ref())
            .map(SideParts::n_parameters)
            .sum()
    }

    pub fn is_finite(&self) -> bool {
        [&self.user, &self.item]
            .iter()
            .filter_map(|s| s.as_ref())
            .all(SideParts::is_finite)
    }

    pub fn side(&self, side: Side) -> Option<&SideParts> {
        match side {
            Side::User => self.user.as_ref(),
            Side::Item => self.item.as_ref(),
        }
    }
}
