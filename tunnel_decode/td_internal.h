/* td_internal.h - shared by the per-protocol parsers of tunnel_decode/ (not installed).
 *
 * Every parser receives the walk state and the layer it fills (type, offset, level already set)
 * and returns what comes next. Reads go through td_need() first: it compares against both the
 * captured length (-> truncated) and the logical end of the enclosing header (-> malformed), so
 * a parser never touches a byte it has not proven captured. All loads are byte loads (no casted
 * pointers: UBSan alignment-clean).
 *
 * The parsers (td_<proto>.h, one protocol per file) are static always-inline functions taking a
 * compile-time `lean` flag, and decode.c instantiates the one walk twice: the full decoder
 * (dps_decode_packet, lean = 0) and the exporter's view-only decoder (dps_decode_sample_view,
 * lean = 1). With lean set, a parser still performs every bounds and length check and returns
 * the same next protocol, but only stores the fields the sample view reads (listed in
 * td_view.h) plus DPS_LAYER_PARTIAL; the other stores are compiled out. Protocol logic thus
 * exists once, and inlining also removes the per-layer call and argument traffic.
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

#define TD_INLINE static inline __attribute__((always_inline))

struct td_walk {
	const uint8_t *pkt;
	uint32_t cap;        /* captured bytes */
	uint32_t end;        /* logical end of the current enclosing packet (<= frame length) */
	uint32_t lim;        /* min(cap, end): lets td_need's common case be one comparison */
	uint32_t off;        /* where the next header starts; always <= lim */
	const struct dps_decode_config *cfg;
	uint8_t in_fragment; /* inside an IP fragment: L4 lengths can't be checked, no tunnels */
	uint8_t enter_inner; /* an encapsulation header was just parsed: next L2/L3 is a new level */
	uint8_t encap_layer; /* layer that set enter_inner first */
	uint8_t layer;       /* index of the layer being parsed */
	uint16_t next_ethertype; /* VLAN needs the TPID that introduced the first tag */
};

enum { TD_OK = 0, TD_TRUNC = 1, TD_BAD = 2 };

static inline uint32_t td_min(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* Is [off, off+n) inside the packet? off <= lim = min(cap, end) holds by construction, so
 * neither subtraction wraps. Inside both limits is the common case: one comparison; only a
 * failure asks which limit was hit (the frame's or enclosing header's end wins: malformed). */
TD_INLINE int td_need(const struct td_walk *w, uint32_t off, uint32_t n)
{
	if (__builtin_expect(n <= w->lim - off, 1))
		return TD_OK;
	return n > w->end - off ? TD_BAD : TD_TRUNC;
}

static inline uint16_t td_be16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}
static inline uint32_t td_be24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}
/* Two bytes as they lie in memory, for tests against a constant in network order
 * (TD_BE16_CONST): no byte swap at run time. */
static inline uint16_t td_raw16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TD_BE16_CONST(x) ((uint16_t)(((x) >> 8 & 0xFF) | ((x) & 0xFF) << 8))
#else
#define TD_BE16_CONST(x) ((uint16_t)(x))
#endif

static inline uint32_t td_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Fixed header cut short: zero the fields so consumers never see stale bytes. The view skips
 * PARTIAL layers, so the lean walk only needs the flag. */
TD_INLINE enum td_next td_partial(const struct td_walk *w, struct dps_layer *l, int why,
				  const int lean)
{
	if (!lean) {
		memset(&l->u, 0, sizeof(l->u));
		l->length = why == TD_TRUNC ? w->cap - l->offset : 0;
	}
	l->flags |= DPS_LAYER_PARTIAL |
		    (why == TD_TRUNC ? DPS_LAYER_TRUNCATED : DPS_LAYER_MALFORMED);
	return why == TD_TRUNC ? TD_NEXT_TRUNCATED : TD_NEXT_MALFORMED;
}

/* Variable part cut short after the fixed fields were decoded. */
TD_INLINE enum td_next td_stop(const struct td_walk *w, struct dps_layer *l, int why,
			       const int lean)
{
	if (why == TD_TRUNC) {
		if (!lean)
			l->length = w->cap - l->offset;
		l->flags |= DPS_LAYER_TRUNCATED;
		return TD_NEXT_TRUNCATED;
	}
	l->flags |= DPS_LAYER_MALFORMED;
	return TD_NEXT_MALFORMED;
}

/* Narrow the logical end to a length field; a length past the current end is malformed. */
TD_INLINE int td_set_end(struct td_walk *w, uint32_t start, uint32_t len)
{
	if (len > w->end - start)
		return TD_BAD;
	w->end = start + len;
	w->lim = td_min(w->cap, w->end);
	return TD_OK;
}

/* The first encapsulation header since the last level change opens the next level. */
TD_INLINE void td_mark_encap(struct td_walk *w)
{
	if (!w->enter_inner) {
		w->enter_inner = 1;
		w->encap_layer = w->layer;
	}
}

/* Next-protocol tables shared by Ethernet, VLAN, GRE, Geneve (Ethertypes) and IP (protocols). */
static inline enum td_next td_from_ethertype(struct td_walk *w, uint16_t type)
{
	/* IPv4 and IPv6 first: a switch compiles to a search tree that costs ~10 instructions
	 * for the type nearly every sampled header has */
	if (__builtin_expect(type == 0x0800, 1))
		return TD_NEXT_IPV4;
	if (type == 0x86DD)
		return TD_NEXT_IPV6;
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

/* A table, not a switch: one load instead of a range check and an indirect jump. */
static const uint8_t td_next_of_ipproto[256] = {
	[6] = TD_NEXT_TCP, [17] = TD_NEXT_UDP, [1] = TD_NEXT_ICMP, [58] = TD_NEXT_ICMPV6,
	[132] = TD_NEXT_SCTP, [47] = TD_NEXT_GRE, [4] = TD_NEXT_IPV4, [41] = TD_NEXT_IPV6,
	[0] = TD_NEXT_PAYLOAD, [2] = TD_NEXT_PAYLOAD, [3] = TD_NEXT_PAYLOAD,
	[5] = TD_NEXT_PAYLOAD, [7 ... 16] = TD_NEXT_PAYLOAD, [18 ... 40] = TD_NEXT_PAYLOAD,
	[42 ... 46] = TD_NEXT_PAYLOAD, [48 ... 57] = TD_NEXT_PAYLOAD,
	[59 ... 131] = TD_NEXT_PAYLOAD, [133 ... 255] = TD_NEXT_PAYLOAD,
};

static inline enum td_next td_from_ipproto(uint8_t proto)
{
	return (enum td_next)td_next_of_ipproto[proto];
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
