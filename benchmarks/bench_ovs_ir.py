"""Suite ovs-ir: what sFlow costs the OVS-DPDK PMD thread, in instructions per packet.

Why: the 'ovs' and 'ovs-ratio' suites time the PMD, and on this shared VM a point's Mpps
moves by ±15 %, so a 1-2 % goal cannot be decided from them. Here ovs-vswitchd (the
ovs_patches/ build) runs under callgrind, which counts the instructions each thread retires
whatever else the host runs; the PMD thread's instructions over a window, divided by the
packets it processed in that window, is exact and repeatable. Ratio = instructions/packet
with sFlow off over instructions/packet with sFlow on: the Mpps ratio at equal cycles per
instruction.

Variants, measured one after the other as windows of ONE ovs-vswitchd instance (one PMD,
net_null0 <-> net_null1, 64-byte frames, in_port=1->2 / 2->1 flows):
  off           no sFlow
  offload N     sFlow 1:N with other_config:sflow-offload-ring, dpsflow draining the ring
                (dpsflow runs natively, outside valgrind, as it would on its own core)
  ovs-own N     sFlow 1:N without the ring: OVS's own sFlow path, which the patches leave
                as stock (random draw per packet, upcall on the PMD per sample)
  off-again     no sFlow, measured last: the A/A control
One instance because the classifier's cost per packet depends on where the flow landed in
its cuckoo hash: two instances of the same configuration were seen 2.5 instructions/packet
(0.5 %) apart, as much as the effect measured. Switching sFlow modifies the datapath flows in
place (same match, new actions), so every window sees the same placement; off-again shows it.

Window: `callgrind_control -z` zeroes the counters, W seconds later `callgrind_control -d`
dumps them (10 s after each reconfiguration, when revalidation and its upcalls are over).
Packets = calls the PMD made to its per-packet classifier entry in that dump
(dp_netdev_simple_match_lookup for these in_port-only flows), cross-checked against
pmd-stats-show; in offload windows the ring must show samples written and no drop (a drop is
cheaper than a write and would flatter the count).

Under valgrind DPDK runs with `--no-huge -m 1024 --legacy-mem` and only here: valgrind
cannot host DPDK's hugepage VA reservations, and --legacy-mem stops OVS from adding
--in-memory. Everything else is slow under valgrind (~50x), so the OVSDB and control
commands get long timeouts, and the ports are added last, once the bridge and flows exist
(a busy PMD shares valgrind's one CPU with the main thread).
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

from cg_files import calls, total_ir

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "tests", "ovs"))
from ovs_sandbox import OvsSandbox  # noqa: E402
from bench_ovs import remove_dpsflow_files, ring_totals, write_dpsflow_conf  # noqa: E402

# (label, how, N) in the order measured, all on one instance; "off-again" is the A/A control
VARIANTS_FULL = [("off", "off", 0), ("offload", "offload", 1000), ("offload", "offload", 100),
                 ("ovs-own", "ovs-own", 1000), ("ovs-own", "ovs-own", 100),
                 ("off-again", "off", 0)]
VARIANTS_SMOKE = [("off", "off", 0), ("offload", "offload", 100)]
# per-packet classifier entries: the simple-match lookup serves in_port-only flows; otherwise
# every packet is parsed by miniflow_extract (which OVS's own sFlow path also calls once per
# sample, for the upcall, so it only counts when the simple match saw nothing)
SIMPLE_MATCH, EXTRACT = "dp_netdev_simple_match_lookup", "miniflow_extract"
SLOW = 300          # seconds any OVS command may take under valgrind


class OvsIrError(Exception):
    pass


class _VgSandbox(OvsSandbox):
    """OvsSandbox with ovs-vswitchd under callgrind and DPDK without hugepages."""

    def __init__(self, prefix, cg_out, log):
        super().__init__(prefix, "dpsir")
        self.cg_out, self.vg_log, self.vg = cg_out, log, None

    def vsctl(self, *args, **kw):
        return self._run([self.tool("ovs-vsctl"), "--db=unix:" + self.db,
                          "--timeout=%d" % SLOW] + list(args), timeout=SLOW + 20, **kw)

    def appctl(self, *args, **kw):
        return self._run([self.tool("ovs-appctl"), "--timeout=%d" % SLOW] + list(args),
                         timeout=SLOW + 20, **kw)

    def ofctl(self, *args, **kw):
        return self._run([self.tool("ovs-ofctl")] + list(args), timeout=SLOW, **kw)

    def start_db(self):
        super().start_db()
        self.vsctl("--no-wait", "remove", "Open_vSwitch", ".", "other_config",
                   "dpdk-socket-mem", "dpdk-socket-limit")
        self.vsctl("--no-wait", "set", "Open_vSwitch", ".",
                   "other_config:dpdk-extra=--no-pci --file-prefix %s --no-huge -m 1024 "
                   "--legacy-mem" % self.file_prefix)

    def start_vswitchd(self):
        args = ["ip", "netns", "exec", self.netns, "timeout", "-s", "TERM", "-k", "60",
                "1800", "valgrind", "--tool=callgrind", "--fair-sched=yes",
                "--separate-threads=yes", "--callgrind-out-file=" + self.cg_out,
                self.vswitchd, "unix:" + self.db, "--pidfile", "--log-file"]
        with open(self.vg_log, "wb") as out:
            self.vg = subprocess.Popen(args, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + SLOW
        while self.pid("ovs-vswitchd") is None:
            if self.vg.poll() is not None or time.monotonic() > deadline:
                raise OvsIrError("ovs-vswitchd under valgrind did not start (see %s)" %
                                 self.vg_log)
            time.sleep(0.5)

    def stop(self, keep=False):
        super().stop(keep)
        if self.vg is not None:
            try:
                self.vg.wait(120)
            except subprocess.TimeoutExpired:
                self.vg.kill()
                self.vg.wait()


def _set_variant(ovs, ctx, variant, n, ring):
    """sFlow off / offloaded 1:n / OVS's own 1:n, on the running instance. The datapath
    flows are modified in place (same match, new actions), so the classifier's work per
    packet stays the same across windows."""
    if variant == "offload":
        ovs.vsctl("set", "Open_vSwitch", ".", "other_config:sflow-offload-ring=" + ring)
    else:
        ovs.vsctl("remove", "Open_vSwitch", ".", "other_config", "sflow-offload-ring")
    ovs.vsctl("clear", "bridge", "br0", "sflow")
    if n:
        ovs.vsctl("--", "--id=@s", "create", "sflow", "agent=lo",
                  'target="127.0.0.1:%d"' % ctx.sink.port, "header=128",
                  "sampling=%d" % n, "polling=30", "--", "set", "bridge", "br0", "sflow=@s")


def _window(ovs, pid, tmp, dump_no, seconds, ring, tag, logs):
    """Zero the counters, let the PMD run `seconds`, dump; returns the PMD's (Ir, packets,
    pmd-stats packets, ring totals delta)."""
    control = ["callgrind_control"]
    t_zero = time.monotonic()
    subprocess.run(control + ["-z", str(pid)], capture_output=True, text=True, timeout=SLOW)
    p0, ring0 = ovs.pmd_packets(), ring_totals(ring)
    t_first = time.monotonic()
    time.sleep(seconds)
    t_last = time.monotonic()
    p1, ring1 = ovs.pmd_packets(), ring_totals(ring)
    r = subprocess.run(control + ["-d", str(pid)], capture_output=True, text=True,
                       timeout=SLOW)
    t_dump = time.monotonic()
    if r.returncode != 0:
        raise OvsIrError("callgrind_control -d failed: %s" % (r.stderr or r.stdout)[-300:])
    dumps = []
    for _ in range(60):   # callgrind_control returns once the dump is requested
        dumps = glob.glob(os.path.join(tmp, "cg.%d.%d-*" % (pid, dump_no)))
        if dumps and max(total_ir(d) for d in dumps) > 0:
            break
        time.sleep(1)
    if not dumps:
        raise OvsIrError("%s: no callgrind dump" % tag)
    pmd = max(dumps, key=total_ir)
    # kept for callgrind_annotate (logs/ is not in git)
    shutil.copy(pmd, os.path.join(logs, "ovs-ir-%s.pmd.callgrind" % tag))
    packets = calls(pmd, (SIMPLE_MATCH,)) or calls(pmd, (EXTRACT,))
    stats = p1 - p0
    # The stats are read over the control socket inside the zero/dump window, and each
    # round trip takes a while under valgrind: the stats' window lies within the dump's and
    # covers at least [t_first, t_last]. So at a steady rate
    #     stats <= packets <= stats * (t_dump - t_zero) / (t_last - t_first),
    # with 5 % of slack for rate changes; a fixed tolerance failed whenever the round trips
    # were slow.
    longest = stats * (t_dump - t_zero) / (t_last - t_first)
    if packets <= 0 or packets < 0.95 * stats or packets > 1.05 * longest:
        raise OvsIrError("%s: %d packets in the dump, pmd-stats-show says %d (at most %d "
                         "expected over the dump's %.1f s)" %
                         (tag, packets, stats, longest, t_dump - t_zero))
    return total_ir(pmd), packets, stats, tuple(b - a for a, b in zip(ring0, ring1))


def _measure_all(ctx, variants, seconds, settle, logs):
    prefix = os.path.join(ctx.build, "ovs", "prefix")
    tmp = tempfile.mkdtemp(prefix="dps-ovsir-", dir=ctx.logs)
    ovs = _VgSandbox(prefix, os.path.join(tmp, "cg.%p"),
                     os.path.join(logs, "ovs-ir.valgrind.log"))
    ring = "/dev/hugepages/dps-ovsir-%d.ring" % os.getpid()
    dps_prefix = "dpsb-ovsir-%d" % os.getpid()
    dps = None
    out = []
    try:
        ovs.start()
        pid = ovs.pid("ovs-vswitchd")
        ovs.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev")
        ovs.ofctl("del-flows", "br0")
        ovs.ofctl("add-flow", "br0", "in_port=1,actions=output:2")
        ovs.ofctl("add-flow", "br0", "in_port=2,actions=output:1")
        # dpsflow (native, as on its own core) follows the ring whenever OVS has it
        conf = write_dpsflow_conf(os.path.join(logs, "ovs-ir-dpsflow.conf"), ctx.sink.port,
                                  ring, ovs.db)
        cmd = ["timeout", "-s", "INT", "-k", "10", "3600", ctx.dpsflow, "--no-pci",
               "--file-prefix", dps_prefix, "-l", "0", "--log-level", "lib.eal:error",
               "--", "--config", conf]
        dps = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=open(
            os.path.join(logs, "ovs-ir.dpsflow.err"), "wb"), text=True,
            env=dict(os.environ, PATH=ovs.env["PATH"]))
        ovs.vsctl("add-port", "br0", "p0", "--", "set", "Interface", "p0", "type=dpdk",
                  "ofport_request=1", "options:dpdk-devargs=net_null0,size=64",
                  "--", "add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dpdk",
                  "ofport_request=2", "options:dpdk-devargs=net_null1,size=64")
        for dump_no, (label, variant, n) in enumerate(variants, 1):
            _set_variant(ovs, ctx, variant, n, ring)
            time.sleep(settle)       # revalidation has modified the flows; upcalls are over
            ir, packets, stats, ring_delta = _window(ovs, pid, tmp, dump_no, seconds, ring,
                                                     "%s-%s" % (label, n or "off"), logs)
            pool, written, drops = ring_delta
            if variant == "offload" and (written == 0 or drops):
                # a full ring's drop path is cheaper than a write: the count would flatter
                raise OvsIrError("%s 1:%d: %d samples written, %d ring drops in the window" %
                                 (label, n, written, drops))
            out.append({"variant": label, "N": n or "off", "pmd_instructions": ir,
                        "packets": packets, "pmd_stats_packets": stats,
                        "ring_written": written if variant == "offload" else "",
                        "ring_drops": drops if variant == "offload" else "",
                        "instructions_per_packet": ir / packets})
        return out
    finally:
        if dps is not None:
            dps.send_signal(2)
            try:
                dps.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                dps.kill()
                dps.communicate()
        ovs.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        remove_dpsflow_files(dps_prefix, ring)


def run_suite(ctx, write_csv):
    vswitchd = os.path.join(ctx.build, "ovs", "prefix", "sbin", "ovs-vswitchd")
    if not os.access(vswitchd, os.X_OK):
        return "skipped: no patched OVS in %s" % os.path.dirname(os.path.dirname(vswitchd))
    for tool in ("valgrind", "callgrind_control"):
        if not shutil.which(tool):
            raise OvsIrError("%s not found" % tool)
    variants = VARIANTS_SMOKE if ctx.smoke else VARIANTS_FULL
    seconds = 5 if ctx.smoke else int(os.environ.get("BENCH_OVS_IR_SECONDS", "30"))
    results = _measure_all(ctx, variants, seconds, 5 if ctx.smoke else 10, ctx.logs)
    base = results[0]["instructions_per_packet"]
    rows = []
    for r in results:
        ratio = base / r["instructions_per_packet"]
        rows.append({"variant": r["variant"], "N": r["N"],
                     "instructions_per_packet": "%.3f" % r["instructions_per_packet"],
                     "ratio_to_off": "%.4f" % ratio, "pmd_instructions": r["pmd_instructions"],
                     "packets": r["packets"], "pmd_stats_packets": r["pmd_stats_packets"],
                     "samples_written": r["ring_written"], "ring_drops": r["ring_drops"],
                     "window_s": seconds})
        print("  ovs-ir %-8s N=%-5s %8.2f instructions/packet over %d packets  ratio %.4f" %
              (r["variant"], r["N"], r["instructions_per_packet"], r["packets"], ratio),
              flush=True)
    write_csv(ctx, "ovs_ir.csv", list(rows[0].keys()), rows)
    return None
