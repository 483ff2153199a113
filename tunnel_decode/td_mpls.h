/* td_mpls.h - MPLS label stack down to bottom-of-stack. The payload has no type field: the
 * first nibble picks IPv4/IPv6 (what the Linux stack and Wireshark assume); anything else is
 * payload. Lean walk: the view copies the whole stored stack (extended_mpls), so all of it. */
#ifndef TD_MPLS_H
#define TD_MPLS_H
#include "td_internal.h"

TD_INLINE enum td_next td_parse_mpls(struct td_walk *w, struct dps_layer *l, const int lean)
{
	struct dps_mpls *m = &l->u.mpls;
	int r = td_need(w, w->off, 4);
	if (r)
		return td_partial(w, l, r, lean);
	m->n_labels = 0;
	m->n_stored = 0;
	for (;;) {
		r = td_need(w, w->off, 4);
		if (r)
			return td_stop(w, l, r, lean);
		uint32_t lse = td_be32(w->pkt + w->off);
		if (m->n_stored < DPS_MAX_MPLS_LABELS)
			m->lse[m->n_stored++] = lse;
		if (m->n_labels < UINT8_MAX)
			m->n_labels++;
		w->off += 4;
		if (!lean)
			l->length += 4;
		if (lse & 0x100)
			break;
	}
	return td_from_ip_version(w);
}
#endif
