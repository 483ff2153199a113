#!/usr/bin/python3
"""dpsflow follows OVSDB (issue 9): with only `ovs { db = unix:... }` in its file it reads the
ring path, the bridge's sFlow row (targets, sampling, polling, header, agent) and the
Interfaces from a real ovsdb-server, follows ovs-vsctl changes, survives an ovsdb-server
restart, and exports counter samples for every Interface of the bridge.

Topology (ovs-vswitchd in its own network namespace, see ovs_sandbox.py):
  br0: p0 (net_pcap, 4 UDP frames of 242 bytes replayed forever: traffic for the whole test)
       p1 (net_null, no rx: where the flow sends p0's packets)
       vx0 (vxlan, no traffic: OVS gives it ifindex 0)
       vhu0 (dpdkvhostuserclient, no guest: a VM's port, whose counters only OVSDB has)
       flow in_port=p0 -> push VLAN 100, output p1 (the sFlow sample action runs per packet)
  sFlow configured with ovs-vsctl only, as operators do; dpsflow (root namespace) sends to
  UDP collectors this test binds on 127.0.0.1. ovs-vswitchd's own agent sends into its
  namespace's loopback, so every datagram received here is dpsflow's (asserted by agent).

1. ring path, collectors, agent, header and polling all come from OVSDB.
2. flow samples: rate N1, header H1, input / data source = OVS's ifindex of p0, output = OVS's
   sFlow cookie; counter samples for br0, p0, p1, vx0, vhu0 with name (1005) and ifIndex (OVS's,
   or the name-derived index where OVS has 0); p0's counters are its statistics column.
3. ovs-vsctl set sflow ... sampling=N2 targets=PORT2 header=H2 agent=lo: followed within 2 s,
   nothing reaches PORT1 after a 0.5 s grace.
4. a port added / deleted: its counter samples appear / stop.
5. ovsdb-server SIGKILLed and restarted: dpsflow says so, keeps exporting meanwhile, then
   follows sampling=N3 within 2 s. Interface statistics are an ephemeral column: the restarted
   server has none until ovs-vswitchd's next refresh (up to 5 s); the same state is then made
   deterministic by clearing p0's statistics. p0's counters must never go backwards (no 0
   when the column is absent) and every ifInOctets must be a value the column held.
6. --print-samples: ovs_text is the flow's datapath actions as dpctl/dump-flows prints them
   (the actions after the sFlow sample action, which is all the ring record carries).
   5c. ovs-vswitchd SIGSTOPped (dpif/show never answered): the database is still followed
   (a target change reaches dpsflow within 2 s + the 1 s dpif/show timeout + polling).
7. db = unix:/nonexistent/db.sock: dpsflow exits non-zero within 10 s, naming the path.
The summary's db object must be inside "ovs" ("ovs":{...,"db":{...}}). Checks made with
check_later() do not stop the test: it runs to the end and then fails listing them.
"""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "dpdk_app"))
sys.path.insert(0, HERE)
import harness as h  # noqa: E402
from ovs_sandbox import OvsSandbox, ovs_prefix  # noqa: E402
from test_ovs_offload import name_ifindex  # noqa: E402

N1, N2, N3 = 5000, 7000, 9000
H1, H2 = 80, 128
AGENT1 = "10.9.8.7"         # an IP in the row: the agent address as is
AGENT2 = "lo"               # an interface name: its address (in dpsflow's namespace)
FRAME = 242                 # bytes per frame in the pcap (sFlow adds 4 for the FCS)
POLLING = 1
FOLLOW_S = 2.0              # the time dpsflow has to follow an ovs-vsctl change
GRACE_S = 0.5               # datagrams in flight when the target changes
TAGS = ("dpsdbf", "dpsdbfp", "dpsdbfx")  # EAL file prefixes of the three dpsflow runs

PCAP_SCRIPT = """
import sys
from scapy.all import Ether, IP, UDP, Raw, wrpcap
frames = [Ether(src="00:00:00:00:01:01", dst="00:00:00:00:02:02") /
          IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=1000 + i, dport=2000) /
          Raw(bytes(range(200))) for i in range(4)]
assert all(len(f) == %d for f in frames), [len(f) for f in frames]
wrpcap(sys.argv[1], frames)
""" % FRAME


class Sink:
    """A collector with decoding done once per datagram, and time-windowed views."""

    def __init__(self):
        self.col = h.Collector()
        self.port = self.col.port
        self._dec = []

    def items(self, since=None, until=None):
        """[(arrival time, decoded datagram)] received in [since, until)."""
        n = min(len(self.col.raw), len(self.col.times))
        while len(self._dec) < n:
            i = len(self._dec)
            self._dec.append((self.col.times[i], h.sflowdecode.decode_datagram(self.col.raw[i])))
        return [(t, d) for t, d in self._dec[:n]
                if (since is None or t >= since) and (until is None or t < until)]

    def flows(self, since=None, until=None):
        return [(t, d, s) for t, d in self.items(since, until) for s in d["samples"]
                if s.get("sample_type") == "flow"]

    def counters(self, since=None, until=None):
        return [(t, d, c) for t, d in self.items(since, until) for c in h.counter_samples(d)]

    def close(self):
        self.col.close()


