/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of dpdk_app/ovs/ovs_ports.c: `ovs-appctl dpif/show` and `ovs-vsctl ... list
 * Interface` CSV parsing (the first sample is verbatim OVS 3.1 output), and the refresher
 * thread driven by stand-in ovs-appctl / ovs-vsctl scripts first in PATH.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ovs_ports.h"

static const char dpif_show_31[] =
	"netdev@ovs-netdev: hit:1106696109 missed:2\n"
	"  br0:\n"
	"    br0 65534/1: (tap)\n"
	"    p0 1/2: (dpdk: configured_rx_queues=1, configured_rxq_descriptors=2048, "
	"configured_tx_queues=2, configured_txq_descriptors=2048, lsc_interrupt_mode=false, "
	"mtu=1500, requested_rx_queues=1, requested_rxq_descriptors=2048, requested_tx_queues=2, "
	"requested_txq_descriptors=2048, rx_csum_offload=false, tx_tso_offload=false)\n"
	"    p1 2/3: (dpdk: configured_rx_queues=1, configured_rxq_descriptors=2048, "
	"configured_tx_queues=2, configured_txq_descriptors=2048, lsc_interrupt_mode=false, "
	"mtu=1500, requested_rx_queues=1, requested_rxq_descriptors=2048, requested_tx_queues=2, "
	"requested_txq_descriptors=2048, rx_csum_offload=false, tx_tso_offload=false)\n";

static const char ifindex_csv_31[] =
	"p1,4656282\n"
	"br0,32\n"
	"p0,16410445\n";

static struct dps_ovs_port_table *table_new(void)
{
	struct dps_ovs_port_table *t = calloc(1, sizeof(*t));
	assert_non_null(t);
	return t;
}

static void assert_port(const struct dps_ovs_port *p, uint32_t odp, uint32_t ofport,
			const char *name, const char *bridge, uint32_t ifindex)
{
	assert_non_null(p);
	assert_int_equal(p->odp_port, odp);
	assert_int_equal(p->ofport, ofport);
	assert_string_equal(p->name, name);
	assert_string_equal(p->bridge, bridge);
	assert_int_equal(p->ifindex, ifindex);
}

/* ------------------------------------------------------------------ parsing */

static void test_ovs31_sample(void **state)
{
	struct dps_ovs_port_table *t = table_new();

	(void)state;
	assert_int_equal(dps_ovs_parse_dpif_show(dpif_show_31, t), 3);
	assert_int_equal(t->n, 3);
	assert_port(&t->ports[0], 1, 65534, "br0", "br0", 0);
	assert_port(&t->ports[1], 2, 1, "p0", "br0", 0);
	assert_port(&t->ports[2], 3, 2, "p1", "br0", 0);

	assert_int_equal(dps_ovs_parse_ifindex_csv(ifindex_csv_31, t), 3);
	assert_port(dps_ovs_port_find(t, 1), 1, 65534, "br0", "br0", 32);
	assert_port(dps_ovs_port_find(t, 2), 2, 1, "p0", "br0", 16410445);
	assert_port(dps_ovs_port_find(t, 3), 3, 2, "p1", "br0", 4656282);
	assert_null(dps_ovs_port_find(t, 0));
	assert_null(dps_ovs_port_find(t, 4));
	free(t);
}

