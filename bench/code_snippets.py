#!/usr/bin/env python3
"""The scripts `mfp code` writes for implicit and Surprise, run, beside `mfp train` with the same
knobs on the same split: the check that the knob mapping of the page's Code box holds for the
two tools whose packages live only in bench/.venv (the PySpark job is checked against Spark in
the test command, tests/spark/roundtrip.py).

usage: bench/run.sh code_snippets [--ratings N] [--seeds S]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

MFP = os.path.join(os.path.dirname(__file__), "..", "target", "release", "mfp")


def mfp(*args):
    return subprocess.run([MFP, *args], check=True, capture_output=True, text=True).stdout


def last(text):
    return json.loads(text.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ratings", type=int, default=100_000)
    ap.add_argument("--seeds", type=int, default=3)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="mfp-code-")
    data = os.path.join(work, "ratings.csv")
    clicks = os.path.join(work, "clicks.csv")
    shape = ["--users", "3000", "--items", "1500", "--ratings", str(a.ratings), "--seed", "5"]
    mfp("generate", "--out", data, *shape)
    mfp("generate", "--implicit", "--out", clicks, *shape)
    cases = [
        ("surprise", data, ["--algo", "sgd", "--factors", "16", "--epochs", "20", "--lr", "0.01", "--reg", "0.05"], "test_rmse", "test_rmse"),
        ("implicit", clicks, ["--algo", "als-implicit", "--factors", "16", "--epochs", "10", "--reg", "0.1", "--alpha", "5"],
         "test_precision_at_10", "precision_at_10"),
    ]
    print(f"{a.ratings} generated ratings, and as many generated clicks (3,000 users x 1,500 items), 20% held out, {a.seeds} seeds")
    for tool, path, knobs, theirs, ours in cases:
        for seed in range(1, a.seeds + 1):
            out = os.path.join(work, f"{tool}-{seed}")
            flags = ["--train", path, "--split", "0.2", "--seed", str(seed), *knobs]
            mfp("code", "--tool", tool, *flags, "--out", out)
            run = subprocess.run([sys.executable, os.path.join(out, "job.py")], capture_output=True, text=True, check=True)
            peer = last(run.stdout)[theirs]
            own = last(mfp("train", *flags, "--json"))[ours]
            print(f"{tool:9} seed {seed}: {theirs} {peer:.4f}, mfp {ours} {own:.4f}, ratio {peer / own:.3f}")


if __name__ == "__main__":
    main()
