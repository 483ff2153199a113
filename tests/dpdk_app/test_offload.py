#!/usr/bin/env python3
"""Hardware sampling (rte_flow SAMPLE) on vdevs.

The real agent on net_null, which has no rte_flow at all (as every vdev lacks SAMPLE):
- offload = auto samples in software with exact statistics, logs the PMD's refusal once, and
  telemetry says "software" with that reason;
- offload = on exits 2 with the PMD's reason, before running;
- --probe-offload prints one JSON line per port (accepted or not, why, for which 1-in-N) and
  exits 0 without running.
Then the test-only agent dpsflow_fakeflow, whose rte_flow calls go to a stand-in NIC sampler
(fake_rte_flow.c) that accepts NIC Rx SAMPLE rules; net_null generates on the sample queue
what a NIC would have copied there:
- the sample queue is set up (queue index = rxq), its every packet is a sample carrying the
  rule's N, sample_pool comes from the port's counters (ipackets minus the copies), exactly;
- SIGHUP changing N rebuilds the rule (new rule created, then the old destroyed); SIGHUP to
  offload = off removes it and software sampling takes over; the rule is destroyed at exit
  and every created rule is destroyed exactly once.
Last, a port started with offload = off and reloaded to auto stays on software and says a
restart is needed.
"""
import json
import math
import os
import re
import signal
import subprocess
import time
import harness as h

b = h.binary()
fake = os.environ.get("DPSFLOW_FAKEFLOW")
REFUSAL = "rte_flow_validate: Function not implemented"


def telemetry(prefix, cmd):
    # both cores are busy (worker, collector thread, and in CI whatever else runs): the
    # agent may still be in EAL init, or the client may miss the socket once; bounded at 20 s
    out = ""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        out = subprocess.run(["dpdk-telemetry.py", "-f", prefix], input=cmd + "\n",
                             capture_output=True, text=True, timeout=20).stdout
        if "{" in out:
            return json.loads(out[out.index("{"):out.rindex("}") + 1])[cmd]
        time.sleep(0.3)
    h.fail("no telemetry answer to %s: %r" % (cmd, out[-300:]))


def start(binary, conf, prefix_name, extra=(), env=None):
    args = [binary] + h.eal_args(prefix_name) + ["--", "-f", conf] + list(extra)
    prefix = args[args.index("--file-prefix") + 1]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    return proc, prefix


def finish(proc, timeout=60):
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
    objs = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    if proc.returncode not in (0, 2):
        print("dpsflow exited %s; stderr tail:\n%s" % (proc.returncode, err[-3000:]))
    return proc.returncode, objs, err


def within_4_sigma(samples, pool, n):
    sigma = math.sqrt(pool * (n * n - 1) / 3.0 / n ** 3) if n > 1 else 0
    return abs(samples - pool / n) <= 4 * sigma + 1


# ---- 1. auto on a vdev: software sampling, exact statistics, telemetry says why -------------
col = h.Collector()
conf = h.write_config("""
sflow {
  sampling = 1000
  polling = 0
  collector { ip = 127.0.0.1 udpport = %d }
}
dpdk {
  ringSize = 65536
  port { name = "net_null0,size=64,copy=0" offload = auto }
}
""" % col.port)
rcvbuf = h.udp_rcvbuf_errors()
proc, prefix = start(b, conf, "offauto", ["--duration", "5"])
time.sleep(2.5)
ports = telemetry(prefix, "/dpsflow/ports")
rc, objs, err = finish(proc)
col.close()
os.unlink(conf)
h.check(rc == 0, "auto: dpsflow exits 0")
s = h.summary_of(objs)
p = s["ports"][0]
print("auto: rx %d pool %d samples %d drops %d exported %d" %
      (p["rx_packets"], p["sample_pool"], p["samples"], p["drops"], p["exported"]))
h.check(p["sampling_path"] == "software" and p["offload"] == "auto", "auto: summary says software")
h.check(p["sample_queue_rx"] == 0, "auto: no sample queue was polled")
h.check(p["rx_packets"] >= 5_000_000, "auto: traffic flowed (%d)" % p["rx_packets"])
h.check(p["sample_pool"] == p["rx_packets"] == p["eth_ipackets"],
        "auto: sample_pool == packets polled == ipackets, exactly")
h.check(within_4_sigma(p["samples"], p["sample_pool"], 1000),
        "auto: samples %d within 4 sigma of pool/1000" % p["samples"])
h.check(p["samples"] == p["exported"] + p["drops"], "auto: samples == exported + drops")
h.check_delivery(col, s, rcvbuf)
h.check(err.count("hardware sampling not used") + err.count("offload = auto: sampling in software") == 1,
        "auto: the refusal is logged once")
h.check(("net_null0: offload = auto: sampling in software: " + REFUSAL) in err,
        "auto: the log line carries the PMD's message")
t = ports["port0"]
h.check(t["sampling_path"] == "software" and t["offload"] == "auto",
        "telemetry: sampling_path software, offload auto")
h.check(REFUSAL in t["offload_reason"], "telemetry: offload_reason %r" % t["offload_reason"])

