#!/usr/bin/python3
"""PyTorch twin of denoise's DeepFM and DCN on the ml-100k CTR data (speed comparison, issue 12).

Mirrors bench/ctr/ml100k_ctr.cpp:
  * data: MovieLens 100K encoded as AutoDenoise does (and as data/movielens_ctr.hpp does): 8
    fields [movie id, genre string (genre names of u.genre joined with '|'), release year (last 4
    characters of the release date, '' when missing), user id, occupation, age bucket (index in
    1, 18, 25, 35, 45, 50, 56), gender, zip code first 5 characters], each label-encoded over
    its sorted distinct values; label = rating > 3. The cardinalities are printed (ours:
    1682 216 72 943 21 7 2 795, positive rate 0.55375);
  * split: a seeded random 80/10/10 split, each part kept in file order (the same rule and
    sizes as data::split_fields, NOT the same rows: the permutation comes from numpy);
  * models with pytorch-fm's structure (written for this bench): FeaturesLinear (embedding of
    width 1 over all field values + bias), FeaturesEmbedding (16 per field, offsets per field,
    Xavier-uniform), the FM term 1/2 sum[(sum e)^2 - sum e^2], MLP with hidden 16, 16, each
    Linear -> BatchNorm1d -> ReLU -> Dropout(0.2), CrossNetwork of 3 layers
    x_{l+1} = x0 * (w_l^T x_l) + b_l + x_l.
      DeepFM: linear + FM + MLP(flattened embeddings) -> 1
      DCN:    [cross(x0) || MLP(x0) (no output layer)] -> Linear -> 1, x0 the flattened embeddings
    Other layers keep torch's default init (as pytorch-fm);
  * training: BCE on logits, Adam lr 1e-3 weight decay 1e-6, batch 2048, the training rows in a
    fixed order every epoch, torch.set_num_threads(threads) (1 by default);
  * every epoch: training seconds (forward, loss, backward, optimizer steps; evaluation
    excluded, as denoise's epoch_record.seconds), then validation and test AUC (exact, ties
    averaged) and LogLoss (probabilities clipped to [1e-7, 1 - 1e-7], as denoise).
At the end: the median training seconds per epoch and the test metrics of the best-validation
epoch (the epoch denoise's early stopping would restore) and of the last epoch.

  /usr/bin/python3 bench/pytorch/ctr_twin.py --model deepfm --epochs 5 [--seed 1] [--threads 1]
                   [--data /work/shared/data/ml-100k]
"""

import argparse
import os
import statistics
import time

import numpy as np
import torch
import torch.nn as nn

# ----------------------------------------------------------------------------------------------
# data


def label_encode(values):
    vocabulary = sorted(set(values))
    code = {v: k for k, v in enumerate(vocabulary)}
    return np.array([code[v] for v in values], dtype=np.int64), len(vocabulary)


def age_bucket(age):
    buckets = [1, 18, 25, 35, 45, 50, 56]
    index = 0
    for k, b in enumerate(buckets):
        if age >= b:
            index = k
    return index


def load_ml100k_ctr(directory):
    genre_names = []
    with open(os.path.join(directory, "u.genre"), encoding="latin-1") as f:
        for line in f:
            if line.strip():
                genre_names.append(line.strip().split("|")[0])
    movies = {}
    with open(os.path.join(directory, "u.item"), encoding="latin-1") as f:
        for line in f:
            p = line.rstrip("\n").split("|")
            flags = p[5:5 + len(genre_names)]
            genres = "|".join(g for g, flag in zip(genre_names, flags) if flag == "1")
            movies[int(p[0])] = (genres, p[2][-4:] if p[2] else "")
    users = {}
    with open(os.path.join(directory, "u.user"), encoding="latin-1") as f:
        for line in f:
            p = line.strip().split("|")
            users[int(p[0])] = (p[3], age_bucket(int(p[1])), p[2], p[4][:5])
    raw = np.loadtxt(os.path.join(directory, "u.data"), dtype=np.int64, delimiter="\t", usecols=(0, 1, 2))
    columns = [[] for _ in range(8)]
    for u, i, _ in raw:
        genres, year = movies[int(i)]
        occupation, age, gender, zip5 = users[int(u)]
        for f, v in enumerate((int(i), genres, year, int(u), occupation, age, gender, zip5)):
            # strings compare as bytes in denoise's LabelEncoder; integers numerically
            columns[f].append(v.encode("latin-1") if isinstance(v, str) else v)
    codes, dims = [], []
    for column in columns:
        c, n = label_encode(column)
        codes.append(c)
        dims.append(n)
    x = np.stack(codes, axis=1)
    y = (raw[:, 2] > 3).astype(np.float32)
    return x, y, dims


