/* vxlan_gpe.c - VXLAN Generic Protocol Extension (UDP 4790): flags, next protocol
 * (1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH, 5 MPLS), 24-bit VNI. */
#include "td_internal.h"

enum td_next td_parse_vxlan_gpe(struct td_walk *w, struct dps_layer *l,
				const struct dps_layer *layers)
{
	struct dps_vxlan_gpe *g = &l->u.gpe;
	int r = td_need(w, w->off, 8);
	if (r)
		return td_partial(w, l, r);
	const uint8_t *p = w->pkt + w->off;
	g->flags = p[0];
	g->next_protocol = p[3];
	g->vni_valid = (p[0] >> 3) & 1;
	g->vni = td_be24(p + 4);
	l->length = 8;
	w->off += 8;
	enum td_next next = td_from_gpe_np(g->next_protocol);
	if (next != TD_NEXT_PAYLOAD)
		td_mark_encap(w, l, layers);
	return next;
}
