//! Train/test splits: random hold-out, per-user leave-k-out and leave-one-out (the latest
//! rating when the data has times), by time (train on the past, test on the future) and k-fold.
//!
//! Every split is seeded and deterministic, and its parts are disjoint and together hold every
//! rating once. Both sides keep the full user and item index (see [`Ratings::subset`]), so a
//! model trained on one side predicts for the other without remapping.

use super::{Ratings, Side};
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
/// interactions, one of them moves to the test part: the latest when the ratings have times
/// (ties: the one later in the file), else one at random. For 0/1 data an interaction is a 1 (a
/// stored 0 is never held out: there is nothing to find); for ratings, any rating.
pub fn leave_one_out(data: &Ratings, seed: u64) -> Result<Split> {
    let mut rng = Rng::new(seed);
    let mut mask = vec![false; data.len()];
    let implicit = data.feedback() == super::Feedback::Implicit;
    for rows in data.by_user() {
        let held: Vec<usize> = rows
            .into_iter()
            .filter(|&r| !implicit || data.values()[r] > 0.0)
            .collect();
        if held.len() < 2 {
            continue;
        }
        let k = match data.times() {
            Some(t) => held.iter().copied().max_by_key(|&r| (t[r], r)),
            None => Some(held[rng.below(held.len())]),
        };
        if let Some(k) = k {
            mask[k] = true;
        }
    }
    parts(data, &mask)
}

/// The split by time: the latest `fraction` of all ratings (rounded, at least one) is the test
/// part, so a model is trained on the past and tested on what came after. Ties in time keep
/// the file's order. Fails when the ratings have no times.
pub fn latest(data: &Ratings, fraction: f64) -> Result<Split> {
    check_fraction(fraction)?;
    let Some(t) = data.times() else {
        return Err(Error::invalid(
            "split",
            "latest",
            "needs the time of every rating: the file has no fourth column of timestamps or dates",
        ));
    };
    let n = data.len();
    let n_test = ((n as f64 * fraction).round() as usize).clamp(1, n);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&k| (t[k], k));
    let mut mask = vec![false; n];
    for &k in &order[n - n_test..] {
        mask[k] = true;
    }
    parts(data, &mask)
}

/// The split at a moment: ratings given before `time` (seconds since 1970) train, those at or
/// after it test. Fails when the ratings have no times or the cut leaves a side empty.
///
/// ```
/// use mf_playground::data::parse::{read_ratings, ReadOptions};
/// use mf_playground::data::split::before;
/// let (r, _) = read_ratings(b"1,a,5,100\n1,b,3,200\n2,a,4,300\n", &ReadOptions::default()).unwrap();
/// let s = before(&r, 200).unwrap();
/// assert_eq!((s.train.len(), s.test.len()), (1, 2));
/// ```
pub fn before(data: &Ratings, time: i64) -> Result<Split> {
    let Some(t) = data.times() else {
        return Err(Error::invalid(
            "split",
            "before a date",
            "needs the time of every rating: the file has no fourth column of timestamps or dates",
        ));
    };
    let mask: Vec<bool> = t.iter().map(|&x| x >= time).collect();
    parts(data, &mask)
}

/// How the test part is made from the data (a separate test file is the other way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Holdout {
    /// A seeded random share of all ratings ([`holdout`]).
    #[default]
    Random,
    /// One interaction per user, the latest when the data has times ([`leave_one_out`]).
    OnePerUser,
    /// The latest share of all ratings by time ([`latest`]).
    Latest,
    /// A share of the items with every rating they have ([`cold`]): new items.
    ColdItems,
    /// A share of the users with every rating they have ([`cold`]): new users.
    ColdUsers,
}

impl Holdout {
    /// Every kind, in the order a menu lists them.
    pub const ALL: [Holdout; 5] = [
        Holdout::Random,
        Holdout::OnePerUser,
        Holdout::Latest,
        Holdout::ColdItems,
        Holdout::ColdUsers,
    ];

