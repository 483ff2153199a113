#!/usr/bin/python3
"""The OVS offload end to end: patched ovs-vswitchd (ovs_patches/, DPDK PMD, net_pcap ports)
writes sFlow samples into the hugepage ring; dpsflow with only an ovs { } block exports them.

Topology (ovs-vswitchd in its own network namespace, see ovs_sandbox.py):
  br0: p0 (net_pcap, 3 x 20000 inner TCP packets, dport 80/81/82, replayed once)
       vx0 (vxlan key 5001), gnv0 (geneve key 7002), gre0 (gre key 9003), remote 1.1.2.92
       flows: dport 80 -> vx0, 81 -> gnv0, 82 -> gre0 (tnl_push), from vx0 -> drop
  br1: p1 (net_pcap, 20000 VXLAN packets vni 5001 from 1.1.2.92 to 1.1.2.88: tnl_pop)
       address 1.1.2.88/24 on br1, ARP entry for 1.1.2.92
  sFlow on br0 configured with ovs-vsctl only, as operators do, sampling 1:100.

Asserts: input ifIndex / data source = OVS's ifindex of the Interface; output = OVS's own sFlow
cookie value; records 1023 + 1029 per tunnel type with the right VTEPs, protocol, UDP
destination port 4789 / 6081 in numeric order and VNI / key; 1024 + 1030 for the
decapsulated traffic; sample_pool per input port equals the packets the PMD processed for it
(exactly, from the ring file, and equal to the Interface's rx counter); every sample OVS took
is exported or counted as a drop; sample counts within 4 sigma of pool/N.
"""
import os
import re
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "dpdk_app"))
sys.path.insert(0, HERE)
import harness as h  # noqa: E402
from ovs_sandbox import OvsSandbox, ovs_prefix  # noqa: E402
import ring_file  # noqa: E402

N = 100
INNER_PER_PORT = 20000
UNDERLAY = 20000
VNI = {80: 5001, 81: 7002, 82: 9003}
TUN = {80: ("vxlan", 17, 4789), 81: ("geneve", 17, 6081), 82: ("gre", 47, 0)}


def make_pcaps(d):
    inner = os.path.join(d, "inner.pcap")
    underlay = os.path.join(d, "underlay.pcap")
    subprocess.run(["/usr/bin/python3", os.path.join(HERE, "make_ovs_pcaps.py"), inner,
                    underlay, str(INNER_PER_PORT), str(UNDERLAY)], check=True)
    return inner, underlay


def cookie_outputs(dump):
    """in-port name-free view of dpctl/dump-flows: tcp dst port -> sFlow cookie output."""
    out = {}
    for line in dump.splitlines():
        m = re.search(r"tcp\(dst=(\d+)\).*sFlow\(vid=\d+,pcp=\d+,output=(\d+)\)", line)
        if m:
            out[int(m.group(1))] = int(m.group(2))
    return out


def name_ifindex(name):
    """dpdk_app/name_ifindex.c, independently: 24-bit folded FNV-1a, never 0."""
    h = 2166136261
    for c in name.encode():
        h = ((h ^ c) * 16777619) & 0xFFFFFFFF
    h = ((h >> 24) ^ h) & 0xFFFFFF
    return h or 1


def wait_rx(ovs, port, want, timeout=15):
    """Waits until the Interface counted want packets and the PMD is done with them."""
    deadline = time.monotonic() + timeout
    rx = -1
    while time.monotonic() < deadline:
        rx = int(ovs.vsctl("get", "Interface", port, "statistics:rx_packets").strip())
        if rx >= want:
            break
        time.sleep(0.1)
    time.sleep(0.5)  # recirculated (decapsulated) passes finish within the same poll loop
    return rx


def failed_upcalls(ovs):
    out = ovs.appctl("dpif-netdev/pmd-stats-show")
    return sum(int(m.group(1)) for m in re.finditer(r"miss with failed upcall: (\d+)", out))


