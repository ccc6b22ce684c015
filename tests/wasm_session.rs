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

/// 40 users x 30 items, half the cells rated, generated.
fn generated_session() -> Session {
    let mut s = Session::new();
    s.generate(params(&[
        ("nUsers", 40.into()),
        ("nItems", 30.into()),
        ("density", 0.5.into()),
    ]))
    .unwrap();
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
    s.configure(
        params(&[
            ("nFactors", 2.into()),
            ("loss", "logistic".into()),
            ("learningRate", 0.1.into()),
        ]),
        0.0,
        JsValue::UNDEFINED,
    )
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
        error_code(
            &s.configure(params(&[]), 0.0, JsValue::UNDEFINED)
                .unwrap_err()
        ),
        "not_ready"
    );
    assert_eq!(
        error_code(&s.load_builtin("nope").unwrap_err()),
        "invalid_param"
    );

    let mut s = seed_session();
    let e = s
        .configure(
            params(&[("learningRate", (-1.0).into())]),
            0.0,
            JsValue::UNDEFINED,
        )
        .unwrap_err();
    assert_eq!(error_code(&e), "invalid_param");
    let msg = get(&e, "message").as_string().unwrap();
    assert!(msg.contains("learning_rate = -1"), "{msg}");
    let e = s
        .configure(
            params(&[("learnRate", 0.1.into())]),
            0.0,
            JsValue::UNDEFINED,
        )
        .unwrap_err();
    assert_eq!(error_code(&e), "invalid_param");
    assert!(get(&e, "message")
        .as_string()
        .unwrap()
        .contains("learnRate"));
    let e = s
        .configure(
            params(&[("optimizer", "magic".into())]),
            0.0,
            JsValue::UNDEFINED,
        )
        .unwrap_err();
    assert_eq!(error_code(&e), "invalid_param");
    s.configure(params(&[("nFactors", 3.into())]), 0.0, JsValue::UNDEFINED)
        .unwrap();
    assert_eq!(error_code(&s.explain(10, 0).unwrap_err()), "out_of_range");
}

#[wasm_bindgen_test]
fn random_seeds_come_from_the_host() {
    let a = Session::random_seed().unwrap();
    let b = Session::random_seed().unwrap();
    let c = Session::random_seed().unwrap();
    assert!(a != b || b != c, "three equal 32-bit draws");
}

#[wasm_bindgen_test]
fn a_file_is_previewed_then_committed_and_bad_files_keep_the_data() {
    let mut s = seed_session();
    s.configure(
        params(&[("nFactors", 2.into()), ("loss", "logistic".into())]),
        0.0,
        JsValue::UNDEFINED,
    )
    .unwrap();
    let csv = b"user,item,rating\nann,heat,4\nbob,heat,5\nann,up,2\n";
    let p = s
        .preview_bytes(csv, JsValue::UNDEFINED, None, None)
        .unwrap();
    let detected = get(&p, "detected");
    assert_eq!(get(&detected, "delimiter").as_string().unwrap(), "comma");
    assert_eq!(get(&detected, "header").as_bool(), Some(true));
    assert_eq!(Array::from(&get(&p, "rows")).length(), 4);
    assert_eq!(get(&get(&p, "summary"), "nRatings").as_f64(), Some(3.0));
    // Previewing does not replace the data or the model.
    assert_eq!(s.shape().unwrap(), vec![10, 10]);
    assert_eq!(s.predicted_matrix().unwrap().length(), 100);
    let e = s
        .preview_bytes(b"a,x,5\nb,y,oops\n", JsValue::UNDEFINED, None, None)
        .unwrap_err();
    assert_eq!(error_code(&e), "parse_error");
    assert!(get(&e, "message")
        .as_string()
        .unwrap()
        .starts_with("line 2, column 3"));
    assert_eq!(
        error_code(&s.commit_preview().unwrap_err()),
        "not_ready",
        "a failed preview leaves nothing to load"
    );
    s.preview_bytes(csv, JsValue::UNDEFINED, None, None)
        .unwrap();
    let summary = s.commit_preview().unwrap();
    assert_eq!(get(&summary, "nUsers").as_f64(), Some(2.0));
    assert_eq!(s.shape().unwrap(), vec![2, 2]);
    assert_eq!(
        error_code(&s.predicted_matrix().unwrap_err()),
        "not_ready",
        "a new data set drops the model"
    );
    let bad_opts = params(&[("zeroMissing", true.into())]);
    assert_eq!(
        error_code(&s.preview_bytes(csv, bad_opts, None, None).unwrap_err()),
        "invalid_param"
    );
}

