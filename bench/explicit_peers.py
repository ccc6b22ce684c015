#!/usr/bin/env python3
"""Explicit ratings: mfp's SGD against Surprise's SVD and LIBMF, on the same data in one run.

Data: `mfp generate` (1M ratings, 6,000 users x 4,000 items, whole stars), split 80/20 with a
fixed seed into train.csv and test.csv that every tool reads. All run single-threaded with
k = 100 and 20 epochs. Timed: training only (Surprise's `fit`, LIBMF's `fit`, the sum of mfp's
epoch update passes).

Settings: each tool's learning rate and regularisation (and for mfp the initial factors' spread)
are chosen on a validation part (10% of the training ratings) from a small grid, then the chosen settings train on all the training
ratings and are scored on the test part. Surprise's SVD performs the same update as mfp's SGD,
so it runs at mfp's chosen settings (and the classic ones, lr 0.005, reg 0.02, for reference).
LIBMF uses its own adaptive (AdaGrad-style) learning rate, so it has its own grid. mfp and
Surprise run several seeds (the random initial factors move the RMSE by a few thousandths):
median time, mean RMSE.

The runs go in rounds: round r runs every tool with seed r, back to back, so a slow spell of the
machine (a shared 2-core VM's speed can halve for minutes) falls on all the tools of a round.
Prints a table (updates per second, test RMSE) and mfp's throughput as a ratio of each peer's:
the median of the rounds' own ratios, with their range.

usage: bench/explicit_peers.py [--ratings N] [--factors K] [--epochs E] [--seeds S]
`--threads N` gives mfp and LIBMF N threads each (mfp's strata of blocks, LIBMF's `-s N`);
`--no-surprise` leaves out Surprise, which has one thread and takes minutes a run.

Run through bench/run.sh, which builds mfp and the LIBMF peer and prepares a Python environment.
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
LIBMF = os.path.join(ROOT, "bench", "peers", "target", "release", "libmf-peer")

# (learning rate, regularisation, standard deviation of the initial factors)
MFP_GRID = [(lr, reg, init) for lr in (0.005, 0.01, 0.02, 0.03) for reg in (0.02, 0.05)
            for init in (0.1, 0.02)]
# LIBMF's initial factors follow its own rule (not a parameter of its API).
LIBMF_GRID = [(lr, reg, None) for lr in (0.05, 0.1, 0.2) for reg in (0.02, 0.05, 0.1)]
CLASSIC = (0.005, 0.02, 0.1)


def write_split(lines, header, fraction, seed, paths):
    rng = random.Random(seed)
    lines = list(lines)
    rng.shuffle(lines)
    n_test = int(len(lines) * fraction)
    for path, part in zip(paths, (lines[n_test:], lines[:n_test])):
        with open(path, "w") as f:
            f.write(header)
            f.writelines(part)
    return lines[n_test:]


def generate(workdir, n_ratings, seed):
    data = os.path.join(workdir, "ratings.csv")
    subprocess.run([MFP, "generate", "--out", data, "--ratings", str(n_ratings), "--stars",
                    "--seed", str(seed)], check=True, capture_output=True)
    with open(data) as f:
        header, lines = f.readline(), f.readlines()
    p = {name: os.path.join(workdir, f"{name}.csv") for name in ("train", "test", "fit", "validation")}
    train = write_split(lines, header, 0.2, seed, (p["train"], p["test"]))
    write_split(train, header, 0.1, seed + 1, (p["fit"], p["validation"]))
    return p, len(train)


THREADS = 1


def run_mfp(train, test, k, epochs, lr, reg, init, seed):
    out = subprocess.run([MFP, "--threads", str(THREADS), "train", "--train", train, "--test", test, "--algo", "sgd",
                          "--factors", str(k), "--epochs", str(epochs), "--lr", str(lr),
                          "--reg", str(reg), "--init-std", str(init), "--seed", str(seed),
                          "--json"],
                         check=True, capture_output=True, text=True)
    final = json.loads(out.stdout.strip().splitlines()[-1])
    return final["seconds"], final["test_rmse"]


def run_libmf(train, test, k, epochs, lr, reg, init, seed):
    out = subprocess.run([LIBMF, train, test, str(k), str(epochs), str(lr), str(reg), str(THREADS)],
                         check=True, capture_output=True, text=True)
    final = json.loads(out.stdout)
    return final["seconds"], final["test_rmse"]


def run_surprise(train, test, k, epochs, lr, reg, init, seed):
    from surprise import SVD, Dataset, Reader, accuracy
    reader = Reader(line_format="user item rating", sep=",", skip_lines=1, rating_scale=(1, 5))
    trainset = Dataset.load_from_file(train, reader).build_full_trainset()
    testset = Dataset.load_from_file(test, reader).build_full_trainset().build_testset()
    algo = SVD(n_factors=k, n_epochs=epochs, lr_all=lr, reg_all=reg, init_std_dev=init,
               random_state=seed)
    t0 = time.perf_counter()
    algo.fit(trainset)
    seconds = time.perf_counter() - t0
    return seconds, accuracy.rmse(algo.test(testset), verbose=False)


def choose(fn, grid, paths, k, epochs):
    """The grid point with the lowest validation RMSE (seed 0)."""
    scored = [(fn(paths["fit"], paths["validation"], k, epochs, *point, 0)[1], point)
              for point in grid]
    return min(scored)[1]


def measure_rounds(entries, paths, k, epochs):
    """Runs `entries` (fn, point, seeds) in rounds: round r runs, in order, each entry that has
    a seed r. Returns each entry's runs as (seconds, test RMSE), by seed."""
    runs = [[] for _ in entries]
    for r in range(max(seeds for _, _, seeds in entries)):
        for j, (fn, point, seeds) in enumerate(entries):
            if r < seeds:
                runs[j].append(fn(paths["train"], paths["test"], k, epochs, *point, r))
    return runs


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def summary(runs):
    """Median time, mean RMSE and the RMSEs' range (None when not run)."""
    if not runs:
        return None
    rmses = [r for _, r in runs]
    return median([t for t, _ in runs]), sum(rmses) / len(rmses), max(rmses) - min(rmses)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ratings", type=int, default=1_000_000)
    ap.add_argument("--factors", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--seeds", type=int, default=5,
                    help="rounds, seeds 0..N-1: each tool once a round; the median time and the "
                         "mean RMSE count, and the ratios are the median of the rounds' own")
    ap.add_argument("--threads", type=int, default=1,
                    help="threads for mfp and LIBMF alike (Surprise has one)")
    ap.add_argument("--no-surprise", action="store_true",
                    help="leave Surprise out (it takes minutes a run at 1M ratings)")
    args = ap.parse_args()
    global THREADS
    THREADS = args.threads
    k, e = args.factors, args.epochs
    with tempfile.TemporaryDirectory() as work:
        paths, n_train = generate(work, args.ratings, seed=1)
        mfp = choose(run_mfp, MFP_GRID, paths, k, e)
        libmf = choose(run_libmf, LIBMF_GRID, paths, k, e)
        entries = [
            ("mfp sgd", run_mfp, mfp, args.seeds),
            ("mfp sgd", run_mfp, CLASSIC, args.seeds),
            ("surprise svd", run_surprise, mfp, 0 if args.no_surprise else args.seeds),
            ("surprise svd", run_surprise, CLASSIC, 0 if args.no_surprise else 1),
            ("libmf", run_libmf, libmf, args.seeds),
        ]
        runs = measure_rounds([(fn, point, seeds) for _, fn, point, seeds in entries], paths, k, e)
        rows = [(name, point, summary(r)) for (name, _, point, _), r in zip(entries, runs)]
    updates = n_train * e
    print(f"data: {n_train} training ratings (6,000 users x 4,000 items, 1-5 stars), k = {k}, "
          f"{e} epochs, {THREADS} thread(s) for mfp and LIBMF, {os.cpu_count()} cores; settings (lr, reg, init std) "
          f"chosen on a validation part: mfp {mfp}, LIBMF {libmf[:2]}")
    print(f"{'tool':<13} {'lr':>6} {'reg':>5} {'init':>5} {'seconds':>8} {'updates/s':>12} "
          f"{'test RMSE':>10} {'range':>7}")
    for name, (lr, reg, init), (s, rmse, spread) in [r for r in rows if r[2] is not None]:
        init = "-" if init is None else init
        print(f"{name:<13} {lr:>6} {reg:>5} {init:>5} {s:>8.2f} {updates / s:>12,.0f} "
              f"{rmse:>10.4f} {spread:>7.4f}")
    ours = rows[0][2]
    for name, j in (("surprise", 2), ("libmf", 4)):
        if not runs[j]:
            continue
        ratios = [peer[0] / mine[0] for mine, peer in zip(runs[0], runs[j])]
        print(f"mfp / {name}: throughput {median(ratios):.1f}x (rounds {min(ratios):.1f}-"
              f"{max(ratios):.1f}x, {len(ratios)} rounds), test RMSE difference "
              f"(mfp - {name}) {ours[1] - rows[j][2][1]:+.4f}")


if __name__ == "__main__":
    sys.exit(main())
