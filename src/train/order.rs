//! The visiting order of a gradient epoch: random, but cache-aware, and in strata of blocks that
//! can be trained at the same time.
//!
//! A uniformly shuffled order touches a random user row and a random item row for every rating;
//! once the factor matrices outgrow the CPU caches, each update waits on memory (measured here,
//! k = 100, 6,000 x 4,000, 800k ratings: 3.6 M updates/s shuffled against 12.5 M/s in file
//! order). So, as LIBMF does (Chin, Zhuang, Juan & Lin, "A fast parallel stochastic gradient
//! method for matrix factorization in shared memory systems", ACM TIST 2015), the matrix is cut
//! into a grid of blocks whose user rows and item rows each fit in about 128 KiB, and the
//! ratings are stored block by block ([`Blocked`]).
//!
//! An epoch visits the grid in **strata** (Gemulla, Nijkamp, Haas & Sismanis, "Large-scale
//! matrix factorization with distributed stochastic gradient descent", KDD 2011): with the grid's
//! rows and columns shuffled, stratum `s` holds the blocks `(r, r + s)` (columns taken modulo
//! their number), so no two blocks of a stratum share a user or an item, and the strata together
//! hold every block once. The blocks of a stratum can therefore be trained at the same time on
//! different threads, and the result is the same as training them one after another: each
//! block's ratings are shuffled by a generator of the block's own, drawn from the epoch's seed,
//! never by which thread got there first. One thread and many give the same model, number for
//! number. Data large enough to be worth threads ([`PARALLEL_RATINGS`]) gets a grid of at least
//! [`STRATA`] blocks a side, so that a stratum has work for that many threads; smaller data keeps
//! the cache grid, and when the whole model fits in one block an epoch is a plain shuffle by the
//! trainer's own generator (the page's data sets train as they did before strata).

use crate::rng::Rng;

use super::Triplets;

/// Bytes of factor rows (per side) one block should span.
const BLOCK_BYTES: usize = 128 * 1024;

/// From this many ratings on, the grid has at least [`STRATA`] blocks a side.
pub const PARALLEL_RATINGS: usize = 100_000;

/// The least number of blocks a side of a large data set's grid has: the threads one stratum
/// can keep busy.
pub const STRATA: usize = 16;

/// Rows per block side for `k` factors.
pub fn rows_per_block(k: usize) -> usize {
    (BLOCK_BYTES / (4 * k.max(1))).max(16)
}

/// Ratings stored block by block, so that a block's ratings are also contiguous in memory.
#[derive(Debug, Clone, Default)]
pub struct Blocked {
    pub users: Vec<u32>,
    pub items: Vec<u32>,
    pub values: Vec<f32>,
    /// A pairwise loss's other items (see [`Triplets::negatives`]); empty otherwise.
    pub negatives: Vec<u32>,
    /// `starts[b]..starts[b + 1]` are block `b`'s ratings; blocks are row-major `(bu, bi)`.
    starts: Vec<usize>,
    bu: usize,
    bi: usize,
    /// Users and items per block side: block `(r, c)` holds users `r * user_rows ..` and items
    /// `c * item_rows ..`.
    pub user_rows: usize,
    pub item_rows: usize,
}

