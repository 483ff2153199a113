"""Suite ceiling-ir: the dpsflow/testpmd ratio in instructions per forwarded packet.

Why: the 'ceiling' suite's Mpps ratio is the figure the goal is stated in, but on this shared
VM one point's Mpps moves by ±10 % between runs, far more than the 1-2 % the goal is about.
Instructions retired by the forwarding lcore per packet do not drift: callgrind counts them
exactly, per thread, whatever else the host runs. The ratio testpmd Ir/packet over dpsflow
Ir/packet is the throughput ratio the two would reach if their cycles per instruction were
equal, which they nearly are here: on net_null neither touches packet data, both spend their
time in the same PMD burst functions and the same mempool, and dpsflow adds only the sampler's
counters (no per-packet random draw) and, per sample, a header copy into its ring.
The A/A line (testpmd measured twice) shows how repeatable the count is.

Each point runs the program under `valgrind --tool=callgrind --separate-threads=yes` for a
bounded wall time. DPDK gets `--no-huge -m 1024` here, and only here: valgrind cannot host
DPDK's hugepage VA reservations. valgrind runs one thread at a time, so dpsflow's exporter
drains its ring far slower than in real life: dpsflow gets the largest ring (2^20 records,
from a generated config file) so that at N >= 100 no sample is dropped (a drop skips the
copy into the ring and would flatter the count; such a point is an error), while at N = 10
and 1 drops are expected and reported. Forwarding lcore = the busiest thread other than the main
thread (callgrind's part 1: testpmd's stats printer, dpsflow's exporter). Packets = every
packet received on both ports over the whole run (testpmd's accumulated forward statistics,
dpsflow's summary), so start-up and the last partial burst are inside the count; at > 5e6
packets a run they weigh < 1e-4 (testpmd counted twice agrees to 1e-5).
dpsflow's config file (the ports and the ring size; the harness writes it to logs/):
  dpdk { ringSize = 1048576  port { name = "<vdev 0>" }  port { name = "<vdev 1>" } }
"""
import glob
import json
import os
import re
import shutil
import subprocess
import tempfile

from cg_files import total_ir

ARMS_FULL = [("testpmd", None), ("testpmd-aa", None), ("dpsflow", 0), ("dpsflow", 10000),
             ("dpsflow", 1000), ("dpsflow", 100), ("dpsflow", 10), ("dpsflow", 1)]
ARMS_SMOKE = [("testpmd", None), ("dpsflow", 100)]
# a stats period keeps testpmd running without a terminal (it sleeps between prints)
TESTPMD_ARGS = ["--forward-mode=io", "--auto-start", "--stats-period=3600", "--nb-cores=1",
                "--rxq=1", "--txq=1", "--burst=32", "--total-num-mbufs=8191", "--mbcache=256",
                "--no-mlockall"]
RING_SIZE = 1 << 20
ACCUM_RE = re.compile(r"Accumulated forward statistics for all ports\+*\s*\n\s*"
                      r"RX-packets:\s*(\d+)")


class IrError(Exception):
    pass


def _thread_irs(outdir):
    """{part: Ir} from callgrind's per-thread files cg.<pid>-<part>."""
    return {int(path.rsplit("-", 1)[1]): total_ir(path)
            for path in glob.glob(os.path.join(outdir, "cg.*-*"))}


