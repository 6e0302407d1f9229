#!/usr/bin/python3
"""PyTorch twin of denoise's SASRec training on ml-100k (speed and quality comparison with
bench/sequential/ml100k_sequential.cpp; docs/sequential.md). Written independently for this bench.

Same data and protocol as the C++ driver:
  * u.data read in file order; each user's rows sorted by timestamp, ties kept in file order (stable);
  * iterated 10-core filter on users and items (repeat until nothing changes), dense re-indexing in
    the old order (users and items ordered by their raw id, as the loader does);
  * leave-one-out: t = the user's last true positive (rating >= 3), v = the true positive before it,
    train = s[0..v) with every interaction; a user with fewer than two true positives or v == 0 keeps
    everything for training and is not evaluated;
  * training examples: every position p in [1, len(train)) -> the window s[max(0, p-W)..p) (W = 10),
    left-padded with the padding id (= number of items), target s[p]; shuffled every epoch, batches
    of 128;
  * validation: history s[0..v), target s[v]; test: history s[0..t), target s[t]; the last W items of
    the history are the input; the items of the whole history are excluded from the ranking (never the
    target); ties broken by the lower item index; NDCG@10 = 1/log2(rank+1) for a hit at rank <= 10
    (one target per user), averaged over the evaluated users.
Same model structure as models::SASRec (defaults d = 64, 2 blocks, 2 heads, dropout 0.2):
  x_t = sqrt(d) * E[item_t] + P[t]  ->  dropout  ->  2 pre-LayerNorm blocks
  (h1 = x + dropout(MHA(LN1(x))) causal, queries/keys/values all from LN1(x);
   y = h1 + dropout(W2 relu(W1 LN2(h1) + b1) + b2), FFN width d)  ->  final LayerNorm;
  the last position's output scores every item by a dot product with the shared item table (the
  padding row is learned as an input and never scored); full softmax cross-entropy over all items;
  each window trains its last position only (as ours). Items and positions ~ N(0, 0.01^2); linear
  layers: torch's defaults (nn.MultiheadAttention: xavier-uniform in-projection, zero biases).
  Adam lr 1e-3, one thread (torch.set_num_threads(1)).
The epoch time covers shuffling, batching, forward, loss, backward and the optimizer steps (not the
evaluation), as the Trainer's epoch seconds do.
"""

import argparse
import json
import math
import statistics
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def load_sequences(path, core=10):
    raw = np.loadtxt(path, dtype=np.int64)
    users, items, ratings, stamps = raw[:, 0], raw[:, 1], raw[:, 2].astype(np.float64), raw[:, 3]
    keep = np.ones(len(users), dtype=bool)
    rounds = 0
    while True:
        rounds += 1
        uc = np.bincount(users[keep], minlength=users.max() + 1)
        ic = np.bincount(items[keep], minlength=items.max() + 1)
        new_keep = keep & (uc[users] >= core) & (ic[items] >= core)
        if new_keep.sum() == keep.sum():
            break
        keep = new_keep
    rows = np.nonzero(keep)[0]
    u_ids = np.unique(users[rows])
    i_ids = np.unique(items[rows])
    u_index = {u: k for k, u in enumerate(u_ids)}
    i_index = {i: k for k, i in enumerate(i_ids)}
    seqs = [[] for _ in u_ids]
    for r in rows:  # file order
        seqs[u_index[users[r]]].append((stamps[r], r, i_index[items[r]], ratings[r]))
    out = []
    for s in seqs:
        s.sort(key=lambda x: (x[0], x[1]))  # timestamp, then file order
        out.append(([x[2] for x in s], [x[3] for x in s]))
    sizes = dict(users=len(u_ids), items=len(i_ids), interactions=int(len(rows)), rounds=rounds)
    return out, len(i_ids), sizes


def leave_one_out(seqs, threshold=3.0):
    train, valid, test = [], [], []  # valid/test: (history items, target)
    for items, ratings in seqs:
        pos = [p for p in range(len(items)) if ratings[p] >= threshold]
        if len(pos) < 2 or pos[-2] == 0:
            train.append(items)
            continue
        v, t = pos[-2], pos[-1]
        train.append(items[:v])
        valid.append((items[:v], items[v]))
        test.append((items[:t], items[t]))
    return train, valid, test


def window_of(history, window, pad):
    w = history[-window:]
    return [pad] * (window - len(w)) + list(w)


def training_windows(train, window, pad):
    xs, ys = [], []
    for items in train:
        for p in range(1, len(items)):
            xs.append(window_of(items[max(0, p - window):p], window, pad))
            ys.append(items[p])
    return torch.tensor(xs, dtype=torch.long), torch.tensor(ys, dtype=torch.long)


