//! `mfp train`: fit a model, report per-epoch progress and final accuracy.

use serde_json::{json, Value};

use mf_playground::baseline::{Baseline, BaselineKind};
use mf_playground::data::parse::parse_time;
use mf_playground::data::split::{before, cold, holdout, latest, leave_one_out};
use mf_playground::data::Side;
use mf_playground::data::{Feedback, Ratings};
use mf_playground::fit::Fitted;
use mf_playground::metrics::loo::{leave_one_out_ranking, leave_one_out_ranking_by_user};
use mf_playground::metrics::{accuracy, default_relevance, ranking_in, Scope};
use mf_playground::model_file::Saved;
use mf_playground::train::Loss;

use clap::Args;

use crate::common::{self, base_name, Fail, Progress};
use crate::fit::{params, Fit};
use crate::runs;

/// Trains a model (biased MF, or GMF, MLP or NeuMF) and reports accuracy.
///
/// Explicit data reports RMSE and MAE; implicit (0/1) data reports precision, recall and NDCG at
/// --k over the full catalogue, excluding each user's training items. With --protocol loo, each
/// user's one held-out item is ranked among 99 items the user never had, as Neural
/// Collaborative Filtering (He et al. 2017) measures: HR@k and NDCG@k.
#[derive(Args, Debug)]
pub struct TrainArgs {
    #[command(flatten)]
    pub fit: Fit,
    /// Separate test file (ratings of unknown users or items are skipped); with --protocol loo,
    /// the held-out items to rank (your own split, by time say)
    #[arg(
        long,
        help_heading = "Testing and saving",
        value_name = "FILE",
        conflicts_with = "split"
    )]
    pub test: Option<String>,
    /// Hold out this fraction of --train for testing (at random, or the latest with --split-by
    /// time)
    #[arg(
        long,
        help_heading = "Testing and saving",
        allow_negative_numbers = true,
        value_name = "FRACTION",
        conflicts_with = "protocol"
    )]
    pub split: Option<f64>,
    /// Which ratings --split holds out: random ones, the latest by the file's timestamps
    /// (train on the past, test on the future), or every rating of a share of the items or the
    /// users (cold start: the test part is items or users the model never saw)
    #[arg(
        long,
        help_heading = "Testing and saving",
        value_parser = SPLIT_BY,
        default_value = "random",
        requires = "split"
    )]
    pub split_by: String,
    /// Train on the ratings before this moment and test on those at or after it: a date
    /// (2013-06-01, 2013-06-01T12:00:00) or seconds since 1970
    #[arg(
        long,
        help_heading = "Testing and saving",
        value_name = "DATE",
        conflicts_with_all = ["split", "test", "protocol"]
    )]
    pub split_before: Option<String>,
    /// How to test: loo holds out one item per user (a 1, for 0/1 data): the latest when the
    /// file has timestamps, else a random one; and ranks it among --loo-negatives items the
    /// user never had
    #[arg(long, help_heading = "Testing and saving", value_parser = ["loo"])]
    pub protocol: Option<String>,
    /// The protocol loo's sampled items per held-out item
    #[arg(
        long,
        help_heading = "Testing and saving",
        value_name = "N",
        default_value_t = 99
    )]
    pub loo_negatives: usize,
    /// Cut-off for ranking metrics
    #[arg(long, help_heading = "Testing and saving", default_value_t = 10)]
    pub k: usize,
    /// Explicit data: a test rating >= this is relevant [default: 3/4 up the scale, a whole
    /// number for whole-star ratings: 4 on 1-5]
    #[arg(
        long,
        help_heading = "Testing and saving",
        allow_negative_numbers = true
    )]
    pub threshold: Option<f32>,
    /// Write the trained model as JSON to this file (a network's file for gmf, mlp and neumf)
    #[arg(long, help_heading = "Testing and saving", value_name = "FILE")]
    pub save: Option<String>,
    /// Keep this training as a run in this file (knobs, data and split fingerprints, curves,
    /// final and per-user metrics, the model): what `mfp compare` reads
    #[arg(long, help_heading = "Testing and saving", value_name = "FILE")]
    pub run_out: Option<String>,
}

