#!/usr/bin/env python3
"""Configuration errors and SIGHUP.
- Each bad file exits 2 with `file:line:col: message` before EAL starts (no DPDK runtime
  directory is created, no port touched).
- Bad command lines exit 2; --help and --version exit 0.
- SIGHUP with a good file applies the new sampling rate to the running workers; SIGHUP with a
  bad file keeps the running configuration, logs the file:line:col error, and the agent runs on."""
import os
import re
import signal
import subprocess
import time
import harness as h

b = h.binary()

GOOD_HEAD = 'sflow {\n  collector { ip = 127.0.0.1 udpport = 9 }\n}\n'
bad_files = [
    # (name, text, line, col-or-None, message regex)
    ("unknown key", 'sflow {\n  polling = 20\n  bogus = 1\n}\n', 3, 3, r"unknown|bogus"),
    ("bad number", 'sflow {\n  sampling = 12x\n}\n', 2, None, r"number|integer|invalid"),
    ("missing brace", 'sflow {\n  polling = 20\n', None, None, r"brace|\}|end of file|unterminated|unclosed"),
    ("bad address", 'sflow {\n  collector { ip = 10.0.0.300 }\n}\n', 2, None, r"address"),
    ("duplicate port", 'dpdk {\n  port { name = net_null0 }\n  port { name = net_null0 }\n}\n', 3, None, r"duplicate|already"),
    ("bad mode", 'dpdk {\n  port { name = net_null0 mode = sniff }\n}\n', 2, None, r"mode"),
    ("header too big", 'sflow {\n  headerBytes = 100000\n}\n', 2, None, r"headerBytes|range|between"),
]
for name, text, line, col, msg in bad_files:
    path = h.write_config(text)
    prefix = "cfgbad-%d" % os.getpid()
    p = subprocess.run([b, "--no-pci", "--file-prefix", prefix, "-l", "0,1", "--", "-f", path],
                       capture_output=True, text=True, timeout=30)
    err = p.stderr
    os.unlink(path)
    h.check(p.returncode == 2, "%s: exit status 2 (got %d)" % (name, p.returncode))
    pat = re.escape(path) + r":(\d+):(\d+): "
    m = re.search(pat, err)
    h.check(m is not None, "%s: message has file:line:col: %r" % (name, err.strip()[:200]))
    if line is not None:
        h.check(int(m.group(1)) == line, "%s: line %d" % (name, line))
    if col is not None:
        h.check(int(m.group(2)) == col, "%s: column %d" % (name, col))
    h.check(re.search(msg, err, re.I) is not None, "%s: message says what is wrong" % name)
    h.check(not os.path.exists("/var/run/dpdk/" + prefix), "%s: EAL never started" % name)

for args, status in [(["--sampling", "abc"], 2), (["--collector", "1.2.3.4:99999"], 2),
                     (["--mode", "sniff"], 2), (["--no-such-option"], 2),
                     # offload = on where the NIC refuses SAMPLE (every vdev) is refused;
                     # --probe-offload reports and exits 0 (test_offload.py checks both)
                     (["--port", "net_null0", "--offload", "on"], 2),
                     (["--port", "net_null0", "--probe-offload"], 0),
                     (["--help"], 0), (["--version"], 0)]:
    p = subprocess.run([b, "--no-pci", "--file-prefix", "cfgcli-%d" % os.getpid(), "--"] + args,
                       capture_output=True, text=True, timeout=30)
    h.check(p.returncode == status, "%s: exit %d (got %d: %s)" % (" ".join(args), status, p.returncode, p.stderr.strip()[:120]))
p = subprocess.run([b, "--version"], capture_output=True, text=True, timeout=30)
h.check(p.returncode == 0 and "dpsflow" in p.stdout and "DPDK" in p.stdout, "--version names dpsflow and DPDK")

# SIGHUP: good file, then bad file
col = h.Collector()
conf_text = """
sflow {
  sampling = %d
  polling = 0
  collector { ip = 127.0.0.1 udpport = %d }
}
dpdk {
  port { name = "net_null0,size=64" }
}
"""
path = h.write_config(conf_text % (1000, col.port))
args = [b] + h.eal_args("sighup") + ["--", "-f", path, "--duration", "6"]
proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
try:
    time.sleep(2)
    with open(path, "w") as f:
        f.write(conf_text % (100, col.port))
    proc.send_signal(signal.SIGHUP)
    time.sleep(1.5)
    with open(path, "w") as f:
        f.write("sflow {\n  sampling = -5\n}\n")
    proc.send_signal(signal.SIGHUP)
    out, err = proc.communicate(timeout=60)
finally:
    if proc.poll() is None:
        proc.kill()
    col.close()
    os.unlink(path)
import json
summary = [json.loads(l) for l in out.splitlines() if l.startswith('{"type":"summary"')]
h.check(proc.returncode == 0, "agent survives both reloads and exits 0")
h.check(len(summary) == 1, "summary printed")
s = summary[0]
h.check(s["ports"][0]["sampling_rate"] == 100, "good SIGHUP applied sampling 1000 -> 100")
h.check(s["exporter"]["reloads"] == 1 and s["exporter"]["reload_errors"] == 1,
        "one reload applied, one refused (%d, %d)" % (s["exporter"]["reloads"], s["exporter"]["reload_errors"]))
h.check(re.search(re.escape(path) + r":2:\d+: ", err) is not None, "bad reload logged with file:line:col")
rates = sorted({f["sampling_rate"] for d in col.datagrams() for f in h.flow_samples(d)})
h.check(rates == [100, 1000], "collector saw samples at both rates: %s" % rates)
