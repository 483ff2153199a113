/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sums what the workers count, for the exporter (sample_pool and drops of each flow sample),
 * the stats line and telemetry. Workers write with relaxed stores and a single writer per
 * counter, so relaxed loads give whole values; the sum across tasks is not one instant, which
 * is fine for counters that only grow. Software and hardware sampling periods of a port add
 * up: the pool of each counts only the packets its sampler could have taken.
 */
#include <string.h>

#include "stats.h"

void
dps_source_stats_read(const struct dps_app *app, unsigned int port_idx,
		      struct dps_source_stats *out)
{
	const struct dps_port *p = &app->ports[port_idx];
	struct dps_sampler_stats ss;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < p->n_tasks; i++) {
		const struct dps_task *t = p->tasks[i];

		dps_sampler_read(&t->sampler, &ss);
		out->sample_pool += ss.sample_pool;
		out->samples += ss.samples;
		out->drops += ss.drops;
		out->rx_packets += __atomic_load_n(&t->rx_packets, __ATOMIC_RELAXED);
		if (t->sample_queue)
			out->sample_queue_rx += __atomic_load_n(&t->rx_packets, __ATOMIC_RELAXED);
		out->tx_packets += __atomic_load_n(&t->tx_packets, __ATOMIC_RELAXED);
		out->tx_dropped += __atomic_load_n(&t->tx_dropped, __ATOMIC_RELAXED);
		out->samples += __atomic_load_n(&t->hw_samples, __ATOMIC_RELAXED);
		out->drops += __atomic_load_n(&t->hw_drops, __ATOMIC_RELAXED);
	}
	/* hardware sampling: the NIC counted the pool, and the sample queue's own losses are
	 * samples lost too (hwsample.c publishes both) */
	out->sample_pool += __atomic_load_n(&p->hw_pool, __ATOMIC_RELAXED);
	out->drops += __atomic_load_n(&p->hw_queue_drops, __ATOMIC_RELAXED);
}

uint64_t
dps_rings_occupancy(const struct dps_app *app)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < app->n_workers; i++)
		n += rte_ring_count(app->workers[i].ring);
	return n;
}
