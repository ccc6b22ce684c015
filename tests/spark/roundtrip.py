#!/usr/bin/env python3
"""mfp and Spark MLlib's ALS, checked against Spark itself (PyPI pyspark, local mode).

1. Spark loads the model `mfp export --spark-model` wrote; its transform predicts what mfp
   predicts, to 1e-4 (explicit with biases folded in, and weighted ALS on 0/1 data).
2. mfp opens the model Spark saved (`mfp predict --model DIR --train FILE`); its predictions
   equal Spark's transform to 1e-4 (explicit, explicit with the mean folded in, implicit).
3. The job `mfp spark-job` writes runs, and its test RMSE is within 2% of `mfp train`'s with the
   same knobs (biases off on both sides: Spark's ALS fits none).

Usage: roundtrip.py MFP WORKDIR. Exits 0 when every check holds, 1 when one fails; prints
SKIP and exits 0 only when pyspark or Java is missing (tools/setup.sh --test installs both).
"""
import csv
import json
import math
import os
import shutil
import subprocess
import sys

MFP, WORK = sys.argv[1], sys.argv[2]
try:
    from pyspark.ml.recommendation import ALSModel
    from pyspark.sql import SparkSession
except ImportError as e:
    print(f"SKIP Spark checks: pyspark cannot be imported ({e}); tools/setup.sh --test installs it")
    sys.exit(0)
