"""Reads the per-port counters of a dpsflow OVS ring file (layout: ovs_patches/dps_ovs_ring.h)
independently of the C reader, for the tests' exact-count assertions."""
import mmap
import struct

MAGIC = 0x5253564F53465044
FILE_HEADER = "<QIIIIIIIIQQII"
PORT_NONE = 0xFFFFFFFF


def read(path):
    """One dict per used (ring, port) slot: ring, odp_port, rate, pool, samples, drops."""
    with open(path, "rb") as f:
        m = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
        try:
            (magic, version, header_size, record_size, ring_size, n_rings, capacity, slots,
             _pid, _gen, _size, _claimed, ready) = struct.unpack_from(FILE_HEADER, m, 0)
            if magic != MAGIC or version != 1 or not ready:
                raise ValueError("not a ready version-1 ring file")
            out = []
            for r in range(n_rings):
                base = header_size + r * ring_size
                # head (64-byte line), tail (line), owner line, then the port table
                for s in range(slots):
                    port, rate, pool, samples, drops = struct.unpack_from(
                        "<IIQQQ", m, base + 192 + s * 32)
                    if port != PORT_NONE:
                        out.append({"ring": r, "odp_port": port, "rate": rate, "pool": pool,
                                    "samples": samples, "drops": drops})
            return out
        finally:
            m.close()
