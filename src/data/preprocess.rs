//! Preprocessing from the article's pipeline: normalisation and the handling of sparse rows.
//!
//! * **Normalisation** ([`Normalizer`]): subtract the global, user or item mean; z-score each
//!   user's ratings (subtract the user's mean, divide by their standard deviation); or min-max
//!   scale to [0, 1]. The normaliser remembers its statistics and [`Normalizer::invert`] maps a
//!   prediction back to the original scale, so models trained on normalised data are evaluated
//!   in stars, comparably with the rest.
//! * **Deletion** ([`min_counts`]): drop users and items with fewer than a minimum number of
//!   ratings, repeatedly until every remaining user and item meets it (a "k-core"), the
//!   article's "delete rows with missing values" made workable for sparse data.
//! * **Filling** missing cells with a mean or median is a predictor, not a transformation: see
//!   [`crate::baseline`] (global mean/median, user mean, item mean).

use super::{Feedback, Ratings, RatingsBuilder};
use crate::error::{Error, Result};

/// A normalisation of rating values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Normalization {
    #[default]
    None,
    GlobalMean,
    UserMean,
    ItemMean,
    UserZScore,
    MinMax,
}

impl Normalization {
    /// Every normalisation, by its string name.
    pub const ALL: &'static [(&'static str, Normalization)] = &[
        ("none", Normalization::None),
        ("global-mean", Normalization::GlobalMean),
        ("user-mean", Normalization::UserMean),
        ("item-mean", Normalization::ItemMean),
        ("user-z-score", Normalization::UserZScore),
        ("min-max", Normalization::MinMax),
    ];

    /// The string name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, n)| *n == self)
            .map_or("?", |(s, _)| s)
    }

    /// Parses `"user-mean"`, ...
    pub fn from_name(name: &str) -> Result<Self> {
        Self::ALL
            .iter()
            .find(|(s, _)| *s == name)
            .map(|&(_, n)| n)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|(s, _)| *s).collect();
                Error::invalid(
                    "normalization",
                    name,
                    format!("choose one of {}", names.join(", ")),
                )
            })
    }

    /// How many offsets and divisors a fitted normaliser of this kind holds for data of
    /// `n_users` x `n_items`.
    pub fn lengths(self, n_users: usize, n_items: usize) -> (usize, usize) {
        match self {
            Normalization::UserMean => (n_users, 1),
            Normalization::ItemMean => (n_items, 1),
            Normalization::UserZScore => (n_users, n_users),
            _ => (1, 1),
        }
    }
}

/// A fitted normalisation: how to go from stars to normalised values and back.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Normalizer {
    pub kind: Normalization,
    /// Per-user (or per-item, or single global) offsets.
    pub offset: Vec<f32>,
    /// Per-user (or single global) divisors.
    pub scale: Vec<f32>,
}

/// Mean and spread of one user's ratings, by the rules the per-user normalisations use: no
/// spread to divide by (one rating, or all alike) counts as a spread of 1.
pub fn mean_and_spread(values: &[f32]) -> (f32, f32) {
    let (s, s2) = values.iter().fold((0.0f64, 0.0f64), |(s, s2), &v| {
        (s + v as f64, s2 + (v as f64).powi(2))
    });
    moments(values.len(), s, s2).unwrap_or((0.0, 1.0))
}

/// Mean and spread from a count, a sum and a sum of squares (`None` for no values); the one rule
/// for the users of the training data and for a user folded in later.
fn moments(count: usize, sum: f64, sum_sq: f64) -> Option<(f32, f32)> {
    if count == 0 {
        return None;
    }
    let m = sum / count as f64;
    let var = (sum_sq / count as f64 - m * m).max(0.0);
    // A user who gives every item the same rating has no spread to divide by.
    let spread = if count < 2 || var < 1e-8 {
        1.0
    } else {
        var.sqrt() as f32
    };
    Some((m as f32, spread))
}

