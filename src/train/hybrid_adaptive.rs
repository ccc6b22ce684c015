//! Adam and RMSprop for the hybrid model: [`super::adaptive`]'s mini-batches and lazy per-row
//! moments, over the hybrid's parameters. A rating's gradient reaches every row that makes up the
//! user's and the item's vectors (the id's row, and each feature's, times its weight, as in
//! [`super::hybrid`]); a batch's gradients are summed per row, then each row touched takes one
//! adaptive step with the moments it keeps, as the factorisation's rows do.

use super::adaptive::{ADAM_BETA1, ADAM_BETA2, EPSILON, RMSPROP_RHO};
use super::algorithm::Updates;
use super::params::TrainParams;
use super::Triplets;
use crate::data::Side;
use crate::kernels::{adaptive_row, dot, AdaptiveStep};
use crate::model::{FeatureParts, MfModel, SideParts};

/// One table of rows (a side's ids, or its features): the gradients summed in the batch and the
/// moments, for the factors (`k` per row) and the biases, and the rows the batch touched.
#[derive(Default)]
struct Table {
    grad: Vec<f32>,
    m: Vec<f32>,
    v: Vec<f32>,
    bias_grad: Vec<f32>,
    bias_m: Vec<f32>,
    bias_v: Vec<f32>,
    touched: Vec<bool>,
    rows: Vec<usize>,
}

impl Table {
    fn new(n: usize, k: usize) -> Table {
        Table {
            grad: vec![0.0; n * k],
            m: vec![0.0; n * k],
            v: vec![0.0; n * k],
            bias_grad: vec![0.0; n],
            bias_m: vec![0.0; n],
            bias_v: vec![0.0; n],
            touched: vec![false; n],
            rows: Vec::new(),
        }
    }

    /// Adds `w (g other + lambda_f x)` to row `r`'s factors and `w (g + lambda_b b)` to its
    /// bias, `x` and `b` being the row's values.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        r: usize,
        w: f32,
        g: f32,
        other: &[f32],
        x: &[f32],
        b: f32,
        p: &TrainParams,
        bias: bool,
    ) {
        if !self.touched[r] {
            self.touched[r] = true;
            self.rows.push(r);
        }
        let k = other.len();
        for ((gr, o), x) in self.grad[r * k..(r + 1) * k].iter_mut().zip(other).zip(x) {
            *gr += w * (g * o + p.reg_factor * x);
        }
        if bias {
            self.bias_grad[r] += w * (g + p.reg_bias * b);
        }
    }

    /// One adaptive step for every row touched, on `factors` and `bias` (the table's values).
    fn apply(&mut self, factors: &mut [f32], bias: &mut [f32], step: &AdaptiveStep, k: usize) {
        for &r in &self.rows {
            let at = r * k..(r + 1) * k;
            adaptive_row(
                &mut factors[at.clone()],
                &mut self.grad[at.clone()],
                &mut self.m[at.clone()],
                &mut self.v[at],
                step,
            );
            let mut g = [self.bias_grad[r]];
            adaptive_row(
                std::slice::from_mut(&mut bias[r]),
                &mut g,
                std::slice::from_mut(&mut self.bias_m[r]),
                std::slice::from_mut(&mut self.bias_v[r]),
                step,
            );
            self.bias_grad[r] = 0.0;
            self.touched[r] = false;
        }
        self.rows.clear();
    }
}

/// Adam's or RMSprop's state over a hybrid model: per side, the ids' table (the model's own rows
/// for a side without features) and the features' table.
pub(super) struct HybridAdaptive {
    adam: bool,
    t: u64,
    ids: [Table; 2],
    features: [Table; 2],
    p: Vec<f32>,
    q: Vec<f32>,
}

impl HybridAdaptive {
    pub(super) fn new(model: &MfModel, adam: bool) -> HybridAdaptive {
        let k = model.n_factors();
        let f = model.features.as_deref();
        let nf = |s: Side| {
            f.and_then(|f| f.side(s))
                .map_or(0, |s| s.matrix.n_features())
        };
        HybridAdaptive {
            adam,
            t: 0,
            ids: [
                Table::new(model.n_users(), k),
                Table::new(model.n_items(), k),
            ],
            features: [Table::new(nf(Side::User), k), Table::new(nf(Side::Item), k)],
            p: vec![0.0; k],
            q: vec![0.0; k],
        }
    }

