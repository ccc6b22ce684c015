//! The ratings as an epoch walks them: borrowed triplets, their index by user and by item, and
//! negative sampling for interaction lists.

use crate::data::Ratings;
use crate::rng::Rng;

/// Borrowed rating triplets: what an epoch of a gradient optimiser walks over (the data, or the
/// data plus sampled negatives, or for a pairwise loss the pairs).
#[derive(Debug, Clone, Copy)]
pub struct Triplets<'a> {
    pub users: &'a [u32],
    pub items: &'a [u32],
    pub values: &'a [f32],
    /// A pairwise loss's other item for each example, which the user should rank below
    /// `items` ([`NO_ITEM`]: none could be drawn, the example is skipped); empty otherwise.
    pub negatives: &'a [u32],
}

/// No item: a pair whose negative could not be drawn.
pub const NO_ITEM: u32 = u32::MAX;

impl<'a> Triplets<'a> {
    pub fn of(r: &'a Ratings) -> Self {
        Triplets {
            users: r.users(),
            items: r.items(),
            values: r.values(),
            negatives: &[],
        }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Rating indices grouped by user and by item, built once for the ALS solvers and negative
/// sampling.
pub(super) struct Index {
    pub(super) by_user: Vec<Vec<u32>>,
    pub(super) by_item: Vec<Vec<u32>>,
    /// Sorted item indices each user has a stored value for.
    rated: Vec<Vec<u32>>,
    /// The items with at least one stored value: those negatives are drawn from.
    known: Vec<u32>,
}

impl Index {
    pub(super) fn of(data: &Ratings) -> Self {
        let mut by_user = vec![Vec::new(); data.n_users()];
        let mut by_item = vec![Vec::new(); data.n_items()];
        for k in 0..data.len() {
            let (u, i, _) = data.get(k);
            by_user[u].push(k as u32);
            by_item[i].push(k as u32);
        }
        let rated = by_user
            .iter()
            .map(|ks| {
                let mut items: Vec<u32> = ks.iter().map(|&k| data.items()[k as usize]).collect();
                items.sort_unstable();
                items
            })
            .collect();
        let known = (0..data.n_items() as u32)
            .filter(|&i| !by_item[i as usize].is_empty())
            .collect();
        Index {
            by_user,
            by_item,
            rated,
            known,
        }
    }
}

/// Fills `sample` with the data plus, for each stored rating, `negatives` items the user has no
/// value for, as 0s. A user who rated every item gets none.
///
/// Negatives are drawn from the items the data has values for: an item without any (a new item
/// held out of the training part) exists for the model only once it arrives, so it is not taught
/// "nobody wants this" meanwhile. When every item has a value, as usual, that is every item.
pub(super) fn sample_negatives(
    data: &Ratings,
    index: &Index,
    negatives: usize,
    rng: &mut Rng,
    sample: &mut Pairs,
) {
    sample.negatives.clear();
    let (us, is, vs) = (&mut sample.users, &mut sample.items, &mut sample.values);
    us.clear();
    is.clear();
    vs.clear();
    us.extend_from_slice(data.users());
    is.extend_from_slice(data.items());
    vs.extend_from_slice(data.values());
    let known = &index.known;
    for &u in data.users() {
        let rated = &index.rated[u as usize];
        if rated.len() >= known.len() {
            continue;
        }
        for _ in 0..negatives {
            if let Some(i) = draw_unrated(known, rated, rng) {
                us.push(u);
                is.push(i);
                vs.push(0.0);
            }
        }
    }
}

/// An item of `known` that is not among the sorted `rated`, by rejection sampling: at most 20
/// tries, so a user who rated nearly everything cannot stall the epoch.
fn draw_unrated(known: &[u32], rated: &[u32], rng: &mut Rng) -> Option<u32> {
    (0..20)
        .map(|_| known[rng.below(known.len())])
        .find(|i| rated.binary_search(i).is_err())
}

/// The pairs a pairwise loss walks in an epoch: `per` of them for each stored rating `k`, at
/// `k * per .. (k + 1) * per`, each the rating's user and item and an item drawn among those
/// with stored values that the user has none for ([`NO_ITEM`] when the rating is not a
/// positive, above 0, or no item could be drawn). Drawn as [`sample_negatives`] draws.
pub(super) fn sample_pairs(
    data: &Ratings,
    index: &Index,
    per: usize,
    rng: &mut Rng,
    pairs: &mut Pairs,
) {
    let n = data.len() * per;
    pairs.users.clear();
    pairs.items.clear();
    pairs.negatives.clear();
    pairs.users.reserve(n);
    pairs.items.reserve(n);
    pairs.negatives.reserve(n);
    let known = &index.known;
    for k in 0..data.len() {
        let (u, i, v) = data.get(k);
        let rated = &index.rated[u];
        for _ in 0..per {
            let j = (v > 0.0 && rated.len() < known.len())
                .then(|| draw_unrated(known, rated, rng))
                .flatten()
                .unwrap_or(NO_ITEM);
            pairs.users.push(u as u32);
            pairs.items.push(i as u32);
            pairs.negatives.push(j);
        }
    }
    pairs.values.clear();
    pairs.values.resize(n, 1.0);
}

/// An epoch's examples, owned: the data plus sampled 0s, or a pairwise loss's pairs.
#[derive(Debug, Default)]
pub(super) struct Pairs {
    pub(super) users: Vec<u32>,
    pub(super) items: Vec<u32>,
    pub(super) values: Vec<f32>,
    pub(super) negatives: Vec<u32>,
}

impl Pairs {
    pub(super) fn view(&self) -> Triplets<'_> {
        Triplets {
            users: &self.users,
            items: &self.items,
            values: &self.values,
            negatives: &self.negatives,
        }
    }
}
