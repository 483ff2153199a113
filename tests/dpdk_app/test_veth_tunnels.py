#!/usr/bin/env python3
"""Tunnels through a real kernel path: a veth pair whose far end sits in a network namespace
this test creates; dpsflow captures the near end with net_af_packet. This machine's kernel has
no vxlan/geneve modules, so the tunnel frames are crafted with scapy inside the namespace and
sent through the veth (the kernel still carries them; only the encapsulation is not the
kernel's). Checks that VNI, underlay VTEP addresses and UDP port, and the inner 5-tuple are
exported as sent. Traffic never leaves the namespace pair; everything is torn down at exit."""
import os
import subprocess
import sys
import time
import harness as h

b = h.binary()
pid = os.getpid()
ns = "dpsflow-t%d" % pid
va, vb = "dpsa%d" % (pid % 100000), "dpsb%d" % (pid % 100000)


def sh(*cmd, check=True):
    return subprocess.run(list(cmd), check=check, capture_output=True, text=True)


if subprocess.run(["ip", "netns", "add", ns], capture_output=True).returncode != 0:
    print("cannot create a network namespace here")
    sys.exit(h.SKIP)
proc = None
try:
    sh("ip", "link", "add", va, "type", "veth", "peer", "name", vb)
    sh("ip", "link", "set", vb, "netns", ns)
    for cmd in (["sysctl", "-q", "-w", "net.ipv6.conf.%s.disable_ipv6=1" % va],):
        sh(*cmd, check=False)
    sh("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", check=False)
    sh("ip", "link", "set", va, "up")
    sh("ip", "netns", "exec", ns, "ip", "link", "set", vb, "up")
    sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up")

    col = h.Collector()
    conf = h.write_config("""
sflow {
  sampling = 1
  polling = 0
  collector { ip = 127.0.0.1 udpport = %d }
}
dpdk {
  port { name = "net_af_packet0,iface=%s" ifindex = 21 }
}
""" % (col.port, va))
    proc = subprocess.Popen([b] + h.eal_args("veth") + ["--", "-f", conf, "--duration", "8"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    sender = r'''
from scapy.all import Ether, IP, IPv6, UDP, TCP, sendp, Raw
from scapy.layers.vxlan import VXLAN
import struct
frames = []
for i in range(20):
    inner = Ether(src="02:00:00:00:01:01", dst="02:00:00:00:01:02") / IP(src="192.168.10.1", dst="192.168.10.2") / TCP(sport=40000 + i, dport=443, flags="S")
    frames.append(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src="172.16.0.1", dst="172.16.0.2") / UDP(sport=50000 + i, dport=4789) / VXLAN(vni=4242) / inner)
    ginner = Ether(src="02:00:00:00:02:01", dst="02:00:00:00:02:02") / IPv6(src="fd00::a", dst="fd00::b") / UDP(sport=5353, dport=9000 + i) / Raw(b"x" * 16)
    gen = struct.pack("!BBHI", 0, 0, 0x6558, 777 << 8)
    frames.append(Ether(src="02:00:00:00:00:03", dst="02:00:00:00:00:04") / IP(src="172.16.1.1", dst="172.16.1.2") / UDP(sport=51000 + i, dport=6081) / Raw(gen + bytes(ginner)))
sendp(frames, iface="%s", verbose=False)
''' % vb
    r = subprocess.run(["ip", "netns", "exec", ns, "/usr/bin/python3", "-c", sender],
                       capture_output=True, text=True, timeout=60)
    h.check(r.returncode == 0, "scapy sent 40 tunnel frames inside the namespace: %s" % r.stderr[-300:])
    out, err = proc.communicate(timeout=60)
    col.close()
    os.unlink(conf)
    h.check(proc.returncode == 0, "dpsflow exits 0")
    flows = [f for d in col.datagrams() for f in h.flow_samples(d)]
    vx = [f for f in flows if h.records_by_format(f).get(1030, {}).get("vni") == 4242]
    ge = [f for f in flows if h.records_by_format(f).get(1030, {}).get("vni") == 777]
    h.check(len(vx) == 20 and len(ge) == 20, "20 VXLAN and 20 Geneve samples exported (%d, %d)" % (len(vx), len(ge)))
    for i, f in enumerate(vx):
        r = h.records_by_format(f)
        t, inner = r[1024], r[3]
        h.check(t["src_ip"] == "172.16.0.1" and t["dst_ip"] == "172.16.0.2" and t["dst_port"] == 4789
                and t["src_port"] == 50000 + i and t["protocol"] == 17,
                "VXLAN %d: VTEPs 172.16.0.1 -> 172.16.0.2, UDP %d -> 4789" % (i, 50000 + i))
        h.check(inner["src_ip"] == "192.168.10.1" and inner["dst_ip"] == "192.168.10.2"
                and inner["protocol"] == 6 and inner["src_port"] == 40000 + i and inner["dst_port"] == 443
                and inner["tcp_flags"] == 0x02, "VXLAN %d: inner TCP 5-tuple and SYN flag" % i)
        h.check(f["input"] == 21, "VXLAN %d: input ifIndex 21" % i)
    for i, f in enumerate(ge):
        r = h.records_by_format(f)
        t, inner = r[1024], r[4]
        h.check(t["src_ip"] == "172.16.1.1" and t["dst_ip"] == "172.16.1.2" and t["dst_port"] == 6081,
                "Geneve %d: VTEPs and UDP 6081" % i)
        h.check(inner["src_ip"] == "fd00::a" and inner["dst_ip"] == "fd00::b" and inner["protocol"] == 17
                and inner["dst_port"] == 9000 + i, "Geneve %d: inner IPv6 UDP 5-tuple" % i)
finally:
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait()
    subprocess.run(["ip", "link", "del", va], capture_output=True)
    subprocess.run(["ip", "netns", "del", ns], capture_output=True)
