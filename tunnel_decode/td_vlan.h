/* td_vlan.h - the whole 802.1Q / 802.1ad / 0x9100 tag stack as one layer. Each tag is 4 bytes,
 * so the loop consumes captured bytes on every iteration and ends at the first non-tag
 * Ethertype. Lean walk: n_tags, n_stored and each stored tag's vid/pcp (extended_switch). */
#ifndef TD_VLAN_H
#define TD_VLAN_H
#include "td_internal.h"

static inline int is_vlan_tpid(uint16_t t)
{
	return t == 0x8100 || t == 0x88A8 || t == 0x9100;
}

TD_INLINE enum td_next td_parse_vlan(struct td_walk *w, struct dps_layer *l, const int lean)
{
	struct dps_vlan *v = &l->u.vlan;
	uint16_t tpid = w->next_ethertype;
	int r = td_need(w, w->off, 4);
	if (r)
		return td_partial(w, l, r, lean);
	v->n_tags = 0;
	v->n_stored = 0;
	if (!lean)
		v->ethertype = 0;
	do {
		r = td_need(w, w->off, 4);
		if (r)
			return td_stop(w, l, r, lean);
		const uint8_t *p = w->pkt + w->off;
		uint16_t tci = td_be16(p);
		if (v->n_stored < DPS_MAX_VLAN_TAGS) {
			struct dps_vlan_tag *t = &v->tag[v->n_stored++];
			t->vid = tci & 0x0FFF;
			t->pcp = (uint8_t)(tci >> 13);
			if (!lean) {
				t->tpid = tpid;
				t->dei = (uint8_t)((tci >> 12) & 1);
			}
		}
		if (v->n_tags < UINT8_MAX)
			v->n_tags++;
		tpid = td_be16(p + 2);
		w->off += 4;
		if (!lean) {
			v->ethertype = tpid;
			l->length += 4;
		}
	} while (is_vlan_tpid(tpid));
	return td_from_ethertype(w, tpid);
}
#endif
