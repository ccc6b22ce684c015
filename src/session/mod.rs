//! The playground's state machine: one data set, its train/test split and, once configured, a
//! trainer on it, with everything the page asks of them.
//!
//! This is plain Rust, tested natively and fuzzed as sequences of calls (`fuzz/`); the binding
//! layer ([`crate::wasm`]) only converts its arguments and results to and from JavaScript.
//! The page's size [`Limits`] are enforced here, so an oversized file or model gets a clear
//! message instead of exhausting the tab's memory.

pub mod dto;

use crate::baseline::{Baseline, BaselineKind};
use crate::cv::FoldResult;
use crate::data::parse::{
    preview_rows, read_item_metadata, read_ratings, read_ratings_with_progress, ReadOptions,
};
use crate::data::split::{holdout, Split};
use crate::data::synthetic::{generate, SyntheticParams};
use crate::data::{builtin, Feedback, Ratings};
use crate::error::{Error, Result};
use crate::lab::{ab, Lab, LabConfig, Policy, World};
use crate::metrics::accuracy;
use crate::model::{Explanation, MfModel, Similarity};
use crate::model_file::{DataRef, Projector, SavedModel};
use crate::project::project_2d;
use crate::sweep::{pareto_front, run_point, SweepGrid, SweepPoint};
use crate::train::{Clock, EpochReport, Loss, Optimizer, TrainParams, Trainer};
use crate::view;

pub use dto::{
    DataSummary, Embeddings, EpochDto, EvalRow, Evaluation, Groups, Preview, RaceLap,
    Recommendations, Scored,
};

/// The largest data and model the page takes. A wasm32 tab has at most 4 GiB of memory and the
/// page keeps the data, a training copy, a test part and the optimiser's state; these bounds
/// keep the worst case near 1 GiB. The command line has no such limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    pub max_users: usize,
    pub max_items: usize,
    pub max_ratings: usize,
    /// `(users + items) x (factors + 1)`: factors and biases.
    pub max_parameters: usize,
}

impl Limits {
    /// The page's limits (also listed in the README).
    pub const PAGE: Limits = Limits {
        max_users: 1_000_000,
        max_items: 1_000_000,
        max_ratings: 10_000_000,
        max_parameters: 50_000_000,
    };

    /// No limits (native use).
    pub const NONE: Limits = Limits {
        max_users: usize::MAX,
        max_items: usize::MAX,
        max_ratings: usize::MAX,
        max_parameters: usize::MAX,
    };

    /// Checks a data set against the limits.
    pub fn check_data(&self, r: &Ratings) -> Result<()> {
        for (what, value, max) in [
            ("ratings", r.len(), self.max_ratings),
            ("users", r.n_users(), self.max_users),
            ("items", r.n_items(), self.max_items),
        ] {
            if value > max {
                return Err(Error::TooLarge(format!(
                    "the data has {} {what}; the page takes at most {} (the mfp command line has no limit)",
                    thousands(value),
                    thousands(max)
                )));
            }
        }
        Ok(())
    }

    /// Checks the size of a model with `n_factors` factors on `r`.
    pub fn check_model(&self, r: &Ratings, n_factors: usize) -> Result<()> {
        let params = (r.n_users() + r.n_items()).saturating_mul(n_factors.saturating_add(1));
        if params > self.max_parameters {
            return Err(Error::TooLarge(format!(
                "{n_factors} factors make {} model parameters ((users + items) x (factors + 1)); \
                 the page takes at most {}: choose at most {} factors",
                thousands(params),
                thousands(self.max_parameters),
                (self.max_parameters / (r.n_users() + r.n_items()).max(1)).saturating_sub(1)
            )));
        }
        Ok(())
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (k, c) in s.chars().enumerate() {
        if k > 0 && (s.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A data set, its train/test split and, once configured, a trainer on it.
pub struct Session {
    limits: Limits,
    clock: Option<Clock>,
    data: Option<Ratings>,
    groups: Option<Groups>,
    truth: Option<MfModel>,
    pending: Option<(Ratings, Option<Groups>)>,
    test: Option<Ratings>,
    trainer: Option<Trainer>,
    /// The optimiser race: one trainer per optimiser on the same split, from the same seed.
    race: Vec<(&'static str, Trainer)>,
    race_test: Option<Ratings>,
    /// Cross-validation in progress: the parameters and the folds.
    cv: Option<(TrainParams, Vec<Split>)>,
    /// The exploration lab, and whether it is an A/B test.
    lab: Option<(Lab, bool)>,
    /// Early stopping of the current model, when asked for.
    early: Option<Early>,
    /// The explicit data (and its truth) while a threshold shows it as 0/1.
    explicit: Option<(Ratings, Option<MfModel>)>,
    /// The balance sweep in progress.
    sweep: Option<Sweep>,
}

/// Early stopping: a validation share of the training ratings, and how many epochs without a
/// better validation RMSE to wait.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EarlyStopping {
    pub validation: f64,
    pub patience: usize,
}

struct Early {
    validation: Ratings,
    patience: usize,
    /// The best epoch, its validation RMSE and its model.
    best: Option<(usize, f32, MfModel)>,
    stalled: usize,
}

struct Sweep {
    params: Vec<TrainParams>,
    train: Ratings,
    test: Ratings,
    results: Vec<Option<SweepPoint>>,
}

/// Which sweep points are on the Pareto fronts (test RMSE against size, against time).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SweepFronts {
    pub points: Vec<SweepPoint>,
    pub by_size: Vec<bool>,
    pub by_time: Vec<bool>,
}

/// Where the lab's world comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WorldSource {
    /// Its own generated world (users with strong tastes for genres; cold items included).
    Generated,
    /// The current trained model, treated as the truth.
    Model,
}

/// How to set up the lab.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct LabSetup {
    pub world: WorldSource,
    /// The generated world's size, genres and seed.
    pub world_users: usize,
    pub world_items: usize,
    pub world_genres: usize,
    pub world_seed: u64,
    /// Compare these policies, or with `ab`, test the first (A) against the second (B).
    pub policies: Vec<Policy>,
    pub ab: bool,
    pub config: LabConfig,
}

impl Default for LabSetup {
    fn default() -> Self {
        LabSetup {
            world: WorldSource::Generated,
            world_users: 100,
            world_items: 50,
            world_genres: 5,
            world_seed: 1,
            policies: vec![
                Policy::Greedy,
                Policy::EpsilonGreedy,
                Policy::Ucb,
                Policy::Thompson,
            ],
            ab: false,
            config: LabConfig::default(),
        }
    }
}

/// What the lab reports after some rounds: each round's figures per arm, and for an A/B test
/// the interval of B - A after each round.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabRounds {
    pub rounds: Vec<Vec<crate::lab::RoundStats>>,
    pub intervals: Option<Vec<Option<ab::Interval>>>,
}