impl Blocked {
    /// Groups `data` by block (a counting sort; the order inside a block is the input order).
    pub fn new(data: &Triplets, n_users: usize, n_items: usize, k: usize) -> Blocked {
        let cache = rows_per_block(k);
        let side = |n: usize| {
            if data.len() >= PARALLEL_RATINGS {
                cache.min(n.div_ceil(STRATA)).max(1)
            } else {
                cache
            }
        };
        let (user_rows, item_rows) = (side(n_users), side(n_items));
        let (bu, bi) = (
            n_users.div_ceil(user_rows).max(1),
            n_items.div_ceil(item_rows).max(1),
        );
        let n = data.len();
        let block = |j: usize| {
            (data.users[j] as usize / user_rows) * bi + data.items[j] as usize / item_rows
        };
        let mut starts = vec![0usize; bu * bi + 1];
        for j in 0..n {
            starts[block(j) + 1] += 1;
        }
        for b in 0..bu * bi {
            starts[b + 1] += starts[b];
        }
        let mut out = Blocked {
            users: vec![0; n],
            items: vec![0; n],
            values: vec![0.0; n],
            negatives: vec![0; if data.negatives.is_empty() { 0 } else { n }],
            starts: starts.clone(),
            bu,
            bi,
            user_rows,
            item_rows,
        };
        let mut fill = starts;
        for j in 0..n {
            let b = block(j);
            let at = fill[b];
            out.users[at] = data.users[j];
            out.items[at] = data.items[j];
            out.values[at] = data.values[j];
            if let Some(x) = out.negatives.get_mut(at) {
                *x = data.negatives[j];
            }
            fill[b] += 1;
        }
        out
    }

    /// The grouped ratings.
    pub fn triplets(&self) -> Triplets<'_> {
        Triplets {
            users: &self.users,
            items: &self.items,
            values: &self.values,
            negatives: &self.negatives,
        }
    }

    /// The grid's shape: blocks along the users and along the items.
    pub fn grid(&self) -> (usize, usize) {
        (self.bu, self.bi)
    }

    /// Block `b`'s place in the grid, `(row, column)`.
    pub fn place(&self, b: usize) -> (usize, usize) {
        (b / self.bi, b % self.bi)
    }

    /// How many ratings block `b` holds.
    pub fn block_len(&self, b: usize) -> usize {
        self.starts[b + 1] - self.starts[b]
    }

    /// The epoch's strata, each a list of blocks that share no user and no item (see the module
    /// notes), drawn from `rng`; empty blocks and strata left out. Every non-empty block is in
    /// exactly one stratum.
    pub fn strata(&self, rng: &mut Rng) -> Vec<Vec<usize>> {
        let mut rows: Vec<usize> = (0..self.bu).collect();
        let mut cols: Vec<usize> = (0..self.bi).collect();
        rng.shuffle(&mut rows);
        rng.shuffle(&mut cols);
        let (short, long) = (self.bu.min(self.bi), self.bu.max(self.bi));
        let mut out = Vec::with_capacity(long);
        for s in 0..long {
            let stratum: Vec<usize> = (0..short)
                .map(|x| {
                    let y = (x + s) % long;
                    let (r, c) = if self.bu <= self.bi { (x, y) } else { (y, x) };
                    rows[r] * self.bi + cols[c]
                })
                .filter(|&b| self.block_len(b) > 0)
                .collect();
            if !stratum.is_empty() {
                out.push(stratum);
            }
        }
        out
    }

    /// Block `b`'s ratings (indices into [`Blocked::triplets`]) in the random order of the
    /// block's own generator for the epoch whose seed is `epoch_seed`.
    pub fn block_order(&self, b: usize, epoch_seed: u64, out: &mut Vec<u32>) {
        self.shuffled(b, &mut Rng::new(block_seed(epoch_seed, b)), out);
    }

    /// Block `b`'s ratings in a random order drawn from `rng` (for a grid of one block, which
    /// has nothing to train at the same time).
    pub fn shuffled(&self, b: usize, rng: &mut Rng, out: &mut Vec<u32>) {
        out.clear();
        out.extend(self.starts[b] as u32..self.starts[b + 1] as u32);
        rng.shuffle(out);
    }
}

