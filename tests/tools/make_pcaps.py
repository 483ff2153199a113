#!/usr/bin/python3
"""Crafts the tunnel_decode test pcaps (and the agent's demo traffic) with scapy.

    make_pcaps.py OUTDIR [--seeds SEEDDIR]

Writes OUTDIR/<name>.pcap for every entry of PCAPS plus OUTDIR/demo_mix.pcap; with --seeds also
one file per frame into SEEDDIR (libFuzzer seed corpus). Output is byte-for-byte deterministic:
fixed timestamps, fixed payloads, no random fields. Tunnel headers scapy models loosely (VXLAN,
GPE, Geneve, NSH, GTP-U) are packed by hand here from the specifications so the bytes are exact.

The C tests (tests/tunnel_decode/test_*.c) assert the constants below by frame index: keep the
order of every list stable, append new frames at the end.
"""
import os
import struct
import sys

try:
    from scapy.all import (Ether, Dot1Q, Dot1AD, IP, IPv6, UDP, TCP, ICMP, GRE, Raw,
                           IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, IPv6ExtHdrDestOpt,
                           IPv6ExtHdrFragment, AH, ICMPv6EchoRequest, SCTP, SCTPChunkData, PadN)
    from scapy.contrib.mpls import MPLS
except ImportError:
    sys.stderr.write("make_pcaps.py: scapy not available\n")
    sys.exit(77)

# Addresses and ports the C tests expect.
MAC_O_SRC, MAC_O_DST = "02:00:00:00:00:01", "02:00:00:00:00:02"
MAC_I_SRC, MAC_I_DST = "02:00:00:00:01:01", "02:00:00:00:01:02"
O4_SRC, O4_DST = "192.0.2.1", "192.0.2.2"
O6_SRC, O6_DST = "2001:db8::1", "2001:db8::2"
I4_SRC, I4_DST = "10.0.0.1", "10.0.0.2"
I6_SRC, I6_DST = "fd00::1", "fd00::2"
PAYLOAD = bytes(range(32))


def pay(n=32):
    return Raw(bytes((i * 7 + 3) & 0xFF for i in range(n)))


def inner_tcp4(tos=0x10):
    return IP(src=I4_SRC, dst=I4_DST, tos=tos, id=1, ttl=64) / TCP(sport=40000, dport=80,
                                                                   flags="PA", seq=1000,
                                                                   ack=2000, window=512) / pay()


def inner_udp6():
    return IPv6(src=I6_SRC, dst=I6_DST, tc=0x20, fl=0x12345, hlim=64) / UDP(sport=50000,
                                                                           dport=9) / pay()


def inner_eth4():
    return Ether(src=MAC_I_SRC, dst=MAC_I_DST) / inner_tcp4()


def inner_eth6():
    return Ether(src=MAC_I_SRC, dst=MAC_I_DST) / inner_udp6()


def outer4(proto_payload, sport=49152, dport=4789, tos=0):
    return (Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=O4_SRC, dst=O4_DST, tos=tos, id=7,
                                                     ttl=63, flags="DF") /
            UDP(sport=sport, dport=dport) / proto_payload)


def outer6(proto_payload, sport=49152, dport=4789):
    return (Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IPv6(src=O6_SRC, dst=O6_DST, hlim=63) /
            UDP(sport=sport, dport=dport) / proto_payload)


def vxlan(vni, flags=0x08):
    return Raw(struct.pack("!B3xI", flags, vni << 8))


def gpe(vni, next_proto, flags=0x0C):
    return Raw(struct.pack("!BxxBI", flags, next_proto, vni << 8))