impl Session {
    /// An empty session with these limits; `clock` (milliseconds) times the epochs.
    pub fn new(limits: Limits, clock: Option<Clock>) -> Session {
        Session {
            limits,
            clock,
            data: None,
            groups: None,
            truth: None,
            pending: None,
            test: None,
            trainer: None,
            race: Vec::new(),
            race_test: None,
            cv: None,
            lab: None,
            early: None,
            explicit: None,
            sweep: None,
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
            Some(t) => Some(with_titles(&mut data, t)?),
            None => None,
        };
        let preview = Preview {
            detected: detected.clone(),
            rows: preview_rows(bytes, &detected, 8),
            summary: DataSummary::of(&data, groups.as_ref(), false),
        };
        self.pending = Some((data, groups));
        Ok(preview)
    }

    /// Loads the data of the last preview, dropping the model.
    pub fn commit_preview(&mut self) -> Result<DataSummary> {
        let (data, groups) = self
            .pending
            .take()
            .ok_or_else(|| Error::NotReady("there is no previewed file to load".into()))?;
        self.replace_data(data, groups.filter(|g| !g.names.is_empty()), None)
    }

    /// Reads and loads a file at once (with an optional titles file whose third field lists
    /// genres, as MovieLens and MovieTweetings `movies.dat` do).
    pub fn load_bytes(
        &mut self,
        bytes: &[u8],
        opts: &ReadOptions,
        titles: Option<&[u8]>,
    ) -> Result<DataSummary> {
        let (mut data, _) = read_ratings(bytes, opts)?;
        self.limits.check_data(&data)?;
        let groups = match titles {
            Some(t) => Some(with_titles(&mut data, t)?),
            None => None,
        };
        self.replace_data(data, groups.filter(|g| !g.names.is_empty()), None)
    }

    /// Sets (or, with `None`, removes) one rating, keeping the model: training continues on the
    /// edited data. An edited cell belongs to the training part from then on.
    pub fn set_rating(
        &mut self,
        user: usize,
        item: usize,
        value: Option<f32>,
    ) -> Result<DataSummary> {
        let data = self.data_ref()?.with_cell(user, item, value)?;
        if let Some(t) = self.trainer.as_mut() {
            let train = t.data().with_cell(user, item, value)?;
            t.set_data(train)?;
            if let Some(test) = &self.test {
                // The cell leaves the test part, unless that would empty it.
                if let Ok(smaller) = test.with_cell(user, item, None) {
                    self.test = Some(smaller);
                }
            }
        }
        let summary = DataSummary::of(&data, self.groups.as_ref(), self.truth.is_some());
        self.data = Some(data);
        Ok(summary)
    }

    /// Builds a fresh model with the given parameters, holding out a seeded random
    /// `test_fraction` of the ratings (0 trains on everything).
    pub fn configure(&mut self, params: TrainParams, test_fraction: f64) -> Result<()> {
        self.configure_with(params, test_fraction, None)
    }

    /// [`Session::configure`], optionally with early stopping: a seeded `validation` share of
    /// the training ratings is held out too, each epoch reports its validation RMSE and the best
    /// epoch so far, and `stop` once `patience` epochs have passed without a better one.
    pub fn configure_with(
        &mut self,
        params: TrainParams,
        test_fraction: f64,
        early: Option<EarlyStopping>,
    ) -> Result<()> {
        let data = self.data_ref()?;
        self.limits.check_model(data, params.n_factors)?;
        let (mut train, test) = split_off(data.clone(), test_fraction, params.seed)?;
        let early = match early {
            None => None,
            Some(e) => {
                if !(e.validation > 0.0 && e.validation < 1.0) || e.patience == 0 {
                    return Err(Error::invalid(
                        "early_stopping",
                        format!("validation {}, patience {}", e.validation, e.patience),
                        "the validation share must lie between 0 and 1 and patience be at least 1",
                    ));
                }
                let s = holdout(&train, e.validation, params.seed ^ 0x7a11d)?;
                train = s.train;
                Some(Early {
                    validation: s.test,
                    patience: e.patience,
                    best: None,
                    stalled: 0,
                })
            }
        };
        let trainer = self.trainer(train, params)?;
        self.trainer = Some(trainer);
        self.test = test;
        self.early = early;
        Ok(())
    }

    /// Goes back to the best model early stopping kept; returns its epoch.
    pub fn restore_best(&mut self) -> Result<usize> {
        let best = self
            .early
            .as_mut()
            .and_then(|e| {
                e.stalled = 0;
                e.best.clone()
            })
            .ok_or_else(|| {
                Error::NotReady("no best epoch yet: train with early stopping first".into())
            })?;
        self.trainer_mut()?.restore(best.2, best.0)?;
        Ok(best.0)
    }

    /// An epoch's report with the test errors and, with early stopping, the validation RMSE,
    /// the best epoch so far and whether to stop.
    fn report(&mut self, r: EpochReport) -> EpochDto {
        let Session {
            trainer,
            test,
            early,
            ..
        } = self;
        let Some(t) = trainer.as_ref() else {
            return EpochDto::new(r, None);
        };
        let m = t.model();
        let acc = test.as_ref().map(|ts| accuracy(ts, |u, i| m.predict(u, i)));
        let mut dto = EpochDto::new(r, acc);
        if let Some(e) = early.as_mut() {
            let v = accuracy(&e.validation, |u, i| m.predict(u, i)).rmse;
            dto.validation_rmse = Some(v);
            if v.is_finite() && e.best.as_ref().is_none_or(|b| v < b.1) {
                e.best = Some((dto.epoch, v, m.clone()));
                e.stalled = 0;
            } else {
                e.stalled += 1;
            }
            dto.best_epoch = e.best.as_ref().map(|b| b.0);
            dto.stop = e.stalled >= e.patience;
        }
        dto
    }

