#!/usr/bin/python3
"""PyTorch twin of denoise's GMF / NeuMF training with BCE, T-CE and R-CE (speed comparison).

Mirrors the protocol of the C++ CLI (examples/denoise) on MovieLens-100K:
  * every rating is an implicit positive; rating < 3 is a noisy positive;
  * random 8:1:1 split of all rows (same protocol, NOT the same rows: the permutation comes from
    numpy, not from denoise's RNG); validation/test rows whose user or item is unseen in train are
    dropped; validation and test keep clean positives only (rating >= 3); test ranks every item
    but the user's training and validation items. With --split PREFIX the twin reads instead the
    split the CLI wrote with `--export-split PREFIX` (PREFIX_train.csv, _validation.csv,
    _test.csv): the same rows, ids and noise flags on both sides;
  * each epoch: the training positives in a fresh random order, each followed by `negatives`
    items drawn uniformly from the items the user has no training row with (exact, vectorised);
    batches of `batch_size` positives (plus their negatives): the CLI's `--batch-unit positives`,
    which the bench scripts pass to it;
  * BCE on logits, Adam lr 1e-3 without weight decay. By default the embeddings use
    torch.optim.SparseAdam (only the rows a batch touches are updated), which is what denoise's
    default lazy Adam does; --adam dense uses plain Adam on dense gradients everywhere
    (denoise's --dense-adam);
  * GMF: logit = h^T (p_u * q_i) + b; NeuMF: GMF tower + MLP tower with separate embeddings of
    factor * 2^(layers-1), dense layers halving down to `factor` with ReLU after each, prediction
    layer on [gmf || mlp]. Embeddings N(0, 0.01^2), dense weights Xavier-uniform, biases 0;
  * T-CE: at iteration T (0-based, counted over the whole run) the drop rate is
    min(rate * T / ramp, rate); the floor(eps * |B|) positives with the largest loss get weight 0
    (|B| counts negatives too, at most all positives are dropped); the loss is the mean over the
    kept rows. R-CE: loss * yhat^beta (positives) or (1 - yhat)^beta (negatives), weights
    detached, mean over all rows. ramp 0 = a quarter of the run's iterations (as the CLI);
  * evaluation: Recall@K / NDCG@K over all items except the user's training items, averaged over
    users with at least one relevant item; the epoch with the best validation NDCG@K is restored
    and evaluated once on the clean test set.

The epoch time covers everything one epoch of training does: the shuffle, negative sampling,
batching, forward, loss, backward and the optimizer steps (evaluation excluded), like the
`seconds` of denoise's result JSON; `eval_seconds` times the validation pass after each epoch (full ranking,
like the CLI's `eval_seconds`).
"""

import argparse
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# ----------------------------------------------------------------------------------------------
# data


def load_ml100k(path):
    raw = np.loadtxt(path, dtype=np.int64, delimiter="\t", usecols=(0, 1, 2))
    _, users = np.unique(raw[:, 0], return_inverse=True)
    _, items = np.unique(raw[:, 1], return_inverse=True)
    return users.astype(np.int64), items.astype(np.int64), raw[:, 2].astype(np.int64)


def csr(rows, cols, n_rows):
    """Sorted, de-duplicated column lists per row: (indptr, indices)."""
    width = int(cols.max()) + 1 if len(cols) else 1
    key = np.unique(rows * width + cols)
    r, c = key // width, key % width
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.add.at(indptr, r + 1, 1)
    return np.cumsum(indptr), c.astype(np.int64)


