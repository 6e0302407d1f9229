#!/usr/bin/python3
"""PyTorch twin of AutoDenoise's search loop, code profile (issue 13; ALGORITHMS.md §3).

Mirrors `bench_ml100k_autodenoise --timing --profile=code` (methods::InstanceSelection with
selection_profile::code) for a time comparison, on the same ml-100k CTR fields and the same
DeepFM as bench/pytorch/ctr_twin.py (imported from there; its split has the same sizes as
data::split_fields but not the same rows):
  * policy network Θ: its own field embeddings (16 per field, Xavier-uniform) -> flatten ->
    [Linear 16, BatchNorm1d, ReLU, Dropout 0.2] x 2 -> Linear 2 -> softmax (column 1 = select);
    Adam lr 1e-2, weight decay 1e-5; in training mode for the whole search;
  * warm-up: C fresh DeepFMs, one epoch each (Adam 1e-3 / wd 1e-6, batch 2048, fixed order), the
    per-instance train-mode BCE of the training forward (before the step) written to row c of
    the C x |D| loss matrix; the current row starts at 1.0;
  * searching epoch (T of them), a fresh W and its Adam; per batch:
      - one eval-mode forward of W (no grad): loss_i; reward r_i = mean of i's C stored losses - loss_i;
      - 3 policy updates, each: a1 = argmax of π with every action flipped with probability
        ε = 0.2; policy loss (sum of r_i over a1_i = 1) * sum over the batch of -log π(a1_i|x_i);
        one Adam step of Θ;
      - a2 = argmax of the updated π; W: train-mode forward, mean BCE over a2_i = 1, one Adam step
        (none selected: no step); the train-mode losses of the selected go to the current row, the
        others keep theirs (stale);
    at the epoch's end the current row replaces the oldest one (FIFO);
  * validation phase after every searching epoch: Θ in eval mode scores the training set in the
    same batches, each batch keeps its round(ratio * rows) most probable "select" rows (TopK), a
    fresh DeepFM retrains on them (fixed order, at most 100 epochs, stop after 2 without
    validation-AUC gain, restored to its best epoch); the subset with the best validation AUC is kept.
Timings: each searching epoch (the batches above), each validation phase (scoring + retraining),
the warm-up, and the whole search; torch.set_num_threads(threads), 1 by default (run with
OMP_NUM_THREADS=1 too).

  OMP_NUM_THREADS=1 /usr/bin/python3 bench/pytorch/autodenoise_twin.py [--seeds 3] [--T 3] [--C 4]
                   [--ratio 0.98] [--data /work/shared/data/ml-100k] [--csv out.csv]
"""

import argparse
import copy
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ctr_twin import DeepFM, evaluate, load_ml100k_ctr, split_rows  # noqa: E402


class PolicyNetwork(nn.Module):
    def __init__(self, field_dims, embed_dim=16, hidden=(16, 16), dropout=0.2):
        super().__init__()
        self.embedding = nn.Embedding(sum(field_dims), embed_dim)
        nn.init.xavier_uniform_(self.embedding.weight.data)
        self.register_buffer("offsets", torch.tensor(np.concatenate(([0], np.cumsum(field_dims)[:-1])), dtype=torch.long))
        layers, width = [], len(field_dims) * embed_dim
        self.flat_dim = width
        for h in hidden:
            layers += [nn.Linear(width, h), nn.BatchNorm1d(h), nn.ReLU(), nn.Dropout(p=dropout)]
            width = h
        layers.append(nn.Linear(width, 2))
        self.mlp = nn.Sequential(*layers)

    def forward(self, x):  # log π(·|x), (batch, 2)
        e = self.embedding(x + self.offsets).view(-1, self.flat_dim)
        return F.log_softmax(self.mlp(e), dim=1)


def model_adam(model):
    return torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-6)


def batches(n, batch_size):
    return [(start, min(n, start + batch_size)) for start in range(0, n, batch_size)]


def warm_up(dims, x, y, history, batch_size, loss_matrix):
    for c in range(history):
        model = DeepFM(dims)
        optimizer = model_adam(model)
        model.train()
        for start, end in batches(len(y), batch_size):
            per_instance = F.binary_cross_entropy_with_logits(model(x[start:end]), y[start:end], reduction="none")
            loss_matrix[c, start:end] = per_instance.detach()  # train mode, before the step [code]
            optimizer.zero_grad()
            per_instance.mean().backward()
            optimizer.step()


def search_epoch(dims, x, y, policy, policy_optimizer, loss_matrix, current, oldest, args, generator):
    model = DeepFM(dims)
    optimizer = model_adam(model)
    policy.train()
    previous = loss_matrix.mean(dim=0)
    selected_rows = 0
    for start, end in batches(len(y), args.batch_size):
        xb, yb = x[start:end], y[start:end]
        model.eval()
        with torch.no_grad():
            loss_now = F.binary_cross_entropy_with_logits(model(xb), yb, reduction="none")
        reward = previous[start:end] - loss_now
        for _ in range(args.policy_updates):
            log_pi = policy(xb)
            a1 = log_pi.detach().argmax(dim=1)
            flip = torch.rand(len(a1), generator=generator) < args.epsilon
            a1 = torch.where(flip, 1 - a1, a1)
            batch_reward = (reward * a1.float()).sum()
            policy_loss = batch_reward * (-log_pi.gather(1, a1.unsqueeze(1)).sum())
            policy_optimizer.zero_grad()
            policy_loss.backward()
            policy_optimizer.step()
        with torch.no_grad():
            a2 = policy(xb).argmax(dim=1)
        chosen = a2 == 1
        count = int(chosen.sum())
        selected_rows += count
        model.train()
        per_instance = F.binary_cross_entropy_with_logits(model(xb), yb, reduction="none")
        if count > 0:
            optimizer.zero_grad()
            (per_instance[chosen].sum() / count).backward()
            optimizer.step()
        rows = torch.arange(start, end)[chosen]
        current[rows] = per_instance.detach()[chosen]  # selected only, train mode; the rest stale [code]
    loss_matrix[oldest] = current
    return selected_rows / len(y)