class Stderr:
    """dpsflow's stderr, line by line with arrival times (read by a thread)."""

    def __init__(self, stream):
        self.lines = []
        self._t = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self._t.start()

    def _run(self, stream):
        for line in stream:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def wait_for(self, pattern, since, timeout):
        """(time, line) of the first line at or after since containing pattern, or None."""
        deadline = time.monotonic() + timeout
        while True:
            for t, line in list(self.lines):
                if t >= since and pattern in line:
                    return t, line
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.02)

    def text(self):
        return "\n".join(l for _, l in self.lines)

    def join(self, timeout=10):
        self._t.join(timeout)


DEFERRED = []


def check_later(cond, msg):
    """A check whose failure does not stop the test: the later steps still run (and report),
    the test fails at the end."""
    if cond:
        print("ok: " + msg)
    else:
        print("FAIL (reported at the end): " + msg)
        DEFERRED.append(msg)


class StatsWatcher:
    """Every value p0's statistics:rx_bytes takes in the database (ovs-vswitchd rewrites it
    every 5 s; read every 0.5 s by a thread, each read bounded by ovs-vsctl --timeout)."""

    def __init__(self, ovs, iface):
        self.values = set()
        self._args = [ovs.tool("ovs-vsctl"), "--db=unix:" + ovs.db, "--timeout=3", "get",
                      "Interface", iface, "statistics:rx_bytes"]
        self._env = ovs.env
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                v = subprocess.run(self._args, env=self._env, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, text=True, timeout=10).stdout
                if v.strip().isdigit():
                    self.values.add(int(v))
            except subprocess.TimeoutExpired:
                pass
            self._stop.wait(0.5)

    def stop(self):
        self._stop.set()
        self._t.join(15)


def wait_until(pred, timeout, step=0.05):
    """Polls pred() until it returns something true; that value, or None after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() >= deadline:
            return None
        time.sleep(step)


def split_actions(text):
    """Top-level comma-separated datapath actions (commas inside parentheses kept)."""
    out, depth, cur = [], 0, ""
    for c in text:
        if c == "," and depth == 0:
            out.append(cur)
            cur = ""
            continue
        depth += c == "("
        depth -= c == ")"
        cur += c
    if cur:
        out.append(cur)
    return out


def dump_flows(ovs):
    """dpctl/dump-flows → [{in_port, actions, rest, cookie_output}] where rest is the action
    list after the sFlow sample action, in OVS's syntax ("drop" when empty)."""
    flows = []
    for line in ovs.appctl("dpctl/dump-flows").splitlines():
        m = re.search(r"in_port\((\d+)\).*actions:(.*)$", line)
        if not m:
            continue
        actions = m.group(2).strip()
        parts = split_actions(actions)
        cookie = re.search(r"sFlow\(vid=\d+,pcp=\d+,output=(\d+)\)", actions)
        rest = parts[1:] if parts and parts[0].startswith("sample(") and cookie else parts
        flows.append({"in_port": int(m.group(1)), "actions": actions,
                      "rest": ",".join(rest) if rest else "drop",
                      "cookie_output": int(cookie.group(1)) if cookie else None})
    return flows


def start_dpsflow(dpsflow, tag, conf, env, duration, stdout, extra=()):
    args = [dpsflow] + h.eal_args(tag, "0") + ["--", "--config", conf, "--duration",
                                                 str(duration)] + list(extra)
    p = subprocess.Popen(args, stdout=stdout, stderr=subprocess.PIPE, text=True, env=env)
    return p, Stderr(p.stderr)


def stop_dpsflow(p, err, timeout=30):
    """SIGTERM (a clean stop: drain, last counters, summary), bounded; returns the exit code."""
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        err.join()
        h.fail("dpsflow did not stop within %d s of SIGTERM\n%s" % (timeout, err.text()[-3000:]))
    err.join()
    return p.returncode


def summary_from(path):
    with open(path) as f:
        lines = [l for l in f if l.startswith('{"type":"summary"')]
    h.check(len(lines) == 1, "dpsflow printed one summary line")
    return json.loads(lines[0])


def ifindex_or_0(ovs, name):
    """OVS's ifindex of an Interface; 0 while ovs-vswitchd has not filled the column."""
    v = ovs.vsctl("get", "Interface", name, "ifindex").strip()
    return int(v) if v.isdigit() else 0


