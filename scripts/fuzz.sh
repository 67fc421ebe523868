#!/usr/bin/env bash
# Runs cvex's libFuzzer targets (tests/fuzz/fuzz_<target>.cpp) under ASan + UBSan.
#   scripts/fuzz.sh [PREFIX] [--seconds N] [--only TARGET] [--build-dir DIR] [--no-build]
# PREFIX selects every target whose name starts with it (`abi` runs abi and abi_text; none: all);
# --only selects exactly one. Each target runs N seconds (default 60) over its corpus: the inputs
# it found before (DIR/fuzz/corpus/<target>, kept between runs), the seeds built from
# ../shared/vectors (DIR/fuzz/seeds/<target>) and the committed ones (tests/fuzz/corpus/<target>).
# A crash, leak, timeout or sanitizer report leaves its input in DIR/fuzz/crashes/<target>/ and
# prints the command that replays it; the run then exits 1. The build (DIR, default build-asan)
# is the sanitizer build of scripts/build.sh --sanitize, which scripts/test.sh --sanitize shares.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=60
prefix=""
only=""
build_dir="$root/build-asan"
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
    --only) only="${2:?--only needs a target}"; shift 2 ;;
    --build-dir) build_dir="${2:?--build-dir needs a directory}"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) [ -z "$prefix" ] || { echo "error: one target prefix at most" >&2; exit 2; }; prefix="$1"; shift ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || { echo "error: --seconds must be a positive integer, got '$seconds'" >&2; exit 2; }

all=()
for src in tests/fuzz/fuzz_*.cpp; do
  name=$(basename "$src" .cpp); name=${name#fuzz_}
  [ "$name" = seeds ] || all+=("$name")
done
targets=()
for t in "${all[@]}"; do
  if [ -n "$only" ]; then [ "$t" = "$only" ] && targets+=("$t")
  elif [[ "$t" == "$prefix"* ]]; then targets+=("$t"); fi
done
[ ${#targets[@]} -gt 0 ] || { echo "error: no fuzz target matches '${only:-$prefix}' (targets: ${all[*]})" >&2; exit 2; }

if [ "$build" = 1 ]; then
  scripts/build.sh --sanitize fuzz_seeds "${targets[@]/#/fuzz_}"
fi
bin="$build_dir/tests/fuzz"
work="$build_dir/fuzz"
mkdir -p "$work"
# The seeds are rebuilt with the targets; under ctest (--no-build) the fuzz_replay.seeds fixture
# has just built them, and the fuzz.<target> tests running side by side only read them.
if [ "$build" = 1 ] || [ ! -d "$work/seeds" ]; then
  "$bin/fuzz_seeds" "$work/seeds" "${all[@]}" >/dev/null
fi

# Sanitizer reports are failures; leaks too (libFuzzer checks them after each new input).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=0
for t in "${targets[@]}"; do
  corpus="$work/corpus/$t"; crashes="$work/crashes/$t"; log="$work/$t.log"
  mkdir -p "$corpus" "$crashes"
  dirs=("$corpus" "$work/seeds/$t")
  [ -d "tests/fuzz/corpus/$t" ] && dirs+=("tests/fuzz/corpus/$t")
  opts=(-max_total_time="$seconds" -timeout=10 -print_final_stats=1 -artifact_prefix="$crashes/")
  [ -f "tests/fuzz/$t.dict" ] && opts+=(-dict="tests/fuzz/$t.dict")
  before=$(ls -1 "$crashes" | wc -l)
  set +e
  "$bin/fuzz_$t" "${opts[@]}" "${dirs[@]}" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
  size=$(ls -1 "$corpus" | wc -l)
  if [ "$rc" -eq 0 ] && [ "$(ls -1 "$crashes" | wc -l)" -eq "$before" ]; then
    echo "fuzz $t: ok — ${runs:-?} runs in ${seconds} s (${rate:-?}/s), ${cov:-cov ?}, corpus $size, peak RSS ${rss:-?} MB"
  else
    failed=1
    repro=$(ls -1t "$crashes" | head -1)
    echo "fuzz $t: FAILED (exit $rc) after ${runs:-?} runs — log: $log"
    grep -E 'ERROR|SUMMARY|fuzz property failed|runtime error|==[0-9]+==' "$log" | head -20 | sed 's/^/  /'
    if [ -n "$repro" ]; then
      echo "  reproducer: $crashes/$repro"
      echo "  replay:     $bin/fuzz_$t $crashes/$repro"
      echo "  once fixed: cp $crashes/$repro tests/fuzz/corpus/$t/<what-it-was> (ctest fuzz_replay.$t keeps it fixed)"
    fi
  fi
done
exit "$failed"
