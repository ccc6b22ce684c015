//! `mfp algorithms`: the training algorithms the engine has (its registry), with what each fits
//! and which flags it reads. `--algo` takes these names.

use serde_json::json;

use mf_playground::train::registry;

use clap::Args;

use crate::common::Fail;

/// The training algorithms --algo accepts, with what each fits.
///
/// Lists the training algorithms `mfp train --algo` (and cv, sweep) accept, from the engine's
/// registry: the page's optimiser menu is built from the same list.
#[derive(Args, Debug)]
pub struct AlgorithmsArgs {
    /// One JSON object per line
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &AlgorithmsArgs) -> Result<(), Fail> {
    for info in registry::describe() {
        if a.json {
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
