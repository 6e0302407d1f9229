#!/usr/bin/env bash
# Installs the Debian packages denoise needs for building, testing and benchmarking, when missing.
# Usage: scripts/install-deps.sh            (uses sudo when not root)
set -euo pipefail

packages=(
  g++ clang cmake ninja-build pkg-config
  libeigen3-dev                          # backends::Eigen
  xtensor-dev xtl-dev libxsimd-dev       # .npy import/export
  libthrust-dev libcub-dev               # backends::Thrust (CPP and OMP systems on the host)
  libomp-dev libclang-rt-14-dev          # OpenMP for clang++, libFuzzer and sanitizer runtimes
  libboost-test-dev                      # tests
  libbenchmark-dev                       # bench/
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
  # A fresh machine may have no package lists yet.
  "${sudo_cmd[@]}" apt-get update
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi
