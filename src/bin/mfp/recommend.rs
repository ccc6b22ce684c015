//! `mfp recommend`: top-N items for a user of a saved model.

use serde_json::json;

use crate::args::{self, Args, Flag};
use crate::common::{self, load_model, load_ratings, read_options, Fail, READ_FLAGS};

const SUMMARY: &str = "mfp recommend --model MODEL.json --user ID [--n 10] [--train FILE]

Lists the user's best-scored items. With --train, items the user rated there are left out.";

const FLAGS: &[Flag] = &[
    args::value("model", "model JSON written by mfp train --save (required)"),
    args::value("user", "the user's id, as in the training file (required)"),
    args::value("n", "how many items (default 10)"),
    args::value(
        "train",
        "ratings file whose items the user already rated are excluded",
    ),
    args::switch("json", "print one JSON object per line"),
    READ_FLAGS[0],
    READ_FLAGS[1],
    READ_FLAGS[2],
    READ_FLAGS[3],
    READ_FLAGS[4],
];

pub fn run(argv: &[String]) -> Result<(), Fail> {
    if common::help(argv, SUMMARY, FLAGS) {
        return Ok(());
    }
    let a = Args::parse(argv, FLAGS)?;
    let saved = load_model(a.required("model")?)?;
    let user = a.required("user")?;
    let u = saved
        .user_index(user)
        .ok_or_else(|| Fail::Input(format!("--user {user}: not a user of this model")))?;
    let n: usize = a.get("n")?.unwrap_or(10);
    let mut exclude = Vec::new();
    if let Some(path) = a.str("train") {
        let data = load_ratings(path, &read_options(&a)?, None)?;
        for k in 0..data.len() {
            let (du, di, _) = data.get(k);
            if data.user_ids()[du] == user {
                if let Some(i) = saved
                    .item_ids
                    .iter()
                    .position(|id| id == &data.item_ids()[di])
                {
                    exclude.push(i);
                }
            }
        }
    }
    let recs = saved
        .model
        .recommend(u, n, &exclude)
        .map_err(|e| Fail::Other(e.to_string()))?;
    for (rank, (i, score)) in recs.iter().enumerate() {
        if a.has("json") {
            println!(
                "{}",
                json!({ "rank": rank + 1, "item": saved.item_ids[*i], "title": saved.item_labels[*i], "prediction": score })
            );
        } else {
            println!(
                "{:>3}. {:<50} {:.3}",
                rank + 1,
                saved.item_labels[*i],
                score
            );
        }
    }
    Ok(())
}
