#!/usr/bin/env python3
"""Sampling on real DPDK: >= 1e7 packets from net_null at N in {10, 1000}, one rx queue on one
worker and two rx queues on two workers. Asserts: sample_pool equals packets received, exactly
(and equals the ethdev's own ipackets); the number of samples is within 4 sigma of pool/N
(sigma of a renewal process with uniform [1, 2N-1] gaps: sqrt(pool * (N^2 - 1) / 3 / N^3));
every selected sample is either exported or counted as a drop, and the collector received
exactly the exported ones."""
import math
import os
import harness as h

b = h.binary()
MIN_PACKETS = 10_000_000


cases = [(10, 1, "0,1"), (1000, 1, "0,1"), (1000, 2, "(0)@0,(1)@1,(2)@1")]
for rate, rxq, lcores in cases:
    col = h.Collector()
    conf = h.write_config("""
sflow {
  sampling = %d
  polling = 0
  collector { ip = 127.0.0.1 udpport = %d }
}
dpdk {
  ringSize = 65536
  port { name = "net_null0,size=64,copy=0" rxq = %d }
}
""" % (rate, col.port, rxq))
    duration = int(os.environ.get("STATS_SECONDS", "4"))
    rcvbuf = h.udp_rcvbuf_errors()
    rc, objs, err = h.run([b] + h.eal_args("stats", lcores) +
                          ["--", "-f", conf, "--duration", str(duration)], timeout=120)
    col.close()
    os.unlink(conf)
    h.check(rc == 0, "N=%d rxq=%d: dpsflow exits 0" % (rate, rxq))
    s = h.summary_of(objs)
    p = s["ports"][0]
    pool, samples, drops, exported = p["sample_pool"], p["samples"], p["drops"], p["exported"]
    print("N=%d rxq=%d: rx %d pool %d samples %d drops %d exported %d"
          % (rate, rxq, p["rx_packets"], pool, samples, drops, exported))
    h.check(p["rx_packets"] >= MIN_PACKETS, "at least 1e7 packets offered (%d)" % p["rx_packets"])
    h.check(pool == p["rx_packets"], "sample_pool == packets polled, exactly")
    h.check(pool == p["eth_ipackets"], "sample_pool == rte_eth_stats ipackets, exactly")
    expect = pool / rate
    sigma = math.sqrt(pool * (rate * rate - 1) / 3.0 / rate ** 3) if rate > 1 else 0
    h.check(abs(samples - expect) <= 4 * sigma + 1,
            "samples %d within 4 sigma (%.1f) of pool/N = %.1f" % (samples, sigma, expect))
    h.check(samples == exported + drops, "samples == exported + drops")
    h.check(s["exporter"]["collectors"][0]["samples"] == exported, "agent sent every exported sample")
    h.check_delivery(col, s, rcvbuf)
    flows = [f for d in col.datagrams()[-50:] for f in h.flow_samples(d)]
    if flows:
        last = flows[-1]
        h.check(last["sampling_rate"] == rate, "flow samples carry sampling_rate %d" % rate)
        h.check(last["sample_pool"] <= pool % 2**32 or pool >= 2**32,
                "sample_pool in the last sample does not exceed the final pool")
