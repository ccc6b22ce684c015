//! The balance sweep: models of every size in a grid trained on one split, their test error
//! against parameters and against training time, and the Pareto fronts of both.

use super::Session;
use crate::data::Ratings;
use crate::error::{Error, Result};
use crate::sweep::{pareto_front, run_point, SweepGrid, SweepPoint};
use crate::train::TrainParams;

/// A sweep in progress: every point's parameters, the split, and the points trained so far.
pub(super) struct Sweep {
    params: Vec<TrainParams>,
    train: Ratings,
    test: Ratings,
    results: Vec<Option<SweepPoint>>,
}

/// Which sweep points are on the Pareto fronts (test RMSE against size, against time).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SweepFronts {
    pub points: Vec<SweepPoint>,
    pub by_size: Vec<bool>,
    pub by_time: Vec<bool>,
}

impl Session {
    /// Prepares the balance sweep: every point of `grid` on `base` (its seed, learning rate,
    /// optimiser...), on the split `configure` would make with `test_fraction`. Returns the
    /// number of points.
    pub fn sweep_start(
        &mut self,
        base: TrainParams,
        grid: &SweepGrid,
        test_fraction: f64,
    ) -> Result<usize> {
        let data = self.data_ref()?;
        let params = grid.params(&base)?;
        for p in &params {
            self.limits.check_model(data, p)?;
        }
        let (train, test) = self.split(test_fraction, base.seed)?;
        let test = test.ok_or_else(|| {
            Error::invalid(
                "test_fraction",
                test_fraction,
                "the sweep measures test error: set a test share above 0",
            )
        })?;
        let n = params.len();
        self.loaded_mut()?.sweep = Some(Sweep {
            params,
            train,
            test,
            results: vec![None; n],
        });
        Ok(n)
    }

    /// Trains and tests point `index` of the prepared sweep.
    pub fn sweep_point(&mut self, index: usize) -> Result<SweepPoint> {
        let clock = self.clock;
        let s = self
            .loaded_mut()?
            .sweep
            .as_mut()
            .ok_or_else(|| Error::NotReady("start a sweep first".into()))?;
        let p = s.params.get(index).ok_or(Error::OutOfRange {
            what: "sweep point",
            index,
            len: s.params.len(),
        })?;
        let r = run_point(index, &s.train, &s.test, p, clock)?;
        s.results[index] = Some(r.clone());
        Ok(r)
    }

    /// Records point `point.index` of the prepared sweep as trained elsewhere: by another engine
    /// holding the same data and sweep (the page's pool of workers). A point that is not this
    /// sweep's (its index, model, size or epochs differ) is refused.
    pub fn sweep_record(&mut self, point: SweepPoint) -> Result<()> {
        let s = self
            .loaded_mut()?
            .sweep
            .as_mut()
            .ok_or_else(|| Error::NotReady("start a sweep first".into()))?;
        let p = s.params.get(point.index).ok_or(Error::OutOfRange {
            what: "sweep point",
            index: point.index,
            len: s.params.len(),
        })?;
        let layers: &[usize] = if p.family.has_mlp() { &p.layers } else { &[] };
        let same = point.family == p.family
            && point.layers == layers
            && point.n_factors == p.n_factors
            && point.reg == p.reg_factor
            && point.epochs == p.n_epochs;
        if !same {
            return Err(Error::invalid(
                "sweep point",
                point.index,
                "was trained with other parameters than this sweep's point of that index",
            ));
        }
        let index = point.index;
        s.results[index] = Some(point);
        Ok(())
    }

    /// The points trained so far and which are on the Pareto fronts.
    pub fn sweep_fronts(&self) -> Result<SweepFronts> {
        let s = self
            .loaded()?
            .sweep
            .as_ref()
            .ok_or_else(|| Error::NotReady("start a sweep first".into()))?;
        let points: Vec<SweepPoint> = s.results.iter().flatten().cloned().collect();
        Ok(SweepFronts {
            by_size: pareto_front(&points, |p| p.parameters as f64),
            by_time: pareto_front(&points, |p| p.millis),
            points,
        })
    }
}
