//! Runs in the page: the current model kept as a run ([`crate::run`], the format `mfp train
//! --run-out` writes), and a run opened again on the data it was trained on.

use serde_json::{json, Map, Value};

use super::Session;
use crate::error::{Error, Result};
use crate::run::{self, num, DataRef, PerUser, Run, SplitRef};
use crate::train::TrainParams;

/// What the page asks of a run: its name (empty: the engine's), the data's name, the
/// evaluation's cut-off and relevance threshold, and the page's knobs to keep with it.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub name: String,
    pub data_name: String,
    pub k: usize,
    pub threshold: f32,
    pub knobs: Option<Value>,
}

/// A run opened: the model's parameters and epoch, the run's curves, and what the user should
/// know (its test part is not the one the run had).
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Opened {
    pub params: TrainParams,
    pub epoch: usize,
    pub curves: Vec<run::Epoch>,
    pub notes: Vec<String>,
}

impl Session {
    /// The current model as a run: its knobs, the data's and the split's fingerprints, the
    /// curves of the epochs trained here, the evaluation's figures for the model (as
    /// [`Session::evaluate`] computes them, on the same sample of test users, without the
    /// baselines) with each of those
    /// users' own, and the model file when it is at most [`run::MODEL_BUDGET`] bytes.
    pub fn make_run(&self, req: &RunRequest) -> Result<Run> {
        let f = self.fit()?;
        let t = f.sound()?;
        let (evaluation, sample) = self.evaluate_sample(req.k, req.threshold, false)?;
        let model = &evaluation.rows[0];
        let params = t.params();
        let seconds: f64 = f.curves.iter().map(|c| c.seconds).sum();
        let mut metrics: Map<String, Value> = json!({
            "family": params.family.name(),
            "algo": params.optimizer.name(),
            "factors": params.n_factors,
            "epochs": t.epoch(),
            "loss": params.loss.name(),
            "parameters": t.n_parameters(),
            "seconds": seconds,
            "train_rmse": num(model.train_rmse),
            "train_mae": num(model.train_mae),
            "test_users": evaluation.test_users_used,
        })
        .as_object()
        .cloned()
        .expect("an object");
        if let (Some(r), Some(m)) = (model.test_rmse, model.test_mae) {
            metrics.insert("test_rmse".into(), num(r));
            metrics.insert("test_mae".into(), num(m));
        }
        if params.family.has_mlp() {
            metrics.insert("layers".into(), json!(params.layers));
        }
        let per_user = match (&sample, &model.ranking) {
            (Some(test), Some(ranked)) => {
                metrics.extend(run::ranking_figures(ranked));
                PerUser::of(t, t.data(), test, ranked)
            }
            _ => PerUser::none(req.k),
        };
        let data = self.data_ref()?;
        let file = self.export_model(&req.data_name)?;
        let name = if req.name.trim().is_empty() {
            run::default_name(params, t.epoch())
        } else {
            req.name.trim().to_string()
        };
        Ok(Run {
            format: run::FORMAT.into(),
            version: run::VERSION,
            name,
            params: params.clone(),
            data: DataRef::of(req.data_name.clone(), data),
            split: SplitRef::of(f.split.clone(), t.data(), f.test.as_ref()),
            curves: f.curves.clone(),
            metrics,
            per_user,
            model: run::kept_model(&file),
            knobs: req.knobs.clone(),
        })
    }

    /// Opens a run's model on the loaded data, which must be the data it was trained on (the
    /// same fingerprint), as [`Session::import_model`] opens a model file; its curves come back
    /// with it. When the test part `test_fraction` and the model's seed make is not the run's,
    /// a note says so: the figures will differ from the run's.
    pub fn open_run(&mut self, text: &str, test_fraction: f64) -> Result<Opened> {
        let r = Run::read(text)?;
        let data = self.data_ref()?;
        let here = data.fingerprint();
        if r.data.fingerprint != here {
            return Err(Error::invalid(
                "run",
                &r.name,
                format!(
                    "was trained on other data ({}, {} ratings, fingerprint {}; the loaded data has {} ratings, fingerprint {}): load that data first",
                    r.data.name,
                    r.data.n_ratings,
                    r.data.fingerprint,
                    data.len(),
                    here
                ),
            ));
        }
        let model = r.model_json()?;
        let (params, epoch) = self.import_model(&model, test_fraction)?;
        let f = self.fit_mut()?;
        f.curves = r.curves.clone();
        let mut notes = Vec::new();
        let test = f
            .test
            .as_ref()
            .map_or_else(String::new, |t| t.fingerprint());
        if test != r.split.test || f.trainer.data().fingerprint() != r.split.train {
            notes.push(format!(
                "this run was tested on another test part ({}; now {}): its figures here will differ from the run's",
                r.split.description, f.split
            ));
        }
        Ok(Opened {
            params,
            epoch,
            curves: r.curves,
            notes,
        })
    }
}
