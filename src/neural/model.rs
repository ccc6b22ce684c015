//! The neural collaborative-filtering families of He, Liao, Zhang, Nie, Hu and Chua, "Neural
//! Collaborative Filtering" (WWW 2017), as one model with the parts each family has:
//!
//! ```text
//! GMF:    s = h . (p_u * q_i) + b                       (element-wise product, then a weighted sum)
//! MLP:    s = h . tower([p'_u ; q'_i]) + b              (ReLU layers over the two embeddings side by side)
//! NeuMF:  s = h . [p_u * q_i ; tower([p'_u ; q'_i])] + b  (both, with their own embeddings)
//! ```
//!
//! For 0/1 data the prediction is `sigmoid(s)` (trained with log loss and sampled negatives), for
//! ratings it is `s` (squared loss). GMF with `h` all ones and no `b` is matrix factorisation
//! without biases: the family MF generalises, which is the paper's point and Rendle et al.'s
//! (RecSys 2020) reply: a dot product, well tuned, is hard to beat.

use super::dense::{Activation, Dense};
use super::features::{compose_table, NcfFeatures, NcfSide};
use crate::data::{Ratings, Side};
use crate::error::{Error, Result};
use crate::kernels::axpy;
use crate::model::{sigmoid, Output};
use crate::rng::Rng;
use crate::train::family::{check_shape, Family};
use crate::train::TrainParams;

/// The shape of a model: its family, the GMF embedding size and the MLP tower.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Architecture {
    pub family: Family,
    /// The size of the GMF embeddings (ignored by the MLP).
    pub factors: usize,
    /// The MLP tower as He et al. write it, e.g. `[64, 32, 16, 8]`: the first number is the
    /// width of the input (the user's and the item's embeddings side by side, half each), the
    /// others are the ReLU layers' widths (ignored by GMF).
    pub layers: Vec<usize>,
}

impl Architecture {
    /// The shape `p` asks for (its family, factors and tower).
    pub fn of(p: &TrainParams) -> Architecture {
        Architecture {
            family: p.family,
            factors: p.n_factors,
            layers: p.layers.clone(),
        }
    }

    /// Checks the sizes (see [`check_shape`]); the family must be a neural one.
    pub fn check(&self) -> Result<()> {
        if !self.family.is_neural() {
            return Err(Error::invalid(
                "family",
                self.family.name(),
                "a neural model is gmf, mlp or neumf",
            ));
        }
        check_shape(self.family, self.factors, &self.layers)
    }

    /// How many numbers a model of this shape holds for `n_users` and `n_items`, the tower and
    /// the output layer included.
    pub fn n_parameters(&self, n_users: usize, n_items: usize) -> usize {
        let rows = n_users + n_items;
        let mut n = 0;
        let mut head_inputs = 0;
        if self.family.has_gmf() {
            n += rows * self.factors;
            head_inputs += self.factors;
        }
        if self.family.has_mlp() {
            n += rows * self.layers[0] / 2;
            n += self
                .layers
                .windows(2)
                .map(|w| w[0] * w[1] + w[1])
                .sum::<usize>();
            head_inputs += self.layers[self.layers.len() - 1];
        }
        n + head_inputs + 1
    }
}

/// A GMF, MLP or NeuMF model. Embedding tables are row-major, one row per user or item; the
/// tables a family does not have are empty.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NcfModel {
    pub arch: Architecture,
    pub n_users: usize,
    pub n_items: usize,
    pub gmf_user: Vec<f32>,
    pub gmf_item: Vec<f32>,
    pub mlp_user: Vec<f32>,
    pub mlp_item: Vec<f32>,
    /// The ReLU layers of the MLP, input first.
    pub tower: Vec<Dense>,
    /// The output layer: one unit over the GMF vector and the tower's last layer.
    pub head: Dense,
    pub output: Output,
    /// With features as inputs: the id and feature rows whose sums the tables above hold (see
    /// [`super::features`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<Box<NcfFeatures>>,
}

/// What one forward pass leaves for the backward pass: the tower's input and each layer's
/// output, and the output layer's input.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    pub acts: Vec<Vec<f32>>,
    pub head_in: Vec<f32>,
}