def geneve(vni, protocol, options=b"", oam=False, critical=False):
    assert len(options) % 4 == 0
    b1 = (0x80 if oam else 0) | (0x40 if critical else 0)
    return Raw(struct.pack("!BBHI", len(options) // 4, b1, protocol, vni << 8) + options)


def geneve_opt(cls, typ, data):
    assert len(data) % 4 == 0
    return struct.pack("!HBB", cls, typ, len(data) // 4) + data


def nsh(spi, si, next_proto, md_type=1, ttl=63, context=b"", tlvs=b""):
    if md_type == 1:
        body = context.ljust(16, b"\0")[:16]
    else:
        body = tlvs
    length = (8 + len(body)) // 4
    b0 = (ttl >> 2) & 0x0F             # version 0, O 0, U 0, TTL high 4 bits
    b1 = ((ttl & 3) << 6) | length
    return Raw(struct.pack("!BBBBI", b0, b1, md_type, next_proto, (spi << 8) | si) + body)


def nsh_tlv(cls, typ, data):
    padded = data + b"\0" * (-len(data) % 4)
    return struct.pack("!HBB", cls, typ, len(data)) + padded


def gtpu(teid, inner):
    body = bytes(inner)
    return Raw(struct.pack("!BBHI", 0x30, 255, len(body), teid) + body)


def plain():
    return [
        # 0 IPv4/TCP with a TCP option (MSS)
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=I4_SRC, dst=I4_DST, tos=0x10, ttl=64, id=1) /
        TCP(sport=40000, dport=80, flags="S", seq=1, options=[("MSS", 1460)]),
        # 1 IPv4/UDP
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=I4_SRC, dst=I4_DST, ttl=64, id=2) /
        UDP(sport=50000, dport=9) / pay(20),
        # 2 IPv6/TCP
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IPv6(src=I6_SRC, dst=I6_DST, tc=0x20, hlim=64) /
        TCP(sport=40001, dport=443, flags="A", seq=5, ack=6) / pay(100),
        # 3 IPv6/UDP
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / inner_udp6(),
        # 4 ICMP echo
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=I4_SRC, dst=I4_DST, ttl=64, id=3) /
        ICMP(type=8, code=0, id=1, seq=1) / pay(56),
        # 5 ICMPv6 echo
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IPv6(src=I6_SRC, dst=I6_DST) /
        ICMPv6EchoRequest(id=1, seq=1) / pay(56),
        # 6 SCTP
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=I4_SRC, dst=I4_DST, ttl=64, id=4) /
        SCTP(sport=3868, dport=3868, tag=0x11223344) / SCTPChunkData(tsn=1, data=bytes(16)),
        # 7 IPv4 with options (router alert, 4 bytes) / UDP
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=I4_SRC, dst=I4_DST, ttl=1, id=5,
                                                 options=[b"\x94\x04\x00\x00"]) /
        UDP(sport=1000, dport=2000) / pay(8),
    ]


def vlan_mpls():
    return [
        # 0 802.1Q vid 100 pcp 3 / IPv4/TCP
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / Dot1Q(vlan=100, prio=3) / inner_tcp4(),
        # 1 QinQ 0x88a8 vid 200 pcp 5, 0x8100 vid 300 pcp 1 / IPv6/UDP
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / Dot1AD(vlan=200, prio=5) / Dot1Q(vlan=300, prio=1) /
        inner_udp6(),
        # 2 0x9100 vid 10 / 0x8100 vid 20 / IPv4/TCP
        Ether(src=MAC_O_SRC, dst=MAC_O_DST, type=0x9100) / Dot1Q(vlan=10, type=0x8100) /
        Dot1Q(vlan=20) / inner_tcp4(),
        # 3 MPLS 3 labels (1000, 2000, 3000 BOS ttl 61) / IPv4/TCP
        Ether(src=MAC_O_SRC, dst=MAC_O_DST, type=0x8847) / MPLS(label=1000, cos=1, s=0, ttl=63) /
        MPLS(label=2000, cos=2, s=0, ttl=62) / MPLS(label=3000, cos=3, s=1, ttl=61) / inner_tcp4(),
        # 4 VLAN 42 / MPLS 1 label 16 / IPv6/UDP
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / Dot1Q(vlan=42, type=0x8847) /
        MPLS(label=16, s=1, ttl=64) / inner_udp6(),
    ]


def ipv6_ext():
    return [
        # 0 HBH(PadN) / Routing type 0 / DestOpt / TCP
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IPv6(src=I6_SRC, dst=I6_DST) /
        IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")]) /
        IPv6ExtHdrRouting(addresses=["fd00::9"]) / IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0\0\0\0")]) /
        TCP(sport=40002, dport=22, flags="S"),
        # 1 AH / UDP
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IPv6(src=I6_SRC, dst=I6_DST) /
        AH(nh=17, payloadlen=4, spi=0x100, seq=1, icv=b"\xaa" * 12) / UDP(sport=500, dport=500) / pay(8),
        # 2 IPv6 first fragment (offset 0, M=1) carrying UDP header
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IPv6(src=I6_SRC, dst=I6_DST) /
        IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0xabcdef) /
        Raw(struct.pack("!HHHH", 5000, 6000, 1208, 0) + PAYLOAD),
        # 3 IPv6 non-first fragment (offset 100 * 8)
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IPv6(src=I6_SRC, dst=I6_DST) /
        IPv6ExtHdrFragment(nh=17, offset=100, m=0, id=0xabcdef) / Raw(PAYLOAD),
        # 4 IPv4 first fragment (MF) with UDP header claiming more than the fragment
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=I4_SRC, dst=I4_DST, id=99, flags="MF",
                                                 proto=17) /
        Raw(struct.pack("!HHHH", 5001, 6001, 1408, 0) + PAYLOAD),
        # 5 IPv4 non-first fragment, offset 185 (1480 bytes)
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=I4_SRC, dst=I4_DST, id=99, frag=185,
                                                 proto=17) / Raw(PAYLOAD),
    ]