    /// Changes hyper-parameters from the next epoch on, keeping the model.
    pub fn set_params(&mut self, params: TrainParams) -> Result<()> {
        self.trainer_mut()?.set_params(params)
    }

    /// Runs up to `n` epochs (stopping early on divergence) and returns their reports, each
    /// with the test RMSE and MAE when there is a test part.
    pub fn train_epochs(&mut self, n: u32) -> Result<Vec<EpochDto>> {
        self.trainer_mut()?;
        let mut out = Vec::with_capacity(n.min(10_000) as usize);
        for _ in 0..n {
            let r = self.trainer_mut()?.step();
            let dto = self.report(r);
            let end = dto.diverged || dto.stop;
            out.push(dto);
            if end {
                break;
            }
        }
        Ok(out)
    }

    /// True once `configure` has built a model.
    pub fn has_model(&self) -> bool {
        self.trainer.is_some()
    }

    /// Runs at most about `budget` rating updates (see [`Trainer::advance`]); returns the
    /// epoch's report (with test errors) when an epoch completes.
    pub fn advance(&mut self, budget: u32) -> Result<Option<EpochDto>> {
        let r = self.trainer_mut()?.advance(budget as usize);
        Ok(r.map(|r| self.report(r)))
    }

    /// True while an epoch is partly done.
    pub fn in_epoch(&self) -> bool {
        self.trainer.as_ref().is_some_and(|t| t.in_epoch())
    }

    /// Starts an optimiser race: SGD, Adam, RMSprop and ALS from the same initial factors on the
    /// same split (ALS fits squared error; the others the given loss). Returns their names.
    pub fn race_start(&mut self, params: TrainParams, test_fraction: f64) -> Result<Vec<String>> {
        let data = self.data_ref()?;
        self.limits.check_model(data, params.n_factors)?;
        let (train, test) = split_off(data.clone(), test_fraction, params.seed)?;
        let mut race = Vec::new();
        for (name, opt) in [
            ("sgd", Optimizer::Sgd),
            ("adam", Optimizer::Adam),
            ("rmsprop", Optimizer::RmsProp),
            ("als", Optimizer::Als),
        ] {
            let mut p = params.clone().optimizer(opt);
            if opt == Optimizer::Als {
                p.loss = Loss::Squared;
            }
            race.push((name, self.trainer(train.clone(), p)?));
        }
        self.race = race;
        self.race_test = test;
        Ok(self.race.iter().map(|(n, _)| n.to_string()).collect())
    }

    /// Runs `n` more epochs of every racer.
    pub fn race_step(&mut self, n: u32) -> Result<Vec<RaceLap>> {
        if self.race.is_empty() {
            return Err(Error::NotReady("start a race first".into()));
        }
        let test = self.race_test.as_ref();
        Ok(self
            .race
            .iter_mut()
            .map(|(name, t)| RaceLap {
                name,
                reports: run_epochs(t, n, test),
            })
            .collect())
    }

    /// Accuracy on the training and test parts, ranking metrics at `k` on the test part (a test
    /// rating >= `threshold` is relevant on explicit data), and the same for the baselines
    /// (global mean, bias-only, popularity, random) fitted on the same training part.
    ///
    /// On large data the figures come from samples, so the table stays quick: training accuracy
    /// from at most 200,000 evenly spaced ratings, test figures from at most 1,000 evenly spaced
    /// users (with all of their test ratings).
    pub fn evaluate(&self, k: usize, threshold: f32) -> Result<Evaluation> {
        let t = self.sound_trainer()?;
        let train = t.data();
        let m = t.model();
        let train_sample = sample_ratings(train, 200_000);
        let test_sample = self.test.as_ref().map(|ts| sample_users(ts, 1_000));
        let mut rows = vec![EvalRow::of(
            "model",
            accuracy(&train_sample, |u, i| m.predict(u, i)),
            test_sample
                .as_ref()
                .map(|ts| accuracy(ts, |u, i| m.predict(u, i))),
            test_sample
                .as_ref()
                .map(|ts| crate::metrics::model_ranking(m, train, ts, k, threshold)),
        )];
        for kind in [
            BaselineKind::GlobalMean,
            BaselineKind::BiasOnly,
            BaselineKind::Popularity,
            BaselineKind::Random,
        ] {
            let b = Baseline::fit(kind, train, t.params().reg_bias, t.params().seed)?;
            // The global mean gives every item the same score: it cannot rank.
            let ranks = kind != BaselineKind::GlobalMean;
            let ranking = test_sample.as_ref().filter(|_| ranks).map(|ts| {
                crate::metrics::ranking(train, ts, k, threshold, Some(&m.item_factors), |u| {
                    b.scores_for_user(u)
                })
            });
            rows.push(EvalRow::of(
                kind.name(),
                accuracy(&train_sample, |u, i| b.predict(u, i)),
                self.test
                    .as_ref()
                    .map(|ts| accuracy(ts, |u, i| b.predict(u, i))),
                ranking,
            ));
        }
        let users_with_tests = |r: &Ratings| users_with_ratings(r).len();
        Ok(Evaluation {
            rows,
            train_ratings_used: train_sample.len(),
            train_ratings: train.len(),
            test_users_used: test_sample.as_ref().map_or(0, users_with_tests),
            test_users: self.test.as_ref().map_or(0, users_with_tests),
        })
    }

    /// Prepares k-fold cross-validation of the loaded data with these parameters (folds drawn
    /// with the parameters' seed). Returns the number of folds.
    pub fn cv_start(&mut self, params: TrainParams, folds: usize) -> Result<usize> {
        let data = self.data_ref()?;
        self.limits.check_model(data, params.n_factors)?;
        let params = params.check()?;
        let splits = crate::data::split::k_fold(data, folds, params.seed)?;
        self.cv = Some((params, splits));
        Ok(folds)
    }

