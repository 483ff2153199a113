/* test_malformed.c - hostile input: every truncation of every scapy frame, random byte
 * mutations (fixed seed), and hand-made impossible tunnel headers. Frames are decoded from
 * exact-size heap copies so the ASan build catches any out-of-bounds read. */
#include "td_test_common.h"

static const char *const pcaps[] = { "plain", "vlan_mpls", "ipv6_ext", "vxlan", "geneve", "gpe",
				     "nsh", "gre", "nested", "gtpu", "demo_mix" };

/* Structural invariants that must hold for any input. */
static void check_invariants(const struct dps_decoded *d, uint32_t cap, int st)
{
	assert_true(st >= DPS_DECODE_COMPLETE && st <= DPS_DECODE_LIMIT);
	assert_int_equal(st, d->status);
	assert_true(d->n_layers <= DPS_MAX_LAYERS);
	assert_true(d->tunnel_depth <= DPS_DEFAULT_TUNNEL_DEPTH);
	assert_true(d->payload_offset <= cap);
	uint32_t prev = 0;
	for (unsigned i = 0; i < d->n_layers; i++) {
		const struct dps_layer *l = &d->layers[i];
		assert_true(l->type > DPS_LAYER_NONE && l->type < DPS_LAYER_TYPE_COUNT);
		assert_true(l->offset >= prev);
		assert_true(l->offset <= cap);
		assert_true(l->length <= cap - l->offset);
		assert_true(l->level <= d->tunnel_depth);
		prev = l->offset;
	}
	if (st == DPS_DECODE_TRUNCATED || st == DPS_DECODE_MALFORMED) {
		assert_int_equal(d->stop_layer, d->n_layers - 1);
		assert_true(d->layers[d->stop_layer].flags & (DPS_LAYER_TRUNCATED | DPS_LAYER_MALFORMED));
	} else {
		assert_int_equal(d->stop_layer, d->n_layers);
	}
}

/* Cutting the capture short must only ever yield a prefix of the full decode, reported as
 * truncated (or complete when the cut falls in payload); cutting the frame itself must never
 * be reported as truncated. */
static void test_every_truncation(void **state)
{
	(void)state;
	static struct dps_decoded full, cut;
	unsigned n_cases = 0;
	for (unsigned p = 0; p < sizeof(pcaps) / sizeof(pcaps[0]); p++) {
		struct pcap_file pf;
		td_load(pcaps[p], &pf);
		for (uint32_t f = 0; f < pf.n_frames; f++) {
			uint32_t len = pf.frames[f].caplen;
			int st_full = dps_decode_packet(NULL, pf.frames[f].data, len, len, &full);
			assert_true(st_full == DPS_DECODE_COMPLETE || st_full == DPS_DECODE_LIMIT);
			uint32_t max = len < 400 ? len : 400;
			for (uint32_t k = 0; k <= max; k++) {
				uint8_t *copy = malloc(k ? k : 1);
				assert_non_null(copy);
				memcpy(copy, pf.frames[f].data, k);
				int st = dps_decode_packet(NULL, copy, k, len, &cut);
				check_invariants(&cut, k, st);
				if (k < len && st != DPS_DECODE_LIMIT)
					assert_true(st == DPS_DECODE_TRUNCATED || st == DPS_DECODE_COMPLETE);
				assert_true(cut.n_layers <= full.n_layers);
				for (unsigned i = 0; i < cut.n_layers; i++) {
					assert_int_equal(cut.layers[i].type, full.layers[i].type);
					assert_int_equal(cut.layers[i].offset, full.layers[i].offset);
					if (!(cut.layers[i].flags & DPS_LAYER_TRUNCATED))
						assert_int_equal(cut.layers[i].length, full.layers[i].length);
				}
				st = dps_decode_packet(NULL, copy, k, k, &cut);
				check_invariants(&cut, k, st);
				assert_int_not_equal(st, DPS_DECODE_TRUNCATED);
				free(copy);
				n_cases += 2;
			}
		}
		pcap_free(&pf);
	}
	assert_true(n_cases > 20000);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
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
	struct pcap_file sets[sizeof(pcaps) / sizeof(pcaps[0])];
	unsigned n_sets = sizeof(pcaps) / sizeof(pcaps[0]);
	for (unsigned p = 0; p < n_sets; p++)
		td_load(pcaps[p], &sets[p]);
	static struct dps_decoded d;
	unsigned statuses[4] = { 0 };
	for (unsigned it = 0; it < 60000; it++) {
		const struct pcap_file *pf = &sets[rng() % n_sets];
		const struct pcap_frame *fr = &pf->frames[rng() % pf->n_frames];
		uint32_t len = fr->caplen;
		uint32_t cap = rng() % 4 ? len : rng() % (len + 1);
		uint8_t *copy = malloc(cap ? cap : 1);
		assert_non_null(copy);
		memcpy(copy, fr->data, cap);
		unsigned flips = 1 + rng() % 4;
		for (unsigned i = 0; i < flips && cap; i++)
			copy[rng() % cap] ^= (uint8_t)(1u << (rng() % 8));
		int st = dps_decode_packet(NULL, copy, cap, rng() % 2 ? len : cap, &d);
		check_invariants(&d, cap, st);
		struct dps_sample_view v;
		dps_sample_view_from(&d, &v);
		assert_true(!v.has_inner_offset || v.inner_header_offset <= cap);
		statuses[st]++;
		free(copy);
	}
	/* the mutations do reach every outcome */
	for (int s = 0; s < 3; s++)
		assert_true(statuses[s] > 100);
	for (unsigned p = 0; p < n_sets; p++)
		pcap_free(&sets[p]);
}

