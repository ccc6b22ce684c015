//! Evaluation: rating accuracy, ranking quality and what lies beyond accuracy.
//!
//! **Rating accuracy**: RMSE and MAE of predictions on held-out ratings.
//!
//! **Ranking** (the protocol): for every user who has at least one *relevant* test rating
//! (explicit data: value >= the relevance threshold; implicit data: value 1), score every item
//! the user did not rate in the training part, rank by score (ties by item index) and take the
//! top `k`. Then, per user, with `hits` relevant items among the top `k` and `R` relevant items
//! in all:
//!
//! * precision@k = hits / k; recall@k = hits / R;
//! * NDCG@k = DCG / IDCG with binary gains, DCG = sum over hits at rank j of 1 / log2(j + 1), IDCG
//!   the DCG of a perfect list of min(R, k) hits;
//! * MAP@k = mean over users of AP@k = (sum over hits at rank j of hits-so-far / j) / min(R, k);
//! * AUC = the fraction of (relevant, non-relevant) candidate pairs the full ranking orders
//!   correctly (non-relevant: every candidate that is not relevant).
//!
//! Each is averaged over the evaluated users; F1@k is the harmonic mean of the averaged precision
//! and recall.
//!
//! **Slices**: NDCG@k of the least active third of the evaluated users (by training ratings),
//! the middle third and the most active third ("cold", "medium", "heavy"); recall@k of the
//! relevant head items and of the relevant long-tail items, pooled over users (head: the most
//! rated items that together hold a fifth of the training ratings; tail: the others); and the
//! long-tail share of the recommended slots (Abdollahpouri et al. 2019's popularity bias, with
//! the mean popularity below).
//!
//! **Beyond accuracy**, over the top-`k` lists of the evaluated users: catalogue coverage (share
//! of items recommended to anyone), novelty (mean self-information `-log2(pop_i)` of recommended
//! items, `pop_i` = share of users who rated item `i` in training, at least `1 / n_users`),
//! intra-list diversity (mean over lists of the mean of `1 - cos(q_i, q_j)` over pairs) and mean
//! popularity (training ratings per recommended item).
//!
//! References: Herlocker et al., "Evaluating collaborative filtering recommender systems", TOIS
//! 2004; Järvelin & Kekäläinen, "Cumulated gain-based evaluation of IR techniques", TOIS 2002;
//! Zhou et al., "Solving the apparent diversity-accuracy dilemma", PNAS 2010.

pub mod loo;
pub mod paired;
mod protocol;

pub use protocol::{model_ranking, ranking, ranking_in};

use crate::data::{Feedback, Ratings};
use crate::ranking::{ranked_before, take_top};

/// RMSE and MAE of `model` on `test`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Accuracy {
    pub rmse: f32,
    pub mae: f32,
}

/// Errors of `predict(u, i)` against every rating in `data`.
pub fn accuracy(data: &Ratings, predict: impl Fn(usize, usize) -> f32) -> Accuracy {
    let (mut sq, mut abs) = (0.0f64, 0.0f64);
    for k in 0..data.len() {
        let (u, i, r) = data.get(k);
        let e = (predict(u, i) - r) as f64;
        sq += e * e;
        abs += e.abs();
    }
    let n = data.len().max(1) as f64;
    Accuracy {
        rmse: (sq / n).sqrt() as f32,
        mae: (abs / n) as f32,
    }
}

/// Ranking and beyond-accuracy metrics at one `k`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RankingReport {
    pub k: usize,
    pub users: usize,
    pub precision: f32,
    pub recall: f32,
    pub f1: f32,
    pub ndcg: f32,
    pub map: f32,
    pub auc: f32,
    pub coverage: f32,
    pub novelty: f32,
    pub diversity: f32,
    pub popularity: f32,
    /// NDCG@k of the least active, middle and most active thirds of the users (see the module
    /// documentation); `None` for a third with nobody in it.
    pub ndcg_cold: Option<f32>,
    pub ndcg_medium: Option<f32>,
    pub ndcg_heavy: Option<f32>,
    /// Recall@k of the relevant head and long-tail items, pooled over users.
    pub recall_head: Option<f32>,
    pub recall_tail: Option<f32>,
    /// Share of the recommended slots that hold long-tail items.
    pub tail_share: f32,
    /// Which items were ranked (see [`Scope`]).
    pub scope: Scope,
    /// Each evaluated user's own figures, in user order: the distribution behind the means,
    /// and what a paired comparison of two models on the same users needs (not sent to the
    /// page).
    #[serde(skip)]
    pub by_user: Vec<(usize, UserRanking)>,
}

