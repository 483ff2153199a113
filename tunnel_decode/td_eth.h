/* td_eth.h - Ethernet II header. 802.3 length fields (< 0x0600) end decoding as payload.
 * Lean (view-only) walk: the view uses nothing from Ethernet, only the next protocol. */
#ifndef TD_ETH_H
#define TD_ETH_H
#include "td_internal.h"

TD_INLINE enum td_next td_parse_eth(struct td_walk *w, struct dps_layer *l, const int lean)
{
	int r = td_need(w, w->off, 14);
	if (r)
		return td_partial(w, l, r, lean);
	const uint8_t *p = w->pkt + w->off;
	uint16_t type = td_be16(p + 12);
	if (!lean) {
		memcpy(l->u.eth.dst, p, 6);
		memcpy(l->u.eth.src, p + 6, 6);
		l->u.eth.ethertype = type;
		l->length = 14;
	}
	w->off += 14;
	return td_from_ethertype(w, type);
}
#endif
