/* td_gre.h - GRE (RFC 2784/2890: C, K, S; version 0) and NVGRE (RFC 7637: K set, C and S
 * clear, Ethernet payload 0x6558, key = VSID<<8 | FlowID). Version 1 (PPTP) and source-routed
 * GRE (R bit) are decoded as far as their base header and end as payload.
 * Lean walk: has_key, key, is_nvgre, vsid (the view's VNI). */
#ifndef TD_GRE_H
#define TD_GRE_H
#include "td_internal.h"

TD_INLINE enum td_next td_parse_gre(struct td_walk *w, struct dps_layer *l, const int lean)
{
	struct dps_gre *g = &l->u.gre;
	uint32_t off = w->off;
	int r = td_need(w, off, 4);
	if (r)
		return td_partial(w, l, r, lean);
	const uint8_t *p = w->pkt + off;
	uint16_t fv = td_be16(p);
	uint16_t protocol = td_be16(p + 2);
	uint8_t has_checksum = (fv >> 15) & 1;
	uint8_t has_key = (fv >> 13) & 1;
	uint8_t has_seq = (fv >> 12) & 1;
	g->has_key = has_key;
	g->key = 0;
	g->vsid = 0;
	g->is_nvgre = 0;
	if (!lean) {
		g->flags_version = fv;
		g->protocol = protocol;
		g->has_checksum = has_checksum;
		g->has_seq = has_seq;
		g->checksum = 0;
		g->seq = 0;
		g->flow_id = 0;
		l->length = 4;
	}
	uint32_t hlen = 4 + 4u * (has_checksum + has_key + has_seq);
	r = td_need(w, off, hlen);
	if (r)
		return td_stop(w, l, r, lean);
	uint32_t o = 4;
	if (has_checksum) {
		if (!lean)
			g->checksum = td_be16(p + o);
		o += 4;
	}
	if (has_key) {
		g->key = td_be32(p + o);
		o += 4;
	}
	if (has_seq && !lean)
		g->seq = td_be32(p + o);
	if (!lean)
		l->length = hlen;
	w->off = off + hlen;
	if ((fv & 0x0007) != 0 || (fv & 0x4000))
		return TD_NEXT_PAYLOAD;
	if (has_key && !has_checksum && !has_seq && protocol == 0x6558) {
		g->is_nvgre = 1;
		g->vsid = g->key >> 8;
		if (!lean)
			g->flow_id = (uint8_t)g->key;
	}
	enum td_next next = td_from_ethertype(w, protocol);
	if (next == TD_NEXT_VLAN)
		return TD_NEXT_PAYLOAD;  /* a tag stack right after GRE is not a real encapsulation */
	if (next != TD_NEXT_PAYLOAD)
		td_mark_encap(w);
	return next;
}
#endif