#[wasm_bindgen_test]
fn editing_ratings_keeps_the_model_and_test_metrics_arrive() {
    let mut s = Session::new();
    let opts = params(&[
        ("nUsers", 40.into()),
        ("nItems", 30.into()),
        ("density", 0.5.into()),
    ]);
    let summary = s.generate(opts).unwrap();
    assert_eq!(get(&summary, "hasTruth").as_bool(), Some(true));
    assert_eq!(
        Array::from(&get(&get(&summary, "groups"), "items")).length(),
        30
    );
    s.configure(
        params(&[("nFactors", 3.into()), ("learningRate", 0.02.into())]),
        0.2,
        JsValue::UNDEFINED,
    )
    .unwrap();
    let reports = Array::from(&s.train_epochs(3).unwrap());
    let last = reports.get(2);
    assert!(get(&last, "testRmse").as_f64().unwrap() > 0.0);
    assert!(get(&last, "testMae").as_f64().unwrap() > 0.0);
    let mask = s.test_mask().unwrap();
    let in_test = (0..mask.length())
        .filter(|&k| mask.get_index(k) == 1.0)
        .count();
    assert!(in_test > 0);
    let edited = s.set_rating(0, 0, 5.0).unwrap();
    assert!(get(&edited, "nRatings").as_f64().is_some());
    assert_eq!(s.epoch(), 3, "the model is kept");
    assert_eq!(s.observed_matrix().unwrap().get_index(0), 5.0);
    s.set_rating(0, 0, f32::NAN).unwrap();
    assert!(s.observed_matrix().unwrap().get_index(0).is_nan());
    s.train_epochs(1).unwrap();
    assert_eq!(s.epoch(), 4);
    assert_eq!(
        error_code(&s.set_rating(99, 0, 1.0).unwrap_err()),
        "out_of_range"
    );
    assert_eq!(s.truth_matrix().unwrap().length(), 40 * 30);
}

