/* Golden encodings of counters samples (generic, ethernet, port name) written by hand. */
#include <errno.h>

#include "dps_sampling.h"
#include "golden.h"

static struct dps_counters_sample sample(void)
{
	struct dps_counters_sample cs = {
		.source_type = DPS_SFLOW_DS_IFINDEX, .source_index = 3,
		.records = DPS_CR_GENERIC | DPS_CR_ETHERNET | DPS_CR_PORT_NAME,
		.generic = {
			.ifIndex = 3, .ifType = 6, .ifSpeed = 10000000000ull,
			.ifDirection = 1, .ifStatus = 3,
			.ifInOctets = 0x0000000100000002ull,
			.ifInUcastPkts = 10, .ifInMulticastPkts = 11, .ifInBroadcastPkts = 12,
			.ifInDiscards = 13, .ifInErrors = 14, .ifInUnknownProtos = 15,
			.ifOutOctets = 0xffffffff00000001ull,
			.ifOutUcastPkts = 20, .ifOutMulticastPkts = 21, .ifOutBroadcastPkts = 22,
			.ifOutDiscards = 23, .ifOutErrors = 24, .ifPromiscuousMode = 1,
		},
		.eth = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, DPS_SFLOW_UNKNOWN_COUNTER },
		.port_name = "dpdk0",
	};
	return cs;
}

static void test_counters_all_records(void **state)
{
	(void)state;
	struct dps_counters_sample cs = sample();
	static const uint8_t want[] = {
		U32(2),          /* data_format: counters_sample */
		U32(188),        /* length: 12 + 96 + 60 + 20 */
		U32(9),          /* sequence_number */
		U32(0x00000003), /* source_id: ifIndex 3 */
		U32(3),          /* number of records */
		U32(1), U32(88), /* generic interface counters */
		U32(3),          /* ifIndex */
		U32(6),          /* ifType ethernetCsmacd */
		U32(0x00000002), U32(0x540be400), /* ifSpeed 10e9 (u64) */
		U32(1),          /* ifDirection full duplex */
		U32(3),          /* ifStatus admin+oper up */
		U32(1), U32(2),  /* ifInOctets (u64) */
		U32(10), U32(11), U32(12), U32(13), U32(14), U32(15),
		U32(0xffffffff), U32(1), /* ifOutOctets (u64) */
		U32(20), U32(21), U32(22), U32(23), U32(24),
		U32(1),          /* ifPromiscuousMode */
		U32(2), U32(52), /* ethernet counters: 13 words */
		U32(1), U32(2), U32(3), U32(4), U32(5), U32(6), U32(7), U32(8), U32(9),
		U32(10), U32(11), U32(12),
		U32(0xffffffff), /* dot3StatsSymbolErrors unknown */
		U32(1005), U32(12), /* port name: length word + 8 padded bytes */
		U32(5),          /* string length */
		'd', 'p', 'd', 'k', '0', 0, 0, 0,  /* "dpdk0" + 3 bytes of padding */
	};
	uint8_t buf[512];
	struct dps_xdr x;
	dps_xdr_init(&x, buf, sizeof(buf));
	assert_int_equal(dps_counters_sample_size(&cs), sizeof(want));
	assert_int_equal(dps_encode_counters_sample(&x, &cs, 9), 0);
	assert_bytes(buf, x.len, want, sizeof(want));
}

static void test_counters_expanded_port_name_only(void **state)
{
	(void)state;
	struct dps_counters_sample cs = { .source_type = 0, .source_index = 0x12345678,
					  .records = DPS_CR_PORT_NAME, .port_name = "vhost-user1" };
	static const uint8_t want[] = {
		U32(4),          /* counters_sample_expanded */
		U32(16 + 8 + 16),/* length: 4 words + record */
		U32(1),          /* sequence_number */
		U32(0),          /* source_id_type */
		U32(0x12345678), /* source_id_index */
		U32(1),          /* one record */
		U32(1005), U32(16),
		U32(11),         /* "vhost-user1" */
		'v', 'h', 'o', 's', 't', '-', 'u', 's', 'e', 'r', '1', 0,
	};
	uint8_t buf[128];
	struct dps_xdr x;
	dps_xdr_init(&x, buf, sizeof(buf));
	assert_int_equal(dps_encode_counters_sample(&x, &cs, 1), 0);
	assert_bytes(buf, x.len, want, sizeof(want));
}