def split_rows(n, seed, train_fraction=0.8, validation_fraction=0.1):
    order = np.random.RandomState(seed).permutation(n)
    n_train = int(train_fraction * n + 0.5)
    n_valid = min(n - n_train, int(validation_fraction * n + 0.5))
    return (np.sort(order[:n_train]), np.sort(order[n_train:n_train + n_valid]), np.sort(order[n_train + n_valid:]))


# ----------------------------------------------------------------------------------------------
# models (pytorch-fm's structure)


class FeaturesLinear(nn.Module):
    def __init__(self, field_dims):
        super().__init__()
        self.fc = nn.Embedding(sum(field_dims), 1)
        self.bias = nn.Parameter(torch.zeros((1,)))
        self.register_buffer("offsets", torch.tensor(np.concatenate(([0], np.cumsum(field_dims)[:-1])), dtype=torch.long))

    def forward(self, x):  # (batch, fields) -> (batch, 1)
        return torch.sum(self.fc(x + self.offsets), dim=1) + self.bias


class FeaturesEmbedding(nn.Module):
    def __init__(self, field_dims, embed_dim):
        super().__init__()
        self.embedding = nn.Embedding(sum(field_dims), embed_dim)
        self.register_buffer("offsets", torch.tensor(np.concatenate(([0], np.cumsum(field_dims)[:-1])), dtype=torch.long))
        nn.init.xavier_uniform_(self.embedding.weight.data)

    def forward(self, x):  # (batch, fields) -> (batch, fields, embed_dim)
        return self.embedding(x + self.offsets)


class FactorizationMachine(nn.Module):
    def forward(self, e):  # (batch, fields, embed_dim) -> (batch, 1)
        square_of_sum = torch.sum(e, dim=1) ** 2
        sum_of_square = torch.sum(e ** 2, dim=1)
        return 0.5 * torch.sum(square_of_sum - sum_of_square, dim=1, keepdim=True)


class MultiLayerPerceptron(nn.Module):
    def __init__(self, input_dim, hidden, dropout, output_layer=True):
        super().__init__()
        layers = []
        for width in hidden:
            layers += [nn.Linear(input_dim, width), nn.BatchNorm1d(width), nn.ReLU(), nn.Dropout(p=dropout)]
            input_dim = width
        if output_layer:
            layers.append(nn.Linear(input_dim, 1))
        self.mlp = nn.Sequential(*layers)

    def forward(self, x):
        return self.mlp(x)


class CrossNetwork(nn.Module):
    def __init__(self, input_dim, num_layers):
        super().__init__()
        self.w = nn.ModuleList([nn.Linear(input_dim, 1, bias=False) for _ in range(num_layers)])
        self.b = nn.ParameterList([nn.Parameter(torch.zeros((input_dim,))) for _ in range(num_layers)])

    def forward(self, x0):
        x = x0
        for w, b in zip(self.w, self.b):
            x = x0 * w(x) + b + x
        return x


class DeepFM(nn.Module):
    def __init__(self, field_dims, embed_dim=16, hidden=(16, 16), dropout=0.2):
        super().__init__()
        self.linear = FeaturesLinear(field_dims)
        self.embedding = FeaturesEmbedding(field_dims, embed_dim)
        self.fm = FactorizationMachine()
        self.flat_dim = len(field_dims) * embed_dim
        self.mlp = MultiLayerPerceptron(self.flat_dim, hidden, dropout)

    def forward(self, x):  # logits (batch,)
        e = self.embedding(x)
        return (self.linear(x) + self.fm(e) + self.mlp(e.view(-1, self.flat_dim))).squeeze(1)


