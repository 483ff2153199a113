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


def write_dpsflow_conf(path, sink_port, ring, db):
    """dpsflow's config for the offload: the ring, OVSDB, one collector (the sink)."""
    with open(path, "w") as f:
        f.write("sflow {\n  agent.cidr = 127.0.0.0/8\n  polling = 0\n"
                "  collector { ip = 127.0.0.1 udpport = %d }\n}\n"
                "ovs {\n  ring = %s\n  db = unix:%s\n}\n" % (sink_port, ring, db))
    return path


def remove_dpsflow_files(file_prefix, ring):
    """dpsflow's hugepage files and EAL runtime directory (DPDK leaves them behind), and the
    ring file."""
    for f in glob.glob("/dev/hugepages/%s*" % file_prefix) + [ring]:
        try:
            os.unlink(f)
        except OSError:
            pass
    shutil.rmtree("/var/run/dpdk/" + file_prefix, ignore_errors=True)


def _traffic(ctx, which):
    if which == "null":
        return ("net_null0,size=64", "net_null1,size=64")
    pcap = os.path.join(ctx.build, "tests", "dpdk_app", "vxlan.pcap")
    if not os.path.exists(pcap):
        raise OvsBenchError("missing %s (build the tests)" % pcap)
    return ("net_pcap0,rx_pcap=%s,infinite_rx=1,tx_pcap=/dev/null" % pcap,
            "net_null1,size=64")


def _is_off(n):
    """'off', or 'off2' (the A/A control of the interleaved suite: sFlow off again)."""
    return n.startswith("off")


def _set_rate(ovs, n):
    ovs.vsctl("clear", "bridge", "br0", "sflow")
    if not _is_off(n):
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


def forwarding_bridge(ovs, p0, p1):
    """br0 (userspace datapath) with DPDK ports p0 (ofport 1) and p1 (ofport 2) on the given
    devargs, and in_port-only flows forwarding each to the other."""
    ovs.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
              "--", "add-port", "br0", "p0", "--", "set", "Interface", "p0", "type=dpdk",
              "ofport_request=1", "options:dpdk-devargs=" + p0,
              "--", "add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dpdk",
              "ofport_request=2", "options:dpdk-devargs=" + p1)
    ovs.ofctl("del-flows", "br0")
    ovs.ofctl("add-flow", "br0", "in_port=1,actions=output:2")
    ovs.ofctl("add-flow", "br0", "in_port=2,actions=output:1")


def start_dpsflow(ctx, ovs, ring, file_prefix, conf_name, duration, log):
    """dpsflow on core 0 draining the ring of the sandbox 'ovs' (config written to
    logs/conf_name), stopped by itself after 'duration' seconds; returns the process (stdout
    piped for its summary, stderr appended to 'log') and its command line."""
    conf = write_dpsflow_conf(os.path.join(ctx.logs, conf_name), ctx.sink.port, ring, ovs.db)
    cmd = [ctx.dpsflow, "--no-pci", "--file-prefix", file_prefix, "-l", "0",
           "--log-level", "lib.eal:error", "--", "--config", conf, "--duration", str(duration)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=open(log, "a"), text=True,
                            env=dict(os.environ, PATH=ovs.env["PATH"]))
    return proc, " ".join(cmd)


def stop_dpsflow(ovs, dps, ring, log):
    """Switches sFlow off, stops dpsflow and checks that it read every record OVS wrote;
    returns dpsflow's 'ovs' summary and the ring's final (pool, written, drops)."""
    ovs.vsctl("clear", "bridge", "br0", "sflow")
    time.sleep(1)
    total = ring_totals(ring)
    dps.terminate()
    out, _ = dps.communicate(timeout=60)
    summ = [json.loads(l) for l in out.splitlines() if l.startswith('{"type":"summary"')]
    if not summ or "ovs" not in summ[0]:
        raise OvsBenchError("dpsflow gave no summary (log %s)" % log)
    o = summ[0]["ovs"]
    if o["records"] != total[1]:
        raise OvsBenchError("dpsflow read %d records, OVS wrote %d" % (o["records"], total[1]))
    return o, total


