/* ipv4.c - IPv4 with options. The total length bounds everything inside; only the first
 * fragment carries the L4 header, and no fragment is searched for tunnels (payload incomplete). */
#include "td_internal.h"

enum td_next td_parse_ipv4(struct td_walk *w, struct dps_layer *l, const struct dps_layer *layers)
{
	struct dps_ipv4 *ip = &l->u.ipv4;
	uint32_t off = w->off;
	int r = td_need(w, off, 20);
	if (r)
		return td_partial(w, l, r);
	const uint8_t *p = w->pkt + off;
	uint8_t ihl = p[0] & 0x0F;
	if ((p[0] >> 4) != 4 || ihl < 5)
		return td_partial(w, l, TD_BAD);
	ip->ihl = ihl;
	ip->tos = p[1];
	ip->total_length = td_be16(p + 2);
	ip->id = td_be16(p + 4);
	uint16_t frag = td_be16(p + 6);
	ip->frag_off = frag & 0x1FFF;
	ip->more_frags = (frag >> 13) & 1;
	ip->dont_frag = (frag >> 14) & 1;
	ip->ttl = p[8];
	ip->protocol = p[9];
	ip->checksum = td_be16(p + 10);
	memcpy(ip->src, p + 12, 4);
	memcpy(ip->dst, p + 16, 4);
	uint32_t hlen = (uint32_t)ihl * 4;
	l->length = 20;
	if (ip->total_length < hlen || td_set_end(w, off, ip->total_length))
		return td_stop(w, l, TD_BAD);
	r = td_need(w, off, hlen);
	if (r)
		return td_stop(w, l, r);
	l->length = hlen;
	w->off = off + hlen;
	if (ip->frag_off)
		return TD_NEXT_PAYLOAD;
	if (ip->more_frags)
		w->in_fragment = 1;
	enum td_next next = td_from_ipproto(ip->protocol);
	if (next == TD_NEXT_IPV4 || next == TD_NEXT_IPV6 || next == TD_NEXT_GRE) {
		if (w->in_fragment)
			return TD_NEXT_PAYLOAD;
		if (next != TD_NEXT_GRE)
			td_mark_encap(w, l, layers);
	}
	return next;
}
