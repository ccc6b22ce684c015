#!/usr/bin/env python3
"""Spark MLlib's ALS with the knobs of:

    {COMMAND}

Written by mf-playground (`mfp spark-job`, or the page's Code button). Run it with `spark-submit job.py` on a cluster, or `python job.py`
where `pip install pyspark` and Java are. It reads train.csv and test.csv beside it (the split
mfp made, so both sides test on the same ratings), trains, prints one line of JSON with the test
metrics mfp reports, and saves the model in model/, which the playground opens on your ratings
file (`mfp import-spark model --train RATINGS`, or drop the folder on the page).
"""
import json
import math
import os
import shutil
import sys
import tempfile
import time

from pyspark.ml.evaluation import RankingEvaluator
from pyspark.ml.recommendation import ALS, ALSModel
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "model")

# The knobs, mapped (docs/spark.md has the table):
RANK = {RANK}                # --factors
MAX_ITER = {MAX_ITER}            # --epochs: one mfp ALS epoch is one Spark iteration
LAMBDA = {LAMBDA}            # --reg
IMPLICIT = {IMPLICIT}         # --algo als-implicit
ALPHA = {ALPHA}              # --alpha: confidence 1 + alpha * r, in both
SEED = {SEED}                # --seed (Spark's generator: other initial factors than mfp's)
# mfp fits mu + b_u + b_i; Spark's ALS fits no biases. With CENTRE the job takes out the
# training mean mu before fitting and adds it back (b_u and b_i have no Spark counterpart).
CENTRE = {CENTRE}
# mfp clips explicit predictions to the data's scale; Spark does not.
SCALE = {SCALE}
K = {K}                     # --k: the cut-off of the ranking metrics (0/1 data)

spark = SparkSession.builder.appName("mfp-als").config("spark.ui.showConsoleProgress", "false").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
# ALS's lineage grows with every iteration; checkpoints (every 10) keep it short. On a cluster,
# point MFP_CHECKPOINT_DIR at shared storage.
spark.sparkContext.setCheckpointDir(os.environ.get("MFP_CHECKPOINT_DIR") or tempfile.mkdtemp(prefix="mfp-als-"))
schema = "user INT, item INT, rating FLOAT"
train = spark.read.csv(os.path.join(HERE, "train.csv"), header=True, schema=schema)
test = spark.read.csv(os.path.join(HERE, "test.csv"), header=True, schema=schema)

if IMPLICIT:
    # mfp's weighted ALS uses lambda as it is (Hu et al. 2008); Spark scales it by each user's
    # (and item's) number of interactions, so lambda goes over as lambda / mean interactions.
    per_user = train.count() / max(1, train.select("user").distinct().count())
    reg_param = LAMBDA / per_user
else:
    # Both scale lambda by each user's and item's number of ratings (ALS-WR).
    reg_param = LAMBDA

mu = train.agg(F.avg("rating")).first()[0] if CENTRE else 0.0
als = ALS(rank=RANK, maxIter=MAX_ITER, regParam=reg_param, implicitPrefs=IMPLICIT, alpha=ALPHA,
          seed=SEED, userCol="user", itemCol="item", ratingCol="rating",
          coldStartStrategy="nan", nonnegative=False)
model = als.fit(train.withColumn("rating", F.col("rating") - F.lit(mu)))

report = {"spark_version": spark.version, "rank": RANK, "max_iter": MAX_ITER,
          "reg_param": reg_param, "implicit": IMPLICIT, "mu": mu}
if not IMPLICIT:
    # Users or items the training part lacks have no factors: Spark predicts NaN, mfp predicts
    # from mu alone (zero factors); the job does as mfp does.
    pred = model.transform(test).withColumn(
        "p", F.coalesce(F.when(F.isnan("prediction"), None).otherwise(F.col("prediction")), F.lit(0.0)) + F.lit(mu))
    if SCALE:
        pred = pred.withColumn("p", F.least(F.greatest(F.col("p"), F.lit(SCALE[0])), F.lit(SCALE[1])))
    err = pred.select(F.avg((F.col("p") - F.col("rating")) ** 2).alias("mse"),
                      F.avg(F.abs(F.col("p") - F.col("rating"))).alias("mae")).first()
    report.update(test_rmse=math.sqrt(err["mse"]), test_mae=err["mae"], n_test=test.count())
else:
    # The top K of each test user among the items they did not have in training, against the
    # test's 1s: precision, recall and NDCG at K, as mfp computes them.
    users = test.select("user").distinct()
    seen = train.groupBy("user").agg(F.collect_set("item").alias("seen"))
    most = seen.select(F.max(F.size("seen"))).first()[0] or 0
    recs = model.recommendForUserSubset(users, K + most).join(seen, "user", "left")
    top = recs.select("user", F.slice(F.filter(F.col("recommendations.item"),
                      lambda i: ~F.coalesce(F.array_contains(F.col("seen"), i), F.lit(False))), 1, K)
                      .cast("array<double>").alias("top"))
    truth = test.where(F.col("rating") > 0).groupBy("user").agg(
        F.collect_set(F.col("item").cast("double")).alias("truth"))
    both = top.join(truth, "user")
    for metric, name in [("precisionAtK", "precision"), ("recallAtK", "recall"), ("ndcgAtK", "ndcg")]:
        ev = RankingEvaluator(predictionCol="top", labelCol="truth", metricName=metric, k=K)
        report[f"test_{name}_at_{K}"] = ev.evaluate(both)

if os.path.isdir(OUT):
    shutil.rmtree(OUT)  # a local folder from an earlier run (on a cluster, pass a new path)
if CENTRE:
    # Saved as ALSModel.save saves, with mu folded in (user [p_u, mu, 1], item [q_i, 1, 0]), so
    # the model serves mu + p_u . q_i wherever it is loaded.
    model.userFactors.select("id", F.concat("features", F.array(F.lit(mu), F.lit(1.0)).cast("array<float>")).alias("features")) \
        .write.mode("overwrite").parquet(os.path.join(OUT, "userFactors"))
    model.itemFactors.select("id", F.concat("features", F.array(F.lit(1.0), F.lit(0.0)).cast("array<float>")).alias("features")) \
        .write.mode("overwrite").parquet(os.path.join(OUT, "itemFactors"))
    metadata = {"class": "org.apache.spark.ml.recommendation.ALSModel", "timestamp": int(time.time() * 1000),
                "sparkVersion": spark.version, "uid": model.uid,
                "paramMap": {"userCol": "user", "itemCol": "item"},
                "defaultParamMap": {"coldStartStrategy": "nan", "predictionCol": "prediction",
                                    "userCol": "user", "itemCol": "item", "blockSize": 4096},
                "rank": RANK + 2}
    spark.sparkContext.parallelize([json.dumps(metadata)], 1).saveAsTextFile(os.path.join(OUT, "metadata"))
    ALSModel.load(OUT)  # what a reader of the folder meets
else:
    model.write().overwrite().save(OUT)
# The id maps, when the data's ids are not integers: beside the tables, where the playground
# looks for them.
for name in ("users.csv", "items.csv"):
    if os.path.exists(os.path.join(HERE, name)) and os.path.isdir(OUT):
        shutil.copy(os.path.join(HERE, name), os.path.join(OUT, name))
report["model"] = OUT
print(json.dumps(report))
spark.stop()
