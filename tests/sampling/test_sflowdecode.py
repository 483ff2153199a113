#!/usr/bin/python3
"""The specification-based reader (tests/tools/sflowdecode.py) against datagrams produced
by the sampling library with every record, the tunnel records 1023-1030 included:

  * every decoded field equals what the generator fed in (expected.json);
  * the length arithmetic: each record's length equals the size its layout gives
    (computed here from the spec, not taken from the encoder), each sample's length is its
    fixed part plus its records, the datagram is its header plus its samples;
  * the CLI: raw files, --pcap, and --listen on 127.0.0.1 and [::1];
  * robustness: every truncation and a few corruptions raise DecodeError, nothing else.

usage: test_sflowdecode.py GEN_DATAGRAMS TOOLS_DIR WORKDIR"""

import json
import os
import socket
import subprocess
import sys
import time

failures = []
checks = 0


def eq(what, got, want):
    global checks
    checks += 1
    if got != want:
        failures.append("%s: decoded %r, fed in %r" % (what, got, want))


def pad4(n):
    return (n + 3) & ~3


def addr_size(a):
    return 4 + {0: 0, 1: 4, 2: 16}[a["type"]]


def spec_record_length(rec, sample_type):
    """Record body size from the layouts in sflow_version_5.txt / sflow_tunnels.txt."""
    f = rec["format"]
    if sample_type == "counters":
        return {1: 88, 2: 13 * 4}.get(f) or 4 + pad4(len(rec["name"].encode()))
    if f == 1:
        return 16 + pad4(rec["header_length"])
    if f in (3, 1023, 1024):
        return 8 * 4                      # 6 words + two 4-byte addresses
    if f in (4, 1025, 1026):
        return 6 * 4 + 2 * 16
    if f == 1001:
        return 16
    if f == 1006:
        return (addr_size(rec["next_hop"]) + 4 + 4 * len(rec["in_stack"]) + 4
                + 4 * len(rec["out_stack"]))
    if f in (1027, 1028, 1029, 1030):
        return 4
    raise AssertionError("no layout for %r" % f)


def compare(sd, raw, dg, label):
    d = sd.decode_datagram(raw)
    for k in ("agent", "sub_agent_id", "seq", "uptime"):
        eq("%s %s" % (label, k), d[k], dg[k])
    eq(label + " agent type", d["agent_type"], 2 if ":" in dg["agent"] else 1)
    eq(label + " n samples", len(d["samples"]), len(dg["samples"]))
    total = (40 if ":" in dg["agent"] else 28)
    for i, (s, want) in enumerate(zip(d["samples"], dg["samples"])):
        lab = "%s sample %d" % (label, i)
        for k, v in want.items():
            if k != "records":
                eq("%s %s" % (lab, k), s[k], v)
        got_recs = [{k: v for k, v in r.items() if k not in ("record_length", "offset", "record")}
                    for r in s["records"]]
        eq(lab + " record formats", [r["format"] for r in got_recs],
           [r["format"] for r in want["records"]])
        for j, (gr, wr) in enumerate(zip(got_recs, want["records"])):
            eq("%s record %d (%s)" % (lab, j, wr["format"]), gr, wr)
        # length arithmetic, all from the spec
        fixed = {1: 32, 3: 44, 2: 12, 4: 16}[s["format"]]
        body = fixed
        for r, wr in zip(s["records"], want["records"]):
            eq("%s record %s length" % (lab, wr["format"]), r["record_length"],
               spec_record_length(wr, want["sample_type"]))
            body += 8 + spec_record_length(wr, want["sample_type"])
        eq(lab + " sample length", s["sample_length"], body)
        eq(lab + " sample offset", s["offset"], total)
        total += 8 + body
    eq(label + " datagram length", len(raw), total)
    return d


