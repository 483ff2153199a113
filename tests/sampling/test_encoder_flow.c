/* Golden encodings of flow samples and every flow record, written out by hand from
 * sflow_version_5.txt and sflow_tunnels.txt (not produced by the code under test). */
#include <errno.h>

#include "dps_sampling.h"
#include "golden.h"

static const uint8_t hdr15[15] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };

static void test_compact_header_switch_odd_padding(void **state)
{
	(void)state;
	struct dps_flow_sample fs = {
		.source_type = DPS_SFLOW_DS_IFINDEX, .source_index = 7,
		.sampling_rate = 1000, .sample_pool = 123456, .drops = 3,
		.input = { DPS_PORT_IFINDEX, 1 }, .output = { DPS_PORT_IFINDEX, 2 },
		.records = DPS_FR_HEADER | DPS_FR_SWITCH,
		.header = { DPS_SFLOW_HEADER_ETHERNET, 64, 4, sizeof(hdr15), hdr15 },
		.sw = { 10, 3, 20, 5 },
	};
	static const uint8_t want[] = {
		U32(1),          /* data_format: enterprise 0, flow_sample */
		U32(96),         /* sample length: 104 - 8 */
		U32(42),         /* sequence_number */
		U32(0x00000007), /* source_id: type 0 (ifIndex) << 24 | index 7 */
		U32(1000),       /* sampling_rate */
		U32(123456),     /* sample_pool */
		U32(3),          /* drops */
		U32(1),          /* input ifIndex 1 */
		U32(2),          /* output ifIndex 2 */
		U32(2),          /* number of flow records */
		U32(1),          /* record: sampled_header */
		U32(32),         /* record length: 4 words + 16 padded header bytes */
		U32(1),          /* header_protocol: Ethernet */
		U32(64),         /* frame_length */
		U32(4),          /* stripped (FCS) */
		U32(15),         /* header_length */
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, /* header bytes */
		0,               /* XDR padding to 16 */
		U32(1001),       /* record: extended_switch */
		U32(16),         /* record length */
		U32(10),         /* src_vlan */
		U32(3),          /* src_priority */
		U32(20),         /* dst_vlan */
		U32(5),          /* dst_priority */
	};
	uint8_t buf[256];
	struct dps_xdr x;
	dps_xdr_init(&x, buf, sizeof(buf));
	assert_int_equal(dps_flow_sample_size(&fs, DPS_FR_ALL), sizeof(want));
	assert_int_equal(dps_encode_flow_sample(&x, &fs, 42, DPS_FR_ALL), 0);
	assert_bytes(buf, x.len, want, sizeof(want));
}

static void test_compact_ports_discard_multiple_ipv4(void **state)
{
	(void)state;
	struct dps_flow_sample fs = {
		.source_type = DPS_SFLOW_DS_ENTITY, .source_index = 0xabcdef,
		.sampling_rate = 1, .sample_pool = 0xffffffff, .drops = 0,
		.input = { DPS_PORT_DISCARD, 258 }, .output = { DPS_PORT_MULTIPLE, 2 },
		.records = DPS_FR_IPV4,
		.ipv4 = { .length = 84, .protocol = 17, .src = { 10, 0, 0, 1 },
			  .dst = { 10, 0, 0, 2 }, .src_port = 4789, .dst_port = 53,
			  .tcp_flags = 0, .tos = 0x10 },
	};
	static const uint8_t want[] = {
		U32(1),          /* flow_sample */
		U32(72),         /* length: 8 words + 40-byte record */
		U32(0xfffffffe), /* sequence_number */
		U32(0x02abcdef), /* source_id: type 2 (entPhysicalEntry) << 24 | 0xabcdef */
		U32(1),          /* sampling_rate */
		U32(0xffffffff), /* sample_pool */
		U32(0),          /* drops */
		U32(0x40000102), /* input: format 1 (discarded) << 30 | reason 258 */
		U32(0x80000002), /* output: format 2 (multiple) << 30 | 2 interfaces */
		U32(1),          /* number of records */
		U32(3),          /* record: sampled_ipv4 */
		U32(32),         /* length */
		U32(84),         /* length of the IP packet */
		U32(17),         /* protocol UDP */
		10, 0, 0, 1,     /* src_ip */
		10, 0, 0, 2,     /* dst_ip */
		U32(4789),       /* src_port */
		U32(53),         /* dst_port */
		U32(0),          /* tcp_flags */
		U32(0x10),       /* tos */
	};
	uint8_t buf[256];
	struct dps_xdr x;
	dps_xdr_init(&x, buf, sizeof(buf));
	assert_false(dps_flow_sample_expanded(&fs));
	assert_int_equal(dps_encode_flow_sample(&x, &fs, 0xfffffffe, DPS_FR_ALL), 0);
	assert_bytes(buf, x.len, want, sizeof(want));
}

