/* Datagram assembly: size limit, packing, sequence numbers, timer, truncation, streams
 * with and without tunnel records, reconfiguration. Datagrams are captured through an
 * injected send function and walked with an independent parser (sflow_parse.h). */
#include <errno.h>
#include <stdlib.h>

#include "dps_sampling.h"
#include "sflow_parse.h"

#define CAP_MAX 4096

struct capture {
	unsigned n;
	size_t len[CAP_MAX];
	unsigned collector[CAP_MAX];
	uint8_t *data[CAP_MAX];
	int fail_every;             /* > 0: every fail_every-th call returns -EAGAIN */
	unsigned calls;
};

static int capture_send(void *ctx, unsigned collector, const uint8_t *d, size_t len)
{
	struct capture *c = ctx;
	c->calls++;
	if (c->fail_every && c->calls % (unsigned)c->fail_every == 0)
		return -EAGAIN;
	assert_true(c->n < CAP_MAX);
	c->data[c->n] = malloc(len);
	assert_non_null(c->data[c->n]);
	memcpy(c->data[c->n], d, len);
	c->len[c->n] = len;
	c->collector[c->n] = collector;
	c->n++;
	return 0;
}

static void capture_free(struct capture *c)
{
	for (unsigned i = 0; i < c->n; i++)
		free(c->data[i]);
	c->n = 0;
}

static struct dps_agent_config config(struct capture *cap, const char *agent, uint32_t bytes)
{
	struct dps_agent_config cfg = { .sub_agent_id = 3, .datagram_bytes = bytes,
					.n_collectors = 1 };
	assert_int_equal(dps_sflow_addr_parse(&cfg.agent_addr, agent), 0);
	cfg.collectors[0].send = capture_send;
	cfg.collectors[0].send_ctx = cap;
	cfg.collectors[0].tunnel_records = true;
	return cfg;
}

static uint8_t packet[256];

static struct dps_flow_sample flow(uint32_t source, uint32_t header_len)
{
	struct dps_flow_sample fs = {
		.source_type = 0, .source_index = source, .sampling_rate = 100,
		.sample_pool = 1000, .input = { 0, source }, .output = { 0, 1 },
		.records = DPS_FR_HEADER | DPS_FR_SWITCH | DPS_FR_VNI_INGRESS | DPS_FR_DECAP_INGRESS,
		.header = { 1, 1500, 4, header_len, packet },
		.vni_ingress = 42, .decap_ingress_offset = 50,
	};
	return fs;
}

static struct dps_counters_sample counters(uint32_t source)
{
	struct dps_counters_sample cs = { .source_index = source,
					  .records = DPS_CR_GENERIC | DPS_CR_ETHERNET |
						     DPS_CR_PORT_NAME,
					  .port_name = "port" };
	cs.generic.ifIndex = source;
	return cs;
}

/* Walks all captured datagrams of one collector and checks sizes, datagram sequence and
 * per-source sequence continuity. Returns the number of samples seen. */
static unsigned check_stream(const struct capture *cap, unsigned collector, size_t max_bytes,
			     uint32_t first_dgram_seq, uint32_t *flow_seq, uint32_t *ctr_seq,
			     unsigned n_sources)
{
	static struct parsed_datagram pd;
	uint32_t expect_seq = first_dgram_seq;
	unsigned samples = 0;
	for (unsigned i = 0; i < cap->n; i++) {
		if (cap->collector[i] != collector)
			continue;
		assert_true(cap->len[i] <= max_bytes);
		parse_datagram(cap->data[i], cap->len[i], &pd);
		assert_int_equal(pd.seq, expect_seq++);
		assert_int_equal(pd.sub_agent, 3);
		assert_true(pd.n_samples > 0);
		for (uint32_t k = 0; k < pd.n_samples; k++) {
			struct parsed_sample *s = &pd.samples[k];
			assert_true(s->source_index < n_sources);
			uint32_t *seq = (s->format == 1 || s->format == 3) ? flow_seq : ctr_seq;
			assert_int_equal(s->seq, ++seq[s->source_index]);
			samples++;
		}
	}
	return samples;
}

