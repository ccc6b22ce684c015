//! One trainer for every model family: matrix factorisation by the registry's algorithms
//! ([`Trainer`]) or a neural family ([`NcfTrainer`]), chosen by [`TrainParams::family`]. What
//! every family answers (an epoch, a score, a prediction, a size) is asked here; what only one
//! family has (MF's biases and factor parts) is reached through [`Fitted::mf`].

use crate::data::Ratings;
use crate::error::Result;
use crate::model::MfModel;
use crate::neural::{NcfModel, NcfTrainer};
use crate::train::{Clock, EpochReport, TrainParams, Trainer};

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
