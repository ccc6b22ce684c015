//! `mfp train`: fit a model, report per-epoch progress and final accuracy.

use serde_json::{json, Value};

use mf_playground::data::preprocess::Normalization;
use mf_playground::data::split::holdout;
use mf_playground::data::{Feedback, Ratings};
use mf_playground::metrics::{accuracy, default_relevance, model_ranking};
use mf_playground::model_file::{DataRef, SavedModel};
use mf_playground::train::{Loss, Optimizer, TrainParams, Trainer};

use clap::Args;

use crate::common::{self, base_name, Fail, Progress, ReadArgs};

/// The flags that say what to train on and how: `mfp train`'s, and those `cv` and `sweep` share.
#[derive(Args, Debug, Clone)]
pub struct Fit {
    /// Ratings file to train on
    #[arg(long, value_name = "FILE")]
    pub train: String,
    /// Item titles: u.item, movies.dat or an id,title CSV
    #[arg(long, value_name = "FILE")]
    pub titles: Option<String>,
    /// The optimiser, one of those `mfp algorithms` lists
    #[arg(long, default_value = "sgd")]
    pub algo: String,
    /// The loss [default: logistic for 0/1 data where the optimiser fits it, else squared]
    #[arg(long, value_parser = ["squared", "logistic"])]
    pub loss: Option<String>,
    /// Number of factors k
    #[arg(long, value_name = "K", default_value_t = TrainParams::default().n_factors)]
    pub factors: usize,
    /// Epochs
    #[arg(long, value_name = "N", default_value_t = TrainParams::default().n_epochs)]
    pub epochs: usize,
    /// Learning rate
    #[arg(long, allow_negative_numbers = true, default_value_t = TrainParams::default().learning_rate)]
    pub lr: f32,
    /// L2 regularisation of factors and biases
    #[arg(long, allow_negative_numbers = true, default_value_t = TrainParams::default().reg_factor)]
    pub reg: f32,
    /// L2 regularisation of the biases alone [default: --reg]
    #[arg(long, allow_negative_numbers = true)]
    pub reg_bias: Option<f32>,
    /// Standard deviation of the initial factors
    #[arg(long, allow_negative_numbers = true, default_value_t = TrainParams::default().init_std)]
    pub init_std: f32,
    /// Mini-batch size for adam and rmsprop
    #[arg(long, value_name = "N", default_value_t = TrainParams::default().batch_size)]
    pub batch: usize,
    /// Logistic loss: sampled 0s per stored rating each epoch
    #[arg(long, value_name = "N", default_value_t = TrainParams::default().negatives)]
    pub negatives: usize,
    /// als-implicit: confidence 1 + alpha * r
    #[arg(long, allow_negative_numbers = true, default_value_t = TrainParams::default().alpha)]
    pub alpha: f32,
    /// als-implicit: conjugate-gradient steps per row and epoch; 0 solves exactly
    #[arg(long, value_name = "N", default_value_t = TrainParams::default().cg_steps)]
    pub cg_steps: usize,
    /// Fit no mu, b_u, b_i
    #[arg(long)]
    pub no_bias: bool,
    /// Ratings with squared loss: none, global-mean, user-mean, item-mean, user-z-score or
    /// min-max, fitted on the training part [default: none]
    #[arg(long, value_name = "NAME")]
    pub normalize: Option<String>,
    /// Seed of every random choice
    #[arg(long, default_value_t = 42)]
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
        self.read.load(&self.train, self.titles.as_deref())
    }
}

/// Trains biased matrix factorisation and reports accuracy.
///
/// The defaults are the classic ones for sgd, as Surprise's SVD uses them. Explicit data reports RMSE and MAE; implicit (0/1) data
/// reports precision, recall and NDCG at --k over the full catalogue, excluding each user's
/// training items.
#[derive(Args, Debug)]
pub struct TrainArgs {
    #[command(flatten)]
    pub fit: Fit,
    /// Separate test file (ratings of unknown users or items are skipped)
    #[arg(long, value_name = "FILE", conflicts_with = "split")]
    pub test: Option<String>,
    /// Hold out this random fraction of --train for testing
    #[arg(long, allow_negative_numbers = true, value_name = "FRACTION")]
    pub split: Option<f64>,
    /// Cut-off for ranking metrics
    #[arg(long, default_value_t = 10)]
    pub k: usize,
    /// Explicit data: a test rating >= this is relevant [default: 3/4 up the scale, a whole
    /// number for whole-star ratings: 4 on 1-5]
    #[arg(long, allow_negative_numbers = true)]
    pub threshold: Option<f32>,
    /// Write the trained model as JSON to this file
    #[arg(long, value_name = "FILE")]
    pub save: Option<String>,
}

