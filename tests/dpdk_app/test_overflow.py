#!/usr/bin/env python3
"""Ring overflow: a tiny sample ring at N=1 in forward mode (net_null0 <-> net_null1). The
exporter cannot keep up with every packet, so the ring fills: every packet must still be
forwarded (the datapath never waits on the ring), drops must be counted exactly
(drops == samples selected - samples exported) and every datagram must reach the collector
or be counted by the kernel as dropped at the collector's socket buffer."""
import os
import harness as h

b = h.binary()
col = h.Collector()
conf = h.write_config("""
sflow {
  sampling = 1
  polling = 0
  collector { ip = 127.0.0.1 udpport = %d }
}
dpdk {
  ringSize = 64
  port { name = "net_null0,size=64" forward = "net_null1" }
  port { name = "net_null1,size=64" forward = "net_null0" }
}
""" % col.port)
rcvbuf = h.udp_rcvbuf_errors()
rc, objs, err = h.run([b] + h.eal_args("overflow") + ["--", "-f", conf, "--duration", "3"])
col.close()
os.unlink(conf)
h.check(rc == 0, "dpsflow exits 0")
s = h.summary_of(objs)
total_exported = 0
for p in s["ports"]:
    print(p)
    h.check(p["rx_packets"] > 1_000_000, "%s polled > 1e6 packets" % p["name"])
    h.check(p["tx_packets"] + p["tx_dropped"] == p["rx_packets"],
            "%s: every packet received was sent or counted as a tx drop" % p["name"])
    h.check(p["tx_dropped"] == 0, "%s: net_null never refuses, so nothing dropped on tx" % p["name"])
    h.check(p["samples"] == p["sample_pool"] == p["rx_packets"], "%s: N=1 selects every packet" % p["name"])
    h.check(p["drops"] > 0, "%s: the tiny ring overflowed (%d drops)" % (p["name"], p["drops"]))
    h.check(p["drops"] == p["samples"] - p["exported"], "%s: drops == selected - exported" % p["name"])
    total_exported += p["exported"]
peer_tx = {p["name"]: p["eth_opackets"] for p in s["ports"]}
h.check(peer_tx["net_null1"] == s["ports"][0]["tx_packets"], "net_null1 ethdev opackets == packets forwarded from net_null0")
h.check(s["exporter"]["collectors"][0]["samples"] == total_exported, "agent sent every exported sample")
h.check_delivery(col, s, rcvbuf)
