#!/usr/bin/env python3
"""A collector that is down: dpsflow keeps running and counts send errors; when the
collector comes back, datagrams arrive with contiguous sequence numbers."""
import json
import os
import socket
import subprocess
import time
import harness as h

b = h.binary()
# reserve a port number, then close it so nothing listens there (ICMP port unreachable)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
conf = h.write_config("""
sflow {
  sampling = 20000          # net_null runs at tens of Mpps: keep the Python collector unsaturated
  polling = 1
  datagramTimeoutMs = 100
  collector { ip = 127.0.0.1 udpport = %d }
}
dpdk {
  port { name = "net_null0,size=64" }
}
""" % port)
proc = subprocess.Popen([b] + h.eal_args("coldown") + ["--", "-f", conf, "--duration", "6"],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
col = None
try:
    time.sleep(3)
    h.check(proc.poll() is None, "agent still running with the collector down")
    col = h.Collector(port)
    out, err = proc.communicate(timeout=60)
finally:
    if proc.poll() is None:
        proc.kill()
    if col:
        col.close()
    os.unlink(conf)
h.check(proc.returncode == 0, "exits 0")
summ = [json.loads(l) for l in out.splitlines() if l.startswith('{"type":"summary"')][0]
c = summ["exporter"]["collectors"][0]
print(c)
h.check(c["send_errors"] > 0, "send errors counted while the collector was down (%d)" % c["send_errors"])
dg = col.datagrams()
h.check(len(dg) > 10, "datagrams arrive once the collector is back (%d)" % len(dg))
seqs = [d["seq"] for d in dg]
h.check(all(b_ == a + 1 for a, b_ in zip(seqs, seqs[1:])), "datagram sequence numbers contiguous after the collector came back (%d..%d)" % (seqs[0], seqs[-1]))
h.check(c["datagrams"] >= len(dg), "datagrams counted as sent >= datagrams received")
