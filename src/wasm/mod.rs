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

use crate::data::{builtin, Ratings};
use crate::train::Trainer;

use convert::{to_js, to_js_error, DataSummary};

/// A data set and, once configured, a trainer on it.
#[wasm_bindgen]
pub struct Session {
    data: Option<Ratings>,
    trainer: Option<Trainer>,
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

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session {
            data: None,
            trainer: None,
        }
    }

    /// Names of the built-in data sets.
    #[wasm_bindgen(js_name = builtinNames)]
    pub fn builtin_names() -> Vec<String> {
        builtin::NAMES.iter().map(|s| s.to_string()).collect()
    }

    /// A random seed from the host's cryptographic generator.
    #[wasm_bindgen(js_name = randomSeed)]
    pub fn random_seed() -> Result<u32, JsValue> {
        getrandom::u32().map_err(|e| to_js_error("internal", &e.to_string()))
    }

    /// Loads a built-in data set, dropping any model. Returns a summary of the data.
    #[wasm_bindgen(js_name = loadBuiltin)]
    pub fn load_builtin(&mut self, name: &str) -> Result<JsValue, JsValue> {
        let data = builtin::by_name(name).map_err(|e| convert::engine_error(&e))?;
        let summary = DataSummary::of(&data);
        self.data = Some(data);
        self.trainer = None;
        to_js(&summary)
    }

    /// Builds a fresh model on the loaded data with the given parameters (a plain object with
    /// camelCase fields; missing fields take their defaults, unknown fields are rejected).
    pub fn configure(&mut self, params: JsValue) -> Result<(), JsValue> {
        let params = convert::params_from_js(params)?;
        let data = self.data.clone().ok_or_else(|| {
            to_js_error("not_ready", "load a data set before configuring a model")
        })?;
        let mut trainer = Trainer::new(data, params).map_err(|e| convert::engine_error(&e))?;
        trainer.set_clock(host_clock);
        self.trainer = Some(trainer);
        Ok(())
    }

    /// Changes hyper-parameters from the next epoch on, keeping the model.
    #[wasm_bindgen(js_name = setParams)]
    pub fn set_params(&mut self, params: JsValue) -> Result<(), JsValue> {
        let params = convert::params_from_js(params)?;
        self.trainer_mut()?
            .set_params(params)
            .map_err(|e| convert::engine_error(&e))
    }

    /// Runs up to `n` epochs (stopping early on divergence) and returns their reports.
    #[wasm_bindgen(js_name = trainEpochs)]
    pub fn train_epochs(&mut self, n: u32) -> Result<JsValue, JsValue> {
        let trainer = self.trainer_mut()?;
        let mut reports = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let r = trainer.step();
            let stop = r.diverged;
            reports.push(r);
            if stop {
                break;
            }
        }
        to_js(&reports)
    }

    /// Epochs run so far.
    pub fn epoch(&self) -> u32 {
        self.trainer.as_ref().map_or(0, |t| t.epoch() as u32)
    }

    /// `[n_users, n_items]` of the loaded data.
    pub fn shape(&self) -> Result<Vec<u32>, JsValue> {
        let d = self.data_ref()?;
        Ok(vec![d.n_users() as u32, d.n_items() as u32])
    }

    /// The observed matrix, row-major `(n_users, n_items)`, `NaN` where unknown.
    #[wasm_bindgen(js_name = observedMatrix)]
    pub fn observed_matrix(&self) -> Result<Float32Array, JsValue> {
        Ok(Float32Array::from(self.data_ref()?.to_dense().as_slice()))
    }

    /// The model's prediction for every cell, row-major `(n_users, n_items)`.
    #[wasm_bindgen(js_name = predictedMatrix)]
    pub fn predicted_matrix(&self) -> Result<Float32Array, JsValue> {
        let t = self.trainer_ref()?;
        Ok(Float32Array::from(t.model().predict_all().as_slice()))
    }

    /// mu, b_u, b_i and each factor's part of one prediction.
    pub fn explain(&self, user: u32, item: u32) -> Result<JsValue, JsValue> {
        let t = self.trainer_ref()?;
        let e = t
            .model()
            .explain(user as usize, item as usize)
            .map_err(|e| convert::engine_error(&e))?;
        to_js(&e)
    }

    fn data_ref(&self) -> Result<&Ratings, JsValue> {
        self.data
            .as_ref()
            .ok_or_else(|| to_js_error("not_ready", "no data set is loaded"))
    }

    fn trainer_ref(&self) -> Result<&Trainer, JsValue> {
        self.trainer
            .as_ref()
            .ok_or_else(|| to_js_error("not_ready", "no model yet: configure one first"))
    }

    fn trainer_mut(&mut self) -> Result<&mut Trainer, JsValue> {
        self.trainer
            .as_mut()
            .ok_or_else(|| to_js_error("not_ready", "no model yet: configure one first"))
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}
