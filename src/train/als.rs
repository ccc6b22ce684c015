//! Alternating least squares with biases, for explicit ratings.
//!
//! With the items fixed, the objective is a ridge regression for each user separately: for user
//! `u` with rated items `I(u)`, unknowns `w = [b_u, p_u]`, features `x_i = [1, q_i]` and targets
//! `y_i = r_ui - mu - b_i`,
//!
//! ```text
//! (sum_i x_i x_i^T + n_u diag(lambda_b, lambda_f, ..., lambda_f)) w = sum_i x_i y_i
//! ```
//!
//! and the same for each item with the users fixed. Scaling the regulariser by the number of
//! ratings `n_u` ("ALS-WR", Zhou et al. 2008) makes ALS minimise exactly the objective SGD
//! descends (see [`super::loss`]), so the two can be compared on one loss curve. One epoch is one
//! user sweep and one item sweep. A switched-off bias drops its column.
//!
//! References: Koren, Bell & Volinsky 2009; Zhou, Wilkinson, Schreiber & Pan, "Large-scale
//! parallel collaborative filtering for the Netflix prize", AAIM 2008.

use crate::data::Ratings;
use crate::linalg::cholesky_solve;
use crate::model::MfModel;

use super::algorithm::{squared_only, Algorithm, AlgorithmInfo, EpochFn, Learner};
use super::params::TrainParams;
use super::Loss;
use crate::error::Result;
use crate::kernels::{add_outer_lower, add_outer_lower4};

/// ALS with biases, registered in [`super::registry`].
pub struct Als;

impl Algorithm for Als {
    fn info(&self) -> AlgorithmInfo {
        AlgorithmInfo {
            name: "als",
            label: "ALS",
            summary: "alternating least squares with biases: each user's and each item's row solved exactly in turn",
            losses: &[Loss::Squared],
            uses: &[],
            biases: true,
            implicit: false,
            normalizes: true,
            race: true,
        }
    }

    fn check(&self, p: &TrainParams) -> Result<()> {
        squared_only(
            "als",
            p,
            "fits squared error on ratings: choose sgd, adam or rmsprop for logistic loss, \
             or als-implicit for 0/1 data",
        )
    }

    fn start(&self, _model: &MfModel, _params: &TrainParams) -> Learner {
        Learner::Epochs(Box::new(EpochFn(als_epoch)))
    }
}

/// Which side is being solved for.
#[derive(Clone, Copy)]
enum Side {
    Users,
    Items,
}

/// One ALS epoch: solve every user, then every item. `by_user[u]` and `by_item[i]` list rating
/// indices.
pub fn als_epoch(
    model: &mut MfModel,
    data: &Ratings,
    params: &TrainParams,
    by_user: &[Vec<u32>],
    by_item: &[Vec<u32>],
) {
    sweep(model, data, params, by_user, Side::Users);
    sweep(model, data, params, by_item, Side::Items);
}

/// Rows solved together on one thread: enough that a piece's buffers and scheduling are cheap
/// beside its solves.
const ROWS_PER_PIECE: usize = 64;

fn sweep(model: &mut MfModel, data: &Ratings, params: &TrainParams, rows: &[Vec<u32>], side: Side) {
    let k = model.n_factors();
    let (own_bias, other_bias) = match side {
        Side::Users => (params.use_user_bias, params.use_item_bias),
        Side::Items => (params.use_item_bias, params.use_user_bias),
    };
    let off = own_bias as usize;
    let n = k + off;
    if n == 0 {
        // No factors and this side's bias off: nothing to solve for.
        return;
    }
    // Each row is solved from the other side alone, so pieces of rows are solved on as many
    // threads as there are, with the same result as one after another.
    let MfModel {
        mu,
        user_bias,
        item_bias,
        user_factors,
        item_factors,
        ..
    } = model;
    let (own_f, own_b, other_f, other_b) = match side {
        Side::Users => (user_factors, user_bias, &*item_factors, &*item_bias),
        Side::Items => (item_factors, item_bias, &*user_factors, &*user_bias),
    };
    let other = Other {
        factors: other_f.as_slice().expect("standard layout"),
        bias: other_b.as_slice().expect("contiguous"),
        use_bias: other_bias,
        mu: *mu,
        k,
    };
    let own_f = own_f.as_slice_mut().expect("standard layout");
    let own_b = own_b.as_slice_mut().expect("contiguous");
    let n_rows = rows.len();
    let mut pieces = Vec::with_capacity(n_rows.div_ceil(ROWS_PER_PIECE));
    let (mut f_rest, mut b_rest) = (own_f, own_b);
    for start in (0..n_rows).step_by(ROWS_PER_PIECE) {
        let len = ROWS_PER_PIECE.min(n_rows - start);
        let (f, fr) = f_rest.split_at_mut(len * k);
        let (b, br) = b_rest.split_at_mut(len);
        (f_rest, b_rest) = (fr, br);
        pieces.push((start, f, b));
    }
    let job = Job {
        data,
        params,
        other,
        side,
        own_bias,
        n,
    };
    crate::parallel::for_each(pieces, |(start, factors, biases)| {
        solve_piece(&job, &rows[start..start + biases.len()], factors, biases);
    });
}

/// What every piece of a sweep shares.
struct Job<'a> {
    data: &'a Ratings,
    params: &'a TrainParams,
    other: Other<'a>,
    side: Side,
    own_bias: bool,
    n: usize,
}