/* Ethernet + IPv4 + UDP(dst port) header in front of a tunnel header; returns its offset. */
static uint32_t put_udp_frame(uint8_t *f, uint32_t total, uint16_t dport)
{
	memset(f, 0, total);
	f[12] = 0x08; f[13] = 0x00;
	uint8_t *ip = f + 14;
	uint32_t ip_len = total - 14, udp_len = total - 34;
	ip[0] = 0x45;
	ip[2] = (uint8_t)(ip_len >> 8); ip[3] = (uint8_t)ip_len;
	ip[8] = 64; ip[9] = 17;
	uint8_t *u = f + 34;
	u[0] = 0xC0; u[1] = 0x00;
	u[2] = (uint8_t)(dport >> 8); u[3] = (uint8_t)dport;
	u[4] = (uint8_t)(udp_len >> 8); u[5] = (uint8_t)udp_len;
	return 42;
}

static void test_geneve_bad_options(void **state)
{
	(void)state;
	uint8_t f[42 + 8 + 12 * 4 + 14];
	struct dps_decoded d;
	uint32_t o = put_udp_frame(f, sizeof(f), 6081);
	f[o] = 63;                                        /* opt_len 63 words: beyond UDP */
	f[o + 2] = 0x65; f[o + 3] = 0x58;
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	assert_int_equal(d.stop_layer, 3);
	f[o] = 2;                                         /* 8 bytes of options ... */
	f[o + 8 + 3] = 5;                                 /* ... but the option claims 4+20 */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	assert_int_equal(d.layers[3].u.geneve.n_opts, 0);
	/* 12 empty options (4 bytes each): 8 stored, 12 counted, inner Ethernet decoded */
	put_udp_frame(f, sizeof(f), 6081);
	f[o] = 12;
	f[o + 2] = 0x65; f[o + 3] = 0x58;
	for (int i = 0; i < 12; i++)
		f[o + 8 + 4 * i + 1] = (uint8_t)i;            /* class = i */
	f[o + 8 + 48 + 12] = 0x08; f[o + 8 + 48 + 13] = 0x06;  /* inner Ethertype ARP */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_COMPLETE);
	assert_int_equal(d.layers[3].u.geneve.n_opts, 12);
	assert_int_equal(d.layers[3].u.geneve.n_stored, DPS_MAX_GENEVE_OPTS);
	assert_int_equal(d.layers[3].u.geneve.opt[7].cls, 7);
	assert_int_equal(d.layers[4].type, DPS_LAYER_ETH);
	assert_int_equal(d.layers[4].u.eth.ethertype, 0x0806);
	/* options cut by the capture: truncated, complete options kept */
	assert_int_equal(dps_decode_packet(NULL, f, o + 8 + 10, sizeof(f), &d), DPS_DECODE_TRUNCATED);
	assert_int_equal(d.layers[3].u.geneve.n_stored, 2);  /* 10 bytes: 2 whole 4-byte options */
	assert_int_equal(d.layers[3].length, 18);              /* captured part of the header */
	assert_int_equal(d.layers[3].flags & DPS_LAYER_PARTIAL, 0);
}

static void test_nsh_bad_lengths(void **state)
{
	(void)state;
	uint8_t f[14 + 8 + 10 * 8 + 20];
	struct dps_decoded d;
	memset(f, 0, sizeof(f));
	f[12] = 0x89; f[13] = 0x4F;
	uint8_t *n = f + 14;
	n[0] = 0x0F; n[1] = 0xC1;                         /* TTL 63, length 1 word (< 2) */
	n[2] = 0x01; n[3] = 0x01;                         /* MD type 1, next IPv4 */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	n[1] = 0xC5;                                      /* length 5: MD1 needs exactly 6 */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	n[1] = 0xFF;                                      /* length 63 words > frame */
	n[2] = 0x02;
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	/* MD2: 10 TLVs of 4 data bytes each = 2 + 20 words, next protocol 0x00 (none) */
	n[1] = (uint8_t)(0xC0 | 22);
	n[3] = 0x00;
	for (int i = 0; i < 10; i++) {
		n[8 + 8 * i + 1] = (uint8_t)i;                /* class */
		n[8 + 8 * i + 3] = 4;                         /* length */
	}
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_COMPLETE);
	assert_int_equal(d.layers[1].u.nsh.n_tlvs, 10);
	assert_int_equal(d.layers[1].u.nsh.n_stored, DPS_MAX_NSH_TLVS);
	assert_int_equal(d.layers[1].length, 88);
	n[8 + 8 * 9 + 3] = 5;                             /* last TLV overruns the header */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
}

