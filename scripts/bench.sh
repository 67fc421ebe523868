#!/usr/bin/env bash
# Runs the benchmarks (tests/bench/) and prints median figures. Not part of the test suite:
# speed targets are checked here, by comparison with a peer in the same run, never by timed unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
scripts/build.sh >/dev/null
for b in build/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
       --benchmark_display_aggregates_only=true "$@" 2>&1 | grep -E '^(Benchmark|-|bench|BM_|.*_median)' || true
done
