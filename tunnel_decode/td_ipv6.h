/* td_ipv6.h - IPv6 fixed header and its extension-header chain (hop-by-hop 0, routing 43,
 * fragment 44, destination options 60, AH 51, mobility 135). Each extension header is at
 * least 8 bytes, so the chain walk always advances; entries past DPS_MAX_IPV6_EXT are only
 * counted. Lean walk: protocol (which, as in the full decode, names the extension header a
 * stop happened in); the view refers to the header for the rest (struct dps_flow_ref). */
#ifndef TD_IPV6_H
#define TD_IPV6_H
#include "td_internal.h"

static inline int is_ext_header(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51 || nh == 135;
}

TD_INLINE enum td_next td_parse_ipv6(struct td_walk *w, struct dps_layer *l, const int lean)
{
	struct dps_ipv6 *ip = &l->u.ipv6;
	uint32_t start = w->off;
	int r = td_need(w, start, 40);
	if (r)
		return td_partial(w, l, r, lean);
	const uint8_t *p = w->pkt + start;
	if ((p[0] >> 4) != 6)
		return td_partial(w, l, TD_BAD, lean);
	uint32_t vtf = td_be32(p);
	uint16_t payload_length = td_be16(p + 4);
	uint8_t next_header = p[6];
	if (!lean) {
		ip->traffic_class = (uint8_t)(vtf >> 20);
		ip->payload_length = payload_length;
		memcpy(ip->src, p + 8, 16);
		memcpy(ip->dst, p + 24, 16);
		ip->flow_label = vtf & 0xFFFFF;
		ip->next_header = next_header;
		ip->hop_limit = p[7];
		ip->n_ext = 0;
		ip->n_ext_stored = 0;
		ip->is_fragment = 0;
		ip->more_frags = 0;
		ip->frag_off = 0;
		ip->frag_id = 0;
		l->length = 40;
	}
	/* payload length 0 with hop-by-hop first is a jumbogram: keep the enclosing end */
	if (!(payload_length == 0 && next_header == 0) &&
	    td_set_end(w, start, 40u + payload_length)) {
		ip->protocol = next_header;
		return td_stop(w, l, TD_BAD, lean);
	}
	uint32_t off = start + 40;
	uint8_t nh = next_header;
	uint8_t is_fragment = 0;
	uint16_t frag_off = 0;
	while (is_ext_header(nh)) {
		ip->protocol = nh;
		r = td_need(w, off, 8);    /* every extension header is >= 8 bytes */
		if (r)
			return td_stop(w, l, r, lean);
		const uint8_t *e = w->pkt + off;
		uint32_t len;
		if (nh == 44)
			len = 8;
		else if (nh == 51)
			len = ((uint32_t)e[1] + 2) * 4;
		else
			len = ((uint32_t)e[1] + 1) * 8;
		if (!lean) {
			if (ip->n_ext_stored < DPS_MAX_IPV6_EXT) {
				struct dps_ipv6_ext *x = &ip->ext[ip->n_ext_stored++];
				x->type = nh;
				x->pad = 0;
				x->length = (uint16_t)len;
				x->offset = off;
			}
			if (ip->n_ext < UINT8_MAX)
				ip->n_ext++;
		}
		if (nh == 44) {
			uint16_t fo = td_be16(e + 2);
			is_fragment = 1;
			frag_off = fo >> 3;
			if (!lean) {
				ip->is_fragment = 1;
				ip->frag_off = frag_off;
				ip->more_frags = fo & 1;
				ip->frag_id = td_be32(e + 4);
			}
		}
		r = td_need(w, off, len);
		if (r)
			return td_stop(w, l, r, lean);
		nh = e[0];
		off += len;
		if (!lean)
			l->length = off - start;
	}
	ip->protocol = nh;
	w->off = off;
	if (is_fragment) {
		if (frag_off)
			return TD_NEXT_PAYLOAD;
		w->in_fragment = 1;
	}
	enum td_next next = td_from_ipproto(nh);
	if (next == TD_NEXT_IPV4 || next == TD_NEXT_IPV6 || next == TD_NEXT_GRE) {
		if (w->in_fragment)
			return TD_NEXT_PAYLOAD;
		if (next != TD_NEXT_GRE)
			td_mark_encap(w);
	}
	return next;
}
#endif
