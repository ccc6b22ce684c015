//! A new user for a trained network ("Add yourself"): the user's embedding rows are fitted to a
//! few ratings with the items and the layers held fixed, as matrix factorisation's fold-in
//! holds the item factors fixed.
//!
//! A network has no closed form for a user, so the rows are found by full-batch Adam on the
//! training loss: squared error on ratings; for 0/1 data, log loss on the given items and on
//! unrated items drawn as 0s (`negatives` per given 1, as training draws them). The rows start
//! at the average user's and are pulled towards it by L2, so a user with one rating gets a small
//! step away from the average taste instead of a vector fitted to one number.

use super::model::{Grads, NcfModel, Work};
use super::solver::VectorAdam;
use crate::error::{Error, Result};
use crate::model::{sigmoid, Output};
use crate::rng::Rng;

/// Adam steps of the fit: enough for the loss to settle on a few dozen ratings.
const STEPS: usize = 150;
/// Adam's step size for the new rows.
const LEARNING_RATE: f32 = 0.05;
/// The least pull towards the average user (the model's own L2 is often 0 for networks).
const MIN_REG: f32 = 0.01;
/// At most this many unrated items are drawn as 0s (the fit stays fast on big catalogues).
const MAX_NEGATIVES: usize = 400;

impl NcfModel {
    /// A model of one user (index 0) fitted to `ratings` (item, value) with this model's items
    /// and layers: its scores and predictions are the new user's. `reg` is the L2 towards the
    /// average user (at least 0.01); `negatives` 0s are drawn per given 1 for 0/1 data, from
    /// `seed`.
    pub fn fold_in(
        &self,
        ratings: &[(usize, f32)],
        reg: f32,
        negatives: usize,
        seed: u64,
    ) -> Result<NcfModel> {
        if ratings.is_empty() {
            return Err(Error::EmptyDataset("rate at least one item".into()));
        }
        for &(i, r) in ratings {
            self.check_pair(0, i)?;
            if !r.is_finite() {
                return Err(Error::invalid("rating", r, "is not a finite number"));
            }
            if self.output == Output::Sigmoid && r != 0.0 && r != 1.0 {
                return Err(Error::invalid("rating", r, "this model's data is 0/1"));
            }
        }
        let mut one = NcfModel {
            n_users: 1,
            gmf_user: average_row(&self.gmf_user, self.n_users),
            mlp_user: average_row(&self.mlp_user, self.n_users),
            // The new user's rows are fitted as they are, not through features.
            features: None,
            ..self.clone()
        };
        let prior = (one.gmf_user.clone(), one.mlp_user.clone());
        let examples = self.examples(ratings, negatives, seed);
        let reg = reg.max(MIN_REG);
        let (mut trace, mut work, mut g) = (one.trace(), Work::new(&one), Grads::new(&one));
        let mut adam = [
            VectorAdam::new(one.gmf_user.len()),
            VectorAdam::new(one.mlp_user.len()),
        ];
        let total: f32 = examples.iter().map(|e| e.2).sum();
        for _ in 0..STEPS {
            g.clear();
            for &(i, y, w) in &examples {
                let s = one.forward(0, i, &mut trace);
                let ds = match one.output {
                    Output::Identity => s - y,
                    Output::Sigmoid => sigmoid(s) - y,
                };
                one.backward((0, i), &trace, ds, w / total, &mut g, &mut work);
            }
            // The rows' gradients plus the pull towards the average user, `reg (x - prior)`.
            let pulled = |g: Vec<f32>, x: &[f32], prior: &[f32]| -> Vec<f32> {
                g.iter()
                    .zip(x)
                    .zip(prior)
                    .map(|((g, x), p)| g + reg * (x - p))
                    .collect()
            };
            let gmf = pulled(row_of(&g.gmf_user, one.k()), &one.gmf_user, &prior.0);
            let mlp = pulled(row_of(&g.mlp_user, one.half()), &one.mlp_user, &prior.1);
            adam[0].step(&mut one.gmf_user, &gmf, LEARNING_RATE);
            adam[1].step(&mut one.mlp_user, &mlp, LEARNING_RATE);
        }
        if !one.is_finite() {
            return Err(Error::NotReady(
                "could not fit the new user: the fit diverged".into(),
            ));
        }
        Ok(one)
    }

    /// The fit's examples, (item, target, weight): the ratings, and for 0/1 data unrated items
    /// as 0s whose weights add up to `negatives` per given 1.
    fn examples(
        &self,
        ratings: &[(usize, f32)],
        negatives: usize,
        seed: u64,
    ) -> Vec<(usize, f32, f32)> {
        let mut out: Vec<(usize, f32, f32)> = ratings.iter().map(|&(i, r)| (i, r, 1.0)).collect();
        let ones = ratings.iter().filter(|r| r.1 == 1.0).count();
        if self.output != Output::Sigmoid || negatives == 0 || ones == 0 {
            return out;
        }
        let mut rated = vec![false; self.n_items];
        ratings.iter().for_each(|&(i, _)| rated[i] = true);
        let mut unrated: Vec<usize> = (0..self.n_items).filter(|&i| !rated[i]).collect();
        let want = (ones * negatives).min(MAX_NEGATIVES).min(unrated.len());
        if want == 0 {
            return out;
        }
        Rng::new(seed).shuffle(&mut unrated);
        let w = (ones * negatives) as f32 / want as f32;
        out.extend(unrated[..want].iter().map(|&i| (i, 0.0, w)));
        out
    }
}

/// The mean of a table's rows (empty for an absent table).
fn average_row(table: &[f32], rows: usize) -> Vec<f32> {
    if table.is_empty() || rows == 0 {
        return Vec::new();
    }
    let width = table.len() / rows;
    let mut out = vec![0.0f32; width];
    for r in table.chunks_exact(width) {
        for (o, &x) in out.iter_mut().zip(r) {
            *o += x / rows as f32;
        }
    }
    out
}

/// Row 0's gradient in `g` (zeros when untouched or absent).
fn row_of(g: &super::model::RowGrads, width: usize) -> Vec<f32> {
    match g.rows.iter().position(|&r| r == 0) {
        Some(s) => g.data[s * width..(s + 1) * width].to_vec(),
        None => vec![0.0; width],
    }
}
