/* td_view.h - how one decoded layer maps onto struct dps_sample_view (table in dps_tunnel.h).
 * Shared by dps_sample_view_from (which picks the layers by scanning a struct dps_decoded) and
 * the lean walk in decode.c (which feeds each layer as it is parsed), so the field mapping
 * exists once. The lean parsers store exactly the fields read here, plus DPS_LAYER_PARTIAL:
 *   IPv4: src dst tos total_length protocol    IPv6: src dst traffic_class payload_length
 *   protocol    UDP/TCP/SCTP: ports (TCP: flags)    ICMP: type code    VLAN: n_tags n_stored
 *   tag[].vid/.pcp    MPLS: n_labels n_stored lse[]    NSH: spi si    VXLAN/GPE: vni_valid vni
 *   Geneve: vni    GRE: has_key key is_nvgre vsid
 * Every function expects the destination fields to be zero on entry. */
#ifndef TD_VIEW_H
#define TD_VIEW_H
#include "td_internal.h"

/* sampled_ipv4 / sampled_ipv6 (or the tunnel record) from an IP layer; type is its layer type. */
TD_INLINE void td_view_ip(struct dps_flow *f, uint8_t type, const struct dps_layer *ip)
{
	f->valid = 1;
	if (type == DPS_LAYER_IPV4) {
		f->src.family = f->dst.family = DPS_AF_IPV4;
		memcpy(f->src.bytes, ip->u.ipv4.src, 4);
		memcpy(f->dst.bytes, ip->u.ipv4.dst, 4);
		f->length = ip->u.ipv4.total_length;
		f->protocol = ip->u.ipv4.protocol;
		f->tos = ip->u.ipv4.tos;
	} else {
		f->src.family = f->dst.family = DPS_AF_IPV6;
		memcpy(f->src.bytes, ip->u.ipv6.src, 16);
		memcpy(f->dst.bytes, ip->u.ipv6.dst, 16);
		f->length = ip->u.ipv6.payload_length + 40u;
		f->protocol = ip->u.ipv6.protocol;
		f->tos = ip->u.ipv6.traffic_class;
	}
}

static inline int td_is_l4(uint8_t type)
{
	return type == DPS_LAYER_UDP || type == DPS_LAYER_TCP || type == DPS_LAYER_ICMP ||
	       type == DPS_LAYER_ICMPV6 || type == DPS_LAYER_SCTP;
}

/* Ports of the L4 layer right after the flow's IP layer (type is one of td_is_l4). */
TD_INLINE void td_view_l4(struct dps_flow *f, uint8_t type, const struct dps_layer *l4)
{
	switch (type) {
	case DPS_LAYER_UDP:
		f->src_port = l4->u.udp.src_port;
		f->dst_port = l4->u.udp.dst_port;
		break;
	case DPS_LAYER_TCP:
		f->src_port = l4->u.tcp.src_port;
		f->dst_port = l4->u.tcp.dst_port;
		f->tcp_flags = (uint8_t)l4->u.tcp.flags;
		break;
	case DPS_LAYER_SCTP:
		f->src_port = l4->u.sctp.src_port;
		f->dst_port = l4->u.sctp.dst_port;
		break;
	default:  /* ICMP / ICMPv6: type and code, as hsflowd reports them */
		f->src_port = l4->u.icmp.type;
		f->dst_port = l4->u.icmp.code;
		break;
	}
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

/* memset(view, 0, sizeof(*view)) as 16-byte stores: for this size gcc emits `rep stosq`
 * (also for a loop of vector stores, which it turns back into memset), and that alone cost a
 * fifth of a tunnelled packet's view. Written out: 11 stores, the last one overlapping. */
TD_INLINE void td_zero_view(struct dps_sample_view *view)
{
	typedef uint8_t td_v16 __attribute__((vector_size(16), aligned(1), may_alias));
	_Static_assert(sizeof(*view) > 160 && sizeof(*view) <= 176, "adjust td_zero_view");
	uint8_t *p = (uint8_t *)view;
	const td_v16 z = { 0 };
	*(td_v16 *)(p + 0) = z;    *(td_v16 *)(p + 16) = z;   *(td_v16 *)(p + 32) = z;
	*(td_v16 *)(p + 48) = z;   *(td_v16 *)(p + 64) = z;   *(td_v16 *)(p + 80) = z;
	*(td_v16 *)(p + 96) = z;   *(td_v16 *)(p + 112) = z;  *(td_v16 *)(p + 128) = z;
	*(td_v16 *)(p + 144) = z;  *(td_v16 *)(p + sizeof(*view) - 16) = z;
}

#endif
