//! `mfp generate`: a synthetic rating file with planted structure, for benchmarks and lessons.

use std::fmt::Write as _;

use mf_playground::data::Side;
use mf_playground::synthetic::{generate, SyntheticParams};

use clap::Args;

use crate::common::{self, Fail};

/// A synthetic ratings file with planted structure.
///
/// Writes user,item,rating lines from a known biased factorisation with genre structure plus
/// noise (see the engine's synthetic module).
#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// File to write
    #[arg(long, value_name = "FILE")]
    pub out: String,
    /// Number of users
    #[arg(long, default_value_t = 6000)]
    pub users: usize,
    /// Number of items
    #[arg(long, default_value_t = 4000)]
    pub items: usize,
    /// About how many ratings
    #[arg(long, allow_negative_numbers = true, default_value_t = 1_000_000.0)]
    pub ratings: f64,
    /// True number of factors
    #[arg(long, default_value_t = 10)]
    pub rank: usize,
    /// Genres, or taste groups
    #[arg(long, default_value_t = 8)]
    pub clusters: usize,
    /// Standard deviation of rating noise
    #[arg(long, allow_negative_numbers = true, default_value_t = 0.5)]
    pub noise: f32,
    /// How strongly a user's factors point at their group's genre (the planted taste)
    #[arg(long, default_value_t = SyntheticParams::default().taste)]
    pub taste: f32,
    /// Round to whole stars 1..5
    #[arg(long)]
    pub stars: bool,
    /// 0/1 interactions instead of ratings
    #[arg(long)]
    pub implicit: bool,
    /// With --implicit: write the 1s alone, a log of clicks (which items a user clicked then
    /// follows the planted taste; which cells are observed does not)
    #[arg(long, requires = "implicit")]
    pub clicks_only: bool,
    /// Also write the planted features: each item's genre (`item,genre` lines), for the hybrid
    /// model (mfp train --item-features)
    #[arg(long, value_name = "FILE")]
    pub item_features: Option<String>,
    /// Also write each user's favourite genre (`user,feature` lines: "likes Drama")
    #[arg(long, value_name = "FILE")]
    pub user_features: Option<String>,
    /// Seed
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn run(a: &GenerateArgs) -> Result<(), Fail> {
    let out = a.out.as_str();
    let p = SyntheticParams {
        n_users: a.users,
        n_items: a.items,
        n_clusters: a.clusters,
        rank: a.rank,
        density: a.ratings / (a.users as f64 * a.items as f64).max(1.0),
        noise: a.noise,
        taste: a.taste,
        implicit: a.implicit,
        round: a.stars,
        seed: a.seed,
        ..Default::default()
    };
    let s = generate(&p).map_err(|e| Fail::Input(e.to_string()))?;
    let r = &s.ratings;
    let mut text = String::with_capacity(r.len() * 20);
    text.push_str("user,item,rating\n");
    let mut written = 0;
    for k in 0..r.len() {
        let (u, i, v) = r.get(k);
        if a.clicks_only && v == 0.0 {
            continue;
        }
        written += 1;
        let _ = writeln!(text, "{},{},{v}", r.user_ids()[u], r.item_ids()[i]);
    }
    common::write(std::path::Path::new(out), &text)?;
    eprintln!(
        "{out}: {} users, {} items, {written} {}",
        r.n_users(),
        r.n_items(),
        if a.clicks_only { "clicks" } else { "ratings" }
    );
    for (path, side, head) in [
        (&a.item_features, Side::Item, "item,genre\n"),
        (&a.user_features, Side::User, "user,feature\n"),
    ] {
        let (Some(path), Some(m)) = (path, r.features(side)) else {
            continue;
        };
        let ids = r.ids(side);
        let mut text = String::from(head);
        for (k, id) in ids.iter().enumerate() {
            let _ = writeln!(text, "{id},{}", m.row_names(k).join("|"));
        }
        common::write(std::path::Path::new(path), &text)?;
    }
    Ok(())
}