def vxlan_frames():
    return [
        # 0 VXLAN/IPv4 underlay, VNI 5000, inner Ethernet/IPv4/TCP
        outer4(vxlan(5000) / inner_eth4(), sport=49152, dport=4789, tos=0x28),
        # 1 VXLAN/IPv6 underlay, VNI 0xABCDEF, inner Ethernet/IPv6/UDP
        outer6(vxlan(0xABCDEF) / inner_eth6(), sport=50001, dport=4789),
        # 2 Linux port 8472, VNI 42, inner VLAN 7 / IPv4/TCP
        outer4(vxlan(42) / Ether(src=MAC_I_SRC, dst=MAC_I_DST) / Dot1Q(vlan=7) / inner_tcp4(),
               sport=40000, dport=8472),
        # 3 VXLAN without the I flag
        outer4(vxlan(77, flags=0x00) / inner_eth4(), sport=49153, dport=4789),
    ]


def geneve_frames():
    opts = geneve_opt(0x0102, 0x80, b"\x01\x02\x03\x04") + geneve_opt(0xFFFF, 0x01,
                                                                      b"\x00" * 8)
    return [
        # 0 Geneve VNI 0x123456 with two options (0x0102/0x80 4 bytes, 0xffff/0x01 8 bytes),
        #   Ethernet / IPv4 / TCP
        outer4(geneve(0x123456, 0x6558, opts, critical=True) / inner_eth4(), sport=49200,
               dport=6081),
        # 1 Geneve (IPv6 underlay) with two options, Ethernet / IPv6 / UDP
        outer6(geneve(0x000010, 0x6558, opts) / inner_eth6(), sport=49201, dport=6081),
        # 2 Geneve protocol 0x86DD directly (no inner Ethernet), OAM bit, no options
        outer4(geneve(7, 0x86DD, oam=True) / inner_udp6(), sport=49202, dport=6081),
    ]


def gpe_frames():
    return [
        # 0 GPE next protocol 1 (IPv4)
        outer4(gpe(100, 1) / inner_tcp4(), sport=49300, dport=4790),
        # 1 GPE next protocol 2 (IPv6)
        outer4(gpe(101, 2) / inner_udp6(), sport=49301, dport=4790),
        # 2 GPE next protocol 3 (Ethernet)
        outer4(gpe(102, 3) / inner_eth4(), sport=49302, dport=4790),
        # 3 GPE next protocol 4 (NSH MD1, SPI 0x000123 SI 255, next Ethernet)
        outer4(gpe(103, 4) / nsh(0x123, 255, 3, context=b"ctx-md1-16bytes!") / inner_eth4(),
               sport=49303, dport=4790),
        # 4 GPE next protocol 4: NSH MD2 with two TLVs, SPI 0x00abcd SI 9, next IPv4
        outer6(gpe(104, 4) / nsh(0xABCD, 9, 1, md_type=2,
                                  tlvs=nsh_tlv(0x0001, 0x02, b"\x11\x22\x33\x44\x55") +
                                  nsh_tlv(0x0003, 0x04, b"\x66\x77\x88\x99")) / inner_tcp4(),
               sport=49304, dport=4790),
    ]


def nsh_frames():
    return [
        # 0 NSH MD1 over Ethernet, SPI 0x000042 SI 254 TTL 63, next IPv4
        Ether(src=MAC_O_SRC, dst=MAC_O_DST, type=0x894F) /
        nsh(0x42, 254, 1, context=b"\x01" * 16) / inner_tcp4(),
        # 1 NSH MD2 over Ethernet with one TLV (class 0x0100 type 7, 3 bytes), next Ethernet
        Ether(src=MAC_O_SRC, dst=MAC_O_DST, type=0x894F) /
        nsh(0xFFFFFF, 1, 3, md_type=2, ttl=10, tlvs=nsh_tlv(0x0100, 0x07, b"\xde\xad\xbe")) /
        inner_eth6(),
    ]


