/* td_fast.h - straight-line fast path of dps_decode_sample_view for the shapes nearly every
 * exported sample has. Why it exists: the lean walk (decode.c) pays per layer for its dispatch
 * switch, the scratch layer and the bookkeeping that picks view slots for any nesting; for a
 * VXLAN sample that was ~440 instructions, three times the exporter's budget. Here each header
 * of a known shape is checked and read once, at offsets known from the previous one, and the
 * view is written directly.
 *
 * Shapes taken (anything else returns -1 and the lean walk decodes the packet from scratch, so
 * the fast path only has to recognise, never to judge, an unusual packet):
 *   Ethernet [one 802.1Q/802.1ad/0x9100 tag] -> IP -> L4                       (plain)
 *   Ethernet [one tag] -> IP -> UDP to a VXLAN or Geneve port (first match in the config)
 *     -> VXLAN (any flags) | Geneve version 0, protocol 0x6558, options that tile the option
 *        area exactly -> Ethernet -> IP -> L4                                  (one tunnel)
 * where IP is IPv4 with IHL 5, not a fragment (MF and offset zero), or IPv6 whose next header
 * is the L4 protocol (no extension header), with the total / payload length inside the
 * enclosing length; L4 is TCP with its whole header (options included) captured, UDP with a
 * length in [8, enclosing length] and (inner packet, or plain) a port that is not a tunnel
 * port, or ICMP / ICMPv6 (protocol 1 or 58 under either IP version, as the full decoder maps
 * them). Every header up to the end of the L4 header must be captured; bytes after it may be
 * cut, which is the normal sampled header and still COMPLETE.
 *
 * On every packet of these shapes the full decoder (dps_decode_packet + dps_sample_view_from)
 * finds status COMPLETE, tunnel_depth 0 or 1, and fills exactly: flow (innermost IP + its L4
 * header), underlay (outer IP + outer UDP header, only when tunnelled), tunnel_proto, has_vni /
 * vni (VXLAN: only with the I flag), inner_header_offset (the inner Ethernet header), the
 * level-0 tag. Identity of the view with the full decode is checked by
 * tests/tunnel_decode/test_fast_path.c, test_view_equiv.c and tests/fuzz/fuzz_view_diff.c.
 *
 * Bounds: a header is read only after the captured length is proven to cover it (td_short);
 * length fields become absolute end offsets, each compared with the end of the enclosing
 * header, and the last header's end with its IP end. Since ends only shrink inward and headers
 * only move outward, that proves every header inside every enclosing length, as the full
 * decoder requires. Offsets stay below 512, so no sum wraps.
 */
#ifndef TD_FAST_H
#define TD_FAST_H
#include "td_internal.h"
#include "td_view.h"
#include "td_udp.h"

/* Eth + IPv4 + UDP + VXLAN + Eth + IPv4 + TCP */
#define TD_FAST_LONG (14 + 20 + 8 + 8 + 14 + 20 + 20)

/* Every "not this shape" branch: laid out off the straight line. */
#define TD_NO(cond) __builtin_expect(!!(cond), 0)

/* Are fewer than `need` bytes captured? capmin is what the caller already proved (cap >=
 * capmin): a constant need within it costs nothing (the copy of the fast path for long
 * captures of the common shape drops all its fixed-offset checks this way). */
TD_INLINE int td_short(uint32_t cap, uint32_t capmin, uint32_t need)
{
	if (__builtin_constant_p(need) && need <= capmin)
		return 0;
	return cap < need;
}

/* An IP header of an accepted shape. */
struct td_fast_ip {
	const uint8_t *h;   /* the header */
	uint32_t off;       /* its offset */
	uint32_t l4;        /* offset of the L4 header */
	uint32_t end;       /* logical end of the IP packet (total / payload length) */
	uint8_t v6;
};

/* how the flow's ports are read: the view's own values */
enum { TD_FAST_TCP = DPS_FLOW_L4_TCP, TD_FAST_UDP = DPS_FLOW_L4_PORTS,
       TD_FAST_ICMP = DPS_FLOW_L4_ICMP };

struct td_fast_l4 {
	uint32_t end;       /* UDP: logical end of the datagram (else the IP end) */
	int kind;           /* UDP: td_udp_port_kind of the destination port; else -1 */
	uint8_t what;       /* TD_FAST_*: what the ports are */
	uint8_t proto;      /* the IP header's protocol */
};

/* IP header of Ethertype `type` at off, ending inside max(end_a, end_b) (two bounds: the outer
 * header compares with the captured and the frame length without computing the maximum).
 * 0 = accepted shape, -1 = not. That the L4 header fits inside the IP length is td_fast_l4's
 * check, which also implies IPv4 total length >= 20. */
