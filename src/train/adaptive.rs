//! Mini-batch training with per-parameter adaptive step sizes: Adam and RMSprop.
//!
//! Each batch of `batch_size` ratings contributes the mean of its observations' gradients (see
//! [`super::loss`]); only the rows of users and items in the batch are updated ("lazy" sparse
//! updates, as TensorFlow's LazyAdam does), with one step counter `t` per batch for Adam's bias
//! correction. For a gradient `g` of a parameter `w`:
//!
//! ```text
//! Adam    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
//!         w <- w - eta * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)       b1 = 0.9, b2 = 0.999
//! RMSprop v <- rho v + (1 - rho) g^2;  w <- w - eta * g / (sqrt(v) + eps)      rho = 0.9
//! ```
//!
//! References: Kingma & Ba, "Adam: a method for stochastic optimization", ICLR 2015; Tieleman &
//! Hinton, "Lecture 6.5 - RMSprop", COURSERA: Neural Networks for Machine Learning, 2012.

use crate::model::MfModel;

use super::algorithm::{Algorithm, AlgorithmInfo, Learner, Updates};
use super::params::TrainParams;
use super::{Loss, Triplets};
use crate::kernels::{adaptive_row, AdaptiveStep};

/// Adam or RMSprop, registered in [`super::registry`] as [`ADAM`] and [`RMSPROP`].
pub struct Adaptive {
    /// Adam (first and second moments) or RMSprop (second moments only).
    adam: bool,
}

/// Adam.
pub const ADAM: Adaptive = Adaptive { adam: true };
/// RMSprop.
pub const RMSPROP: Adaptive = Adaptive { adam: false };

impl Algorithm for Adaptive {
    fn info(&self) -> AlgorithmInfo {
        let (name, label, summary) = if self.adam {
            ("adam", "Adam", "mini-batches with per-parameter step sizes from the gradients' first and second moments")
        } else {
            (
                "rmsprop",
                "RMSprop",
                "mini-batches with per-parameter step sizes from the gradients' second moments",
            )
        };
        AlgorithmInfo {
            name,
            label,
            summary,
            losses: &[Loss::Squared, Loss::Logistic],
            uses: &["learningRate", "batchSize", "negatives"],
            biases: true,
            implicit: false,
            normalizes: true,
            race: true,
        }
    }

    fn start(&self, model: &MfModel, _params: &TrainParams) -> Learner {
        Learner::Updates(Box::new(Batches {
            adam: self.adam,
            state: AdaptiveState::new(model),
        }))
    }
}

/// Adam's or RMSprop's moments, carried from batch to batch.
struct Batches {
    adam: bool,
    state: AdaptiveState,
}

impl Updates for Batches {
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
        adaptive_epoch(model, data, order, params, self.adam, &mut self.state);
    }
}

pub const ADAM_BETA1: f32 = 0.9;
pub const ADAM_BETA2: f32 = 0.999;
pub const RMSPROP_RHO: f32 = 0.9;
pub const EPSILON: f32 = 1e-8;

/// Moments for every parameter, plus gradient buffers reused across batches.
#[derive(Debug, Clone)]
pub struct AdaptiveState {
    /// Batches taken so far (Adam's `t`).
    t: u64,
    /// First moments (Adam only) and second moments, laid out like the parameters:
    /// `[user_bias | item_bias | user_factors | item_factors]`.
    m: Vec<f32>,
    v: Vec<f32>,
    grad: Vec<f32>,
    user_touched: Vec<bool>,
    item_touched: Vec<bool>,
    users_in_batch: Vec<usize>,
    items_in_batch: Vec<usize>,
}

impl AdaptiveState {
    pub fn new(model: &MfModel) -> Self {
        let n =
            model.n_users() + model.n_items() + model.user_factors.len() + model.item_factors.len();
        AdaptiveState {
            t: 0,
            m: vec![0.0; n],
            v: vec![0.0; n],
            grad: vec![0.0; n],
            user_touched: vec![false; model.n_users()],
            item_touched: vec![false; model.n_items()],
            users_in_batch: Vec::new(),
            items_in_batch: Vec::new(),
        }
    }
}

/// Offsets of the four parameter blocks in the flat state vectors.
struct Layout {
    item_bias: usize,
    user_factors: usize,
    item_factors: usize,
    k: usize,
}

/// One epoch of Adam (`adam`) or RMSprop over `data` in `order`.
pub fn adaptive_epoch(
    model: &mut MfModel,
    data: &Triplets,
    order: &[u32],
    params: &TrainParams,
    adam: bool,
    state: &mut AdaptiveState,
) {
    let k = model.n_factors();
    let lay = Layout {
        item_bias: model.n_users(),
        user_factors: model.n_users() + model.n_items(),
        item_factors: model.n_users() + model.n_items() + model.user_factors.len(),
        k,
    };
    let batch = params.batch_size.max(1);
    for chunk in order.chunks(batch) {
        accumulate(model, data, chunk, params, state, &lay);
        state.t += 1;
        apply(model, params, adam, state, &lay, 1.0 / chunk.len() as f32);
    }
}

