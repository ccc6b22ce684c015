//! `mfp predict`: the model's prediction for every (user, item) pair of a file.

use std::collections::HashMap;
use std::fmt::Write as _;

use clap::Args;

use mf_playground::data::csv_field;

use crate::common::{self, load_model, Fail, ReadArgs};

/// The model's prediction for every (user, item) pair of a ratings file.
///
/// Writes CSV with a header, user,item,rating,prediction, one row per rating of --data in its
/// order, with the file's own ids; a user or item the model does not know gets an empty
/// prediction.
#[derive(Args, Debug)]
pub struct PredictArgs {
    /// Model JSON written by mfp train --save (or a Spark ALSModel folder, with --train)
    #[arg(long, value_name = "FILE")]
    pub model: String,
    /// The pairs to predict: a ratings file (its values are copied to the rating column)
    #[arg(long, value_name = "FILE")]
    pub data: String,
    /// For a Spark model folder: the ratings file whose ids it was trained on
    #[arg(long, value_name = "FILE")]
    pub train: Option<String>,
    /// Write the CSV here instead of to standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<String>,
    #[command(flatten)]
    pub read: ReadArgs,
}

pub fn run(a: &PredictArgs) -> Result<(), Fail> {
    let saved = load_model(&a.model, a.train.as_deref().map(|t| (t, &a.read)))?;
    let data = a.read.load(&a.data, None)?;
    let index = |ids: &[String]| -> HashMap<String, usize> {
        ids.iter()
            .enumerate()
            .map(|(k, id)| (id.clone(), k))
            .collect()
    };
    let (users, items) = (index(saved.user_ids()), index(saved.item_ids()));
    let user_of: Vec<Option<usize>> = data
        .user_ids()
        .iter()
        .map(|id| users.get(id).copied())
        .collect();
    let item_of: Vec<Option<usize>> = data
        .item_ids()
        .iter()
        .map(|id| items.get(id).copied())
        .collect();
    let mut csv = String::from("user,item,rating,prediction\n");
    for k in 0..data.len() {
        let (u, i, v) = data.get(k);
        let _ = write!(
            csv,
            "{},{},{v},",
            csv_field(&data.user_ids()[u]),
            csv_field(&data.item_ids()[i])
        );
        if let (Some(mu), Some(mi)) = (user_of[u], item_of[i]) {
            let _ = write!(csv, "{}", saved.predict(mu, mi));
        }
        csv.push('\n');
    }
    match &a.out {
        Some(path) => common::write(std::path::Path::new(path), &csv),
        None => {
            print!("{csv}");
            Ok(())
        }
    }
}
