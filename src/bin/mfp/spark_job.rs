//! `mfp code` (also `mfp spark-job`): the knobs as a runnable script for Spark MLlib's ALS
//! (PySpark), the `implicit` package or Surprise, with the split it tests on.

use std::path::Path;

use clap::Args;

use mf_playground::code::{script, split_files, Tool};

use crate::common::{self, Fail};
use crate::fit::{params, Fit};
use crate::train::{split_data, SPLIT_BY};

/// The knobs as a runnable script: a PySpark job for Spark MLlib's ALS, or the implicit package
/// or Surprise where the algorithm exists there.
///
/// Writes DIR/job.py, DIR/train.csv and DIR/test.csv (the same split mfp train makes with these
/// flags, as user,item,rating; with Spark's integer ids, and DIR/users.csv and DIR/items.csv
/// mapping them back when the data's ids are not integers). `python DIR/job.py` (or
/// spark-submit) prints the test metrics mfp train prints; the PySpark job also saves its model
/// in DIR/model for the playground to open.
#[derive(Args, Debug)]
pub struct SparkJobArgs {
    #[command(flatten)]
    pub fit: Fit,
    /// Separate test file (ratings of unknown users or items are skipped)
    #[arg(long, value_name = "FILE", conflicts_with = "split")]
    pub test: Option<String>,
    /// Hold out this fraction of --train for testing, as mfp train --split does
    #[arg(long, value_name = "FRACTION", required_unless_present = "test")]
    pub split: Option<f64>,
    /// Which ratings --split holds out, as mfp train --split-by says
    #[arg(long, value_parser = SPLIT_BY, default_value = "random")]
    pub split_by: String,
    /// Cut-off for the ranking metrics of 0/1 data
    #[arg(long, default_value_t = 10)]
    pub k: usize,
    /// The tool to write for: Spark MLlib's ALS (als, als-implicit), implicit (als-implicit) or
    /// Surprise (sgd)
    #[arg(long, default_value = "pyspark", value_parser = Tool::ALL.map(Tool::name))]
    pub tool: String,
    /// Folder to write the script and its data into
    #[arg(long, value_name = "DIR")]
    pub out: String,
}

pub fn run(a: &SparkJobArgs) -> Result<(), Fail> {
    let data = a.fit.load()?;
    let (train, test, dropped) = split_data(&a.fit, a.test.as_deref(), a.split, &a.split_by, data)?;
    let test = test.expect("a test part: --split or --test is required");
    let p = params(&a.fit, Some(&train))?;
    let tool = Tool::by_name(&a.tool).map_err(|e| Fail::Input(e.to_string()))?;
    let command: Vec<String> = std::env::args().collect();
    let text = script(tool, &p, &train, a.k, &command.join(" "))
        .map_err(|e| Fail::Input(format!("--tool {}: {e}", a.tool)))?;
    let out = Path::new(&a.out);
    std::fs::create_dir_all(out).map_err(|e| Fail::Other(format!("{}: {e}", out.display())))?;
    let files = split_files(&train, &test);
    common::write(&out.join("train.csv"), &files.train)?;
    common::write(&out.join("test.csv"), &files.test)?;
    if let (Some(users), Some(items)) = (&files.users, &files.items) {
        common::write(&out.join("users.csv"), users)?;
        common::write(&out.join("items.csv"), items)?;
    }
    common::write(&out.join("job.py"), &text)?;
    if dropped > 0 {
        eprintln!("mfp: {dropped} test ratings of users or items not in --train are left out, as mfp train leaves them out");
    }
    println!(
        "wrote {}: run python {}",
        out.display(),
        out.join("job.py").display()
    );
    Ok(())
}
