//! The JavaScript boundary: the [`crate::session::Session`] that lives in the Web Worker, with
//! the page's [`Limits`].
//!
//! Each method converts its inputs, calls the native session and converts the result; there is
//! no logic here. Bulk numbers leave as `Float32Array`s (row-major, with the shape from
//! `shape()`); small structured values as plain objects with camelCase fields
//! (serde-wasm-bindgen). Engine errors become a JavaScript `Error` whose `name` is `"MfpError"`
//! and whose `code` is [`crate::Error::code`].

mod convert;
mod files;
mod runs;

use js_sys::Float32Array;
use wasm_bindgen::prelude::*;

use crate::data::builtin;
use crate::data::parse::ReadOptions;
use crate::data::split::Holdout;
use crate::model::Similarity;
use crate::session::{self, Limits};
use crate::synthetic::SyntheticParams;

use convert::{engine_error, from_js, params_from_js, to_js, to_js_error};

/// The playground's session, as JavaScript sees it.
#[wasm_bindgen]
pub struct Session {
    inner: session::Session,
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

/// The threaded package's `initThreadPool(n)`: starts `n` Web Workers sharing this module's
/// memory as rayon's threads (the engine worker calls it once, where the page is cross-origin
/// isolated).
#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// How many threads the engine trains on: 1 in the plain package, the pool's in the threaded one.
#[wasm_bindgen(js_name = engineThreads)]
pub fn engine_threads() -> u32 {
    crate::parallel::threads() as u32
}

thread_local! {
    /// The message of the last panic. A panic aborts the module (it traps with `unreachable`),
    /// so the worker reads this afterwards to say what happened before it starts a new engine.
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Keeps each panic's message for [`Session::last_panic`]. Set once, by the first session.
fn keep_panic_messages() {
    static SET: std::sync::Once = std::sync::Once::new();
    SET.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let payload = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".into());
            let msg = match info.location() {
                Some(l) => format!("{payload} (at {}:{})", l.file(), l.line()),
                None => payload,
            };
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(msg));
        }));
    });
}

/// An engine result as a plain JavaScript value, or the error as an `MfpError`.
fn js<T: serde::Serialize>(r: crate::Result<T>) -> JsResult<JsValue> {
    r.map_err(|e| engine_error(&e)).and_then(|v| to_js(&v))
}

fn float32(r: crate::Result<Vec<f32>>) -> JsResult<Float32Array> {
    r.map(|v| Float32Array::from(v.as_slice()))
        .map_err(|e| engine_error(&e))
}