static struct dps_flow_sample every_record_sample(void)
{
	static const uint8_t hdr4[4] = { 0xde, 0xad, 0xbe, 0xef };
	struct dps_flow_sample fs = {
		.source_type = DPS_SFLOW_DS_IFINDEX, .source_index = 0x01000000,
		.sampling_rate = 256, .sample_pool = 5000, .drops = 9,
		.input = { DPS_PORT_IFINDEX, DPS_SFLOW_IFINDEX_INTERNAL },
		.output = { DPS_PORT_MULTIPLE, 3 },
		.records = DPS_FR_ALL,
		.header = { DPS_SFLOW_HEADER_ETHERNET, 1518, 4, 4, hdr4 },
		.ipv4 = { 84, 1, { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, 0, 0, 0, 0 },
		.ipv6 = { .length = 40, .protocol = 6,
			  .src = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
			  .dst = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 },
			  .src_port = 443, .dst_port = 51000, .tcp_flags = 0x12, .priority = 0x20 },
		.sw = { 100, 0, 200, 7 },
		.mpls = { .next_hop = { DPS_SFLOW_ADDR_IPV6, { 0xfe, 0x80, [15] = 1 } },
			  .n_in = 2, .in_stack = { 0x12345140, 0x000641ff },
			  .n_out = 1, .out_stack = { 0x00003140 } },
		.tun4_egress = { 150, 17, { 192, 168, 0, 1 }, { 192, 168, 0, 2 }, 49152, 4789, 0, 0 },
		.tun4_ingress = { 120, 47, { 172, 16, 0, 1 }, { 172, 16, 0, 2 }, 0, 0, 0, 0xb8 },
		.tun6_egress = { .length = 130, .protocol = 17,
				 .src = { 0xfd, [15] = 0x11 }, .dst = { 0xfd, [15] = 0x22 },
				 .src_port = 50000, .dst_port = 6081 },
		.tun6_ingress = { .length = 110, .protocol = 17,
				  .src = { 0xfd, [15] = 0x33 }, .dst = { 0xfd, [15] = 0x44 },
				  .src_port = 1234, .dst_port = 4789, .tcp_flags = 0, .priority = 3 },
		.decap_egress_offset = 50, .decap_ingress_offset = 54,
		.vni_egress = 0x123456, .vni_ingress = 0xabcdef,
	};
	return fs;
}

