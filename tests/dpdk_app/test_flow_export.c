/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests of dpdk_app/flow_export.c: which sFlow records a decoded sample produces. The
 * inputs are real frames decoded by tunnel_decode, so the mapping is tested end to end
 * without EAL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flow_export.h"

/* Ethernet / IPv4 172.16.0.1 -> 172.16.0.2 / UDP 50000 -> 4789 / VXLAN VNI 4242 /
 * Ethernet / IPv4 192.168.10.1 -> 192.168.10.2 / TCP 40000 -> 443 SYN */
static const uint8_t vxlan_frame[] = {
	0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,             /* eth */
	0x45, 0x00, 0x00, 0x5a, 0, 1, 0, 0, 64, 17, 0, 0,                        /* ipv4 */
	172, 16, 0, 1, 172, 16, 0, 2,
	0xc3, 0x50, 0x12, 0xb5, 0x00, 0x46, 0, 0,                                /* udp */
	0x08, 0, 0, 0, 0x00, 0x10, 0x92, 0x00,                                   /* vxlan 4242 */
	0x02, 0, 0, 0, 1, 0x02, 0x02, 0, 0, 0, 1, 0x01, 0x08, 0x00,              /* inner eth */
	0x45, 0x10, 0x00, 0x28, 0, 1, 0, 0, 64, 6, 0, 0,                         /* inner ipv4 */
	192, 168, 10, 1, 192, 168, 10, 2,
	0x9c, 0x40, 0x01, 0xbb, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x02, 0x20, 0x00,  /* tcp SYN */
	0, 0, 0, 0,
};

/* Ethernet / 802.1Q vid 100 pcp 5 / IPv4 10.0.0.1 -> 10.0.0.2 / UDP 1000 -> 2000 */
static const uint8_t vlan_frame[] = {
	0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x81, 0x00, 0xa0, 0x64, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x1c, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	0x03, 0xe8, 0x07, 0xd0, 0x00, 0x08, 0, 0,
};

/* Ethernet / IPv6 2001:db8::1 -> 2001:db8::2, traffic class 0xb8 / UDP 5353 -> 53, 4 bytes */
static const uint8_t ipv6_frame[] = {
	0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x86, 0xdd,
	0x6b, 0x80, 0, 0, 0x00, 0x0c, 17, 64,                                    /* ipv6 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	0x14, 0xe9, 0x00, 0x35, 0x00, 0x0c, 0, 0, 1, 2, 3, 4,                    /* udp */
};

static void
export_part(const uint8_t *frame, uint32_t len, uint32_t header_len, struct dps_flow_sample *fs)
{
	struct dps_decoded dec;
	struct dps_sample_view view;
	struct dps_flow_export_in in = {
		.source_ifindex = 7, .sampling_rate = 1000, .sample_pool = 123456789012ull,
		.drops = 3, .in_ifindex = 7, .out_ifindex = 9, .frame_len = len,
		.header_len = header_len, .header = frame,
	};

	dps_decode_packet(NULL, frame, len, len, &dec);
	dps_sample_view_from(&dec, &view);
	dps_flow_export_fill(fs, &in, &view);
}

static void
export(const uint8_t *frame, uint32_t len, struct dps_flow_sample *fs)
{
	export_part(frame, len, len, fs);
}

static void
test_vxlan_records(void **state)
{
	struct dps_flow_sample fs;

	(void)state;
	export(vxlan_frame, sizeof(vxlan_frame), &fs);
	assert_int_equal(fs.records, DPS_FR_HEADER | DPS_FR_IPV4 | DPS_FR_IPV4_TUN_INGRESS |
			 DPS_FR_VNI_INGRESS | DPS_FR_DECAP_INGRESS);
	assert_int_equal(fs.source_index, 7);
	assert_int_equal(fs.sampling_rate, 1000);
	/* the pool is a 64-bit count; sFlow carries its low 32 bits */
	assert_int_equal(fs.sample_pool, (uint32_t)123456789012ull);
	assert_int_equal(fs.drops, 3);
	assert_int_equal(fs.input.value, 7);
	assert_int_equal(fs.output.value, 9);
	assert_int_equal(fs.header.frame_length, sizeof(vxlan_frame) + 4);
	assert_int_equal(fs.header.stripped, 4);
	assert_int_equal(fs.header.header_length, sizeof(vxlan_frame));
	/* sampled_ipv4 describes the tenant's packet, the tunnel record the underlay */
	assert_memory_equal(fs.ipv4.src, ((uint8_t[]){192, 168, 10, 1}), 4);
	assert_int_equal(fs.ipv4.protocol, 6);
	assert_int_equal(fs.ipv4.src_port, 40000);
	assert_int_equal(fs.ipv4.dst_port, 443);
	assert_int_equal(fs.ipv4.tcp_flags, 0x02);
	assert_int_equal(fs.ipv4.tos, 0x10);
	assert_int_equal(fs.ipv4.length, 40);
	assert_memory_equal(fs.tun4_ingress.src, ((uint8_t[]){172, 16, 0, 1}), 4);
	assert_memory_equal(fs.tun4_ingress.dst, ((uint8_t[]){172, 16, 0, 2}), 4);
	assert_int_equal(fs.tun4_ingress.src_port, 50000);
	assert_int_equal(fs.tun4_ingress.dst_port, 4789);
	assert_int_equal(fs.tun4_ingress.protocol, 17);
	assert_int_equal(fs.tun4_ingress.length, 90);
	assert_int_equal(fs.vni_ingress, 4242);
	assert_int_equal(fs.decap_ingress_offset, 50); /* 14 + 20 + 8 + 8 */
}

static void
test_vlan_records(void **state)
{
	struct dps_flow_sample fs;

	(void)state;
	export(vlan_frame, sizeof(vlan_frame), &fs);
	assert_int_equal(fs.records, DPS_FR_HEADER | DPS_FR_IPV4 | DPS_FR_SWITCH);
	assert_int_equal(fs.sw.src_vlan, 100);
	assert_int_equal(fs.sw.src_priority, 5);
	assert_int_equal(fs.sw.dst_vlan, 100);
	assert_int_equal(fs.ipv4.src_port, 1000);
	assert_int_equal(fs.ipv4.dst_port, 2000);
}

static void
test_ipv6_record(void **state)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	struct dps_flow_sample fs;

	(void)state;
	export(ipv6_frame, sizeof(ipv6_frame), &fs);
	assert_int_equal(fs.records, DPS_FR_HEADER | DPS_FR_IPV6);
	assert_memory_equal(fs.ipv6.src, src, 16);
	assert_memory_equal(fs.ipv6.dst, dst, 16);
	assert_int_equal(fs.ipv6.length, 40 + 12);
	assert_int_equal(fs.ipv6.protocol, 17);
	assert_int_equal(fs.ipv6.priority, 0xb8);
	assert_int_equal(fs.ipv6.src_port, 5353);
	assert_int_equal(fs.ipv6.dst_port, 53);
	assert_int_equal(fs.ipv6.tcp_flags, 0);
}

/* A view goes with the bytes it was decoded from: given fewer, the records whose headers they
 * no longer hold are left out (never read past them), the others stay. */
static void
test_view_of_longer_header(void **state)
{
	struct dps_flow_sample fs;

	(void)state;
	/* the inner TCP header ends at 84 + 20; its flags byte is at 97 */
	export_part(vxlan_frame, sizeof(vxlan_frame), 97, &fs);
	assert_int_equal(fs.records, DPS_FR_HEADER | DPS_FR_IPV4_TUN_INGRESS | DPS_FR_VNI_INGRESS |
				     DPS_FR_DECAP_INGRESS);
	assert_int_equal(fs.tun4_ingress.dst_port, 4789);
	export_part(vxlan_frame, sizeof(vxlan_frame), 98, &fs);
	assert_true(fs.records & DPS_FR_IPV4);
	assert_int_equal(fs.ipv4.tcp_flags, 0x02);
}

static void
test_no_view_only_header(void **state)
{
	struct dps_flow_sample fs;
	struct dps_flow_export_in in = { .source_ifindex = 1, .frame_len = 60, .header_len = 60,
					 .header = vlan_frame };

	(void)state;
	dps_flow_export_fill(&fs, &in, NULL);
	assert_int_equal(fs.records, DPS_FR_HEADER);
	assert_int_equal(fs.header.frame_length, 64);
}

static void
test_encodes(void **state)
{
	struct dps_flow_sample fs;
	uint8_t buf[1024];
	struct dps_xdr x;

	(void)state;
	export(vxlan_frame, sizeof(vxlan_frame), &fs);
	dps_xdr_init(&x, buf, sizeof(buf));
	assert_int_equal(dps_encode_flow_sample(&x, &fs, 1, DPS_FR_ALL), 0);
	assert_int_equal(x.len, dps_flow_sample_size(&fs, DPS_FR_ALL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vxlan_records),
		cmocka_unit_test(test_vlan_records),
		cmocka_unit_test(test_ipv6_record),
		cmocka_unit_test(test_view_of_longer_header),
		cmocka_unit_test(test_no_view_only_header),
		cmocka_unit_test(test_encodes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