def ring_totals(ring):
    try:
        st = ring_file.read(ring)
    except (OSError, ValueError):
        return (0, 0, 0)
    return (sum(s["pool"] for s in st), sum(s["samples"] for s in st),
            sum(s["drops"] for s in st))


def _instance(ctx, variant, traffic, run, rates, seconds, rows, log, settle=None):
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
        forwarding_bridge(ovs, *_traffic(ctx, traffic))
        if variant == "patched":
            dps, _ = start_dpsflow(ctx, ovs, ring, file_prefix, "ovs-dpsflow.conf",
                                   int(len(rates) * (seconds + 3) + 10), log)
        time.sleep(2)  # ports up, flows installed
        for n in rates:
            _set_rate(ovs, n)
            time.sleep(settle if settle is not None else 1.5 if not ctx.smoke else 0.5)
            before = ring_totals(ring)
            mpps = _measure(ovs, seconds)
            after = ring_totals(ring)
            pool, written, drops = (a - b for a, b in zip(after, before))
            sampled = variant == "patched" and not _is_off(n)
            rows.append({"run": run, "traffic": traffic, "variant": variant, "N": n,
                         "mpps": "%.3f" % mpps,
                         "pool": pool if sampled else "",
                         "written": written if sampled else "",
                         "ring_drops": drops if sampled else "",
                         "expected": "%.0f" % (pool / int(n)) if sampled else "",
                         "dpsflow_read": "", "dpsflow_exported": ""})
            print("   %s %s run %d N=%s: %.2f Mpps" % (traffic, variant, run, n, mpps),
                  flush=True)
        if dps is not None:
            o, total = stop_dpsflow(ovs, dps, ring, log)
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
        remove_dpsflow_files(file_prefix, ring)


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


# ---------------------------------------------------------------- suite: ovs-ratio
#
# The 'ovs' suite measures each N once per instance, seconds apart: on this VM the PMD's
# rate drifts by tens of percent over minutes (other tenants), so a ratio of two such points
# carries that drift. This suite measures the patched OVS only, in blocks of short points
# taken back to back, with the order rotated each block (drift cancels over the rotation),
# and an A/A control: 'off2' is sFlow off again, so off2/off shows the noise floor the
# other ratios must be read against. Per block: ratio = Mpps(N) / Mpps(off) of that block;
# reported: the median over blocks and a 95 % confidence interval of that median (order
# statistics of the binomial(B, 1/2), no assumption about the noise's distribution).

RATIO_RATES = ["off", "1000", "100", "off2"]


def median_ci(values):
    """Median and a distribution-free ~95 % CI of the median: order statistics k and
    n - k + 1 with k from the binomial(n, 1/2) (normal approximation)."""
    v = sorted(values)
    n = len(v)
    k = max(1, int(n / 2 - 0.98 * n ** 0.5))
    return statistics.median(v), v[k - 1], v[n - k]


def neighbour_ratios(segments, off):
    """Drift-cancelled ratios from segments [(key, rate or None)] in time order, where the
    sampled segments alternate with off ones (key == off). Per sampled key, each rate over the
    mean of the two segments beside it (a drift linear over the three cancels); and the A/A
    control: each off rate over the mean of the off segments two away (farther apart than
    any sampled pair, so it over-states the noise, never under-states it)."""
    by_key, aa = {}, []
    for i, (key, rate) in enumerate(segments):
        step = 2 if key == off else 1
        if not step <= i < len(segments) - step:
            continue
        lo, hi = segments[i - step][1], segments[i + step][1]
        if rate and lo and hi:
            (aa if key == off else by_key.setdefault(key, [])).append(rate / ((lo + hi) / 2))
    return by_key, aa


