//! A/B tests on the simulated traffic: the CTR difference with its confidence interval, and
//! what stopping at the first significant look does.

use super::World;
use crate::error::{Error, Result};
use crate::rng::Rng;

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The difference `ctr_b - ctr_a` with a 95% confidence interval (normal approximation for a
/// difference of proportions: `sqrt(pa (1 - pa) / na + pb (1 - pb) / nb)`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Interval {
    pub ctr_a: f64,
    pub ctr_b: f64,
    pub diff: f64,
    pub low: f64,
    pub high: f64,
    /// The interval excludes 0.
    pub significant: bool,
}

/// The interval from clicks and impressions of each arm (`None` until both have impressions).
pub fn interval(clicks_a: u64, shown_a: u64, clicks_b: u64, shown_b: u64) -> Option<Interval> {
    if shown_a == 0 || shown_b == 0 {
        return None;
    }
    let (pa, pb) = (
        clicks_a as f64 / shown_a as f64,
        clicks_b as f64 / shown_b as f64,
    );
    let se = (pa * (1.0 - pa) / shown_a as f64 + pb * (1.0 - pb) / shown_b as f64).sqrt();
    let diff = pb - pa;
    let (low, high) = (diff - Z95 * se, diff + Z95 * se);
    Some(Interval {
        ctr_a: pa,
        ctr_b: pb,
        diff,
        low,
        high,
        significant: se > 0.0 && (low > 0.0 || high < 0.0),
    })
}

/// What peeking does, measured on A/A tests (both arms the same, so every "significant" result
/// is a false alarm).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Peeking {
    pub runs: usize,
    pub rounds: usize,
    /// Share of runs declared significant at the planned end: about 5%, as promised.
    pub false_alarms_at_end: f64,
    /// Share of runs that looked significant at some round, had the test stopped there.
    pub false_alarms_peeking: f64,
    /// For each round, the share of runs that had stopped (first significant look) by then.
    pub stopped_by_round: Vec<f64>,
}

/// Runs `runs` A/A tests of `rounds` rounds with `users_per_round` requests each, every request
/// shown a uniformly random item and sent to A or B at random. Looks after every round.
pub fn aa_peeking(
    world: &World,
    users_per_round: usize,
    rounds: usize,
    runs: usize,
    seed: u64,
) -> Result<Peeking> {
    if runs == 0 || rounds == 0 || users_per_round == 0 {
        return Err(Error::invalid(
            "runs",
            runs.min(rounds).min(users_per_round),
            "runs, rounds and users per round must be positive",
        ));
    }
    if runs.saturating_mul(rounds).saturating_mul(users_per_round) > 50_000_000 {
        return Err(Error::invalid(
            "runs",
            runs,
            "runs x rounds x users per round must be at most 50,000,000",
        ));
    }
    let (nu, ni) = (world.n_users(), world.n_items());
    // Each run is seeded alone, so the runs go on the threads there are and the counts are the
    // same on any number of them.
    let outcomes = crate::parallel::map((0..runs).collect(), |run: usize| {
        let mut rng = Rng::new(seed.wrapping_mul(1_000_003).wrapping_add(run as u64));
        let (mut ca, mut na, mut cb, mut nb) = (0u64, 0u64, 0u64, 0u64);
        let mut first: Option<usize> = None;
        let mut last = None;
        for t in 0..rounds {
            for _ in 0..users_per_round {
                let u = rng.below(nu);
                let i = rng.below(ni);
                let click = (rng.next_f64() < world.prob(u, i) as f64) as u64;
                if rng.next_u64() >> 63 == 0 {
                    na += 1;
                    ca += click;
                } else {
                    nb += 1;
                    cb += click;
                }
            }
            last = interval(ca, na, cb, nb);
            if first.is_none() && last.is_some_and(|iv| iv.significant) {
                first = Some(t);
            }
        }
        (last.is_some_and(|iv| iv.significant), first)
    });
    let mut at_end = 0usize;
    let mut peeked = 0usize;
    let mut stopped = vec![0usize; rounds];
    for (significant, first) in outcomes {
        if significant {
            at_end += 1;
        }
        if let Some(t) = first {
            peeked += 1;
            stopped[t] += 1;
        }
    }
    let mut acc = 0usize;
    let stopped_by_round = stopped
        .iter()
        .map(|&n| {
            acc += n;
            acc as f64 / runs as f64
        })
        .collect();
    Ok(Peeking {
        runs,
        rounds,
        false_alarms_at_end: at_end as f64 / runs as f64,
        false_alarms_peeking: peeked as f64 / runs as f64,
        stopped_by_round,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_is_centred_on_the_difference_and_narrows_with_traffic() {
        let small = interval(10, 100, 20, 100).unwrap();
        assert!((small.diff - 0.1).abs() < 1e-12);
        assert!(small.low < small.diff && small.diff < small.high);
        let big = interval(1000, 10_000, 2000, 10_000).unwrap();
        assert!(big.high - big.low < (small.high - small.low) / 5.0);
        assert!(big.significant);
        assert_eq!(interval(0, 0, 1, 2), None);
        assert!(!interval(0, 10, 0, 10).unwrap().significant);
    }

    #[test]
    fn peeking_raises_false_alarms_well_above_the_fixed_horizon() {
        let w = World::from_probabilities(
            4,
            3,
            vec![
                0.1, 0.3, 0.05, 0.2, 0.1, 0.4, 0.15, 0.2, 0.1, 0.05, 0.3, 0.2,
            ],
        )
        .unwrap();
        let p = aa_peeking(&w, 20, 100, 400, 3).unwrap();
        assert!(p.false_alarms_at_end < 0.09, "{p:?}");
        assert!(
            p.false_alarms_peeking > 2.0 * p.false_alarms_at_end.max(0.05),
            "{p:?}"
        );
        assert_eq!(p.stopped_by_round.len(), 100);
        assert!((p.stopped_by_round[99] - p.false_alarms_peeking).abs() < 1e-12);
    }
}
