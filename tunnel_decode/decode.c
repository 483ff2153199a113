/* decode.c - the layer dispatcher, its two instantiations and the decoder configuration.
 *
 * Iterative, not recursive: each parser returns the next protocol and the loop appends one layer
 * per step, so nesting costs no stack and is bounded twice (max_tunnel_depth, DPS_MAX_LAYERS).
 * Only the header fields of the output and the layers actually produced are written, which keeps
 * the per-sample cost proportional to the headers present. The parsers (td_<proto>.h) are inlined
 * into the walk, which is compiled twice: full (dps_decode_packet) and lean
 * (dps_decode_sample_view, the exporter's per-sample path; see td_internal.h). The exporter's
 * path tries the straight-line fast path of td_fast.h first and walks only what it declines. */
#include "td_internal.h"
#include "td_view.h"
#include "td_eth.h"
#include "td_vlan.h"
#include "td_mpls.h"
#include "td_ipv4.h"
#include "td_ipv6.h"
#include "td_udp.h"
#include "td_tcp.h"
#include "td_icmp.h"
#include "td_sctp.h"
#include "td_gre.h"
#include "td_vxlan.h"
#include "td_vxlan_gpe.h"
#include "td_geneve.h"
#include "td_nsh.h"
#include "td_gtpu.h"
#include "td_fast.h"

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

/* Lean walk: which view slot the layers seen so far have filled. The choices are
 * dps_sample_view_from's, made while walking instead of by a scan afterwards:
 *  - the first complete level-0 IP layer goes to view->underlay (moved to view->flow at the
 *    end if no tunnel was entered), the last complete IP layer of level >= 1 to view->flow;
 *  - an L4 layer adds its ports only to the IP layer directly before it (same level by
 *    construction: levels change only before Ethernet, IP or MPLS);
 *  - the first complete level-0 VLAN and MPLS layers, the first complete NSH layer;
 *  - the layer that first marks an encapsulation while at level 0 is the one level 1 is
 *    entered through (dps_decoded.level_encap[1]): its tunnel fields are written at once and
 *    cleared at the end if level 1 was never entered. */
struct td_view_walk {
	struct dps_flow_ref *ip_flow;  /* flow of the layer just parsed if it was an IP layer */
	uint8_t seen_outer, seen_inner, seen_vlan, seen_mpls;
};

TD_INLINE void td_feed_ip(struct dps_sample_view *v, struct td_view_walk *vw,
			  const struct td_walk *w, const struct dps_layer *l, uint8_t type,
			  unsigned depth, uint32_t offset)
{
	if (l->flags & DPS_LAYER_PARTIAL)
		return;
	if (depth == 0) {
		/* IP-in-IP: this layer may be the encapsulation of level 1 */
		if (w->enter_inner && w->encap_layer == w->layer)
			td_view_tunnel(v, type, l);
		if (vw->seen_outer)
			return;
		vw->seen_outer = 1;
		vw->ip_flow = &v->underlay;
	} else {
		if (vw->seen_inner)  /* a deeper packet replaces the flow record entirely */
			memset(&v->flow, 0, sizeof(v->flow));
		vw->seen_inner = 1;
		vw->ip_flow = &v->flow;
	}
	td_view_ip(vw->ip_flow, type, l, offset);
}

TD_INLINE void td_feed_l4(const struct dps_layer *l, uint8_t type, struct dps_flow_ref *ip_flow,
			  uint32_t offset)
{
	if (ip_flow && !(l->flags & DPS_LAYER_PARTIAL))
		td_view_l4(ip_flow, type, offset);
}

/* Any encapsulation layer other than IP (which td_feed_ip handles). */
TD_INLINE void td_feed_encap(struct dps_sample_view *v, const struct td_walk *w,
			     const struct dps_layer *l, uint8_t type, unsigned depth)
{
	if (depth == 0 && w->enter_inner && w->encap_layer == w->layer)
		td_view_tunnel(v, type, l);
}

/* The one walk behind both entry points. lean = 0: fill *out (dps_decode_packet). lean = 1:
 * fill *view only (dps_decode_sample_view); the layer being parsed lives in a stack scratch,
 * the parsers skip every store the view does not read, and the view is built as layers are
 * parsed. Both walks take identical decisions: the same parsers, the same layer and depth
 * limits, the same status. */
