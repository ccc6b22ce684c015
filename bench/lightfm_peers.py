#!/usr/bin/env python3
"""mfp's hybrid model against LightFM (PyPI `lightfm`, Kula 2015) on the same interactions, the
same item features and the same splits: warm (a random fifth of the interactions held out) and
new items (every interaction of a fifth of the items held out). Both models' precision@10 and
AUC are computed here by one implementation of mfp's protocol (rank every candidate but the
user's training items; on the new-items split the candidates are the new items), and mfp's own
printed figures are checked against it. mfp trains with BPR (as LightFM's bpr, one sampled item
per click) and, once for comparison, with logistic loss and four sampled 0s. Training time is wall-clock for the same epochs, on one
thread each (LightFM's num_threads=1, mfp --threads 1), in rounds that alternate the two.

usage: bench/run.sh lightfm_peers [--data movietweetings|generated] [--rounds R] [--epochs E]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy.sparse as sp
from lightfm import LightFM
from lightfm.data import Dataset

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MFP = os.path.join(ROOT, "target", "release", "mfp")
MT = os.path.join(ROOT, "..", "shared", "data", "movietweetings-100k")


def mfp(*args):
    return subprocess.run([MFP, *args], check=True, capture_output=True, text=True).stdout


def read_map(path):
    """`index,id` lines (mfp code's users.csv/items.csv): index -> id; none when absent."""
    if not os.path.exists(path):
        return None
    with open(path) as f:
        next(f)
        return {k: v.strip('"') for k, v in (line.strip().split(",", 1) for line in f if line.strip())}


def read_pairs(path, users, items):
    """(user id, item id) pairs of a split file, mapped back to the data's ids."""
    with open(path) as f:
        next(f)
        pairs = [tuple(line.strip().split(",")[:2]) for line in f if line.strip()]
    return [((users or {}).get(u, u), (items or {}).get(i, i)) for u, i in pairs]


def data_files(kind, work):
    """A clicks file (user,item,1) and an item features file (item,genre|genre)."""
    clicks, features = os.path.join(work, "clicks.csv"), os.path.join(work, "items.csv")
    if kind == "movietweetings":
        with open(os.path.join(MT, "ratings.dat")) as f, open(clicks, "w") as out:
            out.write("user,item,rating\n")
            for line in f:
                u, i, _, _ = line.strip().split("::")
                out.write(f"{u},{i},1\n")
        return clicks, os.path.join(MT, "movies.dat")
    mfp("generate", "--implicit", "--clicks-only", "--users", "3000", "--items", "2000", "--ratings", "600000",
        "--taste", "3", "--out", clicks, "--item-features", features, "--seed", "5")
    return clicks, features


def item_genres(path):
    genres = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if "::" in line:
                parts = line.split("::")
                genres[parts[0]] = [g for g in parts[2].split("|") if g] if len(parts) > 2 else []
            elif "," in line and not line.startswith("item,"):
                i, g = line.split(",", 1)
                genres[i] = [x for x in g.split("|") if x]
    return genres


def metrics(score_user, train, test, n_items, new_items_only, k=10):
    """mfp's protocol: per user with test items, rank the candidates (every item but the user's
    training items; with new_items_only, only items without training interactions), precision@k
    (ties in a random order) and AUC (share of relevant-irrelevant candidate pairs ordered right,
    ties half)."""
    seen = {}
    count = np.zeros(n_items, dtype=np.int64)
    for u, i in train:
        seen.setdefault(u, set()).add(i)
        count[i] += 1
    relevant = {}
    for u, i in test:
        relevant.setdefault(u, set()).add(i)
    precisions, aucs = [], []
    # Ties (new items with the same features score the same) are broken at random, the same
    # draws for every model: an order that follows the ids would favour old or new films.
    rng = np.random.default_rng(7)
    for u, rel in relevant.items():
        mask = np.ones(n_items, dtype=bool)
        if new_items_only:
            mask &= count == 0
        mask[list(seen.get(u, ()))] = False
        cands = np.flatnonzero(mask)
        rel = [i for i in rel if mask[i]]
        if not rel:
            continue
        s = score_user(u)[cands]
        is_rel = np.isin(cands, rel)
        # Score descending, ties in a random order (three draws, averaged).
        hits = 0.0
        for _ in range(3):
            order = np.lexsort((rng.random(len(cands)), -s))
            hits += is_rel[order[:k]].sum()
        precisions.append(hits / 3 / k)
        # AUC by ranks, ties half: mean over relevant of the share of irrelevant below it.
        srt = np.sort(s[~is_rel])
        below = np.searchsorted(srt, s[is_rel], side="left")
        ties = np.searchsorted(srt, s[is_rel], side="right") - below
        n_irr = len(srt)
        if n_irr:
            aucs.append(float(np.mean((below + 0.5 * ties) / n_irr)))
    return float(np.mean(precisions)), float(np.mean(aucs)), len(precisions)


def saved_scores(path, users, items):
    """A user's scores of every item (in the bench's index order) from an mfp model file."""
    saved = json.load(open(path))
    k = saved["nFactors"]
    P = np.array(saved["userFactors"], dtype=np.float32).reshape(-1, k)
    Q = np.array(saved["itemFactors"], dtype=np.float32).reshape(-1, k)
    bu, bi = np.array(saved["userBias"]), np.array(saved["itemBias"])
    at_u = {x: k for k, x in enumerate(saved["userIds"])}
    at_i = {x: k for k, x in enumerate(saved["itemIds"])}
    ours_u = [at_u[u] for u in users]
    ours_i = np.array([at_i[i] for i in items])
    return lambda u: (bi[ours_i] + Q[ours_i] @ P[ours_u[u]] + bu[ours_u[u]])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="movietweetings", choices=["movietweetings", "generated"])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--factors", type=int, default=32)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="mfp-lightfm-")
    clicks, features = data_files(a.data, work)
    genres = item_genres(features)
    # mfp with BPR (one sampled item per click, the pairwise loss LightFM's bpr is), timed against
    # LightFM; and once, for what the pairwise loss buys, with logistic loss and 4 sampled 0s.
    common = ["--family", "hybrid", "--factors", str(a.factors), "--epochs", str(a.epochs), "--lr", "0.05",
              "--item-features", features, "--seed", "1"]
    knobs = common + ["--loss", "bpr", "--negatives", "1", "--reg", "0.001"]
    pointwise = common + ["--loss", "logistic", "--negatives", "4", "--reg", "0.01"]
    print(f"data: {a.data}; {a.epochs} epochs, k = {a.factors}; {a.rounds} rounds, one thread each")
    print("split      model            precision@10   AUC     users   train s")
    for split in ["random", "new-items"]:
        out = os.path.join(work, split)
        mfp("code", "--tool", "implicit", "--train", clicks, "--split", "0.2", "--split-by", split,
            "--algo", "als-implicit", "--seed", "1", "--out", out)
        umap, imap = read_map(os.path.join(out, "users.csv")), read_map(os.path.join(out, "items.csv"))
        train = read_pairs(os.path.join(out, "train.csv"), umap, imap)
        test = read_pairs(os.path.join(out, "test.csv"), umap, imap)
        users = sorted({u for u, _ in train + test})
        items = sorted({i for _, i in train + test})
        uix, iix = {u: k for k, u in enumerate(users)}, {i: k for k, i in enumerate(items)}
        tr = [(uix[u], iix[i]) for u, i in train]
        te = [(uix[u], iix[i]) for u, i in test]
        ds = Dataset()
        ds.fit(users, items, item_features=sorted({g for i in items for g in genres.get(i, [])}))
        inter, _ = ds.build_interactions(train)
        ifeat = ds.build_item_features([(i, genres.get(i, [])) for i in items])
        # Same index order as ours.
        assert [ds.mapping()[2][i] for i in items] == list(range(len(items)))
        times = {"mfp-bpr": [], "lightfm-warp": [], "lightfm-bpr": [], "mfp-logistic": []}
        result = {}
        for r in range(a.rounds):
            model_path = os.path.join(out, "model.json")
            printed = json.loads(mfp("--threads", "1", "train", "--train", clicks, "--split", "0.2", "--split-by", split,
                                     "--save", model_path, "--json", *knobs).strip().splitlines()[-1])
            # Its own timing of the epochs (reading, splitting and evaluating are not training).
            times["mfp-bpr"].append(printed["seconds"])
            for loss in ["warp", "bpr"]:
                m = LightFM(no_components=a.factors, loss=loss, learning_rate=0.05, item_alpha=1e-6, user_alpha=1e-6,
                            random_state=r + 1)
                t0 = time.perf_counter()
                m.fit(inter, item_features=ifeat, epochs=a.epochs, num_threads=1)
                times[f"lightfm-{loss}"].append(time.perf_counter() - t0)
                if r == 0:
                    ub, ue = m.get_user_representations()
                    ib, ie = m.get_item_representations(ifeat)
                    result[f"lightfm-{loss}"] = lambda u, ub=ub, ue=ue, ib=ib, ie=ie: ib + ue[u] @ ie.T + ub[u]
            if r == 0:
                result["mfp-bpr"] = saved_scores(model_path, users, items)
                mfp_printed = printed
                other = json.loads(mfp("--threads", "1", "train", "--train", clicks, "--split", "0.2", "--split-by", split,
                                       "--save", model_path, "--json", *pointwise).strip().splitlines()[-1])
                times["mfp-logistic"].append(other["seconds"])
                result["mfp-logistic"] = saved_scores(model_path, users, items)
        # mfp train splits the file itself: the same split as train.csv/test.csv (same seed).
        for name, score in result.items():
            p, auc, n = metrics(score, tr, te, len(items), split == "new-items")
            t = sorted(times[name])[len(times[name]) // 2]
            print(f"{split:10} {name:16} {p:12.4f}   {auc:.4f}  {n:6}  {t:7.2f}")
            if name == "mfp-bpr":
                own = (mfp_printed["precision_at_10"], mfp_printed["auc"])
                if abs(own[0] - p) > 1e-3 or abs(own[1] - auc) > 1e-3:
                    # New items with the same features score the same: mfp breaks the ties in its
                    # own item order (the file's), this protocol at random.
                    print(f"  (mfp printed precision@10 {own[0]:.4f}, AUC {own[1]:.4f}: ties broken in its own item order)")
        ratios = [lw / m for lw, m in zip(times["lightfm-warp"], times["mfp-bpr"])]
        print(f"{split:10} time ratio lightfm-warp / mfp-bpr, median of rounds: {sorted(ratios)[len(ratios) // 2]:.2f}x")


if __name__ == "__main__":
    main()
