#!/usr/bin/env python3
"""The controller table of bench/README.md (issue 15) from one `denoise --task seq` result file.

usage: controller_table.py RESULT.json [--metric ndcg@10] [--columns precision@20,recall@20,...]

Prints one markdown row per method: P@10, R@10, NDCG@10/20/50 (mean ± std over the seeds), the mean
weight of true and false training targets in each run's selected epoch ("w true" / "w false"), and a
paired two-sided t-test of the metric against normal over the same seeds (bench/paired_test.py, the
statistic the CLI prints). --columns replaces the metric columns (any key of the runs' "test" object).
Runs are paired by seed; a method whose seeds differ from normal's is an error.
"""
import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from paired_test import paired_t_test  # noqa: E402

COLUMNS = [("P@10", "precision@10"), ("R@10", "recall@10"), ("NDCG@10", "ndcg@10"), ("NDCG@20", "ndcg@20"),
           ("NDCG@50", "ndcg@50")]


def mean_std(values):
    return statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def selected_weights(run):
    """(w true, w false) of the epoch the run reports (its best epoch on validation)."""
    epoch = run["epochs"][run["best_epoch"] - 1]
    d = epoch.get("denoising") or {}
    return d.get("weight_clean_mean", float("nan")), d.get("weight_noisy_mean", float("nan"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("result")
    ap.add_argument("--metric", default="ndcg@10", help="the metric of the paired test (default ndcg@10)")
    ap.add_argument("--columns", help="comma-separated test metrics to show instead of P@10, R@10, NDCG@10/20/50")
    args = ap.parse_args()
    columns = COLUMNS
    if args.columns:
        columns = [(c.replace("precision", "P").replace("recall", "R").replace("ndcg", "NDCG").replace("f1", "F1"), c)
                   for c in args.columns.split(",")]
    with open(args.result) as f:
        result = json.load(f)
    by_method = {}
    for run in result["runs"]:
        by_method.setdefault(run["method"], {})[run["seed"]] = run
    if "normal" not in by_method:
        sys.exit("controller_table.py: the result has no normal runs to pair against")
    normal = by_method["normal"]
    label = args.metric.upper()
    print("| method | " + " | ".join(c for c, _ in columns) + " | w true | w false | p (%s) vs normal |" % label)
    print("|---" * (len(columns) + 4) + "|")
    for method, runs in by_method.items():
        seeds = sorted(runs)
        if seeds != sorted(normal):
            sys.exit("controller_table.py: %s ran seeds %s, normal %s" % (method, seeds, sorted(normal)))
        cells = []
        for _, key in columns:
            m, s = mean_std([runs[k]["test"][key] for k in seeds])
            cells.append("%.4f ± %.4f" % (m, s))
        weights = [selected_weights(runs[k]) for k in seeds]
        for i in range(2):
            m, s = mean_std([w[i] for w in weights])
            cells.append("%.4f ± %.4f" % (m, s))
        if method == "normal":
            cells.append("-")
        else:
            diff, _, p = paired_t_test([runs[k]["test"][args.metric] for k in seeds],
                                       [normal[k]["test"][args.metric] for k in seeds])
            cells.append("%.3g (%+.4f)" % (p, diff))
        print("| %s | %s |" % (method, " | ".join(cells)))
    best = {m: [r["best_epoch"] for _, r in sorted(runs.items())] for m, runs in by_method.items()}
    print()
    print("selected epochs: " + "; ".join("%s %s" % (m, ",".join(map(str, e))) for m, e in best.items()))


if __name__ == "__main__":
    main()
