/* td_geneve.h - Geneve (RFC 8926, UDP 6081): version, option length (4-byte words), O and C
 * bits, protocol type, VNI, and every TLV option (class 16 bits, type 8, length 5 bits in
 * words). Options must tile the option area exactly; each one is >= 4 bytes so the walk
 * advances. Lean walk: vni only, but every option is still walked and checked (a bad option
 * area changes the status and stops the decode, which the view reports). */
#ifndef TD_GENEVE_H
#define TD_GENEVE_H
#include "td_internal.h"

TD_INLINE enum td_next td_parse_geneve(struct td_walk *w, struct dps_layer *l, const int lean)
{
	struct dps_geneve *g = &l->u.geneve;
	uint32_t off = w->off;
	int r = td_need(w, off, 8);
	if (r)
		return td_partial(w, l, r, lean);
	const uint8_t *p = w->pkt + off;
	uint8_t version = p[0] >> 6;
	uint8_t opt_len = p[0] & 0x3F;
	uint16_t protocol = td_be16(p + 2);
	g->vni = td_be24(p + 4);
	if (!lean) {
		g->version = version;
		g->opt_len = opt_len;
		g->oam = p[1] >> 7;
		g->critical = (p[1] >> 6) & 1;
		g->protocol = protocol;
		g->n_opts = 0;
		g->n_stored = 0;
		l->length = 8;
	}
	uint32_t hlen = 8 + 4u * opt_len;
	if (hlen > w->end - off)
		return td_stop(w, l, TD_BAD, lean);
	uint32_t o = off + 8, opt_end = off + hlen;
	while (o < opt_end) {
		r = td_need(w, o, 4);
		if (r)
			return td_stop(w, l, r, lean);
		const uint8_t *q = w->pkt + o;
		uint32_t olen = 4 + 4u * (q[3] & 0x1F);
		if (olen > opt_end - o)
			return td_stop(w, l, TD_BAD, lean);
		if (!lean) {
			if (g->n_stored < DPS_MAX_GENEVE_OPTS) {
				struct dps_tlv *t = &g->opt[g->n_stored++];
				t->cls = td_be16(q);
				t->type = q[2];
				t->length = (uint8_t)(olen - 4);
				t->offset = o;
			}
			if (g->n_opts < UINT8_MAX)
				g->n_opts++;
		}
		r = td_need(w, o, olen);
		if (r)
			return td_stop(w, l, r, lean);
		o += olen;
		if (!lean)
			l->length = o - off;
	}
	w->off = opt_end;
	if (version != 0)
		return TD_NEXT_PAYLOAD;
	enum td_next next = td_from_ethertype(w, protocol);
	if (next == TD_NEXT_VLAN)
		return TD_NEXT_PAYLOAD;
	if (next != TD_NEXT_PAYLOAD)
		td_mark_encap(w);
	return next;
}
#endif