static void test_packing_and_sequences(void **state)
{
	(void)state;
	static struct capture cap;
	const uint32_t sizes[] = { 0, 1400, 65507 };
	for (unsigned si = 0; si < 3; si++) {
		struct dps_agent_config cfg = config(&cap, "192.0.2.1", sizes[si]);
		size_t limit = sizes[si] ? sizes[si] : 1400;
		struct dps_agent *a = dps_agent_create(&cfg);
		assert_non_null(a);
		uint64_t lcg = 12345;
		unsigned added = 0;
		for (unsigned i = 0; i < 3000; i++) {
			lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
			uint32_t src = (uint32_t)(lcg >> 60) % 6;
			uint32_t hl = (uint32_t)(lcg >> 33) % 257;
			if (i % 10 == 9) {
				struct dps_counters_sample cs = counters(src);
				assert_int_equal(dps_agent_add_counters(a, &cs, 0), 0);
			} else {
				struct dps_flow_sample fs = flow(src, hl);
				assert_int_equal(dps_agent_add_flow(a, &fs, 0), 0);
			}
			added++;
			if (i % 500 == 0)
				dps_agent_poll(a, 0);   /* time stands still: sends only full ones */
		}
		dps_agent_flush(a, 0);
		uint32_t fseq[6] = { 0 }, cseq[6] = { 0 };
		assert_int_equal(check_stream(&cap, 0, limit, 1, fseq, cseq, 6), added);

		/* Packed, not just bounded: each datagram's first sample would not have fitted
		 * into the previous datagram. */
		static struct parsed_datagram pd;
		for (unsigned i = 1; i < cap.n; i++) {
			parse_datagram(cap.data[i], cap.len[i], &pd);
			assert_true(cap.len[i - 1] + pd.samples[0].size > limit);
		}
		struct dps_agent_stats st;
		dps_agent_get_stats(a, &st);
		assert_int_equal(st.flow_samples + st.counter_samples, added);
		assert_int_equal(st.datagrams, cap.n);
		assert_int_equal(st.truncated, 0);
		struct dps_collector_stats cst;
		assert_int_equal(dps_agent_get_collector_stats(a, 0, &cst), 0);
		assert_int_equal(cst.datagrams, cap.n);
		assert_int_equal(cst.samples, added);
		size_t bytes = 0;
		for (unsigned i = 0; i < cap.n; i++)
			bytes += cap.len[i];
		assert_int_equal(cst.bytes, bytes);
		assert_int_equal(dps_agent_get_collector_stats(a, 1, &cst), -EINVAL);
		print_message("    datagramBytes=%zu: %u samples in %u datagrams\n", limit, added,
			      cap.n);
		dps_agent_destroy(a, 0);
		capture_free(&cap);
	}
}

static void test_timer_flush(void **state)
{
	(void)state;
	static struct capture cap;
	struct dps_agent_config cfg = config(&cap, "192.0.2.1", 0);
	cfg.max_wait_ms = 100;
	struct dps_agent *a = dps_agent_create(&cfg);
	struct dps_flow_sample fs = flow(1, 64);
	assert_int_equal(dps_agent_add_flow(a, &fs, 1000), 0);
	dps_agent_poll(a, 1050);
	assert_int_equal(cap.n, 0);
	assert_int_equal(dps_agent_add_flow(a, &fs, 1060), 0);
	dps_agent_poll(a, 1099);
	assert_int_equal(cap.n, 0);
	dps_agent_poll(a, 1100);         /* oldest sample has waited max_wait_ms */
	assert_int_equal(cap.n, 1);
	static struct parsed_datagram pd;
	parse_datagram(cap.data[0], cap.len[0], &pd);
	assert_int_equal(pd.n_samples, 2);
	assert_int_equal(pd.uptime, 1100);
	dps_agent_poll(a, 5000);         /* nothing pending: nothing sent */
	assert_int_equal(cap.n, 1);

	/* An add after the deadline (no poll in between) closes the old datagram first. */
	assert_int_equal(dps_agent_add_flow(a, &fs, 6000), 0);
	assert_int_equal(dps_agent_add_flow(a, &fs, 6100), 0);
	dps_agent_poll(a, 6150);
	assert_int_equal(cap.n, 2);
	parse_datagram(cap.data[1], cap.len[1], &pd);
	assert_int_equal(pd.n_samples, 1);
	assert_int_equal(pd.seq, 2);
	dps_agent_destroy(a, 6150);      /* flushes the remaining sample */
	assert_int_equal(cap.n, 3);
	parse_datagram(cap.data[2], cap.len[2], &pd);
	assert_int_equal(pd.samples[0].seq, 4);
	capture_free(&cap);

	/* Default wait is 250 ms. */
	cfg.max_wait_ms = 0;
	a = dps_agent_create(&cfg);
	assert_int_equal(dps_agent_add_flow(a, &fs, 0), 0);
	dps_agent_poll(a, 249);
	assert_int_equal(cap.n, 0);
	dps_agent_poll(a, 250);
	assert_int_equal(cap.n, 1);
	dps_agent_destroy(a, 300);
	capture_free(&cap);
}

