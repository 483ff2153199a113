/* test_fast_path.c - the fast path of dps_decode_sample_view (tunnel_decode/td_fast.h).
 *
 * For every shape the fast path takes: the expected view, field by field, from a frame built
 * here byte by byte; that td_fast_sample_view (the fast path alone) takes it; that the public
 * dps_decode_sample_view takes it too (td_lean_walks does not move); and that the view equals
 * the full decode's. For every fallback trigger (each truncation, IPv4 options, fragments, tag
 * stacks, bad Geneve options, nested tunnels, port configurations, bad lengths): that the fast
 * path declines, the public entry falls back, and the view still equals the full decode's.
 * Inputs are exact-size heap copies so ASan catches a read past the captured bytes. */
#include "td_test_common.h"
#include "td_fast.h"

/* ---- frame builder ------------------------------------------------------------------------ */

struct fb {
	uint8_t b[512];
	uint32_t n;
	uint32_t hdr_end;          /* end of the last L4 header added: the fast path needs it all */
	uint32_t fix[8];           /* headers whose length field covers the rest of the frame */
	uint8_t fix_kind[8];       /* 4 = IPv4, 6 = IPv6, 17 = UDP */
	unsigned n_fix;
};

static void put8(struct fb *f, uint8_t v) { f->b[f->n++] = v; }
static void put16(struct fb *f, uint16_t v) { put8(f, (uint8_t)(v >> 8)); put8(f, (uint8_t)v); }
static void put32(struct fb *f, uint32_t v)
{
	put16(f, (uint16_t)(v >> 16));
	put16(f, (uint16_t)v);
}

static void fb_eth(struct fb *f, uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
	memcpy(f->b + f->n, macs, 12);
	f->n += 12;
	put16(f, type);
}

static void fb_tag(struct fb *f, uint16_t tci, uint16_t type)
{
	put16(f, tci);
	put16(f, type);
}

/* IPv4 192.0.2.<a> -> 198.51.100.<b>, length fixed by fb_done */
static void fb_ipv4(struct fb *f, uint8_t proto, uint8_t tos, uint8_t a, uint8_t b)
{
	f->fix[f->n_fix] = f->n;
	f->fix_kind[f->n_fix++] = 4;
	const uint8_t h[20] = { 0x45, tos, 0, 0, 0x12, 0x34, 0x40, 0, 64, proto, 0, 0,
				192, 0, 2, a, 198, 51, 100, b };
	memcpy(f->b + f->n, h, 20);
	f->n += 20;
}

/* IPv6 2001:db8::<a> -> 2001:db8::<b>, traffic class tc, flow label 0x12345 */
static void fb_ipv6(struct fb *f, uint8_t nh, uint8_t tc, uint8_t a, uint8_t b)
{
	f->fix[f->n_fix] = f->n;
	f->fix_kind[f->n_fix++] = 6;
	uint8_t h[40] = { (uint8_t)(0x60 | tc >> 4), (uint8_t)(tc << 4 | 0x1), 0x23, 0x45, 0, 0, nh,
			  64 };
	h[8] = 0x20; h[9] = 0x01; h[10] = 0x0d; h[11] = 0xb8; h[23] = a;
	h[24] = 0x20; h[25] = 0x01; h[26] = 0x0d; h[27] = 0xb8; h[39] = b;
	memcpy(f->b + f->n, h, 40);
	f->n += 40;
}

static void fb_udp(struct fb *f, uint16_t sport, uint16_t dport)
{
	f->fix[f->n_fix] = f->n;
	f->fix_kind[f->n_fix++] = 17;
	put16(f, sport);
	put16(f, dport);
	put32(f, 0);
	f->hdr_end = f->n;
}

/* TCP with doff 32-bit words (options: NOPs) */
static void fb_tcp(struct fb *f, uint16_t sport, uint16_t dport, uint8_t flags, uint8_t doff)
{
	uint32_t start = f->n;
	put16(f, sport);
	put16(f, dport);
	put32(f, 1000);
	put32(f, 2000);
	put8(f, (uint8_t)(doff << 4));
	put8(f, flags);
	put16(f, 512);
	put32(f, 0);
	while (f->n < start + doff * 4u)
		put8(f, 1);
	f->hdr_end = start + doff * 4u;
}

static void fb_icmp(struct fb *f, uint8_t type, uint8_t code)
{
	put8(f, type);
	put8(f, code);
	put16(f, 0);
	put32(f, 0x00010002);
	f->hdr_end = f->n - 4;
}

static void fb_vxlan(struct fb *f, uint8_t flags, uint32_t vni)
{
	put8(f, flags);
	put8(f, 0);
	put16(f, 0);
	put32(f, vni << 8);
}

/* Geneve: first byte (version, option length), second byte (O, C), protocol, VNI, then
 * opt_bytes of TLVs laid out by the caller */
static void fb_geneve(struct fb *f, uint8_t first, uint8_t second, uint16_t proto, uint32_t vni,
		      const uint8_t *opts, unsigned opt_bytes)
{
	put8(f, first);
	put8(f, second);
	put16(f, proto);
	put32(f, vni << 8);
	if (opt_bytes)
		memcpy(f->b + f->n, opts, opt_bytes);
	f->n += opt_bytes;
}

static void fb_payload(struct fb *f, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		put8(f, (uint8_t)(0xA0 + i));
}

/* Every recorded length field covers the rest of the frame. */
static void fb_done(struct fb *f)
{
	for (unsigned i = 0; i < f->n_fix; i++) {
		uint32_t o = f->fix[i], len = f->n - o;
		if (f->fix_kind[i] == 4) {
			f->b[o + 2] = (uint8_t)(len >> 8); f->b[o + 3] = (uint8_t)len;
		} else if (f->fix_kind[i] == 6) {
			f->b[o + 4] = (uint8_t)((len - 40) >> 8); f->b[o + 5] = (uint8_t)(len - 40);
		} else {
			f->b[o + 4] = (uint8_t)(len >> 8); f->b[o + 5] = (uint8_t)len;
		}
	}
}

