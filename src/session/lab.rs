//! The exploration lab in the session: a world (generated, or the trained model taken as the
//! truth) and policies compared side by side, or an A/B test with its interval round by round,
//! or A/A tests with and without peeking (see [`crate::lab`]).

use super::Session;
use crate::data::Feedback;
use crate::error::{Error, Result};
use crate::lab::ope::{self, OpeConfig, OpeReport};
use crate::lab::{ab, Lab, LabConfig, Policy, World};

/// The lab set up, and whether it is an A/B test.
pub(super) struct LabRun {
    lab: Lab,
    ab: bool,
}

/// Where the lab's world comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum WorldSource {
    /// Its own generated world (users with strong tastes for genres; cold items included).
    Generated,
    /// The current trained model, treated as the truth.
    Model,
}

/// How to set up the lab.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct LabSetup {
    pub world: WorldSource,
    /// The generated world's size, genres and seed.
    pub world_users: usize,
    pub world_items: usize,
    pub world_genres: usize,
    pub world_seed: u64,
    /// Compare these policies, or with `ab`, test the first (A) against the second (B).
    pub policies: Vec<Policy>,
    pub ab: bool,
    pub config: LabConfig,
}

impl Default for LabSetup {
    fn default() -> Self {
        LabSetup {
            world: WorldSource::Generated,
            world_users: World::DEFAULT_SIZE.0,
            world_items: World::DEFAULT_SIZE.1,
            world_genres: World::DEFAULT_SIZE.2,
            world_seed: 1,
            policies: vec![
                Policy::Greedy,
                Policy::EpsilonGreedy,
                Policy::Ucb,
                Policy::Thompson,
            ],
            ab: false,
            config: LabConfig::default(),
        }
    }
}

/// What the lab reports after some rounds: each round's figures per arm, and for an A/B test
/// the interval of B - A after each round.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabRounds {
    pub rounds: Vec<Vec<crate::lab::RoundStats>>,
    pub intervals: Option<Vec<Option<ab::Interval>>>,
}

impl Session {
    /// Sets up the exploration lab (see [`crate::lab`]): a policy comparison, or with `setup.ab`
    /// an A/B test, each in a place of its own so neither ends the other. Returns the arms'
    /// names.
    pub fn lab_start(&mut self, setup: &LabSetup) -> Result<Vec<String>> {
        let world = match setup.world {
            WorldSource::Generated => World::generated(
                setup.world_users,
                setup.world_items,
                setup.world_genres,
                setup.world_seed,
            )?,
            WorldSource::Model => {
                let t = self.sound_trainer()?;
                let scale = (t.data().feedback() == Feedback::Explicit).then(|| t.data().scale());
                match (t.mf(), t.neural()) {
                    (Some(m), _) => World::from_model(m, scale)?,
                    (None, Some(net)) => {
                        let probabilities = net.output == crate::model::Output::Sigmoid;
                        World::from_predictions(
                            net.n_users,
                            net.n_items,
                            probabilities,
                            scale,
                            |u, i| net.predict(u, i),
                        )?
                    }
                    (None, None) => {
                        return Err(Error::NotReady(format!(
                            "this model ({}) cannot serve as the lab's world",
                            t.params().family.name()
                        )))
                    }
                }
            }
        };
        let lab = if setup.ab {
            let [a, b] = setup.policies[..] else {
                return Err(Error::invalid(
                    "policies",
                    setup.policies.len(),
                    "an A/B test needs exactly two configurations, A and B",
                ));
            };
            Lab::ab(world, setup.config.clone(), a, b)?
        } else {
            Lab::compare(world, setup.config.clone(), &setup.policies)?
        };
        let names = lab.arms().iter().map(|a| a.name().to_string()).collect();
        let run = Some(LabRun { lab, ab: setup.ab });
        if setup.ab {
            self.ab_test = run;
        } else {
            self.lab = run;
        }
        Ok(names)
    }

    /// Runs `n` rounds (at most 1,000 a call) of the policy comparison, or with `ab` of the
    /// A/B test.
    pub fn lab_step(&mut self, n: usize, ab: bool) -> Result<LabRounds> {
        let run = if ab { &mut self.ab_test } else { &mut self.lab };
        let LabRun { lab, ab: is_ab } = run.as_mut().ok_or_else(|| {
            Error::NotReady(if ab {
                "start the A/B test first".into()
            } else {
                "start the lab first".into()
            })
        })?;
        let mut rounds = Vec::new();
        let mut intervals = Vec::new();
        for _ in 0..n.min(1_000) {
            let r = lab.step()?;
            if *is_ab {
                intervals.push(ab::interval(
                    r[0].clicks,
                    r[0].impressions,
                    r[1].clicks,
                    r[1].impressions,
                ));
            }
            rounds.push(r);
        }
        Ok(LabRounds {
            rounds,
            intervals: is_ab.then_some(intervals),
        })
    }

    /// A/A tests on the lab's world (see [`ab::aa_peeking`]).
    pub fn aa_peeking(
        &self,
        users_per_round: usize,
        rounds: usize,
        runs: usize,
        seed: u64,
    ) -> Result<ab::Peeking> {
        let LabRun { lab, .. } = self
            .lab
            .as_ref()
            .or(self.ab_test.as_ref())
            .ok_or_else(|| Error::NotReady("start the lab first".into()))?;
        ab::aa_peeking(lab.world(), users_per_round, rounds, runs, seed)
    }

    /// Off-policy estimates on the lab's world (see [`ope::estimate`]): the logging and target
    /// policies choose by the lab's first model (trained on the warm-up log), which is also the
    /// reward model of DM and DR.
    pub fn lab_off_policy(&self, cfg: &OpeConfig) -> Result<OpeReport> {
        let LabRun { lab, .. } = self
            .lab
            .as_ref()
            .or(self.ab_test.as_ref())
            .ok_or_else(|| Error::NotReady("start the lab first".into()))?;
        ope::estimate(lab.world(), lab.first_model(), cfg)
    }
}