impl NcfModel {
    /// A model initialised as He et al. do: embeddings from a normal of standard deviation
    /// `init_std` (they use 0.01), the tower He-normal, the output layer Glorot-uniform; the
    /// output bias starts at `bias` (the mean rating for ratings, 0 for 0/1 data).
    pub fn init(
        arch: Architecture,
        n_users: usize,
        n_items: usize,
        output: Output,
        init_std: f32,
        bias: f32,
        seed: u64,
    ) -> Result<NcfModel> {
        arch.check()?;
        let mut rng = Rng::new(seed);
        let mut table = |rows: usize, width: usize| -> Vec<f32> {
            (0..rows * width)
                .map(|_| (rng.normal() * init_std as f64) as f32)
                .collect()
        };
        let k = if arch.family.has_gmf() {
            arch.factors
        } else {
            0
        };
        let half = if arch.family.has_mlp() {
            arch.layers[0] / 2
        } else {
            0
        };
        let (gmf_user, gmf_item) = (table(n_users, k), table(n_items, k));
        let (mlp_user, mlp_item) = (table(n_users, half), table(n_items, half));
        let mut tower = Vec::new();
        let mut last = 0;
        if arch.family.has_mlp() {
            for w in arch.layers.windows(2) {
                tower.push(Dense::init(w[0], w[1], Activation::Relu, &mut rng));
            }
            last = arch.layers[arch.layers.len() - 1];
        }
        let mut head = Dense::init(k + last, 1, Activation::Linear, &mut rng);
        head.b[0] = bias;
        Ok(NcfModel {
            arch,
            n_users,
            n_items,
            gmf_user,
            gmf_item,
            mlp_user,
            mlp_item,
            tower,
            head,
            output,
            features: None,
        })
    }

    /// The GMF embedding size (0 without GMF).
    pub fn k(&self) -> usize {
        self.gmf_user.len().checked_div(self.n_users).unwrap_or(0)
    }

    /// The MLP embedding size, half the tower's input (0 without the MLP).
    pub fn half(&self) -> usize {
        self.mlp_user.len().checked_div(self.n_users).unwrap_or(0)
    }

    /// With features, their rows and the ids' count, not the tables of sums.
    pub fn n_parameters(&self) -> usize {
        let f = self.features.as_deref();
        let user = match f.and_then(|f| f.user.as_ref()) {
            Some(s) => s.n_parameters(),
            None => self.gmf_user.len() + self.mlp_user.len(),
        };
        let item = match f.and_then(|f| f.item.as_ref()) {
            Some(s) => s.n_parameters(),
            None => self.gmf_item.len() + self.mlp_item.len(),
        };
        user + item
            + self.tower.iter().map(Dense::n_parameters).sum::<usize>()
            + self.head.n_parameters()
    }

    /// A trace with buffers of the right sizes, to reuse across examples.
    pub fn trace(&self) -> Trace {
        let mut acts = Vec::new();
        if !self.tower.is_empty() {
            acts.push(vec![0.0; self.tower[0].inputs]);
            acts.extend(self.tower.iter().map(|d| vec![0.0; d.outputs]));
        }
        Trace {
            acts,
            head_in: vec![0.0; self.head.inputs],
        }
    }

    /// The raw score `s` of user `u` for item `i`, filling `t` for [`NcfModel::backward`].
    pub fn forward(&self, u: usize, i: usize, t: &mut Trace) -> f32 {
        let k = self.k();
        for f in 0..k {
            t.head_in[f] = self.gmf_user[u * k + f] * self.gmf_item[i * k + f];
        }
        if !self.tower.is_empty() {
            let h = self.half();
            t.acts[0][..h].copy_from_slice(&self.mlp_user[u * h..(u + 1) * h]);
            t.acts[0][h..].copy_from_slice(&self.mlp_item[i * h..(i + 1) * h]);
            for (l, layer) in self.tower.iter().enumerate() {
                let (before, after) = t.acts.split_at_mut(l + 1);
                layer.forward(&before[l], &mut after[0]);
            }
            let last = &t.acts[t.acts.len() - 1];
            t.head_in[k..].copy_from_slice(last);
        }
        let mut s = [0.0f32];
        self.head.forward(&t.head_in, &mut s);
        s[0]
    }

    /// The score without keeping a trace (allocates one; for many scores keep a [`Trace`]).
    pub fn score(&self, u: usize, i: usize) -> f32 {
        self.forward(u, i, &mut self.trace())
    }

    /// A score through the output function: a rating, or a probability.
    pub fn link(&self, s: f32) -> f32 {
        match self.output {
            Output::Identity => s,
            Output::Sigmoid => sigmoid(s),
        }
    }

    /// The prediction: the score through the output function.
    pub fn predict(&self, u: usize, i: usize) -> f32 {
        self.link(self.score(u, i))
    }

    /// Every item's score for user `u`.
    pub fn scores_for_user(&self, u: usize) -> Vec<f32> {
        let mut t = self.trace();
        (0..self.n_items)
            .map(|i| self.forward(u, i, &mut t))
            .collect()
    }