/* Ethernet / IPv4 / UDP to dport / VXLAN (flags, VNI) around Ethernet / IPv4 / TCP */
static void fb_vxlan_tcp(struct fb *f, uint16_t dport, uint8_t vx_flags)
{
	fb_eth(f, 0x0800);
	fb_ipv4(f, 17, 0, 1, 2);
	fb_udp(f, 0xC001, dport);
	fb_vxlan(f, vx_flags, 5000);
	fb_eth(f, 0x0800);
	fb_ipv4(f, 6, 0x10, 11, 12);
	fb_tcp(f, 40000, 443, 0x12, 5);
	fb_payload(f, 30);
	fb_done(f);
}

/* two options: class 0x0102 type 0x80 with 4 bytes, class 0xffff type 1 with 8 bytes */
static const uint8_t two_opts[20] = {
	0x01, 0x02, 0x80, 1, 1, 2, 3, 4,
	0xFF, 0xFF, 0x01, 2, 9, 9, 9, 9, 9, 9, 9, 9,
};

/* Ethernet / IPv4 / UDP 6081 / Geneve (two options) around Ethernet / IPv6 / TCP: the
 * benchmark's shape */
static void fb_geneve_v6(struct fb *f)
{
	fb_eth(f, 0x0800);
	fb_ipv4(f, 17, 0, 1, 2);
	fb_udp(f, 0xC002, 6081);
	fb_geneve(f, 5, 0, 0x6558, 0x123456, two_opts, sizeof(two_opts));
	fb_eth(f, 0x86DD);
	fb_ipv6(f, 6, 0xB8, 3, 4);
	fb_tcp(f, 5555, 22, 0x18, 8);
	fb_payload(f, 40);
	fb_done(f);
}

/* ---- checks ------------------------------------------------------------------------------- */

static struct dps_decode_config cfg_extra;

static int setup(void **state)
{
	(void)state;
	dps_decode_config_init(&cfg_extra);
	dps_decode_config_add_port(&cfg_extra, DPS_UDP_VXLAN, 80);
	dps_decode_config_add_port(&cfg_extra, DPS_UDP_GENEVE, 53);
	dps_decode_config_add_port(&cfg_extra, DPS_UDP_VXLAN_GPE, 443);
	dps_decode_config_add_port(&cfg_extra, DPS_UDP_GTPU, 123);
	dps_decode_config_add_port(&cfg_extra, DPS_UDP_GENEVE, 4789);  /* loses to the default */
	return 0;
}

/* Full decode vs the public lean path on an exact-size copy; returns the status and, in
 * *fell_back, whether the public path used the lean walk. */
static int same_as_full(const struct dps_decode_config *cfg, const uint8_t *data, uint32_t cap,
			uint32_t frame_len, struct dps_sample_view *out, int *fell_back)
{
	static struct dps_decoded d;
	struct dps_sample_view ref, got;
	uint8_t *copy = malloc(cap ? cap : 1);
	assert_non_null(copy);
	if (cap != 0) /* data may be NULL for the empty capture */
		memcpy(copy, data, cap);
	memset(&ref, 0xA5, sizeof(ref));   /* different garbage: an unwritten byte differs */
	memset(&got, 0x5A, sizeof(got));
	int st = dps_decode_packet(cfg, copy, cap, frame_len, &d);
	dps_sample_view_from(&d, &ref);
	unsigned long before = td_lean_walks;
	assert_int_equal(dps_decode_sample_view(cfg, copy, cap, frame_len, &got), st);
	*fell_back = td_lean_walks != before;
	free(copy);
	if (memcmp(&ref, &got, sizeof(ref))) {
		assert_memory_equal(&ref.flow, &got.flow, sizeof(ref.flow));
		assert_memory_equal(&ref.underlay, &got.underlay, sizeof(ref.underlay));
		assert_memory_equal(&ref, &got, sizeof(ref));
	}
	if (out)
		*out = got;
	return st;
}

/* The fast path alone on an exact-size copy: its status, or -1. */
static int fast_only(const struct dps_decode_config *cfg, const uint8_t *data, uint32_t cap,
		     uint32_t frame_len)
{
	struct dps_sample_view v;
	uint8_t *copy = malloc(cap ? cap : 1);
	assert_non_null(copy);
	if (cap != 0) /* data may be NULL for the empty capture */
		memcpy(copy, data, cap);
	int st = td_fast_sample_view(cfg, copy, cap, frame_len, &v);
	free(copy);
	return st;
}

/* The fast path takes it (alone and through the public entry), COMPLETE, same as full. */
static struct dps_sample_view expect_fast(const struct dps_decode_config *cfg, const uint8_t *data,
					  uint32_t cap, uint32_t frame_len)
{
	struct dps_sample_view v;
	int fell_back;
	assert_int_equal(fast_only(cfg, data, cap, frame_len), DPS_DECODE_COMPLETE);
	assert_int_equal(same_as_full(cfg, data, cap, frame_len, &v, &fell_back),
			 DPS_DECODE_COMPLETE);
	assert_false(fell_back);
	return v;
}

/* The fast path declines (alone and through the public entry); the view is still the full
 * decode's. Returns the status. */
static int expect_slow(const struct dps_decode_config *cfg, const uint8_t *data, uint32_t cap,
		       uint32_t frame_len)
{
	int fell_back;
	assert_int_equal(fast_only(cfg, data, cap, frame_len), -1);
	int st = same_as_full(cfg, data, cap, frame_len, NULL, &fell_back);
	assert_true(fell_back);
	return st;
}

