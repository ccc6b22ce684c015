//! Small dense linear algebra for the solvers: Cholesky solves of the `(k+1) x (k+1)` normal
//! equations of ALS, and the leading eigenvectors of a `k x k` covariance for PCA.
//!
//! The engine needs nothing bigger, so it carries these few lines instead of a LAPACK binding
//! (which would not build for wasm32). Everything accumulates in `f64`: the normal equations
//! square the condition number, and `f32` loses the small regularised eigenvalues.

use crate::kernels::dot_f64;

/// Solves `a x = b` in place for symmetric positive-definite `a` (row-major `n x n`, only the
/// lower triangle is read; it is overwritten by the Cholesky factor). `b` becomes `x`.
/// Returns `false` (leaving `b` unspecified) if `a` is not positive definite.
///
/// ```
/// use mf_playground::linalg::cholesky_solve;
/// let mut a = vec![4.0, 2.0, 2.0, 3.0];
/// let mut b = vec![2.0, 1.0];
/// assert!(cholesky_solve(&mut a, &mut b, 2));
/// assert!((b[0] - 0.5).abs() < 1e-12 && b[1].abs() < 1e-12);
/// ```
pub fn cholesky_solve(a: &mut [f64], b: &mut [f64], n: usize) -> bool {
    assert!(a.len() >= n * n && b.len() >= n, "cholesky_solve: shapes");
    // Row-major lower triangle: every inner product below is over two contiguous row prefixes,
    // summed with the vector kernel.
    for j in 0..n {
        let row_j = &a[j * n..j * n + j];
        let d = a[j * n + j] - dot_f64(row_j, row_j);
        // Also catches NaN, which compares false with everything.
        if d.is_nan() || d <= 0.0 || !d.is_finite() {
            return false;
        }
        let d = d.sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let s = a[i * n + j] - dot_f64(&a[i * n..i * n + j], &a[j * n..j * n + j]);
            a[i * n + j] = s / d;
        }
    }
    // Forward: L y = b.
    for i in 0..n {
        let s = b[i] - dot_f64(&a[i * n..i * n + i], &b[..i]);
        b[i] = s / a[i * n + i];
    }
    // Backward: L^T x = y, by rows of L: once x_i is known, take row i's share out of b[..i].
    for i in (0..n).rev() {
        let x = b[i] / a[i * n + i];
        b[i] = x;
        for (bk, &l) in b[..i].iter_mut().zip(&a[i * n..i * n + i]) {
            *bk -= l * x;
        }
    }
    true
}

/// The `m` leading eigenpairs of a symmetric positive semi-definite `n x n` matrix (row-major),
/// by power iteration with deflation. Returns `(eigenvalues, eigenvectors)` with eigenvectors
/// as rows of length `n`, largest eigenvalue first. Deterministic: it starts from fixed vectors.
pub fn leading_eigen(c: &[f64], n: usize, m: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut work = c.to_vec();
    let mut values = Vec::with_capacity(m);
    let mut vectors = Vec::with_capacity(m);
    for e in 0..m.min(n) {
        // A start vector that is not orthogonal to any axis in practice.
        let mut v: Vec<f64> = (0..n)
            .map(|i| 1.0 + ((i * 7 + e * 13) % 11) as f64 * 0.1)
            .collect();
        normalise(&mut v);
        let mut lambda = 0.0;
        for _ in 0..300 {
            let mut w = vec![0.0; n];
            for (wi, row) in w.iter_mut().zip(work.chunks_exact(n)) {
                *wi = dot_f64(row, &v);
            }
            let norm = normalise(&mut w);
            let delta: f64 = w.iter().zip(&v).map(|(a, b)| (a - b).abs()).sum();
            v = w;
            lambda = norm;
            if norm == 0.0 || delta < 1e-12 {
                break;
            }
        }
        for i in 0..n {
            for j in 0..n {
                work[i * n + j] -= lambda * v[i] * v[j];
            }
        }
        values.push(lambda);
        vectors.push(v);
    }
    (values, vectors)
}

fn normalise(v: &mut [f64]) -> f64 {
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    norm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_a_random_spd_system() {
        let n = 6;
        let mut rng = crate::rng::Rng::new(3);
        let m: Vec<f64> = (0..n * n).map(|_| rng.normal()).collect();
        // a = m m^T + I is symmetric positive definite.
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                a[i * n + j] = (0..n).map(|k| m[i * n + k] * m[j * n + k]).sum::<f64>()
                    + if i == j { 1.0 } else { 0.0 };
            }
        }
        let x_true: Vec<f64> = (0..n).map(|i| i as f64 - 2.5).collect();
        let mut b: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| a[i * n + j] * x_true[j]).sum())
            .collect();
        let mut f = a.clone();
        assert!(cholesky_solve(&mut f, &mut b, n));
        for (x, t) in b.iter().zip(&x_true) {
            assert!((x - t).abs() < 1e-9, "{x} vs {t}");
        }
    }

    #[test]
    fn cholesky_refuses_an_indefinite_matrix() {
        let mut a = vec![1.0, 2.0, 2.0, 1.0];
        let mut b = vec![1.0, 1.0];
        assert!(!cholesky_solve(&mut a, &mut b, 2));
    }

    #[test]
    fn leading_eigenpairs_of_a_known_matrix() {
        // Eigenvalues 5, 2, 1 along rotated axes.
        let c = [3.5, 1.5, 0.0, 1.5, 3.5, 0.0, 0.0, 0.0, 1.0];
        let (vals, vecs) = leading_eigen(&c, 3, 2);
        assert!(
            (vals[0] - 5.0).abs() < 1e-9 && (vals[1] - 2.0).abs() < 1e-9,
            "{vals:?}"
        );
        let s = std::f64::consts::FRAC_1_SQRT_2;
        assert!((vecs[0][0].abs() - s).abs() < 1e-6 && (vecs[0][1].abs() - s).abs() < 1e-6);
        assert!(vecs[1][2].abs() < 1e-6);
    }
}