static struct dps_flow_sample big_sample(void)
{
	struct dps_flow_sample fs = flow(0x01000000, 256);   /* expanded */
	fs.records = DPS_FR_ALL;
	fs.mpls.next_hop.type = DPS_SFLOW_ADDR_IPV6;
	fs.mpls.n_in = fs.mpls.n_out = DPS_SFLOW_MAX_MPLS_LABELS;
	return fs;
}

static void test_truncation_and_rejection(void **state)
{
	(void)state;
	static struct capture cap;
	struct dps_agent_config cfg = config(&cap, "2001:db8::1", 600);
	struct dps_agent *a = dps_agent_create(&cfg);
	assert_non_null(a);
	struct dps_flow_sample fs = big_sample();
	/* Without header bytes: 52 + 24 + 40 + 64 + 24 + (8+20+36+36) + 80 + 128 + 24 + 24
	 * = 560 bytes; with a 40-byte IPv6 datagram header, 600 - 40 - 560 = 0 header bytes. */
	size_t without = dps_flow_sample_size(&fs, DPS_FR_ALL) - 256;
	assert_int_equal(without, 560);
	assert_int_equal(dps_agent_add_flow(a, &fs, 0), 0);
	struct dps_agent_stats st;
	dps_agent_get_stats(a, &st);
	assert_int_equal(st.truncated, 1);
	dps_agent_flush(a, 0);
	assert_int_equal(cap.n, 1);
	assert_int_equal(cap.len[0], 600);
	static struct parsed_datagram pd;
	parse_datagram(cap.data[0], cap.len[0], &pd);
	assert_int_equal(pd.samples[0].header_length, 0);
	assert_int_equal(pd.samples[0].frame_length, 1500);   /* unchanged */
	capture_free(&cap);

	/* 10 more bytes leave room for 8 header bytes (rounded down to a multiple of 4). */
	cfg.datagram_bytes = 610;
	assert_int_equal(dps_agent_reconfigure(a, &cfg, 0), 0);
	assert_int_equal(dps_agent_add_flow(a, &fs, 0), 0);
	dps_agent_flush(a, 0);
	parse_datagram(cap.data[0], cap.len[0], &pd);
	assert_int_equal(pd.samples[0].header_length, 8);
	assert_int_equal(cap.len[0], 608);
	assert_int_equal(pd.samples[0].seq, 2);
	capture_free(&cap);

	/* With an IPv6 agent and 1 byte less than needed without header bytes: rejected,
	 * counted, and no sequence number consumed. */
	cfg.datagram_bytes = 599;
	assert_int_equal(dps_agent_reconfigure(a, &cfg, 0), 0);
	assert_int_equal(dps_agent_add_flow(a, &fs, 0), -EMSGSIZE);
	dps_agent_get_stats(a, &st);
	assert_int_equal(st.rejected, 1);
	assert_int_equal(st.truncated, 2);
	/* Invalid samples are rejected too. */
	struct dps_flow_sample bad = fs;
	bad.header.header_length = DPS_MAX_HEADER_BYTES + 1;
	assert_int_equal(dps_agent_add_flow(a, &bad, 0), -EINVAL);
	cfg.datagram_bytes = 1400;
	assert_int_equal(dps_agent_reconfigure(a, &cfg, 0), 0);
	assert_int_equal(dps_agent_add_flow(a, &fs, 0), 0);  /* 256 + 560 + 40 fits 1400 */
	dps_agent_flush(a, 0);
	parse_datagram(cap.data[0], cap.len[0], &pd);
	assert_int_equal(pd.samples[0].seq, 3);
	assert_int_equal(pd.samples[0].header_length, 256);
	dps_agent_get_stats(a, &st);
	assert_int_equal(st.rejected, 2);
	assert_int_equal(st.truncated, 2);
	dps_agent_destroy(a, 0);
	capture_free(&cap);
}