class DeepCrossNetwork(nn.Module):
    def __init__(self, field_dims, embed_dim=16, hidden=(16, 16), dropout=0.2, cross_layers=3):
        super().__init__()
        self.embedding = FeaturesEmbedding(field_dims, embed_dim)
        self.flat_dim = len(field_dims) * embed_dim
        self.cross = CrossNetwork(self.flat_dim, cross_layers)
        self.mlp = MultiLayerPerceptron(self.flat_dim, hidden, dropout, output_layer=False)
        self.out = nn.Linear(hidden[-1] + self.flat_dim, 1)

    def forward(self, x):
        x0 = self.embedding(x).view(-1, self.flat_dim)
        return self.out(torch.cat([self.cross(x0), self.mlp(x0)], dim=1)).squeeze(1)


# ----------------------------------------------------------------------------------------------
# metrics


def auc(scores, labels):
    """Exact ROC AUC; tied scores get their average rank (Mann-Whitney U)."""
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    ranks = np.empty(len(s), dtype=np.float64)
    start = 0
    while start < len(s):
        end = start
        while end + 1 < len(s) and s[end + 1] == s[start]:
            end += 1
        ranks[start:end + 1] = 0.5 * (start + end) + 1.0
        start = end + 1
    r = np.empty_like(ranks)
    r[order] = ranks
    positives = labels > 0.5
    n_pos = int(positives.sum())
    n_neg = len(labels) - n_pos
    return (r[positives].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def log_loss(probabilities, labels, eps=1e-7):
    p = np.clip(probabilities.astype(np.float64), eps, 1.0 - eps)
    return float(-np.mean(labels * np.log(p) + (1.0 - labels) * np.log(1.0 - p)))


def evaluate(model, x, y, batch_size):
    model.eval()
    out = []
    with torch.no_grad():
        for start in range(0, x.shape[0], batch_size):
            out.append(torch.sigmoid(model(x[start:start + batch_size])))
    p = torch.cat(out).numpy().astype(np.float64)
    labels = y.numpy().astype(np.float64)
    return auc(p, labels), log_loss(p, labels)


# ----------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.path.join(os.environ.get("DENOISE_DATA_DIR", "/work/shared/data"), "ml-100k"))
    parser.add_argument("--model", choices=["deepfm", "dcn"], default="deepfm")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=2048)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x, y, dims = load_ml100k_ctr(args.data)
    print(f"ml-100k CTR: {len(y)} rows, {len(dims)} fields, positive rate {y.mean():.5f}; cardinalities "
          + " ".join(str(d) for d in dims))
    parts = split_rows(len(y), args.seed)
    tensors = [(torch.from_numpy(x[p]), torch.from_numpy(y[p])) for p in parts]
    (x_train, y_train), (x_valid, y_valid), (x_test, y_test) = tensors
    print(f"split (seed {args.seed}): train {len(x_train)} ({y_train.mean():.4f}), validation {len(x_valid)} "
          f"({y_valid.mean():.4f}), test {len(x_test)} ({y_test.mean():.4f}); torch {torch.__version__}, "
          f"{torch.get_num_threads()} thread(s)")

    model = DeepFM(dims) if args.model == "deepfm" else DeepCrossNetwork(dims)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-6)
    criterion = nn.BCEWithLogitsLoss()
    seconds, history = [], []
    for epoch in range(1, args.epochs + 1):
        model.train()
        started = time.perf_counter()
        total = 0.0
        for start in range(0, x_train.shape[0], args.batch_size):  # fixed row order
            xb, yb = x_train[start:start + args.batch_size], y_train[start:start + args.batch_size]
            loss = criterion(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(yb)
        seconds.append(time.perf_counter() - started)
        v = evaluate(model, x_valid, y_valid, args.batch_size)
        t = evaluate(model, x_test, y_test, args.batch_size)
        history.append((v, t))
        print(f"  epoch {epoch}: {seconds[-1]:.3f} s, train loss {total / len(y_train):.4f}; validation AUC {v[0]:.4f} "
              f"LogLoss {v[1]:.4f}; test AUC {t[0]:.4f} LogLoss {t[1]:.4f}", flush=True)
    best = max(range(len(history)), key=lambda k: history[k][0][0])
    print(f"{args.model} torch: median {statistics.median(seconds):.3f} s/epoch over {len(seconds)} epochs; "
          f"best validation epoch {best + 1} (AUC {history[best][0][0]:.4f}): test AUC {history[best][1][0]:.4f} "
          f"LogLoss {history[best][1][1]:.4f}; last epoch test AUC {history[-1][1][0]:.4f} LogLoss {history[-1][1][1]:.4f}")


if __name__ == "__main__":
    main()
