"""Shared plumbing for the agent's integration tests (real DPDK on vdevs).

Every dpsflow these tests start gets --no-pci and its own --file-prefix, is bounded by
--duration and a hard timeout, and is killed by the test that started it if it overstays.
Samples are received by an in-process UDP collector on 127.0.0.1 that decodes with the
project's reader (tests/tools/sflowdecode.py, written from the sFlow specification).
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "tools"))
import sflowdecode  # noqa: E402

SKIP = 77


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)
    print("ok: " + msg)


def hugepages_available():
    try:
        with open("/proc/sys/vm/nr_hugepages") as f:
            if int(f.read().strip() or 0) == 0:
                return False
        return os.path.ismount("/dev/hugepages")
    except OSError:
        return False


def eal_args(prefix, lcores="0,1", extra=()):
    args = ["--no-pci", "--file-prefix", "%s-%d" % (prefix, os.getpid()),
            "--log-level", "lib.eal:error"]
    if "@" in lcores or "(" in lcores:
        args += ["--lcores", lcores]
    else:
        args += ["-l", lcores]
    if not hugepages_available():
        # the kernel refused hugepages (quickstart.sh hugepages said so): fall back
        args += ["--no-huge", "-m", "512"]
    return args + list(extra)


def binary():
    b = os.environ.get("DPSFLOW")
    if not b or not os.access(b, os.X_OK):
        print("DPSFLOW not set or not executable")
        sys.exit(SKIP)
    if os.geteuid() != 0:
        print("integration tests need root (hugepages, vdevs)")
        sys.exit(SKIP)
    return b


def pcap_dir():
    d = os.environ.get("PCAP_DIR")
    if not d or not os.path.isdir(d):
        fail("PCAP_DIR not set")
    return d


class Collector:
    """UDP sFlow collector on 127.0.0.1 (ephemeral port unless given)."""

    def __init__(self, port=0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
        self.sock.bind(("127.0.0.1", port))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.raw = []
        self.times = []
        self._stop = False
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        # after close() is asked, keep reading until the socket buffer is empty: datagrams
        # the agent sent just before it exited are still queued there
        while True:
            try:
                data = self.sock.recv(65535)
            except socket.timeout:
                if self._stop:
                    return
                continue
            except OSError:
                return
            self.raw.append(data)
            self.times.append(time.monotonic())

    def close(self):
        self._stop = True
        self._t.join(60)
        self.sock.close()

    def datagrams(self):
        return [sflowdecode.decode_datagram(d) for d in self.raw]


def write_config(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False, dir=os.environ.get("TMPDIR", "/tmp"))
    f.write(text)
    f.close()
    return f.name


def run(args, timeout=120, stdin=None):
    """Runs dpsflow to completion; returns (rc, json objects from stdout, stderr text)."""
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        fail("dpsflow did not stop within %d s\n%s" % (timeout, err[-3000:]))
    objs = []
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                objs.append(json.loads(line))
            except ValueError:
                fail("bad JSON line from dpsflow: %r" % line[:200])
    if p.returncode != 0:
        sys.stderr.write(err[-5000:])
    return p.returncode, objs, err


def summary_of(objs):
    s = [o for o in objs if o.get("type") == "summary"]
    if len(s) != 1:
        fail("expected one summary line, got %d" % len(s))
    return s[0]


# ---- views over sflowdecode's datagram dicts, in the shape the tests assert on

def flow_samples(dgram):
    out = []
    for s in dgram["samples"]:
        if s.get("sample_type") != "flow":
            continue
        f = dict(s)
        f["sequence_number"] = s["seq"]
        f["input"] = s["input"]["value"]
        f["output"] = s["output"]["value"]
        out.append(f)
    return out


def records_by_format(flow):
    return {r["format"]: r for r in flow["records"]}


def sampled_header(flow):
    r = dict(records_by_format(flow)[1])
    r["header"] = bytes.fromhex(r["header"])
    return r


def counter_samples(dgram):
    out = []
    for s in dgram["samples"]:
        if s.get("sample_type") != "counters":
            continue
        c = {"seq": s["seq"], "source_id_index": s["source_id_index"]}
        for r in s["records"]:
            if r.get("record") == "generic_interface":
                c.update({k: v for k, v in r.items() if k.startswith("if")})
            elif r.get("record") == "port_name":
                c["port_name"] = r["name"]
        out.append(c)
    return out


def udp_rcvbuf_errors():
    """Datagrams the kernel dropped because a UDP socket's receive buffer was full (all
    sockets; the high-rate tests are the only UDP load on the machine while they run)."""
    with open("/proc/net/snmp") as f:
        rows = [l.split() for l in f if l.startswith("Udp:")]
    return int(rows[1][rows[0].index("RcvbufErrors")])


def check_delivery(col, summary, rcvbuf_before, collector_index=0):
    """Every datagram the agent sent reached the collector or was dropped by the kernel at the
    collector's full socket buffer (a Python collector cannot read millions per second)."""
    sent = summary["exporter"]["collectors"][collector_index]
    lost_at_socket = udp_rcvbuf_errors() - rcvbuf_before
    received = len(col.raw)
    check(sent["send_errors"] == 0, "no send errors")
    check(received + lost_at_socket == sent["datagrams"],
          "datagrams sent (%d) == received (%d) + dropped at the collector's socket buffer (%d)"
          % (sent["datagrams"], received, lost_at_socket))
    if lost_at_socket == 0:
        got = sum(len(flow_samples(d)) for d in col.datagrams())
        check(got == sent["samples"], "collector received every sample sent (%d)" % got)