static bool has_record(const struct parsed_sample *s, uint32_t fmt)
{
	for (uint32_t r = 0; r < s->n_records; r++)
		if (s->record_formats[r] == fmt)
			return true;
	return false;
}

static void test_tunnel_records_per_collector(void **state)
{
	(void)state;
	static struct capture cap;
	struct dps_agent_config cfg = config(&cap, "192.0.2.1", 0);
	cfg.n_collectors = 3;
	cfg.collectors[1] = cfg.collectors[0];
	cfg.collectors[1].tunnel_records = false;       /* e.g. Wireshark 4.0 */
	cfg.collectors[2] = cfg.collectors[0];
	struct dps_agent *a = dps_agent_create(&cfg);
	for (unsigned i = 0; i < 200; i++) {
		struct dps_flow_sample fs = flow(i % 3, 128);
		assert_int_equal(dps_agent_add_flow(a, &fs, 0), 0);
	}
	dps_agent_flush(a, 0);
	uint32_t f0[3] = { 0 }, f1[3] = { 0 }, f2[3] = { 0 }, c[3] = { 0 };
	assert_int_equal(check_stream(&cap, 0, 1400, 1, f0, c, 3), 200);
	assert_int_equal(check_stream(&cap, 1, 1400, 1, f1, c, 3), 200);
	assert_int_equal(check_stream(&cap, 2, 1400, 1, f2, c, 3), 200);
	static struct parsed_datagram pd;
	unsigned d0 = 0, d1 = 0;
	for (unsigned i = 0; i < cap.n; i++) {
		parse_datagram(cap.data[i], cap.len[i], &pd);
		for (uint32_t k = 0; k < pd.n_samples; k++) {
			bool tun = has_record(&pd.samples[k], 1030) &&
				   has_record(&pd.samples[k], 1028);
			assert_true(has_record(&pd.samples[k], 1001));
			assert_int_equal(tun, cap.collector[i] != 1);
		}
		d0 += cap.collector[i] == 0;
		d1 += cap.collector[i] == 1;
	}
	/* Smaller samples without tunnel records: fewer datagrams for that collector. */
	assert_true(d1 < d0);
	dps_agent_destroy(a, 0);
	capture_free(&cap);
}

static void test_reconfigure_keeps_sequences(void **state)
{
	(void)state;
	static struct capture cap, cap2;
	struct dps_agent_config cfg = config(&cap, "192.0.2.1", 0);
	struct dps_agent *a = dps_agent_create(&cfg);
	for (unsigned i = 0; i < 50; i++) {
		struct dps_flow_sample fs = flow(0, 200);
		assert_int_equal(dps_agent_add_flow(a, &fs, 0), 0);
	}
	/* New size, IPv6 agent, a second collector: pending samples leave first, with the old
	 * settings; numbering continues. */
	struct dps_agent_config next = config(&cap, "2001:db8::2", 9000);
	next.n_collectors = 2;
	next.collectors[1].send = capture_send;
	next.collectors[1].send_ctx = &cap2;
	next.collectors[1].tunnel_records = true;
	assert_int_equal(dps_agent_reconfigure(a, &next, 10), 0);
	unsigned old_n = cap.n;
	static struct parsed_datagram pd;
	uint32_t fseq[1] = { 0 }, cseq[1] = { 0 };
	assert_int_equal(check_stream(&cap, 0, 1400, 1, fseq, cseq, 1), 50);
	parse_datagram(cap.data[old_n - 1], cap.len[old_n - 1], &pd);
	uint32_t last_dgram = pd.seq;
	assert_int_equal(pd.agent_type, 1);
	for (unsigned i = 0; i < 50; i++) {
		struct dps_flow_sample fs = flow(0, 200);
		assert_int_equal(dps_agent_add_flow(a, &fs, 20), 0);
	}
	dps_agent_flush(a, 30);
	assert_int_equal(cap.n, old_n + 2);      /* 50 x 264 bytes fit in two 9000-byte ones */
	parse_datagram(cap.data[old_n], cap.len[old_n], &pd);
	assert_int_equal(pd.agent_type, 2);
	assert_int_equal(pd.seq, last_dgram + 1);
	assert_int_equal(pd.samples[0].seq, 51);
	assert_true(cap.len[old_n] > 1400 && cap.len[old_n] <= 9000);
	/* The new collector shares stream 0: same bytes as collector 0. */
	assert_int_equal(cap2.n, 2);
	assert_int_equal(cap2.len[0], cap.len[old_n]);
	assert_memory_equal(cap2.data[0], cap.data[old_n], cap.len[old_n]);

	/* A bad configuration is refused and the old one stays. */
	next.datagram_bytes = 65508;
	assert_int_equal(dps_agent_reconfigure(a, &next, 40), -EINVAL);
	struct dps_flow_sample fs = flow(0, 200);
	assert_int_equal(dps_agent_add_flow(a, &fs, 40), 0);

	/* Resetting a source restarts its numbering. */
	dps_agent_reset_source(a, 0, 0);
	assert_int_equal(dps_agent_add_flow(a, &fs, 40), 0);
	dps_agent_flush(a, 40);
	parse_datagram(cap.data[cap.n - 1], cap.len[cap.n - 1], &pd);
	assert_int_equal(pd.n_samples, 2);
	assert_int_equal(pd.samples[0].seq, 101);
	assert_int_equal(pd.samples[1].seq, 1);
	dps_agent_destroy(a, 50);
	capture_free(&cap);
	capture_free(&cap2);
}

