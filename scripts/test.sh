#!/usr/bin/env bash
# The README's test command (and CI's, through .ci/run): set up, build, and run every test
# through ctest; the summary of the ctest run that decided the exit code closes the output.
#   scripts/test.sh                 1. build/ (gcc, -Werror): the C++ unit and integration tests,
#                                      the differential test against cast, the guest image and VM
#                                      boot, the fuzz targets' replay of their corpora, forge;
#                                   2. if that passed, build-asan/ (clang, AddressSanitizer +
#                                      UndefinedBehaviorSanitizer, every report fatal, leaks
#                                      included): the unit and integration tests and the corpora's
#                                      replay, then every libFuzzer target for CVEX_FUZZ_SECONDS
#                                      (default 30) s. Stage 2 is built while stage 1's tests run.
#   scripts/test.sh [ctest args…]   only stage 1, with those arguments (e.g. -R oracle)
#   scripts/test.sh --sanitize [ctest args…]
#                                   only stage 2's build and its tests but the fuzzing (the
#                                   replays stay), with those arguments
set -euo pipefail
cd "$(dirname "$0")/.."

mode=ci
if [ "${1:-}" = "--sanitize" ]; then
  mode=sanitize; shift
elif [ $# -gt 0 ]; then
  mode=normal
fi
jobs="$(nproc)"
# The sanitized tests wait more than they compute (Anvil's blocks, the processes they start), so
# twice as many run at once as there are cores.
test_jobs=$((2 * jobs))

normal_setup_and_build() {
  scripts/setup.sh
  scripts/setup.sh --vm  # the guest VM tests build an image and boot it in QEMU
  scripts/build.sh
}

normal() {
  normal_setup_and_build
  (cd build && ctest --output-on-failure -j"$jobs" "$@")
}

sanitizer_env() {
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  if [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer; fi
}

# Stage 2's tests: everything but forge (Solidity, nothing of ours to watch) and
# integration.devnet (scripts/devnet.sh builds and runs the normal build/).
sanitized_tests() {
  sanitizer_env
  (cd build-asan && ctest --output-on-failure -j"$test_jobs" -LE fuzz -E '^(forge|integration\.devnet)$' "$@")
}

sanitized() {
  scripts/setup.sh --sanitize
  local start=$SECONDS
  scripts/build.sh --sanitize
  echo "test: the sanitizer build took $((SECONDS - start)) s"
  sanitized_tests "$@"
}

# Both stages. Stage 1's tests spend most of their time waiting on Anvil's blocks and the
# processes they start (about a third of two cores in a run here), so stage 2 is built beside
# them at the lowest priority: the tests get the CPU whenever they want it, the compiler the rest.
ci() {
  scripts/setup.sh --sanitize
  normal_setup_and_build
  local start=$SECONDS log=build-asan/build.log builder rc=0
  mkdir -p build-asan
  setsid nice -n 19 scripts/build.sh --sanitize >"$log" 2>&1 &
  builder=$!
  (cd build && ctest --output-on-failure -j"$jobs") || rc=$?
  if [ "$rc" -ne 0 ]; then
    kill -- -"$builder" 2>/dev/null || true
    wait "$builder" 2>/dev/null || true
    return "$rc"
  fi
  if ! wait "$builder"; then
    tail -n 60 "$log"
    echo "test: the sanitizer build failed (the whole log: $log)" >&2
    return 1
  fi
  echo "test: the sanitizer build took $((SECONDS - start)) s, beside stage 1's tests"
  sanitized_tests
  (cd build-asan && ctest --output-on-failure -j"$jobs" -L fuzz)
}

case "$mode" in
  normal) normal "$@" ;;
  sanitize) sanitized "$@" ;;
  ci) ci ;;
esac