fn stats(data: &Ratings, by_user: bool) -> (Vec<f32>, Vec<f32>) {
    let n = if by_user {
        data.n_users()
    } else {
        data.n_items()
    };
    let (mut s, mut s2, mut c) = (vec![0.0f64; n], vec![0.0f64; n], vec![0usize; n]);
    for k in 0..data.len() {
        let (u, i, v) = data.get(k);
        let j = if by_user { u } else { i };
        s[j] += v as f64;
        s2[j] += (v as f64).powi(2);
        c[j] += 1;
    }
    let global = data.mean();
    (0..n)
        .map(|j| moments(c[j], s[j], s2[j]).unwrap_or((global, 1.0)))
        .unzip()
}

impl Normalizer {
    /// Learns the statistics of `kind` from `data` (the training part: test ratings must not
    /// leak into them).
    pub fn fit(kind: Normalization, data: &Ratings) -> Result<Normalizer> {
        if data.is_empty() {
            return Err(Error::EmptyDataset("nothing to normalise".into()));
        }
        let (offset, scale) = match kind {
            Normalization::None => (vec![0.0], vec![1.0]),
            Normalization::GlobalMean => (vec![data.mean()], vec![1.0]),
            Normalization::UserMean => (stats(data, true).0, vec![1.0]),
            Normalization::ItemMean => (stats(data, false).0, vec![1.0]),
            Normalization::UserZScore => stats(data, true),
            Normalization::MinMax => {
                let s = data.scale();
                let span = if s.max > s.min { s.max - s.min } else { 1.0 };
                (vec![s.min], vec![span])
            }
        };
        Ok(Normalizer {
            kind,
            offset,
            scale,
        })
    }

    /// The offset and divisor of cell `(u, i)`: `normalised = (v - offset) / divisor`. Panics if
    /// `u` or `i` is outside the data the normaliser was fitted on.
    #[inline]
    pub fn at(&self, u: usize, i: usize) -> (f32, f32) {
        match self.kind {
            Normalization::UserMean => (self.offset[u], 1.0),
            Normalization::ItemMean => (self.offset[i], 1.0),
            Normalization::UserZScore => (self.offset[u], self.scale[u]),
            _ => (self.offset[0], self.scale[0]),
        }
    }

    /// The offset and divisor on item `i` for a user outside the fitted data whose ratings have
    /// the given [`mean_and_spread`].
    pub fn at_new_user(&self, user: (f32, f32), i: usize) -> (f32, f32) {
        match self.kind {
            Normalization::UserMean => (user.0, 1.0),
            Normalization::UserZScore => user,
            _ => self.at(0, i),
        }
    }

    /// The normalised value of `v` in cell `(u, i)`.
    pub fn forward(&self, u: usize, i: usize, v: f32) -> f32 {
        let (o, s) = self.at(u, i);
        (v - o) / s
    }

    /// Back to the original scale.
    pub fn invert(&self, u: usize, i: usize, v: f32) -> f32 {
        let (o, s) = self.at(u, i);
        v * s + o
    }

    /// The normalised copy of `data` (same users, items and order of ratings). Fails unless
    /// `data` has the shape the normaliser was fitted on.
    pub fn apply(&self, data: &Ratings) -> Result<Ratings> {
        self.check_shape(data.n_users(), data.n_items())?;
        Ok(data.map_values(Feedback::Explicit, |u, i, v| self.forward(u, i, v)))
    }

    /// An error unless the normaliser's statistics fit `n_users` x `n_items` and are usable
    /// numbers (finite offsets, positive finite divisors): for normalisers read from files.
    pub fn check_shape(&self, n_users: usize, n_items: usize) -> Result<()> {
        let (no, ns) = self.kind.lengths(n_users, n_items);
        if self.offset.len() != no || self.scale.len() != ns {
            return Err(Error::invalid(
                "normalization",
                self.kind.name(),
                format!(
                    "needs {no} offsets and {ns} divisors, not {} and {}",
                    self.offset.len(),
                    self.scale.len()
                ),
            ));
        }
        if let Some(o) = self.offset.iter().find(|o| !o.is_finite()) {
            return Err(Error::invalid(
                "normalization offset",
                o,
                "is not a finite number",
            ));
        }
        if let Some(s) = self.scale.iter().find(|s| !(s.is_finite() && **s > 0.0)) {
            return Err(Error::invalid(
                "normalization divisor",
                s,
                "must be a positive finite number",
            ));
        }
        Ok(())
    }
}