/// Solves a piece of consecutive rows (`rows[r]` lists row r's ratings) into their factors and
/// biases.
fn solve_piece(job: &Job, rows: &[Vec<u32>], factors: &mut [f32], biases: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if crate::kernels::wide("avx2,fma") {
        // SAFETY: the CPU has just been checked for the features this copy is compiled with.
        return unsafe { solve_piece_avx2(job, rows, factors, biases) };
    }
    solve_piece_portable(job, rows, factors, biases);
}

/// The same loop compiled for AVX2 and FMA, chosen at run time (as SGD's loop is).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn solve_piece_avx2(job: &Job, rows: &[Vec<u32>], factors: &mut [f32], biases: &mut [f32]) {
    solve_piece_portable(job, rows, factors, biases);
}

#[inline(always)]
fn solve_piece_portable(job: &Job, rows: &[Vec<u32>], factors: &mut [f32], biases: &mut [f32]) {
    let k = job.other.k;
    let mut solver = RowSolver::new(job.n);
    for (r, ratings) in rows.iter().enumerate() {
        if ratings.is_empty() {
            continue;
        }
        let row = &mut factors[r * k..(r + 1) * k];
        solver.solve(job, ratings, row, &mut biases[r]);
    }
}

/// The fixed side of a sweep: its factors and biases, read by every row's solve.
struct Other<'a> {
    factors: &'a [f32],
    bias: &'a [f32],
    use_bias: bool,
    mu: f32,
    k: usize,
}

/// One thread's buffers for solving rows of `n` unknowns.
struct RowSolver {
    n: usize,
    a: Vec<f64>,
    b: Vec<f64>,
    a32: Vec<f32>,
    x4: Vec<f32>,
    scratch: Vec<f64>,
}

impl RowSolver {
    fn new(n: usize) -> RowSolver {
        RowSolver {
            n,
            a: vec![0.0; n * n],
            b: vec![0.0; n],
            // The Gram matrix's lower triangle (all the Cholesky solve reads) is summed in f32
            // with row-prefix multiply-adds (the vector kernels), then solved in f64: building
            // it is the O(n_u k^2) part of a row's cost.
            a32: vec![0.0; n * n],
            x4: vec![0.0; 4 * n],
            scratch: Vec::new(),
        }
    }

    /// Solves one row from its `ratings` and writes its factors and (if used) bias; leaves them
    /// as they were if the system cannot be solved.
    #[inline(always)]
    fn solve(&mut self, job: &Job, ratings: &[u32], factors: &mut [f32], bias: &mut f32) {
        let (data, params, other) = (job.data, job.params, &job.other);
        let (side, own_bias) = (job.side, job.own_bias);
        let (n, k) = (self.n, other.k);
        let off = own_bias as usize;
        self.a32.iter_mut().for_each(|v| *v = 0.0);
        self.b.iter_mut().for_each(|v| *v = 0.0);
        // Rating rows are gathered four at a time into `x4` for the rank-four update.
        let mut held = 0;
        for &idx in ratings {
            let (u, i, r) = data.get(idx as usize);
            let j = match side {
                Side::Users => i,
                Side::Items => u,
            };
            let of = &other.factors[j * k..(j + 1) * k];
            let ob = if other.use_bias { other.bias[j] } else { 0.0 };
            let y = (r - other.mu - ob) as f64;
            let x = &mut self.x4[held * n..(held + 1) * n];
            if own_bias {
                x[0] = 1.0;
            }
            x[off..].copy_from_slice(of);
            for (b, &xp) in self.b.iter_mut().zip(&*x) {
                *b += xp as f64 * y;
            }
            held += 1;
            if held == 4 {
                add_outer_lower4(&mut self.a32, &self.x4, n);
                held = 0;
            }
        }
        for x in self.x4[..held * n].chunks_exact(n) {
            add_outer_lower(&mut self.a32, x);
        }
        for (a, &v) in self.a.iter_mut().zip(&self.a32) {
            *a = v as f64;
        }
        let cnt = ratings.len() as f64;
        if own_bias {
            self.a[0] += cnt * params.reg_bias as f64;
        }
        for f in 0..k {
            self.a[(off + f) * n + off + f] += cnt * params.reg_factor as f64;
        }
        if !solve_with_jitter(&mut self.a, &mut self.b, n, &mut self.scratch) {
            return;
        }
        if own_bias {
            *bias = self.b[0] as f32;
        }
        for (f, w) in factors.iter_mut().enumerate() {
            *w = self.b[off + f] as f32;
        }
    }
}

/// Solves, adding a tiny ridge if the system is singular (zero regularisation with fewer
/// ratings than unknowns). Leaves the row unchanged if even that fails.
/// `scratch` holds a copy of the system for the retry; it is resized as needed.
pub(crate) fn solve_with_jitter(
    a: &mut [f64],
    b: &mut [f64],
    n: usize,
    scratch: &mut Vec<f64>,
) -> bool {
    scratch.clear();
    scratch.extend_from_slice(&a[..n * n]);
    scratch.extend_from_slice(&b[..n]);
    let (a0, b0) = scratch.split_at(n * n);
    if cholesky_solve(a, b, n) {
        return true;
    }
    let trace: f64 = (0..n).map(|i| a0[i * n + i]).sum();
    let jitter = 1e-6 * (trace / n as f64).max(1e-6);
    a[..n * n].copy_from_slice(a0);
    b[..n].copy_from_slice(b0);
    for i in 0..n {
        a[i * n + i] += jitter;
    }
    cholesky_solve(a, b, n)
}