def gre_frames():
    return [
        # 0 GRE plain, IPv4 payload
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=O4_SRC, dst=O4_DST, ttl=63, id=8) /
        GRE(proto=0x0800) / inner_tcp4(),
        # 1 GRE C+K+S (key 0x01020304, seq 77), IPv4 payload
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=O4_SRC, dst=O4_DST, ttl=63, id=9) /
        GRE(chksum_present=1, key_present=1, seqnum_present=1, key=0x01020304,
            sequence_number=77, proto=0x0800) / inner_tcp4(),
        # 2 GRE key 0x99 with Ethernet (0x6558) payload and sequence -> GRE-TAP, not NVGRE
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=O4_SRC, dst=O4_DST, ttl=63, id=10) /
        GRE(key_present=1, seqnum_present=1, key=0x99, sequence_number=1, proto=0x6558) /
        inner_eth6(),
        # 3 NVGRE VSID 0x654321 FlowID 0x7f
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=O4_SRC, dst=O4_DST, ttl=63, id=11) /
        GRE(key_present=1, key=(0x654321 << 8) | 0x7F, proto=0x6558) / inner_eth4(),
        # 4 GRE over IPv6 with IPv6 payload
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IPv6(src=O6_SRC, dst=O6_DST, hlim=63) /
        GRE(proto=0x86DD) / inner_udp6(),
    ]


def nested_frames():
    return [
        # 0 Geneve (VNI 9) inside VXLAN (VNI 5000): depth 2
        outer4(vxlan(5000) / Ether(src=MAC_I_SRC, dst=MAC_I_DST) /
               IP(src="172.16.0.1", dst="172.16.0.2", ttl=62) / UDP(sport=49999, dport=6081) /
               geneve(9, 0x6558) / Ether(src="02:00:00:00:02:01", dst="02:00:00:00:02:02") /
               inner_tcp4()),
        # 1 VXLAN inside GRE: depth 2
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=O4_SRC, dst=O4_DST, ttl=63) /
        GRE(key_present=1, key=55, proto=0x0800) /
        IP(src="172.16.0.1", dst="172.16.0.2") / UDP(sport=49998, dport=4789) / vxlan(66) /
        inner_eth6(),
        # 2 IPv4-in-IPv4 (protocol 4)
        Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=O4_SRC, dst=O4_DST, proto=4) / inner_tcp4(),
        # 3 five VXLAN levels: exceeds the default depth limit of 4
        outer4(vxlan(1) / Ether() / IP(src="172.16.1.1", dst="172.16.1.2") / UDP(sport=1, dport=4789) /
               vxlan(2) / Ether() / IP(src="172.16.2.1", dst="172.16.2.2") / UDP(sport=2, dport=4789) /
               vxlan(3) / Ether() / IP(src="172.16.3.1", dst="172.16.3.2") / UDP(sport=3, dport=4789) /
               vxlan(4) / Ether() / IP(src="172.16.4.1", dst="172.16.4.2") / UDP(sport=4, dport=4789) /
               vxlan(5) / inner_eth4()),
    ]


def gtpu_frames():
    return [
        # 0 GTP-U G-PDU TEID 0x1000 with inner IPv4/TCP
        outer4(gtpu(0x1000, inner_tcp4()), sport=2152, dport=2152),
    ]


PCAPS = {
    "plain": plain,
    "vlan_mpls": vlan_mpls,
    "ipv6_ext": ipv6_ext,
    "vxlan": vxlan_frames,
    "geneve": geneve_frames,
    "gpe": gpe_frames,
    "nsh": nsh_frames,
    "gre": gre_frames,
    "nested": nested_frames,
    "gtpu": gtpu_frames,
}


