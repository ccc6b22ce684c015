//! The model as a JSON document that re-imports to continue training or predicting.
//!
//! ```json
//! { "format": "mf-playground-model", "version": 1,
//!   "nUsers": 2, "nItems": 3, "nFactors": 2, "output": "identity",
//!   "normalizer": { "kind": "user-mean", "offset": [..], "scale": [..] }, (when trained so)
//!   "mu": 3.5, "userBias": [..], "itemBias": [..],
//!   "userFactors": [.. n_users * n_factors, row-major ..], "itemFactors": [..],
//!   "userIds": [..], "itemIds": [..], "itemLabels": [..],
//!   "params": { ..TrainParams.. }, "epoch": 20, "data": { "name": "ratings.csv", "nRatings": 1000 } }
//! ```
//!
//! Reading checks everything a hand-edited or truncated file could get wrong (format tag,
//! version, every length against the shape, finite numbers, unique ids) and names the field.

use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use crate::data::preprocess::{Normalization, Normalizer};
use crate::error::{Error, Result};
use crate::model::{MfModel, Output};
use crate::train::TrainParams;

mod features;
pub mod network;
mod saved;
pub mod spark;

pub use network::SavedNetwork;
pub use saved::Saved;

pub const FORMAT: &str = "mf-playground-model";
pub const VERSION: u32 = 1;

/// Where the model's training data came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataRef {
    pub name: String,
    pub n_ratings: usize,
}

/// The serialised form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ModelFile {
    pub format: String,
    pub version: u32,
    pub n_users: usize,
    pub n_items: usize,
    pub n_factors: usize,
    pub output: Output,
    #[serde(default)]
    pub clip: Option<(f32, f32)>,
    /// The normalisation the model was trained in, with its fitted offsets and divisors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normalizer: Option<Normalizer>,
    pub mu: f32,
    pub user_bias: Vec<f32>,
    pub item_bias: Vec<f32>,
    pub user_factors: Vec<f32>,
    pub item_factors: Vec<f32>,
    pub user_ids: Vec<String>,
    pub item_ids: Vec<String>,
    pub item_labels: Vec<String>,
    pub params: TrainParams,
    pub epoch: usize,
    pub data: DataRef,
    /// A hybrid model's id and feature parameters, by side (see `model_file/features.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_features: Option<features::SideFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_features: Option<features::SideFile>,
}

/// A model with the ids and labels that give its indices meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedModel {
    pub model: MfModel,
    pub user_ids: Vec<String>,
    pub item_ids: Vec<String>,
    pub item_labels: Vec<String>,
    pub params: TrainParams,
    pub epoch: usize,
    pub data: DataRef,
}

/// Embeddings and metadata as the TensorFlow Embedding Projector loads them: one tab-separated
/// row of factors per line (no header), and a metadata table with a header row.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Projector {
    pub item_vectors: String,
    pub item_metadata: String,
    pub user_vectors: String,
    pub user_metadata: String,
}

/// Checks a document's format tag and version against what this build reads.
fn check_tag(format: &str, want: &str, version: u32, reads: u32) -> Result<()> {
    if format != want {
        return Err(Error::invalid(
            "format",
            format,
            format!("must be \"{want}\""),
        ));
    }
    if version != reads {
        return Err(Error::invalid(
            "version",
            version,
            format!("this build reads version {reads}"),
        ));
    }
    Ok(())
}

/// Checks that no user id and no item id appears twice.
fn unique_ids(user_ids: &[String], item_ids: &[String]) -> Result<()> {
    for (name, ids) in [("userIds", user_ids), ("itemIds", item_ids)] {
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = ids.iter().find(|id| !seen.insert(id.as_str())) {
            return Err(Error::invalid(name, dup, "appears twice"));
        }
    }
    Ok(())
}

