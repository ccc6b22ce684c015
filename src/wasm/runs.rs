//! Runs across the JavaScript boundary (a third `impl` block of the one `Session` class): the
//! model kept as a run, a run opened, two compared, files of runs read and written. Runs cross
//! as their JSON text, the file format itself, which the page keeps as it is.

use wasm_bindgen::prelude::*;

use super::convert::{engine_error, to_js_error};
use super::{js, JsResult, Session};
use crate::run::{self, Run};
use crate::session::RunRequest;

#[wasm_bindgen]
impl Session {
    /// The current model as a run (its JSON): named `name` (empty: the engine's name), the data
    /// named `data_name`, ranked at `k` with relevance from `threshold`, keeping the page's
    /// `knobs` (their JSON, or none).
    #[wasm_bindgen(js_name = makeRun)]
    pub fn make_run(
        &self,
        name: String,
        data_name: String,
        k: u32,
        threshold: f32,
        knobs: Option<String>,
    ) -> JsResult<String> {
        let knobs = knobs
            .map(|k| serde_json::from_str(&k))
            .transpose()
            .map_err(|e| to_js_error("invalid_param", &format!("the knobs are not JSON: {e}")))?;
        let req = RunRequest {
            name,
            data_name,
            k: k as usize,
            threshold,
            knobs,
        };
        self.inner
            .make_run(&req)
            .map(|r| r.to_json())
            .map_err(|e| engine_error(&e))
    }

    /// Opens a run's model on the loaded data: `{ params, epoch, curves, notes, report }`.
    #[wasm_bindgen(js_name = openRun)]
    pub fn open_run(&mut self, json: &str, test_fraction: f64) -> JsResult<JsValue> {
        // Fields spelled out: serde-wasm-bindgen makes a flattened struct a Map, not an object.
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Opened {
            params: crate::train::TrainParams,
            epoch: usize,
            curves: Vec<run::Epoch>,
            notes: Vec<String>,
            report: crate::session::EpochDto,
        }
        let session = &mut self.inner;
        js(session.open_run(json, test_fraction).and_then(|o| {
            Ok(Opened {
                params: o.params,
                epoch: o.epoch,
                curves: o.curves,
                notes: o.notes,
                report: session.model_report()?,
            })
        }))
    }

    /// Runs `a` and `b` (their JSON) compared user by user (see `run::compare`).
    #[wasm_bindgen(js_name = compareRuns)]
    pub fn compare_runs(a: &str, b: &str, rounds: u32, seed: u32) -> JsResult<JsValue> {
        js(both(a, b).and_then(|(a, b)| run::compare(&a, &b, rounds as usize, seed as u64)))
    }

    /// Runs `a` and `b`'s maps of `side` (`"items"` or `"users"`), B's turned onto A's.
    #[wasm_bindgen(js_name = compareMaps)]
    pub fn compare_maps(a: &str, b: &str, side: &str) -> JsResult<JsValue> {
        js(both(a, b).and_then(|(a, b)| run::compare_maps(&a, &b, side)))
    }

    /// The runs of a run file or a file of runs, each as its JSON.
    #[wasm_bindgen(js_name = readRuns)]
    pub fn read_runs(text: &str) -> JsResult<Vec<String>> {
        Run::read_many(text)
            .map(|runs| runs.iter().map(Run::to_json).collect())
            .map_err(|e| engine_error(&e))
    }

    /// Runs (each its JSON) as one file of runs.
    #[wasm_bindgen(js_name = writeRuns)]
    pub fn write_runs(runs: Vec<String>) -> JsResult<String> {
        let runs = runs
            .iter()
            .map(|r| Run::read(r))
            .collect::<crate::error::Result<Vec<_>>>()
            .map_err(|e| engine_error(&e))?;
        Ok(Run::write_many(&runs))
    }
}

/// Runs `a` and `b` read from their JSON.
fn both(a: &str, b: &str) -> crate::error::Result<(Run, Run)> {
    Ok((Run::read(a)?, Run::read(b)?))
}
