"""Suite ceiling-alt: what sampling costs dpsflow's forwarding, in Mpps, drift cancelled.

Why: the 'ceiling' suite compares separate processes seconds to minutes apart, and this VM's
rate drifts by ±10 % over that time, so a 1-2 % effect is lost. Here ONE dpsflow process
forwards net_null0 <-> net_null1 (64-byte frames) for the whole run while the harness switches
its sampling rate by SIGHUP every SEGMENT seconds, in the cycle
    off, 1:1000, off, 1:100, off, ...
so every sampled segment has an off segment on each side, 2.2 s away. Per sampled segment:
ratio = its rate / the mean of its two neighbours (a drift linear over 4.4 s cancels). The
A/A control does the same for each off segment against the off segments 4.4 s either side
(farther apart than any sampled one: it over-states the noise, never under-states it).
Reported per N: the median over segments and a distribution-free 95 % CI of the median.

Rate of a segment = the sum over both ports of dpsflow's `--stats-period 1` rx Mpps, from the
one-second periods that lie entirely inside the segment after a settle margin (the reload is
handled by the main lcore; the worker takes the new rate at its next burst when sampling was
off, at its next sample otherwise: ~N packets, microseconds).

This is dpsflow(N) / dpsflow(off). The goal is stated against testpmd, and ceiling-ir shows
dpsflow off within 0.3 % of testpmd in instructions (its off path takes the sampler's slow
branch once per burst); 'ceiling' times the two side by side.
"""
import json
import os
import re
import statistics
import subprocess
import threading
import time

from bench_ovs import median_ci, neighbour_ratios

STATS_RE = re.compile(r"^dpsflow: (\S+)\s+rx\s+([\d.]+) Mpps")
SEGMENT = 2.2          # seconds per segment
SETTLE = 0.15          # seconds after the SIGHUP before a period may count
RATES = [1000, 100]


class AltError(Exception):
    pass


def _write_conf(path, vdevs, rate, sink_port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("sflow {\n  sampling = %d\n  polling = 0\n"
                "  collector { ip = 127.0.0.1 udpport = %d }\n}\n" % (rate, sink_port))
        f.write("dpdk {\n" + "".join('  port { name = "%s" mode = forward }\n' % v
                                     for v in vdevs) + "}\n")
    os.replace(tmp, path)     # a reload never reads half a file


def run_suite(b, ctx):
    """b: the bench module (process discipline, paths); writes ceiling_alt.csv."""
    cycles = 3 if ctx.smoke else int(os.environ.get("BENCH_ALT_CYCLES", "100"))
    vdevs = ["net_null0,size=64", "net_null1,size=64"]
    ports = ["net_null0", "net_null1"]
    conf = ctx.log("ceiling-alt.conf")
    _write_conf(conf, vdevs, 0, ctx.sink.port)
    plan = []                           # (rate, start, end) per segment, filled as we go
    n_segments = cycles * 2 * len(RATES) + 1
    duration = int(n_segments * SEGMENT + 30)
    prefix = b.new_prefix("alt")
    cmd = [b.rel(ctx.dpsflow)] + b.eal_args(prefix, vdevs) + [
        "--", "--config", b.rel(conf), "--duration", str(duration), "--stats-period", "1"]
    periods = []                        # (arrival time, Mpps summed over ports)
    errf = ctx.log("ceiling-alt.dpsflow.err")
    outf = ctx.log("ceiling-alt.dpsflow.out")
    with open(outf, "wb") as out:
        p = b.start(cmd, b.START_TIMEOUT + duration + 30, out, subprocess.PIPE, prefix)
    lines = []

    def read_stats():
        group = {}
        for raw in p.stderr:
            line = raw.decode(errors="replace")
            lines.append(line)
            m = STATS_RE.match(line)
            if m and m.group(1) in ports:
                group[m.group(1)] = float(m.group(2))
                if len(group) == len(ports):
                    periods.append((time.monotonic(), sum(group.values())))
                    group = {}

    reader = threading.Thread(target=read_stats, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + b.START_TIMEOUT
        while len(periods) < 3:         # forwarding, past start-up
            if p.poll() is not None or time.monotonic() > deadline:
                raise AltError("dpsflow did not start forwarding (see %s)" % b.rel(errf))
            time.sleep(0.1)
        seq = []
        for _ in range(cycles):
            for n in RATES:
                seq += [0, n]
        seq.append(0)
        for rate in seq:
            _write_conf(conf, vdevs, rate, ctx.sink.port)
            t0 = time.monotonic()
            os.kill(_child(b, p), 1)    # SIGHUP to dpsflow itself, not its timeout wrapper
            time.sleep(SEGMENT)
            plan.append((rate, t0, time.monotonic()))
            if p.poll() is not None:
                raise AltError("dpsflow exited early (see %s)" % b.rel(errf))
    finally:
        b.stop_proc(p)
        b.cleanup_prefix(prefix)
        reader.join(10)
        with open(errf, "w") as f:
            f.writelines(lines)
    m = b.SUMMARY_RE.search(open(outf, errors="replace").read())
    if not m:
        raise AltError("dpsflow printed no summary (see %s)" % b.rel(errf))
    summary = json.loads(m.group(0))
    if summary["exporter"]["reload_errors"]:
        raise AltError("dpsflow refused a reload (see %s)" % b.rel(errf))

    # the rate of each segment: periods [t - 1, t] inside [start + SETTLE, end]
    seg_rate = []
    for rate, start, end in plan:
        inside = [mpps for t, mpps in periods if t - 1.0 >= start + SETTLE and t <= end]
        seg_rate.append((rate, statistics.mean(inside) if inside else None))
    ratios, aa = neighbour_ratios(seg_rate, 0)
    rows = []
    for label, vals in [("1:%d" % n, ratios.get(n, [])) for n in RATES] + [("off (A/A)", aa)]:
        if len(vals) < (2 if ctx.smoke else 20):
            raise AltError("%s: only %d usable segments (see %s)" % (label, len(vals),
                                                                    b.rel(errf)))
        med, lo, hi = median_ci(vals)
        rows.append({"N": label, "segments": len(vals), "ratio_median": "%.4f" % med,
                     "ci95_low": "%.4f" % lo, "ci95_high": "%.4f" % hi,
                     "mean": "%.4f" % statistics.mean(vals),
                     "off_mpps_median": "%.2f" % statistics.median(
                         x for r, x in seg_rate if not r and x),
                     "reproduce": "benchmarks/run.sh ceiling-alt"})
        print("  ceiling-alt %-9s %4d segments  ratio %.4f (95 %% CI %.4f-%.4f)" %
              (label, len(vals), med, lo, hi), flush=True)
    tot = {k: sum(x[k] for x in summary["ports"]) for k in ("samples", "drops", "exported")}
    for r in rows:
        r.update({"samples": tot["samples"], "drops": tot["drops"],
                  "exported": tot["exported"], "command": " ".join(cmd)})
    b.write_csv(ctx, "ceiling_alt.csv", list(rows[0].keys()), rows)
    return None


def _child(b, p):
    """The PID of the command under the timeout wrapper."""
    kids = b._children(p.pid)
    if not kids:
        raise AltError("dpsflow is not running")
    return kids[0]
