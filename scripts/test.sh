#!/usr/bin/env bash
# The test command: installs what is missing, builds everything in Release (C++17) and runs ctest.
# Real-data tests read $DENOISE_DATA_DIR (default: ../shared/data beside the checkout) and are
# reported as skipped when it is absent (set DENOISE_REQUIRE_DATA=1 to make that a failure).
# Extra arguments go to ctest, e.g. scripts/test.sh -L unit
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/install-deps.sh
data_dir="${DENOISE_DATA_DIR:-$root/../shared/data}"
# DENOISE_WERROR=ON (as CI sets it) turns warnings in denoise's own code into errors.
cmake --preset release -DDENOISE_DATA_DIR="$data_dir" -DDENOISE_WERROR="${DENOISE_WERROR:-OFF}" >/dev/null
cmake --build --preset release
ctest --preset release "$@"
