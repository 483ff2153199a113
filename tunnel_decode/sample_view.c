/* sample_view.c - reduces a decoded packet to the values the sFlow flow records carry
 * (table in dps_tunnel.h). One pass over at most DPS_MAX_LAYERS layers, no allocation.
 * Which layer feeds which view field is decided here by scanning; what each layer contributes
 * is td_view.h, shared with the exporter's dps_decode_sample_view (decode.c), which makes the
 * same choices while walking and must produce an identical view (tests/fuzz/fuzz_view_diff.c). */
#include "td_view.h"

/* Flow record from the IP layer at ip_idx and, when the very next layer is its L4 header,
 * that header's ports. */
static void flow_from(const struct dps_decoded *dec, unsigned ip_idx, struct dps_flow_ref *f)
{
	const struct dps_layer *ip = &dec->layers[ip_idx];
	td_view_ip(f, ip->type, ip, ip->offset);
	unsigned i = ip_idx + 1;
	if (i >= dec->n_layers)
		return;
	const struct dps_layer *l4 = &dec->layers[i];
	if (l4->level != ip->level || !td_is_l4(l4->type) || (l4->flags & DPS_LAYER_PARTIAL))
		return;
	td_view_l4(f, l4->type, l4->offset);
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
			td_view_vlan(v, l);
			break;
		case DPS_LAYER_MPLS:
			if (l->level || seen_mpls)
				break;
			seen_mpls = 1;
			td_view_mpls(v, l);
			break;
		case DPS_LAYER_NSH:
			if (v->has_nsh)
				break;
			td_view_nsh(v, l);
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
		td_view_tunnel(v, dec->layers[dec->level_encap[1]].type,
			       &dec->layers[dec->level_encap[1]]);
	if (first_inner < n) {
		v->has_inner_offset = 1;
		v->inner_header_offset = dec->layers[first_inner].offset;
	}
	if (outer_ip >= 0)
		flow_from(dec, (unsigned)outer_ip, &v->underlay);
	if (inner_ip >= 0)
		flow_from(dec, (unsigned)inner_ip, &v->flow);
}

int dps_flow_read(const uint8_t *pkt, uint32_t captured_len, const struct dps_flow_ref *ref,
		  struct dps_flow *f)
{
	struct dps_flow_fields v;
	memset(f, 0, sizeof(*f));
	if (!pkt || !ref || !dps_flow_fields(pkt, captured_len, ref, &v))
		return 0;
	uint32_t n = ref->family == DPS_AF_IPV4 ? 4 : 16;
	f->valid = 1;
	f->protocol = ref->protocol;
	f->tos = v.tos;
	f->tcp_flags = v.tcp_flags;
	f->src.family = f->dst.family = ref->family;
	memcpy(f->src.bytes, v.src, n);
	memcpy(f->dst.bytes, v.dst, n);
	f->length = v.length;
	f->src_port = v.src_port;
	f->dst_port = v.dst_port;
	return 1;
}

const char *dps_tunnel_proto_name(enum dps_tunnel_proto proto)
{
	static const char *const names[] = {
		"none", "vxlan", "vxlan_gpe", "geneve", "gre", "nvgre", "nsh", "gtpu", "ipip",
	};
	return (unsigned)proto < sizeof(names) / sizeof(names[0]) ? names[proto] : "invalid";
}
