/* td_gtpu.h - GTP-U v1 (UDP 2152): flags, message type, length (bytes after the 8-byte
 * mandatory header), TEID, the optional 4-byte seq/N-PDU/next-extension word and the
 * extension-header chain (length in 4-byte units, never 0, so the walk advances). A G-PDU
 * (type 255) carries an IP packet whose version nibble picks IPv4 or IPv6.
 * Lean walk: the view uses no GTP-U field (the tunnel type only). */
#ifndef TD_GTPU_H
#define TD_GTPU_H
#include "td_internal.h"

TD_INLINE enum td_next td_parse_gtpu(struct td_walk *w, struct dps_layer *l, const int lean)
{
	struct dps_gtpu *g = &l->u.gtpu;
	uint32_t off = w->off;
	int r = td_need(w, off, 8);
	if (r)
		return td_partial(w, l, r, lean);
	const uint8_t *p = w->pkt + off;
	uint8_t msg_type = p[1];
	uint16_t length = td_be16(p + 2);
	if (!lean) {
		g->flags = p[0];
		g->msg_type = msg_type;
		g->length = length;
		g->teid = td_be32(p + 4);
		g->n_ext = 0;
		l->length = 8;
	}
	if ((p[0] >> 5) != 1 || !(p[0] & 0x10))  /* version 1, protocol type GTP */
		return td_stop(w, l, TD_BAD, lean);
	if (td_set_end(w, off, 8u + length))
		return td_stop(w, l, TD_BAD, lean);
	uint32_t o = off + 8;
	if (p[0] & 0x07) {
		r = td_need(w, o, 4);
		if (r)
			return td_stop(w, l, r, lean);
		uint8_t next_ext = w->pkt[o + 3];
		o += 4;
		while (next_ext) {
			r = td_need(w, o, 1);
			if (r)
				return td_stop(w, l, r, lean);
			uint32_t elen = 4u * w->pkt[o];
			if (elen == 0)
				return td_stop(w, l, TD_BAD, lean);
			r = td_need(w, o, elen);
			if (r)
				return td_stop(w, l, r, lean);
			next_ext = w->pkt[o + elen - 1];
			if (!lean && g->n_ext < UINT8_MAX)
				g->n_ext++;
			o += elen;
		}
	}
	if (!lean)
		l->length = o - off;
	w->off = o;
	if (msg_type != 255)
		return TD_NEXT_PAYLOAD;
	enum td_next next = td_from_ip_version(w);
	if (next != TD_NEXT_PAYLOAD)
		td_mark_encap(w);
	return next;
}
#endif
