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
        // A pairwise loss is the mean over the pairs, one per positive (see `chunk_sums`).
        let pairs = if self.params.loss.pairwise() {
            self.data
                .values()
                .iter()
                .filter(|&&v| v > 0.0)
                .count()
                .max(1) as f64
        } else {
            n
        };
        let loss = match self.algo.data_loss(&self.model, &self.data, &self.params) {
            Some(l) => l * n,
            None => loss,
        };
        ((loss / pairs) as f32, (sq / n).sqrt() as f32)
    }
}

/// The loss and squared-error sums over the ratings in `range`: the loss is the objective's, on
/// the values the updates `fit`; the error is in the `data`'s units. A pairwise loss has no
/// loss of one rating: each positive (above 0) is paired with an item drawn from the rating's
/// index and the seed alone, the same pairs every epoch, so the curve compares like with like
/// (a drawn item the user happens to have counts as a pair too: on sparse data, rarely).
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
        let l = if params.loss.pairwise() {
            if r <= 0.0 {
                0.0
            } else {
                let j = pair_item(params.seed, k, data.n_items());
                let d = s - model.score(u, j);
                params.loss.value_and_grad(d, 1.0).0
            }
        } else {
            params.loss.value_and_grad(s, fit.values()[k]).0
        };
        let e = model.link(u, i, s) - r;
        loss += l as f64;
        sq += (e * e) as f64;
    }
    (loss, sq)
}

/// The item rating `k`'s pair is measured against: drawn from `seed` and `k` alone (SplitMix64).
fn pair_item(seed: u64, k: usize, n_items: usize) -> usize {
    let mut z = seed
        ^ (k as u64)
            .wrapping_add(1)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    ((z ^ (z >> 31)) % n_items.max(1) as u64) as usize
}