/* The flow a view's ref names in the frame it was decoded from. */
static struct dps_flow rd(const struct fb *f, const struct dps_flow_ref *ref)
{
	struct dps_flow fl;
	assert_int_equal(dps_flow_read(f->b, f->n, ref, &fl), 1);
	return fl;
}

static void assert_flow4(const struct fb *f, const struct dps_flow_ref *ref, uint8_t proto,
			 uint8_t tos, uint8_t a, uint8_t b, uint32_t length, uint16_t sport,
			 uint16_t dport, uint8_t flags)
{
	const struct dps_flow read = rd(f, ref), *fl = &read;
	const uint8_t src[16] = { 192, 0, 2, a }, dst[16] = { 198, 51, 100, b };
	assert_int_equal(fl->valid, 1);
	assert_int_equal(fl->protocol, proto);
	assert_int_equal(fl->tos, tos);
	assert_int_equal(fl->tcp_flags, flags);
	assert_int_equal(fl->src.family, DPS_AF_IPV4);
	assert_int_equal(fl->dst.family, DPS_AF_IPV4);
	assert_memory_equal(fl->src.bytes, src, 16);
	assert_memory_equal(fl->dst.bytes, dst, 16);
	assert_int_equal(fl->length, length);
	assert_int_equal(fl->src_port, sport);
	assert_int_equal(fl->dst_port, dport);
}

static void assert_flow6(const struct fb *f, const struct dps_flow_ref *ref, uint8_t proto,
			 uint8_t tc, uint8_t a, uint8_t b, uint32_t length, uint16_t sport,
			 uint16_t dport, uint8_t flags)
{
	const struct dps_flow read = rd(f, ref), *fl = &read;
	const uint8_t src[16] = { 0x20, 1, 0x0d, 0xb8, [15] = a };
	const uint8_t dst[16] = { 0x20, 1, 0x0d, 0xb8, [15] = b };
	assert_int_equal(fl->valid, 1);
	assert_int_equal(fl->protocol, proto);
	assert_int_equal(fl->tos, tc);
	assert_int_equal(fl->tcp_flags, flags);
	assert_int_equal(fl->src.family, DPS_AF_IPV6);
	assert_int_equal(fl->dst.family, DPS_AF_IPV6);
	assert_memory_equal(fl->src.bytes, src, 16);
	assert_memory_equal(fl->dst.bytes, dst, 16);
	assert_int_equal(fl->length, length);
	assert_int_equal(fl->src_port, sport);
	assert_int_equal(fl->dst_port, dport);
}

static void assert_untunnelled(const struct dps_sample_view *v)
{
	static const struct dps_flow_ref none;
	assert_memory_equal(&v->underlay, &none, sizeof(none));
	assert_int_equal(v->tunnel_proto, DPS_TUNNEL_NONE);
	assert_int_equal(v->tunnel_depth, 0);
	assert_int_equal(v->has_vni, 0);
	assert_int_equal(v->vni, 0);
	assert_int_equal(v->has_inner_offset, 0);
	assert_int_equal(v->inner_header_offset, 0);
	assert_int_equal(v->n_mpls, 0);
	assert_int_equal(v->has_nsh, 0);
	assert_int_equal(v->status, DPS_DECODE_COMPLETE);
}

/* Every capture length: below the end of the last header the fast path must decline (the
 * full decoder reports TRUNCATED there), from it on it must take the packet; and every frame
 * cut (frame_len = cap) short of the whole frame must decline (lengths run past the frame).
 * Also the head of a longer frame. */
static void every_cut(const struct dps_decode_config *cfg, const struct fb *f)
{
	for (uint32_t cap = 0; cap <= f->n; cap++) {
		if (cap < f->hdr_end)
			assert_int_equal(expect_slow(cfg, f->b, cap, f->n), DPS_DECODE_TRUNCATED);
		else
			expect_fast(cfg, f->b, cap, f->n);
		if (cap < f->n)
			assert_int_not_equal(expect_slow(cfg, f->b, cap, cap), DPS_DECODE_COMPLETE);
		expect_fast(cfg, f->b, f->n, f->n + cap);
	}
}

/* ---- shapes the fast path takes ---------------------------------------------------------- */

