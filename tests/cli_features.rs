//! Features on the command line, as a practitioner runs them: the generator's planted genres
//! written beside its ratings, the hybrid model trained with them on new items against MF, a
//! hybrid saved and read back, the split at a date, and bad feature files refused with exit
//! status 2, the file, the line and the column.

mod cli_support;

use cli_support::{ok, refused, temp_dir};

/// The last JSON line's field.
fn last(out: &str, field: &str) -> f64 {
    let v: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    v[field]
        .as_f64()
        .unwrap_or_else(|| panic!("{field} in {v}"))
}

#[test]
fn generated_genres_let_the_hybrid_predict_new_items_and_its_file_reads_back() {
    let dir = temp_dir("features");
    let (data, items) = (dir.join("r.csv"), dir.join("items.csv"));
    let (data, items) = (data.to_str().unwrap(), items.to_str().unwrap());
    ok(&[
        "generate",
        "--out",
        data,
        "--users",
        "400",
        "--items",
        "300",
        "--ratings",
        "12000",
        "--clusters",
        "6",
        "--rank",
        "6",
        "--item-features",
        items,
        "--seed",
        "3",
    ]);
    let written = std::fs::read_to_string(items).unwrap();
    assert!(
        written.starts_with("item,genre\ni1,Action\ni2,Comedy\n"),
        "{written}"
    );
    let train = |family: &str, save: Option<&str>| {
        let mut args = vec![
            "train",
            "--train",
            data,
            "--item-features",
            items,
            "--family",
            family,
            "--split",
            "0.2",
            "--split-by",
            "new-items",
            "--factors",
            "6",
            "--epochs",
            "30",
            "--lr",
            "0.02",
            "--json",
        ];
        if let Some(path) = save {
            args.extend(["--save", path]);
        }
        last(&ok(&args), "test_rmse")
    };
    let model = dir.join("hybrid.json");
    let (mf, hybrid) = (train("mf", None), train("hybrid", model.to_str()));
    assert!(hybrid < 0.9 * mf, "new items: hybrid {hybrid}, mf {mf}");
    // The saved hybrid keeps its features: its file recommends without them given again.
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(text.contains("\"itemFeatures\""));
    let recs = ok(&[
        "recommend",
        "--model",
        model.to_str().unwrap(),
        "--user",
        "u1",
        "--n",
        "3",
    ]);
    let ranked = recs
        .lines()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()));
    assert_eq!(ranked.count(), 3, "{recs}");
}

#[test]
fn the_split_at_a_date_and_bad_feature_files() {
    let dir = temp_dir("features-bad");
    let data = dir.join("r.csv");
    let mut text = String::from("user,item,rating,timestamp\n");
    for u in 1..=30 {
        for i in 1..=6 {
            text.push_str(&format!(
                "{u},{i},{},{}\n",
                1 + (u + i) % 5,
                1_370_000_000 + u * 1000 + i
            ));
        }
    }
    std::fs::write(&data, text).unwrap();
    let data = data.to_str().unwrap();
    // Users 1-14 rated before the moment; from user 15 on, after: 84 train, 96 test.
    let out = ok(&[
        "train",
        "--train",
        data,
        "--split-before",
        "1370015000",
        "--epochs",
        "2",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(
        (v["n_train"].as_u64(), v["n_test"].as_u64()),
        (Some(84), Some(96))
    );
    // User 15's first rating, the first at or after the moment.
    assert_eq!(v["test_since"].as_i64(), Some(1_370_015_001));
    let e = refused(&["train", "--train", data, "--split-before", "soon"]);
    assert!(e.contains("--split-before soon: write a date"), "{e}");
    // A word among numbers: the file, the line and the column.
    let users = dir.join("users.csv");
    let ages: String = (1..=30)
        .map(|u| {
            format!(
                "{u},{}\n",
                if u == 9 {
                    "old".into()
                } else {
                    (20 + u).to_string()
                }
            )
        })
        .collect();
    std::fs::write(&users, format!("user,age\n{ages}")).unwrap();
    let e = refused(&[
        "train",
        "--train",
        data,
        "--user-features",
        users.to_str().unwrap(),
        "--family",
        "hybrid",
    ]);
    assert!(
        e.contains(
            "users.csv: line 10, column 2: column \"age\" holds numbers, and \"old\" is not one"
        ),
        "{e}"
    );
    // The hybrid without features says what it needs.
    let e = refused(&["train", "--train", data, "--family", "hybrid"]);
    assert!(e.contains("needs features"), "{e}");
}
