#!/usr/bin/python3
"""sflowdecode.py - an sFlow version 5 reader written from sflow_version_5.txt and
sflow_tunnels.txt (python standard library only).

As a library:   decode_datagram(data: bytes) -> dict   (raises DecodeError)
                datagrams_from_pcap(path) -> iterator of (bytes, meta dict)
Command line:   sflowdecode.py FILE...                      raw datagram files
                sflowdecode.py --pcap FILE [--port 6343]    UDP payloads out of a pcap/pcapng
                sflowdecode.py --listen [ADDR:]PORT --seconds S [--max N]
                                                            test collector (IPv4 or [IPv6])
Each datagram is printed as one JSON object per line. A datagram that does not decode prints
{"error": ..., "offset": ...} instead (exit status 1 at the end).

Every sample and record keeps its "format" (enterprise << 12 | format, enterprise 0 shown as
the plain number), its length as found on the wire ("sample_length", "record_length") and its
byte "offset" in the datagram, and a "sample_type" / "record" name when the format is known; unknown formats are kept as hex so the
reader never has to guess. All lengths are checked: a record must be consumed exactly.
"""

import ipaddress
import json
import select
import socket
import struct
import sys
import time

SFLOW_PORT = 6343


class DecodeError(Exception):
    def __init__(self, msg, offset):
        super().__init__(msg)
        self.offset = offset


class Reader:
    """Big-endian XDR cursor over a bytes object; every read is bounds-checked."""

    def __init__(self, data, start=0, end=None):
        self.data = data
        self.pos = start
        self.end = len(data) if end is None else end

    def need(self, n):
        if n < 0 or self.pos + n > self.end:
            raise DecodeError("truncated: need %d bytes, %d left" % (n, self.end - self.pos),
                              self.pos)

    def u32(self):
        self.need(4)
        v = struct.unpack_from(">I", self.data, self.pos)[0]
        self.pos += 4
        return v

    def u64(self):
        self.need(8)
        v = struct.unpack_from(">Q", self.data, self.pos)[0]
        self.pos += 8
        return v

    def raw(self, n):
        self.need(n)
        v = self.data[self.pos:self.pos + n]
        self.pos += n
        return v

    def opaque(self, n):
        """n bytes then XDR padding to a multiple of 4 (padding must be there)."""
        v = self.raw(n)
        pad = (4 - n % 4) % 4
        self.raw(pad)
        return v

    def sub(self, n):
        """A reader over the next n bytes; this reader skips them."""
        self.need(n)
        r = Reader(self.data, self.pos, self.pos + n)
        self.pos += n
        return r

    def left(self):
        return self.end - self.pos

    def done(self, what):
        if self.pos != self.end:
            raise DecodeError("%s: %d bytes left over" % (what, self.end - self.pos), self.pos)


def ipv4(r):
    return str(ipaddress.IPv4Address(r.raw(4)))


def ipv6(r):
    return str(ipaddress.IPv6Address(r.raw(16)))


def address(r):
    kind = r.u32()
    if kind == 1:
        return {"type": 1, "address": ipv4(r)}
    if kind == 2:
        return {"type": 2, "address": ipv6(r)}
    if kind == 0:
        return {"type": 0, "address": None}
    raise DecodeError("unknown address type %d" % kind, r.pos - 4)


def interface(word):
    """Format-1 input/output word: top two bits format, 30 bits value."""
    return {"format": word >> 30, "value": word & 0x3FFFFFFF}


# ------------------------------------------------------------------ flow records
def rec_sampled_header(r):
    d = {"header_protocol": r.u32(), "frame_length": r.u32(), "stripped": r.u32()}
    n = r.u32()
    d["header_length"] = n
    d["header"] = r.opaque(n).hex()
    return d


def rec_sampled_ethernet(r):
    return {"length": r.u32(), "src_mac": r.opaque(6).hex(), "dst_mac": r.opaque(6).hex(),
            "type": r.u32()}


def rec_ipv4_layout(r):
    """sampled_ipv4 (3), also the outer header of 1023/1024."""
    return {"length": r.u32(), "protocol": r.u32(), "src_ip": ipv4(r), "dst_ip": ipv4(r),
            "src_port": r.u32(), "dst_port": r.u32(), "tcp_flags": r.u32(), "tos": r.u32()}


def rec_ipv6_layout(r):
    """sampled_ipv6 (4), also the outer header of 1025/1026."""
    return {"length": r.u32(), "protocol": r.u32(), "src_ip": ipv6(r), "dst_ip": ipv6(r),
            "src_port": r.u32(), "dst_port": r.u32(), "tcp_flags": r.u32(),
            "priority": r.u32()}


