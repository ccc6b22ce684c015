//! `mfp`: the mf-playground engine on the command line, for data bigger than a browser tab.
//!
//! ```text
//! mfp train --train FILE (--test FILE | --split 0.2) [--algo sgd] [--factors 100] ... [--json]
//! mfp recommend --model MODEL.json --user ID [--n 10] [--train FILE]
//! mfp export --model MODEL.json --out DIR [--train FILE]
//! mfp simulate [--policies greedy,ucb] [--ab A,B] [--aa-peeking RUNS] [--json]
//! ```
//!
//! Bad input exits with status 2 and one line naming the file, line and column.

// A crate root resolves `mod x;` beside itself; the command modules live in src/bin/mfp/.
#[path = "mfp/algorithms.rs"]
mod algorithms;
#[path = "mfp/args.rs"]
mod args;
#[path = "mfp/common.rs"]
mod common;
#[path = "mfp/cv.rs"]
mod cv;
#[path = "mfp/export.rs"]
mod export;
#[path = "mfp/generate.rs"]
mod generate;
#[path = "mfp/recommend.rs"]
mod recommend;
#[path = "mfp/simulate.rs"]
mod simulate;
#[path = "mfp/sweep.rs"]
mod sweep;
#[path = "mfp/train.rs"]
mod train;

use std::process::ExitCode;

use common::Fail;

const USAGE: &str = "usage: mfp <command> [flags]

commands:
  train      train a model on a ratings file and report accuracy (see mfp train --help)
  cv         k-fold cross-validation with the training flags: per-fold errors, mean and spread
  sweep      a grid over factors, regularisation and epochs: error, size, time, Pareto fronts
  recommend  top-N items for a user from a saved model
  export     write a saved model's embeddings and metadata as TSV (TensorFlow Embedding Projector)
             and the training triplets as CSV for Spark MLlib's ALS
  generate   write a synthetic ratings file with planted structure
  simulate   the exploration lab: policies, feedback loop, A/B tests on simulated users
  algorithms the training algorithms --algo accepts, with what each fits";

/// Restores the default action for SIGPIPE, so that `mfp ... | head` ends quietly when `head`
/// stops reading, as other command-line tools do, instead of panicking on a failed print.
#[cfg(unix)]
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

#[cfg(not(unix))]
fn quiet_on_closed_pipe() {}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, rest) = match argv.split_first() {
        Some((c, r)) => (c.as_str(), r),
        None => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match cmd {
        "train" => train::run(rest),
        "recommend" => recommend::run(rest),
        "cv" => cv::run(rest),
        "sweep" => sweep::run(rest),
        "export" => export::run(rest),
        "generate" => generate::run(rest),
        "simulate" => simulate::run(rest),
        "algorithms" => algorithms::run(rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(Fail::Input(format!("unknown command \"{other}\"\n{USAGE}"))),
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
