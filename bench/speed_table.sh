#!/usr/bin/env bash
# The speed table of issue 16: denoise's CLI against every PyTorch twin in bench/ (dense Adam on
# both sides, as the reference implementations train), same data, settings and threads, in one go;
# optionally the busy-machine check (both cores loaded by `yes`, default threads vs one thread).
# Writes the Markdown table between the speed-table markers of bench/README.md (or --readme FILE)
# and prints it. See bench/README.md.
#
#   bench/speed_table.sh [--threads N] [--epochs N] [--data PATH] [--build-dir DIR]
#                        [--models "gmf neumf"] [--methods "normal t-ce r-ce"] [--seed N] [--seeds N]
#                        [--busy] [--busy-epochs N] [--busy-reps N] [--out-dir DIR]
#                        [--readme FILE|-] [--no-build] [--no-install]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
threads="$(nproc 2>/dev/null || echo 2)"
epochs=5
data="$repo/../shared/data/ml-100k/u.data"
build="$repo/build/native"   # the build scripts/run.sh makes (-march=native)
models="gmf neumf"
methods="normal t-ce r-ce"
seed=1
seeds=3
busy=0
busy_epochs=20
busy_reps=3
out=""
readme="$repo/bench/README.md"
do_build=1
do_install=1
python=/usr/bin/python3

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --build-dir) build="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --methods) methods="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --busy) busy=1; shift ;;
    --busy-epochs) busy_epochs="$2"; shift 2 ;;
    --busy-reps) busy_reps="$2"; shift 2 ;;
    --out-dir) out="$2"; shift 2 ;;
    --readme) readme="$2"; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --no-install) do_install=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "speed_table.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

[ -f "$data" ] || { echo "speed_table.sh: no data file at $data (use --data PATH/u.data)" >&2; exit 1; }
# The twins need torch and numpy: Debian packages, installed here when missing (unless --no-install).
if ! "$python" -c 'import torch, numpy' 2>/dev/null && [ "$do_install" = 1 ] && command -v apt-get >/dev/null 2>&1; then
  echo "speed_table.sh: installing python3-torch and python3-numpy for the PyTorch twins" >&2
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get install -y python3-torch python3-numpy >&2 ||
    echo "speed_table.sh: could not install python3-torch" >&2
fi
"$python" -c 'import torch, numpy' 2>/dev/null ||
  { echo "speed_table.sh: $python cannot import torch and numpy (Debian: apt install python3-torch)" >&2; exit 1; }

