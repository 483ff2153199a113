#!/usr/bin/env python3
"""Counter polling: with polling = 1 s each port's counter samples arrive once per interval
(spacing within 1 s of the interval), and the last counter sample (taken at shutdown, after the
workers stopped) equals the ethdev's rte_eth_stats at that moment, as the summary reports them:
ifInOctets == ibytes, ifInUcastPkts == ipackets (mod 2^32), ifOutOctets == obytes; the port
name record carries the ethdev name; ifIndex is the configured one."""
import os
import harness as h

b = h.binary()
col = h.Collector()
conf = h.write_config("""
sflow {
  sampling = 1000
  polling = 1
  collector { ip = 127.0.0.1 udpport = %d }
}
dpdk {
  port { name = "net_pcap0,rx_pcap=%s,infinite_rx=1" ifindex = 7 }
  port { name = "net_null1,size=256" ifindex = 8 }
}
""" % (col.port, os.path.join(h.pcap_dir(), "demo_mix.pcap")))
rc, objs, err = h.run([b] + h.eal_args("counters") + ["--", "-f", conf, "--duration", "5"])
col.close()
os.unlink(conf)
h.check(rc == 0, "dpsflow exits 0")
s = h.summary_of(objs)
by_if = {}
for t, d in zip(col.times, col.datagrams()):
    for c in h.counter_samples(d):
        by_if.setdefault(c["ifIndex"], []).append((t, c))
h.check(sorted(by_if) == [7, 8], "counter samples for ifIndex 7 and 8 (%s)" % sorted(by_if))
for p in s["ports"]:
    seq = by_if[p["ifindex"]]
    times = [t for t, _ in seq]
    h.check(len(seq) >= 5, "%s: >= 5 counter samples in 5 s (+ final): %d" % (p["name"], len(seq)))
    gaps = [b_ - a for a, b_ in zip(times, times[1:-1])]  # the final one is on shutdown
    h.check(all(abs(g - 1.0) <= 1.0 for g in gaps), "%s: polling interval 1 s respected within 1 s: %s"
            % (p["name"], ["%.2f" % g for g in gaps]))
    last = seq[-1][1]
    h.check(last["ifInOctets"] == p["eth_ibytes"], "%s: ifInOctets == ibytes (%d)" % (p["name"], p["eth_ibytes"]))
    h.check(last["ifInUcastPkts"] == p["eth_ipackets"] % 2**32, "%s: ifInUcastPkts == ipackets" % p["name"])
    h.check(last["ifOutOctets"] == p["eth_obytes"], "%s: ifOutOctets == obytes" % p["name"])
    h.check(last["ifStatus"] == 3, "%s: admin and oper up" % p["name"])
    h.check(last.get("port_name") == p["name"], "%s: port name record" % p["name"])
    if p["ifindex"] == 7:  # net_pcap counts bytes (net_null does not)
        h.check(p["eth_ibytes"] > p["eth_ipackets"] * 60, "%s: byte counters are real" % p["name"])
