//! What the commands share: failures with their exit status, reading data and models.

use std::path::Path;

use mf_playground::data::parse::{read_item_titles, read_ratings, Layout, ReadOptions};
use mf_playground::data::text::Delimiter;
use mf_playground::data::{Feedback, Ratings, Scale};
use mf_playground::model_file::SavedModel;

use crate::args::{self, Args, Flag};

/// A failure: bad input (exit 2) or anything else (exit 1).
pub enum Fail {
    Input(String),
    Other(String),
}

impl From<String> for Fail {
    fn from(s: String) -> Self {
        Fail::Input(s)
    }
}

/// Flags that say how to read a ratings file.
pub const READ_FLAGS: [Flag; 6] = [
    args::value(
        "format",
        "auto | csv | tsv | movielens | dense (default auto)",
    ),
    args::value(
        "implicit-threshold",
        "ratings >= T become 1, others 0 (implicit feedback)",
    ),
    args::switch("zero-missing", "dense matrices: read 0 as no interaction"),
    args::value(
        "scale",
        "MIN..MAX: the ratings' scale; a value outside it is an error (default: detected)",
    ),
    args::value(
        "feedback",
        "explicit | implicit (default: implicit if every value is 0 or 1)",
    ),
    args::value("titles", "item titles: u.item, movies.dat or id,title CSV"),
];

pub fn read_options(a: &Args) -> Result<ReadOptions, Fail> {
    let mut o = ReadOptions::default();
    match a.str("format").unwrap_or("auto") {
        "auto" => {}
        "csv" => {
            o.layout = Some(Layout::Triplets);
            o.delimiter = Some(Delimiter::Comma);
        }
        "tsv" => {
            o.layout = Some(Layout::Triplets);
            o.delimiter = Some(Delimiter::Tab);
        }
        "movielens" => o.layout = Some(Layout::Triplets),
        "dense" => o.layout = Some(Layout::Dense),
        f => {
            return Err(Fail::Input(format!(
                "--format {f}: choose auto, csv, tsv, movielens or dense"
            )))
        }
    }
    o.implicit_threshold = a.get("implicit-threshold")?;
    o.zero_is_missing = a.has("zero-missing");
    if let Some(v) = a.str("scale") {
        let bad = || Fail::Input(format!("--scale {v}: write MIN..MAX, for example 1..5"));
        let (lo, hi) = v.split_once("..").ok_or_else(bad)?;
        let (min, max): (f32, f32) = (
            lo.trim().parse().map_err(|_| bad())?,
            hi.trim().parse().map_err(|_| bad())?,
        );
        if !(min.is_finite() && max.is_finite() && min < max) {
            return Err(bad());
        }
        o.scale = Some(Scale { min, max });
    }
    o.feedback = match a.str("feedback") {
        None => None,
        Some("explicit") => Some(Feedback::Explicit),
        Some("implicit") => Some(Feedback::Implicit),
        Some(f) => {
            return Err(Fail::Input(format!(
                "--feedback {f}: choose explicit or implicit"
            )))
        }
    };
    Ok(o)
}

fn read_bytes(path: &str) -> Result<Vec<u8>, Fail> {
    std::fs::read(path).map_err(|e| Fail::Input(format!("{path}: cannot read: {e}")))
}

/// Reads a ratings file; errors name the file, line and column.
pub fn load_ratings(path: &str, opts: &ReadOptions, titles: Option<&str>) -> Result<Ratings, Fail> {
    let bytes = read_bytes(path)?;
    let (mut r, _) = read_ratings(&bytes, opts).map_err(|e| Fail::Input(format!("{path}: {e}")))?;
    if let Some(t) = titles {
        let bytes = read_bytes(t)?;
        read_item_titles(&bytes, &mut r).map_err(|e| Fail::Input(format!("{t}: {e}")))?;
    }
    Ok(r)
}

pub fn load_model(path: &str) -> Result<SavedModel, Fail> {
    let bytes = read_bytes(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Fail::Input(format!("{path}: a model file is UTF-8 JSON")))?;
    SavedModel::from_json(&text).map_err(|e| Fail::Input(format!("{path}: {e}")))
}

/// The file name without its folders, for the model's data reference.
pub fn base_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

pub fn write(path: &Path, text: &str) -> Result<(), Fail> {
    std::fs::write(path, text)
        .map_err(|e| Fail::Other(format!("{}: cannot write: {e}", path.display())))
}

/// Prints help if asked and stops.
pub fn help(argv: &[String], summary: &str, flags: &[Flag]) -> bool {
    if argv.iter().any(|a| a == "--help" || a == "-h") {
        println!("{summary}\n\nflags:\n{}", args::usage(flags));
        true
    } else {
        false
    }
}
