/* td_sctp.h - SCTP common header (ports, verification tag); chunks are payload.
 * Lean walk: nothing but the check (the view reads the ports from the header). */
#ifndef TD_SCTP_H
#define TD_SCTP_H
#include "td_internal.h"

TD_INLINE enum td_next td_parse_sctp(struct td_walk *w, struct dps_layer *l, const int lean)
{
	int r = td_need(w, w->off, 12);
	if (r)
		return td_partial(w, l, r, lean);
	const uint8_t *p = w->pkt + w->off;
	if (!lean) {
		l->u.sctp.src_port = td_be16(p);
		l->u.sctp.dst_port = td_be16(p + 2);
		l->u.sctp.vtag = td_be32(p + 4);
		l->length = 12;
	}
	w->off += 12;
	return TD_NEXT_PAYLOAD;
}
#endif