pub fn run(a: &TrainArgs) -> Result<(), Fail> {
    let train_path = a.fit.train.as_str();
    // Check the choices that need no data before reading a file that may be large.
    params(&a.fit, None)?;
    let data = a.fit.load()?;
    let (train, test, dropped) = split(a, data)?;
    let params = params(&a.fit, Some(&train))?;
    let implicit = train.feedback() == Feedback::Implicit
        || params
            .optimizer
            .algorithm()
            .is_ok_and(|a| a.info().implicit);
    let k = a.k;
    let threshold = a.threshold.unwrap_or_else(|| default_relevance(&train));
    let json = a.fit.json;

    let mut trainer =
        Trainer::new(train.clone(), params.clone()).map_err(|e| Fail::Input(e.to_string()))?;
    if !json {
        println!(
            "{}: {} users, {} items, {} training ratings, {} test ratings{}",
            train_path,
            train.n_users(),
            train.n_items(),
            train.len(),
            test.as_ref().map_or(0, Ratings::len),
            if dropped > 0 {
                format!(" ({dropped} test ratings of unknown users or items skipped)")
            } else {
                String::new()
            }
        );
        println!(
            "{:>6} {:>11} {:>11} {:>11} {:>9}",
            "epoch", "train loss", "train RMSE", "test RMSE", "seconds"
        );
    }
    let mut seconds = 0.0f64;
    let mut diverged = false;
    let progress = Progress::new(params.n_epochs, "epochs", json);
    for _ in 0..params.n_epochs {
        let r = trainer.step();
        progress.inc();
        seconds += r.millis / 1e3;
        let test_rmse = match &test {
            Some(t) if !implicit => Some(accuracy(t, |u, i| trainer.model().predict(u, i)).rmse),
            _ => None,
        };
        if json {
            progress.println(format!(
                "{}",
                json!({ "epoch": r.epoch, "train_loss": num(r.loss), "train_rmse": num(r.rmse),
                "test_rmse": test_rmse.map(num), "seconds": r.millis / 1e3, "diverged": r.diverged })
            ));
        } else {
            let t = test_rmse.map_or("-".to_string(), |v| format!("{v:.4}"));
            progress.println(format!(
                "{:>6} {:>11.4} {:>11.4} {:>11} {:>9.3}",
                r.epoch,
                r.loss,
                r.rmse,
                t,
                r.millis / 1e3
            ));
        }
        if r.diverged {
            diverged = true;
            break;
        }
    }
    progress.finish();

    let model = trainer.model();
    let train_acc = accuracy(&train, |u, i| model.predict(u, i));
    let mut fin = json!({
        "final": true,
        "algo": params.optimizer.name(),
        "factors": params.n_factors,
        "epochs": trainer.epoch(),
        "lr": num(params.learning_rate),
        "reg": num(params.reg_factor),
        "reg_bias": num(params.reg_bias),
        "init_std": num(params.init_std),
        "seed": params.seed,
        "loss": if params.loss == Loss::Squared { "squared" } else { "logistic" },
        "n_users": train.n_users(),
        "n_items": train.n_items(),
        "n_train": train.len(),
        "n_test": test.as_ref().map_or(0, Ratings::len),
        "train_rmse": num(train_acc.rmse),
        "seconds": seconds,
        "updates_per_second": if seconds > 0.0 { (train.len() * trainer.epoch()) as f64 / seconds } else { 0.0 },
        "diverged": diverged,
    });
    if let Some(t) = &test {
        if implicit {
            let m = model_ranking(model, &train, t, k, threshold);
            fin[format!("precision_at_{k}")] = json!(num(m.precision));
            fin[format!("recall_at_{k}")] = json!(num(m.recall));
            fin[format!("ndcg_at_{k}")] = json!(num(m.ndcg));
            fin[format!("map_at_{k}")] = json!(num(m.map));
            fin["auc"] = json!(num(m.auc));
            fin["coverage"] = json!(num(m.coverage));
        } else {
            let acc = accuracy(t, |u, i| model.predict(u, i));
            fin["test_rmse"] = json!(num(acc.rmse));
            fin["test_mae"] = json!(num(acc.mae));
        }
    }
    if let Some(path) = &a.save {
        let saved = SavedModel {
            model: model.clone(),
            user_ids: train.user_ids().to_vec(),
            item_ids: train.item_ids().to_vec(),
            item_labels: (0..train.n_items())
                .map(|i| train.item_label(i).to_string())
                .collect(),
            params: params.clone(),
            epoch: trainer.epoch(),
            data: DataRef {
                name: base_name(train_path),
                n_ratings: train.len(),
            },
        };
        common::write(std::path::Path::new(path), &saved.to_json())?;
    }
    if json {
        println!("{fin}");
    } else {
        print_final(&fin);
    }
    Ok(())
}

