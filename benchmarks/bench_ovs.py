"""Suite 'ovs' of benchmarks/bench.py: stock OVS-DPDK sFlow vs the dpsflow offload.

Same machine, same PMD core (1), same traffic, same OVS version (3.1.0):
  stock    Debian's ovs-vswitchd-dpdk, sFlow configured with ovs-vsctl (the sample action
           draws a random number per packet and upcalls on the PMD for every sample)
  patched  ovs_patches/ build with other_config:sflow-offload-ring and dpsflow draining it
Traffic: 'null' (net_null0 <-> net_null1, 64 B, both directions) and 'vxlan' (net_pcap
replaying the test suite's VXLAN frames endlessly on p0, forwarded to a null p1).
N in {off, 10000, 1000, 100, 10}. Per run and traffic both variants are started in turn (A/B
interleaved per run) and every N is measured on the same instance: Mpps = packets the PMD
received over the measured seconds (pmd-stats-show). The ratio is each point's Mpps over the
same variant's 'off' Mpps of the same run, then the median over runs.
Samples: for the patched variant, written / (pool / N) and drops from the ring file's exact
counters; dpsflow's summary must account for every written sample.
"""
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "tests", "ovs"))
from ovs_sandbox import OvsSandbox  # noqa: E402
import ring_file  # noqa: E402

STOCK = "/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk"
RATES = ["off", "10000", "1000", "100", "10"]


class OvsBenchError(Exception):
    pass


def _traffic(ctx, which):
    if which == "null":
        return ("net_null0,size=64", "net_null1,size=64")
    pcap = os.path.join(ctx.build, "tests", "dpdk_app", "vxlan.pcap")
    if not os.path.exists(pcap):
        raise OvsBenchError("missing %s (build the tests)" % pcap)
    return ("net_pcap0,rx_pcap=%s,infinite_rx=1,tx_pcap=/dev/null" % pcap,
            "net_null1,size=64")


def _set_rate(ovs, n):
    ovs.vsctl("clear", "bridge", "br0", "sflow")
    if n != "off":
        ovs.vsctl("--", "--id=@s", "create", "sflow", "agent=lo", 'target="127.0.0.1:6343"',
                  "header=128", "sampling=%s" % n, "polling=30", "--", "set", "bridge", "br0",
                  "sflow=@s")


def _measure(ovs, seconds):
    ovs.appctl("dpif-netdev/pmd-stats-clear")
    t0 = time.monotonic()
    time.sleep(seconds)
    out = ovs.appctl("dpif-netdev/pmd-stats-show")
    dt = time.monotonic() - t0
    pkts = 0
    in_pmd = False
    for line in out.splitlines():
        if line.startswith("pmd thread"):
            in_pmd = True
        elif line.startswith("main thread"):
            in_pmd = False
        elif in_pmd and line.strip().startswith("packets received:"):
            pkts += int(line.split(":")[1])
    return pkts / dt / 1e6


def _ring_totals(ring):
    try:
        st = ring_file.read(ring)
    except (OSError, ValueError):
        return (0, 0, 0)
    return (sum(s["pool"] for s in st), sum(s["samples"] for s in st),
            sum(s["drops"] for s in st))


