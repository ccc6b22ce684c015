//! The model on the loaded data: its train/test split, its trainer, early stopping, and training
//! by epochs or by a budget of rating updates (so the page can pause inside a long epoch).

use super::{EpochDto, Session};
use crate::data::split::{holdout, Holdout};
use crate::data::Ratings;
use crate::error::{Error, Result};
use crate::fit::{Fitted, Snapshot};
use crate::metrics::accuracy;
use crate::train::{EpochReport, TrainParams};

/// Early stopping: a validation share of the training ratings, and how many epochs without a
/// better validation RMSE to wait.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EarlyStopping {
    pub validation: f64,
    pub patience: usize,
}

/// A configured model: its trainer (which owns the training part), the test part and early
/// stopping's state.
pub(super) struct Fit {
    pub(super) trainer: Fitted,
    pub(super) test: Option<Ratings>,
    early: Option<Early>,
    /// How the test part was made, in words (a run keeps them).
    pub(super) split: String,
    /// One point per epoch trained here (a run's curves).
    pub(super) curves: Vec<crate::run::Epoch>,
}

struct Early {
    validation: Ratings,
    patience: usize,
    /// The best epoch, its validation RMSE and its model.
    best: Option<(usize, f32, Snapshot)>,
    stalled: usize,
}

impl Fit {
    /// The model's RMSE and MAE on the test part, if there is one.
    fn test_accuracy(&self) -> Option<crate::metrics::Accuracy> {
        let m = &self.trainer;
        self.test
            .as_ref()
            .map(|ts| accuracy(ts, |u, i| m.predict(u, i)))
    }

    /// An epoch's report with the test errors and, with early stopping, the validation RMSE,
    /// the best epoch so far and whether to stop.
    fn report(&mut self, r: EpochReport) -> EpochDto {
        let mut dto = EpochDto::new(r, self.test_accuracy());
        let m = &self.trainer;
        if let Some(e) = self.early.as_mut() {
            let v = accuracy(&e.validation, |u, i| m.predict(u, i)).rmse;
            dto.validation_rmse = Some(v);
            if v.is_finite() && e.best.as_ref().is_none_or(|b| v < b.1) {
                e.best = Some((dto.epoch, v, m.snapshot()));
                e.stalled = 0;
            } else {
                e.stalled += 1;
            }
            dto.best_epoch = e.best.as_ref().map(|b| b.0);
            dto.stop = e.stalled >= e.patience;
        }
        let finite = |v: f32| v.is_finite().then_some(v);
        self.curves.retain(|c| c.epoch < dto.epoch);
        self.curves.push(crate::run::Epoch {
            epoch: dto.epoch,
            loss: finite(dto.loss),
            train_rmse: finite(dto.rmse),
            test_rmse: dto.test_rmse.and_then(finite),
            seconds: dto.millis / 1e3,
        });
        dto
    }

    /// Sets or removes one training rating; the cell leaves the test part, unless that would
    /// empty it.
    pub(super) fn set_rating(
        &mut self,
        user: usize,
        item: usize,
        value: Option<f32>,
    ) -> Result<()> {
        let train = self.trainer.data().with_cell(user, item, value)?;
        self.trainer.set_data(train)?;
        if let Some(test) = &self.test {
            if let Ok(smaller) = test.with_cell(user, item, None) {
                self.test = Some(smaller);
            }
        }
        Ok(())
    }

    /// The trainer, unless its model diverged: a diverged model's numbers are not finite, and
    /// nothing computed from them (rankings, explanations, maps) would mean anything.
    pub(super) fn sound(&self) -> Result<&Fitted> {
        if self.trainer.diverged() {
            return Err(Error::NotReady(
                "the model diverged (its numbers are no longer finite): lower the learning rate and reset it"
                    .into(),
            ));
        }
        Ok(&self.trainer)
    }
}

