#!/usr/bin/env python3
"""The `implicit` package's weighted ALS with the knobs of:

    {COMMAND}

Written by mf-playground. Needs `pip install implicit scipy numpy`. It reads train.csv and
test.csv beside it (the split the playground made: user,item,rating with 0/1 ratings), trains,
and prints one line of JSON with precision, recall and NDCG at K over the items each test user
did not have in training, as the playground reports them.
"""
import csv
import json
import math
import os

import numpy as np
import scipy.sparse as sp
from implicit.cpu.als import AlternatingLeastSquares

HERE = os.path.dirname(os.path.abspath(__file__))

# The knobs, mapped:
FACTORS = {RANK}             # --factors
ITERATIONS = {MAX_ITER}          # --epochs: one ALS epoch is one iteration in both
REGULARIZATION = {LAMBDA}    # --reg: the same unscaled lambda (Hu, Koren & Volinsky 2008)
# --alpha: the playground's confidence for an interaction is 1 + alpha; implicit's is its alpha.
ALPHA = 1.0 + {ALPHA}
SEED = {SEED}                # --seed (implicit's generator: other initial factors)
K = {K}


def read(name):
    with open(os.path.join(HERE, name), newline="") as f:
        return [(int(r["user"]), int(r["item"]), float(r["rating"])) for r in csv.DictReader(f)]


train, test = read("train.csv"), read("test.csv")
n_users = 1 + max(u for u, _, _ in train + test)
n_items = 1 + max(i for _, i, _ in train + test)
ones = [(u, i) for u, i, r in train if r > 0]
rows, cols = zip(*ones)
user_items = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n_users, n_items))
model = AlternatingLeastSquares(factors=FACTORS, iterations=ITERATIONS, regularization=REGULARIZATION,
                                alpha=ALPHA, random_state=SEED)
model.fit(user_items, show_progress=False)

truth = {}
for u, i, r in test:
    if r > 0:
        truth.setdefault(u, set()).add(i)
users = np.array(sorted(truth))
ids, _ = model.recommend(users, user_items[users], N=K, filter_already_liked_items=True)
precision = recall = ndcg = 0.0
for u, top in zip(users, ids):
    hits = [1.0 if i in truth[u] else 0.0 for i in top]
    precision += sum(hits) / K
    recall += sum(hits) / len(truth[u])
    ideal = sum(1 / math.log2(j + 2) for j in range(min(K, len(truth[u]))))
    ndcg += sum(h / math.log2(j + 2) for j, h in enumerate(hits)) / ideal
n = len(users)
print(json.dumps({f"test_precision_at_{K}": precision / n, f"test_recall_at_{K}": recall / n,
                  f"test_ndcg_at_{K}": ndcg / n, "test_users": n}))