def _instance(ctx, variant, traffic, run, rates, seconds, rows, log):
    prefix = os.path.join(ctx.build, "ovs", "prefix")
    ovs = OvsSandbox(prefix, "dpsb%s" % variant[0],
                     vswitchd=STOCK if variant == "stock" else None, main_cpus="0")
    ring = "/dev/hugepages/dps-bench-%d.ring" % os.getpid()
    file_prefix = "dpsb-ovs-%d-%d" % (os.getpid(), run)
    dps = None
    try:
        ovs.start()
        if variant == "patched":
            ovs.vsctl("set", "Open_vSwitch", ".", "other_config:sflow-offload-ring=" + ring)
        p0, p1 = _traffic(ctx, traffic)
        ovs.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                  "--", "add-port", "br0", "p0", "--", "set", "Interface", "p0", "type=dpdk",
                  "ofport_request=1", "options:dpdk-devargs=" + p0,
                  "--", "add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dpdk",
                  "ofport_request=2", "options:dpdk-devargs=" + p1)
        ovs.ofctl("del-flows", "br0")
        ovs.ofctl("add-flow", "br0", "in_port=1,actions=output:2")
        ovs.ofctl("add-flow", "br0", "in_port=2,actions=output:1")
        if variant == "patched":
            conf = os.path.join(ctx.logs, "ovs-dpsflow.conf")
            with open(conf, "w") as f:
                f.write("sflow {\n  agent.cidr = 127.0.0.0/8\n  polling = 0\n"
                        "  collector { ip = 127.0.0.1 udpport = %d }\n}\n"
                        "ovs {\n  ring = %s\n  db = unix:%s\n}\n" %
                        (ctx.sink.port, ring, ovs.db))
            duration = int(len(rates) * (seconds + 3) + 10)
            cmd = [ctx.dpsflow, "--no-pci", "--file-prefix", file_prefix,
                   "-l", "0", "--log-level", "lib.eal:error", "--", "--config", conf,
                   "--duration", str(duration)]
            dps = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=open(log, "a"),
                                   text=True, env=dict(os.environ, PATH=ovs.env["PATH"]))
        time.sleep(2)  # ports up, flows installed
        for n in rates:
            _set_rate(ovs, n)
            time.sleep(1.5 if not ctx.smoke else 0.5)
            before = _ring_totals(ring)
            mpps = _measure(ovs, seconds)
            after = _ring_totals(ring)
            pool, written, drops = (a - b for a, b in zip(after, before))
            rows.append({"run": run, "traffic": traffic, "variant": variant, "N": n,
                         "mpps": "%.3f" % mpps,
                         "pool": pool if variant == "patched" and n != "off" else "",
                         "written": written if variant == "patched" and n != "off" else "",
                         "ring_drops": drops if variant == "patched" and n != "off" else "",
                         "expected": "%.0f" % (pool / int(n)) if variant == "patched" and
                         n != "off" else "", "dpsflow_read": "", "dpsflow_exported": ""})
            print("   %s %s run %d N=%s: %.2f Mpps" % (traffic, variant, run, n, mpps),
                  flush=True)
        if dps is not None:
            ovs.vsctl("clear", "bridge", "br0", "sflow")
            time.sleep(1)
            total = _ring_totals(ring)
            dps.terminate()
            out, _ = dps.communicate(timeout=60)
            summ = [json.loads(l) for l in out.splitlines()
                    if l.startswith('{"type":"summary"')]
            if not summ or "ovs" not in summ[0]:
                raise OvsBenchError("dpsflow gave no summary (log %s)" % log)
            o = summ[0]["ovs"]
            if o["records"] != total[1]:
                raise OvsBenchError("dpsflow read %d records, OVS wrote %d" %
                                    (o["records"], total[1]))
            rows.append({"run": run, "traffic": traffic, "variant": "patched-total",
                         "N": "all", "mpps": "", "pool": total[0], "written": total[1],
                         "ring_drops": total[2], "expected": "",
                         "dpsflow_read": o["records"], "dpsflow_exported": o["exported"]})
            dps = None
    finally:
        if dps is not None:
            dps.kill()
            dps.communicate()
        ovs.stop()
        # dpsflow's hugepage files and runtime directory (DPDK leaves them behind)
        for f in glob.glob("/dev/hugepages/%s*" % file_prefix) + [ring]:
            try:
                os.unlink(f)
            except OSError:
                pass
        shutil.rmtree("/var/run/dpdk/" + file_prefix, ignore_errors=True)


def _all_runs(ctx, rates, traffics, seconds, rows, log):
    for run in range(1, ctx.runs + 1):
        for traffic in traffics:
            for variant in ("stock", "patched"):
                try:
                    _instance(ctx, variant, traffic, run, rates, seconds, rows, log)
                except (OvsBenchError, RuntimeError, subprocess.SubprocessError) as e:
                    raise OvsBenchError("%s %s run %d: %s" % (variant, traffic, run, e))


