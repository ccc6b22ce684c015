//! The ranking protocol of He et al.'s Neural Collaborative Filtering (WWW 2017): each user's
//! held-out item (leave one out) is ranked among 99 items the user never interacted with, drawn
//! at random, and the model is scored by the hit ratio (is the held-out item in the top `k`?)
//! and NDCG (`1 / log2(rank + 2)` when it is) at `k`, averaged over users.
//!
//! Ties count against the held-out item (a negative with an equal score ranks above it), so a
//! model that scores everything alike gets what chance gives, not a perfect hit ratio.

use super::Scope;
use crate::data::{Ratings, Side};
use crate::error::{Error, Result};
use crate::rng::Rng;

/// What the protocol measured.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LooRanking {
    pub hit_ratio: f64,
    pub ndcg: f64,
    /// Users ranked: those with a held-out item and at least one item to draw negatives from.
    pub users: usize,
    pub k: usize,
    pub negatives: usize,
}

/// Ranks each held-out rating of `test` (one per user, from
/// [`leave_one_out`](crate::data::split::leave_one_out)) among `negatives` items the
/// user has in neither `train` nor `test`, drawn with `seed`; `score(u, i)` is the model's score.
pub fn leave_one_out_ranking(
    train: &Ratings,
    test: &Ratings,
    k: usize,
    negatives: usize,
    seed: u64,
    score: impl FnMut(usize, usize) -> f32,
) -> Result<LooRanking> {
    leave_one_out_ranking_in(Scope::Catalogue, train, test, k, negatives, seed, score)
}

/// [`leave_one_out_ranking`] with the negatives drawn from the items `scope` says: on a split
/// that holds out new items, from the new items (the held-out item is then ranked among its
/// kind, as the full ranking ranks it, [`Scope::NewItems`]).
pub fn leave_one_out_ranking_in(
    scope: Scope,
    train: &Ratings,
    test: &Ratings,
    k: usize,
    negatives: usize,
    seed: u64,
    mut score: impl FnMut(usize, usize) -> f32,
) -> Result<LooRanking> {
    if k == 0 || negatives == 0 {
        return Err(Error::invalid(
            "k",
            format!("{k} of {negatives} negatives"),
            "the cut-off and the number of negatives must be at least 1",
        ));
    }
    // The items negatives are drawn from (every item, in the catalogue's order, or the new ones).
    let in_pool: Vec<bool> = match scope {
        Scope::Catalogue => vec![true; train.n_items()],
        Scope::NewItems => train.has_ratings(Side::Item).iter().map(|r| !r).collect(),
    };
    let pool: Vec<u32> = (0..train.n_items() as u32)
        .filter(|&i| in_pool[i as usize])
        .collect();
    let mut seen = vec![Vec::new(); train.n_users()];
    for data in [train, test] {
        for j in 0..data.len() {
            let (u, i, _) = data.get(j);
            seen[u].push(i as u32);
        }
    }
    seen.iter_mut().for_each(|s| {
        s.sort_unstable();
        s.dedup();
    });
    let mut rng = Rng::new(seed);
    let (mut hits, mut gain, mut users) = (0usize, 0.0f64, 0usize);
    let mut drawn: Vec<u32> = Vec::with_capacity(negatives);
    for j in 0..test.len() {
        let (u, i, _) = test.get(j);
        let unseen = pool.len() - seen[u].iter().filter(|&&x| in_pool[x as usize]).count();
        if unseen == 0 {
            continue;
        }
        // Without replacement when the user has few unseen items, else by rejection.
        drawn.clear();
        if unseen <= negatives {
            drawn.extend(pool.iter().filter(|x| seen[u].binary_search(x).is_err()));
        } else {
            while drawn.len() < negatives {
                let x = pool[rng.below(pool.len())];
                if seen[u].binary_search(&x).is_err() && !drawn.contains(&x) {
                    drawn.push(x);
                }
            }
        }
        let target = score(u, i);
        let rank = drawn
            .iter()
            .filter(|&&x| score(u, x as usize) >= target)
            .count();
        users += 1;
        if rank < k {
            hits += 1;
            gain += 1.0 / ((rank + 2) as f64).log2();
        }
    }
    let n = users.max(1) as f64;
    Ok(LooRanking {
        hit_ratio: hits as f64 / n,
        ndcg: gain / n,
        users,
        k,
        negatives,
    })
}

/// [`leave_one_out_ranking`] for a scorer of every item at once (`scores(u)`, as a baseline
/// has): each test user's scores are computed once for all of their held-out items.
pub fn leave_one_out_ranking_by_user(
    train: &Ratings,
    test: &Ratings,
    k: usize,
    negatives: usize,
    seed: u64,
    scores: impl FnMut(usize) -> Vec<f32>,
) -> Result<LooRanking> {
    leave_one_out_ranking_by_user_in(Scope::Catalogue, train, test, k, negatives, seed, scores)
}

