//! `mfp export`: embeddings for the TensorFlow Embedding Projector, and triplets for Spark.

use std::fmt::Write as _;
use std::path::Path;

use crate::args::{self, Args, Flag};
use crate::common::{self, load_model, load_ratings, read_options, Fail, READ_FLAGS};

const SUMMARY: &str = "mfp export --model MODEL.json --out DIR [--train FILE]

Writes DIR/item_vectors.tsv and DIR/item_metadata.tsv (and the user_ pair): tab-separated vectors,
one row per item, and a metadata table with a header, as the TensorFlow Embedding Projector loads
them. With --train, also DIR/ratings_spark.csv (user_index,item_index,rating: the integer ids
Spark MLlib's ALS needs), DIR/users.csv and DIR/items.csv mapping those indices to the original ids.";

const FLAGS: &[Flag] = &[
    args::value("model", "model JSON written by mfp train --save (required)"),
    args::value("out", "folder to write into; created if missing (required)"),
    args::value("train", "ratings file to write as Spark triplets"),
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
    let out = Path::new(a.required("out")?);
    std::fs::create_dir_all(out).map_err(|e| Fail::Other(format!("{}: {e}", out.display())))?;
    let p = saved.projector();
    common::write(&out.join("item_vectors.tsv"), &p.item_vectors)?;
    common::write(&out.join("user_vectors.tsv"), &p.user_vectors)?;
    common::write(&out.join("item_metadata.tsv"), &p.item_metadata)?;
    common::write(&out.join("user_metadata.tsv"), &p.user_metadata)?;
    if let Some(path) = a.str("train") {
        let data = load_ratings(path, &read_options(&a)?, None)?;
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
