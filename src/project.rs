//! Two-dimensional maps of factor matrices: raw coordinates when `k <= 2`, otherwise principal
//! component analysis (PCA).
//!
//! PCA centres each column of the `(n, k)` factor matrix, forms the `k x k` covariance
//! `C = X^T X / (n - 1)`, takes its two leading eigenvectors `v_1, v_2` and maps row `x` to
//! `(x . v_1, x . v_2)`. The share of variance each axis keeps is `lambda_j / trace(C)`.
//! Eigenvector signs are fixed so that the largest-magnitude component is positive, so the map
//! does not flip between epochs for no reason. (Pearson 1901; Jolliffe, "Principal Component
//! Analysis", 2002.)

use ndarray::Array2;

use crate::linalg::leading_eigen;

/// Rows used to estimate the covariance.
const COV_ROWS: usize = 500;

/// A 2-D map of the rows of a factor matrix.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Projection {
    /// `"raw"` (the factors themselves) or `"pca"`.
    pub method: &'static str,
    /// Row-major `(n, 2)`.
    pub coords: Vec<f32>,
    /// Share of the total variance along each axis (1 and 0 for raw one-factor maps).
    pub explained: [f32; 2],
}

/// Maps every row of `factors` to two coordinates.
///
/// ```
/// use mf_playground::project::project_2d;
/// let x = ndarray::array![[1.0f32, 2.0, 0.0], [2.0, 4.0, 0.1], [3.0, 6.0, -0.1]];
/// let p = project_2d(&x);
/// assert_eq!(p.method, "pca");
/// assert!(p.explained[0] > 0.99);
/// ```
pub fn project_2d(factors: &Array2<f32>) -> Projection {
    project_with(factors, &Array2::zeros((0, factors.ncols()))).0
}

/// [`project_2d`] of `factors`, and the rows of `extra` (as many columns) placed on the same
/// axes: fitted on `factors` alone, so `extra` is shown where it lies among them (a hybrid
/// model's features among its items). The extra coordinates are row-major `(m, 2)`.
pub fn project_with(factors: &Array2<f32>, extra: &Array2<f32>) -> (Projection, Vec<f32>) {
    let (n, k) = factors.dim();
    if k <= 2 {
        let raw = |x: &Array2<f32>| {
            let mut coords = vec![0.0f32; x.nrows() * 2];
            for (r, row) in x.rows().into_iter().enumerate() {
                for (c, &v) in row.iter().enumerate() {
                    coords[r * 2 + c] = v;
                }
            }
            coords
        };
        let var: Vec<f64> = (0..k).map(|c| column_variance(factors, c)).collect();
        let total: f64 = var.iter().sum();
        let share = |c: usize| {
            if total > 0.0 && c < k {
                (var[c] / total) as f32
            } else {
                0.0
            }
        };
        let p = Projection {
            method: "raw",
            coords: raw(factors),
            explained: [share(0), share(1)],
        };
        return (p, raw(extra));
    }
    let means: Vec<f64> = (0..k)
        .map(|c| factors.column(c).iter().map(|&v| v as f64).sum::<f64>() / n.max(1) as f64)
        .collect();
    // The covariance costs n k^2: past COV_ROWS rows, an evenly spaced sample of them estimates it
    // (the map is redrawn while training, so it must stay cheap for thousands of items).
    let stride = n.div_ceil(COV_ROWS).max(1);
    let mut cov = vec![0.0f64; k * k];
    let mut centred = vec![0.0f64; k];
    for row in factors.rows().into_iter().step_by(stride) {
        for ((x, &v), m) in centred.iter_mut().zip(&row).zip(&means) {
            *x = v as f64 - m;
        }
        // The lower triangle, a row at a time: independent elements, so the loop vectorises.
        for (a, &xa) in centred.iter().enumerate() {
            for (c, &xb) in cov[a * k..=a * k + a].iter_mut().zip(&centred[..=a]) {
                *c += xa * xb;
            }
        }
    }
    let denom = (n.div_ceil(stride).max(2) - 1) as f64;
    for a in 0..k {
        for b in 0..=a {
            cov[a * k + b] /= denom;
            cov[b * k + a] = cov[a * k + b];
        }
    }
    let trace: f64 = (0..k).map(|a| cov[a * k + a]).sum();
    let (values, mut vectors) = leading_eigen(&cov, k, 2);
    for v in &mut vectors {
        let big = v
            .iter()
            .copied()
            .fold(0.0f64, |m, x| if x.abs() > m.abs() { x } else { m });
        if big < 0.0 {
            v.iter_mut().for_each(|x| *x = -*x);
        }
    }
    let place = |x: &Array2<f32>| {
        let mut coords = vec![0.0f32; x.nrows() * 2];
        for (r, row) in x.rows().into_iter().enumerate() {
            for (axis, v) in vectors.iter().enumerate() {
                coords[r * 2 + axis] = (0..k)
                    .map(|c| (row[c] as f64 - means[c]) * v[c])
                    .sum::<f64>() as f32;
            }
        }
        coords
    };
    let share = |j: usize| {
        if trace > 0.0 {
            (values.get(j).copied().unwrap_or(0.0) / trace) as f32
        } else {
            0.0
        }
    };
    let p = Projection {
        method: "pca",
        coords: place(factors),
        explained: [share(0), share(1)],
    };
    (p, place(extra))
}

