/* sctp.c - SCTP common header (ports, verification tag); chunks are payload. */
#include "td_internal.h"

enum td_next td_parse_sctp(struct td_walk *w, struct dps_layer *l)
{
	int r = td_need(w, w->off, 12);
	if (r)
		return td_partial(w, l, r);
	const uint8_t *p = w->pkt + w->off;
	l->u.sctp.src_port = td_be16(p);
	l->u.sctp.dst_port = td_be16(p + 2);
	l->u.sctp.vtag = td_be32(p + 4);
	l->length = 12;
	w->off += 12;
	return TD_NEXT_PAYLOAD;
}
