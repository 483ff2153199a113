/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dps_ovs_ring.h - layout of the shared-memory sample rings between a patched ovs-vswitchd
 * (producer, one ring per PMD thread) and dpsflow (consumer).
 *
 * The ONE source of this layout: dpsflow compiles it from ovs_patches/, and
 * ovs_patches/build-ovs.sh copies it into the OVS tree as lib/dps-ovs-ring.h before the
 * patch series is applied, so the two sides cannot drift apart silently. Any change to a
 * structure below must bump DPS_OVS_RING_VERSION; the consumer refuses other versions.
 *
 * Why not an rte_ring: OVS 3.1 runs DPDK with --in-memory and disables multi-process, so a
 * second process cannot look up an rte_ring (design brief §5). The file lives on hugetlbfs
 * (2 MiB pages: no TLB pressure on the PMD while it writes records), is mapped MAP_SHARED by
 * both processes and contains no pointers, only offsets.
 *
 * Who creates the file: ovs-vswitchd, when other_config:sflow-offload-ring=<path> is set.
 * The producer owns the geometry (how many PMD rings, their size) and must never wait for a
 * consumer, so it creates a fresh file (new inode, new generation) each time it starts or the
 * path changes, and simply counts drops while nobody drains. dpsflow opens the path, checks
 * magic/version/sizes, and re-opens when the inode or generation changes (OVS restarted).
 * A restarted dpsflow just maps the existing file and resumes at the current tail.
 *
 * Ordering: per ring one producer (the PMD thread that claimed it) and one consumer.
 * The producer fills a record, then publishes it with a release store of 'head'; the
 * consumer reads 'head' with acquire, copies records out, then frees them with a release
 * store of 'tail'. head and tail are free-running 64-bit counters on their own cache lines;
 * capacity is a power of two. Per-port counters (pool, samples, drops) are written by the
 * ring's producer only, with relaxed atomic stores, and read by the consumer with relaxed
 * loads (they are monotonic statistics, no ordering with the records is needed beyond the
 * copy carried in each record).
 */
#ifndef DPS_OVS_RING_H
#define DPS_OVS_RING_H 1

#include <stddef.h>
#include <stdint.h>

#define DPS_OVS_RING_MAGIC 0x5253564f53465044ULL /* "DPSFOVSR" in little-endian memory */
#define DPS_OVS_RING_VERSION 1

#define DPS_OVS_RING_MAX_RINGS 16       /* PMD threads (plus the non-PMD thread) served */
#define DPS_OVS_RING_CAPACITY 1024      /* records per ring; power of two */
#define DPS_OVS_RING_PORT_SLOTS 64      /* input datapath ports counted per ring */
#define DPS_OVS_RING_HEADER_BYTES 256   /* packet bytes kept per sample (max sFlow header) */
#define DPS_OVS_RING_ACTIONS_BYTES 512  /* datapath actions kept per sample (netlink) */
#define DPS_OVS_RING_TUN_OPTS_BYTES 252 /* Geneve options of the input tunnel (max 252) */
#define DPS_OVS_RING_CACHE_LINE 64

/* A port slot or a ring that nobody has claimed. Datapath port 0 is the bridge's local port,
 * so 0 cannot mean "free". */
#define DPS_OVS_PORT_NONE UINT32_MAX

/* dps_ovs_record.flags */
#define DPS_OVS_REC_ACTIONS_TRUNCATED (1u << 0) /* action list longer than the record holds */
#define DPS_OVS_REC_TUNNEL (1u << 1)            /* tun_* describe the input tunnel */
#define DPS_OVS_REC_TUNNEL_IPV6 (1u << 2)       /* tun_src/tun_dst are IPv6, else IPv4 in [0..3] */
#define DPS_OVS_REC_TUNNEL_KEY (1u << 3)        /* tun_id is present (OVS's FLOW_TNL_F_KEY) */
#define DPS_OVS_REC_TUNNEL_OPTS_RAW (1u << 4)   /* tun_opts are the raw Geneve options */

/* One sample. Multi-byte integers are host byte order unless the name ends in _be;
 * addresses and packet bytes are network order as on the wire. */
