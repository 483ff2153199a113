/* sample_view.c - reduces a decoded packet to the values the sFlow flow records carry
 * (table in dps_tunnel.h). One pass over at most DPS_MAX_LAYERS layers, no allocation. */
#include "td_internal.h"

static int is_l4(uint8_t type)
{
	return type == DPS_LAYER_UDP || type == DPS_LAYER_TCP || type == DPS_LAYER_ICMP ||
	       type == DPS_LAYER_ICMPV6 || type == DPS_LAYER_SCTP;
}

static void flow_from(const struct dps_decoded *dec, unsigned ip_idx, struct dps_flow *f)
{
	const struct dps_layer *ip = &dec->layers[ip_idx];
	f->valid = 1;
	if (ip->type == DPS_LAYER_IPV4) {
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
	unsigned i = ip_idx + 1;
	if (i >= dec->n_layers)
		return;
	const struct dps_layer *l4 = &dec->layers[i];
	if (l4->level != ip->level || !is_l4(l4->type) || (l4->flags & DPS_LAYER_PARTIAL))
		return;
	switch (l4->type) {
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

static void tunnel_from(const struct dps_layer *encap, struct dps_sample_view *v)
{
	switch (encap->type) {
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

void dps_sample_view_from(const struct dps_decoded *dec, struct dps_sample_view *v)
{
	memset(v, 0, sizeof(*v));
	v->status = dec->status;
	v->tunnel_depth = dec->tunnel_depth;
	unsigned n = dec->n_layers <= DPS_MAX_LAYERS ? dec->n_layers : DPS_MAX_LAYERS;
	int outer_ip = -1, inner_ip = -1, seen_vlan = 0, seen_mpls = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct dps_layer *l = &dec->layers[i];
		if (l->flags & DPS_LAYER_PARTIAL)
			continue;
		switch (l->type) {
		case DPS_LAYER_VLAN:
			if (l->level || seen_vlan)
				break;
			seen_vlan = 1;
			v->n_vlans = l->u.vlan.n_tags;
			if (l->u.vlan.n_stored > 0) {
				v->vlan_outer_vid = l->u.vlan.tag[0].vid;
				v->vlan_outer_pcp = l->u.vlan.tag[0].pcp;
			}
			if (l->u.vlan.n_stored > 1) {
				v->vlan_inner_vid = l->u.vlan.tag[1].vid;
				v->vlan_inner_pcp = l->u.vlan.tag[1].pcp;
			}
			break;
		case DPS_LAYER_MPLS:
			if (l->level || seen_mpls)
				break;
			seen_mpls = 1;
			v->n_mpls = l->u.mpls.n_labels;
			v->n_mpls_stored = l->u.mpls.n_stored;
			memcpy(v->mpls_lse, l->u.mpls.lse, sizeof(uint32_t) * l->u.mpls.n_stored);
			break;
		case DPS_LAYER_NSH:
			if (v->has_nsh)
				break;
			v->has_nsh = 1;
			v->nsh_spi = l->u.nsh.spi;
			v->nsh_si = l->u.nsh.si;
			break;
		case DPS_LAYER_IPV4: case DPS_LAYER_IPV6:
			if (l->level == 0) {
				if (outer_ip < 0)
					outer_ip = (int)i;
			} else {
				inner_ip = (int)i;
			}
			break;
		default:
			break;
		}
	}
	if (dec->tunnel_depth == 0) {
		if (outer_ip >= 0)
			flow_from(dec, (unsigned)outer_ip, &v->flow);
		return;
	}
	unsigned first_inner = dec->level_start[1];
	if (dec->level_encap[1] < n)
		tunnel_from(&dec->layers[dec->level_encap[1]], v);
	if (first_inner < n) {
		v->has_inner_offset = 1;
		v->inner_header_offset = dec->layers[first_inner].offset;
	}
	if (outer_ip >= 0)
		flow_from(dec, (unsigned)outer_ip, &v->underlay);
	if (inner_ip >= 0)
		flow_from(dec, (unsigned)inner_ip, &v->flow);
}

const char *dps_tunnel_proto_name(enum dps_tunnel_proto proto)
{
	static const char *const names[] = {
		"none", "vxlan", "vxlan_gpe", "geneve", "gre", "nvgre", "nsh", "gtpu", "ipip",
	};
	return (unsigned)proto < sizeof(names) / sizeof(names[0]) ? names[proto] : "invalid";
}