static void test_plain(void **state)
{
	(void)state;
	struct fb f = { 0 };
	fb_eth(&f, 0x0800);
	fb_ipv4(&f, 6, 0x2E, 1, 2);
	fb_tcp(&f, 40000, 80, 0x18, 8);
	fb_payload(&f, 20);
	fb_done(&f);
	struct dps_sample_view v = expect_fast(NULL, f.b, f.n, f.n);
	assert_flow4(&f, &v.flow, 6, 0x2E, 1, 2, 20 + 32 + 20, 40000, 80, 0x18);
	assert_untunnelled(&v);
	assert_int_equal(v.n_vlans, 0);
	every_cut(NULL, &f);

	struct fb u = { 0 };   /* IPv6 / UDP to a port that is no tunnel */
	fb_eth(&u, 0x86DD);
	fb_ipv6(&u, 17, 0xA0, 5, 6);
	fb_udp(&u, 5353, 53);
	fb_payload(&u, 12);
	fb_done(&u);
	v = expect_fast(NULL, u.b, u.n, u.n);
	assert_flow6(&u, &v.flow, 17, 0xA0, 5, 6, 40 + 8 + 12, 5353, 53, 0);
	assert_untunnelled(&v);
	every_cut(NULL, &u);

	struct fb i = { 0 };   /* ICMP echo: type and code in the ports */
	fb_eth(&i, 0x0800);
	fb_ipv4(&i, 1, 0, 7, 8);
	fb_icmp(&i, 8, 0);
	fb_payload(&i, 8);
	fb_done(&i);
	v = expect_fast(NULL, i.b, i.n, i.n);
	assert_flow4(&i, &v.flow, 1, 0, 7, 8, 20 + 8 + 8, 8, 0, 0);
	assert_untunnelled(&v);
	every_cut(NULL, &i);

	/* ICMPv6 echo reply; and the protocol numbers crossed over (58 in IPv4, 1 in IPv6), which
	 * the full decoder maps by number alone */
	const uint8_t pairs[3][2] = { { 58, 6 }, { 58, 4 }, { 1, 6 } };
	for (unsigned k = 0; k < 3; k++) {
		struct fb c = { 0 };
		fb_eth(&c, pairs[k][1] == 6 ? 0x86DD : 0x0800);
		if (pairs[k][1] == 6)
			fb_ipv6(&c, pairs[k][0], 0, 1, 2);
		else
			fb_ipv4(&c, pairs[k][0], 0, 1, 2);
		fb_icmp(&c, 129, 3);
		fb_done(&c);
		v = expect_fast(NULL, c.b, c.n, c.n);
		assert_int_equal(rd(&c, &v.flow).protocol, pairs[k][0]);
		assert_int_equal(rd(&c, &v.flow).src_port, 129);
		assert_int_equal(rd(&c, &v.flow).dst_port, 3);
	}

	/* DF set is no fragment; trailing bytes after the IP packet (Ethernet padding) are fine */
	f.b[14 + 6] = 0x40;
	expect_fast(NULL, f.b, f.n, f.n);
	struct fb pad = { 0 };
	fb_eth(&pad, 0x0800);
	fb_ipv4(&pad, 6, 0, 1, 2);
	fb_tcp(&pad, 1, 2, 0x02, 5);
	fb_done(&pad);
	fb_payload(&pad, 6);
	v = expect_fast(NULL, pad.b, pad.n, pad.n);
	assert_int_equal(rd(&pad, &v.flow).length, 40);
	assert_int_equal(rd(&pad, &v.flow).tcp_flags, 0x02);
}

static void test_one_tag(void **state)
{
	(void)state;
	const uint16_t tpids[3] = { 0x8100, 0x88A8, 0x9100 };
	for (unsigned k = 0; k < 3; k++) {
		struct fb f = { 0 };
		fb_eth(&f, tpids[k]);
		fb_tag(&f, 5 << 13 | 1 << 12 | 100, 0x0800);  /* PCP 5, DEI, VID 100 */
		fb_ipv4(&f, 17, 0, 1, 2);
		fb_udp(&f, 1000, 2000);
		fb_payload(&f, 10);
		fb_done(&f);
		struct dps_sample_view v = expect_fast(NULL, f.b, f.n, f.n);
		assert_int_equal(v.n_vlans, 1);
		assert_int_equal(v.vlan_outer_vid, 100);
		assert_int_equal(v.vlan_outer_pcp, 5);
		assert_int_equal(v.vlan_inner_vid, 0);
		assert_int_equal(v.vlan_inner_pcp, 0);
		assert_flow4(&f, &v.flow, 17, 0, 1, 2, 20 + 8 + 10, 1000, 2000, 0);
		assert_untunnelled(&v);
		every_cut(NULL, &f);
	}
	/* a tagged VXLAN underlay */
	struct fb t = { 0 };
	fb_eth(&t, 0x8100);
	fb_tag(&t, 7 << 13 | 4094, 0x0800);
	fb_ipv4(&t, 17, 0, 1, 2);
	fb_udp(&t, 0xC001, 4789);
	fb_vxlan(&t, 0x08, 77);
	fb_eth(&t, 0x0800);
	fb_ipv4(&t, 6, 0, 3, 4);
	fb_tcp(&t, 1, 2, 0x10, 5);
	fb_done(&t);
	struct dps_sample_view v = expect_fast(NULL, t.b, t.n, t.n);
	assert_int_equal(v.n_vlans, 1);
	assert_int_equal(v.vlan_outer_vid, 4094);
	assert_int_equal(v.vlan_outer_pcp, 7);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_VXLAN);
	assert_int_equal(v.vni, 77);
	assert_int_equal(v.inner_header_offset, 18 + 20 + 8 + 8);
	every_cut(NULL, &t);
}

