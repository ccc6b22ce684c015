//! Rating data: sparse (user, item, value) triplets with maps between external ids and dense
//! indices, optional labels, the rating scale and the kind of feedback.
//!
//! A recommender sees a user-item matrix in which most cells are unknown. [`Ratings`] stores only
//! the known cells, as three parallel arrays (structure of arrays: the training loops stream
//! through them in order, which keeps the cache warm). Users and items keep the ids they had in the
//! source file (`"u42"`, an IMDb number, ...) and get dense indices `0..n_users` and `0..n_items`
//! in order of first appearance.

mod builder;
pub mod builtin;
pub mod features;
pub mod parse;
pub mod preprocess;
pub mod split;
pub mod text;

pub use builder::RatingsBuilder;
pub use features::FeatureMatrix;

use std::collections::HashMap;
use std::sync::Arc;

use crate::error::{Error, Result};

/// Whether values are graded ratings or 0/1 interactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Feedback {
    /// Graded ratings on a scale (1-5 stars, 0-10, ...): fit with squared error.
    Explicit,
    /// 1 = the user interacted with the item, 0 = observed non-interaction: fit with logistic loss.
    Implicit,
}

/// What to do when a (user, item) pair is rated twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DuplicatePolicy {
    /// Refuse the data, naming both places (the default: a silent choice would hide a problem).
    #[default]
    Error,
    /// Keep the first value seen.
    KeepFirst,
    /// Keep the last value seen (a later rating replaces an earlier one).
    KeepLast,
    /// Keep the mean of all values given for the pair.
    Mean,
}

/// The closed range ratings are declared to lie in.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Scale {
    pub min: f32,
    pub max: f32,
}

/// A sparse rating matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Ratings {
    users: Vec<u32>,
    items: Vec<u32>,
    values: Vec<f32>,
    user_ids: Vec<String>,
    item_ids: Vec<String>,
    item_labels: Vec<Option<String>>,
    /// When each rating was given (seconds since 1970), when the source had a time for every one.
    times: Option<Vec<i64>>,
    scale: Scale,
    feedback: Feedback,
    /// The users' and the items' features, when a features file (or the titles' genres) gave
    /// them: one row per user or item, kept by every part a split makes.
    features: Sides,
}

/// A side's features: the users' and the items'.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sides {
    pub user: Option<Arc<FeatureMatrix>>,
    pub item: Option<Arc<FeatureMatrix>>,
}

/// Users or items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Side {
    User,
    Item,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::User => "user",
            Side::Item => "item",
        }
    }

    /// The side called `name` (`user` or `item`).
    pub fn by_name(name: &str) -> Result<Side> {
        match name {
            "user" => Ok(Side::User),
            "item" => Ok(Side::Item),
            _ => Err(Error::invalid("side", name, "is user or item")),
        }
    }
}

impl Ratings {
    /// Reads a dense matrix (rows are users, columns items); `None` cells are missing.
    /// Users are named `"1".."n"` and items `"1".."m"`, as in a printed table.
    ///
    /// Fails if the matrix is empty, ragged or has no known cell.
    pub fn from_dense(rows: &[Vec<Option<f32>>], feedback: Feedback) -> Result<Ratings> {
        let n_items = rows.first().map_or(0, Vec::len);
        if rows.is_empty() || n_items == 0 {
            return Err(Error::EmptyDataset("the matrix has no cells".into()));
        }
        let mut b = RatingsBuilder::new(feedback);
        for j in 0..n_items {
            b.add_item(&(j + 1).to_string());
        }
        for (u, row) in rows.iter().enumerate() {
            if row.len() != n_items {
                return Err(Error::parse(
                    u + 1,
                    row.len().min(n_items) + 1,
                    format!("row has {} cells, the first row has {n_items}", row.len()),
                ));
            }
            let uid = (u + 1).to_string();
            b.add_user(&uid);
            for (j, cell) in row.iter().enumerate() {
                if let Some(v) = cell {
                    b.push(&uid, &(j + 1).to_string(), *v)
                        .map_err(|e| Error::parse(u + 1, j + 1, e.to_string()))?;
                }
            }
        }
        b.build()
    }

