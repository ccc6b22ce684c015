//! `mfp sweep`: the balance between model size, accuracy and compute.

use serde_json::json;

use mf_playground::data::split::holdout;
use mf_playground::sweep::{pareto_front, run_point, SweepGrid};
use mf_playground::train::{Family, TrainParams};

use clap::Args;

use crate::common::{Fail, Progress};
use crate::fit::{params, widths, Fit};
use crate::train::num;

/// A grid over factors, regularisation and epochs: error, size, time, Pareto fronts.
///
/// Trains every combination of factors, regularisation and epochs from the same seed on the same
/// split (the other training flags, `mfp train`'s, apply to all), and prints test RMSE (and for
/// 0/1 data HR@10 by NCF's sampled protocol), parameter count and training time for each,
/// marking the points on the Pareto fronts: no other point has both lower error (for 0/1 data a
/// higher HR@10) and fewer parameters (front `size`) or less training time (front `time`).
#[derive(Args, Debug)]
pub struct SweepArgs {
    #[command(flatten)]
    pub fit: Fit,
    /// Hold out this random fraction for testing
    #[arg(
        long,
        help_heading = "The grid",
        help_heading = "The grid",
        value_name = "FRACTION",
        default_value_t = 0.2
    )]
    pub split: f64,
    /// Factors to try [default: 1,2,4,8,16,32,64,128,256]
    #[arg(long, help_heading = "The grid", value_name = "LIST")]
    pub grid_factors: Option<String>,
    /// Regularisation strengths to try [default: 0.02,0.1]
    #[arg(long, help_heading = "The grid", value_name = "LIST")]
    pub grid_regs: Option<String>,
    /// Epochs to try [default: 10,30]
    #[arg(long, help_heading = "The grid", value_name = "LIST")]
    pub grid_epochs: Option<String>,
    /// Model families to try, e.g. mf,gmf,mlp,neumf [default: --family]; each starts from
    /// its own defaults but for the seed, loss and batch size
    #[arg(long, help_heading = "The grid", value_name = "LIST")]
    pub grid_families: Option<String>,
    /// An MLP tower to try (give the flag once per tower, e.g. --grid-layers 16,8
    /// --grid-layers 64,32,16,8) [default: --layers]
    #[arg(long, help_heading = "The grid", value_name = "WIDTHS", value_parser = widths)]
    pub grid_layers: Vec<::std::vec::Vec<usize>>,
}

fn list<T: std::str::FromStr>(
    flag: &str,
    given: &Option<String>,
    default: Vec<T>,
) -> Result<Vec<T>, Fail> {
    match given {
        None => Ok(default),
        Some(s) => s
            .split(',')
            .map(|v| {
                v.trim()
                    .parse()
                    .map_err(|_| Fail::Input(format!("--{flag} {s}: not a list of numbers")))
            })
            .collect(),
    }
}

pub fn run(a: &SweepArgs) -> Result<(), Fail> {
    let path = a.fit.train.as_str();
    let data = a.fit.load()?;
    let seed = a.fit.seed;
    let base = params(&a.fit, Some(&data))?;
    let d = SweepGrid::default();
    let families = match &a.grid_families {
        None => Vec::new(),
        Some(s) => s
            .split(',')
            .map(|f| Family::from_name(f.trim()))
            .collect::<Result<_, _>>()
            .map_err(|e| Fail::Input(format!("--grid-families: {e}")))?,
    };
    let grid = SweepGrid {
        families,
        towers: a.grid_layers.clone(),
        factors: list("grid-factors", &a.grid_factors, d.factors)?,
        regs: list("grid-regs", &a.grid_regs, d.regs)?,
        epochs: list("grid-epochs", &a.grid_epochs, d.epochs)?,
    };
    let points = grid
        .params(&base)
        .map_err(|e| Fail::Input(format!("grid: {e}")))?;
    let fraction = a.split;
    let split = holdout(&data, fraction, seed).map_err(|e| Fail::Input(format!("--split: {e}")))?;
    let json = a.fit.json;
    let mut results = Vec::with_capacity(points.len());
    let progress = Progress::new(points.len(), "points", json);
    // The points train side by side on the threads there are, as the folds of cv do; each
    // point's seconds are its own training's while sharing the cores (--threads 1 times each
    // alone). Every figure but the time is the same on any number of threads.
    let pieces: Vec<(usize, &TrainParams)> = points.iter().enumerate().collect();
    let outcomes = mf_playground::parallel::map(pieces, |(k, p)| {
        let r = run_point(k, &split.train, &split.test, p, None);
        progress.inc();
        r
    });
    for r in outcomes {
        let r = r.map_err(|e| Fail::Input(e.to_string()))?;
        let k = r.index;
        if json {
            println!(
                "{}",
                json!({ "point": k + 1, "family": r.family.name(), "layers": r.layers, "factors": r.n_factors, "reg": num(r.reg), "epochs": r.epochs,
                "parameters": r.parameters, "train_rmse": num(r.train_rmse), "test_rmse": num(r.test_rmse),
                "test_mae": num(r.test_mae), "test_hr_at_10": r.test_hr.map(num), "seconds": r.millis / 1e3, "diverged": r.diverged })
            );
        }
        results.push(r);
    }
    progress.finish();
    let by_size = pareto_front(&results, |p| p.parameters as f64);
    let by_time = pareto_front(&results, |p| p.millis);
    if json {
        let on = |f: &[bool]| -> Vec<usize> {
            f.iter()
                .enumerate()
                .filter(|(_, &x)| x)
                .map(|(k, _)| k + 1)
                .collect()
        };
        println!(
            "{}",
            json!({ "final": true, "points": results.len(), "front_size": on(&by_size), "front_time": on(&by_time) })
        );
        return Ok(());
    }
    println!(
        "{path}: {} ratings, {} points, {} with {:.0}% held out for testing",
        data.len(),
        results.len(),
        base.optimizer.name(),
        100.0 * fraction
    );
    println!(
        "{:>6} {:>12} {:>7} {:>7} {:>6} {:>11} {:>10} {:>10} {:>9}  front",
        "family",
        "tower",
        "factors",
        "reg",
        "epochs",
        "parameters",
        "train RMSE",
        "test RMSE",
        "seconds"
    );
    for (k, r) in results.iter().enumerate() {
        let front = match (by_size[k], by_time[k]) {
            (true, true) => "size, time",
            (true, false) => "size",
            (false, true) => "time",
            _ => "",
        };
        println!(
            "{:>6} {:>12} {:>7} {:>7} {:>6} {:>11} {:>10.4} {:>10.4} {:>9} {:>9.3}  {front}",
            r.family.name(),
            if r.layers.is_empty() {
                "-".to_string()
            } else {
                r.layers
                    .iter()
                    .map(|w| w.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            },
            r.n_factors,
            r.reg,
            r.epochs,
            r.parameters,
            r.train_rmse,
            r.test_rmse,
            r.test_hr.map_or("-".to_string(), |h| format!("{h:.4}")),
            r.millis / 1e3
        );
    }
    Ok(())
}
