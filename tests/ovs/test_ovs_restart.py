#!/usr/bin/python3
"""Either side of the OVS offload may restart; a full ring only costs counted drops; a ring
file of another layout version is refused with a clear message.

1. dpsflow follows ovs-vswitchd: OVS is restarted under a running dpsflow (new ring file);
   dpsflow must attach to the new file and deliver samples within 2 s of its creation.
2. dpsflow restarts: while it is down OVS fills the ring and counts drops; a new dpsflow
   attaches to the same file, resumes, and reports OVS's drop count.
3. A ring file with layout version 99: dpsflow says so (naming both versions), keeps running.
"""
import json
import os
import signal
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "dpdk_app"))
sys.path.insert(0, HERE)
import harness as h  # noqa: E402
import sflowdecode  # noqa: E402
from ovs_sandbox import OvsSandbox, ovs_prefix  # noqa: E402
import ring_file  # noqa: E402


def start_dpsflow(dpsflow, tag, conf, env, duration):
    return subprocess.Popen([dpsflow] + h.eal_args(tag, "0") +
                            ["--", "--config", conf, "--duration", str(duration)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def finish(proc, timeout=60):
    out, err = proc.communicate(timeout=timeout)
    summ = [json.loads(l) for l in out.splitlines() if l.startswith('{"type":"summary"')]
    if proc.returncode != 0 or len(summ) != 1:
        h.fail("dpsflow exit %d\n%s" % (proc.returncode, err[-2000:]))
    return summ[0], err


def first_datagram_after(col, t0, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        later = [t for t in list(col.times) if t > t0]
        if later:
            return later[0] - t0
        time.sleep(0.02)
    return None


def wait_new_inode(path, old_ino, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            st = os.stat(path)
            if st.st_ino != old_ino:
                return time.monotonic()
        except OSError:
            pass
        time.sleep(0.01)
    return None


def main():
    dpsflow = h.binary()
    prefix = ovs_prefix(h)

    ovs = OvsSandbox(prefix, "dpsrst")
    ring = "/dev/hugepages/dps-rst-%d.ring" % os.getpid()
    bad = "/dev/shm/dps-bad-%d.ring" % os.getpid()  # tmpfs: hugetlbfs has no write(2)
    col = h.Collector()
    procs = []
    try:
        pcap = os.path.join(ovs.rundir, "inner.pcap")
        subprocess.run(["/usr/bin/python3", os.path.join(HERE, "make_ovs_pcaps.py"), pcap,
                        os.path.join(ovs.rundir, "u.pcap"), "100", "1"], check=True)
        ovs.start()
        ovs.vsctl("set", "Open_vSwitch", ".", "other_config:sflow-offload-ring=" + ring)
        # endless traffic, flows that drop it: the sFlow action still runs first
        ovs.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                  "--", "add-port", "br0", "p0", "--", "set", "Interface", "p0",
                  "type=dpdk", "options:dpdk-devargs=net_pcap0,rx_pcap=%s,tx_pcap=/dev/null,"
                  "infinite_rx=1" % pcap)
        ovs.ofctl("del-flows", "br0")
        ovs.ofctl("add-flow", "br0", "actions=drop")
        ovs.vsctl("--", "--id=@s", "create", "sflow", "agent=lo",
                  'target="127.0.0.1:6343"', "header=128", "sampling=1000", "polling=30",
                  "--", "set", "bridge", "br0", "sflow=@s")
        old_ino = os.stat(ring).st_ino
        conf = h.write_config("""
sflow {
  agent.cidr = 127.0.0.0/8
  polling = 0
  collector { ip = 127.0.0.1 udpport = %d }
}
ovs {
  ring = %s
  db = unix:%s
}
""" % (col.port, ring, ovs.db))
        env = dict(os.environ, PATH=ovs.env["PATH"])

        # 1. OVS restarts under a running dpsflow
        p1 = start_dpsflow(dpsflow, "dpsrst1", conf, env, 14)
        procs.append(p1)
        t_up = time.monotonic()
        h.check(first_datagram_after(col, t_up, 5) is not None, "samples flow from OVS")
        ovs.stop_vswitchd()
        ovs.start_vswitchd()
        t_new = wait_new_inode(ring, old_ino)
        h.check(t_new is not None, "the restarted ovs-vswitchd created a new ring file")
        summ1, err1 = finish(p1)
        procs.remove(p1)
        # samples of the new OVS carry a pool that starts again from 0: the first datagram
        # after the new file with a pool below the old maximum is the new file's
        old_max, t_first_new = 0, None
        for data, t in zip(list(col.raw), list(col.times)):
            pools = [x["sample_pool"] for x in sflowdecode.decode_datagram(data)["samples"]
                     if x.get("sample_type") == "flow"]
            if not pools:
                continue
            if t < t_new:
                old_max = max(old_max, max(pools))
            elif min(pools) < old_max:
                t_first_new = t
                break
        delay = None if t_first_new is None else t_first_new - t_new
        h.check(delay is not None and delay <= 2.0,
                "samples of the restarted OVS %.2f s after its new ring file appeared "
                "(<= 2 s)" % (delay if delay is not None else -1))
        h.check(summ1["ovs"]["attaches"] == 2 and err1.count("attached") >= 2,
                "dpsflow attached twice (before and after the OVS restart)")

        # 2. dpsflow restarts; the ring fills meanwhile
        before = ring_file.read(ring)
        time.sleep(1.0)
        full = ring_file.read(ring)
        drops_while_down = sum(s["drops"] for s in full) - sum(s["drops"] for s in before)
        h.check(drops_while_down > 0,
                "with no reader the full ring costs counted drops (%d in 1 s)" %
                drops_while_down)
        t_start = time.monotonic()
        p2 = start_dpsflow(dpsflow, "dpsrst2", conf, env, 4)
        procs.append(p2)
        delay = first_datagram_after(col, t_start, 5)
        h.check(delay is not None and delay <= 2.0,
                "a restarted dpsflow delivers samples %.2f s after it starts (<= 2 s)" %
                (delay if delay is not None else -1))
        summ2, _ = finish(p2)
        procs.remove(p2)
        after = ring_file.read(ring)
        h.check(summ2["ovs"]["ring_drops"] >= sum(s["drops"] for s in full),
                "dpsflow reports OVS's drop count (%d)" % summ2["ovs"]["ring_drops"])
        h.check(summ2["ovs"]["records"] >= 1024 and summ2["ovs"]["exported"] ==
                summ2["ovs"]["records"], "it read the full ring it found (%d records)" %
                summ2["ovs"]["records"])
        del after

        # 3. a ring of another layout version
        with open(bad, "wb") as f:
            f.truncate(2 * 1024 * 1024)
            f.seek(0)
            f.write(struct.pack("<QIIIIIIIIQQII", 0x5253564F53465044, 99, 64, 1216, 0, 1, 1024,
                                64, 1, 1, 2 * 1024 * 1024, 0, 1))
        conf_bad = h.write_config("""
sflow { polling = 0 }
ovs {
  ring = %s
  db = unix:%s
}
""" % (bad, ovs.db))
        p3 = start_dpsflow(dpsflow, "dpsrst3", conf_bad, env, 2)
        procs.append(p3)
        summ3, err3 = finish(p3)
        procs.remove(p3)
        h.check("version 99" in err3 and "version 1" in err3 and "refused" in err3,
                "a version-99 ring is refused, naming both versions: %s" %
                [l for l in err3.splitlines() if "version" in l][:1])
        h.check(summ3["ovs"]["attached"] == 0 and err3.count("version 99") == 1,
                "said once, dpsflow kept running and exited cleanly")
    finally:
        for p in procs:
            p.kill()
            p.communicate()
        col.close()
        ovs.stop()
        for f in (ring, bad):
            try:
                os.unlink(f)
            except OSError:
                pass
    print("PASS")


if __name__ == "__main__":
    main()