/// [`leave_one_out_ranking_by_user`] among the items `scope` says (see
/// [`leave_one_out_ranking_in`]).
pub fn leave_one_out_ranking_by_user_in(
    scope: Scope,
    train: &Ratings,
    test: &Ratings,
    k: usize,
    negatives: usize,
    seed: u64,
    mut scores: impl FnMut(usize) -> Vec<f32>,
) -> Result<LooRanking> {
    let mut order: Vec<usize> = (0..test.len()).collect();
    order.sort_by_key(|&j| test.users()[j]);
    let test = test.subset(&order);
    let mut cache: Option<(usize, Vec<f32>)> = None;
    leave_one_out_ranking_in(scope, train, &test, k, negatives, seed, |u, i| {
        if cache.as_ref().map(|c| c.0) != Some(u) {
            cache = Some((u, scores(u)));
        }
        cache.as_ref().map_or(f32::NAN, |c| c.1[i])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{split::leave_one_out, Feedback, RatingsBuilder};

    fn data() -> Ratings {
        let mut b = RatingsBuilder::new(Feedback::Implicit);
        let mut rng = Rng::new(4);
        for u in 0..50 {
            for i in 0..300 {
                if rng.next_f64() < 0.05 {
                    b.push(&format!("u{u}"), &format!("i{i}"), 1.0).unwrap();
                }
            }
        }
        b.build().unwrap()
    }

    #[test]
    fn an_oracle_hits_every_time_a_constant_never_and_random_scores_as_chance_says() {
        let d = data();
        let s = leave_one_out(&d, 3).unwrap();
        let held: std::collections::HashSet<(usize, usize)> = (0..s.test.len())
            .map(|j| {
                let (u, i, _) = s.test.get(j);
                (u, i)
            })
            .collect();
        let oracle = leave_one_out_ranking(&s.train, &s.test, 10, 99, 1, |u, i| {
            f32::from(held.contains(&(u, i)))
        })
        .unwrap();
        assert_eq!(oracle.users, s.test.len());
        assert_eq!((oracle.hit_ratio, oracle.ndcg), (1.0, 1.0));
        // Ties go against the held-out item.
        let constant = leave_one_out_ranking(&s.train, &s.test, 10, 99, 1, |_, _| 0.5).unwrap();
        assert_eq!(constant.hit_ratio, 0.0);
        // Random scores: the item is in the top 10 of 100 about a tenth of the time.
        let mut rng = Rng::new(8);
        let mut hr = 0.0;
        for seed in 0..20 {
            hr += leave_one_out_ranking(&s.train, &s.test, 10, 99, seed, |_, _| rng.next_f32())
                .unwrap()
                .hit_ratio;
        }
        hr /= 20.0;
        assert!((0.06..0.14).contains(&hr), "{hr}");
    }

    #[test]
    fn scoring_by_user_gives_what_scoring_by_pair_gives() {
        let d = data();
        let s = leave_one_out(&d, 3).unwrap();
        let score = |u: usize, i: usize| ((u * 31 + i * 17) % 97) as f32;
        let mut by_user = s.test.clone();
        // Already in user order: the same negatives are drawn, so the same figures.
        let order: Vec<usize> = {
            let mut o: Vec<usize> = (0..by_user.len()).collect();
            o.sort_by_key(|&j| by_user.users()[j]);
            o
        };
        by_user = by_user.subset(&order);
        let pairs = leave_one_out_ranking(&s.train, &by_user, 10, 99, 4, score).unwrap();
        let rows = leave_one_out_ranking_by_user(&s.train, &s.test, 10, 99, 4, |u| {
            (0..d.n_items()).map(|i| score(u, i)).collect()
        })
        .unwrap();
        assert_eq!(pairs, rows);
        assert!(rows.hit_ratio > 0.0 && rows.hit_ratio < 1.0);
    }

    #[test]
    fn negatives_are_items_the_user_never_had() {
        let d = data();
        let s = leave_one_out(&d, 3).unwrap();
        let mut had = vec![std::collections::HashSet::new(); d.n_users()];
        for j in 0..d.len() {
            let (u, i, _) = d.get(j);
            had[u].insert(i);
        }
        let mut asked = 0;
        let held: Vec<(usize, usize)> = (0..s.test.len())
            .map(|j| {
                let (u, i, _) = s.test.get(j);
                (u, i)
            })
            .collect();
        leave_one_out_ranking(&s.train, &s.test, 10, 99, 5, |u, i| {
            asked += 1;
            assert!(
                !had[u].contains(&i) || held.contains(&(u, i)),
                "user {u} had item {i}"
            );
            0.0
        })
        .unwrap();
        assert_eq!(asked, s.test.len() * 100);
        assert!(leave_one_out_ranking(&s.train, &s.test, 0, 99, 5, |_, _| 0.0).is_err());
    }

    #[test]
    fn on_new_items_the_negatives_are_new_items_too() {
        let d = data();
        let s = crate::data::split::cold(&d, Side::Item, 0.2, 3).unwrap();
        let rated = s.train.has_ratings(Side::Item);
        let held: std::collections::HashSet<(usize, usize)> = (0..s.test.len())
            .map(|j| {
                let (u, i, _) = s.test.get(j);
                (u, i)
            })
            .collect();
        // Every known item outscores every new one; among new ones, the held-out item wins.
        let score = |u: usize, i: usize| {
            if rated[i] {
                10.0
            } else {
                f32::from(held.contains(&(u, i)))
            }
        };
        let all = leave_one_out_ranking(&s.train, &s.test, 10, 99, 1, score).unwrap();
        assert_eq!(all.hit_ratio, 0.0);
        let new =
            leave_one_out_ranking_in(Scope::NewItems, &s.train, &s.test, 10, 99, 1, score).unwrap();
        assert_eq!((new.hit_ratio, new.users), (1.0, s.test.len()));
    }
}
