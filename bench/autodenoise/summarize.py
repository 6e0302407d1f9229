#!/usr/bin/env python3
"""Mean ± sd tables (Markdown) from the CSVs of bench_ml100k_autodenoise and autodenoise_twin.py.

  python3 bench/autodenoise/summarize.py sweep autodenoise_sweep_C.csv [autodenoise_sweep_ratio.csv]
  python3 bench/autodenoise/summarize.py planted autodenoise_planted.csv
  python3 bench/autodenoise/summarize.py timing ours.csv torch.csv
Standard library only.
"""

import csv
import statistics
import sys


def ms(v, digits=4):
    s = statistics.stdev(v) if len(v) > 1 else 0.0
    return f"{statistics.mean(v):.{digits}f} ± {s:.{digits}f}"


def sweep(paths):
    print("| sweep | C | ratio | n | validation AUC | − Normal, paired (± se) | test AUC | − Normal, paired (± se) | "
          "rows kept | best epoch (1..T) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for path in paths:
        groups = {}
        with open(path) as f:
            for row in csv.DictReader(f):
                groups.setdefault((row["sweep"], row["C"], row["ratio"]), []).append(row)
        normal = {}
        for (name, c, ratio), rows in groups.items():
            if c == "normal":
                normal = {r["seed"]: r for r in rows}
        for (name, c, ratio), rows in groups.items():
            valid = [float(r["valid_auc"]) for r in rows]
            test = [float(r["test_auc"]) for r in rows]
            epochs = " ".join(r["best_epoch"] for r in rows) if c != "normal" else "—"
            label = "Normal (all rows)" if c == "normal" else name
            diffs = []
            for key in ("valid_auc", "test_auc"):
                d = [float(r[key]) - float(normal[r["seed"]][key]) for r in rows if r["seed"] in normal]
                se = statistics.stdev(d) / len(d) ** 0.5 if len(d) > 1 else 0.0
                diffs.append("—" if c == "normal" else f"{statistics.mean(d):+.4f} ± {se:.4f}")
            print(f"| {label} | {c if c != 'normal' else '—'} | {ratio if ratio != 'normal' else '—'} | {len(rows)} | "
                  f"{ms(valid)} | {diffs[0]} | {ms(test)} | {diffs[1]} | {rows[0]['kept']} | {epochs} |")


def planted(path):
    groups = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            groups.setdefault((row["mode"], row["rate"]), []).append(row)
    print("| flips | rate | n | flipped share of the training rows | flipped share of the dropped rows (best epoch) | "
          "same, every epoch | best epochs |")
    print("|---|---|---|---|---|---|---|")
    for (mode, rate), rows in groups.items():
        best = [r for r in rows if r["best"] == "1"]
        print(f"| {mode} | {rate} | {len(best)} | {ms([float(r['flipped_share']) for r in best], 3)} | "
              f"{ms([float(r['dropped_flipped_share']) for r in best], 3)} | "
              f"{ms([float(r['dropped_flipped_share']) for r in rows], 3)} | {' '.join(r['epoch'] for r in best)} |")


def timing(paths):
    print("| | searching epoch, s (median; mean ± sd) | validation phase, s (mean) | retraining epochs | warm-up, s | "
          "whole search, s (median) |")
    print("|---|---|---|---|---|---|")
    medians = []
    for path in paths:
        with open(path) as f:
            rows = list(csv.DictReader(f))
        search = [float(r["search_seconds"]) for r in rows]
        validation = [float(r["validation_seconds"]) for r in rows]
        retrain = [float(r["retrain_epochs"]) for r in rows]
        warm = list({r["seed"]: float(r["warm_up_seconds"]) for r in rows}.values())
        whole = list({r["seed"]: float(r["whole_seconds"]) for r in rows}.values())
        medians.append((statistics.median(search), statistics.median(whole),
                        statistics.median([v / n for v, n in zip(validation, retrain)])))
        print(f"| {rows[0]['profile']} ({path}) | {statistics.median(search):.3f}; {ms(search, 3)} (n {len(search)}) | "
              f"{statistics.mean(validation):.2f} | {statistics.mean(retrain):.1f} | {statistics.mean(warm):.2f} | "
              f"{statistics.median(whole):.2f} (n {len(whole)}) |")
    if len(medians) == 2:
        (a, b, c), (x, y, z) = medians
        print(f"\nratio second/first: searching epoch {x / a:.2f}, whole search {y / b:.2f}, "
              f"validation phase per retraining epoch {z / c:.2f}")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    kind, paths = sys.argv[1], sys.argv[2:]
    if kind == "sweep":
        sweep(paths)
    elif kind == "planted":
        planted(paths[0])
    elif kind == "timing":
        timing(paths)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
