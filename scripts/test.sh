#!/usr/bin/env bash
# The README's test command: set up, build, and run every test through ctest, whose summary closes
# the run.
#   scripts/test.sh [ctest args…]  build/: C++ unit and integration tests, the differential test
#                                  against cast, the fuzz targets' replay of their corpora, forge
#   scripts/test.sh --sanitize [ctest args…]
#                                  build-asan/ (clang, ASan + UBSan, every report fatal, leaks
#                                  included): the unit and integration tests and the replays
#   scripts/test.sh --ci           the first; if it passed, the second; if that passed, every fuzz
#                                  target for CVEX_FUZZ_SECONDS (default 30) s (ctest -L fuzz)
# A stage runs only if the one before passed, so the last lines are the summary of the ctest run
# that decided the exit code.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=normal
case "${1:-}" in
  --sanitize) mode=sanitize; shift ;;
  --ci) mode=ci; shift ;;
esac
jobs="$(nproc)"

normal() {
  scripts/setup.sh
  scripts/setup.sh --vm  # the guest VM tests build an image and boot it in QEMU
  scripts/build.sh
  (cd build && ctest --output-on-failure -j"$jobs" "$@")
}

sanitizer_env() {
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  if [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer; fi
}

sanitized() {
  scripts/setup.sh --sanitize
  local start=$SECONDS
  scripts/build.sh --sanitize
  echo "test: the sanitizer build took $((SECONDS - start)) s"
  sanitizer_env
  # Not here: forge (Solidity, nothing of ours to watch) and integration.devnet (scripts/devnet.sh
  # builds and runs the normal build/, which the first stage ran).
  (cd build-asan && ctest --output-on-failure -j"$jobs" -LE fuzz -E '^(forge|integration\.devnet)$' "$@")
}

fuzz_smoke() {
  sanitizer_env
  (cd build-asan && ctest --output-on-failure -j"$jobs" -L fuzz)
}

case "$mode" in
  normal) normal "$@" ;;
  sanitize) sanitized "$@" ;;
  ci)  # one stage after the other at top level, so that `set -e` stops at the first that fails
    normal
    sanitized
    fuzz_smoke ;;
esac
