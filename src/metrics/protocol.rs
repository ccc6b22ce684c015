//! The ranking protocol (see [`super`]): one walk over the test users, whose per-user figures
//! ([`RankingReport::by_user`](super::RankingReport::by_user)) the means and the slices are read off.

use super::{is_relevant, user_ranking_top, RankingReport, Scope, UserRanking};
use crate::data::Ratings;
use crate::model::MfModel;

/// The full ranking protocol (see the module docs) for any scorer: `scores(u)` gives a score
/// for every item.
pub fn ranking(
    train: &Ratings,
    test: &Ratings,
    k: usize,
    threshold: f32,
    item_factors: Option<&ndarray::Array2<f32>>,
    scores: impl FnMut(usize) -> Vec<f32>,
) -> RankingReport {
    ranking_in(
        Scope::Catalogue,
        train,
        test,
        k,
        threshold,
        item_factors,
        scores,
    )
}

/// [`ranking`] among the items `scope` says.
pub fn ranking_in(
    scope: Scope,
    train: &Ratings,
    test: &Ratings,
    k: usize,
    threshold: f32,
    item_factors: Option<&ndarray::Array2<f32>>,
    scores: impl FnMut(usize) -> Vec<f32>,
) -> RankingReport {
    let (n_items, n_users) = (train.n_items(), train.n_users());
    let mut by_user: Vec<(usize, UserRanking)> = Vec::new();
    let mut recommended = vec![false; n_items];
    let (mut novelty, mut n_recs, mut pop, mut diversity, mut n_lists) =
        (0.0f64, 0usize, 0.0f64, 0.0f64, 0usize);
    let norms: Option<Vec<f32>> =
        item_factors.map(|q| q.rows().into_iter().map(|r| r.dot(&r).sqrt()).collect());
    let head = head_items(train);
    // Hits and relevant items, tail then head; recommended slots holding tail items.
    let (mut hits, mut rel, mut tail_slots) = ([0usize; 2], [0usize; 2], 0usize);
    walk_users(scope, train, test, k, threshold, scores, |v| {
        by_user.push((v.user, v.metrics));
        for &i in v.relevant {
            rel[head[i] as usize] += 1;
        }
        for &i in v.top {
            if v.relevant.contains(&i) {
                hits[head[i] as usize] += 1;
            }
            tail_slots += usize::from(!head[i]);
            recommended[i] = true;
            let p = (v.train_count[i].max(1) as f64) / n_users as f64;
            novelty += -p.log2();
            pop += v.train_count[i] as f64;
            n_recs += 1;
        }
        if let (Some(q), Some(norms)) = (item_factors, &norms) {
            let top = v.top;
            if top.len() >= 2 {
                let (mut d, mut pairs) = (0.0f64, 0usize);
                for a in 0..top.len() {
                    for b in a + 1..top.len() {
                        let (i, j) = (top[a], top[b]);
                        let denom = norms[i] * norms[j];
                        let cos = if denom > 0.0 {
                            q.row(i).dot(&q.row(j)) / denom
                        } else {
                            0.0
                        };
                        d += 1.0 - cos as f64;
                        pairs += 1;
                    }
                }
                diversity += d / pairs as f64;
                n_lists += 1;
            }
        }
    });
    let users = by_user.len();
    let mean_of = |rows: &[(usize, UserRanking)], f: fn(&UserRanking) -> f64| {
        if rows.is_empty() {
            None
        } else {
            Some((rows.iter().map(|(_, m)| f(m)).sum::<f64>() / rows.len() as f64) as f32)
        }
    };
    let mean = |f: fn(&UserRanking) -> f64| mean_of(&by_user, f).unwrap_or(0.0);
    let (precision, recall) = (mean(|m| m.precision), mean(|m| m.recall));
    // Thirds by activity (ties by user index).
    let mut activity = vec![0usize; n_users];
    train
        .users()
        .iter()
        .for_each(|&u| activity[u as usize] += 1);
    let mut by_activity = by_user.clone();
    by_activity.sort_by_key(|&(u, _)| (activity[u], u));
    let third = |t: usize| {
        let (a, b) = (t * users / 3, (t + 1) * users / 3);
        mean_of(&by_activity[a..b], |m| m.ndcg)
    };
    let share = |h: usize, r: usize| (r > 0).then(|| h as f32 / r as f32);
    let per_slot = |x: f64, n: usize| if n == 0 { 0.0 } else { (x / n as f64) as f32 };
    RankingReport {
        k,
        users,
        precision,
        recall,
        f1: if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        },
        ndcg: mean(|m| m.ndcg),
        map: mean(|m| m.ap),
        auc: mean(|m| m.auc),
        coverage: recommended.iter().filter(|&&r| r).count() as f32 / n_items.max(1) as f32,
        novelty: per_slot(novelty, n_recs),
        diversity: per_slot(diversity, n_lists),
        popularity: per_slot(pop, n_recs),
        ndcg_cold: third(0),
        ndcg_medium: third(1),
        ndcg_heavy: third(2),
        recall_head: share(hits[1], rel[1]),
        recall_tail: share(hits[0], rel[0]),
        tail_share: per_slot(tail_slots as f64, n_recs),
        scope,
        by_user,
    }
}

