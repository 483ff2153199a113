/* td_udp.h - UDP; tunnels are recognised by destination port from the config (never inside an
 * IP fragment, where the UDP length cannot be checked and the payload is incomplete).
 * Lean walk: nothing but the checks (the view reads the ports from the header). */
#ifndef TD_UDP_H
#define TD_UDP_H
#include "td_internal.h"

/* The tunnel kind (enum dps_udp_tunnel) of a UDP destination port, -1 for none: the first
 * matching config entry wins (an extra port can't override a default one). Shared with the
 * fast path (td_fast.h). */
TD_INLINE int td_udp_port_kind(const struct dps_decode_config *c, uint16_t dst_port)
{
	for (unsigned i = 0; i < c->n_ports; i++)
		if (c->port[i] == dst_port)
			return c->port_kind[i];
	return -1;
}

TD_INLINE enum td_next td_parse_udp(struct td_walk *w, struct dps_layer *l, const int lean)
{
	struct dps_udp *u = &l->u.udp;
	uint32_t off = w->off;
	int r = td_need(w, off, 8);
	if (r)
		return td_partial(w, l, r, lean);
	const uint8_t *p = w->pkt + off;
	uint16_t dst_port = td_be16(p + 2);
	uint16_t length = td_be16(p + 4);
	if (!lean) {
		u->src_port = td_be16(p);
		u->dst_port = dst_port;
		u->length = length;
		u->checksum = td_be16(p + 6);
		l->length = 8;
	}
	w->off = off + 8;
	if (w->in_fragment)
		return TD_NEXT_PAYLOAD;
	if (length < 8 || td_set_end(w, off, length))
		return td_stop(w, l, TD_BAD, lean);
	switch (td_udp_port_kind(w->cfg, dst_port)) {
	case DPS_UDP_VXLAN: return TD_NEXT_VXLAN;
	case DPS_UDP_VXLAN_GPE: return TD_NEXT_VXLAN_GPE;
	case DPS_UDP_GENEVE: return TD_NEXT_GENEVE;
	case DPS_UDP_GTPU: return TD_NEXT_GTPU;
	default: return TD_NEXT_PAYLOAD;  /* no tunnel port (or an invalid kind) */
	}
}
#endif
