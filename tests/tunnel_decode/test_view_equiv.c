/* test_view_equiv.c - dps_decode_sample_view (the exporter's lean path) must produce exactly
 * the view dps_sample_view_from gives for the full decode: byte for byte, for every frame of
 * every scapy pcap, under several configurations, for every truncation of those frames, for
 * random mutations, and at the depth and layer limits. Inputs are exact-size heap copies so
 * the ASan build catches any read past the captured bytes on the lean path too. */
#include "td_test_common.h"

static const char *const pcaps[] = { "plain", "vlan_mpls", "ipv6_ext", "vxlan", "geneve", "gpe",
				     "nsh", "gre", "nested", "gtpu", "demo_mix" };
#define N_PCAPS (sizeof(pcaps) / sizeof(pcaps[0]))

static struct dps_decode_config cfg_deep, cfg_flat;

static int setup_cfgs(void **state)
{
	(void)state;
	dps_decode_config_init(&cfg_deep);
	cfg_deep.max_tunnel_depth = DPS_MAX_TUNNEL_DEPTH;
	dps_decode_config_add_port(&cfg_deep, DPS_UDP_VXLAN, 80);
	dps_decode_config_add_port(&cfg_deep, DPS_UDP_GENEVE, 53);
	dps_decode_config_add_port(&cfg_deep, DPS_UDP_VXLAN_GPE, 443);
	dps_decode_config_add_port(&cfg_deep, DPS_UDP_GTPU, 123);
	dps_decode_config_init(&cfg_flat);
	cfg_flat.max_tunnel_depth = 0;  /* every encapsulation hits the depth limit */
	return 0;
}

/* Decodes [pkt, pkt+cap) both ways and compares the views; returns the status. The outputs
 * start as different garbage so a byte either path forgets to write cannot compare equal. */
static int check_same(const struct dps_decode_config *cfg, const uint8_t *pkt, uint32_t cap,
		      uint32_t frame_len)
{
	static struct dps_decoded d;
	struct dps_sample_view ref, lean;
	memset(&ref, 0xA5, sizeof(ref));
	memset(&lean, 0x5A, sizeof(lean));
	int st_full = dps_decode_packet(cfg, pkt, cap, frame_len, &d);
	dps_sample_view_from(&d, &ref);
	int st_lean = dps_decode_sample_view(cfg, pkt, cap, frame_len, &lean);
	assert_int_equal(st_lean, st_full);
	if (memcmp(&ref, &lean, sizeof(ref))) {
		/* name the first differing field group for the failure message */
		assert_memory_equal(&ref.flow, &lean.flow, sizeof(ref.flow));
		assert_memory_equal(&ref.underlay, &lean.underlay, sizeof(ref.underlay));
		assert_memory_equal(&ref, &lean, sizeof(ref));
	}
	return st_full;
}

static int check_copy(const struct dps_decode_config *cfg, const uint8_t *data, uint32_t cap,
		      uint32_t frame_len)
{
	uint8_t *copy = malloc(cap ? cap : 1);
	assert_non_null(copy);
	memcpy(copy, data, cap);
	int st = check_same(cfg, copy, cap, frame_len);
	free(copy);
	return st;
}

static void test_every_frame(void **state)
{
	(void)state;
	unsigned n = 0, tunnelled = 0;
	for (unsigned p = 0; p < N_PCAPS; p++) {
		struct pcap_file pf;
		td_load(pcaps[p], &pf);
		for (uint32_t f = 0; f < pf.n_frames; f++) {
			const struct pcap_frame *fr = &pf.frames[f];
			const struct dps_decode_config *cfgs[] = { NULL, &cfg_deep, &cfg_flat };
			for (unsigned c = 0; c < 3; c++) {
				check_copy(cfgs[c], fr->data, fr->caplen, fr->origlen);
				check_copy(cfgs[c], fr->data, fr->caplen, fr->caplen);
				check_copy(cfgs[c], fr->data, fr->caplen, fr->caplen + 1500);
				n += 3;
			}
			struct dps_sample_view v;
			dps_decode_sample_view(NULL, fr->data, fr->caplen, fr->origlen, &v);
			tunnelled += v.tunnel_depth > 0;
		}
		pcap_free(&pf);
	}
	assert_true(n > 300);
	assert_true(tunnelled > 20);  /* the comparison did cover tunnel views */
}

