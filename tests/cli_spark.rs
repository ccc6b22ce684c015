//! Spark's ALS folders and the knobs as code on the command line, without Spark: a model goes out
//! as a folder and comes back with the same predictions (tests/spark/roundtrip.py checks the
//! folders against Spark itself where pyspark and Java are), and bad folders and tools are
//! refused with exit status 2 and the reason.

mod cli_support;

use cli_support::{mfp, ok, ratings_csv, refused, temp_dir};

/// The prediction column of `mfp predict`'s CSV.
fn predictions(csv: &str) -> Vec<f64> {
    csv.lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn a_model_goes_out_as_a_spark_folder_and_comes_back_with_its_predictions() {
    let dir = temp_dir("spark");
    let csv = ratings_csv(&dir);
    let (csv, model, folder) = (csv.to_str().unwrap(), dir.join("m.json"), dir.join("als"));
    let (model, folder) = (model.to_str().unwrap(), folder.to_str().unwrap());
    ok(&[
        "train",
        "--train",
        csv,
        "--algo",
        "als",
        "--factors",
        "4",
        "--epochs",
        "5",
        "--save",
        model,
    ]);
    let out = mfp(&["export", "--model", model, "--spark-model", folder]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("folded into rank 6 = 4 + 2"), "{said}");
    for part in [
        "metadata/part-00000",
        "userFactors/_SUCCESS",
        "itemFactors/_SUCCESS",
        "users.csv",
        "items.csv",
    ] {
        assert!(dir.join("als").join(part).exists(), "{part}");
    }
    let meta = std::fs::read_to_string(dir.join("als/metadata/part-00000")).unwrap();
    assert!(
        meta.contains("\"class\":\"org.apache.spark.ml.recommendation.ALSModel\"")
            && meta.contains("\"rank\":6"),
        "{meta}"
    );
    // The folder, given where a model file goes, predicts what the model predicts (mfp clips
    // to the scale, Spark does not: compared where the model's own stay inside it).
    let own = predictions(&ok(&["predict", "--model", model, "--data", csv]));
    let back = predictions(&ok(&[
        "predict", "--model", folder, "--train", csv, "--data", csv,
    ]));
    assert_eq!(own.len(), back.len());
    let (lo, hi) = (1.0, 5.0);
    let mut compared = 0;
    for (a, b) in own.iter().zip(&back) {
        if *a > lo && *a < hi {
            assert!((a - b).abs() < 1e-4, "{a} against {b}");
            compared += 1;
        }
    }
    assert!(compared > own.len() / 2, "{compared} of {}", own.len());
    // import-spark writes a model file that comes back biased with k factors.
    let json = dir.join("back.json");
    let said = ok(&[
        "import-spark",
        folder,
        "--train",
        csv,
        "--out",
        json.to_str().unwrap(),
    ]);
    assert!(said.contains("4 factors and biases"), "{said}");
    // The same folder refused where it cannot be: not a second time into it, not without data.
    assert!(
        refused(&["export", "--model", model, "--spark-model", folder])
            .contains("exists and is not empty")
    );
    assert!(refused(&["recommend", "--model", folder, "--user", "u1"])
        .contains("needs the ratings file"));
}

#[test]
fn code_is_written_for_the_tools_that_have_the_algorithm_and_refused_with_the_reason_elsewhere() {
    let dir = temp_dir("code");
    let csv = ratings_csv(&dir);
    let csv = csv.to_str().unwrap();
    let out = dir.join("job");
    ok(&[
        "spark-job",
        "--train",
        csv,
        "--split",
        "0.2",
        "--algo",
        "als",
        "--factors",
        "7",
        "--out",
        out.to_str().unwrap(),
    ]);
    let job = std::fs::read_to_string(out.join("job.py")).unwrap();
    assert!(
        job.contains("RANK = 7") && job.contains("implicitPrefs=IMPLICIT"),
        "{job}"
    );
    let rows = |f: &str| {
        std::fs::read_to_string(out.join(f))
            .unwrap()
            .lines()
            .count()
            - 1
    };
    let n = std::fs::read_to_string(csv).unwrap().lines().count() - 1;
    assert_eq!(
        rows("train.csv") + rows("test.csv"),
        n,
        "the split covers the data"
    );
    let said = refused(&[
        "code",
        "--tool",
        "surprise",
        "--train",
        csv,
        "--split",
        "0.2",
        "--algo",
        "als",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        said.contains("Surprise's SVD is SGD on squared error"),
        "{said}"
    );
    let said = refused(&[
        "spark-job",
        "--train",
        csv,
        "--split",
        "0.2",
        "--algo",
        "adam",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        said.contains("Spark MLlib trains matrix factorisation with ALS only"),
        "{said}"
    );
    ok(&[
        "code",
        "--tool",
        "surprise",
        "--train",
        csv,
        "--split",
        "0.2",
        "--algo",
        "sgd",
        "--out",
        dir.join("s").to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(dir.join("s/job.py"))
        .unwrap()
        .contains("SVD(n_factors=N_FACTORS"));
}
