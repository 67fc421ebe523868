#!/usr/bin/env bash
# The README's test command (and CI's, through .ci/run): set up, build, and run every test
# through ctest; the summary of the ctest run that decided the exit code closes the output.
#   scripts/test.sh                 1. build/ (gcc, -Werror): the C++ unit and integration tests,
#                                      the differential test against cast, the guest image and VM
#                                      boot, the fuzz targets' replay of their corpora, forge;
#                                   2. if that passed, build-asan/ (clang, AddressSanitizer +
#                                      UndefinedBehaviorSanitizer, every report fatal, leaks
#                                      included): the unit tests and the corpora's replay, then
#                                      every libFuzzer target for CVEX_FUZZ_SECONDS (default 30) s.
#   scripts/test.sh [ctest args…]   only stage 1, with those arguments (e.g. -R oracle)
#   scripts/test.sh --sanitize [ctest args…]
#                                   build-asan/ only: the unit AND integration tests and the replays
#                                   under the sanitizers (about 9 minutes of tests more than stage 2;
#                                   CI leaves the integration tests to stage 1 to stay under 45 min)
set -euo pipefail
cd "$(dirname "$0")/.."

mode=ci
if [ "${1:-}" = "--sanitize" ]; then
  mode=sanitize; shift
elif [ $# -gt 0 ]; then
  mode=normal
fi
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

# Everything: the unit and integration tests and the replays under the sanitizers.
sanitized() {
  scripts/setup.sh --sanitize
  local start=$SECONDS
  scripts/build.sh --sanitize
  echo "test: the sanitizer build took $((SECONDS - start)) s"
  sanitizer_env
  # Not here: forge (Solidity, nothing of ours to watch) and integration.devnet (scripts/devnet.sh
  # builds and runs the normal build/).
  (cd build-asan && ctest --output-on-failure -j"$jobs" -LE fuzz -E '^(forge|integration\.devnet)$' "$@")
}

# Stage 2: only what the unit tests and the fuzz targets need is built (no binaries, no
# integration tests, no benchmarks), then the unit tests, the replays and a short fuzz of each target.
sanitized_ci() {
  scripts/setup.sh --sanitize
  local start=$SECONDS targets=()
  for f in tests/unit/test_*.cpp tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$f" .cpp)"); done
  CVEX_FUZZ_SECONDS="${CVEX_FUZZ_SECONDS:-30}" scripts/build.sh --sanitize "${targets[@]}"
  echo "test: the sanitizer build took $((SECONDS - start)) s"
  sanitizer_env
  (cd build-asan && ctest --output-on-failure -j"$jobs" -R '^(unit|fuzz_replay|fuzz)\.')
}

case "$mode" in
  normal) normal "$@" ;;
  sanitize) sanitized "$@" ;;
  ci)  # one stage after the other at top level, so that `set -e` stops at the first that fails
    normal
    sanitized_ci ;;
esac
