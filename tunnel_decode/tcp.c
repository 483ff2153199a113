/* tcp.c - TCP header; options are covered by the data offset but not decoded. */
#include "td_internal.h"

enum td_next td_parse_tcp(struct td_walk *w, struct dps_layer *l)
{
	struct dps_tcp *t = &l->u.tcp;
	uint32_t off = w->off;
	int r = td_need(w, off, 20);
	if (r)
		return td_partial(w, l, r);
	const uint8_t *p = w->pkt + off;
	t->src_port = td_be16(p);
	t->dst_port = td_be16(p + 2);
	t->seq = td_be32(p + 4);
	t->ack = td_be32(p + 8);
	t->data_offset = p[12] >> 4;
	t->flags = (uint16_t)((p[12] & 1) << 8 | p[13]);
	t->window = td_be16(p + 14);
	l->length = 20;
	if (t->data_offset < 5)
		return td_stop(w, l, TD_BAD);
	uint32_t hlen = (uint32_t)t->data_offset * 4;
	r = td_need(w, off, hlen);
	if (r && !(r == TD_BAD && w->in_fragment))
		return td_stop(w, l, r);
	if (r)
		return TD_NEXT_PAYLOAD;
	l->length = hlen;
	w->off = off + hlen;
	return TD_NEXT_PAYLOAD;
}
