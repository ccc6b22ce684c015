//! `mfp cv`: k-fold cross-validation with the same flags as `mfp train`.

use serde_json::json;

use mf_playground::cv::{mean_std, run_fold};
use mf_playground::data::split::k_fold;

use crate::args::{self, Args, Flag};
use crate::common::{self, load_ratings, read_options, Fail};
use crate::train::{num, params, FLAGS as TRAIN_FLAGS};

const SUMMARY: &str = "mfp cv --train FILE [--folds 5] [training flags as for mfp train]

Splits the ratings into k folds (seeded), trains a fresh model on k-1 of them and tests it on
the remaining one, k times; prints each fold's errors and the mean and standard deviation.";

/// `mfp train`'s flags, less those that choose a test part or save a model, plus `--folds`.
fn flags() -> Vec<Flag> {
    let mut f: Vec<Flag> = TRAIN_FLAGS
        .iter()
        .copied()
        .filter(|f| !matches!(f.name, "test" | "split" | "save" | "k" | "threshold"))
        .collect();
    f.push(args::value("folds", "number of folds (default 5)"));
    f
}

pub fn run(argv: &[String]) -> Result<(), Fail> {
    let flags = flags();
    if common::help(argv, SUMMARY, &flags) {
        return Ok(());
    }
    let a = Args::parse(argv, &flags)?;
    params(&a, None, 0)?;
    let path = a.required("train")?;
    let data = load_ratings(path, &read_options(&a)?, a.str("titles"))?;
    let seed: u64 = a.get("seed")?.unwrap_or(42);
    let p = params(&a, Some(&data), seed)?;
    let k: usize = a.get("folds")?.unwrap_or(5);
    let folds = k_fold(&data, k, seed).map_err(|e| Fail::Input(format!("--folds: {e}")))?;
    let json = a.has("json");
    if !json {
        println!(
            "{path}: {} ratings, {k} folds, {} with k = {}",
            data.len(),
            p.optimizer.name(),
            p.n_factors
        );
        println!(
            "{:>5} {:>11} {:>10} {:>9} {:>9}",
            "fold", "train RMSE", "test RMSE", "test MAE", "seconds"
        );
    }
    let mut results = Vec::new();
    for (f, split) in folds.iter().enumerate() {
        let r = run_fold(f, split, &p, None).map_err(|e| Fail::Input(e.to_string()))?;
        if json {
            println!(
                "{}",
                json!({ "fold": f + 1, "train_rmse": num(r.train_rmse), "test_rmse": num(r.test_rmse),
                "test_mae": num(r.test_mae), "seconds": r.millis / 1e3, "diverged": r.diverged })
            );
        } else {
            println!(
                "{:>5} {:>11.4} {:>10.4} {:>9.4} {:>9.3}",
                f + 1,
                r.train_rmse,
                r.test_rmse,
                r.test_mae,
                r.millis / 1e3
            );
        }
        results.push(r);
    }
    let (rm, rs) = mean_std(&results.iter().map(|r| r.test_rmse).collect::<Vec<_>>());
    let (mm, ms) = mean_std(&results.iter().map(|r| r.test_mae).collect::<Vec<_>>());
    if json {
        println!(
            "{}",
            json!({ "final": true, "folds": k, "algo": p.optimizer.name(), "factors": p.n_factors,
            "test_rmse_mean": num(rm), "test_rmse_std": num(rs), "test_mae_mean": num(mm), "test_mae_std": num(ms) })
        );
    } else {
        println!("mean ± sd: test RMSE {rm:.4} ± {rs:.4}, test MAE {mm:.4} ± {ms:.4}");
    }
    Ok(())
}
