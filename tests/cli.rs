//! The `mfp` command line as a user runs it: train with JSON lines, save, recommend, export, and
//! bad input answered with exit status 2 and file, line and column.

mod cli_support;

use std::process::Command;

use cli_support::{json_lines, mfp, mfp_json, ratings_csv, temp_dir};

#[test]
fn train_prints_one_json_object_per_epoch_then_a_final_one() {
    let dir = temp_dir("train");
    let csv = ratings_csv(&dir);
    let model = dir.join("model.json");
    let lines = mfp_json(&[
        "train",
        "--train",
        csv.to_str().unwrap(),
        "--split",
        "0.2",
        "--factors",
        "4",
        "--epochs",
        "15",
        "--lr",
        "0.02",
        "--reg",
        "0.05",
        "--seed",
        "3",
        "--json",
        "--save",
        model.to_str().unwrap(),
    ]);
    assert_eq!(lines.len(), 16);
    for (k, l) in lines[..15].iter().enumerate() {
        assert_eq!(l["epoch"], k + 1);
        assert!(l["test_rmse"].as_f64().unwrap() > 0.0);
    }
    let fin = &lines[15];
    for key in ["train_rmse", "test_rmse", "test_mae", "seconds"] {
        assert!(fin[key].as_f64().is_some(), "final line has {key}: {fin}");
    }
    assert_eq!(
        (
            fin["algo"].as_str(),
            fin["factors"].as_u64(),
            fin["lr"].as_f64()
        ),
        (Some("sgd"), Some(4), Some(0.02))
    );
    assert!(fin["test_rmse"].as_f64().unwrap() < lines[0]["test_rmse"].as_f64().unwrap());
    // Same seed, same numbers.
    let again = json_lines(&mfp(&[
        "train",
        "--train",
        csv.to_str().unwrap(),
        "--split",
        "0.2",
        "--factors",
        "4",
        "--epochs",
        "15",
        "--lr",
        "0.02",
        "--reg",
        "0.05",
        "--seed",
        "3",
        "--json",
    ]));
    assert_eq!(again[15]["test_rmse"], fin["test_rmse"]);

    let rec = mfp(&[
        "recommend",
        "--model",
        model.to_str().unwrap(),
        "--user",
        "u1",
        "--n",
        "3",
        "--json",
        "--train",
        csv.to_str().unwrap(),
    ]);
    assert!(
        rec.status.success(),
        "{}",
        String::from_utf8_lossy(&rec.stderr)
    );
    let recs = json_lines(&rec);
    assert_eq!(recs.len(), 3);
    assert!(recs[0]["prediction"].as_f64() >= recs[2]["prediction"].as_f64());

    let exp = dir.join("export");
    let e = mfp(&[
        "export",
        "--model",
        model.to_str().unwrap(),
        "--out",
        exp.to_str().unwrap(),
        "--train",
        csv.to_str().unwrap(),
    ]);
    assert!(e.status.success(), "{}", String::from_utf8_lossy(&e.stderr));
    let vectors = std::fs::read_to_string(exp.join("item_vectors.tsv")).unwrap();
    assert_eq!(vectors.lines().count(), 50);
    assert!(vectors.lines().all(|l| l.split('\t').count() == 4));
    let meta = std::fs::read_to_string(exp.join("item_metadata.tsv")).unwrap();
    assert_eq!(meta.lines().count(), 51);
    assert!(meta.starts_with("id\ttitle\tbias\n"));
    let spark = std::fs::read_to_string(exp.join("ratings_spark.csv")).unwrap();
    assert_eq!(spark.lines().count(), 1 + 80 * 20);
}

