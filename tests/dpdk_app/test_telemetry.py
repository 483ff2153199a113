#!/usr/bin/env python3
"""Telemetry: /dpsflow/info, /dpsflow/ports and /dpsflow/stats answer through Debian's
dpdk-telemetry.py while the agent runs, with the values the agent's summary confirms."""
import json
import os
import subprocess
import time
import harness as h

b = h.binary()
col = h.Collector()
args = [b] + h.eal_args("telemetry") + ["--", "--port", "net_null0", "--sampling", "1000",
                                        "--polling", "0", "--collector", "127.0.0.1:%d" % col.port,
                                        "--duration", "5"]
prefix = args[args.index("--file-prefix") + 1]
proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def query(cmd):
    out = subprocess.run(["dpdk-telemetry.py", "-f", prefix], input=cmd + "\n",
                         capture_output=True, text=True, timeout=20).stdout
    return json.loads(out[out.index("{"):out.rindex("}") + 1])[cmd]


try:
    time.sleep(2.5)
    info, ports, stats = query("/dpsflow/info"), query("/dpsflow/ports"), query("/dpsflow/stats")
    out, err = proc.communicate(timeout=60)
finally:
    if proc.poll() is None:
        proc.kill()
    col.close()
s = h.summary_of([json.loads(l) for l in out.splitlines() if l.startswith("{")])
p = s["ports"][0]
h.check(info["ports"] == 1 and info["workers"] == 1 and info["ring_size"] == 4096, "info: ports, workers, ring size")
h.check(ports["port0"]["sampling_rate"] == 1000 and ports["port0"]["link"] == "up"
        and ports["port0"]["ifindex"] == p["ifindex"], "ports: rate 1000, link up, ifIndex as exported")
live = stats["port0"]
h.check(0 < live["rx_packets"] < p["rx_packets"], "stats: live rx_packets (%d) below the final %d" % (live["rx_packets"], p["rx_packets"]))
h.check(live["sample_pool"] <= p["sample_pool"] and live["samples"] > 0, "stats: pool and samples counting")
h.check(abs(live["samples"] - live["sample_pool"] / 1000) < 4 * (live["sample_pool"] / 3000) ** 0.5 + 50,
        "stats: samples ~ pool/1000")
h.check("collector0" in stats["exporter"] and stats["exporter"]["collector0"]["send_errors"] == 0,
        "stats: per-collector counters")
