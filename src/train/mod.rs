//! Steppable, deterministic training.
//!
//! [`Trainer::step`] advances one epoch and returns an [`EpochReport`]; [`Trainer::fit`] is a loop
//! over it. Whoever drives the loop (the page, the command line, a test) can pause, single-step,
//! change a hyper-parameter between epochs, or stop. Every random choice draws from one seeded
//! generator, so the same data, parameters and seed give the same numbers on every platform.
//!
//! Divergence is data, not a crash: when the loss or a parameter stops being finite, the report
//! says `diverged`, and the trainer refuses to run further epochs until it is rebuilt.

pub mod adaptive;
pub mod algorithm;
pub mod als;
mod bpr;
mod epoch;
pub mod family;
pub mod hybrid;
mod hybrid_adaptive;
pub mod loss;
mod measure;
pub mod objective;
pub mod order;
pub mod params;
pub mod registry;
mod report;
pub mod sgd;
mod strata;
mod triplets;
pub mod wals;

pub use algorithm::{Algorithm, AlgorithmInfo};
pub use family::Family;
pub use loss::Loss;
pub use params::{Optimizer, TrainParams};
pub(crate) use report::default_clock;
pub use report::{Clock, EpochReport};
pub use triplets::Triplets;

use triplets::Index;

use algorithm::{Epochs, Learner};
use epoch::Cursor;

use crate::data::preprocess::{Normalization, Normalizer};
use crate::data::Ratings;
use crate::error::{Error, Result};
use crate::model::MfModel;
use crate::rng::Rng;

/// Owns the training data, the model and the optimiser's state.
///
/// ```
/// use mf_playground::data::builtin;
/// use mf_playground::train::{Loss, TrainParams, Trainer};
/// let params = TrainParams::new(2).loss(Loss::Logistic).learning_rate(0.1).n_epochs(50);
/// let mut t = Trainer::new(builtin::seed_10x10(), params).unwrap();
/// let reports = t.fit();
/// assert!(reports.last().unwrap().loss < reports[0].loss);
/// ```
pub struct Trainer {
    params: TrainParams,
    /// The training ratings, in the data's units: errors are reported against these.
    data: Ratings,
    /// Under a normalisation, the same ratings normalised: what the updates fit.
    fit: Option<Ratings>,
    model: MfModel,
    rng: Rng,
    /// The current block's ratings in visiting order (indices into `blocked`).
    order: Vec<u32>,
    epoch: usize,
    diverged: bool,
    clock: Clock,
    index: Option<Index>,
    /// The algorithm the parameters name, and its working state once it has started.
    algo: &'static dyn Algorithm,
    learner: Option<Learner>,
    /// Data plus sampled negatives, or a pairwise loss's pairs: rebuilt each epoch when
    /// sampling is on.
    sample: triplets::Pairs,
    /// The ratings (or the sample) stored block by block for cache-aware epochs.
    blocked: Option<order::Blocked>,
    /// Where a partly done epoch stands.
    cursor: Option<Cursor>,
    /// The current epoch's strata of blocks (see [`order`]), and the seed of its blocks' orders
    /// (none for a grid of one block, whose order is drawn from `rng`).
    strata: Vec<Vec<usize>>,
    epoch_seed: Option<u64>,
}

impl Trainer {
    /// Checks the parameters and initialises the model: `mu` from the data (the mean rating,
    /// or for logistic loss the log-odds of the mean), biases zero, factors N(0, init_std^2).
    pub fn new(data: Ratings, params: TrainParams) -> Result<Self> {
        let params = params.check()?;
        if data.is_empty() {
            return Err(Error::EmptyDataset(
                "there are no ratings to train on".into(),
            ));
        }
        let mut rng = Rng::new(params.seed);
        let mut model = MfModel::zeros(
            data.n_users(),
            data.n_items(),
            params.n_factors,
            params.loss.output(),
        );
        let fit = if params.normalization == Normalization::None {
            None
        } else {
            // Fitted on the training ratings alone, so no test rating leaks into the offsets.
            let n = Normalizer::fit(params.normalization, &data)?;
            let fit = n.apply(&data)?;
            model.norm = Some(n);
            Some(fit)
        };
        model.mu = initial_mu(fit.as_ref().unwrap_or(&data), &params);
        let std = params.init_std;
        model
            .user_factors
            .mapv_inplace(|_| rng.normal() as f32 * std);
        model
            .item_factors
            .mapv_inplace(|_| rng.normal() as f32 * std);
        let algo = params.optimizer.algorithm()?;
        algo.prepare(&mut model);
        if data.feedback() == crate::data::Feedback::Explicit && params.loss == Loss::Squared {
            let s = data.scale();
            model.clip = Some((s.min, s.max));
        }
        if params.family == Family::Hybrid {
            hybrid::attach(&mut model, &data, &params, &mut rng, true)?;
        }
        Ok(Trainer {
            params,
            data,
            fit,
            model,
            rng,
            order: Vec::new(),
            epoch: 0,
            diverged: false,
            clock: default_clock,
            index: None,
            algo,
            learner: None,
            sample: Default::default(),
            blocked: None,
            cursor: None,
            strata: Vec::new(),
            epoch_seed: None,
        })
    }

