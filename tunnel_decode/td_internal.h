/* td_internal.h - shared by the per-protocol parsers of tunnel_decode/ (not installed).
 *
 * Every parser receives the walk state and the layer it fills (type, offset, level already set)
 * and returns what comes next. Reads go through td_need() first: it compares against both the
 * captured length (-> truncated) and the logical end of the enclosing header (-> malformed), so
 * a parser never touches a byte it has not proven captured. All loads are byte loads (no casted
 * pointers: UBSan alignment-clean).
 */
#ifndef TD_INTERNAL_H
#define TD_INTERNAL_H

#include <stdint.h>
#include <string.h>
#include "dps_tunnel.h"

/* What a parser found after its header. */
enum td_next {
	TD_NEXT_ETH, TD_NEXT_VLAN, TD_NEXT_MPLS, TD_NEXT_IPV4, TD_NEXT_IPV6,
	TD_NEXT_UDP, TD_NEXT_TCP, TD_NEXT_ICMP, TD_NEXT_ICMPV6, TD_NEXT_SCTP,
	TD_NEXT_GRE, TD_NEXT_VXLAN, TD_NEXT_VXLAN_GPE, TD_NEXT_GENEVE, TD_NEXT_NSH, TD_NEXT_GTPU,
	TD_NEXT_PAYLOAD,    /* unknown / not decoded: stop, COMPLETE */
	TD_NEXT_TRUNCATED,  /* this layer is cut by the capture: stop */
	TD_NEXT_MALFORMED,  /* this layer's lengths are impossible: stop */
};

struct td_walk {
	const uint8_t *pkt;
	uint32_t cap;        /* captured bytes */
	uint32_t end;        /* logical end of the current enclosing packet (<= frame length) */
	uint32_t off;        /* where the next header starts; always <= min(cap, end) */
	const struct dps_decode_config *cfg;
	uint8_t in_fragment; /* inside an IP fragment: L4 lengths can't be checked, no tunnels */
	uint8_t enter_inner; /* an encapsulation header was just parsed: next L2/L3 is a new level */
	uint8_t encap_layer; /* layer that set enter_inner first */
	uint16_t next_ethertype; /* VLAN needs the TPID that introduced the first tag */
};

enum { TD_OK = 0, TD_TRUNC = 1, TD_BAD = 2 };

/* Is [off, off+n) inside the packet? off <= min(cap, end) holds by construction. */
static inline int td_need(const struct td_walk *w, uint32_t off, uint32_t n)
{
	if (n > w->end - off)
		return TD_BAD;
	if (n > w->cap - off)
		return TD_TRUNC;
	return TD_OK;
}

static inline uint16_t td_be16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}
static inline uint32_t td_be24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}
static inline uint32_t td_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Fixed header cut short: zero the fields so consumers never see stale bytes. */
static inline enum td_next td_partial(const struct td_walk *w, struct dps_layer *l, int why)
{
	memset(&l->u, 0, sizeof(l->u));
	l->length = why == TD_TRUNC ? w->cap - l->offset : 0;
	l->flags |= DPS_LAYER_PARTIAL |
		    (why == TD_TRUNC ? DPS_LAYER_TRUNCATED : DPS_LAYER_MALFORMED);
	return why == TD_TRUNC ? TD_NEXT_TRUNCATED : TD_NEXT_MALFORMED;
}

/* Variable part cut short after the fixed fields were decoded. */
static inline enum td_next td_stop(const struct td_walk *w, struct dps_layer *l, int why)
{
	if (why == TD_TRUNC) {
		l->length = w->cap - l->offset;
		l->flags |= DPS_LAYER_TRUNCATED;
		return TD_NEXT_TRUNCATED;
	}
	l->flags |= DPS_LAYER_MALFORMED;
	return TD_NEXT_MALFORMED;
}

/* Narrow the logical end to a length field; a length past the current end is malformed. */
static inline int td_set_end(struct td_walk *w, uint32_t start, uint32_t len)
{
	if (len > w->end - start)
		return TD_BAD;
	w->end = start + len;
	return TD_OK;
}

