//! The balance between model size, accuracy and compute: a grid over model families, MLP towers,
//! factors, regularisation and epochs, every point trained from the same seed on the same split,
//! and the Pareto fronts of test error against the number of parameters (the tower's included)
//! and against training time.
//!
//! A point is on a front when no other point is at least as good on both axes and better on
//! one: the models worth choosing between. Everything off the front is beaten outright.
//!
//! ```
//! use mf_playground::data::builtin;
//! use mf_playground::data::split::holdout;
//! use mf_playground::sweep::{pareto_front, run_point, SweepGrid};
//! use mf_playground::train::{Loss, TrainParams};
//!
//! let split = holdout(&builtin::seed_10x10(), 0.2, 1)?;
//! let base = TrainParams::new(2).loss(Loss::Logistic).learning_rate(0.1);
//! let grid = SweepGrid { factors: vec![1, 2, 4], regs: vec![0.01], epochs: vec![20], ..Default::default() };
//! let points: Vec<_> = grid
//!     .params(&base)?
//!     .iter()
//!     .enumerate()
//!     .map(|(k, p)| run_point(k, &split.train, &split.test, p, None))
//!     .collect::<Result<_, _>>()?;
//! let front = pareto_front(&points, |p| p.parameters as f64);
//! assert!(front.iter().any(|&on| on));
//! # Ok::<(), mf_playground::Error>(())
//! ```

use crate::cv::fit_and_test;
use crate::data::{Feedback, Ratings};
use crate::error::{Error, Result};
use crate::metrics::loo::leave_one_out_ranking_by_user;
use crate::train::{Clock, Family, TrainParams};

/// The most points a sweep may have.
pub const MAX_POINTS: usize = 400;

/// The values to try; every combination is one point.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SweepGrid {
    /// The families to train; none: the base parameters' family alone.
    pub families: Vec<Family>,
    /// The MLP towers to try for families with one; none: the base parameters' tower alone.
    pub towers: Vec<Vec<usize>>,
    pub factors: Vec<usize>,
    pub regs: Vec<f32>,
    pub epochs: Vec<usize>,
}

impl Default for SweepGrid {
    /// Factors 1 to 256 in doubling steps, two regularisation strengths, two training lengths:
    /// 36 points.
    fn default() -> Self {
        SweepGrid {
            families: Vec::new(),
            towers: Vec::new(),
            factors: vec![1, 2, 4, 8, 16, 32, 64, 128, 256],
            regs: vec![0.02, 0.1],
            epochs: vec![10, 30],
        }
    }
}

impl SweepGrid {
    /// The parameters of every point: each family (with each tower when it has an MLP), each
    /// combination of factors, regularisation (of factors and biases alike) and epochs, the
    /// family varying slowest, then the tower, the factors. The base's own family trains with
    /// the base parameters; another family starts from its own defaults
    /// ([`TrainParams::for_family`]) with the base's seed, loss and batch size.
    pub fn params(&self, base: &TrainParams) -> Result<Vec<TrainParams>> {
        if self.factors.is_empty() || self.regs.is_empty() || self.epochs.is_empty() {
            return Err(Error::invalid(
                "grid",
                "an empty list",
                "give at least one value each for factors, regularisation and epochs",
            ));
        }
        let families = match self.families.is_empty() {
            true => vec![base.family],
            false => self.families.clone(),
        };
        let towers = match self.towers.is_empty() {
            true => vec![base.layers.clone()],
            false => self.towers.clone(),
        };
        let shapes: Vec<(Family, &Vec<usize>)> = families
            .iter()
            .flat_map(|&f| {
                let n = if f.has_mlp() { towers.len() } else { 1 };
                towers[..n].iter().map(move |t| (f, t))
            })
            .collect();
        let n = shapes.len() * self.factors.len() * self.regs.len() * self.epochs.len();
        if n > MAX_POINTS {
            return Err(Error::invalid(
                "grid",
                n,
                format!("at most {MAX_POINTS} points"),
            ));
        }
        let mut out = Vec::with_capacity(n);
        for (family, tower) in shapes {
            let start = base.carried_to(family);
            for &k in &self.factors {
                for &reg in &self.regs {
                    for &e in &self.epochs {
                        let mut p = start.clone();
                        if family.has_mlp() {
                            p.layers = tower.clone();
                        }
                        p.n_factors = k;
                        p.reg_bias = reg;
                        p.reg_factor = reg;
                        p.n_epochs = e;
                        if e == 0 {
                            return Err(Error::invalid("epochs", 0, "must be at least 1"));
                        }
                        out.push(p.check()?);
                    }
                }
            }
        }
        Ok(out)
    }
}