TD_INLINE int td_fast_ip(const uint8_t *pkt, uint32_t cap, uint32_t capmin, uint32_t off,
			 uint32_t end_a, uint32_t end_b, uint16_t type, struct td_fast_ip *ip)
{
	const uint8_t *p;
	if (type == 0x0800) {
		if (TD_NO(td_short(cap, capmin, off + 20)))
			return -1;
		ip->h = p = pkt + off;
		ip->off = off;
		ip->v6 = 0;
		ip->l4 = off + 20;
		ip->end = off + td_be16(p + 2);
		/* 0x45: version 4 without options; 0x3FFF: MF and fragment offset */
		return TD_NO(p[0] != 0x45 || (ip->end > end_a && ip->end > end_b) ||
			     (td_raw16(p + 6) & TD_BE16_CONST(0x3FFF))) ? -1 : 0;
	}
	if (type == 0x86DD) {
		if (TD_NO(td_short(cap, capmin, off + 40)))
			return -1;
		ip->h = p = pkt + off;
		ip->off = off;
		ip->v6 = 1;
		ip->l4 = off + 40;
		ip->end = off + 40 + td_be16(p + 4);
		/* the next header is checked by td_fast_l4: only L4 protocols pass, so neither
		 * extension headers nor the jumbogram case (next header 0) get here */
		return TD_NO((p[0] >> 4) != 6 || (ip->end > end_a && ip->end > end_b)) ? -1 : 0;
	}
	return -1;
}

/* The L4 header after ip: all of it captured and inside the IP packet. 0 = accepted, -1 = not.
 * Offsets are absolute and small (< 512), so sums never wrap. udp_first orders the protocol
 * tests for where UDP is likely (the outer header of a tunnel). */
TD_INLINE int td_fast_l4(const struct dps_decode_config *cfg, const uint8_t *pkt, uint32_t cap,
			 uint32_t capmin, const struct td_fast_ip *ip, struct td_fast_l4 *l4,
			 const int udp_first)
{
	uint32_t off = ip->l4, hend;
	const uint8_t *p;
	uint8_t proto = ip->v6 ? ip->h[6] : ip->h[9];
	l4->proto = proto;
	l4->kind = -1;
	l4->end = ip->end;
	if (udp_first && proto == 17)
		goto udp;
	if (proto == 6) {
		if (TD_NO(td_short(cap, capmin, off + 20)))
			return -1;
		p = pkt + off;
		if (TD_NO(p[12] < 0x50))  /* data offset >= 5 */
			return -1;
		hend = off + (uint32_t)(p[12] >> 4) * 4;  /* options included */
		if (TD_NO(hend > cap || hend > ip->end))
			return -1;
		l4->what = TD_FAST_TCP;
	} else if (proto == 17) {
udp:
		if (TD_NO(td_short(cap, capmin, off + 8)))
			return -1;
		p = pkt + off;
		l4->end = off + td_be16(p + 4);
		if (TD_NO(l4->end > ip->end))
			return -1;
		l4->kind = td_udp_port_kind(cfg, td_be16(p + 2));
		/* UDP length >= 8; a tunnel's inner headers prove it (td_fast_inner_ip) */
		if (TD_NO(l4->kind < 0 && l4->end < off + 8))
			return -1;
		l4->what = TD_FAST_UDP;
	} else if (proto == 1 || proto == 58) {
		/* ICMP / ICMPv6, under either IP version as the full decoder maps them */
		if (TD_NO(td_short(cap, capmin, off + 4) || off + 4 > ip->end))
			return -1;
		l4->what = TD_FAST_ICMP;
	} else {
		return -1;
	}
	return 0;
}

/* The view's ref to an accepted IP packet and its L4 header; base is where pkt (maybe rebased)
 * starts in the sample. The addresses stay in the packet (dps_flow_read). */
TD_INLINE void td_fast_flow(struct dps_flow_ref *f, const struct td_fast_ip *ip,
			    const struct td_fast_l4 *l4, uint32_t base)
{
	f->ip_offset = base + ip->off;
	f->l4_offset = base + ip->l4;
	f->family = ip->v6 ? DPS_AF_IPV6 : DPS_AF_IPV4;
	f->protocol = l4->proto;
	f->l4_kind = l4->what;
}

/* The tunnelled packet: Ethernet at `inner`, everything inside the UDP datagram ending at
 * tend; base is pkt's offset in the sample (non-zero once rebased), which the flow ref adds.
 * Inlined once per tunnel type and inner IP version, so that VXLAN's inner offsets are
 * constants. */
