//! The small structured values a [`super::Session`] returns. They serialise with camelCase
//! fields: the binding layer turns them into plain JavaScript objects as they are.

use serde::Serialize;

use crate::data::parse::Detected;
use crate::data::{Feedback, Ratings, Scale};
use crate::metrics::loo::LooRanking;
use crate::metrics::{Accuracy, RankingReport};
use crate::project::Projection;
use crate::train::EpochReport;

/// Named groups (genres, taste clusters) of items and, for generated data, users.
#[derive(Serialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Groups {
    pub names: Vec<String>,
    /// Group index per item, -1 for none.
    pub items: Vec<i32>,
    pub users: Option<Vec<i32>>,
}

impl Groups {
    /// At most this many groups are told apart (a legend and a palette stay readable); the
    /// rest are folded into one called "other".
    pub const MAX: usize = 12;

    /// Groups from one optional label per item, named in order of first appearance. With more
    /// than [`Groups::MAX`] labels, the `MAX - 1` most frequent keep their names (ties to the
    /// first seen) and the others become "other", named last.
    pub fn from_labels(labels: &[Option<String>]) -> Groups {
        let mut names: Vec<&str> = Vec::new();
        let mut counts: Vec<usize> = Vec::new();
        let first: Vec<i32> = labels
            .iter()
            .map(|l| match l {
                None => -1,
                Some(l) => {
                    let k = names.iter().position(|n| n == l).unwrap_or_else(|| {
                        names.push(l);
                        counts.push(0);
                        names.len() - 1
                    });
                    counts[k] += 1;
                    k as i32
                }
            })
            .collect();
        if names.len() <= Self::MAX {
            return Groups {
                names: names.iter().map(|n| n.to_string()).collect(),
                items: first,
                users: None,
            };
        }
        let mut by_size: Vec<usize> = (0..names.len()).collect();
        by_size.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
        let mut keep = vec![false; names.len()];
        by_size[..Self::MAX - 1]
            .iter()
            .for_each(|&k| keep[k] = true);
        // Kept groups in order of first appearance, then "other".
        let mut new_index = vec![Self::MAX as i32 - 1; names.len()];
        let mut kept = Vec::new();
        for k in (0..names.len()).filter(|&k| keep[k]) {
            new_index[k] = kept.len() as i32;
            kept.push(names[k].to_string());
        }
        kept.push("other".to_string());
        Groups {
            names: kept,
            items: first
                .iter()
                .map(|&g| if g < 0 { -1 } else { new_index[g as usize] })
                .collect(),
            users: None,
        }
    }
}

/// What the page shows about a loaded data set.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct DataSummary {
    pub n_users: usize,
    pub n_items: usize,
    pub n_ratings: usize,
    pub density: f64,
    pub scale: Scale,
    pub feedback: Feedback,
    pub mean: f32,
    pub user_ids: Vec<String>,
    pub item_labels: Vec<String>,
    pub groups: Option<Groups>,
    pub has_truth: bool,
    /// The default relevance threshold of the ranking metrics (explicit data; see
    /// [`crate::metrics::default_relevance`]).
    pub relevance_threshold: f32,
    /// See [`Ratings::fingerprint`].
    pub fingerprint: String,
    /// Whether every rating has a time (so the split by time and the latest-per-user hold-out
    /// can be made).
    pub has_times: bool,
    /// The users' and the items' features, where a features file or the titles gave them.
    pub features: super::FeatureSummary,
}

impl DataSummary {
    pub fn of(r: &Ratings, groups: Option<&Groups>, has_truth: bool) -> Self {
        DataSummary {
            n_users: r.n_users(),
            n_items: r.n_items(),
            n_ratings: r.len(),
            density: r.density(),
            scale: r.scale(),
            feedback: r.feedback(),
            mean: r.mean(),
            user_ids: r.user_ids().to_vec(),
            item_labels: (0..r.n_items())
                .map(|i| r.item_label(i).to_string())
                .collect(),
            groups: groups.cloned(),
            has_truth,
            relevance_threshold: crate::metrics::default_relevance(r),
            fingerprint: r.fingerprint(),
            has_times: r.times().is_some(),
            features: super::FeatureSummary::of(r),
        }
    }
}

/// A file read but not yet loaded.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub detected: Detected,
    pub rows: Vec<Vec<String>>,
    pub summary: DataSummary,
}

/// An epoch's report with the test errors, when there is a test part. (Not `#[serde(flatten)]`:
/// serde-wasm-bindgen turns flattened structs into `Map`s, not plain objects.)
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct EpochDto {
    pub epoch: usize,
    pub loss: f32,
    pub rmse: f32,
    pub millis: f64,
    pub diverged: bool,
    pub test_rmse: Option<f32>,
    pub test_mae: Option<f32>,
    /// With early stopping: the RMSE on the validation part, the best epoch so far, and
    /// whether patience has run out.
    pub validation_rmse: Option<f32>,
    pub best_epoch: Option<usize>,
    pub stop: bool,
}

