//! The optimiser race: SGD, Adam, RMSprop and ALS from the same initial factors on the same
//! split, and beside them the neural families (GMF, MLP, NeuMF), stepped together so their
//! curves can be overlaid.

use super::{EpochDto, RaceLap, Session};
use crate::data::Ratings;
use crate::error::{Error, Result};
use crate::fit::Fitted;
use crate::metrics::accuracy;
use crate::train::{Family, Optimizer, TrainParams};

/// A race in progress: one trainer per optimiser or family, and the test part they share.
pub(super) struct Race {
    racers: Vec<(&'static str, Fitted)>,
    test: Option<Ratings>,
}

impl Session {
    /// Starts an optimiser race: every registered algorithm that races (SGD, Adam, RMSprop and
    /// ALS) from the same initial factors on the same split, each with the given loss if it fits
    /// it, else with its own (ALS fits squared error); then GMF, MLP and NeuMF with their own
    /// defaults and the same number of factors (see [`TrainParams::carried_to`]). Returns their
    /// names.
    pub fn race_start(&mut self, params: TrainParams, test_fraction: f64) -> Result<Vec<String>> {
        let mf = params.carried_to(Family::Mf);
        let (train, test) = self.split(test_fraction, params.seed)?;
        let mut racers = Vec::new();
        for opt in Optimizer::all() {
            let info = opt.algorithm()?.info();
            if !info.race {
                continue;
            }
            let mut p = TrainParams {
                n_factors: params.n_factors,
                ..mf.clone().optimizer(opt)
            };
            if !info.losses.contains(&p.loss) {
                p.loss = info.losses[0];
            }
            racers.push((info.name, self.new_trainer(train.clone(), p)?));
        }
        for family in [Family::Gmf, Family::Mlp, Family::NeuMf] {
            let p = TrainParams {
                n_factors: params.n_factors,
                ..params.carried_to(family)
            };
            racers.push((family.name(), self.new_trainer(train.clone(), p)?));
        }
        let names = racers.iter().map(|(n, _)| n.to_string()).collect();
        self.loaded_mut()?.race = Some(Race { racers, test });
        Ok(names)
    }

    /// Runs `n` more epochs of every racer.
    pub fn race_step(&mut self, n: u32) -> Result<Vec<RaceLap>> {
        let race = self
            .loaded_mut()?
            .race
            .as_mut()
            .ok_or_else(|| Error::NotReady("start a race first".into()))?;
        let test = race.test.as_ref();
        Ok(race
            .racers
            .iter_mut()
            .map(|(name, t)| RaceLap {
                name,
                reports: run_epochs(t, n, test),
            })
            .collect())
    }
}

/// Runs up to `n` epochs (stopping at divergence), each reported with its test errors.
fn run_epochs(t: &mut Fitted, n: u32, test: Option<&Ratings>) -> Vec<EpochDto> {
    let mut reports = Vec::with_capacity(n.min(10_000) as usize);
    for _ in 0..n {
        let Some(r) = t.step() else { break };
        let stop = r.diverged;
        let acc = test.map(|ts| accuracy(ts, |u, i| t.predict(u, i)));
        reports.push(EpochDto::new(r, acc));
        if stop {
            break;
        }
    }
    reports
}
