//! Training a GMF, MLP or NeuMF model: mini-batches of observed cells (and, for 0/1 data, of
//! sampled negatives drawn again every epoch, as He et al. do), shuffled by one seeded
//! generator, so the same data, parameters and seed give the same model. An epoch can be run in
//! slices of whole batches ([`NcfTrainer::advance`]) and equals the epoch run whole.

use super::model::{Architecture, Grads, NcfModel, Work};
use super::solver::{Solver, SolverState};
use crate::data::{Feedback, Ratings};
use crate::error::{Error, Result};
use crate::model::Output;
use crate::rng::Rng;
use crate::train::{Clock, EpochReport, Loss};

/// Everything that decides a neural model's training.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NcfParams {
    pub arch: Architecture,
    /// Logistic (log loss on 0/1 data, with negatives) or squared (ratings).
    pub loss: Loss,
    pub solver: Solver,
    pub learning_rate: f32,
    /// L2 weight on the embeddings and the layers' weights.
    pub reg: f32,
    pub batch_size: usize,
    /// For log loss: sampled unobserved items per observed 1, each epoch (He et al. use 4).
    pub negatives: usize,
    /// Standard deviation of the initial embeddings.
    pub init_std: f32,
    pub n_epochs: usize,
    pub seed: u64,
}

impl NcfParams {
    /// He et al.'s settings: NeuMF with 8 factors and the tower 64,32,16,8, Adam at 0.001,
    /// batches of 256, 4 negatives, embeddings from N(0, 0.01), no L2, 20 epochs.
    pub fn new(arch: Architecture) -> NcfParams {
        NcfParams {
            arch,
            loss: Loss::Logistic,
            solver: Solver::Adam,
            learning_rate: 0.001,
            reg: 0.0,
            batch_size: 256,
            negatives: 4,
            init_std: 0.01,
            n_epochs: 20,
            seed: 42,
        }
    }

    pub fn check(&self) -> Result<()> {
        self.arch.check()?;
        let positive = |name: &'static str, v: f32| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(Error::invalid(name, v, "must be a positive number"))
            }
        };
        positive("learning_rate", self.learning_rate)?;
        if !(self.reg.is_finite() && self.reg >= 0.0) {
            return Err(Error::invalid("reg", self.reg, "must be 0 or more"));
        }
        if !(self.init_std.is_finite() && self.init_std >= 0.0) {
            return Err(Error::invalid(
                "init_std",
                self.init_std,
                "must be 0 or more",
            ));
        }
        if self.batch_size == 0 {
            return Err(Error::invalid("batch_size", 0, "must be at least 1"));
        }
        Ok(())
    }
}

/// Owns the data, the model and the solver's state.
pub struct NcfTrainer {
    params: NcfParams,
    data: Ratings,
    /// Each user's observed items, sorted: negatives are drawn outside them.
    seen: Vec<Vec<u32>>,
    model: NcfModel,
    solver: SolverState,
    grads: Grads,
    work: Work,
    rng: Rng,
    /// The epoch's examples in visiting order: user, item, target.
    batch: Vec<(u32, u32, f32)>,
    /// Examples of the current epoch done, and its loss so far (None between epochs).
    cursor: Option<(usize, f64, f64)>,
    epoch: usize,
    diverged: bool,
    clock: Clock,
}

impl NcfTrainer {
    /// Checks the parameters against the data and initialises the model. Log loss needs 0/1
    /// targets; squared loss starts the output bias at the mean rating.
    pub fn new(data: Ratings, params: NcfParams) -> Result<NcfTrainer> {
        params.check()?;
        if data.is_empty() {
            return Err(Error::EmptyDataset("no ratings to train on".into()));
        }
        let output = match params.loss {
            Loss::Logistic => {
                if let Some(&v) = data.values().iter().find(|&&v| v != 0.0 && v != 1.0) {
                    return Err(Error::invalid(
                        "loss",
                        "logistic",
                        format!("log loss fits 0/1 data, and this data has a {v}: binarise it or use squared loss"),
                    ));
                }
                Output::Sigmoid
            }
            Loss::Squared => Output::Identity,
        };
        let bias = if output == Output::Identity {
            data.mean()
        } else {
            0.0
        };
        let model = NcfModel::init(
            params.arch.clone(),
            data.n_users(),
            data.n_items(),
            output,
            params.init_std,
            bias,
            params.seed,
        )?;
        let mut seen = vec![Vec::new(); data.n_users()];
        for k in 0..data.len() {
            let (u, i, _) = data.get(k);
            seen[u].push(i as u32);
        }
        seen.iter_mut().for_each(|s| s.sort_unstable());
        Ok(NcfTrainer {
            solver: SolverState::new(params.solver, &model),
            grads: Grads::new(&model),
            work: Work::new(&model),
            rng: Rng::new(params.seed ^ 0x9E37_79B9_7F4A_7C15),
            params,
            data,
            seen,
            model,
            batch: Vec::new(),
            cursor: None,
            epoch: 0,
            diverged: false,
            clock: crate::train::default_clock,
        })
    }

