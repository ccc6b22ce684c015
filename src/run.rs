//! A finished training kept as a **run**: its knobs, which data and which test part it had, its
//! curves, its final metrics, each test user's own figures, and the model when it is small
//! enough. Two runs on the same data and test part can be compared user by user
//! ([`compare`]): the paired bootstrap interval of the mean difference and the Wilcoxon
//! signed-rank test ([`crate::metrics::paired`]). `mfp train --run-out` writes a run and `mfp
//! compare` reads two; the format is JSON, `{"format": "mfp-run", "version": 1, ...}`.

use serde::{Deserialize, Serialize};

use crate::data::Ratings;
use crate::error::{Error, Result};
use crate::fit::Fitted;
use crate::metrics::paired::{self, Paired};
use crate::metrics::RankingReport;
use crate::train::TrainParams;

/// The format's name and version, first in every file.
pub const FORMAT: &str = "mfp-run";
pub const VERSION: u32 = 1;

/// Models whose file is larger than this many bytes are left out of a run (the rest is kept).
pub const MODEL_BUDGET: usize = 8 << 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub format: String,
    pub version: u32,
    /// What a person calls it (the family, the loss, the factors...).
    pub name: String,
    pub params: TrainParams,
    pub data: DataRef,
    pub split: SplitRef,
    /// One point per epoch.
    pub curves: Vec<Epoch>,
    /// Final figures by name (`train_rmse`, `test_rmse`, `ndcg_at_10`...), as `mfp train`
    /// prints them.
    pub metrics: serde_json::Map<String, serde_json::Value>,
    pub per_user: PerUser,
    /// The model file, when it fits [`MODEL_BUDGET`].
    pub model: Option<serde_json::Value>,
    /// The page's knobs when the page made the run (its link's settings: the split, the
    /// evaluation's cut-off...), so that reopening it there sets them all; `mfp` writes none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub knobs: Option<serde_json::Value>,
}

/// The model file `file` as a run keeps it: whole when it is at most [`MODEL_BUDGET`] bytes,
/// else none.
pub fn kept_model(file: &str) -> Option<serde_json::Value> {
    (file.len() <= MODEL_BUDGET)
        .then(|| serde_json::from_str(file).ok())
        .flatten()
}

/// Several runs in one file, as the page exports them: `{"format": "mfp-runs", "version": 1,
/// "runs": [...]}`.
pub const MANY_FORMAT: &str = "mfp-runs";

/// What a person calls a run of `params` trained for `epochs` epochs.
pub fn default_name(params: &TrainParams, epochs: usize) -> String {
    format!(
        "{} {}, k = {}, {} epochs",
        params.family.name(),
        params.loss.name(),
        params.n_factors,
        epochs
    )
}

/// An f32 as its shortest decimal (0.1, not 0.10000000149011612); JSON has no NaN, so a
/// diverged number becomes null.
pub fn num(v: f32) -> serde_json::Value {
    if v.is_finite() {
        serde_json::json!(v.to_string().parse::<f64>().unwrap_or(v as f64))
    } else {
        serde_json::Value::Null
    }
}

/// The ranking figures at `k` of a report, under the names `mfp train` prints and a run keeps
/// (`precision_at_10`, `ndcg_at_10_cold_users`, `tail_share`...).
pub fn ranking_figures(m: &RankingReport) -> serde_json::Map<String, serde_json::Value> {
    let k = m.k;
    let opt = |v: Option<f32>| v.map_or(serde_json::Value::Null, num);
    let mut out = serde_json::Map::new();
    out.insert(format!("precision_at_{k}"), num(m.precision));
    out.insert(format!("recall_at_{k}"), num(m.recall));
    out.insert(format!("ndcg_at_{k}"), num(m.ndcg));
    out.insert(format!("map_at_{k}"), num(m.map));
    out.insert("auc".into(), num(m.auc));
    out.insert("coverage".into(), num(m.coverage));
    // Slices: NDCG by the users' activity (thirds), recall of head and tail items.
    out.insert(format!("ndcg_at_{k}_cold_users"), opt(m.ndcg_cold));
    out.insert(format!("ndcg_at_{k}_medium_users"), opt(m.ndcg_medium));
    out.insert(format!("ndcg_at_{k}_heavy_users"), opt(m.ndcg_heavy));
    out.insert(format!("recall_at_{k}_head_items"), opt(m.recall_head));
    out.insert(format!("recall_at_{k}_tail_items"), opt(m.recall_tail));
    out.insert("tail_share".into(), num(m.tail_share));
    out.insert("popularity".into(), num(m.popularity));
    out
}