/// An f32 as its shortest decimal (0.1, not 0.10000000149011612); JSON has no NaN, so a
/// diverged number becomes null.
pub fn num(v: f32) -> Value {
    if v.is_finite() {
        json!(v.to_string().parse::<f64>().unwrap_or(v as f64))
    } else {
        Value::Null
    }
}

fn print_final(fin: &Value) {
    let parts: Vec<String> = fin
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| {
            k.contains("rmse")
                || k.contains("mae")
                || k.contains("_at_")
                || *k == "auc"
                || *k == "coverage"
        })
        .map(|(k, v)| {
            format!(
                "{k} {}",
                v.as_f64().map_or("-".into(), |x| format!("{x:.4}"))
            )
        })
        .collect();
    println!(
        "final: {}; {:.2} s of training ({:.0} rating updates/s){}",
        parts.join(", "),
        fin["seconds"].as_f64().unwrap_or(0.0),
        fin["updates_per_second"].as_f64().unwrap_or(0.0),
        if fin["diverged"] == json!(true) {
            "; DIVERGED: lower --lr"
        } else {
            ""
        }
    );
}

fn split(a: &TrainArgs, data: Ratings) -> Result<(Ratings, Option<Ratings>, usize), Fail> {
    match (&a.test, a.split) {
        (Some(path), _) => {
            let t = a.fit.read.load(path, None)?;
            let (t, dropped) = data.align(&t);
            Ok((data, Some(t), dropped))
        }
        (None, Some(f)) => {
            let s =
                holdout(&data, f, a.fit.seed).map_err(|e| Fail::Input(format!("--split: {e}")))?;
            Ok((s.train, Some(s.test), 0))
        }
        (None, None) => Ok((data, None, 0)),
    }
}

/// The training parameters the flags ask for; with the data, the loss defaults to what fits it.
pub fn params(a: &Fit, train: Option<&Ratings>) -> Result<TrainParams, Fail> {
    let algo = Optimizer::from_name(&a.algo).map_err(|e| Fail::Input(format!("--algo: {e}")))?;
    let loss = match a.loss.as_deref() {
        Some("squared") => Loss::Squared,
        Some(_) => Loss::Logistic,
        None if train.is_some_and(|t| t.feedback() == Feedback::Implicit)
            && algo
                .algorithm()
                .is_ok_and(|a| a.info().losses.contains(&Loss::Logistic)) =>
        {
            Loss::Logistic
        }
        None => Loss::Squared,
    };
    let mut p = TrainParams::default()
        .optimizer(algo)
        .loss(loss)
        .seed(a.seed);
    p.n_factors = a.factors;
    p.n_epochs = a.epochs;
    p.batch_size = a.batch;
    p.negatives = a.negatives;
    p.cg_steps = a.cg_steps;
    p.learning_rate = a.lr;
    p.init_std = a.init_std;
    p.alpha = a.alpha;
    p = p.reg(a.reg);
    if let Some(x) = a.reg_bias {
        p.reg_bias = x;
    }
    if let Some(n) = &a.normalize {
        p.normalization =
            Normalization::from_name(n).map_err(|e| Fail::Input(format!("--normalize: {e}")))?;
    }
    if a.no_bias {
        p = p.biases(false);
    }
    p.check().map_err(|e| Fail::Input(e.to_string()))
}
