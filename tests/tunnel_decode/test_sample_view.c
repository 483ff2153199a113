/* test_sample_view.c - sample_view.c: the sFlow-facing values for plain, tunnelled, nested,
 * VLAN/MPLS/NSH frames of the scapy pcaps. Lengths are computed by hand from make_pcaps.py. */
#include "td_test_common.h"

/* The view's two flows, read from the frame (dps_flow_read) before view_of frees it. */
struct view_flows {
	struct dps_flow flow, underlay;
};

static void view_of(const char *pcap, unsigned idx, struct dps_sample_view *v,
		    struct view_flows *fl, uint32_t cut)
{
	struct pcap_file pf;
	td_load(pcap, &pf);
	uint32_t len = pf.frames[idx].caplen;
	uint32_t cap = cut && cut < len ? cut : len;
	uint8_t *copy = malloc(cap);
	assert_non_null(copy);
	memcpy(copy, pf.frames[idx].data, cap);
	struct dps_decoded d;
	dps_decode_packet(NULL, copy, cap, len, &d);
	dps_sample_view_from(&d, v);
	dps_flow_read(copy, cap, &v->flow, &fl->flow);
	dps_flow_read(copy, cap, &v->underlay, &fl->underlay);
	free(copy);
	pcap_free(&pf);
}

static void test_plain_ipv4(void **state)
{
	(void)state;
	struct dps_sample_view v;
	struct view_flows fl;
	view_of("plain", 0, &v, &fl, 0);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_NONE);
	assert_int_equal(fl.underlay.valid, 0);
	assert_int_equal(v.has_inner_offset, 0);
	assert_int_equal(v.has_vni, 0);
	assert_int_equal(fl.flow.valid, 1);
	assert_int_equal(fl.flow.src.family, DPS_AF_IPV4);
	td_assert_ip4(fl.flow.src.bytes, 10, 0, 0, 1);
	td_assert_ip4(fl.flow.dst.bytes, 10, 0, 0, 2);
	assert_int_equal(fl.flow.length, 44);
	assert_int_equal(fl.flow.protocol, 6);
	assert_int_equal(fl.flow.tos, 0x10);
	assert_int_equal(fl.flow.src_port, 40000);
	assert_int_equal(fl.flow.dst_port, 80);
	assert_int_equal(fl.flow.tcp_flags, 0x02);
	view_of("plain", 4, &v, &fl, 0);                       /* ICMP echo: type/code as ports */
	assert_int_equal(fl.flow.protocol, 1);
	assert_int_equal(fl.flow.src_port, 8);
	assert_int_equal(fl.flow.dst_port, 0);
	view_of("ipv6_ext", 3, &v, &fl, 0);                    /* later fragment: no ports */
	assert_int_equal(fl.flow.protocol, 17);
	assert_int_equal(fl.flow.src_port, 0);
	assert_int_equal(fl.flow.length, 40 + 8 + 32);
}

static void test_vxlan_ipv4(void **state)
{
	(void)state;
	struct dps_sample_view v;
	struct view_flows fl;
	view_of("vxlan", 0, &v, &fl, 0);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_VXLAN);
	assert_int_equal(v.tunnel_depth, 1);
	assert_int_equal(v.has_vni, 1);
	assert_int_equal(v.vni, 5000);
	assert_int_equal(v.has_inner_offset, 1);
	assert_int_equal(v.inner_header_offset, 50);      /* 14 + 20 + 8 + 8 */
	/* underlay -> extended_ipv4_tunnel_ingress */
	assert_int_equal(fl.underlay.valid, 1);
	assert_int_equal(fl.underlay.src.family, DPS_AF_IPV4);
	td_assert_ip4(fl.underlay.src.bytes, 192, 0, 2, 1);
	td_assert_ip4(fl.underlay.dst.bytes, 192, 0, 2, 2);
	assert_int_equal(fl.underlay.length, 136 - 14);    /* outer IPv4 total length */
	assert_int_equal(fl.underlay.protocol, 17);
	assert_int_equal(fl.underlay.src_port, 49152);
	assert_int_equal(fl.underlay.dst_port, 4789);      /* host order, not 46354 */
	assert_int_equal(fl.underlay.tos, 0x28);
	assert_int_equal(fl.underlay.tcp_flags, 0);
	/* flow -> sampled_ipv4 of the inner packet */
	td_assert_ip4(fl.flow.src.bytes, 10, 0, 0, 1);
	assert_int_equal(fl.flow.length, 20 + 20 + 32);
	assert_int_equal(fl.flow.tcp_flags, 0x18);
	assert_int_equal(fl.flow.tos, 0x10);
	assert_int_equal(fl.flow.dst_port, 80);
}

