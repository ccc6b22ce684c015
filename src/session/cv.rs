//! k-fold cross-validation of the loaded data, one fold a request so the page shows progress and
//! can cancel between folds.

use super::Session;
use crate::cv::FoldResult;
use crate::data::split::Split;
use crate::error::{Error, Result};
use crate::train::TrainParams;

/// Cross-validation in progress: the parameters and the folds.
pub(super) struct Cv {
    params: TrainParams,
    splits: Vec<Split>,
}

impl Session {
    /// Prepares k-fold cross-validation of the loaded data with these parameters (folds drawn
    /// with the parameters' seed). Returns the number of folds.
    pub fn cv_start(&mut self, params: TrainParams, folds: usize) -> Result<usize> {
        let data = self.data_ref()?;
        self.limits.check_model(data, &params)?;
        let params = params.check()?;
        let splits = crate::data::split::k_fold(data, folds, params.seed)?;
        self.loaded_mut()?.cv = Some(Cv { params, splits });
        Ok(folds)
    }

    /// Trains and tests fold `fold` of the prepared cross-validation.
    pub fn cv_fold(&self, fold: usize) -> Result<FoldResult> {
        let Cv { params, splits } = self
            .loaded()?
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
}
