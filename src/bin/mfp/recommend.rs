//! `mfp recommend`: top-N items for a user of a saved model.

use serde_json::json;

use clap::Args;

use crate::common::{load_model, Fail, ReadArgs};

/// Top-N items for a user from a saved model.
///
/// Lists the user's best-scored items. With --train, items the user rated there are left out.
#[derive(Args, Debug)]
pub struct RecommendArgs {
    /// Model JSON written by mfp train --save
    #[arg(long, value_name = "FILE")]
    pub model: String,
    /// The user's id, as in the training file
    #[arg(long, value_name = "ID")]
    pub user: String,
    /// How many items
    #[arg(long, default_value_t = 10)]
    pub n: usize,
    /// Ratings file whose items the user already rated are left out
    #[arg(long, value_name = "FILE")]
    pub train: Option<String>,
    /// Print one JSON object per line
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub read: ReadArgs,
}

pub fn run(a: &RecommendArgs) -> Result<(), Fail> {
    let saved = load_model(&a.model, a.train.as_deref().map(|t| (t, &a.read)))?;
    let user = a.user.as_str();
    let u = saved
        .user_index(user)
        .ok_or_else(|| Fail::Input(format!("--user {user}: not a user of this model")))?;
    let n = a.n;
    let mut exclude = Vec::new();
    if let Some(path) = &a.train {
        let data = a.read.load(path, None)?;
        for k in 0..data.len() {
            let (du, di, _) = data.get(k);
            if data.user_ids()[du] == user {
                if let Some(i) = saved
                    .item_ids()
                    .iter()
                    .position(|id| id == &data.item_ids()[di])
                {
                    exclude.push(i);
                }
            }
        }
    }
    let recs = saved
        .recommend(u, n, &exclude)
        .map_err(|e| Fail::Other(e.to_string()))?;
    for (rank, (i, score)) in recs.iter().enumerate() {
        if a.json {
            println!(
                "{}",
                json!({ "rank": rank + 1, "item": saved.item_ids()[*i], "title": saved.item_labels()[*i], "prediction": score })
            );
        } else {
            println!(
                "{:>3}. {:<50} {:.3}",
                rank + 1,
                saved.item_labels()[*i],
                score
            );
        }
    }
    Ok(())
}
