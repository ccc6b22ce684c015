//! The JavaScript boundary: one stateful [`Session`] that lives in the Web Worker.
//!
//! Methods convert their inputs, call the engine and convert the outputs; there is no maths
//! here. Bulk numbers leave as `Float32Array`s (row-major, with the shape from `shape()`); small
//! structured values as plain objects with camelCase fields (serde-wasm-bindgen). Engine errors
//! become a JavaScript `Error` whose `name` is `"MfpError"` and whose `code` is
//! [`crate::Error::code`].

mod convert;

use js_sys::Float32Array;
use wasm_bindgen::prelude::*;

use crate::baseline::{Baseline, BaselineKind};
use crate::data::parse::{
    preview_rows, read_item_metadata, read_ratings, read_ratings_with_progress, ReadOptions,
};
use crate::data::split::holdout;
use crate::data::synthetic::{generate, SyntheticParams};
use crate::data::{builtin, Ratings};
use crate::metrics::accuracy;
use crate::model::{MfModel, Similarity};
use crate::project::project_2d;
use crate::train::{Loss, Optimizer, Trainer};
use crate::view;

use convert::{
    engine_error, from_js, to_js, to_js_error, DataSummary, EpochDto, Groups, Preview, Scored,
};

/// A data set, its train/test split and, once configured, a trainer on it.
#[wasm_bindgen]
pub struct Session {
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
    cv: Option<(crate::train::TrainParams, Vec<crate::data::split::Split>)>,
}

fn host_clock() -> f64 {
    // `performance` exists in workers, windows and Node; `Date.now()` is the fallback.
    let perf = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
        .ok()
        .filter(|p| p.is_object());
    match perf {
        Some(p) => p.unchecked_into::<web_sys::Performance>().now(),
        None => js_sys::Date::now(),
    }
}

