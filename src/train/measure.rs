//! The training error the trainer reports after each epoch: the data loss and the RMSE over the
//! training ratings, summed by fixed chunks on as many threads as there are, so that any number
//! of threads, and any slicing at chunk boundaries (the page measures in slices too), gives the
//! same numbers.

use super::{TrainParams, Trainer};
use crate::data::Ratings;
use crate::model::MfModel;

/// Ratings per chunk of the training error's sums.
pub(super) const ERROR_CHUNK: usize = 16_384;

impl Trainer {
    /// Mean data loss and RMSE of the current model on the training ratings. For weighted ALS
    /// the loss is its own objective's data term, averaged over every cell.
    pub fn training_error(&self) -> (f32, f32) {
        let (loss, sq) = self.error_sums(0..self.data.len());
        self.error_of(loss, sq)
    }

    /// Sums of the data loss and of squared prediction errors over the ratings in `range`
    /// (which starts at a multiple of [`ERROR_CHUNK`]): each chunk's sums are computed on as many
    /// threads as there are, then added in order, so any number of threads, and any slicing of
    /// the range at chunk boundaries, gives the same sums.
    pub(super) fn error_sums(&self, range: std::ops::Range<usize>) -> (f64, f64) {
        debug_assert_eq!(range.start % ERROR_CHUNK, 0);
        let chunks: Vec<std::ops::Range<usize>> = range
            .clone()
            .step_by(ERROR_CHUNK)
            .map(|a| a..(a + ERROR_CHUNK).min(range.end))
            .collect();
        let (model, data, params) = (&self.model, &self.data, &self.params);
        let fit = self.fit.as_ref().unwrap_or(data);
        let parts = crate::parallel::map(chunks, |c| chunk_sums(model, data, fit, params, c));
        parts
            .into_iter()
            .fold((0.0, 0.0), |(l, q), (a, b)| (l + a, q + b))
    }

    /// Mean loss and RMSE from the sums over all ratings (weighted ALS reports its own
    /// objective's data term instead of the loss).
    pub(super) fn error_of(&self, loss: f64, sq: f64) -> (f32, f32) {
        let n = self.data.len() as f64;
        let loss = match self.algo.data_loss(&self.model, &self.data, &self.params) {
            Some(l) => l * n,
            None => loss,
        };
        ((loss / n) as f32, (sq / n).sqrt() as f32)
    }
}

/// The loss and squared-error sums over the ratings in `range`: the loss is the objective's, on
/// the values the updates `fit`; the error is in the `data`'s units.
fn chunk_sums(
    model: &MfModel,
    data: &Ratings,
    fit: &Ratings,
    params: &TrainParams,
    range: std::ops::Range<usize>,
) -> (f64, f64) {
    let (mut loss, mut sq) = (0.0f64, 0.0f64);
    for k in range {
        let (u, i, r) = data.get(k);
        let s = model.score(u, i);
        let (l, _) = params.loss.value_and_grad(s, fit.values()[k]);
        let e = model.link(u, i, s) - r;
        loss += l as f64;
        sq += (e * e) as f64;
    }
    (loss, sq)
}
