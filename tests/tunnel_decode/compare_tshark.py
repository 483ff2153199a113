#!/usr/bin/python3
"""Compares dump_decoded's JSON lines with tshark's dissection of the same pcaps, field by field.

    compare_tshark.py DUMP_DECODED PCAP...

For every frame, the decoder's layers must match tshark's protocol sequence (restricted to the
protocols the decoder knows), and every field the decoder printed must equal tshark's value.
A frame the decoder calls "complete" must not have further known protocols in tshark's view;
"limit" frames (nesting limit) are compared as a prefix. Exit 0 all equal, 1 mismatch,
77 when tshark is not installed (meson treats it as a skip).
"""
import ipaddress
import json
import os
import shutil
import subprocess
import sys

KNOWN = {"eth", "vlan", "ieee8021ad", "mpls", "ip", "ipv6", "udp", "tcp", "icmp", "icmpv6",
         "sctp", "gre", "vxlan", "geneve", "nsh", "gtp"}
TSHARK_OPTS = ["-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
               "-d", "udp.port==8472,vxlan"]


def norm(v):
    if isinstance(v, int):
        return v
    s = str(v)
    if s.startswith("0x"):
        return int(s, 16)
    if s.isdigit():
        return int(s)
    if ":" in s and len(s) != 17:   # not a MAC: IPv6
        try:
            return ipaddress.ip_address(s).compressed
        except ValueError:
            return s
    return s.lower()


def flatten(tree, out):
    for k, v in tree:
        if isinstance(v, list):
            flatten(v, out)
        else:
            out.setdefault(k, []).append(v)


def tshark_frames(pcap):
    res = subprocess.run(["tshark", "-r", pcap, "-T", "json"] + TSHARK_OPTS,
                         capture_output=True, check=True)
    packets = json.loads(res.stdout, object_pairs_hook=lambda p: p)
    frames = []
    for pkt in packets:
        layers = dict(dict(pkt)["_source"])["layers"]
        seq = []
        for proto, tree in layers:
            if proto in KNOWN:
                fields = {}
                if isinstance(tree, list):
                    flatten(tree, fields)
                seq.append((proto, fields))
        frames.append(seq)
    return frames


def compare(pcap, dump_bin):
    res = subprocess.run([dump_bin, pcap], capture_output=True, check=True, text=True)
    mine = [json.loads(line) for line in res.stdout.splitlines()]
    theirs = tshark_frames(pcap)
    errors, n_fields = [], 0
    if len(mine) != len(theirs):
        return ["%s: %d frames decoded, tshark has %d" % (pcap, len(mine), len(theirs))], 0
    for fr, ts in zip(mine, theirs):
        tag = "%s frame %d" % (pcap, fr["frame"])
        layers = fr["layers"]
        if len(layers) > len(ts):
            errors.append("%s: decoder has %d layers, tshark %d" % (tag, len(layers), len(ts)))
            continue
        if fr["status"] == "complete" and len(layers) != len(ts):
            errors.append("%s: decoder complete with %s, tshark continues with %s" %
                          (tag, [l["proto"] for l in layers], [p for p, _ in ts]))
        if fr["status"] in ("truncated", "malformed"):
            errors.append("%s: decoder status %s on a well-formed capture" % (tag, fr["status"]))
        for i, layer in enumerate(layers):
            proto, fields = ts[i]
            if layer["proto"] != proto:
                errors.append("%s layer %d: decoder %s, tshark %s" % (tag, i, layer["proto"], proto))
                break
            for key, val in layer.items():
                if key == "proto":
                    continue
                n_fields += 1
                if key not in fields:
                    errors.append("%s layer %d: tshark has no %s" % (tag, i, key))
                    continue
                if isinstance(val, list):
                    got = [norm(x) for x in fields[key]]
                    want = [norm(x) for x in val]
                else:
                    got, want = norm(fields[key][0]), norm(val)
                if got != want:
                    errors.append("%s layer %d %s: decoder %r, tshark %r" % (tag, i, key, want, got))
    return errors, n_fields


def main(argv):
    if shutil.which("tshark") is None:
        print("tshark not installed: skipping")
        return 77
    if len(argv) < 3:
        print(__doc__)
        return 2
    missing = [p for p in argv[2:] if not os.path.exists(p)]
    if missing:
        print("pcaps not generated (no scapy?): skipping:", " ".join(missing))
        return 77
    total_errors, total_fields = [], 0
    for pcap in argv[2:]:
        errors, n = compare(pcap, argv[1])
        total_errors += errors
        total_fields += n
        print("%s: %d fields compared, %d mismatches" % (pcap, n, len(errors)))
    for e in total_errors[:50]:
        print("MISMATCH", e)
    print("total: %d fields compared with tshark, %d mismatches" % (total_fields, len(total_errors)))
    return 1 if total_errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
