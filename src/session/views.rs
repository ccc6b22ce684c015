//! What the model shows: the matrices (observed, predicted, test cells, the truth), an
//! explanation of one prediction, the embeddings map, recommendations, similar items and the
//! fold-in of a new user.

use super::dto::FeaturePoints;
use super::{Embeddings, Recommendations, Scored, Session};

/// The most features a map shows (the most common), so that their labels stay readable.
pub const MAP_FEATURES: usize = 24;
use crate::data::Feedback;
use crate::data::Side;
use crate::error::{Error, Result};
use crate::fit::Parts;
use crate::model::Similarity;
use crate::project::{project_2d, project_with};
use crate::view;

impl Session {
    /// The shape of the matrix views (see [`crate::view`]).
    pub fn view_shape(&self) -> Result<view::ViewShape> {
        let d = self.data_ref()?;
        Ok(view::ViewShape::of(d.n_users(), d.n_items()))
    }

    /// The observed matrix as a view, row-major, `NaN` where unknown.
    pub fn observed_matrix(&self) -> Result<Vec<f32>> {
        Ok(view::observed(self.data_ref()?))
    }

    /// 1 where a view cell holds a test rating, 0 elsewhere.
    pub fn test_mask(&self) -> Result<Vec<f32>> {
        let d = self.data_ref()?;
        Ok(match self.fit().ok().and_then(|f| f.test.as_ref()) {
            Some(t) => view::mask(t, d.n_users(), d.n_items()),
            None => vec![0.0; view::ViewShape::of(d.n_users(), d.n_items()).len()],
        })
    }

    /// The model's predictions as a view, row-major.
    pub fn predicted_matrix(&self) -> Result<Vec<f32>> {
        let d = self.data_ref()?;
        let t = &self.fit()?.trainer;
        Ok(view::predicted(d.n_users(), d.n_items(), |u, i| {
            t.predict(u, i)
        }))
    }

    /// Observed minus predicted per view cell: each known rating against its own cell's
    /// prediction, averaged over the block (see [`view::residual`]; at most 100,000 ratings, so a refresh
    /// stays quick on large data).
    pub fn residual_matrix(&self) -> Result<Vec<f32>> {
        let t = &self.fit()?.trainer;
        Ok(view::residual(
            self.data_ref()?,
            |u, i| t.predict(u, i),
            100_000,
        ))
    }

    /// The generating model's values (synthetic data only) as a view.
    pub fn truth_matrix(&self) -> Result<Vec<f32>> {
        let truth = self
            .loaded()?
            .truth
            .as_ref()
            .ok_or_else(|| Error::NotReady("only generated data has a known truth".into()))?;
        Ok(view::predicted(truth.n_users(), truth.n_items(), |u, i| {
            truth.predict(u, i)
        }))
    }

    /// The parts of one prediction: for MF mu, b_u, b_i and each factor's part; for a network
    /// the output bias, each GMF factor's part and the tower's, attributed to the user and the
    /// item.
    pub fn explain(&self, user: usize, item: usize) -> Result<Parts> {
        self.sound_trainer()?.explain(user, item)
    }

    /// Users and items mapped to 2-D (raw embeddings when they have at most 2 columns, else
    /// PCA): MF's factors, a network's table `table` (`gmf` or `mlp`; by default its GMF
    /// embeddings, the MLP's for the MLP alone).
    /// [`Session::embeddings`], each side turned (orthogonal Procrustes, [`crate::layout::Turn`])
    /// to lie as close as it can to the map shown before (`previous`: the users' and the items'
    /// coordinates, row-major), with its features turned alike: successive maps of a model in
    /// training then show what changed, not a spin or a flip. A side whose number of points
    /// differs is left as it is.
    pub fn embeddings_aligned(
        &self,
        table: Option<&str>,
        previous: Option<(&[f32], &[f32])>,
    ) -> Result<Embeddings> {
        let mut e = self.embeddings(table)?;
        if let Some((users, items)) = previous {
            let turn = |p: &mut crate::project::Projection,
                        f: &mut Option<FeaturePoints>,
                        before: &[f32]| {
                if before.len() != p.coords.len() || before.is_empty() {
                    return false;
                }
                let t = crate::layout::Turn::fit(&p.coords, before);
                p.coords = t.apply(&p.coords);
                if let Some(f) = f {
                    f.coords = t.apply(&f.coords);
                }
                true
            };
            let u = turn(&mut e.users, &mut e.user_features, users);
            let i = turn(&mut e.items, &mut e.item_features, items);
            e.aligned = u || i;
        }
        Ok(e)
    }

