//! Trustworthiness (Venna & Kaski 2001): how far a layout can be trusted to show as neighbours
//! only points that are neighbours in the original space. For each point, the points among its
//! `k` nearest on the map that are not among its `k` nearest in the original space are
//! penalised by how far down the original ranking they are:
//!
//! ```text
//! T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in U_k(i)} (r(i, j) - k)
//! ```
//!
//! 1 means every map neighbour is a true neighbour; a random layout scores about 0.5.

use ndarray::Array2;

/// The trustworthiness at `k` of `layout` (row-major `(n, 2)`) as a map of the rows of `x`.
pub fn trustworthiness(x: &Array2<f32>, layout: &[f32], k: usize) -> f64 {
    let n = x.nrows();
    assert_eq!(layout.len(), 2 * n, "one map point per row");
    if n < 3 || k == 0 || 2 * n <= 3 * k + 1 {
        return 1.0;
    }
    let sum: f64 = crate::parallel::map((0..n).collect(), |i: usize| {
        // Ranks of every other point by distance in the original space (1 = nearest).
        let dist = |j: usize| super::knn::sq_dist(x, i, j);
        let mut order: Vec<usize> = (0..n).filter(|&j| j != i).collect();
        order.sort_by(|&a, &b| dist(a).total_cmp(&dist(b)).then(a.cmp(&b)));
        let mut rank = vec![0usize; n];
        for (r, &j) in order.iter().enumerate() {
            rank[j] = r + 1;
        }
        let (px, py) = (layout[2 * i], layout[2 * i + 1]);
        let mut near: Vec<usize> = (0..n).filter(|&j| j != i).collect();
        let map_dist = |j: usize| (layout[2 * j] - px).powi(2) + (layout[2 * j + 1] - py).powi(2);
        near.sort_by(|&a, &b| map_dist(a).total_cmp(&map_dist(b)).then(a.cmp(&b)));
        near[..k]
            .iter()
            .filter(|&&j| rank[j] > k)
            .map(|&j| (rank[j] - k) as f64)
            .sum::<f64>()
    })
    .into_iter()
    .sum();
    let (n, k) = (n as f64, k as f64);
    1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * sum
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn the_points_themselves_are_trusted_and_a_random_layout_is_not() {
        let mut rng = Rng::new(1);
        let x = Array2::from_shape_fn((120, 2), |_| rng.normal() as f32);
        let same: Vec<f32> = x.iter().copied().collect();
        assert!((trustworthiness(&x, &same, 7) - 1.0).abs() < 1e-12);
        let random: Vec<f32> = (0..240).map(|_| rng.normal() as f32).collect();
        let t = trustworthiness(&x, &random, 7);
        assert!((0.35..0.65).contains(&t), "{t}");
    }
}
