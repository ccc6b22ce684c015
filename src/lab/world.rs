//! The simulated world: users who click a shown item with a probability their hidden true
//! preferences give.

use crate::data::Scale;
use crate::error::{Error, Result};
use crate::model::{sigmoid, MfModel, Output};

/// The largest world the lab simulates (its click probabilities are kept as a dense table).
pub const MAX_USERS: usize = 5_000;
/// See [`MAX_USERS`].
pub const MAX_ITEMS: usize = 5_000;

/// True click probabilities for every user and item.
#[derive(Debug, Clone, PartialEq)]
pub struct World {
    n_users: usize,
    n_items: usize,
    /// Row-major `n_users x n_items`.
    p: Vec<f32>,
}

impl World {
    /// A world whose truth is `truth`: the synthetic generator's ground truth, or a model
    /// trained on real data and then treated as the truth.
    ///
    /// A model with a sigmoid output (implicit data) gives click probabilities directly. A
    /// rating model clicks with probability `sigmoid(rating - midpoint)`, the midpoint of
    /// `scale` (3 on a 1-5 scale): a top rating is a likely click, a bottom one an unlikely one.
    pub fn from_model(truth: &MfModel, scale: Option<Scale>) -> Result<World> {
        if !truth.is_finite() {
            return Err(Error::NotReady(
                "the model diverged: it cannot serve as the truth".into(),
            ));
        }
        let probabilities = truth.output == Output::Sigmoid;
        World::from_predictions(
            truth.n_users(),
            truth.n_items(),
            probabilities,
            scale,
            |u, i| truth.predict(u, i),
        )
    }

    /// A world whose truth is any model's predictions (a network's, say): click probabilities
    /// when `probabilities`, else ratings on `scale` read as [`World::from_model`] reads them.
    pub fn from_predictions(
        n_users: usize,
        n_items: usize,
        probabilities: bool,
        scale: Option<Scale>,
        predict: impl Fn(usize, usize) -> f32,
    ) -> Result<World> {
        if n_users == 0 || n_items < 2 {
            return Err(Error::EmptyDataset(
                "the lab needs at least one user and two items".into(),
            ));
        }
        if n_users > MAX_USERS || n_items > MAX_ITEMS {
            return Err(Error::TooLarge(format!(
                "the lab simulates at most {MAX_USERS} users and {MAX_ITEMS} items; this data has {n_users} x {n_items}"
            )));
        }
        let mid = scale.map_or(3.0, |s| (s.min + s.max) / 2.0);
        let mut p = Vec::with_capacity(n_users * n_items);
        for u in 0..n_users {
            for i in 0..n_items {
                let v = predict(u, i);
                if !v.is_finite() {
                    return Err(Error::NotReady(
                        "the model diverged: it cannot serve as the truth".into(),
                    ));
                }
                let v = if probabilities { v } else { sigmoid(v - mid) };
                p.push(v.clamp(0.0, 1.0));
            }
        }
        Ok(World {
            n_users,
            n_items,
            p,
        })
    }

    /// The default generated world's users, items and genres: enough items that a policy which
    /// only exploits runs through the good ones it knows (clicked items are not shown again)
    /// while the explorers find more, so the lesson is true and visible on every seed tried
    /// (UCB and Thompson end with less regret than greedy on 10 of 10; tests/lab.rs).
    pub const DEFAULT_SIZE: (usize, usize, usize) = (100, 200, 5);

    /// The lab's own generated world: `users` with strong tastes for one of `genres`, `items`
    /// spread over the genres, clicks rarer than not (the synthetic generator with taste 2 and
    /// click offset 1; see [`crate::synthetic`]).
    pub fn generated(users: usize, items: usize, genres: usize, seed: u64) -> Result<World> {
        let s = crate::synthetic::generate(&crate::synthetic::SyntheticParams {
            n_users: users,
            n_items: items,
            n_clusters: genres,
            rank: genres.max(2),
            implicit: true,
            taste: 2.0,
            click_offset: 1.0,
            seed,
            ..Default::default()
        })?;
        World::from_model(&s.truth, None)
    }