static void test_two_bridges_tunnel_patch(void **state)
{
	static const char text[] =
		"netdev@ovs-netdev: hit:17 missed:4\n"
		"  br-int:\n"
		"    br-int 65534/4: (tap)\n"
		"    patch-tun 2/none: (patch: peer=patch-int)\n"
		"    vhu0 1/5: (dpdkvhostuserclient: configured_rx_queues=1, mtu=1500)\n"
		"    vxlan0 3/4789: (vxlan: remote_ip=172.31.1.2)\n"
		"  br0:\n"
		"    br0 65534/1: (tap)\n"
		"    p0 1/2: (dpdk: configured_rx_queues=1, mtu=1500)\n";
	static const char csv[] =
		"vxlan0,9\n"
		"vhu0,\n"            /* no ifindex (yet) */
		"patch-tun,\n"
		"br-int,41\n"
		"p0,16410445\n"
		"br0,32\n"
		"gone,77\n";          /* an Interface the datapath does not show */
	struct dps_ovs_port_table *t = table_new();

	(void)state;
	assert_int_equal(dps_ovs_parse_dpif_show(text, t), 5);
	assert_port(&t->ports[0], 4, 65534, "br-int", "br-int", 0);
	assert_port(&t->ports[1], 5, 1, "vhu0", "br-int", 0);
	assert_port(&t->ports[2], 4789, 3, "vxlan0", "br-int", 0);
	assert_port(&t->ports[3], 1, 65534, "br0", "br0", 0);
	assert_port(&t->ports[4], 2, 1, "p0", "br0", 0);

	assert_int_equal(dps_ovs_parse_ifindex_csv(csv, t), 4);
	assert_port(dps_ovs_port_find(t, 4789), 4789, 3, "vxlan0", "br-int", 9);
	assert_port(dps_ovs_port_find(t, 5), 5, 1, "vhu0", "br-int", 0);
	assert_port(dps_ovs_port_find(t, 4), 4, 65534, "br-int", "br-int", 41);
	assert_port(dps_ovs_port_find(t, 1), 1, 65534, "br0", "br0", 32);
	free(t);
}

static void test_not_dpif_show(void **state)
{
	struct dps_ovs_port_table *t = table_new();

	(void)state;
	t->n = 5;
	assert_int_equal(dps_ovs_parse_dpif_show("", t), -1);
	assert_int_equal(t->n, 0);
	assert_int_equal(dps_ovs_parse_dpif_show("hello world\n  br0:\n    p0 1/2: (dpdk)\n", t),
			 -1);
	assert_int_equal(dps_ovs_parse_dpif_show(
		"ovs-appctl: cannot connect to \"/var/run/openvswitch/ovs-vswitchd.1.ctl\" "
		"(No such file or directory)\n", t), -1);
	assert_int_equal(dps_ovs_parse_dpif_show("\n\n\n", t), -1);
	/* a datapath with no bridge yet is dpif/show output with no port */
	assert_int_equal(dps_ovs_parse_dpif_show("netdev@ovs-netdev: hit:0 missed:0\n", t), 0);

	/* CSV garbage matches nothing and leaves the table alone */
	assert_int_equal(dps_ovs_parse_dpif_show(dpif_show_31, t), 3);
	assert_int_equal(dps_ovs_parse_ifindex_csv("p0\np1;7\n,5\np0,abc\np0,-1\np0,99999999999\n",
						   t), 0);
	for (unsigned i = 0; i < t->n; i++)
		assert_int_equal(t->ports[i].ifindex, 0);
	free(t);
}

static void test_name_limits(void **state)
{
	char name63[64], name64[65], text[1024], csv[256];
	struct dps_ovs_port_table *t = table_new();

	(void)state;
	memset(name63, 'n', 63);
	name63[63] = '\0';
	memset(name64, 'x', 64);
	name64[64] = '\0';
	snprintf(text, sizeof(text),
		 "netdev@ovs-netdev: hit:1 missed:1\n"
		 "  br0:\n"
		 "    %s 7/8: (dpdk: mtu=1500)\n"
		 "    %s 9/10: (dpdk: mtu=1500)\n"
		 "    p1 2/3: (dpdk: mtu=1500)\n", name63, name64);
	/* the 63-character name (the table's limit) is kept whole; a longer one is skipped
	 * rather than truncated onto another port's name */
	assert_int_equal(dps_ovs_parse_dpif_show(text, t), 2);
	assert_port(&t->ports[0], 8, 7, name63, "br0", 0);
	assert_int_equal(strlen(t->ports[0].name), 63);
	assert_port(&t->ports[1], 3, 2, "p1", "br0", 0);
	assert_null(dps_ovs_port_find(t, 10));

	snprintf(csv, sizeof(csv), "%s,123456\n%s,654321\n", name63, name64);
	assert_int_equal(dps_ovs_parse_ifindex_csv(csv, t), 1);
	assert_int_equal(dps_ovs_port_find(t, 8)->ifindex, 123456);
	free(t);
}