    /// Trains and tests fold `fold` of the prepared cross-validation.
    pub fn cv_fold(&self, fold: usize) -> Result<FoldResult> {
        let (params, splits) = self
            .cv
            .as_ref()
            .ok_or_else(|| Error::NotReady("start a cross-validation first".into()))?;
        let split = splits.get(fold).ok_or(Error::OutOfRange {
            what: "fold",
            index: fold,
            len: splits.len(),
        })?;
        crate::cv::run_fold(fold, split, params, self.clock)
    }

    /// The loaded ratings as `user,item,rating` CSV.
    pub fn ratings_csv(&self) -> Result<String> {
        Ok(self.data_ref()?.to_csv())
    }

    /// Epochs run so far.
    pub fn epoch(&self) -> usize {
        self.trainer.as_ref().map_or(0, |t| t.epoch())
    }

    /// `(n_users, n_items)` of the loaded data.
    pub fn shape(&self) -> Result<(usize, usize)> {
        let d = self.data_ref()?;
        Ok((d.n_users(), d.n_items()))
    }

    /// The shape of the matrix views (see [`crate::view`]).
    pub fn view_shape(&self) -> Result<view::ViewShape> {
        let d = self.data_ref()?;
        Ok(view::ViewShape::of(d.n_users(), d.n_items()))
    }

    /// The observed matrix as a view, row-major, `NaN` where unknown.
    pub fn observed_matrix(&self) -> Result<Vec<f32>> {
        Ok(view::observed(self.data_ref()?))
    }

    /// 1 where a view cell holds a test rating, 0 elsewhere.
    pub fn test_mask(&self) -> Result<Vec<f32>> {
        let d = self.data_ref()?;
        Ok(match &self.test {
            Some(t) => view::mask(t, d.n_users(), d.n_items()),
            None => vec![0.0; view::ViewShape::of(d.n_users(), d.n_items()).len()],
        })
    }

    /// The model's predictions as a view, row-major.
    pub fn predicted_matrix(&self) -> Result<Vec<f32>> {
        Ok(view::predicted(self.trainer_ref()?.model()))
    }

    /// The generating model's values (synthetic data only) as a view.
    pub fn truth_matrix(&self) -> Result<Vec<f32>> {
        let truth = self
            .truth
            .as_ref()
            .ok_or_else(|| Error::NotReady("only generated data has a known truth".into()))?;
        Ok(view::predicted(truth))
    }

    /// mu, b_u, b_i and each factor's part of one prediction.
    pub fn explain(&self, user: usize, item: usize) -> Result<Explanation> {
        self.sound_trainer()?.model().explain(user, item)
    }

    /// Users and items mapped to 2-D (raw factors when k <= 2, else PCA).
    pub fn embeddings(&self) -> Result<Embeddings> {
        let m = self.sound_trainer()?.model();
        Ok(Embeddings {
            users: project_2d(&m.user_factors),
            items: project_2d(&m.item_factors),
        })
    }

    /// The `n` best items for `user` among those they have not rated (for implicit data: not
    /// interacted with), and what they rated.
    pub fn recommend(&self, user: usize, n: usize) -> Result<Recommendations> {
        let data = self.data_ref()?;
        let rated: Vec<(usize, f32)> = (0..data.len())
            .map(|k| data.get(k))
            .filter(|&(du, _, _)| du == user)
            .map(|(_, i, v)| (i, v))
            .collect();
        self.recommend_given(user, rated, n)
    }

    /// [`Session::recommend`] for a user whose ratings are already gathered.
    fn recommend_given(
        &self,
        user: usize,
        rated: Vec<(usize, f32)>,
        n: usize,
    ) -> Result<Recommendations> {
        let t = self.sound_trainer()?;
        // For 0/1 data a stored 0 is "did not interact": exactly what may be recommended.
        let implicit = self.data_ref()?.feedback() == Feedback::Implicit;
        let exclude: Vec<usize> = rated
            .iter()
            .filter(|&&(_, v)| !implicit || v > 0.0)
            .map(|&(i, _)| i)
            .collect();
        let recs = t.model().recommend(user, n, &exclude)?;
        Ok(Recommendations {
            items: recs.into_iter().map(Scored::from).collect(),
            rated: rated.into_iter().map(Scored::from).collect(),
        })
    }

    /// The `n` items nearest to `item` by their factors.
    pub fn similar_items(&self, item: usize, n: usize, sim: Similarity) -> Result<Vec<Scored>> {
        let out = self.sound_trainer()?.model().similar_items(item, n, sim)?;
        Ok(out.into_iter().map(Scored::from).collect())
    }

    /// Recommendations for a new user from a few `(item, rating)` pairs, with the items held
    /// fixed (fold-in), leaving out the rated items.
    pub fn fold_in(&self, ratings: &[(usize, f32)], n: usize) -> Result<Vec<Scored>> {
        let t = self.sound_trainer()?;
        let m = t.model();
        let p = t.params();
        let user = m.fold_in(ratings, p.reg_factor, p.use_user_bias)?;
        let scores: Vec<f32> = (0..m.n_items())
            .map(|i| m.score_new_user(&user, i))
            .collect();
        let mut skip = vec![false; m.n_items()];
        for &(i, _) in ratings {
            skip[i] = true;
        }
        Ok(crate::metrics::top_items(&scores, &skip, n)
            .into_iter()
            .map(|i| Scored::from((i, scores[i])))
            .collect())
    }

    /// Shows explicit ratings as 0/1: `rating >= threshold` becomes 1, anything lower 0 (the
    /// page then trains with logistic loss); `None` brings the ratings back. Drops the model.
    pub fn set_implicit_threshold(&mut self, threshold: Option<f32>) -> Result<DataSummary> {
        let (original, truth) = match self.explicit.take() {
            Some(o) => o,
            None => {
                let d = self.data_ref()?;
                if d.feedback() == Feedback::Implicit {
                    return Err(Error::invalid(
                        "threshold",
                        threshold.map_or("off".into(), |t| t.to_string()),
                        "the data is already 0/1",
                    ));
                }
                (d.clone(), self.truth.clone())
            }
        };
        let groups = self.groups.clone();
        match threshold {
            None => self.replace_data(original, groups, truth),
            Some(t) => {
                let scale = original.scale();
                if !(t.is_finite() && t > scale.min && t <= scale.max) {
                    self.explicit = Some((original, truth));
                    return Err(Error::invalid(
                        "threshold",
                        t,
                        format!(
                            "must lie above {} and at most {}, the data's scale",
                            scale.min, scale.max
                        ),
                    ));
                }
                let binary =
                    original.map_values(Feedback::Implicit, |_, _, v| (v >= t) as u8 as f32);
                let summary = self.replace_data(binary, groups, None)?;
                self.explicit = Some((original, truth));
                Ok(summary)
            }
        }
    }

