#!/usr/bin/python3
"""PyTorch twin of denoise's LightGCN training (speed comparison with bench/graph/lightgcn_epoch.cpp).

Follows the structure of the public LightGCN-PyTorch code (written independently here):
  * the graph: Â = D^-1/2 A D^-1/2 of the bipartite user-item training graph, no self loops, as a
    torch.sparse COO tensor, built once;
  * per epoch: one uniform negative per training positive (an item the user has no training row
    with), the triples shuffled, batches of `batch` triples;
  * per batch: the whole table is propagated (computer(): E^(l+1) = Â E^(l), L layers, mean over
    layers 0..L), then the batch's users, positives and negatives are gathered;
    BPR loss mean(softplus(neg - pos)) + decay * 0.5 * (|u0|^2 + |p0|^2 + |n0|^2) / batch on the
    layer-0 rows; Adam.
  * embeddings N(0, 0.1^2), 64-d, L = 3, decay 1e-4, lr 1e-3 (the reference's defaults).
The epoch time covers sampling, batching, forward, loss, backward and the optimizer steps.

With --valid and --test (SGDL's split files) it also follows the protocol of denoise's `--data split:DIR`:
after every epoch (outside the timed region) full ranking of every item id on the validation file with
the user's training items excluded; the epoch with the best validation NDCG@20 is tested with training
and validation items excluded; Recall@K = hits / |user's test items|, NDCG@K with binary gains and
IDCG over min(K, |test items|), averaged over the users with test items.
"""

import argparse
import json
import time

import numpy as np
import torch


def load(path):
    rows = np.loadtxt(path, dtype=np.int64)
    return rows[:, 0], rows[:, 1]


def by_user(users, items):
    out = {}
    for u, i in zip(users, items):
        out.setdefault(int(u), set()).add(int(i))
    return out


def rank_metrics(scores, truth, exclude, ks=(5, 20)):
    """scores: users x items (numpy); truth/exclude: dict user -> set of items. Means over truth's users."""
    sums = {f"{m}@{k}": 0.0 for m in ("recall", "ndcg") for k in ks}
    kmax = max(ks)
    discount = 1.0 / np.log2(np.arange(2, kmax + 2))
    for u, relevant in truth.items():
        row = scores[u].copy()
        for i in exclude.get(u, ()):
            row[i] = -np.inf
        top = np.argpartition(-row, kmax)[:kmax]
        top = top[np.argsort(-row[top], kind="stable")]
        hits = np.fromiter((int(i) in relevant for i in top), float, kmax)
        for k in ks:
            sums[f"recall@{k}"] += hits[:k].sum() / len(relevant)
            ideal = discount[:min(k, len(relevant))].sum()
            sums[f"ndcg@{k}"] += (hits[:k] * discount[:k]).sum() / ideal
    return {k: v / len(truth) for k, v in sums.items()}


def adjacency(users, items, n_users, n_items):
    pairs = np.unique(np.stack([users, items], 1), axis=0)
    u, i = pairs[:, 0], pairs[:, 1] + n_users
    n = n_users + n_items
    deg = np.bincount(np.concatenate([u, i]), minlength=n).astype(np.float64)
    inv = np.zeros(n)
    inv[deg > 0] = deg[deg > 0] ** -0.5
    rows = np.concatenate([u, i])
    cols = np.concatenate([i, u])
    vals = inv[rows] * inv[cols]
    index = torch.tensor(np.stack([rows, cols]), dtype=torch.long)
    return torch.sparse_coo_tensor(index, torch.tensor(vals, dtype=torch.float32), (n, n)).coalesce()