/// A TSV cell: tabs and line breaks would break the table.
fn tsv_cell(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// The Embedding Projector's files: one tab-separated row of `vectors` per user and item, and
/// metadata tables (id, title for items, and the biases when the model has them).
pub(crate) fn projector(
    (users, items): (&ndarray::Array2<f32>, &ndarray::Array2<f32>),
    (user_ids, item_ids, item_labels): (&[String], &[String], &[String]),
    biases: Option<(&[f32], &[f32])>,
) -> Projector {
    use std::fmt::Write as _;
    let vectors = |factors: &ndarray::Array2<f32>| {
        let mut s = String::new();
        for row in factors.rows() {
            let cells: Vec<String> = row.iter().map(|v| v.to_string()).collect();
            let _ = writeln!(s, "{}", cells.join("\t"));
        }
        s
    };
    let bias = |b: Option<&[f32]>, k: usize| b.map_or(String::new(), |b| format!("\t{}", b[k]));
    let head = if biases.is_some() { "\tbias" } else { "" };
    let mut item_rows = format!("id\ttitle{head}\n");
    for i in 0..item_ids.len() {
        let _ = writeln!(
            item_rows,
            "{}\t{}{}",
            tsv_cell(&item_ids[i]),
            tsv_cell(&item_labels[i]),
            bias(biases.map(|b| b.1), i)
        );
    }
    let mut user_rows = format!("id{head}\n");
    for (u, id) in user_ids.iter().enumerate() {
        let _ = writeln!(
            user_rows,
            "{}{}",
            tsv_cell(id),
            bias(biases.map(|b| b.0), u)
        );
    }
    Projector {
        item_vectors: vectors(items),
        item_metadata: item_rows,
        user_vectors: vectors(users),
        user_metadata: user_rows,
    }
}

impl SavedModel {
    /// The Embedding Projector's files for items and users.
    pub fn projector(&self) -> Projector {
        let m = &self.model;
        projector(
            (&m.user_factors, &m.item_factors),
            (&self.user_ids, &self.item_ids, &self.item_labels),
            Some((
                m.user_bias.as_slice().unwrap_or(&[]),
                m.item_bias.as_slice().unwrap_or(&[]),
            )),
        )
    }

    /// The JSON document (compact).
    pub fn to_json(&self) -> String {
        let m = &self.model;
        let (user_features, item_features) = features::of(m);
        let file = ModelFile {
            format: FORMAT.into(),
            version: VERSION,
            n_users: m.n_users(),
            n_items: m.n_items(),
            n_factors: m.n_factors(),
            output: m.output,
            clip: m.clip,
            normalizer: m.norm.clone(),
            mu: m.mu,
            user_bias: m.user_bias.to_vec(),
            item_bias: m.item_bias.to_vec(),
            user_factors: m.user_factors.iter().copied().collect(),
            item_factors: m.item_factors.iter().copied().collect(),
            user_ids: self.user_ids.clone(),
            item_ids: self.item_ids.clone(),
            item_labels: self.item_labels.clone(),
            params: self.params.clone(),
            epoch: self.epoch,
            data: self.data.clone(),
            user_features,
            item_features,
        };
        // Serialising plain numbers and strings cannot fail (non-finite numbers become null and
        // are refused on the way back in).
        serde_json::to_string(&file).expect("model serialises")
    }

    /// Reads and checks a model document.
    pub fn from_json(text: &str) -> Result<SavedModel> {
        let f: ModelFile = serde_json::from_str(text)
            .map_err(|e| Error::parse(e.line(), e.column(), format!("not a model file: {e}")))?;
        check_tag(&f.format, FORMAT, f.version, VERSION)?;
        let (nu, ni, k) = (f.n_users, f.n_items, f.n_factors);
        for (name, len, want) in [
            ("userBias", f.user_bias.len(), nu),
            ("itemBias", f.item_bias.len(), ni),
            ("userFactors", f.user_factors.len(), nu.saturating_mul(k)),
            ("itemFactors", f.item_factors.len(), ni.saturating_mul(k)),
            ("userIds", f.user_ids.len(), nu),
            ("itemIds", f.item_ids.len(), ni),
            ("itemLabels", f.item_labels.len(), ni),
        ] {
            if len != want {
                return Err(Error::invalid(
                    name,
                    format!("{len} values"),
                    format!("the shape needs {want}"),
                ));
            }
        }
        if k != f.params.n_factors {
            return Err(Error::invalid(
                "nFactors",
                k,
                format!("params.nFactors is {}", f.params.n_factors),
            ));
        }
        let all = std::iter::once(&f.mu)
            .chain(&f.user_bias)
            .chain(&f.item_bias)
            .chain(&f.user_factors)
            .chain(&f.item_factors);
        if let Some(bad) = all.clone().find(|v| !v.is_finite()) {
            return Err(Error::invalid(
                "model",
                bad,
                "every parameter must be a finite number",
            ));
        }
        if let Some((lo, hi)) = f.clip {
            // Found by the model_file fuzz target: an overflowing bound read as infinity, and
            // the model then saved a null it could not read back.
            if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
                return Err(Error::invalid(
                    "clip",
                    format!("[{lo}, {hi}]"),
                    "must be two finite numbers, the lower first",
                ));
            }
        }
        unique_ids(&f.user_ids, &f.item_ids)?;
        let params = f.params.check()?;
        let kind = f
            .normalizer
            .as_ref()
            .map_or(Normalization::None, |n| n.kind);
        if kind != params.normalization {
            return Err(Error::invalid(
                "normalizer",
                kind.name(),
                format!("params.normalization is {}", params.normalization.name()),
            ));
        }
        if let Some(n) = &f.normalizer {
            n.check_shape(nu, ni)?;
        }
        let mut model = MfModel {
            mu: f.mu,
            user_bias: Array1::from(f.user_bias),
            item_bias: Array1::from(f.item_bias),
            user_factors: Array2::from_shape_vec((nu, k), f.user_factors).expect("length checked"),
            item_factors: Array2::from_shape_vec((ni, k), f.item_factors).expect("length checked"),
            output: f.output,
            clip: f.clip,
            norm: f.normalizer.filter(|n| n.kind != Normalization::None),
            features: None,
        };
        features::attach(&mut model, f.user_features, f.item_features)?;
        Ok(SavedModel {
            model,
            user_ids: f.user_ids,
            item_ids: f.item_ids,
            item_labels: f.item_labels,
            params,
            epoch: f.epoch,
            data: f.data,
        })
    }

    /// Index of a user by external id.
    pub fn user_index(&self, id: &str) -> Option<usize> {
        self.user_ids.iter().position(|u| u == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::builtin::seed_10x10;
    use crate::train::{Loss, Trainer};

    fn saved() -> SavedModel {
        let data = seed_10x10();
        let mut t = Trainer::new(
            data.clone(),
            TrainParams::new(3)
                .loss(Loss::Logistic)
                .learning_rate(0.1)
                .n_epochs(5),
        )
        .unwrap();
        t.fit();
        SavedModel::of(
            t.model().clone(),
            &data,
            t.params().clone(),
            t.epoch(),
            "seed-10x10",
        )
    }

    #[test]
    fn round_trip_reproduces_predictions_exactly() {
        let s = saved();
        let back = SavedModel::from_json(&s.to_json()).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.model.predict_all(), s.model.predict_all());
    }

    #[test]
    fn continues_training_after_import() {
        let s = saved();
        let back = SavedModel::from_json(&s.to_json()).unwrap();
        let mut t =
            Trainer::with_model(seed_10x10(), back.params.clone(), back.model.clone()).unwrap();
        let r = t.step();
        assert!(r.loss.is_finite());
    }

    #[test]
    fn a_clip_bound_too_large_for_f32_is_refused_not_saved_as_null() {
        // The model_file fuzz target's input, reduced: a clip bound that overflows to infinity.
        let mut s = saved();
        s.model.clip = Some((0.0, 5.0));
        let json = s.to_json().replace(
            "\"clip\":[0.0,5.0]",
            &format!("\"clip\":[0.0,5{}.0]", "1".repeat(60)),
        );
        assert!(json.contains("511111"), "the clip was rewritten");
        // JSON read exactly (serde_json's float_roundtrip) finds the number out of range itself,
        // and says where.
        let e = SavedModel::from_json(&json).unwrap_err();
        assert_eq!(e.code(), "parse_error");
        assert!(e.to_string().contains("column 175"), "{e}");
        assert!(e.to_string().contains("number out of range"), "{e}");
        let reversed = s
            .to_json()
            .replace("\"clip\":[0.0,5.0]", "\"clip\":[5.0,0.0]");
        assert!(SavedModel::from_json(&reversed).is_err());
    }

    #[test]
    fn damaged_files_name_the_problem() {
        let json = saved().to_json();
        let e = SavedModel::from_json(&json[..json.len() / 2]).unwrap_err();
        assert_eq!(e.code(), "parse_error");
        let e = SavedModel::from_json(&json.replace("\"nUsers\":10", "\"nUsers\":11")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("userBias = 10 values: the shape needs 11"),
            "{e}"
        );
        let e = SavedModel::from_json(&json.replace(FORMAT, "other")).unwrap_err();
        assert!(e.to_string().starts_with("format = other"), "{e}");
        let e =
            SavedModel::from_json(&json.replacen("\"mu\":", "\"mu\":null,\"x\":", 1)).unwrap_err();
        assert_eq!(e.code(), "parse_error");
    }
}