    /// Uses `clock` for the reported times (the page passes the host's).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn model(&self) -> &NcfModel {
        &self.model
    }

    pub fn params(&self) -> &NcfParams {
        &self.params
    }

    pub fn epoch(&self) -> usize {
        self.epoch
    }

    /// How many examples an epoch visits: the ratings and, for log loss, the negatives.
    pub fn examples_per_epoch(&self) -> usize {
        match self.params.loss {
            Loss::Logistic => {
                let ones = self.data.values().iter().filter(|&&v| v == 1.0).count();
                self.data.len() + ones * self.params.negatives
            }
            Loss::Squared => self.data.len(),
        }
    }

    /// The epoch's examples: every rating, then for log loss `negatives` unobserved items per 1
    /// (a user who has seen every item gets none), shuffled.
    fn draw_epoch(&mut self) {
        self.batch.clear();
        let logistic = self.params.loss == Loss::Logistic;
        let n_items = self.data.n_items();
        for k in 0..self.data.len() {
            let (u, i, v) = self.data.get(k);
            self.batch.push((u as u32, i as u32, v));
            if logistic && v == 1.0 && self.seen[u].len() < n_items {
                for _ in 0..self.params.negatives {
                    let j = loop {
                        let j = self.rng.below(n_items) as u32;
                        if self.seen[u].binary_search(&j).is_err() {
                            break j;
                        }
                    };
                    self.batch.push((u as u32, j, 0.0));
                }
            }
        }
        self.rng.shuffle(&mut self.batch);
    }

    /// Runs whole batches of the current epoch until about `examples` more are done or the
    /// epoch ends; returns the epoch's report when it ended.
    pub fn advance(&mut self, examples: usize) -> Option<EpochReport> {
        if self.diverged {
            return None;
        }
        let (mut done, mut loss_sum, mut millis) = match self.cursor.take() {
            Some(c) => c,
            None => {
                self.draw_epoch();
                (0, 0.0, 0.0)
            }
        };
        let start = (self.clock)();
        let stop = (done + examples.max(1)).min(self.batch.len());
        let b = self.params.batch_size;
        let mut trace = self.model.trace();
        while done < stop {
            let end = (done + b).min(self.batch.len());
            let scale = 1.0 / (end - done) as f32;
            self.grads.clear();
            for &(u, i, y) in &self.batch[done..end] {
                let (u, i) = (u as usize, i as usize);
                let s = self.model.forward(u, i, &mut trace);
                let (l, ds) = self.params.loss.value_and_grad(s, y);
                loss_sum += l as f64;
                self.model
                    .backward((u, i), &trace, ds, scale, &mut self.grads, &mut self.work);
            }
            self.solver.step(
                &mut self.model,
                &self.grads,
                self.params.learning_rate,
                self.params.reg,
            );
            done = end;
        }
        millis += (self.clock)() - start;
        if done < self.batch.len() {
            self.cursor = Some((done, loss_sum, millis));
            return None;
        }
        self.epoch += 1;
        let loss = (loss_sum / self.batch.len().max(1) as f64) as f32;
        let rmse = self.training_rmse();
        self.diverged = !loss.is_finite() || !self.model.is_finite();
        Some(EpochReport {
            epoch: self.epoch,
            loss,
            rmse,
            millis,
            diverged: self.diverged,
        })
    }

    /// One whole epoch.
    pub fn step(&mut self) -> Option<EpochReport> {
        self.advance(usize::MAX)
    }

    /// The root mean squared error of the predictions on the training ratings.
    fn training_rmse(&self) -> f32 {
        let mut trace = self.model.trace();
        let mut sum = 0.0f64;
        for k in 0..self.data.len() {
            let (u, i, v) = self.data.get(k);
            let s = self.model.forward(u, i, &mut trace);
            let p = match self.model.output {
                Output::Identity => s,
                Output::Sigmoid => crate::model::sigmoid(s),
            };
            sum += ((p - v) as f64).powi(2);
        }
        (sum / self.data.len() as f64).sqrt() as f32
    }

    /// Whether the data is 0/1 (log loss) by default.
    pub fn default_loss(data: &Ratings) -> Loss {
        if data.feedback() == Feedback::Implicit {
            Loss::Logistic
        } else {
            Loss::Squared
        }
    }
}