impl EpochDto {
    pub fn new(r: EpochReport, acc: Option<Accuracy>) -> Self {
        EpochDto {
            epoch: r.epoch,
            loss: r.loss,
            rmse: r.rmse,
            millis: r.millis,
            diverged: r.diverged,
            test_rmse: acc.map(|a| a.rmse),
            test_mae: acc.map(|a| a.mae),
            validation_rmse: None,
            best_epoch: None,
            stop: false,
        }
    }
}

/// One row of the evaluation table: the model or a baseline.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct EvalRow {
    pub name: &'static str,
    pub train_rmse: f32,
    pub train_mae: f32,
    pub test_rmse: Option<f32>,
    pub test_mae: Option<f32>,
    pub ranking: Option<RankingReport>,
    /// NCF's sampled protocol: each relevant test rating ranked among 99 items the user never
    /// had (He et al. 2017; one held-out item per user makes it exactly theirs).
    pub sampled: Option<LooRanking>,
}

impl EvalRow {
    pub fn of(
        name: &'static str,
        train: Accuracy,
        test: Option<Accuracy>,
        ranking: Option<RankingReport>,
        sampled: Option<LooRanking>,
    ) -> Self {
        EvalRow {
            name,
            train_rmse: train.rmse,
            train_mae: train.mae,
            test_rmse: test.map(|a| a.rmse),
            test_mae: test.map(|a| a.mae),
            ranking,
            sampled,
        }
    }
}

/// The evaluation table and how much of the data it used.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    pub rows: Vec<EvalRow>,
    pub train_ratings_used: usize,
    pub train_ratings: usize,
    pub test_users_used: usize,
    pub test_users: usize,
    /// Is the model really better than each baseline? Per-user NDCG@k, model − baseline, on
    /// the same test users: the bootstrap interval of the mean difference and the Wilcoxon
    /// signed-rank test (see [`crate::metrics::paired`]).
    pub versus: Vec<Versus>,
    /// A split by time: the earliest time of the test part (seconds since 1970, UTC). The model
    /// trained on the ratings before it and is tested on those from it on.
    pub test_since: Option<i64>,
}

/// The model against one baseline, user by user.
#[derive(Serialize, Debug)]
pub struct Versus {
    pub name: &'static str,
    pub paired: crate::metrics::paired::Paired,
}

/// One racer's epochs.
#[derive(Serialize, Debug)]
pub struct RaceLap {
    pub name: &'static str,
    pub reports: Vec<EpochDto>,
}

/// An item with a score or a rating.
#[derive(Serialize, Debug)]
pub struct Scored {
    pub item: usize,
    pub value: f32,
}

impl From<(usize, f32)> for Scored {
    fn from((item, value): (usize, f32)) -> Self {
        Scored { item, value }
    }
}

#[derive(Serialize, Debug)]
pub struct Recommendations {
    pub items: Vec<Scored>,
    pub rated: Vec<Scored>,
}

#[derive(Serialize, Debug)]
pub struct Embeddings {
    pub users: Projection,
    pub items: Projection,
    /// The table shown (`factors`, `gmf` or `mlp`), and those the model has with their labels.
    pub table: &'static str,
    pub tables: Vec<crate::train::family::TableInfo>,
    /// A hybrid model's most common features on the same axes as the users (items): where a
    /// new user (item) with that feature alone would be placed.
    #[serde(rename = "userFeatures")]
    pub user_features: Option<FeaturePoints>,
    #[serde(rename = "itemFeatures")]
    pub item_features: Option<FeaturePoints>,
    /// Turned to match the map shown before ([`super::Session::embeddings_aligned`]).
    pub aligned: bool,
}

/// Features on a map: their names, how many users (items) have each, and their coordinates
/// (row-major `(n, 2)`).
#[derive(Serialize, Debug)]
pub struct FeaturePoints {
    pub names: Vec<String>,
    pub counts: Vec<usize>,
    pub coords: Vec<f32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_labels_fold_into_the_largest_and_other() {
        // 15 labels: "g0" on 20 items, ..., "g14" on 6, and one item without a label.
        let mut labels = Vec::new();
        for g in 0..15 {
            for _ in 0..(20 - g) {
                labels.push(Some(format!("g{g}")));
            }
        }
        labels.push(None);
        let groups = Groups::from_labels(&labels);
        assert_eq!(groups.names.len(), Groups::MAX);
        assert_eq!(groups.names[..3], ["g0", "g1", "g2"]);
        assert_eq!(groups.names.last().unwrap(), "other");
        assert_eq!(groups.items[0], 0);
        // g11..g14 (the four smallest) are "other"; the unlabelled item stays without a group.
        let other = (Groups::MAX - 1) as i32;
        let g14 = labels
            .iter()
            .position(|l| l.as_deref() == Some("g14"))
            .unwrap();
        assert_eq!(groups.items[g14], other);
        assert_eq!(
            groups.items.iter().filter(|&&g| g == other).count(),
            9 + 8 + 7 + 6
        );
        assert_eq!(*groups.items.last().unwrap(), -1);
        // Few labels keep their order of first appearance.
        let few = Groups::from_labels(&[Some("b".into()), Some("a".into()), Some("b".into())]);
        assert_eq!(
            (few.names, few.items),
            (vec!["b".to_string(), "a".into()], vec![0, 1, 0])
        );
    }
}