class Block(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.ln1 = nn.LayerNorm(d, eps=1e-5)
        self.attn = nn.MultiheadAttention(d, heads, dropout=0.0, batch_first=True)
        self.drop1 = nn.Dropout(dropout)
        self.ln2 = nn.LayerNorm(d, eps=1e-5)
        self.fc1 = nn.Linear(d, d)
        self.fc2 = nn.Linear(d, d)
        self.drop2 = nn.Dropout(dropout)

    def forward(self, x, causal):
        a = self.ln1(x)
        att, _ = self.attn(a, a, a, attn_mask=causal, need_weights=False)
        h1 = x + self.drop1(att)
        return h1 + self.drop2(self.fc2(F.relu(self.fc1(self.ln2(h1)))))


class SASRec(nn.Module):
    def __init__(self, n_items, d=64, blocks=2, heads=2, dropout=0.2, max_length=10):
        super().__init__()
        self.n_items, self.d = n_items, d
        self.items = nn.Embedding(n_items + 1, d)  # the last row: padding, learned as an input
        self.positions = nn.Embedding(max_length, d)
        nn.init.normal_(self.items.weight, 0.0, 0.01)
        nn.init.normal_(self.positions.weight, 0.0, 0.01)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([Block(d, heads, dropout) for _ in range(blocks)])
        self.ln = nn.LayerNorm(d, eps=1e-5)
        causal = torch.triu(torch.ones(max_length, max_length, dtype=torch.bool), diagonal=1)
        self.register_buffer("causal", causal)  # True: masked (a future position)

    def forward(self, windows):
        steps = windows.shape[1]
        x = math.sqrt(self.d) * self.items(windows) + self.positions.weight[:steps]
        x = self.drop(x)
        mask = self.causal[:steps, :steps]
        for b in self.blocks:
            x = b(x, mask)
        s = self.ln(x[:, -1, :])  # LayerNorm is per row: the last position only is the same
        return s @ self.items.weight[: self.n_items].t()


def ndcg10(model, holdout, window, pad):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for start in range(0, len(holdout), 256):
            part = holdout[start:start + 256]
            x = torch.tensor([window_of(h, window, pad) for h, _ in part], dtype=torch.long)
            scores = model(x)
            for k, (h, target) in enumerate(part):
                row = scores[k].clone()
                hist = [i for i in set(h) if i != target]
                if hist:
                    row[torch.tensor(hist, dtype=torch.long)] = -math.inf
                t = row[target]
                # rank (1-based): higher scores, then equal scores at a lower index, come first
                rank = int((row > t).sum()) + int((row[:target] == t).sum()) + 1
                total += 1.0 / math.log2(rank + 1) if rank <= 10 else 0.0
    model.train()
    return total / len(holdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data", help="ml-100k u.data")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--window", type=int, default=10)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    seqs, n_items, sizes = load_sequences(args.data)
    train, valid, test = leave_one_out(seqs)
    pad = n_items
    xs, ys = training_windows(train, args.window, pad)
    print(f"10-core: {sizes}; loo: train {sum(len(t) for t in train)}, windows {len(ys)}, "
          f"valid users {len(valid)}, test users {len(test)}; torch {torch.__version__}, "
          f"threads {torch.get_num_threads()}", flush=True)

    model = SASRec(n_items, max_length=args.window)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.999), eps=1e-8)
    model.train()
    epochs = []
    for epoch in range(1, args.epochs + 1):
        started = time.perf_counter()
        order = torch.from_numpy(rng.permutation(len(ys)))
        loss_sum, n = 0.0, 0
        for start in range(0, len(ys), args.batch):
            idx = order[start:start + args.batch]
            logits = model(xs[idx])
            loss = F.cross_entropy(logits, ys[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
            n += len(idx)
        seconds = time.perf_counter() - started
        v, t = ndcg10(model, valid, args.window, pad), ndcg10(model, test, args.window, pad)
        epochs.append(dict(epoch=epoch, loss=loss_sum / n, seconds=seconds, valid_ndcg10=v, test_ndcg10=t))
        print(f"epoch {epoch}: loss {loss_sum / n:.4f}, {seconds:.2f} s, valid NDCG@10 {v:.4f}, "
              f"test NDCG@10 {t:.4f}", flush=True)
    median = statistics.median(e["seconds"] for e in epochs)
    print("summary " + json.dumps(dict(median_epoch_seconds=median, epochs=epochs)))


if __name__ == "__main__":
    main()
