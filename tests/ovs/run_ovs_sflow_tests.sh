#!/bin/bash
# run_ovs_sflow_tests.sh OVS_BUILD_DIR - OVS's own sFlow tests (ofproto-dpif.at, keyword
# "sflow") on the tree ovs_patches/build-ovs.sh patched and built, offload off. Builds the
# test programs on first use ('make check' compiles tests/ovstest and test-sflow).
set -euo pipefail
dir=${1:?usage: run_ovs_sflow_tests.sh OVS_BUILD_DIR}
[ -f "$dir/obj/Makefile" ] || { echo "no OVS build in $dir (ovs_patches/build-ovs.sh)"; exit 1; }
log=$(mktemp)
rc=0
make -C "$dir/obj" -j"$(nproc)" check TESTSUITEFLAGS="-k sflow" >"$log" 2>&1 || rc=$?
grep -E '^ *[0-9]+: .*(ok|FAILED|skipped)' "$log" || true
tail -5 "$log"
n_ok=$(grep -cE '^ *[0-9]+: .* ok$' "$log" || true)
rm -f "$log"
if [ "$rc" -ne 0 ] || [ "$n_ok" -lt 6 ]; then
  echo "FAIL: OVS's sFlow tests (exit $rc, $n_ok passed, 6 expected)"
  exit 1
fi
echo "PASS: $n_ok of OVS's own sFlow tests pass on the patched tree"
