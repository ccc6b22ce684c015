//! The flags that say what to train on and how: `mfp train`'s, and those `cv` and `sweep` share.
//! A flag not given takes the family's default ([`TrainParams::for_family`]): MF's classic ones,
//! or He et al.'s for the networks; the help shows both, read from the engine.

use std::fmt::Display;

use clap::Args;

use mf_playground::data::preprocess::Normalization;
use mf_playground::data::{Feedback, Ratings, Side};
use mf_playground::train::family::DEFAULT_TOWER;
use mf_playground::train::{Family, Loss, Optimizer, TrainParams};

use crate::common::{load_features, Fail, ReadArgs};

/// "what [default: MF's; gmf, mlp, neumf: the networks']".
fn defaults<T: Display>(what: &str, of: fn(&TrainParams) -> T) -> String {
    let (mf, nn) = (
        of(&TrainParams::default()),
        of(&TrainParams::for_family(Family::NeuMf)),
    );
    format!("{what} [default: {mf}; gmf, mlp, neumf: {nn}]")
}

/// Comma-separated widths, e.g. 64,32,16,8.
pub fn widths(s: &str) -> Result<Vec<usize>, String> {
    s.split(',')
        .map(|w| w.trim().parse::<usize>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("{s}: write widths separated by commas, e.g. 64,32,16,8"))
}

#[derive(Args, Debug, Clone)]
pub struct Fit {
    /// Ratings file to train on
    #[arg(long, value_name = "FILE")]
    pub train: String,
    /// Item titles: u.item, movies.dat or an id,title CSV
    #[arg(long, value_name = "FILE")]
    pub titles: Option<String>,
    /// The items' features: `id,feature|feature`, one column per attribute (with a header),
    /// u.item or movies.dat (their genres); replaces the genres of --titles
    #[arg(long, value_name = "FILE")]
    pub item_features: Option<String>,
    /// The users' features: `id,feature|feature`, one column per attribute (with a header),
    /// u.user or users.dat
    #[arg(long, value_name = "FILE")]
    pub user_features: Option<String>,
    /// The model: biased matrix factorisation, hybrid MF with the features (LightFM), or a
    /// neural collaborative-filtering family (He et al. 2017)
    #[arg(long, default_value = "mf", value_parser = Family::ALL.map(Family::name))]
    pub family: String,
    #[arg(long, value_name = "WIDTHS", value_parser = widths,
          help = format!("The MLP tower of mlp and neumf, input width first [default: {}]",
                         DEFAULT_TOWER.map(|w| w.to_string()).join(",")))]
    pub layers: Option<::std::vec::Vec<usize>>,
    #[arg(long, help = defaults("The optimiser: for mf one of those `mfp algorithms` lists, for the networks adam or sgd", |p| p.optimizer.name().to_string()))]
    pub algo: Option<String>,
    /// The loss: squared, logistic, or bpr (pairwise ranking, Rendle et al. 2009: each stored
    /// item against --negatives sampled ones, at least one) [default: logistic for 0/1 data
    /// where the optimiser fits it, else squared]
    #[arg(long, value_parser = ["squared", "logistic", "bpr"])]
    pub loss: Option<String>,
    #[arg(long, value_name = "K", help = defaults("Number of factors k", |p| p.n_factors))]
    pub factors: Option<usize>,
    #[arg(long, value_name = "N", help = defaults("Epochs", |p| p.n_epochs))]
    pub epochs: Option<usize>,
    #[arg(long, allow_negative_numbers = true, help = defaults("Learning rate", |p| p.learning_rate))]
    pub lr: Option<f32>,
    #[arg(long, allow_negative_numbers = true, help = defaults("L2 regularisation of factors and biases (of a network's embeddings and weights)", |p| p.reg_factor))]
    pub reg: Option<f32>,
    /// L2 regularisation of the biases alone [default: --reg]
    #[arg(long, allow_negative_numbers = true)]
    pub reg_bias: Option<f32>,
    #[arg(long, allow_negative_numbers = true, help = defaults("Standard deviation of the initial factors (embeddings)", |p| p.init_std))]
    pub init_std: Option<f32>,
    #[arg(long, value_name = "N", help = defaults("Mini-batch size for adam and rmsprop", |p| p.batch_size))]
    pub batch: Option<usize>,
    #[arg(long, value_name = "N", help = defaults("Logistic loss: sampled 0s per stored rating each epoch", |p| p.negatives))]
    pub negatives: Option<usize>,
    /// als-implicit: confidence 1 + alpha * r
    #[arg(long, allow_negative_numbers = true, default_value_t = TrainParams::default().alpha)]
    pub alpha: f32,
    /// als-implicit: conjugate-gradient steps per row and epoch; 0 solves exactly
    #[arg(long, value_name = "N", default_value_t = TrainParams::default().cg_steps)]
    pub cg_steps: usize,
    /// Fit no mu, b_u, b_i
    #[arg(long)]
    pub no_bias: bool,
    /// gmf, mlp, neumf: the features (--item-features, --user-features, --titles' genres) as
    /// extra inputs, each embedding the sum of its id's and its features' (the hybrid family
    /// always reads them)
    #[arg(long)]
    pub use_features: bool,
    /// Ratings with squared loss: none, global-mean, user-mean, item-mean, user-z-score or
    /// min-max, fitted on the training part [default: none]
    #[arg(long, value_name = "NAME")]
    pub normalize: Option<String>,
    /// Seed of every random choice
    #[arg(long, default_value_t = TrainParams::default().seed)]
    pub seed: u64,
    /// Print one JSON object per line instead of a table
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub read: ReadArgs,
}

