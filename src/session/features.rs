//! The users' and the items' features: a features file read for the loaded data, and what the
//! page shows of them.
//!
//! Features change the data, not the model: a trained model stays (a hybrid model keeps the
//! features it was made with until the next reset), and the next model is made with them. The
//! explicit ratings behind a 0/1 threshold get them too, so they survive the threshold's removal.

use std::sync::Arc;

use super::{DataSummary, Session};
use crate::data::parse::{read_features, ColumnRead};
use crate::data::{FeatureMatrix, Ratings, Side};
use crate::error::Result;

/// How many of a side's most common features the summary names.
pub const TOP: usize = 12;

/// What the page shows of one side's features.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SideSummary {
    /// Users (or items) with at least one feature, and how many distinct features there are.
    pub rows_with: usize,
    pub n_features: usize,
    /// The most common features, with how many users (items) have each.
    pub top: Vec<(String, usize)>,
}

/// Both sides' features, where given.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeatureSummary {
    pub user: Option<SideSummary>,
    pub item: Option<SideSummary>,
}

impl SideSummary {
    pub fn of(m: &FeatureMatrix) -> SideSummary {
        SideSummary {
            rows_with: m.rows_with_features(),
            n_features: m.n_features(),
            top: m
                .most_common(TOP)
                .into_iter()
                .map(|(c, n)| (m.names()[c].clone(), n))
                .collect(),
        }
    }
}

impl FeatureSummary {
    pub fn of(r: &Ratings) -> FeatureSummary {
        let side = |s| r.features(s).map(|m| SideSummary::of(m));
        FeatureSummary {
            user: side(Side::User),
            item: side(Side::Item),
        }
    }
}

/// A features file as read: the data's summary, and what became of the file.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeaturesRead {
    pub summary: DataSummary,
    /// What the file was read as (`lists`, `columns`, `u.item genres`, `u.user`, ...).
    pub format: &'static str,
    pub columns: Vec<ColumnRead>,
    /// Lines whose id the data has, and lines skipped for an id it does not have.
    pub matched: usize,
    pub unmatched: usize,
    /// The first few users (items) with features, and theirs: what the file was read to say.
    pub preview: Vec<(String, Vec<String>)>,
}

impl Session {
    /// Reads a features file for the loaded data's users or items (`None`: takes that side's
    /// features away). A bad file changes nothing.
    pub fn set_features(&mut self, side: Side, bytes: Option<&[u8]>) -> Result<FeaturesRead> {
        let l = self.loaded_mut()?;
        let read = bytes.map(|b| read_features(b, &l.data, side)).transpose()?;
        let (matrix, format, columns, matched, unmatched) = match read {
            Some(f) => (
                Some(Arc::new(f.matrix)),
                f.format,
                f.columns,
                f.matched,
                f.unmatched,
            ),
            None => (None, "none", Vec::new(), 0, 0),
        };
        l.data.set_features(side, matrix.clone())?;
        if let Some(e) = l.explicit.as_mut() {
            e.ratings.set_features(side, matrix.clone())?;
        }
        let ids = l.data.ids(side);
        let preview = matrix.as_ref().map_or_else(Vec::new, |m| {
            (0..m.n_rows())
                .filter(|&r| !m.row(r).0.is_empty())
                .take(5)
                .map(|r| {
                    let names = m.row_names(r).into_iter().map(str::to_string).collect();
                    (ids[r].clone(), names)
                })
                .collect()
        });
        Ok(FeaturesRead {
            summary: l.summary(),
            format,
            columns,
            matched,
            unmatched,
            preview,
        })
    }
}
