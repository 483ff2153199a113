/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DPS_COUNTERS_H
#define DPS_COUNTERS_H

#include <rte_ethdev.h>

#include "app.h"

/* Fills cs from the port's rte_eth_stats/xstats and link; stats_out (may be NULL) gets the
 * rte_eth_stats the sample was built from. Returns 0 or -1. cs->port_name points into app. */
int dps_port_counters(const struct dps_app *app, unsigned int port_idx,
		      struct dps_counters_sample *cs, struct rte_eth_stats *stats_out);

#endif
