//! One trainer for every model family: matrix factorisation by the registry's algorithms
//! ([`Trainer`]) or a neural family ([`NcfTrainer`]), chosen by [`TrainParams::family`]. What
//! every family answers (an epoch, a score, a prediction, a size) is asked here; what only one
//! family has (MF's biases and factor parts) is reached through [`Fitted::mf`].

use ndarray::Array2;

use crate::data::{FeatureMatrix, Ratings, Side};
use crate::error::{Error, Result};
use crate::model::{similar_rows, Explanation, MfModel, Similarity};
use crate::neural::explain::NeuralExplanation;
use crate::neural::{NcfModel, NcfTrainer};
use crate::train::{Clock, EpochReport, TrainParams, Trainer};

/// A copy of a model of any family (the best epoch early stopping keeps, say).
#[derive(Debug, Clone, PartialEq)]
pub enum Snapshot {
    Mf(MfModel),
    Neural(NcfModel),
}

/// A prediction taken apart, as the family's model allows.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Parts {
    Mf(Explanation),
    Neural(NeuralExplanation),
}

/// A trainer of the family the parameters name.
pub enum Fitted {
    Mf(Trainer),
    Neural(NcfTrainer),
}

impl Fitted {
    /// Checks the parameters against the data and initialises the model.
    pub fn new(data: Ratings, params: TrainParams) -> Result<Fitted> {
        Ok(if params.family.is_neural() {
            Fitted::Neural(NcfTrainer::new(data, params)?)
        } else {
            Fitted::Mf(Trainer::new(data, params)?)
        })
    }

    pub fn set_clock(&mut self, clock: Clock) {
        match self {
            Fitted::Mf(t) => t.set_clock(clock),
            Fitted::Neural(t) => t.set_clock(clock),
        }
    }

    /// Runs at most about `budget` examples of the current epoch (whole mini-batches); the
    /// epoch's report once it completes.
    pub fn advance(&mut self, budget: usize) -> Option<EpochReport> {
        match self {
            Fitted::Mf(t) => t.advance(budget),
            Fitted::Neural(t) => t.advance(budget),
        }
    }

    /// True while an epoch is partly done.
    pub fn in_epoch(&self) -> bool {
        match self {
            Fitted::Mf(t) => t.in_epoch(),
            Fitted::Neural(t) => t.in_epoch(),
        }
    }

    pub fn diverged(&self) -> bool {
        match self {
            Fitted::Mf(t) => t.diverged(),
            Fitted::Neural(t) => t.diverged(),
        }
    }

    /// The training ratings.
    pub fn data(&self) -> &Ratings {
        match self {
            Fitted::Mf(t) => t.data(),
            Fitted::Neural(t) => t.data(),
        }
    }

    /// Replaces the training data (same users and items), keeping the model.
    pub fn set_data(&mut self, data: Ratings) -> Result<()> {
        match self {
            Fitted::Mf(t) => t.set_data(data),
            Fitted::Neural(t) => t.set_data(data),
        }
    }

    /// Changes hyper-parameters from the next epoch on; another family needs a new model.
    pub fn set_params(&mut self, params: TrainParams) -> Result<()> {
        if params.family != self.params().family {
            return Err(Error::invalid(
                "family",
                params.family.name(),
                "can only change with a reset of the model",
            ));
        }
        match self {
            Fitted::Mf(t) => t.set_params(params),
            Fitted::Neural(t) => t.set_params(params),
        }
    }

    /// Mean loss and RMSE on the training ratings.
    pub fn training_error(&self) -> (f32, f32) {
        match self {
            Fitted::Mf(t) => t.training_error(),
            Fitted::Neural(t) => t.training_error(),
        }
    }

    /// A copy of the model as it stands.
    pub fn snapshot(&self) -> Snapshot {
        match self {
            Fitted::Mf(t) => Snapshot::Mf(t.model().clone()),
            Fitted::Neural(t) => Snapshot::Neural(t.model().clone()),
        }
    }

    /// Goes back to an earlier model of the same family and shape, after `epoch` epochs.
    pub fn restore(&mut self, model: Snapshot, epoch: usize) -> Result<()> {
        match (self, model) {
            (Fitted::Mf(t), Snapshot::Mf(m)) => t.restore(m, epoch),
            (Fitted::Neural(t), Snapshot::Neural(m)) => t.restore(m, epoch),
            _ => Err(Error::invalid(
                "model",
                "another family",
                "a restored model must be of the trainer's family",
            )),
        }
    }

    /// The parts of one prediction.
    pub fn explain(&self, u: usize, i: usize) -> Result<Parts> {
        match self {
            Fitted::Mf(t) => t.model().explain(u, i).map(Parts::Mf),
            Fitted::Neural(t) => t.model().explain(u, i).map(Parts::Neural),
        }
    }

    /// The users' and the items' embeddings: MF's factors, a network's GMF tables (else its
    /// MLP's).
    pub fn embedding_tables(&self) -> (Array2<f32>, Array2<f32>) {
        match self {
            Fitted::Mf(t) => (
                t.model().user_factors.clone(),
                t.model().item_factors.clone(),
            ),
            Fitted::Neural(t) => t.model().embedding_tables(),
        }
    }

