/* encode_datagram.c - the sFlow v5 datagram header. */
#include <errno.h>

#include "xdr_writer.h"

size_t dps_datagram_header_size(const struct dps_sflow_addr *agent)
{
	/* version, address, sub_agent_id, sequence, uptime, n_samples */
	return 4 + xdr_addr_size(agent) + 16;
}

int dps_encode_datagram_header(struct dps_xdr *x, const struct dps_sflow_addr *agent,
			       uint32_t sub_agent_id, uint32_t seq, uint32_t uptime_ms,
			       uint32_t n_samples)
{
	if (!xdr_addr_valid(agent))
		return -EINVAL;
	if (!dps_xdr_room(x, dps_datagram_header_size(agent)))
		return -ENOSPC;
	uint8_t *p = x->buf + x->len;
	p = xdr_u32(p, DPS_SFLOW_VERSION);
	p = xdr_addr(p, agent);
	p = xdr_u32(p, sub_agent_id);
	p = xdr_u32(p, seq);
	p = xdr_u32(p, uptime_ms);
	p = xdr_u32(p, n_samples);
	x->len = (size_t)(p - x->buf);
	return 0;
}