if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
    print("SKIP Spark checks: no Java here (tools/setup.sh --test installs one with apt)")
    sys.exit(0)

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def mfp(*args):
    out = subprocess.run([MFP, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"mfp {' '.join(args)} failed: {out.stderr.strip()}")
    return out.stdout


def last_json(text):
    return json.loads(text.strip().splitlines()[-1])


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
here = lambda *p: os.path.join(WORK, *p)
spark = (SparkSession.builder.master("local[2]").appName("mfp-checks")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "4").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
print(f"Spark {spark.version}, local mode")

# A generated data set: 2,000 users, 1,000 items, about 60,000 ratings (ids "u1", "i7": not
# integers, so the exported model maps them to indices in users.csv and items.csv).
data = here("ratings.csv")
mfp("generate", "--out", data, "--users", "2000", "--items", "1000", "--ratings", "60000", "--seed", "5")


def spark_predictions(model_dir, pairs):
    """Spark's transform of (user, item) integer pairs, by their place in `pairs`."""
    m = ALSModel.load(model_dir)
    df = spark.createDataFrame([(u, i, k) for k, (u, i) in enumerate(pairs)], "user INT, item INT, k INT")
    return {r["k"]: r["prediction"] for r in m.transform(df).collect()}


def worst(a, b):
    return max(abs(x - y) for x, y in zip(a, b))


# 1. mfp's model in Spark: explicit (biased ALS, folded to rank k + 2) and weighted ALS (0/1).
for name, flags, read in [
    ("explicit ALS with biases", ["--algo", "als", "--factors", "8", "--epochs", "10", "--reg", "0.05"], []),
    ("weighted ALS on 0/1 data", ["--algo", "als-implicit", "--factors", "8", "--epochs", "8", "--reg", "0.1", "--alpha", "5"],
     ["--implicit-threshold", "3.5"]),
]:
    model = here("mfp-model.json")
    out_dir = here("mfp-spark")
    shutil.rmtree(out_dir, ignore_errors=True)
    mfp("train", "--train", data, *read, "--split", "0.2", *flags, "--save", model, "--json")
    mfp("export", "--model", model, "--spark-model", out_dir)
    mfp("predict", "--model", model, "--data", data, *read, "--out", here("mfp-pred.csv"))
    ours = rows(here("mfp-pred.csv"))
    users = {r["id"]: int(r["index"]) for r in rows(os.path.join(out_dir, "users.csv"))}
    items = {r["id"]: int(r["index"]) for r in rows(os.path.join(out_dir, "items.csv"))}
    got = spark_predictions(out_dir, [(users[r["user"]], items[r["item"]]) for r in ours])
    clip = json.load(open(model)).get("clip")
    theirs = [got[k] if not clip else min(max(got[k], clip[0]), clip[1]) for k in range(len(ours))]
    diff = worst(theirs, [float(r["prediction"]) for r in ours])
    check(diff <= 1e-4, f"1. Spark loads mfp's {name} and predicts what mfp predicts on {len(ours)} pairs (largest difference {diff:.2e})")

# 2 and 3. The job mfp writes, run; then mfp opens the model Spark saved.
for name, flags, read, compare_rmse in [
    ("explicit ALS", ["--algo", "als", "--no-bias", "--factors", "8", "--epochs", "15", "--reg", "0.1"], [], True),
    ("explicit ALS around the mean", ["--algo", "als", "--factors", "8", "--epochs", "10", "--reg", "0.1"], [], False),
    ("weighted ALS", ["--algo", "als-implicit", "--factors", "8", "--epochs", "8", "--reg", "0.1", "--alpha", "5"],
     ["--implicit-threshold", "3.5"], False),
]:
    job = here("job")
    shutil.rmtree(job, ignore_errors=True)
    mfp("spark-job", "--train", data, *read, "--split", "0.2", *flags, "--out", job)
    run = subprocess.run([sys.executable, os.path.join(job, "job.py")], capture_output=True, text=True)
    if run.returncode != 0:
        check(False, f"the job for {name} runs: {run.stderr.strip().splitlines()[-1:]}")
        continue
    report = last_json(run.stdout)
    print(f"     job for {name}: {json.dumps(report)}")
    if compare_rmse:
        fin = last_json(mfp("train", "--train", data, *read, "--split", "0.2", *flags, "--json"))
        ratio = report["test_rmse"] / fin["test_rmse"]
        check(abs(ratio - 1) <= 0.02, f"3. the job's test RMSE {report['test_rmse']:.4f} is within 2% of mfp's {fin['test_rmse']:.4f} ({name}, ratio {ratio:.4f})")
    # Spark's model with the ratings file as the user has it: the job's maps (users.csv,
    # items.csv, copied into the model folder) take Spark's integer ids back to "u1", "i7".
    test = rows(os.path.join(job, "test.csv"))
    user_of = {r["index"]: r["id"] for r in rows(os.path.join(job, "model", "users.csv"))}
    item_of = {r["index"]: r["id"] for r in rows(os.path.join(job, "model", "items.csv"))}
    with open(here("test-own-ids.csv"), "w") as f:
        f.write("user,item,rating\n")
        f.writelines(f"{user_of[r['user']]},{item_of[r['item']]},{r['rating']}\n" for r in test)
    mfp("predict", "--model", os.path.join(job, "model"), "--train", data, *read,
        "--data", here("test-own-ids.csv"), "--out", here("spark-pred.csv"))
    ours = rows(here("spark-pred.csv"))
    got = spark_predictions(os.path.join(job, "model"), [(int(r["user"]), int(r["item"])) for r in test])
    diff = worst([got[k] for k in range(len(test))], [float(r["prediction"]) for r in ours])
    check(len(ours) == len(test) and diff <= 1e-4,
          f"2. mfp opens Spark's {name} model and predicts what Spark predicts on {len(test)} test pairs (largest difference {diff:.2e})")

# Bad input: a folder that is not an ALS model, a rank that disagrees with the metadata.
bad = here("not-a-model")
os.makedirs(os.path.join(bad, "metadata"))
open(os.path.join(bad, "metadata", "part-00000"), "w").write('{"class":"org.apache.spark.ml.feature.StringIndexerModel","rank":3}\n')
out = subprocess.run([MFP, "import-spark", bad, "--train", data, "--out", here("x.json")], capture_output=True, text=True)
check(out.returncode == 2 and "not org.apache.spark.ml.recommendation.ALSModel" in out.stderr,
      f"a folder that is not an ALS model is refused, naming the file: {out.stderr.strip()}")
lied = here("lied")
shutil.copytree(os.path.join(here("job"), "model"), lied)
meta = [p for p in os.listdir(os.path.join(lied, "metadata")) if p.startswith("part-")][0]
path = os.path.join(lied, "metadata", meta)
doc = json.loads(open(path).read())
doc["rank"] += 1
open(path, "w").write(json.dumps(doc))
out = subprocess.run([MFP, "import-spark", lied, "--train", data, "--out", here("x.json")], capture_output=True, text=True)
check(out.returncode == 2 and "but the metadata's rank is" in out.stderr and ".parquet" in out.stderr,
      f"a rank that disagrees with the metadata is refused, naming the file: {out.stderr.strip()}")
small = here("small.csv")
mfp("generate", "--out", small, "--users", "50", "--items", "1000", "--ratings", "2000", "--seed", "6")
out = subprocess.run([MFP, "import-spark", os.path.join(here("job"), "model"), "--train", small, "--out", here("x.json")], capture_output=True, text=True)
check(out.returncode == 2 and "is not a user of" in out.stderr,
      f"ids missing from the ratings file are refused: {out.stderr.strip()}")

spark.stop()
if failures:
    print(f"{len(failures)} Spark check(s) failed")
    sys.exit(1)
print("every Spark check passed")
