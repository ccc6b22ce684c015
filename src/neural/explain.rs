//! What a network's score is made of, and the tables a map can show.
//!
//! The output layer is linear, so a score splits exactly into its inputs' parts: each GMF
//! factor's `h_f p_uf q_if`, the tower's `sum_j h_j t_j` and the output bias. The tower's part
//! is then attributed to the user's and the item's embeddings by gradient times input (the sum
//! of `x * ds/dx` over each half of the tower's input): a first-order attribution, exact only
//! when the tower's biases are 0, and said to be so.

use ndarray::Array2;

use super::model::{Grads, NcfModel, Work};
use crate::data::Side;
use crate::error::{Error, Result};
use crate::model::FeaturePart;
use crate::train::Family;

/// One score of a network taken apart.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NeuralExplanation {
    pub family: Family,
    /// The output layer's bias.
    pub bias: f32,
    /// GMF: `h_f p_uf q_if` for each factor (empty for the MLP).
    pub factor_parts: Vec<f32>,
    /// The MLP tower's part of the score, `sum_j h_j t_j` (None for GMF).
    pub tower: Option<f32>,
    /// Gradient times input of the tower's part over the user's and the item's MLP embeddings.
    pub tower_user: Option<f32>,
    pub tower_item: Option<f32>,
    /// `bias + sum(factor_parts) + tower`.
    pub score: f32,
    /// With features as inputs, each feature's part: through GMF's product exactly, through
    /// the tower by gradient times input (it splits the user's or the item's part above).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub feature_parts: Vec<FeaturePart>,
    /// The score through the output function.
    pub prediction: f32,
}

impl NcfModel {
    /// Checks that `u` and `i` are a user and an item of the model.
    pub fn check_pair(&self, u: usize, i: usize) -> Result<()> {
        if u >= self.n_users || i >= self.n_items {
            return Err(Error::invalid(
                "cell",
                format!("({u}, {i})"),
                format!(
                    "the model has {} users and {} items",
                    self.n_users, self.n_items
                ),
            ));
        }
        Ok(())
    }

    /// The parts of user `u`'s score for item `i`.
    pub fn explain(&self, u: usize, i: usize) -> Result<NeuralExplanation> {
        self.check_pair(u, i)?;
        let mut t = self.trace();
        let score = self.forward(u, i, &mut t);
        let k = self.k();
        let h = &self.head.w;
        let factor_parts: Vec<f32> = (0..k).map(|f| h[f] * t.head_in[f]).collect();
        let (mut tower, mut tower_user, mut tower_item) = (None, None, None);
        // The gradients of the tower's part over the MLP embeddings (empty without a tower).
        let (mut grad_user, mut grad_item) = (Vec::new(), Vec::new());
        if !self.tower.is_empty() {
            let part: f32 = (k..self.head.inputs).map(|j| h[j] * t.head_in[j]).sum();
            tower = Some(part);
            // The gradient of the tower's part alone: the output layer's GMF weights zeroed.
            let mut only_tower = self.clone();
            only_tower.head.w[..k].fill(0.0);
            let mut g = Grads::new(self);
            let mut work = Work::new(self);
            only_tower.backward((u, i), &t, 1.0, 1.0, &mut g, &mut work);
            let half = self.half();
            let times_input =
                |grads: &[f32], x: &[f32]| -> f32 { grads.iter().zip(x).map(|(g, x)| g * x).sum() };
            tower_user = Some(times_input(
                &g.mlp_user.data,
                &self.mlp_user[u * half..(u + 1) * half],
            ));
            tower_item = Some(times_input(
                &g.mlp_item.data,
                &self.mlp_item[i * half..(i + 1) * half],
            ));
            (grad_user, grad_item) = (g.mlp_user.data.clone(), g.mlp_item.data.clone());
        }
        let feature_parts = self.feature_parts((u, i), &grad_user, &grad_item);
        Ok(NeuralExplanation {
            family: self.arch.family,
            bias: self.head.b[0],
            factor_parts,
            tower,
            tower_user,
            tower_item,
            score,
            prediction: self.link(score),
            feature_parts,
        })
    }

    /// Each feature's part in the score of `(u, i)`: `w (h ⊙ other) · e_f` through GMF (the
    /// other side's embedding held), plus `w g · e_f` through the tower (`g` its gradient over
    /// the side's MLP embedding).
    fn feature_parts(
        &self,
        (u, i): (usize, usize),
        grad_user: &[f32],
        grad_item: &[f32],
    ) -> Vec<FeaturePart> {
        let Some(f) = self.features.as_deref() else {
            return Vec::new();
        };
        let (k, half) = (self.k(), self.half());
        let h = &self.head.w[..k];
        let weighted =
            |other: &[f32]| -> Vec<f32> { h.iter().zip(other).map(|(h, o)| h * o).collect() };
        let dot = |a: &[f32], b: &[f32]| -> f32 { a.iter().zip(b).map(|(a, b)| a * b).sum() };
        let mut parts = Vec::new();
        for (side, s, other, grad) in [
            (
                Side::User,
                &f.user,
                &self.gmf_item[i * k..(i + 1) * k],
                grad_user,
            ),
            (
                Side::Item,
                &f.item,
                &self.gmf_user[u * k..(u + 1) * k],
                grad_item,
            ),
        ] {
            let Some(s) = s else { continue };
            let r = if side == Side::User { u } else { i };
            let hw = weighted(other);
            let (cols, weights) = s.matrix.row(r);
            for (&c, &w) in cols.iter().zip(weights) {
                let c = c as usize;
                let gmf = dot(&hw, &s.gmf[c * k..(c + 1) * k]);
                let tower = if grad.is_empty() {
                    0.0
                } else {
                    dot(grad, &s.mlp[c * half..(c + 1) * half])
                };
                parts.push(FeaturePart {
                    side,
                    name: s.matrix.names()[c].clone(),
                    part: w * (gmf + tower),
                });
            }
        }
        parts
    }

