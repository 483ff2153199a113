/* decode.c - the layer dispatcher and the decoder configuration.
 *
 * Iterative, not recursive: each parser returns the next protocol and the loop appends one layer
 * per step, so nesting costs no stack and is bounded twice (max_tunnel_depth, DPS_MAX_LAYERS).
 * Only the header fields of the output and the layers actually produced are written, which keeps
 * the per-sample cost proportional to the headers present. */
#include "td_internal.h"

static const struct dps_decode_config default_config = {
	.max_tunnel_depth = DPS_DEFAULT_TUNNEL_DEPTH,
	.n_ports = 5,
	/* most common first: the UDP parser scans this table linearly */
	.port = { 4789, 6081, 4790, 8472, 2152 },
	.port_kind = { DPS_UDP_VXLAN, DPS_UDP_GENEVE, DPS_UDP_VXLAN_GPE, DPS_UDP_VXLAN,
		       DPS_UDP_GTPU },
};

void dps_decode_config_init(struct dps_decode_config *cfg)
{
	*cfg = default_config;
}

int dps_decode_config_add_port(struct dps_decode_config *cfg, enum dps_udp_tunnel kind,
			       uint16_t port)
{
	if ((unsigned)kind > DPS_UDP_GTPU || cfg->n_ports >= DPS_MAX_TUNNEL_PORTS)
		return -1;
	cfg->port[cfg->n_ports] = port;
	cfg->port_kind[cfg->n_ports] = (uint8_t)kind;
	cfg->n_ports++;
	return 0;
}

static const uint8_t layer_of_next[TD_NEXT_PAYLOAD] = {
	[TD_NEXT_ETH] = DPS_LAYER_ETH,       [TD_NEXT_VLAN] = DPS_LAYER_VLAN,
	[TD_NEXT_MPLS] = DPS_LAYER_MPLS,     [TD_NEXT_IPV4] = DPS_LAYER_IPV4,
	[TD_NEXT_IPV6] = DPS_LAYER_IPV6,     [TD_NEXT_UDP] = DPS_LAYER_UDP,
	[TD_NEXT_TCP] = DPS_LAYER_TCP,       [TD_NEXT_ICMP] = DPS_LAYER_ICMP,
	[TD_NEXT_ICMPV6] = DPS_LAYER_ICMPV6, [TD_NEXT_SCTP] = DPS_LAYER_SCTP,
	[TD_NEXT_GRE] = DPS_LAYER_GRE,       [TD_NEXT_VXLAN] = DPS_LAYER_VXLAN,
	[TD_NEXT_VXLAN_GPE] = DPS_LAYER_VXLAN_GPE, [TD_NEXT_GENEVE] = DPS_LAYER_GENEVE,
	[TD_NEXT_NSH] = DPS_LAYER_NSH,       [TD_NEXT_GTPU] = DPS_LAYER_GTPU,
};

/* Headers that begin an inner packet once an encapsulation header has been crossed. */
static inline int starts_inner_packet(enum td_next n)
{
	return n == TD_NEXT_ETH || n == TD_NEXT_IPV4 || n == TD_NEXT_IPV6 || n == TD_NEXT_MPLS;
}

