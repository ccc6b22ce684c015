//! Ranking items by score: the one order every ranking in the engine uses (descending score,
//! ties to the lower index, NaN above every number so a diverged model never panics), and its
//! top `n` found by a selection and a sort of those `n` alone, not a sort of every item.

/// Items ranked by descending score (ties: lower index first), skipping `exclude[i] == true`.
pub fn rank_items(scores: &[f32], exclude: &[bool]) -> Vec<usize> {
    top_items(scores, exclude, usize::MAX)
}

/// The first `n` items of [`rank_items`], in its order, without ordering the rest (a selection,
/// then a sort of the `n`).
pub fn top_items(scores: &[f32], exclude: &[bool], n: usize) -> Vec<usize> {
    let mut items: Vec<usize> = (0..scores.len()).filter(|&i| !exclude[i]).collect();
    take_top(scores, &mut items, n);
    items
}

/// The order of [`rank_items`]: `a` before `b` when it scores higher, or the same and its index
/// is lower. It is total (`total_cmp` puts NaN above every number: a diverged model ranks
/// arbitrarily but never panics), so an unstable sort gives the one order.
#[inline]
pub fn ranked_before(scores: &[f32], a: usize, b: usize) -> std::cmp::Ordering {
    scores[b].total_cmp(&scores[a]).then(a.cmp(&b))
}

/// Keeps the best `n` of `items`, in rank order.
pub fn take_top(scores: &[f32], items: &mut Vec<usize>, n: usize) {
    if n == 0 {
        items.clear();
        return;
    }
    if n < items.len() {
        items.select_nth_unstable_by(n - 1, |&a, &b| ranked_before(scores, a, b));
        items.truncate(n);
    }
    items.sort_unstable_by(|&a, &b| ranked_before(scores, a, b));
}