/// The data a run was trained on: its name and [`Ratings::fingerprint`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataRef {
    pub name: String,
    pub fingerprint: String,
    pub n_ratings: usize,
}

impl DataRef {
    /// `data`, called `name`.
    pub fn of(name: String, data: &Ratings) -> DataRef {
        DataRef {
            name,
            fingerprint: data.fingerprint(),
            n_ratings: data.len(),
        }
    }
}

/// How the test part was made, in words a person reads and that two runs must share to be
/// compared user by user (`"random 0.2, seed 42"`, `"test file t.csv"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SplitRef {
    pub description: String,
    /// The training part's and the test part's fingerprints.
    pub train: String,
    pub test: String,
}

impl SplitRef {
    /// The parts `train` and `test` (none: no test part), made as `description` says.
    pub fn of(description: String, train: &Ratings, test: Option<&Ratings>) -> SplitRef {
        SplitRef {
            description,
            train: train.fingerprint(),
            test: test.map_or_else(String::new, Ratings::fingerprint),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Epoch {
    pub epoch: usize,
    pub loss: Option<f32>,
    pub train_rmse: Option<f32>,
    pub test_rmse: Option<f32>,
    pub seconds: f64,
}

/// Each test user's own figures: RMSE over their test ratings (explicit data), and at `k` the
/// NDCG and recall of their ranking (users with a relevant test item); `None` where a figure
/// does not apply to the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PerUser {
    pub k: usize,
    pub users: Vec<String>,
    pub rmse: Vec<Option<f64>>,
    pub ndcg: Vec<Option<f64>>,
    pub recall: Vec<Option<f64>>,
}

impl PerUser {
    /// No user's figures (there was no test part to rank), at cut-off `k`.
    pub fn none(k: usize) -> PerUser {
        PerUser {
            k,
            users: Vec::new(),
            rmse: Vec::new(),
            ndcg: Vec::new(),
            recall: Vec::new(),
        }
    }

    /// The figures of `fitted` on `test`, the users in index order; the ranking's are those of
    /// `ranked` ([`crate::metrics::ranking_in`]'s report of the same model on the same parts).
    pub fn of(fitted: &Fitted, train: &Ratings, test: &Ratings, ranked: &RankingReport) -> PerUser {
        let n = train.n_users();
        let mut sq = vec![(0.0f64, 0usize); n];
        if test.feedback() == crate::data::Feedback::Explicit {
            for j in 0..test.len() {
                let (u, i, r) = test.get(j);
                let e = (fitted.predict(u, i) - r) as f64;
                sq[u].0 += e * e;
                sq[u].1 += 1;
            }
        }
        let mut ndcg = vec![None; n];
        let mut recall = vec![None; n];
        for &(u, m) in &ranked.by_user {
            ndcg[u] = Some(m.ndcg);
            recall[u] = Some(m.recall);
        }
        let keep: Vec<usize> = (0..n)
            .filter(|&u| sq[u].1 > 0 || ndcg[u].is_some())
            .collect();
        PerUser {
            k: ranked.k,
            users: keep.iter().map(|&u| train.user_ids()[u].clone()).collect(),
            rmse: keep
                .iter()
                .map(|&u| (sq[u].1 > 0).then(|| (sq[u].0 / sq[u].1 as f64).sqrt()))
                .collect(),
            ndcg: keep.iter().map(|&u| ndcg[u]).collect(),
            recall: keep.iter().map(|&u| recall[u]).collect(),
        }
    }
}

impl Run {
    /// Reads a run file, saying what is wrong with one that is not a run of this version.
    pub fn read(text: &str) -> Result<Run> {
        let v: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::invalid("run", "the file", format!("is not JSON: {e}")))?;
        match v.get("format").and_then(|f| f.as_str()) {
            Some(FORMAT) => {}
            _ => {
                return Err(Error::invalid(
                    "run",
                    "the file",
                    "is not an mfp run (it has no \"format\": \"mfp-run\")",
                ))
            }
        }
        let version = v.get("version").and_then(|x| x.as_u64()).unwrap_or(0);
        if version != VERSION as u64 {
            return Err(Error::invalid(
                "run",
                format!("version {version}"),
                format!("this mfp reads runs of version {VERSION}"),
            ));
        }
        serde_json::from_value(v)
            .map_err(|e| Error::invalid("run", "the file", format!("is not a whole run: {e}")))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a run serialises")
    }

    /// Reads a run file or a file of runs ([`MANY_FORMAT`]), saying which run is wrong in one
    /// that holds a bad one.
    pub fn read_many(text: &str) -> Result<Vec<Run>> {
        #[derive(Deserialize)]
        struct Many {
            format: Option<String>,
            version: Option<u64>,
            runs: Option<Vec<serde_json::Value>>,
        }
        let many: Many = serde_json::from_str(text)
            .map_err(|e| Error::invalid("runs", "the file", format!("is not JSON: {e}")))?;
        if many.format.as_deref() != Some(MANY_FORMAT) {
            return Ok(vec![Run::read(text)?]);
        }
        if many.version != Some(VERSION as u64) {
            return Err(Error::invalid(
                "runs",
                format!("version {}", many.version.unwrap_or(0)),
                format!("this mfp reads runs of version {VERSION}"),
            ));
        }
        let runs = many
            .runs
            .ok_or_else(|| Error::invalid("runs", "the file", "has no \"runs\" list"))?;
        runs.iter()
            .enumerate()
            .map(|(j, v)| {
                Run::read(&v.to_string()).map_err(|e| {
                    Error::invalid(
                        "runs",
                        format!("run {} of {}", j + 1, runs.len()),
                        e.to_string(),
                    )
                })
            })
            .collect()
    }

    /// Several runs as one file ([`MANY_FORMAT`]).
    pub fn write_many(runs: &[Run]) -> String {
        serde_json::to_string(&serde_json::json!({
            "format": MANY_FORMAT,
            "version": VERSION,
            "runs": runs,
        }))
        .expect("runs serialise")
    }

    /// Whether `text` is a run (its `format` says so), without reading the rest.
    pub fn is_run(text: &str) -> bool {
        #[derive(Deserialize)]
        struct Tag {
            format: Option<String>,
        }
        serde_json::from_str::<Tag>(text).is_ok_and(|t| t.format.as_deref() == Some(FORMAT))
    }

    /// The model file the run keeps, to open as any model file is opened.
    pub fn model_json(&self) -> Result<String> {
        self.model.as_ref().map(|m| m.to_string()).ok_or_else(|| {
            Error::invalid(
                "run",
                &self.name,
                format!(
                    "kept no model (its file was over {} MB): train it again with --save",
                    MODEL_BUDGET >> 20
                ),
            )
        })
    }
}

/// Two runs' per-user figures compared metric by metric (`b - a`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    pub a: String,
    pub b: String,
    pub k: usize,
    /// `(metric, comparison)`: `rmse`, `ndcg@k`, `recall@k`, those both runs have.
    pub metrics: Vec<(String, Paired)>,
}

