//! Hyper-parameters: built, then checked once.
//!
//! ```
//! use mf_playground::train::{TrainParams, Loss};
//! let p = TrainParams::new(8).learning_rate(0.01).loss(Loss::Squared).check().unwrap();
//! assert_eq!(p.n_factors, 8);
//! assert!(TrainParams::new(8).learning_rate(-1.0).check().is_err());
//! ```
//!
//! The defaults are the classic ones for biased SGD (Funk 2006, as Surprise's `SVD` uses them):
//! 100 factors, 20 epochs, learning rate 0.005, regularisation 0.02, initial factors drawn from
//! N(0, 0.1^2), biases from zero.

use std::borrow::Cow;

use super::family::{Family, DEFAULT_TOWER};
use super::loss::Loss;
use crate::data::preprocess::Normalization;
use crate::error::{Error, Result};

/// The optimisation method: the name of an algorithm in the registry (see
/// [`super::registry`]), which [`TrainParams::check`] looks up. It serialises as that name
/// (`"sgd"`, `"als-implicit"`, ...).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Optimizer(pub(super) Cow<'static, str>);

impl Optimizer {
    /// Plain stochastic gradient descent, one update per rating in a shuffled order.
    pub const SGD: Optimizer = Optimizer(Cow::Borrowed("sgd"));
    /// Adam on mini-batches.
    pub const ADAM: Optimizer = Optimizer(Cow::Borrowed("adam"));
    /// RMSprop on mini-batches.
    pub const RMSPROP: Optimizer = Optimizer(Cow::Borrowed("rmsprop"));
    /// Alternating least squares with biases (explicit ratings, squared loss).
    pub const ALS: Optimizer = Optimizer(Cow::Borrowed("als"));
    /// Weighted ALS over every cell (implicit feedback; Hu, Koren & Volinsky 2008).
    pub const ALS_IMPLICIT: Optimizer = Optimizer(Cow::Borrowed("als-implicit"));

    /// The name.
    pub fn name(&self) -> &str {
        &self.0
    }
}

/// Everything that shapes a training run. Build with [`TrainParams::new`] and the setters, then
/// [`check`](TrainParams::check).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct TrainParams {
    /// `k`, the length of each factor vector.
    pub n_factors: usize,
    /// Epochs [`fit`](super::Trainer::fit) runs; the page may step past it.
    pub n_epochs: usize,
    pub learning_rate: f32,
    /// L2 weight on the biases.
    pub reg_bias: f32,
    /// L2 weight on the factor vectors.
    pub reg_factor: f32,
    /// Standard deviation of the initial factors.
    pub init_std: f32,
    /// Seed of every random choice (initial factors, visiting order).
    pub seed: u64,
    pub loss: Loss,
    pub optimizer: Optimizer,
    /// Fit `mu` (the global mean) or fix it at zero.
    pub use_global_mean: bool,
    pub use_user_bias: bool,
    pub use_item_bias: bool,
    /// Ratings per mini-batch for Adam and RMSprop (SGD updates after every rating).
    pub batch_size: usize,
    /// Logistic loss: random unobserved items drawn as 0s per observed rating each epoch
    /// (negative sampling, for interaction lists that hold only 1s); 0 turns it off. BPR: the
    /// pairs drawn per stored rating (at least one).
    pub negatives: usize,
    /// Weighted ALS only: confidence of an interaction is `1 + alpha * r`.
    pub alpha: f32,
    /// Weighted ALS only: conjugate-gradient steps per row and epoch, from the row's current
    /// value; 0 solves each row's system exactly (Cholesky).
    pub cg_steps: usize,
    /// Ratings with squared loss only: train on normalised ratings (fitted on the training
    /// part alone) and map predictions back.
    pub normalization: Normalization,
    /// The model: matrix factorisation, or a neural family (see [`Family`]).
    pub family: Family,
    /// Neural families with an MLP: the tower, input width first (e.g. 64,32,16,8).
    pub layers: Vec<usize>,
    /// Neural families: the users' and the items' features as extra inputs, each embedding the
    /// sum of its id's and its features' (see [`crate::neural::features`]). The hybrid family
    /// always reads the features, matrix factorisation never.
    pub use_features: bool,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            n_factors: 100,
            n_epochs: 20,
            learning_rate: 0.005,
            reg_bias: 0.02,
            reg_factor: 0.02,
            init_std: 0.1,
            seed: 42,
            loss: Loss::Squared,
            optimizer: Optimizer::SGD,
            use_global_mean: true,
            use_user_bias: true,
            use_item_bias: true,
            batch_size: 256,
            negatives: 0,
            alpha: 10.0,
            cg_steps: 3,
            normalization: Normalization::None,
            family: Family::Mf,
            layers: DEFAULT_TOWER.to_vec(),
            use_features: false,
        }
    }
}

/// Largest `k` the engine accepts: beyond it a factor matrix stops being a teaching tool and
/// becomes a memory hazard in a browser tab.
pub const MAX_FACTORS: usize = 1024;

impl TrainParams {
    /// The defaults of a family: for MF [`TrainParams::default`]; for the neural families He et
    /// al.'s settings: 8 factors, the tower 64,32,16,8, Adam at 0.001 on batches of 256, log
    /// loss with 4 negatives per 1, embeddings from N(0, 0.01^2), no L2, 20 epochs.
    pub fn for_family(family: Family) -> Self {
        if !family.is_neural() {
            return TrainParams {
                family,
                ..TrainParams::default()
            };
        }
        TrainParams {
            family,
            n_factors: 8,
            learning_rate: 0.001,
            reg_bias: 0.0,
            reg_factor: 0.0,
            init_std: 0.01,
            loss: Loss::Logistic,
            optimizer: Optimizer::ADAM,
            negatives: 4,
            ..TrainParams::default()
        }
    }