def run_suite(ctx, write_csv):
    prefix = os.path.join(ctx.build, "ovs", "prefix", "sbin", "ovs-vswitchd")
    if not os.access(prefix, os.X_OK):
        return "skipped: no patched OVS in %s (ovs_patches/build-ovs.sh %s)" % (
            os.path.dirname(os.path.dirname(os.path.dirname(prefix))),
            os.path.join(ctx.build, "ovs"))
    if not os.access(STOCK, os.X_OK):
        return "skipped: Debian's %s is missing (openvswitch-switch-dpdk)" % STOCK
    rates = ["off", "1000"] if ctx.smoke else RATES
    traffics = ["null"] if ctx.smoke else ["null", "vxlan"]
    seconds = 1 if ctx.smoke else max(3, ctx.seconds // 2)
    rows = []
    log = ctx.log("ovs.log")
    # everything but the PMD (this script, ovs-appctl, ovsdb-server, ovs-vswitchd's other
    # threads, dpsflow) on core 0: core 1 belongs to the PMD alone, as on a tuned host
    saved_affinity = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {0})
    try:
        _all_runs(ctx, rates, traffics, seconds, rows, log)
    finally:
        os.sched_setaffinity(0, saved_affinity)
    write_csv(ctx, "ovs_runs.csv", list(rows[0].keys()), rows)
    summary = []
    for traffic in traffics:
        for variant in ("stock", "patched"):
            for n in rates:
                pts = [r for r in rows if r["traffic"] == traffic and r["variant"] == variant
                       and r["N"] == n]
                base = {r["run"]: float(r["mpps"]) for r in rows if r["traffic"] == traffic
                        and r["variant"] == variant and r["N"] == "off"}
                ratios = [float(r["mpps"]) / base[r["run"]] for r in pts if base[r["run"]]]
                written = sum(int(r["written"] or 0) for r in pts)
                expected = sum(float(r["expected"] or 0) for r in pts)
                summary.append({
                    "traffic": traffic, "variant": variant, "N": n,
                    "mpps_median": "%.3f" % statistics.median(float(r["mpps"]) for r in pts),
                    "ratio_to_off_median": "%.4f" % statistics.median(ratios),
                    "runs_mpps": ";".join(r["mpps"] for r in pts),
                    "samples_written": written if variant == "patched" and n != "off" else "",
                    "samples_expected": "%.0f" % expected if variant == "patched" and
                    n != "off" else "",
                    "ring_drops": sum(int(r["ring_drops"] or 0) for r in pts)
                    if variant == "patched" and n != "off" else ""})
    write_csv(ctx, "ovs.csv", list(summary[0].keys()), summary)
    return None


def sample_cost(ctx, callgrind, write_csv):
    """callgrind instructions per 32-packet batch for the sFlow action, stock vs offload
    (benchmarks/bench_ovs_sample.c linked with the patched tree's libopenvswitch)."""
    obj = os.path.join(ctx.build, "ovs", "obj")
    lib = os.path.join(obj, "lib", ".libs", "libopenvswitch.a")
    if not os.path.exists(lib):
        return "skipped: no %s" % lib
    libs = ""
    with open(os.path.join(obj, "Makefile")) as f:
        for line in f:
            if line.startswith("LIBS ="):
                libs = line.split("=", 1)[1].split()
    exe = os.path.join(ctx.logs, "bench_ovs_sample")
    src = os.path.join(obj, "..", "src")
    cmd = (["gcc", "-O2", "-g", "-I" + obj, "-I" + src, "-I" + os.path.join(src, "include"),
            "-I" + os.path.join(obj, "include"), "-I" + os.path.join(src, "lib"),
            "-I" + os.path.join(obj, "lib"), "-I/usr/include/dpdk",
            "-I/usr/include/x86_64-linux-gnu/dpdk", "-include", "rte_config.h", "-mssse3",
            "-o", exe, os.path.join(HERE, "bench_ovs_sample.c"), lib] + libs +
           ["-lssl", "-lcrypto", "-lcap-ng", "-lpthread", "-lrt"])
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise OvsBenchError("bench_ovs_sample build failed: %s" % p.stderr[-500:])
    iters = 2000 if ctx.smoke else 20000
    rows = []
    for n in ("1000", "100", "10"):
        run = [exe, str(iters), n]
        for fn, label in (("run_stock", "stock (no upcall counted)"),
                          ("run_offload", "offload")):
            ir, full, _ = callgrind(run, fn)
            per_batch = ir / iters
            rows.append({"N": n, "path": label, "instructions_per_batch": "%.1f" % per_batch,
                         "instructions_per_packet": "%.2f" % (per_batch / 32),
                         "command": full})
    write_csv(ctx, "ovs_sample_cost.csv", list(rows[0].keys()), rows)
    return None