class LightGCN(torch.nn.Module):
    def __init__(self, n_users, n_items, graph, dim, layers):
        super().__init__()
        self.n_users, self.n_items, self.graph, self.layers = n_users, n_items, graph, layers
        self.user = torch.nn.Embedding(n_users, dim)
        self.item = torch.nn.Embedding(n_items, dim)
        torch.nn.init.normal_(self.user.weight, std=0.1)
        torch.nn.init.normal_(self.item.weight, std=0.1)

    def computer(self):
        e = torch.cat([self.user.weight, self.item.weight])
        out = [e]
        for _ in range(self.layers):
            e = torch.sparse.mm(self.graph, e)
            out.append(e)
        final = torch.stack(out, 1).mean(1)
        return torch.split(final, [self.n_users, self.n_items])

    def bpr(self, u, p, n, decay):
        users, items = self.computer()
        eu, ep, en = users[u], items[p], items[n]
        pos = (eu * ep).sum(1)
        neg = (eu * en).sum(1)
        loss = torch.nn.functional.softplus(neg - pos).mean()
        reg = 0.5 * (self.user.weight[u].norm(2).pow(2) + self.item.weight[p].norm(2).pow(2) +
                     self.item.weight[n].norm(2).pow(2)) / float(len(u))
        return loss + decay * reg


def sample(users, items, n_items, seen, rng):
    neg = rng.integers(0, n_items, size=len(users))
    bad = np.fromiter((i in seen[u] for u, i in zip(users, neg)), bool, len(users))
    while bad.any():
        idx = np.nonzero(bad)[0]
        neg[idx] = rng.integers(0, n_items, size=len(idx))
        bad[idx] = np.fromiter((neg[k] in seen[users[k]] for k in idx), bool, len(idx))
    return neg


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("train")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=2048)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--factor", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--valid", help="SGDL's .valid.rating: validate every epoch, test the best epoch")
    ap.add_argument("--test", help="SGDL's .test.negative")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    users, items = load(a.train)
    n_users, n_items = int(users.max()) + 1, int(items.max()) + 1
    if a.valid and a.test:
        vu, vi = load(a.valid)
        tu, ti = load(a.test)
        n_users = max(n_users, int(vu.max()) + 1, int(tu.max()) + 1)
        n_items = max(n_items, int(vi.max()) + 1, int(ti.max()) + 1)  # every item id is ranked
        train_sets, valid_sets, test_sets = by_user(users, items), by_user(vu, vi), by_user(tu, ti)
        seen_test = {u: train_sets.get(u, set()) | valid_sets.get(u, set()) for u in range(n_users)}
    best = None
    graph = adjacency(users, items, n_users, n_items)
    seen = [set() for _ in range(n_users)]
    for u, i in zip(users, items):
        seen[u].add(int(i))
    model = LightGCN(n_users, n_items, graph, a.factor, a.layers)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        order = rng.permutation(len(users))
        u_all, p_all = users[order], items[order]
        n_all = sample(u_all, p_all, n_items, seen, rng)
        u_t, p_t, n_t = (torch.from_numpy(x) for x in (u_all, p_all, n_all))
        total, batches = 0.0, 0
        for s in range(0, len(u_all), a.batch):
            loss = model.bpr(u_t[s:s + a.batch], p_t[s:s + a.batch], n_t[s:s + a.batch], 1e-4)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss)
            batches += 1
        seconds = time.perf_counter() - start
        record = {"impl": "pytorch", "epoch": epoch, "seconds": round(seconds, 4),
                  "loss": round(total / batches, 5), "edges": int(graph._nnz() // 2), "layers": a.layers}
        if a.valid and a.test:
            with torch.no_grad():
                eu, ei = model.computer()
                scores = (eu @ ei.T).numpy()
            valid = rank_metrics(scores, valid_sets, train_sets)
            record["valid_ndcg@20"] = round(valid["ndcg@20"], 5)
            if best is None or valid["ndcg@20"] > best[1]:
                best = (epoch, valid["ndcg@20"], rank_metrics(scores, test_sets, seen_test))
        print(json.dumps(record), flush=True)
    if best is not None:
        print(json.dumps({"impl": "pytorch", "best_epoch": best[0],
                          "test": {k: round(v, 5) for k, v in best[2].items()}}), flush=True)


if __name__ == "__main__":
    main()