class Data:
    def __init__(self, path, split_seed, noisy_below=3):
        users, items, ratings = load_ml100k(path)
        self.n_users = int(users.max()) + 1
        self.n_items = int(items.max()) + 1
        n = len(users)
        perm = np.random.default_rng(split_seed).permutation(n)
        n_train = int(round(n * 8 / 10))
        n_valid = min(n - n_train, int(round(n * 1 / 10)))
        part = np.full(n, 2, dtype=np.int8)
        part[perm[:n_train]] = 0
        part[perm[n_train:n_train + n_valid]] = 1
        train = part == 0
        seen_u = np.zeros(self.n_users, bool)
        seen_i = np.zeros(self.n_items, bool)
        seen_u[users[train]] = True
        seen_i[items[train]] = True
        warm = seen_u[users] & seen_i[items]
        clean = ratings >= noisy_below
        self.train_users = users[train]
        self.train_items = items[train]
        self.train_noisy = ~clean[train]
        valid = (part == 1) & warm & clean
        test = (part == 2) & warm & clean
        self.train_csr = csr(self.train_users, self.train_items, self.n_users)
        self.valid_csr = csr(users[valid], items[valid], self.n_users)
        self.test_csr = csr(users[test], items[test], self.n_users)
        # Test ranks every item but the user's training and validation items (noisy ones too), as
        # denoise's CLI and the ADT reference do.
        seen = train | ((part == 1) & warm)
        self.train_valid_csr = csr(users[seen], items[seen], self.n_users)
        self.cold = int(((part > 0) & ~warm).sum())
        self.n_valid = int(valid.sum())
        self.n_test = int(test.sum())


class ExportedSplit:
    """The split of denoise's CLI, as `--export-split PREFIX` writes it (docs/data.md: a
    `# denoise-interactions v1 n_users=U n_items=I ...` line, a header, one row per interaction
    with its dense user and item ids and its noise flag). Same attributes as Data."""

    def __init__(self, prefix):
        parts = {}
        for part in ("train", "validation", "test"):
            path = f"{prefix}_{part}.csv"
            with open(path) as f:
                meta = f.readline().split()
                if len(meta) < 3 or meta[1] != "denoise-interactions":
                    raise SystemExit(f"{path}:1: not a denoise interactions file (--export-split writes them)")
                sizes = dict(kv.split("=", 1) for kv in meta[3:] if "=" in kv)
                header = f.readline().strip().split(",")
            rows = np.loadtxt(path, delimiter=",", skiprows=2, ndmin=2, usecols=(
                header.index("user"), header.index("item"), header.index("noisy")), dtype=np.int64)
            parts[part] = rows
            self.n_users, self.n_items = int(sizes["n_users"]), int(sizes["n_items"])
        train, valid, test = parts["train"], parts["validation"], parts["test"]
        self.train_users, self.train_items = train[:, 0], train[:, 1]
        self.train_noisy = train[:, 2] != 0
        clean_valid, clean_test = valid[valid[:, 2] == 0], test[test[:, 2] == 0]
        self.train_csr = csr(self.train_users, self.train_items, self.n_users)
        self.valid_csr = csr(clean_valid[:, 0], clean_valid[:, 1], self.n_users)
        self.test_csr = csr(clean_test[:, 0], clean_test[:, 1], self.n_users)
        seen_u = np.concatenate([train[:, 0], valid[:, 0]])
        seen_i = np.concatenate([train[:, 1], valid[:, 1]])
        self.train_valid_csr = csr(seen_u, seen_i, self.n_users)
        self.cold = 0  # the CLI dropped its cold rows before writing
        self.n_valid = len(clean_valid)
        self.n_test = len(clean_test)


class NegativeSampler:
    """Exact uniform negatives: the r-th item that is not a training item of the user, r uniform.

    With a user's sorted training items p_0 < ... < p_{d-1}, s_j = p_j - j is non-decreasing and
    the r-th non-positive item is r + #{j : s_j <= r}. Offsetting row u by u * n_items makes the
    concatenated s one sorted array, so one np.searchsorted answers a whole epoch of draws.
    """

    def __init__(self, indptr, indices, n_items):
        self.indptr = indptr
        self.n_items = n_items
        degree = np.diff(indptr)
        local = np.arange(len(indices)) - np.repeat(indptr[:-1], degree)
        row = np.repeat(np.arange(len(degree)), degree)
        self.keys = row * n_items + (indices - local)
        self.available = n_items - degree
        if (self.available[degree > 0] <= 0).any():
            raise SystemExit("a user has interacted with every item: no negative to sample")

    def sample(self, users, rng):
        r = (rng.random(len(users)) * self.available[users]).astype(np.int64)
        r = np.minimum(r, self.available[users] - 1)
        before = np.searchsorted(self.keys, users * self.n_items + r, side="right") - self.indptr[users]
        return r + before