    /// These parameters carried to another family, to compare the two on equal terms: the same
    /// family keeps them all; another starts from its own defaults ([`TrainParams::for_family`])
    /// with this run's seed, loss and batch size.
    pub fn carried_to(&self, family: Family) -> TrainParams {
        if family == self.family {
            return self.clone();
        }
        TrainParams {
            seed: self.seed,
            loss: self.loss,
            batch_size: self.batch_size,
            ..TrainParams::for_family(family)
        }
    }

    /// Defaults with `n_factors` factors.
    pub fn new(n_factors: usize) -> Self {
        TrainParams {
            n_factors,
            ..Default::default()
        }
    }

    pub fn n_epochs(mut self, n: usize) -> Self {
        self.n_epochs = n;
        self
    }
    pub fn learning_rate(mut self, x: f32) -> Self {
        self.learning_rate = x;
        self
    }
    /// Sets both regularisation weights.
    pub fn reg(mut self, x: f32) -> Self {
        self.reg_bias = x;
        self.reg_factor = x;
        self
    }
    pub fn init_std(mut self, x: f32) -> Self {
        self.init_std = x;
        self
    }
    pub fn seed(mut self, s: u64) -> Self {
        self.seed = s;
        self
    }
    pub fn loss(mut self, l: Loss) -> Self {
        self.loss = l;
        self
    }
    pub fn optimizer(mut self, o: Optimizer) -> Self {
        self.optimizer = o;
        self
    }
    /// Switches `mu`, `b_u` and `b_i` on or off together.
    pub fn batch_size(mut self, n: usize) -> Self {
        self.batch_size = n;
        self
    }
    /// A pairwise loss's pairs per stored rating each epoch: `negatives`, at least one.
    pub fn pairs_per_rating(&self) -> usize {
        self.negatives.max(1)
    }

    pub fn negatives(mut self, n: usize) -> Self {
        self.negatives = n;
        self
    }
    pub fn alpha(mut self, a: f32) -> Self {
        self.alpha = a;
        self
    }
    pub fn cg_steps(mut self, n: usize) -> Self {
        self.cg_steps = n;
        self
    }
    pub fn normalization(mut self, n: Normalization) -> Self {
        self.normalization = n;
        self
    }
    pub fn biases(mut self, on: bool) -> Self {
        self.use_global_mean = on;
        self.use_user_bias = on;
        self.use_item_bias = on;
        self
    }

    /// Checks every field's range; the error names the first bad one and its value. The
    /// algorithm's own rules follow in [`TrainParams::check`] (see [`super::registry`]).
    pub(super) fn check_ranges(&self) -> Result<()> {
        if self.n_factors > MAX_FACTORS {
            return Err(Error::invalid(
                "n_factors",
                self.n_factors,
                format!("must be at most {MAX_FACTORS}"),
            ));
        }
        positive("learning_rate", self.learning_rate)?;
        non_negative("reg_bias", self.reg_bias)?;
        non_negative("reg_factor", self.reg_factor)?;
        non_negative("init_std", self.init_std)?;
        if self.learning_rate > 100.0 {
            return Err(Error::invalid(
                "learning_rate",
                self.learning_rate,
                "must be at most 100",
            ));
        }
        if self.batch_size == 0 || self.batch_size > 1 << 20 {
            return Err(Error::invalid(
                "batch_size",
                self.batch_size,
                "must be between 1 and 1048576",
            ));
        }
        if self.negatives > 100 {
            return Err(Error::invalid(
                "negatives",
                self.negatives,
                "must be at most 100",
            ));
        }
        non_negative("alpha", self.alpha)?;
        if self.cg_steps > 100 {
            return Err(Error::invalid(
                "cg_steps",
                self.cg_steps,
                "must be at most 100",
            ));
        }
        Ok(())
    }
}

fn positive(name: &'static str, x: f32) -> Result<()> {
    if x.is_finite() && x > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(name, x, "must be a positive number"))
    }
}

fn non_negative(name: &'static str, x: f32) -> Result<()> {
    if x.is_finite() && x >= 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(name, x, "must be zero or a positive number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_classic_ones() {
        let p = TrainParams::default();
        assert_eq!(
            (
                p.n_factors,
                p.n_epochs,
                p.learning_rate,
                p.reg_factor,
                p.init_std
            ),
            (100, 20, 0.005, 0.02, 0.1)
        );
        assert!(p.check().is_ok());
    }

    #[test]
    fn each_bad_value_is_named() {
        let cases = [
            (TrainParams::new(2).learning_rate(0.0), "learning_rate = 0"),
            (
                TrainParams::new(2).learning_rate(f32::NAN),
                "learning_rate = NaN",
            ),
            (TrainParams::new(2).reg(-0.1), "reg_bias = -0.1"),
            (
                TrainParams::new(2).init_std(f32::INFINITY),
                "init_std = inf",
            ),
            (TrainParams::new(5000), "n_factors = 5000"),
            (TrainParams::new(2).batch_size(0), "batch_size = 0"),
            (TrainParams::new(2).alpha(-1.0), "alpha = -1"),
            (
                TrainParams::new(2)
                    .optimizer(Optimizer::ALS)
                    .loss(Loss::Logistic),
                "optimizer = als",
            ),
        ];
        for (p, expected) in cases {
            let e = p.check().unwrap_err();
            assert!(e.to_string().starts_with(expected), "{e}");
            assert_eq!(e.code(), "invalid_param");
        }
    }
}
