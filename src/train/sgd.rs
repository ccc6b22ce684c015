//! Stochastic gradient descent, one update per known rating (Funk 2006; Koren, Bell & Volinsky
//! 2009).
//!
//! For each rating `(u, i, r)` in the visiting order, with `g = dloss/dscore` (for squared loss
//! `g = -(r - r_hat)`, the negative prediction error), learning rate `eta` and weights `lambda_b`,
//! `lambda_f`:
//!
//! ```text
//! b_u <- b_u - eta (g + lambda_b b_u)
//! b_i <- b_i - eta (g + lambda_b b_i)
//! p_u <- p_u - eta (g q_i + lambda_f p_u)      (both with the old p_u and q_i)
//! q_i <- q_i - eta (g p_u + lambda_f q_i)
//! ```
//!
//! This is the update Surprise's `SVD` performs, so results compare with it at equal settings.

use crate::model::MfModel;

use super::algorithm::{Algorithm, AlgorithmInfo, BlockKernel, BlockRows, Learner, Updates};
use super::params::TrainParams;
use super::{Loss, Triplets};
use crate::kernels::{dot, sgd_pair};

/// Stochastic gradient descent, registered in [`super::registry`].
pub struct Sgd;

impl Algorithm for Sgd {
    fn info(&self) -> AlgorithmInfo {
        AlgorithmInfo {
            name: "sgd",
            label: "SGD",
            summary: "one gradient step per rating, in a shuffled order",
            losses: &[Loss::Squared, Loss::Logistic, Loss::Bpr],
            uses: &["learningRate", "negatives"],
            biases: true,
            implicit: false,
            normalizes: true,
            race: true,
        }
    }

    fn start(&self, _model: &MfModel, _params: &TrainParams) -> Learner {
        Learner::Updates(Box::new(SgdSteps))
    }
}

/// SGD keeps no state between updates.
struct SgdSteps;

impl Updates for SgdSteps {
    fn granularity(&self, _params: &TrainParams) -> usize {
        1
    }

    fn update(
        &mut self,
        model: &mut MfModel,
        data: &Triplets,
        order: &[u32],
        params: &TrainParams,
    ) {
        sgd_epoch(model, data, order, params);
    }

    fn block_kernel(&self) -> Option<BlockKernel> {
        Some(sgd_block)
    }
}

/// Runs one SGD pass over `data` in the given `order` (indices into the rating arrays); for a
/// pairwise loss, over its pairs ([`super::bpr`]).
pub fn sgd_epoch(model: &mut MfModel, data: &Triplets, order: &[u32], params: &TrainParams) {
    if params.loss.pairwise() {
        return super::bpr::bpr_epoch(model, data, order, params);
    }
    sgd_block(BlockRows::whole(model), data, order, params);
}

/// One SGD pass over the ratings `order` picks, all of whose users and items are in `rows`: a
/// block of the grid, or (from [`sgd_epoch`]) the whole model. Both go through this one
/// function, so a block trained on its own thread computes exactly what it would in turn.
pub fn sgd_block(rows: BlockRows, data: &Triplets, order: &[u32], params: &TrainParams) {
    #[cfg(target_arch = "x86_64")]
    if crate::kernels::wide("avx2,fma") {
        // SAFETY: the CPU has just been checked for the features this copy is compiled with.
        return unsafe { sgd_block_avx2(rows, data, order, params) };
    }
    sgd_block_portable(rows, data, order, params);
}

/// The same loop compiled for AVX2 and FMA (8 lanes, fused multiply-add), chosen at run time so
/// one binary runs everywhere and uses the vector units where they exist.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn sgd_block_avx2(rows: BlockRows, data: &Triplets, order: &[u32], params: &TrainParams) {
    sgd_block_portable(rows, data, order, params);
}

/// The loop itself, in one copy per loss, so that the squared loss's loop has no per-rating
/// branch on the loss and no `exp` call in its body (measured: about 6% faster natively at
/// k = 100); inlined into each instruction-set copy above.
#[inline(always)]
fn sgd_block_portable(rows: BlockRows, data: &Triplets, order: &[u32], params: &TrainParams) {
    match params.loss {
        Loss::Squared => sgd_loop::<false>(rows, data, order, params),
        Loss::Logistic => sgd_loop::<true>(rows, data, order, params),
        // A pair's items may lie in two blocks: the trainer runs pairwise epochs whole.
        Loss::Bpr => unreachable!("pairs are not trained block by block"),
    }
}

#[inline(always)]
fn sgd_loop<const LOGISTIC: bool>(
    rows: BlockRows,
    data: &Triplets,
    order: &[u32],
    params: &TrainParams,
) {
    let eta = params.learning_rate;
    let (reg_b, reg_f) = (params.reg_bias, params.reg_factor);
    let shrink = 1.0 - eta * reg_f;
    let (users, items, values) = (data.users, data.items, data.values);
    // Row-major factor rows: row u is the contiguous slice [(u - first) k, (u - first + 1) k).
    let BlockRows {
        mu,
        k,
        p: p_all,
        q: q_all,
        user_bias: bu_all,
        item_bias: bi_all,
        first_user,
        first_item,
    } = rows;
    #[allow(unused_variables)]
    for (j, &idx) in order.iter().enumerate() {
        // Fetch the rows a few ratings ahead into cache while this one computes: with a random
        // order each rating's rows are elsewhere in memory, and waiting for them dominates.
        // (WebAssembly has no prefetch instruction: there the lookup would be wasted work.)
        #[cfg(target_arch = "x86_64")]
        if let Some(&ahead) = order.get(j + PREFETCH_DISTANCE) {
            let ahead = ahead as usize;
            prefetch_row(p_all, (users[ahead] as usize - first_user) * k, k);
            prefetch_row(q_all, (items[ahead] as usize - first_item) * k, k);
        }
        let idx = idx as usize;
        let (u, i, r) = (
            users[idx] as usize - first_user,
            items[idx] as usize - first_item,
            values[idx],
        );
        let p = &mut p_all[u * k..(u + 1) * k];
        let q = &mut q_all[i * k..(i + 1) * k];
        let score = mu + bu_all[u] + bi_all[i] + dot(p, q);
        let g = if LOGISTIC {
            Loss::Logistic.grad(score, r)
        } else {
            Loss::Squared.grad(score, r)
        };
        if params.use_user_bias {
            bu_all[u] -= eta * (g + reg_b * bu_all[u]);
        }
        if params.use_item_bias {
            bi_all[i] -= eta * (g + reg_b * bi_all[i]);
        }
        // p - eta (g q + lambda p) = (1 - eta lambda) p - (eta g) q: the same update in three
        // operations per element instead of five.
        sgd_pair(p, q, shrink, eta * g);
    }
}

/// How many ratings ahead [`sgd_epoch`] prefetches.
#[cfg(target_arch = "x86_64")]
const PREFETCH_DISTANCE: usize = 2;

/// Asks the CPU to bring `data[start..start + len]` into cache (x86-64 only).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn prefetch_row(data: &[f32], start: usize, len: usize) {
    use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
    let end = (start + len).min(data.len());
    let mut at = start;
    while at < end {
        // SAFETY: `at < data.len()`, so the pointer is inside the slice; prefetching has no
        // effect on program state.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(data.as_ptr().add(at) as *const i8) };
        at += 16; // one 64-byte cache line of f32
    }
}
