//! `mfp sweep`: the balance between model size, accuracy and compute.

use serde_json::json;

use mf_playground::data::split::holdout;
use mf_playground::sweep::{pareto_front, run_point, SweepGrid};

use crate::args::{self, Args, Flag};
use crate::common::{self, load_ratings, read_options, Fail};
use crate::train::{num, params, FLAGS as TRAIN_FLAGS};

const SUMMARY: &str =
    "mfp sweep --train FILE [--split 0.2] [--grid-factors 1,2,4,...] [--grid-regs 0.02,0.1]
          [--grid-epochs 10,30] [training flags as for mfp train] [--json]

Trains every combination of factors, regularisation and epochs from the same seed on the same
split (the other training flags apply to all), and prints test RMSE, parameter count and
training time for each, marking the points on the Pareto fronts: no other point has both lower
error and fewer parameters (front `size`) or less training time (front `time`).";

fn flags() -> Vec<Flag> {
    let mut f: Vec<Flag> = TRAIN_FLAGS
        .iter()
        .copied()
        .filter(|f| !matches!(f.name, "test" | "save" | "k" | "threshold"))
        .collect();
    f.push(args::value(
        "grid-factors",
        "factors to try (default 1,2,4,8,16,32,64,128,256)",
    ));
    f.push(args::value(
        "grid-regs",
        "regularisation strengths to try (default 0.02,0.1)",
    ));
    f.push(args::value("grid-epochs", "epochs to try (default 10,30)"));
    f
}

fn list<T: std::str::FromStr>(a: &Args, name: &str, default: Vec<T>) -> Result<Vec<T>, Fail> {
    match a.str(name) {
        None => Ok(default),
        Some(s) => s
            .split(',')
            .map(|v| {
                v.trim()
                    .parse()
                    .map_err(|_| Fail::Input(format!("--{name} {s}: not a list of numbers")))
            })
            .collect(),
    }
}

pub fn run(argv: &[String]) -> Result<(), Fail> {
    let flags = flags();
    if common::help(argv, SUMMARY, &flags) {
        return Ok(());
    }
    let a = Args::parse(argv, &flags)?;
    let path = a.required("train")?;
    let data = load_ratings(path, &read_options(&a)?, a.str("titles"))?;
    let seed: u64 = a.get("seed")?.unwrap_or(42);
    let base = params(&a, Some(&data), seed)?;
    let d = SweepGrid::default();
    let grid = SweepGrid {
        factors: list(&a, "grid-factors", d.factors)?,
        regs: list(&a, "grid-regs", d.regs)?,
        epochs: list(&a, "grid-epochs", d.epochs)?,
    };
    let points = grid
        .params(&base)
        .map_err(|e| Fail::Input(format!("grid: {e}")))?;
    let fraction: f64 = a.get("split")?.unwrap_or(0.2);
    let split = holdout(&data, fraction, seed).map_err(|e| Fail::Input(format!("--split: {e}")))?;
    let json = a.has("json");
    let mut results = Vec::with_capacity(points.len());
    for (k, p) in points.iter().enumerate() {
        let r = run_point(k, &split.train, &split.test, p, None)
            .map_err(|e| Fail::Input(e.to_string()))?;
        if json {
            println!(
                "{}",
                json!({ "point": k + 1, "factors": r.n_factors, "reg": num(r.reg), "epochs": r.epochs,
                "parameters": r.parameters, "train_rmse": num(r.train_rmse), "test_rmse": num(r.test_rmse),
                "test_mae": num(r.test_mae), "seconds": r.millis / 1e3, "diverged": r.diverged })
            );
        }
        results.push(r);
    }
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
        "{:>7} {:>7} {:>6} {:>11} {:>10} {:>10} {:>9}  front",
        "factors", "reg", "epochs", "parameters", "train RMSE", "test RMSE", "seconds"
    );
    for (k, r) in results.iter().enumerate() {
        let front = match (by_size[k], by_time[k]) {
            (true, true) => "size, time",
            (true, false) => "size",
            (false, true) => "time",
            _ => "",
        };
        println!(
            "{:>7} {:>7} {:>6} {:>11} {:>10.4} {:>10.4} {:>9.3}  {front}",
            r.n_factors,
            r.reg,
            r.epochs,
            r.parameters,
            r.train_rmse,
            r.test_rmse,
            r.millis / 1e3
        );
    }
    Ok(())
}
