/* bench_decoder.c - per-packet cost of the tunnel decoder, for TSC timing and for callgrind
 * instruction counts. Three paths:
 *
 *   bench_decoder [ITERATIONS] [TYPE|all]            dps_decode_packet (full decode)
 *   bench_decoder [ITERATIONS] [TYPE|all] --view     full decode + dps_sample_view_from
 *   bench_decoder [ITERATIONS] [TYPE|all] --export   dps_decode_sample_view: what the exporter
 *                                                    (dpdk_app/exporter.c) decodes per sample
 *   bench_decoder [ITERATIONS] [TYPE|all] --sample   that plus dps_flow_export_fill: all the
 *                                                    exporter does per sample before encoding
 *
 *   valgrind --tool=callgrind --toggle-collect=dps_decode_packet \
 *            --callgrind-out-file=/dev/null bench_decoder 100000 vxlan
 *   valgrind --tool=callgrind --toggle-collect=dps_decode_sample_view \
 *            --callgrind-out-file=/dev/null bench_decoder 100000 vxlan --export
 *   valgrind --tool=callgrind --toggle-collect=exporter_sample \
 *            --callgrind-out-file=/dev/null bench_decoder 100000 vxlan --sample
 *     -> "Collected" Ir / 100000 = instructions per packet
 *
 * TYPE: ipv4_tcp (plain IPv4/TCP), vxlan (VXLAN + inner Ethernet/IPv4/TCP), geneve (Geneve with
 * two options + inner Ethernet/IPv6/TCP), geneve_v4 (Geneve without options + the vxlan frame's
 * inner Ethernet/IPv4/TCP: the like-for-like Geneve figure), nsh_gpe (VXLAN-GPE + NSH MD1 +
 * inner IPv4/TCP).
 * The frames are built here byte by byte so the benchmark needs no pcap. Before timing, the
 * --export view is checked against the full decode's (a benchmark of a wrong answer is void). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dps_tunnel.h"
#include "flow_export.h"

struct frame { const char *name; uint8_t bytes[256]; uint32_t len; };

static uint32_t put(uint8_t *p, uint32_t off, const uint8_t *src, uint32_t n)
{
	memcpy(p + off, src, n);
	return off + n;
}

static uint32_t eth(uint8_t *p, uint32_t off, uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
	off = put(p, off, macs, 12);
	p[off] = (uint8_t)(type >> 8);
	p[off + 1] = (uint8_t)type;
	return off + 2;
}

static uint32_t ipv4(uint8_t *p, uint32_t off, uint16_t total, uint8_t proto)
{
	uint8_t h[20] = { 0x45, 0, (uint8_t)(total >> 8), (uint8_t)total, 0, 1, 0x40, 0, 64, proto,
			  0, 0, 192, 0, 2, 1, 192, 0, 2, 2 };
	return put(p, off, h, 20);
}

static uint32_t ipv6(uint8_t *p, uint32_t off, uint16_t plen, uint8_t nh)
{
	uint8_t h[40] = { 0x60, 0, 0, 0, (uint8_t)(plen >> 8), (uint8_t)plen, nh, 64 };
	h[8] = 0xfd; h[23] = 1; h[24] = 0xfd; h[39] = 2;
	return put(p, off, h, 40);
}

static uint32_t udp(uint8_t *p, uint32_t off, uint16_t dport, uint16_t len)
{
	uint8_t h[8] = { 0xC0, 0x01, (uint8_t)(dport >> 8), (uint8_t)dport, (uint8_t)(len >> 8),
			 (uint8_t)len, 0, 0 };
	return put(p, off, h, 8);
}

static uint32_t tcp(uint8_t *p, uint32_t off)
{
	uint8_t h[20] = { 0x9C, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 2, 0x50, 0x18, 2, 0 };
	return put(p, off, h, 20);
}

static void build(struct frame *f)
{
	uint8_t *p = f->bytes;
	uint32_t o = 0;
	memset(p, 0, sizeof(f->bytes));
	if (!strcmp(f->name, "ipv4_tcp")) {
		o = eth(p, o, 0x0800);
		o = ipv4(p, o, 40 + 32, 6);
		o = tcp(p, o);
		o += 32;
	} else if (!strcmp(f->name, "vxlan")) {
		uint16_t inner = 14 + 20 + 20 + 32;
		o = eth(p, o, 0x0800);
		o = ipv4(p, o, (uint16_t)(20 + 8 + 8 + inner), 17);
		o = udp(p, o, 4789, (uint16_t)(8 + 8 + inner));
		static const uint8_t vx[8] = { 0x08, 0, 0, 0, 0, 0x13, 0x88, 0 };  /* VNI 5000 */
		o = put(p, o, vx, 8);
		o = eth(p, o, 0x0800);
		o = ipv4(p, o, 40 + 32, 6);
		o = tcp(p, o);
		o += 32;
	} else if (!strcmp(f->name, "geneve")) {
		uint16_t inner = 14 + 40 + 20 + 32;
		uint16_t gen = 8 + 8 + 12;
		o = eth(p, o, 0x0800);
		o = ipv4(p, o, (uint16_t)(20 + 8 + gen + inner), 17);
		o = udp(p, o, 6081, (uint16_t)(8 + gen + inner));
		static const uint8_t gv[28] = {
			5, 0x00, 0x65, 0x58, 0x12, 0x34, 0x56, 0,       /* 5 words of options */
			0x01, 0x02, 0x80, 1, 1, 2, 3, 4,                /* class 0x0102 type 0x80, 4 B */
			0xFF, 0xFF, 0x01, 2, 0, 0, 0, 0, 0, 0, 0, 0,    /* class 0xffff type 1, 8 B */
		};
		o = put(p, o, gv, sizeof(gv));
		o = eth(p, o, 0x86DD);
		o = ipv6(p, o, 20 + 32, 6);
		o = tcp(p, o);
		o += 32;
	} else if (!strcmp(f->name, "geneve_v4")) {
		uint16_t inner = 14 + 20 + 20 + 32;
		o = eth(p, o, 0x0800);
		o = ipv4(p, o, (uint16_t)(20 + 8 + 8 + inner), 17);
		o = udp(p, o, 6081, (uint16_t)(8 + 8 + inner));
		static const uint8_t gv[8] = { 0, 0x00, 0x65, 0x58, 0, 0x13, 0x88, 0 };  /* VNI 5000 */
		o = put(p, o, gv, 8);
		o = eth(p, o, 0x0800);
		o = ipv4(p, o, 40 + 32, 6);
		o = tcp(p, o);
		o += 32;
	} else {  /* nsh_gpe */
		uint16_t inner = 20 + 20 + 32;
		o = eth(p, o, 0x0800);
		o = ipv4(p, o, (uint16_t)(20 + 8 + 8 + 24 + inner), 17);
		o = udp(p, o, 4790, (uint16_t)(8 + 8 + 24 + inner));
		static const uint8_t gpe[8] = { 0x0C, 0, 0, 4, 0, 0, 0x67, 0 };  /* next: NSH */
		o = put(p, o, gpe, 8);
		static const uint8_t nsh[24] = { 0x0F, 0xC6, 0x01, 0x01, 0, 0x01, 0x23, 0xFF };
		o = put(p, o, nsh, 24);                                     /* MD1, next IPv4 */
		o = ipv4(p, o, 40 + 32, 6);
		o = tcp(p, o);
		o += 32;
	}
	f->len = o;
}