pub fn run(a: &TrainArgs) -> Result<(), Fail> {
    let train_path = a.fit.train.as_str();
    // Check the choices that need no data before reading a file that may be large.
    params(&a.fit, None)?;
    let data = a.fit.load()?;
    let data_timed = data.times().is_some();
    let data_ref = mf_playground::run::DataRef::of(base_name(train_path), &data);
    let (train, test, dropped) = split(a, data)?;
    let params = params(&a.fit, Some(&train))?;
    let implicit = train.feedback() == Feedback::Implicit
        || params.loss != Loss::Squared
        || params
            .optimizer
            .algorithm()
            .is_ok_and(|a| a.info().implicit && !params.family.is_neural());
    let k = a.k;
    // New items held out are ranked among themselves.
    let scope = match (&a.test, a.split_by.as_str()) {
        (None, "new-items") => Scope::NewItems,
        _ => Scope::Catalogue,
    };
    let threshold = a.threshold.unwrap_or_else(|| default_relevance(&train));
    let json = a.fit.json;

    let mut fitted =
        Fitted::new(train.clone(), params.clone()).map_err(|e| Fail::Input(e.to_string()))?;
    if !json {
        println!(
            "{}: {} users, {} items, {} training ratings, {} test ratings{}; {} with {} parameters",
            train_path,
            train.n_users(),
            train.n_items(),
            train.len(),
            test.as_ref().map_or(0, Ratings::len),
            if dropped > 0 {
                format!(" ({dropped} test ratings of unknown users or items skipped)")
            } else {
                String::new()
            },
            params.family.name(),
            fitted.n_parameters(),
        );
        println!(
            "{:>6} {:>11} {:>11} {:>11} {:>9}",
            "epoch", "train loss", "train RMSE", "test RMSE", "seconds"
        );
    }
    let mut seconds = 0.0f64;
    let mut diverged = false;
    let mut curves = Vec::new();
    let progress = Progress::new(params.n_epochs, "epochs", json);
    for _ in 0..params.n_epochs {
        let Some(r) = fitted.step() else { break };
        progress.inc();
        seconds += r.millis / 1e3;
        let test_rmse = match &test {
            Some(t) if !implicit => Some(accuracy(t, |u, i| fitted.predict(u, i)).rmse),
            _ => None,
        };
        let finite = |v: f32| v.is_finite().then_some(v);
        curves.push(mf_playground::run::Epoch {
            epoch: r.epoch,
            loss: finite(r.loss),
            train_rmse: finite(r.rmse),
            test_rmse: test_rmse.and_then(finite),
            seconds: r.millis / 1e3,
        });
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

    let train_acc = accuracy(&train, |u, i| fitted.predict(u, i));
    let examples = fitted.examples_per_epoch();
    let mut fin = json!({
        "final": true,
        "family": params.family.name(),
        "algo": params.optimizer.name(),
        "factors": params.n_factors,
        "epochs": fitted.epoch(),
        "lr": num(params.learning_rate),
        "reg": num(params.reg_factor),
        "reg_bias": num(params.reg_bias),
        "init_std": num(params.init_std),
        "seed": params.seed,
        "loss": params.loss.name(),
        "parameters": fitted.n_parameters(),
        "n_users": train.n_users(),
        "n_items": train.n_items(),
        "n_train": train.len(),
        "n_test": test.as_ref().map_or(0, Ratings::len),
        "n_test_skipped": dropped,
        "train_rmse": num(train_acc.rmse),
        "seconds": seconds,
        "examples_per_epoch": examples,
        "examples_per_second": if seconds > 0.0 { (examples * fitted.epoch()) as f64 / seconds } else { 0.0 },
        "threads": mf_playground::parallel::threads(),
        "diverged": diverged,
    });
    if params.family.has_mlp() {
        fin["layers"] = json!(params.layers);
    }
    // A split by time: where it cut (the test part's earliest time, seconds since 1970).
    let by_time = a.test.is_none() && (a.split_before.is_some() || a.split_by == "time");
    if let Some(since) = test
        .as_ref()
        .and_then(|t| t.times()?.iter().min())
        .filter(|_| by_time)
    {
        fin["test_since"] = json!(since);
    }
    // The model's ranking of the test part, made once for the figures and the run.
    let mut ranked = None;
    if let Some(t) = &test {
        if a.protocol.is_some() {
            let m = leave_one_out_ranking(&train, t, k, a.loo_negatives, params.seed, |u, i| {
                fitted.score(u, i)
            })
            .map_err(|e| Fail::Input(e.to_string()))?;
            fin[format!("hr_at_{k}")] = json!(m.hit_ratio);
            fin[format!("ndcg_at_{k}")] = json!(m.ndcg);
            fin["loo_users"] = json!(m.users);
            // Which item each user's test is: the latest by the file's times, or a random one.
            fin["held_out"] = json!(match (&a.test, data_timed) {
                (Some(_), _) => "test file",
                (None, true) => "latest",
                (None, false) => "random",
            });
            // The popularity baseline under the same protocol and negatives: the bar to clear.
            let pop = Baseline::fit(BaselineKind::Popularity, &train, 0.0, params.seed)
                .and_then(|b| {
                    leave_one_out_ranking_by_user(&train, t, k, a.loo_negatives, params.seed, |u| {
                        b.scores_for_user(u)
                    })
                })
                .map_err(|e| Fail::Input(e.to_string()))?;
            fin[format!("popularity_hr_at_{k}")] = json!(pop.hit_ratio);
            fin[format!("popularity_ndcg_at_{k}")] = json!(pop.ndcg);
            if !implicit {
                // Ratings held out one per user also have an error, as the page shows.
                let acc = accuracy(t, |u, i| fitted.predict(u, i));
                fin["test_rmse"] = json!(num(acc.rmse));
                fin["test_mae"] = json!(num(acc.mae));
            }
        } else if implicit {
            let factors = fitted.mf().map(|m| &m.item_factors);
            let m = ranked.insert(ranking_in(scope, &train, t, k, threshold, factors, |u| {
                fitted.scores_for_user(u)
            }));
            for (key, v) in mf_playground::run::ranking_figures(m) {
                fin[key] = v;
            }
        } else {
            let acc = accuracy(t, |u, i| fitted.predict(u, i));
            fin["test_rmse"] = json!(num(acc.rmse));
            fin["test_mae"] = json!(num(acc.mae));
        }
    }
    if a.save.is_some() || a.run_out.is_some() {
        let saved = Saved::of(
            fitted.snapshot(),
            &train,
            params.clone(),
            fitted.epoch(),
            &base_name(train_path),
        );
        if let Some(path) = &a.save {
            common::write(std::path::Path::new(path), &saved.to_json())?;
        }
        if let Some(path) = &a.run_out {
            // Explicit data's figures and the loo protocol rank no test part of their own.
            if let (None, Some(t)) = (&ranked, &test) {
                ranked = Some(ranking_in(scope, &train, t, k, threshold, None, |u| {
                    fitted.scores_for_user(u)
                }));
            }
            let name = mf_playground::run::default_name(&params, fitted.epoch());
            runs::write_run(
                path,
                runs::Finished {
                    name,
                    data: data_ref,
                    split: split_words(a),
                    params: &params,
                    train: &train,
                    test: test.as_ref(),
                    fitted: &fitted,
                    curves,
                    metrics: &fin,
                    k,
                    ranked: ranked.as_ref(),
                    saved: &saved,
                },
            )?;
        }
    }
    if json {
        println!("{fin}");
    } else {
        print_final(&fin);
    }
    Ok(())
}

/// The test part in words, for a run.
fn split_words(a: &TrainArgs) -> String {
    match (&a.test, &a.protocol, &a.split_before, a.split) {
        (Some(t), _, _, _) => format!("test file {}", base_name(t)),
        (None, Some(_), _, _) => format!("one per user (loo), seed {}", a.fit.seed),
        (None, None, Some(d), _) => format!("before {d}"),
        (None, None, None, Some(f)) => format!("{} {f}, seed {}", a.split_by, a.fit.seed),
        (None, None, None, None) => "none".into(),
    }
}

fn split(a: &TrainArgs, data: Ratings) -> Result<(Ratings, Option<Ratings>, usize), Fail> {
    if a.protocol.is_some() && a.test.is_none() {
        let s = leave_one_out(&data, a.fit.seed)
            .map_err(|e| Fail::Input(format!("--protocol loo: {e}")))?;
        return Ok((s.train, Some(s.test), 0));
    }
    if let Some(date) = &a.split_before {
        let t = parse_time(date).ok_or_else(|| {
            Fail::Input(format!(
                "--split-before {date}: write a date (2013-06-01) or seconds since 1970"
            ))
        })?;
        let s = before(&data, t).map_err(|e| Fail::Input(format!("--split-before: {e}")))?;
        return Ok((s.train, Some(s.test), 0));
    }
    split_data(&a.fit, a.test.as_deref(), a.split, &a.split_by, data)
}

/// What `--split-by` takes, in `train` and `code` alike.
pub const SPLIT_BY: [&str; 4] = ["random", "time", "new-items", "new-users"];

/// The training and test parts the flags ask for: a test file (its ratings of unknown users or
/// items dropped, counted), a held-out share (random, or the latest by time), or none.
pub fn split_data(
    fit: &Fit,
    test: Option<&str>,
    split: Option<f64>,
    split_by: &str,
    data: Ratings,
) -> Result<(Ratings, Option<Ratings>, usize), Fail> {
    match (test, split) {
        (Some(path), _) => {
            let t = fit.read.load(path, None)?;
            let (t, dropped) = data.align(&t);
            Ok((data, Some(t), dropped))
        }
        (None, Some(f)) => {
            let s = match split_by {
                "time" => latest(&data, f),
                "new-items" => cold(&data, Side::Item, f, fit.seed),
                "new-users" => cold(&data, Side::User, f, fit.seed),
                _ => holdout(&data, f, fit.seed),
            }
            .map_err(|e| Fail::Input(format!("--split: {e}")))?;
            Ok((s.train, Some(s.test), 0))
        }
        (None, None) => Ok((data, None, 0)),
    }
}

pub use mf_playground::run::num;

fn print_final(fin: &Value) {
    let parts: Vec<String> = fin
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| {
            k.contains("rmse")
                || k.contains("mae")
                || k.contains("hr_at_")
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
        "final: {}; {:.2} s of training ({:.0} examples/s){}",
        parts.join(", "),
        fin["seconds"].as_f64().unwrap_or(0.0),
        fin["examples_per_second"].as_f64().unwrap_or(0.0),
        if fin["diverged"] == json!(true) {
            "; DIVERGED: lower --lr"
        } else {
            ""
        }
    );
}