static void test_vxlan_ipv6_underlay(void **state)
{
	(void)state;
	struct dps_sample_view v;
	struct view_flows fl;
	view_of("vxlan", 1, &v, &fl, 0);
	static const uint8_t o6src[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	assert_int_equal(fl.underlay.src.family, DPS_AF_IPV6);
	assert_memory_equal(fl.underlay.src.bytes, o6src, 16);
	assert_int_equal(fl.underlay.length, 164 - 14);    /* payload length + 40 */
	assert_int_equal(fl.underlay.src_port, 50001);
	assert_int_equal(fl.underlay.dst_port, 4789);
	assert_int_equal(v.vni, 0xABCDEF);
	assert_int_equal(v.inner_header_offset, 70);      /* 14 + 40 + 8 + 8 */
	assert_int_equal(fl.flow.src.family, DPS_AF_IPV6);
	assert_int_equal(fl.flow.length, 40 + 8 + 32);
	assert_int_equal(fl.flow.tos, 0x20);
	assert_int_equal(fl.flow.protocol, 17);
	assert_int_equal(fl.flow.dst_port, 9);
}

static void test_geneve_gre_nvgre(void **state)
{
	(void)state;
	struct dps_sample_view v;
	struct view_flows fl;
	view_of("geneve", 0, &v, &fl, 0);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_GENEVE);
	assert_int_equal(v.vni, 0x123456);
	assert_int_equal(v.inner_header_offset, 70);      /* 42 + 8 + 20 bytes of options */
	assert_int_equal(fl.underlay.dst_port, 6081);
	view_of("gre", 1, &v, &fl, 0);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_GRE);
	assert_int_equal(v.has_vni, 1);
	assert_int_equal(v.vni, 0x01020304);
	assert_int_equal(fl.underlay.protocol, 47);
	assert_int_equal(fl.underlay.src_port, 0);
	assert_int_equal(v.inner_header_offset, 50);
	view_of("gre", 0, &v, &fl, 0);
	assert_int_equal(v.has_vni, 0);
	view_of("gre", 3, &v, &fl, 0);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_NVGRE);
	assert_int_equal(v.vni, 0x654321);
	view_of("gtpu", 0, &v, &fl, 0);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_GTPU);
	assert_int_equal(v.has_vni, 0);
	assert_int_equal(v.inner_header_offset, 50);
	view_of("nested", 2, &v, &fl, 0);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_IPIP);
	assert_int_equal(fl.underlay.protocol, 4);
	assert_int_equal(v.inner_header_offset, 34);
}

static void test_vlans_and_mpls(void **state)
{
	(void)state;
	struct dps_sample_view v;
	struct view_flows fl;
	view_of("vlan_mpls", 1, &v, &fl, 0);
	assert_int_equal(v.n_vlans, 2);
	assert_int_equal(v.vlan_outer_vid, 200);
	assert_int_equal(v.vlan_outer_pcp, 5);
	assert_int_equal(v.vlan_inner_vid, 300);
	assert_int_equal(v.vlan_inner_pcp, 1);
	assert_int_equal(fl.flow.src.family, DPS_AF_IPV6);
	view_of("vlan_mpls", 3, &v, &fl, 0);
	assert_int_equal(v.n_vlans, 0);
	assert_int_equal(v.n_mpls, 3);
	assert_int_equal(v.mpls_lse[0], 1000u << 12 | 1u << 9 | 63u);
	assert_int_equal(v.mpls_lse[2], 3000u << 12 | 3u << 9 | 1u << 8 | 61u);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_NONE);
	assert_int_equal(fl.flow.dst_port, 80);
	/* VLAN inside a VXLAN tunnel is the tenant's, not the port's: not reported */
	view_of("vxlan", 2, &v, &fl, 0);
	assert_int_equal(v.n_vlans, 0);
}

static void test_nsh(void **state)
{
	(void)state;
	struct dps_sample_view v;
	struct view_flows fl;
	view_of("gpe", 3, &v, &fl, 0);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_VXLAN_GPE);
	assert_int_equal(v.vni, 103);
	assert_int_equal(v.has_nsh, 1);
	assert_int_equal(v.nsh_spi, 0x123);
	assert_int_equal(v.nsh_si, 255);
	assert_int_equal(v.inner_header_offset, 74);      /* 42 + 8 GPE + 24 NSH MD1 */
	view_of("nsh", 0, &v, &fl, 0);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_NSH);
	assert_int_equal(fl.underlay.valid, 0);            /* no outer IP */
	assert_int_equal(v.nsh_spi, 0x42);
	assert_int_equal(v.inner_header_offset, 38);
	td_assert_ip4(fl.flow.dst.bytes, 10, 0, 0, 2);
}

