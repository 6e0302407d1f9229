#!/usr/bin/env python3
"""Plots the C and ratio sweeps of bench_ml100k_autodenoise (--sweep=C, --sweep=ratio) as one SVG.

Standard library only (no matplotlib here). Two panels, against C and against the ratio: the
retrained model's validation AUC minus Normal's (all rows, same seed and split), paired per seed,
mean over the seeds with bars of ± one standard error (filled markers), and the same for the
test AUC, for information (hollow markers). Zero (dashed) is Normal. The seeds' spread of the
AUC itself (about ± 0.003 validation, ± 0.007 test) is 3-10 times the differences, which is why
the plot shows paired differences.

  python3 bench/autodenoise/plot_sweeps.py autodenoise_sweep_C.csv autodenoise_sweep_ratio.csv out.svg
"""

import csv
import statistics
import sys


def read(path):
    """{x: {"valid": [paired differences], "test": [...]}} over the seeds."""
    with open(path) as f:
        rows = list(csv.DictReader(f))
    normal = {r["seed"]: r for r in rows if r["C"] == "normal"}
    points = {}
    for row in rows:
        if row["C"] == "normal":
            continue
        x = float(row["C"] if row["sweep"] == "C" else row["ratio"])
        p = points.setdefault(x, {"valid": [], "test": []})
        for key, column in (("valid", "valid_auc"), ("test", "test_auc")):
            p[key].append(float(row[column]) - float(normal[row["seed"]][column]))
    return dict(sorted(points.items()))


def se(v):
    return statistics.stdev(v) / len(v) ** 0.5 if len(v) > 1 else 0.0


def panel(out, left, top, width, height, title, xlabel, points, y_range):
    lo, hi = y_range
    xs = list(points)
    x_lo, x_hi = xs[0], xs[-1]
    pad = (x_hi - x_lo) * 0.08

    def px(x):
        return left + (x - x_lo + pad) / (x_hi - x_lo + 2 * pad) * width

    def py(y):
        return top + height - (y - lo) / (hi - lo) * height

    out.append(f'<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="none" stroke="#444"/>')
    out.append(f'<text x="{left + width / 2}" y="{top - 10}" text-anchor="middle" font-size="14">{title}</text>')
    out.append(f'<text x="{left + width / 2}" y="{top + height + 38}" text-anchor="middle" font-size="12">{xlabel}</text>')
    tick = 0.0005  # round ticks inside the range
    for k in range(int(lo // tick) + 1, int(hi // tick) + 1):
        y = k * tick
        out.append(f'<line x1="{left - 4}" y1="{py(y):.1f}" x2="{left + width}" y2="{py(y):.1f}" stroke="#ddd"/>')
        label = "0" if k == 0 else f"{y:+.4f}"
        out.append(f'<text x="{left - 7}" y="{py(y) + 4:.1f}" text-anchor="end" font-size="11">{label}</text>')
    for x in xs:
        label = f"{x:g}"
        out.append(f'<text x="{px(x):.1f}" y="{top + height + 18}" text-anchor="middle" font-size="11">{label}</text>')
    out.append(f'<line x1="{left}" y1="{py(0):.1f}" x2="{left + width}" y2="{py(0):.1f}" stroke="#444" '
               'stroke-dasharray="6,4" stroke-width="1.2"/>')
    for key, colour, shift in (("valid", "#1f77b4", -3), ("test", "#d62728", 3)):  # side by side, not on top
        means = [(px(x) + shift, py(statistics.mean(p[key]))) for x, p in points.items()]
        out.append('<polyline fill="none" stroke="{}" stroke-width="1.5" points="{}"/>'.format(
            colour, " ".join(f"{a:.1f},{b:.1f}" for a, b in means)))
        for x, p in points.items():
            m, s = statistics.mean(p[key]), se(p[key])
            out.append(f'<line x1="{px(x) + shift:.1f}" y1="{py(m - s):.1f}" x2="{px(x) + shift:.1f}" y2="{py(m + s):.1f}" '
                       f'stroke="{colour}"/>')
            fill = colour if key == "valid" else "white"
            out.append(f'<circle cx="{px(x) + shift:.1f}" cy="{py(m):.1f}" r="3.5" fill="{fill}" stroke="{colour}"/>')


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    c_points = read(sys.argv[1])
    r_points = read(sys.argv[2])
    values = [0.0]
    for points in (c_points, r_points):
        for key in ("valid", "test"):
            for p in points.values():
                values += [statistics.mean(p[key]) - se(p[key]), statistics.mean(p[key]) + se(p[key])]
    lo, hi = min(values), max(values)
    margin = (hi - lo) * 0.08
    y_range = (lo - margin, hi + margin)
    n = len(next(iter(c_points.values()))["valid"])
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="860" height="420" font-family="sans-serif">',
           '<rect width="100%" height="100%" fill="white"/>']
    panel(out, 80, 50, 320, 270, "AUC − Normal vs C (ratio 0.98)", "C (warm-up models / history rows)", c_points,
          y_range)
    panel(out, 510, 50, 320, 270, "AUC − Normal vs ratio (C = 4)", "ratio (kept share of each batch)", r_points,
          y_range)
    legend = [("#1f77b4", "white", "validation AUC (chooses the subset) − Normal's, filled"),
              ("#d62728", "white", "test AUC − Normal's, hollow; dashed: Normal")]
    for k, (colour, _, text) in enumerate(legend):
        y = 388 + 16 * k
        out.append(f'<line x1="70" y1="{y - 4}" x2="95" y2="{y - 4}" stroke="{colour}" stroke-width="1.5"/>')
        out.append(f'<text x="102" y="{y}" font-size="11">{text}</text>')
    out.append(f'<text x="830" y="404" text-anchor="end" font-size="11">DeepFM, ml-100k CTR, T = 3, {n} seeds, '
               'paired, mean ± se</text>')
    out.append("</svg>")
    with open(sys.argv[3], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
