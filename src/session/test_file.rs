//! How the test part of every model, race and sweep is made: a [`Holdout`] of the loaded data
//! (a random share, one rating per user, or the latest share by time), or a separate test file
//! (MovieLens `u1.test` beside `u1.base`) whose ratings, re-indexed by the loaded data's users
//! and items, take the place of a held-out part; ratings of users or items the data does not
//! know are skipped and counted, as `mfp train --test` does. Both are owned by the loaded data,
//! so other data drops them.

use super::Session;
use crate::data::parse::{read_ratings, ReadOptions};
use crate::data::split::Holdout;
use crate::data::{Feedback, Ratings};
use crate::error::{Error, Result};

/// The test file, as given (its values unchanged by a 0/1 threshold on the data).
pub(super) struct TestFile {
    ratings: Ratings,
    dropped: usize,
}

impl TestFile {
    fn summary(&self) -> TestSummary {
        TestSummary {
            n_ratings: self.ratings.len(),
            dropped: self.dropped,
        }
    }
}

/// What the page shows about a test file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestSummary {
    /// Test ratings of known users and items.
    pub n_ratings: usize,
    /// Test ratings skipped: their user or item is not in the loaded data.
    pub dropped: usize,
}

impl Session {
    /// Reads a test file for the loaded data (or, with `None`, goes back to a random test share)
    /// and drops the model: the next one is tested on it. A file with no rating of a known user
    /// and item is refused, and a bad file changes nothing.
    pub fn set_test_bytes(
        &mut self,
        bytes: Option<&[u8]>,
        opts: &ReadOptions,
    ) -> Result<Option<TestSummary>> {
        let l = self.loaded_mut()?;
        let Some(bytes) = bytes else {
            l.test_file = None;
            l.fit = None;
            return Ok(None);
        };
        let (given, _) = read_ratings(bytes, opts)?;
        let base = l.explicit.as_ref().map_or(&l.data, |e| &e.ratings);
        let (ratings, dropped) = base.align(&given);
        if ratings.is_empty() {
            return Err(Error::invalid(
                "test file",
                format!("{} ratings", given.len()),
                "none has a user and an item of the loaded data: give the test part of the ratings \
                 loaded (u1.test for u1.base)",
            ));
        }
        let t = TestFile { ratings, dropped };
        let summary = t.summary();
        l.test_file = Some(t);
        l.fit = None;
        Ok(Some(summary))
    }

    /// How the test part is held out of the data when there is no test file, and drops the
    /// model: the next one is tested on the new part. The split by time needs the data's times;
    /// without them it is refused and nothing changes.
    pub fn set_holdout(&mut self, holdout: Holdout) -> Result<()> {
        let l = self.loaded_mut()?;
        if holdout == Holdout::Latest && l.data.times().is_none() {
            return Err(Error::invalid(
                "split",
                holdout.name(),
                "needs the time of every rating: this data has none (a fourth column of \
                 timestamps or dates, as MovieLens u.data has)",
            ));
        }
        l.holdout = holdout;
        l.fit = None;
        Ok(())
    }

    /// How the test part is held out of the data.
    pub fn holdout(&self) -> Option<Holdout> {
        Some(self.loaded.as_ref()?.holdout)
    }

    /// The training and test parts a model, race or sweep uses: all the data and the test file
    /// when there is one (0/1 by the data's threshold when it has one), else the data's
    /// [`Holdout`] with `test_fraction` and `seed` (a share of 0 holds nothing out).
    pub(super) fn split(
        &self,
        test_fraction: f64,
        seed: u64,
    ) -> Result<(Ratings, Option<Ratings>)> {
        let l = self.loaded()?;
        match &l.test_file {
            None => l.holdout.apply(l.data.clone(), test_fraction, seed),
            Some(t) => {
                let test = match l.explicit.as_ref().map(|e| e.threshold) {
                    Some(thr) => t
                        .ratings
                        .map_values(Feedback::Implicit, |_, _, v| (v >= thr) as u8 as f32),
                    None => t.ratings.clone(),
                };
                Ok((l.data.clone(), Some(test)))
            }
        }
    }

    /// The test file's summary, if there is one.
    pub fn test_file(&self) -> Option<TestSummary> {
        Some(self.loaded.as_ref()?.test_file.as_ref()?.summary())
    }
}
