#!/usr/bin/env bash
# Runs the benchmarks and prints median figures: the Google Benchmark programs of tests/bench/
# (built into build/bench/) and their peers in the same run (tests/bench/*.mjs: ethers.js and
# friends). Not part of the test suite: speed targets are checked here, as ratios to a peer,
# never by timed unit tests. `scripts/bench.sh keccak` runs only the benchmarks whose name matches.
set -euo pipefail
cd "$(dirname "$0")/.."
filter="${1:-}"
scripts/setup.sh >/dev/null
scripts/build.sh >/dev/null
for b in build/bench/bench_*; do
  [ -x "$b" ] || continue
  [[ -z "$filter" || "$b" == *"$filter"* ]] || continue
  echo "== $(basename "$b")"
  "$b" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true 2>/dev/null | grep -E '_median' || true
done
# Peers that a benchmark runs itself, with the arguments of its own run (bench_sender starts
# ethers_sender.mjs against its Anvil), are left to that benchmark.
for p in tests/bench/*.mjs; do
  [ -f "$p" ] || continue
  grep -qF "tests/bench/$(basename "$p")\"" tests/bench/bench_*.cpp && continue
  [[ -z "$filter" || "$p" == *"$filter"* ]] || continue
  echo "== $(basename "$p") (peer)"
  node "$p"
done
