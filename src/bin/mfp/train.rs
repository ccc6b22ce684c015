//! `mfp train`: fit a model, report per-epoch progress and final accuracy.

use serde_json::{json, Value};

use mf_playground::data::preprocess::Normalization;
use mf_playground::data::split::holdout;
use mf_playground::data::{Feedback, Ratings};
use mf_playground::metrics::{accuracy, default_relevance, model_ranking};
use mf_playground::model_file::{DataRef, SavedModel};
use mf_playground::train::{Loss, Optimizer, TrainParams, Trainer};

use crate::args::{self, Args, Flag};
use crate::common::{self, base_name, load_ratings, read_options, Fail, READ_FLAGS};

const SUMMARY: &str = "mfp train --train FILE (--test FILE | --split 0.2) [flags]

Trains biased matrix factorisation. Defaults for sgd are the classic ones (factors 100, epochs 20,
lr 0.005, reg 0.02, init std 0.1), as Surprise's SVD uses them. Explicit data reports RMSE and MAE;
implicit (0/1) data reports precision, recall and NDCG at --k over the full catalogue, excluding
each user's training items.";

pub const FLAGS: &[Flag] = &[
    args::value("train", "ratings file to train on (required)"),
    args::value(
        "test",
        "separate test file (ratings of unknown users or items are skipped)",
    ),
    args::value(
        "split",
        "hold out this random fraction of --train for testing",
    ),
    args::value(
        "algo",
        "the optimiser, one of those `mfp algorithms` lists (default sgd)",
    ),
    args::value(
        "loss",
        "squared | logistic (default: logistic for 0/1 data where the optimiser fits it)",
    ),
    args::value("factors", "number of factors k (default 100)"),
    args::value("epochs", "epochs (default 20)"),
    args::value("lr", "learning rate (default 0.005)"),
    args::value(
        "reg",
        "L2 regularisation of factors and biases (default 0.02)",
    ),
    args::value(
        "reg-bias",
        "L2 regularisation of the biases alone (default: --reg)",
    ),
    args::value(
        "init-std",
        "standard deviation of the initial factors (default 0.1)",
    ),
    args::value(
        "batch",
        "mini-batch size for adam and rmsprop (default 256)",
    ),
    args::value(
        "negatives",
        "logistic loss: sampled 0s per stored rating each epoch (default 0)",
    ),
    args::value(
        "alpha",
        "als-implicit: confidence 1 + alpha * r (default 10)",
    ),
    args::value(
        "cg-steps",
        "als-implicit: conjugate-gradient steps per row and epoch; 0 solves exactly (default 3)",
    ),
    args::switch("no-bias", "fit no mu, b_u, b_i"),
    args::value(
        "normalize",
        "ratings with squared loss: none | global-mean | user-mean | item-mean | user-z-score | \
         min-max, fitted on the training part (default none)",
    ),
    args::value("seed", "seed of every random choice (default 42)"),
    args::value("k", "cut-off for ranking metrics (default 10)"),
    args::value(
        "threshold",
        "explicit data: a test rating >= this is relevant (default: 3/4 up the scale, a whole \
         number for whole-star ratings: 4 on 1-5)",
    ),
    args::value("save", "write the trained model as JSON to this file"),
    args::switch(
        "json",
        "print one JSON object per line (one per epoch, then a final one)",
    ),
    READ_FLAGS[0],
    READ_FLAGS[1],
    READ_FLAGS[2],
    READ_FLAGS[3],
    READ_FLAGS[4],
    READ_FLAGS[5],
];

