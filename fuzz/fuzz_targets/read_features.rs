//! A features file of any bytes (its first byte picks users or items) against a small ratings
//! set: an error, or one row of features per user or item with weights summing to one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mf_playground::data::features::{weight, MAX_FEATURES};
use mf_playground::data::parse::read_features;
use mf_playground::data::{builtin, Side};

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let side = if first % 2 == 0 { Side::Item } else { Side::User };
    let r = builtin::seed_10x10();
    if let Ok(f) = read_features(bytes, &r, side) {
        let n = match side {
            Side::User => r.n_users(),
            Side::Item => r.n_items(),
        };
        assert_eq!(f.matrix.n_rows(), n);
        assert!(f.matrix.n_features() <= MAX_FEATURES);
        assert!(f.matched > 0);
        for row in 0..n {
            let (cols, weights) = f.matrix.row(row);
            assert!(cols.iter().all(|&c| (c as usize) < f.matrix.n_features()));
            // Each of a row's n features weighs 1 / (n + 1).
            assert!(weights.iter().all(|&w| w == weight(cols.len())));
        }
    }
});
