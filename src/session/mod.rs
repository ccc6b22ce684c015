//! The playground's state machine: one data set, its train/test split and, once configured, a
//! trainer on it, with everything the page asks of them.
//!
//! This is plain Rust, tested natively and fuzzed as sequences of calls (`fuzz/`); the binding
//! layer (`src/wasm/`) only converts its arguments and results to and from JavaScript. The
//! page's size [`Limits`] are enforced here, so an oversized file or model gets a clear message
//! instead of exhausting the tab's memory.
//!
//! Ownership does the resetting: everything that depends on the loaded data (the model and its
//! split, the race, cross-validation, the sweep, the explicit ratings behind a 0/1 threshold) is
//! owned by one [`Loaded`] value, so loading other data drops it all by construction. One file
//! per feature:
//!
//! | file | what |
//! |---|---|
//! | `mod.rs` | the session, loading data, editing it |
//! | `fit.rs` | the model: configure, train, early stopping, hyper-parameters |
//! | `views.rs` | matrices, explanations, embeddings, recommendations, fold-in |
//! | `evaluate.rs` | the evaluation table (model and baselines) |
//! | `features.rs` | the users' and the items' features |
//! | `threshold.rs` | explicit ratings shown as 0/1 |
//! | `race.rs`, `cv.rs`, `sweep.rs`, `lab.rs` | the studies |
//! | `files.rs` | model files, Projector TSV, CSV exports |
//! | `protocol.rs` | the requests the page makes, with what each does to this state |

mod cv;
pub mod dto;
mod evaluate;
mod features;
mod files;
mod fit;
mod lab;
mod limits;
mod map;
pub mod protocol;
mod race;
mod runs;
mod sweep;
mod test_file;
mod threshold;
mod views;

use crate::data::parse::{
    genre_features, genre_names, preview_rows, read_item_metadata, read_item_metadata_named,
    read_ratings, read_ratings_with_progress, ReadOptions,
};
use crate::data::split::Holdout;
use crate::data::{builtin, Ratings};
use crate::error::{Error, Result};
use crate::fit::Fitted;
use crate::model::MfModel;
use crate::synthetic::{generate, SyntheticParams};
use crate::train::Clock;

pub use dto::{
    DataSummary, Embeddings, EpochDto, EvalRow, Evaluation, Groups, Preview, RaceLap,
    Recommendations, Scored, Versus,
};
pub use features::{FeatureSummary, FeaturesRead, SideSummary};
pub use fit::EarlyStopping;
pub use lab::{LabRounds, LabSetup, WorldSource};
pub use limits::Limits;
pub use map::{MapRequest, MapStarted, MapStep, MAX_MAP_POINTS};
pub use runs::{Opened, RunRequest};
pub use sweep::SweepFronts;
pub use test_file::TestSummary;

/// A data set, its train/test split and, once configured, a trainer on it.
pub struct Session {
    limits: Limits,
    clock: Option<Clock>,
    /// A file read by [`Session::preview_bytes`], waiting for [`Session::commit_preview`].
    /// The previewed data, its genre groups and the titles file read with it.
    pending: Option<(Ratings, Option<Groups>, Option<Vec<u8>>)>,
    /// The loaded data and all that depends on it.
    loaded: Option<Loaded>,
    /// The exploration lab's policy comparison and its A/B test, each kept while the other
    /// runs. Their worlds are their own (generated, or a copy of a model), so they do not
    /// depend on the loaded data and outlive it.
    lab: Option<lab::LabRun>,
    ab_test: Option<lab::LabRun>,
}

/// The loaded data and everything that depends on it: dropped together when other data comes.
struct Loaded {
    data: Ratings,
    groups: Option<Groups>,
    /// The generating model of generated data.
    truth: Option<MfModel>,
    /// The explicit data behind a 0/1 threshold, while one shows it as 0/1.
    explicit: Option<Explicit>,
    /// How the test part is held out of the data (when there is no test file).
    holdout: Holdout,
    /// A separate test file, in place of a held-out part.
    test_file: Option<test_file::TestFile>,
    /// The model, once configured.
    fit: Option<fit::Fit>,
    race: Option<race::Race>,
    cv: Option<cv::Cv>,
    sweep: Option<sweep::Sweep>,
    /// A t-SNE or UMAP map of the model's embeddings, in progress.
    map: Option<map::Layout>,
    /// The titles file last applied, kept so that genre names given after it (MovieLens's
    /// `u.genre`) can name its genre flags.
    titles: Option<Vec<u8>>,
    /// Genre names from a `u.genre` file, for `u.item`'s flags (else MovieLens's standard names).
    genre_names: Option<Vec<String>>,
}

