//! Features as extra inputs of a network: as in the hybrid factorisation
//! ([`crate::model::FeatureParts`]), a user's (an item's) embedding in each table is its id's
//! row plus its features' rows, `e_u = e_id(u) + sum_f w_uf e_f` (each of `n` features weighing
//! `1 / (n + 1)`, see [`crate::data::features`]). The model's tables
//! hold these sums, so the forward and backward passes, the map and fold-in read them as they
//! read a network's own; a batch's gradient of a row reaches its id's row and, times its
//! weight, each of its features' rows (the solver's `scatter`), and the sums are made again
//! ([`NcfModel::compose`](super::NcfModel::compose)).

use serde::{Deserialize, Serialize};

use crate::data::{FeatureMatrix, Side};
use crate::error::{Error, Result};
use crate::kernels::axpy;
use crate::rng::Rng;

/// One side's id and feature rows, for the GMF table (`k` wide) and the MLP's (`h` wide); a
/// table the family does not have is empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NcfSide {
    pub matrix: FeatureMatrix,
    pub gmf_id: Vec<f32>,
    pub gmf: Vec<f32>,
    pub mlp_id: Vec<f32>,
    pub mlp: Vec<f32>,
}

/// The sides that have features.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NcfFeatures {
    #[serde(default)]
    pub user: Option<NcfSide>,
    #[serde(default)]
    pub item: Option<NcfSide>,
}

/// `out[r] = id[r] + sum_f w_rf feat[f]` for every row, `width` wide.
pub(super) fn compose_table(
    m: &FeatureMatrix,
    id: &[f32],
    feat: &[f32],
    width: usize,
    out: &mut [f32],
) {
    if width == 0 {
        return;
    }
    for r in 0..m.n_rows() {
        let row = &mut out[r * width..(r + 1) * width];
        row.copy_from_slice(&id[r * width..(r + 1) * width]);
        let (cols, weights) = m.row(r);
        for (&c, &w) in cols.iter().zip(weights) {
            let c = c as usize;
            axpy(row, w, &feat[c * width..(c + 1) * width]);
        }
    }
}

impl NcfSide {
    /// A side's parts from the model's initial tables (`gmf`, `mlp`): rows without ratings start
    /// at zero, so their embeddings are their features' alone; features from N(0, std^2).
    pub(super) fn new(
        matrix: FeatureMatrix,
        (gmf, k): (&[f32], usize),
        (mlp, h): (&[f32], usize),
        rated: &[bool],
        std: f32,
        rng: &mut Rng,
    ) -> NcfSide {
        let ids = |table: &[f32], width: usize| -> Vec<f32> {
            let mut t = table.to_vec();
            for (r, &seen) in rated.iter().enumerate() {
                if !seen {
                    t[r * width..(r + 1) * width].fill(0.0);
                }
            }
            t
        };
        let nf = matrix.n_features();
        let mut draw =
            |n: usize| -> Vec<f32> { (0..n).map(|_| rng.normal() as f32 * std).collect() };
        NcfSide {
            gmf_id: ids(gmf, k),
            mlp_id: ids(mlp, h),
            gmf: draw(nf * k),
            mlp: draw(nf * h),
            matrix,
        }
    }

    pub fn n_parameters(&self) -> usize {
        self.gmf_id.len() + self.gmf.len() + self.mlp_id.len() + self.mlp.len()
    }

    /// Checks the lengths against `n` rows and widths `k`, `h`, and that every number is finite.
    pub fn check(&self, field: &'static str, n: usize, k: usize, h: usize) -> Result<()> {
        let nf = self.matrix.n_features();
        for (name, len, want) in [
            ("rows", self.matrix.n_rows(), n),
            ("gmfId", self.gmf_id.len(), n * k),
            ("gmf", self.gmf.len(), nf * k),
            ("mlpId", self.mlp_id.len(), n * h),
            ("mlp", self.mlp.len(), nf * h),
        ] {
            if len != want {
                return Err(Error::invalid(
                    field,
                    format!("{name}: {len} values"),
                    format!("the shape needs {want}"),
                ));
            }
        }
        let all = [&self.gmf_id, &self.gmf, &self.mlp_id, &self.mlp];
        if all.iter().any(|t| t.iter().any(|v| !v.is_finite())) {
            return Err(Error::invalid(
                field,
                "a number",
                "every parameter must be finite",
            ));
        }
        Ok(())
    }
}

impl NcfFeatures {
    pub fn side(&self, side: Side) -> Option<&NcfSide> {
        match side {
            Side::User => self.user.as_ref(),
            Side::Item => self.item.as_ref(),
        }
    }

    pub fn n_parameters(&self) -> usize {
        [&self.user, &self.item]
            .iter()
            .filter_map(|s| s.as_ref())
            .map(NcfSide::n_parameters)
            .sum()
    }
}