def demo_mix():
    """~100 frames of mixed, realistic traffic, 64-1500 bytes, deterministic."""
    sizes = [64, 128, 256, 512, 900, 1200, 1500, 74, 590, 1400]
    frames = []
    for i in range(100):
        size = sizes[i % len(sizes)]
        kind = i % 10
        sport = 30000 + i
        if kind == 0:
            base = Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=I4_SRC, dst=I4_DST, id=i) / \
                TCP(sport=sport, dport=80, flags="PA", seq=i)
        elif kind == 1:
            base = Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IPv6(src=I6_SRC, dst=I6_DST) / \
                UDP(sport=sport, dport=9)
        elif kind == 2:
            base = Ether(src=MAC_O_SRC, dst=MAC_O_DST) / Dot1Q(vlan=100 + i % 4, prio=i % 8) / \
                IP(src=I4_SRC, dst=I4_DST, id=i) / UDP(sport=sport, dport=5001)
        elif kind == 3:
            base = outer4(vxlan(5000 + i % 3) / Ether(src=MAC_I_SRC, dst=MAC_I_DST) /
                          IP(src=I4_SRC, dst=I4_DST, id=i) / TCP(sport=sport, dport=443, flags="A"),
                          sport=49152 + i)
        elif kind == 4:
            base = outer6(vxlan(6000) / Ether(src=MAC_I_SRC, dst=MAC_I_DST) /
                          IPv6(src=I6_SRC, dst=I6_DST) / TCP(sport=sport, dport=22, flags="PA"),
                          sport=49152 + i)
        elif kind == 5:
            opts = geneve_opt(0x0102, 0x80, b"\x01\x02\x03\x04") + geneve_opt(0x0103, 0x01, b"\0" * 4)
            base = outer4(geneve(0x123456, 0x6558, opts) / Ether(src=MAC_I_SRC, dst=MAC_I_DST) /
                          IPv6(src=I6_SRC, dst=I6_DST) / UDP(sport=sport, dport=4500),
                          sport=49152 + i, dport=6081)
        elif kind == 6:
            base = outer4(gpe(200, 4) / nsh(0x100 + i % 5, 255 - i % 3, 1) /
                          IP(src=I4_SRC, dst=I4_DST, id=i) / TCP(sport=sport, dport=8080, flags="S"),
                          sport=49152 + i, dport=4790)
        elif kind == 7:
            base = Ether(src=MAC_O_SRC, dst=MAC_O_DST, type=0x894F) / nsh(0x200, 200, 3) / \
                Ether(src=MAC_I_SRC, dst=MAC_I_DST) / IP(src=I4_SRC, dst=I4_DST, id=i) / \
                UDP(sport=sport, dport=123)
        elif kind == 8:
            if i % 20 == 8:
                base = Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=O4_SRC, dst=O4_DST) / \
                    GRE(key_present=1, key=(0x777 << 8) | (i & 0xFF), proto=0x6558) / \
                    Ether(src=MAC_I_SRC, dst=MAC_I_DST) / IP(src=I4_SRC, dst=I4_DST, id=i) / \
                    TCP(sport=sport, dport=3306, flags="A")
            else:
                base = Ether(src=MAC_O_SRC, dst=MAC_O_DST) / IP(src=O4_SRC, dst=O4_DST) / \
                    GRE(key_present=1, seqnum_present=1, key=i, sequence_number=i, proto=0x0800) / \
                    IP(src=I4_SRC, dst=I4_DST, id=i) / UDP(sport=sport, dport=514)
        else:
            base = Ether(src=MAC_O_SRC, dst=MAC_O_DST, type=0x8847) / \
                MPLS(label=1000 + i, s=0, ttl=64) / MPLS(label=2000 + i, s=1, ttl=64) / \
                IP(src=I4_SRC, dst=I4_DST, id=i) / TCP(sport=sport, dport=179, flags="PA")
        room = size - len(base)
        frames.append(base / pay(room) if room > 0 else base)
    return frames


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, pkt in enumerate(frames):
            data = bytes(pkt)
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(data), len(data)))
            f.write(data)


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    outdir = argv[1]
    seeddir = None
    if len(argv) >= 4 and argv[2] == "--seeds":
        seeddir = argv[3]
    os.makedirs(outdir, exist_ok=True)
    all_sets = {name: fn() for name, fn in PCAPS.items()}
    all_sets["demo_mix"] = demo_mix()
    for name, frames in all_sets.items():
        write_pcap(os.path.join(outdir, name + ".pcap"), frames)
    if seeddir:
        os.makedirs(seeddir, exist_ok=True)
        for name, frames in all_sets.items():
            for i, pkt in enumerate(frames):
                with open(os.path.join(seeddir, "%s_%03d" % (name, i)), "wb") as f:
                    f.write(bytes(pkt))
    # stamp file: the build system's declared output
    with open(os.path.join(outdir, "pcaps.stamp"), "w") as f:
        f.write("\n".join(sorted(all_sets)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
