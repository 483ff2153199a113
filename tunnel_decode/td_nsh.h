/* td_nsh.h - Network Service Header (RFC 8300): base header (version, O, TTL, length in
 * 4-byte words, MD type, next protocol), service path header (24-bit SPI, 8-bit SI), MD type 1
 * fixed 16-byte context or MD type 2 TLVs (class 16, type 8, length 7 bits in bytes, padded to
 * 4). Lean walk: spi and si; MD2 TLVs are still walked and checked. */
#ifndef TD_NSH_H
#define TD_NSH_H
#include "td_internal.h"

TD_INLINE enum td_next td_parse_nsh(struct td_walk *w, struct dps_layer *l, const int lean)
{
	struct dps_nsh *n = &l->u.nsh;
	uint32_t off = w->off;
	int r = td_need(w, off, 8);
	if (r)
		return td_partial(w, l, r, lean);
	const uint8_t *p = w->pkt + off;
	uint8_t version = p[0] >> 6;
	uint8_t length = p[1] & 0x3F;
	uint8_t md_type = p[2] & 0x0F;
	uint8_t np = p[3];
	uint32_t sp = td_be32(p + 4);
	n->spi = sp >> 8;
	n->si = (uint8_t)sp;
	if (!lean) {
		n->version = version;
		n->oam = (p[0] >> 5) & 1;
		n->ttl = (uint8_t)((p[0] & 0x0F) << 2 | p[1] >> 6);
		n->length = length;
		n->md_type = md_type;
		n->next_protocol = np;
		n->n_tlvs = 0;
		n->n_stored = 0;
		l->length = 8;
	}
	uint32_t hlen = 4u * length;
	if (hlen < 8 || (md_type == 1 && hlen != 24) || hlen > w->end - off)
		return td_stop(w, l, TD_BAD, lean);
	if (md_type == 1) {
		r = td_need(w, off, 24);
		if (r)
			return td_stop(w, l, r, lean);
		if (!lean)
			memcpy(n->context, p + 8, 16);
	} else if (md_type == 2) {
		uint32_t o = off + 8, hdr_end = off + hlen;
		while (o < hdr_end) {
			r = td_need(w, o, 4);
			if (r)
				return td_stop(w, l, r, lean);
			const uint8_t *q = w->pkt + o;
			uint32_t dlen = q[3] & 0x7F;
			uint32_t tlen = 4 + ((dlen + 3) & ~3u);
			if (tlen > hdr_end - o)
				return td_stop(w, l, TD_BAD, lean);
			if (!lean) {
				if (n->n_stored < DPS_MAX_NSH_TLVS) {
					struct dps_tlv *t = &n->tlv[n->n_stored++];
					t->cls = td_be16(q);
					t->type = q[2];
					t->length = (uint8_t)dlen;
					t->offset = o;
				}
				if (n->n_tlvs < UINT8_MAX)
					n->n_tlvs++;
			}
			r = td_need(w, o, tlen);
			if (r)
				return td_stop(w, l, r, lean);
			o += tlen;
			if (!lean)
				l->length = o - off;
		}
	}
	r = td_need(w, off, hlen);
	if (r)
		return td_stop(w, l, r, lean);
	if (!lean)
		l->length = hlen;
	w->off = off + hlen;
	if (version != 0)
		return TD_NEXT_PAYLOAD;
	enum td_next next = td_from_gpe_np(np);
	if (next != TD_NEXT_PAYLOAD)
		td_mark_encap(w);
	return next;
}
#endif
