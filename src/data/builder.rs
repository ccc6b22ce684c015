//! Building [`Ratings`] from rows named by external ids: ids interned in order of first
//! appearance, duplicates resolved by a [`DuplicatePolicy`], the scale found or given.

use std::collections::HashMap;

use super::{DuplicatePolicy, Feedback, Ratings, Scale};
use crate::error::{Error, Result};

/// Builds a [`Ratings`] from rows whose users and items are named by external ids.
///
/// ```
/// use mf_playground::data::{Feedback, RatingsBuilder};
/// let mut b = RatingsBuilder::new(Feedback::Explicit);
/// b.push("alice", "matrix", 5.0).unwrap();
/// b.push("bob", "matrix", 3.0).unwrap();
/// let r = b.build().unwrap();
/// assert_eq!((r.n_users(), r.n_items(), r.len()), (2, 1, 2));
/// ```
#[derive(Debug, Clone)]
pub struct RatingsBuilder {
    ratings: Ratings,
    user_index: HashMap<String, u32>,
    item_index: HashMap<String, u32>,
    seen: HashMap<(u32, u32), usize>,
    /// For [`DuplicatePolicy::Mean`]: how many values each rating index has absorbed.
    counts: HashMap<usize, u32>,
    policy: DuplicatePolicy,
    scale: Option<Scale>,
    /// The time of every rating so far, while every one has had a time.
    times: Option<Vec<i64>>,
}

impl RatingsBuilder {
    /// An empty builder for the given kind of feedback.
    pub fn new(feedback: Feedback) -> Self {
        RatingsBuilder {
            ratings: Ratings {
                users: Vec::new(),
                items: Vec::new(),
                values: Vec::new(),
                user_ids: Vec::new(),
                item_ids: Vec::new(),
                item_labels: Vec::new(),
                times: None,
                scale: Scale { min: 0.0, max: 1.0 },
                feedback,
                features: Default::default(),
            },
            user_index: HashMap::new(),
            item_index: HashMap::new(),
            seen: HashMap::new(),
            counts: HashMap::new(),
            policy: DuplicatePolicy::Error,
            scale: None,
            times: Some(Vec::new()),
        }
    }

