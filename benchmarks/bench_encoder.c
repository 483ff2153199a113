/* bench_encoder - flow samples encoded per second: a 128-byte sampled header plus two
 * extended records (extended_switch 1001, extended_vni_ingress 1030).
 *
 *   bench_encoder [SAMPLES]        default 5000000
 *
 * Two numbers: the bare encoder (dps_encode_flow_sample into a 1400-byte buffer, restarted
 * when full) and the whole agent path (dps_agent_add_flow: sequence numbers, packing,
 * datagram headers) delivering to an injected no-op collector. Under callgrind, divide the
 * inclusive Ir of encode_loop / agent_loop by SAMPLES. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_clock.h"
#include "dps_sampling.h"

static uint64_t delivered;
static int discard(void *ctx, unsigned collector, const uint8_t *d, size_t len)
{
	(void)ctx;
	(void)collector;
	delivered += len + d[0];
	return 0;
}

static __attribute__((noinline)) uint64_t encode_loop(struct dps_flow_sample *fs, uint64_t n)
{
	static uint8_t buf[1400];
	struct dps_xdr x;
	uint64_t bytes = 0;
	dps_xdr_init(&x, buf, sizeof(buf));
	for (uint64_t i = 0; i < n; i++) {
		fs->sample_pool = (uint32_t)i;
		if (dps_encode_flow_sample(&x, fs, (uint32_t)i, DPS_FR_ALL) != 0) {
			bytes += x.len;
			x.len = 0;
			(void)dps_encode_flow_sample(&x, fs, (uint32_t)i, DPS_FR_ALL);
		}
	}
	return bytes + x.len;
}

static __attribute__((noinline)) void agent_loop(struct dps_agent *a, struct dps_flow_sample *fs,
						 uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		fs->source_index = (uint32_t)(i & 7);     /* eight data sources */
		fs->sample_pool = (uint32_t)i;
		(void)dps_agent_add_flow(a, fs, i >> 14);  /* time advances: timer flushes too */
		if ((i & 255) == 0)
			dps_agent_poll(a, i >> 14);
	}
	dps_agent_flush(a, n >> 14);
}

static void report(const char *what, uint64_t n, double secs, uint64_t cyc)
{
	printf("  %-34s %.2f M samples/s, %.1f %s/sample\n", what, (double)n / secs / 1e6,
	       (double)cyc / (double)n, CYCLE_UNIT);
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 5000000;
	static uint8_t header[128];
	for (unsigned i = 0; i < sizeof(header); i++)
		header[i] = (uint8_t)(i * 7);
	struct dps_flow_sample fs = {
		.source_type = 0, .source_index = 3, .sampling_rate = 1000, .drops = 0,
		.input = { DPS_PORT_IFINDEX, 3 }, .output = { DPS_PORT_IFINDEX, 4 },
		.records = DPS_FR_HEADER | DPS_FR_SWITCH | DPS_FR_VNI_INGRESS,
		.header = { DPS_SFLOW_HEADER_ETHERNET, 1518, 4, sizeof(header), header },
		.sw = { 10, 0, 10, 0 }, .vni_ingress = 5000,
	};
	printf("encoder: %" PRIu64 " samples of %zu bytes (128-byte header + 1001 + 1030)\n", n,
	       dps_flow_sample_size(&fs, DPS_FR_ALL));

	encode_loop(&fs, n / 10 + 1);
	double t0 = now_s();
	uint64_t c0 = cycles();
	uint64_t bytes = encode_loop(&fs, n);
	uint64_t c1 = cycles();
	double t1 = now_s();
	report("dps_encode_flow_sample:", n, t1 - t0, c1 - c0);

	struct dps_agent_config cfg = { .n_collectors = 1 };
	dps_sflow_addr_parse(&cfg.agent_addr, "192.0.2.1");
	cfg.collectors[0].send = discard;
	struct dps_agent *a = dps_agent_create(&cfg);
	if (!a)
		return 1;
	t0 = now_s();
	c0 = cycles();
	agent_loop(a, &fs, n);
	c1 = cycles();
	t1 = now_s();
	report("dps_agent_add_flow (1400 B dgrams):", n, t1 - t0, c1 - c0);
	struct dps_agent_stats st;
	dps_agent_get_stats(a, &st);
	printf("  %" PRIu64 " datagrams, %" PRIu64 " bytes encoded by the bare loop\n",
	       st.datagrams, bytes);
	dps_agent_destroy(a, 0);
	return st.flow_samples == n ? 0 : 1;
}