fn accumulate(
    model: &MfModel,
    data: &Triplets,
    chunk: &[u32],
    params: &TrainParams,
    st: &mut AdaptiveState,
    lay: &Layout,
) {
    let k = lay.k;
    let p_all = model.user_factors.as_slice().expect("standard layout");
    let q_all = model.item_factors.as_slice().expect("standard layout");
    for &idx in chunk {
        let idx = idx as usize;
        let (u, i, r) = (
            data.users[idx] as usize,
            data.items[idx] as usize,
            data.values[idx],
        );
        if !st.user_touched[u] {
            st.user_touched[u] = true;
            st.users_in_batch.push(u);
        }
        if !st.item_touched[i] {
            st.item_touched[i] = true;
            st.items_in_batch.push(i);
        }
        let p = &p_all[u * k..(u + 1) * k];
        let q = &q_all[i * k..(i + 1) * k];
        let g = params.loss.grad(model.score(u, i), r);
        if params.use_user_bias {
            st.grad[u] += g + params.reg_bias * model.user_bias[u];
        }
        if params.use_item_bias {
            st.grad[lay.item_bias + i] += g + params.reg_bias * model.item_bias[i];
        }
        let gu = &mut st.grad[lay.user_factors + u * k..lay.user_factors + (u + 1) * k];
        for f in 0..k {
            gu[f] += g * q[f] + params.reg_factor * p[f];
        }
        let gi = &mut st.grad[lay.item_factors + i * k..lay.item_factors + (i + 1) * k];
        for f in 0..k {
            gi[f] += g * p[f] + params.reg_factor * q[f];
        }
    }
}

fn apply(
    model: &mut MfModel,
    params: &TrainParams,
    adam: bool,
    st: &mut AdaptiveState,
    lay: &Layout,
    scale: f32,
) {
    let k = lay.k;
    let eta = params.learning_rate;
    let t = st.t.min(i32::MAX as u64) as i32;
    // Bias corrections, folded into the step size once per batch.
    let (c1, c2) = if adam {
        (1.0 - ADAM_BETA1.powi(t), 1.0 - ADAM_BETA2.powi(t))
    } else {
        (1.0, 1.0)
    };
    let update = |w: &mut f32, j: usize, grad: &mut [f32], m: &mut [f32], v: &mut [f32]| {
        let g = grad[j] * scale;
        grad[j] = 0.0;
        if adam {
            m[j] = ADAM_BETA1 * m[j] + (1.0 - ADAM_BETA1) * g;
            v[j] = ADAM_BETA2 * v[j] + (1.0 - ADAM_BETA2) * g * g;
            // max(0): v-hat is a sum of squares, but keep sqrt's argument safe from rounding.
            *w -= eta * (m[j] / c1) / ((v[j] / c2).max(0.0).sqrt() + EPSILON);
        } else {
            v[j] = RMSPROP_RHO * v[j] + (1.0 - RMSPROP_RHO) * g * g;
            *w -= eta * g / (v[j].sqrt() + EPSILON);
        }
    };
    let (grad, m, v) = (&mut st.grad, &mut st.m, &mut st.v);
    let step = AdaptiveStep {
        adam,
        scale,
        eta,
        c1,
        c2,
        beta1: ADAM_BETA1,
        beta2: if adam { ADAM_BETA2 } else { RMSPROP_RHO },
        epsilon: EPSILON,
    };
    // A row of factors at once, through the vector kernel; the biases one by one.
    let row = |w: &mut [f32], at: usize, grad: &mut [f32], m: &mut [f32], v: &mut [f32]| {
        let r = at..at + k;
        adaptive_row(w, &mut grad[r.clone()], &mut m[r.clone()], &mut v[r], &step);
    };
    let p_all = model.user_factors.as_slice_mut().expect("standard layout");
    for &u in &st.users_in_batch {
        if params.use_user_bias {
            update(&mut model.user_bias[u], u, grad, m, v);
        }
        row(
            &mut p_all[u * k..(u + 1) * k],
            lay.user_factors + u * k,
            grad,
            m,
            v,
        );
        st.user_touched[u] = false;
    }
    let q_all = model.item_factors.as_slice_mut().expect("standard layout");
    for &i in &st.items_in_batch {
        if params.use_item_bias {
            update(&mut model.item_bias[i], lay.item_bias + i, grad, m, v);
        }
        row(
            &mut q_all[i * k..(i + 1) * k],
            lay.item_factors + i * k,
            grad,
            m,
            v,
        );
        st.item_touched[i] = false;
    }
    // Biases switched off never accumulate, but clear their slots in case they were on before.
    if !params.use_user_bias {
        st.users_in_batch.iter().for_each(|&u| grad[u] = 0.0);
    }
    if !params.use_item_bias {
        st.items_in_batch
            .iter()
            .for_each(|&i| grad[lay.item_bias + i] = 0.0);
    }
    st.users_in_batch.clear();
    st.items_in_batch.clear();
}