static void test_expanded_every_record(void **state)
{
	(void)state;
	struct dps_flow_sample fs = every_record_sample();
	static const uint8_t want[] = {
		U32(3),          /* data_format: flow_sample_expanded */
		U32(504),        /* length: 11 words (44) + records (460) */
		U32(1),          /* sequence_number */
		U32(0),          /* source_id_type: ifIndex */
		U32(0x01000000), /* source_id_index: 2^24, too big for format 1 */
		U32(256),        /* sampling_rate */
		U32(5000),       /* sample_pool */
		U32(9),          /* drops */
		U32(0),          /* input format: ifIndex */
		U32(0x3fffffff), /* input value: internal */
		U32(2),          /* output format: multiple */
		U32(3),          /* output value: 3 interfaces */
		U32(13),         /* number of records */
		/* sampled_header: 8 + 20 */
		U32(1), U32(20),
		U32(1),          /* Ethernet */
		U32(1518),       /* frame_length */
		U32(4),          /* stripped */
		U32(4),          /* header_length, already a multiple of 4: no padding */
		0xde, 0xad, 0xbe, 0xef,
		/* sampled_ipv4: 8 + 32 */
		U32(3), U32(32),
		U32(84), U32(1), 1, 2, 3, 4, 5, 6, 7, 8, U32(0), U32(0), U32(0), U32(0),
		/* sampled_ipv6: 8 + 56 */
		U32(4), U32(56),
		U32(40),         /* payload length */
		U32(6),          /* next header TCP */
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,  /* src */
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,  /* dst */
		U32(443), U32(51000),
		U32(0x12),       /* tcp_flags SYN|ACK */
		U32(0x20),       /* priority */
		/* extended_switch: 8 + 16 */
		U32(1001), U32(16), U32(100), U32(0), U32(200), U32(7),
		/* extended_mpls: 8 + 4+16 (next hop) + 4+8 (in) + 4+4 (out) = 8 + 40 */
		U32(1006), U32(40),
		U32(2),          /* next_hop type IPv6 */
		0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		U32(2), U32(0x12345140), U32(0x000641ff),  /* in_stack */
		U32(1), U32(0x00003140),                   /* out_stack */
		/* extended_ipv4_tunnel_egress (1023): sampled_ipv4 layout */
		U32(1023), U32(32),
		U32(150), U32(17), 192, 168, 0, 1, 192, 168, 0, 2, U32(49152), U32(4789),
		U32(0), U32(0),
		/* extended_ipv4_tunnel_ingress (1024) */
		U32(1024), U32(32),
		U32(120), U32(47), 172, 16, 0, 1, 172, 16, 0, 2, U32(0), U32(0), U32(0), U32(0xb8),
		/* extended_ipv6_tunnel_egress (1025) */
		U32(1025), U32(56),
		U32(130), U32(17),
		0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x11,
		0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x22,
		U32(50000), U32(6081), U32(0), U32(0),
		/* extended_ipv6_tunnel_ingress (1026) */
		U32(1026), U32(56),
		U32(110), U32(17),
		0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x33,
		0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x44,
		U32(1234), U32(4789), U32(0), U32(3),
		/* extended_decapsulate_egress / ingress: inner_header_offset */
		U32(1027), U32(4), U32(50),
		U32(1028), U32(4), U32(54),
		/* extended_vni_egress / ingress */
		U32(1029), U32(4), U32(0x123456),
		U32(1030), U32(4), U32(0xabcdef),
	};
	uint8_t buf[1024];
	struct dps_xdr x;
	dps_xdr_init(&x, buf, sizeof(buf));
	assert_true(dps_flow_sample_expanded(&fs));
	assert_int_equal(dps_flow_sample_size(&fs, DPS_FR_ALL), sizeof(want));
	assert_int_equal(dps_encode_flow_sample(&x, &fs, 1, DPS_FR_ALL), 0);
	assert_bytes(buf, x.len, want, sizeof(want));
}

