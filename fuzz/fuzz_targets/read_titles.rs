//! A titles file of any bytes against a small ratings set: an error or titles, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mf_playground::data::builtin;
use mf_playground::data::parse::read_item_metadata;

fuzz_target!(|data: &[u8]| {
    let mut r = builtin::seed_10x10();
    if let Ok((n, genres)) = read_item_metadata(data, &mut r) {
        assert!(n <= r.n_items());
        assert_eq!(genres.len(), r.n_items());
    }
});
