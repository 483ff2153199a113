/* test_l3l4.c - td_ipv4.h, td_ipv6.h, td_udp.h, td_tcp.h, td_icmp.h, td_sctp.h: scapy pcaps
 * (plain, ipv6_ext) plus hand-made frames for bad lengths, truncation and the IPv6
 * extension-header bound. */
#include "td_test_common.h"

static void test_ipv4_tcp_options(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("plain", 0, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	static const uint8_t types[] = { DPS_LAYER_ETH, DPS_LAYER_IPV4, DPS_LAYER_TCP, 0 };
	td_assert_layers(&d, types);
	const struct dps_ipv4 *ip = &d.layers[1].u.ipv4;
	td_assert_ip4(ip->src, 10, 0, 0, 1);
	td_assert_ip4(ip->dst, 10, 0, 0, 2);
	assert_int_equal(ip->ihl, 5);
	assert_int_equal(ip->tos, 0x10);
	assert_int_equal(ip->ttl, 64);
	assert_int_equal(ip->id, 1);
	assert_int_equal(ip->protocol, 6);
	assert_int_equal(ip->total_length, 20 + 24);     /* TCP header with 4-byte MSS option */
	const struct dps_layer *t = &d.layers[2];
	assert_int_equal(t->offset, 34);
	assert_int_equal(t->length, 24);
	assert_int_equal(t->u.tcp.src_port, 40000);
	assert_int_equal(t->u.tcp.dst_port, 80);
	assert_int_equal(t->u.tcp.flags, 0x02);           /* SYN */
	assert_int_equal(t->u.tcp.data_offset, 6);
	assert_int_equal(t->u.tcp.seq, 1);
	assert_int_equal(d.payload_offset, 58);
	assert_int_equal(d.tunnel_depth, 0);
}

static void test_ipv4_udp_and_options(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("plain", 1, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	assert_int_equal(d.layers[2].type, DPS_LAYER_UDP);
	assert_int_equal(d.layers[2].u.udp.src_port, 50000);
	assert_int_equal(d.layers[2].u.udp.dst_port, 9);
	assert_int_equal(d.layers[2].u.udp.length, 28);
	/* frame 7: IPv4 with a 4-byte router-alert option */
	assert_int_equal(td_decode_frame("plain", 7, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	assert_int_equal(d.layers[1].u.ipv4.ihl, 6);
	assert_int_equal(d.layers[1].length, 24);
	assert_int_equal(d.layers[2].offset, 38);
	assert_int_equal(d.layers[2].u.udp.dst_port, 2000);
}

static void test_ipv6_tcp(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("plain", 2, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	const struct dps_ipv6 *ip = &d.layers[1].u.ipv6;
	static const uint8_t src[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	assert_memory_equal(ip->src, src, 16);
	assert_int_equal(ip->dst[15], 2);
	assert_int_equal(ip->traffic_class, 0x20);
	assert_int_equal(ip->hop_limit, 64);
	assert_int_equal(ip->payload_length, 120);
	assert_int_equal(ip->protocol, 6);
	assert_int_equal(ip->n_ext, 0);
	assert_int_equal(d.layers[2].u.tcp.flags, 0x10);  /* ACK */
	assert_int_equal(d.layers[2].offset, 54);
}

static void test_icmp_icmpv6_sctp(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("plain", 4, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	assert_int_equal(d.layers[2].type, DPS_LAYER_ICMP);
	assert_int_equal(d.layers[2].u.icmp.type, 8);
	assert_int_equal(d.layers[2].u.icmp.code, 0);
	assert_int_equal(td_decode_frame("plain", 5, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	assert_int_equal(d.layers[2].type, DPS_LAYER_ICMPV6);
	assert_int_equal(d.layers[2].u.icmp.type, 128);
	assert_int_equal(td_decode_frame("plain", 6, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	assert_int_equal(d.layers[2].type, DPS_LAYER_SCTP);
	assert_int_equal(d.layers[2].u.sctp.src_port, 3868);
	assert_int_equal(d.layers[2].u.sctp.vtag, 0x11223344);
}

static void test_ipv6_extension_chain(void **state)
{
	(void)state;
	struct dps_decoded d;
	assert_int_equal(td_decode_frame("ipv6_ext", 0, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	const struct dps_ipv6 *ip = &d.layers[1].u.ipv6;
	assert_int_equal(ip->next_header, 0);
	assert_int_equal(ip->n_ext, 3);
	assert_int_equal(ip->ext[0].type, 0);    /* hop-by-hop, 8 bytes */
	assert_int_equal(ip->ext[0].length, 8);
	assert_int_equal(ip->ext[0].offset, 54);
	assert_int_equal(ip->ext[1].type, 43);   /* routing with one address: (2+1)*8 */
	assert_int_equal(ip->ext[1].length, 24);
	assert_int_equal(ip->ext[2].type, 60);   /* destination options */
	assert_int_equal(ip->ext[2].length, 8);
	assert_int_equal(ip->protocol, 6);
	assert_int_equal(d.layers[1].length, 80);
	assert_int_equal(d.layers[2].offset, 94);
	assert_int_equal(d.layers[2].u.tcp.dst_port, 22);
	/* AH: (payload len 4 + 2) * 4 = 24 bytes, then UDP */
	assert_int_equal(td_decode_frame("ipv6_ext", 1, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	assert_int_equal(d.layers[1].u.ipv6.ext[0].type, 51);
	assert_int_equal(d.layers[1].u.ipv6.ext[0].length, 24);
	assert_int_equal(d.layers[1].u.ipv6.protocol, 17);
	assert_int_equal(d.layers[2].offset, 78);
	assert_int_equal(d.layers[2].u.udp.dst_port, 500);
}

static void test_fragments(void **state)
{
	(void)state;
	struct dps_decoded d;
	/* IPv6 first fragment: L4 decoded although its UDP length covers later fragments */
	assert_int_equal(td_decode_frame("ipv6_ext", 2, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	assert_int_equal(d.n_layers, 3);
	assert_int_equal(d.layers[1].u.ipv6.is_fragment, 1);
	assert_int_equal(d.layers[1].u.ipv6.more_frags, 1);
	assert_int_equal(d.layers[1].u.ipv6.frag_off, 0);
	assert_int_equal(d.layers[1].u.ipv6.frag_id, 0xabcdef);
	assert_int_equal(d.layers[2].u.udp.src_port, 5000);
	assert_int_equal(d.layers[2].u.udp.length, 1208);
	/* IPv6 later fragment: no L4 */
	assert_int_equal(td_decode_frame("ipv6_ext", 3, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	assert_int_equal(d.n_layers, 2);
	assert_int_equal(d.layers[1].u.ipv6.frag_off, 100);
	assert_int_equal(d.layers[1].u.ipv6.protocol, 17);
	/* IPv4 first fragment */
	assert_int_equal(td_decode_frame("ipv6_ext", 4, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	assert_int_equal(d.n_layers, 3);
	assert_int_equal(d.layers[1].u.ipv4.more_frags, 1);
	assert_int_equal(d.layers[2].u.udp.dst_port, 6001);
	/* IPv4 later fragment */
	assert_int_equal(td_decode_frame("ipv6_ext", 5, NULL, &d, NULL), DPS_DECODE_COMPLETE);
	assert_int_equal(d.n_layers, 2);
	assert_int_equal(d.layers[1].u.ipv4.frag_off, 185);
}

/* Ethernet + IPv4 header template; proto and total length given. */
static void put_ipv4(uint8_t *f, uint8_t ver_ihl, uint16_t total, uint8_t proto)
{
	memset(f, 0, 14);
	f[12] = 0x08; f[13] = 0x00;
	uint8_t *ip = f + 14;
	memset(ip, 0, 20);
	ip[0] = ver_ihl;
	ip[2] = (uint8_t)(total >> 8); ip[3] = (uint8_t)total;
	ip[8] = 64;
	ip[9] = proto;
}

static void test_ipv4_bad_lengths(void **state)
{
	(void)state;
	uint8_t f[14 + 60 + 8] = { 0 };
	struct dps_decoded d;
	put_ipv4(f, 0x45, 200, 17);                       /* total length beyond the frame */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	assert_int_equal(d.stop_layer, 1);
	assert_true(d.layers[1].flags & DPS_LAYER_MALFORMED);
	assert_int_equal(d.layers[1].u.ipv4.total_length, 200);  /* fixed header still decoded */
	put_ipv4(f, 0x44, 28, 17);                        /* ihl 4 < 5 */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	assert_true(d.layers[1].flags & DPS_LAYER_PARTIAL);
	put_ipv4(f, 0x46, 20, 17);                        /* total length < header length 24 */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	put_ipv4(f, 0x65, 28, 17);                        /* version 6 in an IPv4 Ethertype */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	put_ipv4(f, 0x4F, 68, 17);                        /* 60-byte header, 40 captured */
	assert_int_equal(dps_decode_packet(NULL, f, 14 + 40, 200, &d), DPS_DECODE_TRUNCATED);
	assert_int_equal(d.layers[1].flags & DPS_LAYER_PARTIAL, 0);
	assert_int_equal(d.layers[1].length, 40);
}

static void test_udp_bad_lengths(void **state)
{
	(void)state;
	uint8_t f[14 + 20 + 8 + 8] = { 0 };
	struct dps_decoded d;
	put_ipv4(f, 0x45, 36, 17);
	uint8_t *u = f + 34;
	u[0] = 0x12; u[1] = 0x34; u[2] = 0x12; u[3] = 0xB5;   /* ports 4660 -> 4789 (VXLAN) */
	u[5] = 7;                                             /* length 7 < 8 */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	assert_int_equal(d.stop_layer, 2);
	assert_int_equal(d.layers[2].u.udp.dst_port, 4789);
	u[5] = 17;                                            /* 17 > 16 bytes of IP payload */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	u[5] = 16;                                            /* fits: VXLAN header follows */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	/* ...but the 8-byte VXLAN header needs 8 of the 8 remaining: it is Ethernet that fails */
	assert_int_equal(d.layers[3].type, DPS_LAYER_VXLAN);
	assert_int_equal(d.layers[4].type, DPS_LAYER_ETH);
	assert_int_equal(d.stop_layer, 4);
}

static void test_tcp_bad_and_truncated(void **state)
{
	(void)state;
	uint8_t f[14 + 20 + 40] = { 0 };
	struct dps_decoded d;
	put_ipv4(f, 0x45, 60, 6);
	uint8_t *t = f + 34;
	t[0] = 0x9C; t[1] = 0x40;                          /* src 40000 */
	t[2] = 0x00; t[3] = 0x50;                          /* dst 80 */
	t[12] = 0x40;                                      /* data offset 4 < 5 */
	t[13] = 0x12;                                      /* SYN ACK */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	t[12] = 0xA0;                                      /* data offset 10: 40 bytes */
	assert_int_equal(dps_decode_packet(NULL, f, 14 + 20 + 30, sizeof(f), &d), DPS_DECODE_TRUNCATED);
	assert_int_equal(d.layers[2].u.tcp.flags, 0x12);   /* fixed part valid */
	assert_int_equal(d.layers[2].length, 30);
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_COMPLETE);
	assert_int_equal(d.layers[2].length, 40);
}

/* 10 destination-options headers: 8 stored, 10 counted, chain ends with "no next header". */
static void test_ipv6_ext_overflow(void **state)
{
	(void)state;
	uint8_t f[14 + 40 + 10 * 8] = { 0 };
	f[12] = 0x86; f[13] = 0xDD;
	uint8_t *ip = f + 14;
	ip[0] = 0x60;
	ip[4] = 0; ip[5] = 80;                             /* payload length */
	ip[6] = 60;                                        /* next: destination options */
	for (int i = 0; i < 10; i++)
		ip[40 + 8 * i] = i < 9 ? 60 : 59;              /* next header; hdr ext len 0 */
	struct dps_decoded d;
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_COMPLETE);
	assert_int_equal(d.layers[1].u.ipv6.n_ext, 10);
	assert_int_equal(d.layers[1].u.ipv6.n_ext_stored, DPS_MAX_IPV6_EXT);
	assert_int_equal(d.layers[1].u.ipv6.protocol, 59);
	assert_int_equal(d.layers[1].length, 120);
	/* the same chain with the payload length one header short: malformed */
	ip[5] = 72;
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	assert_int_equal(d.stop_layer, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_tcp_options),
		cmocka_unit_test(test_ipv4_udp_and_options),
		cmocka_unit_test(test_ipv6_tcp),
		cmocka_unit_test(test_icmp_icmpv6_sctp),
		cmocka_unit_test(test_ipv6_extension_chain),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_ipv4_bad_lengths),
		cmocka_unit_test(test_udp_bad_lengths),
		cmocka_unit_test(test_tcp_bad_and_truncated),
		cmocka_unit_test(test_ipv6_ext_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