# ---- 2. on: refused with the PMD's message, exit 2, nothing run ----------------------------
conf = h.write_config("""
sflow { sampling = 1000 polling = 0 }
dpdk { port { name = "net_null0,size=64" offload = on } }
""")
proc, prefix = start(b, conf, "offon", ["--duration", "5"])
rc, objs, err = finish(proc)
h.check(rc == 2, "on: exit 2 (got %d)" % rc)
h.check(re.search(r"net_null0: offload = on but the NIC refuses the SAMPLE rule \(1-in-1000\): "
                  + re.escape(REFUSAL), err) is not None, "on: stderr gives the PMD's reason")
h.check(not any(o.get("type") == "summary" for o in objs), "on: the agent never ran")
# the command line's --offload on wins over the file
proc, prefix = start(b, conf, "offon2", ["--offload", "on", "--duration", "5"])
rc2, _, _ = finish(proc)
h.check(rc2 == 2, "--offload on: exit 2")
os.unlink(conf)

# ---- 3. --probe-offload: one line per port, exit 0, nothing run -----------------------------
conf = h.write_config("""
sflow { sampling = 1000 sampling.10G = 5000 polling = 0 }
dpdk {
  port { name = "net_null0,size=64" offload = auto rxq = 2 }
  port { name = "net_null1,size=64" offload = off sampling = 64 }
}
""")
args = [b] + h.eal_args("offprobe", "0") + ["--", "-f", conf, "--probe-offload"]
p3 = subprocess.run(args, capture_output=True, text=True, timeout=60)
os.unlink(conf)
lines = [json.loads(l) for l in p3.stdout.splitlines() if l.startswith("{")]
print(p3.stdout.strip())
h.check(p3.returncode == 0, "probe: exit 0 (got %d)" % p3.returncode)
h.check([l["type"] for l in lines] == ["probe_offload", "probe_offload"], "probe: one line per port, no summary")
a, z = lines
# ports are not started by a probe, so the link speed is unknown: hsflowd's rules are taken
# at 10 Gb/s (sampling.10G wins over sampling, as it would on a 10G link)
h.check(a["port"] == "net_null0" and a["offload"] == "auto" and a["domain"] == "nic_rx"
        and a["ratio"] == 5000 and a["accepted"] is False and a["reason"] == REFUSAL,
        "probe: net_null0 refused for 1-in-5000 with the PMD's reason")
h.check(z["port"] == "net_null1" and z["offload"] == "off" and z["ratio"] == 64
        and z["accepted"] is False and REFUSAL in z["reason"],
        "probe: a port with offload = off is probed too, at its own rate")

if not fake or not os.access(fake, os.X_OK):
    h.fail("DPSFLOW_FAKEFLOW not set: the hardware path cannot be tested")

# ---- 4. hardware path with the stand-in NIC sampler ----------------------------------------
col = h.Collector()
conf_text = """
sflow {
  sampling = %d
  polling = 0
  collector { ip = 127.0.0.1 udpport = %d }
}
dpdk {
  ringSize = 65536
  port { name = "net_null0,size=64,copy=0" rxq = 2 offload = %s }
}
"""
conf = h.write_config(conf_text % (1000, col.port, "on"))
proc, prefix = start(fake, conf, "offfake", ["--duration", "15"])
time.sleep(2)
ports_hw = telemetry(prefix, "/dpsflow/ports")
with open(conf, "w") as f:
    f.write(conf_text % (250, col.port, "on"))
proc.send_signal(signal.SIGHUP)
time.sleep(2)
ports_250 = telemetry(prefix, "/dpsflow/ports")
with open(conf, "w") as f:
    f.write(conf_text % (250, col.port, "off"))
proc.send_signal(signal.SIGHUP)
time.sleep(2)
ports_off = telemetry(prefix, "/dpsflow/ports")
rc, objs, err = finish(proc)
col.close()
os.unlink(conf)
fl = [l for l in err.splitlines() if l.startswith("fake_rte_flow:")]
print("\n".join(fl))
h.check(rc == 0, "fake NIC: dpsflow exits 0")
s = h.summary_of(objs)
p = s["ports"][0]
print("fake NIC: rx %d pool %d samples %d drops %d exported %d sample_queue_rx %d ipackets %d" %
      (p["rx_packets"], p["sample_pool"], p["samples"], p["drops"], p["exported"],
       p["sample_queue_rx"], p["eth_ipackets"]))
creates = [re.search(r"ratio=(\d+) queue=(\d+) id=(\d+)", l).groups() for l in fl if " create " in l]
destroys = [re.search(r"id=(\d+)", l).group(1) for l in fl if " destroy " in l]
h.check([(r, q) for r, q, _ in creates] == [("1000", "2"), ("250", "2")],
        "rules: 1-in-1000 to queue 2 (= rxq), rebuilt as 1-in-250 on reload")
h.check(destroys == ["0", "1"], "rules: the old rule destroyed after the new one, the last at "
        "offload = off, none twice (destroyed %s)" % destroys)
h.check(fl.index([l for l in fl if " create " in l][1]) < fl.index([l for l in fl if " destroy " in l][0]),
        "rules: the 1-in-250 rule exists before the 1-in-1000 one goes")
