#!/usr/bin/env bash
# Speed comparison: denoise's CLI vs the PyTorch twin (bench/pytorch/twin.py) on MovieLens-100K,
# GMF and NeuMF, each with BCE (normal), T-CE and R-CE, same settings and thread count.
# Prints model, method, median epoch seconds of each, the ratio twin/ours, and the test
# Recall@20 / NDCG@20 (best-validation epoch) of each. See bench/README.md.
#
#   bench/compare_pytorch.sh [--threads N] [--epochs N] [--data PATH] [--build-dir DIR]
#                            [--models "gmf neumf"] [--methods "normal t-ce r-ce"]
#                            [--seed N] [--out-dir DIR] [--no-build]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
threads=2
epochs=10
data="$repo/../shared/data/ml-100k/u.data"
build="$repo/build/twin"
models="gmf neumf"
methods="normal t-ce r-ce"
seed=1
out=""
do_build=1
python=/usr/bin/python3

usage() { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --build-dir) build="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --methods) methods="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --out-dir) out="$2"; shift 2 ;;
    --no-build) do_build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare_pytorch.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

[ -f "$data" ] || { echo "compare_pytorch.sh: no data file at $data (use --data PATH/u.data)" >&2; exit 1; }
"$python" -c 'import torch, numpy' 2>/dev/null ||
  { echo "compare_pytorch.sh: $python cannot import torch and numpy (Debian: apt install python3-torch)" >&2; exit 1; }

cli="$build/examples/denoise"
if [ "$do_build" = 1 ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    generator=()
    command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
    cmake -S "$repo" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >&2
  fi
  cmake --build "$build" --target denoise_cli -j "$(nproc 2>/dev/null || echo 2)" >&2
fi
[ -x "$cli" ] || { echo "compare_pytorch.sh: $cli was not built" >&2; exit 1; }

if [ -z "$out" ]; then out="$(mktemp -d "${TMPDIR:-/tmp}/denoise-vs-torch.XXXXXX")"; fi
mkdir -p "$out"

common=(--epochs "$epochs" --batch-size 1024 --negatives 1 --lr 0.001 --factor 32
        --drop-rate 0.2 --drop-ramp 0 --beta 0.25 --threads "$threads")
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "denoise vs PyTorch twin: epochs $epochs, threads $threads, data $data, results in $out" >&2
for model in $models; do
  for method in $methods; do
    tag="${model}_${method}"
    layers=()   # --layers is NeuMF's only (the CLI refuses model flags a model does not read)
    [ "$model" = neumf ] && layers=(--layers 3)
    echo "== $model $method: ours" >&2
    "$cli" --data "ml-100k:$data" --model "$model" --loss bce --methods "$method" --seeds "$seed" --batch-unit positives \
      "${layers[@]}" "${common[@]}" --out "$out/ours_$tag.json" > "$out/ours_$tag.log" 2>&1 ||
      { cat "$out/ours_$tag.log" >&2; exit 1; }
    echo "== $model $method: twin" >&2
    OMP_NUM_THREADS="$threads" "$python" "$repo/bench/pytorch/twin.py" --data "$data" --model "$model" \
      --method "$method" --seed "$seed" "${common[@]}" --quiet --out "$out/twin_$tag.json" > "$out/twin_$tag.log" 2>&1 ||
      { cat "$out/twin_$tag.log" >&2; exit 1; }
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

"$python" - "$out" "$threads" "$epochs" "$load_before" "$load_after" $models -- $methods <<'EOF'
import json, os, statistics, sys

out, threads, epochs, load_before, load_after = sys.argv[1:6]
rest = sys.argv[6:]
models, methods = rest[:rest.index("--")], rest[rest.index("--") + 1:]

def ours(path):
    run = json.load(open(path))["runs"][0]
    secs = [e["seconds"] for e in run["epochs"]]
    return statistics.median(secs), run["test"]["recall@20"], run["test"]["ndcg@20"], run["best_epoch"]

def twin(path):
    r = json.load(open(path))
    secs = [e["seconds"] for e in r["epochs"]]
    return statistics.median(secs), r["test"]["recall@20"], r["test"]["ndcg@20"], r["best_epoch"]

head = "| model | method | ours s/epoch | twin s/epoch | twin/ours | ours R@20 | ours N@20 | twin R@20 | twin N@20 | best epoch ours/twin |"
print("threads %s, epochs %s (median over all epochs), load average before %s, after %s" % (threads, epochs, load_before, load_after))
print(head)
print("|" + "---|" * (head.count("|") - 1))
ratios = []
for m in models:
    for meth in methods:
        o = ours(os.path.join(out, "ours_%s_%s.json" % (m, meth)))
        t = twin(os.path.join(out, "twin_%s_%s.json" % (m, meth)))
        ratio = t[0] / o[0] if o[0] > 0 else float("inf")
        ratios.append(ratio)
        print("| %s | %s | %.3f | %.3f | %.2fx | %.4f | %.4f | %.4f | %.4f | %d/%d |"
              % (m, meth, o[0], t[0], ratio, o[1], o[2], t[1], t[2], o[3], t[3]))
if ratios:
    g = 1.0
    for r in ratios:
        g *= r
    print("geometric mean of twin/ours: %.2fx" % g ** (1.0 / len(ratios)))
EOF
