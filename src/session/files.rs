//! Taking results out and back in: the model file (export, and import onto the same data to go
//! on training), the Embedding Projector's TSV, and predictions and recommendations as CSV.

use super::Session;
use crate::code::{script, split_files, SplitFiles, Tool};
use crate::data::Side;
use crate::error::{Error, Result};
use crate::model_file::spark::SparkModel;
use crate::model_file::{Projector, Saved};
use crate::train::TrainParams;

impl Session {
    /// The current model as a model file (JSON: for MF mu, biases and factors, for a network its
    /// embeddings and layers; hyper-parameters, seed, epoch and a reference to the data by
    /// `data_name` and size).
    pub fn export_model(&self, data_name: &str) -> Result<String> {
        Ok(self.saved(data_name)?.to_json())
    }

    fn saved(&self, data_name: &str) -> Result<Saved> {
        let t = self.sound_trainer()?;
        let d = self.data_ref()?;
        Ok(Saved::of(
            t.snapshot(),
            d,
            t.params().clone(),
            t.epoch(),
            data_name,
        ))
    }

    /// Takes a model file back: the loaded data must have the model's users and items (the
    /// same ids in the same order: load the data it was trained on first). The model continues
    /// from its epoch with its hyper-parameters, on the split `test_fraction` and its seed make.
    /// Returns the model's parameters and epoch.
    pub fn import_model(&mut self, json: &str, test_fraction: f64) -> Result<(TrainParams, usize)> {
        let saved = Saved::from_json(json)?;
        let d = self.data_ref()?;
        if saved.user_ids() != d.user_ids() || saved.item_ids() != d.item_ids() {
            return Err(Error::invalid(
                "model",
                format!(
                    "{} users x {} items from \"{}\" ({} ratings)",
                    saved.user_ids().len(),
                    saved.item_ids().len(),
                    saved.data().name,
                    saved.data().n_ratings
                ),
                format!(
                    "does not fit the loaded data ({} users x {} items): load the data the model was trained on first",
                    d.n_users(),
                    d.n_items()
                ),
            ));
        }
        // A hybrid model brings its features: data without features of its own takes them, so
        // that the model can be made (and trained on) here.
        if let Saved::Mf(m) = &saved {
            if let Some(parts) = m.model.features.as_deref() {
                let l = self.loaded_mut()?;
                for side in [Side::User, Side::Item] {
                    if let (Some(s), None) = (parts.side(side), l.data.features(side)) {
                        l.data.set_features(side, Some(s.matrix.clone()))?;
                        if let Some(e) = l.explicit.as_mut() {
                            e.ratings.set_features(side, Some(s.matrix.clone()))?;
                        }
                    }
                }
            }
        }
        let (params, epoch) = (saved.params().clone(), saved.epoch());
        self.configure(params.clone(), test_fraction)?;
        self.fit_mut()?.trainer.restore(saved.snapshot(), epoch)?;
        Ok((params, epoch))
    }

    /// Takes a model Spark MLlib's ALS saved (see `model_file::spark`) onto the loaded data,
    /// whose ids it was trained on, as [`Session::import_model`] takes a model file. `implicit`:
    /// trained with `implicitPrefs` (None: as the data's feedback says). Returns the model's
    /// parameters and epoch (0), and what the conversion did that the user should know.
    pub fn import_spark(
        &mut self,
        model: &SparkModel,
        implicit: Option<bool>,
        test_fraction: f64,
    ) -> Result<(TrainParams, usize, Vec<String>)> {
        let (saved, notes) = model.to_saved(self.data_ref()?, implicit, "the loaded ratings")?;
        let (params, epoch) = self.import_model(&saved.to_json(), test_fraction)?;
        Ok((params, epoch, notes.0))
    }

    /// The current model's knobs as a script for `tool` (see [`crate::code`]), with the split
    /// it trains and tests on as the script reads it: the model's own training part and test
    /// part. `k` is the ranking metrics' cut-off; `origin` says where the knobs came from.
    pub fn code(&self, tool: Tool, k: usize, origin: &str) -> Result<(String, SplitFiles)> {
        let fit = self.fit()?;
        let train = fit.trainer.data();
        let text = script(tool, fit.trainer.params(), train, k, origin)?;
        let test = fit.test.as_ref().ok_or_else(|| {
            Error::NotReady(
                "no test part: set the test share above 0 to get a test file for the script".into(),
            )
        })?;
        Ok((text, split_files(train, test)))
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
        let f = self.fit()?;
        let t = f.sound()?;
        let d = self.data_ref()?;
        let m = t;
        let mut out = String::from("user,item,rating,prediction,part\n");
        let parts = [(t.data(), "train")]
            .into_iter()
            .chain(f.test.as_ref().map(|ts| (ts, "test")));
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
}
