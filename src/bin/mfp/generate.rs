//! `mfp generate`: a synthetic rating file with planted structure, for benchmarks and lessons.

use std::fmt::Write as _;

use mf_playground::synthetic::{generate, SyntheticParams};

use crate::args::{self, Args, Flag};
use crate::common::{self, Fail};

const SUMMARY: &str =
    "mfp generate --out FILE [--users 6000 --items 4000 --ratings 1000000] [flags]

Writes user,item,rating lines from a known biased factorisation with genre structure plus noise
(see the engine's synthetic module).";

const FLAGS: &[Flag] = &[
    args::value("out", "file to write (required)"),
    args::value("users", "number of users (default 6000)"),
    args::value("items", "number of items (default 4000)"),
    args::value("ratings", "about how many ratings (default 1000000)"),
    args::value("rank", "true number of factors (default 10)"),
    args::value("clusters", "genres / taste groups (default 8)"),
    args::value("noise", "standard deviation of rating noise (default 0.5)"),
    args::switch("stars", "round to whole stars 1..5"),
    args::switch("implicit", "0/1 interactions instead of ratings"),
    args::value("seed", "seed (default 1)"),
];

pub fn run(argv: &[String]) -> Result<(), Fail> {
    if common::help(argv, SUMMARY, FLAGS) {
        return Ok(());
    }
    let a = Args::parse(argv, FLAGS)?;
    let out = a.required("out")?;
    let n_users: usize = a.get("users")?.unwrap_or(6000);
    let n_items: usize = a.get("items")?.unwrap_or(4000);
    let n_ratings: f64 = a.get("ratings")?.unwrap_or(1_000_000.0);
    let p = SyntheticParams {
        n_users,
        n_items,
        n_clusters: a.get("clusters")?.unwrap_or(8),
        rank: a.get("rank")?.unwrap_or(10),
        density: n_ratings / (n_users as f64 * n_items as f64).max(1.0),
        noise: a.get("noise")?.unwrap_or(0.5),
        implicit: a.has("implicit"),
        round: a.has("stars"),
        seed: a.get("seed")?.unwrap_or(1),
        ..Default::default()
    };
    let s = generate(&p).map_err(|e| Fail::Input(e.to_string()))?;
    let r = &s.ratings;
    let mut text = String::with_capacity(r.len() * 20);
    text.push_str("user,item,rating\n");
    for k in 0..r.len() {
        let (u, i, v) = r.get(k);
        let _ = writeln!(text, "{},{},{v}", r.user_ids()[u], r.item_ids()[i]);
    }
    common::write(std::path::Path::new(out), &text)?;
    eprintln!(
        "{out}: {} users, {} items, {} ratings",
        r.n_users(),
        r.n_items(),
        r.len()
    );
    Ok(())
}
