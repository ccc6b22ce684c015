//! The JavaScript boundary, tested where it runs: in Node and in headless Chromium
//! (wasm-bindgen-test). Shapes, camelCase fields and error codes, not the maths (that is tested
//! natively).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Float32Array, Object, Reflect};
use mf_playground::wasm::Session;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn params(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn seed_session() -> Session {
    let mut s = Session::new();
    s.load_builtin("seed-10x10").unwrap();
    s
}

fn error_code(e: &JsValue) -> String {
    assert!(e.is_instance_of::<js_sys::Error>(), "a JavaScript Error");
    assert_eq!(get(e, "name").as_string().unwrap(), "MfpError");
    get(e, "code").as_string().unwrap()
}

#[wasm_bindgen_test]
fn load_builtin_returns_a_camel_case_summary() {
    let mut s = Session::new();
    let summary = s.load_builtin("seed-10x10").unwrap();
    assert_eq!(get(&summary, "nUsers").as_f64(), Some(10.0));
    assert_eq!(get(&summary, "nItems").as_f64(), Some(10.0));
    assert_eq!(get(&summary, "nRatings").as_f64(), Some(100.0));
    assert_eq!(get(&summary, "feedback").as_string().unwrap(), "implicit");
    assert_eq!(Array::from(&get(&summary, "itemLabels")).length(), 10);
    assert_eq!(s.shape().unwrap(), vec![10, 10]);
    let observed: Float32Array = s.observed_matrix().unwrap();
    assert_eq!(observed.length(), 100);
    assert_eq!(observed.get_index(0), 1.0);
    assert_eq!(observed.get_index(1), 0.0);
}

#[wasm_bindgen_test]
fn training_reports_are_plain_objects_with_camel_case_fields() {
    let mut s = seed_session();
    s.configure(params(&[
        ("nFactors", 2.into()),
        ("loss", "logistic".into()),
        ("learningRate", 0.1.into()),
    ]))
    .unwrap();
    let reports = Array::from(&s.train_epochs(5).unwrap());
    assert_eq!(reports.length(), 5);
    let last = reports.get(4);
    assert_eq!(get(&last, "epoch").as_f64(), Some(5.0));
    assert!(get(&last, "loss").as_f64().unwrap().is_finite());
    assert!(get(&last, "rmse").as_f64().unwrap() > 0.0);
    assert!(get(&last, "millis").as_f64().unwrap() >= 0.0);
    assert_eq!(get(&last, "diverged").as_bool(), Some(false));
    assert_eq!(s.epoch(), 5);
    let predicted = s.predicted_matrix().unwrap();
    assert_eq!(predicted.length(), 100);
    assert!((0..100).all(|k| (0.0..=1.0).contains(&predicted.get_index(k))));
    let e = s.explain(2, 4).unwrap();
    assert_eq!(Array::from(&get(&e, "factorParts")).length(), 2);
    assert!(get(&e, "userBias").as_f64().is_some());
}

#[wasm_bindgen_test]
fn errors_carry_stable_codes() {
    let mut s = Session::new();
    assert_eq!(error_code(&s.predicted_matrix().unwrap_err()), "not_ready");
    assert_eq!(
        error_code(&s.configure(params(&[])).unwrap_err()),
        "not_ready"
    );
    assert_eq!(
        error_code(&s.load_builtin("nope").unwrap_err()),
        "invalid_param"
    );

    let mut s = seed_session();
    let e = s
        .configure(params(&[("learningRate", (-1.0).into())]))
        .unwrap_err();
    assert_eq!(error_code(&e), "invalid_param");
    let msg = get(&e, "message").as_string().unwrap();
    assert!(msg.contains("learning_rate = -1"), "{msg}");
    let e = s
        .configure(params(&[("learnRate", 0.1.into())]))
        .unwrap_err();
    assert_eq!(error_code(&e), "invalid_param");
    assert!(get(&e, "message")
        .as_string()
        .unwrap()
        .contains("learnRate"));
    let e = s
        .configure(params(&[("optimizer", "magic".into())]))
        .unwrap_err();
    assert_eq!(error_code(&e), "invalid_param");
    s.configure(params(&[("nFactors", 3.into())])).unwrap();
    assert_eq!(error_code(&s.explain(10, 0).unwrap_err()), "out_of_range");
}

#[wasm_bindgen_test]
fn random_seeds_come_from_the_host() {
    let a = Session::random_seed().unwrap();
    let b = Session::random_seed().unwrap();
    let c = Session::random_seed().unwrap();
    assert!(a != b || b != c, "three equal 32-bit draws");
}