static void test_nested_and_truncated(void **state)
{
	(void)state;
	struct dps_sample_view v;
	struct view_flows fl;
	view_of("nested", 0, &v, &fl, 0);
	assert_int_equal(v.tunnel_depth, 2);
	assert_int_equal(v.tunnel_proto, DPS_TUNNEL_VXLAN);   /* outermost tunnel */
	assert_int_equal(v.vni, 5000);
	assert_int_equal(v.inner_header_offset, 50);
	td_assert_ip4(fl.underlay.src.bytes, 192, 0, 2, 1);
	td_assert_ip4(fl.flow.src.bytes, 10, 0, 0, 1);         /* innermost packet */
	assert_int_equal(fl.flow.dst_port, 80);
	/* capture ends inside the inner IPv4 header: tunnel known, inner flow not */
	view_of("vxlan", 0, &v, &fl, 70);
	assert_int_equal(v.status, DPS_DECODE_TRUNCATED);
	assert_int_equal(v.vni, 5000);
	assert_int_equal(fl.underlay.valid, 1);
	assert_int_equal(fl.flow.valid, 0);
	/* capture ends inside the inner TCP header: addresses but no ports */
	view_of("vxlan", 0, &v, &fl, 90);
	assert_int_equal(fl.flow.valid, 1);
	assert_int_equal(fl.flow.src_port, 0);
	assert_int_equal(fl.flow.length, 72);
}

/* The refs of the exporter's view (offsets, not values) and dps_flow_read's bounds: a ref is
 * read only when its headers lie within the bytes it is given. */
static void test_flow_refs(void **state)
{
	(void)state;
	struct pcap_file pf;
	td_load("vxlan", &pf);
	const uint8_t *pkt = pf.frames[0].data;
	uint32_t cap = pf.frames[0].caplen;
	struct dps_sample_view v;
	assert_int_equal(dps_decode_sample_view(NULL, pkt, cap, cap, &v), DPS_DECODE_COMPLETE);
	/* Eth 14 | IPv4 20 | UDP 8 | VXLAN 8 | Eth 14 | IPv4 20 | TCP */
	const struct dps_flow_ref outer = { .ip_offset = 14, .l4_offset = 34,
					    .family = DPS_AF_IPV4, .protocol = 17,
					    .l4_kind = DPS_FLOW_L4_PORTS };
	const struct dps_flow_ref inner = { .ip_offset = 64, .l4_offset = 84,
					    .family = DPS_AF_IPV4, .protocol = 6,
					    .l4_kind = DPS_FLOW_L4_TCP };
	assert_memory_equal(&v.underlay, &outer, sizeof(outer));
	assert_memory_equal(&v.flow, &inner, sizeof(inner));

	struct dps_flow f;
	/* the TCP flags byte is the last one read: 84 + 14 bytes suffice, one fewer does not */
	assert_int_equal(dps_flow_read(pkt, 84 + 14, &v.flow, &f), 1);
	assert_int_equal(f.dst_port, 80);
	assert_int_equal(f.tcp_flags, 0x18);
	memset(&f, 0xA5, sizeof(f));
	assert_int_equal(dps_flow_read(pkt, 84 + 13, &v.flow, &f), 0);
	static const struct dps_flow zero;
	assert_memory_equal(&f, &zero, sizeof(f));
	/* the IP header alone, without L4: refused too (the ref promises both) */
	assert_int_equal(dps_flow_read(pkt, 64 + 20, &v.flow, &f), 0);
	/* no packet, an unknown family, offsets that would wrap a 32-bit sum */
	struct dps_flow_ref bad = inner;
	bad.family = DPS_AF_NONE;
	assert_int_equal(dps_flow_read(pkt, cap, &bad, &f), 0);
	bad.family = 5;
	assert_int_equal(dps_flow_read(pkt, cap, &bad, &f), 0);
	bad = inner;
	bad.ip_offset = 0xFFFFFFF0u;
	assert_int_equal(dps_flow_read(pkt, cap, &bad, &f), 0);
	bad = inner;
	bad.l4_offset = 0xFFFFFFFEu;
	assert_int_equal(dps_flow_read(pkt, cap, &bad, &f), 0);
	assert_int_equal(dps_flow_read(NULL, cap, &inner, &f), 0);
	assert_int_equal(dps_flow_read(pkt, cap, NULL, &f), 0);
	pcap_free(&pf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_ipv4),
		cmocka_unit_test(test_vxlan_ipv4),
		cmocka_unit_test(test_vxlan_ipv6_underlay),
		cmocka_unit_test(test_geneve_gre_nvgre),
		cmocka_unit_test(test_vlans_and_mpls),
		cmocka_unit_test(test_nsh),
		cmocka_unit_test(test_nested_and_truncated),
		cmocka_unit_test(test_flow_refs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