def rec_switch(r):
    return {"src_vlan": r.u32(), "src_priority": r.u32(), "dst_vlan": r.u32(),
            "dst_priority": r.u32()}


def rec_router(r):
    return {"next_hop": address(r), "src_mask_len": r.u32(), "dst_mask_len": r.u32()}


def label_stack(r):
    n = r.u32()
    r.need(4 * n)   # refuse absurd counts before looping
    return [r.u32() for _ in range(n)]


def rec_mpls(r):
    return {"next_hop": address(r), "in_stack": label_stack(r), "out_stack": label_stack(r)}


def rec_u32(name):
    return lambda r: {name: r.u32()}


FLOW_RECORDS = {
    1: ("sampled_header", rec_sampled_header),
    2: ("sampled_ethernet", rec_sampled_ethernet),
    3: ("sampled_ipv4", rec_ipv4_layout),
    4: ("sampled_ipv6", rec_ipv6_layout),
    1001: ("extended_switch", rec_switch),
    1002: ("extended_router", rec_router),
    1006: ("extended_mpls", rec_mpls),
    1023: ("extended_ipv4_tunnel_egress", rec_ipv4_layout),
    1024: ("extended_ipv4_tunnel_ingress", rec_ipv4_layout),
    1025: ("extended_ipv6_tunnel_egress", rec_ipv6_layout),
    1026: ("extended_ipv6_tunnel_ingress", rec_ipv6_layout),
    1027: ("extended_decapsulate_egress", rec_u32("inner_header_offset")),
    1028: ("extended_decapsulate_ingress", rec_u32("inner_header_offset")),
    1029: ("extended_vni_egress", rec_u32("vni")),
    1030: ("extended_vni_ingress", rec_u32("vni")),
}


# ------------------------------------------------------------------ counter records
GENERIC_FIELDS = [
    ("ifIndex", 4), ("ifType", 4), ("ifSpeed", 8), ("ifDirection", 4), ("ifStatus", 4),
    ("ifInOctets", 8), ("ifInUcastPkts", 4), ("ifInMulticastPkts", 4),
    ("ifInBroadcastPkts", 4), ("ifInDiscards", 4), ("ifInErrors", 4),
    ("ifInUnknownProtos", 4), ("ifOutOctets", 8), ("ifOutUcastPkts", 4),
    ("ifOutMulticastPkts", 4), ("ifOutBroadcastPkts", 4), ("ifOutDiscards", 4),
    ("ifOutErrors", 4), ("ifPromiscuousMode", 4),
]
ETHERNET_FIELDS = [
    "dot3StatsAlignmentErrors", "dot3StatsFCSErrors", "dot3StatsSingleCollisionFrames",
    "dot3StatsMultipleCollisionFrames", "dot3StatsSQETestErrors",
    "dot3StatsDeferredTransmissions", "dot3StatsLateCollisions",
    "dot3StatsExcessiveCollisions", "dot3StatsInternalMacTransmitErrors",
    "dot3StatsCarrierSenseErrors", "dot3StatsFrameTooLongs",
    "dot3StatsInternalMacReceiveErrors", "dot3StatsSymbolErrors",
]


def ctr_generic(r):
    return {name: (r.u64() if size == 8 else r.u32()) for name, size in GENERIC_FIELDS}


def ctr_ethernet(r):
    return {name: r.u32() for name in ETHERNET_FIELDS}


def ctr_port_name(r):
    n = r.u32()
    if n > 255:
        raise DecodeError("port name longer than 255 bytes", r.pos - 4)
    return {"name": r.opaque(n).decode("utf-8", "replace")}


COUNTER_RECORDS = {
    1: ("generic_interface", ctr_generic),
    2: ("ethernet_interface", ctr_ethernet),
    1005: ("port_name", ctr_port_name),
}


def fmt_number(word):
    enterprise, fmt = word >> 12, word & 0xFFF
    return fmt if enterprise == 0 else "%d:%d" % (enterprise, fmt)


def records(r, table, what):
    n = r.u32()
    r.need(8 * n)
    out = []
    for _ in range(n):
        start = r.pos
        word = r.u32()
        length = r.u32()
        if length % 4:
            raise DecodeError("%s record length %d not a multiple of 4" % (what, length),
                              r.pos - 4)
        body = r.sub(length)
        rec = {"format": fmt_number(word), "record_length": length, "offset": start}
        known = table.get(word)   # enterprise 0 only: word == format
        if known:
            rec["record"] = known[0]
            rec.update(known[1](body))
            body.done("%s record %s" % (what, known[0]))
        else:
            rec["data"] = body.raw(length).hex()
        out.append(rec)
    return out


