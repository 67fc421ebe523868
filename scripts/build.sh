#!/usr/bin/env bash
# Configures and builds cvex into build/ (Release, -Wall -Wextra -Werror): binaries in build/bin/.
#   scripts/build.sh             everything: libraries, binaries, tests, benchmarks, contracts
#   scripts/build.sh --binaries  only what the system runs: cvex, cvex-enclave, cvex-oracle, contracts
#   scripts/build.sh --sanitize [target…]
#                                the sanitizer build in build-asan/: clang, ASan + UBSan, libFuzzer
#                                coverage, tests/fuzz's targets as libFuzzer executables (what
#                                scripts/test.sh --sanitize and scripts/fuzz.sh run); everything,
#                                or only the targets named
set -euo pipefail
cd "$(dirname "$0")/.."
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
targets=()
dir=build
if [ "${1:-}" = "--binaries" ] && [ $# -eq 1 ]; then
  targets=(--target cvex cvex-enclave cvex-oracle contracts)
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
elif [ "${1:-}" = "--sanitize" ]; then
  shift
  [ $# -gt 0 ] && targets=(--target "$@")
  dir=build-asan
  # -Werror stays with the gcc build: this one exists to run the code under the sanitizers.
  cmake -S . -B build-asan -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Sanitize -DCVEX_SANITIZE=ON -DCVEX_FUZZ=ON \
    -DCVEX_WERROR=OFF -DCVEX_BENCH=OFF -DCVEX_FUZZ_SECONDS="${CVEX_FUZZ_SECONDS:-30}" "${launcher[@]}" >/dev/null
elif [ $# -gt 0 ]; then
  echo "usage: scripts/build.sh [--binaries | --sanitize [target…]]" >&2; exit 2
else
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
fi
cmake --build "$dir" -j"$(nproc)" "${targets[@]}"