static void test_mask_drops_tunnel_records_mpls_ipv4_next_hop(void **state)
{
	(void)state;
	struct dps_flow_sample fs = every_record_sample();
	fs.source_index = 5;
	fs.input = (struct dps_sflow_port){ DPS_PORT_IFINDEX, 0x00ffffff };
	fs.output = (struct dps_sflow_port){ DPS_PORT_IFINDEX, 4 };
	fs.records = DPS_FR_MPLS | DPS_FR_TUNNEL_RECORDS;
	fs.mpls.next_hop = (struct dps_sflow_addr){ DPS_SFLOW_ADDR_IPV4, { 10, 1, 2, 3 } };
	fs.mpls.n_in = 0;
	static const uint8_t want[] = {
		U32(1),          /* flow_sample (all indexes < 2^24) */
		U32(60),         /* length: 8 words + mpls record (8 + 20) */
		U32(77),         /* sequence_number */
		U32(5),          /* source_id */
		U32(256), U32(5000), U32(9),
		U32(0x00ffffff), /* input: largest compact ifIndex we emit */
		U32(4),          /* output */
		U32(1),          /* one record: the tunnel ones are masked out */
		U32(1006), U32(20),      /* mpls: 8 (v4 next hop) + 4 + 4+4 */
		U32(1), 10, 1, 2, 3,      /* next_hop IPv4 */
		U32(0),                   /* in_stack empty */
		U32(1), U32(0x00003140),  /* out_stack */
	};
	uint8_t buf[256];
	struct dps_xdr x;
	dps_xdr_init(&x, buf, sizeof(buf));
	uint32_t mask = DPS_FR_ALL & ~(uint32_t)DPS_FR_TUNNEL_RECORDS;
	assert_int_equal(dps_encode_flow_sample(&x, &fs, 77, mask), 0);
	assert_bytes(buf, x.len, want, sizeof(want));
}

static void test_expanded_when_port_index_large(void **state)
{
	(void)state;
	/* 2^30 - 1 still fits format 1's 30-bit interface value. */
	struct dps_flow_sample fs = { .source_index = 1, .output = { DPS_PORT_IFINDEX, (1u << 30) - 1 } };
	uint8_t buf[128];
	struct dps_xdr x;
	dps_xdr_init(&x, buf, sizeof(buf));
	assert_false(dps_flow_sample_expanded(&fs));
	assert_int_equal(dps_encode_flow_sample(&x, &fs, 1, DPS_FR_ALL), 0);
	assert_int_equal(rd32(buf), 1);
	assert_int_equal(rd32(buf + 32), 0x3fffffff);   /* output word */
	fs.output.value = 1u << 30;
	dps_xdr_init(&x, buf, sizeof(buf));
	assert_int_equal(dps_encode_flow_sample(&x, &fs, 1, DPS_FR_ALL), 0);
	static const uint8_t want[] = {
		U32(3), U32(44), U32(1),
		U32(0), U32(1),            /* source type, index */
		U32(0), U32(0), U32(0),    /* rate, pool, drops */
		U32(0), U32(0),            /* input ifIndex 0 (unknown) */
		U32(0), U32(0x40000000),   /* output ifIndex 2^30: needs format 3 */
		U32(0),                    /* no records */
	};
	assert_bytes(buf, x.len, want, sizeof(want));
}

static void test_no_room_is_error_and_writes_nothing(void **state)
{
	(void)state;
	struct dps_flow_sample fs = every_record_sample();
	size_t need = dps_flow_sample_size(&fs, DPS_FR_ALL);
	uint8_t buf[1024];
	memset(buf, 0xa5, sizeof(buf));
	struct dps_xdr x;
	/* Start at an offset to check that a partial buffer is respected too. */
	dps_xdr_init(&x, buf, 8 + need - 1);
	x.len = 8;
	assert_int_equal(dps_encode_flow_sample(&x, &fs, 1, DPS_FR_ALL), -ENOSPC);
	assert_int_equal(x.len, 8);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xa5);
	/* Exactly enough room succeeds. */
	dps_xdr_init(&x, buf, 8 + need);
	x.len = 8;
	assert_int_equal(dps_encode_flow_sample(&x, &fs, 1, DPS_FR_ALL), 0);
	assert_int_equal(x.len, 8 + need);
	/* A cursor beyond the capacity is "no room", not an underflow. */
	dps_xdr_init(&x, buf, 4);
	x.len = 8;
	assert_int_equal(dps_encode_flow_sample(&x, &fs, 1, DPS_FR_ALL), -ENOSPC);
}