TD_INLINE int td_decode(const struct dps_decode_config *cfg, const uint8_t *pkt,
			uint32_t captured_len, uint32_t frame_len, struct dps_decoded *out,
			struct dps_sample_view *view, const int lean)
{
	if (!cfg)
		cfg = &default_config;
	uint32_t end = frame_len < captured_len ? captured_len : frame_len;
	struct td_walk w = {
		.pkt = pkt, .cap = captured_len, .end = end, .lim = captured_len,
		.cfg = cfg,
	};
	unsigned max_depth = cfg->max_tunnel_depth;
	if (max_depth > DPS_MAX_TUNNEL_DEPTH)
		max_depth = DPS_MAX_TUNNEL_DEPTH;
	struct dps_layer scratch;
	struct td_view_walk vw = { 0 };
	if (lean) {
		td_zero_view(view);
	} else {
		out->captured_len = captured_len;
		out->frame_len = frame_len;
		out->level_start[0] = 0;
		out->level_encap[0] = 0;
	}

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
			if (!lean) {
				out->level_start[depth] = (uint8_t)n;
				out->level_encap[depth] = w.encap_layer;
			} else if (depth == 1) {
				view->has_inner_offset = 1;
				view->inner_header_offset = w.off;
			}
			w.enter_inner = 0;
		}
		struct dps_layer *l = lean ? &scratch : &out->layers[n];
		w.layer = (uint8_t)n++;
		l->flags = 0;
		if (!lean) {
			l->type = layer_of_next[next];
			l->level = (uint8_t)depth;
			l->pad = 0;
			l->offset = w.off;
			l->length = 0;
		}
		struct dps_flow_ref *ip_flow = vw.ip_flow;
		vw.ip_flow = NULL;
		const uint32_t at = w.off;  /* this layer's offset, for the view's flow refs */
		switch (next) {
		case TD_NEXT_ETH:
			next = td_parse_eth(&w, l, lean);
			break;
		case TD_NEXT_VLAN:
			next = td_parse_vlan(&w, l, lean);
			if (lean && depth == 0 && !vw.seen_vlan && !(l->flags & DPS_LAYER_PARTIAL)) {
				vw.seen_vlan = 1;
				td_view_vlan(view, l);
			}
			break;
		case TD_NEXT_MPLS:
			next = td_parse_mpls(&w, l, lean);
			if (lean && depth == 0 && !vw.seen_mpls && !(l->flags & DPS_LAYER_PARTIAL)) {
				vw.seen_mpls = 1;
				td_view_mpls(view, l);
			}
			break;
		case TD_NEXT_IPV4:
			next = td_parse_ipv4(&w, l, lean);
			if (lean)
				td_feed_ip(view, &vw, &w, l, DPS_LAYER_IPV4, depth, at);
			break;
		case TD_NEXT_IPV6:
			next = td_parse_ipv6(&w, l, lean);
			if (lean)
				td_feed_ip(view, &vw, &w, l, DPS_LAYER_IPV6, depth, at);
			break;
		case TD_NEXT_UDP:
			next = td_parse_udp(&w, l, lean);
			if (lean)
				td_feed_l4(l, DPS_LAYER_UDP, ip_flow, at);
			break;
		case TD_NEXT_TCP:
			next = td_parse_tcp(&w, l, lean);
			if (lean)
				td_feed_l4(l, DPS_LAYER_TCP, ip_flow, at);
			break;
		case TD_NEXT_ICMP:
			next = td_parse_icmp(&w, l, lean);
			if (lean)
				td_feed_l4(l, DPS_LAYER_ICMP, ip_flow, at);
			break;
		case TD_NEXT_ICMPV6:
			next = td_parse_icmp(&w, l, lean);
			if (lean)
				td_feed_l4(l, DPS_LAYER_ICMPV6, ip_flow, at);
			break;
		case TD_NEXT_SCTP:
			next = td_parse_sctp(&w, l, lean);
			if (lean)
				td_feed_l4(l, DPS_LAYER_SCTP, ip_flow, at);
			break;
		case TD_NEXT_GRE:
			next = td_parse_gre(&w, l, lean);
			if (lean)
				td_feed_encap(view, &w, l, DPS_LAYER_GRE, depth);
			break;
		case TD_NEXT_VXLAN:
			next = td_parse_vxlan(&w, l, lean);
			if (lean)
				td_feed_encap(view, &w, l, DPS_LAYER_VXLAN, depth);
			break;
		case TD_NEXT_VXLAN_GPE:
			next = td_parse_vxlan_gpe(&w, l, lean);
			if (lean)
				td_feed_encap(view, &w, l, DPS_LAYER_VXLAN_GPE, depth);
			break;
		case TD_NEXT_GENEVE:
			next = td_parse_geneve(&w, l, lean);
			if (lean)
				td_feed_encap(view, &w, l, DPS_LAYER_GENEVE, depth);
			break;
		case TD_NEXT_NSH:
			next = td_parse_nsh(&w, l, lean);
			if (lean) {
				if (!view->has_nsh && !(l->flags & DPS_LAYER_PARTIAL))
					td_view_nsh(view, l);
				td_feed_encap(view, &w, l, DPS_LAYER_NSH, depth);
			}
			break;
		case TD_NEXT_GTPU:
			next = td_parse_gtpu(&w, l, lean);
			if (lean)
				td_feed_encap(view, &w, l, DPS_LAYER_GTPU, depth);
			break;
		default: next = TD_NEXT_MALFORMED; break;  /* unreachable: loop condition */
		}
	}
	if (next == TD_NEXT_TRUNCATED)
		status = DPS_DECODE_TRUNCATED;
	else if (next == TD_NEXT_MALFORMED)
		status = DPS_DECODE_MALFORMED;
	if (lean) {
		view->status = status;
		view->tunnel_depth = (uint8_t)depth;
		if (depth == 0) {
			/* no tunnel: the level-0 IP packet is the sampled flow, not an underlay,
			 * and an encapsulation header that led nowhere names no tunnel */
			view->flow = view->underlay;
			memset(&view->underlay, 0, sizeof(view->underlay));
			view->tunnel_proto = DPS_TUNNEL_NONE;
			view->has_vni = 0;
			view->vni = 0;
		}
		return status;
	}
	out->n_layers = (uint8_t)n;
	out->status = status;
	out->stop_layer = (uint8_t)(status == DPS_DECODE_TRUNCATED ||
				    status == DPS_DECODE_MALFORMED ? n - 1 : n);
	out->tunnel_depth = (uint8_t)depth;
	out->payload_offset = w.off;
	return status;
}

