//! Training one stratum of the epoch's grid at once: the model's rows cut along the grid, each
//! block of the stratum on a thread of its own (see [`super::order`]).

use super::algorithm::{BlockKernel, BlockRows};
use super::order::Blocked;
use super::TrainParams;
use crate::model::MfModel;

/// Trains the blocks of one stratum at the same time: the model's rows are cut along the grid,
/// each block gets its users' and its items' rows (no other block of the stratum has them), and
/// runs `kernel` on its ratings in its own order.
pub(super) fn train_stratum(
    model: &mut MfModel,
    blocked: &Blocked,
    stratum: &[usize],
    epoch_seed: u64,
    kernel: BlockKernel,
    params: &TrainParams,
) {
    let (bu, bi) = blocked.grid();
    let (ur, ir) = (blocked.user_rows, blocked.item_rows);
    let whole = BlockRows::whole(model);
    let (mu, k) = (whole.mu, whole.k);
    let mut p = cut(whole.p, ur * k, bu);
    let mut q = cut(whole.q, ir * k, bi);
    let mut user_bias = cut(whole.user_bias, ur, bu);
    let mut item_bias = cut(whole.item_bias, ir, bi);
    let pieces: Vec<(usize, BlockRows)> = stratum
        .iter()
        .map(|&b| {
            let (r, c) = blocked.place(b);
            let rows = BlockRows {
                mu,
                k,
                p: p[r].take().expect("a stratum has one block per row"),
                q: q[c].take().expect("a stratum has one block per column"),
                user_bias: user_bias[r].take().expect("one block per row"),
                item_bias: item_bias[c].take().expect("one block per column"),
                first_user: r * ur,
                first_item: c * ir,
            };
            (b, rows)
        })
        .collect();
    let data = blocked.triplets();
    crate::parallel::for_each(pieces, |(b, rows)| {
        // Each thread keeps its order buffer from block to block.
        thread_local!(static ORDER: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) });
        ORDER.with(|o| {
            let mut order = o.borrow_mut();
            blocked.block_order(b, epoch_seed, &mut order);
            kernel(rows, &data, &order, params);
        });
    });
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