type JsResult<T> = Result<T, JsValue>;

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session {
            data: None,
            groups: None,
            truth: None,
            pending: None,
            test: None,
            trainer: None,
            race: Vec::new(),
            race_test: None,
            cv: None,
        }
    }

    /// Names of the built-in data sets.
    #[wasm_bindgen(js_name = builtinNames)]
    pub fn builtin_names() -> Vec<String> {
        builtin::NAMES.iter().map(|s| s.to_string()).collect()
    }

    /// A random seed from the host's cryptographic generator.
    #[wasm_bindgen(js_name = randomSeed)]
    pub fn random_seed() -> JsResult<u32> {
        getrandom::u32().map_err(|e| to_js_error("internal", &e.to_string()))
    }

    /// Loads a built-in data set, dropping any model. Returns a summary of the data.
    #[wasm_bindgen(js_name = loadBuiltin)]
    pub fn load_builtin(&mut self, name: &str) -> JsResult<JsValue> {
        let data = builtin::by_name(name).map_err(|e| engine_error(&e))?;
        self.replace_data(data, None, None)
    }

    /// Generates a synthetic data set with planted genres (a plain object of
    /// `SyntheticParams`, camelCase); the truth stays available for comparison.
    pub fn generate(&mut self, params: JsValue) -> JsResult<JsValue> {
        let p: SyntheticParams = from_js(params, &SyntheticParams::default())?;
        let s = generate(&p).map_err(|e| engine_error(&e))?;
        let groups = Groups {
            names: s.cluster_names.clone(),
            items: s.item_cluster.iter().map(|&g| g as i32).collect(),
            users: Some(s.user_cluster.iter().map(|&g| g as i32).collect()),
        };
        self.replace_data(s.ratings, Some(groups), Some(s.truth))
    }

    /// Reads a file's bytes without loading it: what was detected, the first rows and the
    /// statistics, for the page to show before the user confirms with `commitPreview`. The
    /// current data and model are untouched, whatever happens.
    ///
    /// `progress`, if given, is called with the fraction of the file read so far.
    #[wasm_bindgen(js_name = previewBytes)]
    pub fn preview_bytes(
        &mut self,
        bytes: &[u8],
        options: JsValue,
        titles: Option<Vec<u8>>,
        progress: Option<js_sys::Function>,
    ) -> JsResult<JsValue> {
        self.pending = None;
        let opts: ReadOptions = from_js(options, &ReadOptions::default())?;
        let mut report = |f: f64| {
            if let Some(cb) = &progress {
                // A failing progress callback must not stop the parse.
                let _ = cb.call1(&JsValue::NULL, &JsValue::from_f64(f));
            }
        };
        let (mut data, detected) =
            read_ratings_with_progress(bytes, &opts, &mut report).map_err(|e| engine_error(&e))?;
        let groups = match titles {
            Some(t) => Some(with_titles(&mut data, &t)?),
            None => None,
        };
        let rows = preview_rows(bytes, &detected, 8);
        let preview = Preview {
            detected,
            rows,
            summary: DataSummary::of(&data, groups.as_ref(), false),
        };
        self.pending = Some((data, groups));
        to_js(&preview)
    }

    /// Loads the data of the last preview, dropping the model.
    #[wasm_bindgen(js_name = commitPreview)]
    pub fn commit_preview(&mut self) -> JsResult<JsValue> {
        let (data, groups) = self
            .pending
            .take()
            .ok_or_else(|| to_js_error("not_ready", "there is no previewed file to load"))?;
        self.replace_data(data, groups.filter(|g| !g.names.is_empty()), None)
    }

    /// Reads and loads a file at once (with an optional titles file whose third field lists
    /// genres, as MovieLens and MovieTweetings `movies.dat` do).
    #[wasm_bindgen(js_name = loadBytes)]
    pub fn load_bytes(
        &mut self,
        bytes: &[u8],
        options: JsValue,
        titles: Option<Vec<u8>>,
    ) -> JsResult<JsValue> {
        let opts: ReadOptions = from_js(options, &ReadOptions::default())?;
        let (mut data, _) = read_ratings(bytes, &opts).map_err(|e| engine_error(&e))?;
        let groups = match titles {
            Some(t) => Some(with_titles(&mut data, &t)?),
            None => None,
        };
        self.replace_data(data, groups.filter(|g| !g.names.is_empty()), None)
    }

    /// Sets (or, with `NaN`, removes) one rating, keeping the model: training continues on the
    /// edited data. An edited cell belongs to the training part from then on.
    #[wasm_bindgen(js_name = setRating)]
    pub fn set_rating(&mut self, user: u32, item: u32, value: f32) -> JsResult<JsValue> {
        let value = if value.is_nan() { None } else { Some(value) };
        let (u, i) = (user as usize, item as usize);
        let data = self
            .data_ref()?
            .with_cell(u, i, value)
            .map_err(|e| engine_error(&e))?;
        if let Some(t) = self.trainer.as_mut() {
            let train = t
                .data()
                .with_cell(u, i, value)
                .map_err(|e| engine_error(&e))?;
            t.set_data(train).map_err(|e| engine_error(&e))?;
            if let Some(test) = &self.test {
                // The cell leaves the test part, unless that would empty it.
                if let Ok(smaller) = test.with_cell(u, i, None) {
                    self.test = Some(smaller);
                }
            }
        }
        let summary = DataSummary::of(&data, self.groups.as_ref(), self.truth.is_some());
        self.data = Some(data);
        to_js(&summary)
    }

    /// Builds a fresh model with the given parameters (a plain object with camelCase fields;
    /// missing fields take their defaults, unknown fields are rejected), holding out a seeded
    /// random `test_fraction` of the ratings (0 trains on everything).
    pub fn configure(&mut self, params: JsValue, test_fraction: f64) -> JsResult<()> {
        let params = convert::params_from_js(params)?;
        let data = self.data_ref()?.clone();
        let (train, test) = split_off(data, test_fraction, params.seed)?;
        let mut trainer = Trainer::new(train, params).map_err(|e| engine_error(&e))?;
        trainer.set_clock(host_clock);
        self.trainer = Some(trainer);
        self.test = test;
        Ok(())
    }

    /// Changes hyper-parameters from the next epoch on, keeping the model.
    #[wasm_bindgen(js_name = setParams)]
    pub fn set_params(&mut self, params: JsValue) -> JsResult<()> {
        let params = convert::params_from_js(params)?;
        self.trainer_mut()?
            .set_params(params)
            .map_err(|e| engine_error(&e))
    }

    /// Runs up to `n` epochs (stopping early on divergence) and returns their reports, each
    /// with the test RMSE and MAE when there is a test part.
    #[wasm_bindgen(js_name = trainEpochs)]
    pub fn train_epochs(&mut self, n: u32) -> JsResult<JsValue> {
        let test = self.test.clone();
        let reports = run_epochs(self.trainer_mut()?, n, test.as_ref());
        to_js(&reports)
    }

    /// True once `configure` has built a model.
    #[wasm_bindgen(js_name = hasModel)]
    pub fn has_model(&self) -> bool {
        self.trainer.is_some()
    }

    /// Runs at most about `budget` rating updates (see [`Trainer::advance`]); returns the
    /// epoch's report (with test errors) when an epoch completes, else `null`.
    pub fn advance(&mut self, budget: u32) -> JsResult<JsValue> {
        let test = self.test.clone();
        let trainer = self.trainer_mut()?;
        match trainer.advance(budget as usize) {
            None => Ok(JsValue::NULL),
            Some(r) => {
                let acc = test
                    .as_ref()
                    .map(|t| accuracy(t, |u, i| trainer.model().predict(u, i)));
                to_js(&EpochDto::new(r, acc))
            }
        }
    }

    /// True while an epoch is partly done.
    #[wasm_bindgen(js_name = inEpoch)]
    pub fn in_epoch(&self) -> bool {
        self.trainer.as_ref().is_some_and(|t| t.in_epoch())
    }

    /// Starts an optimiser race: SGD, Adam, RMSprop and ALS from the same initial factors on the
    /// same split (ALS fits squared error; the others the given loss). Returns their names.
    #[wasm_bindgen(js_name = raceStart)]
    pub fn race_start(&mut self, params: JsValue, test_fraction: f64) -> JsResult<Vec<String>> {
        let params = convert::params_from_js(params)?;
        let data = self.data_ref()?.clone();
        let (train, test) = split_off(data, test_fraction, params.seed)?;
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
            let mut t = Trainer::new(train.clone(), p).map_err(|e| engine_error(&e))?;
            t.set_clock(host_clock);
            race.push((name, t));
        }
        self.race = race;
        self.race_test = test;
        Ok(self.race.iter().map(|(n, _)| n.to_string()).collect())
    }

    /// Runs `n` more epochs of every racer; returns `[{ name, reports }]`.
    #[wasm_bindgen(js_name = raceStep)]
    pub fn race_step(&mut self, n: u32) -> JsResult<JsValue> {
        if self.race.is_empty() {
            return Err(to_js_error("not_ready", "start a race first"));
        }
        let test = self.race_test.clone();
        let mut out = Vec::new();
        for (name, t) in &mut self.race {
            let reports = run_epochs(t, n, test.as_ref());
            out.push(convert::RaceLap { name, reports });
        }
        to_js(&out)
    }

    /// Accuracy on the training and test parts, ranking metrics at `k` on the test part (a test
    /// rating >= `threshold` is relevant on explicit data), and the same for the baselines
    /// (global mean, bias-only, popularity, random) fitted on the same training part. Needs a
    /// test part for the test and ranking figures.
    ///
    /// On large data the figures come from samples, so the table stays quick: training accuracy
    /// from at most 200,000 evenly spaced ratings, test figures from at most 1,000 evenly spaced
    /// users (with all of their test ratings).
    pub fn evaluate(&self, k: u32, threshold: f32) -> JsResult<JsValue> {
        let t = self.trainer_ref()?;
        let full_train = t.data();
        let m = t.model();
        let train_sample = sample_ratings(full_train, 200_000);
        let test_sample = self.test.as_ref().map(|ts| sample_users(ts, 1_000));
        let train = full_train;
        let mut rows = vec![convert::EvalRow::of(
            "model",
            accuracy(&train_sample, |u, i| m.predict(u, i)),
            test_sample
                .as_ref()
                .map(|ts| accuracy(ts, |u, i| m.predict(u, i))),
            test_sample
                .as_ref()
                .map(|ts| crate::metrics::model_ranking(m, train, ts, k as usize, threshold)),
        )];
        for kind in [
            BaselineKind::GlobalMean,
            BaselineKind::BiasOnly,
            BaselineKind::Popularity,
            BaselineKind::Random,
        ] {
            let b = Baseline::fit(kind, train, t.params().reg_bias, t.params().seed)
                .map_err(|e| engine_error(&e))?;
            // The global mean gives every item the same score: it cannot rank.
            let ranks = kind != BaselineKind::GlobalMean;
            let ranking = test_sample.as_ref().filter(|_| ranks).map(|ts| {
                crate::metrics::ranking(
                    train,
                    ts,
                    k as usize,
                    threshold,
                    Some(&m.item_factors),
                    |u| b.scores_for_user(u),
                )
            });
            rows.push(convert::EvalRow::of(
                kind.name(),
                accuracy(&train_sample, |u, i| b.predict(u, i)),
                self.test
                    .as_ref()
                    .map(|ts| accuracy(ts, |u, i| b.predict(u, i))),
                ranking,
            ));
        }
        let users_with_tests = |r: &Ratings| users_with_ratings(r).len();
        to_js(&convert::Evaluation {
            rows,
            train_ratings_used: train_sample.len(),
            train_ratings: full_train.len(),
            test_users_used: test_sample.as_ref().map_or(0, users_with_tests),
            test_users: self.test.as_ref().map_or(0, users_with_tests),
        })
    }

    /// Prepares k-fold cross-validation of the loaded data with these parameters (folds drawn
    /// with the parameters' seed). Returns the number of folds.
    #[wasm_bindgen(js_name = cvStart)]
    pub fn cv_start(&mut self, params: JsValue, folds: u32) -> JsResult<u32> {
        let params = convert::params_from_js(params)?;
        let data = self.data_ref()?;
        let splits = crate::data::split::k_fold(data, folds as usize, params.seed)
            .map_err(|e| engine_error(&e))?;
        self.cv = Some((params, splits));
        Ok(folds)
    }

    /// Trains and tests fold `fold` of the prepared cross-validation.
    #[wasm_bindgen(js_name = cvFold)]
    pub fn cv_fold(&self, fold: u32) -> JsResult<JsValue> {
        let (params, splits) = self
            .cv
            .as_ref()
            .ok_or_else(|| to_js_error("not_ready", "start a cross-validation first"))?;
        let split = splits.get(fold as usize).ok_or_else(|| {
            engine_error(&crate::Error::OutOfRange {
                what: "fold",
                index: fold as usize,
                len: splits.len(),
            })
        })?;
        let r = crate::cv::run_fold(fold as usize, split, params, Some(host_clock))
            .map_err(|e| engine_error(&e))?;
        to_js(&r)
    }

    /// The loaded ratings as `user,item,rating` CSV (to put small data sets in a link).
    #[wasm_bindgen(js_name = ratingsCsv)]
    pub fn ratings_csv(&self) -> JsResult<String> {
        Ok(self.data_ref()?.to_csv())
    }

    /// Epochs run so far.
    pub fn epoch(&self) -> u32 {
        self.trainer.as_ref().map_or(0, |t| t.epoch() as u32)
    }

    /// `[n_users, n_items]` of the loaded data.
    pub fn shape(&self) -> JsResult<Vec<u32>> {
        let d = self.data_ref()?;
        Ok(vec![d.n_users() as u32, d.n_items() as u32])
    }

    /// The shape of the matrix views: `{ rows, cols, rowStep, colStep }` (see [`crate::view`]).
    #[wasm_bindgen(js_name = viewShape)]
    pub fn view_shape(&self) -> JsResult<JsValue> {
        let d = self.data_ref()?;
        to_js(&view::ViewShape::of(d.n_users(), d.n_items()))
    }

    /// The observed matrix as a view, row-major, `NaN` where unknown.
    #[wasm_bindgen(js_name = observedMatrix)]
    pub fn observed_matrix(&self) -> JsResult<Float32Array> {
        Ok(Float32Array::from(
            view::observed(self.data_ref()?).as_slice(),
        ))
    }

    /// 1 where a view cell holds a test rating, 0 elsewhere.
    #[wasm_bindgen(js_name = testMask)]
    pub fn test_mask(&self) -> JsResult<Float32Array> {
        let d = self.data_ref()?;
        let mask = match &self.test {
            Some(t) => view::mask(t, d.n_users(), d.n_items()),
            None => vec![0.0; view::ViewShape::of(d.n_users(), d.n_items()).len()],
        };
        Ok(Float32Array::from(mask.as_slice()))
    }

    /// The model's predictions as a view, row-major.
    #[wasm_bindgen(js_name = predictedMatrix)]
    pub fn predicted_matrix(&self) -> JsResult<Float32Array> {
        Ok(Float32Array::from(
            view::predicted(self.trainer_ref()?.model()).as_slice(),
        ))
    }

    /// The generating model's values (synthetic data only) as a view.
    #[wasm_bindgen(js_name = truthMatrix)]
    pub fn truth_matrix(&self) -> JsResult<Float32Array> {
        let truth = self
            .truth
            .as_ref()
            .ok_or_else(|| to_js_error("not_ready", "only generated data has a known truth"))?;
        Ok(Float32Array::from(view::predicted(truth).as_slice()))
    }

    /// mu, b_u, b_i and each factor's part of one prediction.
    pub fn explain(&self, user: u32, item: u32) -> JsResult<JsValue> {
        let e = self
            .trainer_ref()?
            .model()
            .explain(user as usize, item as usize)
            .map_err(|e| engine_error(&e))?;
        to_js(&e)
    }

    /// Users and items mapped to 2-D (raw factors when k <= 2, else PCA).
    pub fn embeddings(&self) -> JsResult<JsValue> {
        let m = self.trainer_ref()?.model();
        to_js(&convert::Embeddings {
            users: project_2d(&m.user_factors),
            items: project_2d(&m.item_factors),
        })
    }

    /// The `n` best items for `user` among those they have not rated (for implicit data: not
    /// interacted with), and what they rated.
    pub fn recommend(&self, user: u32, n: u32) -> JsResult<JsValue> {
        let t = self.trainer_ref()?;
        let data = self.data_ref()?;
        let u = user as usize;
        let rated: Vec<(usize, f32)> = (0..data.len())
            .map(|k| data.get(k))
            .filter(|&(du, _, _)| du == u)
            .map(|(_, i, v)| (i, v))
            .collect();
        // For 0/1 data a stored 0 is "did not interact": exactly what may be recommended.
        let implicit = data.feedback() == crate::data::Feedback::Implicit;
        let exclude: Vec<usize> = rated
            .iter()
            .filter(|&&(_, v)| !implicit || v > 0.0)
            .map(|&(i, _)| i)
            .collect();
        let recs = t
            .model()
            .recommend(u, n as usize, &exclude)
            .map_err(|e| engine_error(&e))?;
        to_js(&convert::Recommendations {
            items: recs.into_iter().map(Scored::from).collect(),
            rated: rated.into_iter().map(Scored::from).collect(),
        })
    }

    /// The `n` items nearest to `item` by their factors (`"cosine"` or `"dot"`).
    #[wasm_bindgen(js_name = similarItems)]
    pub fn similar_items(&self, item: u32, n: u32, similarity: &str) -> JsResult<JsValue> {
        let sim = match similarity {
            "cosine" => Similarity::Cosine,
            "dot" => Similarity::Dot,
            other => {
                return Err(to_js_error(
                    "invalid_param",
                    &format!("similarity \"{other}\": choose cosine or dot"),
                ))
            }
        };
        let out = self
            .trainer_ref()?
            .model()
            .similar_items(item as usize, n as usize, sim)
            .map_err(|e| engine_error(&e))?;
        to_js(&out.into_iter().map(Scored::from).collect::<Vec<_>>())
    }

    /// Recommendations for a new user from a few ratings (`items[k]` rated `values[k]`), with
    /// the items held fixed (fold-in), leaving out the rated items.
    #[wasm_bindgen(js_name = foldIn)]
    pub fn fold_in(&self, items: Vec<u32>, values: Vec<f32>, n: u32) -> JsResult<JsValue> {
        if items.len() != values.len() {
            return Err(to_js_error(
                "invalid_param",
                "items and values differ in length",
            ));
        }
        let t = self.trainer_ref()?;
        let m = t.model();
        let ratings: Vec<(usize, f32)> = items.iter().map(|&i| i as usize).zip(values).collect();
        let p = t.params();
        let (bias, factors) = m
            .fold_in(&ratings, p.reg_factor, p.use_user_bias)
            .map_err(|e| engine_error(&e))?;
        let scores: Vec<f32> = (0..m.n_items())
            .map(|i| m.score_new_user(bias, &factors, i))
            .collect();
        let mut skip = vec![false; m.n_items()];
        for &(i, _) in &ratings {
            skip[i] = true;
        }
        let best: Vec<Scored> = crate::metrics::rank_items(&scores, &skip)
            .into_iter()
            .take(n as usize)
            .map(|i| Scored::from((i, scores[i])))
            .collect();
        to_js(&best)
    }

    fn replace_data(
        &mut self,
        data: Ratings,
        groups: Option<Groups>,
        truth: Option<MfModel>,
    ) -> JsResult<JsValue> {
        let summary = DataSummary::of(&data, groups.as_ref(), truth.is_some());
        self.data = Some(data);
        self.groups = groups;
        self.truth = truth;
        self.trainer = None;
        self.test = None;
        self.race.clear();
        self.race_test = None;
        self.cv = None;
        to_js(&summary)
    }

    fn data_ref(&self) -> JsResult<&Ratings> {
        self.data
            .as_ref()
            .ok_or_else(|| to_js_error("not_ready", "no data set is loaded"))
    }

    fn trainer_ref(&self) -> JsResult<&Trainer> {
        self.trainer
            .as_ref()
            .ok_or_else(|| to_js_error("not_ready", "no model yet: configure one first"))
    }

    fn trainer_mut(&mut self) -> JsResult<&mut Trainer> {
        self.trainer
            .as_mut()
            .ok_or_else(|| to_js_error("not_ready", "no model yet: configure one first"))
    }
}

/// Runs up to `n` epochs (stopping at divergence), each reported with its test errors.
fn run_epochs(t: &mut Trainer, n: u32, test: Option<&Ratings>) -> Vec<EpochDto> {
    let mut reports = Vec::with_capacity(n as usize);
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
fn split_off(data: Ratings, fraction: f64, seed: u64) -> JsResult<(Ratings, Option<Ratings>)> {
    if fraction > 0.0 {
        let s = holdout(&data, fraction, seed).map_err(|e| engine_error(&e))?;
        Ok((s.train, Some(s.test)))
    } else {
        Ok((data, None))
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
fn with_titles(data: &mut Ratings, titles: &[u8]) -> JsResult<Groups> {
    let (_, genres) = read_item_metadata(titles, data).map_err(|e| engine_error(&e))?;
    Ok(Groups::from_labels(&genres))
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}