static void test_port_name_limits(void **state)
{
	(void)state;
	char name[DPS_MAX_PORT_NAME + 2];
	memset(name, 'a', sizeof(name));
	name[DPS_MAX_PORT_NAME] = 0;
	struct dps_counters_sample cs = { .records = DPS_CR_PORT_NAME, .port_name = name };
	uint8_t buf[512];
	struct dps_xdr x;
	dps_xdr_init(&x, buf, sizeof(buf));
	assert_int_equal(dps_encode_counters_sample(&x, &cs, 1), 0);
	assert_int_equal(x.len, 20 + 8 + 4 + 256);   /* 255 bytes padded to 256 */
	assert_int_equal(rd32(buf + 28), 255);
	assert_int_equal(buf[x.len - 1], 0);
	name[DPS_MAX_PORT_NAME] = 'a';
	name[DPS_MAX_PORT_NAME + 1] = 0;
	dps_xdr_init(&x, buf, sizeof(buf));
	assert_int_equal(dps_encode_counters_sample(&x, &cs, 1), -EINVAL);
	assert_int_equal(x.len, 0);
	/* Empty name (and NULL) is a zero-length string: length word only. */
	cs.port_name = NULL;
	assert_int_equal(dps_encode_counters_sample(&x, &cs, 1), 0);
	static const uint8_t want[] = { U32(2), U32(24), U32(1), U32(0), U32(1),
					U32(1005), U32(4), U32(0) };
	assert_bytes(buf, x.len, want, sizeof(want));
}

static void test_counters_no_room(void **state)
{
	(void)state;
	struct dps_counters_sample cs = sample();
	uint8_t buf[512];
	memset(buf, 0x5a, sizeof(buf));
	struct dps_xdr x;
	dps_xdr_init(&x, buf, dps_counters_sample_size(&cs) - 1);
	assert_int_equal(dps_encode_counters_sample(&x, &cs, 1), -ENOSPC);
	assert_int_equal(x.len, 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0x5a);
}

static void test_datagram_header_ipv4_ipv6(void **state)
{
	(void)state;
	struct dps_sflow_addr v4, v6;
	assert_int_equal(dps_sflow_addr_parse(&v4, "192.0.2.7"), 0);
	assert_int_equal(dps_sflow_addr_parse(&v6, "2001:db8::7"), 0);
	assert_int_equal(dps_sflow_addr_parse(&v6, "not-an-address"), -EINVAL);
	assert_int_equal(dps_sflow_addr_parse(&v6, "2001:db8::7"), 0);
	uint8_t buf[64];
	struct dps_xdr x;
	dps_xdr_init(&x, buf, sizeof(buf));
	assert_int_equal(dps_datagram_header_size(&v4), 28);
	assert_int_equal(dps_encode_datagram_header(&x, &v4, 1, 0x01020304, 123456789, 5), 0);
	static const uint8_t want4[] = {
		U32(5),          /* version */
		U32(1),          /* agent address type IPv4 */
		192, 0, 2, 7,    /* agent address */
		U32(1),          /* sub_agent_id */
		U32(0x01020304), /* sequence_number */
		U32(123456789),  /* uptime ms */
		U32(5),          /* number of samples */
	};
	assert_bytes(buf, x.len, want4, sizeof(want4));
	dps_xdr_init(&x, buf, sizeof(buf));
	assert_int_equal(dps_datagram_header_size(&v6), 40);
	assert_int_equal(dps_encode_datagram_header(&x, &v6, 0, 1, 0, 0), 0);
	static const uint8_t want6[] = {
		U32(5),
		U32(2),          /* agent address type IPv6 */
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7,
		U32(0), U32(1), U32(0), U32(0),
	};
	assert_bytes(buf, x.len, want6, sizeof(want6));
	dps_xdr_init(&x, buf, 39);
	assert_int_equal(dps_encode_datagram_header(&x, &v6, 0, 1, 0, 0), -ENOSPC);
}

int main(void)
{
	cmocka_output_to_stdout();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counters_all_records),
		cmocka_unit_test(test_counters_expanded_port_name_only),
		cmocka_unit_test(test_port_name_limits),
		cmocka_unit_test(test_counters_no_room),
		cmocka_unit_test(test_datagram_header_ipv4_ipv6),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