static void test_vxlan(void **state)
{
	(void)state;
	struct fb f = { 0 };
	fb_vxlan_tcp(&f, 4789, 0x08);
	struct dps_sample_view v = expect_fast(NULL, f.b, f.n, f.n);
	const uint32_t inner = 14 + 20 + 8 + 8, ulen = f.n - 34;
	assert_int_equal(v.status, DPS_DECODE_COMPLETE);
	assert_int_equal(v.tunnel_depth, 1);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_VXLAN);
	assert_int_equal(v.has_vni, 1);
	assert_int_equal(v.vni, 5000);
	assert_int_equal(v.has_inner_offset, 1);
	assert_int_equal(v.inner_header_offset, inner);
	assert_flow4(&f, &v.underlay, 17, 0, 1, 2, 20 + ulen, 0xC001, 4789, 0);
	assert_flow4(&f, &v.flow, 6, 0x10, 11, 12, f.n - inner - 14, 40000, 443, 0x12);
	assert_int_equal(v.n_vlans, 0);
	assert_int_equal(v.n_mpls, 0);
	assert_int_equal(v.has_nsh, 0);
	every_cut(NULL, &f);
	/* the same with the captured head of a longer frame, as the exporter sees it */
	expect_fast(NULL, f.b, f.hdr_end, 1500);

	/* without the I flag the inner frame is still decoded, with no VNI */
	struct fb n = { 0 };
	fb_vxlan_tcp(&n, 4789, 0x00);
	v = expect_fast(NULL, n.b, n.n, n.n);
	assert_int_equal(v.has_vni, 0);
	assert_int_equal(v.vni, 0);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_VXLAN);
	/* other flag bits (GBP's G, reserved) change nothing */
	struct fb g = { 0 };
	fb_vxlan_tcp(&g, 4789, 0x88);
	g.b[14 + 20 + 8 + 2] = 0x12;
	v = expect_fast(NULL, g.b, g.n, g.n);
	assert_int_equal(v.has_vni, 1);
	assert_int_equal(v.vni, 5000);

	/* Linux's port 8472 */
	struct fb l = { 0 };
	fb_vxlan_tcp(&l, 8472, 0x08);
	v = expect_fast(NULL, l.b, l.n, l.n);
	assert_int_equal(rd(&l, &v.underlay).dst_port, 8472);
	assert_int_equal(v.vni, 5000);

	/* IPv6 underlay, inner IPv6 / UDP; inner IPv4 / ICMP */
	struct fb s = { 0 };
	fb_eth(&s, 0x86DD);
	fb_ipv6(&s, 17, 0x28, 1, 2);
	fb_udp(&s, 0xC003, 4789);
	fb_vxlan(&s, 0x08, 0xFFFFFF);
	fb_eth(&s, 0x86DD);
	fb_ipv6(&s, 17, 0, 7, 8);
	fb_udp(&s, 123, 4444);
	fb_payload(&s, 5);
	fb_done(&s);
	v = expect_fast(NULL, s.b, s.n, s.n);
	assert_flow6(&s, &v.underlay, 17, 0x28, 1, 2, s.n - 14, 0xC003, 4789, 0);
	assert_flow6(&s, &v.flow, 17, 0, 7, 8, 40 + 8 + 5, 123, 4444, 0);
	assert_int_equal(v.vni, 0xFFFFFF);
	assert_int_equal(v.inner_header_offset, 14 + 40 + 8 + 8);
	every_cut(NULL, &s);

	struct fb c = { 0 };
	fb_eth(&c, 0x0800);
	fb_ipv4(&c, 17, 0, 1, 2);
	fb_udp(&c, 0xC004, 4789);
	fb_vxlan(&c, 0x08, 1);
	fb_eth(&c, 0x0800);
	fb_ipv4(&c, 1, 0xB8, 9, 10);
	fb_icmp(&c, 3, 4);
	fb_payload(&c, 28);
	fb_done(&c);
	v = expect_fast(NULL, c.b, c.n, c.n);
	assert_flow4(&c, &v.flow, 1, 0xB8, 9, 10, 20 + 8 + 28, 3, 4, 0);
	every_cut(NULL, &c);
}

static void test_geneve(void **state)
{
	(void)state;
	struct fb f = { 0 };
	fb_geneve_v6(&f);
	const uint32_t inner = 14 + 20 + 8 + 8 + 20;
	struct dps_sample_view v = expect_fast(NULL, f.b, f.n, f.n);
	assert_int_equal(v.tunnel_depth, 1);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_GENEVE);
	assert_int_equal(v.has_vni, 1);
	assert_int_equal(v.vni, 0x123456);
	assert_int_equal(v.has_inner_offset, 1);
	assert_int_equal(v.inner_header_offset, inner);
	assert_flow4(&f, &v.underlay, 17, 0, 1, 2, f.n - 14, 0xC002, 6081, 0);
	assert_flow6(&f, &v.flow, 6, 0xB8, 3, 4, f.n - inner - 14, 5555, 22, 0x18);
	assert_int_equal(v.status, DPS_DECODE_COMPLETE);
	every_cut(NULL, &f);

	/* no options, O and C bits set, inner IPv4 / UDP, IPv6 underlay */
	struct fb g = { 0 };
	fb_eth(&g, 0x86DD);
	fb_ipv6(&g, 17, 0, 1, 2);
	fb_udp(&g, 0xC005, 6081);
	fb_geneve(&g, 0, 0xC0, 0x6558, 42, NULL, 0);
	fb_eth(&g, 0x0800);
	fb_ipv4(&g, 17, 0, 5, 6);
	fb_udp(&g, 67, 68);
	fb_payload(&g, 9);
	fb_done(&g);
	v = expect_fast(NULL, g.b, g.n, g.n);
	assert_int_equal(v.vni, 42);
	assert_int_equal(v.inner_header_offset, 14 + 40 + 8 + 8);
	assert_flow4(&g, &v.flow, 17, 0, 5, 6, 20 + 8 + 9, 67, 68, 0);
	every_cut(NULL, &g);

	/* options of every length up to the 5-bit maximum (31 words), several per area */
	for (unsigned words = 0; words <= 31; words += 5) {
		uint8_t opts[2 * 128] = { 0 };
		opts[3] = (uint8_t)words;
		opts[4 + 4 * words + 3] = 0;                     /* then an empty option */
		unsigned bytes = 4 + 4 * words + 4;
		struct fb o = { 0 };
		fb_eth(&o, 0x0800);
		fb_ipv4(&o, 17, 0, 1, 2);
		fb_udp(&o, 1, 6081);
		fb_geneve(&o, (uint8_t)(bytes / 4), 0, 0x6558, 7, opts, bytes);
		fb_eth(&o, 0x0800);
		fb_ipv4(&o, 6, 0, 1, 2);
		fb_tcp(&o, 1, 2, 0x01, 6);
		fb_done(&o);
		v = expect_fast(NULL, o.b, o.n, o.n);
		assert_int_equal(v.inner_header_offset, 50 + bytes);
		assert_int_equal(rd(&o, &v.flow).tcp_flags, 0x01);
	}
}

