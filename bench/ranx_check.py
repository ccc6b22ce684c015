#!/usr/bin/env python3
"""mfp's ranking metrics against an independent implementation, PyPI `ranx`: the same rankings
(every item a test user has no training click for, scored by the model mfp saved) fed to ranx,
whose precision, recall, NDCG and MAP at k must equal the figures mfp printed, and its per-user
NDCG and recall the run's (`mfp train --run-out`), to 1e-6.

MAP differs by definition: mfp divides a user's sum of precisions at the hits by min(R, k), as
RecBole does, ranx by R, as trec_eval does; ranx's per-user AP is rescaled by R / min(R, k)
before the comparison, and its own MAP is printed beside.

usage: bench/run.sh ranx_check [--k K] [--seed S]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from ranx import Qrels, Run, evaluate

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lightfm_peers import MFP, mfp, read_map, read_pairs, saved_scores  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--seed", type=int, default=3)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="mfp-ranx-")
    clicks = os.path.join(work, "clicks.csv")
    mfp("generate", "--implicit", "--clicks-only", "--users", "600", "--items", "400", "--ratings", "40000",
        "--taste", "3", "--out", clicks, "--seed", str(a.seed))
    split = os.path.join(work, "split")
    mfp("code", "--tool", "implicit", "--train", clicks, "--split", "0.2", "--algo", "als-implicit",
        "--seed", str(a.seed), "--out", split)
    model, run_file = os.path.join(work, "model.json"), os.path.join(work, "run.json")
    printed = json.loads(mfp("train", "--train", clicks, "--split", "0.2", "--seed", str(a.seed), "--loss", "bpr",
                             "--epochs", "10", "--k", str(a.k), "--save", model, "--run-out", run_file,
                             "--json").strip().splitlines()[-1])
    umap, imap = read_map(os.path.join(split, "users.csv")), read_map(os.path.join(split, "items.csv"))
    train = read_pairs(os.path.join(split, "train.csv"), umap, imap)
    test = read_pairs(os.path.join(split, "test.csv"), umap, imap)
    users = sorted({u for u, _ in train + test})
    items = sorted({i for _, i in train + test})
    score = saved_scores(model, users, items)
    seen = {}
    for u, i in train:
        seen.setdefault(u, set()).add(i)
    relevant = {}
    for u, i in test:
        if i not in seen.get(u, ()):
            relevant.setdefault(u, set()).add(i)
    at_user = {u: j for j, u in enumerate(users)}
    qrels, ranking = {}, {}
    for u, rel in relevant.items():
        s = score(at_user[u])
        ranking[u] = {i: float(s[j]) for j, i in enumerate(items) if i not in seen.get(u, ())}
        qrels[u] = {i: 1 for i in rel}
    k = a.k
    metrics = [f"precision@{k}", f"recall@{k}", f"ndcg@{k}", f"map@{k}"]
    per = evaluate(Qrels(qrels), Run(ranking), metrics, return_mean=False, make_comparable=True)
    order = sorted(relevant)  # ranx returns the queries in the qrels' sorted order
    r = {m: dict(zip(order, per[m])) for m in metrics}
    scale = {u: len(relevant[u]) / min(len(relevant[u]), k) for u in order}
    ours_map = np.mean([r[f"map@{k}"][u] * scale[u] for u in order])
    rows = [
        ("precision", np.mean(list(r[f"precision@{k}"].values())), printed[f"precision_at_{k}"]),
        ("recall", np.mean(list(r[f"recall@{k}"].values())), printed[f"recall_at_{k}"]),
        ("ndcg", np.mean(list(r[f"ndcg@{k}"].values())), printed[f"ndcg_at_{k}"]),
        ("map (mfp's min(R, k))", ours_map, printed[f"map_at_{k}"]),
    ]
    print(f"{len(order)} test users, k = {k}, mfp {MFP}")
    print(f"{'metric':24} {'ranx':>12} {'mfp':>12} {'|difference|':>14}")
    worst = 0.0
    for name, theirs, mine in rows:
        # mfp prints f32 figures: compare at their precision.
        d = abs(theirs - mine)
        worst = max(worst, d)
        print(f"{name:24} {theirs:12.8f} {mine:12.8f} {d:14.2e}")
    print(f"{'map (ranx, trec_eval R)':24} {np.mean(list(r[f'map@{k}'].values())):12.8f}")
    # Per user, the run's figures against ranx's.
    run = json.load(open(run_file))["perUser"]
    by_id = {u: j for j, u in enumerate(run["users"])}
    ids = {u: (umap or {}).get(u, u) for u in order}
    per_worst = 0.0
    for col, m in [("ndcg", f"ndcg@{k}"), ("recall", f"recall@{k}")]:
        for u in order:
            v = run[col][by_id[ids[u]]]
            per_worst = max(per_worst, abs(v - r[m][u]))
    print(f"per-user NDCG and recall, largest |difference| over {len(order)} users: {per_worst:.2e}")
    ok = worst < 1e-6 and per_worst < 1e-6
    print("agree to 1e-6" if ok else "DISAGREE")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
