//! Training strata of the epoch's grid: the model's rows cut along the grid, each block of a
//! stratum on a thread of its own (see [`super::order`]), stratum after stratum.

use std::sync::Mutex;

use super::algorithm::{BlockKernel, BlockRows};
use super::order::Blocked;
use super::TrainParams;
use crate::model::MfModel;

/// Trains `strata` one after another, the blocks of each at the same time: the model's rows are
/// cut along the grid once, and a block takes its row of users and its column of items (no other
/// block of its stratum has them; the threads run stratum after stratum, see
/// [`crate::parallel::rounds`]).
pub(super) fn train_strata(
    model: &mut MfModel,
    blocked: &Blocked,
    strata: &[Vec<usize>],
    epoch_seed: u64,
    kernel: BlockKernel,
    params: &TrainParams,
) {
    let (bu, bi) = blocked.grid();
    let (ur, ir) = (blocked.user_rows, blocked.item_rows);
    let whole = BlockRows::whole(model);
    let (mu, k) = (whole.mu, whole.k);
    let p = lock(cut(whole.p, ur * k, bu));
    let q = lock(cut(whole.q, ir * k, bi));
    let user_bias = lock(cut(whole.user_bias, ur, bu));
    let item_bias = lock(cut(whole.item_bias, ir, bi));
    let data = blocked.triplets();
    crate::parallel::rounds(strata, |&b| {
        let (r, c) = blocked.place(b);
        // Uncontended: a stratum has one block per row and one per column.
        let (mut pr, mut qc) = (p[r].lock().unwrap(), q[c].lock().unwrap());
        let (mut br, mut bc) = (user_bias[r].lock().unwrap(), item_bias[c].lock().unwrap());
        let rows = BlockRows {
            mu,
            k,
            p: &mut pr,
            q: &mut qc,
            user_bias: &mut br,
            item_bias: &mut bc,
            first_user: r * ur,
            first_item: c * ir,
        };
        thread_local!(static ORDER: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) });
        ORDER.with(|o| {
            let mut order = o.borrow_mut();
            blocked.block_order(b, epoch_seed, &mut order);
            kernel(rows, &data, &order, params);
        });
    });
}

/// Pieces behind locks, for blocks on threads to take in turn.
fn lock(pieces: Vec<Option<&mut [f32]>>) -> Vec<Mutex<&mut [f32]>> {
    pieces
        .into_iter()
        .map(|s| Mutex::new(s.unwrap_or_default()))
        .collect()
}

/// `slice` cut into `n` consecutive pieces of `width` (the last may be shorter; all empty when
/// `width` is 0, as for a model with no factors).
fn cut(slice: &mut [f32], width: usize, n: usize) -> Vec<Option<&mut [f32]>> {
    if width == 0 {
        return (0..n).map(|_| Some(&mut [][..])).collect();
    }
    let mut out: Vec<Option<&mut [f32]>> = slice.chunks_mut(width).map(Some).collect();
    out.resize_with(n, || None);
    out
}
