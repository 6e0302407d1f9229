#!/usr/bin/env bash
# Packages denoise with Conan 2, offline, against Debian's packages: installs what is missing
# (apt-get; sudo when not root), then, in a fresh CONAN_HOME, exports the wrapper recipes of
# conan/recipes/ and runs `conan create .` with conan/profiles/debian; test_package builds and
# runs one consumer per target (denoise::denoise, denoise::thrust on the OMP system).
# Usage: scripts/conan-create.sh [extra conan create arguments, e.g. -o "&:thrust_system=cpp"]
# The client: $CONAN, else ../shared/tools/conan/conan beside the checkout, else `conan`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

conan="${CONAN:-}"
if [ -z "$conan" ]; then
  if [ -x "$root/../shared/tools/conan/conan" ]; then conan="$root/../shared/tools/conan/conan"; else conan=conan; fi
fi

packages=(
  g++ cmake make
  libeigen3-dev xtensor-dev xtl-dev libxsimd-dev libthrust-dev libcub-dev
)
case "$conan" in
  */shared/tools/conan/conan)  # the client run from source: its Python dependencies
    packages+=(python3-requests python3-urllib3 python3-colorama python3-yaml python3-patch-ng
               python3-fasteners python3-distro python3-jinja2 python3-dateutil) ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "conan-create: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
    "${sudo_cmd[@]}" apt-get update
    "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

# A fresh Conan home: runs do not depend on one another, and nothing is left behind.
CONAN_HOME="$(mktemp -d "${TMPDIR:-/tmp}/denoise-conan.XXXXXX")"
export CONAN_HOME
trap 'rm -rf "$CONAN_HOME"' EXIT

"$conan" --version
"$conan" profile detect >/dev/null 2>&1
for recipe in eigen xtl xsimd xtensor thrust; do
  "$conan" export "$root/conan/recipes/$recipe"
done
# test_package builds outside the checkout (in the temporary Conan home).
"$conan" create "$root" -pr:a "$root/conan/profiles/debian" --no-remote --build=missing \
  -c tools.cmake.cmake_layout:test_folder="$CONAN_HOME/test_package_build" "$@"