    /// Number of users (rows), including users without ratings.
    pub fn n_users(&self) -> usize {
        self.user_ids.len()
    }

    /// Number of items (columns), including items without ratings.
    pub fn n_items(&self) -> usize {
        self.item_ids.len()
    }

    /// Number of known ratings.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when there is no rating (a built [`Ratings`] never is).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// A fingerprint of the ratings: their count and a 64-bit FNV-1a hash of every rating's user
    /// id, item id and value, in order (`"7891-1f0e..."`). The same file read the same way gives
    /// the same fingerprint; a shared link carries it, so the page can tell whether the file it is
    /// given is the one the link was made with.
    pub fn fingerprint(&self) -> String {
        let mut h = crate::rng::Fnv1a::new();
        for k in 0..self.len() {
            h.write(self.user_ids[self.users[k] as usize].as_bytes());
            h.write(&[0]);
            h.write(self.item_ids[self.items[k] as usize].as_bytes());
            h.write(&[0]);
            h.write(&self.values[k].to_bits().to_le_bytes());
        }
        format!("{}-{:016x}", self.len(), h.finish())
    }

    /// Fraction of the matrix that is known.
    pub fn density(&self) -> f64 {
        self.len() as f64 / (self.n_users() as f64 * self.n_items() as f64)
    }

    /// User index of every rating.
    pub fn users(&self) -> &[u32] {
        &self.users
    }

    /// Item index of every rating.
    pub fn items(&self) -> &[u32] {
        &self.items
    }

    /// Value of every rating.
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    /// When each rating was given, in seconds since 1970, if the source said (a file's fourth
    /// column of times or dates).
    pub fn times(&self) -> Option<&[i64]> {
        self.times.as_deref()
    }

    /// `(user, item, value)` of rating `k`.
    pub fn get(&self, k: usize) -> (usize, usize, f32) {
        (
            self.users[k] as usize,
            self.items[k] as usize,
            self.values[k],
        )
    }

    /// External ids of the users, by index.
    pub fn user_ids(&self) -> &[String] {
        &self.user_ids
    }

    /// External ids of the items, by index.
    pub fn item_ids(&self) -> &[String] {
        &self.item_ids
    }

    /// The item's title if the data has one, else its id.
    pub fn item_label(&self, item: usize) -> &str {
        self.item_labels[item]
            .as_deref()
            .unwrap_or(&self.item_ids[item])
    }

    /// Sets the display label (title) of item `item`. Panics if `item` is out of range.
    pub fn set_item_label(&mut self, item: usize, label: String) {
        self.item_labels[item] = Some(label);
    }

    /// The external ids of the users or of the items, by index.
    pub fn ids(&self, side: Side) -> &[String] {
        match side {
            Side::User => &self.user_ids,
            Side::Item => &self.item_ids,
        }
    }

    /// Whether each user (or item) has at least one rating here: a user or an item the ratings
    /// do not mention (held out as new, say) has none.
    pub fn has_ratings(&self, side: Side) -> Vec<bool> {
        let (rows, n) = match side {
            Side::User => (&self.users, self.n_users()),
            Side::Item => (&self.items, self.n_items()),
        };
        let mut seen = vec![false; n];
        for &r in rows {
            seen[r as usize] = true;
        }
        seen
    }

    /// Both sides' features, or, when neither side has any, the error a model that needs them
    /// gives (`name` and `value` the knob that asked for them, `otherwise` what else to do).
    pub fn require_features(
        &self,
        name: &'static str,
        value: &str,
        otherwise: &str,
    ) -> Result<&Sides> {
        let s = &self.features;
        if s.user.is_none() && s.item.is_none() {
            return Err(Error::invalid(
                name,
                value,
                format!(
                    "needs features: give the users or the items a features file (or the items \
                     titles with genres){otherwise}"
                ),
            ));
        }
        Ok(s)
    }

    /// The features of the users or of the items, if they have been given.
    pub fn features(&self, side: Side) -> Option<&Arc<FeatureMatrix>> {
        match side {
            Side::User => self.features.user.as_ref(),
            Side::Item => self.features.item.as_ref(),
        }
    }

    /// Both sides' features.
    pub fn feature_sides(&self) -> &Sides {
        &self.features
    }

