//! How a batch's gradient moves the parameters: Adam (Kingma & Ba 2015, as PyTorch writes it)
//! or plain SGD, with L2 regularisation on the embeddings and the weights (not the biases).
//!
//! Embedding rows are updated only where the batch touched them ("lazy" Adam, as
//! TensorFlow's `LazyAdam` and PyTorch's `SparseAdam` do): a row no example of the batch used has
//! no gradient, and decaying every user's moments on every batch would cost a pass over all the
//! tables for a few rows' worth of information.

use super::dense::Dense;
use super::features::NcfSide;
use super::model::{Grads, NcfModel, RowGrads};
use crate::data::FeatureMatrix;
use crate::kernels::axpy;

/// The update rule: [`Optimizer::ADAM`](crate::train::Optimizer::ADAM) or
/// [`Optimizer::SGD`](crate::train::Optimizer::SGD) of the parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Solver {
    Adam,
    Sgd,
}

const BETA1: f32 = 0.9;
const BETA2: f32 = 0.999;
const EPS: f32 = 1e-8;

/// First and second moments of one block of parameters (empty for SGD).
#[derive(Debug, Clone, Default)]
struct Moments {
    m: Vec<f32>,
    v: Vec<f32>,
}

impl Moments {
    fn of(n: usize, solver: Solver) -> Moments {
        match solver {
            Solver::Adam => Moments {
                m: vec![0.0; n],
                v: vec![0.0; n],
            },
            Solver::Sgd => Moments::default(),
        }
    }
}

/// One step's constants.
#[derive(Clone, Copy)]
struct Step {
    solver: Solver,
    lr: f32,
    /// `1 - beta1^t` and `1 - beta2^t`.
    c1: f32,
    c2: f32,
}

impl Step {
    /// Moves `p` by its gradient `g` (plus `reg * p`), with moments at `off` in `mo`.
    #[inline]
    fn apply(self, p: &mut [f32], g: &[f32], reg: f32, mo: &mut Moments, off: usize) {
        match self.solver {
            Solver::Sgd => {
                for (p, g) in p.iter_mut().zip(g) {
                    *p -= self.lr * (g + reg * *p);
                }
            }
            Solver::Adam => {
                let m = &mut mo.m[off..off + p.len()];
                let v = &mut mo.v[off..off + p.len()];
                for j in 0..p.len() {
                    let g = g[j] + reg * p[j];
                    m[j] = BETA1 * m[j] + (1.0 - BETA1) * g;
                    v[j] = BETA2 * v[j] + (1.0 - BETA2) * g * g;
                    let mhat = m[j] / self.c1;
                    let vhat = v[j] / self.c2;
                    p[j] -= self.lr * mhat / (vhat.sqrt() + EPS);
                }
            }
        }
    }
}

/// The solver's state for one model.
#[derive(Debug, Clone)]
pub struct SolverState {
    solver: Solver,
    t: i32,
    tables: [Moments; 4],
    layers: Vec<Moments>,
    /// With features as inputs: the features' moments and a batch's gradients of their rows,
    /// by side (users, items) and table (GMF, MLP).
    features: Box<[[Moments; 2]; 2]>,
    feature_grads: Box<[[RowGrads; 2]; 2]>,
}

impl SolverState {
    pub fn new(solver: Solver, m: &NcfModel) -> SolverState {
        SolverState {
            solver,
            t: 0,
            tables: [
                Moments::of(m.gmf_user.len(), solver),
                Moments::of(m.gmf_item.len(), solver),
                Moments::of(m.mlp_user.len(), solver),
                Moments::of(m.mlp_item.len(), solver),
            ],
            layers: m
                .tower
                .iter()
                .chain(std::iter::once(&m.head))
                .map(|d| Moments::of(d.n_parameters(), solver))
                .collect(),
            features: Box::new([0, 1].map(|side| {
                let s = side_of(m, side);
                [s.map_or(0, |s| s.gmf.len()), s.map_or(0, |s| s.mlp.len())]
                    .map(|n| Moments::of(n, solver))
            })),
            feature_grads: Box::new([0, 1].map(|side| {
                let n = side_of(m, side).map_or(0, |s| s.matrix.n_features());
                [RowGrads::new(n), RowGrads::new(n)]
            })),
        }
    }

