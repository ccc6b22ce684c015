//! Training the hybrid model (see [`crate::model::FeatureParts`]): stochastic gradient descent
//! through the features, as LightFM trains (Kula 2015); Adam and RMSprop in
//! `hybrid_adaptive.rs`, the trainer choosing by the optimiser's name.
//!
//! For a rating `(u, i, r)` the user's vector `p_u` and bias `b_u` are composed from the id's and
//! the features' rows (`p_u = p_id(u) + sum_f w_uf e_f`), and the same for the item; with
//! `g = dloss/dscore`, each row that makes up `p_u` moves by its weight times `p_u`'s gradient:
//!
//! ```text
//! p_id(u) <- p_id(u) - eta (g q_i + lambda_f p_id(u))
//! e_f     <- e_f     - eta w_uf (g q_i + lambda_f e_f)          for each feature f of u
//! b_id(u) <- b_id(u) - eta (g + lambda_b b_id(u));   c_f <- c_f - eta w_uf (g + lambda_b c_f)
//! ```
//!
//! and symmetrically for the item (both sides with the old `p_u` and `q_i`). A side without
//! features is a factorisation's side, updated as [`super::sgd`] updates it. A feature's
//! regularisation is weighted as its gradient is, so a feature shared by many rows is pulled to
//! zero no harder per use than an id. The trainer writes the sums into the model's factors and
//! biases after every slice of updates ([`MfModel::compose`]).

use std::sync::Arc;

use super::algorithm::Updates;
use super::params::TrainParams;
use super::Triplets;
use crate::data::{FeatureMatrix, Ratings, Side};
use crate::error::Result;
use crate::model::{FeatureParts, MfModel, SideParts};
use crate::rng::Rng;

/// Gives `model` the id and feature parameters of `data`'s feature sides. `fresh`: a new model,
/// whose rows without ratings start at zero and whose features start from N(0, init_std^2);
/// otherwise a trained factorisation carried on as a hybrid, whose ids keep its vectors and
/// biases and whose features start at zero, so that its predictions do not change.
pub fn attach(
    model: &mut MfModel,
    data: &Ratings,
    params: &TrainParams,
    rng: &mut Rng,
    fresh: bool,
) -> Result<()> {
    let sides = data.require_features("family", "hybrid", ", or choose mf")?;
    let (user_rated, item_rated) = (data.has_ratings(Side::User), data.has_ratings(Side::Item));
    let std = if fresh { params.init_std } else { 0.0 };
    let mut side =
        |m: &Option<Arc<FeatureMatrix>>, factors, bias: &ndarray::Array1<f32>, rated: &[bool]| {
            m.as_ref().map(|m| {
                let all = vec![true; rated.len()];
                let mut s = SideParts::new(
                    m.clone(),
                    factors,
                    if fresh { rated } else { &all },
                    std,
                    rng,
                );
                if !fresh {
                    s.id_bias.assign(bias);
                }
                s
            })
        };
    let parts = FeatureParts {
        user: side(
            &sides.user,
            model.user_factors.clone(),
            &model.user_bias,
            &user_rated,
        ),
        item: side(
            &sides.item,
            model.item_factors.clone(),
            &model.item_bias,
            &item_rated,
        ),
    };
    model.features = Some(Box::new(parts));
    model.compose();
    Ok(())
}

/// SGD through the features; scratch rows for the composed vectors (and for a pair, the other
/// item's and the difference).
#[derive(Default)]
pub(super) struct HybridSgd {
    p: Vec<f32>,
    q: Vec<f32>,
    q_neg: Vec<f32>,
    diff: Vec<f32>,
}

impl Updates for HybridSgd {
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
        if params.loss.pairwise() {
            return self.pairs(model, data, order, params);
        }
        // The trainer sums the parts into the model's factors once the slice is done.
        with_parts(model, |model, parts| {
            let k = model.n_factors();
            self.p.resize(k, 0.0);
            self.q.resize(k, 0.0);
            let step = Step {
                eta: params.learning_rate,
                reg_f: params.reg_factor,
                reg_b: params.reg_bias,
            };
            for &idx in order {
                let idx = idx as usize;
                let (u, i, r) = (
                    data.users[idx] as usize,
                    data.items[idx] as usize,
                    data.values[idx],
                );
                let bu = compose(parts.user.as_ref(), u, model, Side::User, &mut self.p);
                let bi = compose(parts.item.as_ref(), i, model, Side::Item, &mut self.q);
                let score = model.mu + bu + bi + crate::kernels::dot(&self.p, &self.q);
                let g = params.loss.grad(score, r);
                let (ub, ib) = (params.use_user_bias, params.use_item_bias);
                match parts.user.as_mut() {
                    Some(s) => step.side(s, u, &self.q, g, ub),
                    None => step.plain(model, Side::User, u, &self.q, g, ub),
                }
                match parts.item.as_mut() {
                    Some(s) => step.side(s, i, &self.p, g, ib),
                    None => step.plain(model, Side::Item, i, &self.p, g, ib),
                }
            }
        });
    }
}

