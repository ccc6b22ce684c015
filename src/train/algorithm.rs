//! What a training algorithm is: one type behind the [`Algorithm`] trait, which says what it
//! is ([`AlgorithmInfo`]), checks its own rules and starts a [`Learner`] that the
//! [`Trainer`](super::Trainer) drives. The algorithms are registered in [`super::registry`].

use super::params::TrainParams;
use super::{Loss, Triplets};
use crate::data::Ratings;
use crate::error::{Error, Result};
use crate::model::MfModel;

/// What an algorithm is, for the page, the command line and the checks.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlgorithmInfo {
    /// The name in links, model files and `mfp --algo`: lower case, digits and `-`.
    pub name: &'static str,
    /// The name a person reads (the page translates it).
    pub label: &'static str,
    /// One sentence on what it does.
    pub summary: &'static str,
    /// The losses it fits. With one, the loss is the algorithm's and the page's loss knob has
    /// nothing to say.
    pub losses: &'static [Loss],
    /// The hyper-parameters it reads beyond those every algorithm reads (factors,
    /// regularisation, seed, initialisation, biases), by their field names in [`TrainParams`]
    /// as the page spells them: `learningRate`, `batchSize`, `negatives`, `alpha`, `cgSteps`.
    pub uses: &'static [&'static str],
    /// Whether it fits the offset and the biases (`mu`, `b_u`, `b_i`).
    pub biases: bool,
    /// Whether it reads every value as a 0/1 preference with a confidence, whatever the data
    /// (implicit feedback): its results are ranking metrics, not rating errors.
    pub implicit: bool,
    /// Whether it can train on normalised ratings (with squared loss).
    pub normalizes: bool,
    /// Whether the optimiser race runs it.
    pub race: bool,
}

/// One training algorithm. See the module documentation for how to add one.
pub trait Algorithm: Send + Sync {
    /// What it is.
    fn info(&self) -> AlgorithmInfo;

    /// Its own rules on the parameters, beyond the ranges every parameter has. The default
    /// accepts the losses [`AlgorithmInfo::losses`] lists.
    fn check(&self, p: &TrainParams) -> Result<()> {
        let info = self.info();
        if info.losses.contains(&p.loss) {
            return Ok(());
        }
        let names: Vec<&str> = info.losses.iter().map(|l| l.name()).collect();
        Err(Error::invalid(
            "loss",
            p.loss.name(),
            format!("{} fits {} loss", info.name, names.join(" or ")),
        ))
    }

    /// Prepares a model for this algorithm: a fresh one, or one another algorithm trained until
    /// now. The default leaves it as it is.
    fn prepare(&self, _model: &mut MfModel) {}

    /// Its working state for one trainer, with the model as it starts (for the state's sizes).
    fn start(&self, model: &MfModel, params: &TrainParams) -> Learner;

    /// The epoch's data loss to report, when the algorithm's objective is not the loss of the
    /// ratings alone (weighted ALS counts every cell). `None`: the mean loss of the ratings.
    fn data_loss(&self, _model: &MfModel, _data: &Ratings, _params: &TrainParams) -> Option<f64> {
        None
    }
}

/// The check of an algorithm that fits squared error alone: any other loss is refused, with
/// `why` (what to choose instead) in the message.
pub fn squared_only(name: &'static str, p: &TrainParams, why: &str) -> Result<()> {
    if p.loss == Loss::Squared {
        return Ok(());
    }
    Err(Error::invalid("optimizer", name, why))
}

/// An algorithm's working state in one trainer: how it moves the model on.
pub enum Learner {
    /// Updates from ratings in a visiting order the trainer draws (SGD, Adam, RMSprop): the
    /// trainer can stop it between any two groups of updates, so a long epoch can pause.
    Updates(Box<dyn Updates>),
    /// A whole epoch at a time (ALS and weighted ALS).
    Epochs(Box<dyn Epochs>),
}

/// Updates from ratings in a given order.
pub trait Updates: Send {
    /// How many ratings make one indivisible step (1 for SGD, the mini-batch for Adam): the
    /// trainer gives [`Updates::update`] whole steps, so an epoch run in slices equals the
    /// epoch run whole.
    fn granularity(&self, params: &TrainParams) -> usize;

    /// Updates `model` from the ratings `order` picks out of `data`, in that order.
    fn update(&mut self, model: &mut MfModel, data: &Triplets, order: &[u32], params: &TrainParams);

    /// The same update as a function of one block's rows alone, for an algorithm that keeps no
    /// state across blocks: the blocks of a stratum then train at the same time (see
    /// [`super::order`]). `None` (the default) trains them one after another.
    fn block_kernel(&self) -> Option<BlockKernel> {
        None
    }
}

/// An update of one block's rows: `(rows, data, order, params)`.
pub type BlockKernel = fn(BlockRows, &Triplets, &[u32], &TrainParams);

/// The rows one block of the grid updates: its users' and its items' factor rows and biases,
/// and the index of its first user and first item, with the model's `mu` and factor count.
/// Blocks of one stratum own disjoint rows, so they can be trained at the same time.
pub struct BlockRows<'a> {
    pub mu: f32,
    pub k: usize,
    pub p: &'a mut [f32],
    pub q: &'a mut [f32],
    pub user_bias: &'a mut [f32],
    pub item_bias: &'a mut [f32],
    pub first_user: usize,
    pub first_item: usize,
}

impl<'a> BlockRows<'a> {
    /// All of a model's rows.
    pub fn whole(model: &'a mut MfModel) -> BlockRows<'a> {
        BlockRows {
            mu: model.mu,
            k: model.n_factors(),
            p: model
                .user_factors
                .as_slice_mut()
                .expect("factor matrices are standard-layout"),
            q: model
                .item_factors
                .as_slice_mut()
                .expect("factor matrices are standard-layout"),
            user_bias: model.user_bias.as_slice_mut().expect("contiguous"),
            item_bias: model.item_bias.as_slice_mut().expect("contiguous"),
            first_user: 0,
            first_item: 0,
        }
    }
}

/// Whole epochs.
pub trait Epochs: Send {
    /// One epoch over `data`; `by_user[u]` and `by_item[i]` list the indices of their ratings.
    fn epoch(
        &mut self,
        model: &mut MfModel,
        data: &Ratings,
        params: &TrainParams,
        by_user: &[Vec<u32>],
        by_item: &[Vec<u32>],
    );
}

/// One epoch over `data` (see [`Epochs::epoch`]).
pub type EpochFnOf = fn(&mut MfModel, &Ratings, &TrainParams, &[Vec<u32>], &[Vec<u32>]);

/// A whole-epoch algorithm that keeps no state between epochs: its epoch function (ALS).
pub struct EpochFn(pub EpochFnOf);

impl Epochs for EpochFn {
    fn epoch(
        &mut self,
        model: &mut MfModel,
        data: &Ratings,
        params: &TrainParams,
        by_user: &[Vec<u32>],
        by_item: &[Vec<u32>],
    ) {
        (self.0)(model, data, params, by_user, by_item)
    }
}
