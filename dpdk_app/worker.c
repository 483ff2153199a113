/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Worker lcore loop: rx burst → 1-in-N sampler → sample records into this worker's ring →
 * forward to the peer port or free.
 *
 * Per burst, not per packet: one sampler call accounts the whole burst (no random number unless
 * a sample is taken) and counters are bumped once. Samples are written straight into a ring
 * reservation the worker keeps open across bursts and publishes in batches (sample_record.h).
 * With hardware sampling the NIC draws the 1-in-N and the queue it feeds is recorded whole;
 * the other queues' samplers are at rate 0 and only forward or free. No locks, no syscalls,
 * no allocation: a full ring or a full peer tx queue is a counted drop and the loop moves on.
 */
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "app.h"

static inline void
dps_counter_add(uint64_t *counter, uint64_t n)
{
	/* single writer: a relaxed store lets readers on other lcores see whole values */
	__atomic_store_n(counter, *counter + n, __ATOMIC_RELAXED);
}

_Static_assert(DPS_RX_BURST == 32, "every_packet lists one index per burst slot");

/* 0..31: a burst of hardware samples is recorded whole, in order */
static const uint16_t every_packet[DPS_RX_BURST] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
};

/* A queue the NIC's sampler feeds: each packet is a copy and a sample drawn 1-in-rate. The
 * original went its way in hardware, so the copy is never forwarded. */
static inline void
dps_task_hw_samples(struct dps_task *t, struct rte_ring *ring, struct dps_record_batch *batch,
		    struct rte_mbuf **pkts, uint16_t n, uint32_t rate)
{
	unsigned int queued;

	queued = dps_record_batch_add(ring, batch, pkts, every_packet, n, &t->meta, rate, rate);
	dps_counter_add(&t->hw_samples, n);
	if (unlikely(queued != n))
		dps_counter_add(&t->hw_drops, n - queued);
	rte_pktmbuf_free_bulk(pkts, n);
}

/* Returns the number of packets received. */
static inline uint16_t
dps_task_poll(struct dps_task *t, struct rte_ring *ring, struct dps_record_batch *batch)
{
	struct rte_mbuf *pkts[DPS_RX_BURST];
	uint16_t sampled_idx[DPS_RX_BURST];
	uint16_t n, sent;
	unsigned int n_sampled, queued;
	uint32_t hw_rate;

	n = rte_eth_rx_burst(t->port_id, t->queue_id, pkts, DPS_RX_BURST);
	if (n == 0)
		return 0;
	dps_counter_add(&t->rx_packets, n);

	/* one per-burst test of a field on this task's own line: the sample queue (and a
	 * representor whose VF the E-Switch samples) takes every packet, the rest is unchanged */
	hw_rate = __atomic_load_n(&t->hw_rate, __ATOMIC_RELAXED);
	if (unlikely(hw_rate != 0)) {
		dps_task_hw_samples(t, ring, batch, pkts, n, hw_rate);
		return n;
	}

	n_sampled = dps_sampler_burst(&t->sampler, n, sampled_idx);
	if (unlikely(n_sampled != 0)) {
		/* each sample carries the rate that selected it: after a reload the burst's
		 * first sample may still close a gap drawn with the old rate */
		queued = dps_record_batch_add(ring, batch, pkts, sampled_idx, n_sampled, &t->meta,
					      t->sampler.first_sample_rate,
					      t->sampler.active_rate);
		if (unlikely(queued != n_sampled))
			dps_sampler_count_drops(&t->sampler, n_sampled - queued);
	}

	if (t->tx_port == UINT16_MAX) {
		rte_pktmbuf_free_bulk(pkts, n);
		return n;
	}
	sent = rte_eth_tx_burst(t->tx_port, t->tx_queue, pkts, n);
	dps_counter_add(&t->tx_packets, sent);
	if (unlikely(sent != n)) {
		rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
		dps_counter_add(&t->tx_dropped, n - sent);
	}
	return n;
}

int
dps_worker_main(void *arg)
{
	struct dps_worker *w = arg;
	struct dps_record_batch batch = { .reserved = 0 };
	unsigned int i, received;

	if (w->n_tasks == 0)
		return 0; /* more lcores than queues: do not spin a core for nothing */

	while (!__atomic_load_n(&dps_force_quit, __ATOMIC_RELAXED)) {
		received = 0;
		for (i = 0; i < w->n_tasks; i++)
			received += dps_task_poll(w->tasks[i], w->ring, &batch);
		dps_record_batch_round(w->ring, &batch, received == 0);
	}
	/* the exporter drains the rings once every worker has returned */
	dps_record_batch_publish(w->ring, &batch);
	return 0;
}