    /// Prepares the balance sweep: every point of `grid` on `base` (its seed, learning rate,
    /// optimiser...), on the split `configure` would make with `test_fraction`. Returns the
    /// number of points.
    pub fn sweep_start(
        &mut self,
        base: TrainParams,
        grid: &SweepGrid,
        test_fraction: f64,
    ) -> Result<usize> {
        let data = self.data_ref()?;
        let params = grid.params(&base)?;
        for p in &params {
            self.limits.check_model(data, p.n_factors)?;
        }
        let (train, test) = split_off(data.clone(), test_fraction, base.seed)?;
        let test = test.ok_or_else(|| {
            Error::invalid(
                "test_fraction",
                test_fraction,
                "the sweep measures test error: set a test share above 0",
            )
        })?;
        let n = params.len();
        self.sweep = Some(Sweep {
            params,
            train,
            test,
            results: vec![None; n],
        });
        Ok(n)
    }

    /// Trains and tests point `index` of the prepared sweep.
    pub fn sweep_point(&mut self, index: usize) -> Result<SweepPoint> {
        let clock = self.clock;
        let s = self
            .sweep
            .as_mut()
            .ok_or_else(|| Error::NotReady("start a sweep first".into()))?;
        let p = s.params.get(index).ok_or(Error::OutOfRange {
            what: "sweep point",
            index,
            len: s.params.len(),
        })?;
        let r = run_point(index, &s.train, &s.test, p, clock)?;
        s.results[index] = Some(r.clone());
        Ok(r)
    }

    /// The points trained so far and which are on the Pareto fronts.
    pub fn sweep_fronts(&self) -> Result<SweepFronts> {
        let s = self
            .sweep
            .as_ref()
            .ok_or_else(|| Error::NotReady("start a sweep first".into()))?;
        let points: Vec<SweepPoint> = s.results.iter().flatten().cloned().collect();
        Ok(SweepFronts {
            by_size: pareto_front(&points, |p| p.parameters as f64),
            by_time: pareto_front(&points, |p| p.millis),
            points,
        })
    }

    /// The current model as a model file (JSON: mu, biases, factors, hyper-parameters, seed,
    /// epoch and a reference to the data by `data_name` and size).
    pub fn export_model(&self, data_name: &str) -> Result<String> {
        Ok(self.saved(data_name)?.to_json())
    }

    fn saved(&self, data_name: &str) -> Result<SavedModel> {
        let t = self.sound_trainer()?;
        let d = self.data_ref()?;
        Ok(SavedModel {
            model: t.model().clone(),
            user_ids: d.user_ids().to_vec(),
            item_ids: d.item_ids().to_vec(),
            item_labels: (0..d.n_items())
                .map(|i| d.item_label(i).to_string())
                .collect(),
            params: t.params().clone(),
            epoch: t.epoch(),
            data: DataRef {
                name: data_name.to_string(),
                n_ratings: d.len(),
            },
        })
    }

    /// Takes a model file back: the loaded data must have the model's users and items (the
    /// same ids in the same order: load the data it was trained on first). The model continues
    /// from its epoch with its hyper-parameters, on the split `test_fraction` and its seed make.
    /// Returns the model's parameters and epoch.
    pub fn import_model(&mut self, json: &str, test_fraction: f64) -> Result<(TrainParams, usize)> {
        let saved = SavedModel::from_json(json)?;
        let d = self.data_ref()?;
        if saved.user_ids != d.user_ids() || saved.item_ids != d.item_ids() {
            return Err(Error::invalid(
                "model",
                format!(
                    "{} users x {} items from \"{}\" ({} ratings)",
                    saved.user_ids.len(),
                    saved.item_ids.len(),
                    saved.data.name,
                    saved.data.n_ratings
                ),
                format!(
                    "does not fit the loaded data ({} users x {} items): load the data the model was trained on first",
                    d.n_users(),
                    d.n_items()
                ),
            ));
        }
        let params = saved.params.clone();
        self.configure(params.clone(), test_fraction)?;
        self.trainer_mut()?.restore(saved.model, saved.epoch)?;
        Ok((params, saved.epoch))
    }

    /// The model's embeddings and metadata in the Embedding Projector's TSV format.
    pub fn projector(&self) -> Result<Projector> {
        Ok(self.saved("")?.projector())
    }

    /// Every known rating with the model's prediction, as CSV: `user,item,rating,prediction,part`
    /// (part: train or test).
    pub fn predictions_csv(&self) -> Result<String> {
        use crate::data::csv_field;
        use std::fmt::Write as _;
        let t = self.sound_trainer()?;
        let d = self.data_ref()?;
        let m = t.model();
        let mut out = String::from("user,item,rating,prediction,part\n");
        let parts = [(t.data(), "train")]
            .into_iter()
            .chain(self.test.as_ref().map(|ts| (ts, "test")));
        for (r, part) in parts {
            for k in 0..r.len() {
                let (u, i, v) = r.get(k);
                let _ = writeln!(
                    out,
                    "{},{},{v},{},{part}",
                    csv_field(&d.user_ids()[u]),
                    csv_field(&d.item_ids()[i]),
                    m.predict(u, i)
                );
            }
        }
        Ok(out)
    }

