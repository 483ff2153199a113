/* td_icmp.h - ICMP and ICMPv6 type/code/checksum (the quoted packet of errors is not decoded).
 * Lean walk: nothing but the check (the view reads type and code from the header). */
#ifndef TD_ICMP_H
#define TD_ICMP_H
#include "td_internal.h"

TD_INLINE enum td_next td_parse_icmp(struct td_walk *w, struct dps_layer *l, const int lean)
{
	int r = td_need(w, w->off, 4);
	if (r)
		return td_partial(w, l, r, lean);
	const uint8_t *p = w->pkt + w->off;
	if (!lean) {
		l->u.icmp.type = p[0];
		l->u.icmp.code = p[1];
		l->u.icmp.checksum = td_be16(p + 2);
		l->length = 4;
	}
	w->off += 4;
	return TD_NEXT_PAYLOAD;
}
#endif
