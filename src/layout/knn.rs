//! Exact nearest neighbours by Euclidean distance: every pair measured (`n^2 k`), each row on
//! whichever thread is free, so a row's neighbours are the same on any number of threads.

use ndarray::Array2;

/// Each row's `k` nearest other rows, nearest first, with their distances. Ties go to the lower
/// index.
pub fn nearest(x: &Array2<f32>, k: usize) -> Vec<Vec<(usize, f32)>> {
    let n = x.nrows();
    let k = k.min(n.saturating_sub(1));
    crate::parallel::map((0..n).collect(), |i: usize| {
        let mut d: Vec<(usize, f32)> = (0..n)
            .filter(|&j| j != i)
            .map(|j| (j, sq_dist(x, i, j).sqrt()))
            .collect();
        let by = |a: &(usize, f32), b: &(usize, f32)| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0));
        if k < d.len() {
            d.select_nth_unstable_by(k, by);
            d.truncate(k);
        }
        d.sort_by(by);
        d
    })
}

/// The squared Euclidean distance between rows `i` and `j` of `x`.
pub fn sq_dist(x: &Array2<f32>, i: usize, j: usize) -> f32 {
    x.row(i)
        .iter()
        .zip(x.row(j).iter())
        .map(|(a, b)| (a - b) * (a - b))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_are_the_nearest_rows_nearest_first() {
        let x = ndarray::array![[0.0f32], [1.0], [3.0], [7.0]];
        let nn = nearest(&x, 2);
        assert_eq!(nn[0], vec![(1, 1.0), (2, 3.0)]);
        assert_eq!(nn[2], vec![(1, 2.0), (0, 3.0)]);
        assert_eq!(nearest(&x, 10)[3].len(), 3);
    }
}
