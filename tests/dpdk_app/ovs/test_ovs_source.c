/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of dpdk_app/ovs/ovs_source.c end to end, without OVS: a ring file written by
 * the test (ovs_producer.h), the source with port_map=false, a real dps_agent sending to a
 * UDP socket on 127.0.0.1 that the test reads and decodes at the sFlow v5 offsets.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "dps_config.h"
#include "ovs_producer.h"
#include "ovs_source.h"

/* Ethernet / IPv4 10.1.0.1 -> 10.1.0.2 / TCP 40000 -> 443 SYN (first 54 bytes of 1000) */
static const uint8_t tcp_frame[54] = {
	0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
	0x45, 0x10, 0x03, 0xda, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 1, 0, 1, 10, 1, 0, 2,
	0x9c, 0x40, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0x20, 0x00, 0, 0, 0, 0,
};

struct fixture {
	char dir[128];
	char path[256];
	struct producer prod;
	struct dps_config *cfg;
	struct dps_decode_config dcfg;
	int sock;
	uint16_t port;
	struct dps_agent *agent;
	struct dps_ovs_source *src;
};

static int udp_receiver(uint16_t *port)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct dps_agent_config ac;
	char err[512];

	assert_non_null(fx);
	prod_tmpdir(fx->dir, sizeof(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/sflow-ring", fx->dir);
	fx->cfg = calloc(1, sizeof(*fx->cfg));
	assert_non_null(fx->cfg);
	dps_config_init(fx->cfg);
	fx->cfg->has_ovs = true;
	fx->cfg->n_ovs_rings = 1;
	snprintf(fx->cfg->ovs_rings[0], sizeof(fx->cfg->ovs_rings[0]), "%.200s", fx->path);
	dps_decode_config_init(&fx->dcfg);

	fx->sock = udp_receiver(&fx->port);
	memset(&ac, 0, sizeof(ac));
	assert_int_equal(dps_sflow_addr_parse(&ac.agent_addr, "192.0.2.9"), 0);
	ac.datagram_bytes = 8000;
	ac.n_collectors = 1;
	assert_int_equal(dps_sflow_addr_parse(&ac.collectors[0].addr, "127.0.0.1"), 0);
	ac.collectors[0].port = fx->port;
	ac.collectors[0].tunnel_records = true;
	fx->agent = dps_agent_create(&ac);
	assert_non_null(fx->agent);

	fx->src = dps_ovs_source_create(fx->cfg, DPS_OVS_MAP_NONE, err, sizeof(err));
	assert_non_null(fx->src);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	dps_ovs_source_destroy(fx->src);
	dps_agent_destroy(fx->agent, 0);
	close(fx->sock);
	prod_remove(&fx->prod);
	rmdir(fx->dir);
	free(fx->cfg);
	free(fx);
	return 0;
}

static void push(struct fixture *fx, unsigned ring, uint32_t odp_port, uint64_t pool,
		 uint64_t drops, const uint8_t *actions, uint16_t actions_len)
{
	struct dps_ovs_record rec;

	memset(&rec, 0, sizeof(rec));
	rec.sample_pool = pool;
	rec.drops = drops;
	rec.frame_length = 1000;
	rec.in_odp_port = odp_port;
	rec.sampling_rate = 100;
	rec.sflow_output = 5;
	memcpy(rec.header, tcp_frame, sizeof(tcp_frame));
	rec.header_length = sizeof(tcp_frame);
	if (actions_len != 0)
		memcpy(rec.actions, actions, actions_len);
	rec.actions_length = actions_len;
	prod_push(&fx->prod, ring, &rec);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The flow samples the collector received: fields at their sFlow v5 offsets. */
struct got_sample {
	uint32_t seq, source_id, rate, pool, drops, input, output, n_records;
};

static unsigned receive(struct fixture *fx, struct got_sample *out, unsigned max,
			unsigned *n_datagrams)
{
	static uint8_t d[65536];
	unsigned n = 0;
	struct pollfd pfd = { .fd = fx->sock, .events = POLLIN };

	*n_datagrams = 0;
	while (poll(&pfd, 1, 200) == 1) {
		ssize_t len = recv(fx->sock, d, sizeof(d), 0);
		assert_true(len >= 28);
		(*n_datagrams)++;
		assert_int_equal(rd32(d), 5);                 /* version */
		assert_int_equal(rd32(d + 4), 1);             /* agent address: IPv4 */
		static const uint8_t agent[4] = { 192, 0, 2, 9 };
		assert_memory_equal(d + 8, agent, 4);
		uint32_t n_samples = rd32(d + 24);
		size_t off = 28;
		for (uint32_t i = 0; i < n_samples; i++) {
			assert_true(off + 8 <= (size_t)len);
			uint32_t format = rd32(d + off), slen = rd32(d + off + 4);
			assert_true(off + 8 + slen <= (size_t)len);
			assert_int_equal(format, DPS_SFLOW_FLOW_SAMPLE); /* compact format 1 */
			const uint8_t *b = d + off + 8;
			assert_true(n < max);
			out[n].seq = rd32(b);
			out[n].source_id = rd32(b + 4);
			out[n].rate = rd32(b + 8);
			out[n].pool = rd32(b + 12);
			out[n].drops = rd32(b + 16);
			out[n].input = rd32(b + 20);
			out[n].output = rd32(b + 24);
			out[n].n_records = rd32(b + 28);
			n++;
			off += 8 + slen;
		}
		assert_int_equal(off, (size_t)len);
	}
	return n;
}

static void test_create_needs_rings_and_db(void **state)
{
	struct fixture *fx = *state;
	char err[512];

	fx->cfg->has_ovs = false;
	assert_null(dps_ovs_source_create(fx->cfg, DPS_OVS_MAP_NONE, err, sizeof(err)));
	assert_non_null(strstr(err, "ring = "));
	fx->cfg->has_ovs = true;
	fx->cfg->n_ovs_rings = 0;
	assert_null(dps_ovs_source_create(fx->cfg, DPS_OVS_MAP_NONE, err, sizeof(err)));
	assert_non_null(strstr(err, "ring = "));
	fx->cfg->n_ovs_rings = 1;
	fx->cfg->ovs_db[0] = '\0';
	assert_null(dps_ovs_source_create(fx->cfg, DPS_OVS_MAP_TOOLS, err, sizeof(err)));
	assert_non_null(strstr(err, "db = "));
	snprintf(fx->cfg->ovs_db, sizeof(fx->cfg->ovs_db), "tcp:127.0.0.1:6640");
	assert_null(dps_ovs_source_create(fx->cfg, DPS_OVS_MAP_TOOLS, err, sizeof(err)));
	assert_non_null(strstr(err, "unix:/"));
}

static void test_no_ring_file_yet(void **state)
{
	struct fixture *fx = *state;
	struct dps_ovs_source_stats st;
	char *log = NULL;
	size_t loglen = 0;
	FILE *f = open_memstream(&log, &loglen);

	assert_non_null(f);
	assert_int_equal(dps_ovs_source_poll(fx->src, fx->agent, &fx->dcfg, 128, NULL, 0, 0), 0);
	dps_ovs_source_get_stats(fx->src, &st);
	assert_int_equal(st.n_rings, 1);
	assert_int_equal(st.n_attached, 0);
	assert_int_equal(st.attaches, 0);
	assert_int_equal(st.records, 0);
	assert_non_null(strstr(st.state, fx->path));
	assert_non_null(strstr(st.state, "No such file"));
	dps_ovs_source_log(fx->src, f);
	dps_ovs_source_log(fx->src, f); /* nothing new: nothing logged */
	fclose(f);
	char want[2048];
	snprintf(want, sizeof(want), "dpsflow: ovs ring detached: %s: No such file or "
		 "directory\n", fx->path);
	assert_string_equal(log, want);
	free(log);
}

static void test_pools_summed_over_pmd_rings(void **state)
{
	struct fixture *fx = *state;
	struct dps_ovs_source_stats st;
	struct dps_agent_stats ast;
	struct got_sample got[16];
	unsigned n_dgrams;
	static const uint8_t bad_actions[4] = { 0, 0, 1, 0 }; /* nla_len 0 */
	char *print = NULL, *log = NULL;
	size_t printlen = 0, loglen = 0;
	FILE *pf = open_memstream(&print, &printlen);
	FILE *lf = open_memstream(&log, &loglen);

	assert_non_null(pf);
	assert_non_null(lf);
	prod_create(&fx->prod, fx->path, 2, 1);
	/* the producers' per-port counters: 7 + 4 + 1 dropped, 2 more unaccounted; a free slot's
	 * counters do not count */
	prod_port(&fx->prod, 0, 0, 2, 300, 2, 7);
	prod_port(&fx->prod, 1, 0, 2, 70, 2, 4);
	prod_port(&fx->prod, 1, 1, 3, 1001, 2, 1);
	fx->prod.f->rings[1].ports[2].drops = 100;
	fx->prod.f->rings[1].unaccounted_drops = 2;

	/* pass 1: port 2 on both PMDs, port 3 on the second */
	push(fx, 0, 2, 100, 1, NULL, 0);
	push(fx, 1, 2, 50, 2, NULL, 0);
	push(fx, 1, 3, 1000, 1, NULL, 0);
	assert_int_equal(dps_ovs_source_poll(fx->src, fx->agent, &fx->dcfg, 128, pf, 1000, 0), 3);
	dps_ovs_source_log(fx->src, lf);
	/* pass 2: newer pools from both PMDs, and an action list that does not decode */
	push(fx, 0, 2, 300, 5, NULL, 0);
	push(fx, 1, 2, 70, 4, NULL, 0);
	push(fx, 1, 3, 1001, 1, bad_actions, sizeof(bad_actions));
	assert_int_equal(dps_ovs_source_poll(fx->src, fx->agent, &fx->dcfg, 128, pf, 1100, 0), 3);
	dps_ovs_source_log(fx->src, lf);
	fclose(pf);
	fclose(lf);

	dps_ovs_source_get_stats(fx->src, &st);
	assert_int_equal(st.n_rings, 1);
	assert_int_equal(st.n_attached, 1);
	assert_int_equal(st.attaches, 1);
	assert_int_equal(st.records, 6);
	assert_int_equal(st.exported, 6);
	assert_int_equal(st.ring_drops, 7 + 4 + 1 + 2);
	assert_int_equal(st.abandoned, 0);
	assert_int_equal(st.unmapped, 6);   /* no port map: no ifIndex for anyone */
	assert_int_equal(st.actions_bad, 1);
	assert_string_equal(st.state, "attached");
	dps_agent_get_stats(fx->agent, &ast);
	assert_int_equal(ast.flow_samples, 6);
	assert_int_equal(ast.rejected, 0);

	dps_agent_flush(fx->agent, 1200);
	assert_int_equal(receive(fx, got, 16, &n_dgrams), 6);
	assert_int_equal(n_dgrams, 1);
	/* each sample's pool: the last pool every PMD ring reported for its input port, summed */
	static const uint32_t want_pool[6] = { 100, 100 + 50, 1000, 300 + 50, 300 + 70, 1001 };
	static const uint32_t want_drops[6] = { 1, 1 + 2, 1, 5 + 2, 5 + 4, 1 };
	for (unsigned i = 0; i < 6; i++) {
		assert_int_equal(got[i].seq, i + 1);  /* one data source (ifIndex 0): 1..6 */
		assert_int_equal(got[i].source_id, 0);
		assert_int_equal(got[i].rate, 100);
		assert_int_equal(got[i].pool, want_pool[i]);
		assert_int_equal(got[i].drops, want_drops[i]);
		assert_int_equal(got[i].input, 0);
		assert_int_equal(got[i].output, 5);
		assert_int_equal(got[i].n_records, 2); /* sampled_header + sampled_ipv4 */
	}

	/* --print-samples: one sample line and one actions line per record */
	unsigned n_actions = 0, n_port3 = 0;
	for (const char *p = print; (p = strstr(p, "\"type\":\"ovs_actions\"")) != NULL; p++)
		n_actions++;
	for (const char *p = print; (p = strstr(p, "\"odp_port\":3,")) != NULL; p++)
		n_port3++;
	assert_int_equal(n_actions, 6);
	assert_int_equal(n_port3, 2);
	assert_non_null(strstr(print, "\"port\":\"ovs:unknown\""));
	free(print);

	char want[2048];
	snprintf(want, sizeof(want), "dpsflow: ovs ring %s attached (producer pid 4242, "
		 "2 rings)\n", fx->path);
	assert_string_equal(log, want);
	free(log);
}

static void test_ovs_restart_followed(void **state)
{
	struct fixture *fx = *state;
	struct dps_ovs_source_stats st;
	struct got_sample got[16];
	unsigned n_dgrams;
	char *log = NULL;
	size_t loglen = 0;
	FILE *lf = open_memstream(&log, &loglen);

	assert_non_null(lf);
	prod_create(&fx->prod, fx->path, 1, 1);
	push(fx, 0, 2, 10, 0, NULL, 0);
	/* budget 1 per ring: one record now, one left */
	push(fx, 0, 2, 20, 0, NULL, 0);
	assert_int_equal(dps_ovs_source_poll(fx->src, fx->agent, &fx->dcfg, 128, NULL, 0, 1), 1);
	dps_ovs_source_log(fx->src, lf);

	/* OVS restarts before the second record is read */
	prod_unmap(&fx->prod);
	prod_create(&fx->prod, fx->path, 1, 2);
	push(fx, 0, 2, 5, 0, NULL, 0);
	/* inside the re-check period: the old file is still drained */
	assert_int_equal(dps_ovs_source_poll(fx->src, fx->agent, &fx->dcfg, 128, NULL, 499, 0),
			 1);
	/* one period on: the new file */
	push(fx, 0, 2, 6, 0, NULL, 0);
	assert_int_equal(dps_ovs_source_poll(fx->src, fx->agent, &fx->dcfg, 128, NULL, 500, 0),
			 2);
	dps_ovs_source_log(fx->src, lf);
	fclose(lf);

	dps_ovs_source_get_stats(fx->src, &st);
	assert_int_equal(st.attaches, 2);
	assert_int_equal(st.records, 4);
	assert_int_equal(st.exported, 4);
	assert_int_equal(st.abandoned, 0);
	assert_int_equal(st.n_attached, 1);
	char want[2048];
	snprintf(want, sizeof(want), "dpsflow: ovs ring %s attached (producer pid 4242, 1 rings)\n"
		 "dpsflow: ovs ring %s attached (producer pid 4242, 1 rings)\n", fx->path, fx->path);
	assert_string_equal(log, want);
	free(log);

	dps_agent_flush(fx->agent, 600);
	assert_int_equal(receive(fx, got, 16, &n_dgrams), 4);
	/* per (reader, PMD ring) the last pool seen is kept: the new OVS's ring 0 replaces the
	 * old file's ring 0 figure (the pool restarts with OVS, as its counters do) */
	assert_int_equal(got[0].pool, 10);
	assert_int_equal(got[1].pool, 20);
	assert_int_equal(got[2].pool, 5);
	assert_int_equal(got[3].pool, 6);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

/* With the port map: stand-in ovs-appctl / ovs-vsctl first in PATH print OVS 3.1 output;
 * samples carry OVS's ifindex as data source and input, and a record from a port the table
 * does not know waits in its ring (up to DPS_OVS_HOLD_MS of now_ms) before going out as 0. */
static void test_port_map_from_ovs_tools(void **state)
{
	struct fixture *fx = *state;
	char tools[] = "/tmp/dps-ovs-tools-XXXXXX", path[512], script[1024], err[512];
	struct dps_ovs_source_stats st;
	struct got_sample got[16];
	unsigned n_dgrams;

	assert_non_null(mkdtemp(tools));
	snprintf(script, sizeof(script), "#!/bin/sh\ncat <<'EOF'\n"
		 "netdev@ovs-netdev: hit:1106696109 missed:2\n"
		 "  br0:\n"
		 "    br0 65534/1: (tap)\n"
		 "    p0 1/2: (dpdk: configured_rx_queues=1, mtu=1500)\n"
		 "    p1 2/3: (dpdk: configured_rx_queues=1, mtu=1500)\n"
		 "EOF\n");
	snprintf(path, sizeof(path), "%s/ovs-appctl", tools);
	write_file(path, script, 0755);
	snprintf(path, sizeof(path), "%s/ovs-vsctl", tools);
	write_file(path, "#!/bin/sh\nprintf 'p1,4656282\\nbr0,32\\np0,16410445\\n'\n", 0755);
	const char *old_path = getenv("PATH");
	char *saved = strdup(old_path ? old_path : "/usr/bin:/bin");
	char new_path[4096];
	snprintf(new_path, sizeof(new_path), "%s:%s", tools, saved);
	setenv("PATH", new_path, 1);

	snprintf(fx->cfg->ovs_db, sizeof(fx->cfg->ovs_db), "unix:%s/db.sock", tools);
	dps_ovs_source_destroy(fx->src);
	fx->src = dps_ovs_source_create(fx->cfg, DPS_OVS_MAP_TOOLS, err, sizeof(err));
	assert_non_null(fx->src);
	prod_create(&fx->prod, fx->path, 1, 1);
	push(fx, 0, 3, 40, 0, NULL, 0); /* p1 */

	/* the refresher runs in its thread: until its first table, p1's sample waits */
	unsigned got_n = 0;
	for (int i = 0; i < 500 && got_n == 0; i++) {
		got_n = dps_ovs_source_poll(fx->src, fx->agent, &fx->dcfg, 128, NULL, 100, 0);
		if (got_n == 0) {
			struct timespec ts = { 0, 10 * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	assert_int_equal(got_n, 1);

	/* datapath port 9 is not in OVS's answer: held until the hold expires */
	push(fx, 0, 9, 7, 0, NULL, 0);
	push(fx, 0, 2, 8, 0, NULL, 0); /* p0 queues behind it in the same ring */
	assert_int_equal(dps_ovs_source_poll(fx->src, fx->agent, &fx->dcfg, 128, NULL, 200, 0), 0);
	assert_int_equal(dps_ovs_source_poll(fx->src, fx->agent, &fx->dcfg, 128, NULL, 1199, 0),
			 0);
	assert_int_equal(dps_ovs_source_poll(fx->src, fx->agent, &fx->dcfg, 128, NULL, 1200, 0),
			 2);

	dps_ovs_source_get_stats(fx->src, &st);
	assert_int_equal(st.records, 3);
	assert_int_equal(st.exported, 3);
	assert_int_equal(st.unmapped, 1);
	dps_agent_flush(fx->agent, 1300);
	assert_int_equal(receive(fx, got, 16, &n_dgrams), 3);
	assert_int_equal(got[0].source_id, 4656282);  /* p1: OVS's ifindex */
	assert_int_equal(got[0].input, 4656282);
	assert_int_equal(got[0].pool, 40);
	assert_int_equal(got[1].source_id, 0);        /* port 9: unknown */
	assert_int_equal(got[1].input, 0);
	assert_int_equal(got[1].pool, 7);
	assert_int_equal(got[2].source_id, 16410445); /* p0 */
	assert_int_equal(got[2].input, 16410445);
	assert_int_equal(got[2].pool, 8);

	dps_ovs_source_destroy(fx->src); /* stops the refresher before PATH goes back */
	fx->src = NULL;
	setenv("PATH", saved, 1);
	free(saved);
	snprintf(path, sizeof(path), "%s/ovs-appctl", tools);
	unlink(path);
	snprintf(path, sizeof(path), "%s/ovs-vsctl", tools);
	unlink(path);
	rmdir(tools);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_needs_rings_and_db, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_ring_file_yet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pools_summed_over_pmd_rings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ovs_restart_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_map_from_ovs_tools, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
