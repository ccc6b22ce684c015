//! Side information: the features each user or item has (genres, tags, an age band, an
//! occupation), beside its ratings.
//!
//! A [`FeatureMatrix`] has one row per user (or item) of a [`super::Ratings`], in the same order,
//! and one column per distinct feature. A row with `n` features gives each the weight
//! `1 / (n + 1)` (a movie with two genres gives each a third), as LightFM normalises a row in
//! which the id's own indicator is one of its `n + 1` features (Kula, "Metadata embeddings for
//! user and item cold-start recommendations", 2015); here the id keeps its whole weight. A hybrid
//! model's vector for the row is its id's vector plus its features' vectors so weighted: a row
//! known by more features leans on them more, and a new film known by one genre is half that
//! genre's vector. (Measured on MovieTweetings's new films, BPR, `bench/lightfm_peers.py`:
//! precision@10 0.0017 with the features' plain mean, 0.0042 so.) Rows without features are
//! empty.

use std::collections::HashMap;

use crate::error::{Error, Result};

/// The most distinct features a side may have: each is a row of factors in a hybrid model, and a
/// column with more distinct values than this is an identifier, not a feature.
pub const MAX_FEATURES: usize = 20_000;

/// The weight of each feature of a row with `n` of them: `1 / (n + 1)` (see the module's
/// documentation).
pub fn weight(n: usize) -> f32 {
    1.0 / (n + 1) as f32
}

/// The features of every user (or every item): a sparse matrix in compressed rows. In a file it
/// is its names and each row's features ([`FeatureRows`]), checked on the way in.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "FeatureRows", into = "FeatureRows")]
pub struct FeatureMatrix {
    /// The features' names (`genre=Comedy`, `age 25-34`), one per column.
    names: Vec<String>,
    /// Row `r` is `columns[offsets[r]..offsets[r + 1]]`, with the same `weights`.
    offsets: Vec<u32>,
    columns: Vec<u32>,
    weights: Vec<f32>,
}

impl FeatureMatrix {
    /// The matrix of `lists`, one list of feature names per row (repeats count once). Fails when
    /// there are more than [`MAX_FEATURES`] distinct names.
    pub fn from_lists<S: AsRef<str>>(lists: &[Vec<S>]) -> Result<FeatureMatrix> {
        let mut b = FeatureBuilder::default();
        for list in lists {
            for name in list {
                b.add(name.as_ref()).map_err(|n| {
                    Error::invalid(
                        "features",
                        n,
                        format!("more than {MAX_FEATURES} distinct features"),
                    )
                })?;
            }
            b.end_row();
        }
        Ok(b.build())
    }

    /// The matrix whose row `r` has the features `rows[r]` (indices into `names`, in order),
    /// as a model file keeps it. Fails on an index out of range, a name given twice, or more
    /// than [`MAX_FEATURES`] names.
    pub fn from_rows(names: Vec<String>, rows: &[Vec<u32>]) -> Result<FeatureMatrix> {
        if names.len() > MAX_FEATURES {
            return Err(Error::invalid(
                "features",
                format!("{} names", names.len()),
                format!("a side has at most {MAX_FEATURES}"),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = names.iter().find(|n| !seen.insert(n.as_str())) {
            return Err(Error::invalid("features", twice, "is named twice"));
        }
        let mut b = FeatureBuilder {
            index: names
                .iter()
                .enumerate()
                .map(|(c, n)| (n.clone(), c as u32))
                .collect(),
            names,
            ..Default::default()
        };
        for (r, row) in rows.iter().enumerate() {
            for &c in row {
                let Some(name) = b.names.get(c as usize).cloned() else {
                    return Err(Error::invalid(
                        "features",
                        c,
                        format!(
                            "row {r} names a feature beyond the {} there are",
                            b.names.len()
                        ),
                    ));
                };
                b.add(&name).expect("a known name");
            }
            b.end_row();
        }
        Ok(b.build())
    }

    /// Every row's features, as indices into [`FeatureMatrix::names`].
    pub fn rows(&self) -> Vec<Vec<u32>> {
        (0..self.n_rows()).map(|r| self.row(r).0.to_vec()).collect()
    }

    /// How many rows (users or items).
    pub fn n_rows(&self) -> usize {
        self.offsets.len() - 1
    }

    /// How many distinct features.
    pub fn n_features(&self) -> usize {
        self.names.len()
    }

    /// The features' names, by column.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// How many (row, feature) pairs are set.
    pub fn nnz(&self) -> usize {
        self.columns.len()
    }

    /// Row `r`'s features and their weights (`1 / (n + 1)` each for `n` features).
    #[inline]
    pub fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.offsets[r] as usize, self.offsets[r + 1] as usize);
        (&self.columns[a..b], &self.weights[a..b])
    }

    /// How many rows have at least one feature.
    pub fn rows_with_features(&self) -> usize {
        self.offsets.windows(2).filter(|w| w[1] > w[0]).count()
    }

    /// How many rows have each feature.
    pub fn counts(&self) -> Vec<usize> {
        let mut n = vec![0; self.n_features()];
        for &c in &self.columns {
            n[c as usize] += 1;
        }
        n
    }

    /// The `n` features most rows have, most first (ties in column order), with how many rows
    /// have each: what a summary names and a map shows.
    pub fn most_common(&self, n: usize) -> Vec<(usize, usize)> {
        let counts = self.counts();
        let mut order: Vec<usize> = (0..counts.len()).collect();
        order.sort_by_key(|&c| std::cmp::Reverse(counts[c]));
        order.into_iter().take(n).map(|c| (c, counts[c])).collect()
    }

    /// The features of row `r` by name.
    pub fn row_names(&self, r: usize) -> Vec<&str> {
        self.row(r)
            .0
            .iter()
            .map(|&c| self.names[c as usize].as_str())
            .collect()
    }
}

/// A [`FeatureMatrix`] as a file keeps it: the features' names, and each row's features as
/// indices into them (the weights follow).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureRows {
    pub names: Vec<String>,
    pub rows: Vec<Vec<u32>>,
}

