#!/bin/bash
# dpsflow benchmark harness.
#
#   benchmarks/run.sh [--smoke] [--build DIR] [--out DIR] [suite...]
#
# Suites (default: all, in this order):
#   ceiling   testpmd io-forward vs dpsflow forward mode on the same vdevs and lcores,
#             interleaved A/B runs, N in {off,10000,1000,100,10,1}: Mpps medians and ratio
#   ceiling-ir the same pair under callgrind: instructions the forwarding lcore retires per
#             packet, ratio testpmd/dpsflow per N (exact where Mpps drifts)
#   ceiling-alt one dpsflow, its rate switched by SIGHUP every 2.2 s (off,1000,off,100,...):
#             Mpps ratio of each sampled segment to the off segments beside it, with an A/A
#   exporter  N sweep down to 1 until the exporter drops samples: exported samples/s per core
#   micro     callgrind instruction counts (sampler, decoder, OVS action decode, encoder)
#             and TSC cycles / ns from the micro benches
#   ovs       stock OVS-DPDK sFlow (Debian) vs the patched OVS + dpsflow offload: Mpps ratio to
#             sFlow off per N, samples written vs pool/N (needs build/ovs from build-ovs.sh)
#   ovs-ratio the patched OVS only, interleaved blocks with an A/A control (sFlow off twice):
#             ratio medians with 95 % confidence intervals
#   ovs-ir    the patched ovs-vswitchd under callgrind: PMD instructions per packet with sFlow
#             off, offloaded (1:1000, 1:100) and OVS's own path; ratio off/variant
#   ovs-alt   one patched ovs-vswitchd, its sFlow switched every ~3 s (off,1000,off,100,...):
#             Mpps ratio of each sampled segment to the off segments beside it, with an A/A
#
# Full runs write benchmarks/results/{ceiling,ceiling_ir,ceiling_alt,exporter,micro,ovs,ovs-ratio,ovs_ir,
# ovs_alt}.csv, RESULTS.md and
# ceiling_ratio.png. --smoke runs every suite for a few seconds and writes to
# benchmarks/results/tmp/smoke/ (git-ignored); it never touches the full results.
# Environment: DPS_BUILD (build dir, default ./build), BENCH_RUNS (ceiling runs per point,
# default 3), BENCH_SECONDS (measured seconds per run, default 10), BENCH_OUT (output dir),
# BENCH_IR_SECONDS, BENCH_OVS_IR_SECONDS (callgrind windows), BENCH_ALT_CYCLES (ceiling-alt),
# BENCH_OVS_ALT_CYCLES, BENCH_OVS_ALT_TRAFFIC (ovs-alt).
# Exit status: 0 every requested suite produced its numbers (or was skipped for a stated
# reason), 1 a suite failed, 2 bad usage.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
exec /usr/bin/python3 "$here/bench.py" "$@"