    /// Gives the users or the items features (one row each, in index order), or takes them
    /// away (`None`). Fails when the rows are not as many as the users or the items.
    pub fn set_features(&mut self, side: Side, m: Option<Arc<FeatureMatrix>>) -> Result<()> {
        let n = self.ids(side).len();
        if let Some(m) = &m {
            if m.n_rows() != n {
                return Err(Error::invalid(
                    "features",
                    format!("{} rows", m.n_rows()),
                    format!("the data has {n} {}s", side.name()),
                ));
            }
        }
        match side {
            Side::User => self.features.user = m,
            Side::Item => self.features.item = m,
        }
        Ok(())
    }

    /// The rating scale.
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// Explicit ratings or implicit 0/1 interactions.
    pub fn feedback(&self) -> Feedback {
        self.feedback
    }

    /// Mean of all known values.
    pub fn mean(&self) -> f32 {
        (self.values.iter().map(|&v| v as f64).sum::<f64>() / self.len() as f64) as f32
    }

    /// The ratings at `indices` (in that order), with the same users, items, labels, scale and
    /// feedback, so that indices mean the same thing in the subset. Panics if an index is out
    /// of range.
    pub fn subset(&self, indices: &[usize]) -> Ratings {
        Ratings {
            users: indices.iter().map(|&k| self.users[k]).collect(),
            items: indices.iter().map(|&k| self.items[k]).collect(),
            values: indices.iter().map(|&k| self.values[k]).collect(),
            times: self
                .times
                .as_ref()
                .map(|t| indices.iter().map(|&k| t[k]).collect()),
            user_ids: self.user_ids.clone(),
            item_ids: self.item_ids.clone(),
            item_labels: self.item_labels.clone(),
            scale: self.scale,
            feedback: self.feedback,
            features: self.features.clone(),
        }
    }

    /// The same matrix with every value replaced by `f(user, item, value)` and the given
    /// feedback kind (ratings turned into 0/1 by a threshold, or normalised).
    pub fn map_values(&self, feedback: Feedback, f: impl Fn(usize, usize, f32) -> f32) -> Ratings {
        let values: Vec<f32> = (0..self.len())
            .map(|k| {
                let (u, i, v) = self.get(k);
                f(u, i, v)
            })
            .collect();
        let (lo, hi) = values
            .iter()
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        let scale = if feedback == Feedback::Implicit {
            Scale { min: 0.0, max: 1.0 }
        } else {
            Scale { min: lo, max: hi }
        };
        Ratings {
            values,
            scale,
            feedback,
            ..self.clone()
        }
    }

    /// The same matrix with cell `(user, item)` set to `value` (added or changed) or removed
    /// (`None`). Fails if the indices are out of range, the value is not finite, an implicit
    /// value is not 0 or 1, or removing would leave no rating.
    pub fn with_cell(&self, user: usize, item: usize, value: Option<f32>) -> Result<Ratings> {
        if user >= self.n_users() {
            return Err(Error::OutOfRange {
                what: "user",
                index: user,
                len: self.n_users(),
            });
        }
        if item >= self.n_items() {
            return Err(Error::OutOfRange {
                what: "item",
                index: item,
                len: self.n_items(),
            });
        }
        if let Some(v) = value {
            if !v.is_finite() {
                return Err(Error::invalid("rating", v, "is not a finite number"));
            }
            if self.feedback == Feedback::Implicit && v != 0.0 && v != 1.0 {
                return Err(Error::invalid(
                    "rating",
                    v,
                    "implicit feedback must be 0 or 1",
                ));
            }
        }
        let mut out = self.clone();
        let at = (0..self.len())
            .find(|&k| self.users[k] as usize == user && self.items[k] as usize == item);
        match (at, value) {
            (Some(k), Some(v)) => out.values[k] = v,
            (Some(k), None) => {
                out.users.remove(k);
                out.items.remove(k);
                out.values.remove(k);
                if let Some(t) = &mut out.times {
                    t.remove(k);
                }
            }
            (None, Some(v)) => {
                out.users.push(user as u32);
                out.items.push(item as u32);
                out.values.push(v);
                // A rating added now is the latest.
                if let Some(t) = &mut out.times {
                    t.push(t.iter().max().map_or(0, |m| m + 1));
                }
            }
            (None, None) => {}
        }
        if out.is_empty() {
            return Err(Error::EmptyDataset(
                "the last rating cannot be removed".into(),
            ));
        }
        if let Some(v) = value {
            out.scale.min = out.scale.min.min(v);
            out.scale.max = out.scale.max.max(v);
        }
        Ok(out)
    }

