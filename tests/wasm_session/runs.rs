//! Runs through the binding: made from the trained model as JSON, opened again to their epoch,
//! curves and knobs, compared, and written to one file and read back.

use js_sys::Array;
use mf_playground::wasm::Session;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

use super::{error_code, generated_session, get, params};

#[wasm_bindgen_test]
fn runs_cross_as_their_json_and_open_compare_and_file_in_camel_case() {
    let mut s = generated_session();
    let mut run = |factors: i32| {
        s.configure(
            params(&[("nFactors", factors.into()), ("learningRate", 0.02.into())]),
            0.2,
            JsValue::UNDEFINED,
        )
        .unwrap();
        s.train_epochs(6).unwrap();
        s.make_run(
            String::new(),
            "generated".into(),
            5,
            3.5,
            Some("{\"nFactors\": 3}".into()),
        )
        .unwrap()
    };
    let (a, b) = (run(3), run(1));
    let parsed = js_sys::JSON::parse(&a).unwrap();
    assert_eq!(get(&parsed, "format").as_string().unwrap(), "mfp-run");
    assert_eq!(get(&get(&parsed, "perUser"), "k").as_f64(), Some(5.0));
    assert_eq!(get(&get(&parsed, "knobs"), "nFactors").as_f64(), Some(3.0));
    // Knobs that are not JSON are refused by name.
    let e = s
        .make_run(String::new(), "x".into(), 5, 3.5, Some("{".into()))
        .unwrap_err();
    assert_eq!(error_code(&e), "invalid_param");

    let opened = s.open_run(&a, 0.2).unwrap();
    assert_eq!(get(&opened, "epoch").as_f64(), Some(6.0));
    assert_eq!(Array::from(&get(&opened, "curves")).length(), 6);
    assert!(get(
        &get(&opened, "curves").dyn_into::<Array>().unwrap().get(0),
        "testRmse"
    )
    .as_f64()
    .is_some());
    assert_eq!(get(&get(&opened, "params"), "nFactors").as_f64(), Some(3.0));
    assert_eq!(Array::from(&get(&opened, "notes")).length(), 0);
    assert!(get(&get(&opened, "report"), "testRmse").as_f64().is_some());

    let c = Session::compare_runs(&a, &b, 200, 1).unwrap();
    let metrics = Array::from(&get(&c, "metrics"));
    let first = Array::from(&metrics.get(0));
    assert_eq!(first.get(0).as_string().unwrap(), "rmse");
    assert!(get(&first.get(1), "pValue").as_f64().is_some());
    assert!(get(&first.get(1), "ciLow").as_f64().is_some());

    let file = Session::write_runs(vec![a.clone(), b.clone()]).unwrap();
    assert_eq!(Session::read_runs(&file).unwrap(), vec![a.clone(), b]);
    let e = Session::read_runs("{\"format\": \"mfp-model\"}").unwrap_err();
    assert_eq!(error_code(&e), "invalid_param");
}