static void test_invalid_samples_rejected(void **state)
{
	(void)state;
	uint8_t big[DPS_MAX_HEADER_BYTES + 1] = { 0 };
	uint8_t buf[2048];
	struct dps_xdr x;
	dps_xdr_init(&x, buf, sizeof(buf));
	struct dps_flow_sample fs = { .records = DPS_FR_HEADER,
				      .header = { 1, 2000, 4, sizeof(big), big } };
	assert_int_equal(dps_encode_flow_sample(&x, &fs, 1, DPS_FR_ALL), -EINVAL);
	fs.header.header_length = DPS_MAX_HEADER_BYTES;
	assert_int_equal(dps_encode_flow_sample(&x, &fs, 1, DPS_FR_ALL), 0);
	/* Too many labels, bad next-hop type, bad port formats. */
	struct dps_flow_sample m = { .records = DPS_FR_MPLS, .mpls = { .n_in = 9 } };
	assert_int_equal(dps_encode_flow_sample(&x, &m, 1, DPS_FR_ALL), -EINVAL);
	m.mpls.n_in = 0;
	m.mpls.next_hop.type = 3;
	assert_int_equal(dps_encode_flow_sample(&x, &m, 1, DPS_FR_ALL), -EINVAL);
	struct dps_flow_sample p = { .input = { 3, 0 } };
	assert_int_equal(dps_encode_flow_sample(&x, &p, 1, DPS_FR_ALL), -EINVAL);
	p.input = (struct dps_sflow_port){ DPS_PORT_DISCARD + 2, 1 };
	assert_int_equal(dps_encode_flow_sample(&x, &p, 1, DPS_FR_ALL), -EINVAL);
	/* A header record with bytes promised but no pointer. */
	struct dps_flow_sample h = { .records = DPS_FR_HEADER, .header = { 1, 60, 4, 8, NULL } };
	assert_int_equal(dps_encode_flow_sample(&x, &h, 1, DPS_FR_ALL), -EINVAL);
}

/* Size function and encoder agree for every record subset and header length 0..20. */
static void test_size_matches_encoding_all_subsets(void **state)
{
	(void)state;
	struct dps_flow_sample fs = every_record_sample();
	uint8_t hdr[20] = { 0 };
	uint8_t buf[1024];
	for (uint32_t mask = 0; mask <= DPS_FR_ALL; mask++) {
		for (uint32_t hl = 0; hl <= 20; hl += (mask & DPS_FR_HEADER) ? 1 : 21) {
			fs.header.header = hdr;
			fs.header.header_length = hl;
			fs.source_index = (mask & 1) ? 3 : 0x01000000;
			struct dps_xdr x;
			dps_xdr_init(&x, buf, sizeof(buf));
			size_t sz = dps_flow_sample_size(&fs, mask);
			assert_int_equal(dps_encode_flow_sample(&x, &fs, 1, mask), 0);
			assert_int_equal(x.len, sz);
			assert_int_equal(x.len % 4, 0);
			assert_int_equal(rd32(buf + 4), sz - 8);
			/* n_records is the last word of the fixed part */
			size_t nrec_off = dps_flow_sample_expanded(&fs) ? 48 : 36;
			assert_int_equal(rd32(buf + nrec_off), __builtin_popcount(mask));
		}
	}
}

int main(void)
{
	cmocka_output_to_stdout();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact_header_switch_odd_padding),
		cmocka_unit_test(test_compact_ports_discard_multiple_ipv4),
		cmocka_unit_test(test_expanded_every_record),
		cmocka_unit_test(test_mask_drops_tunnel_records_mpls_ipv4_next_hop),
		cmocka_unit_test(test_expanded_when_port_index_large),
		cmocka_unit_test(test_no_room_is_error_and_writes_nothing),
		cmocka_unit_test(test_invalid_samples_rejected),
		cmocka_unit_test(test_size_matches_encoding_all_subsets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
