"""A private Open vSwitch for the tests: ovsdb-server + the patched ovs-vswitchd built by
ovs_patches/build-ovs.sh, with DPDK (--no-pci, own --file-prefix, bounded hugepage memory),
everything under one temporary run directory. Nothing touches the host's OVS or network:
ovs-vswitchd runs in a network namespace the sandbox creates, so the bridges' internal (tap)
ports, their addresses and the routes OVS learns for tunnels exist only there. (OVS's own
test suite uses dummy devices instead; --enable-dummy=override would also turn the VXLAN,
Geneve and GRE ports into dummies, and tnl_push/tnl_pop would never be exercised.)
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def ovs_prefix(h):
    """The patched OVS install the tests run (OVS_PREFIX), or fail / skip (h: harness)."""
    prefix = os.environ.get("OVS_PREFIX", "")
    if not os.access(os.path.join(prefix, "sbin", "ovs-vswitchd"), os.X_OK):
        h.fail("OVS_PREFIX=%r has no ovs-vswitchd: run ovs_patches/build-ovs.sh" % prefix)
    if not h.hugepages_available():
        print("OVS with DPDK needs hugepages (quickstart.sh hugepages)")
        sys.exit(h.SKIP)
    return prefix


class OvsSandbox:
    def __init__(self, prefix, name="ovst", pmd_mask="0x2", vswitchd=None, main_cpus=None):
        self.prefix = prefix
        self.name = name
        self.rundir = tempfile.mkdtemp(prefix="dps-%s-" % name)
        self.db = os.path.join(self.rundir, "db.sock")
        self.env = dict(os.environ, OVS_RUNDIR=self.rundir, OVS_LOGDIR=self.rundir,
                        OVS_DBDIR=self.rundir, OVS_SYSCONFDIR=self.rundir,
                        OVS_PKGDATADIR=os.path.join(prefix, "share", "openvswitch"))
        self.env["PATH"] = os.path.join(prefix, "bin") + ":" + os.environ.get("PATH", "")
        self.pmd_mask = pmd_mask
        # another ovs-vswitchd binary of the same version (the benchmark's stock Debian one)
        self.vswitchd = vswitchd or self.tool("ovs-vswitchd")
        # benchmarks: keep ovs-vswitchd's main, handler and revalidator threads off the PMD's
        # core (the PMD threads pin themselves to pmd_mask whatever the process mask is)
        self.main_cpus = main_cpus
        self.file_prefix = "%s-%d" % (name, os.getpid())
        self.netns = "%s-%d" % (name, os.getpid())

    def tool(self, name):
        d = "sbin" if name in ("ovs-vswitchd", "ovsdb-server") else "bin"
        return os.path.join(self.prefix, d, name)

    def _run(self, args, check=True, timeout=30):
        p = subprocess.run(args, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise RuntimeError("%s: exit %d: %s" % (" ".join(args), p.returncode,
                                                    p.stderr.strip()[:500]))
        return p.stdout

    def vsctl(self, *args, **kw):
        return self._run([self.tool("ovs-vsctl"), "--db=unix:" + self.db, "--timeout=20"] +
                         list(args), **kw)

    def appctl(self, *args, **kw):
        return self._run([self.tool("ovs-appctl"), "--timeout=20"] + list(args), **kw)

    def ofctl(self, *args, **kw):
        return self._run([self.tool("ovs-ofctl")] + list(args), **kw)

    def start_db(self):
        conf = os.path.join(self.rundir, "conf.db")
        self._run([self.tool("ovsdb-tool"), "create", conf,
                   os.path.join(self.prefix, "share", "openvswitch", "vswitch.ovsschema")])
        self._run([self.tool("ovsdb-server"), "--remote=punix:" + self.db, "--pidfile",
                   "--detach", "--log-file", conf])
        self.vsctl("--no-wait", "init")
        self.vsctl("--no-wait", "set", "Open_vSwitch", ".",
                   "other_config:dpdk-init=true",
                   "other_config:dpdk-extra=--no-pci --file-prefix %s" % self.file_prefix,
                   "other_config:dpdk-socket-mem=256", "other_config:dpdk-socket-limit=512",
                   "other_config:pmd-cpu-mask=%s" % self.pmd_mask)

    def ip(self, *args, **kw):
        """ip(8) inside the sandbox's namespace."""
        return self._run(["ip", "-n", self.netns] + list(args), **kw)

    def start_vswitchd(self):
        binary = self.vswitchd
        if os.path.basename(binary) != "ovs-vswitchd":
            # OVS names its pidfile, log and control socket after argv[0]: run Debian's
            # ovs-vswitchd-dpdk as "ovs-vswitchd" so ovs-appctl (and dpsflow) find it
            link = os.path.join(self.rundir, "bin", "ovs-vswitchd")
            os.makedirs(os.path.dirname(link), exist_ok=True)
            if not os.path.islink(link):
                os.symlink(binary, link)
            binary = link
        pin = ["taskset", "-c", self.main_cpus] if self.main_cpus else []
        args = ["ip", "netns", "exec", self.netns] + pin + [binary,
                "unix:" + self.db, "--pidfile", "--detach", "--log-file"]
        self._run(args, timeout=60)

    def start(self):
        self._run(["ip", "netns", "add", self.netns])
        self.ip("link", "set", "lo", "up")
        self.start_db()
        self.start_vswitchd()
        return self

    def pid(self, daemon):
        try:
            with open(os.path.join(self.rundir, daemon + ".pid")) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def stop_vswitchd(self, hard=False):
        pid = self.pid("ovs-vswitchd")
        if pid is None:
            return
        if hard:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        else:
            self.appctl("-t", "ovs-vswitchd", "exit", check=False)
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        try:
            os.unlink(os.path.join(self.rundir, "ovs-vswitchd.pid"))
        except OSError:
            pass

    def log(self):
        try:
            with open(os.path.join(self.rundir, "ovs-vswitchd.log")) as f:
                return f.read()
        except OSError:
            return ""

    def stop(self, keep=False):
        self.stop_vswitchd()
        pid = self.pid("ovsdb-server")
        if pid is not None:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        self._run(["ip", "netns", "del", self.netns], check=False)
        # OVS runs DPDK --in-memory: only EAL's runtime directory is left behind
        shutil.rmtree("/var/run/dpdk/" + self.file_prefix, ignore_errors=True)
        if not keep:
            shutil.rmtree(self.rundir, ignore_errors=True)

    def pmd_packets(self):
        """Packets received per PMD thread (pmd-stats-show)."""
        out = self.appctl("dpif-netdev/pmd-stats-show")
        total = 0
        for line in out.splitlines():
            line = line.strip()
            if line.startswith("packets received:"):
                total += int(line.split(":")[1])
        return total

    def ifindex(self, name):
        return int(self.vsctl("get", "Interface", name, "ifindex").strip())