static void test_table_full(void **state)
{
	size_t cap = 64 + (DPS_OVS_MAX_PORTS + 10) * 40, len = 0;
	char *text = malloc(cap);
	struct dps_ovs_port_table *t = table_new();

	(void)state;
	assert_non_null(text);
	len += (size_t)snprintf(text + len, cap - len, "netdev@ovs-netdev: hit:1 missed:1\n"
				"  br0:\n");
	for (unsigned i = 0; i < DPS_OVS_MAX_PORTS + 10; i++)
		len += (size_t)snprintf(text + len, cap - len, "    vhu%u %u/%u: (dpdk)\n", i,
					i + 1, i + 100);
	assert_true(len < cap);
	assert_int_equal(dps_ovs_parse_dpif_show(text, t), DPS_OVS_MAX_PORTS);
	assert_port(&t->ports[DPS_OVS_MAX_PORTS - 1], DPS_OVS_MAX_PORTS - 1 + 100,
		    DPS_OVS_MAX_PORTS, "vhu1023", "br0", 0);
	assert_null(dps_ovs_port_find(t, DPS_OVS_MAX_PORTS + 100));
	free(text);
	free(t);
}

/* ------------------------------------------------------------------ refresher */

static void test_start_refuses_bad_db(void **state)
{
	char err[512];

	(void)state;
	assert_null(dps_ovs_ports_start("tcp:127.0.0.1:6640", 1000, err, sizeof(err)));
	assert_non_null(strstr(err, "tcp:127.0.0.1:6640"));
	assert_non_null(strstr(err, "unix:/"));
	assert_null(dps_ovs_ports_start("unix:db.sock", 1000, err, sizeof(err)));
	assert_non_null(strstr(err, "unix:db.sock"));
	assert_null(dps_ovs_ports_start("unix:/run/o'vs/db.sock", 1000, err, sizeof(err)));
	assert_non_null(strstr(err, "quote"));
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static char *read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	size_t n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_refresher_with_stand_in_tools(void **state)
{
	char dir[] = "/tmp/dps-ovs-ports-XXXXXX", path[512], script[1024], db[600], err[512];
	char buf[1024];
	struct dps_ovs_port_table *t = table_new();
	uint64_t gen = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dpif.txt", dir);
	write_file(path, dpif_show_31, 0644);
	snprintf(path, sizeof(path), "%s/ifindex.csv", dir);
	write_file(path, ifindex_csv_31, 0644);
	/* the stand-ins print the captured output and note how they were called */
	snprintf(script, sizeof(script),
		 "#!/bin/sh\necho \"$OVS_RUNDIR $*\" > %s/appctl.args\n"
		 "[ -e %s/fail ] && { echo 'ovs-appctl: cannot connect'; exit 1; }\n"
		 "cat %s/dpif.txt\n", dir, dir, dir);
	snprintf(path, sizeof(path), "%s/ovs-appctl", dir);
	write_file(path, script, 0755);
	snprintf(script, sizeof(script),
		 "#!/bin/sh\necho \"$*\" > %s/vsctl.args\ncat %s/ifindex.csv\n", dir, dir);
	snprintf(path, sizeof(path), "%s/ovs-vsctl", dir);
	write_file(path, script, 0755);
	const char *old_path = getenv("PATH");
	char *saved = strdup(old_path ? old_path : "/usr/bin:/bin");
	char new_path[4096];
	snprintf(new_path, sizeof(new_path), "%s:%s", dir, saved);
	setenv("PATH", new_path, 1);

	snprintf(db, sizeof(db), "unix:%s/db.sock", dir);
	struct dps_ovs_ports *p = dps_ovs_ports_start(db, 60000, err, sizeof(err));
	assert_non_null(p);
	bool got = false;
	for (int i = 0; i < 500 && !got; i++) {
		got = dps_ovs_ports_latest(p, t, &gen);
		if (!got)
			sleep_ms(10);
	}
	assert_true(got);
	assert_int_equal(gen, 1);
	assert_int_equal(t->n, 3);
	assert_port(dps_ovs_port_find(t, 2), 2, 1, "p0", "br0", 16410445);
	assert_port(dps_ovs_port_find(t, 3), 3, 2, "p1", "br0", 4656282);
	assert_port(dps_ovs_port_find(t, 1), 1, 65534, "br0", "br0", 32);
	dps_ovs_ports_error(p, err, sizeof(err));
	assert_string_equal(err, "");
	assert_false(dps_ovs_ports_latest(p, t, &gen)); /* nothing newer */

	snprintf(path, sizeof(path), "%s/appctl.args", dir);
	char want[700];
	snprintf(want, sizeof(want), "%s --timeout=2 dpif/show\n", dir);
	assert_string_equal(read_file(path, buf, sizeof(buf)), want);
	snprintf(path, sizeof(path), "%s/vsctl.args", dir);
	snprintf(want, sizeof(want), "--db=%s --timeout=2 --format=csv --data=bare --no-headings "
		 "--columns=name,ifindex list Interface\n", db);
	assert_string_equal(read_file(path, buf, sizeof(buf)), want);

	/* OVS goes away: the error is reported, the last good table kept */
	snprintf(path, sizeof(path), "%s/fail", dir);
	write_file(path, "", 0644);
	dps_ovs_ports_poke(p);
	err[0] = '\0';
	for (int i = 0; i < 500 && err[0] == '\0'; i++) {
		sleep_ms(10);
		dps_ovs_ports_error(p, err, sizeof(err));
	}
	assert_non_null(strstr(err, "ovs-appctl dpif/show"));
	assert_non_null(strstr(err, "cannot connect"));
	assert_false(dps_ovs_ports_latest(p, t, &gen));
	assert_int_equal(t->n, 3);
	unlink(path);

	/* a port added: the next refresh publishes generation 2 */
	snprintf(path, sizeof(path), "%s/dpif.txt", dir);
	char more[sizeof(dpif_show_31) + 64];
	snprintf(more, sizeof(more), "%s    p2 3/6: (dpdk: mtu=1500)\n", dpif_show_31);
	write_file(path, more, 0644);
	dps_ovs_ports_poke(p);
	got = false;
	for (int i = 0; i < 500 && !got; i++) {
		got = dps_ovs_ports_latest(p, t, &gen);
		if (!got)
			sleep_ms(10);
	}
	assert_true(got);
	assert_int_equal(gen, 2);
	assert_int_equal(t->n, 4);
	assert_port(dps_ovs_port_find(t, 6), 6, 3, "p2", "br0", 0);
	dps_ovs_ports_error(p, err, sizeof(err));
	assert_string_equal(err, "");

	dps_ovs_ports_stop(p);
	setenv("PATH", saved, 1);
	free(saved);
	const char *names[] = { "ovs-appctl", "ovs-vsctl", "dpif.txt", "ifindex.csv",
				"appctl.args", "vsctl.args" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	free(t);
}

/* A db path with nothing behind it: the thread reports the failure and stops cleanly. */
static void test_refresher_bogus_db(void **state)
{
	char err[512];
	struct dps_ovs_port_table *t = table_new();
	uint64_t gen = 0;

	(void)state;
	struct dps_ovs_ports *p = dps_ovs_ports_start("unix:/nonexistent-dpsflow-test/db.sock",
						      100, err, sizeof(err));
	assert_non_null(p);
	err[0] = '\0';
	for (int i = 0; i < 1000 && err[0] == '\0'; i++) {
		sleep_ms(10);
		dps_ovs_ports_error(p, err, sizeof(err));
	}
	assert_non_null(strstr(err, "OVS_RUNDIR=/nonexistent-dpsflow-test"));
	assert_false(dps_ovs_ports_latest(p, t, &gen));
	assert_int_equal(gen, 0);
	dps_ovs_ports_stop(p);
	dps_ovs_ports_stop(NULL);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ovs31_sample),
		cmocka_unit_test(test_two_bridges_tunnel_patch),
		cmocka_unit_test(test_not_dpif_show),
		cmocka_unit_test(test_name_limits),
		cmocka_unit_test(test_table_full),
		cmocka_unit_test(test_start_refuses_bad_db),
		cmocka_unit_test(test_refresher_with_stand_in_tools),
		cmocka_unit_test(test_refresher_bogus_db),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