    /// Sets what happens to a second rating of the same pair.
    pub fn duplicates(mut self, policy: DuplicatePolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Declares the rating scale; [`build`](Self::build) otherwise takes the observed range.
    pub fn scale(mut self, min: f32, max: f32) -> Self {
        self.scale = Some(Scale { min, max });
        self
    }

    /// Registers a user without ratings (a row that is all missing), returning its index.
    pub fn add_user(&mut self, id: &str) -> u32 {
        intern(&mut self.user_index, &mut self.ratings.user_ids, id)
    }

    /// Registers an item without ratings, returning its index.
    pub fn add_item(&mut self, id: &str) -> u32 {
        let before = self.ratings.item_ids.len();
        let i = intern(&mut self.item_index, &mut self.ratings.item_ids, id);
        if self.ratings.item_ids.len() > before {
            self.ratings.item_labels.push(None);
        }
        i
    }

    /// Adds one rating. A second rating for the same (user, item) pair follows the duplicate
    /// policy; under [`DuplicatePolicy::Error`] it is an error that names the pair (the caller
    /// adds line and column).
    pub fn push(&mut self, user: &str, item: &str, value: f32) -> Result<()> {
        self.push_tracked(user, item, value, None)
            .map_err(|(e, _)| e)
    }

    /// Like [`push`](Self::push), with the time the rating was given (seconds since 1970). The
    /// ratings keep their times only if every one has a time; a duplicate kept as the last or the
    /// mean takes the later time.
    pub fn push_at(&mut self, user: &str, item: &str, value: f32, time: i64) -> Result<()> {
        self.push_tracked(user, item, value, Some(time))
            .map_err(|(e, _)| e)
    }

    /// Like [`push`](Self::push) or [`push_at`](Self::push_at), but a refused duplicate also
    /// returns the index of the rating it repeats, so a reader can name the line where the pair
    /// first appeared.
    pub fn push_tracked(
        &mut self,
        user: &str,
        item: &str,
        value: f32,
        time: Option<i64>,
    ) -> std::result::Result<(), (Error, Option<usize>)> {
        if !value.is_finite() {
            return Err((
                Error::invalid("rating", value, "is not a finite number"),
                None,
            ));
        }
        let u = self.add_user(user);
        let i = self.add_item(item);
        let next = self.ratings.values.len();
        match self.seen.get(&(u, i)) {
            None => {
                self.seen.insert((u, i), next);
                self.ratings.users.push(u);
                self.ratings.items.push(i);
                self.ratings.values.push(value);
                match (&mut self.times, time) {
                    (Some(ts), Some(t)) => ts.push(t),
                    (times, _) => *times = None,
                }
                Ok(())
            }
            Some(&k) => match self.policy {
                DuplicatePolicy::Error => Err((
                    Error::invalid(
                        "rating",
                        value,
                        format!("user \"{user}\" already rated item \"{item}\""),
                    ),
                    Some(k),
                )),
                DuplicatePolicy::KeepFirst => Ok(()),
                DuplicatePolicy::KeepLast => {
                    self.ratings.values[k] = value;
                    self.later(k, time);
                    Ok(())
                }
                DuplicatePolicy::Mean => {
                    let c = self.counts.entry(k).or_insert(1);
                    let old = self.ratings.values[k];
                    self.ratings.values[k] = old + (value - old) / (*c + 1) as f32;
                    *c += 1;
                    self.later(k, time);
                    Ok(())
                }
            },
        }
    }

    /// Rating `k` absorbed a later one given at `time`: it takes the later of the two times.
    fn later(&mut self, k: usize, time: Option<i64>) {
        match (&mut self.times, time) {
            (Some(ts), Some(t)) => ts[k] = ts[k].max(t),
            (times, _) => *times = None,
        }
    }

    /// Number of ratings so far.
    pub fn len(&self) -> usize {
        self.ratings.values.len()
    }

    /// True before the first rating.
    pub fn is_empty(&self) -> bool {
        self.ratings.values.is_empty()
    }

    /// Sets the display label (title) of an item, registering the item if needed.
    pub fn label_item(&mut self, item: &str, label: &str) {
        let i = self.add_item(item) as usize;
        self.ratings.item_labels[i] = Some(label.to_string());
    }

    /// Finishes the matrix. Fails if there is no rating, or if a value lies outside a declared
    /// scale.
    pub fn build(mut self) -> Result<Ratings> {
        if self.ratings.values.is_empty() {
            return Err(Error::EmptyDataset("there are no ratings".into()));
        }
        let (lo, hi) = self
            .ratings
            .values
            .iter()
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
        let scale = match self.scale {
            Some(s) => {
                if lo < s.min || hi > s.max {
                    let bad = if lo < s.min { lo } else { hi };
                    return Err(Error::invalid(
                        "rating",
                        bad,
                        format!("is outside the declared scale {}..{}", s.min, s.max),
                    ));
                }
                s
            }
            None => Scale { min: lo, max: hi },
        };
        if self.ratings.feedback == Feedback::Implicit {
            if let Some(&v) = self.ratings.values.iter().find(|&&v| v != 0.0 && v != 1.0) {
                return Err(Error::invalid(
                    "rating",
                    v,
                    "implicit feedback must be 0 or 1",
                ));
            }
        }
        self.ratings.scale = scale;
        self.ratings.times = self.times;
        Ok(self.ratings)
    }
}

fn intern(index: &mut HashMap<String, u32>, ids: &mut Vec<String>, id: &str) -> u32 {
    if let Some(&k) = index.get(id) {
        return k;
    }
    let k = ids.len() as u32;
    ids.push(id.to_string());
    index.insert(id.to_string(), k);
    k
}