def rx_bytes(ovs, name):
    """statistics:rx_bytes of an Interface, None while the column lacks it (statistics is an
    ephemeral column: a restarted ovsdb-server has none until ovs-vswitchd's next refresh)."""
    v = ovs.vsctl("get", "Interface", name, "statistics:rx_bytes", check=False).strip()
    return int(v) if v.isdigit() else None


def expect_ifindex(ovs, name):
    """The index dpsflow must use for an Interface: OVS's ifindex, or the name-derived one
    where OVS reports 0 (tunnel ports)."""
    i = ovs.ifindex(name)
    return i if i != 0 else name_ifindex(name)


def check_counters_for(sink, want, since, until, what):
    """Every counter sample in the window names a known Interface with its index; every
    Interface in want has at least one."""
    seen = {}
    for t, d, c in sink.counters(since, until):
        name = c.get("port_name")
        if name not in want:
            h.fail("%s: counter sample for %r (ifIndex %r), not an Interface of br0 %s" %
                   (what, name, c.get("ifIndex"), sorted(want)))
        if c.get("ifIndex") != want[name] or c["source_id_index"] != want[name]:
            h.fail("%s: counter sample of %s: ifIndex %r, data source %r; OVS says %d" %
                   (what, name, c.get("ifIndex"), c["source_id_index"], want[name]))
        seen[name] = seen.get(name, 0) + 1
    h.check(set(seen) == set(want),
            "%s: counter samples for every Interface of br0 with name (1005) and ifIndex: %s"
            % (what, ", ".join("%s=%d (%d)" % (n, want[n], seen.get(n, 0)) for n in sorted(want))))


def check_flows(sink, since, until, rate, header, agent, p0_index, cookie, what, min_n=20):
    flows = sink.flows(since, until)
    h.check(len(flows) >= min_n, "%s: %d flow samples received" % (what, len(flows)))
    for t, d, f in flows:
        r = h.records_by_format(f)
        hdr = r.get(1)
        problems = []
        if d["agent"] != agent:
            problems.append("agent %s, want %s" % (d["agent"], agent))
        if f["sampling_rate"] != rate:
            problems.append("sampling_rate %d, want %d" % (f["sampling_rate"], rate))
        if hdr is None or hdr["header_length"] != header or hdr["frame_length"] != FRAME + 4:
            problems.append("sampled header %r, want header_length %d of a %d-byte frame" %
                            (hdr and {k: hdr[k] for k in ("header_length", "frame_length")},
                             header, FRAME + 4))
        if (f["source_id_type"], f["source_id_index"]) != (0, p0_index) or \
                f["input"] != {"format": 0, "value": p0_index}:
            problems.append("data source %d:%d input %r, want p0's ifindex %d" %
                            (f["source_id_type"], f["source_id_index"], f["input"], p0_index))
        if f["output"] != {"format": cookie >> 30, "value": cookie & 0x3FFFFFFF}:
            problems.append("output %r, OVS's sFlow cookie says %d" % (f["output"], cookie))
        if problems:
            h.fail("%s: flow sample (seq %d): %s" % (what, f["seq"], "; ".join(problems)))
    h.check(True, "%s: every flow sample: agent %s, rate 1:%d, %d header bytes of %d, input "
            "and data source %d, output %d" % (what, agent, rate, header, FRAME + 4, p0_index,
                                                cookie))


def first_flow_with_rate(sink, rate, since):
    for t, d, f in sink.flows(since):
        if f["sampling_rate"] == rate:
            return t
    return None


def cleanup_eal(tag):
    for f in glob.glob("/dev/hugepages/%s-%dmap_*" % (tag, os.getpid())):
        try:
            os.unlink(f)
        except OSError:
            pass
    shutil.rmtree("/var/run/dpdk/%s-%d" % (tag, os.getpid()), ignore_errors=True)


