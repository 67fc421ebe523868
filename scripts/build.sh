#!/usr/bin/env bash
# Configures and builds cvex into build/ (Release, -Wall -Wextra -Werror): binaries in build/bin/.
#   scripts/build.sh             everything: libraries, binaries, tests, benchmarks, contracts
#   scripts/build.sh --binaries  only what the system runs: cvex, cvex-enclave, cvex-oracle, contracts
set -euo pipefail
cd "$(dirname "$0")/.."
targets=()
if [ "${1:-}" = "--binaries" ]; then
  targets=(--target cvex cvex-enclave cvex-oracle contracts)
elif [ $# -gt 0 ]; then
  echo "usage: scripts/build.sh [--binaries]" >&2; exit 2
fi
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
cmake --build build -j"$(nproc)" "${targets[@]}"
