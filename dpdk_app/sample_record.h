/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fixed-size record a worker lcore hands to the exporter for each sample, and the inline
 * helpers that write them straight into the worker's ring (zero-copy enqueue: the header bytes
 * are copied once, from the mbuf into ring memory in hugepages).
 *
 * A record holds no pointers, so the exporter may read it after the mbuf is long freed or
 * forwarded.
 */
#ifndef DPS_SAMPLE_RECORD_H
#define DPS_SAMPLE_RECORD_H

#include <stdbool.h>
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
 * A reservation in a worker's SP ring that stays open across bursts.
 *
 * Why: the ring's head and tail share cache lines with the exporter's core. Reserving and
 * publishing once per burst that holds a sample (at 1:100 that is nearly every sample) reads
 * the consumer's tail and writes the producer's head and tail each time: two or three lines
 * pulled from the other core per sample, which cost the worker more time than the record
 * itself (benchmarks/ suite ceiling-alt). Holding up to DPS_RECORD_BATCH slots and publishing
 * them together pays that once per batch. The worker publishes a partly filled batch when a
 * poll round finds no packet or after DPS_RECORD_BATCH_ROUNDS rounds: a round is one burst
 * per task, so on a busy worker a sample waits at most 64 bursts per task (~100 us at
 * 20 Mpps per task) before the exporter can see it, and on an idle one not at all.
 */
#define DPS_RECORD_BATCH 16
#define DPS_RECORD_BATCH_ROUNDS 64

struct dps_record_batch {
	struct rte_ring_zc_data zcd;  /* the open reservation: slots [0, reserved) */
	unsigned int reserved;        /* 0: none open */
	unsigned int used;            /* slots written, published at the next publish */
	unsigned int rounds;          /* poll rounds since the reservation was opened */
};

/* Makes the written records visible to the exporter and gives back the unwritten slots. */
static inline void
dps_record_batch_publish(struct rte_ring *ring, struct dps_record_batch *b)
{
	if (b->reserved == 0)
		return;
	/* an SP ring's finish may commit fewer than were reserved: the head moves back */
	rte_ring_enqueue_zc_elem_finish(ring, b->used);
	b->reserved = 0;
	b->used = 0;
	b->rounds = 0;
}

/* Called once per poll round: publishes a batch that has waited long enough, or at once
 * when the round found no packet (a trickle of samples is not held back). */
static inline void
dps_record_batch_round(struct rte_ring *ring, struct dps_record_batch *b, bool idle)
{
	if (b->reserved != 0 && (idle || ++b->rounds >= DPS_RECORD_BATCH_ROUNDS))
		dps_record_batch_publish(ring, b);
}

/*
 * Writes records for pkts[idx[0..n)] into the open reservation, opening a new one when it is
 * full. Returns how many were written; the rest are the caller's drops (ring full). A batch
 * that fills up is published at once. The first record is labelled first_rate, the others
 * rate: the sampler's two labels for a burst (dps_sampler.h), equal except across a change.
 */
static inline unsigned int
dps_record_batch_add(struct rte_ring *ring, struct dps_record_batch *b,
		     struct rte_mbuf *const *pkts, const uint16_t *idx, unsigned int n,
		     const struct dps_record_meta *meta, uint32_t first_rate, uint32_t rate)
{
	struct dps_sample_record *rec;
	unsigned int queued = 0, want;
	/* the control thread may change headerBytes (SIGHUP): read it once per burst */
	uint32_t header_bytes = __atomic_load_n(&meta->header_bytes, __ATOMIC_RELAXED);

	while (queued < n) {
		if (b->reserved == 0) {
			want = n - queued > DPS_RECORD_BATCH ? n - queued : DPS_RECORD_BATCH;
			b->reserved = rte_ring_enqueue_zc_burst_elem_start(
				ring, sizeof(struct dps_sample_record), want, &b->zcd, NULL);
			if (b->reserved == 0)
				break; /* full: the exporter is behind */
		}
		if (b->used < b->zcd.n1)
			rec = (struct dps_sample_record *)b->zcd.ptr1 + b->used;
		else /* the reservation wrapped around the ring's end */
			rec = (struct dps_sample_record *)b->zcd.ptr2 + (b->used - b->zcd.n1);
		dps_record_fill(rec, pkts[idx[queued]], meta, header_bytes,
				queued == 0 ? first_rate : rate);
		queued++;
		if (++b->used == b->reserved)
			dps_record_batch_publish(ring, b);
	}
	return queued;
}

#endif /* DPS_SAMPLE_RECORD_H */
