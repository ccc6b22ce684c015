//! What the page learns from the engine's description through the binding: a registered
//! optimiser, the model families, a network trained and explained.

use js_sys::Array;
use mf_playground::wasm::Session;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

use super::{error_code, get, params, seed_session};

#[path = "../toy/mod.rs"]
mod toy_algorithm;

/// The names in a list of `{ name, ... }` objects.
fn names(list: &JsValue) -> Vec<String> {
    Array::from(list)
        .iter()
        .map(|a| get(&a, "name").as_string().unwrap())
        .collect()
}

#[wasm_bindgen_test]
fn a_registered_optimiser_reaches_the_description_the_page_builds_its_menu_from() {
    // The page's menu is `describe().algorithms` (www/algorithms.js; a browser test checks the
    // menu equals it): an algorithm registered in the engine is there, and trains through the
    // binding the worker calls, with no JavaScript written for it.
    toy_algorithm::toy();
    let d = Session::describe().unwrap();
    let algorithms = names(&get(&d, "algorithms"));
    assert_eq!(
        algorithms.last().map(String::as_str),
        Some("toy-bias-steps")
    );
    let toy = Array::from(&get(&d, "algorithms")).get(algorithms.len() as u32 - 1);
    assert_eq!(get(&toy, "label").as_string().unwrap(), "Bias steps (toy)");
    assert_eq!(names(&get(&d, "families")), ["mf", "gmf", "mlp", "neumf"]);
    let mut s = Session::new();
    s.load_builtin("article-random").unwrap();
    s.configure(
        params(&[
            ("optimizer", "toy-bias-steps".into()),
            ("loss", "squared".into()),
            ("learningRate", 0.05.into()),
        ]),
        0.2,
        JsValue::UNDEFINED,
    )
    .unwrap();
    let reports = Array::from(&s.train_epochs(3).unwrap());
    assert!(get(&reports.get(2), "loss").as_f64() < get(&reports.get(0), "loss").as_f64());
    let racers = s
        .race_start(params(&[("loss", "squared".into())]), 0.2)
        .unwrap();
    assert!(racers.iter().any(|r| r == "toy-bias-steps"), "{racers:?}");
}

#[wasm_bindgen_test]
fn a_network_trains_and_explains_itself_through_the_binding() {
    let mut s = seed_session();
    s.configure(
        params(&[
            ("family", "neumf".into()),
            ("nFactors", 4.into()),
            ("layers", Array::of2(&8.into(), &4.into()).into()),
            ("loss", "logistic".into()),
            ("optimizer", "adam".into()),
            ("learningRate", 0.01.into()),
        ]),
        0.0,
        JsValue::UNDEFINED,
    )
    .unwrap();
    let reports = Array::from(&s.train_epochs(5).unwrap());
    assert_eq!(reports.length(), 5);
    let e = s.explain(2, 4).unwrap();
    assert_eq!(get(&e, "kind").as_string().unwrap(), "neural");
    assert_eq!(Array::from(&get(&e, "factorParts")).length(), 4);
    assert!(get(&e, "tower").as_f64().is_some());
    let bad = s
        .configure(
            params(&[
                ("family", "mlp".into()),
                ("layers", Array::of2(&8.into(), &0.into()).into()),
            ]),
            0.0,
            JsValue::UNDEFINED,
        )
        .unwrap_err();
    assert_eq!(error_code(&bad), "invalid_param");
}
