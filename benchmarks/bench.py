#!/usr/bin/python3
"""dpsflow benchmark harness; run it through benchmarks/run.sh (usage there and in README.md).

Suites: ceiling (testpmd io-forward vs dpsflow forward, ratio per N), exporter (N sweep to the
exporter's drop onset), micro (callgrind instruction counts + TSC cycles of the micro benches),
ovs (stock OVS-DPDK sFlow vs the dpsflow offload, bench_ovs.py).

Process discipline: every process is started by this script with a hard bound (GNU timeout
wraps it, so it ends even if this script is killed with SIGKILL), is registered by PID, and is
stopped by PID (SIGINT, then SIGKILL) when its run ends, on error, on SIGINT/SIGTERM/SIGHUP and
at exit. Every DPDK process gets --no-pci, -l 0,1 and its own --file-prefix; its hugepage files
and runtime directory are removed by prefix once it has exited.
"""
import argparse
import csv
import datetime
import glob
import io
import json
import os
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
SUITES = ["ceiling", "ceiling-ir", "ceiling-alt", "exporter", "micro", "ovs", "ovs-ratio", "ovs-ir",
          "ovs-alt"]
START_TIMEOUT = 60          # seconds a DPDK process may take to start forwarding


class SuiteError(Exception):
    """A suite could not produce its numbers."""


class Interrupted(BaseException):
    pass


# ---------------------------------------------------------------- processes, by PID only

LIVE = {}                   # pid -> Popen
PREFIX_OF = {}              # pid -> DPDK --file-prefix of the command it wraps
_seq = [0]


def _on_signal(signum, _frame):
    raise Interrupted("signal %d" % signum)


def _children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except (OSError, ValueError):
        return []


def stop_proc(p, grace=15.0):
    """Stop a process started by start(), by PID: SIGINT to the timeout wrapper, which passes
    it on (clean DPDK shutdown: stats, summary) and SIGKILLs the command 10 s later if it is
    still there; past the grace period SIGKILL the wrapper's child and the wrapper."""
    if p.poll() is None:
        try:
            os.kill(p.pid, signal.SIGINT)
        except ProcessLookupError:
            pass
        try:
            p.wait(grace)
        except subprocess.TimeoutExpired:
            for pid in _children(p.pid) + [p.pid]:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            p.wait(10)
    LIVE.pop(p.pid, None)


def stop_all():
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    for p in list(LIVE.values()):
        try:
            stop_proc(p)
        except Exception as e:  # keep stopping the others
            print("bench: could not stop pid %d: %s" % (p.pid, e), file=sys.stderr)
    for pid, prefix in list(PREFIX_OF.items()):
        if not os.path.exists("/proc/%d" % pid):     # only once the wrapper is gone
            cleanup_prefix(prefix)


def rel(path):
    """Path as shown in commands: relative to the repository top when inside it."""
    path = os.path.abspath(path)
    return os.path.relpath(path, TOP) if path.startswith(TOP + os.sep) else path


def start(cmd, bound, stdout, stderr, prefix=None, kill_after=10):
    """Start cmd under `timeout -s INT -k kill_after bound` (cwd = repository top); returns
    Popen. kill_after: seconds from SIGINT to SIGKILL (longer under valgrind, which writes its
    profile at exit)."""
    wrapped = ["timeout", "-s", "INT", "-k", str(int(kill_after)), str(int(bound))] + cmd
    p = subprocess.Popen(wrapped, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                         cwd=TOP)
    LIVE[p.pid] = p
    if prefix:
        PREFIX_OF[p.pid] = prefix
    return p


def run_bounded(cmd, bound):
    """Run to completion within bound seconds; returns (rc, stdout, stderr)."""
    p = start(cmd, bound, subprocess.PIPE, subprocess.PIPE)
    try:
        out, err = p.communicate(timeout=bound + 15)
    except subprocess.TimeoutExpired:
        stop_proc(p)
        raise SuiteError("timed out after %ds: %s" % (bound, shlex.join(cmd)))
    finally:
        if p.poll() is not None:
            LIVE.pop(p.pid, None)
    return p.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def hugetlbfs_mounts():
    mounts = []
    try:
        with open("/proc/mounts") as f:
            for line in f:
                parts = line.split()
                if len(parts) > 2 and parts[2] == "hugetlbfs":
                    mounts.append(parts[1])
    except OSError:
        pass
    return mounts


def hugepages_available():
    try:
        with open("/proc/sys/vm/nr_hugepages") as f:
            return int(f.read().strip() or 0) > 0 and bool(hugetlbfs_mounts())
    except (OSError, ValueError):
        return False


def new_prefix(tag):
    _seq[0] += 1
    return "dpsb-%s-%d-%d" % (tag, os.getpid(), _seq[0])


def cleanup_prefix(prefix):
    """Remove what an exited DPDK process with this (our own, unique) prefix left behind."""
    for m in hugetlbfs_mounts():
        for f in glob.glob(os.path.join(m, glob.escape(prefix) + "map_*")):
            try:
                os.unlink(f)
            except OSError:
                pass
    shutil.rmtree(os.path.join("/var/run/dpdk", prefix), ignore_errors=True)
    for pid in [k for k, v in PREFIX_OF.items() if v == prefix]:
        PREFIX_OF.pop(pid, None)


def eal_args(prefix, vdevs):
    args = ["--no-pci", "--file-prefix", prefix, "-l", "0,1", "--log-level", "lib.eal:error"]
    if not hugepages_available():
        args += ["--no-huge", "-m", "512"]
    for v in vdevs:
        args += ["--vdev", v]
    return args


