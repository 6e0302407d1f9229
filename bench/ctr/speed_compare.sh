#!/usr/bin/env bash
# DeepFM and DCN, denoise (bench_ml100k_ctr) vs the PyTorch twin (bench/pytorch/ctr_twin.py) on the
# ml-100k CTR data: the same epochs, batch 2048, one thread each, run alternately back to back
# (the machine is shared: the load is printed before each pair). Every run prints its median
# training seconds per epoch and the test AUC of its best-validation epoch.
#
#   bench/ctr/speed_compare.sh [build_dir] [epochs] [rounds]     (from the repository root)
set -euo pipefail
build=${1:-build/h7}
epochs=${2:-5}
rounds=${3:-3}
data=${DENOISE_DATA_DIR:-/work/shared/data}/ml-100k
export OMP_NUM_THREADS=1
for model in deepfm dcn; do
  for round in $(seq 1 "$rounds"); do
    echo "== $model round $round: $(uptime)"
    "$build/bench/bench_ml100k_ctr" "$data" --models="$model" --seeds=1 --epochs="$epochs" --patience=0 --threads=1 |
      grep -E '^  (DeepFM|DCN) +[0-9]'
    /usr/bin/python3 bench/pytorch/ctr_twin.py --data "$data" --model "$model" --epochs "$epochs" --threads 1 |
      grep ' torch: '
  done
done
