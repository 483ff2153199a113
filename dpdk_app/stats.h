/* SPDX-License-Identifier: BSD-3-Clause */
/* Per data source totals summed over the (lcore, queue) tasks that feed it (stats.c). */
#ifndef DPS_STATS_H
#define DPS_STATS_H

#include <stdint.h>

#include "app.h"

struct dps_source_stats {
	uint64_t rx_packets;
	uint64_t sample_pool;
	uint64_t samples;
	uint64_t drops;
	uint64_t tx_packets;
	uint64_t tx_dropped;
	uint64_t sample_queue_rx;  /* of rx_packets, those polled on a NIC Rx sample queue */
};

void dps_source_stats_read(const struct dps_app *app, unsigned int port_idx,
			   struct dps_source_stats *out);
uint64_t dps_rings_occupancy(const struct dps_app *app);

/* exporter.c: adds one dict entry per collector to a telemetry dict */
struct rte_tel_data;
void dps_exporter_tel_collectors(const struct dps_app *app, struct rte_tel_data *d);

#endif
