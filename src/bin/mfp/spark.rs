//! `mfp import-spark`: a model Spark MLlib's ALS saved, as a model file of the playground.

use clap::Args;

use crate::common::{self, base_name, Fail, ReadArgs};

/// A saved Spark ALSModel folder as an mfp model file.
///
/// Reads DIR (metadata/, userFactors/ and itemFactors/ as ALSModel.save writes them) with the
/// ratings file whose ids it was trained on, and writes the model JSON that every other command
/// and the page open. A Spark model folder can also be given directly wherever a model file is
/// (with --train FILE).
#[derive(Args, Debug)]
pub struct ImportSparkArgs {
    /// The saved ALSModel folder
    #[arg(value_name = "DIR")]
    pub dir: String,
    /// The ratings file whose ids the model was trained on
    #[arg(long, value_name = "FILE")]
    pub train: String,
    /// Where to write the model JSON
    #[arg(long, value_name = "FILE")]
    pub out: String,
    /// The model was trained with implicitPrefs=True [default: as the ratings' feedback says]
    #[arg(long)]
    pub implicit: bool,
    #[command(flatten)]
    pub read: ReadArgs,
}

pub fn run(a: &ImportSparkArgs) -> Result<(), Fail> {
    let data = a.read.load(&a.train, None)?;
    let implicit = a.implicit.then_some(true);
    let (saved, notes) = common::spark_model(&a.dir, &data, implicit, &base_name(&a.train))?;
    for n in notes.0 {
        eprintln!("mfp: {n}");
    }
    common::write(std::path::Path::new(&a.out), &saved.to_json())?;
    println!(
        "wrote {}: {} users, {} items, {} factors{}",
        a.out,
        saved.model.n_users(),
        saved.model.n_items(),
        saved.model.n_factors(),
        if saved.params.use_user_bias {
            " and biases"
        } else {
            ""
        }
    );
    Ok(())
}
