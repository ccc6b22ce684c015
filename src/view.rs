//! Matrices small enough to draw: the full matrix when it fits, otherwise a grid of blocks.
//!
//! A rating matrix of 16,000 users x 10,000 items has 160 million cells: far more than a screen
//! has pixels or a browser tab can hold as floats. Views therefore have at most [`MAX_VIEW`] rows
//! and columns; each view cell stands for a block of `row_step x col_step` cells. Observed views
//! show the mean of the known ratings in a block (`NaN` where none is known); model views show
//! the prediction for the block's first user and first item (a sample, since averaging a model
//! over every cell would cost a pass over all 160 million); test masks mark blocks holding any
//! test rating.

use crate::data::Ratings;

/// The largest number of rows or columns a view has.
pub const MAX_VIEW: usize = 300;

/// The shape of a view over an `n_users x n_items` matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewShape {
    pub rows: usize,
    pub cols: usize,
    pub row_step: usize,
    pub col_step: usize,
}

impl ViewShape {
    pub fn of(n_users: usize, n_items: usize) -> ViewShape {
        let row_step = n_users.div_ceil(MAX_VIEW).max(1);
        let col_step = n_items.div_ceil(MAX_VIEW).max(1);
        ViewShape {
            rows: n_users.div_ceil(row_step),
            cols: n_items.div_ceil(col_step),
            row_step,
            col_step,
        }
    }

    pub fn len(&self) -> usize {
        self.rows * self.cols
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn cell(&self, u: usize, i: usize) -> usize {
        (u / self.row_step) * self.cols + i / self.col_step
    }
}

/// Known ratings (block means), row-major, `NaN` where unknown.
pub fn observed(r: &Ratings) -> Vec<f32> {
    block_means(r, 1, |_, _, v| v)
}

/// The mean of `value(u, i, rating)` over every `stride`-th rating of each block, row-major,
/// `NaN` where a block has none.
fn block_means(r: &Ratings, stride: usize, value: impl Fn(usize, usize, f32) -> f32) -> Vec<f32> {
    let shape = ViewShape::of(r.n_users(), r.n_items());
    let mut sum = vec![0.0f64; shape.len()];
    let mut cnt = vec![0u32; shape.len()];
    for k in (0..r.len()).step_by(stride.max(1)) {
        let (u, i, v) = r.get(k);
        let c = shape.cell(u, i);
        sum[c] += value(u, i, v) as f64;
        cnt[c] += 1;
    }
    sum.iter()
        .zip(&cnt)
        .map(|(&s, &n)| {
            if n == 0 {
                f32::NAN
            } else {
                (s / n as f64) as f32
            }
        })
        .collect()
}

/// Predictions at each block's first user and item, row-major.
pub fn predicted(
    n_users: usize,
    n_items: usize,
    predict: impl Fn(usize, usize) -> f32,
) -> Vec<f32> {
    let shape = ViewShape::of(n_users, n_items);
    let mut out = Vec::with_capacity(shape.len());
    for r in 0..shape.rows {
        for c in 0..shape.cols {
            out.push(predict(r * shape.row_step, c * shape.col_step));
        }
    }
    out
}

/// Observed minus predicted, averaged over the known ratings of each block (`NaN` where none
/// is known): each rating against the prediction for its own cell, not the block's sample. On
/// large data at most `max` evenly spaced ratings are used, so a refresh stays quick.
pub fn residual(r: &Ratings, predict: impl Fn(usize, usize) -> f32, max: usize) -> Vec<f32> {
    let stride = r.len().div_ceil(max.max(1)).max(1);
    block_means(r, stride, |u, i, v| v - predict(u, i))
}

/// 1 for blocks holding a rating of `part`, 0 elsewhere.
pub fn mask(part: &Ratings, n_users: usize, n_items: usize) -> Vec<f32> {
    let shape = ViewShape::of(n_users, n_items);
    let mut out = vec![0.0f32; shape.len()];
    for k in 0..part.len() {
        let (u, i, _) = part.get(k);
        out[shape.cell(u, i)] = 1.0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blocks_residual_is_its_ratings_against_their_own_predictions() {
        use crate::data::RatingsBuilder;
        use crate::model::Output;
        // 800 x 2 users x items, drawn in blocks of several users; in the first block user 0 rates 5 and user 1
        // rates 3, and the model predicts 4 + b_u with b_u = +1 and -1: no error at all. The old
        // page took the block's mean rating (4) minus the first user's prediction (5): -1.
        let mut b = RatingsBuilder::new(crate::data::Feedback::Explicit);
        b.push("u0", "i0", 5.0).unwrap();
        b.push("u1", "i0", 3.0).unwrap();
        for u in 2..800 {
            b.push(&format!("u{u}"), "i1", 4.0).unwrap();
        }
        let r = b.build().unwrap();
        let mut m = crate::model::MfModel::zeros(r.n_users(), 2, 1, Output::Identity);
        m.mu = 4.0;
        m.user_bias[0] = 1.0;
        m.user_bias[1] = -1.0;
        let shape = ViewShape::of(r.n_users(), r.n_items());
        assert!(shape.row_step >= 2, "users 0 and 1 share a block");
        let res = residual(&r, |u, i| m.predict(u, i), usize::MAX);
        assert_eq!(res[shape.cell(0, 0)], 0.0);
        assert_eq!(
            observed(&r)[shape.cell(0, 0)] - predicted(2, 2, |u, i| m.predict(u, i))[0],
            -1.0
        );
    }
    use crate::data::{Feedback, RatingsBuilder};

    #[test]
    fn small_matrices_are_shown_whole() {
        let s = ViewShape::of(10, 10);
        assert_eq!(
            s,
            ViewShape {
                rows: 10,
                cols: 10,
                row_step: 1,
                col_step: 1
            }
        );
        let r = crate::data::builtin::seed_10x10();
        assert_eq!(observed(&r), r.to_dense());
    }

    #[test]
    fn large_matrices_become_block_means() {
        let s = ViewShape::of(1000, 401);
        assert_eq!(
            s,
            ViewShape {
                rows: 250,
                cols: 201,
                row_step: 4,
                col_step: 2
            }
        );
        let mut b = RatingsBuilder::new(Feedback::Explicit);
        for u in 0..1000 {
            b.add_user(&u.to_string());
        }
        for i in 0..401 {
            b.add_item(&i.to_string());
        }
        b.push("0", "0", 1.0).unwrap();
        b.push("3", "1", 3.0).unwrap(); // same block as (0, 0)
        b.push("999", "400", 5.0).unwrap(); // the last block
        let r = b.build().unwrap();
        let v = observed(&r);
        assert_eq!(v.len(), 250 * 201);
        assert_eq!(v[0], 2.0);
        assert!(v[1].is_nan());
        assert_eq!(v[249 * 201 + 200], 5.0);
        let m = mask(&r, 1000, 401);
        assert_eq!(m.iter().filter(|&&x| x == 1.0).count(), 2);
        let model = crate::model::MfModel::zeros(1000, 401, 2, crate::model::Output::Identity);
        assert_eq!(
            predicted(1000, 401, |u, i| model.predict(u, i)).len(),
            250 * 201
        );
    }
}