    /// Adds `scale * ds` times the gradient of the score of `(u, i)` (traced in `t`) into `g`.
    pub fn backward(
        &self,
        (u, i): (usize, usize),
        t: &Trace,
        ds: f32,
        scale: f32,
        g: &mut Grads,
        work: &mut Work,
    ) {
        let k = self.k();
        let dz = &mut work.head_in;
        self.head.backward(
            &t.head_in,
            &[0.0],
            &[ds],
            scale,
            &mut g.head,
            Some(dz.as_mut_slice()),
        );
        if k > 0 {
            let gu = g.gmf_user.row(u, k);
            for f in 0..k {
                gu[f] += scale * dz[f] * self.gmf_item[i * k + f];
            }
            let gi = g.gmf_item.row(i, k);
            for f in 0..k {
                gi[f] += scale * dz[f] * self.gmf_user[u * k + f];
            }
        }
        if !self.tower.is_empty() {
            let n = self.tower.len();
            work.dy.clear();
            work.dy.extend_from_slice(&dz[k..]);
            for l in (0..n).rev() {
                work.dx.resize(self.tower[l].inputs, 0.0);
                self.tower[l].backward(
                    &t.acts[l],
                    &t.acts[l + 1],
                    &work.dy,
                    scale,
                    &mut g.tower[l],
                    Some(&mut work.dx),
                );
                std::mem::swap(&mut work.dx, &mut work.dy);
            }
            let h = self.half();
            axpy(g.mlp_user.row(u, h), scale, &work.dy[..h]);
            axpy(g.mlp_item.row(i, h), scale, &work.dy[h..]);
        }
    }

    /// Checks a model read from a file: its shape is its architecture's (every table's and
    /// layer's length, the layers chained, the output layer over GMF and the tower) and every
    /// number is finite. The error names the part.
    pub fn check_shape(&self) -> Result<()> {
        self.arch.check()?;
        let a = &self.arch;
        let k = if a.family.has_gmf() { a.factors } else { 0 };
        let half = if a.family.has_mlp() {
            a.layers[0] / 2
        } else {
            0
        };
        let (nu, ni) = (self.n_users, self.n_items);
        for (name, len, want) in [
            ("gmf_user", self.gmf_user.len(), nu.saturating_mul(k)),
            ("gmf_item", self.gmf_item.len(), ni.saturating_mul(k)),
            ("mlp_user", self.mlp_user.len(), nu.saturating_mul(half)),
            ("mlp_item", self.mlp_item.len(), ni.saturating_mul(half)),
        ] {
            if len != want {
                return Err(Error::invalid(
                    name,
                    format!("{len} values"),
                    format!("the shape needs {want}"),
                ));
            }
        }
        let widths: Vec<usize> = if a.family.has_mlp() {
            a.layers.clone()
        } else {
            Vec::new()
        };
        if self.tower.len() != widths.len().saturating_sub(1) {
            return Err(Error::invalid(
                "tower",
                format!("{} layers", self.tower.len()),
                format!("the architecture has {}", widths.len().saturating_sub(1)),
            ));
        }
        let last = widths.last().copied().unwrap_or(0);
        let shapes = widths
            .windows(2)
            .map(|w| (w[0], w[1], Activation::Relu))
            .chain(std::iter::once((k + last, 1, Activation::Linear)));
        for ((inputs, outputs, activation), d) in
            shapes.zip(self.tower.iter().chain(std::iter::once(&self.head)))
        {
            if d.inputs != inputs
                || d.outputs != outputs
                || d.activation != activation
                || d.w.len() != inputs * outputs
                || d.b.len() != outputs
            {
                return Err(Error::invalid(
                    "layer",
                    format!("{} x {} with {} weights", d.inputs, d.outputs, d.w.len()),
                    format!("the architecture needs {inputs} x {outputs}"),
                ));
            }
        }
        if !self.is_finite() {
            return Err(Error::invalid(
                "network",
                "a number that is not finite",
                "every parameter must be a finite number",
            ));
        }
        if let Some(f) = self.features.as_deref() {
            if let Some(s) = &f.user {
                s.check("features.user", nu, k, half)?;
            }
            if let Some(s) = &f.item {
                s.check("features.item", ni, k, half)?;
            }
        }
        Ok(())
    }

    /// Whether every parameter is a finite number.
    pub fn is_finite(&self) -> bool {
        let tables = [
            &self.gmf_user,
            &self.gmf_item,
            &self.mlp_user,
            &self.mlp_item,
        ];
        tables.iter().all(|t| t.iter().all(|x| x.is_finite()))
            && self
                .tower
                .iter()
                .chain(std::iter::once(&self.head))
                .all(|d| d.w.iter().chain(&d.b).all(|x| x.is_finite()))
    }
}

/// Buffers the backward pass reuses.
#[derive(Debug, Default)]
pub struct Work {
    head_in: Vec<f32>,
    dx: Vec<f32>,
    dy: Vec<f32>,
}

impl Work {
    pub fn new(model: &NcfModel) -> Work {
        Work {
            head_in: vec![0.0; model.head.inputs],
            dx: Vec::new(),
            dy: Vec::new(),
        }
    }
}