/// The items a user's ranking puts in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Scope {
    /// Every item but the user's training items: the whole catalogue.
    #[default]
    Catalogue,
    /// The items without a training interaction: when the test part holds out new items, the
    /// question is which of them a user would like (as a shelf of new arrivals asks), not
    /// whether they beat the catalogue's favourites, which a model that never saw them cannot
    /// know they do (the protocol of Kula 2015's cold-start results).
    NewItems,
}

/// One user's ranking metrics, from their ranked candidates and the relevant ones among them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UserRanking {
    pub precision: f64,
    pub recall: f64,
    pub ndcg: f64,
    pub ap: f64,
    pub auc: f64,
}

/// Metrics for one user. `ranked` lists every candidate item, best first; `relevant[i]` says
/// whether item `i` is relevant. Returns `None` when no candidate is relevant.
///
/// ```
/// use mf_playground::metrics::user_ranking;
/// // Candidates 0..5 ranked 3, 0, 4, 1, 2; items 0 and 2 are relevant.
/// let relevant = [true, false, true, false, false];
/// let m = user_ranking(&[3, 0, 4, 1, 2], &relevant, 3).unwrap();
/// assert_eq!(m.precision, 1.0 / 3.0);
/// assert_eq!(m.recall, 0.5);
/// ```
pub fn user_ranking(ranked: &[usize], relevant: &[bool], k: usize) -> Option<UserRanking> {
    let n_rel = ranked.iter().filter(|&&i| relevant[i]).count();
    if n_rel == 0 || k == 0 {
        return None;
    }
    // AUC: for each relevant item, count the non-relevant items ranked below it.
    let n_non = ranked.len() - n_rel;
    let auc = if n_non == 0 {
        1.0
    } else {
        let (mut below, mut non_seen) = (0usize, 0usize);
        for &i in ranked {
            if relevant[i] {
                below += n_non - non_seen;
            } else {
                non_seen += 1;
            }
        }
        below as f64 / (n_rel * n_non) as f64
    };
    Some(top_metrics(
        &ranked[..k.min(ranked.len())],
        relevant,
        n_rel,
        k,
        auc,
    ))
}

/// The metrics read off the top `k` (`top`, best first; fewer when there are fewer
/// candidates), with `n_rel` relevant candidates in all and the AUC already counted.
fn top_metrics(top: &[usize], relevant: &[bool], n_rel: usize, k: usize, auc: f64) -> UserRanking {
    let (mut hits, mut dcg, mut ap) = (0usize, 0.0f64, 0.0f64);
    for (j, &i) in top.iter().enumerate() {
        if relevant[i] {
            hits += 1;
            dcg += 1.0 / ((j + 2) as f64).log2();
            ap += hits as f64 / (j + 1) as f64;
        }
    }
    let ideal: f64 = (0..n_rel.min(k))
        .map(|j| 1.0 / ((j + 2) as f64).log2())
        .sum();
    UserRanking {
        precision: hits as f64 / k as f64,
        recall: hits as f64 / n_rel as f64,
        ndcg: dcg / ideal,
        ap: ap / n_rel.min(k) as f64,
        auc,
    }
}

