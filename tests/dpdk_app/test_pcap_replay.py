#!/usr/bin/env python3
"""net_pcap replay of the demo mix (plain, VLAN, MPLS, VXLAN v4/v6, Geneve, GPE+NSH, NSH, GRE,
NVGRE) at sampling = 1, once through the file:
- every packet is exported exactly once, in order, with per-source sequence numbers 1..n;
- each sampled header equals the pcap's first headerBytes, frame_length = wire length + 4,
  stripped = 4;
- the tunnel records (read by the project's reader, collector A) match what scapy, an
  independent dissector, finds in the same frames: VNI (1030), outer addresses and UDP
  destination port (1024/1026), inner header offset (1028);
- collector B has tunnel records off; its datagrams decoded by tshark give the same
  sampling rate, pool, frame length, header length and inner Ethernet addresses."""
import os
import struct
import subprocess
import sys
import tempfile
import harness as h
from scapy.all import rdpcap, Ether, IP, IPv6, UDP  # noqa: E402
from scapy.layers.vxlan import VXLAN  # noqa: E402

b = h.binary()
pcap = os.path.join(h.pcap_dir(), "demo_mix.pcap")
frames = [bytes(p) for p in rdpcap(pcap)]
n = len(frames)
HB = 128

col_a, col_b = h.Collector(), h.Collector()
conf = h.write_config("""
sflow {
  sampling = 1
  polling = 0
  headerBytes = %d
  collector { ip = 127.0.0.1 udpport = %d }
  collector { ip = 127.0.0.1 udpport = %d tunnelRecords = off }
}
dpdk {
  port { name = "net_pcap0,rx_pcap=%s" ifindex = 11 }
}
""" % (HB, col_a.port, col_b.port, pcap))
rc, objs, err = h.run([b] + h.eal_args("replay") + ["--", "-f", conf, "--duration", "3"])
col_a.close()
col_b.close()
os.unlink(conf)
h.check(rc == 0, "dpsflow exits 0")
s = h.summary_of(objs)["ports"][0]
h.check(s["rx_packets"] == n and s["sample_pool"] == n, "pool == %d packets in the pcap" % n)
h.check(s["samples"] == n and s["drops"] == 0 and s["exported"] == n, "every packet sampled and exported once")

flows = [f for d in col_a.datagrams() for f in h.flow_samples(d)]
h.check(len(flows) == n, "collector A received %d flow samples (expected %d)" % (len(flows), n))
h.check([f["sequence_number"] for f in flows] == list(range(1, n + 1)), "flow sample sequence numbers 1..n in order")
mismatch = 0
for i, (f, fr) in enumerate(zip(flows, frames)):
    hdr = h.sampled_header(f)
    ok = (hdr["header"] == fr[:HB] and hdr["frame_length"] == len(fr) + 4 and hdr["stripped"] == 4
          and hdr["header_length"] == min(HB, len(fr)) and f["input"] == 11)
    if not ok:
        mismatch += 1
        print("sample %d differs: %s" % (i, {k: v for k, v in hdr.items() if k != "header"}))
h.check(mismatch == 0, "every sampled header == pcap bytes[:%d], frame_length = len + 4, stripped = 4" % HB)

