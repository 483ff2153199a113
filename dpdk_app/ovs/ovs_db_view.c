/* SPDX-License-Identifier: BSD-3-Clause */
/* ovs_db_view.c - pure helpers on an OVSDB view (see ovs_db.h): no OVS, no DPDK. */
#include <string.h>

#include "dps_sampling.h"
#include "ovs_db.h"

void dps_ovsdb_port_table(const struct dps_ovsdb_view *v, struct dps_ovs_port_table *t)
{
	t->n = 0;
	for (unsigned i = 0; i < v->n_ifaces && t->n < DPS_OVS_MAX_PORTS; i++) {
		const struct dps_ovsdb_iface *f = &v->ifaces[i];
		if (f->odp_port == DPS_OVS_PORT_UNKNOWN || !f->has_ifindex)
			continue;
		struct dps_ovs_port *p = &t->ports[t->n++];
		memset(p, 0, sizeof(*p));
		p->odp_port = f->odp_port;
		p->ifindex = f->ifindex;
		p->ofport = f->ofport >= 0 && f->ofport <= UINT32_MAX ? (uint32_t)f->ofport : 0;
		memcpy(p->name, f->name, sizeof(p->name));
		memcpy(p->bridge, f->bridge, sizeof(p->bridge));
	}
}

bool dps_ovsdb_bridge_wanted(const char *const *bridges, unsigned n_bridges, const char *name)
{
	if (n_bridges == 0)
		return true;
	for (unsigned i = 0; i < n_bridges; i++)
		if (strcmp(bridges[i], name) == 0)
			return true;
	return false;
}

const struct dps_ovsdb_bridge *dps_ovsdb_governing(const struct dps_ovsdb_view *v,
						   const char *const *bridges, unsigned n_bridges,
						   const char **conflict)
{
	const struct dps_ovsdb_bridge *first = NULL;

	*conflict = NULL;
	for (unsigned i = 0; i < v->n_bridges; i++) {
		const struct dps_ovsdb_bridge *b = &v->bridges[i];
		if (!b->has_sflow || !dps_ovsdb_bridge_wanted(bridges, n_bridges, b->name))
			continue;
		if (first == NULL)
			first = b;
		else if (*conflict == NULL && memcmp(&first->sflow, &b->sflow, sizeof(b->sflow)) != 0)
			*conflict = b->name;
	}
	return first;
}

static uint32_t c32(uint64_t v)
{
	/* sFlow's 32-bit packet counters wrap, as SNMP's do; unknown stays unknown */
	return v == UINT64_MAX ? DPS_SFLOW_UNKNOWN_COUNTER : (uint32_t)v;
}

static uint64_t c64(uint64_t v)
{
	return v == UINT64_MAX ? 0 : v;
}

/* unicast = all - multicast - broadcast, where OVS reports the latter two */
static uint32_t unicast(uint64_t all, uint64_t mcast, uint64_t bcast)
{
	if (all == UINT64_MAX)
		return DPS_SFLOW_UNKNOWN_COUNTER;
	uint64_t other = (mcast == UINT64_MAX ? 0 : mcast) + (bcast == UINT64_MAX ? 0 : bcast);
	return (uint32_t)(all >= other ? all - other : 0);
}

void dps_ovsdb_iface_counters(const struct dps_ovsdb_iface *f, uint32_t source_index,
			      struct dps_counters_sample *cs)
{
	struct dps_if_counters *g = &cs->generic;

	memset(cs, 0, sizeof(*cs));
	cs->source_type = DPS_SFLOW_DS_IFINDEX;
	cs->source_index = source_index;
	cs->records = DPS_CR_GENERIC | DPS_CR_PORT_NAME;
	cs->port_name = f->name;
	g->ifIndex = source_index;
	g->ifType = 6; /* ethernetCsmacd, as OVS reports its ports */
	g->ifSpeed = f->link_speed_bps;
	g->ifDirection = f->link_speed_bps == 0 ? 0 : (f->full_duplex ? 1 : 2);
	g->ifStatus = (f->admin_up ? 1u : 0u) | (f->link_up ? 2u : 0u);
	g->ifInOctets = c64(f->rx_bytes);
	g->ifInUcastPkts = unicast(f->rx_packets, f->rx_multicast, f->rx_broadcast);
	g->ifInMulticastPkts = c32(f->rx_multicast);
	g->ifInBroadcastPkts = c32(f->rx_broadcast);
	g->ifInDiscards = c32(f->rx_dropped);
	g->ifInErrors = c32(f->rx_errors);
	g->ifInUnknownProtos = DPS_SFLOW_UNKNOWN_COUNTER;
	g->ifOutOctets = c64(f->tx_bytes);
	g->ifOutUcastPkts = unicast(f->tx_packets, f->tx_multicast, f->tx_broadcast);
	g->ifOutMulticastPkts = c32(f->tx_multicast);
	g->ifOutBroadcastPkts = c32(f->tx_broadcast);
	g->ifOutDiscards = c32(f->tx_dropped);
	g->ifOutErrors = c32(f->tx_errors);
	g->ifPromiscuousMode = 0;
}
