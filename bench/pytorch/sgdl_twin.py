#!/usr/bin/python3
"""PyTorch twin of SGDL's reference phase-II loop (speed comparison with denoise's `--methods sgdl`).

Follows the STRUCTURE of the public SGDL code's Gumbel phase II (ZJU-DAILY/SGDL, code/training.py,
`self_guided_train_schedule_gumbel`; written independently here) on LightGCN with BPR; the model, the
normalised adjacency and the negative sampler are imported from lightgcn_twin.py. Per epoch: fresh
uniform negatives for D and for the memorized set M, both shuffled; the optimizers of the model, of the
weighting net and of a new scheduler are created anew (as the code does). Per batch B (|B| pairs) with
the next memorized batch M_b of the same size (its own iterator, restarted when exhausted):

  factors   l_m(theta) of M_b; per sample m, torch.autograd.grad(l_m, theta, create_graph=True)
            (a loop of |M_b| backward passes through the graph propagation); a g-weighted assumed
            step on M_b, theta' = theta - lr * grad(sum g(l) l / |M_b|) with create_graph; l_m(theta')
            and per sample grad(l_m(theta'), theta') (|M_b| more backward passes); for each sample the
            cosine of the two gradients per parameter tensor (user table, item table)
  scheduler bi-LSTM(2 -> 10) on the cosines, bi-LSTM(1 -> 10) on the losses (sequences of length 1),
            concat 40 -> Linear 20 -> tanh -> Linear 1, softmax over M_b, |M_b| straight-through
            Gumbel-softmax draws (hard one-hot rows Y, temperature tau)
  meta      the assumed update on B: theta_hat = theta - lr * grad(sum_k g(l_k) l_k / |B|) with
            create_graph (second-order graph through g's parameters psi); the final embeddings of
            M_b at theta_hat; L_meta = BPR of (Y U, Y P, Y N); one backward gives psi's and the
            scheduler's gradients; Adam steps on both (the code calls backward twice on the same
            graph, once per optimizer; the gradients are the same, so one backward here: this twin
            is, if anything, faster than the code)
  update    l_k(theta) again, w_k = g(l_k; psi_new) without gradient, Adam on sum w_k l_k / |B|
g(l; psi) = sigmoid(Linear(H -> 1)(ReLU(Linear(1 -> H)(l)))), H = 100, input the detached loss.

Phase I is NOT run or timed: the memorized set is a fixed random 60% of the training pairs (seed), and
the model starts from its initial weights. Time per phase-II epoch covers the sampling of both sets and
every batch. With --batches N the epoch is cut after 1 warm-up batch + N timed batches and the epoch
time is extrapolated: sampling + (timed batch seconds / N) * number of batches of a full epoch.
--scheduler none drops the factors and the scheduler (the plain mean of M_b's BPR at theta_hat, the
w/o ADS ablation) for a comparison with denoise's cheapest phase-II path.

    OMP_NUM_THREADS=1 /usr/bin/python3 bench/pytorch/sgdl_twin.py \
        /work/shared/data/sgdl-ml100k/ml100k.train.rating --batch 128 --batches 5
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from torch.nn.utils import stateless

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lightgcn_twin import LightGCN, adjacency, load, sample  # noqa: E402


class PairLightGCN(LightGCN):
    """lightgcn_twin's LightGCN with a forward() so that stateless.functional_call can run it at
    parameter values that are not its own leaves (theta' and theta_hat carry a graph)."""

    def forward(self, u, p, n, final=False):
        users, items = self.computer()
        eu, ep, en = users[u], items[p], items[n]
        if final:
            return eu, ep, en
        return bpr_per_sample(eu, ep, en)


def bpr_per_sample(eu, ep, en):
    return torch.nn.functional.softplus((eu * en).sum(1) - (eu * ep).sum(1))


class WeightingNet(torch.nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.hidden = torch.nn.Linear(1, hidden)
        self.out = torch.nn.Linear(hidden, 1)

    def forward(self, loss):
        return torch.sigmoid(self.out(torch.relu(self.hidden(loss.reshape(-1, 1))))).reshape(-1)


class Scheduler(torch.nn.Module):
    """The code's scheduler: two bidirectional LSTMs over sequences of length 1, then an MLP."""

    def __init__(self, n_tensors):
        super().__init__()
        self.cos_lstm = torch.nn.LSTM(n_tensors, 10, 1, bidirectional=True)
        self.loss_lstm = torch.nn.LSTM(1, 10, 1, bidirectional=True)
        self.fc1 = torch.nn.Linear(40, 20)
        self.fc2 = torch.nn.Linear(20, 1)

    def forward(self, loss, cosines):
        a, _ = self.cos_lstm(cosines.reshape(1, len(cosines), -1))
        b, _ = self.loss_lstm(loss.reshape(1, len(loss), 1))
        x = torch.cat((a[0], b[0]), dim=1)
        return self.fc2(torch.tanh(self.fc1(x))).reshape(-1)


def gumbel_hard(log_p, draws, tau):
    """draws rows of straight-through Gumbel-softmax over log_p: one-hot forward, soft backward."""
    logits = log_p.unsqueeze(0).expand(draws, -1)
    u = torch.rand(logits.shape)
    soft = torch.softmax((logits - torch.log(-torch.log(u + 1e-20) + 1e-20)) / tau, dim=1)
    hard = torch.zeros_like(soft).scatter_(1, soft.argmax(1, keepdim=True), 1.0)
    return (hard - soft).detach() + soft


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("train")
    ap.add_argument("--epochs", type=int, default=1, help="phase-II epochs")
    ap.add_argument("--batches", type=int, default=0, help="time 1 warm-up + N batches per epoch, extrapolate")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--factor", type=int, default=64)
    ap.add_argument("--hidden", type=int, default=100, help="weighting net width (code 100)")
    ap.add_argument("--lr", type=float, default=5e-4, help="model Adam and assumed-update rate (code 5e-4)")
    ap.add_argument("--meta-lr", type=float, default=5e-4)
    ap.add_argument("--schedule-lr", type=float, default=5e-3)
    ap.add_argument("--tau", type=float, default=1.0)
    ap.add_argument("--memorized", type=float, default=0.6, help="share of D taken as M (phase I not run)")
    ap.add_argument("--scheduler", choices=("lstm", "none"), default="lstm")
    ap.add_argument("--n-items", type=int, default=0, help="item rows (default: the largest train id + 1)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)

    users, items = load(a.train)
    n_users, n_items = int(users.max()) + 1, max(a.n_items, int(items.max()) + 1)
    graph = adjacency(users, items, n_users, n_items)
    seen = [set() for _ in range(n_users)]
    for u, i in zip(users, items):
        seen[u].add(int(i))
    keep = np.sort(rng.permutation(len(users))[:int(round(a.memorized * len(users)))])
    mem_users, mem_items = users[keep], items[keep]

    model = PairLightGCN(n_users, n_items, graph, a.factor, a.layers)
    names = [name for name, _ in model.named_parameters()]
    theta = [p for _, p in model.named_parameters()]
    g = WeightingNet(a.hidden)
    batches_full = (len(users) + a.batch - 1) // a.batch

    def at(values, *args, **kw):
        return stateless.functional_call(model, dict(zip(names, values)), args, kw)

    def assumed(values, loss):
        """values - lr * grad(sum g(l) l / n): one SGD step that keeps the graph to psi."""
        w = g(loss.detach())
        grads = torch.autograd.grad((loss * w).sum() / len(loss), values, create_graph=True, retain_graph=True)
        return [v - a.lr * d for v, d in zip(values, grads)]

    def step(b, m, sched, opts):
        opt, meta_opt, sched_opt = opts
        mu, mp, mn = m
        if sched is not None:
            loss_m = at(theta, mu, mp, mn)
            grads_a = [torch.autograd.grad(loss_m[k], theta, create_graph=True, retain_graph=True)
                       for k in range(len(mu))]
            theta_m = assumed(theta, loss_m)
            loss_m_hat = at(theta_m, mu, mp, mn)
            cos = torch.empty(len(mu), len(theta))
            for k in range(len(mu)):
                grads_b = torch.autograd.grad(loss_m_hat[k], theta_m, create_graph=True, retain_graph=True)
                for j, (x, y) in enumerate(zip(grads_a[k], grads_b)):
                    cos[k, j] = torch.nn.functional.cosine_similarity(x.reshape(1, -1), y.reshape(1, -1),
                                                                      eps=1e-8)[0].detach()
            del grads_a, grads_b, theta_m
            prob = torch.softmax(sched(loss_m, cos), dim=0)  # not detached, as the code
            select = gumbel_hard(torch.log(prob + 1e-20), len(mu), a.tau)
        theta_hat = assumed(theta, at(theta, *b))
        if sched is not None:
            eu, ep, en = at(theta_hat, mu, mp, mn, final=True)
            meta = bpr_per_sample(select @ eu, select @ ep, select @ en).mean()
        else:
            meta = at(theta_hat, mu, mp, mn).mean()
        meta_opt.zero_grad()
        if sched_opt is not None:
            sched_opt.zero_grad()
        meta.backward()
        meta_opt.step()
        if sched_opt is not None:
            sched_opt.step()
        loss = at(theta, *b)
        with torch.no_grad():
            w = g(loss)
        opt.zero_grad()
        ((loss * w).sum() / len(loss)).backward()
        opt.step()
        return float(meta)

    print(json.dumps({"impl": "pytorch-sgdl", "edges": int(graph._nnz() // 2), "memorized": len(keep),
                      "batches_per_epoch": batches_full, "batch": a.batch, "scheduler": a.scheduler,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        sched = Scheduler(len(theta)) if a.scheduler == "lstm" else None
        opts = (torch.optim.Adam(theta, lr=a.lr), torch.optim.Adam(g.parameters(), lr=a.meta_lr),
                torch.optim.Adam(sched.parameters(), lr=a.schedule_lr) if sched is not None else None)
        order = rng.permutation(len(users))
        du, dp = users[order], items[order]
        dn = sample(du, dp, n_items, seen, rng)
        order = rng.permutation(len(mem_users))
        mu, mp = mem_users[order], mem_items[order]
        mn = sample(mu, mp, n_items, seen, rng)
        d_t = [torch.from_numpy(x) for x in (du, dp, dn)]
        m_t = [torch.from_numpy(x) for x in (mu, mp, mn)]
        sampling = time.perf_counter() - start
        limit = batches_full if a.batches <= 0 else min(batches_full, a.batches + 1)
        m_start, meta_total, timed_from = 0, 0.0, None
        for i in range(limit):
            if i == 1:
                timed_from = time.perf_counter()
            s = i * a.batch
            if m_start >= len(mu):
                m_start = 0
            b = [x[s:s + a.batch] for x in d_t]
            m = [x[m_start:m_start + a.batch] for x in m_t]
            m_start += a.batch
            meta_total += step(b, m, sched, opts)
        end = time.perf_counter()
        record = {"impl": "pytorch-sgdl", "epoch": epoch, "meta_loss": round(meta_total / limit, 5),
                  "sampling_seconds": round(sampling, 4)}
        if limit == batches_full:
            record.update(seconds=round(end - start, 4), measured="full epoch")
        else:
            per_batch = (end - timed_from) / (limit - 1)
            record.update(seconds=round(sampling + per_batch * batches_full, 4), batch_seconds=round(per_batch, 4),
                          warmup_seconds=round(timed_from - start - sampling, 4),
                          measured=f"1 warm-up + {limit - 1} timed batches, extrapolated to {batches_full}")
        print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main()
