/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_ovs_db.c - the OVSDB client's pure helpers (ovs_db_view.c) and, in a build with
 * libopenvswitch (ovs_db.c):
 *  - OVS's own formatter on the golden action blobs of tests/tunnel_decode/ovs/ gives, byte for
 *    byte, the "Datapath actions:" lines a real ovs-vswitchd 3.1.0 printed
 *    (ovs310_datapath_actions.txt): the blobs the decoder is tested with are what OVS builds;
 *  - a database that is not there is a start-up error naming it, within the wait given.
 * The client against a real ovsdb-server is tests/ovs/test_ovsdb_follow.py.
 */
#include <time.h>

#include "odp_blob.h"
#include "dps_sampling.h"
#include "ovs_db.h"

#ifndef ACTIONS_TXT
#error "ACTIONS_TXT: path of ovs310_datapath_actions.txt"
#endif

static const uint8_t hdr_vxlan4[50] = ODP_HDR_VXLAN4_INIT;

/* The "Datapath actions:" line that follows "== <flow_actions>" in the capture. */
static void captured(const char *flow_actions, char *out, size_t len)
{
	FILE *f = fopen(ACTIONS_TXT, "r");
	char line[4096], want[512];
	bool next = false;

	assert_non_null(f);
	snprintf(want, sizeof(want), "== %s\n", flow_actions);
	out[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		if (next && strncmp(line, "Datapath actions: ", 18) == 0) {
			snprintf(out, len, "%s", line + 18);
			out[strcspn(out, "\n")] = '\0';
			break;
		}
		next = strcmp(line, want) == 0;
	}
	fclose(f);
	assert_true(out[0] != '\0');
}

static void assert_ovs_text(const struct blob *b, const char *flow_actions)
{
	char want[4096], got[4096];
	/* OVS reads attributes in place, 4-byte aligned, as in its own buffers */
	static uint32_t aligned[BLOB_MAX / 4];

	captured(flow_actions, want, sizeof(want));
	memcpy(aligned, b->buf, b->len);
	assert_true(dps_ovsdb_format_actions(aligned, b->len, got, sizeof(got)));
	assert_string_equal(got, want);
}

static void test_format_tnl_push_vxlan(void **state)
{
	struct blob b;

	(void)state;
	if (!dps_ovsdb_available(NULL, 0))
		skip();
	b_init(&b);
	b_sflow_sample(&b, 0, 2147483649u);
	b_tnl_push(&b, 4789, 100, 4, hdr_vxlan4, sizeof hdr_vxlan4);
	b_u32(&b, ODP_A_OUTPUT, 4);
	assert_ovs_text(&b, "output:2");
}

static void test_format_vlan_and_mpls_stacks(void **state)
{
	struct blob b;

	(void)state;
	if (!dps_ovsdb_available(NULL, 0))
		skip();
	b_init(&b);
	b_sflow_sample(&b, 20, 2147483649u);
	b_push_vlan(&b, 0x88a8, 0x1000 | 100);
	b_push_vlan(&b, 0x8100, 0x1000 | 20);
	b_tnl_push(&b, 4789, 100, 4, hdr_vxlan4, sizeof hdr_vxlan4);
	b_u32(&b, ODP_A_OUTPUT, 4);
	assert_ovs_text(&b, "actions=push_vlan:0x88a8,set_field:4196->vlan_vid,push_vlan:0x8100,"
			    "set_field:4116->vlan_vid,output:2");

	b_init(&b);
	b_sflow_sample(&b, 0, 2147483649u);
	b_push_mpls(&b, ODP_A_PUSH_MPLS, mpls_lse(1000, 0, 1, 64), 0x8847, 0);
	b_push_mpls(&b, ODP_A_PUSH_MPLS, mpls_lse(2000, 0, 0, 64), 0x8847, 0);
	b_tnl_push(&b, 4789, 100, 4, hdr_vxlan4, sizeof hdr_vxlan4);
	b_u32(&b, ODP_A_OUTPUT, 4);
	assert_ovs_text(&b, "actions=push_mpls:0x8847,set_field:1000->mpls_label,push_mpls:0x8847,"
			    "set_field:2000->mpls_label,output:2");
}

