//! A hybrid model's id and feature parameters in its model file (see
//! [`crate::model::FeatureParts`]): per side, the features' names, each user's or item's
//! features, and the id's and the features' vectors and biases. The file's factors and biases
//! are their sums; reading sums them again, so the two cannot disagree.

use std::sync::Arc;

use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use crate::data::FeatureMatrix;
use crate::error::{Error, Result};
use crate::model::{FeatureParts, MfModel, SideParts};

/// One side's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SideFile {
    /// The features' names and each user's (item's), as a network's file keeps them too
    /// ([`crate::data::features::FeatureRows`], checked as it is read).
    pub matrix: FeatureMatrix,
    pub id_factors: Vec<f32>,
    pub id_bias: Vec<f32>,
    pub factors: Vec<f32>,
    pub bias: Vec<f32>,
}

impl SideFile {
    pub fn of(s: &SideParts) -> SideFile {
        SideFile {
            matrix: (*s.matrix).clone(),
            id_factors: s.id_factors.iter().copied().collect(),
            id_bias: s.id_bias.to_vec(),
            factors: s.factors.iter().copied().collect(),
            bias: s.bias.to_vec(),
        }
    }

    /// The side's parameters for `n` users (items) of `k` factors, checked: `field` names it in
    /// errors (`userFeatures`, `itemFeatures`).
    fn read(self, field: &'static str, n: usize, k: usize) -> Result<SideParts> {
        let nf = self.matrix.n_features();
        for (name, len, want) in [
            ("rows", self.matrix.n_rows(), n),
            ("idFactors", self.id_factors.len(), n.saturating_mul(k)),
            ("idBias", self.id_bias.len(), n),
            ("factors", self.factors.len(), nf.saturating_mul(k)),
            ("bias", self.bias.len(), nf),
        ] {
            if len != want {
                return Err(Error::invalid(
                    field,
                    format!("{name}: {len} values"),
                    format!("the shape needs {want}"),
                ));
            }
        }
        let all = self
            .id_factors
            .iter()
            .chain(&self.id_bias)
            .chain(&self.factors)
            .chain(&self.bias);
        if let Some(bad) = all.clone().find(|v| !v.is_finite()) {
            return Err(Error::invalid(
                field,
                bad,
                "every parameter must be a finite number",
            ));
        }
        Ok(SideParts {
            matrix: Arc::new(self.matrix),
            id_factors: Array2::from_shape_vec((n, k), self.id_factors).expect("length checked"),
            id_bias: Array1::from(self.id_bias),
            factors: Array2::from_shape_vec((nf, k), self.factors).expect("length checked"),
            bias: Array1::from(self.bias),
        })
    }
}

/// Both sides' files of a model's parts (none for a plain factorisation).
pub fn of(m: &MfModel) -> (Option<SideFile>, Option<SideFile>) {
    match &m.features {
        None => (None, None),
        Some(f) => (
            f.user.as_ref().map(SideFile::of),
            f.item.as_ref().map(SideFile::of),
        ),
    }
}

/// Gives `model` the parts the files hold, and sums them into its factors and biases.
pub fn attach(model: &mut MfModel, user: Option<SideFile>, item: Option<SideFile>) -> Result<()> {
    if user.is_none() && item.is_none() {
        return Ok(());
    }
    let k = model.n_factors();
    let parts = FeatureParts {
        user: user
            .map(|s| s.read("userFeatures", model.n_users(), k))
            .transpose()?,
        item: item
            .map(|s| s.read("itemFeatures", model.n_items(), k))
            .transpose()?,
    };
    model.features = Some(Box::new(parts));
    model.compose();
    Ok(())
}