# ----------------------------------------------------------------------------------------------
# models


def xavier_(linear):
    nn.init.xavier_uniform_(linear.weight)
    nn.init.zeros_(linear.bias)


class GMF(nn.Module):
    def __init__(self, n_users, n_items, factor, sparse):
        super().__init__()
        self.user = nn.Embedding(n_users, factor, sparse=sparse)
        self.item = nn.Embedding(n_items, factor, sparse=sparse)
        self.out = nn.Linear(factor, 1)
        nn.init.normal_(self.user.weight, 0.0, 0.01)
        nn.init.normal_(self.item.weight, 0.0, 0.01)
        xavier_(self.out)

    def forward(self, u, i):
        return self.out(self.user(u) * self.item(i)).squeeze(1)

    @torch.no_grad()
    def score(self, users):
        p = self.user.weight[users] * self.out.weight[0]
        return p @ self.item.weight.t() + self.out.bias


class NeuMF(nn.Module):
    def __init__(self, n_users, n_items, factor, layers, sparse):
        super().__init__()
        e = factor * 2 ** (layers - 1)
        self.factor = factor
        self.e = e
        self.user_g = nn.Embedding(n_users, factor, sparse=sparse)
        self.item_g = nn.Embedding(n_items, factor, sparse=sparse)
        self.user_m = nn.Embedding(n_users, e, sparse=sparse)
        self.item_m = nn.Embedding(n_items, e, sparse=sparse)
        sizes = [2 * e]
        for _ in range(layers):
            sizes.append(sizes[-1] // 2)
        self.tower = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.out = nn.Linear(factor + sizes[-1], 1)
        for emb in (self.user_g, self.item_g, self.user_m, self.item_m):
            nn.init.normal_(emb.weight, 0.0, 0.01)
        for layer in self.tower:
            xavier_(layer)
        xavier_(self.out)

    def forward(self, u, i):
        g = self.user_g(u) * self.item_g(i)
        m = torch.cat([self.user_m(u), self.item_m(i)], dim=1)
        for layer in self.tower:
            m = F.relu(layer(m))
        return self.out(torch.cat([g, m], dim=1)).squeeze(1)

    @torch.no_grad()
    def score(self, users, block_pairs=32768):
        h = self.out.weight[0]
        n_items = self.item_g.weight.shape[0]
        scores = (self.user_g.weight[users] * h[: self.factor]) @ self.item_g.weight.t() + self.out.bias
        first = self.tower[0]
        user_part = self.user_m.weight[users] @ first.weight[:, : self.e].t() + first.bias
        item_part = self.item_m.weight @ first.weight[:, self.e:].t()
        per_block = max(1, block_pairs // n_items)
        for r0 in range(0, len(users), per_block):
            x = F.relu(user_part[r0:r0 + per_block, None, :] + item_part[None, :, :])
            x = x.reshape(-1, x.shape[-1])
            for layer in self.tower[1:]:
                x = F.relu(layer(x))
            scores[r0:r0 + per_block] += (x @ h[self.factor:]).reshape(-1, n_items)
        return scores


# ----------------------------------------------------------------------------------------------
# evaluation


def evaluate(model, exclude, relevant, n_items, k, block=256):
    """Mean Recall@k and NDCG@k over users with >= 1 relevant item."""
    model.eval()
    ex_ptr, ex_idx = exclude
    rel_ptr, rel_idx = relevant
    n_rel = np.diff(rel_ptr)
    users = np.nonzero(n_rel > 0)[0]
    discount = 1.0 / np.log2(np.arange(k) + 2.0)
    idcg_cum = np.cumsum(discount)
    recall_sum = ndcg_sum = 0.0
    for b0 in range(0, len(users), block):
        ub = users[b0:b0 + block]
        scores = model.score(torch.from_numpy(ub)).numpy()
        deg = np.diff(ex_ptr)[ub]
        rows = np.repeat(np.arange(len(ub)), deg)
        cols = np.concatenate([ex_idx[ex_ptr[u]:ex_ptr[u + 1]] for u in ub])
        scores[rows, cols] = -np.inf
        kk = min(k, n_items)
        top = np.argpartition(-scores, kk - 1, axis=1)[:, :kk]
        order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        mask = np.zeros((len(ub), n_items), dtype=bool)
        deg_r = n_rel[ub]
        mask[np.repeat(np.arange(len(ub)), deg_r), np.concatenate([rel_idx[rel_ptr[u]:rel_ptr[u + 1]] for u in ub])] = True
        hits = np.take_along_axis(mask, top, axis=1)
        recall_sum += float((hits.sum(1) / deg_r).sum())
        dcg = (hits * discount[:kk]).sum(1)
        idcg = idcg_cum[np.minimum(deg_r, k) - 1]
        ndcg_sum += float((dcg / idcg).sum())
    model.train()
    n = max(len(users), 1)
    return {"recall@%d" % k: recall_sum / n, "ndcg@%d" % k: ndcg_sum / n, "users": len(users)}


# ----------------------------------------------------------------------------------------------
# training


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=None, help="MovieLens-100K u.data (ml-100k:PATH also accepted)")
    ap.add_argument("--model", choices=["gmf", "neumf"], default="gmf")
    ap.add_argument("--method", "--methods", dest="method", choices=["normal", "t-ce", "r-ce"], default="normal")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch-size", type=int, default=1024, help="positives per batch")
    ap.add_argument("--negatives", type=int, default=1)
    ap.add_argument("--lr", type=float, default=0.001)
    ap.add_argument("--factor", type=int, default=32)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--drop-rate", type=float, default=0.2)
    ap.add_argument("--drop-ramp", type=int, default=0, help="iterations; 0 = a quarter of the run")
    ap.add_argument("--beta", type=float, default=0.25)
    ap.add_argument("--seed", "--seeds", dest="seed", type=int, default=1)
    ap.add_argument("--split-seed", type=int, default=2024)
    ap.add_argument("--split", default=None, metavar="PREFIX",
                    help="read the CLI's split (--export-split PREFIX) instead of drawing one")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--k", type=int, default=20)
    ap.add_argument("--adam", choices=["lazy", "dense"], default="lazy",
                    help="lazy: SparseAdam on embeddings (denoise default); dense: Adam everywhere")
    ap.add_argument("--out", default=None, help="write the result JSON here")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.data is None:
        here = os.path.dirname(os.path.abspath(__file__))
        a.data = os.path.join(here, "..", "..", "..", "shared", "data", "ml-100k", "u.data")
    if a.data.startswith("ml-100k:"):
        a.data = a.data[len("ml-100k:"):]

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)

    d = ExportedSplit(a.split) if a.split else Data(a.data, a.split_seed)
    sampler = NegativeSampler(*d.train_csr, d.n_items)
    sparse = a.adam == "lazy"
    if a.model == "gmf":
        model = GMF(d.n_users, d.n_items, a.factor, sparse)
    else:
        model = NeuMF(d.n_users, d.n_items, a.factor, a.layers, sparse)
    if sparse:
        emb = [m.weight for m in model.modules() if isinstance(m, nn.Embedding)]
        dense = [p for p in model.parameters() if all(p is not q for q in emb)]
        optimizers = [torch.optim.SparseAdam(emb, lr=a.lr), torch.optim.Adam(dense, lr=a.lr)]
    else:
        optimizers = [torch.optim.Adam(model.parameters(), lr=a.lr)]

    pos_users, pos_items = d.train_users, d.train_items
    P, K, B = len(pos_users), a.negatives, a.batch_size
    group = K + 1
    per_epoch = (P + B - 1) // B
    ramp = a.drop_ramp if a.drop_ramp > 0 else max(1, per_epoch * a.epochs // 4)
    labels_epoch = torch.zeros(P * group)
    labels_epoch[::group] = 1.0
    is_pos_epoch = labels_epoch > 0.5
    if not a.quiet:
        print("twin: %d users, %d items, train %d (%d noisy), clean validation %d, clean test %d, %d cold dropped"
              % (d.n_users, d.n_items, P, int(d.train_noisy.sum()), d.n_valid, d.n_test, d.cold), file=sys.stderr)

    history, best, best_state, iteration = [], None, None, 0
    model.train()
    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        order = rng.permutation(P)
        u = pos_users[order]
        i = pos_items[order]
        negs = sampler.sample(np.repeat(u, K), rng).reshape(P, K)
        users_all = torch.from_numpy(np.repeat(u, group))
        items_all = torch.from_numpy(np.concatenate([i[:, None], negs], axis=1).reshape(-1))
        loss_sum = weight_sum = 0.0
        for start in range(0, P * group, B * group):
            stop = min(start + B * group, P * group)
            ub, ib = users_all[start:stop], items_all[start:stop]
            yb, pb = labels_epoch[start:stop], is_pos_epoch[start:stop]
            logits = model(ub, ib)
            loss = F.binary_cross_entropy_with_logits(logits, yb, reduction="none")
            n = stop - start
            if a.method == "t-ce":
                rate = min(a.drop_rate * iteration / ramp, a.drop_rate)
                drop = min(int(math.floor(rate * n)), (stop - start) // group)
                weight = torch.ones(n)
                if drop > 0:
                    cand = torch.where(pb, loss.detach(), torch.full_like(loss, -math.inf))
                    weight[torch.topk(cand, drop, sorted=False).indices] = 0.0
                divisor = n - drop
            elif a.method == "r-ce":
                pred = torch.sigmoid(logits.detach())
                weight = torch.where(pb, pred, 1.0 - pred).pow(a.beta)
                divisor = n
            else:
                weight, divisor = None, n
            total = (loss * weight).sum() if weight is not None else loss.sum()
            batch_loss = total / divisor if divisor > 0 else total * 0.0
            for opt in optimizers:
                opt.zero_grad(set_to_none=True)
            batch_loss.backward()
            for opt in optimizers:
                opt.step()
            loss_sum += float(total.detach())
            weight_sum += divisor
            iteration += 1
        seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        val = evaluate(model, d.train_csr, d.valid_csr, d.n_items, a.k)
        eval_seconds = time.perf_counter() - t0
        rec = {"epoch": epoch, "seconds": seconds, "eval_seconds": eval_seconds,
               "samples_per_second": P * group / seconds,
               "train_loss": loss_sum / max(weight_sum, 1), "validation": val}
        history.append(rec)
        key = val["ndcg@%d" % a.k]
        if best is None or key > best:
            best = key
            best_epoch = epoch
            best_state = {n_: t.detach().clone() for n_, t in model.state_dict().items()}
        if not a.quiet:
            print("twin %s %s epoch %d/%d  %.3fs  loss %.4f  val R@%d %.4f N@%d %.4f"
                  % (a.model, a.method, epoch, a.epochs, seconds, rec["train_loss"], a.k, val["recall@%d" % a.k],
                     a.k, key), file=sys.stderr)
    model.load_state_dict(best_state)
    test = evaluate(model, d.train_valid_csr, d.test_csr, d.n_items, a.k)
    result = {
        "implementation": "pytorch-twin",
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "config": {k_: v for k_, v in vars(a).items() if k_ not in ("out", "quiet")},
        "data": {"users": d.n_users, "items": d.n_items, "train": P, "train_noisy": int(d.train_noisy.sum()),
                 "validation_clean": d.n_valid, "test_clean": d.n_test, "cold_dropped": d.cold},
        "drop_ramp_used": ramp if a.method == "t-ce" else None,
        "best_epoch": best_epoch,
        "test": test,
        "median_epoch_seconds": statistics.median(r["seconds"] for r in history),
        "median_eval_seconds": statistics.median(r["eval_seconds"] for r in history),
        "epochs": history,
    }
    text = json.dumps(result, indent=1)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