static void test_format_malformed_is_bounded(void **state)
{
	uint32_t bad[2] = {0, 0};
	char out[256];

	(void)state;
	if (!dps_ovsdb_available(NULL, 0))
		skip();
	/* an attribute claiming 40 bytes in an 8-byte list: OVS prints an error, reads nothing
	 * past the list (ASan watches) */
	uint16_t len = 40, type = ODP_A_OUTPUT;
	memcpy(bad, &len, 2);
	memcpy((uint8_t *)bad + 2, &type, 2);
	assert_true(dps_ovsdb_format_actions(bad, sizeof(bad), out, sizeof(out)));
	assert_true(strlen(out) < sizeof(out));
}

static void test_missing_database_is_a_clear_error(void **state)
{
	char err[512] = "";
	struct timespec t0, t1;

	(void)state;
	if (!dps_ovsdb_available(NULL, 0)) {
		assert_null(dps_ovsdb_start("unix:/nonexistent/db.sock", "", 100, err, sizeof(err)));
		assert_non_null(strstr(err, "without libopenvswitch"));
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_null(dps_ovsdb_start("unix:/nonexistent-dpsflow/db.sock", "", 300, err,
				    sizeof(err)));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_non_null(strstr(err, "unix:/nonexistent-dpsflow/db.sock"));
	assert_non_null(strstr(err, "No such file or directory"));
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(secs >= 0.25 && secs < 3.0);
}

static struct dps_ovsdb_view view;

static struct dps_ovsdb_iface *add_iface(const char *bridge, const char *name, uint32_t odp,
					 uint32_t ifindex)
{
	struct dps_ovsdb_iface *f = &view.ifaces[view.n_ifaces++];

	memset(f, 0xff, sizeof(*f)); /* every statistic unknown */
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->bridge, sizeof(f->bridge), "%s", bridge);
	f->type[0] = '\0';
	f->odp_port = odp;
	f->ifindex = ifindex;
	f->has_ifindex = true;
	f->ofport = 1;
	f->link_speed_bps = 0;
	f->admin_up = f->link_up = f->full_duplex = f->has_mac = false;
	f->has_stats = true;
	return f;
}

static void test_port_table_only_named_ports(void **state)
{
	struct dps_ovs_port_table t;

	(void)state;
	memset(&view, 0, sizeof(view));
	add_iface("br0", "p0", 2, 16410445);
	add_iface("br0", "vx0", 3, 0);
	add_iface("br1", "fresh", DPS_OVS_PORT_UNKNOWN, 77); /* dpif/show has not named it */
	add_iface("br1", "new", 9, 0)->has_ifindex = false; /* ifindex column still empty */
	dps_ovsdb_port_table(&view, &t);
	assert_int_equal(t.n, 2);
	const struct dps_ovs_port *p = dps_ovs_port_find(&t, 2);
	assert_non_null(p);
	assert_string_equal(p->name, "p0");
	assert_string_equal(p->bridge, "br0");
	assert_int_equal(p->ifindex, 16410445);
	p = dps_ovs_port_find(&t, 3);
	assert_non_null(p);
	assert_int_equal(p->ifindex, 0);
	assert_null(dps_ovs_port_find(&t, DPS_OVS_PORT_UNKNOWN));
	assert_null(dps_ovs_port_find(&t, 9));
}

static void test_governing_row_and_conflict(void **state)
{
	const char *conflict;
	const char *only_br1[] = {"br1"};

	(void)state;
	memset(&view, 0, sizeof(view));
	view.n_bridges = 3;
	snprintf(view.bridges[0].name, DPS_OVS_NAME_MAX, "br-int");
	snprintf(view.bridges[1].name, DPS_OVS_NAME_MAX, "br0");
	view.bridges[1].has_sflow = true;
	view.bridges[1].sflow.sampling = 1000;
	snprintf(view.bridges[2].name, DPS_OVS_NAME_MAX, "br1");
	view.bridges[2].has_sflow = true;
	view.bridges[2].sflow.sampling = 1000;

	const struct dps_ovsdb_bridge *b = dps_ovsdb_governing(&view, NULL, 0, &conflict);
	assert_non_null(b);
	assert_string_equal(b->name, "br0");
	assert_null(conflict); /* same row content on br0 and br1 */

	view.bridges[2].sflow.sampling = 500;
	b = dps_ovsdb_governing(&view, NULL, 0, &conflict);
	assert_string_equal(b->name, "br0");
	assert_non_null(conflict);
	assert_string_equal(conflict, "br1");

	b = dps_ovsdb_governing(&view, only_br1, 1, &conflict);
	assert_string_equal(b->name, "br1");
	assert_null(conflict);

	view.bridges[1].has_sflow = view.bridges[2].has_sflow = false;
	assert_null(dps_ovsdb_governing(&view, NULL, 0, &conflict));

	assert_true(dps_ovsdb_bridge_wanted(NULL, 0, "anything"));
	assert_true(dps_ovsdb_bridge_wanted(only_br1, 1, "br1"));
	assert_false(dps_ovsdb_bridge_wanted(only_br1, 1, "br10"));
}

