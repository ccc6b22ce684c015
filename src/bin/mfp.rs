//! `mfp`: the mf-playground engine on the command line, for data bigger than a browser tab.
//!
//! ```text
//! mfp train --train FILE (--test FILE | --split 0.2) [--algo sgd] [--factors 100] ... [--json]
//! mfp recommend --model MODEL.json --user ID [--n 10] [--train FILE]
//! mfp export --model MODEL.json [--out DIR] [--spark-model DIR] [--train FILE]
//! mfp predict --model MODEL.json --data FILE [--out FILE]
//! mfp import-spark DIR --train FILE --out MODEL.json
//! mfp spark-job --train FILE --split 0.2 --algo als [knobs] --out DIR   (mfp code --tool ...)
//! mfp simulate [--policies greedy,ucb] [--ab A,B] [--aa-peeking RUNS] [--json]
//! ```
//!
//! The flags of each command are one clap struct beside the command (help, "did you mean" and
//! the check of each value follow from it). Bad input exits with status 2: a bad flag with
//! clap's message, a bad file with one line naming the file, line and column.

// A crate root resolves `mod x;` beside itself; the command modules live in src/bin/mfp/.
#[cfg(not(target_arch = "wasm32"))]
#[path = "mfp/algorithms.rs"]
mod algorithms;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mfp/common.rs"]
mod common;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mfp/cv.rs"]
mod cv;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mfp/export.rs"]
mod export;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mfp/fit.rs"]
mod fit;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mfp/generate.rs"]
mod generate;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mfp/map.rs"]
mod map;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mfp/recommend.rs"]
mod recommend;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mfp/runs.rs"]
mod runs;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mfp/simulate.rs"]
mod simulate;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mfp/spark.rs"]
mod spark;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mfp/spark_job.rs"]
mod spark_job;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mfp/predict.rs"]
mod predict;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mfp/sweep.rs"]
mod sweep;
#[cfg(not(target_arch = "wasm32"))]
#[path = "mfp/train.rs"]
mod train;

#[cfg(not(target_arch = "wasm32"))]
use std::process::ExitCode;

#[cfg(not(target_arch = "wasm32"))]
use clap::{Parser, Subcommand};

#[cfg(not(target_arch = "wasm32"))]
use common::Fail;

/// The engine of mf-playground on the command line: train, evaluate and explore recommenders on
/// data bigger than a browser tab.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Parser, Debug)]
#[command(name = "mfp", version, propagate_version = true)]
struct Cli {
    /// Threads to train on (gradient epochs in strata of blocks, ALS rows, cross-validation
    /// folds and sweep points); any number gives the same numbers [default: every core]
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    #[command(subcommand)]
    command: Command,
}

#[cfg(not(target_arch = "wasm32"))]
#[derive(Subcommand, Debug)]
enum Command {
    Train(train::TrainArgs),
    Cv(cv::CvArgs),
    Sweep(sweep::SweepArgs),
    Recommend(recommend::RecommendArgs),
    Export(export::ExportArgs),
    Predict(predict::PredictArgs),
    ImportSpark(spark::ImportSparkArgs),
    #[command(visible_alias = "spark-job")]
    Code(spark_job::SparkJobArgs),
    Generate(generate::GenerateArgs),
    Simulate(simulate::SimulateArgs),
    Algorithms(algorithms::AlgorithmsArgs),
    Compare(runs::CompareArgs),
    Map(map::MapArgs),
}

/// Restores the default action for SIGPIPE, so that `mfp ... | head` ends quietly when `head`
/// stops reading, as other command-line tools do, instead of panicking on a failed print.
#[cfg(all(unix, not(target_arch = "wasm32")))]
fn quiet_on_closed_pipe() {
    extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    const SIGPIPE: i32 = 13;
    const SIG_DFL: usize = 0;
    // SAFETY: setting a signal's disposition to its default is async-signal-safe and done
    // before any other thread exists.
    unsafe {
        signal(SIGPIPE, SIG_DFL);
    }
}

#[cfg(not(any(unix, target_arch = "wasm32")))]
fn quiet_on_closed_pipe() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> ExitCode {
    quiet_on_closed_pipe();
    // Help and --version exit 0; a bad flag or value exits 2 with clap's message.
    let cli = Cli::parse();
    if let Some(n) = cli.threads {
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n as usize)
            .build_global()
        {
            eprintln!("mfp: --threads: {e}");
            return ExitCode::from(1);
        }
    }
    let result = match &cli.command {
        Command::Train(a) => train::run(a),
        Command::Cv(a) => cv::run(a),
        Command::Sweep(a) => sweep::run(a),
        Command::Recommend(a) => recommend::run(a),
        Command::Export(a) => export::run(a),
        Command::Predict(a) => predict::run(a),
        Command::ImportSpark(a) => spark::run(a),
        Command::Code(a) => spark_job::run(a),
        Command::Generate(a) => generate::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Algorithms(a) => algorithms::run(a),
        Command::Compare(a) => runs::compare(a),
        Command::Map(a) => map::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::Input(msg)) => {
            eprintln!("mfp: {msg}");
            ExitCode::from(2)
        }
        Err(Fail::Other(msg)) => {
            eprintln!("mfp: {msg}");
            ExitCode::from(1)
        }
    }
}

/// The command line is native only: the WebAssembly build (the page's engine) has no `mfp`, and
/// its command-line crates (clap, indicatif) are not built for wasm32.
#[cfg(target_arch = "wasm32")]
fn main() {}