def main():
    dpsflow = h.binary()
    prefix = ovs_prefix(h)
    ver = subprocess.run([dpsflow, "--version"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=20).stdout
    if "OVSDB client: yes" not in ver:
        print("dpsflow was built without the OVSDB client (ovs_build=none?):\n" + ver)
        sys.exit(h.SKIP)

    t_test = time.monotonic()
    ovs = OvsSandbox(prefix, "dpsdbf")
    ring = "/dev/hugepages/dps-dbf-%d.ring" % os.getpid()
    sink1, sink2 = Sink(), Sink()
    procs = []
    files = []
    watch = None
    err = None
    try:
        pcap = os.path.join(ovs.rundir, "traffic.pcap")
        subprocess.run(["/usr/bin/python3", "-c", PCAP_SCRIPT, pcap], check=True, timeout=60)
        ovs.start()
        ovs.vsctl("set", "Open_vSwitch", ".", "other_config:sflow-offload-ring=" + ring)
        ovs.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                  "--", "add-port", "br0", "p0", "--", "set", "Interface", "p0", "type=dpdk",
                  "options:dpdk-devargs=net_pcap0,rx_pcap=%s,tx_pcap=/dev/null,infinite_rx=1"
                  % pcap,
                  "--", "add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dpdk",
                  "options:dpdk-devargs=net_null1,no-rx=1",
                  "--", "add-port", "br0", "vx0", "--", "set", "Interface", "vx0",
                  "type=vxlan", "options:remote_ip=1.1.2.92", "options:key=5001",
                  # a guest's vhost-user port (no guest attached: OVS keeps retrying the
                  # socket), whose counters only OVSDB can give
                  "--", "add-port", "br0", "vhu0", "--", "set", "Interface", "vhu0",
                  "type=dpdkvhostuserclient",
                  "options:vhost-server-path=%s" % os.path.join(ovs.rundir, "vhu0.sock"))
        ovs.ofctl("del-flows", "br0")
        ovs.ofctl("add-flow", "br0", "in_port=p0,actions=mod_vlan_vid:100,output:p1")
        ovs.vsctl("--", "--id=@s", "create", "sflow", "agent=%s" % AGENT1,
                  'target="127.0.0.1:%d"' % sink1.port, "sampling=%d" % N1,
                  "polling=%d" % POLLING, "header=%d" % H1,
                  "--", "set", "bridge", "br0", "sflow=@s")
        sflow_uuid = ovs.vsctl("get", "bridge", "br0", "sflow").strip()
        h.check(wait_until(lambda: os.path.exists(ring), 10) is not None,
                "ovs-vswitchd created the ring file %s" % ring)
        want = {n: expect_ifindex(ovs, n) for n in ("br0", "p0", "p1", "vx0", "vhu0")}
        h.check(ovs.ifindex("vx0") == 0 and all(want[n] != 0 for n in want),
                "OVS ifindexes: %s (vx0: 0 in OVS, name-derived %d)" % (want, want["vx0"]))

        # ---- 1. dpsflow with nothing but the database
        conf = h.write_config("ovs {\n  db = unix:%s\n}\n" % ovs.db)
        files.append(conf)
        out_main = os.path.join(ovs.rundir, "dpsflow-main.out")
        env = dict(os.environ, PATH=ovs.env["PATH"])
        rcvbuf0 = h.udp_rcvbuf_errors()
        with open(out_main, "w") as out:
            p, err = start_dpsflow(dpsflow, TAGS[0], conf, env, 150, out)
        procs.append(p)
        t_start = time.monotonic()
        watch = StatsWatcher(ovs, "p0")  # p0's counters must be values of its statistics
        line = err.wait_for("following bridge br0's sFlow", t_start - 1, 15)
        h.check(line is not None, "dpsflow follows br0's sFlow row%s" %
                ("" if line else ":\n" + err.text()[-2000:]))
        want_line = ("targets 127.0.0.1:%d, sampling %d, polling %d s, header %d bytes, "
                     "agent %s" % (sink1.port, N1, POLLING, H1, AGENT1))
        h.check(want_line in line[1], "it reads the row: %r" % line[1])
        h.check(err.wait_for("ovs ring %s attached" % ring, t_start - 1, 10) is not None,
                "it attached to the ring path OVSDB gives (other_config:sflow-offload-ring)")

        # ---- 2. flow and counter samples as the row says
        def all_counted(sink, since):
            names = {c.get("port_name") for _, _, c in sink.counters(since)}
            return set(want) <= names and len(sink.flows(since)) >= 50
        t2 = time.monotonic()
        h.check(wait_until(lambda: all_counted(sink1, t2), 10, 0.2) is not None,
                "flow samples and counter samples of all 4 Interfaces reach PORT1 (%d) "
                "within 10 s" % sink1.port)
        flows = dump_flows(ovs)
        odp_p0 = [f for f in flows if f["cookie_output"] is not None]
        h.check(len(odp_p0) == 1, "one datapath flow with the sFlow action: %r" % flows)
        cookie = odp_p0[0]["cookie_output"]
        h.check(cookie == ovs.ifindex("p1"),
                "OVS's sFlow cookie output is p1's ifindex (%d)" % cookie)
        t2_end = time.monotonic()
        check_flows(sink1, None, t2_end, N1, H1, AGENT1, want["p0"], cookie, "step 2")
        check_counters_for(sink1, want, None, t2_end, "step 2")
        h.check(not sink2.items(), "nothing reached PORT2 yet")

        # ---- 3. ovs-vsctl changes sampling, target, header and agent
        t_cmd = time.monotonic()
        ovs.vsctl("set", "sflow", sflow_uuid, "sampling=%d" % N2, "header=%d" % H2,
                  'targets="127.0.0.1:%d"' % sink2.port, "agent=%s" % AGENT2)
        t_vsctl = time.monotonic() - t_cmd
        t_n2 = wait_until(lambda: first_flow_with_rate(sink2, N2, t_cmd), 5, 0.02)
        first2 = sink2.items()
        t_first2 = first2[0][0] if first2 else None
        follow2 = (t_n2 - t_cmd) if t_n2 else None
        print("step 3: ovs-vsctl returned after %.3f s; first datagram at PORT2 after %s s; "
              "first 1:%d sample at PORT2 after %s s" %
              (t_vsctl, "%.3f" % (t_first2 - t_cmd) if t_first2 else "-", N2,
               "%.3f" % follow2 if follow2 else "-"))
        h.check(follow2 is not None and follow2 <= FOLLOW_S,
                "samples carry 1:%d and reach PORT2 %.3f s after ovs-vsctl set sflow (<= %.1f "
                "s)" % (N2, follow2 if follow2 else -1, FOLLOW_S))
        line = err.wait_for("targets 127.0.0.1:%d" % sink2.port, t_cmd, 2)
        h.check(line is not None and ("sampling %d, polling %d s, header %d bytes, agent %s" %
                                      (N2, POLLING, H2, AGENT2)) in line[1],
                "dpsflow logs the new row: %r" % (line[1] if line else None))
        # settle, then look at both collectors over a window of 2.5 s
        t_quiet = t_first2 + GRACE_S
        time.sleep(max(0.0, t_quiet + 3.0 - time.monotonic()))
        t3_end = time.monotonic()
        last1 = sink1.items()[-1][0]
        h.check(last1 >= t_cmd - 1.0,
                "PORT1 received datagrams up to the change (the last %+.3f s from the "
                "ovs-vsctl command)" % (last1 - t_cmd))
        late1 = sink1.items(t_quiet)
        h.check(not late1, "nothing reaches PORT1 later than %.1f s after the first datagram "
                "at PORT2 (%d did, last %.3f s after)" %
                (GRACE_S, len(late1), (late1[-1][0] - t_first2) if late1 else 0))
        t_settled = max(t_n2, t_quiet) + GRACE_S
        check_flows(sink2, t_settled, t3_end, N2, H2, "127.0.0.1", want["p0"], cookie,
                    "step 3 (agent=lo)")
        check_counters_for(sink2, want, t_settled, t3_end, "step 3")

        # ---- 4. a port added, then deleted
        t_add = time.monotonic()
        ovs.vsctl("add-port", "br0", "tp9", "--", "set", "Interface", "tp9", "type=internal")
        tp9 = wait_until(lambda: ifindex_or_0(ovs, "tp9"), 10, 0.1)
        h.check(tp9 is not None, "OVS gave the internal port tp9 an ifindex (%r)" % tp9)
        want_add = dict(want, tp9=tp9)
        bound = POLLING + 5 + 2  # polling + OVS's statistics refresh + slack

        def tp9_seen():
            for t, d, c in sink2.counters(t_add):
                if c.get("port_name") == "tp9" and c.get("ifIndex") == tp9 and \
                        c["source_id_index"] == tp9:
                    return t
            return None
        t_tp9 = wait_until(tp9_seen, bound + 1, 0.1)
        h.check(t_tp9 is not None and t_tp9 - t_add <= bound,
                "counter samples of the new port tp9 (ifIndex %d) arrive %.2f s after "
                "add-port (<= %d s)" % (tp9, (t_tp9 - t_add) if t_tp9 else -1, bound))
        time.sleep(max(0.0, t_tp9 + 2 * POLLING + 0.5 - time.monotonic()))
        check_counters_for(sink2, want_add, t_tp9, time.monotonic(), "step 4 (tp9 added)")
        t_del = time.monotonic()
        ovs.vsctl("del-port", "br0", "tp9")
        stop_after = t_del + POLLING + GRACE_S
        time.sleep(max(0.0, stop_after + 2.5 - time.monotonic()))
        late = [t - t_del for t, d, c in sink2.counters(stop_after)
                if c.get("port_name") == "tp9"]
        h.check(not late, "no counter sample of tp9 later than %.1f s after del-port (%s)" %
                (POLLING + GRACE_S, ["%.2f" % x for x in late]))
        check_counters_for(sink2, want, stop_after, time.monotonic(), "step 4 (tp9 deleted)")

        # ---- 5. ovsdb-server killed and restarted
        db_pid = ovs.pid("ovsdb-server")
        h.check(db_pid is not None, "ovsdb-server pid %s from its pidfile" % db_pid)
        t_kill = time.monotonic()
        os.kill(db_pid, signal.SIGKILL)

        def gone():
            try:
                os.kill(db_pid, 0)
                return False
            except ProcessLookupError:
                return True
        h.check(wait_until(gone, 5) is not None, "ovsdb-server %d is gone" % db_pid)
        lost = err.wait_for("connection lost", t_kill, 5)
        h.check(lost is not None and ("ovsdb unix:%s" % ovs.db) in lost[1],
                "dpsflow logs the lost connection %.3f s after the kill: %r" %
                ((lost[0] - t_kill) if lost else -1, lost[1] if lost else None))
        time.sleep(max(0.0, t_kill + 3.0 - time.monotonic()))
        t_restart = time.monotonic()
        during_flows = sink2.flows(t_kill + GRACE_S, t_restart)
        during_p0 = [c for t, d, c in sink2.counters(t_kill + GRACE_S, t_restart)
                     if c.get("port_name") == "p0"]
        ovs._run([ovs.tool("ovsdb-server"), "--remote=punix:" + ovs.db, "--pidfile",
                  "--detach", "--log-file", os.path.join(ovs.rundir, "conf.db")])
        h.check(len(during_flows) > 0 and len(during_p0) > 0,
                "while ovsdb-server was down (%.1f s) dpsflow kept exporting to PORT2: %d "
                "flow samples, %d counter samples of p0" %
                (t_restart - t_kill - GRACE_S, len(during_flows), len(during_p0)))
        check_flows(sink2, t_kill + GRACE_S, t_restart, N2, H2, "127.0.0.1", want["p0"],
                    cookie, "step 5 (database down)", min_n=1)
        again = err.wait_for("connected again", t_restart, 20)
        h.check(again is not None and ("ovsdb unix:%s" % ovs.db) in again[1],
                "dpsflow reconnects %.3f s after ovsdb-server restarted: %r" %
                ((again[0] - t_restart) if again else -1, again[1] if again else None))
        # ovs-vsctl waits for ovs-vswitchd: once this returns, both clients are back
        ovs.vsctl("set", "Open_vSwitch", ".", "external_ids:dps-test=reconnected")
        t_both = time.monotonic() - t_restart
        t_cmd3 = time.monotonic()
        ovs.vsctl("set", "sflow", sflow_uuid, "sampling=%d" % N3)
        t_n3 = wait_until(lambda: first_flow_with_rate(sink2, N3, t_cmd3), 5, 0.02)
        follow3 = (t_n3 - t_cmd3) if t_n3 else None
        print("step 5: connection lost logged %.3f s after SIGKILL; reconnected %.3f s after "
              "the restart; ovs-vswitchd back %.3f s after it; 1:%d samples %s s after "
              "ovs-vsctl" % (lost[0] - t_kill, again[0] - t_restart, t_both, N3,
                             "%.3f" % follow3 if follow3 else "-"))
        h.check(follow3 is not None and follow3 <= FOLLOW_S,
                "after the reconnect samples carry 1:%d %.3f s after ovs-vsctl set sflow "
                "(<= %.1f s)" % (N3, follow3 if follow3 else -1, FOLLOW_S))
        time.sleep(max(0.0, t_n3 + GRACE_S + 1.5 - time.monotonic()))
        check_flows(sink2, t_n3 + GRACE_S, time.monotonic(), N3, H2, "127.0.0.1", want["p0"],
                    cookie, "step 5 (after the reconnect)")
        h.check("no exported bridge has sFlow" not in err.text(),
                "dpsflow never lost the sFlow row (not even while the database was down)")

        # ---- 5b. Interface statistics absent from the database. statistics is an ephemeral
        # column: a restarted ovsdb-server has none until ovs-vswitchd's next refresh (every
        # 5 s), so for up to 5 s after the reconnect dpsflow may see Interfaces without them
        # (whether it does above is a race between the two clients' reconnects and
        # ovs-vswitchd's stats timer). The same state, deterministically: clear the column
        # and let ovs-vswitchd's next refresh write it again. Counter samples of that window
        # must not report p0's counters as 0 (checked with all of p0's samples below).
        empty = None
        for attempt in range(3):
            t0 = time.monotonic()
            ovs.vsctl("--no-wait", "clear", "Interface", "p0", "statistics")
            t_back = wait_until(lambda: rx_bytes(ovs, "p0") is not None, 7, 0.05)
            h.check(t_back is not None, "ovs-vswitchd wrote p0's statistics again within 7 s")
            t_back = time.monotonic()
            if t_back - t0 >= POLLING + 0.5:
                empty = (t0, t_back)
                break
        h.check(empty is not None, "p0's statistics column stayed empty for a polling "
                "interval (3 attempts)")
        in_window = [(round(t - empty[0], 2), c["ifInOctets"], c["ifInUcastPkts"])
                     for s_ in (sink1, sink2) for t, d, c in s_.counters(empty[0], empty[1])
                     if c.get("port_name") == "p0"]
        print("step 5b: p0's statistics absent from the database for %.2f s; p0's counter "
              "samples then [(s, ifInOctets, ifInUcastPkts)]: %s" %
              (empty[1] - empty[0], in_window))
        time.sleep(POLLING + 1.0)  # one counter sample with the column written again

        # ---- 5c. ovs-vswitchd stopped (SIGSTOP): its control socket accepts but never
        # answers dpif/show. dpsflow must keep following the database all the same: the
        # target moved back to PORT1 (ovs-vsctl --no-wait: nobody applies it in OVS) must get
        # dpsflow's counter samples within FOLLOW_S plus one dpif/show timeout (1 s).
        vs_pid = ovs.pid("ovs-vswitchd")
        h.check(vs_pid is not None, "ovs-vswitchd pid %s from its pidfile" % vs_pid)
        os.kill(vs_pid, signal.SIGSTOP)
        try:
            time.sleep(2.5)  # at least one dpif/show refresh meets the stopped process
            t_cmd5 = time.monotonic()
            ovs.vsctl("--no-wait", "set", "sflow", sflow_uuid,
                      'targets="127.0.0.1:%d"' % sink1.port)

            def counters_at_port1():
                got = sink1.counters(t_cmd5)
                return got[0][0] if got else None
            t_c5 = wait_until(counters_at_port1, FOLLOW_S + 1 + POLLING + 3, 0.05)
        finally:
            os.kill(vs_pid, signal.SIGCONT)
        follow5 = (t_c5 - t_cmd5) if t_c5 else None
        print("step 5c: ovs-vswitchd stopped; counter samples at PORT1 %s s after ovs-vsctl"
              % ("%.3f" % follow5 if follow5 else "-"))
        h.check(follow5 is not None and follow5 <= FOLLOW_S + 1 + POLLING,
                "with ovs-vswitchd stopped (dpif/show unanswered) dpsflow still follows the "
                "database: counters at the new target %.3f s after ovs-vsctl (<= %.1f s)" %
                (follow5 if follow5 else -1, FOLLOW_S + 1 + POLLING))
        time.sleep(1.0)

        # ---- the main run's end: summary, delivery, counter values
        rc = stop_dpsflow(p, err)
        procs.remove(p)
        watch.stop()
        h.check(rc == 0, "dpsflow stopped cleanly on SIGTERM (exit %d)" % rc)
        time.sleep(0.5)  # the collectors' threads read what is still queued
        p0_rx_bytes_end = rx_bytes(ovs, "p0")
        summ = summary_from(out_main)
        o = summ.get("ovs", {})
        # where the spec puts it ("ovs":{...,"db":{...}}) is checked at the end
        db = o.get("db", summ.get("db"))
        h.check(isinstance(db, dict) and db.get("connected") is True and
                db.get("connects") == 2 and db.get("sflow_bridge") == "br0" and
                db.get("counter_samples", 0) > 0,
                "summary ovs.db: connected, 2 connects, sFlow of br0, counter samples (%r)" % db)
        h.check(o.get("unmapped") == 0 and o.get("actions_bad") == 0 and
                o.get("exported") == o.get("records") and o.get("records", 0) > 0,
                "summary ovs: %d records, all exported, none unmapped (%r)" %
                (o.get("records", 0), o))
        lost_at_socket = h.udp_rcvbuf_errors() - rcvbuf0
        received = len(sink1.col.raw) + len(sink2.col.raw)
        ex = summ["exporter"]
        h.check(received + lost_at_socket >= ex["datagrams"] and received <= ex["datagrams"],
                "datagrams sent (%d) reached PORT1 + PORT2 (%d + %d; %d dropped at a full "
                "socket buffer)" % (ex["datagrams"], len(sink1.col.raw), len(sink2.col.raw),
                                    lost_at_socket))
        got_counters = len(sink1.counters()) + len(sink2.counters())
        if lost_at_socket == 0:
            h.check(got_counters == ex["counter_samples"] == db["counter_samples"],
                    "every counter sample sent was received (%d)" % got_counters)
        p0_octets = [(t, c["ifInOctets"]) for s in (sink1, sink2)
                     for t, d, c in s.counters() if c.get("port_name") == "p0"]
        p0_octets.sort()
        print("p0's ifInOctets around the ovsdb-server restart [(s after it, value)]: %s" %
              [(round(t - t_restart, 2), v) for t, v in p0_octets
               if t_kill - 1.5 <= t <= t_restart + 8])
        drops = [(round(t - t_restart, 2), a, b) for (_, a), (t, b) in
                 zip(p0_octets, p0_octets[1:]) if b < a]
        check_later(not drops, "p0's ifInOctets never go backwards (%d counter samples); went "
                "down at [(s after the ovsdb-server restart, from, to)]: %s (the statistics "
                "column was cleared %.2f..%.2f s after the restart)" %
                (len(p0_octets), drops[:5], empty[0] - t_restart, empty[1] - t_restart))
        vals = [v for _, v in p0_octets]
        h.check(0 < vals[-1] <= p0_rx_bytes_end,
                "p0's ifInOctets come from its statistics column (last %d <= rx_bytes %d)" %
                (vals[-1], p0_rx_bytes_end))
        # every value reported is one the column held (the watcher saw every refresh: each
        # value stays 5 s, it reads every 0.5 s), and dpsflow followed the refreshes
        foreign = sorted({v for v in vals if v != 0} - watch.values)
        h.check(not foreign and len(set(vals) & watch.values) >= 3,
                "p0's ifInOctets are values of its statistics:rx_bytes column: %d distinct "
                "values reported, all among the %d the column held (not: %s)" %
                (len(set(vals) & watch.values), len(watch.values), foreign[:5]))

        # ---- 6. --print-samples: ovs_text as OVS prints the flow's actions
        out_print = os.path.join(ovs.rundir, "dpsflow-print.out")
        with open(out_print, "w") as out:
            p, err6 = start_dpsflow(dpsflow, TAGS[1], conf, env, 4, out, ["--print-samples"])
        procs.append(p)
        flows6 = []
        if err6.wait_for("attached", 0, 10):
            time.sleep(1.0)
            flows6 = dump_flows(ovs)
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            h.fail("dpsflow --duration 4 still running after 30 s")
        procs.remove(p)
        err6.join()
        h.check(p.returncode == 0, "the --print-samples run exited 0%s" %
                ("" if p.returncode == 0 else " (%d): %s" % (p.returncode, err6.text()[-1000:])))
        texts = []
        with open(out_print) as f:
            for l in f:
                if l.startswith('{"type":"ovs_actions"'):
                    texts.append(json.loads(l))
        h.check(len(texts) > 0, "--print-samples printed %d ovs_actions lines" % len(texts))
        by_port = {}
        for fl in flows6:
            by_port.setdefault(fl["in_port"], set()).add(fl["rest"])
        match = [x for x in texts if x.get("ovs_text") in by_port.get(x.get("odp_port"), ())]
        sample = texts[0].get("ovs_text")
        h.check(len(match) > 0,
                "ovs_text %r equals the actions after sample(...) of the flow of datapath "
                "port %s in dpctl/dump-flows: %r" %
                (sample, texts[0].get("odp_port"), [f["actions"] for f in flows6]))
        h.check(len(match) == len(texts),
                "all %d ovs_actions lines match a dumped flow of their input port (%d do)" %
                (len(texts), len(match)))
        h.check(sample == "push_vlan(vid=100,pcp=0),%d" % [
            int(m.group(1)) for m in re.finditer(r"^\s+p1 \d+/(\d+):",
                                                 ovs.appctl("dpif/show"), re.M)][0],
            "ovs_text is OVS's own syntax for push VLAN 100 + output p1: %r" % sample)

        # ---- 7. a database that is not there
        conf_bad = h.write_config("ovs {\n  db = unix:/nonexistent/db.sock\n}\n")
        files.append(conf_bad)
        t7 = time.monotonic()
        p = subprocess.Popen([dpsflow] + h.eal_args(TAGS[2], "0") +
                             ["--", "--config", conf_bad, "--duration", "30"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        procs.append(p)
        try:
            _, err7 = p.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            h.fail("dpsflow with db = unix:/nonexistent/db.sock still runs after 20 s")
        procs.remove(p)
        took = time.monotonic() - t7
        msg = [l for l in err7.splitlines() if "/nonexistent/db.sock" in l]
        print("step 7: exit %d after %.2f s: %s" % (p.returncode, took, msg[:1]))
        h.check(p.returncode != 0 and took <= 10 and msg,
                "db = unix:/nonexistent/db.sock: exit %d (non-zero) after %.2f s (<= 10), "
                "message naming the path: %r" % (p.returncode, took,
                                                 msg[:1] or err7[-500:]))
        check_later("db" in o and "db" not in summ,
                "summary: the db object is inside \"ovs\" as specified (\"ovs\":{...,"
                "\"db\":{...}}), not %s" % ("at the top level" if "db" in summ else "missing"))
    finally:
        if watch is not None:
            watch.stop()
        if err is not None:
            print("--- stderr of the main dpsflow run:\n" + err.text())
        for p in procs:
            if p.poll() is None:
                p.kill()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                pass
        sink1.close()
        sink2.close()
        ovs.stop()
        for f in files + [ring]:
            try:
                os.unlink(f)
            except OSError:
                pass
        for tag in TAGS:
            cleanup_eal(tag)
    print("runtime %.1f s" % (time.monotonic() - t_test))
    if DEFERRED:
        h.fail("%d check(s) failed:\n  " % len(DEFERRED) + "\n  ".join(DEFERRED))
    print("PASS")


if __name__ == "__main__":
    main()