# tunnel records against scapy's dissection of the same frames
checked = {"vxlan": 0, "geneve": 0}
for f, fr in zip(flows, frames):
    pkt = Ether(fr)
    recs = h.records_by_format(f)
    outer = pkt.getlayer(IP) or pkt.getlayer(IPv6)
    udp = pkt.getlayer(UDP)
    if udp is None or udp.dport not in (4789, 6081):
        continue
    kind = "vxlan" if udp.dport == 4789 else "geneve"
    if kind == "vxlan":
        vni = pkt[VXLAN].vni
    else:
        raw = bytes(udp.payload)
        vni = int.from_bytes(raw[4:7], "big")
    h.check(recs.get(1030, {}).get("vni") == vni, "%s VNI %d in extended_vni_ingress" % (kind, vni))
    tun = recs.get(1024) or recs.get(1026)
    h.check(tun is not None and tun["src_ip"] == outer.src and tun["dst_ip"] == outer.dst
            and tun["dst_port"] == udp.dport and tun["src_port"] == udp.sport,
            "%s outer %s -> %s dport %d in the tunnel ingress record" % (kind, outer.src, outer.dst, udp.dport))
    inner_off = len(fr) - len(bytes(udp.payload)) + 8 + (0 if kind == "vxlan" else 4 * (raw[0] & 0x3f))
    h.check(recs.get(1028, {}).get("inner_header_offset") == inner_off,
            "%s inner header offset %d" % (kind, inner_off))
    checked[kind] += 1
h.check(checked["vxlan"] > 0 and checked["geneve"] > 0, "VXLAN and Geneve frames checked: %s" % checked)

# collector B through tshark
flows_b = [f for d in col_b.datagrams() for f in h.flow_samples(d)]
h.check(all(not (set(h.records_by_format(f)) & set(range(1021, 1031))) for f in flows_b),
        "collector B got no tunnel records")
with tempfile.NamedTemporaryFile(suffix=".pcap", delete=False) as out:
    out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))  # LINKTYPE_RAW
    for i, d in enumerate(col_b.raw):
        udp_len = 8 + len(d)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, i & 0xffff, 0, 64, 17, 0,
                         bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
        pkt = ip + struct.pack("!HHHH", 40000, 6343, udp_len, 0) + d
        out.write(struct.pack("<IIII", 1, i, len(pkt), len(pkt)) + pkt)
    tpath = out.name
fields = ["sflow.flow_sample.sampling_rate", "sflow.flow_sample.sample_pool",
          "sflow_245.header.frame_length", "sflow_245.header.sampled_header_length",
          "sflow.flow_sample.input_interface", "eth.src", "_ws.expert.message"]
cmd = ["tshark", "-r", tpath, "-T", "fields", "-E", "separator=\t", "-E", "aggregator=|"]
for fl in fields:
    cmd += ["-e", fl]
res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
os.unlink(tpath)
h.check(res.returncode == 0, "tshark decodes the datagrams")
cols = {fl: [] for fl in fields}
for line in res.stdout.splitlines():
    parts = line.split("\t")
    for fl, v in zip(fields, parts):
        cols[fl] += [x for x in v.split("|") if x != ""]
h.check(not any("Malformed" in m for m in cols["_ws.expert.message"]), "tshark reports no malformed datagram")
h.check([int(x) for x in cols["sflow.flow_sample.sampling_rate"]] == [1] * n, "tshark: sampling_rate 1 on all %d samples" % n)
h.check([int(x) for x in cols["sflow.flow_sample.sample_pool"]] == list(range(1, n + 1)) or
        [int(x) for x in cols["sflow.flow_sample.sample_pool"]] == [f["sample_pool"] for f in flows_b],
        "tshark: sample_pool matches")
h.check([int(x) for x in cols["sflow_245.header.frame_length"]] == [len(fr) + 4 for fr in frames],
        "tshark: frame_length = wire length + 4 for every sample")
h.check([int(x) for x in cols["sflow_245.header.sampled_header_length"]] == [min(HB, len(fr)) for fr in frames],
        "tshark: sampled header length")
h.check([int(x) for x in cols["sflow.flow_sample.input_interface"]] == [11] * n, "tshark: input ifIndex 11")
# tshark dissects each sampled header as Ethernet (and the inner Ethernet of tunnelled ones):
# the frames' outer source MACs must appear, in order, as a subsequence of what it decoded
srcs = [":".join("%02x" % c for c in fr[6:12]) for fr in frames]
it = iter(cols["eth.src"])
h.check(all(any(m == want for m in it) for want in srcs),
        "tshark dissects all %d sampled Ethernet headers, in order" % n)