/// [`user_ranking`] of the ranking of `candidates` by `scores`, without ranking them all: the
/// top `k` are selected and sorted, and the AUC counts, for each candidate that is not relevant,
/// the relevant ones ranked above it (a binary search among the relevant, sorted). Returns the
/// same numbers as `user_ranking(&rank_items(..), ..)` and leaves the top `k` (or fewer, if
/// fewer candidates) in `candidates`, best first. `relevant_items` are the relevant candidates,
/// each once.
fn user_ranking_top(
    scores: &[f32],
    candidates: &mut Vec<usize>,
    relevant: &[bool],
    relevant_items: &mut [usize],
    k: usize,
) -> Option<UserRanking> {
    let n_rel = relevant_items.len();
    if n_rel == 0 || k == 0 {
        return None;
    }
    let n_non = candidates.len() - n_rel;
    let auc = if n_non == 0 {
        1.0
    } else {
        relevant_items.sort_unstable_by(|&a, &b| ranked_before(scores, a, b));
        let below: usize = candidates
            .iter()
            .filter(|&&j| !relevant[j])
            .map(|&j| relevant_items.partition_point(|&r| ranked_before(scores, r, j).is_lt()))
            .sum();
        below as f64 / (n_rel * n_non) as f64
    };
    take_top(scores, candidates, k);
    Some(top_metrics(candidates, relevant, n_rel, k, auc))
}

/// The default relevance threshold of explicit ratings: three quarters up the scale, rounded up
/// to a whole number when every rating is whole (so on 1-5 stars a 4 or a 5 is relevant, as
/// published "rating >= 4" figures count; on 1-10, 8 and up). The page and `mfp` use it alike.
///
/// ```
/// use mf_playground::data::parse::{read_ratings, ReadOptions};
/// use mf_playground::metrics::default_relevance;
/// let (r, _) = read_ratings(b"a,x,1\na,y,5\nb,x,3\n", &ReadOptions::default()).unwrap();
/// assert_eq!(default_relevance(&r), 4.0);
/// ```
pub fn default_relevance(r: &Ratings) -> f32 {
    let s = r.scale();
    let t = s.min + 0.75 * (s.max - s.min);
    if r.values().iter().all(|v| v.fract() == 0.0) {
        t.ceil()
    } else {
        t
    }
}

/// Whether a test value counts as relevant.
pub fn is_relevant(value: f32, feedback: Feedback, threshold: f32) -> bool {
    match feedback {
        Feedback::Implicit => value > 0.0,
        Feedback::Explicit => value >= threshold,
    }
}

#[cfg(test)]
mod tests {
    use super::protocol::head_items;
    use super::*;
    use crate::data::{Feedback, RatingsBuilder};
    use crate::ranking::{rank_items, top_items};

    /// Popularity's top 1 on a small log: the cold and medium users' test holds the one head
    /// item, the heavy user's only tail items.
    #[test]
    fn slices_by_activity_and_popularity() {
        let mut b = RatingsBuilder::new(Feedback::Implicit);
        let train = [
            ("u0", "i0"),
            ("u0", "i1"),
            ("u1", "i0"),
            ("u1", "i2"),
            ("u2", "i0"),
            ("u2", "i3"),
            ("u3", "i4"),
            ("u4", "i5"),
            ("u4", "i6"),
            ("u5", "i7"),
            ("u5", "i8"),
            ("u5", "i9"),
        ];
        let test = [
            ("u3", "i0"),
            ("u3", "i9"),
            ("u4", "i0"),
            ("u4", "i9"),
            ("u5", "i1"),
            ("u5", "i2"),
        ];
        for (u, i) in train.iter().chain(&test) {
            b.push(u, i, 1.0).unwrap();
        }
        let all = b.build().unwrap();
        let (tr, te) = (
            all.subset(&(0..12).collect::<Vec<_>>()),
            all.subset(&(12..18).collect::<Vec<_>>()),
        );
        // i0 holds 3 of 12 training ratings, the fifth (3) the head needs: the head is i0 alone.
        assert_eq!(
            head_items(&tr),
            [true, false, false, false, false, false, false, false, false, false]
        );
        let mut count = vec![0.0f32; tr.n_items()];
        tr.items().iter().for_each(|&i| count[i as usize] += 1.0);
        let r = ranking(&tr, &te, 1, 0.5, None, |_| count.clone());
        // u3 (1 training rating), u4 (2), u5 (3): i0 is a hit for u3 and u4, not for u5.
        assert_eq!(
            (r.ndcg_cold, r.ndcg_medium, r.ndcg_heavy),
            (Some(1.0), Some(1.0), Some(0.0))
        );
        assert_eq!((r.recall_head, r.recall_tail), (Some(1.0), Some(0.0)));
        assert_eq!(r.tail_share, 0.0);
        // Ranked the other way round, only tail items are recommended.
        let r = ranking(&tr, &te, 1, 0.5, None, |_| {
            count.iter().map(|c| -c).collect()
        });
        assert_eq!((r.recall_head, r.tail_share), (Some(0.0), 1.0));
    }