/// One trained point of the sweep.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SweepPoint {
    pub index: usize,
    pub family: Family,
    /// The MLP tower, for families with one (empty otherwise).
    pub layers: Vec<usize>,
    pub n_factors: usize,
    pub reg: f32,
    pub epochs: usize,
    /// The model's size: for MF biases and factors, `(users + items) x (factors + 1)` plus
    /// `mu`; for a network its embeddings, tower and output layer.
    pub parameters: usize,
    pub train_rmse: f32,
    pub test_rmse: f32,
    pub test_mae: f32,
    /// For 0/1 data: HR@10 by NCF's sampled protocol (each test 1 among 99 items the user never
    /// had), what the fronts weigh there instead of RMSE.
    pub test_hr: Option<f32>,
    /// Time in the training updates, in milliseconds.
    pub millis: f64,
    pub diverged: bool,
}

impl SweepPoint {
    /// What the fronts minimise: the test RMSE of ratings, 1 - HR@10 for 0/1 data.
    pub fn error(&self) -> f32 {
        self.test_hr.map_or(self.test_rmse, |hr| 1.0 - hr)
    }
}

/// Trains `params` (its `n_epochs` epochs) on `train` and tests on `test`, as a fold of
/// cross-validation is ([`crate::cv::fit_and_test`]).
pub fn run_point(
    index: usize,
    train: &Ratings,
    test: &Ratings,
    params: &TrainParams,
    clock: Option<Clock>,
) -> Result<SweepPoint> {
    let (t, r) = fit_and_test(train, test, params, clock)?;
    // For 0/1 data a probability's RMSE says little about the ranking: HR@10, as NCF measures.
    let test_hr = (train.feedback() == Feedback::Implicit && !r.diverged)
        .then(|| {
            let ones: Vec<usize> = (0..test.len())
                .filter(|&j| test.values()[j] > 0.0)
                .collect();
            let ones = test.subset(&ones);
            (!ones.is_empty())
                .then(|| {
                    leave_one_out_ranking_by_user(train, &ones, 10, 99, params.seed, |u| {
                        t.scores_for_user(u)
                    })
                    .ok()
                })
                .flatten()
        })
        .flatten()
        .map(|m| m.hit_ratio as f32);
    Ok(SweepPoint {
        index,
        family: params.family,
        layers: match params.family.has_mlp() {
            true => params.layers.clone(),
            false => Vec::new(),
        },
        n_factors: params.n_factors,
        reg: params.reg_factor,
        epochs: params.n_epochs,
        parameters: t.n_parameters(),
        train_rmse: r.train_rmse,
        test_rmse: r.test_rmse,
        test_mae: r.test_mae,
        test_hr,
        millis: r.millis,
        diverged: r.diverged,
    })
}

