//! The objective of one observation `(u, i, r)`: its loss (see [`super::loss`]) plus its share
//! of the regulariser, and the gradient with respect to the parameters it touches. The SGD and
//! adaptive kernels compute the same update inline; this plain version is what the gradient
//! tests check against finite differences.

use super::params::TrainParams;
use crate::model::MfModel;

/// Gradient of one observation's objective with respect to the parameters it touches.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservationGrad {
    pub loss: f32,
    pub user_bias: f32,
    pub item_bias: f32,
    pub user_factors: Vec<f32>,
    pub item_factors: Vec<f32>,
}

impl ObservationGrad {
    pub fn zeros(n_factors: usize) -> Self {
        ObservationGrad {
            loss: 0.0,
            user_bias: 0.0,
            item_bias: 0.0,
            user_factors: vec![0.0; n_factors],
            item_factors: vec![0.0; n_factors],
        }
    }
}

/// Fills `out` with the gradient of observation `(u, i, r)`'s objective (data term plus its
/// share of the regulariser). Bias terms that are switched off get a zero gradient.
pub fn observation_grad(
    model: &MfModel,
    params: &TrainParams,
    u: usize,
    i: usize,
    r: f32,
    out: &mut ObservationGrad,
) {
    let s = model.score(u, i);
    let (loss, g) = params.loss.value_and_grad(s, r);
    out.loss = loss;
    let (bu, bi) = (model.user_bias[u], model.item_bias[i]);
    out.user_bias = if params.use_user_bias {
        g + params.reg_bias * bu
    } else {
        0.0
    };
    out.item_bias = if params.use_item_bias {
        g + params.reg_bias * bi
    } else {
        0.0
    };
    let p = model.user_factors.row(u);
    let q = model.item_factors.row(i);
    for f in 0..p.len() {
        out.user_factors[f] = g * q[f] + params.reg_factor * p[f];
        out.item_factors[f] = g * p[f] + params.reg_factor * q[f];
    }
}

/// The objective of one observation, for gradient checks.
pub fn observation_objective(
    model: &MfModel,
    params: &TrainParams,
    u: usize,
    i: usize,
    r: f32,
) -> f64 {
    let (loss, _) = params.loss.value_and_grad(model.score(u, i), r);
    let p = model.user_factors.row(u);
    let q = model.item_factors.row(i);
    let mut reg = 0.0f64;
    if params.use_user_bias {
        reg += 0.5 * params.reg_bias as f64 * (model.user_bias[u] as f64).powi(2);
    }
    if params.use_item_bias {
        reg += 0.5 * params.reg_bias as f64 * (model.item_bias[i] as f64).powi(2);
    }
    reg += 0.5 * params.reg_factor as f64 * (p.dot(&p) as f64 + q.dot(&q) as f64);
    loss as f64 + reg
}