    #[test]
    fn selected_top_and_counted_auc_match_the_full_ranking() {
        let mut rng = crate::rng::Rng::new(7);
        for case in 0..3000 {
            let n = 1 + rng.below(60);
            // Few distinct scores, so ties are common; now and then a NaN.
            let scores: Vec<f32> = (0..n)
                .map(|_| match rng.below(20) {
                    0 => f32::NAN,
                    _ => rng.below(6) as f32 * 0.5 - 1.0,
                })
                .collect();
            let exclude: Vec<bool> = (0..n).map(|_| rng.below(4) == 0).collect();
            let relevant: Vec<bool> = (0..n).map(|i| !exclude[i] && rng.below(3) == 0).collect();
            let k = rng.below(n + 3);
            // The reference: every candidate sorted, as rank_items is documented.
            let mut ranked: Vec<usize> = (0..n).filter(|&i| !exclude[i]).collect();
            ranked.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
            assert_eq!(rank_items(&scores, &exclude), ranked, "case {case}");
            let want = user_ranking(&ranked, &relevant, k);
            let mut candidates: Vec<usize> = (0..n).filter(|&i| !exclude[i]).collect();
            let mut rel: Vec<usize> = (0..n).filter(|&i| relevant[i]).collect();
            rng.shuffle(&mut candidates);
            rng.shuffle(&mut rel);
            let got = user_ranking_top(&scores, &mut candidates, &relevant, &mut rel, k);
            match (want, got) {
                (None, None) => {}
                (Some(w), Some(g)) => {
                    let bits = |m: UserRanking| {
                        [m.precision, m.recall, m.ndcg, m.ap, m.auc].map(f64::to_bits)
                    };
                    assert_eq!(bits(w), bits(g), "case {case}");
                    assert_eq!(candidates, ranked[..k.min(ranked.len())], "case {case}");
                }
                (w, g) => panic!("case {case}: {w:?} against {g:?}"),
            }
            assert_eq!(
                top_items(&scores, &exclude, k),
                ranked[..k.min(ranked.len())]
            );
        }
    }

    #[test]
    fn hand_computed_user_table() {
        // Ranked: 3 0 4 1 2 ; relevant {0, 2}; k = 3: hit at rank 2 only.
        let rel = [true, false, true, false, false];
        let m = user_ranking(&[3, 0, 4, 1, 2], &rel, 3).unwrap();
        assert!((m.precision - 1.0 / 3.0).abs() < 1e-12);
        assert!((m.recall - 0.5).abs() < 1e-12);
        // DCG = 1/log2(3); IDCG = 1 + 1/log2(3).
        let l3 = 3f64.log2();
        assert!((m.ndcg - (1.0 / l3) / (1.0 + 1.0 / l3)).abs() < 1e-12);
        // AP@3 = (1/2) / min(2, 3).
        assert!((m.ap - 0.25).abs() < 1e-12);
        // AUC: item 0 is above 1 and 4? Order 3,0,4,1,2: non-relevant 3,4,1. Item 0 beats 4 and 1
        // (2 of 3); item 2 beats none. (2 + 0) / (2 * 3).
        assert!((m.auc - 2.0 / 6.0).abs() < 1e-12);
        assert!(user_ranking(&[1, 3], &rel, 2).is_none());
    }

