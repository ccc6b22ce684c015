//! `mfp cv`: k-fold cross-validation with the same flags as `mfp train`.

use serde_json::json;

use mf_playground::cv::{mean_std, run_fold};
use mf_playground::data::split::{k_fold, Split};

use clap::Args;

use crate::common::{Fail, Progress};
use crate::fit::{params, Fit};
use crate::train::num;

/// K-fold cross-validation: per-fold errors, their mean and spread.
///
/// Splits the ratings into k folds (seeded), trains a fresh model on k-1 of them and tests it on
/// the remaining one, k times; prints each fold's errors and the mean and standard deviation.
/// The training flags are `mfp train`'s.
#[derive(Args, Debug)]
pub struct CvArgs {
    #[command(flatten)]
    pub fit: Fit,
    /// Number of folds
    #[arg(long, help_heading = "Cross-validation", default_value_t = 5)]
    pub folds: usize,
}

pub fn run(a: &CvArgs) -> Result<(), Fail> {
    params(&a.fit, None)?;
    let path = a.fit.train.as_str();
    let data = a.fit.load()?;
    let seed = a.fit.seed;
    let p = params(&a.fit, Some(&data))?;
    let k = a.folds;
    let folds = k_fold(&data, k, seed).map_err(|e| Fail::Input(format!("--folds: {e}")))?;
    let json = a.fit.json;
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
    let progress = Progress::new(k, "folds", json);
    // The folds train side by side on the threads there are (each fold's own training too);
    // each is seeded alone, so the figures are the same on any number of threads.
    let pieces: Vec<(usize, &Split)> = folds.iter().enumerate().collect();
    let outcomes = mf_playground::parallel::map(pieces, |(f, split)| {
        let r = run_fold(f, split, &p, None);
        progress.inc();
        r
    });
    let mut results = Vec::new();
    for (f, r) in outcomes.into_iter().enumerate() {
        let r = r.map_err(|e| Fail::Input(e.to_string()))?;
        if json {
            progress.println(format!(
                "{}",
                json!({ "fold": f + 1, "train_rmse": num(r.train_rmse), "test_rmse": num(r.test_rmse),
                "test_mae": num(r.test_mae), "seconds": r.millis / 1e3, "diverged": r.diverged })
            ));
        } else {
            progress.println(format!(
                "{:>5} {:>11.4} {:>10.4} {:>9.4} {:>9.3}",
                f + 1,
                r.train_rmse,
                r.test_rmse,
                r.test_mae,
                r.millis / 1e3
            ));
        }
        results.push(r);
    }
    progress.finish();
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