TD_INLINE int td_fast_inner_ip(const struct dps_decode_config *cfg, const uint8_t *pkt,
			       uint32_t cap, uint32_t capmin, struct dps_sample_view *v,
			       uint32_t base, uint32_t inner, uint32_t tend, uint16_t type)
{
	struct td_fast_ip ip;
	struct td_fast_l4 l4;
	if (TD_NO(td_fast_ip(pkt, cap, capmin, inner + 14, tend, tend, type, &ip) ||
		  td_fast_l4(cfg, pkt, cap, capmin, &ip, &l4, 0) || l4.kind >= 0))
		return -1;  /* includes a nested tunnel (UDP to a tunnel port, IP-in-IP, GRE) */
	td_fast_flow(&v->flow, &ip, &l4, base);
	return DPS_DECODE_COMPLETE;
}

TD_INLINE int td_fast_inner(const struct dps_decode_config *cfg, const uint8_t *pkt,
			    uint32_t cap, uint32_t capmin, struct dps_sample_view *v,
			    uint32_t base, uint32_t inner, uint32_t tend)
{
	if (TD_NO(td_short(cap, capmin, inner + 14)))
		return -1;
	uint16_t type = td_be16(pkt + inner + 12);
	if (type == 0x0800)
		return td_fast_inner_ip(cfg, pkt, cap, capmin, v, base, inner, tend, 0x0800);
	if (type == 0x86DD)
		return td_fast_inner_ip(cfg, pkt, cap, capmin, v, base, inner, tend, 0x86DD);
	return -1;
}

/* Captured bytes from the inner Ethernet header on that make its checks constants: Ethernet +
 * IPv4 + TCP, which is also Ethernet + IPv6. */
#define TD_FAST_INNER_MIN (14 + 20 + 20)

/* The tunnelled packet at `inner` (inner <= cap proven), decoded as a packet of its own that
 * starts at pkt + inner. Why: after Geneve options (or an outer tag or IPv6) the inner offset
 * is a variable, and every capture check of the inner headers would be an addition and a
 * comparison; rebased, the offsets are constants again, and one comparison of the captured
 * rest with TD_FAST_INNER_MIN settles most checks (td_short). Ends are relative too, so the
 * UDP end must not lie before the inner header; if it does, the inner IP header cannot fit
 * and the packet is not a fast shape anyway. */
TD_INLINE int td_fast_rebased(const struct dps_decode_config *cfg, const uint8_t *pkt,
			      uint32_t cap, uint32_t capmin, struct dps_sample_view *v,
			      uint32_t inner, uint32_t tend)
{
	/* the long copy's VXLAN: the offsets are constants already */
	if (__builtin_constant_p(inner))
		return td_fast_inner(cfg, pkt, cap, capmin, v, 0, inner, tend);
	if (TD_NO(inner > tend))
		return -1;
	const uint8_t *in = pkt + inner;
	uint32_t in_cap = cap - inner, in_end = tend - inner;
	if (in_cap >= TD_FAST_INNER_MIN)
		return td_fast_inner(cfg, in, in_cap, TD_FAST_INNER_MIN, v, inner, 0, in_end);
	return td_fast_inner(cfg, in, in_cap, 0, v, inner, 0, in_end);
}

/* One copy of the fast path for an outer header of Ethertype `type` at off, cap >= capmin
 * proven. Returns the status (always COMPLETE) with *v filled if the packet has one of the
 * shapes above, -1 otherwise (*v may then hold partial results: the caller decodes again).
 * The view is written as soon as the outer headers are accepted, so little stays live. */