    #[test]
    fn perfect_and_worst_rankings() {
        let rel = [true, true, false, false];
        let best = user_ranking(&[0, 1, 2, 3], &rel, 2).unwrap();
        assert_eq!(
            (best.precision, best.recall, best.ndcg, best.ap, best.auc),
            (1.0, 1.0, 1.0, 1.0, 1.0)
        );
        let worst = user_ranking(&[2, 3, 0, 1], &rel, 2).unwrap();
        assert_eq!((worst.precision, worst.ndcg, worst.auc), (0.0, 0.0, 0.0));
    }

    #[test]
    fn ranking_excludes_training_items_and_averages_users() {
        // 2 users x 4 items. User 0 trained on item 0; test: item 1 relevant (5), item 2 not (1).
        // User 1 trained on item 3; test: item 2 relevant.
        let mut b = RatingsBuilder::new(Feedback::Explicit);
        for (u, i, v) in [
            ("a", "0", 5.0),
            ("a", "1", 5.0),
            ("a", "2", 1.0),
            ("b", "3", 4.0),
            ("b", "2", 4.0),
        ] {
            b.push(u, i, v).unwrap();
        }
        let all = b.build().unwrap();
        let train = all.subset(&[0, 3]);
        let test = all.subset(&[1, 2, 4]);
        // Scores: item 0 best for everyone (but excluded for user a), then 2, 1, 3.
        let scores = |_u: usize| vec![9.0, 1.0, 5.0, 0.0];
        let r = ranking(&train, &test, 1, 4.0, None, scores);
        assert_eq!(r.users, 2);
        // User a: candidates 2,1,3 -> top-1 = 2 (not relevant). User b: candidates 0,2,1 -> 0, miss.
        assert_eq!(r.precision, 0.0);
        let r = ranking(&train, &test, 2, 4.0, None, scores);
        // a: top-2 = 2,1 -> hit 1 of 2 ; b: 0,2 -> hit.
        assert_eq!((r.precision, r.recall), (0.5, 1.0));
        assert!((r.f1 - 2.0 / 3.0).abs() < 1e-6);
        // Coverage: items 2, 1, 0 recommended of 4.
        assert_eq!(r.coverage, 0.75);
        // Popularity: training counts 0 (item 2), 0 (item 1), 1 (item 0), 0 (item 2): mean 1/4.
        assert_eq!(r.popularity, 0.25);
        // Novelty: pop = max(count,1)/2 = 1/2 each -> 1 bit.
        assert!((r.novelty - 1.0).abs() < 1e-6);
    }

    #[test]
    fn diversity_is_one_minus_cosine() {
        let q = ndarray::array![[1.0f32, 0.0], [0.0, 1.0], [1.0, 1.0]];
        let mut b = RatingsBuilder::new(Feedback::Implicit);
        b.push("u", "x", 1.0).unwrap();
        for i in ["a", "b", "c"] {
            b.add_item(i);
        }
        let data = b.build().unwrap();
        // Items: x(0), a(1), b(2), c(3)... use a 4-row factor matrix.
        let q4 = ndarray::concatenate![ndarray::Axis(0), ndarray::array![[0.0f32, 0.0]], q];
        let test = data.clone();
        let train = data.subset(&[]);
        let r = ranking(&train, &test, 2, 0.5, Some(&q4), |_| {
            vec![0.0, 3.0, 2.0, 1.0]
        });
        // Top-2 = items 1, 2: factors (1,0), (0,1): cosine 0 -> diversity 1.
        assert!((r.diversity - 1.0).abs() < 1e-6, "{}", r.diversity);
    }

    #[test]
    fn accuracy_on_known_errors() {
        let mut b = RatingsBuilder::new(Feedback::Explicit);
        b.push("u", "a", 1.0).unwrap();
        b.push("u", "b", 3.0).unwrap();
        let d = b.build().unwrap();
        let a = accuracy(&d, |_, i| if i == 0 { 2.0 } else { 0.0 });
        assert!((a.rmse - 5f32.sqrt()).abs() < 1e-6);
        assert_eq!(a.mae, 2.0);
    }
}
