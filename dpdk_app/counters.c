/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interface counters of a DPDK port as an sFlow counters sample: generic interface (1),
 * ethernet (2) and port name (1005).
 *
 * rte_eth_stats has no unicast/multicast/broadcast split; PMDs that export it as xstats
 * (rx_unicast_packets, ...) fill it in, otherwise every received packet counts as unicast
 * (the collector's totals then stay right). Ethernet dot3 counters DPDK does not know are
 * 0xFFFFFFFF ("unknown"), except FCS errors where the PMD reports rx_crc_errors.
 */
#include <string.h>

#include <rte_ethdev.h>

#include "counters.h"
#include "stats.h"

static uint64_t
xstat_or(uint16_t port_id, uint64_t id, uint64_t fallback)
{
	uint64_t v;

	if (id == UINT64_MAX || rte_eth_xstats_get_by_id(port_id, &id, &v, 1) != 1)
		return fallback;
	return v;
}

/* Forward mode: packets other ports' workers sent to this port that its tx queue refused. */
static uint64_t
dps_port_tx_dropped(const struct dps_app *app, uint16_t port_id)
{
	uint64_t n = 0;
	unsigned int i, t;

	for (i = 0; i < app->n_ports; i++)
		for (t = 0; t < app->ports[i].n_tasks; t++)
			if (app->ports[i].tasks[t]->tx_port == port_id)
				n += __atomic_load_n(&app->ports[i].tasks[t]->tx_dropped,
						     __ATOMIC_RELAXED);
	return n;
}

int
dps_port_counters(const struct dps_app *app, unsigned int port_idx,
		  struct dps_counters_sample *cs, struct rte_eth_stats *stats_out)
{
	const struct dps_port *p = &app->ports[port_idx];
	struct dps_if_counters *g = &cs->generic;
	struct dps_eth_counters *e = &cs->eth;
	struct dps_source_stats ss;
	struct rte_eth_stats st;
	struct rte_eth_link link;
	uint64_t rx_m, rx_b, tx_m, tx_b, crc;
	int promisc;

	memset(&st, 0, sizeof(st));
	if (rte_eth_stats_get(p->port_id, &st) != 0)
		return -1;
	memset(&link, 0, sizeof(link));
	rte_eth_link_get_nowait(p->port_id, &link);
	dps_source_stats_read(app, port_idx, &ss);

	memset(cs, 0, sizeof(*cs));
	cs->source_type = DPS_SFLOW_DS_IFINDEX;
	cs->source_index = p->ifindex;
	cs->records = DPS_CR_GENERIC | DPS_CR_ETHERNET | DPS_CR_PORT_NAME;
	cs->port_name = p->name;

	g->ifIndex = p->ifindex;
	g->ifType = 6; /* ethernetCsmacd */
	g->ifSpeed = link.link_speed == RTE_ETH_SPEED_NUM_UNKNOWN
		? 0 : (uint64_t)link.link_speed * 1000000u;
	g->ifDirection = link.link_status == RTE_ETH_LINK_DOWN ? 0
		: (link.link_duplex == RTE_ETH_LINK_FULL_DUPLEX ? 1 : 2);
	g->ifStatus = (p->started ? 1u : 0u) | (link.link_status == RTE_ETH_LINK_UP ? 2u : 0u);

	rx_m = xstat_or(p->port_id, p->xid_rx_mcast, 0);
	rx_b = xstat_or(p->port_id, p->xid_rx_bcast, 0);
	tx_m = xstat_or(p->port_id, p->xid_tx_mcast, 0);
	tx_b = xstat_or(p->port_id, p->xid_tx_bcast, 0);
	g->ifInOctets = st.ibytes;
	g->ifInUcastPkts = (uint32_t)xstat_or(p->port_id, p->xid_rx_ucast,
					      st.ipackets - RTE_MIN(st.ipackets, rx_m + rx_b));
	g->ifInMulticastPkts = (uint32_t)rx_m;
	g->ifInBroadcastPkts = (uint32_t)rx_b;
	/* missed = dropped by the NIC for lack of rx descriptors; rx_nombuf = no mbuf */
	g->ifInDiscards = (uint32_t)(st.imissed + st.rx_nombuf);
	g->ifInErrors = (uint32_t)st.ierrors;
	g->ifInUnknownProtos = DPS_SFLOW_UNKNOWN_COUNTER;
	g->ifOutOctets = st.obytes;
	g->ifOutUcastPkts = (uint32_t)xstat_or(p->port_id, p->xid_tx_ucast,
					       st.opackets - RTE_MIN(st.opackets, tx_m + tx_b));
	g->ifOutMulticastPkts = (uint32_t)tx_m;
	g->ifOutBroadcastPkts = (uint32_t)tx_b;
	g->ifOutDiscards = (uint32_t)dps_port_tx_dropped(app, p->port_id);
	g->ifOutErrors = (uint32_t)st.oerrors;
	promisc = rte_eth_promiscuous_get(p->port_id);
	g->ifPromiscuousMode = promisc == 1 ? 1 : 2; /* truthValue: 1 true, 2 false */

	memset(e, 0xff, sizeof(*e));
	crc = xstat_or(p->port_id, p->xid_rx_crc, UINT64_MAX);
	if (crc != UINT64_MAX)
		e->dot3StatsFCSErrors = (uint32_t)crc;

	if (stats_out != NULL)
		*stats_out = st;
	return 0;
}