    pub fn embeddings(&self, table: Option<&str>) -> Result<Embeddings> {
        let t = self.sound_trainer()?;
        let name = t.table_name(table)?;
        let (users, items) = t.tables_named(name)?;
        // A model's features (the hybrid's, a network's with features as inputs), on its map.
        let place = |rows, side| {
            let Some((matrix, table)) = t.feature_rows(name, side) else {
                return (project_2d(rows), None);
            };
            let top = matrix.most_common(MAP_FEATURES);
            let order: Vec<usize> = top.iter().map(|&(c, _)| c).collect();
            // Where a row with that feature alone lands: the feature's vector, so weighted.
            let chosen = table.select(ndarray::Axis(0), &order) * crate::data::features::weight(1);
            let (p, coords) = project_with(rows, &chosen);
            let points = FeaturePoints {
                names: order.iter().map(|&c| matrix.names()[c].clone()).collect(),
                counts: top.iter().map(|&(_, n)| n).collect(),
                coords,
            };
            (p, Some(points))
        };
        let ((users, user_features), (items, item_features)) =
            (place(&users, Side::User), place(&items, Side::Item));
        Ok(Embeddings {
            users,
            items,
            user_features,
            item_features,
            aligned: false,
            table: name,
            tables: t
                .table_names()
                .into_iter()
                .filter_map(crate::train::family::table)
                .collect(),
        })
    }

    /// The `n` best items for `user` among those they have not rated (for implicit data: not
    /// interacted with), and what they rated.
    pub fn recommend(&self, user: usize, n: usize) -> Result<Recommendations> {
        let data = self.data_ref()?;
        let rated: Vec<(usize, f32)> = (0..data.len())
            .map(|k| data.get(k))
            .filter(|&(du, _, _)| du == user)
            .map(|(_, i, v)| (i, v))
            .collect();
        self.recommend_given(user, rated, n)
    }

    /// [`Session::recommend`] for a user whose ratings are already gathered.
    pub(super) fn recommend_given(
        &self,
        user: usize,
        rated: Vec<(usize, f32)>,
        n: usize,
    ) -> Result<Recommendations> {
        let t = self.sound_trainer()?;
        // For 0/1 data a stored 0 is "did not interact": exactly what may be recommended.
        let implicit = self.data_ref()?.feedback() == Feedback::Implicit;
        let exclude: Vec<usize> = rated
            .iter()
            .filter(|&&(_, v)| !implicit || v > 0.0)
            .map(|&(i, _)| i)
            .collect();
        let recs = t.recommend(user, n, &exclude)?;
        Ok(Recommendations {
            items: recs.into_iter().map(Scored::from).collect(),
            rated: rated.into_iter().map(Scored::from).collect(),
        })
    }

    /// The `n` items nearest to `item` by their factors.
    pub fn similar_items(&self, item: usize, n: usize, sim: Similarity) -> Result<Vec<Scored>> {
        let out = self.sound_trainer()?.similar_items(item, n, sim)?;
        Ok(out.into_iter().map(Scored::from).collect())
    }

    /// Recommendations for a new user from a few `(item, rating)` pairs, with the items held
    /// fixed (fold-in), leaving out the rated items. Matrix factorisation solves for the user's
    /// factors; a network fits the user's embedding rows with its layers held fixed too.
    pub fn fold_in(&self, ratings: &[(usize, f32)], n: usize) -> Result<Vec<Scored>> {
        let t = self.sound_trainer()?;
        let p = t.params();
        let mut skip = vec![false; t.data().n_items()];
        for &(i, _) in ratings {
            if i < skip.len() {
                skip[i] = true;
            }
        }
        if let Some(net) = t.neural() {
            let user = net.fold_in(ratings, p.reg_factor, p.negatives, p.seed)?;
            let scores = user.scores_for_user(0);
            return Ok(crate::ranking::top_items(&scores, &skip, n)
                .into_iter()
                .map(|i| Scored::from((i, user.link(scores[i]))))
                .collect());
        }
        let m = t.mf().ok_or_else(|| {
            Error::NotReady(format!(
                "this model ({}) cannot add a new user",
                p.family.name()
            ))
        })?;
        let user = m.fold_in(ratings, p.reg_factor, p.use_user_bias)?;
        // Ranked by the unclipped score (predictions clipped to the scale's top would tie there);
        // each shown with its prediction.
        let scores: Vec<f32> = (0..m.n_items())
            .map(|i| m.rank_score_new_user(&user, i))
            .collect();
        Ok(crate::ranking::top_items(&scores, &skip, n)
            .into_iter()
            .map(|i| Scored::from((i, m.score_new_user(&user, i))))
            .collect())
    }
}