static void test_iface_counters(void **state)
{
	struct dps_counters_sample cs;

	(void)state;
	memset(&view, 0, sizeof(view));
	struct dps_ovsdb_iface *f = add_iface("br0", "vhu1234", 5, 4242);
	f->link_speed_bps = 10000000000ull;
	f->full_duplex = true;
	f->admin_up = true;
	f->link_up = true;
	f->rx_packets = 1000;
	f->rx_bytes = 64000;
	f->rx_multicast = 10;          /* broadcast unknown: counted as unicast */
	f->rx_dropped = 3;
	f->tx_packets = 5000000000ull; /* 32-bit counters wrap, as SNMP's */
	f->tx_bytes = 1ull << 40;
	f->tx_errors = 2;

	dps_ovsdb_iface_counters(f, 4242, &cs);
	assert_int_equal(cs.source_type, DPS_SFLOW_DS_IFINDEX);
	assert_int_equal(cs.source_index, 4242);
	assert_int_equal(cs.records, DPS_CR_GENERIC | DPS_CR_PORT_NAME);
	assert_string_equal(cs.port_name, "vhu1234");
	assert_int_equal(cs.generic.ifIndex, 4242);
	assert_int_equal(cs.generic.ifType, 6);
	assert_true(cs.generic.ifSpeed == 10000000000ull);
	assert_int_equal(cs.generic.ifDirection, 1);
	assert_int_equal(cs.generic.ifStatus, 3);
	assert_true(cs.generic.ifInOctets == 64000);
	assert_int_equal(cs.generic.ifInUcastPkts, 990);
	assert_int_equal(cs.generic.ifInMulticastPkts, 10);
	assert_int_equal(cs.generic.ifInBroadcastPkts, DPS_SFLOW_UNKNOWN_COUNTER);
	assert_int_equal(cs.generic.ifInDiscards, 3);
	assert_int_equal(cs.generic.ifInErrors, DPS_SFLOW_UNKNOWN_COUNTER);
	assert_int_equal(cs.generic.ifOutUcastPkts, (uint32_t)5000000000ull);
	assert_true(cs.generic.ifOutOctets == 1ull << 40);
	assert_int_equal(cs.generic.ifOutErrors, 2);
	assert_int_equal(cs.generic.ifOutDiscards, DPS_SFLOW_UNKNOWN_COUNTER);

	/* nothing known: octets 0, packet counters unknown, link state down */
	f = add_iface("br0", "vx0", 6, 0);
	dps_ovsdb_iface_counters(f, 99, &cs);
	assert_true(cs.generic.ifInOctets == 0);
	assert_int_equal(cs.generic.ifInUcastPkts, DPS_SFLOW_UNKNOWN_COUNTER);
	assert_int_equal(cs.generic.ifStatus, 0);
	assert_int_equal(cs.generic.ifDirection, 0);

	/* the encoder accepts it (generic + 1005) */
	assert_true(dps_counters_sample_size(&cs) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_tnl_push_vxlan),
		cmocka_unit_test(test_format_vlan_and_mpls_stacks),
		cmocka_unit_test(test_format_malformed_is_bounded),
		cmocka_unit_test(test_missing_database_is_a_clear_error),
		cmocka_unit_test(test_port_table_only_named_ports),
		cmocka_unit_test(test_governing_row_and_conflict),
		cmocka_unit_test(test_iface_counters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
