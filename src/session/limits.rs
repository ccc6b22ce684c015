//! The page's size limits: a wasm32 tab has at most 4 GiB of memory, so the page refuses data
//! and models above these bounds with a message that says what would fit, instead of
//! exhausting the tab. The command line has none.

use crate::data::Ratings;
use crate::error::{Error, Result};
use crate::neural::Architecture;
use crate::train::TrainParams;

/// The largest data and model the page takes. A wasm32 tab has at most 4 GiB of memory and the
/// page keeps the data, a training copy, a test part and the optimiser's state; these bounds
/// keep the worst case near 1 GiB. The command line has no such limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    pub max_users: usize,
    pub max_items: usize,
    pub max_ratings: usize,
    /// `(users + items) x (factors + 1)`: factors and biases.
    pub max_parameters: usize,
}

impl Limits {
    /// The page's limits (also listed in the README).
    pub const PAGE: Limits = Limits {
        max_users: 1_000_000,
        max_items: 1_000_000,
        max_ratings: 10_000_000,
        max_parameters: 50_000_000,
    };

    /// No limits (native use).
    pub const NONE: Limits = Limits {
        max_users: usize::MAX,
        max_items: usize::MAX,
        max_ratings: usize::MAX,
        max_parameters: usize::MAX,
    };

    /// Checks a data set against the limits.
    pub fn check_data(&self, r: &Ratings) -> Result<()> {
        for (what, value, max) in [
            ("ratings", r.len(), self.max_ratings),
            ("users", r.n_users(), self.max_users),
            ("items", r.n_items(), self.max_items),
        ] {
            if value > max {
                return Err(Error::TooLarge(format!(
                    "the data has {} {what}; the page takes at most {} (the mfp command line has no limit)",
                    thousands(value),
                    thousands(max)
                )));
            }
        }
        Ok(())
    }

    /// Checks the size of a model with `n_factors` factors on `r`.
    pub fn check_model(&self, r: &Ratings, p: &TrainParams) -> Result<()> {
        let (users, items) = (r.n_users(), r.n_items());
        if p.family.is_neural() {
            let arch = Architecture::of(p);
            arch.check()?;
            let params = arch.n_parameters(users, items);
            if params > self.max_parameters {
                return Err(Error::TooLarge(format!(
                    "{} with {} factors{} makes {} model parameters (embeddings, tower and output \
                     layer); the page takes at most {}: choose fewer factors or a narrower tower",
                    p.family.name(),
                    p.n_factors,
                    if p.family.has_mlp() {
                        format!(
                            " and the tower {}",
                            p.layers
                                .iter()
                                .map(|w| w.to_string())
                                .collect::<Vec<_>>()
                                .join(",")
                        )
                    } else {
                        String::new()
                    },
                    thousands(params),
                    thousands(self.max_parameters),
                )));
            }
            return Ok(());
        }
        let n_factors = p.n_factors;
        let params = (users + items).saturating_mul(n_factors.saturating_add(1));
        if params > self.max_parameters {
            return Err(Error::TooLarge(format!(
                "{n_factors} factors make {} model parameters ((users + items) x (factors + 1)); \
                 the page takes at most {}: choose at most {} factors",
                thousands(params),
                thousands(self.max_parameters),
                (self.max_parameters / (users + items).max(1)).saturating_sub(1)
            )));
        }
        Ok(())
    }
}

/// `1234567` as `1,234,567`.
pub(super) fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (k, c) in s.chars().enumerate() {
        if k > 0 && (s.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
