/* td_ipv4.h - IPv4 with options. The total length bounds everything inside; only the first
 * fragment carries the L4 header, and no fragment is searched for tunnels (payload incomplete).
 * Lean walk: protocol (the view refers to the header for the rest: struct dps_flow_ref). */
#ifndef TD_IPV4_H
#define TD_IPV4_H
#include "td_internal.h"

TD_INLINE enum td_next td_parse_ipv4(struct td_walk *w, struct dps_layer *l, const int lean)
{
	struct dps_ipv4 *ip = &l->u.ipv4;
	uint32_t off = w->off;
	int r = td_need(w, off, 20);
	if (r)
		return td_partial(w, l, r, lean);
	const uint8_t *p = w->pkt + off;
	uint8_t ihl = p[0] & 0x0F;
	if ((p[0] >> 4) != 4 || ihl < 5)
		return td_partial(w, l, TD_BAD, lean);
	uint16_t total_length = td_be16(p + 2);
	uint16_t frag = td_be16(p + 6);
	uint16_t frag_off = frag & 0x1FFF;
	uint8_t more_frags = (frag >> 13) & 1;
	uint8_t protocol = p[9];
	ip->protocol = protocol;
	if (!lean) {
		ip->tos = p[1];
		ip->total_length = total_length;
		memcpy(ip->src, p + 12, 4);
		memcpy(ip->dst, p + 16, 4);
		ip->ihl = ihl;
		ip->id = td_be16(p + 4);
		ip->frag_off = frag_off;
		ip->more_frags = more_frags;
		ip->dont_frag = (frag >> 14) & 1;
		ip->ttl = p[8];
		ip->checksum = td_be16(p + 10);
		l->length = 20;
	}
	uint32_t hlen = (uint32_t)ihl * 4;
	if (total_length < hlen || td_set_end(w, off, total_length))
		return td_stop(w, l, TD_BAD, lean);
	r = td_need(w, off, hlen);
	if (r)
		return td_stop(w, l, r, lean);
	if (!lean)
		l->length = hlen;
	w->off = off + hlen;
	if (frag_off)
		return TD_NEXT_PAYLOAD;
	if (more_frags)
		w->in_fragment = 1;
	enum td_next next = td_from_ipproto(protocol);
	if (next == TD_NEXT_IPV4 || next == TD_NEXT_IPV6 || next == TD_NEXT_GRE) {
		if (w->in_fragment)
			return TD_NEXT_PAYLOAD;
		if (next != TD_NEXT_GRE)
			td_mark_encap(w);
	}
	return next;
}
#endif