/// Keeps only users with at least `min_user` ratings and items with at least `min_item`,
/// repeating until both hold for everything kept. Users and items that drop out are removed
/// from the index, so the result is smaller. Fails if nothing is left.
pub fn min_counts(data: &Ratings, min_user: usize, min_item: usize) -> Result<Ratings> {
    let mut keep = vec![true; data.len()];
    loop {
        let mut cu = vec![0usize; data.n_users()];
        let mut ci = vec![0usize; data.n_items()];
        for k in (0..data.len()).filter(|&k| keep[k]) {
            let (u, i, _) = data.get(k);
            cu[u] += 1;
            ci[i] += 1;
        }
        let mut changed = false;
        for (k, kept) in keep.iter_mut().enumerate() {
            let (u, i, _) = data.get(k);
            if *kept && (cu[u] < min_user || ci[i] < min_item) {
                *kept = false;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut b = RatingsBuilder::new(data.feedback());
    for k in (0..data.len()).filter(|&k| keep[k]) {
        let (u, i, v) = data.get(k);
        b.push(&data.user_ids()[u], &data.item_ids()[i], v)?;
        if data.item_label(i) != data.item_ids()[i] {
            b.label_item(&data.item_ids()[i], data.item_label(i));
        }
    }
    b.build().map_err(|_| {
        Error::EmptyDataset(format!(
            "no rating is left once users need {min_user} and items need {min_item} ratings"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Ratings {
        let mut b = RatingsBuilder::new(Feedback::Explicit);
        for (u, i, v) in [
            ("a", "x", 5.0),
            ("a", "y", 3.0),
            ("b", "x", 4.0),
            ("b", "y", 4.0),
            ("c", "z", 1.0),
        ] {
            b.push(u, i, v).unwrap();
        }
        b.build().unwrap()
    }

    #[test]
    fn every_normalisation_round_trips() {
        let d = data();
        for kind in [
            Normalization::None,
            Normalization::GlobalMean,
            Normalization::UserMean,
            Normalization::ItemMean,
            Normalization::UserZScore,
            Normalization::MinMax,
        ] {
            let n = Normalizer::fit(kind, &d).unwrap();
            let t = n.apply(&d).unwrap();
            for k in 0..d.len() {
                let (u, i, v) = d.get(k);
                assert!((n.invert(u, i, t.get(k).2) - v).abs() < 1e-5, "{kind:?}");
            }
        }
    }

    #[test]
    fn normalised_values_by_hand() {
        let d = data();
        let user = Normalizer::fit(Normalization::UserMean, &d)
            .unwrap()
            .apply(&d)
            .unwrap();
        assert_eq!(user.values(), &[1.0, -1.0, 0.0, 0.0, 0.0]);
        let z = Normalizer::fit(Normalization::UserZScore, &d)
            .unwrap()
            .apply(&d)
            .unwrap();
        // User a: mean 4, std 1 -> 1, -1; user b: no spread -> 0, 0; user c: one rating -> 0.
        assert_eq!(z.values(), &[1.0, -1.0, 0.0, 0.0, 0.0]);
        let mm = Normalizer::fit(Normalization::MinMax, &d)
            .unwrap()
            .apply(&d)
            .unwrap();
        assert_eq!(mm.values(), &[1.0, 0.5, 0.75, 0.75, 0.0]);
    }

    #[test]
    fn min_counts_is_a_k_core() {
        let d = data();
        let r = min_counts(&d, 2, 2).unwrap();
        assert_eq!((r.n_users(), r.n_items(), r.len()), (2, 2, 4));
        assert_eq!(min_counts(&d, 3, 1).unwrap_err().code(), "empty_dataset");
    }
}