def flow_sample(r, expanded):
    d = {"seq": r.u32()}
    if expanded:
        d["source_id_type"] = r.u32()
        d["source_id_index"] = r.u32()
    else:
        w = r.u32()
        d["source_id_type"], d["source_id_index"] = w >> 24, w & 0xFFFFFF
    d["sampling_rate"] = r.u32()
    d["sample_pool"] = r.u32()
    d["drops"] = r.u32()
    if expanded:
        d["input"] = {"format": r.u32(), "value": r.u32()}
        d["output"] = {"format": r.u32(), "value": r.u32()}
    else:
        d["input"] = interface(r.u32())
        d["output"] = interface(r.u32())
    d["records"] = records(r, FLOW_RECORDS, "flow")
    return d


def counters_sample(r, expanded):
    d = {"seq": r.u32()}
    if expanded:
        d["source_id_type"] = r.u32()
        d["source_id_index"] = r.u32()
    else:
        w = r.u32()
        d["source_id_type"], d["source_id_index"] = w >> 24, w & 0xFFFFFF
    d["records"] = records(r, COUNTER_RECORDS, "counter")
    return d


SAMPLES = {
    1: ("flow", lambda r: flow_sample(r, False)),
    2: ("counters", lambda r: counters_sample(r, False)),
    3: ("flow", lambda r: flow_sample(r, True)),
    4: ("counters", lambda r: counters_sample(r, True)),
}


def decode_datagram(data):
    r = Reader(bytes(data))
    version = r.u32()
    if version != 5:
        raise DecodeError("not sFlow version 5 (version %d)" % version, 0)
    agent = address(r)
    d = {"version": 5, "agent_type": agent["type"], "agent": agent["address"],
         "sub_agent_id": r.u32(), "seq": r.u32(), "uptime": r.u32()}
    n = r.u32()
    r.need(8 * n)
    d["datagram_length"] = len(data)
    d["samples"] = []
    for _ in range(n):
        start = r.pos
        word = r.u32()
        length = r.u32()
        if length % 4:
            raise DecodeError("sample length %d not a multiple of 4" % length, r.pos - 4)
        body = r.sub(length)
        s = {"format": fmt_number(word), "sample_length": length, "offset": start}
        known = SAMPLES.get(word)
        if known:
            s["sample_type"] = known[0]
            s.update(known[1](body))
            body.done("sample")
        else:
            s["data"] = body.raw(length).hex()
        d["samples"].append(s)
    r.done("datagram")
    return d


# ------------------------------------------------------------------ pcap
def _udp_payload(frame, linktype, port):
    """UDP payload to/from port inside one captured frame, or None."""
    off = 0
    if linktype == 1:                       # Ethernet, with any number of VLAN tags
        if len(frame) < 14:
            return None
        etype = struct.unpack_from(">H", frame, 12)[0]
        off = 14
        while etype in (0x8100, 0x88A8, 0x9100) and len(frame) >= off + 4:
            etype = struct.unpack_from(">H", frame, off + 2)[0]
            off += 4
    elif linktype == 113:                   # Linux cooked v1
        if len(frame) < 16:
            return None
        etype, off = struct.unpack_from(">H", frame, 14)[0], 16
    elif linktype == 276:                   # Linux cooked v2
        if len(frame) < 20:
            return None
        etype, off = struct.unpack_from(">H", frame, 0)[0], 20
    elif linktype in (101, 12, 14, 228, 229):  # raw IP
        if not frame:
            return None
        etype = 0x0800 if frame[0] >> 4 == 4 else 0x86DD
    elif linktype == 0:                     # BSD loopback, host-order family
        if len(frame) < 4:
            return None
        fam = struct.unpack_from("<I", frame, 0)[0]
        if fam > 0xFFFF:
            fam = struct.unpack_from(">I", frame, 0)[0]
        etype, off = (0x0800 if fam == 2 else 0x86DD), 4
    else:
        return None
    if etype == 0x0800:
        if len(frame) < off + 20:
            return None
        ihl = (frame[off] & 0x0F) * 4
        frag = struct.unpack_from(">H", frame, off + 6)[0]
        if frame[off + 9] != 17 or frag & 0x3FFF or ihl < 20:
            return None
        total = struct.unpack_from(">H", frame, off + 2)[0]
        end = min(len(frame), off + total)
        off += ihl
    elif etype == 0x86DD:
        if len(frame) < off + 40 or frame[off + 6] != 17:   # no extension headers
            return None
        end = min(len(frame), off + 40 + struct.unpack_from(">H", frame, off + 4)[0])
        off += 40
    else:
        return None
    if end < off + 8:
        return None
    sport, dport, ulen = struct.unpack_from(">HHH", frame, off)
    if port not in (sport, dport):
        return None
    return bytes(frame[off + 8:min(end, off + ulen)])


