//! Any text as a model file: an error or a model whose every prediction is finite.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mf_playground::model_file::SavedModel;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(m) = SavedModel::from_json(text) {
        let back = SavedModel::from_json(&m.to_json()).expect("a loaded model saves and loads");
        assert_eq!(back.to_json(), m.to_json());
    }
});