def main():
    dpsflow = h.binary()
    prefix = ovs_prefix(h)

    ovs = OvsSandbox(prefix, "dpsovs")
    ring = "/dev/hugepages/dps-ovs-%d.ring" % os.getpid()
    col = h.Collector()
    proc = None
    try:
        inner, underlay = make_pcaps(ovs.rundir)
        ovs.start()
        ovs.vsctl("set", "Open_vSwitch", ".", "other_config:sflow-offload-ring=" + ring)
        ovs.vsctl("add-br", "br1", "--", "set", "bridge", "br1", "datapath_type=netdev",
                  "other-config:hwaddr=aa:55:aa:55:00:88")
        ovs.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                  "--", "add-port", "br0", "vx0", "--", "set", "Interface", "vx0",
                  "type=vxlan", "options:remote_ip=1.1.2.92", "options:key=5001",
                  "--", "add-port", "br0", "gnv0", "--", "set", "Interface", "gnv0",
                  "type=geneve", "options:remote_ip=1.1.2.92", "options:key=7002",
                  "--", "add-port", "br0", "gre0", "--", "set", "Interface", "gre0",
                  "type=gre", "options:remote_ip=1.1.2.92", "options:key=9003")
        ovs.ip("link", "set", "br1", "up")
        ovs.ip("addr", "add", "1.1.2.88/24", "dev", "br1")
        ovs.appctl("tnl/arp/set", "br1", "1.1.2.92", "aa:55:aa:55:00:00")
        ovs.ofctl("del-flows", "br0")
        for dport, port in ((80, "vx0"), (81, "gnv0"), (82, "gre0")):
            # p0 joins later (with its traffic) as OpenFlow port 10
            ovs.ofctl("add-flow", "br0", "in_port=10,tcp,tp_dst=%d,actions=output:%s" %
                      (dport, port))
        ovs.ofctl("add-flow", "br0", "in_port=vx0,actions=drop")
        # sFlow the way operators set it; OVS's own agent sends its counters into the
        # namespace's loopback, dpsflow exports the flow samples
        ovs.vsctl("--", "--id=@s", "create", "sflow", "agent=lo",
                  'target="127.0.0.1:6343"', "header=128", "sampling=%d" % N, "polling=30",
                  "--", "set", "bridge", "br0", "sflow=@s")
        deadline = time.monotonic() + 10
        while not os.path.exists(ring) and time.monotonic() < deadline:
            time.sleep(0.1)
        h.check(os.path.exists(ring), "ovs-vswitchd created the ring file %s" % ring)

        conf = h.write_config("""
sflow {
  agent.cidr = 127.0.0.0/8
  polling = 0
  headerBytes = 128
  collector { ip = 127.0.0.1 udpport = %d }
}
ovs {
  ring = %s
  bridge = br0
  db = unix:%s
}
""" % (col.port, ring, ovs.db))
        env = dict(os.environ, PATH=ovs.env["PATH"])
        proc = subprocess.Popen([dpsflow] + h.eal_args("dpsovs", "0") +
                                ["--", "--config", conf, "--duration", "10"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env)
        time.sleep(2)  # attached and port map loaded before the first packet
        # the traffic: finite pcaps, replayed once, one port after the other. OVS drops the
        # packets that arrive while the main thread still holds the upcall lock after the
        # port was added ("miss with failed upcall"): they never reach the flow's actions, so
        # they are not in sample_pool. One port at a time makes that loss attributable.
        ovs.vsctl("add-port", "br1", "p1", "--", "set", "Interface", "p1", "type=dpdk",
                  "options:dpdk-devargs=net_pcap1,rx_pcap=%s,tx_pcap=/dev/null" % underlay)
        rx1 = wait_rx(ovs, "p1", UNDERLAY)
        lost_p1 = failed_upcalls(ovs)
        ovs.vsctl("add-port", "br0", "p0", "--", "set", "Interface", "p0", "type=dpdk",
                  "ofport_request=10", "options:dpdk-devargs=net_pcap0,rx_pcap=%s,"
                  "tx_pcap=/dev/null" % inner)
        rx0 = wait_rx(ovs, "p0", 3 * INNER_PER_PORT)
        lost_p0 = failed_upcalls(ovs) - lost_p1
        h.check(rx0 == 3 * INNER_PER_PORT and rx1 == UNDERLAY,
                "OVS received every packet of both pcaps (p0 %d, p1 %d; lost before the "
                "actions %d and %d)" % (rx0, rx1, lost_p0, lost_p1))
        dump = ovs.appctl("dpctl/dump-flows")
        h.check("tnl_push" in dump and "tnl_pop" in dump,
                "the datapath pushes and pops tunnel headers")
        cookies = cookie_outputs(dump)
        ports = ovs.appctl("dpif/show")
        odp = {m.group(1): int(m.group(2))
               for m in re.finditer(r"^\s+(\S+) \d+/(\d+):", ports, re.M)}
        ifindex = {n: ovs.ifindex(n) for n in ("p0", "vx0")}

        out, err = proc.communicate(timeout=60)
        proc = None
        h.check("attached" in err, "dpsflow says it attached to the ring")
        stats = ring_file.read(ring)
    finally:
        if proc is not None:
            proc.kill()
            proc.communicate()
        col.close()
        ovs.stop(keep=False)
        try:
            os.unlink(ring)
        except OSError:
            pass

    objs = [l for l in out.splitlines() if l.startswith('{"type":"summary"')]
    h.check(len(objs) == 1, "dpsflow printed its summary")
    import json
    summ = json.loads(objs[0])
    o = summ["ovs"]

    # OVS side: exact pools per input port
    pool = {p: sum(s["pool"] for s in stats if s["odp_port"] == odp[p]) for p in ("p0", "vx0")}
    taken = {p: sum(s["samples"] + s["drops"] for s in stats if s["odp_port"] == odp[p])
             for p in ("p0", "vx0")}
    h.check(pool["p0"] == 3 * INNER_PER_PORT - lost_p0,
            "sample_pool of p0 = %d = packets the PMD ran p0's flows on" % pool["p0"])
    h.check(pool["vx0"] == UNDERLAY - lost_p1,
            "sample_pool of vx0 = %d = packets decapsulated from p1" % pool["vx0"])
    ring_samples = sum(s["samples"] for s in stats)
    ring_drops = sum(s["drops"] for s in stats)
    h.check(o["records"] == ring_samples and o["ring_drops"] == ring_drops,
            "every sample OVS took was read (%d) or counted as a drop (%d)" %
            (o["records"], o["ring_drops"]))
    h.check(o["exported"] == o["records"] and o["unmapped"] == 0 and o["actions_bad"] == 0 and
            o["other_bridge"] == 0,
            "all %d exported, none unmapped, every action list decoded (%r)" % (o["exported"], o))
    for p in ("p0", "vx0"):
        want = pool[p] / N
        h.check(abs(taken[p] - want) <= 4 * (want ** 0.5) + 1,
                "%s: %d samples for pool/N = %.0f (4 sigma)" % (p, taken[p], want))

    flows = [x for d in col.datagrams() for x in d["samples"] if x.get("sample_type") == "flow"]
    h.check(len(flows) == o["exported"], "the collector got every flow sample (%d)" %
            len(flows))
    by_src = {}
    for f in flows:
        by_src.setdefault(f["source_id_index"], []).append(f)
    # vx0 has no ifindex in OVS (0): its data source is the name-derived index
    vx0_source = name_ifindex("vx0")
    h.check(ifindex["vx0"] == 0 and set(by_src) == {ifindex["p0"], vx0_source},
            "data sources: OVS's ifindex of p0 (%d); vx0 (OVS ifindex 0) gets %d (seen %r)" %
            (ifindex["p0"], vx0_source, sorted(by_src)))
    seen = {80: 0, 81: 0, 82: 0}
    for f in by_src[ifindex["p0"]]:
        r = h.records_by_format(f)
        if f["input"] != {"format": 0, "value": ifindex["p0"]} or f["sampling_rate"] != N:
            h.fail("p0 sample: input %r rate %d" % (f["input"], f["sampling_rate"]))
        dport = r[3]["dst_port"]
        name, proto, udp = TUN[dport]
        seen[dport] += 1
        want_out = cookies[dport]
        if f["output"] != {"format": want_out >> 30, "value": want_out & 0x3FFFFFFF}:
            h.fail("p0 %s sample: output %r, OVS's cookie says %d" % (name, f["output"],
                                                                        want_out))
        if 1023 not in r or 1029 not in r or 1024 in r:
            h.fail("p0 %s sample: records %s" % (name, sorted(r)))
        e = r[1023]
        inner_len = r[1]["frame_length"] - 4
        overhead = {"vxlan": 36, "geneve": 36, "gre": 28}[name]
        if (e["src_ip"], e["dst_ip"], e["protocol"], e["dst_port"], r[1029]["vni"],
                e["length"]) != ("1.1.2.88", "1.1.2.92", proto, udp, VNI[dport],
                                 inner_len + overhead):
            h.fail("p0 %s sample: egress tunnel %r vni %r (inner frame %d)" %
                   (name, e, r[1029], inner_len))
    h.check(all(seen[p] > 0 for p in seen),
            "1023/1029 right for VXLAN (%d), Geneve (%d) and GRE (%d) egress samples" %
            (seen[80], seen[81], seen[82]))
    for f in by_src[vx0_source]:
        r = h.records_by_format(f)
        if f["input"] != {"format": 0, "value": 0}:
            h.fail("vx0 sample: input %r, OVS's ifindex is 0" % f["input"])
        if 1024 not in r or 1030 not in r or 1023 in r:
            h.fail("vx0 sample: records %s" % sorted(r))
        i = r[1024]
        inner_len = r[1]["frame_length"] - 4
        if (i["src_ip"], i["dst_ip"], i["protocol"], i["dst_port"], r[1030]["vni"],
                i["length"]) != ("1.1.2.92", "1.1.2.88", 17, 4789, 5001, inner_len + 36):
            h.fail("vx0 sample: ingress tunnel %r vni %r" % (i, r[1030]))
        if r[3]["dst_ip"] != "192.168.1.2":
            h.fail("vx0 sample: inner flow %r" % r[3])
    h.check(True, "1024/1030 right on all %d decapsulated samples" %
            len(by_src[vx0_source]))
    print("PASS")


if __name__ == "__main__":
    main()