# A fair twin uses an optimized BLAS: Debian's torch links libblas.so.3, which is netlib's
# reference BLAS unless OpenBLAS is installed (it then takes over by update-alternatives).
blas_of_torch() {
  update-alternatives --query "libblas.so.3-$(uname -m)-linux-gnu" 2>/dev/null | sed -n 's/^Value: //p' | head -1
}
blas="$(blas_of_torch)"
if ! printf '%s' "$blas" | grep -qi openblas; then
  if [ "$do_install" = 1 ] && command -v apt-get >/dev/null 2>&1; then
    echo "speed_table.sh: installing libopenblas0-pthread for torch (was: ${blas:-unknown})" >&2
    sudo_cmd=()
    [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get install -y libopenblas0-pthread >&2 ||
      echo "speed_table.sh: could not install OpenBLAS; the twin's GEMMs use ${blas:-the default BLAS}" >&2
    blas="$(blas_of_torch)"
  else
    echo "speed_table.sh: torch uses ${blas:-an unknown BLAS}, not OpenBLAS (NeuMF twin times are unfair)" >&2
  fi
fi

cli="$build/examples/denoise"
if [ "$do_build" = 1 ]; then
  # Configured as scripts/run.sh does: the release preset with the machine's instruction set.
  [ -f "$build/CMakeCache.txt" ] || (cd "$repo" && cmake --preset release -B "$build" -DDENOISE_NATIVE=ON >&2)
  cmake --build "$build" --target denoise_cli -j "$(nproc 2>/dev/null || echo 2)" >&2
fi
[ -x "$cli" ] || { echo "speed_table.sh: $cli was not built" >&2; exit 1; }

if [ -z "$out" ]; then out="$(mktemp -d "${TMPDIR:-/tmp}/denoise-speed.XXXXXX")"; fi
mkdir -p "$out"

common=(--epochs "$epochs" --batch-size 1024 --negatives 1 --lr 0.001 --factor 32
        --drop-rate 0.2 --drop-ramp 0 --beta 0.25 --threads "$threads")
# Both sides train and evaluate on the same rows: the CLI writes its split (split seed 2024, as
# every run below uses) and the twin reads it instead of drawing its own.
"$cli" --data "ml-100k:$data" --model gmf --methods normal --epochs 1 --threads "$threads" \
  --export-split "$out/split" > "$out/split.log" 2>&1 || { cat "$out/split.log" >&2; exit 1; }
load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "speed table: epochs $epochs, threads $threads, data $data, results in $out" >&2
for model in $models; do
  for method in $methods; do
    tag="${model}_${method}"
    layers=()   # --layers is NeuMF's only (the CLI refuses model flags a model does not read)
    [ "$model" = neumf ] && layers=(--layers 3)
    for ((s = seed; s < seed + seeds; ++s)); do
      echo "== $model $method seed $s: ours" >&2
      "$cli" --data "ml-100k:$data" --model "$model" --loss bce --methods "$method" --seeds "$s" --batch-unit positives \
        --dense-adam "${layers[@]}" "${common[@]}" --out "$out/ours_${tag}_$s.json" > "$out/ours_${tag}_$s.log" 2>&1 ||
        { cat "$out/ours_${tag}_$s.log" >&2; exit 1; }
      echo "== $model $method seed $s: twin" >&2
      OMP_NUM_THREADS="$threads" "$python" "$repo/bench/pytorch/twin.py" --data "$data" --model "$model" \
        --method "$method" --seed "$s" --split "$out/split" --adam dense "${common[@]}" --quiet --out "$out/twin_${tag}_$s.json" \
        > "$out/twin_${tag}_$s.log" 2>&1 || { cat "$out/twin_${tag}_$s.log" >&2; exit 1; }
    done
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

# Busy machine: one `yes` per core (pinned when taskset exists), then the GMF run with the default
# thread count and with one thread, alternating, busy_reps times each; wall-clock seconds.
: > "$out/busy.txt"
if [ "$busy" = 1 ]; then
  cores="$(nproc 2>/dev/null || echo 2)"
  hogs=()
  trap 'for p in "${hogs[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
  for ((c = 0; c < cores; ++c)); do
    if command -v taskset >/dev/null 2>&1; then taskset -c "$c" yes > /dev/null & else yes > /dev/null & fi
    hogs+=($!)
  done
  sleep 1
  for ((r = 0; r < busy_reps; ++r)); do
    for t in 0 1; do
      start="$(date +%s.%N)"
      "$cli" --data "ml-100k:$data" --model gmf --loss bce --methods normal --seeds "$seed" \
        --epochs "$busy_epochs" --threads "$t" > "$out/busy_${t}_$r.log" 2>&1
      end="$(date +%s.%N)"
      echo "$t $start $end $(cut -d' ' -f1 /proc/loadavg)" >> "$out/busy.txt"
      echo "== busy, threads $t (0 = default): $(echo "$end - $start" | bc) s" >&2
    done
  done
  for p in "${hogs[@]}"; do kill "$p" 2>/dev/null || true; done
  trap - EXIT
fi

"$python" - "$out" "$threads" "$epochs" "$load_before" "$load_after" "${blas:-unknown}" "$readme" \
  "$busy_epochs" "$seed" "$seeds" "$build" $models -- $methods <<'EOF'
import datetime, json, os, platform, statistics, sys

out, threads, epochs, load_before, load_after, blas, readme, busy_epochs, seed, seeds, build = sys.argv[1:12]
rest = sys.argv[12:]
models, methods = rest[:rest.index("--")], rest[rest.index("--") + 1:]

def read(model, method, side):
    """Median train and evaluation seconds per epoch over every epoch of every seed; mean and std of
    the test metrics over seeds."""
    secs, evals, recall, ndcg = [], [], [], []
    for s in range(int(seed), int(seed) + int(seeds)):
        r = json.load(open(os.path.join(out, "%s_%s_%s_%d.json" % (side, model, method, s))))
        run = r if side == "twin" else r["runs"][0]
        secs += [e["seconds"] for e in run["epochs"]]
        evals += [e["eval_seconds"] for e in run["epochs"]]
        recall.append(run["test"]["recall@20"])
        ndcg.append(run["test"]["ndcg@20"])
    spread = lambda v: (statistics.mean(v), statistics.stdev(v) if len(v) > 1 else 0.0)
    return statistics.median(secs), statistics.median(evals), spread(recall), spread(ndcg)

def ratio(a, b):
    return "%.2fx" % (a / b) if b > 0 else "inf"

def metric(m):
    return "%.4f ± %.4f" % m if int(seeds) > 1 else "%.4f" % m[0]

lines = []
lines.append("Measured %s UTC on %s (%d cores), `bench/speed_table.sh --threads %s --epochs %s --seeds %s`, ours "
             "built in `%s`; torch %s with BLAS `%s`; dense Adam on both sides; load average %s before, %s after."
             % (datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"), platform.machine(), os.cpu_count(),
                threads, epochs, seeds, os.path.basename(build), __import__("torch").__version__, blas,
                load_before, load_after))
lines.append("")
head = ("| model | method | ours s/epoch | twin s/epoch | twin/ours | ours eval s | twin eval s | twin/ours eval "
        "| ours R@20 | twin R@20 | ours N@20 | twin N@20 |")
lines.append(head)
lines.append("|" + "---|" * (head.count("|") - 1))
for m in models:
    base = None
    for meth in methods:
        o = read(m, meth, "ours")
        t = read(m, meth, "twin")
        if meth == "normal":
            base = o[0]
        rel = " (%.2fx BCE)" % (o[0] / base) if base and meth != "normal" else ""
        lines.append("| %s | %s | %.4f%s | %.4f | %s | %.4f | %.4f | %s | %s | %s | %s | %s |"
                     % (m, meth, o[0], rel, t[0], ratio(t[0], o[0]), o[1], t[1], ratio(t[1], o[1]),
                        metric(o[2]), metric(t[2]), metric(o[3]), metric(t[3])))
lines.append("")
lines.append("Per-epoch times are medians over every epoch of seeds %s..%d (training only; \"eval s\" is one "
             "full-ranking validation pass over every item); R@20 / N@20 are the clean-test Recall@20 / NDCG@20 at "
             "the best-validation epoch, mean ± std over those seeds. Both sides use the same split (the twin reads "
             "the rows the CLI writes with `--export-split`)." % (seed, int(seed) + int(seeds) - 1))
busy = [l.split() for l in open(os.path.join(out, "busy.txt")) if l.strip()]
if busy:
    by = {"0": [], "1": []}
    loads = []
    for t, s, e, load in busy:
        by[t].append(float(e) - float(s))
        loads.append(load)
    d, o = statistics.median(by["0"]), statistics.median(by["1"])
    lines.append("")
    lines.append("Busy machine (one `yes > /dev/null` per core, GMF + BCE, %s epochs, wall clock incl. evaluation, "
                 "median of %d alternating runs each, load average %s..%s): default threads %.1f s, "
                 "`--threads 1` %.1f s, ratio %.2fx (target <= 1.5x)."
                 % (busy_epochs, len(by["0"]), min(loads), max(loads), d, o, d / o))
table = "\n".join(lines)
print(table)
if readme != "-":
    begin, end = "<!-- speed-table:begin -->", "<!-- speed-table:end -->"
    text = open(readme).read() if os.path.exists(readme) else ""
    block = begin + "\n" + table + "\n" + end
    if begin in text and end in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n## Speed table\n\n" + block + "\n"
    open(readme, "w").write(text)
    print("written to %s" % readme, file=sys.stderr)
EOF