fn column_variance(x: &Array2<f32>, c: usize) -> f64 {
    let col = x.column(c);
    let n = col.len();
    if n < 2 {
        return 0.0;
    }
    let mean = col.iter().map(|&v| v as f64).sum::<f64>() / n as f64;
    col.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / (n - 1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn two_factors_are_shown_raw() {
        let x = ndarray::array![[1.0f32, -1.0], [0.5, 2.0]];
        let p = project_2d(&x);
        assert_eq!(p.method, "raw");
        assert_eq!(p.coords, vec![1.0, -1.0, 0.5, 2.0]);
        assert!((p.explained[0] + p.explained[1] - 1.0).abs() < 1e-6);
    }

    #[test]
    fn pca_finds_a_planted_plane() {
        // Points on a plane spanned by two directions in 5-D, plus tiny noise.
        let mut rng = Rng::new(1);
        let d1 = [1.0, 1.0, 0.0, 0.0, 0.0];
        let d2 = [0.0, 0.0, 1.0, -1.0, 0.0];
        let x = Array2::from_shape_fn((200, 5), |(_, _)| 0.0f32);
        let mut x = x;
        for mut row in x.rows_mut() {
            let (a, b) = (3.0 * rng.normal(), rng.normal());
            for c in 0..5 {
                row[c] = (a * d1[c] + b * d2[c] + 0.01 * rng.normal()) as f32;
            }
        }
        let p = project_2d(&x);
        assert_eq!(p.method, "pca");
        assert!(
            p.explained[0] > 0.85 && p.explained[0] + p.explained[1] > 0.999,
            "{:?}",
            p.explained
        );
        // The first coordinate tracks a * |d1| up to sign-fixing: its variance is ~ 9 * 2.
        let var0: f64 = (0..200)
            .map(|r| (p.coords[r * 2] as f64).powi(2))
            .sum::<f64>()
            / 199.0;
        assert!((var0 / 18.0 - 1.0).abs() < 0.25, "{var0}");
    }

    #[test]
    fn degenerate_inputs_stay_finite() {
        let p = project_2d(&Array2::<f32>::zeros((3, 4)));
        assert!(p.coords.iter().all(|v| v.is_finite()));
        assert_eq!(p.explained, [0.0, 0.0]);
        let p = project_2d(&Array2::<f32>::zeros((0, 5)));
        assert!(p.coords.is_empty());
    }
}
