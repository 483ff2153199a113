/* test_tunnels.c - td_vxlan.h, td_vxlan_gpe.h, td_geneve.h, td_nsh.h, td_gre.h, td_gtpu.h and
 * the dispatcher's nesting (decode.c) on the scapy pcaps; values are make_pcaps.py's constants. */
#include "td_test_common.h"

#define L(t) DPS_LAYER_##t

static void test_vxlan_ipv4_underlay(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("vxlan", 0, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t types[] = { L(ETH), L(IPV4), L(UDP), L(VXLAN), L(ETH), L(IPV4), L(TCP), 0 };
	td_assert_layers(&d, types);
	static const uint32_t offsets[] = { 0, 14, 34, 42, 50, 64, 84 };
	static const uint8_t levels[] = { 0, 0, 0, 0, 1, 1, 1 };
	for (unsigned i = 0; i < 7; i++) {
		assert_int_equal(d.layers[i].offset, offsets[i]);
		assert_int_equal(d.layers[i].level, levels[i]);
	}
	assert_int_equal(d.layers[2].u.udp.dst_port, 4789);
	assert_int_equal(d.layers[3].u.vxlan.flags, 0x0800);
	assert_int_equal(d.layers[3].u.vxlan.vni_valid, 1);
	assert_int_equal(d.layers[3].u.vxlan.vni, 5000);
	assert_int_equal(d.tunnel_depth, 1);
	assert_int_equal(d.level_start[1], 4);
	assert_int_equal(d.level_encap[1], 3);
	assert_int_equal(d.layers[6].u.tcp.flags, 0x18);
}

static void test_vxlan_ipv6_underlay(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("vxlan", 1, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t types[] = { L(ETH), L(IPV6), L(UDP), L(VXLAN), L(ETH), L(IPV6), L(UDP), 0 };
	td_assert_layers(&d, types);
	assert_int_equal(d.layers[3].offset, 62);
	assert_int_equal(d.layers[3].u.vxlan.vni, 0xABCDEF);
	assert_int_equal(d.layers[5].u.ipv6.flow_label, 0x12345);
	assert_int_equal(d.layers[6].u.udp.dst_port, 9);
}

static void test_vxlan_8472_inner_vlan_and_no_i_flag(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("vxlan", 2, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	assert_int_equal(d.layers[2].u.udp.dst_port, 8472);
	assert_int_equal(d.layers[3].u.vxlan.vni, 42);
	assert_int_equal(d.layers[5].type, DPS_LAYER_VLAN);
	assert_int_equal(d.layers[5].level, 1);
	assert_int_equal(d.layers[5].u.vlan.tag[0].vid, 7);
	assert_int_equal(td_decode_frame("vxlan", 3, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	assert_int_equal(d.layers[3].u.vxlan.vni_valid, 0);
	assert_int_equal(d.n_layers, 7);                   /* inner frame still decoded */
}

static void test_configurable_ports(void **state)
{
	(void)state;
	struct pcap_file pf;
	td_load("vxlan", &pf);
	uint32_t len = pf.frames[0].caplen;
	uint8_t *f = malloc(len);
	assert_non_null(f);
	memcpy(f, pf.frames[0].data, len);
	f[36] = 0x27; f[37] = 0x0F;                        /* UDP dst port 9999 */
	struct dps_decoded d;
	struct dps_decode_config cfg;
	dps_decode_config_init(&cfg);
	assert_int_equal(dps_decode_packet(&cfg, f, len, len, &d), DPS_DECODE_COMPLETE);
	assert_int_equal(d.n_layers, 3);                   /* plain UDP */
	assert_int_equal(dps_decode_config_add_port(&cfg, DPS_UDP_VXLAN, 9999), 0);
	assert_int_equal(dps_decode_packet(&cfg, f, len, len, &d), DPS_DECODE_COMPLETE);
	assert_int_equal(d.n_layers, 7);
	assert_int_equal(d.layers[3].u.vxlan.vni, 5000);
	/* the same port declared Geneve instead: the VXLAN bytes read as Geneve version 0, 0 opts,
	 * protocol 0 -> unknown payload */
	dps_decode_config_init(&cfg);
	assert_int_equal(dps_decode_config_add_port(&cfg, DPS_UDP_GENEVE, 9999), 0);
	assert_int_equal(dps_decode_packet(&cfg, f, len, len, &d), DPS_DECODE_COMPLETE);
	assert_int_equal(d.layers[3].type, DPS_LAYER_GENEVE);
	assert_int_equal(d.n_layers, 4);
	/* the table is bounded */
	while (cfg.n_ports < DPS_MAX_TUNNEL_PORTS)
		assert_int_equal(dps_decode_config_add_port(&cfg, DPS_UDP_GTPU, 1), 0);
	assert_int_equal(dps_decode_config_add_port(&cfg, DPS_UDP_GTPU, 2), -1);
	assert_int_equal(dps_decode_config_add_port(&cfg, (enum dps_udp_tunnel)9, 2), -1);
	free(f);
	pcap_free(&pf);
}

static void test_geneve_options(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("geneve", 0, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t types[] = { L(ETH), L(IPV4), L(UDP), L(GENEVE), L(ETH), L(IPV4), L(TCP), 0 };
	td_assert_layers(&d, types);
	const struct dps_geneve *g = &d.layers[3].u.geneve;
	assert_int_equal(g->version, 0);
	assert_int_equal(g->opt_len, 5);                  /* (4+4) + (4+8) bytes = 5 words */
	assert_int_equal(g->oam, 0);
	assert_int_equal(g->critical, 1);
	assert_int_equal(g->protocol, 0x6558);
	assert_int_equal(g->vni, 0x123456);
	assert_int_equal(g->n_opts, 2);
	assert_int_equal(g->opt[0].cls, 0x0102);
	assert_int_equal(g->opt[0].type, 0x80);
	assert_int_equal(g->opt[0].length, 4);
	assert_int_equal(g->opt[0].offset, 50);
	assert_int_equal(g->opt[1].cls, 0xFFFF);
	assert_int_equal(g->opt[1].type, 0x01);
	assert_int_equal(g->opt[1].length, 8);
	assert_int_equal(g->opt[1].offset, 58);
	assert_int_equal(d.layers[3].length, 28);
	assert_int_equal(d.layers[4].offset, 70);
}

static void test_geneve_ipv6_inside(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("geneve", 1, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t t1[] = { L(ETH), L(IPV6), L(UDP), L(GENEVE), L(ETH), L(IPV6), L(UDP), 0 };
	td_assert_layers(&d, t1);
	assert_int_equal(d.layers[3].u.geneve.vni, 0x10);
	assert_int_equal(d.layers[5].u.ipv6.traffic_class, 0x20);
	/* protocol 0x86DD straight after Geneve, OAM set, no options */
	assert_int_equal(td_decode_frame("geneve", 2, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t t2[] = { L(ETH), L(IPV4), L(UDP), L(GENEVE), L(IPV6), L(UDP), 0 };
	td_assert_layers(&d, t2);
	assert_int_equal(d.layers[3].u.geneve.oam, 1);
	assert_int_equal(d.layers[3].u.geneve.n_opts, 0);
	assert_int_equal(d.layers[4].level, 1);
}

static void test_gpe_next_protocols(void **state)
{
	(void)state;
	struct dps_decoded d;
	static const uint8_t t_ip4[] = { L(ETH), L(IPV4), L(UDP), L(VXLAN_GPE), L(IPV4), L(TCP), 0 };
	static const uint8_t t_ip6[] = { L(ETH), L(IPV4), L(UDP), L(VXLAN_GPE), L(IPV6), L(UDP), 0 };
	static const uint8_t t_eth[] = { L(ETH), L(IPV4), L(UDP), L(VXLAN_GPE), L(ETH), L(IPV4),
					 L(TCP), 0 };
	static const uint8_t t_nsh[] = { L(ETH), L(IPV4), L(UDP), L(VXLAN_GPE), L(NSH), L(ETH),
					 L(IPV4), L(TCP), 0 };
	const uint8_t *want[] = { t_ip4, t_ip6, t_eth, t_nsh };
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(td_decode_frame("gpe", i, NULL, &d, NULL), DPS_DECODE_COMPLETE);
		td_assert_layers(&d, want[i]);
		assert_int_equal(d.layers[3].u.gpe.next_protocol, i + 1);
		assert_int_equal(d.layers[3].u.gpe.vni, 100 + i);
		assert_int_equal(d.layers[3].u.gpe.vni_valid, 1);
		assert_int_equal(d.tunnel_depth, 1);       /* GPE+NSH is one encapsulation */
		assert_int_equal(d.level_encap[1], 3);
	}
	const struct dps_nsh *n = &d.layers[4].u.nsh;
	assert_int_equal(n->md_type, 1);
	assert_int_equal(n->length, 6);
	assert_int_equal(n->spi, 0x123);
	assert_int_equal(n->si, 255);
	assert_int_equal(n->ttl, 63);
	assert_int_equal(n->next_protocol, 3);
	assert_memory_equal(n->context, "ctx-md1-16bytes!", 16);
	assert_int_equal(d.layers[4].level, 0);
	assert_int_equal(d.layers[5].level, 1);
	assert_int_equal(d.level_start[1], 5);
}

static void test_nsh_md2_in_gpe(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("gpe", 4, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t types[] = { L(ETH), L(IPV6), L(UDP), L(VXLAN_GPE), L(NSH), L(IPV4),
					 L(TCP), 0 };
	td_assert_layers(&d, types);
	const struct dps_nsh *n = &d.layers[4].u.nsh;
	assert_int_equal(n->md_type, 2);
	assert_int_equal(n->length, 7);                   /* 8 + (4+8) + (4+4) bytes */
	assert_int_equal(n->spi, 0xABCD);
	assert_int_equal(n->si, 9);
	assert_int_equal(n->n_tlvs, 2);
	assert_int_equal(n->tlv[0].cls, 1);
	assert_int_equal(n->tlv[0].type, 2);
	assert_int_equal(n->tlv[0].length, 5);
	assert_int_equal(n->tlv[1].cls, 3);
	assert_int_equal(n->tlv[1].type, 4);
	assert_int_equal(n->tlv[1].length, 4);
	assert_int_equal(n->tlv[1].offset, d.layers[4].offset + 8 + 12);
	assert_int_equal(d.layers[4].length, 28);
}

static void test_nsh_over_ethernet(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("nsh", 0, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t t0[] = { L(ETH), L(NSH), L(IPV4), L(TCP), 0 };
	td_assert_layers(&d, t0);
	assert_int_equal(d.layers[0].u.eth.ethertype, 0x894F);
	assert_int_equal(d.layers[1].u.nsh.spi, 0x42);
	assert_int_equal(d.layers[1].u.nsh.si, 254);
	assert_int_equal(d.layers[1].u.nsh.context[15], 1);
	assert_int_equal(d.layers[2].offset, 38);
	assert_int_equal(d.tunnel_depth, 1);
	assert_int_equal(d.level_encap[1], 1);
	assert_int_equal(td_decode_frame("nsh", 1, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t t1[] = { L(ETH), L(NSH), L(ETH), L(IPV6), L(UDP), 0 };
	td_assert_layers(&d, t1);
	const struct dps_nsh *n = &d.layers[1].u.nsh;
	assert_int_equal(n->spi, 0xFFFFFF);
	assert_int_equal(n->si, 1);
	assert_int_equal(n->ttl, 10);
	assert_int_equal(n->n_tlvs, 1);
	assert_int_equal(n->tlv[0].cls, 0x0100);
	assert_int_equal(n->tlv[0].type, 7);
	assert_int_equal(n->tlv[0].length, 3);
	assert_int_equal(d.layers[1].length, 16);
}

static void test_gre_variants(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("gre", 0, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t t0[] = { L(ETH), L(IPV4), L(GRE), L(IPV4), L(TCP), 0 };
	td_assert_layers(&d, t0);
	assert_int_equal(d.layers[2].length, 4);
	assert_int_equal(d.layers[2].u.gre.protocol, 0x0800);
	assert_int_equal(d.layers[3].offset, 38);
	assert_int_equal(d.layers[3].level, 1);

	assert_int_equal(td_decode_frame("gre", 1, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	const struct dps_gre *g = &d.layers[2].u.gre;
	assert_int_equal(g->flags_version, 0xB000);
	assert_int_equal(g->has_checksum, 1);
	assert_int_equal(g->has_key, 1);
	assert_int_equal(g->has_seq, 1);
	assert_int_equal(g->key, 0x01020304);
	assert_int_equal(g->seq, 77);
	assert_int_equal(g->is_nvgre, 0);
	assert_int_equal(d.layers[2].length, 16);
	assert_int_equal(d.layers[3].offset, 50);

	assert_int_equal(td_decode_frame("gre", 2, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t t2[] = { L(ETH), L(IPV4), L(GRE), L(ETH), L(IPV6), L(UDP), 0 };
	td_assert_layers(&d, t2);
	assert_int_equal(d.layers[2].u.gre.key, 0x99);
	assert_int_equal(d.layers[2].u.gre.is_nvgre, 0);   /* sequence present: GRE-TAP */

	assert_int_equal(td_decode_frame("gre", 3, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	assert_int_equal(d.layers[2].u.gre.is_nvgre, 1);
	assert_int_equal(d.layers[2].u.gre.vsid, 0x654321);
	assert_int_equal(d.layers[2].u.gre.flow_id, 0x7F);

	assert_int_equal(td_decode_frame("gre", 4, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t t4[] = { L(ETH), L(IPV6), L(GRE), L(IPV6), L(UDP), 0 };
	td_assert_layers(&d, t4);
}

static void test_gtpu(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("gtpu", 0, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t t[] = { L(ETH), L(IPV4), L(UDP), L(GTPU), L(IPV4), L(TCP), 0 };
	td_assert_layers(&d, t);
	assert_int_equal(d.layers[3].u.gtpu.teid, 0x1000);
	assert_int_equal(d.layers[3].u.gtpu.msg_type, 255);
	assert_int_equal(d.layers[3].u.gtpu.length, 72);
	assert_int_equal(d.layers[4].offset, 50);
}

static void test_nested(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("nested", 0, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t t0[] = { L(ETH), L(IPV4), L(UDP), L(VXLAN), L(ETH), L(IPV4), L(UDP),
				      L(GENEVE), L(ETH), L(IPV4), L(TCP), 0 };
	td_assert_layers(&d, t0);
	assert_int_equal(d.tunnel_depth, 2);
	assert_int_equal(d.level_start[1], 4);
	assert_int_equal(d.level_start[2], 8);
	assert_int_equal(d.level_encap[2], 7);
	assert_int_equal(d.layers[7].u.geneve.vni, 9);
	assert_int_equal(d.layers[10].level, 2);

	assert_int_equal(td_decode_frame("nested", 1, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t t1[] = { L(ETH), L(IPV4), L(GRE), L(IPV4), L(UDP), L(VXLAN), L(ETH),
				      L(IPV6), L(UDP), 0 };
	td_assert_layers(&d, t1);
	assert_int_equal(d.tunnel_depth, 2);
	assert_int_equal(d.layers[5].u.vxlan.vni, 66);

	assert_int_equal(td_decode_frame("nested", 2, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t t2[] = { L(ETH), L(IPV4), L(IPV4), L(TCP), 0 };
	td_assert_layers(&d, t2);
	assert_int_equal(d.tunnel_depth, 1);
	assert_int_equal(d.level_encap[1], 1);
}

static void test_nesting_limit(void **state)
{
	(void)state;
	struct dps_decoded d;
	/* five VXLAN levels, default limit 4: stops before the fifth inner Ethernet */
	assert_int_equal(td_decode_frame("nested", 3, NULL, &d, NULL), DPS_DECODE_LIMIT);
	assert_int_equal(d.tunnel_depth, 4);
	assert_int_equal(d.n_layers, 20);
	assert_int_equal(d.stop_layer, 20);
	assert_int_equal(d.layers[19].type, DPS_LAYER_VXLAN);
	assert_int_equal(d.layers[19].u.vxlan.vni, 5);
	assert_int_equal(d.payload_offset, d.layers[19].offset + 8);
	struct dps_decode_config cfg;
	dps_decode_config_init(&cfg);
	cfg.max_tunnel_depth = 8;
	assert_int_equal(td_decode_frame("nested", 3, &cfg, &d, NULL), DPS_DECODE_COMPLETE);
	assert_int_equal(d.tunnel_depth, 5);
	assert_int_equal(d.n_layers, 23);
	cfg.max_tunnel_depth = 0;                         /* tunnels not entered at all */
	assert_int_equal(td_decode_frame("nested", 3, &cfg, &d, NULL), DPS_DECODE_LIMIT);
	assert_int_equal(d.n_layers, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vxlan_ipv4_underlay),
		cmocka_unit_test(test_vxlan_ipv6_underlay),
		cmocka_unit_test(test_vxlan_8472_inner_vlan_and_no_i_flag),
		cmocka_unit_test(test_configurable_ports),
		cmocka_unit_test(test_geneve_options),
		cmocka_unit_test(test_geneve_ipv6_inside),
		cmocka_unit_test(test_gpe_next_protocols),
		cmocka_unit_test(test_nsh_md2_in_gpe),
		cmocka_unit_test(test_nsh_over_ethernet),
		cmocka_unit_test(test_gre_variants),
		cmocka_unit_test(test_gtpu),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_nesting_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
