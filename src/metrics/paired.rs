//! Is a difference between two models real? Paired statistics over the same test users: a
//! bootstrap confidence interval of the mean difference (Efron & Tibshirani 1993, percentile
//! interval) and the Wilcoxon signed-rank test (Wilcoxon 1945), computed as SciPy's
//! `scipy.stats.wilcoxon` computes it by default (zeros dropped; an exact null distribution for
//! up to 50 differences without ties or zeros, every sign flip for up to 13 with them, else the
//! normal approximation with the tie correction and no continuity correction), so its p-values
//! can be checked against SciPy's.

use crate::error::{Error, Result};
use crate::rng::Rng;

/// Two models' per-user figures side by side, and what their difference (`b - a`) looks like.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Paired {
    /// Users measured by both.
    pub n: usize,
    pub mean_a: f64,
    pub mean_b: f64,
    /// Mean of `b - a` over the users.
    pub mean_diff: f64,
    /// The 95% percentile bootstrap interval of the mean difference.
    pub ci_low: f64,
    pub ci_high: f64,
    pub bootstrap_rounds: usize,
    /// Users whose two figures differ (the test's sample; ties at zero are dropped).
    pub n_nonzero: usize,
    /// The smaller of the signed-rank sums (SciPy's statistic for a two-sided test).
    pub wilcoxon_statistic: f64,
    /// Two-sided p-value of the signed-rank test, and how it was computed: `exact`,
    /// `sign flips` or `normal`.
    pub p_value: f64,
    pub method: &'static str,
}

/// Compares `a` and `b`, the same users' figures under two models (`a[j]` and `b[j]` are user
/// `j`'s). `rounds` bootstrap resamples, drawn from `seed`.
///
/// ```
/// use mf_playground::metrics::paired::compare;
/// let a = [0.1, 0.4, 0.3, 0.2, 0.5, 0.3, 0.2, 0.6];
/// let b = [0.3, 0.5, 0.6, 0.2, 0.7, 0.4, 0.5, 0.9];
/// let p = compare(&a, &b, 1000, 1).unwrap();
/// assert_eq!(p.n, 8);
/// assert!(p.ci_low > 0.0 && p.mean_diff > 0.0);
/// ```
pub fn compare(a: &[f64], b: &[f64], rounds: usize, seed: u64) -> Result<Paired> {
    if a.len() != b.len() {
        return Err(Error::invalid(
            "compare",
            format!("{} and {} users", a.len(), b.len()),
            "needs the same users measured by both models",
        ));
    }
    if a.is_empty() {
        return Err(Error::EmptyDataset(
            "no user was measured by both models".into(),
        ));
    }
    if let Some(j) = (0..a.len()).find(|&j| !a[j].is_finite() || !b[j].is_finite()) {
        return Err(Error::invalid(
            "compare",
            format!("user {j}"),
            "has a figure that is not a number",
        ));
    }
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    let n = d.len();
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    let (low, high) = bootstrap(&d, rounds.max(1), seed);
    let w = wilcoxon(&d);
    Ok(Paired {
        n,
        mean_a: mean(a),
        mean_b: mean(b),
        mean_diff: mean(&d),
        ci_low: low,
        ci_high: high,
        bootstrap_rounds: rounds.max(1),
        n_nonzero: w.n,
        wilcoxon_statistic: w.statistic,
        p_value: w.p,
        method: w.method,
    })
}

/// The 2.5th and 97.5th percentiles of the means of `rounds` resamples of `d` (with
/// replacement, as many as `d` has).
fn bootstrap(d: &[f64], rounds: usize, seed: u64) -> (f64, f64) {
    let mut rng = Rng::new(seed);
    let mut means: Vec<f64> = (0..rounds)
        .map(|_| (0..d.len()).map(|_| d[rng.below(d.len())]).sum::<f64>() / d.len() as f64)
        .collect();
    means.sort_by(f64::total_cmp);
    let at = |q: f64| {
        // Linear interpolation between order statistics (NumPy's default percentile).
        let x = q * (rounds - 1) as f64;
        let (i, f) = (x.floor() as usize, x - x.floor());
        means[i] + f * (means[(i + 1).min(rounds - 1)] - means[i])
    };
    (at(0.025), at(0.975))
}