int dps_decode_packet(const struct dps_decode_config *cfg, const uint8_t *pkt,
		      uint32_t captured_len, uint32_t frame_len, struct dps_decoded *out)
{
	if (!out || (!pkt && captured_len))
		return -1;
	return td_decode(cfg, pkt, captured_len, frame_len, out, NULL, 0);
}

/* The exporter path is split into out-of-line pieces joined by tail calls, so that the fast
 * path's entry and exit don't save and restore the callee-saved registers the lean walk
 * needs: the two fast-path copies of td_fast.h, each falling back to the lean walk. */
_Thread_local unsigned long td_lean_walks;

static __attribute__((noinline)) int td_decode_lean(const struct dps_decode_config *cfg,
						     const uint8_t *pkt, uint32_t captured_len,
						     uint32_t frame_len,
						     struct dps_sample_view *view)
{
	td_lean_walks++;
	return td_decode(cfg, pkt, captured_len, frame_len, NULL, view, 1);
}

static __attribute__((noinline)) int td_view_long(const struct dps_decode_config *cfg,
						   const uint8_t *pkt, uint32_t captured_len,
						   uint32_t frame_len, struct dps_sample_view *view)
{
	int st = td_fast_long(cfg, pkt, captured_len, frame_len, view);
	if (st >= 0)
		return st;
	return td_decode_lean(cfg, pkt, captured_len, frame_len, view);
}

static __attribute__((noinline)) int td_view_other(const struct dps_decode_config *cfg,
						    const uint8_t *pkt, uint32_t captured_len,
						    uint32_t frame_len, struct dps_sample_view *view)
{
	int st = td_fast_other(cfg, pkt, captured_len, frame_len, view);
	if (st >= 0)
		return st;
	return td_decode_lean(cfg, pkt, captured_len, frame_len, view);
}

int dps_decode_sample_view(const struct dps_decode_config *cfg, const uint8_t *pkt,
			   uint32_t captured_len, uint32_t frame_len,
			   struct dps_sample_view *view)
{
	if (!view)
		return -1;
	if (!pkt && captured_len)
		return -1;
	if (!cfg)
		cfg = &default_config;
	if (td_fast_is_long(pkt, captured_len))
		return td_view_long(cfg, pkt, captured_len, frame_len, view);
	return td_view_other(cfg, pkt, captured_len, frame_len, view);
}

int td_fast_sample_view(const struct dps_decode_config *cfg, const uint8_t *pkt,
			uint32_t captured_len, uint32_t frame_len, struct dps_sample_view *view)
{
	if (!view || (!pkt && captured_len))
		return -1;
	if (!cfg)
		cfg = &default_config;
	if (td_fast_is_long(pkt, captured_len))
		return td_fast_long(cfg, pkt, captured_len, frame_len, view);
	return td_fast_other(cfg, pkt, captured_len, frame_len, view);
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
