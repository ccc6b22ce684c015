//! Training a GMF, MLP or NeuMF model: mini-batches of observed cells (and, for 0/1 data, of
//! sampled negatives drawn again every epoch, as He et al. do), shuffled by one seeded
//! generator, so the same data, parameters and seed give the same model. An epoch can be run in
//! slices of whole batches ([`NcfTrainer::advance`]) and equals the epoch run whole.

use super::model::{Architecture, Grads, NcfModel, Work};
use super::solver::{Solver, SolverState};
use crate::data::Ratings;
use crate::error::{Error, Result};
use crate::model::Output;
use crate::rng::Rng;
use crate::train::{Clock, EpochReport, Loss, Optimizer, TrainParams};

/// Owns the data, the model and the solver's state.
pub struct NcfTrainer {
    params: TrainParams,
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
    pub fn new(data: Ratings, params: TrainParams) -> Result<NcfTrainer> {
        let params = params.check()?;
        let arch = Architecture::of(&params);
        arch.check()?;
        let solver = solver_of(&params);
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
            Loss::Bpr => {
                return Err(Error::invalid(
                    "loss",
                    "bpr",
                    "the networks train with logistic or squared loss: BPR is for MF and hybrid MF with sgd",
                ))
            }
        };
        let bias = if output == Output::Identity {
            data.mean()
        } else {
            0.0
        };
        let mut model = NcfModel::init(
            arch,
            data.n_users(),
            data.n_items(),
            output,
            params.init_std,
            bias,
            params.seed,
        )?;
        if params.use_features {
            model.attach_features(&data, params.init_std, params.seed)?;
        }
        let seen = seen_by_user(&data);
        Ok(NcfTrainer {
            solver: SolverState::new(solver, &model),
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
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    pub fn model(&self) -> &NcfModel {
        &self.model
    }

    pub fn params(&self) -> &TrainParams {
        &self.params
    }

    pub fn data(&self) -> &Ratings {
        &self.data
    }

    pub fn epoch(&self) -> usize {
        self.epoch
    }

    pub fn diverged(&self) -> bool {
        self.diverged
    }

    /// True while an epoch is partly done.
    pub fn in_epoch(&self) -> bool {
        self.cursor.is_some()
    }

    /// Changes hyper-parameters from the next batch on, keeping the model. What shapes the
    /// model (family, factors, tower, loss, seed, features) needs a new one; another optimiser starts its
    /// state afresh.
    pub fn set_params(&mut self, params: TrainParams) -> Result<()> {
        let params = params.check()?;
        for (name, same) in [
            ("family", params.family == self.params.family),
            ("n_factors", params.n_factors == self.params.n_factors),
            (
                "layers",
                params.layers == self.params.layers || !params.family.has_mlp(),
            ),
            ("seed", params.seed == self.params.seed),
            ("loss", params.loss == self.params.loss),
            (
                "useFeatures",
                params.use_features == self.params.use_features,
            ),
        ] {
            if !same {
                return Err(Error::invalid(
                    name,
                    "a new value",
                    "can only change with a reset of the model",
                ));
            }
        }
        if params.optimizer != self.params.optimizer {
            self.solver = SolverState::new(solver_of(&params), &self.model);
        }
        if params.negatives != self.params.negatives || params.batch_size != self.params.batch_size
        {
            // The epoch's examples were drawn for the old settings: the next epoch starts afresh.
            self.cursor = None;
        }
        self.params = params;
        Ok(())
    }

    /// Replaces the training data (same users and items), keeping the model and the solver's
    /// state: to edit a rating and keep training.
    pub fn set_data(&mut self, data: Ratings) -> Result<()> {
        data.check_replaces(&self.data)?;
        self.seen = seen_by_user(&data);
        self.data = data;
        self.cursor = None;
        Ok(())
    }

    /// Goes back to an earlier model of the same shape, as it stood after `epoch` epochs; the
    /// solver's state starts afresh.
    pub fn restore(&mut self, model: NcfModel, epoch: usize) -> Result<()> {
        if model.arch != self.model.arch
            || model.n_users != self.model.n_users
            || model.n_items != self.model.n_items
        {
            return Err(Error::invalid(
                "model",
                "another shape",
                "a restored model must have the trainer's shape",
            ));
        }
        self.diverged = !model.is_finite();
        self.model = model;
        self.solver = SolverState::new(solver_of(&self.params), &self.model);
        self.epoch = epoch;
        self.cursor = None;
        Ok(())
    }

    /// Mean loss and RMSE of the current model on the training ratings (no negatives).
    pub fn training_error(&self) -> (f32, f32) {
        let mut trace = self.model.trace();
        let (mut loss, mut sq) = (0.0f64, 0.0f64);
        for k in 0..self.data.len() {
            let (u, i, v) = self.data.get(k);
            let s = self.model.forward(u, i, &mut trace);
            loss += self.params.loss.value_and_grad(s, v).0 as f64;
            sq += ((self.model.link(s) - v) as f64).powi(2);
        }
        let n = self.data.len().max(1) as f64;
        ((loss / n) as f32, (sq / n).sqrt() as f32)
    }

    /// How many examples an epoch visits: the ratings and, for log loss, the negatives.
    pub fn examples_per_epoch(&self) -> usize {
        match self.params.loss {
            Loss::Logistic => {
                let ones = self.data.values().iter().filter(|&&v| v == 1.0).count();
                self.data.len() + ones * self.params.negatives
            }
            Loss::Squared | Loss::Bpr => self.data.len(),
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
                self.params.reg_factor,
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
        let (_, rmse) = self.training_error();
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
}

/// Each user's observed items, sorted.
fn seen_by_user(data: &Ratings) -> Vec<Vec<u32>> {
    let mut seen = vec![Vec::new(); data.n_users()];
    for k in 0..data.len() {
        let (u, i, _) = data.get(k);
        seen[u].push(i as u32);
    }
    seen.iter_mut().for_each(|s| s.sort_unstable());
    seen
}

/// The update rule the parameters' optimiser names (Adam unless it is SGD).
fn solver_of(p: &TrainParams) -> Solver {
    if p.optimizer == Optimizer::SGD {
        Solver::Sgd
    } else {
        Solver::Adam
    }
}
