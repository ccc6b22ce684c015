"""GMF or NeuMF in PyTorch (CPU, one thread), the peer of bench/ncf_peers.mjs: the same files,
model, negatives, batches, optimiser and epochs; prints one JSON line with the training time
(the passes over the batches only, as the engine times its own) and HR@10 / NDCG@10 by NCF's
leave-one-out protocol.

    python bench/ncf_torch.py TRAIN.csv TEST.csv --family gmf --factors 8 --layers 64,32,16,8
        --epochs 10 --batch 256 --negatives 4 --lr 0.001 [--sparse]

--sparse uses sparse embedding gradients with SparseAdam for the tables (Adam for the layers):
rows a batch did not touch are left alone, as the engine's lazy Adam does; without it, PyTorch's
usual dense Adam moves every row at every step.
"""

import argparse
import json
import time

import numpy as np
import torch
from torch import nn


def read(path):
    pairs = []
    with open(path) as f:
        next(f)
        for line in f:
            u, i, _ = line.rstrip("\n").split(",")
            pairs.append((u, i))
    return pairs


class Ncf(nn.Module):
    def __init__(self, family, n_users, n_items, k, layers, sparse):
        super().__init__()
        self.family = family
        emb = lambda n, d: nn.Embedding(n, d, sparse=sparse)
        width = 0
        if family != "mlp":
            self.gu, self.gi = emb(n_users, k), emb(n_items, k)
            width += k
        if family != "gmf":
            half = layers[0] // 2
            self.mu, self.mi = emb(n_users, half), emb(n_items, half)
            tower = []
            for a, b in zip(layers, layers[1:]):
                lin = nn.Linear(a, b)
                nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
                nn.init.zeros_(lin.bias)
                tower += [lin, nn.ReLU()]
            self.tower = nn.Sequential(*tower)
            width += layers[-1]
        for m in self.modules():
            if isinstance(m, nn.Embedding):
                nn.init.normal_(m.weight, std=0.01)
        self.head = nn.Linear(width, 1)
        nn.init.xavier_uniform_(self.head.weight)
        nn.init.zeros_(self.head.bias)

    def forward(self, u, i):
        parts = []
        if self.family != "mlp":
            parts.append(self.gu(u) * self.gi(i))
        if self.family != "gmf":
            parts.append(self.tower(torch.cat([self.mu(u), self.mi(i)], dim=1)))
        return self.head(torch.cat(parts, dim=1) if len(parts) > 1 else parts[0]).squeeze(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("train")
    ap.add_argument("test")
    ap.add_argument("--family", default="gmf")
    ap.add_argument("--factors", type=int, default=8)
    ap.add_argument("--layers", default="64,32,16,8")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--negatives", type=int, default=4)
    ap.add_argument("--lr", type=float, default=0.001)
    ap.add_argument("--sparse", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(42)
    rng = np.random.default_rng(42)
    users, items = {}, {}
    idx = lambda m, x: m.setdefault(x, len(m))
    train = np.array([(idx(users, u), idx(items, i)) for u, i in read(a.train)], dtype=np.int64)
    test = np.array([(idx(users, u), idx(items, i)) for u, i in read(a.test)], dtype=np.int64)
    n_users, n_items = len(users), len(items)
    # Training negatives are drawn outside the user's training items (as the engine and He et
    # al.'s code do: the held-out item may be drawn); the evaluation's outside everything.
    trained = [set() for _ in range(n_users)]
    for u, i in train:
        trained[u].add(i)
    seen = [set(t) for t in trained]
    for u, i in test:
        seen[u].add(i)
    model = Ncf(a.family, n_users, n_items, a.factors, [int(w) for w in a.layers.split(",")], a.sparse)
    if a.sparse:
        tables = [p for n, p in model.named_parameters() if n.split(".")[0] in ("gu", "gi", "mu", "mi")]
        dense = [p for n, p in model.named_parameters() if n.split(".")[0] not in ("gu", "gi", "mu", "mi")]
        optims = [torch.optim.SparseAdam(tables, lr=a.lr), torch.optim.Adam(dense, lr=a.lr)]
    else:
        optims = [torch.optim.Adam(model.parameters(), lr=a.lr)]
    loss_fn = nn.BCEWithLogitsLoss()

    def outside(known, u):
        while True:
            j = int(rng.integers(n_items))
            if j not in known[u]:
                return j

    seconds = 0.0
    examples = 0
    for _ in range(a.epochs):
        us, its, ys = [], [], []
        for u, i in train:
            us.append(u), its.append(i), ys.append(1.0)
            for _ in range(a.negatives):
                us.append(u), its.append(outside(trained, u)), ys.append(0.0)
        order = rng.permutation(len(us))
        U = torch.tensor(np.array(us)[order])
        I = torch.tensor(np.array(its)[order])
        Y = torch.tensor(np.array(ys, dtype=np.float32)[order])
        t0 = time.perf_counter()
        for s in range(0, len(U), a.batch):
            for o in optims:
                o.zero_grad()
            loss = loss_fn(model(U[s : s + a.batch], I[s : s + a.batch]), Y[s : s + a.batch])
            loss.backward()
            for o in optims:
                o.step()
        seconds += time.perf_counter() - t0
        examples += len(U)
    hits, gain = 0, 0.0
    with torch.no_grad():
        for u, i in test:
            cands = [i]
            drawn = set()
            while len(cands) < 100 and len(drawn) + len(seen[u]) < n_items:
                j = outside(seen, u)
                if j not in drawn:
                    drawn.add(j)
                    cands.append(j)
            s = model(torch.tensor([u] * len(cands)), torch.tensor(cands)).numpy()
            rank = int((s[1:] >= s[0]).sum())
            if rank < 10:
                hits += 1
                gain += 1 / np.log2(rank + 2)
    print(json.dumps({"seconds": seconds, "examples": examples, "hr": hits / len(test), "ndcg": gain / len(test)}))


if __name__ == "__main__":
    main()
