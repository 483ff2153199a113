#!/usr/bin/env bash
# Smoke-runs one libFuzzer harness for a bounded time.
#   run_fuzzer.sh BINARY NAME SRC_DIR BUILD_DIR
# Seeds: tests/fuzz/seeds/NAME/ (if present) plus NAME's generated seeds in BUILD_DIR
# (seed_NAME/ written by the test tooling). The working corpus lives in the build directory so
# repeated runs keep what earlier runs learned; crash inputs are written there as crash-* and
# fail the run. FUZZ_SECONDS overrides the time (default 60 s).
set -euo pipefail
bin=$1 name=$2 src=$3 out=$4
secs=${FUZZ_SECONDS:-60}
corpus="$out/corpus_$name"
mkdir -p "$corpus" "$out/artifacts_$name"
dirs=("$corpus")
[ -d "$src/seeds/$name" ] && dirs+=("$src/seeds/$name")
[ -d "$out/seed_$name" ] && dirs+=("$out/seed_$name")
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$out/artifacts_$name/" "${dirs[@]}" 2>"$out/fuzz_$name.log" || {
  tail -50 "$out/fuzz_$name.log"; echo "$name: FAILED (artifacts in $out/artifacts_$name)"; exit 1; }
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz_$name.log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/fuzz_$name.log")
echo "$name: ${runs:-?} executions in ${secs} s (${rate:-?} exec/s), no crash"