/// The signed-rank test of differences `d`.
struct Wilcoxon {
    n: usize,
    statistic: f64,
    p: f64,
    method: &'static str,
}

fn wilcoxon(d: &[f64]) -> Wilcoxon {
    let nz: Vec<f64> = d.iter().copied().filter(|&x| x != 0.0).collect();
    let n = nz.len();
    if n == 0 {
        return Wilcoxon {
            n,
            statistic: 0.0,
            p: 1.0,
            method: "none differ",
        };
    }
    let (ranks, ties) = average_ranks(&nz);
    let r_plus: f64 = (0..n).filter(|&j| nz[j] > 0.0).map(|j| ranks[j]).sum();
    let total = (n * (n + 1)) as f64 / 2.0;
    let statistic = r_plus.min(total - r_plus);
    let zeros = d.len() - n;
    let has_ties = ties.iter().any(|&t| t > 1);
    let (p, method) = if d.len() <= 50 && !has_ties && zeros == 0 {
        (exact_p(n, r_plus), "exact")
    } else if d.len() <= 13 {
        (sign_flip_p(&ranks, r_plus), "sign flips")
    } else {
        let mn = total / 2.0;
        let tie: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
        let se = (((n * (n + 1) * (2 * n + 1)) as f64 - tie / 2.0) / 24.0).sqrt();
        let z = (r_plus - mn) / se;
        ((2.0 * normal_sf(z.abs())).min(1.0), "normal")
    };
    Wilcoxon {
        n,
        statistic,
        p,
        method,
    }
}

/// Ranks of `|x|` (1-based, ties given their average) and the sizes of the tie groups.
fn average_ranks(x: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&i, &j| x[i].abs().total_cmp(&x[j].abs()));
    let mut ranks = vec![0.0; x.len()];
    let mut ties = Vec::new();
    let mut a = 0;
    while a < order.len() {
        let mut b = a + 1;
        while b < order.len() && x[order[b]].abs() == x[order[a]].abs() {
            b += 1;
        }
        let r = (a + 1 + b) as f64 / 2.0;
        order[a..b].iter().for_each(|&i| ranks[i] = r);
        ties.push(b - a);
        a = b;
    }
    (ranks, ties)
}

/// Two-sided p of the exact null distribution of `R+` for `n` differences without ties: each of
/// the `2^n` sign patterns equally likely.
fn exact_p(n: usize, r_plus: f64) -> f64 {
    let total = n * (n + 1) / 2;
    // counts[s]: sign patterns whose positive ranks sum to s.
    let mut counts = vec![0f64; total + 1];
    counts[0] = 1.0;
    for r in 1..=n {
        for s in (r..=total).rev() {
            counts[s] += counts[s - r];
        }
    }
    let all: f64 = counts.iter().sum();
    let w = r_plus.round() as usize;
    let below: f64 = counts[..=w].iter().sum();
    let above: f64 = counts[w..].iter().sum();
    (2.0 * below.min(above) / all).min(1.0)
}

/// Two-sided p from every sign flip of the ranks (ties and zeros allowed, few differences):
/// twice the smaller share of patterns whose `R+` is at most or at least the one seen.
fn sign_flip_p(ranks: &[f64], r_plus: f64) -> f64 {
    let n = ranks.len();
    let (mut low, mut high) = (0usize, 0usize);
    // A tolerance as SciPy's permutation test has, so sums equal up to rounding count.
    let eps = 1e-9 * r_plus.abs().max(1.0);
    for mask in 0u32..(1 << n) {
        let s: f64 = (0..n)
            .filter(|&j| mask >> j & 1 == 1)
            .map(|j| ranks[j])
            .sum();
        if s <= r_plus + eps {
            low += 1;
        }
        if s >= r_plus - eps {
            high += 1;
        }
    }
    (2.0 * low.min(high) as f64 / (1u64 << n) as f64).min(1.0)
}

