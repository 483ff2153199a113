/* encode_counters.c - counters_sample (format 2 / expanded 4) and its counter records. */
#include <errno.h>

#include "xdr_writer.h"

#define GENERIC_BODY  88u
#define ETHERNET_BODY 52u

static bool counters_expanded(const struct dps_counters_sample *cs)
{
	return cs->source_index >= 0x01000000u || cs->source_type > 0xff;
}

static size_t port_name_len(const struct dps_counters_sample *cs)
{
	return cs->port_name ? strnlen(cs->port_name, DPS_MAX_PORT_NAME + 1) : 0;
}

size_t dps_counters_sample_size(const struct dps_counters_sample *cs)
{
	size_t n = 8 + (counters_expanded(cs) ? 16 : 12);
	if (cs->records & DPS_CR_GENERIC)
		n += 8 + GENERIC_BODY;
	if (cs->records & DPS_CR_ETHERNET)
		n += 8 + ETHERNET_BODY;
	if (cs->records & DPS_CR_PORT_NAME) {
		size_t len = port_name_len(cs);
		if (len > DPS_MAX_PORT_NAME)
			return 0;
		n += 8 + 4 + xdr_pad4(len);
	}
	return n;
}

int dps_encode_counters_sample(struct dps_xdr *x, const struct dps_counters_sample *cs,
			       uint32_t seq)
{
	size_t size = dps_counters_sample_size(cs);
	if (size == 0)
		return -EINVAL;
	if (!dps_xdr_room(x, size))
		return -ENOSPC;

	uint8_t *p = x->buf + x->len;
	bool expanded = counters_expanded(cs);
	p = xdr_u32(p, expanded ? DPS_SFLOW_COUNTERS_SAMPLE_EXP : DPS_SFLOW_COUNTERS_SAMPLE);
	p = xdr_u32(p, (uint32_t)(size - 8));
	p = xdr_u32(p, seq);
	if (expanded) {
		p = xdr_u32(p, cs->source_type);
		p = xdr_u32(p, cs->source_index);
	} else {
		p = xdr_u32(p, cs->source_type << 24 | cs->source_index);
	}
	p = xdr_u32(p, xdr_count_records(cs->records &
					 (DPS_CR_GENERIC | DPS_CR_ETHERNET | DPS_CR_PORT_NAME)));

	if (cs->records & DPS_CR_GENERIC) {
		const struct dps_if_counters *g = &cs->generic;
		p = xdr_u32(p, DPS_SFLOW_CTR_GENERIC);
		p = xdr_u32(p, GENERIC_BODY);
		p = xdr_u32(p, g->ifIndex);
		p = xdr_u32(p, g->ifType);
		p = xdr_u64(p, g->ifSpeed);
		p = xdr_u32(p, g->ifDirection);
		p = xdr_u32(p, g->ifStatus);
		p = xdr_u64(p, g->ifInOctets);
		p = xdr_u32(p, g->ifInUcastPkts);
		p = xdr_u32(p, g->ifInMulticastPkts);
		p = xdr_u32(p, g->ifInBroadcastPkts);
		p = xdr_u32(p, g->ifInDiscards);
		p = xdr_u32(p, g->ifInErrors);
		p = xdr_u32(p, g->ifInUnknownProtos);
		p = xdr_u64(p, g->ifOutOctets);
		p = xdr_u32(p, g->ifOutUcastPkts);
		p = xdr_u32(p, g->ifOutMulticastPkts);
		p = xdr_u32(p, g->ifOutBroadcastPkts);
		p = xdr_u32(p, g->ifOutDiscards);
		p = xdr_u32(p, g->ifOutErrors);
		p = xdr_u32(p, g->ifPromiscuousMode);
	}
	if (cs->records & DPS_CR_ETHERNET) {
		const struct dps_eth_counters *e = &cs->eth;
		p = xdr_u32(p, DPS_SFLOW_CTR_ETHERNET);
		p = xdr_u32(p, ETHERNET_BODY);
		p = xdr_u32(p, e->dot3StatsAlignmentErrors);
		p = xdr_u32(p, e->dot3StatsFCSErrors);
		p = xdr_u32(p, e->dot3StatsSingleCollisionFrames);
		p = xdr_u32(p, e->dot3StatsMultipleCollisionFrames);
		p = xdr_u32(p, e->dot3StatsSQETestErrors);
		p = xdr_u32(p, e->dot3StatsDeferredTransmissions);
		p = xdr_u32(p, e->dot3StatsLateCollisions);
		p = xdr_u32(p, e->dot3StatsExcessiveCollisions);
		p = xdr_u32(p, e->dot3StatsInternalMacTransmitErrors);
		p = xdr_u32(p, e->dot3StatsCarrierSenseErrors);
		p = xdr_u32(p, e->dot3StatsFrameTooLongs);
		p = xdr_u32(p, e->dot3StatsInternalMacReceiveErrors);
		p = xdr_u32(p, e->dot3StatsSymbolErrors);
	}
	if (cs->records & DPS_CR_PORT_NAME) {
		size_t len = port_name_len(cs);
		p = xdr_u32(p, DPS_SFLOW_CTR_PORT_NAME);
		p = xdr_u32(p, (uint32_t)(4 + xdr_pad4(len)));
		p = xdr_u32(p, (uint32_t)len);
		p = xdr_opaque(p, cs->port_name, len);
	}
	if ((size_t)(p - (x->buf + x->len)) != size)
		__builtin_trap();   /* size and writer disagree: a library bug, stop at once */
	x->len += size;
	return 0;
}