def datagrams_from_pcap(path, port=SFLOW_PORT):
    """Yields (payload, {"frame": n}) for UDP packets to or from port (pcap or pcapng)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 4:
        return
    magic = data[:4]
    if magic == b"\x0a\x0d\x0d\x0a":
        yield from _pcapng(data, port)
        return
    formats = {b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">",
               b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\x3c\x4d": ">"}
    if magic not in formats or len(data) < 24:
        raise DecodeError("not a pcap file", 0)
    e = formats[magic]
    linktype = struct.unpack_from(e + "I", data, 20)[0] & 0x0FFFFFFF
    off, frame_no = 24, 0
    while off + 16 <= len(data):
        incl = struct.unpack_from(e + "I", data, off + 8)[0]
        off += 16
        frame = data[off:off + incl]
        off += incl
        frame_no += 1
        payload = _udp_payload(frame, linktype, port)
        if payload is not None:
            yield payload, {"frame": frame_no}


def _pcapng(data, port):
    e, off, frame_no, links = "<", 0, 0, []
    while off + 12 <= len(data):
        btype = struct.unpack_from(e + "I", data, off)[0]
        if btype == 0x0A0D0D0A:
            e = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
        blen = struct.unpack_from(e + "I", data, off + 4)[0]
        if blen < 12 or off + blen > len(data):
            break
        body = data[off + 8:off + blen - 4]
        if btype == 1 and len(body) >= 2:
            links.append(struct.unpack_from(e + "H", body, 0)[0])
        elif btype == 6 and len(body) >= 20:
            iface, _, _, caplen = struct.unpack_from(e + "IIII", body, 0)
            frame_no += 1
            if iface < len(links):
                payload = _udp_payload(body[20:20 + caplen], links[iface], port)
                if payload is not None:
                    yield payload, {"frame": frame_no}
        off += blen


# ------------------------------------------------------------------ command line
def _emit(payload, meta):
    try:
        d = decode_datagram(payload)
        d.update(meta)
        ok = True
    except DecodeError as err:
        d = dict(meta, error=str(err), offset=err.offset, datagram_length=len(payload))
        ok = False
    print(json.dumps(d), flush=True)
    return ok


def _listen(spec, seconds, max_n):
    host, port = "0.0.0.0", spec
    if spec.startswith("["):
        host, _, port = spec[1:].partition("]:")
    elif ":" in spec:
        host, port = spec.rsplit(":", 1)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((host, int(port)))
    deadline = time.monotonic() + seconds
    n, ok = 0, True
    while max_n is None or n < max_n:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([s], [], [], left)
        if not ready:
            break
        payload, peer = s.recvfrom(65535)
        n += 1
        ok &= _emit(payload, {"peer": "%s:%d" % (peer[0], peer[1])})
    s.close()
    return ok


def main(argv):
    import argparse
    p = argparse.ArgumentParser(description="sFlow v5 reader (JSON, one datagram per line)")
    p.add_argument("files", nargs="*", help="raw datagram files")
    p.add_argument("--pcap", help="decode UDP payloads to/from --port out of a pcap/pcapng")
    p.add_argument("--port", type=int, default=SFLOW_PORT)
    p.add_argument("--listen", metavar="[ADDR:]PORT", help="receive datagrams on UDP")
    p.add_argument("--seconds", type=float, default=10.0, help="with --listen: run time")
    p.add_argument("--max", type=int, default=None, help="with --listen: stop after N")
    a = p.parse_args(argv)
    ok = True
    if a.listen:
        ok = _listen(a.listen, a.seconds, a.max)
    if a.pcap:
        for payload, meta in datagrams_from_pcap(a.pcap, a.port):
            ok &= _emit(payload, meta)
    for path in a.files:
        with open(path, "rb") as f:
            ok &= _emit(f.read(), {"file": path})
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