/// One user's turn in [`walk_users`].
struct Visit<'a> {
    user: usize,
    metrics: UserRanking,
    /// The top `k`, best first.
    top: &'a [usize],
    /// The relevant candidates.
    relevant: &'a [usize],
    /// Every item's training ratings.
    train_count: &'a [usize],
}

/// Whether each item is in the head: the most rated items that together hold a fifth of the
/// training ratings (at least one item when there are ratings; ties by index).
pub(super) fn head_items(train: &Ratings) -> Vec<bool> {
    let mut count = vec![0usize; train.n_items()];
    train.items().iter().for_each(|&i| count[i as usize] += 1);
    let mut order: Vec<usize> = (0..count.len()).collect();
    order.sort_by(|&a, &b| count[b].cmp(&count[a]).then(a.cmp(&b)));
    let mut head = vec![false; count.len()];
    let (mut held, goal) = (0usize, train.len().div_ceil(5));
    for i in order {
        if held >= goal || count[i] == 0 {
            break;
        }
        head[i] = true;
        held += count[i];
    }
    head
}

/// The protocol itself: for each user with a relevant test rating, in user order, ranks the
/// candidates (every item in the scope the user has no training rating for) and calls `each`
/// with the user, their metrics, their top `k` (best first) and every item's training count.
fn walk_users(
    scope: Scope,
    train: &Ratings,
    test: &Ratings,
    k: usize,
    threshold: f32,
    mut scores: impl FnMut(usize) -> Vec<f32>,
    mut each: impl FnMut(Visit),
) {
    let n_items = train.n_items();
    let n_users = train.n_users();
    let mut train_count = vec![0usize; n_items];
    let mut seen = vec![Vec::new(); n_users];
    for j in 0..train.len() {
        let (u, i, _) = train.get(j);
        train_count[i] += 1;
        seen[u].push(i);
    }
    let mut relevant_of = vec![Vec::new(); n_users];
    for j in 0..test.len() {
        let (u, i, v) = test.get(j);
        if is_relevant(v, test.feedback(), threshold) {
            relevant_of[u].push(i);
        }
    }
    // Items out of the scope are out of every user's ranking.
    let out: Vec<bool> = match scope {
        Scope::Catalogue => vec![false; n_items],
        Scope::NewItems => train_count.iter().map(|&n| n > 0).collect(),
    };
    let mut exclude = out.clone();
    let mut relevant = vec![false; n_items];
    let (mut candidates, mut relevant_items) = (Vec::new(), Vec::new());
    for u in 0..n_users {
        if relevant_of[u].is_empty() {
            continue;
        }
        seen[u].iter().for_each(|&i| exclude[i] = true);
        relevant_items.clear();
        for &i in &relevant_of[u] {
            if !exclude[i] && !relevant[i] {
                relevant[i] = true;
                relevant_items.push(i);
            }
        }
        let s = scores(u);
        candidates.clear();
        candidates.extend((0..n_items).filter(|&i| !exclude[i]));
        if let Some(m) = user_ranking_top(&s, &mut candidates, &relevant, &mut relevant_items, k) {
            each(Visit {
                user: u,
                metrics: m,
                top: &candidates,
                relevant: &relevant_items,
                train_count: &train_count,
            });
        }
        seen[u].iter().for_each(|&i| exclude[i] = out[i]);
        relevant_of[u].iter().for_each(|&i| relevant[i] = false);
    }
}

/// [`ranking`] for a factorisation model.
pub fn model_ranking(
    model: &MfModel,
    train: &Ratings,
    test: &Ratings,
    k: usize,
    threshold: f32,
) -> RankingReport {
    ranking(train, test, k, threshold, Some(&model.item_factors), |u| {
        model.scores_for_user(u)
    })
}