#[wasm_bindgen_test]
fn views_have_the_documented_shapes() {
    let mut s = seed_session();
    s.configure(
        params(&[
            ("nFactors", 3.into()),
            ("loss", "logistic".into()),
            ("learningRate", 0.1.into()),
        ]),
        0.0,
        JsValue::UNDEFINED,
    )
    .unwrap();
    s.train_epochs(5).unwrap();
    let r = s.recommend(0, 3).unwrap();
    // User 1 interacted with items 1 and 3; the observed 0s ("did not interact") are candidates.
    let items = Array::from(&get(&r, "items"));
    assert_eq!(items.length(), 3);
    for x in items.iter() {
        let i = get(&x, "item").as_f64().unwrap();
        assert!(i != 0.0 && i != 2.0, "item {i} was already liked");
    }
    assert_eq!(Array::from(&get(&r, "rated")).length(), 10);

    let mut s = Session::new();
    s.generate(params(&[
        ("nUsers", 10.into()),
        ("nItems", 12.into()),
        ("density", 0.5.into()),
    ]))
    .unwrap();
    s.configure(
        params(&[("nFactors", 3.into()), ("learningRate", 0.05.into())]),
        0.0,
        JsValue::UNDEFINED,
    )
    .unwrap();
    s.train_epochs(20).unwrap();
    let e = s.embeddings(None, None, None).unwrap();
    assert_eq!(get(&e, "aligned").as_bool(), Some(false));
    let users = get(&e, "users");
    assert_eq!(get(&users, "method").as_string().unwrap(), "pca");
    assert_eq!(
        Array::from(&get(&users, "coords")).length(),
        20,
        "10 users x 2"
    );
    assert_eq!(Array::from(&get(&users, "explained")).length(), 2);
    // Turned onto the map before: the same map comes back as it was.
    let before: Vec<f32> = Array::from(&get(&users, "coords"))
        .iter()
        .map(|v| v.as_f64().unwrap() as f32)
        .collect();
    let items: Vec<f32> = Array::from(&get(&get(&e, "items"), "coords"))
        .iter()
        .map(|v| v.as_f64().unwrap() as f32)
        .collect();
    let again = s
        .embeddings(None, Some(before.clone()), Some(items))
        .unwrap();
    assert_eq!(get(&again, "aligned").as_bool(), Some(true));
    let turned: Vec<f32> = Array::from(&get(&get(&again, "users"), "coords"))
        .iter()
        .map(|v| v.as_f64().unwrap() as f32)
        .collect();
    assert!(turned
        .iter()
        .zip(&before)
        .all(|(a, b)| (a - b).abs() < 1e-4));
    // A t-SNE map of the items, step by step.
    let started = s
        .map_start(params(&[
            ("method", "tsne".into()),
            ("tsne", params(&[("perplexity", 3.into())])),
        ]))
        .unwrap();
    assert_eq!(Array::from(&get(&started, "rows")).length(), 12);
    assert_eq!(get(&started, "steps").as_f64(), Some(750.0));
    let step = s.map_step(10).unwrap();
    assert_eq!(get(&step, "step").as_f64(), Some(10.0));
    assert_eq!(Array::from(&get(&step, "coords")).length(), 24);
    assert_eq!(
        error_code(
            &s.map_start(params(&[("method", "mds".into())]))
                .unwrap_err()
        ),
        "invalid_param"
    );
    let r = s.recommend(0, 3).unwrap();
    assert_eq!(Array::from(&get(&r, "items")).length(), 3);
    assert_eq!(
        Array::from(&get(&r, "rated")).length(),
        6,
        "half of 12 items"
    );
    let sim = Array::from(&s.similar_items(0, 4, "cosine").unwrap());
    assert_eq!(sim.length(), 4);
    assert!(
        get(&sim.get(0), "item").as_f64().is_some() && get(&sim.get(0), "value").as_f64().is_some()
    );
    assert_eq!(
        error_code(&s.similar_items(0, 4, "jaccard").unwrap_err()),
        "invalid_param"
    );
    let recs = Array::from(&s.fold_in(vec![0, 2], vec![1.0, 1.0], 3).unwrap());
    assert_eq!(recs.length(), 3);
    let items: Vec<f64> = recs
        .iter()
        .map(|r| get(&r, "item").as_f64().unwrap())
        .collect();
    assert!(
        !items.contains(&0.0) && !items.contains(&2.0),
        "rated items are left out"
    );
    assert_eq!(
        error_code(&s.fold_in(vec![0], vec![], 3).unwrap_err()),
        "invalid_param"
    );
}

#[wasm_bindgen_test]
fn a_race_runs_the_racing_optimisers_and_the_networks_from_the_same_start() {
    let mut s = Session::new();
    s.generate(params(&[("nUsers", 30.into()), ("nItems", 20.into())]))
        .unwrap();
    let names = s
        .race_start(
            params(&[("nFactors", 2.into()), ("learningRate", 0.01.into())]),
            0.2,
        )
        .unwrap();
    // The registry's racing algorithms (a test may have registered the toy), then the networks.
    let d = Session::describe().unwrap();
    let racing: Vec<String> = Array::from(&get(&d, "algorithms"))
        .iter()
        .filter(|a| get(a, "race").as_bool() == Some(true))
        .map(|a| get(&a, "name").as_string().unwrap())
        .chain(["gmf", "mlp", "neumf"].map(String::from))
        .collect();
    assert_eq!(names, racing);
    assert_eq!(names[..4], ["sgd", "adam", "rmsprop", "als"]);
    let laps = Array::from(&s.race_step(2, None).unwrap());
    assert_eq!(laps.length(), names.len() as u32);
    for lap in laps.iter() {
        let reports = Array::from(&get(&lap, "reports"));
        assert_eq!(reports.length(), 2);
        assert!(get(&reports.get(1), "testRmse").as_f64().unwrap() > 0.0);
    }
    assert!(!s.has_model(), "the race leaves the main model alone");
    let mut fresh = Session::new();
    assert_eq!(
        error_code(&fresh.race_step(1, None).unwrap_err()),
        "not_ready"
    );
}