static void test_every_truncation(void **state)
{
	(void)state;
	unsigned n = 0;
	for (unsigned p = 0; p < N_PCAPS; p++) {
		struct pcap_file pf;
		td_load(pcaps[p], &pf);
		for (uint32_t f = 0; f < pf.n_frames; f++) {
			uint32_t len = pf.frames[f].caplen;
			uint32_t max = len < 400 ? len : 400;
			for (uint32_t k = 0; k <= max; k++) {
				check_copy(NULL, pf.frames[f].data, k, len);  /* capture cut */
				check_copy(NULL, pf.frames[f].data, k, k);    /* frame cut */
				check_copy(&cfg_deep, pf.frames[f].data, k, len);
				n += 3;
			}
		}
		pcap_free(&pf);
	}
	assert_true(n > 30000);
}

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;
static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static void test_random_mutations(void **state)
{
	(void)state;
	struct pcap_file sets[N_PCAPS];
	for (unsigned p = 0; p < N_PCAPS; p++)
		td_load(pcaps[p], &sets[p]);
	unsigned statuses[4] = { 0 };
	for (unsigned it = 0; it < 100000; it++) {
		const struct pcap_file *pf = &sets[rng() % N_PCAPS];
		const struct pcap_frame *fr = &pf->frames[rng() % pf->n_frames];
		uint32_t len = fr->caplen;
		uint32_t cap = rng() % 4 ? len : rng() % (len + 1);
		uint8_t *copy = malloc(cap ? cap : 1);
		assert_non_null(copy);
		memcpy(copy, fr->data, cap);
		unsigned flips = 1 + rng() % 4;
		for (unsigned i = 0; i < flips && cap; i++)
			copy[rng() % cap] ^= (uint8_t)(1u << (rng() % 8));
		const struct dps_decode_config *cfg = rng() % 3 ? NULL : &cfg_deep;
		int st = check_same(cfg, copy, cap, rng() % 2 ? len : cap);
		statuses[st]++;
		free(copy);
	}
	for (int s = 0; s < 3; s++)
		assert_true(statuses[s] > 100);
	for (unsigned p = 0; p < N_PCAPS; p++)
		pcap_free(&sets[p]);
}

/* Eth/IPv4/UDP/VXLAN nested `levels` deep around Eth/IPv4/TCP; returns the frame length. */
static uint32_t build_nested_vxlan(uint8_t *f, unsigned levels)
{
	uint32_t inner = 14 + 20 + 20, total = inner + levels * 50u, o = 0;
	memset(f, 0, total);
	for (unsigned k = 0; k < levels; k++) {
		uint32_t rest = total - o;            /* bytes from this Ethernet header on */
		f[o + 12] = 0x08;                      /* IPv4 */
		uint8_t *ip = f + o + 14;
		ip[0] = 0x45; ip[2] = (uint8_t)((rest - 14) >> 8); ip[3] = (uint8_t)(rest - 14);
		ip[8] = 64; ip[9] = 17; ip[15] = (uint8_t)k; ip[19] = 1;
		uint8_t *u = ip + 20;
		u[0] = 0xC0; u[1] = (uint8_t)k; u[2] = 0x12; u[3] = 0xB5;  /* 4789 */
		u[4] = (uint8_t)((rest - 34) >> 8); u[5] = (uint8_t)(rest - 34);
		uint8_t *vx = u + 8;
		vx[0] = 0x08; vx[6] = (uint8_t)(k + 1);
		o += 50;
	}
	f[o + 12] = 0x08;
	uint8_t *ip = f + o + 14;
	ip[0] = 0x45; ip[3] = 40; ip[8] = 64; ip[9] = 6; ip[19] = 9;
	uint8_t *t = ip + 20;
	t[1] = 7; t[3] = 80; t[12] = 0x50; t[13] = 0x12;
	return total;
}

static void test_limits_and_arguments(void **state)
{
	(void)state;
	static uint8_t f[14 + 20 + 20 + 12 * 50];
	struct dps_decode_config cfg;
	dps_decode_config_init(&cfg);
	for (unsigned levels = 0; levels <= 12; levels++) {
		uint32_t len = build_nested_vxlan(f, levels);
		for (unsigned depth = 0; depth <= DPS_MAX_TUNNEL_DEPTH + 1; depth++) {
			cfg.max_tunnel_depth = (uint8_t)depth;  /* > max is clamped */
			int st = check_copy(&cfg, f, len, len);
			unsigned eff = depth < DPS_MAX_TUNNEL_DEPTH ? depth : DPS_MAX_TUNNEL_DEPTH;
			if (levels <= eff && levels * 4 + 3 <= DPS_MAX_LAYERS)
				assert_int_equal(st, DPS_DECODE_COMPLETE);
			else
				assert_int_equal(st, DPS_DECODE_LIMIT);
		}
		/* and every truncation of the deepest-allowed decode */
		cfg.max_tunnel_depth = DPS_MAX_TUNNEL_DEPTH;
		for (uint32_t k = 0; k <= len; k += 3)
			check_copy(&cfg, f, k, len);
	}
	struct dps_sample_view v;
	memset(&v, 0x77, sizeof(v));
	assert_int_equal(dps_decode_sample_view(NULL, NULL, 10, 10, &v), -1);
	assert_int_equal(dps_decode_sample_view(NULL, f, 10, 10, NULL), -1);
	assert_int_equal(((uint8_t *)&v)[0], 0x77);  /* untouched on error */
	check_same(NULL, NULL, 0, 0);  /* empty: same status (malformed) and view both ways */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_frame),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_random_mutations),
		cmocka_unit_test(test_limits_and_arguments),
	};
	return cmocka_run_group_tests(tests, setup_cfgs, NULL);
}
