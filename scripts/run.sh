#!/usr/bin/env bash
# The main job: installs what is missing, builds the `denoise` CLI (Release, for this machine's
# instruction set: -march=native, in build/native so the portable test build stays as it is) and
# runs it. Arguments are passed to the CLI: scripts/run.sh --help
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/install-deps.sh
cmake --preset release -B build/native -DDENOISE_NATIVE=ON >/dev/null
cmake --build build/native --target denoise_cli >/dev/null
exec "$root/build/native/examples/denoise" "$@"