def free_port(family, host):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((host, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def listen_roundtrip(tool, family, host, spec_host, raws):
    port = free_port(family, host)
    p = subprocess.Popen([sys.executable, tool, "--listen", "%s:%d" % (spec_host, port),
                          "--seconds", "10", "--max", str(len(raws))],
                         stdout=subprocess.PIPE, text=True)
    tx = socket.socket(family, socket.SOCK_DGRAM)
    # The listener needs a moment to bind; resend the first datagram until it is heard
    # would duplicate it, so wait for the socket to appear instead.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        probe = socket.socket(family, socket.SOCK_DGRAM)
        try:
            probe.bind((host, port))
            probe.close()
            time.sleep(0.05)          # not bound yet
        except OSError:
            probe.close()
            break
    for raw in raws:
        tx.sendto(raw, (host, port))
    out, _ = p.communicate(timeout=15)
    tx.close()
    lines = [json.loads(l) for l in out.splitlines()]
    return p.returncode, lines


def main():
    gen, tools, work = sys.argv[1], sys.argv[2], sys.argv[3]
    sys.path.insert(0, tools)
    import sflowdecode as sd
    tool = os.path.join(tools, "sflowdecode.py")

    for mode in ("tunnel", "notunnel"):
        wd = os.path.join(work, mode)
        os.makedirs(wd, exist_ok=True)
        subprocess.run([gen, wd, mode], check=True)
        with open(os.path.join(wd, "expected.json")) as f:
            expected = json.load(f)
        files = [os.path.join(wd, "dgram_%03d.bin" % i) for i in range(len(expected["datagrams"]))]
        raws = [open(p, "rb").read() for p in files]
        decoded = []
        for i, (raw, dg) in enumerate(zip(raws, expected["datagrams"])):
            decoded.append(compare(sd, raw, dg, "%s datagram %d" % (mode, i + 1)))
        formats = {r["format"] for d in decoded for s in d["samples"] for r in s["records"]}
        tunnel_formats = set(range(1023, 1031))
        if mode == "tunnel":
            eq("all tunnel records present", tunnel_formats - formats, set())
        else:
            eq("no tunnel records", tunnel_formats & formats, set())

        # CLI on raw files and on the pcap gives the same objects
        out = subprocess.run([sys.executable, tool] + files, check=True, capture_output=True,
                             text=True).stdout.splitlines()
        eq(mode + " cli files", [{k: v for k, v in json.loads(l).items() if k != "file"}
                                 for l in out], decoded)
        out = subprocess.run([sys.executable, tool, "--pcap", os.path.join(wd, "sflow.pcap")],
                             check=True, capture_output=True, text=True).stdout.splitlines()
        eq(mode + " cli pcap", [{k: v for k, v in json.loads(l).items() if k != "frame"}
                                for l in out], decoded)

    # --listen over real loopback sockets, IPv4 and IPv6
    for family, host, spec in ((socket.AF_INET, "127.0.0.1", "127.0.0.1"),
                               (socket.AF_INET6, "::1", "[::1]")):
        rc, lines = listen_roundtrip(tool, family, host, spec, raws)
        eq("listen %s rc" % host, rc, 0)
        eq("listen %s datagrams" % host,
           [{k: v for k, v in l.items() if k != "peer"} for l in lines], decoded)

    # Robustness: every strict prefix and some corruptions fail cleanly.
    raw = raws[0]
    bad = 0
    for n in range(len(raw)):
        try:
            sd.decode_datagram(raw[:n])
        except sd.DecodeError:
            bad += 1
    eq("every truncation rejected", bad, len(raw))
    corrupt = bytearray(raw)
    corrupt[28 + 4:28 + 8] = (0xFFFFFFF0).to_bytes(4, "big")     # first sample length
    for blob in (bytes(corrupt), raw[:24] + (0xFFFFFFFF).to_bytes(4, "big") + raw[28:],
                 raw + b"\0\0\0\0", b"\0\0\0\4" + raw[4:]):
        try:
            sd.decode_datagram(blob)
            failures.append("corrupt datagram accepted")
        except sd.DecodeError:
            pass
    bad_file = os.path.join(work, "bad.bin")
    with open(bad_file, "wb") as f:
        f.write(raw[:50])
    r = subprocess.run([sys.executable, tool, bad_file], capture_output=True, text=True)
    eq("cli exit status on a bad datagram", r.returncode, 1)
    eq("cli reports the error", "error" in json.loads(r.stdout), True)

    for line in failures:
        print("MISMATCH", line)
    print("sflowdecode: %d checks, %d mismatches" % (checks, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
