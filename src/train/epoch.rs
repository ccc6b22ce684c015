//! A gradient epoch, in slices: the examples drawn (0s, pairs), the ratings grouped by block and
//! the strata ordered when it starts, then updates block by block as [`Trainer::advance`] asks,
//! and the training error measured in slices too.

use super::algorithm::Updates;
use super::triplets::{self, Index, Triplets};
use super::{measure, order, strata, EpochReport, Loss, Trainer};
use crate::rng::Rng;

/// Progress through a gradient epoch that [`Trainer::advance`] continues.
pub(super) struct Cursor {
    /// The stratum being visited, its block, and the ratings of that block done.
    stratum: usize,
    block: usize,
    within: usize,
    /// Time spent on updates.
    millis: f64,
    /// Once the updates are done: ratings measured so far, and the loss and squared-error sums.
    measured: Option<(usize, f64, f64)>,
}

impl Trainer {
    /// At most about `budget` updates of the current epoch of an algorithm that updates from
    /// ratings (see [`Trainer::advance`]).
    pub(super) fn some_updates(
        &mut self,
        updates: &mut dyn Updates,
        budget: usize,
    ) -> Option<EpochReport> {
        let t0 = (self.clock)();
        let mut cursor = match self.cursor.take() {
            Some(c) => c,
            None => {
                self.start_gradient_epoch();
                Cursor {
                    stratum: 0,
                    block: 0,
                    within: 0,
                    millis: 0.0,
                    measured: None,
                }
            }
        };
        // After the updates, the training error is measured in slices too: on large data it
        // costs a third of an epoch, too long to run without a chance to pause.
        if let Some((at, loss, sq)) = cursor.measured {
            // Whole chunks of the sums (see `error_sums`), so slices add up as the whole does.
            let chunks = budget.max(1).div_ceil(measure::ERROR_CHUNK);
            let end = at
                .saturating_add(chunks.saturating_mul(measure::ERROR_CHUNK))
                .min(self.data.len());
            let (l, q) = self.error_sums(at..end);
            if end < self.data.len() {
                cursor.measured = Some((end, loss + l, sq + q));
                self.cursor = Some(cursor);
                return None;
            }
            let (loss, rmse) = self.error_of(loss + l, sq + q);
            return Some(self.close_epoch(loss, rmse, cursor.millis));
        }
        // Updates, block by block: a block's ratings are shuffled when the epoch reaches it, so
        // starting an epoch costs no pass over the data.
        // Whole steps only (a mini-batch is one), so an epoch in slices equals the epoch whole.
        let step = updates.granularity(&self.params).max(1);
        let mut left = (budget / step).max(1).saturating_mul(step);
        let blocked = self.blocked.as_ref().expect("built when the epoch started");
        // A pair's two items may lie in different blocks: pairwise epochs run on one thread.
        let kernel = updates
            .block_kernel()
            .filter(|_| !self.params.loss.pairwise());
        while left > 0 && cursor.stratum < self.strata.len() {
            let stratum = &self.strata[cursor.stratum];
            // Whole strata at once, the blocks of each on as many threads as there are: the
            // same updates as one block after another (they share no row), sooner. With threads
            // a slice may so run past its budget by up to one stratum (a sixteenth of an epoch
            // or less): a stratum split between slices would run its blocks one after another.
            if let (Some(kernel), Some(seed)) = (kernel, self.epoch_seed) {
                let whole = cursor.block == 0 && cursor.within == 0;
                if whole && stratum.len() > 1 && crate::parallel::threads() > 1 {
                    // As many strata as the budget takes (at least one), in one go.
                    let first = cursor.stratum;
                    while left > 0 && cursor.stratum < self.strata.len() {
                        let n: usize = self.strata[cursor.stratum]
                            .iter()
                            .map(|&b| blocked.block_len(b))
                            .sum();
                        left = left.saturating_sub(n);
                        cursor.stratum += 1;
                    }
                    strata::train_strata(
                        &mut self.model,
                        blocked,
                        &self.strata[first..cursor.stratum],
                        seed,
                        kernel,
                        &self.params,
                    );
                    continue;
                }
            }
            if cursor.within == 0 {
                match self.epoch_seed {
                    Some(seed) => blocked.block_order(stratum[cursor.block], seed, &mut self.order),
                    None => blocked.shuffled(stratum[cursor.block], &mut self.rng, &mut self.order),
                }
            }
            let end = cursor.within.saturating_add(left).min(self.order.len());
            let view = blocked.triplets();
            let slice = &self.order[cursor.within..end];
            updates.update(&mut self.model, &view, slice, &self.params);
            left -= end - cursor.within;
            cursor.within = end;
            if cursor.within == self.order.len() {
                cursor.within = 0;
                cursor.block += 1;
                if cursor.block == stratum.len() {
                    cursor.block = 0;
                    cursor.stratum += 1;
                }
            }
        }
        // A hybrid model's factors are the sums of its parts: summed once per slice, not per
        // group of updates (a feature's row moves every item that has it).
        self.model.compose();
        cursor.millis += (self.clock)() - t0;
        if cursor.stratum == self.strata.len() {
            cursor.measured = Some((0, 0.0, 0.0));
        }
        self.cursor = Some(cursor);
        None
    }

    /// Samples negatives (if asked), groups the ratings by block and draws the epoch's order.
    fn start_gradient_epoch(&mut self) {
        // Each epoch's draws depend on the seed and the epoch's number alone, so a model saved
        // after epoch e and restored goes on exactly as the original run did.
        self.rng = Rng::new(
            self.params
                .seed
                .wrapping_add((self.epoch as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
        );
        let sampling = self.samples();
        if sampling {
            self.sample_negatives();
        }
        if sampling || self.blocked.is_none() {
            let view = if sampling {
                self.sample.view()
            } else {
                Triplets::of(self.fit.as_ref().unwrap_or(&self.data))
            };
            self.blocked = Some(order::Blocked::new(
                &view,
                self.data.n_users(),
                self.data.n_items(),
                self.params.n_factors,
            ));
        }
        let blocked = self.blocked.as_ref().expect("built above");
        self.strata = blocked.strata(&mut self.rng);
        // One block: its ratings are shuffled by the epoch's own generator, as they were before
        // there were strata, so small data sets (the page's) train exactly as they always have.
        self.epoch_seed = (blocked.grid() != (1, 1)).then(|| self.rng.next_u64());
    }

    /// Whether an epoch draws examples: 0s for logistic loss with negatives, pairs for BPR.
    pub(super) fn samples(&self) -> bool {
        self.params.loss.pairwise()
            || (self.params.negatives > 0 && self.params.loss == Loss::Logistic)
    }

    /// Fills `sample` with the data plus sampled negatives (see [`triplets::sample_negatives`]),
    /// or with a pairwise loss's pairs ([`triplets::sample_pairs`]).
    fn sample_negatives(&mut self) {
        let index = self.index.get_or_insert_with(|| Index::of(&self.data));
        if self.params.loss.pairwise() {
            triplets::sample_pairs(
                &self.data,
                index,
                self.params.pairs_per_rating(),
                &mut self.rng,
                &mut self.sample,
            );
        } else {
            triplets::sample_negatives(
                &self.data,
                index,
                self.params.negatives,
                &mut self.rng,
                &mut self.sample,
            );
        }
    }
}