static inline void td_mark_encap(struct td_walk *w, const struct dps_layer *l,
				 const struct dps_layer *layers)
{
	if (!w->enter_inner) {
		w->enter_inner = 1;
		w->encap_layer = (uint8_t)(l - layers);
	}
}

/* Next-protocol tables shared by Ethernet, VLAN, GRE, Geneve (Ethertypes) and IP (protocols). */
static inline enum td_next td_from_ethertype(struct td_walk *w, uint16_t type)
{
	switch (type) {
	case 0x0800: return TD_NEXT_IPV4;
	case 0x86DD: return TD_NEXT_IPV6;
	case 0x8100: case 0x88A8: case 0x9100:
		w->next_ethertype = type;
		return TD_NEXT_VLAN;
	case 0x8847: case 0x8848: return TD_NEXT_MPLS;
	case 0x894F: return TD_NEXT_NSH;
	case 0x6558: return TD_NEXT_ETH;  /* transparent Ethernet bridging (GRE, Geneve) */
	default: return TD_NEXT_PAYLOAD;
	}
}

static inline enum td_next td_from_ipproto(uint8_t proto)
{
	switch (proto) {
	case 6: return TD_NEXT_TCP;
	case 17: return TD_NEXT_UDP;
	case 1: return TD_NEXT_ICMP;
	case 58: return TD_NEXT_ICMPV6;
	case 132: return TD_NEXT_SCTP;
	case 47: return TD_NEXT_GRE;
	case 4: return TD_NEXT_IPV4;
	case 41: return TD_NEXT_IPV6;
	default: return TD_NEXT_PAYLOAD;
	}
}

/* Payload of MPLS / GTP-U: no type field, the IP version nibble decides. */
static inline enum td_next td_from_ip_version(const struct td_walk *w)
{
	if (w->off >= w->cap || w->off >= w->end)
		return TD_NEXT_PAYLOAD;
	switch (w->pkt[w->off] >> 4) {
	case 4: return TD_NEXT_IPV4;
	case 6: return TD_NEXT_IPV6;
	default: return TD_NEXT_PAYLOAD;
	}
}

/* Parsers: one per file. `layers` is the array base (for td_mark_encap). */
enum td_next td_parse_eth(struct td_walk *w, struct dps_layer *l);
enum td_next td_parse_vlan(struct td_walk *w, struct dps_layer *l);
enum td_next td_parse_mpls(struct td_walk *w, struct dps_layer *l);
enum td_next td_parse_ipv4(struct td_walk *w, struct dps_layer *l, const struct dps_layer *layers);
enum td_next td_parse_ipv6(struct td_walk *w, struct dps_layer *l, const struct dps_layer *layers);
enum td_next td_parse_udp(struct td_walk *w, struct dps_layer *l);
enum td_next td_parse_tcp(struct td_walk *w, struct dps_layer *l);
enum td_next td_parse_icmp(struct td_walk *w, struct dps_layer *l);
enum td_next td_parse_sctp(struct td_walk *w, struct dps_layer *l);
enum td_next td_parse_gre(struct td_walk *w, struct dps_layer *l, const struct dps_layer *layers);
enum td_next td_parse_vxlan(struct td_walk *w, struct dps_layer *l, const struct dps_layer *layers);
enum td_next td_parse_vxlan_gpe(struct td_walk *w, struct dps_layer *l,
				const struct dps_layer *layers);
enum td_next td_parse_geneve(struct td_walk *w, struct dps_layer *l, const struct dps_layer *layers);
enum td_next td_parse_nsh(struct td_walk *w, struct dps_layer *l, const struct dps_layer *layers);
enum td_next td_parse_gtpu(struct td_walk *w, struct dps_layer *l, const struct dps_layer *layers);

/* GPE and NSH share the "next protocol" numbering (1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH, 5 MPLS). */
static inline enum td_next td_from_gpe_np(uint8_t np)
{
	switch (np) {
	case 1: return TD_NEXT_IPV4;
	case 2: return TD_NEXT_IPV6;
	case 3: return TD_NEXT_ETH;
	case 4: return TD_NEXT_NSH;
	case 5: return TD_NEXT_MPLS;
	default: return TD_NEXT_PAYLOAD;
	}
}

#endif /* TD_INTERNAL_H */