/// Compares runs `a` and `b` user by user. Refused, with the reason, when they were trained on
/// different data or tested on different test parts (their users' figures do not pair), or
/// when their ranking figures are at different `k`.
pub fn compare(a: &Run, b: &Run, rounds: usize, seed: u64) -> Result<Comparison> {
    let refuse = |why: String| {
        Err(Error::invalid(
            "compare",
            format!("{} and {}", a.name, b.name),
            why,
        ))
    };
    if a.data.fingerprint != b.data.fingerprint {
        return refuse(format!(
            "were trained on different data ({}, fingerprint {}; {}, fingerprint {}): their users' figures do not pair",
            a.data.name, a.data.fingerprint, b.data.name, b.data.fingerprint
        ));
    }
    if a.split.test != b.split.test || a.split.train != b.split.train {
        return refuse(format!(
            "were tested on different test parts ({}; {}): train both with the same split and seed",
            a.split.description, b.split.description
        ));
    }
    if a.per_user.k != b.per_user.k {
        return refuse(format!(
            "measured their rankings at k = {} and k = {}",
            a.per_user.k, b.per_user.k
        ));
    }
    let at_b: std::collections::HashMap<&str, usize> = b
        .per_user
        .users
        .iter()
        .enumerate()
        .map(|(j, u)| (u.as_str(), j))
        .collect();
    let k = a.per_user.k;
    let mut metrics = Vec::new();
    type Column = fn(&PerUser) -> &Vec<Option<f64>>;
    let columns: [(String, Column); 3] = [
        ("rmse".into(), |p| &p.rmse),
        (format!("ndcg@{k}"), |p| &p.ndcg),
        (format!("recall@{k}"), |p| &p.recall),
    ];
    for (name, column) in columns {
        let (xa, xb) = (column(&a.per_user), column(&b.per_user));
        let (mut va, mut vb) = (Vec::new(), Vec::new());
        for (j, u) in a.per_user.users.iter().enumerate() {
            if let (Some(x), Some(&jb)) = (xa[j], at_b.get(u.as_str())) {
                if let Some(y) = xb[jb] {
                    va.push(x);
                    vb.push(y);
                }
            }
        }
        if !va.is_empty() {
            metrics.push((name, paired::compare(&va, &vb, rounds, seed)?));
        }
    }
    if metrics.is_empty() {
        return refuse("share no test user with a figure in both".into());
    }
    Ok(Comparison {
        a: a.name.clone(),
        b: b.name.clone(),
        k,
        metrics,
    })
}

