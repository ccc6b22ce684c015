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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Normalization {
    None,
    GlobalMean,
    UserMean,
    ItemMean,
    UserZScore,
    MinMax,
}

/// A fitted normalisation: how to go from stars to normalised values and back.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalizer {
    pub kind: Normalization,
    /// Per-user (or per-item, or single global) offsets.
    offset: Vec<f32>,
    /// Per-user (or single global) divisors.
    scale: Vec<f32>,
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
    let mean: Vec<f32> = (0..n)
        .map(|j| {
            if c[j] > 0 {
                (s[j] / c[j] as f64) as f32
            } else {
                global
            }
        })
        .collect();
    let std: Vec<f32> = (0..n)
        .map(|j| {
            if c[j] < 2 {
                return 1.0;
            }
            let m = s[j] / c[j] as f64;
            let var = (s2[j] / c[j] as f64 - m * m).max(0.0);
            // A user who gives every item the same rating has no spread to divide by.
            if var < 1e-8 {
                1.0
            } else {
                var.sqrt() as f32
            }
        })
        .collect();
    (mean, std)
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

    fn key(&self, u: usize, i: usize) -> (usize, usize) {
        let o = match self.kind {
            Normalization::UserMean | Normalization::UserZScore => u,
            Normalization::ItemMean => i,
            _ => 0,
        };
        let s = if self.kind == Normalization::UserZScore {
            u
        } else {
            0
        };
        (o.min(self.offset.len() - 1), s.min(self.scale.len() - 1))
    }

    /// The normalised value of `v` in cell `(u, i)`.
    pub fn forward(&self, u: usize, i: usize, v: f32) -> f32 {
        let (o, s) = self.key(u, i);
        (v - self.offset[o]) / self.scale[s]
    }

    /// Back to the original scale.
    pub fn invert(&self, u: usize, i: usize, v: f32) -> f32 {
        let (o, s) = self.key(u, i);
        v * self.scale[s] + self.offset[o]
    }

    /// The normalised copy of `data` (explicit feedback; same users and items).
    pub fn apply(&self, data: &Ratings) -> Result<Ratings> {
        let mut b = RatingsBuilder::new(Feedback::Explicit);
        for id in data.user_ids() {
            b.add_user(id);
        }
        for (i, id) in data.item_ids().iter().enumerate() {
            b.add_item(id);
            b.label_item(id, data.item_label(i));
        }
        for k in 0..data.len() {
            let (u, i, v) = data.get(k);
            b.push(
                &data.user_ids()[u],
                &data.item_ids()[i],
                self.forward(u, i, v),
            )?;
        }
        b.build()
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