#[wasm_bindgen_test]
fn evaluation_rows_cover_the_model_and_the_baselines() {
    let mut s = generated_session();
    s.configure(
        params(&[("nFactors", 3.into()), ("learningRate", 0.02.into())]),
        0.2,
        JsValue::UNDEFINED,
    )
    .unwrap();
    s.train_epochs(10).unwrap();
    let e = s.evaluate(5, 3.5).unwrap();
    assert_eq!(
        get(&e, "trainRatingsUsed").as_f64(),
        get(&e, "trainRatings").as_f64()
    );
    let rows = Array::from(&get(&e, "rows"));
    let names: Vec<String> = rows
        .iter()
        .map(|r| get(&r, "name").as_string().unwrap())
        .collect();
    assert_eq!(
        names,
        ["model", "global-mean", "bias-only", "popularity", "random"]
    );
    let model = rows.get(0);
    assert!(get(&model, "testRmse").as_f64().unwrap() > 0.0);
    assert_eq!(get(&get(&model, "ranking"), "k").as_f64(), Some(5.0));
    assert!(get(&rows.get(1), "ranking").is_null() || get(&rows.get(1), "ranking").is_undefined());
}

#[wasm_bindgen_test]
fn cross_validation_runs_one_fold_per_call() {
    let mut s = Session::new();
    s.generate(params(&[("nUsers", 30.into()), ("nItems", 20.into())]))
        .unwrap();
    assert_eq!(s.cv_start(params(&[("nFactors", 2.into())]), 3).unwrap(), 3);
    let r = s.cv_fold(2).unwrap();
    assert_eq!(get(&r, "fold").as_f64(), Some(2.0));
    assert!(get(&r, "testRmse").as_f64().unwrap() > 0.0);
    assert_eq!(error_code(&s.cv_fold(3).unwrap_err()), "out_of_range");
    assert_eq!(
        error_code(&s.cv_start(params(&[]), 1).unwrap_err()),
        "invalid_param"
    );
}

#[wasm_bindgen_test]
fn early_stopping_threshold_and_sweep_cross_the_boundary_in_camel_case() {
    let mut s = Session::new();
    let synth = params(&[
        ("nUsers", 40.into()),
        ("nItems", 30.into()),
        ("density", 0.3.into()),
    ]);
    s.generate(synth).unwrap();
    let early = params(&[("validation", 0.2.into()), ("patience", 2.into())]);
    s.configure(params(&[("nFactors", 4.into())]), 0.2, early)
        .unwrap();
    let r = Array::from(&s.train_epochs(3).unwrap());
    let first = r.get(0);
    assert!(get(&first, "validationRmse").as_f64().unwrap() > 0.0);
    assert_eq!(get(&first, "bestEpoch").as_f64(), Some(1.0));
    assert_eq!(get(&first, "stop").as_bool(), Some(false));
    let bad = params(&[("validation", 2.0.into()), ("patience", 2.into())]);
    assert_eq!(
        error_code(&s.configure(params(&[]), 0.2, bad).unwrap_err()),
        "invalid_param"
    );

    let summary = s.set_implicit_threshold(Some(3.5)).unwrap();
    assert_eq!(get(&summary, "feedback").as_string().unwrap(), "implicit");
    let back = s.set_implicit_threshold(None).unwrap();
    assert_eq!(get(&back, "feedback").as_string().unwrap(), "explicit");

    let grid = params(&[
        ("factors", Array::of2(&1.into(), &2.into()).into()),
        ("epochs", Array::of1(&3.into()).into()),
        ("regs", Array::of1(&0.05.into()).into()),
    ]);
    assert_eq!(s.sweep_start(params(&[]), grid, 0.2).unwrap(), 2);
    let p = s.sweep_point(0).unwrap();
    assert_eq!(get(&p, "nFactors").as_f64(), Some(1.0));
    assert!(get(&p, "testRmse").as_f64().unwrap() > 0.0);
    let f = s.sweep_fronts().unwrap();
    assert_eq!(Array::from(&get(&f, "bySize")).length(), 1);
}