/// For each point, whether it is on the Pareto front of its test error ([`SweepPoint::error`])
/// against `cost` (both to be small). Diverged points and points with a non-finite error are
/// never on it.
pub fn pareto_front(points: &[SweepPoint], cost: impl Fn(&SweepPoint) -> f64) -> Vec<bool> {
    let ok = |p: &SweepPoint| !p.diverged && p.error().is_finite() && cost(p).is_finite();
    points
        .iter()
        .map(|p| {
            ok(p)
                && !points.iter().any(|q| {
                    ok(q)
                        && cost(q) <= cost(p)
                        && q.error() <= p.error()
                        && (cost(q) < cost(p) || q.error() < p.error())
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(index: usize, parameters: usize, test_rmse: f32, millis: f64) -> SweepPoint {
        SweepPoint {
            index,
            family: Family::Mf,
            layers: Vec::new(),
            n_factors: 1,
            reg: 0.0,
            epochs: 1,
            parameters,
            train_rmse: 0.0,
            test_rmse,
            test_mae: 0.0,
            test_hr: None,
            millis,
            diverged: false,
        }
    }

    #[test]
    fn the_front_keeps_exactly_the_points_nothing_beats() {
        let pts = vec![
            point(0, 10, 1.0, 5.0),
            point(1, 20, 0.9, 1.0),
            point(2, 30, 0.95, 2.0), // beaten by 1: bigger and worse
            point(3, 40, 0.8, 9.0),
            point(4, 40, 0.8, 9.0), // a tie: both stay
        ];
        assert_eq!(
            pareto_front(&pts, |p| p.parameters as f64),
            [true, true, false, true, true]
        );
        assert_eq!(
            pareto_front(&pts, |p| p.millis),
            [false, true, false, true, true]
        );
        let mut bad = pts.clone();
        bad[1].diverged = true;
        assert_eq!(
            pareto_front(&bad, |p| p.parameters as f64),
            [true, false, true, true, true]
        );
    }

    #[test]
    fn grids_are_checked_and_expanded_in_order() {
        let base = TrainParams::new(2);
        let g = SweepGrid {
            factors: vec![1, 4],
            regs: vec![0.1],
            epochs: vec![5, 10],
            ..SweepGrid::default()
        };
        let p = g.params(&base).unwrap();
        let got: Vec<(usize, usize)> = p.iter().map(|p| (p.n_factors, p.n_epochs)).collect();
        assert_eq!(got, [(1, 5), (1, 10), (4, 5), (4, 10)]);
        assert_eq!(SweepGrid::default().params(&base).unwrap().len(), 36);
        let empty = SweepGrid {
            regs: vec![],
            ..SweepGrid::default()
        };
        assert!(empty.params(&base).is_err());
        let huge = SweepGrid {
            factors: vec![100_000],
            ..SweepGrid::default()
        };
        assert_eq!(huge.params(&base).unwrap_err().code(), "invalid_param");
    }

    #[test]
    fn on_0_1_data_the_fronts_weigh_hit_ratio_not_rmse() {
        // Point 1 has the better RMSE but the worse HR@10: on 0/1 data it is beaten.
        let mut a = point(0, 10, 0.30, 1.0);
        a.test_hr = Some(0.6);
        let mut b = point(1, 10, 0.20, 1.0);
        b.test_hr = Some(0.4);
        assert_eq!(
            pareto_front(&[a.clone(), b.clone()], |p| p.parameters as f64),
            [true, false]
        );
        // And a sweep of 0/1 data measures it; a sweep of ratings does not.
        let mut b = crate::data::RatingsBuilder::new(Feedback::Implicit);
        let mut rng = crate::rng::Rng::new(5);
        for u in 0..60 {
            for i in 0..200 {
                if (u + i) % 2 == 0 && rng.next_f64() < 0.1 {
                    b.push(&format!("u{u}"), &format!("i{i}"), 1.0).unwrap();
                }
            }
        }
        let data = b.build().unwrap();
        let s = crate::data::split::holdout(&data, 0.2, 1).unwrap();
        let p = TrainParams::new(2)
            .loss(crate::train::Loss::Logistic)
            .learning_rate(0.05)
            .negatives(4)
            .n_epochs(10);
        let r = run_point(0, &s.train, &s.test, &p, None).unwrap();
        let hr = r.test_hr.unwrap();
        assert!(hr > 0.0 && hr <= 1.0, "{hr}");
        assert_eq!(r.error(), 1.0 - hr);
        let ratings = crate::data::split::holdout(
            &crate::synthetic::generate(&Default::default())
                .unwrap()
                .ratings,
            0.2,
            1,
        )
        .unwrap();
        let r = run_point(
            0,
            &ratings.train,
            &ratings.test,
            &TrainParams::new(2).n_epochs(1),
            None,
        )
        .unwrap();
        assert_eq!((r.test_hr, r.error()), (None, r.test_rmse));
    }

    #[test]
    fn families_and_towers_expand_with_each_familys_own_defaults() {
        let base = TrainParams::new(2).learning_rate(0.02).seed(9);
        let g = SweepGrid {
            families: vec![Family::Mf, Family::Gmf, Family::Mlp],
            towers: vec![vec![8, 4], vec![16, 8, 4]],
            factors: vec![4],
            regs: vec![0.0],
            epochs: vec![3],
        };
        let p = g.params(&base).unwrap();
        let shapes: Vec<(Family, usize)> = p.iter().map(|p| (p.family, p.layers.len())).collect();
        assert_eq!(
            shapes,
            [
                (Family::Mf, 4),
                (Family::Gmf, 4),
                (Family::Mlp, 2),
                (Family::Mlp, 3)
            ]
        );
        // MF keeps the base's rate; a network starts from its own (He et al.'s 0.001) and the
        // base's seed.
        assert_eq!(p[0].learning_rate, 0.02);
        assert_eq!((p[1].learning_rate, p[1].seed), (0.001, 9));
        let bad = SweepGrid {
            towers: vec![vec![8, 0]],
            ..g
        };
        assert!(bad
            .params(&base)
            .unwrap_err()
            .to_string()
            .contains("size 0"));
    }
}
