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
    assert_eq!(
        names(&get(&d, "families")),
        ["mf", "hybrid", "gmf", "mlp", "neumf"]
    );
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

#[wasm_bindgen_test]
fn features_cross_the_boundary_and_the_hybrid_uses_them() {
    let mut s = seed_session();
    // Items 1-10 of the example: two genres, as a list with a header.
    let file: String = std::iter::once("item,genres\n".to_string())
        .chain(
            (1..=10).map(|i| format!("{i},{}\n", if i % 2 == 0 { "Drama" } else { "Comedy|War" })),
        )
        .collect();
    let r = s.set_features("item", Some(file.into_bytes())).unwrap();
    assert_eq!(get(&r, "format").as_string().unwrap(), "lists");
    let item = get(&get(&get(&r, "summary"), "features"), "item");
    assert_eq!(get(&item, "nFeatures").as_f64(), Some(3.0));
    assert_eq!(get(&item, "rowsWith").as_f64(), Some(10.0));
    assert_eq!(Array::from(&get(&r, "preview")).length(), 5);
    // A side that is neither, and a bad file: stable codes, the features kept.
    assert_eq!(
        error_code(&s.set_features("film", None).unwrap_err()),
        "invalid_param"
    );
    assert_eq!(
        error_code(&s.set_features("user", Some(b"x\n".to_vec())).unwrap_err()),
        "parse_error"
    );
    // The hybrid trains on them; its explanation and its map carry them.
    s.configure(
        params(&[
            ("family", "hybrid".into()),
            ("nFactors", 2.into()),
            ("loss", "logistic".into()),
            ("learningRate", 0.1.into()),
        ]),
        0.0,
        JsValue::UNDEFINED,
    )
    .unwrap();
    s.train_epochs(3).unwrap();
    let e = s.explain(0, 0).unwrap();
    assert!(Array::from(&get(&e, "featureParts")).length() >= 1);
    let map = s.embeddings(None, None, None).unwrap();
    let names = Array::from(&get(&get(&map, "itemFeatures"), "names"));
    assert_eq!(names.length(), 3);
    assert!(get(&map, "userFeatures").is_null() || get(&map, "userFeatures").is_undefined());
    // Taken away: the summary says none.
    let r = s.set_features("item", None).unwrap();
    let item = get(&get(&get(&r, "summary"), "features"), "item");
    assert!(item.is_null() || item.is_undefined());
}