    /// A trainer that starts from a given model (same shape as the data) instead of a random
    /// one: to continue training an imported model, or to test an update against a reference.
    pub fn with_model(data: Ratings, params: TrainParams, model: MfModel) -> Result<Self> {
        let mut t = Trainer::new(data, params)?;
        if model.n_users() != t.data.n_users()
            || model.n_items() != t.data.n_items()
            || model.n_factors() != t.params.n_factors
        {
            return Err(Error::invalid(
                "model",
                format!(
                    "{} x {} x {}",
                    model.n_users(),
                    model.n_items(),
                    model.n_factors()
                ),
                format!(
                    "does not fit {} users x {} items x {} factors",
                    t.data.n_users(),
                    t.data.n_items(),
                    t.params.n_factors
                ),
            ));
        }
        t.adopt_norm(&model)?;
        t.model = model;
        if t.params.family == Family::Hybrid && t.model.features.is_none() {
            let mut rng = Rng::new(t.params.seed);
            hybrid::attach(&mut t.model, &t.data, &t.params, &mut rng, false)?;
        }
        Ok(t)
    }

    /// Takes on `model`'s own normaliser (it is what its predictions mean), so that the updates
    /// fit the data normalised by it. Fails if it is not the kind the parameters ask for.
    fn adopt_norm(&mut self, model: &MfModel) -> Result<()> {
        let kind = model.norm.as_ref().map_or(Normalization::None, |n| n.kind);
        if kind != self.params.normalization {
            return Err(Error::invalid(
                "model",
                format!("normalization {}", kind.name()),
                format!(
                    "does not match the parameters' normalization {}",
                    self.params.normalization.name()
                ),
            ));
        }
        self.fit = match &model.norm {
            Some(n) => Some(n.apply(&self.data)?),
            None => None,
        };
        Ok(())
    }

    /// Replaces the clock used to time epochs.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Runs one epoch (or the rest of one that [`advance`](Self::advance) started) and reports
    /// on it. After divergence it runs nothing and reports the diverged state again.
    pub fn step(&mut self) -> EpochReport {
        loop {
            if let Some(r) = self.advance(usize::MAX) {
                return r;
            }
        }
    }

    /// Runs at most about `budget` rating updates of the current epoch, starting one if none is
    /// under way, and returns the epoch's report once it completes. The page calls this with
    /// small budgets so that a long epoch can be paused within milliseconds and resumed later
    /// exactly where it stopped: the result is the same as uninterrupted epochs (for Adam and
    /// RMSprop the budget is rounded to whole mini-batches). ALS epochs run whole.
    pub fn advance(&mut self, budget: usize) -> Option<EpochReport> {
        if self.diverged {
            return Some(self.report(f32::NAN, f32::NAN, 0.0));
        }
        let mut learner = match self.learner.take() {
            Some(l) => l,
            None if self.params.family == Family::Hybrid => {
                hybrid_learner(&self.model, &self.params)
            }
            None => self.algo.start(&self.model, &self.params),
        };
        let report = match &mut learner {
            Learner::Epochs(epochs) => Some(self.whole_epoch(epochs.as_mut())),
            Learner::Updates(updates) => self.some_updates(updates.as_mut(), budget),
        };
        self.learner = Some(learner);
        report
    }

    /// One whole epoch of an algorithm that runs by epochs (ALS).
    fn whole_epoch(&mut self, epochs: &mut dyn Epochs) -> EpochReport {
        let t0 = (self.clock)();
        self.cursor = None;
        let fit = self.fit.as_ref().unwrap_or(&self.data);
        let index = self.index.get_or_insert_with(|| Index::of(fit));
        epochs.epoch(
            &mut self.model,
            fit,
            &self.params,
            &index.by_user,
            &index.by_item,
        );
        self.finish_epoch((self.clock)() - t0)
    }

    /// True while an epoch is partly done.
    pub fn in_epoch(&self) -> bool {
        self.cursor.is_some()
    }

    fn finish_epoch(&mut self, millis: f64) -> EpochReport {
        let (loss, rmse) = self.training_error();
        self.close_epoch(loss, rmse, millis)
    }

    fn close_epoch(&mut self, loss: f32, rmse: f32, millis: f64) -> EpochReport {
        self.epoch += 1;
        if !loss.is_finite() || !self.model.is_finite() {
            self.diverged = true;
        }
        self.report(loss, rmse, millis)
    }

    /// Runs epochs until `params.n_epochs` have run (or training diverged).
    pub fn fit(&mut self) -> Vec<EpochReport> {
        let mut reports = Vec::new();
        while self.epoch < self.params.n_epochs {
            let r = self.step();
            let stop = r.diverged;
            reports.push(r);
            if stop {
                break;
            }
        }
        reports
    }