    /// Each user's top `n` recommendations (items they have not rated) as CSV:
    /// `user,rank,item,title,score`.
    pub fn recommendations_csv(&self, n: usize) -> Result<String> {
        use crate::data::csv_field;
        use std::fmt::Write as _;
        let d = self.data_ref()?;
        let mut out = String::from("user,rank,item,title,score\n");
        // One pass to gather every user's ratings, not a scan of all ratings per user.
        for (u, ks) in d.by_user().into_iter().enumerate() {
            let rated = ks
                .into_iter()
                .map(|k| (d.items()[k] as usize, d.values()[k]))
                .collect();
            for (rank, s) in self.recommend_given(u, rated, n)?.items.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "{},{},{},{},{}",
                    csv_field(&d.user_ids()[u]),
                    rank + 1,
                    csv_field(&d.item_ids()[s.item]),
                    csv_field(d.item_label(s.item)),
                    s.value
                );
            }
        }
        Ok(out)
    }

    /// Sets up the exploration lab (see [`crate::lab`]); returns the arms' names.
    pub fn lab_start(&mut self, setup: &LabSetup) -> Result<Vec<String>> {
        let world = match setup.world {
            WorldSource::Generated => World::generated(
                setup.world_users,
                setup.world_items,
                setup.world_genres,
                setup.world_seed,
            )?,
            WorldSource::Model => {
                let t = self.sound_trainer()?;
                let scale = (t.data().feedback() == Feedback::Explicit).then(|| t.data().scale());
                World::from_model(t.model(), scale)?
            }
        };
        let lab = if setup.ab {
            let [a, b] = setup.policies[..] else {
                return Err(Error::invalid(
                    "policies",
                    setup.policies.len(),
                    "an A/B test needs exactly two configurations, A and B",
                ));
            };
            Lab::ab(world, setup.config.clone(), a, b)?
        } else {
            Lab::compare(world, setup.config.clone(), &setup.policies)?
        };
        let names = lab.arms().iter().map(|a| a.name().to_string()).collect();
        self.lab = Some((lab, setup.ab));
        Ok(names)
    }

    /// Runs `n` rounds of the lab (at most 1,000 a call).
    pub fn lab_step(&mut self, n: usize) -> Result<LabRounds> {
        let (lab, is_ab) = self
            .lab
            .as_mut()
            .ok_or_else(|| Error::NotReady("start the lab first".into()))?;
        let mut rounds = Vec::new();
        let mut intervals = Vec::new();
        for _ in 0..n.min(1_000) {
            let r = lab.step()?;
            if *is_ab {
                intervals.push(ab::interval(
                    r[0].clicks,
                    r[0].impressions,
                    r[1].clicks,
                    r[1].impressions,
                ));
            }
            rounds.push(r);
        }
        Ok(LabRounds {
            rounds,
            intervals: is_ab.then_some(intervals),
        })
    }

    /// A/A tests on the lab's world (see [`ab::aa_peeking`]).
    pub fn aa_peeking(
        &self,
        users_per_round: usize,
        rounds: usize,
        runs: usize,
        seed: u64,
    ) -> Result<ab::Peeking> {
        let (lab, _) = self
            .lab
            .as_ref()
            .ok_or_else(|| Error::NotReady("start the lab first".into()))?;
        ab::aa_peeking(lab.world(), users_per_round, rounds, runs, seed)
    }

    fn trainer(&self, train: Ratings, params: TrainParams) -> Result<Trainer> {
        let mut t = Trainer::new(train, params)?;
        if let Some(c) = self.clock {
            t.set_clock(c);
        }
        Ok(t)
    }

    fn replace_data(
        &mut self,
        data: Ratings,
        groups: Option<Groups>,
        truth: Option<MfModel>,
    ) -> Result<DataSummary> {
        self.limits.check_data(&data)?;
        let summary = DataSummary::of(&data, groups.as_ref(), truth.is_some());
        self.data = Some(data);
        self.groups = groups;
        self.truth = truth;
        self.trainer = None;
        self.test = None;
        self.race.clear();
        self.race_test = None;
        self.cv = None;
        self.early = None;
        self.explicit = None;
        self.sweep = None;
        Ok(summary)
    }

    fn data_ref(&self) -> Result<&Ratings> {
        self.data
            .as_ref()
            .ok_or_else(|| Error::NotReady("no data set is loaded".into()))
    }

    fn trainer_ref(&self) -> Result<&Trainer> {
        self.trainer
            .as_ref()
            .ok_or_else(|| Error::NotReady("no model yet: configure one first".into()))
    }

    /// The trainer, unless its model diverged: a diverged model's numbers are not finite, and
    /// nothing computed from them (rankings, explanations, maps) would mean anything.
    fn sound_trainer(&self) -> Result<&Trainer> {
        let t = self.trainer_ref()?;
        if t.diverged() {
            return Err(Error::NotReady(
                "the model diverged (its numbers are no longer finite): lower the learning rate and reset it"
                    .into(),
            ));
        }
        Ok(t)
    }

    fn trainer_mut(&mut self) -> Result<&mut Trainer> {
        self.trainer
            .as_mut()
            .ok_or_else(|| Error::NotReady("no model yet: configure one first".into()))
    }
}

/// Runs up to `n` epochs (stopping at divergence), each reported with its test errors.
fn run_epochs(t: &mut Trainer, n: u32, test: Option<&Ratings>) -> Vec<EpochDto> {
    let mut reports = Vec::with_capacity(n.min(10_000) as usize);
    for _ in 0..n {
        let r = t.step();
        let stop = r.diverged;
        let acc = test.map(|ts| accuracy(ts, |u, i| t.model().predict(u, i)));
        reports.push(EpochDto::new(r, acc));
        if stop {
            break;
        }
    }
    reports
}

/// Splits off a seeded random `fraction` for testing (none when it is 0).
fn split_off(data: Ratings, fraction: f64, seed: u64) -> Result<(Ratings, Option<Ratings>)> {
    if fraction > 0.0 {
        let s = holdout(&data, fraction, seed)?;
        Ok((s.train, Some(s.test)))
    } else if fraction == 0.0 {
        Ok((data, None))
    } else {
        Err(Error::invalid(
            "test_fraction",
            fraction,
            "must be between 0 and 1",
        ))
    }
}

/// At most `max` evenly spaced ratings of `r`.
fn sample_ratings(r: &Ratings, max: usize) -> Ratings {
    let stride = r.len().div_ceil(max).max(1);
    r.subset(&(0..r.len()).step_by(stride).collect::<Vec<_>>())
}