/// Gradients of the rows of one embedding table that a batch touched.
#[derive(Debug, Clone, Default)]
pub struct RowGrads {
    /// `slot[r]`: where row `r`'s gradient is in `data`, or `u32::MAX`.
    slot: Vec<u32>,
    /// The touched rows, in the order first touched.
    pub rows: Vec<u32>,
    /// Their gradients, `width` numbers each.
    pub data: Vec<f32>,
}

impl RowGrads {
    pub fn new(n_rows: usize) -> RowGrads {
        RowGrads {
            slot: vec![u32::MAX; n_rows],
            rows: Vec::new(),
            data: Vec::new(),
        }
    }

    /// Row `r`'s gradient, zeros when first touched.
    pub fn row(&mut self, r: usize, width: usize) -> &mut [f32] {
        let mut s = self.slot[r] as usize;
        if self.slot[r] == u32::MAX {
            s = self.rows.len();
            self.slot[r] = s as u32;
            self.rows.push(r as u32);
            self.data.resize((s + 1) * width, 0.0);
        }
        &mut self.data[s * width..(s + 1) * width]
    }

    /// Forgets every row (in time proportional to the rows touched).
    pub fn clear(&mut self) {
        for &r in &self.rows {
            self.slot[r as usize] = u32::MAX;
        }
        self.rows.clear();
        self.data.clear();
    }
}

/// The gradient of a model: row-sparse for the embeddings, dense for the layers.
#[derive(Debug, Clone)]
pub struct Grads {
    pub gmf_user: RowGrads,
    pub gmf_item: RowGrads,
    pub mlp_user: RowGrads,
    pub mlp_item: RowGrads,
    pub tower: Vec<Dense>,
    pub head: Dense,
}

impl Grads {
    pub fn new(m: &NcfModel) -> Grads {
        let zero = |d: &Dense| Dense::zeros(d.inputs, d.outputs, d.activation);
        Grads {
            gmf_user: RowGrads::new(m.n_users),
            gmf_item: RowGrads::new(m.n_items),
            mlp_user: RowGrads::new(m.n_users),
            mlp_item: RowGrads::new(m.n_items),
            tower: m.tower.iter().map(zero).collect(),
            head: zero(&m.head),
        }
    }

    pub fn clear(&mut self) {
        for t in [
            &mut self.gmf_user,
            &mut self.gmf_item,
            &mut self.mlp_user,
            &mut self.mlp_item,
        ] {
            t.clear();
        }
        for d in self.tower.iter_mut().chain(std::iter::once(&mut self.head)) {
            d.w.fill(0.0);
            d.b.fill(0.0);
        }
    }
}

/// Features as extra inputs (see [`super::features`]).
impl NcfModel {
    /// Makes the user's and the item's embeddings sums of their ids' and their features' rows
    /// (see the module documentation), for `data`'s feature sides. Fails when it has none.
    pub fn attach_features(&mut self, data: &Ratings, std: f32, seed: u64) -> Result<()> {
        let sides = data.require_features("useFeatures", "true", "")?;
        let (user_rated, item_rated) = (data.has_ratings(Side::User), data.has_ratings(Side::Item));
        let mut rng = Rng::new(seed ^ 0xFEA7_0BE5);
        let (k, h) = (self.k(), self.half());
        let features = NcfFeatures {
            user: sides.user.as_ref().map(|m| {
                NcfSide::new(
                    (**m).clone(),
                    (&self.gmf_user, k),
                    (&self.mlp_user, h),
                    &user_rated,
                    std,
                    &mut rng,
                )
            }),
            item: sides.item.as_ref().map(|m| {
                NcfSide::new(
                    (**m).clone(),
                    (&self.gmf_item, k),
                    (&self.mlp_item, h),
                    &item_rated,
                    std,
                    &mut rng,
                )
            }),
        };
        self.features = Some(Box::new(features));
        self.compose();
        Ok(())
    }

    /// Writes the sums of the id and feature rows into the embedding tables (nothing without
    /// features).
    pub fn compose(&mut self) {
        let Some(f) = self.features.as_deref() else {
            return;
        };
        let (k, h) = (self.k(), self.half());
        if let Some(s) = &f.user {
            compose_table(&s.matrix, &s.gmf_id, &s.gmf, k, &mut self.gmf_user);
            compose_table(&s.matrix, &s.mlp_id, &s.mlp, h, &mut self.mlp_user);
        }
        if let Some(s) = &f.item {
            compose_table(&s.matrix, &s.gmf_id, &s.gmf, k, &mut self.gmf_item);
            compose_table(&s.matrix, &s.mlp_id, &s.mlp, h, &mut self.mlp_item);
        }
    }
}