TD_INLINE int td_fast_body(const struct dps_decode_config *cfg, const uint8_t *pkt, uint32_t cap,
			   uint32_t capmin, uint32_t frame_len, struct dps_sample_view *v, uint32_t off,
			   uint16_t type, uint16_t tci)
{
	struct td_fast_ip ip;
	struct td_fast_l4 l4;
	if (TD_NO(td_fast_ip(pkt, cap, capmin, off, cap, frame_len, type, &ip) ||
		  td_fast_l4(cfg, pkt, cap, capmin, &ip, &l4, 1)))
		return -1;
	int kind = l4.kind;
	/* VXLAN-GPE, GTP-U (and invalid kinds) go to the lean walk; with depth 0 the full
	 * decoder stops at the tunnel with LIMIT */
	if (TD_NO(kind >= 0 && ((kind != DPS_UDP_VXLAN && kind != DPS_UDP_GENEVE) ||
				cfg->max_tunnel_depth == 0)))
		return -1;
	td_zero_view(v);
	if (off == 18) {
		v->n_vlans = 1;
		v->vlan_outer_vid = tci & 0x0FFF;
		v->vlan_outer_pcp = (uint8_t)(tci >> 13);
	}
	if (kind < 0) {
		td_fast_flow(&v->flow, &ip, &l4, 0);
		return DPS_DECODE_COMPLETE;   /* status is 0 in the zeroed view */
	}
	td_fast_flow(&v->underlay, &ip, &l4, 0);
	/* From here on every header must end inside the UDP datagram (tend): the inner IP's
	 * length is checked against tend and its L4 header against that length, which covers the
	 * tunnel and inner Ethernet headers before them. */
	uint32_t o = ip.l4 + 8, tend = l4.end, inner;
	if (TD_NO(td_short(cap, capmin, o + 8)))
		return -1;
	const uint8_t *t = pkt + o;
	/* the tunnel fields are written before the inner packet is accepted: if it is not, the
	 * lean walk rewrites the whole view anyway */
	v->tunnel_depth = 1;
	v->has_inner_offset = 1;
	if (kind == DPS_UDP_VXLAN) {
		v->tunnel_proto = DPS_TUNNEL_VXLAN;
		v->inner_header_offset = o + 8;
		if (t[0] & 0x08) {  /* I flag; without it the VNI reads as 0 */
			v->has_vni = 1;
			v->vni = td_be32(t + 4) >> 8;
		}
		return td_fast_rebased(cfg, pkt, cap, capmin, v, o + 8, tend);
	}
	/* version 2 bits, option length 6 bits (words), O, C, 6 reserved bits, protocol: the
	 * version and the protocol in one comparison */
	uint32_t word0 = td_be32(t);
	inner = o + 8 + ((word0 >> 22) & 0xFC);
	if (TD_NO((word0 & 0xC000FFFFu) != 0x6558u || cap < inner))
		return -1;
	/* Options must tile [o + 8, inner) exactly. Lengths are multiples of 4 from a multiple
	 * of 4, so q < inner means q + 3 < inner <= cap; the walk stops at inner or overshoots
	 * it (an option longer than the rest of the area, which the full decoder rejects). */
	uint32_t q = o + 8;
	while (q < inner)
		q += 4 + 4u * (pkt[q + 3] & 0x1F);
	if (TD_NO(q != inner))
		return -1;
	v->tunnel_proto = DPS_TUNNEL_GENEVE;
	v->has_vni = 1;
	v->vni = td_be32(t + 4) >> 8;
	v->inner_header_offset = inner;
	return td_fast_rebased(cfg, pkt, cap, capmin, v, inner, tend);
}

/* The fast path comes in two copies of td_fast_body: untagged IPv4 (the common underlay)
 * captured far enough for a VXLAN packet with inner IPv4 and TCP, where every offset and the
 * fixed bounds checks fold into constants; and everything else. cfg is not NULL; both return
 * a status or -1 (not taken). */
TD_INLINE int td_fast_is_long(const uint8_t *pkt, uint32_t cap)
{
	return cap >= TD_FAST_LONG && td_be16(pkt + 12) == 0x0800;
}

TD_INLINE int td_fast_long(const struct dps_decode_config *cfg, const uint8_t *pkt, uint32_t cap,
			   uint32_t frame_len, struct dps_sample_view *v)
{
	return td_fast_body(cfg, pkt, cap, TD_FAST_LONG, frame_len, v, 14, 0x0800, 0);
}

TD_INLINE int td_fast_other(const struct dps_decode_config *cfg, const uint8_t *pkt,
			    uint32_t cap, uint32_t frame_len, struct dps_sample_view *v)
{
	if (TD_NO(cap < 14 + 20))  /* no accepted shape is shorter */
		return -1;
	uint16_t type = td_be16(pkt + 12), tci = 0;
	uint32_t off = 14;
	if (type != 0x0800 && type != 0x86DD) {
		if (TD_NO(type != 0x8100 && type != 0x88A8 && type != 0x9100))
			return -1;
		/* another tag (a stack) is not IP: td_fast_ip refuses */
		tci = td_be16(pkt + 14);
		type = td_be16(pkt + 16);
		off = 18;
	}
	return td_fast_body(cfg, pkt, cap, 14 + 20, frame_len, v, off, type, tci);
}

/* Test hooks (tests/tunnel_decode/test_fast_path.c), not public API. td_fast_sample_view: the
 * fast path alone, same arguments as dps_decode_sample_view, -1 where the lean walk would take
 * over. td_lean_walks: how many times dps_decode_sample_view fell back to the lean walk in this
 * thread (counted on the slow path only, so the fast path pays nothing); it tells a test that
 * the exporter's entry point really takes the fast path. */
int td_fast_sample_view(const struct dps_decode_config *cfg, const uint8_t *pkt,
			uint32_t captured_len, uint32_t frame_len, struct dps_sample_view *view);
extern _Thread_local unsigned long td_lean_walks;

#endif