/// Explicit ratings shown as 0/1: the ratings, their truth (generated data) and the threshold.
struct Explicit {
    ratings: Ratings,
    truth: Option<MfModel>,
    threshold: f32,
}

impl Loaded {
    fn new(data: Ratings, groups: Option<Groups>, truth: Option<MfModel>) -> Loaded {
        Loaded {
            data,
            groups,
            truth,
            explicit: None,
            holdout: Holdout::Random,
            test_file: None,
            fit: None,
            race: None,
            cv: None,
            sweep: None,
            map: None,
            titles: None,
            genre_names: None,
        }
    }

    fn summary(&self) -> DataSummary {
        DataSummary::of(&self.data, self.groups.as_ref(), self.truth.is_some())
    }
}

impl Session {
    /// An empty session with these limits; `clock` (milliseconds) times the epochs.
    pub fn new(limits: Limits, clock: Option<Clock>) -> Session {
        Session {
            limits,
            clock,
            pending: None,
            loaded: None,
            lab: None,
            ab_test: None,
        }
    }

    /// Loads a built-in data set, dropping any model.
    pub fn load_builtin(&mut self, name: &str) -> Result<DataSummary> {
        let data = builtin::by_name(name)?;
        self.replace_data(data, None, None)
    }

    /// Generates a synthetic data set with planted genres; the truth stays available.
    pub fn generate(&mut self, p: &SyntheticParams) -> Result<DataSummary> {
        let s = generate(p)?;
        let groups = Groups {
            names: s.cluster_names.clone(),
            items: s.item_cluster.iter().map(|&g| g as i32).collect(),
            users: Some(s.user_cluster.iter().map(|&g| g as i32).collect()),
        };
        self.replace_data(s.ratings, Some(groups), Some(s.truth))
    }

    /// Reads a file's bytes without loading it: what was detected, the first rows and the
    /// statistics, for the page to show before the user confirms with `commit_preview`. The
    /// current data and model are untouched, whatever happens.
    pub fn preview_bytes(
        &mut self,
        bytes: &[u8],
        opts: &ReadOptions,
        titles: Option<&[u8]>,
        progress: &mut dyn FnMut(f64),
    ) -> Result<Preview> {
        self.pending = None;
        let (mut data, detected) = read_ratings_with_progress(bytes, opts, progress)?;
        self.limits.check_data(&data)?;
        let groups = match titles {
            Some(t) => Some(with_titles(&mut data, not_genres(t)?, None)?.1),
            None => None,
        };
        let preview = Preview {
            detected: detected.clone(),
            rows: preview_rows(bytes, &detected, 8),
            summary: DataSummary::of(&data, groups.as_ref(), false),
        };
        self.pending = Some((data, groups, titles.map(<[u8]>::to_vec)));
        Ok(preview)
    }

    /// Loads the data of the last preview, dropping the model.
    pub fn commit_preview(&mut self) -> Result<DataSummary> {
        let (data, groups, titles) = self
            .pending
            .take()
            .ok_or_else(|| Error::NotReady("there is no previewed file to load".into()))?;
        let summary = self.replace_data(data, groups.filter(|g| !g.names.is_empty()), None)?;
        self.loaded_mut()?.titles = titles;
        Ok(summary)
    }

    /// Reads and loads a file at once (with an optional titles file, whose genres come from
    /// `u.item`'s flags or a third field that lists them, as `movies.dat` does).
    pub fn load_bytes(
        &mut self,
        bytes: &[u8],
        opts: &ReadOptions,
        titles: Option<&[u8]>,
    ) -> Result<DataSummary> {
        let (mut data, _) = read_ratings(bytes, opts)?;
        self.limits.check_data(&data)?;
        let groups = match titles {
            Some(t) => Some(with_titles(&mut data, not_genres(t)?, None)?.1),
            None => None,
        };
        let summary = self.replace_data(data, groups.filter(|g| !g.names.is_empty()), None)?;
        self.loaded_mut()?.titles = titles.map(<[u8]>::to_vec);
        Ok(summary)
    }

    /// Sets (or, with `None`, removes) one rating, keeping the model: training continues on the
    /// edited data. An edited cell belongs to the training part from then on.
    pub fn set_rating(
        &mut self,
        user: usize,
        item: usize,
        value: Option<f32>,
    ) -> Result<DataSummary> {
        let l = self.loaded_mut()?;
        let data = l.data.with_cell(user, item, value)?;
        if let Some(f) = l.fit.as_mut() {
            f.set_rating(user, item, value)?;
        }
        l.data = data;
        Ok(l.summary())
    }

