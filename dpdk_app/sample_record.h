/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fixed-size record a worker lcore hands to the exporter for each sample, and the inline
 * helper that writes a burst of them straight into the worker's ring (zero-copy enqueue: the
 * header bytes are copied once, from the mbuf into ring memory in hugepages).
 *
 * A record holds no pointers, so the exporter may read it after the mbuf is long freed or
 * forwarded.
 */
#ifndef DPS_SAMPLE_RECORD_H
#define DPS_SAMPLE_RECORD_H

#include <stdint.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <rte_ring_peek_zc.h>

/* Largest headerBytes the agent accepts; the config parser enforces the same bound. */
#define DPS_RECORD_HEADER_MAX 256

struct dps_sample_record {
	uint16_t source;      /* index into the app's data source table (one per port) */
	uint16_t header_len;  /* bytes of header[] that are valid */
	uint32_t frame_len;   /* packet length as received, without FCS */
	uint32_t in_ifindex;
	uint32_t out_ifindex; /* peer's ifIndex in forward mode, 0 (unknown) in monitor mode */
	uint32_t sampling_rate; /* the 1-in-N this sample was drawn with: a reload or a link
				 * change must not relabel samples already in the ring */
	uint32_t reserved;
	uint8_t header[DPS_RECORD_HEADER_MAX];
};

/* rte_ring element sizes must be multiples of 4 */
_Static_assert(sizeof(struct dps_sample_record) % 4 == 0, "ring element size");

struct dps_record_meta {
	uint16_t source;
	uint16_t header_bytes;
	uint32_t in_ifindex;
	uint32_t out_ifindex;
};

static inline void
dps_record_fill(struct dps_sample_record *rec, const struct rte_mbuf *m,
		const struct dps_record_meta *meta, uint32_t header_bytes, uint32_t rate)
{
	uint32_t len = rte_pktmbuf_pkt_len(m);
	uint32_t copy = len < header_bytes ? len : header_bytes;
	const void *data;

	rec->source = meta->source;
	rec->header_len = (uint16_t)copy;
	rec->frame_len = len;
	rec->in_ifindex = meta->in_ifindex;
	rec->out_ifindex = meta->out_ifindex;
	rec->sampling_rate = rate;
	rec->reserved = 0;
	/* Single-segment mbufs (the common case) return a pointer into the data; chained ones
	 * are gathered into rec->header by rte_pktmbuf_read itself. */
	data = rte_pktmbuf_read(m, 0, copy, rec->header);
	if (data != NULL && data != rec->header)
		memcpy(rec->header, data, copy);
}

/*
 * Enqueues records for pkts[idx[0..n)] into an SP ring without a staging copy. Returns how
 * many were written; the rest are the caller's drops (ring full).
 */
static inline unsigned int
dps_record_enqueue(struct rte_ring *ring, struct rte_mbuf *const *pkts, const uint16_t *idx,
		   unsigned int n, const struct dps_record_meta *meta, uint32_t rate)
{
	struct rte_ring_zc_data zcd;
	struct dps_sample_record *rec;
	unsigned int got, i;
	/* the control thread may change headerBytes (SIGHUP): read it once per burst */
	uint32_t header_bytes = __atomic_load_n(&meta->header_bytes, __ATOMIC_RELAXED);

	got = rte_ring_enqueue_zc_burst_elem_start(ring, sizeof(struct dps_sample_record), n,
						   &zcd, NULL);
	if (got == 0)
		return 0;
	rec = zcd.ptr1;
	for (i = 0; i < got; i++) {
		if (i == zcd.n1)
			rec = zcd.ptr2; /* the reservation wrapped around the ring's end */
		dps_record_fill(rec++, pkts[idx[i]], meta, header_bytes, rate);
	}
	rte_ring_enqueue_zc_elem_finish(ring, got);
	return got;
}

#endif /* DPS_SAMPLE_RECORD_H */
