//! Any bytes, read with any combination of the reader's options: an error or ratings, never a
//! panic. The first byte chooses the options; the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mf_playground::data::parse::{detect, preview_rows, read_ratings, Layout, ReadOptions};
use mf_playground::data::text::{decode, Delimiter};
use mf_playground::data::{DuplicatePolicy, Feedback, Scale};

fuzz_target!(|data: &[u8]| {
    let Some((&o, file)) = data.split_first() else {
        return;
    };
    let opts = ReadOptions {
        layout: [None, Some(Layout::Triplets), Some(Layout::Dense)][(o & 3) as usize % 3],
        delimiter: [
            None,
            Some(Delimiter::Comma),
            Some(Delimiter::Whitespace),
            Some(Delimiter::DoubleColon),
        ][(o >> 2 & 3) as usize],
        header: [None, Some(true)][(o >> 4 & 1) as usize],
        feedback: [None, Some(Feedback::Implicit)][(o >> 5 & 1) as usize],
        implicit_threshold: (o & 0x40 != 0).then_some(3.5),
        zero_is_missing: o & 0x80 != 0,
        scale: (o & 0x0c == 0x0c).then_some(Scale { min: 1.0, max: 5.0 }),
        duplicates: [
            DuplicatePolicy::Error,
            DuplicatePolicy::KeepLast,
            DuplicatePolicy::Mean,
        ][o as usize % 3],
    };
    match read_ratings(file, &opts) {
        Ok((r, d)) => {
            assert!(r.len() > 0);
            assert!(r.values().iter().all(|v| v.is_finite()));
            let _ = preview_rows(file, &d, 8);
            let _ = r.to_csv();
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.is_empty());
            if e.code() == "parse_error" {
                assert!(msg.starts_with("line "), "{msg}");
            }
        }
    }
    let (text, enc) = decode(file);
    let _ = detect(&text, enc, &opts);
});