static void test_configured_ports(void **state)
{
	(void)state;
	/* an extra VXLAN port is taken; 4789 added again as Geneve loses to the default entry */
	struct fb f = { 0 };
	fb_vxlan_tcp(&f, 80, 0x08);
	struct dps_sample_view v = expect_fast(&cfg_extra, f.b, f.n, f.n);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_VXLAN);
	assert_int_equal(rd(&f, &v.underlay).dst_port, 80);
	v = expect_fast(NULL, f.b, f.n, f.n);   /* port 80 without the config: plain UDP */
	assert_int_equal(v.tunnel_depth, 0);
	assert_int_equal(rd(&f, &v.flow).dst_port, 80);
	struct fb d = { 0 };
	fb_vxlan_tcp(&d, 4789, 0x08);
	v = expect_fast(&cfg_extra, d.b, d.n, d.n);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_VXLAN);
	every_cut(&cfg_extra, &d);

	/* an extra Geneve port */
	struct fb g = { 0 };
	fb_geneve_v6(&g);
	g.b[14 + 20 + 2] = 0; g.b[14 + 20 + 3] = 53;
	v = expect_fast(&cfg_extra, g.b, g.n, g.n);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_GENEVE);

	/* a table where 4789 is VXLAN-GPE first: the full decoder follows the table */
	struct dps_decode_config gpe_first = { .max_tunnel_depth = 4, .n_ports = 2,
					       .port = { 4789, 4789 },
					       .port_kind = { DPS_UDP_VXLAN_GPE, DPS_UDP_VXLAN } };
	expect_slow(&gpe_first, d.b, d.n, d.n);
	/* an invalid kind in the table: the full decoder treats the port as no tunnel */
	struct dps_decode_config bad_kind = gpe_first;
	bad_kind.port_kind[0] = 9;
	expect_slow(&bad_kind, d.b, d.n, d.n);
	/* no tunnel ports at all: the VXLAN packet is a plain UDP packet, taken as such */
	struct dps_decode_config none = { .max_tunnel_depth = 4, .n_ports = 0 };
	v = expect_fast(&none, d.b, d.n, d.n);
	assert_int_equal(v.tunnel_depth, 0);
	assert_int_equal(rd(&d, &v.flow).dst_port, 4789);
	assert_int_equal(rd(&d, &v.flow).protocol, 17);
	/* nesting disabled: the full decoder stops at the tunnel with LIMIT */
	struct dps_decode_config flat;
	dps_decode_config_init(&flat);
	flat.max_tunnel_depth = 0;
	assert_int_equal(expect_slow(&flat, d.b, d.n, d.n), DPS_DECODE_LIMIT);
	flat.max_tunnel_depth = 200;   /* clamped, but >= 1: taken */
	expect_fast(&flat, d.b, d.n, d.n);
	/* the other UDP tunnels go to the lean walk */
	struct fb p = { 0 };
	fb_vxlan_tcp(&p, 4790, 0x0C);
	expect_slow(NULL, p.b, p.n, p.n);
	struct fb t = { 0 };
	fb_vxlan_tcp(&t, 2152, 0x30);
	expect_slow(NULL, t.b, t.n, t.n);
	expect_slow(&cfg_extra, p.b, p.n, p.n);
}

/* ---- fallback triggers -------------------------------------------------------------------- */

/* A copy of f with byte off set to val. */
static void poke(const struct fb *f, struct fb *out, uint32_t off, uint8_t val)
{
	*out = *f;
	out->b[off] = val;
}

static void test_ip_options_and_fragments(void **state)
{
	(void)state;
	struct fb f = { 0 };
	fb_vxlan_tcp(&f, 4789, 0x08);
	const uint32_t outer = 14, inner = 64;
	struct fb m;
	for (unsigned k = 0; k < 2; k++) {
		uint32_t ip = k ? inner : outer;
		/* IHL 6 (the option word is the first 4 bytes of what follows) */
		poke(&f, &m, ip, 0x46);
		expect_slow(NULL, m.b, m.n, m.n);
		/* version 6 in an IPv4 Ethertype, IHL 4 */
		poke(&f, &m, ip, 0x65);
		expect_slow(NULL, m.b, m.n, m.n);
		poke(&f, &m, ip, 0x44);
		expect_slow(NULL, m.b, m.n, m.n);
		/* MF; a fragment offset in either byte */
		poke(&f, &m, ip + 6, 0x20);
		expect_slow(NULL, m.b, m.n, m.n);
		poke(&f, &m, ip + 6, 0x01);
		expect_slow(NULL, m.b, m.n, m.n);
		poke(&f, &m, ip + 7, 0x01);
		expect_slow(NULL, m.b, m.n, m.n);
		/* DF and the reserved bit are no fragment */
		poke(&f, &m, ip + 6, 0xC0);
		expect_fast(NULL, m.b, m.n, m.n);
		/* total length one past the enclosing length; and below the headers */
		poke(&f, &m, ip + 3, (uint8_t)(f.b[ip + 3] + 1));
		assert_int_equal(expect_slow(NULL, m.b, m.n, m.n), DPS_DECODE_MALFORMED);
		poke(&f, &m, ip + 2, 0);
		m.b[ip + 3] = 19;
		assert_int_equal(expect_slow(NULL, m.b, m.n, m.n), DPS_DECODE_MALFORMED);
		m.b[ip + 3] = (uint8_t)(k ? 20 + 19 : 20 + 8 + 8 + 14 + 20 + 19);
		expect_slow(NULL, m.b, m.n, m.n);
		/* protocols the fast path leaves alone: IP-in-IP, IPv6-in-IP, GRE, SCTP, ESP */
		const uint8_t protos[5] = { 4, 41, 47, 132, 50 };
		for (unsigned p = 0; p < 5; p++) {
			poke(&f, &m, ip + 9, protos[p]);
			expect_slow(NULL, m.b, m.n, m.n);
		}
	}
	/* IPv6: an extension header, a bad version, a payload length past the frame */
	struct fb s = { 0 };
	fb_eth(&s, 0x86DD);
	fb_ipv6(&s, 0, 0, 1, 2);       /* hop-by-hop, 8 bytes, then TCP */
	put8(&s, 6); put8(&s, 0); put16(&s, 0x0104); put32(&s, 0);
	fb_tcp(&s, 1, 2, 0x10, 5);
	fb_done(&s);
	assert_int_equal(expect_slow(NULL, s.b, s.n, s.n), DPS_DECODE_COMPLETE);
	s.b[14 + 6] = 44;              /* a fragment header */
	expect_slow(NULL, s.b, s.n, s.n);
	struct fb t = { 0 };
	fb_eth(&t, 0x86DD);
	fb_ipv6(&t, 6, 0, 1, 2);
	fb_tcp(&t, 1, 2, 0x10, 5);
	fb_done(&t);
	expect_fast(NULL, t.b, t.n, t.n);
	poke(&t, &m, 14, 0x40);
	expect_slow(NULL, m.b, m.n, m.n);
	poke(&t, &m, 14 + 5, (uint8_t)(t.b[14 + 5] + 1));
	assert_int_equal(expect_slow(NULL, m.b, m.n, m.n), DPS_DECODE_MALFORMED);
}