    /// Applies one batch's gradient `g` to `model` with learning rate `lr` and L2 weight `reg`.
    pub fn step(&mut self, model: &mut NcfModel, g: &Grads, lr: f32, reg: f32) {
        self.t += 1;
        let step = Step {
            solver: self.solver,
            lr,
            c1: 1.0 - BETA1.powi(self.t),
            c2: 1.0 - BETA2.powi(self.t),
        };
        let (k, h) = (model.k(), model.half());
        let mut parts = model.features.take();
        let (user, item) = match parts.as_deref_mut() {
            Some(f) => (f.user.as_mut(), f.item.as_mut()),
            None => (None, None),
        };
        let [a, b, c, d] = &mut self.tables;
        let [fu, fi] = &mut *self.features;
        let [gu, gi] = &mut *self.feature_grads;
        let mut user = user;
        let mut item = item;
        side_step(
            step,
            reg,
            &mut model.gmf_user,
            user.as_deref_mut(),
            0,
            &g.gmf_user,
            k,
            a,
            &mut fu[0],
            &mut gu[0],
        );
        side_step(
            step,
            reg,
            &mut model.gmf_item,
            item.as_deref_mut(),
            0,
            &g.gmf_item,
            k,
            b,
            &mut fi[0],
            &mut gi[0],
        );
        side_step(
            step,
            reg,
            &mut model.mlp_user,
            user,
            1,
            &g.mlp_user,
            h,
            c,
            &mut fu[1],
            &mut gu[1],
        );
        side_step(
            step,
            reg,
            &mut model.mlp_item,
            item,
            1,
            &g.mlp_item,
            h,
            d,
            &mut fi[1],
            &mut gi[1],
        );
        model.features = parts;
        model.compose();
        let layers = model
            .tower
            .iter_mut()
            .chain(std::iter::once(&mut model.head));
        let grads = g.tower.iter().chain(std::iter::once(&g.head));
        for ((layer, grad), mo) in layers.zip(grads).zip(&mut self.layers) {
            dense(step, layer, grad, reg, mo);
        }
    }
}

/// The side's features, if the model takes them (`side` 0: users, 1: items).
fn side_of(m: &NcfModel, side: usize) -> Option<&NcfSide> {
    let f = m.features.as_deref()?;
    if side == 0 {
        f.user.as_ref()
    } else {
        f.item.as_ref()
    }
}

/// Moves each touched row of `table` by its gradient, with moments at the row's offset.
fn rows(step: Step, reg: f32, table: &mut [f32], grads: &RowGrads, width: usize, mo: &mut Moments) {
    for (s, &r) in grads.rows.iter().enumerate() {
        let at = r as usize * width;
        step.apply(
            &mut table[at..at + width],
            &grads.data[s * width..(s + 1) * width],
            reg,
            mo,
            at,
        );
    }
}

/// One table of one side: its rows themselves, or, with features, the ids' rows and (each
/// gradient times its weight) the features' rows (`which` 0: GMF, 1: MLP).
#[allow(clippy::too_many_arguments)]
fn side_step(
    step: Step,
    reg: f32,
    table: &mut [f32],
    part: Option<&mut NcfSide>,
    which: usize,
    grads: &RowGrads,
    width: usize,
    mo: &mut Moments,
    feature_mo: &mut Moments,
    feature_grads: &mut RowGrads,
) {
    let Some(NcfSide {
        matrix,
        gmf_id,
        gmf,
        mlp_id,
        mlp,
    }) = part
    else {
        return rows(step, reg, table, grads, width, mo);
    };
    if width == 0 {
        return;
    }
    let (ids, features) = if which == 0 {
        (gmf_id, gmf)
    } else {
        (mlp_id, mlp)
    };
    rows(step, reg, ids, grads, width, mo);
    feature_grads.clear();
    scatter(matrix, grads, width, feature_grads);
    rows(step, reg, features, feature_grads, width, feature_mo);
}

/// Adam on one vector of parameters alone (a new user's embedding rows, for fold-in): its own
/// moments and step count; the caller adds any regulariser to the gradient.
pub(super) struct VectorAdam {
    mo: Moments,
    t: i32,
}

impl VectorAdam {
    pub(super) fn new(n: usize) -> VectorAdam {
        VectorAdam {
            mo: Moments::of(n, Solver::Adam),
            t: 0,
        }
    }

    /// One step of `p` along the gradient `g` with learning rate `lr`.
    pub(super) fn step(&mut self, p: &mut [f32], g: &[f32], lr: f32) {
        self.t += 1;
        let step = Step {
            solver: Solver::Adam,
            lr,
            c1: 1.0 - BETA1.powi(self.t),
            c2: 1.0 - BETA2.powi(self.t),
        };
        step.apply(p, g, 0.0, &mut self.mo, 0);
    }
}

/// Weights with L2, biases without; the moments hold the weights' first, then the biases'.
fn dense(step: Step, layer: &mut Dense, grad: &Dense, reg: f32, mo: &mut Moments) {
    let n = layer.w.len();
    step.apply(&mut layer.w, &grad.w, reg, mo, 0);
    step.apply(&mut layer.b, &grad.b, 0.0, mo, n);
}

/// Adds each touched row's gradient, times its weight, to its features' rows in `out`.
fn scatter(m: &FeatureMatrix, grads: &RowGrads, width: usize, out: &mut RowGrads) {
    for (s, &r) in grads.rows.iter().enumerate() {
        let g = &grads.data[s * width..(s + 1) * width];
        let (cols, weights) = m.row(r as usize);
        for (&c, &w) in cols.iter().zip(weights) {
            axpy(out.row(c as usize, width), w, g);
        }
    }
}
