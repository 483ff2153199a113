/* test_l2.c - td_eth.h, td_vlan.h, td_mpls.h: scapy pcaps (vlan_mpls.pcap, plain.pcap) and
 * hand-made frames for the bounded stacks and the edge cases. */
#include "td_test_common.h"

static const uint8_t MAC_O_SRC[6] = { 2, 0, 0, 0, 0, 1 }, MAC_O_DST[6] = { 2, 0, 0, 0, 0, 2 };

static void test_eth_fields(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("plain", 0, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	const struct dps_layer *e = &d.layers[0];
	assert_int_equal(e->type, DPS_LAYER_ETH);
	assert_int_equal(e->offset, 0);
	assert_int_equal(e->length, 14);
	assert_int_equal(e->level, 0);
	assert_memory_equal(e->u.eth.dst, MAC_O_DST, 6);
	assert_memory_equal(e->u.eth.src, MAC_O_SRC, 6);
	assert_int_equal(e->u.eth.ethertype, 0x0800);
}

static void test_single_vlan(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("vlan_mpls", 0, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t types[] = { DPS_LAYER_ETH, DPS_LAYER_VLAN, DPS_LAYER_IPV4, DPS_LAYER_TCP, 0 };
	td_assert_layers(&d, types);
	const struct dps_vlan *v = &d.layers[1].u.vlan;
	assert_int_equal(d.layers[1].offset, 14);
	assert_int_equal(d.layers[1].length, 4);
	assert_int_equal(v->n_tags, 1);
	assert_int_equal(v->tag[0].tpid, 0x8100);
	assert_int_equal(v->tag[0].vid, 100);
	assert_int_equal(v->tag[0].pcp, 3);
	assert_int_equal(v->tag[0].dei, 0);
	assert_int_equal(v->ethertype, 0x0800);
	assert_int_equal(d.layers[2].offset, 18);
}

static void test_qinq_88a8(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("vlan_mpls", 1, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t types[] = { DPS_LAYER_ETH, DPS_LAYER_VLAN, DPS_LAYER_IPV6, DPS_LAYER_UDP, 0 };
	td_assert_layers(&d, types);
	const struct dps_vlan *v = &d.layers[1].u.vlan;
	assert_int_equal(d.layers[1].length, 8);
	assert_int_equal(v->n_tags, 2);
	assert_int_equal(v->n_stored, 2);
	assert_int_equal(v->tag[0].tpid, 0x88A8);
	assert_int_equal(v->tag[0].vid, 200);
	assert_int_equal(v->tag[0].pcp, 5);
	assert_int_equal(v->tag[1].tpid, 0x8100);
	assert_int_equal(v->tag[1].vid, 300);
	assert_int_equal(v->tag[1].pcp, 1);
	assert_int_equal(v->ethertype, 0x86DD);
}

static void test_qinq_9100(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("vlan_mpls", 2, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	const struct dps_vlan *v = &d.layers[1].u.vlan;
	assert_int_equal(v->n_tags, 2);
	assert_int_equal(v->tag[0].tpid, 0x9100);
	assert_int_equal(v->tag[0].vid, 10);
	assert_int_equal(v->tag[1].tpid, 0x8100);
	assert_int_equal(v->tag[1].vid, 20);
	assert_int_equal(d.layers[2].type, DPS_LAYER_IPV4);
	assert_int_equal(d.layers[2].offset, 22);
}

static void test_mpls_stack(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("vlan_mpls", 3, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t types[] = { DPS_LAYER_ETH, DPS_LAYER_MPLS, DPS_LAYER_IPV4, DPS_LAYER_TCP, 0 };
	td_assert_layers(&d, types);
	const struct dps_mpls *m = &d.layers[1].u.mpls;
	assert_int_equal(m->n_labels, 3);
	/* label << 12 | tc << 9 | bos << 8 | ttl */
	assert_int_equal(m->lse[0], 1000u << 12 | 1u << 9 | 0u << 8 | 63u);
	assert_int_equal(m->lse[1], 2000u << 12 | 2u << 9 | 0u << 8 | 62u);
	assert_int_equal(m->lse[2], 3000u << 12 | 3u << 9 | 1u << 8 | 61u);
	assert_int_equal(dps_mpls_label(m->lse[2]), 3000);
	assert_int_equal(d.layers[1].length, 12);
	assert_int_equal(d.layers[2].offset, 26);
}

static void test_vlan_then_mpls_ipv6(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("vlan_mpls", 4, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t types[] = { DPS_LAYER_ETH, DPS_LAYER_VLAN, DPS_LAYER_MPLS, DPS_LAYER_IPV6,
					 DPS_LAYER_UDP, 0 };
	td_assert_layers(&d, types);
	assert_int_equal(d.layers[1].u.vlan.tag[0].vid, 42);
	assert_int_equal(d.layers[1].u.vlan.ethertype, 0x8847);
	assert_int_equal(d.layers[2].u.mpls.n_labels, 1);
	assert_int_equal(dps_mpls_label(d.layers[2].u.mpls.lse[0]), 16);
}

/* 6 stacked tags: the first DPS_MAX_VLAN_TAGS are stored, all 6 counted, decoding goes on. */
static void test_vlan_overflow_counts(void **state)
{
	(void)state;
	uint8_t f[14 + 6 * 4 + 20];
	memset(f, 0, sizeof(f));
	f[12] = 0x81; f[13] = 0x00;                       /* Ethertype 802.1Q */
	for (int i = 0; i < 6; i++) {
		f[14 + 4 * i] = 0x00; f[15 + 4 * i] = (uint8_t)(i + 1);  /* TCI: vid i+1 */
		f[16 + 4 * i] = i < 5 ? 0x81 : 0x08;                      /* next: tag or IPv4 */
		f[17 + 4 * i] = 0x00;
	}
	uint8_t *ip = f + 38;
	ip[0] = 0x45; ip[3] = 20;                         /* IPv4, ihl 5, total length 20 */
	ip[9] = 59;                                       /* protocol: nothing we know */
	struct dps_decoded d;
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_COMPLETE);
	assert_int_equal(d.n_layers, 3);
	assert_int_equal(d.layers[1].u.vlan.n_tags, 6);
	assert_int_equal(d.layers[1].u.vlan.n_stored, DPS_MAX_VLAN_TAGS);
	assert_int_equal(d.layers[1].u.vlan.tag[3].vid, 4);
	assert_int_equal(d.layers[1].length, 24);
	assert_int_equal(d.layers[2].offset, 38);
	assert_int_equal(d.payload_offset, 58);
}

static void test_mpls_overflow_and_unknown_payload(void **state)
{
	(void)state;
	uint8_t f[14 + 10 * 4 + 4];
	memset(f, 0, sizeof(f));
	f[12] = 0x88; f[13] = 0x47;                       /* MPLS unicast */
	for (int i = 0; i < 10; i++) {
		uint32_t lse = (uint32_t)(100 + i) << 12 | (i == 9 ? 0x100u : 0) | 64u;
		f[14 + 4 * i] = (uint8_t)(lse >> 24); f[15 + 4 * i] = (uint8_t)(lse >> 16);
		f[16 + 4 * i] = (uint8_t)(lse >> 8);  f[17 + 4 * i] = (uint8_t)lse;
	}
	f[54] = 0x00;                                     /* pseudowire control word: not IP */
	struct dps_decoded d;
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_COMPLETE);
	assert_int_equal(d.n_layers, 2);
	assert_int_equal(d.layers[1].u.mpls.n_labels, 10);
	assert_int_equal(d.layers[1].u.mpls.n_stored, DPS_MAX_MPLS_LABELS);
	assert_int_equal(dps_mpls_label(d.layers[1].u.mpls.lse[7]), 107);
	assert_int_equal(d.payload_offset, 54);
}

static void test_eth_short(void **state)
{
	(void)state;
	uint8_t f[10] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0 };
	struct dps_decoded d;
	/* a 64-byte frame of which 10 bytes were captured: truncated */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), 64, &d), DPS_DECODE_TRUNCATED);
	assert_int_equal(d.n_layers, 1);
	assert_int_equal(d.stop_layer, 0);
	assert_true(d.layers[0].flags & DPS_LAYER_TRUNCATED);
	assert_true(d.layers[0].flags & DPS_LAYER_PARTIAL);
	assert_int_equal(d.layers[0].length, 10);
	assert_int_equal(d.layers[0].u.eth.ethertype, 0);
	/* a frame that really is 10 bytes long cannot hold an Ethernet header: malformed */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	assert_true(d.layers[0].flags & DPS_LAYER_MALFORMED);
	/* zero bytes */
	assert_int_equal(dps_decode_packet(NULL, NULL, 0, 0, &d), DPS_DECODE_MALFORMED);
	assert_int_equal(dps_decode_packet(NULL, NULL, 0, 60, &d), DPS_DECODE_TRUNCATED);
	assert_int_equal(dps_decode_packet(NULL, f, 1, 1, NULL), -1);
}

