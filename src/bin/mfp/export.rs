//! `mfp export`: embeddings for the TensorFlow Embedding Projector, and triplets for Spark.

use std::fmt::Write as _;
use std::path::Path;

use clap::Args;

use crate::common::{self, load_model, Fail, ReadArgs};

/// Embeddings for the TensorFlow Embedding Projector, and triplets for Spark MLlib's ALS.
///
/// Writes DIR/item_vectors.tsv and DIR/item_metadata.tsv (and the user_ pair): tab-separated
/// vectors, one row per item, and a metadata table with a header, as the TensorFlow Embedding
/// Projector loads them. With --train, also DIR/ratings_spark.csv (user_index,item_index,rating:
/// the integer ids Spark MLlib's ALS needs), DIR/users.csv and DIR/items.csv mapping those
/// indices to the original ids.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Model JSON written by mfp train --save
    #[arg(long, value_name = "FILE")]
    pub model: String,
    /// Folder to write into; created if missing
    #[arg(long, value_name = "DIR")]
    pub out: String,
    /// Ratings file to write as Spark triplets
    #[arg(long, value_name = "FILE")]
    pub train: Option<String>,
    #[command(flatten)]
    pub read: ReadArgs,
}

pub fn run(a: &ExportArgs) -> Result<(), Fail> {
    let saved = load_model(&a.model)?;
    let out = Path::new(&a.out);
    std::fs::create_dir_all(out).map_err(|e| Fail::Other(format!("{}: {e}", out.display())))?;
    let p = saved.projector();
    common::write(&out.join("item_vectors.tsv"), &p.item_vectors)?;
    common::write(&out.join("user_vectors.tsv"), &p.user_vectors)?;
    common::write(&out.join("item_metadata.tsv"), &p.item_metadata)?;
    common::write(&out.join("user_metadata.tsv"), &p.user_metadata)?;
    if let Some(path) = &a.train {
        let data = a.read.load(path, None)?;
        let mut csv = String::from("user,item,rating\n");
        for k in 0..data.len() {
            let (u, i, v) = data.get(k);
            let _ = writeln!(csv, "{u},{i},{v}");
        }
        common::write(&out.join("ratings_spark.csv"), &csv)?;
        let ids = |list: &[String]| {
            let mut s = String::from("index,id\n");
            for (k, id) in list.iter().enumerate() {
                let quoted = format!("\"{}\"", id.replace('"', "\"\""));
                let _ = writeln!(s, "{k},{quoted}");
            }
            s
        };
        common::write(&out.join("users.csv"), &ids(data.user_ids()))?;
        common::write(&out.join("items.csv"), &ids(data.item_ids()))?;
    }
    println!("wrote {}", out.display());
    Ok(())
}