h.check(ports_hw["port0"]["sampling_path"] == "hardware" and ports_hw["port0"]["sample_queue"] == 2
        and ports_hw["port0"]["offload_reason"] == "", "telemetry: hardware, sample queue 2")
h.check(ports_250["port0"]["sampling_path"] == "hardware" and ports_250["port0"]["sampling_rate"] == 250,
        "telemetry after SIGHUP: hardware at 1-in-250")
h.check(ports_off["port0"]["sampling_path"] == "software" and
        ports_off["port0"]["offload_reason"] == "offload = off",
        "telemetry after SIGHUP offload = off: software, reason 'offload = off'")
h.check(p["sampling_path"] == "software", "summary: software at the end")
h.check(p["samples"] == p["exported"] + p["drops"], "samples == exported + drops")
# every packet of the sample queue while the rule was in: a sample; the rest of the port: pool
# software sampling alone would give about pool/250 at most: the copies were taken whole
h.check(p["sample_queue_rx"] > 0 and p["samples"] > 10 * p["sample_pool"] / 250,
        "sample queue polled, its packets taken as samples (%d samples)" % p["samples"])
# The switch hardware->software happens under traffic: the packets between the counter read
# and the samplers' switch are in neither pool (gap > 0, bounded to 0.5 % of the traffic); a
# burst read before the counters but accounted after the switch could be in both, at most one
# 32-packet burst per task (3 tasks). A period counted twice would be far below that bound.
gap = p["eth_ipackets"] - (p["sample_pool"] + p["sample_queue_rx"])
h.check(-3 * 32 <= gap <= p["eth_ipackets"] * 0.005,
        "pool (NIC-counted, then software) + sample queue == ipackets within the switch gap (%d)" % gap)
# every 50th datagram is plenty to see both rates (decoding all of them in Python is slow)
flows = [f for d in col.raw[::50] for f in h.flow_samples(h.sflowdecode.decode_datagram(d))]
rates = sorted(set(f["sampling_rate"] for f in flows))
h.check(1000 in rates and 250 in rates, "flow samples carry the rule's N (rates seen %s)" % rates)

# ---- 5. hardware path, steady: pool from the port's counters, exact -------------------------
col = h.Collector()
conf = h.write_config(conf_text % (1000, col.port, "auto"))
proc, prefix = start(fake, conf, "offfake2", ["--duration", "3"])
rc, objs, err = finish(proc)
col.close()
os.unlink(conf)
h.check(rc == 0, "steady: exits 0")
p = h.summary_of(objs)["ports"][0]
print("steady: rx %d pool %d samples %d drops %d exported %d sample_queue_rx %d ipackets %d" %
      (p["rx_packets"], p["sample_pool"], p["samples"], p["drops"], p["exported"],
       p["sample_queue_rx"], p["eth_ipackets"]))
h.check(p["sampling_path"] == "hardware", "steady: hardware")
h.check(p["samples"] == p["sample_queue_rx"], "steady: every packet of the sample queue is a sample")
h.check(p["sample_pool"] + p["sample_queue_rx"] == p["eth_ipackets"],
        "steady: sample_pool == ipackets - copies, exactly")
h.check(p["samples"] == p["exported"] + p["drops"], "steady: samples == exported + drops")
h.check(err.count("fake_rte_flow: create") == err.count("fake_rte_flow: destroy") == 1,
        "steady: one rule, destroyed at exit")

# refusal through the stand-in: auto falls back with the NIC's words, on exits 2 with them
env = dict(os.environ, DPS_FAKE_FLOW_REFUSE="sample ratio 7 not supported by firmware")
conf = h.write_config(conf_text % (7, 9, "on"))
proc, prefix = start(fake, conf, "offfake3", ["--duration", "2"], env=env)
rc, objs, err = finish(proc)
os.unlink(conf)
h.check(rc == 2 and "sample ratio 7 not supported by firmware" in err,
        "on: the NIC's own message in the refusal")

# ---- 6. SIGHUP on ports without hardware sampling: reasons stay true -----------------------
conf_text = """
sflow { sampling = 1000 polling = 0 }
dpdk { port { name = "net_null0,size=64" offload = %s } }
"""
conf = h.write_config(conf_text % "off")
proc, prefix = start(b, conf, "offreload", ["--duration", "6"])
time.sleep(1.5)
r0 = telemetry(prefix, "/dpsflow/ports")["port0"]
with open(conf, "w") as f:
    f.write(conf_text % "auto")
proc.send_signal(signal.SIGHUP)
time.sleep(1.5)
r1 = telemetry(prefix, "/dpsflow/ports")["port0"]
rc, objs, err = finish(proc)
os.unlink(conf)
h.check(rc == 0 and r0["offload_reason"] == "offload = off", "started with off: reason 'offload = off'")
h.check(r1["offload"] == "auto" and r1["sampling_path"] == "software" and
        "restart dpsflow" in r1["offload_reason"],
        "reloaded to auto: still software, telemetry asks for a restart (%r)" % r1["offload_reason"])
