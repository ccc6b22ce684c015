#!/usr/bin/env python3
"""Implicit feedback: mfp's weighted ALS against the `implicit` package's ALS, in one run.

Data: `mfp generate --implicit` (6,000 users x 4,000 items); its 1s, about a million
interactions, are split 80/20 with a fixed seed into train.csv and test.csv. Both fit the
objective of Hu, Koren & Volinsky (2008) with k = 64, 15 iterations, one thread, the same
regularisation and the same confidence (mfp's 1 + alpha for an interaction is implicit's alpha).
Timed: the fit alone. Precision@10 for both by one function here: each test user's items ranked
by score over the whole catalogue, their training items left out, hits in the top 10 / 10.

usage: bench/implicit_peers.py [--ratings N] [--factors K] [--iterations I] [--alpha A] [--reg L]
                               [--init-std S] [--cg-steps C]
Run through bench/run.sh, which builds mfp and prepares a Python environment with implicit.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy.sparse as sp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MFP = os.path.join(ROOT, "target", "release", "mfp")


def generate(workdir, n_ratings, seed):
    data = os.path.join(workdir, "all.csv")
    subprocess.run([MFP, "generate", "--out", data, "--ratings", str(n_ratings), "--implicit",
                    "--seed", str(seed)], check=True, capture_output=True)
    with open(data) as f:
        header = f.readline()
        ones = [l for l in f if l.rstrip().endswith(",1")]
    random.Random(seed).shuffle(ones)
    n_test = len(ones) // 5
    paths = {}
    for name, part in (("test", ones[:n_test]), ("train", ones[n_test:])):
        paths[name] = os.path.join(workdir, f"{name}.csv")
        with open(paths[name], "w") as f:
            f.write(header)
            f.writelines(part)
    return paths, [l.split(",")[:2] for l in ones[n_test:]], [l.split(",")[:2] for l in ones[:n_test]]


def precision_at_10(user_f, item_f, train, test):
    """Mean over test users of (test items in the top 10 of the unseen items) / 10."""
    n_users = user_f.shape[0]
    seen = [set() for _ in range(n_users)]
    for u, i in train:
        seen[u].add(i)
    wanted = {}
    for u, i in test:
        wanted.setdefault(u, set()).add(i)
    users = sorted(wanted)
    total = 0.0
    for start in range(0, len(users), 512):
        chunk = users[start:start + 512]
        scores = user_f[chunk] @ item_f.T
        for row, u in enumerate(chunk):
            s = scores[row]
            if seen[u]:
                s[list(seen[u])] = -np.inf
            top = np.argpartition(-s, 10)[:10]
            total += len(wanted[u].intersection(top.tolist())) / 10
    return total / len(users)


THREADS = 1


def run_mfp(paths, k, iterations, alpha, reg, init_std, cg_steps, workdir):
    model = os.path.join(workdir, "model.json")
    out = subprocess.run([MFP, "--threads", str(THREADS), "train", "--train", paths["train"], "--algo", "als-implicit",
                          "--factors", str(k), "--epochs", str(iterations), "--alpha", str(alpha),
                          "--reg", str(reg), "--init-std", str(init_std), "--cg-steps", str(cg_steps),
                          "--seed", "0", "--json",
                          "--save", model],
                         check=True, capture_output=True, text=True)
    seconds = json.loads(out.stdout.strip().splitlines()[-1])["seconds"]
    with open(model) as f:
        m = json.load(f)
    user_f = np.array(m["userFactors"], dtype=np.float32).reshape(m["nUsers"], k)
    item_f = np.array(m["itemFactors"], dtype=np.float32).reshape(m["nItems"], k)
    return seconds, user_f, item_f, m["userIds"], m["itemIds"]


def run_implicit(train_idx, shape, k, iterations, alpha, reg):
    from implicit.cpu.als import AlternatingLeastSquares
    rows, cols = zip(*train_idx)
    user_items = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=shape)
    model = AlternatingLeastSquares(factors=k, iterations=iterations, regularization=reg,
                                    alpha=1.0 + alpha, num_threads=THREADS, random_state=0)
    t0 = time.perf_counter()
    model.fit(user_items, show_progress=False)
    seconds = time.perf_counter() - t0
    return seconds, np.asarray(model.user_factors), np.asarray(model.item_factors)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ratings", type=int, default=6_000_000,
                    help="cells generated; about a sixth are 1s")
    ap.add_argument("--factors", type=int, default=64)
    ap.add_argument("--iterations", type=int, default=15)
    ap.add_argument("--alpha", type=float, default=10.0, help="mfp's: confidence 1 + alpha")
    ap.add_argument("--reg", type=float, default=0.1)
    ap.add_argument("--init-std", type=float, default=0.1, help="mfp's initial factors")
    ap.add_argument("--cg-steps", type=int, default=3, help="mfp's (implicit uses 3); 0: exact")
    ap.add_argument("--threads", type=int, default=1, help="threads for mfp and implicit alike")
    args = ap.parse_args()
    global THREADS
    THREADS = args.threads
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    with tempfile.TemporaryDirectory() as work:
        paths, train, test = generate(work, args.ratings, seed=1)
        secs_m, uf_m, if_m, user_ids, item_ids = run_mfp(paths, args.factors, args.iterations,
                                                          args.alpha, args.reg, args.init_std,
                                                          args.cg_steps, work)
    uix = {u: n for n, u in enumerate(user_ids)}
    iix = {i: n for n, i in enumerate(item_ids)}
    train_idx = [(uix[u], iix[i]) for u, i in train]
    test_idx = [(uix[u], iix[i]) for u, i in test if u in uix and i in iix]
    secs_i, uf_i, if_i = run_implicit(train_idx, (len(user_ids), len(item_ids)), args.factors,
                                      args.iterations, args.alpha, args.reg)
    p_m = precision_at_10(uf_m, if_m, train_idx, test_idx)
    p_i = precision_at_10(uf_i, if_i, train_idx, test_idx)
    print(f"data: {len(train_idx)} training and {len(test_idx)} test interactions, "
          f"{len(user_ids)} users x {len(item_ids)} items; k = {args.factors}, "
          f"{args.iterations} iterations, reg {args.reg}, confidence {1 + args.alpha:g}, "
          f"{THREADS} thread(s) each")
    print(f"{'tool':<18} {'seconds':>8} {'precision@10':>13}")
    print(f"{'mfp als-implicit':<18} {secs_m:>8.2f} {p_m:>13.4f}")
    print(f"{'implicit ALS (CG)':<18} {secs_i:>8.2f} {p_i:>13.4f}")
    print(f"mfp time / implicit time: {secs_m / secs_i:.2f}x; "
          f"precision@10 difference (mfp - implicit): {p_m - p_i:+.4f}")


if __name__ == "__main__":
    sys.exit(main())
