//! Runs on the command line, as a practitioner compares two models: `mfp train --run-out` keeps
//! each training (its per-user figures agreeing with the means it printed, its model the file
//! `--save` writes), and `mfp compare` pairs the same test users, or refuses runs that do not
//! pair, with the reason.

mod cli_support;

use cli_support::{ok, refused, temp_dir};
use serde_json::Value;

fn json_file(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// 300 users x 200 items, 9,000 ratings drawn (the `extra` flags, e.g. clicks only), seeded.
fn generate(out: &str, seed: &str, extra: &[&str]) {
    let mut args = vec![
        "generate",
        "--out",
        out,
        "--users",
        "300",
        "--items",
        "200",
        "--ratings",
        "9000",
        "--seed",
        seed,
    ];
    args.extend_from_slice(extra);
    ok(&args);
}

fn mean(v: &Value) -> f64 {
    let xs: Vec<f64> = v
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    xs.iter().sum::<f64>() / xs.len() as f64
}

#[test]
fn two_runs_on_the_same_split_compare_user_by_user() {
    let dir = temp_dir("runs");
    let data = dir.join("r.csv");
    let data = data.to_str().unwrap();
    generate(data, "4", &[]);
    let train = |factors: &str, seed: &str, name: &str| {
        let run = dir.join(name);
        let model = dir.join(format!("{name}.model"));
        let out = ok(&[
            "train",
            "--train",
            data,
            "--split",
            "0.2",
            "--factors",
            factors,
            "--epochs",
            "20",
            "--lr",
            "0.02",
            "--seed",
            seed,
            "--json",
            "--run-out",
            run.to_str().unwrap(),
            "--save",
            model.to_str().unwrap(),
        ]);
        let printed: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
        (run, model, printed)
    };
    let (a, model_a, printed) = train("1", "7", "a.json");
    let (b, _, _) = train("12", "7", "b.json");
    let run = json_file(&a);
    assert_eq!(
        (run["format"].as_str(), run["version"].as_u64()),
        (Some("mfp-run"), Some(1))
    );
    assert_eq!(run["curves"].as_array().unwrap().len(), 20);
    assert_eq!(run["split"]["description"], "random 0.2, seed 7");
    // Every test user has their own RMSE (the ranking figures: the next test).
    let per = &run["perUser"];
    let rmse_users = per["rmse"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x.is_number())
        .count();
    assert!(rmse_users > 250, "{rmse_users}");
    assert_eq!(run["metrics"]["test_rmse"], printed["test_rmse"]);
    // The model it keeps is the model file itself, and the run opens as it does.
    assert_eq!(run["model"], json_file(&model_a));
    let recommend = |model: &std::path::Path| {
        ok(&[
            "recommend",
            "--model",
            model.to_str().unwrap(),
            "--user",
            "u1",
            "--n",
            "5",
        ])
    };
    assert_eq!(recommend(&a), recommend(&model_a));
    let mut without = json_file(&a);
    without["model"] = Value::Null;
    let bare = dir.join("bare.json");
    std::fs::write(&bare, without.to_string()).unwrap();
    let e = refused(&[
        "recommend",
        "--model",
        bare.to_str().unwrap(),
        "--user",
        "u1",
    ]);
    assert!(
        e.contains("kept no model (its file was over 8 MB): train it again with --save"),
        "{e}"
    );

    let out = ok(&[
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--json",
    ]);
    let c: Value = serde_json::from_str(out.trim()).unwrap();
    let metrics = c["metrics"].as_array().unwrap();
    let names: Vec<&str> = metrics.iter().map(|m| m[0].as_str().unwrap()).collect();
    assert_eq!(names, ["rmse", "ndcg@10", "recall@10"]);
    let rmse = &metrics[0][1];
    assert_eq!(rmse["n"].as_u64().unwrap() as usize, rmse_users);
    let (lo, d, hi) = (
        rmse["ciLow"].as_f64().unwrap(),
        rmse["meanDiff"].as_f64().unwrap(),
        rmse["ciHigh"].as_f64().unwrap(),
    );
    assert!(lo <= d && d <= hi, "{lo} {d} {hi}");
    // Twelve factors against one on data of rank 4: a real gain in RMSE, for most users.
    assert!(hi < 0.0, "B - A: [{lo}, {hi}]");
    assert!(rmse["pValue"].as_f64().unwrap() < 0.01, "{rmse}");
    // The table says what the interval means.
    let table = ok(&["compare", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert!(
        table.contains("95% of the resampled means fall inside it"),
        "{table}"
    );

    // Another test part (another seed) does not pair, nor other data, nor a file that is no run.
    let (other_split, _, _) = train("12", "8", "c.json");
    let e = refused(&[
        "compare",
        a.to_str().unwrap(),
        other_split.to_str().unwrap(),
    ]);
    assert!(
        e.contains("different test parts (random 0.2, seed 7; random 0.2, seed 8)"),
        "{e}"
    );
    let other = dir.join("other.csv");
    generate(other.to_str().unwrap(), "5", &[]);
    let run_other = dir.join("o.json");
    ok(&[
        "train",
        "--train",
        other.to_str().unwrap(),
        "--split",
        "0.2",
        "--epochs",
        "2",
        "--seed",
        "7",
        "--run-out",
        run_other.to_str().unwrap(),
    ]);
    let e = refused(&["compare", a.to_str().unwrap(), run_other.to_str().unwrap()]);
    assert!(e.contains("were trained on different data"), "{e}");
    let not_run = dir.join("model.json");
    std::fs::copy(&model_a, &not_run).unwrap();
    let e = refused(&["compare", not_run.to_str().unwrap(), b.to_str().unwrap()]);
    assert!(e.contains("is not an mfp run"), "{e}");
    let mut later = json_file(&a);
    later["version"] = 2.into();
    let v2 = dir.join("v2.json");
    std::fs::write(&v2, later.to_string()).unwrap();
    let e = refused(&["compare", v2.to_str().unwrap(), b.to_str().unwrap()]);
    assert!(
        e.contains("version 2: this mfp reads runs of version 1"),
        "{e}"
    );
}

#[test]
fn a_runs_per_user_figures_are_the_ones_behind_its_means() {
    let dir = temp_dir("runs-clicks");
    let data = dir.join("c.csv");
    let data = data.to_str().unwrap();
    generate(data, "4", &["--implicit", "--clicks-only"]);
    let run = dir.join("r.json");
    let out = ok(&[
        "train",
        "--train",
        data,
        "--split",
        "0.2",
        "--loss",
        "bpr",
        "--epochs",
        "5",
        "--json",
        "--run-out",
        run.to_str().unwrap(),
    ]);
    let printed: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    let per = &json_file(&run)["perUser"];
    for (column, field) in [("ndcg", "ndcg_at_10"), ("recall", "recall_at_10")] {
        let m = mean(&per[column]);
        let want = printed[field].as_f64().unwrap();
        assert!((m - want).abs() < 1e-6, "{column}: {m} vs {want}");
    }
    // 0/1 data has no rating error per user.
    assert!(per["rmse"].as_array().unwrap().iter().all(Value::is_null));
}

/// `mfp map`: a saved model's items laid out by t-SNE and UMAP, as CSV, keeping neighbours (a
/// random map scores about 0.5); a vectors file with a bad cell is refused at its line and
/// column.
#[test]
fn a_model_s_items_are_mapped_by_t_sne_and_umap() {
    let dir = temp_dir("map");
    let data = dir.join("r.csv");
    let data = data.to_str().unwrap();
    generate(data, "5", &[]);
    let model = dir.join("m.json");
    ok(&[
        "train",
        "--train",
        data,
        "--factors",
        "8",
        "--epochs",
        "30",
        "--lr",
        "0.02",
        "--save",
        model.to_str().unwrap(),
    ]);
    for method in ["tsne", "umap", "pca"] {
        let csv = dir.join(format!("{method}.csv"));
        let out = ok(&[
            "map",
            "--model",
            model.to_str().unwrap(),
            "--method",
            method,
            "--trust",
            "10",
            "--out",
            csv.to_str().unwrap(),
            "--json",
        ]);
        let figures: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(figures["points"], 200);
        let trust = figures["trustworthiness"].as_f64().unwrap();
        assert!(trust > 0.75, "{method}: {trust}");
        let text = std::fs::read_to_string(&csv).unwrap();
        assert!(text.starts_with("index,id,x,y\n0,"));
        assert_eq!(text.lines().count(), 201);
    }
    let vectors = dir.join("v.tsv");
    std::fs::write(&vectors, "1\t2\n3\t4\n5\tfive\n").unwrap();
    let e = refused(&["map", "--vectors", vectors.to_str().unwrap()]);
    assert!(
        e.contains("line 3, column 3: \"five\" is not a number"),
        "{e}"
    );
}
