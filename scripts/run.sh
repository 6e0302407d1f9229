#!/usr/bin/env bash
# The main job: installs what is missing, builds the `denoise` CLI (Release) and runs it.
# Arguments are passed to the CLI: scripts/run.sh --help
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target denoise_cli >/dev/null
exec "$root/build/release/examples/denoise" "$@"
