#!/usr/bin/python3
"""make_ovs_pcaps.py INNER UNDERLAY N_PER_PORT N_UNDERLAY - traffic for test_ovs_offload.py.

INNER: plain TCP 10.0.0.1 -> 10.0.0.2, N_PER_PORT packets to each of dport 80, 81, 82
(interleaved), 94-byte frames. UNDERLAY: VXLAN VNI 5001 from 1.1.2.92 to 1.1.2.88 (br1's
address and MAC aa:55:aa:55:00:88) carrying TCP 192.168.1.1 -> 192.168.1.2:443.
scapy builds one frame per kind; the pcap repeats them (tens of thousands of scapy packets
would take minutes on this machine, and OVS needs no variety beyond the three flows)."""
import struct
import sys

from scapy.all import IP, TCP, UDP, Ether, Raw
from scapy.layers.vxlan import VXLAN


def write_pcap(path, frames, count):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in range(count):
            b = frames[i % len(frames)]
            f.write(struct.pack("<IIII", i // 1000000, i % 1000000, len(b), len(b)))
            f.write(b)


def main():
    inner_path, underlay_path, per_port, n_underlay = sys.argv[1:5]
    inner = [bytes(Ether(src="00:00:00:00:01:01", dst="00:00:00:00:02:02") /
                   IP(src="10.0.0.1", dst="10.0.0.2") /
                   TCP(sport=1024, dport=dport) / Raw(b"x" * 40)) for dport in (80, 81, 82)]
    write_pcap(inner_path, inner, 3 * int(per_port))
    underlay = bytes(Ether(src="aa:55:aa:55:00:00", dst="aa:55:aa:55:00:88") /
                     IP(src="1.1.2.92", dst="1.1.2.88", ttl=64) /
                     UDP(sport=49152, dport=4789) / VXLAN(vni=5001) /
                     Ether(src="00:00:00:00:03:03", dst="00:00:00:00:04:04") /
                     IP(src="192.168.1.1", dst="192.168.1.2") /
                     TCP(sport=2000, dport=443) / Raw(b"y" * 20))
    write_pcap(underlay_path, [underlay], int(n_underlay))


if __name__ == "__main__":
    main()
