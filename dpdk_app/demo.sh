#!/usr/bin/env bash
# The demo behind `./quickstart.sh demo`: dpsflow on bundled traffic, no NIC needed.
#
#   dpdk_app/demo.sh BUILD_DIR
#
# Crafts the demo pcap (plain, VLAN, VXLAN over IPv4/IPv6, Geneve, GPE+NSH, NSH, GRE/NVGRE,
# MPLS) with scapy, starts a local sFlow collector (the project's reader) on 127.0.0.1:6343,
# runs dpsflow with config/demo.conf for DEMO_SECONDS (default 10) with the live stats view and
# --print-samples, and ends with what the collector received.
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
build=$(readlink -f "${1:-$top/build}")
secs=${DEMO_SECONDS:-10}
out="$build/demo"
cd "$top"

[ -x "$build/dpdk_app/dpsflow" ] || { echo "demo: $build/dpdk_app/dpsflow not built" >&2; exit 1; }
mkdir -p "$out" build/pcaps
/usr/bin/python3 tests/tools/make_pcaps.py build/pcaps >/dev/null

eal=(--no-pci --file-prefix "dpsflow-demo-$$" -l 0,1 --log-level lib.eal:warning)
if [ "$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)" -eq 0 ] || ! mountpoint -q /dev/hugepages; then
  echo "demo: no hugepages, running with --no-huge"
  eal+=(--no-huge -m 512)
fi

/usr/bin/python3 tests/tools/sflowdecode.py --listen 127.0.0.1:6343 --seconds $((secs + 4)) \
  > "$out/collector.jsonl" 2> "$out/collector.err" &
collector=$!
trap 'kill $collector 2>/dev/null || true' EXIT
sleep 0.5

echo "demo: dpsflow ${eal[*]} -- -f config/demo.conf --duration $secs --stats-period 1 --print-samples"
set +e
"$build/dpdk_app/dpsflow" "${eal[@]}" -- -f config/demo.conf --duration "$secs" \
  --stats-period 1 --print-samples > "$out/samples.jsonl"
rc=$?
set -e
wait $collector 2>/dev/null || true
trap - EXIT
[ $rc -eq 0 ] || { echo "demo: dpsflow exited with status $rc" >&2; exit $rc; }

/usr/bin/python3 - "$out/samples.jsonl" "$out/collector.jsonl" <<'PY'
import collections, json, sys
samples, summary = [], None
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("type") == "flow_sample":
        samples.append(o)
    elif o.get("type") == "summary":
        summary = o
print("\nFirst exported samples (--print-samples):")
for s in samples[:5]:
    s = dict(s); s["header"] = s["header"][:32] + "..."
    print("  " + json.dumps(s))
kinds = collections.Counter(s.get("tunnel", "none") for s in samples)
vnis = sorted({s["vni"] for s in samples if "vni" in s})
print("\nSamples by outer tunnel:", dict(kinds))
print("VNIs seen:", vnis[:20])
dgrams = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
flows = sum(1 for d in dgrams for s in d.get("samples", []) if s.get("sample_type") == "flow")
ctrs = sum(1 for d in dgrams for s in d.get("samples", []) if s.get("sample_type") == "counters")
print("\nCollector 127.0.0.1:6343 received %d datagrams: %d flow samples, %d counter samples"
      % (len(dgrams), flows, ctrs))
if summary:
    for p in summary["ports"]:
        print("  %-10s ifIndex %-9d rx %d packets, pool %d, 1-in-%d: %d samples, %d drops, "
              "%d exported" % (p["name"], p["ifindex"], p["rx_packets"], p["sample_pool"],
                               p["sampling_rate"], p["samples"], p["drops"], p["exported"]))
PY