    /// The embedding tables a map can show: `factors` for MF, `gmf` and/or `mlp` for a network.
    pub fn table_names(&self) -> Vec<&'static str> {
        match self {
            Fitted::Mf(_) => vec!["factors"],
            Fitted::Neural(t) => t.model().table_names(),
        }
    }

    /// The table a map asked for by `name` (none: the model's first), or an error listing the
    /// model's tables.
    pub fn table_name(&self, name: Option<&str>) -> Result<&'static str> {
        let tables = self.table_names();
        match name {
            None => Ok(tables[0]),
            Some(n) => tables.iter().copied().find(|&x| x == n).ok_or_else(|| {
                Error::invalid(
                    "table",
                    n,
                    format!("this model's tables are {}", tables.join(", ")),
                )
            }),
        }
    }

    /// The users' and the items' embeddings of table `name` (one of [`Fitted::table_names`]).
    pub fn tables_named(&self, name: &str) -> Result<(Array2<f32>, Array2<f32>)> {
        match self {
            Fitted::Neural(t) => t.model().tables_named(name),
            Fitted::Mf(_) if name == "factors" => Ok(self.embedding_tables()),
            Fitted::Mf(_) => Err(Error::invalid(
                "table",
                name,
                "matrix factorisation's table is factors",
            )),
        }
    }

    /// Where the model takes features: the features of `side` and their rows in the embedding
    /// table `name` (one of [`Fitted::table_names`]), for the map.
    pub fn feature_rows(&self, name: &str, side: Side) -> Option<(&FeatureMatrix, Array2<f32>)> {
        match self {
            Fitted::Mf(t) => {
                let s = t.model().features.as_deref()?.side(side)?;
                (name == "factors").then(|| (&*s.matrix, s.factors.clone()))
            }
            Fitted::Neural(t) => {
                let s = t.model().features.as_deref()?.side(side)?;
                let rows = match name {
                    "gmf" => &s.gmf,
                    "mlp" => &s.mlp,
                    _ => return None,
                };
                let n = s.matrix.n_features();
                let width = rows.len().checked_div(n)?;
                let table = Array2::from_shape_vec((n, width), rows.clone()).ok()?;
                Some((&s.matrix, table))
            }
        }
    }

    /// The `n` best items for `u` but `exclude`, with their predictions.
    pub fn recommend(&self, u: usize, n: usize, exclude: &[usize]) -> Result<Vec<(usize, f32)>> {
        match self {
            Fitted::Mf(t) => t.model().recommend(u, n, exclude),
            Fitted::Neural(t) => t.model().recommend(u, n, exclude),
        }
    }

    /// The `n` items most like item `i` by their embeddings.
    pub fn similar_items(&self, i: usize, n: usize, sim: Similarity) -> Result<Vec<(usize, f32)>> {
        match self {
            Fitted::Mf(t) => t.model().similar_items(i, n, sim),
            Fitted::Neural(t) => {
                t.model().check_pair(0, i)?;
                Ok(similar_rows(&t.model().embedding_tables().1, i, n, sim))
            }
        }
    }

    /// One whole epoch; `None` once the model has diverged (it trains no further).
    pub fn step(&mut self) -> Option<EpochReport> {
        match self {
            Fitted::Mf(t) if t.diverged() => None,
            Fitted::Mf(t) => Some(t.step()),
            Fitted::Neural(t) => t.step(),
        }
    }

    /// The epochs the parameters ask for, stopping at divergence.
    pub fn fit(&mut self) -> Vec<EpochReport> {
        let mut reports = Vec::new();
        while self.epoch() < self.params().n_epochs {
            let Some(r) = self.step() else { break };
            let stop = r.diverged;
            reports.push(r);
            if stop {
                break;
            }
        }
        reports
    }

    pub fn epoch(&self) -> usize {
        match self {
            Fitted::Mf(t) => t.epoch(),
            Fitted::Neural(t) => t.epoch(),
        }
    }

    pub fn params(&self) -> &TrainParams {
        match self {
            Fitted::Mf(t) => t.params(),
            Fitted::Neural(t) => t.params(),
        }
    }

    /// The prediction for user `u` and item `i`, in the data's units (or a probability).
    pub fn predict(&self, u: usize, i: usize) -> f32 {
        match self {
            Fitted::Mf(t) => t.model().predict(u, i),
            Fitted::Neural(t) => t.model().predict(u, i),
        }
    }

    /// The raw score, monotone in the prediction: what a ranking sorts by.
    pub fn score(&self, u: usize, i: usize) -> f32 {
        match self {
            Fitted::Mf(t) => t.model().score(u, i),
            Fitted::Neural(t) => t.model().score(u, i),
        }
    }

    /// Every item's score for user `u`.
    pub fn scores_for_user(&self, u: usize) -> Vec<f32> {
        match self {
            Fitted::Mf(t) => t.model().scores_for_user(u),
            Fitted::Neural(t) => t.model().scores_for_user(u),
        }
    }

    /// How many examples an epoch visits (ratings, and the negatives drawn for 0/1 data).
    pub fn examples_per_epoch(&self) -> usize {
        match self {
            Fitted::Mf(t) => t.examples_per_epoch(),
            Fitted::Neural(t) => t.examples_per_epoch(),
        }
    }

    /// How many numbers the model holds (for a network, its tower and output layer too).
    pub fn n_parameters(&self) -> usize {
        match self {
            Fitted::Mf(t) => t.model().n_parameters(),
            Fitted::Neural(t) => t.model().n_parameters(),
        }
    }

    /// The factorisation, when the family is MF.
    pub fn mf(&self) -> Option<&MfModel> {
        match self {
            Fitted::Mf(t) => Some(t.model()),
            Fitted::Neural(_) => None,
        }
    }

    /// The network, when the family is a neural one.
    pub fn neural(&self) -> Option<&NcfModel> {
        match self {
            Fitted::Mf(_) => None,
            Fitted::Neural(t) => Some(t.model()),
        }
    }
}
