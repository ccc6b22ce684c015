#!/usr/bin/env python3
"""mfp vs Surprise's SVD on the same generated data, measured side by side in one run.

Data: `mfp generate` (1M ratings, 6,000 users x 4,000 items, whole stars), split 80/20 with a
fixed seed into train.csv and test.csv that both tools read. Both run biased SGD with the
classic settings: k = 100, 20 epochs, lr 0.005, reg 0.02, init std 0.1. Timed: training only
(Surprise's `fit`, the sum of mfp's epoch update passes). Each tool runs with several seeds,
since the random initial factors alone move the test RMSE by a few thousandths. Prints both
throughputs (rating updates per second, median run), their ratio, and both mean test RMSEs.

usage: bench/vs_surprise.py [--ratings N] [--factors K] [--epochs E] [--seeds S]
Run through bench/run.sh, which builds mfp and prepares a Python environment with Surprise.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MFP = os.path.join(ROOT, "target", "release", "mfp")


def generate(workdir, n_ratings, seed):
    data = os.path.join(workdir, "ratings.csv")
    subprocess.run([MFP, "generate", "--out", data, "--ratings", str(n_ratings), "--stars",
                    "--seed", str(seed)], check=True)
    with open(data) as f:
        header, lines = f.readline(), f.readlines()
    rng = random.Random(seed)
    rng.shuffle(lines)
    n_test = len(lines) // 5
    paths = {}
    for name, part in (("test", lines[:n_test]), ("train", lines[n_test:])):
        paths[name] = os.path.join(workdir, f"{name}.csv")
        with open(paths[name], "w") as f:
            f.write(header)
            f.writelines(part)
    return paths, len(lines) - n_test


def run_mfp(paths, k, epochs, seed):
    out = subprocess.run([MFP, "train", "--train", paths["train"], "--test", paths["test"],
                          "--algo", "sgd", "--factors", str(k), "--epochs", str(epochs),
                          "--lr", "0.005", "--reg", "0.02", "--init-std", "0.1",
                          "--seed", str(seed), "--json"],
                         check=True, capture_output=True, text=True)
    final = json.loads(out.stdout.strip().splitlines()[-1])
    return final["seconds"], final["test_rmse"]


def run_surprise(paths, k, epochs, seed):
    from surprise import SVD, Dataset, Reader, accuracy
    reader = Reader(line_format="user item rating", sep=",", skip_lines=1, rating_scale=(1, 5))
    train = Dataset.load_from_file(paths["train"], reader).build_full_trainset()
    test = Dataset.load_from_file(paths["test"], reader).build_full_trainset().build_testset()
    algo = SVD(n_factors=k, n_epochs=epochs, lr_all=0.005, reg_all=0.02, init_std_dev=0.1,
               random_state=seed)
    t0 = time.perf_counter()
    algo.fit(train)
    seconds = time.perf_counter() - t0
    rmse = accuracy.rmse(algo.test(test), verbose=False)
    return seconds, rmse


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ratings", type=int, default=1_000_000)
    ap.add_argument("--factors", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--seeds", type=int, default=3,
                    help="runs of each tool, with seeds 0..N-1: the median time and the mean RMSE count")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        paths, n_train = generate(work, args.ratings, seed=1)
        updates = n_train * args.epochs
        results = {}
        for name, fn in (("mfp", run_mfp), ("surprise", run_surprise)):
            runs = [fn(paths, args.factors, args.epochs, seed) for seed in range(args.seeds)]
            times = sorted(t for t, _ in runs)
            rmses = [r for _, r in runs]
            results[name] = (times[len(times) // 2], sum(rmses) / len(rmses), max(rmses) - min(rmses))
    print(f"data: {n_train} training ratings, k = {args.factors}, {args.epochs} epochs, "
          f"{args.seeds} seeds each, {os.cpu_count()} cores (both single-threaded)")
    print(f"{'tool':<10} {'seconds':>9} {'updates/s':>13} {'test RMSE':>10} {'RMSE range':>11}")
    for name, (s, rmse, spread) in results.items():
        print(f"{name:<10} {s:>9.2f} {updates / s:>13,.0f} {rmse:>10.4f} {spread:>11.4f}")
    ratio = results["surprise"][0] / results["mfp"][0]
    print(f"mfp / surprise throughput: {ratio:.1f}x; "
          f"test RMSE difference (mfp - surprise): {results['mfp'][1] - results['surprise'][1]:+.4f}")


if __name__ == "__main__":
    sys.exit(main())
