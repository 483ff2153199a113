/* td_view.h - how one decoded layer maps onto struct dps_sample_view (table in dps_tunnel.h).
 * Shared by dps_sample_view_from (which picks the layers by scanning a struct dps_decoded) and
 * the lean walk in decode.c (which feeds each layer as it is parsed), so the field mapping
 * exists once. The lean parsers store exactly the fields read here, plus DPS_LAYER_PARTIAL:
 *   IPv4 / IPv6: protocol (IPv6: after extension headers)    VLAN: n_tags n_stored
 *   tag[].vid/.pcp    MPLS: n_labels n_stored lse[]    NSH: spi si    VXLAN/GPE: vni_valid vni
 *   Geneve: vni    GRE: has_key key is_nvgre vsid
 * (addresses, lengths and ports stay in the packet: struct dps_flow_ref). The layer's offset
 * is passed separately, as the lean walk keeps no layer offsets.
 * Every function expects the destination fields to be zero on entry. */
#ifndef TD_VIEW_H
#define TD_VIEW_H
#include "td_internal.h"

/* sampled_ipv4 / sampled_ipv6 (or the tunnel record) from an IP layer at `offset`; type is its
 * layer type. */
TD_INLINE void td_view_ip(struct dps_flow_ref *f, uint8_t type, const struct dps_layer *ip,
			  uint32_t offset)
{
	f->ip_offset = offset;
	if (type == DPS_LAYER_IPV4) {
		f->family = DPS_AF_IPV4;
		f->protocol = ip->u.ipv4.protocol;
	} else {
		f->family = DPS_AF_IPV6;
		f->protocol = ip->u.ipv6.protocol;
	}
}

static inline int td_is_l4(uint8_t type)
{
	return type == DPS_LAYER_UDP || type == DPS_LAYER_TCP || type == DPS_LAYER_ICMP ||
	       type == DPS_LAYER_ICMPV6 || type == DPS_LAYER_SCTP;
}

/* The L4 layer at `offset`, right after the flow's IP layer (type is one of td_is_l4). */
TD_INLINE void td_view_l4(struct dps_flow_ref *f, uint8_t type, uint32_t offset)
{
	f->l4_offset = offset;
	f->l4_kind = type == DPS_LAYER_TCP ? DPS_FLOW_L4_TCP :
		     type == DPS_LAYER_UDP || type == DPS_LAYER_SCTP ? DPS_FLOW_L4_PORTS :
		     DPS_FLOW_L4_ICMP;
}

/* Tunnel type and VNI from the layer that opened tunnel level 1. */
TD_INLINE void td_view_tunnel(struct dps_sample_view *v, uint8_t type,
			      const struct dps_layer *encap)
{
	switch (type) {
	case DPS_LAYER_VXLAN:
		v->tunnel_proto = DPS_TUNNEL_VXLAN;
		v->has_vni = encap->u.vxlan.vni_valid;
		v->vni = encap->u.vxlan.vni_valid ? encap->u.vxlan.vni : 0;
		break;
	case DPS_LAYER_VXLAN_GPE:
		v->tunnel_proto = DPS_TUNNEL_VXLAN_GPE;
		v->has_vni = encap->u.gpe.vni_valid;
		v->vni = encap->u.gpe.vni_valid ? encap->u.gpe.vni : 0;
		break;
	case DPS_LAYER_GENEVE:
		v->tunnel_proto = DPS_TUNNEL_GENEVE;
		v->has_vni = 1;
		v->vni = encap->u.geneve.vni;
		break;
	case DPS_LAYER_GRE:
		if (encap->u.gre.is_nvgre) {
			v->tunnel_proto = DPS_TUNNEL_NVGRE;
			v->has_vni = 1;
			v->vni = encap->u.gre.vsid;
		} else {
			v->tunnel_proto = DPS_TUNNEL_GRE;
			v->has_vni = encap->u.gre.has_key;
			v->vni = encap->u.gre.key;
		}
		break;
	case DPS_LAYER_NSH: v->tunnel_proto = DPS_TUNNEL_NSH; break;
	case DPS_LAYER_GTPU: v->tunnel_proto = DPS_TUNNEL_GTPU; break;
	case DPS_LAYER_IPV4: case DPS_LAYER_IPV6: v->tunnel_proto = DPS_TUNNEL_IPIP; break;
	default: break;
	}
}

/* extended_switch: the level-0 tag stack. */
TD_INLINE void td_view_vlan(struct dps_sample_view *v, const struct dps_layer *l)
{
	v->n_vlans = l->u.vlan.n_tags;
	if (l->u.vlan.n_stored > 0) {
		v->vlan_outer_vid = l->u.vlan.tag[0].vid;
		v->vlan_outer_pcp = l->u.vlan.tag[0].pcp;
	}
	if (l->u.vlan.n_stored > 1) {
		v->vlan_inner_vid = l->u.vlan.tag[1].vid;
		v->vlan_inner_pcp = l->u.vlan.tag[1].pcp;
	}
}

/* extended_mpls in_stack: the level-0 label stack. */
TD_INLINE void td_view_mpls(struct dps_sample_view *v, const struct dps_layer *l)
{
	v->n_mpls = l->u.mpls.n_labels;
	v->n_mpls_stored = l->u.mpls.n_stored;
	memcpy(v->mpls_lse, l->u.mpls.lse, sizeof(uint32_t) * l->u.mpls.n_stored);
}

TD_INLINE void td_view_nsh(struct dps_sample_view *v, const struct dps_layer *l)
{
	v->has_nsh = 1;
	v->nsh_spi = l->u.nsh.spi;
	v->nsh_si = l->u.nsh.si;
}

/* memset(view, 0, sizeof(*view)) as 16-byte stores: gcc emits `rep stosq` for a memset of
 * some sizes (and for a loop of vector stores, which it turns back into memset), which once
 * cost a fifth of a tunnelled packet's view. Written out: 6 stores, the last one overlapping. */
TD_INLINE void td_zero_view(struct dps_sample_view *view)
{
	typedef uint8_t td_v16 __attribute__((vector_size(16), aligned(1), may_alias));
	_Static_assert(sizeof(*view) > 80 && sizeof(*view) <= 96, "adjust td_zero_view");
	uint8_t *p = (uint8_t *)view;
	const td_v16 z = { 0 };
	*(td_v16 *)(p + 0) = z;    *(td_v16 *)(p + 16) = z;   *(td_v16 *)(p + 32) = z;
	*(td_v16 *)(p + 48) = z;   *(td_v16 *)(p + 64) = z;
	*(td_v16 *)(p + sizeof(*view) - 16) = z;
}

#endif