/// `P(Z > z)` for a standard normal `Z`.
pub fn normal_sf(z: f64) -> f64 {
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

/// The complementary error function: its series below 3, a continued fraction above (both to
/// about 1e-13 relative).
fn erfc(x: f64) -> f64 {
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    if x < 3.0 {
        // erf(x) = 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1)).
        let (mut term, mut sum) = (x, x);
        for n in 1..200 {
            term *= -x * x / n as f64;
            let t = term / (2 * n + 1) as f64;
            sum += t;
            if t.abs() < 1e-17 * sum.abs() {
                break;
            }
        }
        return 1.0 - sum * 2.0 / std::f64::consts::PI.sqrt();
    }
    // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated
    // from the tail.
    let mut f = x;
    for k in (1..60).rev() {
        f = x + (k as f64 / 2.0) / f;
    }
    (-x * x).exp() / std::f64::consts::PI.sqrt() / f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() <= tol * b.abs().max(1e-300), "{a} vs {b}");
    }

    #[test]
    fn the_normal_tail_is_right() {
        // 1 - Phi(z) as SciPy 1.17.1 gives it (`scipy.stats.norm.sf`).
        close(normal_sf(0.0), 0.5, 1e-14);
        close(normal_sf(1.0), 0.158655253931457, 1e-12);
        close(normal_sf(1.96), 0.0249978951482204, 1e-11);
        close(normal_sf(3.0), 0.00134989803163010, 1e-10);
        close(normal_sf(5.0), 2.86651571879194e-7, 1e-10);
        close(normal_sf(-1.0), 0.841344746068543, 1e-12);
    }

    /// P-values SciPy 1.17.1 gives (`scipy.stats.wilcoxon(b, a)`, its defaults) for the same
    /// differences, one per method.
    #[test]
    fn p_values_are_scipys() {
        // Exact: 8 differences, no ties or zeros.
        let d = [0.2, 0.1, 0.3, -0.05, 0.25, 0.15, 0.35, 0.4];
        let w = wilcoxon(&d);
        assert_eq!((w.method, w.statistic), ("exact", 1.0));
        close(w.p, 0.015625, 1e-12);
        // Sign flips: ties and a zero among 10.
        let d = [0.2, 0.2, -0.1, 0.0, 0.3, 0.1, 0.2, -0.3, 0.4, 0.5];
        let w = wilcoxon(&d);
        assert_eq!(w.method, "sign flips");
        close(w.statistic, 8.0, 1e-12);
        close(w.p, 0.1015625, 1e-12);
        // Normal: 60 differences with ties and zeros.
        let d: Vec<f64> = (0..60)
            .map(|j| ((j * 7 % 11) as f64 - 4.0) / 10.0)
            .collect();
        let w = wilcoxon(&d);
        assert_eq!(w.method, "normal");
        close(w.statistic, 495.0, 1e-12);
        close(w.p, 0.020689043721346168, 1e-9);
    }

    #[test]
    fn the_bootstrap_interval_holds_the_mean_and_narrows_with_users() {
        let d: Vec<f64> = (0..40)
            .map(|j| ((j * 13 % 17) as f64 - 6.0) / 10.0)
            .collect();
        let zeros = vec![0.0; 40];
        let small = compare(&zeros, &d, 2000, 3).unwrap();
        assert!(small.ci_low < small.mean_diff && small.mean_diff < small.ci_high);
        let many: Vec<f64> = (0..400).map(|j| d[j % 40]).collect();
        let large = compare(&vec![0.0; 400], &many, 2000, 3).unwrap();
        close(large.mean_diff, small.mean_diff, 1e-12);
        // Ten times the users: about a third of the width (1/sqrt(10)).
        let ratio = (large.ci_high - large.ci_low) / (small.ci_high - small.ci_low);
        assert!((0.25..0.4).contains(&ratio), "{ratio}");
        // Seeded: the same draws every time.
        assert_eq!(compare(&zeros, &d, 2000, 3).unwrap(), small);
    }

    #[test]
    fn bad_pairs_are_refused() {
        assert!(compare(&[1.0], &[1.0, 2.0], 10, 1).is_err());
        assert!(compare(&[], &[], 10, 1).is_err());
        let e = compare(&[1.0, f64::NAN], &[1.0, 2.0], 10, 1).unwrap_err();
        assert!(e.to_string().contains("user 1"), "{e}");
        let same = compare(&[0.5, 0.5], &[0.5, 0.5], 10, 1).unwrap();
        assert_eq!((same.p_value, same.n_nonzero), (1.0, 0));
    }
}