fn unit(r: crate::Result<()>) -> JsResult<()> {
    r.map_err(|e| engine_error(&e))
}

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        keep_panic_messages();
        Session {
            inner: session::Session::new(Limits::PAGE, Some(host_clock)),
        }
    }

    /// The message of the last panic, if there was one (read after the module trapped).
    #[wasm_bindgen(js_name = lastPanic)]
    pub fn last_panic() -> Option<String> {
        LAST_PANIC.with(|p| p.borrow().clone())
    }

    /// Fault injection for the tests of the worker's recovery: `"panic"` panics, `"oom"`
    /// allocates until the memory is exhausted (the allocator then aborts). Anything else is an
    /// `invalid_param` error.
    #[wasm_bindgen(js_name = simulateFault)]
    pub fn simulate_fault(kind: &str) -> JsResult<()> {
        match kind {
            "panic" => panic!("simulated panic (fault-injection test)"),
            "oom" => {
                // 64 x 256 MiB is four times what wasm32 can address.
                let mut hold: Vec<Vec<u8>> = Vec::new();
                for _ in 0..64 {
                    hold.push(std::hint::black_box(Vec::with_capacity(256 << 20)));
                }
                Err(to_js_error(
                    "internal",
                    &format!("{} allocations did not run out of memory", hold.len()),
                ))
            }
            other => Err(to_js_error(
                "invalid_param",
                &format!("fault \"{other}\": choose panic or oom"),
            )),
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

    /// The page's limits: `{ maxUsers, maxItems, maxRatings, maxParameters }`.
    pub fn limits() -> JsResult<JsValue> {
        to_js(&Limits::PAGE)
    }

    /// What the engine has: `{ algorithms, families, losses, tools }`, each algorithm's
    /// [`AlgorithmInfo`](crate::train::AlgorithmInfo) in menu order and each model family's
    /// [`FamilyInfo`](crate::train::family::FamilyInfo). The page builds its optimiser and
    /// family menus, enabling rules and race from it.
    pub fn describe() -> JsResult<JsValue> {
        // Fields spelled out: serde-wasm-bindgen makes a flattened struct a Map, not an object.
        #[derive(serde::Serialize)]
        struct Described {
            algorithms: Vec<crate::train::AlgorithmInfo>,
            families: Vec<crate::train::family::FamilyInfo>,
            losses: Vec<crate::train::loss::LossInfo>,
            /// The tools the Code button writes for: `{ name, label }`.
            tools: Vec<Tool>,
        }
        #[derive(serde::Serialize)]
        struct Tool {
            name: &'static str,
            label: &'static str,
        }
        let registry = crate::train::registry::Description::now();
        to_js(&Described {
            algorithms: registry.algorithms,
            families: registry.families,
            losses: registry.losses,
            tools: crate::code::Tool::ALL
                .iter()
                .map(|t| Tool {
                    name: t.name(),
                    label: t.label(),
                })
                .collect(),
        })
    }

    /// The requests the worker answers, each `{ name, effect }` (see
    /// [`crate::session::protocol`]).
    pub fn protocol() -> JsResult<JsValue> {
        to_js(&session::protocol::REQUESTS)
    }

    /// Loads a built-in data set, dropping any model. Returns a summary of the data.
    #[wasm_bindgen(js_name = loadBuiltin)]
    pub fn load_builtin(&mut self, name: &str) -> JsResult<JsValue> {
        js(self.inner.load_builtin(name))
    }

    /// Generates a synthetic data set with planted genres (a plain object of
    /// `SyntheticParams`, camelCase); the truth stays available for comparison.
    pub fn generate(&mut self, params: JsValue) -> JsResult<JsValue> {
        let p: SyntheticParams = from_js(params, &SyntheticParams::default())?;
        js(self.inner.generate(&p))
    }

    /// Reads a file's bytes without loading it (see `session::Session::preview_bytes`).
    /// `progress`, if given, is called with the fraction of the file read so far.
    #[wasm_bindgen(js_name = previewBytes)]
    pub fn preview_bytes(
        &mut self,
        bytes: &[u8],
        options: JsValue,
        titles: Option<Vec<u8>>,
        progress: Option<js_sys::Function>,
    ) -> JsResult<JsValue> {
        let opts: ReadOptions = from_js(options, &ReadOptions::default())?;
        let mut report = |f: f64| {
            if let Some(cb) = &progress {
                // A failing progress callback must not stop the parse.
                let _ = cb.call1(&JsValue::NULL, &JsValue::from_f64(f));
            }
        };
        js(self
            .inner
            .preview_bytes(bytes, &opts, titles.as_deref(), &mut report))
    }

    /// Loads the data of the last preview, dropping the model.
    #[wasm_bindgen(js_name = commitPreview)]
    pub fn commit_preview(&mut self) -> JsResult<JsValue> {
        js(self.inner.commit_preview())
    }

    /// Reads and loads a file at once (with an optional titles file).
    #[wasm_bindgen(js_name = loadBytes)]
    pub fn load_bytes(
        &mut self,
        bytes: &[u8],
        options: JsValue,
        titles: Option<Vec<u8>>,
    ) -> JsResult<JsValue> {
        let opts: ReadOptions = from_js(options, &ReadOptions::default())?;
        js(self.inner.load_bytes(bytes, &opts, titles.as_deref()))
    }

    /// A separate test file for the loaded data (`undefined` goes back to a random test share);
    /// drops the model. Returns `{ nRatings, dropped }` or `null`.
    #[wasm_bindgen(js_name = setTestFile)]
    pub fn set_test_file(&mut self, bytes: Option<Vec<u8>>, options: JsValue) -> JsResult<JsValue> {
        let opts: ReadOptions = from_js(options, &ReadOptions::default())?;
        js(self.inner.set_test_bytes(bytes.as_deref(), &opts))
    }

    /// How the test part is held out of the data: `"random"`, `"onePerUser"` or `"latest"`
    /// (by time); drops the model.
    #[wasm_bindgen(js_name = setHoldout)]
    pub fn set_holdout(&mut self, holdout: &str) -> JsResult<()> {
        unit(Holdout::by_name(holdout).and_then(|h| self.inner.set_holdout(h)))
    }

    /// Applies an item-titles file to the loaded data, keeping the model. Returns the summary.
    #[wasm_bindgen(js_name = setTitles)]
    pub fn set_titles(&mut self, titles: &[u8]) -> JsResult<JsValue> {
        js(self.inner.set_titles(titles))
    }

    /// Reads a features file for the loaded data's users (`side` "user") or items ("item"), or
    /// with no bytes takes that side's features away; the model stays. Returns what was read
    /// and the data's summary.
    #[wasm_bindgen(js_name = setFeatures)]
    pub fn set_features(&mut self, side: &str, bytes: Option<Vec<u8>>) -> JsResult<JsValue> {
        js(crate::data::Side::by_name(side)
            .and_then(|side| self.inner.set_features(side, bytes.as_deref())))
    }

    /// Sets (or, with `NaN`, removes) one rating, keeping the model.
    #[wasm_bindgen(js_name = setRating)]
    pub fn set_rating(&mut self, user: u32, item: u32, value: f32) -> JsResult<JsValue> {
        let value = (!value.is_nan()).then_some(value);
        js(self.inner.set_rating(user as usize, item as usize, value))
    }

    /// Builds a fresh model with the given parameters (a plain object with camelCase fields;
    /// missing fields take their defaults, unknown fields are rejected), holding out a seeded
    /// random `test_fraction` of the ratings (0 trains on everything).
    ///
    /// `early`, if given, is `{ validation, patience }`: early stopping on a validation share
    /// of the training ratings.
    pub fn configure(
        &mut self,
        params: JsValue,
        test_fraction: f64,
        early: JsValue,
    ) -> JsResult<()> {
        let params = params_from_js(params)?;
        let early: Option<session::EarlyStopping> = if early.is_undefined() || early.is_null() {
            None
        } else {
            Some(
                serde_wasm_bindgen::from_value(early)
                    .map_err(|e| to_js_error("invalid_param", &format!("early stopping: {e}")))?,
            )
        };
        unit(self.inner.configure_with(params, test_fraction, early))
    }

    /// Goes back to the best model early stopping kept; returns its epoch.
    #[wasm_bindgen(js_name = restoreBest)]
    pub fn restore_best(&mut self) -> JsResult<u32> {
        self.inner
            .restore_best()
            .map(|e| e as u32)
            .map_err(|e| engine_error(&e))
    }

    /// Shows explicit ratings as 0/1 (`rating >= threshold` is 1); `undefined` brings the
    /// ratings back. Returns the data's summary.
    #[wasm_bindgen(js_name = setImplicitThreshold)]
    pub fn set_implicit_threshold(&mut self, threshold: Option<f32>) -> JsResult<JsValue> {
        js(self.inner.set_implicit_threshold(threshold))
    }

    /// Prepares the balance sweep (`grid`: `{ factors, regs, epochs }`, missing lists take the
    /// defaults) on `params`; returns the number of points.
    #[wasm_bindgen(js_name = sweepStart)]
    pub fn sweep_start(
        &mut self,
        params: JsValue,
        grid: JsValue,
        test_fraction: f64,
    ) -> JsResult<u32> {
        let params = params_from_js(params)?;
        let grid: crate::sweep::SweepGrid = from_js(grid, &crate::sweep::SweepGrid::default())?;
        self.inner
            .sweep_start(params, &grid, test_fraction)
            .map(|n| n as u32)
            .map_err(|e| engine_error(&e))
    }

    /// Trains and tests one point of the sweep.
    #[wasm_bindgen(js_name = sweepPoint)]
    pub fn sweep_point(&mut self, index: u32) -> JsResult<JsValue> {
        js(self.inner.sweep_point(index as usize))
    }

    /// The points so far and the Pareto fronts: `{ points, bySize, byTime }`.
    /// Records a sweep point trained by another engine with the same data and sweep (a
    /// `sweepPoint` reply), for the fronts.
    #[wasm_bindgen(js_name = sweepRecord)]
    pub fn sweep_record(&mut self, point: JsValue) -> JsResult<()> {
        let point = serde_wasm_bindgen::from_value(point)
            .map_err(|e| to_js_error("invalid_param", &format!("sweep point: {e}")))?;
        unit(self.inner.sweep_record(point))
    }

    #[wasm_bindgen(js_name = sweepFronts)]
    pub fn sweep_fronts(&self) -> JsResult<JsValue> {
        js(self.inner.sweep_fronts())
    }

    /// Changes hyper-parameters from the next epoch on, keeping the model.
    #[wasm_bindgen(js_name = setParams)]
    pub fn set_params(&mut self, params: JsValue) -> JsResult<()> {
        let params = params_from_js(params)?;
        unit(self.inner.set_params(params))
    }

    /// Runs up to `n` epochs (stopping early on divergence) and returns their reports.
    #[wasm_bindgen(js_name = trainEpochs)]
    pub fn train_epochs(&mut self, n: u32) -> JsResult<JsValue> {
        js(self.inner.train_epochs(n))
    }

    /// True once `configure` has built a model.
    #[wasm_bindgen(js_name = hasModel)]
    pub fn has_model(&self) -> bool {
        self.inner.has_model()
    }

    /// Runs at most about `budget` rating updates; returns the epoch's report when an epoch
    /// completes, else `null`.
    pub fn advance(&mut self, budget: u32) -> JsResult<JsValue> {
        js(self.inner.advance(budget))
    }

    /// True while an epoch is partly done.
    #[wasm_bindgen(js_name = inEpoch)]
    pub fn in_epoch(&self) -> bool {
        self.inner.in_epoch()
    }

    /// Starts an optimiser race; returns the racers' names.
    #[wasm_bindgen(js_name = raceStart)]
    pub fn race_start(&mut self, params: JsValue, test_fraction: f64) -> JsResult<Vec<String>> {
        let params = params_from_js(params)?;
        self.inner
            .race_start(params, test_fraction)
            .map_err(|e| engine_error(&e))
    }

    /// Runs `n` more epochs of every racer, or of those at the places `entries` lists;
    /// returns `[{ name, reports }]`.
    #[wasm_bindgen(js_name = raceStep)]
    pub fn race_step(&mut self, n: u32, entries: Option<Vec<u32>>) -> JsResult<JsValue> {
        let entries: Option<Vec<usize>> =
            entries.map(|e| e.into_iter().map(|i| i as usize).collect());
        js(self.inner.race_step(n, entries.as_deref()))
    }

    /// The evaluation table: the model and the baselines (see `session::Session::evaluate`).
    pub fn evaluate(&self, k: u32, threshold: f32) -> JsResult<JsValue> {
        js(self.inner.evaluate(k as usize, threshold))
    }

    /// Prepares k-fold cross-validation; returns the number of folds.
    #[wasm_bindgen(js_name = cvStart)]
    pub fn cv_start(&mut self, params: JsValue, folds: u32) -> JsResult<u32> {
        let params = params_from_js(params)?;
        self.inner
            .cv_start(params, folds as usize)
            .map(|n| n as u32)
            .map_err(|e| engine_error(&e))
    }

    /// Trains and tests fold `fold` of the prepared cross-validation.
    #[wasm_bindgen(js_name = cvFold)]
    pub fn cv_fold(&self, fold: u32) -> JsResult<JsValue> {
        js(self.inner.cv_fold(fold as usize))
    }

    /// Sets up the exploration lab from a plain object (`LabSetup`, camelCase: world,
    /// worldUsers, worldItems, worldGenres, worldSeed, policies, ab, config); returns the arms'
    /// names.
    #[wasm_bindgen(js_name = labStart)]
    pub fn lab_start(&mut self, setup: JsValue) -> JsResult<Vec<String>> {
        let setup: session::LabSetup = from_js(setup, &session::LabSetup::default())?;
        self.inner.lab_start(&setup).map_err(|e| engine_error(&e))
    }

    /// Runs `n` rounds of the lab: `{ rounds: [[stats per arm]], intervals }`.
    #[wasm_bindgen(js_name = labStep)]
    pub fn lab_step(&mut self, n: u32, ab: Option<bool>) -> JsResult<JsValue> {
        js(self.inner.lab_step(n as usize, ab.unwrap_or(false)))
    }

    /// A/A tests on the lab's world: what peeking does to false alarms.
    #[wasm_bindgen(js_name = aaPeeking)]
    pub fn aa_peeking(
        &self,
        users_per_round: u32,
        rounds: u32,
        runs: u32,
        seed: u32,
    ) -> JsResult<JsValue> {
        js(self.inner.aa_peeking(
            users_per_round as usize,
            rounds as usize,
            runs as usize,
            seed as u64,
        ))
    }

    /// Starts a t-SNE or UMAP map of the model's user or item embeddings, from `{ method, side,
    /// table?, tsne?, umap? }`: `{ method, side, rows, total, steps, perplexity }`.
    #[wasm_bindgen(js_name = mapStart)]
    pub fn map_start(&mut self, request: JsValue) -> JsResult<JsValue> {
        let req = from_js(request, &session::MapRequest::default())?;
        js(self.inner.map_start(&req))
    }

    /// Advances the map by up to `steps` steps: `{ coords, step, steps, done }`.
    #[wasm_bindgen(js_name = mapStep)]
    pub fn map_step(&mut self, steps: u32) -> JsResult<JsValue> {
        let s = self
            .inner
            .map_step(steps as usize)
            .map_err(|e| engine_error(&e))?;
        // The coordinates as a Float32Array (transferred to the page), not an array of numbers.
        let out = js_sys::Object::new();
        for (key, value) in [
            ("coords", Float32Array::from(s.coords.as_slice()).into()),
            ("step", JsValue::from(s.step as u32)),
            ("steps", JsValue::from(s.steps as u32)),
            ("done", JsValue::from(s.done)),
        ] {
            js_sys::Reflect::set(&out, &JsValue::from_str(key), &value)?;
        }
        Ok(out.into())
    }

    /// Off-policy estimates on the lab's world, from `{ logging, target, impressions, logs,
    /// seed }` (each policy `{ kind, epsilon?, temperature? }`).
    #[wasm_bindgen(js_name = labOffPolicy)]
    pub fn lab_off_policy(&self, config: JsValue) -> JsResult<JsValue> {
        let cfg = from_js(config, &crate::lab::ope::OpeConfig::default())?;
        js(self.inner.lab_off_policy(&cfg))
    }

    /// Epochs run so far.
    pub fn epoch(&self) -> u32 {
        self.inner.epoch() as u32
    }

    /// `[n_users, n_items]` of the loaded data.
    pub fn shape(&self) -> JsResult<Vec<u32>> {
        self.inner
            .shape()
            .map(|(u, i)| vec![u as u32, i as u32])
            .map_err(|e| engine_error(&e))
    }

    /// The shape of the matrix views: `{ rows, cols, rowStep, colStep }` (see [`crate::view`]).
    #[wasm_bindgen(js_name = viewShape)]
    pub fn view_shape(&self) -> JsResult<JsValue> {
        js(self.inner.view_shape())
    }

    /// The observed matrix as a view, row-major, `NaN` where unknown.
    #[wasm_bindgen(js_name = observedMatrix)]
    pub fn observed_matrix(&self) -> JsResult<Float32Array> {
        float32(self.inner.observed_matrix())
    }

    /// 1 where a view cell holds a test rating, 0 elsewhere.
    #[wasm_bindgen(js_name = testMask)]
    pub fn test_mask(&self) -> JsResult<Float32Array> {
        float32(self.inner.test_mask())
    }

    /// The model's predictions as a view, row-major.
    /// Observed minus predicted per view cell (block means of each rating's own residual).
    #[wasm_bindgen(js_name = residualMatrix)]
    pub fn residual_matrix(&self) -> JsResult<Float32Array> {
        float32(self.inner.residual_matrix())
    }

    #[wasm_bindgen(js_name = predictedMatrix)]
    pub fn predicted_matrix(&self) -> JsResult<Float32Array> {
        float32(self.inner.predicted_matrix())
    }

    /// The generating model's values (synthetic data only) as a view.
    #[wasm_bindgen(js_name = truthMatrix)]
    pub fn truth_matrix(&self) -> JsResult<Float32Array> {
        float32(self.inner.truth_matrix())
    }

    /// mu, b_u, b_i and each factor's part of one prediction.
    pub fn explain(&self, user: u32, item: u32) -> JsResult<JsValue> {
        js(self.inner.explain(user as usize, item as usize))
    }

    /// Users and items mapped to 2-D (raw factors when k <= 2, else PCA), of the embedding
    /// table `table` (`gmf` or `mlp` for a network; none: its first); with the coordinates shown
    /// before, turned to match them (Procrustes).
    pub fn embeddings(
        &self,
        table: Option<String>,
        previous_users: Option<Vec<f32>>,
        previous_items: Option<Vec<f32>>,
    ) -> JsResult<JsValue> {
        let previous = match (&previous_users, &previous_items) {
            (Some(u), Some(i)) => Some((u.as_slice(), i.as_slice())),
            _ => None,
        };
        js(self.inner.embeddings_aligned(table.as_deref(), previous))
    }

    /// The `n` best items for `user` among those they have not rated, and what they rated.
    pub fn recommend(&self, user: u32, n: u32) -> JsResult<JsValue> {
        js(self.inner.recommend(user as usize, n as usize))
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
        js(self.inner.similar_items(item as usize, n as usize, sim))
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
        let ratings: Vec<(usize, f32)> = items.iter().map(|&i| i as usize).zip(values).collect();
        js(self.inner.fold_in(&ratings, n as usize))
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}