    /// A world from a table of probabilities (row-major), for tests and tools.
    pub fn from_probabilities(n_users: usize, n_items: usize, p: Vec<f32>) -> Result<World> {
        if p.len() != n_users * n_items || n_users == 0 || n_items < 2 {
            return Err(Error::invalid(
                "probabilities",
                p.len(),
                format!("need {n_users} x {n_items} values, at least 1 x 2"),
            ));
        }
        if p.iter().any(|v| !(0.0..=1.0).contains(v)) {
            return Err(Error::invalid(
                "probabilities",
                "a value",
                "must lie in 0..1",
            ));
        }
        Ok(World {
            n_users,
            n_items,
            p,
        })
    }

    pub fn n_users(&self) -> usize {
        self.n_users
    }

    pub fn n_items(&self) -> usize {
        self.n_items
    }

    /// The probability that `u` clicks `i` when shown it.
    pub fn prob(&self, u: usize, i: usize) -> f32 {
        self.p[u * self.n_items + i]
    }

    /// The oracle: the item `u` is likeliest to click among those `allowed`, with its
    /// probability (`None` if nothing is allowed).
    pub fn best(&self, u: usize, allowed: impl Fn(usize) -> bool) -> Option<(usize, f32)> {
        let row = &self.p[u * self.n_items..(u + 1) * self.n_items];
        let mut best: Option<(usize, f32)> = None;
        for (i, &v) in row.iter().enumerate() {
            if allowed(i) && best.is_none_or(|(_, b)| v > b) {
                best = Some((i, v));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_models_predictions_are_a_world_probabilities_as_they_are_ratings_around_the_middle() {
        let w =
            World::from_predictions(2, 3, true, None, |u, i| (u * 3 + i) as f32 / 10.0).unwrap();
        assert_eq!((w.prob(1, 2), w.prob(0, 0)), (0.5, 0.0));
        let scale = Some(Scale {
            min: 0.0,
            max: 10.0,
        });
        let w = World::from_predictions(1, 2, false, scale, |_, i| [5.0, 9.0][i]).unwrap();
        assert_eq!(w.prob(0, 0), 0.5);
        assert!((w.prob(0, 1) - sigmoid(4.0)).abs() < 1e-6);
        let e = World::from_predictions(1, 2, true, None, |_, _| f32::NAN).unwrap_err();
        assert!(e.to_string().contains("diverged"), "{e}");
    }

    #[test]
    fn a_rating_truth_clicks_more_on_higher_ratings_and_the_oracle_finds_the_best() {
        let mut m = MfModel::zeros(1, 3, 1, Output::Identity);
        m.item_bias[0] = 1.0;
        m.item_bias[1] = 5.0;
        m.item_bias[2] = 3.0;
        let w = World::from_model(&m, Some(Scale { min: 1.0, max: 5.0 })).unwrap();
        assert!(w.prob(0, 1) > w.prob(0, 2) && w.prob(0, 2) > w.prob(0, 0));
        assert!((w.prob(0, 2) - 0.5).abs() < 1e-6);
        assert_eq!(w.best(0, |_| true).unwrap().0, 1);
        assert_eq!(w.best(0, |i| i != 1).unwrap().0, 2);
        assert_eq!(w.best(0, |_| false), None);
    }

    #[test]
    fn oversized_or_bad_worlds_are_refused() {
        let m = MfModel::zeros(MAX_USERS + 1, 2, 1, Output::Sigmoid);
        assert_eq!(World::from_model(&m, None).unwrap_err().code(), "too_large");
        assert!(World::from_probabilities(1, 2, vec![0.5, 1.5]).is_err());
        assert!(World::from_probabilities(1, 2, vec![0.5]).is_err());
    }
}