impl Fit {
    /// Reads the training file.
    pub fn load(&self) -> Result<Ratings, Fail> {
        let mut r = self.read.load(&self.train, self.titles.as_deref())?;
        for (path, side) in [
            (&self.item_features, Side::Item),
            (&self.user_features, Side::User),
        ] {
            if let Some(path) = path {
                load_features(&mut r, path, side)?;
            }
        }
        Ok(r)
    }

    pub fn family(&self) -> Family {
        Family::from_name(&self.family).unwrap_or_default()
    }
}

/// The training parameters the flags ask for; with the data, the loss defaults to what fits it.
pub fn params(a: &Fit, train: Option<&Ratings>) -> Result<TrainParams, Fail> {
    let family = a.family();
    let mut p = TrainParams::for_family(family);
    if let Some(name) = &a.algo {
        p.optimizer =
            Optimizer::from_name(name).map_err(|e| Fail::Input(format!("--algo: {e}")))?;
    }
    let zero_one = train.is_some_and(|t| t.feedback() == Feedback::Implicit);
    p.loss = match a.loss.as_deref() {
        Some(name) => Loss::by_name(name).unwrap_or(Loss::Logistic),
        None if family.is_neural() => match zero_one {
            true => Loss::Logistic,
            false => Loss::Squared,
        },
        None if zero_one
            && p.optimizer
                .algorithm()
                .is_ok_and(|a| a.info().losses.contains(&Loss::Logistic)) =>
        {
            Loss::Logistic
        }
        None => Loss::Squared,
    };
    p.seed = a.seed;
    if let Some(l) = &a.layers {
        p.layers = l.clone();
    }
    let set = |to: &mut usize, v: Option<usize>| v.into_iter().for_each(|v| *to = v);
    set(&mut p.n_factors, a.factors);
    set(&mut p.n_epochs, a.epochs);
    set(&mut p.batch_size, a.batch);
    set(&mut p.negatives, a.negatives);
    p.cg_steps = a.cg_steps;
    p.alpha = a.alpha;
    if let Some(x) = a.reg {
        p = p.reg(x);
    }
    let set = |to: &mut f32, v: Option<f32>| v.into_iter().for_each(|v| *to = v);
    set(&mut p.learning_rate, a.lr);
    set(&mut p.reg_bias, a.reg_bias);
    set(&mut p.init_std, a.init_std);
    if let Some(n) = &a.normalize {
        p.normalization =
            Normalization::from_name(n).map_err(|e| Fail::Input(format!("--normalize: {e}")))?;
    }
    if a.no_bias {
        p = p.biases(false);
    }
    if a.use_features {
        if !family.is_neural() {
            return Err(Fail::Input(format!(
                "--use-features: {} {}",
                family.name(),
                match family {
                    Family::Hybrid => "reads the features always",
                    _ => "takes no features: choose --family hybrid, or a network",
                }
            )));
        }
        p.use_features = true;
    }
    p.check().map_err(|e| Fail::Input(e.to_string()))
}
