//! `mfp spark-job`: a runnable PySpark script for Spark MLlib's ALS with mfp's knobs.

use std::fmt::Write as _;
use std::path::Path;

use clap::Args;

use mf_playground::data::preprocess::Normalization;
use mf_playground::data::{Feedback, Ratings};
use mf_playground::model_file::spark::int_ids;
use mf_playground::train::Optimizer;

use crate::common::{self, Fail};
use crate::fit::{params, Fit};
use crate::train::split_data;

/// The script's text, with {PLACEHOLDERS} for the knobs.
const TEMPLATE: &str = include_str!("spark_job.py");

/// A PySpark script that trains Spark MLlib's ALS with these knobs and tests it on mfp's split.
///
/// Writes DIR/job.py, DIR/train.csv and DIR/test.csv (the same split mfp train makes with these
/// flags, as user,item,rating with Spark's integer ids; DIR/users.csv and DIR/items.csv map them
/// back when the data's ids are not integers). `python DIR/job.py` (or spark-submit) prints the
/// test metrics mfp train prints and saves the model in DIR/model for the playground to open.
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
    /// Which ratings --split holds out: random ones, or the latest by time
    #[arg(long, value_parser = ["random", "time"], default_value = "random")]
    pub split_by: String,
    /// Cut-off for the ranking metrics of 0/1 data
    #[arg(long, default_value_t = 10)]
    pub k: usize,
    /// Folder to write the job and its data into
    #[arg(long, value_name = "DIR")]
    pub out: String,
}

/// A Python literal for a float.
fn py(v: f32) -> String {
    let s = v.to_string();
    if s.contains(['.', 'e', 'i', 'N']) {
        s
    } else {
        format!("{s}.0")
    }
}

pub fn run(a: &SparkJobArgs) -> Result<(), Fail> {
    let data = a.fit.load()?;
    let (train, test, dropped) = split_data(&a.fit, a.test.as_deref(), a.split, &a.split_by, data)?;
    let test = test.expect("a test part: --split or --test is required");
    let p = params(&a.fit, Some(&train))?;
    if a.fit.family() != mf_playground::train::Family::Mf {
        return Err(Fail::Input(format!(
            "--family {}: Spark MLlib has ALS for matrix factorisation only",
            a.fit.family
        )));
    }
    let implicit = match p.optimizer.name() {
        n if n == Optimizer::ALS.name() => false,
        n if n == Optimizer::ALS_IMPLICIT.name() => true,
        n => {
            return Err(Fail::Input(format!(
                "--algo {n}: Spark MLlib trains matrix factorisation with ALS only: choose --algo als (ratings) or als-implicit (0/1 data)"
            )))
        }
    };
    if p.normalization != Normalization::None {
        return Err(Fail::Input(format!(
            "--normalize {}: Spark's ALS has no normalisation step; train without it (the job takes out the mean when biases are on)",
            p.normalization.name()
        )));
    }
    let out = Path::new(&a.out);
    std::fs::create_dir_all(out).map_err(|e| Fail::Other(format!("{}: {e}", out.display())))?;
    // Spark's ids: the data's own when they are integers, else indices with their maps.
    let own = int_ids(train.user_ids()).is_some() && int_ids(train.item_ids()).is_some();
    let triplets = |r: &Ratings| {
        let mut s = String::from("user,item,rating\n");
        for k in 0..r.len() {
            let (u, i, v) = r.get(k);
            let _ = if own {
                writeln!(s, "{},{},{v}", r.user_ids()[u], r.item_ids()[i])
            } else {
                writeln!(s, "{u},{i},{v}")
            };
        }
        s
    };
    // The test part on the training part's indices (align keeps only known users and items).
    let (test, _) = train.align(&test);
    common::write(&out.join("train.csv"), &triplets(&train))?;
    common::write(&out.join("test.csv"), &triplets(&test))?;
    if !own {
        let map = |ids: &[String]| {
            let mut s = String::from("index,id\n");
            for (k, id) in ids.iter().enumerate() {
                let _ = writeln!(s, "{k},\"{}\"", id.replace('"', "\"\""));
            }
            s
        };
        common::write(&out.join("users.csv"), &map(train.user_ids()))?;
        common::write(&out.join("items.csv"), &map(train.item_ids()))?;
    }
    let explicit = train.feedback() == Feedback::Explicit;
    let scale = train.scale();
    let command: Vec<String> = std::env::args().collect();
    let script = TEMPLATE
        .replace("{COMMAND}", &command.join(" "))
        .replace("{RANK}", &p.n_factors.to_string())
        .replace("{MAX_ITER}", &p.n_epochs.to_string())
        .replace("{LAMBDA}", &py(p.reg_factor))
        .replace("{IMPLICIT}", if implicit { "True" } else { "False" })
        .replace("{ALPHA}", &py(p.alpha))
        .replace("{SEED}", &(p.seed % (1 << 63)).to_string())
        .replace(
            "{CENTRE}",
            if p.use_global_mean && !implicit {
                "True"
            } else {
                "False"
            },
        )
        .replace(
            "{SCALE}",
            &if explicit {
                format!("({}, {})", py(scale.min), py(scale.max))
            } else {
                "None".into()
            },
        )
        .replace("{K}", &a.k.to_string());
    common::write(&out.join("job.py"), &script)?;
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
