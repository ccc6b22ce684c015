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
        for family in Family::ALL.into_iter().filter(|f| f.info().race) {
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

    /// Runs `n` more epochs of every racer, or of the racers `entries` names (by their place
    /// in [`Session::race_start`]'s list, in that order). Racers are independent, so a pool of
    /// engines may share them out: each started the same race and steps its own entries, and
    /// an entry stepped anywhere gives the same numbers.
    pub fn race_step(&mut self, n: u32, entries: Option<&[usize]>) -> Result<Vec<RaceLap>> {
        let race = self
            .loaded_mut()?
            .race
            .as_mut()
            .ok_or_else(|| Error::NotReady("start a race first".into()))?;
        let len = race.racers.len();
        let mut chosen = vec![entries.is_none(); len];
        for &e in entries.unwrap_or(&[]) {
            if e >= len {
                return Err(Error::OutOfRange {
                    what: "racer",
                    index: e,
                    len,
                });
            }
            chosen[e] = true;
        }
        let test = race.test.as_ref();
        Ok(race
            .racers
            .iter_mut()
            .zip(chosen)
            .filter(|(_, c)| *c)
            .map(|((name, t), _)| RaceLap {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Limits;
    use crate::synthetic::SyntheticParams;

    fn curves(laps: &[RaceLap]) -> Vec<(&'static str, Vec<f32>)> {
        laps.iter()
            .map(|l| {
                (
                    l.name,
                    l.reports.iter().map(|r| r.test_rmse.unwrap()).collect(),
                )
            })
            .collect()
    }

    /// Two engines that started the same race and step their own racers give every racer's
    /// numbers as one engine stepping them all: what lets the page share a race out to a pool.
    #[test]
    fn racers_stepped_apart_give_the_numbers_of_racers_stepped_together() {
        let engine = || {
            let mut s = Session::new(Limits::PAGE, None);
            s.generate(&SyntheticParams::default()).unwrap();
            s.race_start(TrainParams::new(4), 0.2).unwrap();
            s
        };
        let mut whole = engine();
        let together = curves(&whole.race_step(3, None).unwrap());
        let (mut a, mut b) = (engine(), engine());
        let n = together.len();
        let odd: Vec<usize> = (1..n).step_by(2).collect();
        let even: Vec<usize> = (0..n).step_by(2).collect();
        // One engine catches up on its racers in one request, the other epoch by epoch.
        let mut apart = curves(&a.race_step(3, Some(&odd)).unwrap());
        let mut by_epoch = curves(&b.race_step(1, Some(&even)).unwrap());
        for _ in 0..2 {
            for (c, more) in by_epoch
                .iter_mut()
                .zip(curves(&b.race_step(1, Some(&even)).unwrap()))
            {
                c.1.extend(more.1);
            }
        }
        apart.extend(by_epoch);
        apart.sort_by_key(|(name, _)| together.iter().position(|(n, _)| n == name));
        assert_eq!(apart, together);
        let e = a.race_step(1, Some(&[n])).unwrap_err();
        assert!(
            e.to_string().contains(&format!("racer {n} does not exist")),
            "{e}"
        );
    }
}