static void test_l4_lengths(void **state)
{
	(void)state;
	struct fb f = { 0 };
	fb_vxlan_tcp(&f, 4789, 0x08);
	const uint32_t udp = 34, tcp = 84;
	struct fb m;
	/* TCP data offset below 5, and options past the capture or the IP packet */
	poke(&f, &m, tcp + 12, 0x40);
	assert_int_equal(expect_slow(NULL, m.b, m.n, m.n), DPS_DECODE_MALFORMED);
	poke(&f, &m, tcp + 12, 0xF0);
	expect_slow(NULL, m.b, tcp + 40, m.n);
	assert_int_equal(expect_slow(NULL, m.b, m.n, m.n), DPS_DECODE_MALFORMED);
	poke(&f, &m, tcp + 12, 0x80);   /* 32 bytes, inside the 50-byte rest */
	expect_fast(NULL, m.b, m.n, m.n);
	expect_slow(NULL, m.b, tcp + 31, m.n);
	/* UDP length: past the IP packet, below 8, exactly the headers */
	poke(&f, &m, udp + 5, (uint8_t)(f.b[udp + 5] + 1));
	assert_int_equal(expect_slow(NULL, m.b, m.n, m.n), DPS_DECODE_MALFORMED);
	poke(&f, &m, udp + 4, 0);
	for (uint8_t len = 0; len < 8; len++) {
		m.b[udp + 5] = len;
		expect_slow(NULL, m.b, m.n, m.n);
	}
	m.b[udp + 5] = 8 + 8 + 14 + 20 + 19;   /* one short of the inner TCP header */
	expect_slow(NULL, m.b, m.n, m.n);
	/* a plain UDP datagram with a length below 8 */
	struct fb u = { 0 };
	fb_eth(&u, 0x0800);
	fb_ipv4(&u, 17, 0, 1, 2);
	fb_udp(&u, 1, 2);
	fb_payload(&u, 4);
	fb_done(&u);
	expect_fast(NULL, u.b, u.n, u.n);
	for (uint8_t len = 0; len < 8; len++) {
		u.b[14 + 20 + 5] = len;
		assert_int_equal(expect_slow(NULL, u.b, u.n, u.n), DPS_DECODE_MALFORMED);
	}
	/* inner Ethernet: ARP, a VLAN tag, MPLS, NSH */
	const uint16_t types[4] = { 0x0806, 0x8100, 0x8847, 0x894F };
	for (unsigned k = 0; k < 4; k++) {
		poke(&f, &m, 50 + 12, (uint8_t)(types[k] >> 8));
		m.b[50 + 13] = (uint8_t)types[k];
		expect_slow(NULL, m.b, m.n, m.n);
	}
	/* outer Ethertypes the fast path leaves alone */
	const uint16_t outer_types[4] = { 0x0806, 0x8847, 0x894F, 0x0600 };
	for (unsigned k = 0; k < 4; k++) {
		poke(&f, &m, 12, (uint8_t)(outer_types[k] >> 8));
		m.b[13] = (uint8_t)outer_types[k];
		expect_slow(NULL, m.b, m.n, m.n);
	}
}

static void test_tag_stacks(void **state)
{
	(void)state;
	const uint16_t outer[3] = { 0x8100, 0x88A8, 0x9100 };
	for (unsigned k = 0; k < 3; k++) {
		struct fb f = { 0 };
		fb_eth(&f, outer[k]);
		fb_tag(&f, 10, 0x8100);
		fb_tag(&f, 20, 0x0800);
		fb_ipv4(&f, 6, 0, 1, 2);
		fb_tcp(&f, 1, 2, 0x10, 5);
		fb_done(&f);
		expect_slow(NULL, f.b, f.n, f.n);
		for (uint32_t cap = 0; cap < f.n; cap++)
			expect_slow(NULL, f.b, cap, f.n);
	}
	/* one tag followed by something that is not IP */
	struct fb a = { 0 };
	fb_eth(&a, 0x8100);
	fb_tag(&a, 10, 0x0806);
	fb_payload(&a, 28);
	expect_slow(NULL, a.b, a.n, a.n);
}