def run_ratio_suite(ctx, write_csv):
    prefix = os.path.join(ctx.build, "ovs", "prefix", "sbin", "ovs-vswitchd")
    if not os.access(prefix, os.X_OK):
        return "skipped: no patched OVS in %s" % os.path.dirname(os.path.dirname(prefix))
    blocks = 2 if ctx.smoke else max(12, ctx.runs * 4)
    seconds = 1 if ctx.smoke else 2
    traffics = ["null"] if ctx.smoke else ["null", "vxlan"]
    schedule = []
    for b in range(blocks):
        k = b % len(RATIO_RATES)
        schedule += RATIO_RATES[k:] + RATIO_RATES[:k]
    rows = []
    log = ctx.log("ovs-ratio.log")
    saved_affinity = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {0})
    try:
        for traffic in traffics:
            try:
                _instance(ctx, "patched", traffic, 1, schedule, seconds, rows, log, settle=1.0)
            except (OvsBenchError, RuntimeError, subprocess.SubprocessError) as e:
                raise OvsBenchError("patched %s: %s" % (traffic, e))
    finally:
        os.sched_setaffinity(0, saved_affinity)
    # rows: each traffic's points in schedule order, then its 'patched-total' row
    per, count = len(RATIO_RATES), 0
    for r in rows:
        r["block"] = ""
        if r["variant"] == "patched":
            r["block"] = (count % (blocks * per)) // per + 1
            count += 1
    points = [r for r in rows if r["variant"] == "patched"]
    write_csv(ctx, "ovs_ratio_runs.csv", list(rows[0].keys()), rows)
    summary = []
    for traffic in traffics:
        pts = [r for r in points if r["traffic"] == traffic]
        by_block = {}
        for r in pts:
            by_block.setdefault(r["block"], {})[r["N"]] = float(r["mpps"])
        for n in RATIO_RATES[1:]:
            ratios = [b[n] / b["off"] for b in by_block.values() if b.get("off")]
            med, lo, hi = median_ci(ratios)
            sampled = [r for r in pts if r["N"] == n and not _is_off(n)]
            summary.append({
                "traffic": traffic, "N": n, "blocks": len(ratios),
                "ratio_median": "%.4f" % med, "ci95_low": "%.4f" % lo, "ci95_high": "%.4f" % hi,
                "mpps_off_median": "%.3f" % statistics.median(b["off"] for b in
                                                               by_block.values()),
                "samples_written": sum(int(r["written"]) for r in sampled) if sampled else "",
                "samples_expected": "%.0f" % sum(float(r["expected"]) for r in sampled)
                if sampled else "",
                "ring_drops": sum(int(r["ring_drops"]) for r in sampled) if sampled else ""})
    write_csv(ctx, "ovs-ratio.csv", list(summary[0].keys()), summary)
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
            "-I/usr/include/x86_64-linux-gnu/dpdk",
            "-I" + os.path.join(TOP, "tests", "dpdk_app", "ovs"),   # ovs_sflow_action.h
            "-include", "rte_config.h", "-mssse3",
            "-o", exe, os.path.join(HERE, "bench_ovs_sample.c"), lib] + libs +
           ["-lssl", "-lcrypto", "-lcap-ng", "-lpthread", "-lrt"])
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise OvsBenchError("bench_ovs_sample build failed: %s" % p.stderr[-500:])
    iters = 2000 if ctx.smoke else 20000
    rows = []
    for n in ("1000", "100", "10"):
        # one input port, and two in turn (a PMD polling two ports: each batch's flow
        # differs from the previous one's)
        for ports in ("1", "2"):
            run = [exe, str(iters), n, ports]
            for fn, label in (("run_stock", "stock (no upcall counted)"),
                              ("run_offload", "offload")):
                ir, full, _ = callgrind(run, fn)
                per_batch = ir / iters
                rows.append({"N": n, "ports": ports, "path": label,
                             "instructions_per_batch": "%.1f" % per_batch,
                             "instructions_per_packet": "%.2f" % (per_batch / 32),
                             "command": full})
    write_csv(ctx, "ovs_sample_cost.csv", list(rows[0].keys()), rows)
    return None