class Sink:
    """Blackhole sFlow collector: a UDP socket on 127.0.0.1 that is bound and never read, so
    the exporter's sends succeed (no ICMP port unreachable) and cost no collector CPU; the
    kernel discards what overflows the receive buffer."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 16)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]

    def close(self):
        self.sock.close()


# ---------------------------------------------------------------- context

class Ctx:
    def __init__(self, args):
        self.smoke = args.smoke
        self.build = os.path.abspath(args.build or os.environ.get("DPS_BUILD")
                                     or os.path.join(TOP, "build"))
        default_out = os.path.join(HERE, "results", "tmp", "smoke") if self.smoke else \
            os.path.join(HERE, "results")
        self.out = os.path.abspath(args.out or os.environ.get("BENCH_OUT") or default_out)
        if self.smoke and os.path.abspath(self.out) == os.path.join(HERE, "results"):
            raise SystemExit("bench: --smoke must not write into benchmarks/results/")
        self.logs = os.path.join(self.out, "logs")
        os.makedirs(self.logs, exist_ok=True)
        self.runs = 1 if self.smoke else int(os.environ.get("BENCH_RUNS", "3"))
        self.seconds = 1 if self.smoke else int(os.environ.get("BENCH_SECONDS", "10"))
        self.dpsflow = os.path.join(self.build, "dpdk_app", "dpsflow")
        self.testpmd = shutil.which("dpdk-testpmd")
        self.info = machine_info(self)
        self.sink = None

    def bin(self, *parts):
        return os.path.join(self.build, *parts)

    def log(self, name):
        return os.path.join(self.logs, name)


def sh(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=20,
                              cwd=TOP).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine_info(ctx):
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    commit = sh(["git", "rev-parse", "--short", "HEAD"]) or "unknown"
    if sh(["git", "status", "--porcelain", "--untracked-files=no"]):
        commit += "-dirty"
    dpdk = sh(["pkg-config", "--modversion", "libdpdk"]) or \
        sh(["dpkg-query", "-W", "-f=${Version}", "dpdk"]) or "unknown"
    try:
        load = open("/proc/loadavg").read().split()[:3]
    except OSError:
        load = []
    return [
        ("cpu", cpu or "unknown"),
        ("cores", str(os.cpu_count())),
        ("kernel", os.uname().release),
        ("dpdk", dpdk),
        ("date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("commit", commit),
        ("mode", "smoke" if ctx.smoke else "full"),
        ("hugepages", "yes" if hugepages_available() else "no (--no-huge -m 512)"),
        ("loadavg_at_start", " ".join(load)),
    ]


def write_csv(ctx, name, header, rows):
    path = os.path.join(ctx.out, name)
    with open(path, "w", newline="") as f:
        for k, v in ctx.info:
            f.write("# %s: %s\n" % (k, v))
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow([r.get(h, "") for h in header])
    return path


def read_csv(path):
    info, lines = [], []
    with open(path) as f:
        for line in f:
            if line.startswith("# ") and not lines:
                k, _, v = line[2:].rstrip("\n").partition(": ")
                info.append((k, v))
            else:
                lines.append(line)
    return info, list(csv.DictReader(io.StringIO("".join(lines))))


def fmt(x, nd=3):
    return "" if x is None else ("%.*f" % (nd, x))


# ---------------------------------------------------------------- DPDK runs

STATS_RE = re.compile(r"^dpsflow: (\S+)\s+rx\s+([\d.]+) Mpps\s+samples\s+([\d.]+)/s\s+"
                      r"drops (\d+)\s+exported (\d+)")
SUMMARY_RE = re.compile(r'\{"type":"summary".*\}\}')


def ensure_pcap(ctx):
    path = ctx.bin("pcaps", "demo_mix.pcap")
    if not os.path.exists(path):
        rc, out, err = run_bounded(["/usr/bin/python3", rel(os.path.join(TOP, "tests", "tools",
                                                                          "make_pcaps.py")),
                                    rel(ctx.bin("pcaps"))], 300)
        if rc != 0 or not os.path.exists(path):
            raise SuiteError("cannot make %s (make_pcaps.py exit %d: %s)" %
                             (rel(path), rc, (err or out).strip()[-300:]))
    return path


def traffic_sets(ctx, which):
    """name -> (vdev list, port names)."""
    sets = {}
    if "null" in which:
        sets["null"] = (["net_null0,size=64", "net_null1,size=64"], ["net_null0", "net_null1"])
    if "pcap" in which:
        pcap = rel(ensure_pcap(ctx))
        sets["pcap"] = (["net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
                         "net_pcap1,rx_pcap=%s,infinite_rx=1" % pcap],
                        ["net_pcap0", "net_pcap1"])
    return sets


def run_testpmd(ctx, tag, vdevs, nports, seconds):
    """io forward on lcore 1 (lcore 0 prints stats every second). Rate = sum over ports of
    testpmd's own Rx-pps (packets since the previous print / elapsed ns). Print 0 has no rate
    and the first second is warm-up: the median of the next `seconds` prints is the result."""
    prefix = new_prefix("tp")
    cmd = [ctx.testpmd] + eal_args(prefix, vdevs) + [
        "--", "--forward-mode=io", "--auto-start", "--stats-period=1", "--nb-cores=1",
        "--rxq=1", "--txq=1", "--burst=32", "--total-num-mbufs=8191", "--mbcache=256",
        "--no-mlockall"]
    logf = ctx.log("%s.testpmd.log" % tag)
    need = seconds + 3
    bound = START_TIMEOUT + seconds + 20
    with open(logf, "wb") as out:
        p = start(cmd, bound, out, subprocess.STDOUT, prefix)
    t0 = time.monotonic()
    try:
        while p.poll() is None and time.monotonic() - t0 < bound:
            with open(logf, "rb") as f:
                if f.read().count(b"Port statistics") >= need:
                    break
            time.sleep(0.2)
    finally:
        stop_proc(p)
        cleanup_prefix(prefix)
    text = open(logf, "rb").read().decode(errors="replace")
    blocks = []
    for chunk in text.split("Port statistics")[1:]:
        pps = [int(x) for x in re.findall(r"Rx-pps:\s+(\d+)", chunk)]
        if len(pps) == nports:
            blocks.append(sum(pps) / 1e6)
    kept = blocks[2:2 + seconds]
    if not kept or statistics.median(kept) <= 0:
        raise SuiteError("testpmd produced no rate (see %s)" % rel(logf))
    return {"mpps": statistics.median(kept), "periods": kept, "cmd": shlex.join(cmd),
            "log": rel(logf)}


def run_dpsflow(ctx, tag, vdevs, ports, n, seconds, forward, extra=()):
    """dpsflow with --stats-period 1; the first period (start-up) and the last (partial, printed
    at exit) are dropped, the median of the others is the rate."""
    prefix = new_prefix("dps")
    cmd = [rel(ctx.dpsflow)] + eal_args(prefix, vdevs) + ["--"]
    for name in ports:
        cmd += ["--port", name]
    if forward:
        cmd += ["--mode", "forward"]
    cmd += ["--sampling", str(n), "--polling", "0", "--collector",
            "127.0.0.1:%d" % ctx.sink.port, "--duration", str(seconds + 2), "--stats-period", "1"]
    cmd += list(extra)
    outf, errf = ctx.log("%s.dpsflow.out" % tag), ctx.log("%s.dpsflow.err" % tag)
    bound = START_TIMEOUT + seconds + 30
    with open(outf, "wb") as out, open(errf, "wb") as err:
        p = start(cmd, bound, out, err, prefix)
    try:
        try:
            p.wait(bound + 15)
        except subprocess.TimeoutExpired:
            pass
    finally:
        stop_proc(p)
        cleanup_prefix(prefix)
    rc = p.returncode
    m = SUMMARY_RE.search(open(outf, errors="replace").read())
    if rc != 0 or not m:
        raise SuiteError("dpsflow exit %s, summary %s (see %s)" %
                         (rc, "found" if m else "missing", rel(errf)))
    summary = json.loads(m.group(0))
    lines = [STATS_RE.match(l) for l in open(errf, errors="replace")]
    lines = [l for l in lines if l]
    periods = []
    for i in range(0, len(lines) - len(ports) + 1, len(ports)):
        group = lines[i:i + len(ports)]
        if [g.group(1) for g in group] != list(ports):
            raise SuiteError("unexpected stats lines in %s" % rel(errf))
        periods.append({"mpps": sum(float(g.group(2)) for g in group),
                        "samples_s": sum(float(g.group(3)) for g in group),
                        "drops": sum(int(g.group(4)) for g in group),
                        "exported": sum(int(g.group(5)) for g in group)})
    if len(periods) < 3:
        raise SuiteError("dpsflow printed %d stats periods, need 3 (see %s)" %
                         (len(periods), rel(errf)))
    kept = periods[1:-1]
    if statistics.median(p["mpps"] for p in kept) <= 0:
        raise SuiteError("dpsflow received nothing (see %s)" % rel(errf))
    tot = {k: sum(p[k] for p in summary["ports"])
           for k in ("rx_packets", "sample_pool", "samples", "drops", "exported", "tx_packets",
                     "tx_dropped")}
    tot["send_errors"] = sum(c["send_errors"] for c in summary["exporter"]["collectors"])
    return {"mpps": statistics.median(p["mpps"] for p in kept), "periods": kept,
            "before": periods[0], "totals": tot, "cmd": shlex.join(cmd), "log": rel(errf)}


def need_dpdk(ctx):
    if os.geteuid() != 0:
        return "skipped: needs root (hugepages, vdevs)"
    if not os.access(ctx.dpsflow, os.X_OK):
        raise SuiteError("%s not built" % rel(ctx.dpsflow))
    return None


# ---------------------------------------------------------------- suite: ceiling

CEILING_N = [0, 10000, 1000, 100, 10, 1]
CEILING_N_SMOKE = [0, 100]


def suite_ceiling(ctx):
    skip = need_dpdk(ctx)
    if skip:
        return skip
    if not ctx.testpmd:
        raise SuiteError("dpdk-testpmd not found (Debian package dpdk)")
    ns = CEILING_N_SMOKE if ctx.smoke else CEILING_N
    sets = traffic_sets(ctx, ["null", "pcap"])
    res = {(t, n): {"tp": [], "dps": []} for t in sets for n in ns}
    raw = []
    for r in range(ctx.runs):                  # runs outermost: each point spread over time
        for t, (vdevs, ports) in sets.items():
            for n in ns:                       # A/B interleaved: testpmd, dpsflow, ...
                tag = "ceiling-%s-N%d-r%d" % (t, n, r)
                tp = run_testpmd(ctx, tag, vdevs, len(ports), ctx.seconds)
                dp = run_dpsflow(ctx, tag, vdevs, ports, n, ctx.seconds, forward=True)
                res[(t, n)]["tp"].append(tp)
                res[(t, n)]["dps"].append(dp)
                print("  ceiling %-4s N=%-5s run %d: testpmd %7.3f Mpps  dpsflow %7.3f Mpps  "
                      "ratio %.4f" % (t, n or "off", r + 1, tp["mpps"], dp["mpps"],
                                      dp["mpps"] / tp["mpps"]), flush=True)
                raw.append({"traffic": t, "N": n or "off", "run": r + 1,
                            "testpmd_mpps": fmt(tp["mpps"]), "dpsflow_mpps": fmt(dp["mpps"]),
                            "testpmd_periods": ";".join(fmt(x) for x in tp["periods"]),
                            "dpsflow_periods": ";".join(fmt(p["mpps"]) for p in dp["periods"]),
                            "testpmd_cmd": tp["cmd"], "dpsflow_cmd": dp["cmd"]})
    rows = []
    for (t, n), v in res.items():
        tpm = statistics.median(x["mpps"] for x in v["tp"])
        dpm = statistics.median(x["mpps"] for x in v["dps"])
        tot = {k: sum(x["totals"][k] for x in v["dps"]) for k in v["dps"][0]["totals"]}
        expected = tot["sample_pool"] / n if n else 0
        rows.append({
            "traffic": t, "N": n or "off", "runs": len(v["tp"]),
            "testpmd_mpps": fmt(tpm), "dpsflow_mpps": fmt(dpm), "ratio": fmt(dpm / tpm, 4),
            "testpmd_runs": ";".join(fmt(x["mpps"]) for x in v["tp"]),
            "dpsflow_runs": ";".join(fmt(x["mpps"]) for x in v["dps"]),
            "rx_packets": tot["rx_packets"], "sample_pool": tot["sample_pool"],
            "samples": tot["samples"], "exported": tot["exported"],
            "pool_over_N": "%.0f" % expected if n else "",
            "exported_over_pool_N": fmt(tot["exported"] / expected, 4) if n else "",
            "drops": tot["drops"], "tx_dropped": tot["tx_dropped"],
            "send_errors": tot["send_errors"],
            "reproduce": "benchmarks/run.sh ceiling",
            "testpmd_cmd": v["tp"][-1]["cmd"], "dpsflow_cmd": v["dps"][-1]["cmd"]})
        if n and tot["samples"] == 0:
            raise SuiteError("ceiling %s N=%d: no samples taken" % (t, n))
    write_csv(ctx, "ceiling.csv", list(rows[0].keys()), rows)
    write_csv(ctx, "ceiling_runs.csv", list(raw[0].keys()), raw)
    return None


def suite_ceiling_ir(ctx):
    import bench_ceiling_ir
    try:
        return bench_ceiling_ir.run_suite(sys.modules[__name__], ctx)
    except bench_ceiling_ir.IrError as e:
        raise SuiteError(str(e))


def suite_ceiling_alt(ctx):
    skip = need_dpdk(ctx)
    if skip:
        return skip
    import bench_ceiling_alt
    try:
        return bench_ceiling_alt.run_suite(sys.modules[__name__], ctx)
    except bench_ceiling_alt.AltError as e:
        raise SuiteError(str(e))


# ---------------------------------------------------------------- suite: exporter

EXPORTER_N = [256, 128, 64, 32, 16, 8, 4, 2, 1]
EXPORTER_N_JUMBO = [8, 4, 2, 1]
EXPORTER_N_SMOKE = [32, 1]


def suite_exporter(ctx):
    skip = need_dpdk(ctx)
    if skip:
        return skip
    sets = traffic_sets(ctx, ["pcap"] if ctx.smoke else ["pcap", "null"])
    ns = EXPORTER_N_SMOKE if ctx.smoke else EXPORTER_N
    seconds = 1 if ctx.smoke else int(os.environ.get("BENCH_EXPORTER_SECONDS", "5"))
    rows = []
    # 1400-byte datagrams (a 1500-byte MTU path, the default) at every N; then, for the real
    # headers, jumbo datagrams at the highest loads: on loopback the kernel's cost per datagram
    # (one sendmmsg entry each) bounds the exporter, and 8972 bytes carry ~6x the samples
    plan = [(t, vdevs, ports, n, None) for t, (vdevs, ports) in sets.items() for n in ns]
    if not ctx.smoke and "pcap" in sets:
        plan += [("pcap", sets["pcap"][0], sets["pcap"][1], n, 8972) for n in EXPORTER_N_JUMBO]
    for t, vdevs, ports, n, dgram in plan:     # offered load rises as N falls
        label = t if dgram is None else "%s, %d-byte datagrams" % (t, dgram)
        tag = "exporter-%s-N%d%s" % (t, n, "" if dgram is None else "-d%d" % dgram)
        extra = () if dgram is None else ("--datagram-bytes", str(dgram))
        d = run_dpsflow(ctx, tag, vdevs, ports, n, seconds, forward=False, extra=extra)
        kept = d["periods"]
        secs = float(len(kept))           # the stats periods are 1 s each
        exported_s = (kept[-1]["exported"] - d["before"]["exported"]) / secs
        drops_s = (kept[-1]["drops"] - d["before"]["drops"]) / secs
        offered_s = statistics.median(p["samples_s"] for p in kept)
        tot = d["totals"]
        rows.append({
            "traffic": label, "N": n, "rx_mpps": fmt(d["mpps"]),
            "offered_samples_s": "%.0f" % offered_s, "exported_samples_s": "%.0f" % exported_s,
            "drops_s": "%.0f" % drops_s, "exporter_cores": 1,
            "samples_total": tot["samples"], "drops_total": tot["drops"],
            "exported_total": tot["exported"], "send_errors": tot["send_errors"],
            "reproduce": d["cmd"]})
        print("  exporter %-4s N=%-4d rx %7.3f Mpps  offered %9.0f/s  exported %9.0f/s  "
              "drops %9.0f/s" % (label, n, d["mpps"], offered_s, exported_s, drops_s),
              flush=True)
        if tot["exported"] == 0:
            raise SuiteError("exporter %s N=%d: nothing exported" % (label, n))
    write_csv(ctx, "exporter.csv", list(rows[0].keys()), rows)
    return None


def exporter_findings(rows):
    """Per traffic: last drop-free step, first step with drops, max exported samples/s."""
    out = {}
    for t in dict.fromkeys(r["traffic"] for r in rows):
        rs = [r for r in rows if r["traffic"] == t]
        free = [r for r in rs if int(r["drops_total"]) == 0]
        onset = next((r for r in rs if int(r["drops_total"]) > 0), None)
        best = max(rs, key=lambda r: float(r["exported_samples_s"]))
        out[t] = (free[-1] if free else None, onset, best)
    return out


# ---------------------------------------------------------------- suite: micro

def callgrind(cmd, toggle):
    full = ["valgrind", "--tool=callgrind", "--toggle-collect=" + toggle,
            "--callgrind-out-file=/dev/null"] + cmd
    rc, out, err = run_bounded(full, 600)
    m = re.search(r"Collected\s*:\s*(\d+)", err)
    if rc != 0 or not m:
        raise SuiteError("callgrind failed (exit %d): %s\n%s" % (rc, shlex.join(full),
                                                                 err.strip()[-400:]))
    return int(m.group(1)), shlex.join(full), out


def ir_per_unit(make_cmd, toggle, units, k):
    """Instructions per unit from two runs (k and 2k iterations): the difference cancels
    everything outside the measured loop (start-up, warm-up fixed parts, checks)."""
    ir1, _, _ = callgrind(make_cmd(k), toggle)
    ir2, full, out = callgrind(make_cmd(2 * k), toggle)
    d = units(2 * k) - units(k)
    if ir2 <= ir1 or d <= 0:
        raise SuiteError("no instructions collected for %s (is the symbol there?)" % toggle)
    return (ir2 - ir1) / d, full, out


def suite_micro(ctx):
    if not shutil.which("valgrind"):
        raise SuiteError("valgrind not found")
    sampler = rel(ctx.bin("benchmarks", "bench_sampler"))
    encoder = rel(ctx.bin("benchmarks", "bench_encoder"))
    decoder = rel(ctx.bin("benchmarks", "bench_decoder"))
    odp = rel(ctx.bin("tests", "tunnel_decode", "ovs", "bench_odp_decode"))
    for b in (sampler, encoder, decoder, odp):
        if not os.access(os.path.join(TOP, b), os.X_OK):
            raise SuiteError("%s not built" % b)
    k = 2000 if ctx.smoke else 50000
    rows = []

    def row(group, item, metric, value, unit, cmd, note=""):
        rows.append({"group": group, "item": item, "metric": metric, "value": value,
                     "unit": unit, "note": note, "reproduce": cmd})
        print("  micro %-8s %-34s %12s %s" % (group, item, value, unit), flush=True)

    # sampler: run_bursts() runs BURSTS/100+1 warm-up bursts, then BURSTS bursts
    for n in (1000, 100, 10000, 1):
        ir, cmd, _ = ir_per_unit(lambda b, n=n: [sampler, str(b), str(n), "32"], "run_bursts*",
                                 lambda b: (b + b // 100 + 1) * 32, k)
        note = "amortized over all packets; ~1/N of them are sampled"
        row("sampler", "N=%d burst 32" % n, "instructions/packet", fmt(ir, 3), "Ir", cmd,
            note + ("; the goal figure (unsampled packets)" if n == 1000 else ""))
    # decoder, per packet type: full decode and (if built) the exporter's view-only path
    has_export = "exporter path" in run_bounded([decoder, "1", "ipv4_tcp", "--export"], 60)[1]
    for typ in ("ipv4_tcp", "vxlan", "geneve", "geneve_v4", "nsh_gpe"):
        ir, cmd, _ = ir_per_unit(lambda i, typ=typ: [decoder, str(i), typ], "dps_decode_packet",
                                 lambda i: i, k)
        row("decoder", typ + " dps_decode_packet", "instructions/packet", fmt(ir, 1), "Ir", cmd)
        if has_export:
            ir, cmd, _ = ir_per_unit(lambda i, typ=typ: [decoder, str(i), typ, "--export"],
                                     "dps_decode_sample_view", lambda i: i, k)
            row("decoder", typ + " dps_decode_sample_view", "instructions/packet", fmt(ir, 1),
                "Ir", cmd, "the exporter's per-sample decode")
            ir, cmd, _ = ir_per_unit(lambda i, typ=typ: [decoder, str(i), typ, "--sample"],
                                     "exporter_sample", lambda i: i, k)
            row("decoder", typ + " decode + dps_flow_export_fill", "instructions/packet",
                fmt(ir, 1), "Ir", cmd, "the exporter's per-sample work before encoding")
    if not has_export:
        print("  micro decoder: bench_decoder has no --export mode in this build; "
              "dps_decode_sample_view not measured", flush=True)
    ir, cmd, _ = ir_per_unit(lambda i: [odp, str(i)], "dps_odp_decode", lambda i: i, k)
    row("ovs", "dps_odp_decode tnl_push(vxlan4)+output", "instructions/decode", fmt(ir, 1),
        "Ir", cmd)
    # encoder: encode_loop runs n/10+1 warm-up samples then n; agent_loop runs n
    ir, cmd, _ = ir_per_unit(lambda s: [encoder, str(s)], "encode_loop*",
                             lambda s: s + s // 10 + 1, k)
    row("encoder", "dps_encode_flow_sample", "instructions/sample", fmt(ir, 1), "Ir", cmd,
        "128-byte header + 1001 + 1030")
    ir, cmd, _ = ir_per_unit(lambda s: [encoder, str(s)], "agent_loop*", lambda s: s, k)
    row("encoder", "dps_agent_add_flow", "instructions/sample", fmt(ir, 1), "Ir", cmd,
        "whole agent path, 1400-byte datagrams, no-op send")

    # native timings (TSC cycles where the bench prints them; ns otherwise)
    def native(cmd, what):
        rc, out, err = run_bounded(cmd, 300)
        if rc != 0:
            raise SuiteError("%s exit %d: %s" % (what, rc, err.strip()[-300:]))
        return out

    bursts = 200000 if ctx.smoke else 20000000
    cmd = [sampler, str(bursts), "1000", "32"]
    m = re.search(r"([\d.]+) (TSC cycles|ns)/packet", native(cmd, "bench_sampler"))
    if not m:
        raise SuiteError("bench_sampler: no cycles/packet")
    row("sampler", "N=1000 burst 32", "cycles/packet", m.group(1), m.group(2), shlex.join(cmd))
    samples = 100000 if ctx.smoke else 5000000
    cmd = [encoder, str(samples)]
    got = re.findall(r"(dps_\w+).*?([\d.]+) M samples/s, ([\d.]+) (TSC cycles|ns)/sample",
                     native(cmd, "bench_encoder"))
    if len(got) != 2:
        raise SuiteError("bench_encoder: unexpected output")
    for fn, msps, cyc, unit in got:
        row("encoder", fn, "cycles/sample", cyc, unit, shlex.join(cmd))
    iters = 20000 if ctx.smoke else 1000000
    modes = [[]] + ([["--export"]] if has_export else [])
    for extra in modes:
        cmd = [decoder, str(iters), "all"] + extra
        got = re.findall(r"^(\w+)\s+\d+ bytes.*?: ([\d.]+) ns/packet",
                         native(cmd, "bench_decoder"), re.M)
        if len(got) != 5:
            raise SuiteError("bench_decoder: unexpected output")
        fn = "dps_decode_sample_view" if extra else "dps_decode_packet"
        for typ, ns in got:
            row("decoder", "%s %s" % (typ, fn), "time/packet", ns, "ns", shlex.join(cmd))
    cmd = [odp, str(iters)]
    m = re.search(r"([\d.]+) ns/decode", native(cmd, "bench_odp_decode"))
    if not m:
        raise SuiteError("bench_odp_decode: no ns/decode")
    row("ovs", "dps_odp_decode tnl_push(vxlan4)+output", "time/decode", m.group(1), "ns",
        shlex.join(cmd))
    write_csv(ctx, "micro.csv", list(rows[0].keys()), rows)
    return None


# ---------------------------------------------------------------- suite: ovs

def suite_ovs(ctx):
    import bench_ovs
    try:
        cost = bench_ovs.sample_cost(ctx, callgrind, write_csv)
        msg = bench_ovs.run_suite(ctx, write_csv)
        return msg or cost
    except bench_ovs.OvsBenchError as e:
        raise SuiteError(str(e))


def suite_ovs_ratio(ctx):
    import bench_ovs
    try:
        return bench_ovs.run_ratio_suite(ctx, write_csv)
    except bench_ovs.OvsBenchError as e:
        raise SuiteError(str(e))


def suite_ovs_ir(ctx):
    import bench_ovs_ir
    try:
        return bench_ovs_ir.run_suite(ctx, write_csv)
    except (bench_ovs_ir.OvsIrError, RuntimeError, subprocess.SubprocessError) as e:
        raise SuiteError(str(e))


def suite_ovs_alt(ctx):
    import bench_ovs
    import bench_ovs_alt
    try:
        return bench_ovs_alt.run_suite(ctx, write_csv)
    except (bench_ovs.OvsBenchError, RuntimeError, subprocess.SubprocessError) as e:
        raise SuiteError(str(e))


# ---------------------------------------------------------------- rendering

def ci_goal(name, want, r):
    """A goals-table row from a CSV row with ratio_median and a 95 % CI: met only when the
    whole interval clears the target, missed when all of it is below, else not decidable."""
    lo, hi = float(r["ci95_low"]), float(r["ci95_high"])
    return (name, "≥ %.2f" % want, "%s (CI %s–%s)" % (r["ratio_median"], r["ci95_low"],
                                                      r["ci95_high"]),
            True if lo >= want else False if hi < want else None)


def separate_run(header, path):
    """A line saying so when a suite's CSV comes from another run than the table above (a
    suite re-run alone), so that no figure passes for one of that run."""
    info = dict(read_csv(path)[0])
    if not header or (info.get("commit"), info.get("date")) == (header.get("commit"),
                                                                 header.get("date")):
        return []  # no table above to differ from, or the same run
    return ["*From a separate run of this suite alone: %s, commit %s (the table above is "
            "the run of %s, commit %s).*" % (info.get("date", "?"), info.get("commit", "?"),
                                             header.get("date", "?"),
                                             header.get("commit", "?")), ""]


def render(ctx):
    """RESULTS.md and ceiling_ratio.png from the CSVs in ctx.out."""
    md = ["# dpsflow benchmark results", ""]
    if ctx.smoke:
        md += ["**Smoke run** (1 short run per point on a possibly busy machine): these numbers "
               "only show that the harness works; they are not results.", ""]
    md += ["Regenerate everything with `benchmarks/run.sh` (all suites) or "
           "`benchmarks/run.sh SUITE`; every figure below lists the exact command that "
           "produced it (run from the repository top; `127.0.0.1:PORT` was a UDP socket bound "
           "and never read). Absolute figures drift on shared machines; ratios measured in the "
           "same run do not.", ""]
    paths = {s: os.path.join(ctx.out, s + ".csv") for s in SUITES}
    first = next((p for p in paths.values() if os.path.exists(p)), None)
    header = {}
    if first:
        info, _ = read_csv(first)
        header = dict(info)
        md += ["| machine | |", "|---|---|"] + ["| %s | %s |" % kv for kv in info] + [""]
    goals = []

    md += ["## Ceiling: dpsflow forward vs testpmd io-forward", ""]
    if os.path.exists(paths["ceiling"]):
        md += separate_run(header, paths["ceiling"])
        info, rows = read_csv(paths["ceiling"])
        md += ["Same vdevs, same lcores (`-l 0,1`: lcore 1 forwards, lcore 0 prints stats / "
               "exports), A/B interleaved, median of %s run(s) per point (%s). Mpps = both "
               "directions, steady-state seconds only (first second dropped). testpmd gets "
               "dpsflow's mbuf pool size (`--total-num-mbufs=8191 --mbcache=256`). `null`: "
               "net_null0/1 size=64; `pcap`: net_pcap infinite_rx replaying "
               "build/pcaps/demo_mix.pcap on both ports." % (rows[0]["runs"],
                                                             dict(info).get("date", "")), "",
               "![dpsflow/testpmd ratio vs N](ceiling_ratio.png)", "",
               "| traffic | N | testpmd Mpps | dpsflow Mpps | ratio | samples exported | pool/N "
               "| exported/(pool/N) | drops | runs testpmd / dpsflow |",
               "|---|---|---|---|---|---|---|---|---|---|"]
        for r in rows:
            md.append("| %s | %s | %s | %s | **%s** | %s | %s | %s | %s | %s / %s |" % (
                r["traffic"], r["N"], r["testpmd_mpps"], r["dpsflow_mpps"], r["ratio"],
                r["exported"], r["pool_over_N"] or "-", r["exported_over_pool_N"] or "-",
                r["drops"], r["testpmd_runs"], r["dpsflow_runs"]))
            if r["N"] in ("1000", "100"):
                goals.append(("ratio dpsflow/testpmd at 1:%s (%s)" % (r["N"], r["traffic"]),
                              "≥ %s" % ("0.99" if r["N"] == "1000" else "0.98"), r["ratio"],
                              float(r["ratio"]) >= (0.99 if r["N"] == "1000" else 0.98)))
        md += ["", "Reproduce: `benchmarks/run.sh ceiling` (every run's exact commands are in "
               "ceiling_runs.csv). The last run's commands per point:", ""]
        for r in rows:
            md += ["- %s N=%s:" % (r["traffic"], r["N"]), "  `%s`" % r["testpmd_cmd"],
                   "  `%s`" % r["dpsflow_cmd"]]
        md.append("")
        ir_csv = os.path.join(ctx.out, "ceiling_ir.csv")
        ir_rows = read_csv(ir_csv)[1] if os.path.exists(ir_csv) else []
        plot(ctx, rows, dict(read_csv(paths["ceiling"])[0]), ir_rows)
    else:
        md += ["not run", ""]

    md += ["## Ceiling in instructions: dpsflow forward vs testpmd io-forward (callgrind)", ""]
    ir_csv = os.path.join(ctx.out, "ceiling_ir.csv")
    if os.path.exists(ir_csv):
        md += separate_run(header, ir_csv)
        _, rows = read_csv(ir_csv)
        md += ["Instructions the forwarding lcore retires per packet received, counted by "
               "callgrind for that thread alone over the whole run (%s packets and more per "
               "point), so this VM's Mpps drift does not enter. Ratio = testpmd's "
               "instructions/packet over the program's: the Mpps ratio the two would reach at "
               "equal cycles per instruction (no packet data is touched on net_null; the pcap "
               "replay copies each frame into its mbuf in both). `testpmd-aa` is testpmd "
               "counted again: the repeatability of the count. Under valgrind DPDK runs with "
               "`--no-huge -m 1024` (valgrind cannot host the hugepage VA reservations); "
               "valgrind runs one thread at a time, so dpsflow gets a 2^20-record sample ring "
               "and points with N ≥ 100 must have no sample drop (a drop skips the copy into "
               "the ring and would flatter the count); drops at N = 10 and 1 reflect "
               "valgrind's scheduling, not the exporter's speed." %
               min(int(r["packets"]) for r in rows), "",
               "| traffic | program | instructions/packet | ratio testpmd/program | samples | "
               "exported | pool/N | drops |", "|---|---|---|---|---|---|---|---|"]
        for r in rows:
            md.append("| %s | %s | %s | **%s** | %s | %s | %s | %s |" % (
                r["traffic"], r["program"], r["instructions_per_packet"],
                r["ratio_to_testpmd"], r["samples"] or "-", r["exported"] or "-",
                r["pool_over_N"] or "-", r["drops"] or "-"))
            for n, want in (("1000", 0.99), ("100", 0.98)):
                if r["program"] == "dpsflow N=%s" % n:
                    goals.append(("ratio dpsflow/testpmd at 1:%s (%s), in instructions" %
                                  (n, r["traffic"]), "≥ %.2f" % want, r["ratio_to_testpmd"],
                                  float(r["ratio_to_testpmd"]) >= want))
        md += ["", "Reproduce: `benchmarks/run.sh ceiling-ir`; each point's command (run with "
               "a valgrind output path of your choice):", ""]
        md += ["- %s %s: `%s`" % (r["traffic"], r["program"], r["reproduce"]) for r in rows]
        md.append("")
    else:
        md += ["not run", ""]

    md += ["## Sampling's cost in Mpps, drift cancelled: one dpsflow, rate switched by SIGHUP",
           ""]
    alt_csv = os.path.join(ctx.out, "ceiling_alt.csv")
    if os.path.exists(alt_csv):
        md += separate_run(header, alt_csv)
        _, rows = read_csv(alt_csv)
        md += ["One dpsflow process forwards net_null0 <-> net_null1 (64-byte frames) for the "
               "whole run; the harness rewrites its config and sends SIGHUP every 2.2 s in "
               "the cycle off, 1:1000, off, 1:100, … Ratio of a sampled segment = its Mpps "
               "(dpsflow's per-second rx rate, whole seconds inside the segment) over the mean "
               "of the two off segments beside it, so drift cancels; the A/A row does the "
               "same for off segments against the off segments 4.4 s away. Median over "
               "segments with a distribution-free 95 % CI. This is dpsflow(N) / dpsflow(off): "
               "times dpsflow(off) / testpmd, which is 0.998 in instructions (ceiling-ir), it "
               "gives the goal's ratio.", "",
               "| N | segments | ratio median | 95 % CI | mean | Mpps (off, median) |",
               "|---|---|---|---|---|---|"]
        for r in rows:
            md.append("| %s | %s | **%s** | %s – %s | %s | %s |" % (
                r["N"], r["segments"], r["ratio_median"], r["ci95_low"], r["ci95_high"],
                r["mean"], r["off_mpps_median"]))
            for n, want in (("1:1000", 0.99), ("1:100", 0.98)):
                if r["N"] == n:
                    goals.append(ci_goal("dpsflow at %s / dpsflow off (null, Mpps, drift "
                                         "cancelled)" % n, want, r))
        r0 = rows[0]
        if r0.get("samples") and r0.get("drops"):
            md += ["", "Whole run: %s samples taken, %s counted as ring drops (%.3f %%), %s "
                   "exported." % (r0["samples"], r0["drops"],
                                  100.0 * int(r0["drops"]) / max(1, int(r0["samples"])),
                                  r0["exported"])]
        md += ["", "Reproduce: `benchmarks/run.sh ceiling-alt` (`BENCH_ALT_CYCLES`, default "
               "100 cycles of four segments: ~15 min); command: `%s`." %
               rows[0]["command"], ""]
    else:
        md += ["not run", ""]

    md += ["## Exporter: samples/s per exporter core (N = 1 ... 256)", ""]
    if os.path.exists(paths["exporter"]):
        md += separate_run(header, paths["exporter"])
        _, rows = read_csv(paths["exporter"])
        md += ["Monitor mode, two ports on one worker lcore, one exporter lcore; the collector "
               "is a UDP socket that is never read. Offered = samples selected per second; the "
               "ring absorbs bursts, drops = samples lost to a full ring.", "",
               "| traffic | N | rx Mpps | offered samples/s | exported samples/s | drops/s | "
               "drops total | command |", "|---|---|---|---|---|---|---|---|"]
        for r in rows:
            md.append("| %s | %s | %s | %s | %s | %s | %s | `%s` |" % (
                r["traffic"], r["N"], r["rx_mpps"], r["offered_samples_s"],
                r["exported_samples_s"], r["drops_s"], r["drops_total"], r["reproduce"]))
        md += ["", "| traffic | highest drop-free load: exported/s (N) | drops start at: "
               "exported/s (N) | max sustained exported/s per exporter core (N) |",
               "|---|---|---|---|"]
        for t, (free, onset, best) in exporter_findings(rows).items():
            md.append("| %s | %s | %s | **%s** (%s) |" % (
                t, "%s (%s)" % (free["exported_samples_s"], free["N"]) if free else "-",
                "%s (%s)" % (onset["exported_samples_s"], onset["N"]) if onset
                else "no drops at any N", best["exported_samples_s"], best["N"]))
            goals.append(("exported samples/s per exporter core (%s)" % t, "≥ 2000000",
                          best["exported_samples_s"], float(best["exported_samples_s"]) >= 2e6))
        md += ["", "Reproduce: `benchmarks/run.sh exporter`.", ""]
    else:
        md += ["not run", ""]

    md += ["## Micro: instructions (callgrind) and cycles", ""]
    if os.path.exists(paths["micro"]):
        md += separate_run(header, paths["micro"])
        _, rows = read_csv(paths["micro"])
        md += ["Instruction counts are callgrind's `Collected` Ir for the function given with "
               "`--toggle-collect`, as (Ir(2k) − Ir(k)) / (units(2k) − units(k)) over two runs "
               "(the command shown is the 2k run), so set-up and checks cancel. Cycles are TSC "
               "cycles (ns where the bench prints ns) measured natively.", "",
               "| group | item | metric | value | unit | note | command |",
               "|---|---|---|---|---|---|---|"]
        for r in rows:
            md.append("| %s | %s | %s | **%s** | %s | %s | `%s` |" % (
                r["group"], r["item"], r["metric"], r["value"], r["unit"], r["note"],
                r["reproduce"]))
            if r["group"] == "sampler" and r["item"] == "N=1000 burst 32" and r["unit"] == "Ir":
                goals.append(("instructions per unsampled packet (N=1000, burst 32)", "≤ 0.5",
                              r["value"], float(r["value"]) <= 0.5))
        md += ["", "Reproduce: `benchmarks/run.sh micro`.", ""]
    else:
        md += ["not run", ""]

    md += ["## OVS-DPDK: stock sFlow vs dpsflow offload", ""]
    if os.path.exists(paths["ovs"]):
        md += separate_run(header, paths["ovs"])
        _, rows = read_csv(paths["ovs"])
        if rows and "status" in rows[0]:
            md += [rows[0]["status"], ""]
        elif rows:
            md += ["One PMD (core 1), Debian's ovs-vswitchd-dpdk 3.1.0 (stock) vs the "
                   "ovs_patches/ build with the offload ring and dpsflow on core 0 (patched). "
                   "Ratio = Mpps over the same variant's sFlow-off Mpps in the same run, median "
                   "over runs; samples from the ring file's exact counters.", "",
                   "| traffic | variant | N | Mpps | ratio to off | samples written | "
                   "pool/N | ring drops | runs (Mpps) |", "|---|---|---|---|---|---|---|---|---|"]
            for r in rows:
                md.append("| %s | %s | %s | %s | **%s** | %s | %s | %s | %s |" % (
                    r["traffic"], r["variant"], r["N"], r["mpps_median"],
                    r["ratio_to_off_median"], r["samples_written"], r["samples_expected"],
                    r["ring_drops"], r["runs_mpps"]))
                if r["variant"] == "patched" and r["traffic"] == "null" and \
                        r["N"] in ("1000", "100"):
                    want = 0.99 if r["N"] == "1000" else 0.98
                    goals.append(("patched OVS / no sFlow at 1:%s (null)" % r["N"],
                                  "≥ %.2f" % want, r["ratio_to_off_median"],
                                  float(r["ratio_to_off_median"]) >= want))
            md += ["", "Reproduce: `benchmarks/run.sh ovs` (per-run rows and dpsflow's totals "
                   "in ovs_runs.csv).", ""]
        cost = os.path.join(ctx.out, "ovs_sample_cost.csv")
        if os.path.exists(cost):
            _, crows = read_csv(cost)
            md += ["Instructions the sFlow action costs the PMD per 32-packet batch (callgrind, "
                   "stable where Mpps is not; stock excludes the upcall each sample triggers; "
                   "the offload's ring is drained after each batch, as dpsflow would, so every "
                   "sample is written, none dropped):",
                   "", "| N | input ports in turn | path | instructions / batch | / packet | "
                   "command |", "|---|---|---|---|---|---|"]
            md += ["| %s | %s | %s | %s | %s | `%s` |" % (r["N"], r.get("ports", "1"), r["path"],
                                                          r["instructions_per_batch"],
                                                          r["instructions_per_packet"],
                                                          r["command"])
                   for r in crows] + [""]
    else:
        md += ["not run", ""]

    md += ["## OVS-DPDK offload: interleaved ratio with an A/A control", ""]
    ratio_csv = os.path.join(ctx.out, "ovs-ratio.csv")
    if os.path.exists(ratio_csv):
        md += separate_run(header, ratio_csv)
        _, rows = read_csv(ratio_csv)
        md += ["Patched ovs-vswitchd + dpsflow only, one instance per traffic, %s blocks of "
               "2-second points back to back (N = off, 1000, 100, off2; order rotated each "
               "block). Ratio = Mpps(N) / Mpps(off) of the same block; median over blocks and "
               "a distribution-free 95 %% confidence interval of that median. `off2` is sFlow "
               "off measured again: its ratio is the noise floor of this machine." %
               (rows[0]["blocks"] if rows else "?"), "",
               "| traffic | N | ratio median | 95 % CI | Mpps (off, median) | samples written "
               "| pool/N | ring drops |", "|---|---|---|---|---|---|---|---|"]
        for r in rows:
            md.append("| %s | %s | **%s** | %s – %s | %s | %s | %s | %s |" % (
                r["traffic"], r["N"], r["ratio_median"], r["ci95_low"], r["ci95_high"],
                r["mpps_off_median"], r["samples_written"], r["samples_expected"],
                r["ring_drops"]))
            if r["traffic"] == "null" and r["N"] in ("1000", "100"):
                want = 0.99 if r["N"] == "1000" else 0.98
                goals.append(ci_goal("patched OVS / no sFlow at 1:%s (null, interleaved)" %
                                     r["N"], want, r))
        md += ["", "Reproduce: `benchmarks/run.sh ovs-ratio` (every point in "
               "ovs_ratio_runs.csv).", ""]
    else:
        md += ["not run", ""]

    md += ["## OVS-DPDK PMD in instructions: what sFlow costs per packet (callgrind)", ""]
    ovs_ir = os.path.join(ctx.out, "ovs_ir.csv")
    if os.path.exists(ovs_ir):
        md += separate_run(header, ovs_ir)
        _, rows = read_csv(ovs_ir)
        md += ["The ovs_patches/ build of ovs-vswitchd under callgrind, one PMD, net_null0 <-> "
               "net_null1 with in_port-only flows; every row is a %s-second window of the same "
               "instance, in this order (sFlow reconfigured between windows; the datapath "
               "flows are modified in place, so the classifier's placement, worth 0.5 %% "
               "between instances, is the same in all). Instructions the PMD thread retired "
               "in the window (counters zeroed, then dumped, with `callgrind_control`) over "
               "the packets it processed (calls to the per-packet classifier entry; "
               "pmd-stats-show agrees). Ratio = off / row: the Mpps ratio at equal cycles per "
               "instruction, free of this VM's Mpps drift; `off-again` is the A/A control. "
               "`offload`: the ring and dpsflow (dpsflow runs natively); `ovs-own`: the same "
               "binary without the ring, i.e. OVS's own sFlow path, left stock by the "
               "patches. DPDK runs with `--no-huge -m 1024 --legacy-mem` under valgrind "
               "only." % (rows[0]["window_s"] if rows else "?"), "",
               "| variant | N | instructions/packet | ratio to off | packets in window | "
               "samples written / ring drops in window |", "|---|---|---|---|---|---|"]
        for r in rows:
            md.append("| %s | %s | %s | **%s** | %s | %s |" % (
                r["variant"], r["N"], r["instructions_per_packet"], r["ratio_to_off"],
                r["packets"], "%s / %s" % (r["samples_written"], r["ring_drops"])
                if r["samples_written"] else "-"))
            if r["variant"] == "offload" and r["N"] in ("1000", "100"):
                want = 0.99 if r["N"] == "1000" else 0.98
                goals.append(("patched OVS / no sFlow at 1:%s (null), in instructions" % r["N"],
                              "≥ %.2f" % want, r["ratio_to_off"],
                              float(r["ratio_to_off"]) >= want))
        md += ["", "Reproduce: `benchmarks/run.sh ovs-ir` (logs in benchmarks/results/logs/).",
               ""]
    else:
        md += ["not run", ""]

    md += ["## OVS-DPDK offload in Mpps, drift cancelled: one instance, sFlow switched", ""]
    alt_csv = os.path.join(ctx.out, "ovs_alt.csv")
    if os.path.exists(alt_csv):
        md += separate_run(header, alt_csv)
        _, rows = read_csv(alt_csv)
        md += ["One patched ovs-vswitchd (one PMD on core 1, net_null0 <-> net_null1, 64-byte "
               "frames; the offload ring and dpsflow on core 0) runs for the whole suite while "
               "the harness switches the bridge's sFlow with ovs-vsctl in the cycle off, "
               "1:1000, off, 1:100, … Each segment: %s s to settle (revalidation), then the "
               "PMD's own packet count over its own measured %s s (`pmd-stats-clear`, "
               "`pmd-perf-show`). Ratio of a sampled segment = its Mpps over the mean of the two "
               "off segments beside it; the A/A row does the same for off segments against "
               "the off segments two away. Median over segments with a distribution-free 95 %% "
               "CI." % (rows[0]["settle_s"] if rows else "?",
                        rows[0]["window_s"] if rows else "?"), "",
               "| traffic | N | segments | ratio median | 95 % CI | mean | Mpps (off, median) "
               "| samples written | pool/N | ring drops |",
               "|---|---|---|---|---|---|---|---|---|---|"]
        for r in rows:
            md.append("| %s | %s | %s | **%s** | %s – %s | %s | %s | %s | %s | %s |" % (
                r["traffic"], r["N"], r["segments"], r["ratio_median"], r["ci95_low"],
                r["ci95_high"], r["mean"], r["off_mpps_median"], r["samples_written"],
                r["samples_expected"], r["ring_drops"]))
            for n, want in (("1:1000", 0.99), ("1:100", 0.98)):
                if r["N"] == n and r["traffic"] == "null":
                    goals.append(ci_goal("patched OVS / no sFlow at %s (null, Mpps, drift "
                                         "cancelled)" % n, want, r))
        if rows:
            md += ["", "Whole run: %s samples written to the ring, %s counted as ring drops; "
                   "dpsflow read every one written." % (rows[0]["run_written"],
                                                        rows[0]["run_ring_drops"]),
                   "", "Reproduce: `benchmarks/run.sh ovs-alt` (`BENCH_OVS_ALT_CYCLES`, default "
                   "80 cycles of four segments: ~15 min; `BENCH_OVS_ALT_TRAFFIC=null,vxlan`); "
                   "every segment in ovs_alt_runs.csv.", ""]
    else:
        md += ["not run", ""]

    if goals:
        md += ["## Goals (issues 6 and 7)", "", "| goal | target | measured | met |",
               "|---|---|---|---|"]
        md += ["| %s | %s | %s | %s |" % (g, t, v, "yes" if ok else "**no**" if ok is False
                                          else "not decidable: the CI straddles the target")
               for g, t, v, ok in goals] + [""]
    with open(os.path.join(ctx.out, "RESULTS.md"), "w") as f:
        f.write("\n".join(md))


def plot(ctx, rows, data_info, ir_rows=()):
    """ceiling_ratio.png; its title names the machine and commit the data came from
    (data_info: the ceiling CSV's header), not those of the render. ir_rows (ceiling_ir.csv)
    add the instruction ratio per N beside the Mpps one: on this VM the Mpps medians of
    separate processes swing by more than the goals' margins, the instruction counts do not."""
    if not shutil.which("gnuplot"):
        print("bench: gnuplot not found, no plot", file=sys.stderr)
        return
    dat = os.path.join(ctx.out, "ceiling_ratio.dat")
    traffics = list(dict.fromkeys(r["traffic"] for r in rows))
    with open(dat, "w") as f:
        for t in traffics:
            f.write("# %s\n" % t)
            for r in rows:                 # "off" unconnected (blank line) at the right
                if r["traffic"] == t and r["N"] != "off":
                    f.write("%d %s\n" % (int(r["N"]), r["ratio"]))
            for r in rows:
                if r["traffic"] == t and r["N"] == "off":
                    f.write("\n100000 %s\n" % r["ratio"])
            f.write("\n\n")
        ir_traffics = [t for t in traffics if any(r["traffic"] == t for r in ir_rows)]
        for t in ir_traffics:
            f.write("# %s, instructions\n" % t)
            for r in ir_rows:
                m = re.match(r"dpsflow N=(\d+)$", r["program"])
                if r["traffic"] == t and m:
                    f.write("%d %s\n" % (int(m.group(1)), r["ratio_to_testpmd"]))
            for r in ir_rows:
                if r["traffic"] == t and r["program"] == "dpsflow N=off":
                    f.write("\n100000 %s\n" % r["ratio_to_testpmd"])
            f.write("\n\n")
    plots = ["'ceiling_ratio.dat' index %d using 1:2 with linespoints lw 2 pt 7 lc %d "
             "title '%s, Mpps (median of runs)'" % (i, i + 1, t) for i, t in enumerate(traffics)]
    plots += ["'ceiling_ratio.dat' index %d using 1:2 with linespoints lw 2 dt 2 pt 6 lc %d "
              "title '%s, instructions per packet'" % (len(traffics) + i, traffics.index(t) + 1, t)
              for i, t in enumerate(ir_traffics)]
    plots += ["0.99 with lines dt 2 lc rgb 'gray40' title 'goal at 1:1000 (0.99)'",
              "0.98 with lines dt 3 lc rgb 'gray60' title 'goal at 1:100 (0.98)'"]
    term = "pngcairo size 900,540 font 'sans,11'"
    terms = subprocess.run(["gnuplot", "-e", "set terminal"], capture_output=True, text=True,
                           timeout=60)
    if "pngcairo" not in terms.stdout + terms.stderr:
        term = "png size 900,540"
    info = dict(ctx.info)
    info.update(data_info)
    script = "\n".join([
        "set terminal %s" % term, "set output 'ceiling_ratio.png'",
        "set title \"dpsflow forward / testpmd io-forward, same vdevs and lcores\\n"
        "%s, %s cores, DPDK %s, %s%s\" noenhanced" % (
            info["cpu"], info["cores"], info["dpdk"], info["commit"],
            " (SMOKE: not a result)" if ctx.smoke else ""),
        "set logscale x", "set xrange [0.6:170000]",
        "set xtics ('1' 1, '10' 10, '100' 100, '1000' 1000, '10000' 10000, 'off' 100000)",
        "set xlabel 'sampling rate 1-in-N'",
        "set ylabel 'dpsflow / testpmd (Mpps), testpmd / dpsflow (instructions)'",
        "set grid", "set key bottom right", "plot " + ", \\\n  ".join(plots), ""])
    with open(os.path.join(ctx.out, "ceiling_ratio.gp"), "w") as f:
        f.write(script)
    r = subprocess.run(["gnuplot", "ceiling_ratio.gp"], cwd=ctx.out, capture_output=True,
                       text=True, timeout=60)
    if r.returncode != 0:
        raise SuiteError("gnuplot failed: %s" % r.stderr.strip()[-300:])


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(prog="benchmarks/run.sh")
    ap.add_argument("--smoke", action="store_true", help="a few seconds per suite, scratch output")
    ap.add_argument("--build", help="build directory (default $DPS_BUILD or ./build)")
    ap.add_argument("--out", help="output directory")
    ap.add_argument("--render-only", action="store_true", help="re-render RESULTS.md and plot")
    ap.add_argument("suites", nargs="*", metavar="suite", help=" ".join(SUITES))
    args = ap.parse_args()
    suites = args.suites or SUITES
    bad = [s for s in suites if s not in SUITES]
    if bad:
        ap.print_usage(sys.stderr)
        print("unknown suite(s): %s (choose from %s)" % (" ".join(bad), " ".join(SUITES)),
              file=sys.stderr)
        return 2
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)
    ctx = Ctx(args)
    print("bench: %s -> %s" % (" ".join(suites) if not args.render_only else "render",
                                rel(ctx.out)), flush=True)
    print("bench: " + ", ".join("%s=%s" % kv for kv in ctx.info), flush=True)
    failed = []
    try:
        if not args.render_only:
            ctx.sink = Sink()
            for s in suites:
                t0 = time.monotonic()
                print("== %s" % s, flush=True)
                try:
                    msg = globals()["suite_" + s.replace("-", "_")](ctx)
                    print("== %s: %s (%.0f s)" % (s, msg or "ok", time.monotonic() - t0),
                          flush=True)
                except SuiteError as e:
                    failed.append(s)
                    print("== %s: FAILED: %s" % (s, e), flush=True)
                except Exception:            # a harness bug: report it, go on with the rest
                    failed.append(s)
                    traceback.print_exc()
                    print("== %s: FAILED (harness error above)" % s, flush=True)
        try:
            render(ctx)
            print("bench: wrote %s" % rel(os.path.join(ctx.out, "RESULTS.md")), flush=True)
        except SuiteError as e:
            failed.append("render")
            print("bench: render FAILED: %s" % e, flush=True)
    except (KeyboardInterrupt, Interrupted) as e:
        print("bench: interrupted (%s), stopping everything started" % (e or "SIGINT"),
              file=sys.stderr)
        failed.append("interrupted")
    finally:
        stop_all()
        if ctx.sink:
            ctx.sink.close()
    if failed:
        print("bench: FAILED: %s" % " ".join(failed), flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