    /// The users' and the items' embeddings a map shows by default: the GMF tables when the
    /// family has them (the space where the product compares users with items), else the MLP's.
    pub fn embedding_tables(&self) -> (Array2<f32>, Array2<f32>) {
        let first = self.table_names()[0];
        self.tables_named(first)
            .expect("a family has its first table")
    }

    /// The embedding tables the family has: `gmf`, `mlp` or both.
    pub fn table_names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.k() > 0 {
            names.push("gmf");
        }
        if self.half() > 0 {
            names.push("mlp");
        }
        names
    }

    /// The users' and the items' embeddings of table `name` (`gmf` or `mlp`).
    pub fn tables_named(&self, name: &str) -> Result<(Array2<f32>, Array2<f32>)> {
        let (users, items, width) = match name {
            "gmf" if self.k() > 0 => (&self.gmf_user, &self.gmf_item, self.k()),
            "mlp" if self.half() > 0 => (&self.mlp_user, &self.mlp_item, self.half()),
            _ => {
                return Err(Error::invalid(
                    "table",
                    name,
                    format!("this model's tables are {}", self.table_names().join(", ")),
                ))
            }
        };
        let table = |v: &Vec<f32>, rows: usize| {
            Array2::from_shape_vec((rows, width), v.clone()).expect("rows x width numbers")
        };
        Ok((table(users, self.n_users), table(items, self.n_items)))
    }

    /// The `n` best-scored items for `u`, leaving out `exclude`, with their predictions.
    pub fn recommend(&self, u: usize, n: usize, exclude: &[usize]) -> Result<Vec<(usize, f32)>> {
        self.check_pair(u, 0)?;
        let scores = self.scores_for_user(u);
        let mut skip = vec![false; self.n_items];
        exclude
            .iter()
            .filter(|&&i| i < self.n_items)
            .for_each(|&i| skip[i] = true);
        Ok(crate::ranking::top_items(&scores, &skip, n)
            .into_iter()
            .map(|i| (i, self.link(scores[i])))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Output;
    use crate::neural::Architecture;

    #[test]
    fn the_parts_add_up_to_the_score_and_the_attribution_is_gradient_times_input() {
        for family in [Family::Gmf, Family::Mlp, Family::NeuMf] {
            let arch = Architecture {
                family,
                factors: 3,
                layers: vec![6, 4],
            };
            let mut m = NcfModel::init(arch, 5, 7, Output::Sigmoid, 0.7, 0.2, 3).unwrap();
            let e = m.explain(2, 4).unwrap();
            let sum = e.bias + e.factor_parts.iter().sum::<f32>() + e.tower.unwrap_or(0.0);
            assert!(
                (sum - e.score).abs() < 1e-5,
                "{family:?}: {sum} vs {}",
                e.score
            );
            assert!((e.prediction - m.predict(2, 4)).abs() < 1e-6);
            assert_eq!(
                e.factor_parts.len(),
                if family == Family::Mlp { 0 } else { 3 }
            );
            assert_eq!(e.tower.is_some(), family != Family::Gmf);
            if family != Family::Gmf {
                // With the tower's biases at 0 a ReLU tower is positively homogeneous, so
                // gradient times input over the whole input is exactly the tower's part.
                for d in &mut m.tower {
                    d.b.fill(0.0);
                }
                let e = m.explain(2, 4).unwrap();
                let attributed = e.tower_user.unwrap() + e.tower_item.unwrap();
                assert!(
                    (attributed - e.tower.unwrap()).abs() < 1e-5,
                    "{family:?}: {attributed} vs {:?}",
                    e.tower
                );
            }
        }
        let m = NcfModel::init(
            Architecture {
                family: Family::Gmf,
                factors: 2,
                layers: vec![],
            },
            2,
            2,
            Output::Identity,
            0.1,
            0.0,
            1,
        )
        .unwrap();
        assert!(m.explain(2, 0).unwrap_err().to_string().contains("2 users"));
        let recs = m.recommend(0, 5, &[1]).unwrap();
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].0, 0);
        assert_eq!(m.embedding_tables().1.dim(), (2, 2));
        assert_eq!(m.table_names(), ["gmf"]);
        assert!(m
            .tables_named("mlp")
            .unwrap_err()
            .to_string()
            .contains("tables are gmf"));
        let both = NcfModel::init(
            Architecture {
                family: Family::NeuMf,
                factors: 2,
                layers: vec![6, 3],
            },
            4,
            5,
            Output::Sigmoid,
            0.1,
            0.0,
            1,
        )
        .unwrap();
        assert_eq!(both.table_names(), ["gmf", "mlp"]);
        assert_eq!(both.tables_named("mlp").unwrap().1.dim(), (5, 3));
    }
}
