/* td_tcp.h - TCP header; options are covered by the data offset but not decoded.
 * Lean walk: nothing but the checks (the view reads ports and flags from the header). */
#ifndef TD_TCP_H
#define TD_TCP_H
#include "td_internal.h"

TD_INLINE enum td_next td_parse_tcp(struct td_walk *w, struct dps_layer *l, const int lean)
{
	struct dps_tcp *t = &l->u.tcp;
	uint32_t off = w->off;
	int r = td_need(w, off, 20);
	if (r)
		return td_partial(w, l, r, lean);
	const uint8_t *p = w->pkt + off;
	uint8_t data_offset = p[12] >> 4;
	if (!lean) {
		t->src_port = td_be16(p);
		t->dst_port = td_be16(p + 2);
		t->flags = (uint16_t)((p[12] & 1) << 8 | p[13]);
		t->seq = td_be32(p + 4);
		t->ack = td_be32(p + 8);
		t->data_offset = data_offset;
		t->window = td_be16(p + 14);
		l->length = 20;
	}
	if (data_offset < 5)
		return td_stop(w, l, TD_BAD, lean);
	uint32_t hlen = (uint32_t)data_offset * 4;
	r = td_need(w, off, hlen);
	if (r && !(r == TD_BAD && w->in_fragment))
		return td_stop(w, l, r, lean);
	if (r)
		return TD_NEXT_PAYLOAD;
	if (!lean)
		l->length = hlen;
	w->off = off + hlen;
	return TD_NEXT_PAYLOAD;
}
#endif