    /// Applies an item-titles file (`u.item`, `movies.dat`, `id,title`) to the loaded data: its
    /// titles and genres, keeping the model (titles do not change what it learns): for a titles
    /// file given after its ratings. A MovieLens `u.genre` file names `u.item`'s genre flags,
    /// given before or after it. A bad file changes nothing.
    pub fn set_titles(&mut self, titles: &[u8]) -> Result<DataSummary> {
        // MovieLens's u.genre names the genre flags of u.item: kept, and applied to the titles
        // file given before it, if any.
        if let Some(names) = genre_names(titles) {
            let l = self.loaded_mut()?;
            l.genre_names = Some(names?);
            return match l.titles.clone() {
                Some(t) => self.set_titles(&t),
                None => Ok(l.summary()),
            };
        }
        let l = self.loaded_mut()?;
        let names = l.genre_names.clone();
        let mut data = l.data.clone();
        let (n, groups) = with_titles(&mut data, titles, names.as_deref())?;
        if n == 0 {
            return Err(Error::invalid(
                "titles",
                "the file",
                "names none of the loaded data's items: give the titles of the ratings loaded \
                 (u.item for u.data, movies.dat for ratings.dat)",
            ));
        }
        if let Some(e) = l.explicit.as_mut() {
            // The ratings behind a 0/1 threshold have the same items: their titles too.
            with_titles(&mut e.ratings, titles, names.as_deref())?;
        }
        l.data = data;
        l.titles = Some(titles.to_vec());
        if !groups.names.is_empty() {
            l.groups = Some(groups);
        }
        Ok(l.summary())
    }

    /// The loaded ratings as `user,item,rating` CSV.
    pub fn ratings_csv(&self) -> Result<String> {
        Ok(self.data_ref()?.to_csv())
    }

    /// `(n_users, n_items)` of the loaded data.
    pub fn shape(&self) -> Result<(usize, usize)> {
        let d = self.data_ref()?;
        Ok((d.n_users(), d.n_items()))
    }

    /// Loads `data` in place of the current data and everything that depended on it.
    fn replace_data(
        &mut self,
        data: Ratings,
        groups: Option<Groups>,
        truth: Option<MfModel>,
    ) -> Result<DataSummary> {
        self.limits.check_data(&data)?;
        let loaded = Loaded::new(data, groups, truth);
        let summary = loaded.summary();
        self.loaded = Some(loaded);
        Ok(summary)
    }

    /// A trainer of the family `params` names, within the page's limits, on the host's clock.
    fn new_trainer(&self, train: Ratings, params: crate::train::TrainParams) -> Result<Fitted> {
        self.limits.check_model(&train, &params)?;
        let mut t = Fitted::new(train, params)?;
        if let Some(c) = self.clock {
            t.set_clock(c);
        }
        Ok(t)
    }

    fn loaded(&self) -> Result<&Loaded> {
        self.loaded
            .as_ref()
            .ok_or_else(|| Error::NotReady("no data set is loaded".into()))
    }

    fn loaded_mut(&mut self) -> Result<&mut Loaded> {
        self.loaded
            .as_mut()
            .ok_or_else(|| Error::NotReady("no data set is loaded".into()))
    }

    fn data_ref(&self) -> Result<&Ratings> {
        Ok(&self.loaded()?.data)
    }
}

/// The titles file, unless it is a genre list (u.genre), which names the flags of a titles file
/// and is given after it.
fn not_genres(titles: &[u8]) -> Result<&[u8]> {
    match genre_names(titles) {
        Some(_) => Err(Error::invalid(
            "titles",
            "a genre list (u.genre)",
            "give the titles (u.item) with the ratings; the genre list can follow them",
        )),
        None => Ok(titles),
    }
}

/// Applies a titles file, its genre flags named by `names` (a u.genre file's) or MovieLens's
/// standard names; returns how many items got a title and the genre groups it names (each
/// item's first genre). Every genre of every item becomes the items' features.
fn with_titles(
    data: &mut Ratings,
    titles: &[u8],
    names: Option<&[String]>,
) -> Result<(usize, Groups)> {
    let (n, genres) = match names {
        Some(names) => {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            read_item_metadata_named(titles, data, &names)?
        }
        None => read_item_metadata(titles, data)?,
    };
    genre_features(data, &genres)?;
    let first: Vec<Option<String>> = genres.iter().map(|g| g.first().cloned()).collect();
    Ok((n, Groups::from_labels(&first)))
}

#[cfg(test)]
mod feature_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod run_tests;
#[cfg(test)]
mod neural_tests;