/// Block `b`'s generator seed in the epoch seeded `epoch_seed`.
fn block_seed(epoch_seed: u64, b: usize) -> u64 {
    epoch_seed ^ (b as u64 + 1).wrapping_mul(0xd1b5_4a32_d192_ed03)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// What an epoch visits, drawn at once: the strata in turn, each block's ratings shuffled.
    fn epoch_order(b: &Blocked, seed: u64) -> Vec<u32> {
        let mut part = Vec::new();
        let mut out = Vec::new();
        for stratum in b.strata(&mut Rng::new(seed)) {
            for block in stratum {
                b.block_order(block, seed, &mut part);
                out.extend_from_slice(&part);
            }
        }
        out
    }

    fn random(n: usize, n_users: usize, n_items: usize) -> (Vec<u32>, Vec<u32>, Vec<f32>) {
        let mut rng = Rng::new(1);
        let users: Vec<u32> = (0..n).map(|_| rng.below(n_users) as u32).collect();
        let items: Vec<u32> = (0..n).map(|_| rng.below(n_items) as u32).collect();
        let values: Vec<f32> = (0..n).map(|j| j as f32).collect();
        (users, items, values)
    }

    #[test]
    fn is_a_permutation_grouped_by_block() {
        let (n_users, n_items, k) = (1000, 800, 256); // 128 rows per block: 8 x 7 blocks
        let (users, items, values) = random(20_000, n_users, n_items);
        let data = Triplets {
            users: &users,
            items: &items,
            values: &values,
            negatives: &[],
        };
        let b = Blocked::new(&data, n_users, n_items, k);
        assert_eq!(b.grid(), (8, 7));
        // The same ratings, regrouped.
        let mut v = b.values.clone();
        v.sort_by(f32::total_cmp);
        assert_eq!(v, values);
        for j in 0..b.values.len() {
            let orig = b.values[j] as usize;
            assert_eq!((b.users[j], b.items[j]), (users[orig], items[orig]));
        }
        let out = epoch_order(&b, 1);
        let mut sorted = out.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..20_000).collect::<Vec<u32>>());
        // Consecutive ratings share a block except at the 55 block boundaries.
        let key = |j: u32| (b.users[j as usize] / 128, b.items[j as usize] / 128);
        let changes = out.windows(2).filter(|w| key(w[0]) != key(w[1])).count();
        assert!(changes <= 55, "{changes}");
        assert_ne!(out, epoch_order(&b, 7));
    }

    #[test]
    fn a_stratums_blocks_share_no_user_and_no_item_and_the_strata_cover_the_grid() {
        for (n_users, n_items) in [(1000, 800), (300, 2000), (5000, 5000)] {
            let (users, items, values) = random(PARALLEL_RATINGS, n_users, n_items);
            let data = Triplets {
                users: &users,
                items: &items,
                values: &values,
                negatives: &[],
            };
            let b = Blocked::new(&data, n_users, n_items, 32);
            let (bu, bi) = b.grid();
            assert!(
                bu >= STRATA.min(n_users) && bi >= STRATA.min(n_items),
                "{bu} x {bi}"
            );
            let strata = b.strata(&mut Rng::new(3));
            let mut seen = HashSet::new();
            for s in &strata {
                assert_eq!(s.len(), bu.min(bi), "a full stratum");
                let rows: HashSet<usize> = s.iter().map(|&x| b.place(x).0).collect();
                let cols: HashSet<usize> = s.iter().map(|&x| b.place(x).1).collect();
                assert_eq!((rows.len(), cols.len()), (s.len(), s.len()));
                for &x in s {
                    assert!(seen.insert(x), "block {x} twice");
                }
            }
            assert_eq!(seen.len(), bu * bi);
        }
    }

    #[test]
    fn one_block_is_a_plain_shuffle() {
        let data = Triplets {
            users: &[0, 1, 2],
            items: &[0, 1, 2],
            values: &[1.0, 2.0, 3.0],
            negatives: &[],
        };
        let b = Blocked::new(&data, 3, 3, 2);
        assert_eq!(b.grid(), (1, 1));
        let a = epoch_order(&b, 3);
        let mut expect: Vec<u32> = vec![0, 1, 2];
        Rng::new(block_seed(3, 0)).shuffle(&mut expect);
        assert_eq!(a, expect);
    }
}