pub fn run(argv: &[String]) -> Result<(), Fail> {
    if common::help(argv, SUMMARY, FLAGS) {
        return Ok(());
    }
    let a = Args::parse(argv, FLAGS)?;
    let opts = read_options(&a)?;
    let train_path = a.required("train")?;
    // Check the choices that need no data before reading a file that may be large.
    params(&a, None, 0)?;
    let data = load_ratings(train_path, &opts, a.str("titles"))?;
    let seed: u64 = a.get("seed")?.unwrap_or(42);
    let (train, test, dropped) = split(&a, data, &opts, seed)?;
    let params = params(&a, Some(&train), seed)?;
    let implicit = train.feedback() == Feedback::Implicit
        || params
            .optimizer
            .algorithm()
            .is_ok_and(|a| a.info().implicit);
    let k: usize = a.get("k")?.unwrap_or(10);
    let threshold: f32 = a
        .get("threshold")?
        .unwrap_or_else(|| default_relevance(&train));
    let json = a.has("json");

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
    for _ in 0..params.n_epochs {
        let r = trainer.step();
        seconds += r.millis / 1e3;
        let test_rmse = match &test {
            Some(t) if !implicit => Some(accuracy(t, |u, i| trainer.model().predict(u, i)).rmse),
            _ => None,
        };
        if json {
            println!(
                "{}",
                json!({ "epoch": r.epoch, "train_loss": num(r.loss), "train_rmse": num(r.rmse),
                "test_rmse": test_rmse.map(num), "seconds": r.millis / 1e3, "diverged": r.diverged })
            );
        } else {
            let t = test_rmse.map_or("-".to_string(), |v| format!("{v:.4}"));
            println!(
                "{:>6} {:>11.4} {:>11.4} {:>11} {:>9.3}",
                r.epoch,
                r.loss,
                r.rmse,
                t,
                r.millis / 1e3
            );
        }
        if r.diverged {
            diverged = true;
            break;
        }
    }

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
    if let Some(path) = a.str("save") {
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

fn split(
    a: &Args,
    data: Ratings,
    opts: &mf_playground::data::parse::ReadOptions,
    seed: u64,
) -> Result<(Ratings, Option<Ratings>, usize), Fail> {
    match (a.str("test"), a.get::<f64>("split")?) {
        (Some(_), Some(_)) => Err(Fail::Input("give --test or --split, not both".into())),
        (Some(path), None) => {
            let t = load_ratings(path, opts, None)?;
            let (t, dropped) = data.align(&t);
            Ok((data, Some(t), dropped))
        }
        (None, Some(f)) => {
            let s = holdout(&data, f, seed).map_err(|e| Fail::Input(format!("--split: {e}")))?;
            Ok((s.train, Some(s.test), 0))
        }
        (None, None) => Ok((data, None, 0)),
    }
}

pub fn params(a: &Args, train: Option<&Ratings>, seed: u64) -> Result<TrainParams, Fail> {
    let algo = Optimizer::from_name(a.str("algo").unwrap_or("sgd"))
        .map_err(|e| Fail::Input(format!("--algo: {e}")))?;
    let loss = match a.str("loss") {
        Some("squared") => Loss::Squared,
        Some("logistic") => Loss::Logistic,
        Some(other) => {
            return Err(Fail::Input(format!(
                "--loss {other}: choose squared or logistic"
            )))
        }
        None if train.is_some_and(|t| t.feedback() == Feedback::Implicit)
            && algo
                .algorithm()
                .is_ok_and(|a| a.info().losses.contains(&Loss::Logistic)) =>
        {
            Loss::Logistic
        }
        None => Loss::Squared,
    };
    let mut p = TrainParams::default().optimizer(algo).loss(loss).seed(seed);
    if let Some(k) = a.get("factors")? {
        p.n_factors = k;
    }
    if let Some(n) = a.get("epochs")? {
        p.n_epochs = n;
    }
    if let Some(x) = a.get("lr")? {
        p.learning_rate = x;
    }
    if let Some(x) = a.get::<f32>("reg")? {
        p = p.reg(x);
    }
    if let Some(x) = a.get("reg-bias")? {
        p.reg_bias = x;
    }
    if let Some(x) = a.get("init-std")? {
        p.init_std = x;
    }
    if let Some(x) = a.get("batch")? {
        p.batch_size = x;
    }
    if let Some(x) = a.get("negatives")? {
        p.negatives = x;
    }
    if let Some(x) = a.get("alpha")? {
        p.alpha = x;
    }
    if let Some(x) = a.get("cg-steps")? {
        p.cg_steps = x;
    }
    if let Some(n) = a.str("normalize") {
        p.normalization =
            Normalization::from_name(n).map_err(|e| Fail::Input(format!("--normalize: {e}")))?;
    }
    if a.has("no-bias") {
        p = p.biases(false);
    }
    p.check().map_err(|e| Fail::Input(e.to_string()))
}
