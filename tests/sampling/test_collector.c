/* Collectors over real loopback sockets (127.0.0.1 and ::1): datagrams arrive intact and
 * batched, a closed port yields ECONNREFUSED that is counted while the agent and the other
 * collectors carry on. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dps_sampling.h"
#include "sflow_parse.h"

static int udp_receiver(int family, uint16_t *port)
{
	int fd = socket(family, SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_loopback;
		sl = sizeof(*sin6);
	}
	int rcvbuf = 4 << 20;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					: ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

/* Reads every datagram waiting (up to a short quiet period) and checks them. */
static unsigned drain(int fd, uint32_t *next_seq, uint64_t *bytes, unsigned *samples,
		      bool expect_tunnel)
{
	static uint8_t buf[65536];
	static struct parsed_datagram pd;
	unsigned n = 0;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	while (poll(&pfd, 1, 200) == 1) {
		ssize_t r = recv(fd, buf, sizeof(buf), 0);
		assert_true(r > 0);
		parse_datagram(buf, (size_t)r, &pd);
		assert_int_equal(pd.seq, (*next_seq)++);
		for (uint32_t k = 0; k < pd.n_samples; k++) {
			bool tun = false;
			for (uint32_t j = 0; j < pd.samples[k].n_records; j++)
				tun |= pd.samples[k].record_formats[j] == 1029;
			assert_int_equal(tun, expect_tunnel);
		}
		*bytes += (uint64_t)r;
		*samples += pd.n_samples;
		n++;
	}
	return n;
}

static void test_loopback_v4_v6_and_refused(void **state)
{
	(void)state;
	uint16_t p4, p6, closed;
	int fd4 = udp_receiver(AF_INET, &p4);
	int fd6 = udp_receiver(AF_INET6, &p6);
	int tmp = udp_receiver(AF_INET, &closed);
	assert_true(fd4 >= 0 && tmp >= 0);
	if (fd6 < 0) {
		print_message("IPv6 loopback unavailable on this host\n");
		close(fd4);
		close(tmp);
		skip();
	}
	close(tmp);     /* nobody listens there any more: the kernel answers ICMP refused */

	struct dps_agent_config cfg = { .sub_agent_id = 3, .n_collectors = 3 };
	dps_sflow_addr_parse(&cfg.agent_addr, "127.0.0.1");
	dps_sflow_addr_parse(&cfg.collectors[0].addr, "127.0.0.1");
	cfg.collectors[0].port = p4;
	cfg.collectors[0].tunnel_records = true;
	dps_sflow_addr_parse(&cfg.collectors[1].addr, "::1");
	cfg.collectors[1].port = p6;
	cfg.collectors[1].tunnel_records = false;
	dps_sflow_addr_parse(&cfg.collectors[2].addr, "127.0.0.1");
	cfg.collectors[2].port = closed;
	struct dps_agent *a = dps_agent_create(&cfg);
	assert_non_null(a);

	static uint8_t hdr[128];
	struct dps_flow_sample fs = {
		.source_index = 1, .sampling_rate = 10, .records = DPS_FR_HEADER | DPS_FR_VNI_EGRESS,
		.header = { 1, 1518, 4, sizeof(hdr), hdr }, .vni_egress = 77,
	};
	/* Several rounds, each leaving several finished datagrams for one sendmmsg batch. */
	uint64_t now = 0;
	for (unsigned round = 0; round < 10; round++) {
		for (unsigned i = 0; i < 40; i++)
			assert_int_equal(dps_agent_add_flow(a, &fs, now), 0);
		dps_agent_poll(a, now);
		now += 10;
		usleep(2000);   /* let the ICMP error reach the socket between rounds */
	}
	dps_agent_flush(a, now);

	uint32_t seq4 = 1, seq6 = 1;
	uint64_t b4 = 0, b6 = 0;
	unsigned s4 = 0, s6 = 0;
	unsigned n4 = drain(fd4, &seq4, &b4, &s4, true);
	unsigned n6 = drain(fd6, &seq6, &b6, &s6, false);
	struct dps_collector_stats c0, c1, c2;
	dps_agent_get_collector_stats(a, 0, &c0);
	dps_agent_get_collector_stats(a, 1, &c1);
	dps_agent_get_collector_stats(a, 2, &c2);
	print_message("    v4: %u datagrams, v6: %u, refused: %llu sent %llu errors (last %d)\n",
		      n4, n6, (unsigned long long)c2.datagrams,
		      (unsigned long long)c2.send_errors, c2.last_error);
	assert_int_equal(s4, 400);
	assert_int_equal(s6, 400);
	assert_int_equal(c0.datagrams, n4);
	assert_int_equal(c0.bytes, b4);
	assert_int_equal(c0.samples, 400);
	assert_int_equal(c0.send_errors, 0);
	assert_int_equal(c1.datagrams, n6);
	assert_int_equal(c1.bytes, b6);
	assert_int_equal(c1.send_errors, 0);
	assert_true(n6 < n4);        /* smaller samples without the tunnel record */
	/* Collector 2 belongs to stream 1 as well (tunnel records off by default). */
	assert_true(c2.send_errors >= 1);
	assert_int_equal(c2.last_error, ECONNREFUSED);
	assert_int_equal(c2.datagrams + c2.send_errors, n6);

	/* The agent goes on working after the errors. */
	assert_int_equal(dps_agent_add_flow(a, &fs, now), 0);
	dps_agent_flush(a, now);
	assert_int_equal(drain(fd4, &seq4, &b4, &s4, true), 1);
	dps_agent_destroy(a, now);
	close(fd4);
	close(fd6);
}

/* A collector whose address cannot be connected to (no route) is not fatal either. */
static void test_unconnectable_collector(void **state)
{
	(void)state;
	uint16_t p4;
	int fd4 = udp_receiver(AF_INET, &p4);
	assert_true(fd4 >= 0);
	struct dps_agent_config cfg = { .n_collectors = 2 };
	dps_sflow_addr_parse(&cfg.agent_addr, "127.0.0.1");
	/* The IPv4 limited broadcast needs SO_BROADCAST, which we never set: connect() (and
	 * every retry at send time) fails with EACCES. */
	dps_sflow_addr_parse(&cfg.collectors[0].addr, "255.255.255.255");
	dps_sflow_addr_parse(&cfg.collectors[1].addr, "127.0.0.1");
	cfg.collectors[1].port = p4;
	struct dps_agent *a = dps_agent_create(&cfg);
	assert_non_null(a);
	struct dps_flow_sample fs = { .source_index = 1 };
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(dps_agent_add_flow(a, &fs, i * 1000), 0);
		dps_agent_flush(a, i * 1000);
	}
	struct dps_collector_stats c0, c1;
	dps_agent_get_collector_stats(a, 0, &c0);
	dps_agent_get_collector_stats(a, 1, &c1);
	assert_int_equal(c0.send_errors, 3);
	assert_int_equal(c0.datagrams, 0);
	assert_int_equal(c0.last_error, EACCES);
	assert_int_equal(c1.datagrams, 3);
	uint32_t seq = 1;
	uint64_t b = 0;
	unsigned s = 0;
	assert_int_equal(drain(fd4, &seq, &b, &s, false), 3);
	dps_agent_destroy(a, 3000);
	close(fd4);
}

int main(void)
{
	cmocka_output_to_stdout();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loopback_v4_v6_and_refused),
		cmocka_unit_test(test_unconnectable_collector),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