#[wasm_bindgen_test]
fn the_simd128_kernels_add_in_the_portable_order() {
    use mf_playground::kernels::{axpy, dot, dot_f64, dot_f64_portable, dot_portable, sgd_pair};
    // The wasm build has simd128 on (.cargo/config.toml): these are the intrinsic kernels.
    assert!(cfg!(target_feature = "simd128"));
    for n in [0usize, 3, 8, 15, 16, 17, 24, 64, 100, 101] {
        let a: Vec<f32> = (0..n).map(|x| (x as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..n).map(|x| (x as f32 * 0.11).cos()).collect();
        assert_eq!(
            dot(&a, &b).to_bits(),
            dot_portable(&a, &b).to_bits(),
            "n={n}"
        );
        // The Cholesky solves' f64 inner product (explicit ALS, fold-in).
        let (a64, b64): (Vec<f64>, Vec<f64>) = (
            a.iter().map(|&v| v as f64 / 3.0).collect(),
            b.iter().map(|&v| v as f64 / 7.0).collect(),
        );
        assert_eq!(
            dot_f64(&a64, &b64).to_bits(),
            dot_f64_portable(&a64, &b64).to_bits(),
            "n={n}"
        );
        let mut y = b.clone();
        axpy(&mut y, -0.25, &a);
        let (mut p, mut q) = (a.clone(), b.clone());
        sgd_pair(&mut p, &mut q, 0.999, 0.01);
        for j in 0..n {
            assert_eq!(y[j], b[j] - 0.25 * a[j]);
            assert_eq!(
                (p[j], q[j]),
                (0.999 * a[j] - 0.01 * b[j], 0.999 * b[j] - 0.01 * a[j])
            );
        }
    }
    // Explicit ALS's rank-four Gram update: the vector lanes add left to right, as the scalar tail.
    use mf_playground::kernels::add_outer_lower4;
    for n in [1usize, 4, 7, 101] {
        let x: Vec<f32> = (0..4 * n).map(|v| (v as f32 * 0.13).sin()).collect();
        let mut a = vec![0.5f32; n * n];
        add_outer_lower4(&mut a, &x, n);
        for r in 0..n {
            for c in 0..n {
                let mut want = 0.5f32;
                if c <= r {
                    for t in 0..4 {
                        want += x[t * n + r] * x[t * n + c];
                    }
                }
                assert_eq!(a[r * n + c], want, "n={n} row {r} column {c}");
            }
        }
    }
    // Adam and RMSprop on a row: the vector lanes equal the scalar code (rows of one weight).
    use mf_playground::kernels::{adaptive_row, AdaptiveStep};
    for adam in [true, false] {
        let st = AdaptiveStep {
            adam,
            scale: 0.25,
            eta: 0.01,
            c1: 0.3,
            c2: 0.05,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
        };
        let n = 11;
        let w0: Vec<f32> = (0..n).map(|x| (x as f32 * 0.7).sin()).collect();
        let g0: Vec<f32> = (0..n).map(|x| (x as f32 * 0.3).cos()).collect();
        let (mut w, mut g, mut m, mut v) = (w0.clone(), g0.clone(), vec![0.1; n], vec![0.2; n]);
        adaptive_row(&mut w, &mut g, &mut m, &mut v, &st);
        for j in 0..n {
            let (mut w1, mut g1, mut m1, mut v1) = ([w0[j]], [g0[j]], [0.1f32], [0.2f32]);
            adaptive_row(&mut w1, &mut g1, &mut m1, &mut v1, &st);
            assert_eq!(
                (w[j], m[j], v[j], g[j]),
                (w1[0], m1[0], v1[0], 0.0),
                "adam {adam}, {j}"
            );
        }
    }
}

// The registry's and the model families' tests, and the runs', in files of their own.
#[path = "wasm_session/models.rs"]
mod models;
#[path = "wasm_session/runs.rs"]
mod runs;
