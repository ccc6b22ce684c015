//! `mfp algorithms`: the training algorithms the engine has (its registry) and the model
//! families, with what each fits and which flags it reads. `--algo` and `--family` take these
//! names.

use mf_playground::train::registry::Description;

use clap::Args;

use crate::common::Fail;

/// The training algorithms --algo accepts and the families --family accepts.
///
/// Lists the training algorithms `mfp train --algo` (and cv, sweep) accept, from the engine's
/// registry, and the model families of `--family`: the page's menus are built from the same
/// description.
#[derive(Args, Debug)]
pub struct AlgorithmsArgs {
    /// The engine's description as one JSON object, `{ algorithms, families, losses }`, as the page
    /// receives it
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &AlgorithmsArgs) -> Result<(), Fail> {
    let d = Description::now();
    if a.json {
        println!("{}", serde_json::json!(d));
        return Ok(());
    }
    println!("optimisers (--algo):");
    for info in &d.algorithms {
        let losses: Vec<&str> = info.losses.iter().map(|l| l.name()).collect();
        println!(
            "  {:<14} {}: {} (loss {}{})",
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
    println!("losses (--loss):");
    for l in &d.losses {
        println!("  {:<14} {}", l.name, l.label);
    }
    println!("model families (--family):");
    for f in &d.families {
        println!(
            "  {:<14} {}: {}{}",
            f.name,
            f.label,
            f.summary,
            match &f.optimizers {
                Some(o) => format!(" (trained by {})", o.join(" or ")),
                None => String::new(),
            }
        );
    }
    Ok(())
}
