//! Train/test splits: random hold-out, per-user leave-k-out and k-fold.
//!
//! Every split is seeded and deterministic, and its parts are disjoint and together hold every
//! rating once. Both sides keep the full user and item index (see [`Ratings::subset`]), so a
//! model trained on one side predicts for the other without remapping.

use super::Ratings;
use crate::error::{Error, Result};
use crate::rng::Rng;

/// A training part and a test part.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub train: Ratings,
    pub test: Ratings,
}

fn check_fraction(fraction: f64) -> Result<()> {
    if fraction.is_finite() && fraction > 0.0 && fraction < 1.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            "test_fraction",
            fraction,
            "must be between 0 and 1 (exclusive)",
        ))
    }
}

fn parts(data: &Ratings, test_mask: &[bool]) -> Result<Split> {
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (k, &t) in test_mask.iter().enumerate() {
        if t {
            test.push(k)
        } else {
            train.push(k)
        }
    }
    if train.is_empty() || test.is_empty() {
        return Err(Error::EmptyDataset(format!(
            "the split leaves {} training and {} test ratings: both need at least one",
            train.len(),
            test.len()
        )));
    }
    Ok(Split {
        train: data.subset(&train),
        test: data.subset(&test),
    })
}

/// Moves a random `fraction` of all ratings (rounded, at least one) to the test part.
///
/// ```
/// use mf_playground::data::{builtin, split::holdout};
/// let s = holdout(&builtin::seed_10x10(), 0.2, 7).unwrap();
/// assert_eq!((s.train.len(), s.test.len()), (80, 20));
/// ```
pub fn holdout(data: &Ratings, fraction: f64, seed: u64) -> Result<Split> {
    check_fraction(fraction)?;
    let n = data.len();
    let n_test = ((n as f64 * fraction).round() as usize).max(1);
    let mut order: Vec<usize> = (0..n).collect();
    Rng::new(seed).shuffle(&mut order);
    let mut mask = vec![false; n];
    for &k in &order[..n_test.min(n)] {
        mask[k] = true;
    }
    parts(data, &mask)
}

/// For every user with more than `k` ratings, moves `k` random ratings to the test part (users
/// with `k` or fewer ratings keep them all for training, so every tested user was also trained
/// on).
pub fn leave_k_out(data: &Ratings, k: usize, seed: u64) -> Result<Split> {
    if k == 0 {
        return Err(Error::invalid("k", k, "must be at least 1"));
    }
    let mut rng = Rng::new(seed);
    let mut mask = vec![false; data.len()];
    for mut rows in data.by_user() {
        if rows.len() > k {
            rng.shuffle(&mut rows);
            for &r in &rows[..k] {
                mask[r] = true;
            }
        }
    }
    parts(data, &mask)
}

/// The split of Neural Collaborative Filtering's protocol: for every user with at least two
/// interactions, one of them at random moves to the test part. For 0/1 data an interaction is
/// a 1 (a stored 0 is never held out: there is nothing to find); for ratings, any rating.
pub fn leave_one_out(data: &Ratings, seed: u64) -> Result<Split> {
    let mut rng = Rng::new(seed);
    let mut mask = vec![false; data.len()];
    let implicit = data.feedback() == super::Feedback::Implicit;
    for rows in data.by_user() {
        let held: Vec<usize> = rows
            .into_iter()
            .filter(|&r| !implicit || data.values()[r] > 0.0)
            .collect();
        if held.len() >= 2 {
            mask[held[rng.below(held.len())]] = true;
        }
    }
    parts(data, &mask)
}

/// `n_folds` splits whose test parts partition the ratings (fold sizes differ by at most one).
pub fn k_fold(data: &Ratings, n_folds: usize, seed: u64) -> Result<Vec<Split>> {
    if n_folds < 2 || n_folds > data.len() {
        return Err(Error::invalid(
            "folds",
            n_folds,
            format!(
                "must be between 2 and the number of ratings ({})",
                data.len()
            ),
        ));
    }
    let mut order: Vec<usize> = (0..data.len()).collect();
    Rng::new(seed).shuffle(&mut order);
    let mut fold_of = vec![0usize; data.len()];
    for (pos, &k) in order.iter().enumerate() {
        fold_of[k] = pos % n_folds;
    }
    (0..n_folds)
        .map(|f| {
            let mask: Vec<bool> = fold_of.iter().map(|&g| g == f).collect();
            parts(data, &mask)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::builtin::seed_10x10;
    use std::collections::HashSet;

    fn cells(r: &Ratings) -> HashSet<(usize, usize)> {
        (0..r.len()).map(|k| (r.get(k).0, r.get(k).1)).collect()
    }

    #[test]
    fn holdout_is_seeded_disjoint_and_complete() {
        let d = seed_10x10();
        let a = holdout(&d, 0.3, 1).unwrap();
        assert_eq!(a, holdout(&d, 0.3, 1).unwrap());
        assert_ne!(a, holdout(&d, 0.3, 2).unwrap());
        let (tr, te) = (cells(&a.train), cells(&a.test));
        assert!(tr.is_disjoint(&te));
        assert_eq!(tr.len() + te.len(), 100);
        assert_eq!(te.len(), 30);
        assert_eq!(a.test.n_users(), 10, "indices are kept");
    }

    #[test]
    fn leave_k_out_takes_k_per_user_with_enough_ratings() {
        let d = seed_10x10();
        let s = leave_k_out(&d, 2, 5).unwrap();
        let per_user = s.test.by_user();
        assert!(per_user.iter().all(|r| r.len() == 2));
        assert_eq!(s.train.len(), 80);
    }

    #[test]
    fn k_fold_test_parts_partition_the_data() {
        let d = seed_10x10();
        let folds = k_fold(&d, 3, 9).unwrap();
        let mut all = HashSet::new();
        for f in &folds {
            assert!(cells(&f.train).is_disjoint(&cells(&f.test)));
            for c in cells(&f.test) {
                assert!(all.insert(c), "a rating is in two test folds");
            }
            assert!((33..=34).contains(&f.test.len()));
        }
        assert_eq!(all.len(), 100);
    }

    #[test]
    fn bad_arguments_are_named() {
        let d = seed_10x10();
        assert!(holdout(&d, 1.0, 0)
            .unwrap_err()
            .to_string()
            .starts_with("test_fraction = 1"));
        assert_eq!(k_fold(&d, 1, 0).unwrap_err().code(), "invalid_param");
        assert_eq!(leave_k_out(&d, 0, 0).unwrap_err().code(), "invalid_param");
        assert_eq!(leave_k_out(&d, 50, 0).unwrap_err().code(), "empty_dataset");
    }
}