impl Session {
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
        self.limits.check_model(data, &params)?;
        let (mut train, test) = self.split(test_fraction, params.seed)?;
        let split = self.split_words(test_fraction, params.seed, early.as_ref());
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
        let trainer = self.new_trainer(train, params)?;
        self.loaded_mut()?.fit = Some(Fit {
            trainer,
            test,
            early,
            split,
            curves: Vec::new(),
        });
        Ok(())
    }

    /// How [`Session::split`] makes the test part, in words.
    fn split_words(&self, test_fraction: f64, seed: u64, early: Option<&EarlyStopping>) -> String {
        let Ok(l) = self.loaded() else {
            return String::new();
        };
        let mut words = match (&l.test_file, l.holdout) {
            (Some(_), _) => "a test file".to_string(),
            (None, Holdout::OnePerUser) => format!("one per user, seed {seed}"),
            (None, _) if test_fraction == 0.0 => "none".to_string(),
            (None, Holdout::Latest) => format!("latest {test_fraction} by time"),
            (None, h) => format!("{} {test_fraction}, seed {seed}", h.name()),
        };
        if let Some(e) = early {
            words += &format!("; {} of training held out for early stopping", e.validation);
        }
        words
    }

    /// Goes back to the best model early stopping kept; returns its epoch.
    pub fn restore_best(&mut self) -> Result<usize> {
        let f = self.fit_mut()?;
        let best = f
            .early
            .as_mut()
            .and_then(|e| {
                e.stalled = 0;
                e.best.clone()
            })
            .ok_or_else(|| {
                Error::NotReady("no best epoch yet: train with early stopping first".into())
            })?;
        f.trainer.restore(best.2, best.0)?;
        f.curves.retain(|c| c.epoch <= best.0);
        Ok(best.0)
    }

    /// Changes hyper-parameters from the next epoch on, keeping the model.
    pub fn set_params(&mut self, params: TrainParams) -> Result<()> {
        self.fit_mut()?.trainer.set_params(params)
    }

    /// Runs up to `n` epochs (stopping early on divergence) and returns their reports, each
    /// with the test RMSE and MAE when there is a test part.
    pub fn train_epochs(&mut self, n: u32) -> Result<Vec<EpochDto>> {
        let f = self.fit_mut()?;
        let mut out = Vec::with_capacity(n.min(10_000) as usize);
        for _ in 0..n {
            let Some(r) = f.trainer.step() else { break };
            let dto = f.report(r);
            let end = dto.diverged || dto.stop;
            out.push(dto);
            if end {
                break;
            }
        }
        Ok(out)
    }

    /// The model as it stands, reported as an epoch would be (training loss and RMSE, test
    /// errors, no time): for a model imported or restored rather than trained here, so the page
    /// shows its figures at once.
    pub fn model_report(&self) -> Result<EpochDto> {
        let f = self.fit()?;
        let t = &f.trainer;
        let (loss, rmse) = t.training_error();
        let r = EpochReport {
            epoch: t.epoch(),
            loss,
            rmse,
            millis: 0.0,
            diverged: t.diverged(),
        };
        Ok(EpochDto::new(r, f.test_accuracy()))
    }

    /// True once `configure` has built a model.
    pub fn has_model(&self) -> bool {
        self.fit().is_ok()
    }

    /// Runs at most about `budget` rating updates (see [`Fitted::advance`]); returns the
    /// epoch's report (with test errors) when an epoch completes.
    pub fn advance(&mut self, budget: u32) -> Result<Option<EpochDto>> {
        let f = self.fit_mut()?;
        let r = f.trainer.advance(budget as usize);
        Ok(r.map(|r| f.report(r)))
    }

    /// True while an epoch is partly done.
    pub fn in_epoch(&self) -> bool {
        self.fit().is_ok_and(|f| f.trainer.in_epoch())
    }

    /// Epochs run so far.
    pub fn epoch(&self) -> usize {
        self.fit().map_or(0, |f| f.trainer.epoch())
    }

    pub(super) fn fit(&self) -> Result<&Fit> {
        self.loaded()?
            .fit
            .as_ref()
            .ok_or_else(|| Error::NotReady("no model yet: configure one first".into()))
    }

    pub(super) fn fit_mut(&mut self) -> Result<&mut Fit> {
        self.loaded_mut()?
            .fit
            .as_mut()
            .ok_or_else(|| Error::NotReady("no model yet: configure one first".into()))
    }

    /// The trainer, unless its model diverged (see [`Fit::sound`]).
    pub(super) fn sound_trainer(&self) -> Result<&Fitted> {
        self.fit()?.sound()
    }
}
