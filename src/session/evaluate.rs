//! The evaluation table: accuracy on the training and test parts and ranking metrics at k, for
//! the model and for the baselines fitted on the same training part. Large data is sampled, so
//! the table stays quick.

use super::{EvalRow, Evaluation, Session, Versus};
use crate::baseline::{Baseline, BaselineKind};
use crate::data::split::Holdout;
use crate::data::Ratings;
use crate::error::Result;
use crate::metrics::loo::leave_one_out_ranking_by_user_in;
use crate::metrics::{accuracy, is_relevant, ranking_in, Scope};

impl Session {
    /// Accuracy on the training and test parts, ranking metrics at `k` on the test part (a test
    /// rating >= `threshold` is relevant on explicit data), and the same for the baselines
    /// (global mean, bias-only, popularity, random) fitted on the same training part.
    ///
    /// On large data the figures come from samples, so the table stays quick: training accuracy
    /// from at most 200,000 evenly spaced ratings, test figures from at most 1,000 evenly spaced
    /// users (with all of their test ratings).
    pub fn evaluate(&self, k: usize, threshold: f32) -> Result<Evaluation> {
        Ok(self.evaluate_sample(k, threshold, true)?.0)
    }

    /// [`Session::evaluate`] (without the baselines' rows when `baselines` is false: a run keeps
    /// the model's figures only), and the test users' sample it ranked and measured (all of the
    /// test part when it is small).
    pub(super) fn evaluate_sample(
        &self,
        k: usize,
        threshold: f32,
        baselines: bool,
    ) -> Result<(Evaluation, Option<Ratings>)> {
        let f = self.fit()?;
        let t = f.sound()?;
        let train = t.data();
        let m = t;
        let items = t.embedding_tables().1;
        // New items held out: they are ranked among themselves, in the full ranking and the
        // sampled one.
        let l = self.loaded()?;
        let scope = match (l.holdout, &l.test_file) {
            (Holdout::ColdItems, None) => Scope::NewItems,
            _ => Scope::Catalogue,
        };
        let train_sample = sample_ratings(train, 200_000);
        let test_sample = f.test.as_ref().map(|ts| sample_users(ts, 1_000));
        // NCF's sampled protocol ranks the relevant test ratings among 99 unseen items each.
        let relevant = test_sample.as_ref().map(|ts| {
            ts.subset(
                &(0..ts.len())
                    .filter(|&j| is_relevant(ts.values()[j], ts.feedback(), threshold))
                    .collect::<Vec<_>>(),
            )
        });
        let sampled = |scores: &mut dyn FnMut(usize) -> Vec<f32>| {
            relevant.as_ref().filter(|r| !r.is_empty()).and_then(|r| {
                leave_one_out_ranking_by_user_in(scope, train, r, k, 99, t.params().seed, scores)
                    .ok()
            })
        };
        let mut rows = vec![EvalRow::of(
            "model",
            accuracy(&train_sample, |u, i| m.predict(u, i)),
            test_sample
                .as_ref()
                .map(|ts| accuracy(ts, |u, i| m.predict(u, i))),
            test_sample.as_ref().map(|ts| {
                ranking_in(scope, train, ts, k, threshold, Some(&items), |u| {
                    m.scores_for_user(u)
                })
            }),
            sampled(&mut |u| m.scores_for_user(u)),
        )];
        let kinds = [
            BaselineKind::GlobalMean,
            BaselineKind::BiasOnly,
            BaselineKind::Popularity,
            BaselineKind::Random,
        ];
        for kind in kinds.into_iter().filter(|_| baselines) {
            let b = Baseline::fit(kind, train, t.params().reg_bias, t.params().seed)?;
            // The global mean gives every item the same score: it cannot rank.
            let ranks = kind != BaselineKind::GlobalMean;
            let ranking = test_sample.as_ref().filter(|_| ranks).map(|ts| {
                ranking_in(scope, train, ts, k, threshold, Some(&items), |u| {
                    b.scores_for_user(u)
                })
            });
            rows.push(EvalRow::of(
                kind.name(),
                accuracy(&train_sample, |u, i| b.predict(u, i)),
                f.test
                    .as_ref()
                    .map(|ts| accuracy(ts, |u, i| b.predict(u, i))),
                ranking,
                ranks
                    .then(|| sampled(&mut |u| b.scores_for_user(u)))
                    .flatten(),
            ));
        }
        let versus = versus_baselines(&rows, t.params().seed);
        let users_with_tests = |r: &Ratings| users_with_ratings(r).len();
        let evaluation = Evaluation {
            rows,
            train_ratings_used: train_sample.len(),
            train_ratings: train.len(),
            test_users_used: test_sample.as_ref().map_or(0, users_with_tests),
            test_users: f.test.as_ref().map_or(0, users_with_tests),
            versus,
            test_since: (l.holdout == Holdout::Latest && l.test_file.is_none())
                .then(|| f.test.as_ref()?.times()?.iter().copied().min())
                .flatten(),
        };
        Ok((evaluation, test_sample))
    }
}

/// The model (the first row) against each baseline that ranks, on per-user NDCG@k: both were
/// ranked for the same users, so the figures pair one to one.
fn versus_baselines(rows: &[EvalRow], seed: u64) -> Vec<Versus> {
    let Some(model) = rows.first().and_then(|r| r.ranking.as_ref()) else {
        return Vec::new();
    };
    let ndcg = |r: &crate::metrics::RankingReport| -> Vec<f64> {
        r.by_user.iter().map(|(_, m)| m.ndcg).collect()
    };
    let ours = ndcg(model);
    rows[1..]
        .iter()
        .filter_map(|r| {
            let theirs = r.ranking.as_ref()?;
            debug_assert!(theirs
                .by_user
                .iter()
                .zip(&model.by_user)
                .all(|(a, b)| a.0 == b.0));
            let theirs = ndcg(theirs);
            let paired = crate::metrics::paired::compare(&theirs, &ours, 2000, seed).ok()?;
            Some(Versus {
                name: r.name,
                paired,
            })
        })
        .collect()
}

/// At most `max` evenly spaced ratings of `r`.
fn sample_ratings(r: &Ratings, max: usize) -> Ratings {
    let stride = r.len().div_ceil(max).max(1);
    r.subset(&(0..r.len()).step_by(stride).collect::<Vec<_>>())
}

/// The users `r` holds at least one rating of, in index order.
fn users_with_ratings(r: &Ratings) -> Vec<usize> {
    let mut has = vec![false; r.n_users()];
    r.users().iter().for_each(|&u| has[u as usize] = true);
    (0..r.n_users()).filter(|&u| has[u]).collect()
}

/// The ratings of at most `max` evenly spaced users among those `r` has ratings for.
fn sample_users(r: &Ratings, max: usize) -> Ratings {
    let users = users_with_ratings(r);
    let stride = users.len().div_ceil(max).max(1);
    let mut keep = vec![false; r.n_users()];
    users.iter().step_by(stride).for_each(|&u| keep[u] = true);
    r.subset(
        &(0..r.len())
            .filter(|&k| keep[r.users()[k] as usize])
            .collect::<Vec<_>>(),
    )
}