def top_k_subset(policy, x, ratio, batch_size):
    policy.eval()
    kept = []
    with torch.no_grad():
        for start, end in batches(x.shape[0], batch_size):
            select = policy(x[start:end])[:, 1]
            k = int(round(ratio * (end - start)))
            top = torch.topk(select, k).indices
            kept.append(torch.sort(top).values + start)
    policy.train()
    return torch.cat(kept)


def retrain(dims, x, y, valid, subset, args):
    model = DeepFM(dims)
    optimizer = model_adam(model)
    xs, ys = x[subset], y[subset]
    best, best_state, best_epoch, since = -1.0, None, 0, 0
    for epoch in range(1, args.retrain_epochs + 1):
        model.train()
        for start, end in batches(len(ys), args.batch_size):
            loss = F.binary_cross_entropy_with_logits(model(xs[start:end]), ys[start:end])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        auc, _ = evaluate(model, valid[0], valid[1], args.batch_size)
        if auc > best:
            best, best_state, best_epoch, since = auc, copy.deepcopy(model.state_dict()), epoch, 0
        else:
            since += 1
            if since >= args.retrain_patience:
                break
    model.load_state_dict(best_state)
    return model, best, best_epoch, epoch


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.path.join(os.environ.get("DENOISE_DATA_DIR", "/work/shared/data"), "ml-100k"))
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--T", type=int, default=3)
    parser.add_argument("--C", type=int, default=4)
    parser.add_argument("--ratio", type=float, default=0.98)
    parser.add_argument("--epsilon", type=float, default=0.2)
    parser.add_argument("--policy-updates", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=2048)
    parser.add_argument("--retrain-epochs", type=int, default=100)
    parser.add_argument("--retrain-patience", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--csv", default="")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    x_all, y_all, dims = load_ml100k_ctr(args.data)
    rows = []
    for k in range(args.seeds):
        seed = 1000 + k
        torch.manual_seed(seed)
        generator = torch.Generator().manual_seed(seed + 1)
        train, valid, test = split_rows(len(y_all), seed)
        x, y = torch.from_numpy(x_all[train]), torch.from_numpy(y_all[train])
        v = (torch.from_numpy(x_all[valid]), torch.from_numpy(y_all[valid]))
        t = (torch.from_numpy(x_all[test]), torch.from_numpy(y_all[test]))
        print(f"seed {seed}: train {len(y)}, valid {len(v[1])}, test {len(t[1])}; torch {torch.__version__}, "
              f"{torch.get_num_threads()} thread(s); C {args.C}, T {args.T}, ratio {args.ratio}", flush=True)
        started = time.perf_counter()
        policy = PolicyNetwork(dims)
        policy_optimizer = torch.optim.Adam(policy.parameters(), lr=1e-2, weight_decay=1e-5)
        loss_matrix = torch.empty(args.C, len(y))
        warm_up(dims, x, y, args.C, args.batch_size, loss_matrix)
        current = torch.ones(len(y))
        warm = time.perf_counter() - started
        best_auc, best_epoch, best_subset, epochs = -1.0, 0, None, []
        for epoch in range(args.T):
            s0 = time.perf_counter()
            share = search_epoch(dims, x, y, policy, policy_optimizer, loss_matrix, current, epoch % args.C, args,
                                 generator)
            s1 = time.perf_counter()
            subset = top_k_subset(policy, x, args.ratio, args.batch_size)
            _, auc, at, ran = retrain(dims, x, y, v, subset, args)
            s2 = time.perf_counter()
            epochs.append((s1 - s0, s2 - s1, ran))
            print(f"  epoch {epoch + 1}: {s1 - s0:.2f} s searching (a2 share {share:.3f}), {s2 - s1:.2f} s validation "
                  f"({ran} retraining epochs, best {at}); subset {len(subset)}, valid AUC {auc:.4f}", flush=True)
            if auc > best_auc:
                best_auc, best_epoch, best_subset = auc, epoch + 1, subset
        whole = time.perf_counter() - started
        model, _, _, _ = retrain(dims, x, y, v, best_subset, args)
        test_auc, test_logloss = evaluate(model, t[0], t[1], args.batch_size)
        print(f"  whole search {whole:.2f} s (warm-up {warm:.2f} s); best epoch {best_epoch} (valid AUC {best_auc:.4f}), "
              f"test AUC {test_auc:.4f} LogLoss {test_logloss:.4f}", flush=True)
        for e, (search, validation, ran) in enumerate(epochs):
            rows.append(("torch", seed, e + 1, search, validation, ran, warm, whole))
    searching = [r[3] for r in rows]
    print(f"torch: searching epoch median {statistics.median(searching):.3f} s over {len(searching)}; "
          f"whole search median {statistics.median(sorted({r[7] for r in rows})):.2f} s over {args.seeds} seed(s)")
    if args.csv:
        with open(args.csv, "w") as f:
            f.write("profile,seed,epoch,search_seconds,validation_seconds,retrain_epochs,warm_up_seconds,whole_seconds\n")
            for r in rows:
                f.write(",".join(str(v) for v in r) + "\n")


if __name__ == "__main__":
    main()