    /// The kind's name in requests, links and the command line.
    pub fn name(self) -> &'static str {
        match self {
            Holdout::Random => "random",
            Holdout::OnePerUser => "onePerUser",
            Holdout::Latest => "latest",
            Holdout::ColdItems => "coldItems",
            Holdout::ColdUsers => "coldUsers",
        }
    }

    /// The kind named `name` (see [`name`](Self::name)); an unknown name is an error listing the
    /// kinds.
    pub fn by_name(name: &str) -> Result<Holdout> {
        Holdout::ALL
            .into_iter()
            .find(|h| h.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Holdout::ALL.iter().map(|h| h.name()).collect();
                Error::invalid(
                    "split",
                    name,
                    format!(
                        "is not a way to hold out a test part (choose one of {})",
                        names.join(", ")
                    ),
                )
            })
    }

    /// Whether this kind uses the test share (one per user takes one rating per user).
    pub fn uses_fraction(self) -> bool {
        self != Holdout::OnePerUser
    }

    /// The training part and the test part of `data`: none when a share-based kind is given a
    /// share of 0 (train on everything).
    pub fn apply(
        self,
        data: Ratings,
        fraction: f64,
        seed: u64,
    ) -> Result<(Ratings, Option<Ratings>)> {
        if !(fraction.is_finite() && (0.0..1.0).contains(&fraction)) {
            return Err(Error::invalid(
                "test_fraction",
                fraction,
                "must be between 0 and 1",
            ));
        }
        if self.uses_fraction() && fraction == 0.0 {
            return Ok((data, None));
        }
        let s = match self {
            Holdout::Random => holdout(&data, fraction, seed)?,
            Holdout::OnePerUser => leave_one_out(&data, seed)?,
            Holdout::Latest => latest(&data, fraction)?,
            Holdout::ColdItems => cold(&data, Side::Item, fraction, seed)?,
            Holdout::ColdUsers => cold(&data, Side::User, fraction, seed)?,
        };
        Ok((s.train, Some(s.test)))
    }
}

/// Moves a random `fraction` of the users or the items that have ratings (rounded, at least
/// one), with every rating they have, to the test part: the model meets them there for the
/// first time, as a recommender meets a new item or a new user, so the test part's metrics are
/// metrics of cold start.
///
/// ```
/// use mf_playground::data::{builtin, split::cold, Side};
/// let data = builtin::seed_10x10();
/// let s = cold(&data, Side::Item, 0.2, 7).unwrap();
/// let tested: std::collections::BTreeSet<usize> = (0..s.test.len()).map(|k| s.test.get(k).1).collect();
/// assert_eq!(tested.len(), 2);
/// assert!((0..s.train.len()).all(|k| !tested.contains(&s.train.get(k).1)));
/// ```
pub fn cold(data: &Ratings, side: Side, fraction: f64, seed: u64) -> Result<Split> {
    check_fraction(fraction)?;
    let rated = data.has_ratings(side);
    let n = rated.len();
    let row = |k: usize| {
        let (u, i, _) = data.get(k);
        match side {
            Side::User => u,
            Side::Item => i,
        }
    };
    let mut rows: Vec<usize> = (0..n).filter(|&r| rated[r]).collect();
    let n_test = ((rows.len() as f64 * fraction).round() as usize).max(1);
    Rng::new(seed).shuffle(&mut rows);
    let mut held = vec![false; n];
    for &r in &rows[..n_test.min(rows.len())] {
        held[r] = true;
    }
    let mask: Vec<bool> = (0..data.len()).map(|k| held[row(k)]).collect();
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

    fn timed() -> Ratings {
        let mut b = crate::data::RatingsBuilder::new(crate::data::Feedback::Explicit);
        // Three users; each one's latest rating is on item "late".
        for (u, t0) in [("a", 10), ("b", 50), ("c", 5)] {
            b.push_at(u, "x", 3.0, t0).unwrap();
            b.push_at(u, "late", 4.0, t0 + 100).unwrap();
            b.push_at(u, "y", 2.0, t0 + 1).unwrap();
        }
        b.build().unwrap()
    }

    #[test]
    fn leave_one_out_holds_out_each_users_latest_when_there_are_times() {
        let d = timed();
        for seed in 0..5 {
            let s = leave_one_out(&d, seed).unwrap();
            assert_eq!(s.test.len(), 3);
            assert!((0..3).all(|k| d.item_ids()[s.test.get(k).1] == "late"));
            assert_eq!(
                s.test.times().unwrap().len(),
                3,
                "times go with the ratings"
            );
        }
    }

    #[test]
    fn latest_tests_on_what_came_after_what_it_trains_on() {
        let d = timed();
        let s = latest(&d, 0.34).unwrap();
        assert_eq!(s.test.len(), 3);
        let last_train = s.train.times().unwrap().iter().max().copied().unwrap();
        assert!(s.test.times().unwrap().iter().all(|&t| t >= last_train));
        let e = latest(&seed_10x10(), 0.2).unwrap_err().to_string();
        assert!(e.contains("needs the time of every rating"), "{e}");
        let (train, test) = Holdout::Latest.apply(d.clone(), 0.0, 1).unwrap();
        assert_eq!((train.len(), test), (9, None));
        let (_, test) = Holdout::OnePerUser.apply(d, 0.0, 1).unwrap();
        assert_eq!(
            test.unwrap().len(),
            3,
            "one per user does not use the share"
        );
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