/// The users `r` holds at least one rating of, in index order.
fn users_with_ratings(r: &Ratings) -> Vec<usize> {
    let mut has = vec![false; r.n_users()];
    r.users().iter().for_each(|&u| has[u as usize] = true);
    (0..r.n_users()).filter(|&u| has[u]).collect()
}

/// The ratings of at most `max` evenly spaced users among those `r` has ratings for.
fn sample_users(r: &Ratings, max: usize) -> Ratings {
    let users = users_with_ratings(r);
    let stride = users.len().div_ceil(max).max(1);
    let mut keep = vec![false; r.n_users()];
    users.iter().step_by(stride).for_each(|&u| keep[u] = true);
    r.subset(
        &(0..r.len())
            .filter(|&k| keep[r.users()[k] as usize])
            .collect::<Vec<_>>(),
    )
}

/// Applies a titles file and returns the genre groups it names.
fn with_titles(data: &mut Ratings, titles: &[u8]) -> Result<Groups> {
    let (_, genres) = read_item_metadata(titles, data)?;
    Ok(Groups::from_labels(&genres))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed_session() -> Session {
        let mut s = Session::new(Limits::PAGE, None);
        s.load_builtin("seed-10x10").unwrap();
        s
    }

    #[test]
    fn a_failed_load_keeps_the_data_and_the_model() {
        let mut s = seed_session();
        s.configure(TrainParams::new(2).loss(Loss::Logistic), 0.2)
            .unwrap();
        s.train_epochs(3).unwrap();
        let before = s.predicted_matrix().unwrap();
        let e = s
            .preview_bytes(
                b"a,b,1\nc,d,x\n",
                &ReadOptions::default(),
                None,
                &mut |_| {},
            )
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 2, column 3: rating \"x\" is not a number"
        );
        assert!(s.load_bytes(b"", &ReadOptions::default(), None).is_err());
        assert_eq!(s.epoch(), 3);
        assert_eq!(s.predicted_matrix().unwrap(), before);
        assert_eq!(s.shape().unwrap(), (10, 10));
    }

    #[test]
    fn limits_refuse_oversized_data_and_models_with_a_message() {
        let small = Limits {
            max_users: 5,
            max_items: 100,
            max_ratings: 1_000,
            max_parameters: 100,
        };
        let mut s = Session::new(small, None);
        let e = s.load_builtin("seed-10x10").unwrap_err();
        assert_eq!(e.code(), "too_large");
        assert_eq!(
            e.to_string(),
            "the data has 10 users; the page takes at most 5 (the mfp command line has no limit)"
        );
        let mut s = Session::new(
            Limits {
                max_users: 10,
                ..small
            },
            None,
        );
        s.load_builtin("seed-10x10").unwrap();
        let e = s.configure(TrainParams::new(8), 0.0).unwrap_err();
        assert_eq!(e.code(), "too_large");
        assert_eq!(
            e.to_string(),
            "8 factors make 180 model parameters ((users + items) x (factors + 1)); \
             the page takes at most 100: choose at most 4 factors"
        );
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(100), "100");
        s.configure(TrainParams::new(4), 0.0).unwrap();
    }

    #[test]
    fn a_diverged_model_is_not_ranked_explained_or_mapped() {
        let mut s = seed_session();
        let p = TrainParams::new(8).loss(Loss::Squared).learning_rate(90.0);
        s.configure(p, 0.2).unwrap();
        let reports = s.train_epochs(50).unwrap();
        assert!(reports.last().unwrap().diverged);
        for e in [
            s.recommend(0, 5).map(|_| ()),
            s.explain(0, 0).map(|_| ()),
            s.embeddings().map(|_| ()),
            s.similar_items(0, 3, Similarity::Cosine).map(|_| ()),
            s.fold_in(&[(0, 1.0)], 3).map(|_| ()),
            s.evaluate(5, 0.5).map(|_| ()),
        ] {
            let e = e.unwrap_err();
            assert_eq!(e.code(), "not_ready");
            assert!(e.to_string().contains("diverged"), "{e}");
        }
        // Reset: a fresh model with a sane rate serves again.
        s.configure(TrainParams::new(4).loss(Loss::Logistic), 0.2)
            .unwrap();
        s.train_epochs(2).unwrap();
        assert!(s
            .recommend(0, 5)
            .unwrap()
            .items
            .iter()
            .all(|x| x.value.is_finite()));
    }

    #[test]
    fn the_lab_runs_on_a_generated_world_or_on_the_trained_model() {
        let mut s = seed_session();
        let names = s.lab_start(&LabSetup::default()).unwrap();
        assert_eq!(names, ["greedy", "epsilon-greedy", "ucb", "thompson"]);
        let r = s.lab_step(3).unwrap();
        assert_eq!(
            (r.rounds.len(), r.rounds[2].len(), r.intervals),
            (3, 4, None)
        );
        // The model as the truth needs a model first.
        let setup = LabSetup {
            world: WorldSource::Model,
            ab: true,
            policies: vec![Policy::Random, Policy::Ucb],
            ..LabSetup::default()
        };
        assert_eq!(s.lab_start(&setup).unwrap_err().code(), "not_ready");
        s.configure(TrainParams::new(2).loss(Loss::Logistic), 0.0)
            .unwrap();
        s.train_epochs(5).unwrap();
        assert_eq!(s.lab_start(&setup).unwrap(), ["A: random", "B: ucb"]);
        let r = s.lab_step(2).unwrap();
        assert_eq!(r.intervals.as_ref().map(Vec::len), Some(2));
        let p = s.aa_peeking(10, 20, 30, 1).unwrap();
        assert_eq!(p.runs, 30);
        let three = LabSetup {
            ab: true,
            ..LabSetup::default()
        };
        assert_eq!(s.lab_start(&three).unwrap_err().code(), "invalid_param");
    }

    fn explicit_session() -> Session {
        let mut s = Session::new(Limits::PAGE, None);
        s.generate(&SyntheticParams {
            n_users: 60,
            n_items: 40,
            density: 0.3,
            seed: 3,
            ..SyntheticParams::default()
        })
        .unwrap();
        s
    }

    #[test]
    fn early_stopping_reports_validation_error_stops_and_restores_the_best_epoch() {
        let mut s = explicit_session();
        let early = EarlyStopping {
            validation: 0.2,
            patience: 3,
        };
        // Many factors, no regularisation, a high rate: it over-fits, validation turns up.
        let p = TrainParams::new(32)
            .learning_rate(0.05)
            .reg(0.0)
            .init_std(0.3);
        s.configure_with(p, 0.2, Some(early)).unwrap();
        let reports = s.train_epochs(500).unwrap();
        let last = reports.last().unwrap();
        assert!(last.stop, "stopped before 500 epochs: {}", reports.len());
        let best = last.best_epoch.unwrap();
        assert_eq!(last.epoch, best + 3, "three epochs without improvement");
        let best_v = reports[best - 1].validation_rmse.unwrap();
        assert!(reports.iter().all(|r| r.validation_rmse.unwrap() >= best_v));
        assert_eq!(s.restore_best().unwrap(), best);
        assert_eq!(s.epoch(), best);
        // Training on from the best model gives reports again, numbered from there.
        let more = s.train_epochs(1).unwrap();
        assert_eq!(more[0].epoch, best + 1);
        // Without early stopping there is no validation figure and no stop.
        s.configure(TrainParams::new(4), 0.2).unwrap();
        let r = s.train_epochs(2).unwrap();
        assert!(r.iter().all(|r| r.validation_rmse.is_none() && !r.stop));
        assert_eq!(s.restore_best().unwrap_err().code(), "not_ready");
    }

    #[test]
    fn a_threshold_turns_ratings_into_clicks_and_back() {
        let mut s = explicit_session();
        let before = s.observed_matrix().unwrap();
        let sum = s.set_implicit_threshold(Some(3.5)).unwrap();
        assert_eq!(sum.feedback, Feedback::Implicit);
        let bin = s.observed_matrix().unwrap();
        for (a, b) in before.iter().zip(&bin) {
            if a.is_nan() {
                assert!(b.is_nan());
            } else {
                assert_eq!(*b, if *a >= 3.5 { 1.0 } else { 0.0 });
            }
        }
        assert!(
            s.truth_matrix().is_err(),
            "the ratings' truth does not describe clicks"
        );
        // Another threshold applies to the original ratings, not to the 0/1 data.
        s.set_implicit_threshold(Some(2.0)).unwrap();
        assert!(
            s.observed_matrix()
                .unwrap()
                .iter()
                .filter(|v| **v == 1.0)
                .count()
                > bin.iter().filter(|v| **v == 1.0).count()
        );
        let back = s.set_implicit_threshold(None).unwrap();
        assert_eq!(back.feedback, Feedback::Explicit);
        assert_eq!(s.observed_matrix().unwrap().len(), before.len());
        assert!(s.truth_matrix().is_ok());
        assert_eq!(
            s.set_implicit_threshold(Some(99.0)).unwrap_err().code(),
            "invalid_param"
        );
        let mut seed = seed_session();
        assert_eq!(
            seed.set_implicit_threshold(Some(0.5)).unwrap_err().code(),
            "invalid_param"
        );
    }

    #[test]
    fn a_sweep_point_is_the_model_configure_and_train_would_give() {
        let mut s = explicit_session();
        let base = TrainParams::new(8).learning_rate(0.02);
        let grid = SweepGrid {
            factors: vec![2, 8],
            regs: vec![0.05],
            epochs: vec![6],
        };
        assert_eq!(s.sweep_start(base.clone(), &grid, 0.2).unwrap(), 2);
        let p1 = s.sweep_point(1).unwrap();
        assert_eq!((p1.n_factors, p1.epochs), (8, 6));
        s.configure(base.clone().reg(0.05).n_epochs(6), 0.2)
            .unwrap();
        let r = s.train_epochs(6).unwrap();
        assert_eq!(r.last().unwrap().test_rmse.unwrap(), p1.test_rmse);
        let f = s.sweep_fronts().unwrap();
        assert_eq!((f.points.len(), f.by_size.len()), (1, 1));
        assert!(
            f.by_size[0] && f.by_time[0],
            "a lone point is on both fronts"
        );
        assert_eq!(s.sweep_point(2).unwrap_err().code(), "out_of_range");
        assert_eq!(
            s.sweep_start(base, &grid, 0.0).unwrap_err().code(),
            "invalid_param"
        );
    }

    #[test]
    fn an_exported_model_imports_to_the_same_predictions_and_trains_on() {
        let mut s = explicit_session();
        let p = TrainParams::new(4).learning_rate(0.02);
        s.configure(p.clone(), 0.2).unwrap();
        s.train_epochs(7).unwrap();
        let json = s.export_model("synthetic").unwrap();
        let before = s.predicted_matrix().unwrap();
        let next = s.train_epochs(1).unwrap()[0].test_rmse;
        // A fresh model, then the import: the same predictions, epoch 7, and the same next epoch.
        s.configure(TrainParams::new(4), 0.2).unwrap();
        let (params, epoch) = s.import_model(&json, 0.2).unwrap();
        assert_eq!((params, epoch), (p, 7));
        assert_eq!(s.predicted_matrix().unwrap(), before);
        assert_eq!(s.epoch(), 7);
        assert_eq!(s.train_epochs(1).unwrap()[0].test_rmse, next);
        // Other data: a clear refusal.
        let mut other = seed_session();
        let e = other.import_model(&json, 0.2).unwrap_err();
        assert!(
            e.to_string()
                .contains("load the data the model was trained on first"),
            "{e}"
        );
        // The other exports.
        let proj = s.projector().unwrap();
        assert_eq!(proj.item_vectors.lines().count(), 40);
        assert_eq!(
            proj.item_vectors
                .lines()
                .next()
                .unwrap()
                .split('\t')
                .count(),
            4
        );
        assert!(proj.item_metadata.starts_with("id\ttitle\tbias\n"));
        let preds = s.predictions_csv().unwrap();
        assert_eq!(preds.lines().count(), 1 + 720);
        let recs = s.recommendations_csv(3).unwrap();
        assert_eq!(recs.lines().count(), 1 + 60 * 3);
    }

    #[test]
    fn a_negative_test_share_is_refused() {
        let mut s = seed_session();
        let e = s.configure(TrainParams::new(2), -0.1).unwrap_err();
        assert_eq!(e.code(), "invalid_param");
    }
}