static void test_bad_geneve(void **state)
{
	(void)state;
	struct fb f = { 0 };
	fb_geneve_v6(&f);
	const uint32_t g = 42;
	struct fb m;
	/* an option longer than the rest of the area; an area cut inside an option; option
	 * lengths that skip the area's end */
	poke(&f, &m, g + 8 + 3, 8);
	assert_int_equal(expect_slow(NULL, m.b, m.n, m.n), DPS_DECODE_MALFORMED);
	poke(&f, &m, g + 8 + 3, 2);       /* 12 bytes, then 8 left whose "header" claims 40 */
	assert_int_equal(expect_slow(NULL, m.b, m.n, m.n), DPS_DECODE_MALFORMED);
	poke(&f, &m, g + 16 + 3, 3);
	assert_int_equal(expect_slow(NULL, m.b, m.n, m.n), DPS_DECODE_MALFORMED);
	/* option length field: longer than the UDP datagram, shorter than the options */
	poke(&f, &m, g, 63);
	assert_int_not_equal(expect_slow(NULL, m.b, m.n, m.n), DPS_DECODE_COMPLETE);
	poke(&f, &m, g, 4);
	expect_slow(NULL, m.b, m.n, m.n);
	/* version 1..3, protocols other than Ethernet */
	for (uint8_t ver = 1; ver < 4; ver++) {
		poke(&f, &m, g, (uint8_t)(ver << 6 | 5));
		assert_int_equal(expect_slow(NULL, m.b, m.n, m.n), DPS_DECODE_COMPLETE);
	}
	const uint16_t protos[4] = { 0x0800, 0x86DD, 0x8100, 0x894F };
	for (unsigned k = 0; k < 4; k++) {
		poke(&f, &m, g + 2, (uint8_t)(protos[k] >> 8));
		m.b[g + 3] = (uint8_t)protos[k];
		expect_slow(NULL, m.b, m.n, m.n);
	}
	/* every option length byte value in the first option */
	for (unsigned b = 0; b < 256; b++) {
		poke(&f, &m, g + 8 + 3, (uint8_t)b);
		int fell_back;
		int fast = fast_only(NULL, m.b, m.n, m.n);
		same_as_full(NULL, m.b, m.n, m.n, NULL, &fell_back);
		assert_int_equal(fast < 0, fell_back);
		/* tiles: 1 word (the original two options) or 4 words (one option filling the
		 * 20-byte area); the 3 high bits are reserved and ignored */
		assert_int_equal(fast == 0, (b & 0x1F) == 1 || (b & 0x1F) == 4);
	}
}

static void test_nested(void **state)
{
	(void)state;
	/* VXLAN in VXLAN, Geneve in VXLAN, GPE in VXLAN, VXLAN in Geneve */
	const uint16_t inner_ports[3] = { 4789, 6081, 4790 };
	for (unsigned k = 0; k < 3; k++) {
		struct fb f = { 0 };
		fb_eth(&f, 0x0800);
		fb_ipv4(&f, 17, 0, 1, 2);
		fb_udp(&f, 1, 4789);
		fb_vxlan(&f, 0x08, 1);
		fb_eth(&f, 0x0800);
		fb_ipv4(&f, 17, 0, 3, 4);
		fb_udp(&f, 2, inner_ports[k]);
		fb_vxlan(&f, 0x08, 2);
		fb_eth(&f, 0x0800);
		fb_ipv4(&f, 6, 0, 5, 6);
		fb_tcp(&f, 1, 2, 0x10, 5);
		fb_done(&f);
		struct dps_decode_config deep;
		dps_decode_config_init(&deep);
		for (uint8_t depth = 0; depth < 3; depth++) {
			deep.max_tunnel_depth = depth;
			expect_slow(&deep, f.b, f.n, f.n);
		}
		expect_slow(&cfg_extra, f.b, f.n, f.n);
	}
	struct fb g = { 0 };
	fb_eth(&g, 0x0800);
	fb_ipv4(&g, 17, 0, 1, 2);
	fb_udp(&g, 1, 6081);
	fb_geneve(&g, 0, 0, 0x6558, 9, NULL, 0);
	fb_eth(&g, 0x86DD);
	fb_ipv6(&g, 17, 0, 3, 4);
	fb_udp(&g, 2, 4789);
	fb_vxlan(&g, 0x08, 2);
	fb_eth(&g, 0x0800);
	fb_ipv4(&g, 6, 0, 5, 6);
	fb_tcp(&g, 1, 2, 0x10, 5);
	fb_done(&g);
	expect_slow(NULL, g.b, g.n, g.n);
	/* an inner UDP port that is a tunnel only with the extra ports (80 is VXLAN there) */
	struct fb u = { 0 };
	fb_eth(&u, 0x0800);
	fb_ipv4(&u, 17, 0, 1, 2);
	fb_udp(&u, 1, 4789);
	fb_vxlan(&u, 0x08, 1);
	fb_eth(&u, 0x0800);
	fb_ipv4(&u, 17, 0, 3, 4);
	fb_udp(&u, 2, 80);
	fb_payload(&u, 16);
	fb_done(&u);
	expect_fast(NULL, u.b, u.n, u.n);
	expect_slow(&cfg_extra, u.b, u.n, u.n);
	/* IP-in-IP and GRE inside VXLAN */
	struct fb f = { 0 };
	fb_vxlan_tcp(&f, 4789, 0x08);
	struct fb m;
	poke(&f, &m, 64 + 9, 4);
	expect_slow(NULL, m.b, m.n, m.n);
	poke(&f, &m, 64 + 9, 47);
	expect_slow(NULL, m.b, m.n, m.n);
}

static void test_arguments(void **state)
{
	(void)state;
	struct dps_sample_view v;
	struct fb f = { 0 };
	fb_vxlan_tcp(&f, 4789, 0x08);
	assert_int_equal(td_fast_sample_view(NULL, NULL, 100, 100, &v), -1);
	assert_int_equal(td_fast_sample_view(NULL, f.b, f.n, f.n, NULL), -1);
	assert_int_equal(td_fast_sample_view(NULL, NULL, 0, 0, &v), -1);
	expect_slow(NULL, NULL, 0, 0);
	/* frame_len below captured_len counts as captured_len */
	expect_fast(NULL, f.b, f.n, 10);
	expect_fast(NULL, f.b, f.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_one_tag),
		cmocka_unit_test(test_vxlan),
		cmocka_unit_test(test_geneve),
		cmocka_unit_test(test_configured_ports),
		cmocka_unit_test(test_ip_options_and_fragments),
		cmocka_unit_test(test_l4_lengths),
		cmocka_unit_test(test_tag_stacks),
		cmocka_unit_test(test_bad_geneve),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_arguments),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