impl TryFrom<FeatureRows> for FeatureMatrix {
    type Error = Error;

    fn try_from(r: FeatureRows) -> Result<FeatureMatrix> {
        FeatureMatrix::from_rows(r.names, &r.rows)
    }
}

impl From<FeatureMatrix> for FeatureRows {
    fn from(m: FeatureMatrix) -> FeatureRows {
        FeatureRows {
            rows: m.rows(),
            names: m.names,
        }
    }
}

/// Builds a [`FeatureMatrix`] row by row.
#[derive(Debug, Default)]
pub struct FeatureBuilder {
    names: Vec<String>,
    index: HashMap<String, u32>,
    offsets: Vec<u32>,
    columns: Vec<u32>,
    row: Vec<u32>,
}

impl FeatureBuilder {
    /// Gives the current row feature `name`. `Err(name)` when it would be one feature too many.
    pub fn add(&mut self, name: &str) -> std::result::Result<(), String> {
        let c = match self.index.get(name) {
            Some(&c) => c,
            None => {
                if self.names.len() == MAX_FEATURES {
                    return Err(name.to_string());
                }
                let c = self.names.len() as u32;
                self.names.push(name.to_string());
                self.index.insert(name.to_string(), c);
                c
            }
        };
        if !self.row.contains(&c) {
            self.row.push(c);
        }
        Ok(())
    }

    /// Ends the current row (a row with no feature is empty).
    pub fn end_row(&mut self) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        // In the order given (a file's columns), which is how a person reads them back.
        self.columns.append(&mut self.row);
        self.offsets.push(self.columns.len() as u32);
    }

    /// The matrix, each of a row's `n` features weighing `1 / (n + 1)`.
    pub fn build(mut self) -> FeatureMatrix {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        let mut weights = vec![0.0; self.columns.len()];
        for w in self.offsets.windows(2) {
            let (a, b) = (w[0] as usize, w[1] as usize);
            for x in &mut weights[a..b] {
                *x = weight(b - a);
            }
        }
        FeatureMatrix {
            names: self.names,
            offsets: self.offsets,
            columns: self.columns,
            weights,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_normalised_and_names_shared() {
        let m =
            FeatureMatrix::from_lists(&[vec!["Comedy", "Drama"], vec![], vec!["Drama", "Drama"]])
                .unwrap();
        assert_eq!(m.n_rows(), 3);
        assert_eq!(m.names(), ["Comedy", "Drama"]);
        assert_eq!(m.row(0), (&[0, 1][..], &[1.0 / 3.0, 1.0 / 3.0][..]));
        assert_eq!(m.row(1).0.len(), 0);
        assert_eq!(m.row(2), (&[1][..], &[0.5][..]));
        assert_eq!(m.rows_with_features(), 2);
        assert_eq!(m.counts(), [1, 2]);
    }

    #[test]
    fn too_many_features_are_refused() {
        let lists: Vec<Vec<String>> = (0..=MAX_FEATURES).map(|k| vec![k.to_string()]).collect();
        let e = FeatureMatrix::from_lists(&lists).unwrap_err();
        assert!(e.to_string().contains("20000"), "{e}");
    }
}
