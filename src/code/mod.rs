//! The current knobs as code for the tools people move on to: a PySpark job for Spark MLlib's
//! ALS, and scripts for the `implicit` package (weighted ALS) and Surprise (SGD), each where the
//! algorithm exists there. Every script reads `train.csv` and `test.csv` (the split the
//! playground made, `user,item,rating`; see [`split_files`]), trains with the knobs mapped
//! (docs/spark.md has the table), and prints one line of JSON with the test metrics mfp reports,
//! so its figures can be set beside the playground's.
//!
//! `mfp spark-job` writes the PySpark job; the page's Code button shows any of them.

use std::fmt::Write as _;

use crate::data::preprocess::Normalization;
use crate::data::{Feedback, Ratings};
use crate::error::{Error, Result};
use crate::model_file::spark::int_ids;
use crate::train::{Family, Optimizer, TrainParams};

/// A tool the knobs can be written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Tool {
    /// Spark MLlib's `ALS` (explicit and implicit), as a PySpark job.
    Pyspark,
    /// The `implicit` package's `AlternatingLeastSquares` (weighted ALS on 0/1 data).
    Implicit,
    /// Surprise's `SVD` (biased matrix factorisation by SGD on ratings).
    Surprise,
}

impl Tool {
    pub const ALL: [Tool; 3] = [Tool::Pyspark, Tool::Implicit, Tool::Surprise];

    pub fn name(self) -> &'static str {
        match self {
            Tool::Pyspark => "pyspark",
            Tool::Implicit => "implicit",
            Tool::Surprise => "surprise",
        }
    }

    pub fn by_name(name: &str) -> Result<Tool> {
        Tool::ALL
            .into_iter()
            .find(|t| t.name() == name)
            .ok_or_else(|| Error::invalid("tool", name, "choose pyspark, implicit or surprise"))
    }

    /// Whether the tool has the algorithm the knobs ask for, and if not, why not.
    pub fn check(self, p: &TrainParams) -> Result<()> {
        let refuse = |why: String| Err(Error::invalid("tool", self.name(), why));
        if p.family != Family::Mf {
            return refuse(format!("{} has no {} model", self.label(), p.family.name()));
        }
        if p.normalization != Normalization::None {
            return refuse(format!(
                "{} has no normalisation step: train without --normalize {}",
                self.label(),
                p.normalization.name()
            ));
        }
        let algo = p.optimizer.name();
        let ok = match self {
            Tool::Pyspark => {
                algo == Optimizer::ALS.name() || algo == Optimizer::ALS_IMPLICIT.name()
            }
            Tool::Implicit => algo == Optimizer::ALS_IMPLICIT.name(),
            Tool::Surprise => {
                algo == Optimizer::SGD.name() && p.loss == crate::train::Loss::Squared
            }
        };
        if ok {
            return Ok(());
        }
        refuse(match self {
            Tool::Pyspark => format!("Spark MLlib trains matrix factorisation with ALS only: choose als (ratings) or als-implicit (0/1 data), not {algo}"),
            Tool::Implicit => format!("implicit's ALS is weighted ALS on 0/1 data: choose als-implicit, not {algo}"),
            Tool::Surprise => format!("Surprise's SVD is SGD on squared error: choose sgd with squared loss, not {algo} with {} loss", p.loss.name()),
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Tool::Pyspark => "Spark MLlib",
            Tool::Implicit => "implicit",
            Tool::Surprise => "Surprise",
        }
    }
}

/// The split as the scripts read it: `train.csv` and `test.csv` (`user,item,rating`), with the
/// data's own ids when they are all 32-bit integers (Spark's ALS needs integers), else indices
/// and the maps `users.csv` and `items.csv` (`index,id`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SplitFiles {
    pub train: String,
    pub test: String,
    pub users: Option<String>,
    pub items: Option<String>,
}

/// The `index,id` map Spark's integer ids need when the data's ids are not integers.
pub fn id_map(ids: &[String]) -> String {
    let mut s = String::from("index,id\n");
    for (k, id) in ids.iter().enumerate() {
        let _ = writeln!(s, "{k},\"{}\"", id.replace('"', "\"\""));
    }
    s
}

/// The training and test parts as the scripts read them; `test` is on `train`'s users and
/// items (ratings of others are left out, as mfp leaves them out).
pub fn split_files(train: &Ratings, test: &Ratings) -> SplitFiles {
    let own = int_ids(train.user_ids()).is_some() && int_ids(train.item_ids()).is_some();
    let (test, _) = train.align(test);
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
    SplitFiles {
        train: triplets(train),
        test: triplets(&test),
        users: (!own).then(|| id_map(train.user_ids())),
        items: (!own).then(|| id_map(train.item_ids())),
    }
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

/// The script for `tool` with the knobs `p`, on a training part like `train` (its feedback and
/// scale); `origin` says where the knobs came from (a command line, the page's link), `k` is the
/// ranking metrics' cut-off.
pub fn script(
    tool: Tool,
    p: &TrainParams,
    train: &Ratings,
    k: usize,
    origin: &str,
) -> Result<String> {
    tool.check(p)?;
    let template = match tool {
        Tool::Pyspark => include_str!("pyspark.py"),
        Tool::Implicit => include_str!("implicit.py"),
        Tool::Surprise => include_str!("surprise.py"),
    };
    let implicit = p.optimizer.name() == Optimizer::ALS_IMPLICIT.name();
    let scale = train.scale();
    let explicit = train.feedback() == Feedback::Explicit;
    Ok(template
        .replace("{COMMAND}", origin)
        .replace("{RANK}", &p.n_factors.to_string())
        .replace("{MAX_ITER}", &p.n_epochs.to_string())
        .replace("{LAMBDA}", &py(p.reg_factor))
        .replace("{LR}", &py(p.learning_rate))
        .replace("{INIT_STD}", &py(p.init_std))
        .replace("{BIASED}", if p.use_user_bias { "True" } else { "False" })
        .replace("{IMPLICIT}", if implicit { "True" } else { "False" })
        .replace("{ALPHA}", &py(p.alpha))
        .replace("{SEED}", &(p.seed % (1 << 31)).to_string())
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
        .replace("{K}", &k.to_string()))
}
