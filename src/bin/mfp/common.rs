//! What the commands share: failures with their exit status, reading data and models.

use std::io::IsTerminal;
use std::path::Path;

use mf_playground::data::parse::{
    genre_features, read_features, read_item_metadata, read_ratings, Layout, ReadOptions,
};
use mf_playground::data::text::Delimiter;
use mf_playground::data::{Feedback, Ratings, Scale, Side};
use mf_playground::model_file::spark::{self, Notes};
use mf_playground::model_file::{Saved, SavedModel};

use clap::Args;

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

/// A bar on stderr for `len` steps of a long run, drawn only when stderr is a terminal and the
/// output is not JSON lines; lines printed through [`Progress::println`] go above it.
pub struct Progress(indicatif::ProgressBar);

impl Progress {
    pub fn new(len: usize, what: &str, json: bool) -> Progress {
        let bar = if json || !std::io::stderr().is_terminal() {
            indicatif::ProgressBar::hidden()
        } else {
            indicatif::ProgressBar::new(len as u64)
        };
        bar.set_style(
            indicatif::ProgressStyle::with_template(&format!(
                "{{bar:30}} {{pos}}/{{len}} {what}, {{elapsed}} gone, about {{eta}} left"
            ))
            .expect("a valid template"),
        );
        // Redrawn twice a second, so the time gone moves during a long step too.
        bar.enable_steady_tick(std::time::Duration::from_millis(500));
        Progress(bar)
    }

    pub fn println(&self, line: String) {
        self.0.suspend(|| println!("{line}"));
    }

    pub fn inc(&self) {
        self.0.inc(1);
    }

    pub fn finish(self) {
        self.0.finish_and_clear();
    }
}

/// Flags that say how to read a ratings file.
#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Reading the file")]
pub struct ReadArgs {
    /// How the file is laid out
    #[arg(long, default_value = "auto", value_parser = ["auto", "csv", "tsv", "movielens", "dense"])]
    pub format: String,
    /// Ratings >= T become 1, others 0 (implicit feedback)
    #[arg(long, allow_negative_numbers = true, value_name = "T")]
    pub implicit_threshold: Option<f32>,
    /// Dense matrices: read 0 as no interaction
    #[arg(long)]
    pub zero_missing: bool,
    /// The ratings' scale, MIN..MAX; a value outside it is an error [default: detected]
    #[arg(long, value_name = "MIN..MAX")]
    pub scale: Option<String>,
    /// Explicit ratings or implicit 0/1 [default: implicit if every value is 0 or 1]
    #[arg(long, value_parser = ["explicit", "implicit"])]
    pub feedback: Option<String>,
}

impl ReadArgs {
    pub fn options(&self) -> Result<ReadOptions, Fail> {
        let mut o = ReadOptions::default();
        match self.format.as_str() {
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
            _ => {}
        }
        o.implicit_threshold = self.implicit_threshold;
        o.zero_is_missing = self.zero_missing;
        if let Some(v) = &self.scale {
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
        o.feedback = match self.feedback.as_deref() {
            Some("explicit") => Some(Feedback::Explicit),
            Some("implicit") => Some(Feedback::Implicit),
            _ => None,
        };
        Ok(o)
    }

    /// Reads a ratings file with these options, and a titles file if given.
    pub fn load(&self, path: &str, titles: Option<&str>) -> Result<Ratings, Fail> {
        load_ratings(path, &self.options()?, titles)
    }
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
        let (_, genres) =
            read_item_metadata(&bytes, &mut r).map_err(|e| Fail::Input(format!("{t}: {e}")))?;
        genre_features(&mut r, &genres).map_err(|e| Fail::Input(format!("{t}: {e}")))?;
    }
    Ok(r)
}

/// Reads a features file for `data`'s users or items, and says on stderr what it found.
pub fn load_features(data: &mut Ratings, path: &str, side: Side) -> Result<(), Fail> {
    let bytes = read_bytes(path)?;
    let f = read_features(&bytes, data, side).map_err(|e| Fail::Input(format!("{path}: {e}")))?;
    let columns: Vec<String> = f
        .columns
        .iter()
        .map(|c| format!("{} ({}, {})", c.name, c.kind, c.distinct))
        .collect();
    eprintln!(
        "mfp: {path}: {} of {} {}s have features, {} in all, read as {}: {}{}",
        f.matrix.rows_with_features(),
        f.matrix.n_rows(),
        side.name(),
        f.matrix.n_features(),
        f.format,
        columns.join(", "),
        match f.unmatched {
            0 => String::new(),
            n => format!("; {n} lines of ids the ratings do not have, skipped"),
        }
    );
    data.set_features(side, Some(std::sync::Arc::new(f.matrix)))
        .map_err(|e| Fail::Input(format!("{path}: {e}")))
}

/// Reads a model file (or the model a run keeps), or a Spark `ALSModel` folder with `ratings` (the file whose ids it was
/// trained on, read with these options): see [`spark_model`].
pub fn load_model(path: &str, ratings: Option<(&str, &ReadArgs)>) -> Result<Saved, Fail> {
    if std::path::Path::new(path).is_dir() {
        let Some((file, read)) = ratings else {
            return Err(Fail::Input(format!(
                "{path}: a Spark model folder needs the ratings file whose ids it was trained on \
                 (--train FILE), or convert it once: mfp import-spark {path} --train FILE --out model.json"
            )));
        };
        let data = read.load(file, None)?;
        let (saved, notes) = spark_model(path, &data, None, &base_name(file))?;
        for n in notes.0 {
            eprintln!("mfp: {n}");
        }
        return Ok(Saved::Mf(saved));
    }
    let bytes = read_bytes(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Fail::Input(format!("{path}: a model file is UTF-8 JSON")))?;
    // A run (mfp train --run-out) opens as the model it keeps.
    let text = if mf_playground::run::Run::is_run(&text) {
        mf_playground::run::Run::read(&text)
            .and_then(|r| r.model_json())
            .map_err(|e| Fail::Input(format!("{path}: {e}")))?
    } else {
        text
    };
    Saved::from_json(&text).map_err(|e| Fail::Input(format!("{path}: {e}")))
}

/// A Spark `ALSModel` folder on `data`'s users and items (see `model_file::spark`).
pub fn spark_model(
    dir: &str,
    data: &Ratings,
    implicit: Option<bool>,
    name: &str,
) -> Result<(SavedModel, Notes), Fail> {
    let m = spark::files::read_dir(std::path::Path::new(dir))
        .map_err(|e| Fail::Input(e.to_string()))?;
    m.to_saved(data, implicit, name)
        .map_err(|e| Fail::Input(format!("{dir}: {e}")))
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
