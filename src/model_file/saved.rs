//! A saved model of any family: a factorisation's file or a network's, told apart by the
//! document's `format`, with what the command line and the page ask of either.

use super::{projector, DataRef, Projector, SavedModel, SavedNetwork};
use crate::data::Ratings;
use crate::error::Result;
use crate::fit::Snapshot;
use crate::model::MfModel;
use crate::train::TrainParams;

/// A model file's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    Mf(SavedModel),
    Network(SavedNetwork),
}

/// What a model file keeps of the data it was trained on: its user and item ids, its items'
/// labels, and a reference to it by `name`.
fn described_by(data: &Ratings, name: &str) -> (Vec<String>, Vec<String>, Vec<String>, DataRef) {
    let item_labels = (0..data.n_items())
        .map(|i| data.item_label(i).to_string())
        .collect();
    let reference = DataRef {
        name: name.to_string(),
        n_ratings: data.len(),
    };
    (
        data.user_ids().to_vec(),
        data.item_ids().to_vec(),
        item_labels,
        reference,
    )
}

impl SavedModel {
    /// A factorisation trained on `data`, as [`Saved::of`] keeps it.
    pub fn of(
        model: MfModel,
        data: &Ratings,
        params: TrainParams,
        epoch: usize,
        name: &str,
    ) -> SavedModel {
        let (user_ids, item_ids, item_labels, data) = described_by(data, name);
        SavedModel {
            model,
            user_ids,
            item_ids,
            item_labels,
            params,
            epoch,
            data,
        }
    }
}

/// The one field read first, to know which document it is (the others are skipped).
#[derive(serde::Deserialize)]
struct Tag {
    format: String,
}

impl Saved {
    /// A model trained on `data` (its ids and labels), with its parameters and epoch; the data
    /// is referred to by `name`.
    pub fn of(
        model: Snapshot,
        data: &Ratings,
        params: TrainParams,
        epoch: usize,
        name: &str,
    ) -> Saved {
        match model {
            Snapshot::Mf(model) => Saved::Mf(SavedModel::of(model, data, params, epoch, name)),
            Snapshot::Neural(network) => {
                let (user_ids, item_ids, item_labels, data) = described_by(data, name);
                Saved::Network(SavedNetwork {
                    network,
                    user_ids,
                    item_ids,
                    item_labels,
                    params,
                    epoch,
                    data,
                })
            }
        }
    }

    /// Reads a factorisation's or a network's document, as its `format` says.
    pub fn from_json(text: &str) -> Result<Saved> {
        // Unknown fields are ignored here: the reader of the format checks them.
        let format = serde_json::from_str::<Tag>(text).map(|t| t.format);
        match format.as_deref() {
            Ok(super::network::FORMAT) => SavedNetwork::from_json(text).map(Saved::Network),
            // A damaged file or a factorisation's: its own reader names what is wrong.
            _ => SavedModel::from_json(text).map(Saved::Mf),
        }
    }

    pub fn to_json(&self) -> String {
        match self {
            Saved::Mf(s) => s.to_json(),
            Saved::Network(s) => s.to_json(),
        }
    }

    pub fn user_ids(&self) -> &[String] {
        match self {
            Saved::Mf(s) => &s.user_ids,
            Saved::Network(s) => &s.user_ids,
        }
    }

    pub fn item_ids(&self) -> &[String] {
        match self {
            Saved::Mf(s) => &s.item_ids,
            Saved::Network(s) => &s.item_ids,
        }
    }

    pub fn item_labels(&self) -> &[String] {
        match self {
            Saved::Mf(s) => &s.item_labels,
            Saved::Network(s) => &s.item_labels,
        }
    }

    pub fn params(&self) -> &TrainParams {
        match self {
            Saved::Mf(s) => &s.params,
            Saved::Network(s) => &s.params,
        }
    }

    pub fn epoch(&self) -> usize {
        match self {
            Saved::Mf(s) => s.epoch,
            Saved::Network(s) => s.epoch,
        }
    }

    pub fn data(&self) -> &super::DataRef {
        match self {
            Saved::Mf(s) => &s.data,
            Saved::Network(s) => &s.data,
        }
    }

    /// Index of a user by external id.
    pub fn user_index(&self, id: &str) -> Option<usize> {
        self.user_ids().iter().position(|u| u == id)
    }

    /// The prediction for user `u` and item `i` (indices of this model).
    pub fn predict(&self, u: usize, i: usize) -> f32 {
        match self {
            Saved::Mf(s) => s.model.predict(u, i),
            Saved::Network(s) => s.network.predict(u, i),
        }
    }

    /// The `n` best items for user `u` but `exclude`, with their predictions.
    pub fn recommend(&self, u: usize, n: usize, exclude: &[usize]) -> Result<Vec<(usize, f32)>> {
        match self {
            Saved::Mf(s) => s.model.recommend(u, n, exclude),
            Saved::Network(s) => s.network.recommend(u, n, exclude),
        }
    }

    /// The users' and the items' embeddings: MF's factors, a network's GMF embeddings (the
    /// MLP's for the MLP alone), as the Projector and the map show them.
    pub fn embedding_tables(&self) -> (ndarray::Array2<f32>, ndarray::Array2<f32>) {
        match self {
            Saved::Mf(s) => (s.model.user_factors.clone(), s.model.item_factors.clone()),
            Saved::Network(s) => s.network.embedding_tables(),
        }
    }

    /// The Embedding Projector's files: MF's factors and biases, a network's GMF embeddings
    /// (the MLP's for the MLP alone).
    pub fn projector(&self) -> Projector {
        match self {
            Saved::Mf(s) => s.projector(),
            Saved::Network(s) => {
                let (users, items) = s.network.embedding_tables();
                projector(
                    (&users, &items),
                    (&s.user_ids, &s.item_ids, &s.item_labels),
                    None,
                )
            }
        }
    }

    /// The model, to restore into a trainer.
    pub fn snapshot(self) -> Snapshot {
        match self {
            Saved::Mf(s) => Snapshot::Mf(s.model),
            Saved::Network(s) => Snapshot::Neural(s.network),
        }
    }
}