static void test_gre_and_gtpu_bad(void **state)
{
	(void)state;
	uint8_t f[14 + 20 + 8];
	struct dps_decoded d;
	memset(f, 0, sizeof(f));
	f[12] = 0x08; f[13] = 0x00;
	f[14] = 0x45; f[17] = 28; f[22] = 64; f[23] = 47;  /* IPv4 total 28, proto GRE */
	f[34] = 0xB0; f[36] = 0x08;                       /* C K S set: 16 bytes, only 8 here */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), sizeof(f), &d), DPS_DECODE_MALFORMED);
	assert_int_equal(d.stop_layer, 2);
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), 200, &d), DPS_DECODE_MALFORMED);
	f[17] = 60;                                       /* IP says 60: now only the capture is short */
	assert_int_equal(dps_decode_packet(NULL, f, sizeof(f), 200, &d), DPS_DECODE_TRUNCATED);
	assert_int_equal(d.layers[2].u.gre.has_key, 1);

	uint8_t g[42 + 8 + 4 + 8 + 20];
	uint32_t o = put_udp_frame(g, sizeof(g), 2152);
	g[o] = 0x34;                                      /* version 1, PT, E */
	g[o + 1] = 255;
	g[o + 3] = 4 + 8 + 20;                            /* length */
	g[o + 11] = 0x85;                                 /* next extension type */
	g[o + 12] = 0;                                    /* extension length 0: impossible */
	assert_int_equal(dps_decode_packet(NULL, g, sizeof(g), sizeof(g), &d), DPS_DECODE_MALFORMED);
	g[o + 12] = 2;                                    /* 8 bytes, last byte: no more */
	g[o + 20] = 0x45; g[o + 23] = 20;                 /* inner IPv4, total 20 */
	assert_int_equal(dps_decode_packet(NULL, g, sizeof(g), sizeof(g), &d), DPS_DECODE_COMPLETE);
	assert_int_equal(d.layers[3].u.gtpu.n_ext, 1);
	assert_int_equal(d.layers[3].length, 20);
	assert_int_equal(d.layers[4].type, DPS_LAYER_IPV4);
	g[o + 3] = 200;                                   /* GTP length beyond UDP */
	assert_int_equal(dps_decode_packet(NULL, g, sizeof(g), sizeof(g), &d), DPS_DECODE_MALFORMED);
}

/* 9 levels of Ethernet/VLAN/IPv4/GRE-TAP: 4 layers per level fill DPS_MAX_LAYERS at depth 8. */
static void test_layer_array_limit(void **state)
{
	(void)state;
	enum { PER = 14 + 4 + 20 + 4, LEVELS = 9, TOTAL = PER * LEVELS + 14 };
	uint8_t f[TOTAL];
	memset(f, 0, sizeof(f));
	for (unsigned k = 0; k < LEVELS; k++) {
		uint8_t *p = f + PER * k;
		p[12] = 0x81; p[13] = 0x00;                   /* Ethernet -> 802.1Q */
		p[14] = 0x00; p[15] = (uint8_t)(k + 1);       /* vid k+1 */
		p[16] = 0x08; p[17] = 0x00;                   /* -> IPv4 */
		uint32_t ip_len = TOTAL - (PER * k + 18);
		p[18] = 0x45; p[20] = (uint8_t)(ip_len >> 8); p[21] = (uint8_t)ip_len;
		p[26] = 64; p[27] = 47;                       /* GRE */
		p[40] = 0x65; p[41] = 0x58;                   /* GRE: Ethernet payload */
	}
	struct dps_decode_config cfg;
	dps_decode_config_init(&cfg);
	cfg.max_tunnel_depth = 200;                       /* clamped to DPS_MAX_TUNNEL_DEPTH */
	struct dps_decoded d;
	assert_int_equal(dps_decode_packet(&cfg, f, sizeof(f), sizeof(f), &d), DPS_DECODE_LIMIT);
	assert_int_equal(d.n_layers, DPS_MAX_LAYERS);
	assert_int_equal(d.tunnel_depth, 7);
	assert_int_equal(d.layers[31].type, DPS_LAYER_GRE);
	assert_int_equal(d.layers[29].u.vlan.tag[0].vid, 8);
	dps_decode_config_init(&cfg);                     /* depth 4 stops first */
	assert_int_equal(dps_decode_packet(&cfg, f, sizeof(f), sizeof(f), &d), DPS_DECODE_LIMIT);
	assert_int_equal(d.tunnel_depth, 4);
	assert_int_equal(d.n_layers, 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_random_mutations),
		cmocka_unit_test(test_geneve_bad_options),
		cmocka_unit_test(test_nsh_bad_lengths),
		cmocka_unit_test(test_gre_and_gtpu_bad),
		cmocka_unit_test(test_layer_array_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