/// Two runs' maps of the same items (or users): each run's PCA map, and B's turned onto A's
/// (orthogonal Procrustes), so what still differs is what truly moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MapsCompared {
    pub side: &'static str,
    pub labels: Vec<String>,
    /// Row-major `(n, 2)`: A's map, B's own and B's turned onto A's.
    pub a: Vec<f32>,
    pub b: Vec<f32>,
    pub b_turned: Vec<f32>,
    /// The root mean square distance between the same points, before and after the turn.
    pub rms_before: f32,
    pub rms_after: f32,
    /// The rows that moved most after the turn, farthest first: `(row, distance)`.
    pub moved: Vec<(usize, f32)>,
}

/// The maps of `side` (`"items"` or `"users"`) of runs `a` and `b`, which must both keep their
/// model and have been trained on the same data.
pub fn compare_maps(a: &Run, b: &Run, side: &str) -> Result<MapsCompared> {
    if a.data.fingerprint != b.data.fingerprint {
        return Err(Error::invalid(
            "maps",
            format!("{} and {}", a.name, b.name),
            "were trained on different data: their items are not the same points",
        ));
    }
    let saved = |r: &Run| crate::model_file::Saved::from_json(&r.model_json()?);
    let (sa, sb) = (saved(a)?, saved(b)?);
    let items = match side {
        "items" => true,
        "users" => false,
        other => return Err(Error::invalid("side", other, "choose items or users")),
    };
    let (ta, tb) = (sa.embedding_tables(), sb.embedding_tables());
    let (xa, xb) = if items { (ta.1, tb.1) } else { (ta.0, tb.0) };
    if xa.nrows() != xb.nrows() {
        return Err(Error::invalid(
            "maps",
            format!("{} and {} rows", xa.nrows(), xb.nrows()),
            "the two models do not have the same points",
        ));
    }
    let pa = crate::project::project_2d(&xa).coords;
    let pb = crate::project::project_2d(&xb).coords;
    let (turned, after) = crate::layout::align(&pb, &pa);
    let mut moved: Vec<(usize, f32)> = (0..pa.len() / 2)
        .map(|r| {
            let d = ((turned[2 * r] - pa[2 * r]).powi(2)
                + (turned[2 * r + 1] - pa[2 * r + 1]).powi(2))
            .sqrt();
            (r, d)
        })
        .collect();
    moved.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    moved.truncate(10);
    Ok(MapsCompared {
        side: if items { "items" } else { "users" },
        labels: if items {
            sa.item_labels().to_vec()
        } else {
            sa.user_ids().to_vec()
        },
        rms_before: crate::layout::procrustes::rms(&pb, &pa),
        rms_after: after,
        a: pa,
        b: pb,
        b_turned: turned,
        moved,
    })
}