/* The exporter's work on one sample from its header bytes to the flow sample the encoder takes
 * (dpdk_app/exporter.c export_record without the ring and the counters). Neither inlined nor
 * cloned (gcc's .constprop copy would carry another name): callgrind toggles on its name. */
#if defined(__GNUC__) && !defined(__clang__)
#define BENCH_NOCLONE __attribute__((noclone))
#else
#define BENCH_NOCLONE  /* clang does not clone under a function's name */
#endif
__attribute__((noinline)) BENCH_NOCLONE static void exporter_sample(const struct dps_decode_config *cfg,
						      const struct frame *f,
						      struct dps_sample_view *v,
						      struct dps_flow_sample *fs)
{
	struct dps_flow_export_in in = {
		.source_ifindex = 1, .sampling_rate = 1000, .sample_pool = 1000000,
		.in_ifindex = 1, .frame_len = f->len, .header_len = f->len, .header = f->bytes,
	};
	dps_decode_sample_view(cfg, f->bytes, f->len, f->len, v);
	dps_flow_export_fill(fs, &in, v);
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	const char *which = argc > 2 ? argv[2] : "all";
	const char *mode = argc > 3 ? argv[3] : "";
	int view = !strcmp(mode, "--view");
	int export = !strcmp(mode, "--export");
	int sample = !strcmp(mode, "--sample");
	if (*mode && !view && !export && !sample) {
		fprintf(stderr, "unknown mode %s (--view, --export, --sample)\n", mode);
		return 2;
	}
	struct frame frames[] = { { .name = "ipv4_tcp" }, { .name = "vxlan" }, { .name = "geneve" },
				  { .name = "geneve_v4" }, { .name = "nsh_gpe" } };
	static struct dps_decoded d;
	struct dps_sample_view v, lean;
	static struct dps_flow_sample fs;
	struct dps_decode_config cfg;
	dps_decode_config_init(&cfg);
	int ran = 0;
	for (unsigned i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		struct frame *f = &frames[i];
		if (strcmp(which, "all") && strcmp(which, f->name))
			continue;
		build(f);
		if (dps_decode_packet(&cfg, f->bytes, f->len, f->len, &d) != DPS_DECODE_COMPLETE) {
			fprintf(stderr, "%s: frame does not decode completely\n", f->name);
			return 1;
		}
		dps_sample_view_from(&d, &v);
		dps_decode_sample_view(&cfg, f->bytes, f->len, f->len, &lean);
		if (memcmp(&v, &lean, sizeof(v))) {
			fprintf(stderr, "%s: dps_decode_sample_view differs from the full decode\n",
				f->name);
			return 1;
		}
		unsigned long sink = 0;
		double t0 = now_ns();
		for (unsigned long k = 0; k < iters; k++) {
			/* an empty asm keeps the compiler from hoisting the call out of the loop */
			__asm__ volatile("" : : "r"(f->bytes) : "memory");
			if (sample) {
				exporter_sample(&cfg, f, &v, &fs);
				sink += fs.ipv4.dst_port + fs.ipv6.dst_port;
				continue;
			}
			if (export) {
				dps_decode_sample_view(&cfg, f->bytes, f->len, f->len, &v);
				sink += v.flow.l4_offset;
				continue;
			}
			dps_decode_packet(&cfg, f->bytes, f->len, f->len, &d);
			if (view) {
				dps_sample_view_from(&d, &v);
				sink += v.flow.l4_offset;
			}
			sink += d.n_layers;
		}
		double t1 = now_ns();
		printf("%-9s %3u bytes %2u layers depth %u: %.1f ns/packet (%lu iterations%s, sink %lu)\n",
		       f->name, f->len, d.n_layers, d.tunnel_depth, (t1 - t0) / (double)iters, iters,
		       sample ? ", exporter path dps_decode_sample_view + dps_flow_export_fill" :
		       export ? ", exporter path dps_decode_sample_view" :
		       view ? ", with sample view" : "", sink);
		ran = 1;
	}
	if (!ran) {
		fprintf(stderr, "unknown type %s (ipv4_tcp, vxlan, geneve, geneve_v4, nsh_gpe, all)\n", which);
		return 2;
	}
	return 0;
}