    fn report(&self, loss: f32, rmse: f32, millis: f64) -> EpochReport {
        EpochReport {
            epoch: self.epoch,
            loss,
            rmse,
            millis,
            diverged: self.diverged,
        }
    }

    /// Changes hyper-parameters from the next epoch on, keeping the model. A change of loss, of
    /// the number of factors or of the seed changes what the model is, so it needs a new
    /// trainer. A change of optimiser starts the new one's state afresh.
    pub fn set_params(&mut self, params: TrainParams) -> Result<()> {
        let params = params.check()?;
        for (name, same) in [
            ("n_factors", params.n_factors == self.params.n_factors),
            ("seed", params.seed == self.params.seed),
            ("loss", params.loss == self.params.loss),
            (
                "normalization",
                params.normalization == self.params.normalization,
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
        if params.optimizer != self.params.optimizer || params.batch_size != self.params.batch_size
        {
            self.cursor = None;
        }
        if params.optimizer != self.params.optimizer {
            self.learner = None;
            self.algo = params.optimizer.algorithm()?;
            self.algo.prepare(&mut self.model);
        }
        self.params = params;
        Ok(())
    }

    /// Replaces the training data, keeping the model and the optimiser's state: to edit a
    /// rating and keep training. The users and items must be the same (same counts); the global
    /// offset is left as it is, as changing it would shift every prediction at once.
    pub fn set_data(&mut self, data: Ratings) -> Result<()> {
        data.check_replaces(&self.data)?;
        if let Some(n) = &self.model.norm {
            // The offsets follow the edited ratings (the training part only, as before).
            let n = Normalizer::fit(n.kind, &data)?;
            self.fit = Some(n.apply(&data)?);
            self.model.norm = Some(n);
        }
        self.data = data;
        self.index = None;
        self.blocked = None;
        // A half-done epoch walked the old ratings: the next epoch starts afresh.
        self.cursor = None;
        Ok(())
    }

    /// Goes back to an earlier model of the same shape (the best one early stopping kept, say),
    /// as it stood after `epoch` epochs. The optimiser's state starts afresh.
    pub fn restore(&mut self, model: MfModel, epoch: usize) -> Result<()> {
        if model.n_users() != self.model.n_users()
            || model.n_items() != self.model.n_items()
            || model.n_factors() != self.model.n_factors()
        {
            return Err(Error::invalid(
                "model",
                "another shape",
                "a restored model must have the trainer's shape",
            ));
        }
        self.adopt_norm(&model)?;
        self.diverged = !model.is_finite();
        self.model = model;
        self.epoch = epoch;
        self.cursor = None;
        self.learner = None;
        Ok(())
    }

    /// The model as it stands.
    pub fn model(&self) -> &MfModel {
        &self.model
    }

    /// The training data.
    pub fn data(&self) -> &Ratings {
        &self.data
    }

    /// The parameters in force.
    pub fn params(&self) -> &TrainParams {
        &self.params
    }

    /// How many examples an epoch visits: the ratings and, with negative sampling, the zeros
    /// drawn (`negatives` per stored value); for a pairwise loss, the pairs.
    pub fn examples_per_epoch(&self) -> usize {
        let per = if self.params.loss.pairwise() {
            self.params.pairs_per_rating()
        } else if self.samples() {
            1 + self.params.negatives
        } else {
            1
        };
        self.data.len() * per
    }

    /// Epochs run so far.
    pub fn epoch(&self) -> usize {
        self.epoch
    }

    /// True once training has diverged.
    pub fn diverged(&self) -> bool {
        self.diverged
    }
}

/// The hybrid model's learner for the optimiser the parameters name: SGD through the features
/// ([`hybrid`]), or Adam or RMSprop ([`hybrid_adaptive`]).
fn hybrid_learner(model: &MfModel, params: &TrainParams) -> Learner {
    let o = &params.optimizer;
    Learner::Updates(if *o == Optimizer::ADAM || *o == Optimizer::RMSPROP {
        Box::new(hybrid_adaptive::HybridAdaptive::new(
            model,
            *o == Optimizer::ADAM,
        ))
    } else {
        Box::new(hybrid::HybridSgd::default())
    })
}

fn initial_mu(data: &Ratings, params: &TrainParams) -> f32 {
    // A pairwise loss compares items of one user: the offset cancels and is not learnt.
    if !params.use_global_mean || params.loss.pairwise() {
        return 0.0;
    }
    let mut m = data.mean();
    if params.loss == Loss::Logistic && params.negatives > 0 {
        // Each epoch adds `negatives` zeros per stored value: that is the base rate to match.
        m /= 1.0 + params.negatives as f32;
    }
    match params.loss {
        Loss::Squared => m,
        // The log-odds of the base rate, clamped so an all-0 or all-1 matrix stays finite.
        Loss::Logistic | Loss::Bpr => {
            let p = m.clamp(1e-3, 1.0 - 1e-3);
            (p / (1.0 - p)).ln()
        }
    }
}

#[cfg(test)]
mod tests;
