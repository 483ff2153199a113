/* td_vxlan_gpe.h - VXLAN Generic Protocol Extension (UDP 4790): flags, next protocol
 * (1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH, 5 MPLS), 24-bit VNI. Lean walk: vni_valid, vni. */
#ifndef TD_VXLAN_GPE_H
#define TD_VXLAN_GPE_H
#include "td_internal.h"

TD_INLINE enum td_next td_parse_vxlan_gpe(struct td_walk *w, struct dps_layer *l,
					  const int lean)
{
	struct dps_vxlan_gpe *g = &l->u.gpe;
	int r = td_need(w, w->off, 8);
	if (r)
		return td_partial(w, l, r, lean);
	const uint8_t *p = w->pkt + w->off;
	uint8_t np = p[3];
	g->vni_valid = (p[0] >> 3) & 1;
	g->vni = td_be24(p + 4);
	if (!lean) {
		g->flags = p[0];
		g->next_protocol = np;
		l->length = 8;
	}
	w->off += 8;
	enum td_next next = td_from_gpe_np(np);
	if (next != TD_NEXT_PAYLOAD)
		td_mark_encap(w);
	return next;
}
#endif