static void test_bad_configs(void **state)
{
	(void)state;
	static struct capture cap;
	struct dps_agent_config cfg = config(&cap, "192.0.2.1", DPS_DATAGRAM_MIN - 1);
	errno = 0;
	assert_null(dps_agent_create(&cfg));
	assert_int_equal(errno, EINVAL);
	cfg.datagram_bytes = DPS_DATAGRAM_MAX + 1;
	assert_null(dps_agent_create(&cfg));
	cfg.datagram_bytes = 0;
	cfg.n_collectors = DPS_MAX_COLLECTORS + 1;
	assert_null(dps_agent_create(&cfg));
	cfg.n_collectors = 1;
	cfg.agent_addr.type = 0;
	assert_null(dps_agent_create(&cfg));
	cfg.agent_addr.type = 1;
	cfg.collectors[0].send = NULL;
	cfg.collectors[0].addr.type = 7;
	assert_null(dps_agent_create(&cfg));
	/* No collectors at all is valid (samples are numbered and discarded). */
	cfg.n_collectors = 0;
	struct dps_agent *a = dps_agent_create(&cfg);
	assert_non_null(a);
	struct dps_flow_sample fs = flow(0, 64);
	assert_int_equal(dps_agent_add_flow(a, &fs, 0), 0);
	dps_agent_destroy(a, 0);
	dps_agent_destroy(NULL, 0);
}

/* Injected send failures are counted per collector and do not stop delivery; more
 * finished datagrams than the send queue holds are sent in several batches. */
static void test_send_errors_counted_and_queue_overflow(void **state)
{
	(void)state;
	static struct capture cap;
	cap.fail_every = 5;
	struct dps_agent_config cfg = config(&cap, "192.0.2.1", 600);
	struct dps_agent *a = dps_agent_create(&cfg);
	for (unsigned i = 0; i < 1000; i++) {
		struct dps_flow_sample fs = flow(0, 256);    /* one sample per datagram */
		assert_int_equal(dps_agent_add_flow(a, &fs, 0), 0);
	}
	/* No poll: the queue overflowed and was sent along the way. */
	assert_true(cap.n > 500);
	dps_agent_flush(a, 0);
	struct dps_collector_stats cst;
	dps_agent_get_collector_stats(a, 0, &cst);
	assert_int_equal(cap.calls, 1000);
	assert_int_equal(cst.send_errors, 200);
	assert_int_equal(cst.last_error, EAGAIN);
	assert_int_equal(cst.datagrams, 800);
	assert_int_equal(cap.n, 800);
	dps_agent_destroy(a, 0);
	capture_free(&cap);
	cap.fail_every = 0;
	cap.calls = 0;
}

int main(void)
{
	cmocka_output_to_stdout();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packing_and_sequences),
		cmocka_unit_test(test_timer_flush),
		cmocka_unit_test(test_truncation_and_rejection),
		cmocka_unit_test(test_tunnel_records_per_collector),
		cmocka_unit_test(test_reconfigure_keeps_sequences),
		cmocka_unit_test(test_bad_configs),
		cmocka_unit_test(test_send_errors_counted_and_queue_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
