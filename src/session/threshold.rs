//! Explicit ratings shown as 0/1: `rating >= threshold` becomes 1 (a click), anything lower 0,
//! and back. The explicit data waits beside the 0/1 data, owned by the same loaded data set; so
//! does a test file, which is shown 0/1 by the same threshold (see `test_file.rs`).

use super::{DataSummary, Explicit, Session};
use crate::data::Feedback;
use crate::error::{Error, Result};

impl Session {
    /// Shows explicit ratings as 0/1: `rating >= threshold` becomes 1, anything lower 0 (the
    /// page then trains with logistic loss); `None` brings the ratings back. Drops the model.
    /// A threshold outside the data's scale is refused and changes nothing.
    pub fn set_implicit_threshold(&mut self, threshold: Option<f32>) -> Result<DataSummary> {
        let l = self.loaded_mut()?;
        let (original, truth) = match &l.explicit {
            Some(e) => (&e.ratings, &e.truth),
            None => {
                if l.data.feedback() == Feedback::Implicit {
                    return Err(Error::invalid(
                        "threshold",
                        threshold.map_or("off".into(), |t| t.to_string()),
                        "the data is already 0/1",
                    ));
                }
                (&l.data, &l.truth)
            }
        };
        if let Some(t) = threshold {
            let scale = original.scale();
            if !(t.is_finite() && t > scale.min && t <= scale.max) {
                return Err(Error::invalid(
                    "threshold",
                    t,
                    format!(
                        "must lie above {} and at most {}, the data's scale",
                        scale.min, scale.max
                    ),
                ));
            }
        }
        let (original, truth) = (original.clone(), truth.clone());
        let groups = l.groups.clone();
        let test_file = l.test_file.take();
        let holdout = l.holdout;
        let summary = match threshold {
            None => self.replace_data(original, groups, truth)?,
            Some(t) => {
                let binary =
                    original.map_values(Feedback::Implicit, |_, _, v| (v >= t) as u8 as f32);
                let summary = self.replace_data(binary, groups, None)?;
                self.loaded_mut()?.explicit = Some(Explicit {
                    ratings: original,
                    truth,
                    threshold: t,
                });
                summary
            }
        };
        let l = self.loaded_mut()?;
        l.test_file = test_file;
        l.holdout = holdout;
        Ok(summary)
    }
}
