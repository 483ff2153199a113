/* td_vxlan.h - VXLAN (RFC 7348): flags (I = 0x08 in the first byte marks the VNI valid),
 * 24-bit VNI, inner Ethernet. Without the I flag the inner frame is still decoded (Linux and
 * Wireshark do), VNI invalid. Lean walk: vni_valid, vni. */
#ifndef TD_VXLAN_H
#define TD_VXLAN_H
#include "td_internal.h"

TD_INLINE enum td_next td_parse_vxlan(struct td_walk *w, struct dps_layer *l, const int lean)
{
	struct dps_vxlan *v = &l->u.vxlan;
	int r = td_need(w, w->off, 8);
	if (r)
		return td_partial(w, l, r, lean);
	const uint8_t *p = w->pkt + w->off;
	v->vni_valid = (p[0] >> 3) & 1;
	v->vni = td_be24(p + 4);
	if (!lean) {
		v->flags = td_be16(p);
		v->gbp = td_be16(p + 2);
		l->length = 8;
	}
	w->off += 8;
	td_mark_encap(w);
	return TD_NEXT_ETH;
}
#endif
