//! `mfp algorithms`: the training algorithms the engine has (its registry), with what each fits
//! and which flags it reads. `--algo` takes these names.

use serde_json::json;

use mf_playground::train::registry;

use crate::args::{self, Args, Flag};
use crate::common::{self, Fail};

const SUMMARY: &str = "mfp algorithms [--json]

Lists the training algorithms `mfp train --algo` (and cv, sweep) accept, from the engine's
registry: the page's optimiser menu is built from the same list.";

const FLAGS: &[Flag] = &[args::switch("json", "one JSON object per line")];

pub fn run(argv: &[String]) -> Result<(), Fail> {
    if common::help(argv, SUMMARY, FLAGS) {
        return Ok(());
    }
    let a = Args::parse(argv, FLAGS)?;
    for info in registry::describe() {
        if a.has("json") {
            println!("{}", json!(info));
        } else {
            let losses: Vec<&str> = info.losses.iter().map(|l| l.name()).collect();
            println!(
                "{:<14} {}: {} (loss {}{})",
                info.name,
                info.label,
                info.summary,
                losses.join(" or "),
                if info.uses.is_empty() {
                    String::new()
                } else {
                    format!("; reads {}", info.uses.join(", "))
                }
            );
        }
    }
    Ok(())
}