    /// The gradient of one rating with respect to every row that makes up row `r` of side `s`.
    #[allow(clippy::too_many_arguments)]
    fn gradients(
        &mut self,
        s: usize,
        parts: Option<&SideParts>,
        model: &MfModel,
        r: usize,
        other: &[f32],
        g: f32,
        p: &TrainParams,
    ) {
        let bias = if s == 0 {
            p.use_user_bias
        } else {
            p.use_item_bias
        };
        let k = other.len();
        match parts {
            Some(sp) => {
                let ids = sp.id_factors.as_slice().expect("standard layout");
                self.ids[s].add(
                    r,
                    1.0,
                    g,
                    other,
                    &ids[r * k..(r + 1) * k],
                    sp.id_bias[r],
                    p,
                    bias,
                );
                let fs = sp.factors.as_slice().expect("standard layout");
                let (cols, weights) = sp.matrix.row(r);
                for (&c, &w) in cols.iter().zip(weights) {
                    let c = c as usize;
                    self.features[s].add(
                        c,
                        w,
                        g,
                        other,
                        &fs[c * k..(c + 1) * k],
                        sp.bias[c],
                        p,
                        bias,
                    );
                }
            }
            None => {
                let (x, b) = match s {
                    0 => (model.user_row(r), model.user_bias[r]),
                    _ => (model.item_row(r), model.item_bias[r]),
                };
                self.ids[s].add(r, 1.0, g, other, x, b, p, bias);
            }
        }
    }

    fn apply(
        &mut self,
        model: &mut MfModel,
        parts: &mut FeatureParts,
        params: &TrainParams,
        scale: f32,
    ) {
        let t = self.t.min(i32::MAX as u64) as i32;
        let (c1, c2) = match self.adam {
            true => (1.0 - ADAM_BETA1.powi(t), 1.0 - ADAM_BETA2.powi(t)),
            false => (1.0, 1.0),
        };
        let step = AdaptiveStep {
            adam: self.adam,
            scale,
            eta: params.learning_rate,
            c1,
            c2,
            beta1: ADAM_BETA1,
            beta2: if self.adam { ADAM_BETA2 } else { RMSPROP_RHO },
            epsilon: EPSILON,
        };
        let k = model.n_factors();
        for (s, sp) in [parts.user.as_mut(), parts.item.as_mut()]
            .into_iter()
            .enumerate()
        {
            match sp {
                Some(sp) => {
                    let (f, b) = (
                        sp.id_factors.as_slice_mut().expect("standard layout"),
                        sp.id_bias.as_slice_mut().expect("contiguous"),
                    );
                    self.ids[s].apply(f, b, &step, k);
                    let (f, b) = (
                        sp.factors.as_slice_mut().expect("standard layout"),
                        sp.bias.as_slice_mut().expect("contiguous"),
                    );
                    self.features[s].apply(f, b, &step, k);
                }
                None => {
                    let (f, b) = match s {
                        0 => (&mut model.user_factors, &mut model.user_bias),
                        _ => (&mut model.item_factors, &mut model.item_bias),
                    };
                    let (f, b) = (
                        f.as_slice_mut().expect("standard layout"),
                        b.as_slice_mut().expect("contiguous"),
                    );
                    self.ids[s].apply(f, b, &step, k);
                }
            }
        }
    }
}

impl Updates for HybridAdaptive {
    fn granularity(&self, params: &TrainParams) -> usize {
        params.batch_size.max(1)
    }

    fn update(
        &mut self,
        model: &mut MfModel,
        data: &Triplets,
        order: &[u32],
        params: &TrainParams,
    ) {
        super::hybrid::with_parts(model, |model, parts| {
            let (mut p, mut q) = (std::mem::take(&mut self.p), std::mem::take(&mut self.q));
            for chunk in order.chunks(params.batch_size.max(1)) {
                for &idx in chunk {
                    let idx = idx as usize;
                    let (u, i, r) = (
                        data.users[idx] as usize,
                        data.items[idx] as usize,
                        data.values[idx],
                    );
                    let bu =
                        super::hybrid::compose(parts.user.as_ref(), u, model, Side::User, &mut p);
                    let bi =
                        super::hybrid::compose(parts.item.as_ref(), i, model, Side::Item, &mut q);
                    let g = params.loss.grad(model.mu + bu + bi + dot(&p, &q), r);
                    self.gradients(0, parts.user.as_ref(), model, u, &q, g, params);
                    self.gradients(1, parts.item.as_ref(), model, i, &p, g, params);
                }
                self.t += 1;
                self.apply(model, parts, params, 1.0 / chunk.len() as f32);
            }
            (self.p, self.q) = (p, q);
        });
    }
}
