//! `mfp export`: embeddings for the TensorFlow Embedding Projector, triplets for Spark, and
//! the model as a Spark `ALSModel` folder.

use std::fmt::Write as _;
use std::path::Path;

use clap::Args;

use mf_playground::code::id_map;
use mf_playground::model_file::spark::{self, SparkIds, SparkModel};
use mf_playground::model_file::Saved;

use crate::common::{self, load_model, Fail, ReadArgs};

/// Embeddings for the TensorFlow Embedding Projector, and triplets for Spark MLlib's ALS.
///
/// Writes DIR/item_vectors.tsv and DIR/item_metadata.tsv (and the user_ pair): tab-separated
/// vectors, one row per item, and a metadata table with a header, as the TensorFlow Embedding
/// Projector loads them. With --train, also DIR/ratings_spark.csv (user_index,item_index,rating:
/// the integer ids Spark MLlib's ALS needs), DIR/users.csv and DIR/items.csv mapping those
/// indices to the original ids.
///
/// With --spark-model DIR, writes the model as a folder Spark MLlib's ALSModel.load opens, whose
/// transform predicts what mfp predicts (biases folded into two more factors; Spark does not
/// clip). Ids that are not all 32-bit integers go as indices, mapped in DIR/users.csv and
/// DIR/items.csv.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Model JSON written by mfp train --save (or a Spark ALSModel folder, with --train)
    #[arg(long, value_name = "FILE")]
    pub model: String,
    /// Folder for the Projector files (and the Spark triplets); created if missing
    #[arg(long, value_name = "DIR", required_unless_present = "spark_model")]
    pub out: Option<String>,
    /// Write the model as a Spark ALSModel folder (a new or empty one)
    #[arg(long, value_name = "DIR")]
    pub spark_model: Option<String>,
    /// Ratings file to write as Spark triplets
    #[arg(long, value_name = "FILE")]
    pub train: Option<String>,
    #[command(flatten)]
    pub read: ReadArgs,
}

pub fn run(a: &ExportArgs) -> Result<(), Fail> {
    let saved = load_model(&a.model, a.train.as_deref().map(|t| (t, &a.read)))?;
    if let Some(dir) = &a.spark_model {
        spark_model(&saved, Path::new(dir))?;
    }
    let Some(out) = &a.out else { return Ok(()) };
    let out = Path::new(out);
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
        common::write(&out.join("users.csv"), &id_map(data.user_ids()))?;
        common::write(&out.join("items.csv"), &id_map(data.item_ids()))?;
    }
    println!("wrote {}", out.display());
    Ok(())
}

/// Writes `saved` as a Spark ALSModel folder, saying what the conversion did.
fn spark_model(saved: &Saved, dir: &Path) -> Result<(), Fail> {
    let Saved::Mf(m) = saved else {
        return Err(Fail::Input(
            "--spark-model: Spark's ALS serves a dot product of two factor tables; a network (GMF, MLP, NeuMF) has no such form".into(),
        ));
    };
    let (spark, ids, notes) = SparkModel::from_saved(m).map_err(|e| Fail::Input(e.to_string()))?;
    spark::files::write_dir(dir, &spark).map_err(|e| Fail::Input(e.to_string()))?;
    if ids == SparkIds::Indices {
        common::write(&dir.join("users.csv"), &id_map(&m.user_ids))?;
        common::write(&dir.join("items.csv"), &id_map(&m.item_ids))?;
    }
    for n in notes.0 {
        eprintln!("mfp: {n}");
    }
    println!(
        "wrote {} (Spark ALSModel, rank {})",
        dir.display(),
        spark.rank
    );
    Ok(())
}