static void test_8023_length_is_payload(void **state)
{
	(void)state;
	uint8_t f[60] = { 0 };
	f[12] = 0x00; f[13] = 0x2E;                       /* 802.3 length 46 (LLC follows) */
	struct dps_decoded d;
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_COMPLETE);
	assert_int_equal(d.n_layers, 1);
	assert_int_equal(d.payload_offset, 14);
}

static void test_vlan_truncated_mid_stack(void **state)
{
	(void)state;
	/* Ethernet + tag (vid 5, next 0x8100) + 2 bytes of the second tag */
	uint8_t f[20] = { 0 };
	f[12] = 0x81; f[13] = 0x00;
	f[14] = 0x00; f[15] = 0x05; f[16] = 0x81; f[17] = 0x00;
	f[18] = 0x00; f[19] = 0x06;
	struct dps_decoded d;
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), 100, &d), DPS_DECODE_TRUNCATED);
	assert_int_equal(d.n_layers, 2);
	assert_int_equal(d.stop_layer, 1);
	assert_int_equal(d.layers[1].flags & DPS_LAYER_PARTIAL, 0);  /* first tag is valid */
	assert_true(d.layers[1].flags & DPS_LAYER_TRUNCATED);
	assert_int_equal(d.layers[1].u.vlan.n_tags, 1);
	assert_int_equal(d.layers[1].u.vlan.tag[0].vid, 5);
	assert_int_equal(d.layers[1].length, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eth_fields),
		cmocka_unit_test(test_single_vlan),
		cmocka_unit_test(test_qinq_88a8),
		cmocka_unit_test(test_qinq_9100),
		cmocka_unit_test(test_mpls_stack),
		cmocka_unit_test(test_vlan_then_mpls_ipv6),
		cmocka_unit_test(test_vlan_overflow_counts),
		cmocka_unit_test(test_mpls_overflow_and_unknown_payload),
		cmocka_unit_test(test_eth_short),
		cmocka_unit_test(test_8023_length_is_payload),
		cmocka_unit_test(test_vlan_truncated_mid_stack),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
