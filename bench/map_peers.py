"""The map's layouts against their reference implementations: mfp map's t-SNE (Barnes-Hut)
against scikit-learn's TSNE (Barnes-Hut), and its UMAP against umap-learn, on the same vectors
(clustered points in 16 dimensions), on one thread each. Prints each round's seconds and
trustworthiness at 10 (scikit-learn's function, for both), and the median of the per-round
ratios of seconds.

    bench/run.sh map_peers [--points 1000,5000 --rounds 3]
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

import numpy as np
from sklearn.manifold import TSNE, trustworthiness

MFP = os.path.join(os.path.dirname(__file__), "..", "target", "release", "mfp")


def vectors(n, seed=3, clusters=10, dims=16):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, 4.0, (clusters, dims))
    return (centres[np.arange(n) % clusters] + rng.normal(0.0, 1.0, (n, dims))).astype(np.float32)


def mfp_map(path, method, out):
    args = [MFP, "--threads", "1", "map", "--vectors", path, "--method", method, "--out", out, "--json"]
    t0 = time.perf_counter()
    res = subprocess.run(args, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    figures = json.loads(res.stdout)
    coords = np.loadtxt(out, delimiter=",", skiprows=1, usecols=(2, 3))
    return figures["seconds"], wall, coords


def peer(x, method):
    t0 = time.perf_counter()
    if method == "tsne":
        y = TSNE(perplexity=30.0, angle=0.5, max_iter=750, init="pca", learning_rate="auto", random_state=1, n_jobs=1).fit_transform(x)
    else:
        import umap

        y = umap.UMAP(n_neighbors=15, min_dist=0.1, n_epochs=500, init="pca", random_state=1, n_jobs=1).fit_transform(x)
    return time.perf_counter() - t0, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", default="1000,5000")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--methods", default="tsne,umap")
    a = ap.parse_args()
    # umap-learn compiles with numba on its first call: warmed up outside the timings.
    import umap

    umap.UMAP(n_neighbors=5, n_epochs=10, random_state=1, n_jobs=1).fit_transform(vectors(100))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(v) for v in a.points.split(",")]:
            x = vectors(n)
            path = os.path.join(tmp, f"v{n}.tsv")
            np.savetxt(path, x, delimiter="\t", fmt="%.6f")
            for method in a.methods.split(","):
                ratios, ours_s, theirs_s, ours_t, theirs_t = [], [], [], [], []
                for r in range(a.rounds):
                    # Interleaved, alternating which goes first.
                    order = ["mfp", "peer"] if r % 2 == 0 else ["peer", "mfp"]
                    got = {}
                    for who in order:
                        if who == "mfp":
                            secs, _, y = mfp_map(path, method, os.path.join(tmp, "out.csv"))
                        else:
                            secs, y = peer(x, method)
                        got[who] = (secs, trustworthiness(x, y, n_neighbors=10))
                    ratios.append(got["peer"][0] / got["mfp"][0])
                    ours_s.append(got["mfp"][0])
                    theirs_s.append(got["peer"][0])
                    ours_t.append(got["mfp"][1])
                    theirs_t.append(got["peer"][1])
                    print(f"{method} n={n} round {r + 1}: mfp {got['mfp'][0]:.2f} s (T {got['mfp'][1]:.3f}), peer {got['peer'][0]:.2f} s (T {got['peer'][1]:.3f})", flush=True)
                rows.append((method, n, statistics.median(ours_s), statistics.median(theirs_s), statistics.median(ratios), statistics.median(ours_t), statistics.median(theirs_t)))
    peer_name = {"tsne": "scikit-learn TSNE", "umap": "umap-learn"}
    print()
    print("| layout | points | mfp seconds | peer | peer seconds | peer / mfp (median of rounds) | trustworthiness@10 mfp | peer |")
    print("|---|---|---|---|---|---|---|---|")
    for method, n, s, ps, ratio, t, pt in rows:
        print(f"| {method} | {n} | {s:.2f} | {peer_name[method]} | {ps:.2f} | {ratio:.2f}x | {t:.3f} | {pt:.3f} |")


if __name__ == "__main__":
    main()