#[test]
fn implicit_data_reports_ranking_metrics() {
    let dir = temp_dir("implicit");
    let csv = ratings_csv(&dir);
    let lines = mfp_json(&[
        "train",
        "--train",
        csv.to_str().unwrap(),
        "--split",
        "0.2",
        "--implicit-threshold",
        "3.5",
        "--algo",
        "als-implicit",
        "--factors",
        "8",
        "--epochs",
        "5",
        "--reg",
        "0.1",
        "--json",
    ]);
    let fin = lines.last().unwrap();
    for key in ["precision_at_10", "recall_at_10", "ndcg_at_10"] {
        let v = fin[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{key} in {fin}"));
        assert!((0.0..=1.0).contains(&v));
    }
}

#[test]
fn bad_input_exits_2_with_file_line_and_column() {
    let dir = temp_dir("bad");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "u1,i1,4\nu2,i2,4\nu3,i1,four\n").unwrap();
    let out = mfp(&["train", "--train", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        format!(
            "mfp: {}: line 3, column 3: rating \"four\" is not a number",
            bad.display()
        )
    );
    assert_eq!(err.lines().count(), 1);

    for (args, expect) in [
        (
            vec!["train", "--train", "/nonexistent/file.csv"],
            "cannot read",
        ),
        (
            vec!["train", "--trian", "x"],
            "unexpected argument '--trian' found\n\n  tip: a similar argument exists: '--train'",
        ),
        (
            vec!["trian", "--train", "x"],
            "unrecognized subcommand 'trian'\n\n  tip: a similar subcommand exists: 'train'",
        ),
        (
            vec!["train", "--train", "x", "--loss", "sqared"],
            "tip: a similar value exists: 'squared'",
        ),
        (
            vec!["train", "--train", "x", "--factors", "many"],
            "invalid value 'many' for '--factors <K>'",
        ),
        (vec!["train", "--split", "0.2"], "--train <FILE>"),
        (
            vec!["train", "--train", bad.to_str().unwrap(), "--algo", "magic"],
            "--algo",
        ),
        (vec!["frobnicate"], "unrecognized subcommand 'frobnicate'"),
    ] {
        let out = mfp(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(expect),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let good = dir.join("good.csv");
    std::fs::write(&good, "u1,i1,4\nu2,i2,3\n").unwrap();
    let out = mfp(&["train", "--train", good.to_str().unwrap(), "--lr", "-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("learning_rate = -1"));
    let model = dir.join("broken.json");
    std::fs::write(&model, "{\"format\": \"mf-playground-model\",").unwrap();
    let out = mfp(&[
        "recommend",
        "--model",
        model.to_str().unwrap(),
        "--user",
        "u1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1, column"));
}

#[test]
fn cv_prints_each_fold_then_the_mean_and_spread() {
    let dir = temp_dir("cv");
    let csv = ratings_csv(&dir);
    let lines = mfp_json(&[
        "cv",
        "--train",
        csv.to_str().unwrap(),
        "--folds",
        "4",
        "--factors",
        "3",
        "--epochs",
        "10",
        "--lr",
        "0.02",
        "--json",
    ]);
    assert_eq!(lines.len(), 5);
    let rmses: Vec<f64> = lines[..4]
        .iter()
        .map(|l| l["test_rmse"].as_f64().unwrap())
        .collect();
    let mean = rmses.iter().sum::<f64>() / 4.0;
    let fin = &lines[4];
    assert!((fin["test_rmse_mean"].as_f64().unwrap() - mean).abs() < 1e-5);
    assert!(fin["test_rmse_std"].as_f64().unwrap() > 0.0);
    let bad = mfp(&["cv", "--train", csv.to_str().unwrap(), "--folds", "1"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--folds: folds = 1"));
    let no_split = mfp(&["cv", "--train", csv.to_str().unwrap(), "--split", "0.2"]);
    assert_eq!(no_split.status.code(), Some(2));
}

#[test]
fn simulate_prints_json_lines_per_round_and_policy_and_an_ab_interval() {
    let out = mfp(&["simulate", "--rounds", "12", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 12 * 5);
    let last = &lines[lines.len() - 5..];
    let names: Vec<&str> = last.iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["greedy", "epsilon-greedy", "ucb", "thompson", "random"]
    );
    for l in last {
        assert_eq!(l["round"], 12);
        assert!(l["regret"].as_f64().unwrap() >= 0.0);
        assert_eq!(l["impressions"], 12 * 50);
    }

    let ab = mfp(&["simulate", "--ab", "greedy,ucb", "--rounds", "5", "--json"]);
    assert!(ab.status.success());
    let text = String::from_utf8(ab.stdout).unwrap();
    let intervals: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v.get("interval").is_some())
        .collect();
    assert_eq!(intervals.len(), 5);
    let iv = &intervals[4]["interval"];
    assert!(iv["low"].as_f64().unwrap() <= iv["diff"].as_f64().unwrap());

    let table = mfp(&["simulate", "--policies", "greedy,random", "--rounds", "5"]);
    let t = String::from_utf8(table.stdout).unwrap();
    assert!(
        t.contains("greedy") && t.contains("random") && t.contains("regret"),
        "{t}"
    );

    let aa = mfp(&["simulate", "--aa-peeking", "40", "--rounds", "20"]);
    assert!(String::from_utf8(aa.stdout)
        .unwrap()
        .contains("40 A/A tests of 20 rounds"));

    let bad = mfp(&["simulate", "--policies", "best"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("policy = best"));
}

#[test]
fn sweep_prints_every_point_and_the_pareto_fronts() {
    let dir = temp_dir("sweep");
    let csv = ratings_csv(&dir);
    let out = mfp(&[
        "sweep",
        "--train",
        csv.to_str().unwrap(),
        "--grid-factors",
        "1,8",
        "--grid-regs",
        "0.05",
        "--grid-epochs",
        "5,10",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["factors"], 1);
    assert_eq!(lines[3]["epochs"], 10);
    let fin = &lines[4];
    assert_eq!(fin["points"], 4);
    assert!(!fin["front_size"].as_array().unwrap().is_empty());
    let bad = mfp(&[
        "sweep",
        "--train",
        csv.to_str().unwrap(),
        "--grid-factors",
        "1,x",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--grid-factors 1,x"));
}

#[test]
fn train_normalises_when_asked_and_names_a_bad_choice() {
    let dir = temp_dir("normalize");
    let csv = ratings_csv(&dir);
    let model = dir.join("model.json");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "train",
            "--train",
            csv.to_str().unwrap(),
            "--split",
            "0.2",
            "--factors",
            "4",
            "--epochs",
            "10",
            "--lr",
            "0.02",
            "--json",
        ];
        args.extend_from_slice(extra);
        mfp(&args)
    };
    let out = run(&[
        "--normalize",
        "user-z-score",
        "--save",
        model.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fin = json_lines(&out).pop().unwrap();
    let plain = json_lines(&run(&[])).pop().unwrap();
    assert_ne!(fin["test_rmse"], plain["test_rmse"]);
    assert!(fin["test_rmse"].as_f64().unwrap() < 1.5, "{fin}");
    let saved = std::fs::read_to_string(&model).unwrap();
    assert!(saved.contains("\"normalizer\":{\"kind\":\"user-z-score\""));

    let out = run(&["--normalize", "median"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--normalize: normalization = median: choose one of none"),
        "{err}"
    );
}

#[test]
fn help_lists_every_command_and_each_flag_with_the_engines_defaults() {
    let out = mfp(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for cmd in [
        "train",
        "cv",
        "sweep",
        "recommend",
        "export",
        "generate",
        "simulate",
        "algorithms",
    ] {
        assert!(help.contains(&format!("\n  {cmd} ")), "{cmd} in {help}");
    }
    let out = mfp(&["train", "-h"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    use mf_playground::train::{Family, TrainParams};
    let (mf, nn) = (
        TrainParams::default(),
        TrainParams::for_family(Family::NeuMf),
    );
    for (flag, default) in [
        (
            "--factors <K>",
            format!("{}; gmf, mlp, neumf: {}", mf.n_factors, nn.n_factors),
        ),
        (
            "--lr <LR>",
            format!(
                "{}; gmf, mlp, neumf: {}",
                mf.learning_rate, nn.learning_rate
            ),
        ),
        ("--seed <SEED>", mf.seed.to_string()),
    ] {
        let line = help
            .lines()
            .find(|l| l.contains(flag))
            .unwrap_or_else(|| panic!("{flag} in {help}"));
        assert!(line.contains(&format!("[default: {default}]")), "{line}");
    }
    // cv takes the training flags but not those that pick a test part.
    let out = mfp(&["cv", "--train", "x", "--split", "0.2"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Runs `mfp` under a pseudo-terminal (util-linux `script`), as a user at a terminal sees it.
fn mfp_on_a_terminal(args: &[&str]) -> Option<String> {
    let line = std::iter::once(env!("CARGO_BIN_EXE_mfp"))
        .chain(args.iter().copied())
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let out = Command::new("script")
        .args(["-qefc", &line, "/dev/null"])
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_long_run_shows_a_progress_bar_on_a_terminal_and_none_in_a_pipe_or_with_json() {
    let dir = temp_dir("progress");
    let csv = ratings_csv(&dir);
    let args = [
        "cv",
        "--train",
        csv.to_str().unwrap(),
        "--folds",
        "3",
        "--factors",
        "2",
        "--epochs",
        "2",
    ];
    let piped = mfp(&args);
    assert!(piped.status.success());
    assert!(
        piped.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    let Some(seen) = mfp_on_a_terminal(&args) else {
        eprintln!(
            "SKIPPED: util-linux `script` is not installed, so no terminal to test the bar on"
        );
        return;
    };
    assert!(seen.contains("3/3 folds"), "{seen}");
    assert!(seen.contains("mean ± sd: test RMSE"), "{seen}");
    let mut json = args.to_vec();
    json.push("--json");
    let seen = mfp_on_a_terminal(&json).unwrap();
    assert!(!seen.contains("folds,"), "{seen}");
    assert_eq!(
        seen.lines().filter(|l| l.contains("\"fold\"")).count(),
        3,
        "{seen}"
    );
}