    /// `other`'s ratings re-indexed by this matrix's users and items (for a separate test file):
    /// ratings of users or items this matrix does not know are dropped and counted.
    pub fn align(&self, other: &Ratings) -> (Ratings, usize) {
        let users: HashMap<&str, u32> = self
            .user_ids
            .iter()
            .enumerate()
            .map(|(k, id)| (id.as_str(), k as u32))
            .collect();
        let items: HashMap<&str, u32> = self
            .item_ids
            .iter()
            .enumerate()
            .map(|(k, id)| (id.as_str(), k as u32))
            .collect();
        let mut out = Ratings {
            users: Vec::new(),
            items: Vec::new(),
            values: Vec::new(),
            times: other.times.as_ref().map(|_| Vec::new()),
            feedback: other.feedback,
            ..self.clone()
        };
        let mut dropped = 0;
        for k in 0..other.len() {
            let (u, i, v) = other.get(k);
            match (
                users.get(other.user_ids[u].as_str()),
                items.get(other.item_ids[i].as_str()),
            ) {
                (Some(&u), Some(&i)) => {
                    out.users.push(u);
                    out.items.push(i);
                    out.values.push(v);
                    if let (Some(t), Some(from)) = (&mut out.times, &other.times) {
                        t.push(from[k]);
                    }
                }
                _ => dropped += 1,
            }
        }
        (out, dropped)
    }

    /// Indices of the ratings of each user: `by_user()[u]` lists rating indices of user `u`.
    pub fn by_user(&self) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new(); self.n_users()];
        for (k, &u) in self.users.iter().enumerate() {
            out[u as usize].push(k);
        }
        out
    }

    /// Indices of the ratings of each item.
    pub fn by_item(&self) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new(); self.n_items()];
        for (k, &i) in self.items.iter().enumerate() {
            out[i as usize].push(k);
        }
        out
    }

    /// Checks that these ratings can replace `old` under a trained model: the same users and
    /// items (the same counts), and at least one rating to train on.
    pub fn check_replaces(&self, old: &Ratings) -> Result<()> {
        if self.n_users() != old.n_users() || self.n_items() != old.n_items() {
            return Err(Error::invalid(
                "data",
                format!("{} x {}", self.n_users(), self.n_items()),
                format!(
                    "must keep the model's {} users x {} items",
                    old.n_users(),
                    old.n_items()
                ),
            ));
        }
        if self.is_empty() {
            return Err(Error::EmptyDataset(
                "there are no ratings to train on".into(),
            ));
        }
        Ok(())
    }

    /// The ratings as `user,item,rating` CSV with a header (and a `timestamp` column when the
    /// ratings have times), ids quoted where needed; reads back to the same matrix (same ids,
    /// values, times and, for users and items with ratings, order).
    pub fn to_csv(&self) -> String {
        let mut out = String::from(match self.times {
            Some(_) => "user,item,rating,timestamp\n",
            None => "user,item,rating\n",
        });
        for k in 0..self.len() {
            let (u, i, v) = self.get(k);
            out.push_str(&format!(
                "{},{},{}",
                csv_field(&self.user_ids[u]),
                csv_field(&self.item_ids[i]),
                v
            ));
            if let Some(t) = &self.times {
                out.push_str(&format!(",{}", t[k]));
            }
            out.push('\n');
        }
        out
    }

    /// The matrix as a dense row-major array of shape `(n_users, n_items)`, `NaN` where unknown.
    pub fn to_dense(&self) -> Vec<f32> {
        let mut out = vec![f32::NAN; self.n_users() * self.n_items()];
        for k in 0..self.len() {
            let (u, i, v) = self.get(k);
            out[u * self.n_items() + i] = v;
        }
        out
    }
}

/// A CSV field, quoted (RFC 4180) when it holds a comma, a quote, a line break or outer spaces.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.trim() != s {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests;