def _run_point(b, ctx, tag, vdevs, ports, program, n, seconds):
    """One program under callgrind; returns (worker Ir, packets, dpsflow totals or None, cmd)."""
    prefix = b.new_prefix("ir")
    eal = ["--no-pci", "--file-prefix", prefix, "-l", "0,1", "--log-level", "lib.eal:error",
           "--no-huge", "-m", "1024"]
    for v in vdevs:
        eal += ["--vdev", v]
    if program.startswith("testpmd"):
        cmd = [ctx.testpmd] + eal + ["--"] + TESTPMD_ARGS
    else:
        # the largest sample ring (2^20 records): a 20-second run under valgrind never fills
        # it, so every sample takes the path it takes in real life (the copy into the ring)
        # whatever share of valgrind's one CPU the exporter gets
        conf = ctx.log("%s.conf" % tag)
        with open(conf, "w") as f:
            f.write("dpdk {\n  ringSize = %d\n" % RING_SIZE +
                    "".join('  port { name = "%s" }\n' % v for v in vdevs) + "}\n")
        cmd = [b.rel(ctx.dpsflow)] + eal + ["--", "--config", b.rel(conf)]
        cmd += ["--mode", "forward", "--sampling", str(n), "--polling", "0", "--collector",
                "127.0.0.1:%d" % ctx.sink.port, "--duration", str(seconds),
                "--stats-period", "0"]
    outdir = tempfile.mkdtemp(prefix="dps-ir-", dir=ctx.logs)
    # --fair-sched: valgrind runs one thread at a time; without it the busy worker starves
    # the exporter
    vg = ["valgrind", "--tool=callgrind", "--fair-sched=yes", "--separate-threads=yes",
          "--callgrind-out-file=" + os.path.join(outdir, "cg.%p")]
    logf = ctx.log("%s.log" % tag)
    # valgrind start-up (DPDK's EAL runs ~50x slower) is outside `seconds`
    bound = b.START_TIMEOUT * 3 + seconds + 30
    try:
        with open(logf, "wb") as out:
            p = b.start(vg + cmd, bound, out, out, prefix, kill_after=90)
        try:
            # testpmd forwards until SIGINT; dpsflow stops itself after --duration. Only
            # instructions per packet are compared, so the two need not run equally long.
            p.wait(seconds + 20 if program.startswith("testpmd") else bound)
        except subprocess.TimeoutExpired:
            pass
        finally:
            b.stop_proc(p, grace=100.0)
            b.cleanup_prefix(prefix)
        text = open(logf, "rb").read().decode(errors="replace")
        irs = _thread_irs(outdir)
    finally:
        shutil.rmtree(outdir, ignore_errors=True)
    others = {k: v for k, v in irs.items() if k != 1}
    if not others:
        raise IrError("%s: no per-thread callgrind output (see %s)" % (tag, b.rel(logf)))
    worker_ir = max(others.values())
    totals = None
    if program.startswith("testpmd"):
        m = ACCUM_RE.search(text)
        if not m:
            raise IrError("%s: testpmd printed no accumulated statistics (see %s)" %
                          (tag, b.rel(logf)))
        packets = int(m.group(1))
    else:
        m = b.SUMMARY_RE.search(text)
        if not m:
            raise IrError("%s: dpsflow printed no summary (see %s)" % (tag, b.rel(logf)))
        summary = json.loads(m.group(0))
        totals = {k: sum(p[k] for p in summary["ports"])
                  for k in ("rx_packets", "sample_pool", "samples", "drops", "exported")}
        packets = totals["rx_packets"]
    if packets <= 0:
        raise IrError("%s: no packet forwarded (see %s)" % (tag, b.rel(logf)))
    if totals and n and n >= 100 and totals["drops"]:
        # a dropped sample skips the copy into the ring: the count would flatter dpsflow
        raise IrError("%s: %d of %d samples dropped under valgrind (see %s)" %
                      (tag, totals["drops"], totals["samples"], b.rel(logf)))
    return worker_ir, packets, totals, " ".join(vg[:4] + ["--callgrind-out-file=cg.%p"] + cmd)


def run_suite(b, ctx):
    """b: the bench module (process discipline, paths); writes ceiling_ir.csv."""
    if not shutil.which("valgrind"):
        raise IrError("valgrind not found")
    if not ctx.testpmd:
        raise IrError("dpdk-testpmd not found (Debian package dpdk)")
    arms = ARMS_SMOKE if ctx.smoke else ARMS_FULL
    seconds = 4 if ctx.smoke else int(os.environ.get("BENCH_IR_SECONDS", "20"))
    sets = b.traffic_sets(ctx, ["null"] if ctx.smoke else ["null", "pcap"])
    rows = []
    for t, (vdevs, ports) in sets.items():
        base = None
        for program, n in arms:
            tag = "ceiling-ir-%s-%s%s" % (t, program, "" if n is None else "-N%d" % n)
            ir, packets, tot, cmd = _run_point(b, ctx, tag, vdevs, ports, program, n, seconds)
            per = ir / packets
            if program == "testpmd":
                base = per
            label = program if n is None else "dpsflow N=%s" % (n or "off")
            ratio = base / per
            rows.append({
                "traffic": t, "program": label, "worker_instructions": ir, "packets": packets,
                "instructions_per_packet": "%.3f" % per, "ratio_to_testpmd": "%.4f" % ratio,
                "samples": tot["samples"] if tot else "", "exported": tot["exported"] if tot
                else "", "pool_over_N": "%.0f" % (tot["sample_pool"] / n) if tot and n else "",
                "drops": tot["drops"] if tot else "", "reproduce": cmd})
            print("  ceiling-ir %-4s %-18s %8.3f instructions/packet over %d packets  "
                  "ratio %.4f" % (t, label, per, packets, ratio), flush=True)
    b.write_csv(ctx, "ceiling_ir.csv", list(rows[0].keys()), rows)
    return None