int dps_decode_packet(const struct dps_decode_config *cfg, const uint8_t *pkt,
		      uint32_t captured_len, uint32_t frame_len, struct dps_decoded *out)
{
	if (!out || (!pkt && captured_len))
		return -1;
	if (!cfg)
		cfg = &default_config;
	struct td_walk w = {
		.pkt = pkt, .cap = captured_len,
		.end = frame_len < captured_len ? captured_len : frame_len,
		.cfg = cfg,
	};
	unsigned max_depth = cfg->max_tunnel_depth;
	if (max_depth > DPS_MAX_TUNNEL_DEPTH)
		max_depth = DPS_MAX_TUNNEL_DEPTH;
	out->captured_len = captured_len;
	out->frame_len = frame_len;
	out->level_start[0] = 0;
	out->level_encap[0] = 0;

	struct dps_layer *layers = out->layers;
	unsigned n = 0, depth = 0;
	uint8_t status = DPS_DECODE_COMPLETE;
	enum td_next next = TD_NEXT_ETH;
	while (next < TD_NEXT_PAYLOAD) {
		if (n == DPS_MAX_LAYERS) {
			status = DPS_DECODE_LIMIT;
			break;
		}
		if (w.enter_inner && starts_inner_packet(next)) {
			if (depth >= max_depth) {
				status = DPS_DECODE_LIMIT;
				break;
			}
			depth++;
			out->level_start[depth] = (uint8_t)n;
			out->level_encap[depth] = w.encap_layer;
			w.enter_inner = 0;
		}
		struct dps_layer *l = &layers[n++];
		l->type = layer_of_next[next];
		l->flags = 0;
		l->level = (uint8_t)depth;
		l->pad = 0;
		l->offset = w.off;
		l->length = 0;
		switch (next) {
		case TD_NEXT_ETH: next = td_parse_eth(&w, l); break;
		case TD_NEXT_VLAN: next = td_parse_vlan(&w, l); break;
		case TD_NEXT_MPLS: next = td_parse_mpls(&w, l); break;
		case TD_NEXT_IPV4: next = td_parse_ipv4(&w, l, layers); break;
		case TD_NEXT_IPV6: next = td_parse_ipv6(&w, l, layers); break;
		case TD_NEXT_UDP: next = td_parse_udp(&w, l); break;
		case TD_NEXT_TCP: next = td_parse_tcp(&w, l); break;
		case TD_NEXT_ICMP: next = td_parse_icmp(&w, l); break;
		case TD_NEXT_ICMPV6: next = td_parse_icmp(&w, l); break;
		case TD_NEXT_SCTP: next = td_parse_sctp(&w, l); break;
		case TD_NEXT_GRE: next = td_parse_gre(&w, l, layers); break;
		case TD_NEXT_VXLAN: next = td_parse_vxlan(&w, l, layers); break;
		case TD_NEXT_VXLAN_GPE: next = td_parse_vxlan_gpe(&w, l, layers); break;
		case TD_NEXT_GENEVE: next = td_parse_geneve(&w, l, layers); break;
		case TD_NEXT_NSH: next = td_parse_nsh(&w, l, layers); break;
		case TD_NEXT_GTPU: next = td_parse_gtpu(&w, l, layers); break;
		default: next = TD_NEXT_MALFORMED; break;  /* unreachable: loop condition */
		}
	}
	if (next == TD_NEXT_TRUNCATED)
		status = DPS_DECODE_TRUNCATED;
	else if (next == TD_NEXT_MALFORMED)
		status = DPS_DECODE_MALFORMED;
	out->n_layers = (uint8_t)n;
	out->status = status;
	out->stop_layer = (uint8_t)(status == DPS_DECODE_TRUNCATED ||
				    status == DPS_DECODE_MALFORMED ? n - 1 : n);
	out->tunnel_depth = (uint8_t)depth;
	out->payload_offset = w.off;
	return status;
}

const char *dps_layer_type_name(enum dps_layer_type type)
{
	static const char *const names[DPS_LAYER_TYPE_COUNT] = {
		"none", "eth", "vlan", "mpls", "ipv4", "ipv6", "udp", "tcp", "icmp", "icmpv6",
		"sctp", "gre", "vxlan", "vxlan_gpe", "geneve", "nsh", "gtpu",
	};
	return (unsigned)type < DPS_LAYER_TYPE_COUNT ? names[type] : "invalid";
}

const char *dps_decode_status_name(enum dps_decode_status status)
{
	switch (status) {
	case DPS_DECODE_COMPLETE: return "complete";
	case DPS_DECODE_TRUNCATED: return "truncated";
	case DPS_DECODE_MALFORMED: return "malformed";
	case DPS_DECODE_LIMIT: return "limit";
	}
	return "invalid";
}