impl HybridSgd {
    /// BPR through the features (see [`super::bpr`] for the factorisation's): the user's parts
    /// move along `g (q_i - q_j)`, item `i`'s along `g p_u` and item `j`'s along `-g p_u`, each
    /// part by its weight, as [`HybridSgd::update`] moves them for one rating.
    fn pairs(&mut self, model: &mut MfModel, data: &Triplets, order: &[u32], params: &TrainParams) {
        with_parts(model, |model, parts| {
            let k = model.n_factors();
            for v in [&mut self.p, &mut self.q, &mut self.q_neg, &mut self.diff] {
                v.resize(k, 0.0);
            }
            let step = Step {
                eta: params.learning_rate,
                reg_f: params.reg_factor,
                reg_b: params.reg_bias,
            };
            let ib = params.use_item_bias;
            for &idx in order {
                let idx = idx as usize;
                let j = data.negatives[idx];
                if j == super::triplets::NO_ITEM {
                    continue;
                }
                let (u, i, j) = (
                    data.users[idx] as usize,
                    data.items[idx] as usize,
                    j as usize,
                );
                compose(parts.user.as_ref(), u, model, Side::User, &mut self.p);
                let bi = compose(parts.item.as_ref(), i, model, Side::Item, &mut self.q);
                let bj = compose(parts.item.as_ref(), j, model, Side::Item, &mut self.q_neg);
                for ((d, x), y) in self.diff.iter_mut().zip(&self.q).zip(&self.q_neg) {
                    *d = x - y;
                }
                let d = bi - bj + crate::kernels::dot(&self.p, &self.diff);
                let g = params.loss.grad(d, 1.0);
                // The user's bias is the same for both items: it gets no gradient.
                match parts.user.as_mut() {
                    Some(s) => step.side(s, u, &self.diff, g, false),
                    None => step.plain(model, Side::User, u, &self.diff, g, false),
                }
                for (r, g) in [(i, g), (j, -g)] {
                    match parts.item.as_mut() {
                        Some(s) => step.side(s, r, &self.p, g, ib),
                        None => step.plain(model, Side::Item, r, &self.p, g, ib),
                    }
                }
            }
        });
    }
}

/// Runs `f` on the model and its hybrid parts, taken out of it meanwhile so that both can be
/// borrowed (a learner reads the model's plain rows while it moves the parts).
pub(super) fn with_parts(model: &mut MfModel, f: impl FnOnce(&mut MfModel, &mut FeatureParts)) {
    let mut parts = model
        .features
        .take()
        .expect("a hybrid trainer attaches its model's features");
    f(model, &mut parts);
    model.features = Some(parts);
}

/// Row `r`'s vector into `out` and its bias: composed from its parts, or the model's own.
#[inline]
pub(super) fn compose(
    parts: Option<&SideParts>,
    r: usize,
    model: &MfModel,
    side: Side,
    out: &mut [f32],
) -> f32 {
    match (parts, side) {
        (Some(s), _) => s.compose(r, out),
        (None, Side::User) => {
            out.copy_from_slice(model.user_row(r));
            model.user_bias[r]
        }
        (None, Side::Item) => {
            out.copy_from_slice(model.item_row(r));
            model.item_bias[r]
        }
    }
}

/// One SGD step's settings.
struct Step {
    eta: f32,
    reg_f: f32,
    reg_b: f32,
}

impl Step {
    /// `x <- x - eta w (g other + lambda_f x)`.
    #[inline]
    fn row(&self, x: &mut [f32], w: f32, g: f32, other: &[f32]) {
        let shrink = 1.0 - self.eta * w * self.reg_f;
        let a = self.eta * w * g;
        for (x, o) in x.iter_mut().zip(other) {
            *x = shrink * *x - a * o;
        }
    }

    #[inline]
    fn bias(&self, b: &mut f32, w: f32, g: f32) {
        *b -= self.eta * w * (g + self.reg_b * *b);
    }

    /// The id's and the features' rows of row `r` of a side with features.
    fn side(&self, s: &mut SideParts, r: usize, other: &[f32], g: f32, use_bias: bool) {
        let k = other.len();
        let ids = s.id_factors.as_slice_mut().expect("standard layout");
        self.row(&mut ids[r * k..(r + 1) * k], 1.0, g, other);
        if use_bias {
            self.bias(&mut s.id_bias[r], 1.0, g);
        }
        let fs = s.factors.as_slice_mut().expect("standard layout");
        let (cols, weights) = s.matrix.row(r);
        for (&c, &w) in cols.iter().zip(weights) {
            let c = c as usize;
            self.row(&mut fs[c * k..(c + 1) * k], w, g, other);
            if use_bias {
                self.bias(&mut s.bias[c], w, g);
            }
        }
    }

    /// Row `r` of a side without features: the model's own row, as plain SGD moves it.
    fn plain(
        &self,
        model: &mut MfModel,
        side: Side,
        r: usize,
        other: &[f32],
        g: f32,
        use_bias: bool,
    ) {
        let (factors, bias) = match side {
            Side::User => (&mut model.user_factors, &mut model.user_bias),
            Side::Item => (&mut model.item_factors, &mut model.item_bias),
        };
        let k = other.len();
        let rows = factors.as_slice_mut().expect("standard layout");
        self.row(&mut rows[r * k..(r + 1) * k], 1.0, g, other);
        if use_bias {
            self.bias(&mut bias[r], 1.0, g);
        }
    }
}