struct dps_ovs_record {
	uint64_t sample_pool;     /* packets through this port's sFlow action, this one included */
	uint64_t drops;           /* samples of this port lost so far (ring full) */
	uint32_t frame_length;    /* length of the packet when sampled */
	uint32_t in_odp_port;     /* datapath input port */
	uint32_t sampling_rate;   /* 1-in-N in force for this sample */
	uint32_t sflow_output;    /* OVS's sFlow cookie 'output' (ifIndex-style encoding of
				   * the output port, 0x80000000|n for n ports, 0x40000000 drop) */
	uint16_t sflow_vlan_tci_be; /* cookie's destination VLAN TCI, network order */
	uint16_t header_length;   /* bytes valid in header[] */
	uint16_t actions_length;  /* bytes valid in actions[] */
	uint16_t flags;           /* DPS_OVS_REC_* */
	uint8_t ofproto_uuid[16]; /* the bridge (ofproto-dpif) that asked for the sample */
	/* input tunnel metadata (valid when flags & DPS_OVS_REC_TUNNEL) */
	uint8_t tun_src[16];      /* remote VTEP as seen on the wire (outer source) */
	uint8_t tun_dst[16];      /* local VTEP (outer destination) */
	uint64_t tun_id;          /* VNI / key, host order */
	uint16_t tun_tp_src;      /* outer UDP ports, host order (0 for GRE) */
	uint16_t tun_tp_dst;
	uint8_t tun_tos;
	uint8_t tun_ttl;
	uint8_t tun_opts_length;  /* bytes valid in tun_opts[] */
	uint8_t pad0;
	uint8_t header[DPS_OVS_RING_HEADER_BYTES];
	uint8_t actions[DPS_OVS_RING_ACTIONS_BYTES];
	uint8_t tun_opts[DPS_OVS_RING_TUN_OPTS_BYTES];
	uint8_t pad1[92];         /* record size a multiple of the cache line */
};

/* Counters of one input port seen by one ring's producer. */
struct dps_ovs_port_stats {
	uint32_t odp_port;        /* DPS_OVS_PORT_NONE while the slot is free */
	uint32_t sampling_rate;   /* last rate seen */
	uint64_t sample_pool;
	uint64_t samples;         /* records written */
	uint64_t drops;           /* records lost because the ring was full */
};

struct dps_ovs_ring {
	uint64_t head;            /* producer: records published (free-running) */
	uint8_t pad_head[DPS_OVS_RING_CACHE_LINE - 8];
	uint64_t tail;            /* consumer: records consumed (free-running) */
	uint8_t pad_tail[DPS_OVS_RING_CACHE_LINE - 8];
	uint32_t owner_core;      /* core id of the PMD that claimed the ring, or
				   * DPS_OVS_PORT_NONE while unclaimed */
	uint32_t n_port_slots_used;
	uint64_t unaccounted_drops; /* samples lost because the port table was full */
	uint8_t pad_owner[DPS_OVS_RING_CACHE_LINE - 16];
	struct dps_ovs_port_stats ports[DPS_OVS_RING_PORT_SLOTS];
	struct dps_ovs_record records[DPS_OVS_RING_CAPACITY];
};

struct dps_ovs_ring_file {
	uint64_t magic;
	uint32_t version;
	uint32_t file_header_size; /* sizeof(struct dps_ovs_ring_file) */
	uint32_t record_size;      /* sizeof(struct dps_ovs_record) */
	uint32_t ring_size;        /* sizeof(struct dps_ovs_ring) */
	uint32_t n_rings;
	uint32_t ring_capacity;
	uint32_t port_slots;
	uint32_t producer_pid;
	uint64_t generation;       /* producer's start time in ns: changes on every create */
	uint64_t file_size;
	uint32_t n_rings_claimed;  /* rings handed to producer threads so far */
	uint32_t ready;            /* set (release) last, once everything above is written */
	uint8_t pad[DPS_OVS_RING_CACHE_LINE - 64];
	struct dps_ovs_ring rings[DPS_OVS_RING_MAX_RINGS];
};

_Static_assert(sizeof(struct dps_ovs_record) % DPS_OVS_RING_CACHE_LINE == 0,
	       "records are whole cache lines");
_Static_assert(sizeof(struct dps_ovs_record) == 1216, "record layout is part of version 1");
_Static_assert(offsetof(struct dps_ovs_ring, tail) == DPS_OVS_RING_CACHE_LINE,
	       "head and tail on separate cache lines");
_Static_assert(offsetof(struct dps_ovs_ring, ports) % DPS_OVS_RING_CACHE_LINE == 0,
	       "port table starts on its own line");
_Static_assert(offsetof(struct dps_ovs_ring_file, rings) == DPS_OVS_RING_CACHE_LINE,
	       "file header is one cache line");
_Static_assert((DPS_OVS_RING_CAPACITY & (DPS_OVS_RING_CAPACITY - 1)) == 0,
	       "capacity is a power of two");

/* Bytes the file needs, rounded up to the 2 MiB hugepage size (hugetlbfs refuses a size that
 * is not a multiple of its page). */
#define DPS_OVS_RING_HUGEPAGE (2u * 1024 * 1024)
static inline uint64_t dps_ovs_ring_file_bytes(void)
{
	uint64_t raw = sizeof(struct dps_ovs_ring_file);
	return (raw + DPS_OVS_RING_HUGEPAGE - 1) / DPS_OVS_RING_HUGEPAGE * DPS_OVS_RING_HUGEPAGE;
}

/* The ordering primitives both sides use (GCC/clang builtins: OVS and dpsflow both build
 * with them, and neither side's own atomics header is visible to the other). */
static inline uint64_t dps_ovs_load_acquire(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void dps_ovs_store_release(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline uint64_t dps_ovs_load_relaxed(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void dps_ovs_store_relaxed(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

#endif /* DPS_OVS_RING_H */
