//! Runs: `mfp train --run-out FILE` keeps a finished training as a run, and `mfp compare A B`
//! says whether two runs' difference on the same test users is real (see
//! `mf_playground::run`).

use std::path::Path;

use clap::Args;
use serde_json::{Map, Value};

use mf_playground::data::Ratings;
use mf_playground::fit::Fitted;
use mf_playground::metrics::RankingReport;
use mf_playground::model_file::Saved;
use mf_playground::run::{self, DataRef, Epoch, PerUser, Run, SplitRef};
use mf_playground::train::TrainParams;

use crate::common::{self, Fail};

/// What `mfp train` knows at the end, for its run.
pub struct Finished<'a> {
    pub name: String,
    pub data: DataRef,
    pub split: String,
    pub params: &'a TrainParams,
    pub train: &'a Ratings,
    pub test: Option<&'a Ratings>,
    pub fitted: &'a Fitted,
    pub curves: Vec<Epoch>,
    pub metrics: &'a Value,
    pub k: usize,
    /// The model's ranking of the test part, when there is one.
    pub ranked: Option<&'a RankingReport>,
    pub saved: &'a Saved,
}

/// Writes the run of a finished training to `path`.
pub fn write_run(path: &str, f: Finished) -> Result<(), Fail> {
    let per_user = match (f.test, f.ranked) {
        (Some(t), Some(r)) => PerUser::of(f.fitted, f.train, t, r),
        _ => PerUser::none(f.k),
    };
    let model = f.saved.to_json();
    let mut metrics: Map<String, Value> = f.metrics.as_object().cloned().unwrap_or_default();
    metrics.remove("final");
    let r = Run {
        format: run::FORMAT.into(),
        version: run::VERSION,
        name: f.name,
        params: f.params.clone(),
        data: f.data,
        split: SplitRef::of(f.split, f.train, f.test),
        curves: f.curves,
        metrics,
        per_user,
        model: run::kept_model(&model),
        knobs: None,
    };
    common::write(Path::new(path), &r.to_json())
}

/// Compares two runs user by user: is the difference real?
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// The first run (A), written by `mfp train --run-out`
    pub a: String,
    /// The second run (B); differences are B - A
    pub b: String,
    /// Bootstrap resamples of the users
    #[arg(long, default_value_t = 2000)]
    pub rounds: usize,
    /// Seed of the resamples
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// One JSON object instead of the table
    #[arg(long)]
    pub json: bool,
}

pub fn compare(a: &CompareArgs) -> Result<(), Fail> {
    let read = |path: &str| -> Result<Run, Fail> {
        let text =
            std::fs::read_to_string(path).map_err(|e| Fail::Input(format!("{path}: {e}")))?;
        Run::read(&text).map_err(|e| Fail::Input(format!("{path}: {e}")))
    };
    let (ra, rb) = (read(&a.a)?, read(&a.b)?);
    let c = run::compare(&ra, &rb, a.rounds, a.seed).map_err(|e| Fail::Input(e.to_string()))?;
    if a.json {
        println!("{}", serde_json::to_string(&c).expect("serialises"));
        return Ok(());
    }
    println!("A: {} ({})\nB: {} ({})", ra.name, a.a, rb.name, a.b);
    println!(
        "{:<10} {:>6} {:>9} {:>9} {:>10} {:>22} {:>10}",
        "metric", "users", "A", "B", "B - A", "95% interval of B - A", "Wilcoxon p"
    );
    for (name, p) in &c.metrics {
        println!(
            "{:<10} {:>6} {:>9.4} {:>9.4} {:>+10.4} {:>22} {:>10}",
            name,
            p.n,
            p.mean_a,
            p.mean_b,
            p.mean_diff,
            format!("[{:+.4}, {:+.4}]", p.ci_low, p.ci_high),
            format!("{:.3}", p.p_value)
        );
    }
    println!(
        "\nThe interval: B - A averaged over the same users, resampled {} times; 95% of the \
         resampled means fall inside it. When it excludes 0, users like these would most likely \
         see the same sign again; when it holds 0, the difference may be chance. The Wilcoxon \
         p-value is how often differences at least this lopsided would arise if neither model \
         were better for a user (small: unlikely by chance). Lower RMSE is better; higher NDCG \
         and recall are.",
        a.rounds
    );
    Ok(())
}
