//! k-fold cross-validation: train on k − 1 folds, test on the held-out one, k times.
//!
//! The folds come from [`crate::data::split::k_fold`] (seeded, disjoint, together every rating
//! once). Each fold trains a fresh model with the same parameters for `n_epochs` epochs; the
//! spread of the fold errors says how much a single hold-out figure can be trusted (Kohavi, "A
//! study of cross-validation and bootstrap for accuracy estimation and model selection", IJCAI
//! 1995).

use crate::data::split::Split;
use crate::data::Ratings;
use crate::error::Result;
use crate::fit::Fitted;
use crate::metrics::accuracy;
use crate::train::TrainParams;

/// One fold's outcome.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FoldResult {
    pub fold: usize,
    pub train_rmse: f32,
    pub test_rmse: f32,
    pub test_mae: f32,
    /// Training time (update passes), in milliseconds.
    pub millis: f64,
    pub diverged: bool,
}

/// Trains a fresh model on `split.train` and tests it on `split.test`.
pub fn run_fold(
    fold: usize,
    split: &Split,
    params: &TrainParams,
    clock: Option<crate::train::Clock>,
) -> Result<FoldResult> {
    let (_, r) = fit_and_test(&split.train, &split.test, params, clock)?;
    Ok(FoldResult { fold, ..r })
}

/// Trains a fresh model of any family on `train` for `params.n_epochs` epochs (stopping at
/// divergence) and tests it on `test`: the trainer, holding the model, and the figures (`fold`
/// is 0). Used by cross-validation and by the balance sweep.
pub fn fit_and_test(
    train: &Ratings,
    test: &Ratings,
    params: &TrainParams,
    clock: Option<crate::train::Clock>,
) -> Result<(Fitted, FoldResult)> {
    let mut t = Fitted::new(train.clone(), params.clone())?;
    if let Some(c) = clock {
        t.set_clock(c);
    }
    let reports = t.fit();
    let millis = reports.iter().map(|r| r.millis).sum();
    let diverged = reports.last().is_some_and(|r| r.diverged);
    let train_acc = accuracy(train, |u, i| t.predict(u, i));
    let test_acc = accuracy(test, |u, i| t.predict(u, i));
    let r = FoldResult {
        fold: 0,
        train_rmse: train_acc.rmse,
        test_rmse: test_acc.rmse,
        test_mae: test_acc.mae,
        millis,
        diverged,
    };
    Ok((t, r))
}

/// Mean and sample standard deviation (0 for a single value).
pub fn mean_std(xs: &[f32]) -> (f32, f32) {
    let n = xs.len();
    if n == 0 {
        return (f32::NAN, f32::NAN);
    }
    let mean = xs.iter().map(|&x| x as f64).sum::<f64>() / n as f64;
    if n == 1 {
        return (mean as f32, 0.0);
    }
    let var = xs.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    (mean as f32, var.sqrt() as f32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::split::k_fold;
    use crate::synthetic::{generate, SyntheticParams};

    #[test]
    fn mean_and_std_by_hand() {
        let (m, s) = mean_std(&[1.0, 2.0, 3.0, 4.0]);
        assert!((m - 2.5).abs() < 1e-6);
        assert!((s - (5.0f32 / 3.0).sqrt()).abs() < 1e-6);
        assert_eq!(mean_std(&[7.0]), (7.0, 0.0));
    }

    #[test]
    fn folds_are_trained_and_tested_apart() {
        let data = generate(&SyntheticParams {
            n_users: 60,
            n_items: 40,
            density: 0.5,
            noise: 0.3,
            ..Default::default()
        })
        .unwrap()
        .ratings;
        let params = TrainParams::new(3)
            .learning_rate(0.02)
            .reg(0.05)
            .n_epochs(30);
        let folds = k_fold(&data, 4, 1).unwrap();
        let results: Vec<FoldResult> = folds
            .iter()
            .enumerate()
            .map(|(k, s)| run_fold(k, s, &params, None).unwrap())
            .collect();
        assert_eq!(results.len(), 4);
        for r in &results {
            assert!(r.test_rmse > r.train_rmse * 0.9, "{r:?}");
            assert!(r.test_rmse < 1.0 && !r.diverged);
        }
        let (m, s) = mean_std(&results.iter().map(|r| r.test_rmse).collect::<Vec<_>>());
        assert!(m > 0.0 && s >= 0.0 && s < m);
    }
}
