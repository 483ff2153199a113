/* gen_datagrams - drives the sampling library with known inputs for the independent
 * decoders (tshark, tests/tools/sflowdecode.py).
 *
 *   gen_datagrams OUTDIR tunnel|notunnel
 *
 * writes OUTDIR/dgram_NNN.bin (raw datagrams as captured from the agent), OUTDIR/sflow.pcap
 * (the same datagrams in Ethernet/IPv4/UDP to port 6343) and OUTDIR/expected.json: for each
 * datagram the values that were fed in (and the sequence numbers the generator expects from
 * its own per-source count), in the vocabulary of sflowdecode.py. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dps_sampling.h"

#define MAX_DGRAMS 64

static uint8_t *dgrams[MAX_DGRAMS];
static size_t dgram_len[MAX_DGRAMS];
static unsigned n_dgrams;

static int capture(void *ctx, unsigned collector, const uint8_t *d, size_t len)
{
	(void)ctx;
	(void)collector;
	if (n_dgrams == MAX_DGRAMS)
		return -ENOBUFS;
	dgrams[n_dgrams] = malloc(len);
	if (!dgrams[n_dgrams])
		return -ENOMEM;
	memcpy(dgrams[n_dgrams], d, len);
	dgram_len[n_dgrams++] = len;
	return 0;
}

static FILE *js;
static bool tunnel;
static uint32_t flow_seq[4], ctr_seq[4];

static bool rec_first;
/* Separator before a record in a JSON list. */
static void rec_sep(void)
{
	if (!rec_first)
		fputs(", ", js);
	rec_first = false;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Ethernet / IPv4 / UDP:4789 / VXLAN / Ethernet / IPv4 / TCP SYN, then payload bytes. */
static size_t build_vxlan_packet(uint8_t *p, unsigned i, size_t payload)
{
	size_t inner_ip_len = 20 + 20 + payload, udp_len = 8 + 8 + 14 + inner_ip_len;
	uint8_t *o = p;
	memcpy(o, "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00", 14);
	o += 14;
	uint8_t *ip = o;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + udp_len));
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, (uint8_t[]){ 10, 1, 0, (uint8_t)(1 + i) }, 4);
	memcpy(ip + 16, (uint8_t[]){ 10, 1, 0, 200 }, 4);
	put16(ip + 10, ip_checksum(ip, 20));
	o += 20;
	put16(o, (uint16_t)(49152 + i));
	put16(o + 2, 4789);
	put16(o + 4, (uint16_t)udp_len);
	put16(o + 6, 0);
	o += 8;
	memset(o, 0, 8);
	o[0] = 0x08;                              /* VXLAN I flag */
	uint32_t vni = 1000 + i;
	o[4] = (uint8_t)(vni >> 16);
	o[5] = (uint8_t)(vni >> 8);
	o[6] = (uint8_t)vni;
	o += 8;
	memcpy(o, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00", 14);
	o[11] = (uint8_t)(0x10 + i);               /* inner source MAC varies */
	o += 14;
	ip = o;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)inner_ip_len);
	ip[8] = 63;
	ip[9] = 6;
	memcpy(ip + 12, (uint8_t[]){ 192, 168, (uint8_t)i, 1 }, 4);
	memcpy(ip + 16, (uint8_t[]){ 192, 168, (uint8_t)i, 2 }, 4);
	put16(ip + 10, ip_checksum(ip, 20));
	o += 20;
	memset(o, 0, 20);
	put16(o, (uint16_t)(1000 + i));
	put16(o + 2, 80);
	o[12] = 0x50;                             /* data offset 5 words */
	o[13] = 0x02;                             /* SYN */
	put16(o + 14, 65535);
	o += 20;
	for (size_t k = 0; k < payload; k++)
		*o++ = (uint8_t)k;
	return (size_t)(o - p);
}

static void json_ip4(const char *key, const uint8_t *a)
{
	fprintf(js, "\"%s\": \"%u.%u.%u.%u\"", key, a[0], a[1], a[2], a[3]);
}

static void json_ip6(const char *key, const uint8_t *a)
{
	char text[INET6_ADDRSTRLEN];
	inet_ntop(AF_INET6, a, text, sizeof(text));
	fprintf(js, "\"%s\": \"%s\"", key, text);
}

static void json_rec_ipv4(uint32_t fmt, const struct dps_sampled_ipv4 *r)
{
	rec_sep(), fprintf(js, "{\"format\": %u, \"length\": %u, \"protocol\": %u, ", fmt, r->length,
		r->protocol);
	json_ip4("src_ip", r->src);
	fprintf(js, ", ");
	json_ip4("dst_ip", r->dst);
	fprintf(js, ", \"src_port\": %u, \"dst_port\": %u, \"tcp_flags\": %u, \"tos\": %u}",
		r->src_port, r->dst_port, r->tcp_flags, r->tos);
}

static void json_rec_ipv6(uint32_t fmt, const struct dps_sampled_ipv6 *r)
{
	rec_sep(), fprintf(js, "{\"format\": %u, \"length\": %u, \"protocol\": %u, ", fmt, r->length,
		r->protocol);
	json_ip6("src_ip", r->src);
	fprintf(js, ", ");
	json_ip6("dst_ip", r->dst);
	fprintf(js, ", \"src_port\": %u, \"dst_port\": %u, \"tcp_flags\": %u, \"priority\": %u}",
		r->src_port, r->dst_port, r->tcp_flags, r->priority);
}

static void json_port(const char *key, const struct dps_sflow_port *p)
{
	fprintf(js, "\"%s\": {\"format\": %u, \"value\": %u}", key, p->format, p->value);
}

static void add_flow(struct dps_agent *a, const struct dps_flow_sample *fs, bool first)
{
	uint32_t mask = tunnel ? DPS_FR_ALL : DPS_FR_ALL & ~(uint32_t)DPS_FR_TUNNEL_RECORDS;
	uint32_t rec = fs->records & mask;
	if (dps_agent_add_flow(a, fs, 0) != 0) {
		fprintf(stderr, "add_flow failed\n");
		exit(1);
	}
	fprintf(js, "%s\n   {\"sample_type\": \"flow\", \"format\": %u, \"seq\": %u, "
		"\"source_id_type\": %u, \"source_id_index\": %u, \"sampling_rate\": %u, "
		"\"sample_pool\": %u, \"drops\": %u, ",
		first ? "" : ",", dps_flow_sample_expanded(fs) ? 3 : 1,
		++flow_seq[fs->source_index & 3], fs->source_type, fs->source_index,
		fs->sampling_rate, fs->sample_pool, fs->drops);
	json_port("input", &fs->input);
	fprintf(js, ", ");
	json_port("output", &fs->output);
	fprintf(js, ", \"records\": [");
	rec_first = true;
	if (rec & DPS_FR_HEADER) {
		rec_sep(), fprintf(js, "{\"format\": 1, \"header_protocol\": %u, \"frame_length\": %u, "
			"\"stripped\": %u, \"header_length\": %u, \"header\": \"",
			fs->header.protocol, fs->header.frame_length, fs->header.stripped,
			fs->header.header_length);
		for (uint32_t i = 0; i < fs->header.header_length; i++)
			fprintf(js, "%02x", fs->header.header[i]);
		fprintf(js, "\"}");
	}
	if (rec & DPS_FR_IPV4)
		json_rec_ipv4(3, &fs->ipv4);
	if (rec & DPS_FR_IPV6)
		json_rec_ipv6(4, &fs->ipv6);
	if (rec & DPS_FR_SWITCH)
		rec_sep(), fprintf(js, "{\"format\": 1001, \"src_vlan\": %u, \"src_priority\": %u, "
			"\"dst_vlan\": %u, \"dst_priority\": %u}", fs->sw.src_vlan,
			fs->sw.src_priority, fs->sw.dst_vlan, fs->sw.dst_priority);
	if (rec & DPS_FR_MPLS) {
		const struct dps_ext_mpls *m = &fs->mpls;
		rec_sep(), fprintf(js, "{\"format\": 1006, \"next_hop\": {\"type\": %u, ", m->next_hop.type);
		if (m->next_hop.type == DPS_SFLOW_ADDR_IPV4)
			json_ip4("address", m->next_hop.bytes);
		else
			json_ip6("address", m->next_hop.bytes);
		fprintf(js, "}, \"in_stack\": [");
		for (uint32_t i = 0; i < m->n_in; i++)
			fprintf(js, "%s%u", i ? ", " : "", m->in_stack[i]);
		fprintf(js, "], \"out_stack\": [");
		for (uint32_t i = 0; i < m->n_out; i++)
			fprintf(js, "%s%u", i ? ", " : "", m->out_stack[i]);
		fprintf(js, "]}");
	}
	if (rec & DPS_FR_IPV4_TUN_EGRESS)
		json_rec_ipv4(1023, &fs->tun4_egress);
	if (rec & DPS_FR_IPV4_TUN_INGRESS)
		json_rec_ipv4(1024, &fs->tun4_ingress);
	if (rec & DPS_FR_IPV6_TUN_EGRESS)
		json_rec_ipv6(1025, &fs->tun6_egress);
	if (rec & DPS_FR_IPV6_TUN_INGRESS)
		json_rec_ipv6(1026, &fs->tun6_ingress);
	if (rec & DPS_FR_DECAP_EGRESS)
		rec_sep(), fprintf(js, "{\"format\": 1027, \"inner_header_offset\": %u}",
			fs->decap_egress_offset);
	if (rec & DPS_FR_DECAP_INGRESS)
		rec_sep(), fprintf(js, "{\"format\": 1028, \"inner_header_offset\": %u}",
			fs->decap_ingress_offset);
	if (rec & DPS_FR_VNI_EGRESS)
		rec_sep(), fprintf(js, "{\"format\": 1029, \"vni\": %u}", fs->vni_egress);
	if (rec & DPS_FR_VNI_INGRESS)
		rec_sep(), fprintf(js, "{\"format\": 1030, \"vni\": %u}", fs->vni_ingress);
	fprintf(js, "]}");
}

static void add_counters(struct dps_agent *a, const struct dps_counters_sample *cs, bool first)
{
	if (dps_agent_add_counters(a, cs, 0) != 0) {
		fprintf(stderr, "add_counters failed\n");
		exit(1);
	}
	const struct dps_if_counters *g = &cs->generic;
	const struct dps_eth_counters *e = &cs->eth;
	fprintf(js, "%s\n   {\"sample_type\": \"counters\", \"format\": %u, \"seq\": %u, "
		"\"source_id_type\": %u, \"source_id_index\": %u, \"records\": [",
		first ? "" : ",", cs->source_index >= 0x01000000 ? 4 : 2,
		++ctr_seq[cs->source_index & 3], cs->source_type, cs->source_index);
	rec_first = true;
	if (cs->records & DPS_CR_GENERIC)
		rec_sep(), fprintf(js, "{\"format\": 1, \"ifIndex\": %u, \"ifType\": %u, \"ifSpeed\": %llu, "
			"\"ifDirection\": %u, \"ifStatus\": %u, \"ifInOctets\": %llu, "
			"\"ifInUcastPkts\": %u, \"ifInMulticastPkts\": %u, \"ifInBroadcastPkts\": %u, "
			"\"ifInDiscards\": %u, \"ifInErrors\": %u, \"ifInUnknownProtos\": %u, "
			"\"ifOutOctets\": %llu, \"ifOutUcastPkts\": %u, \"ifOutMulticastPkts\": %u, "
			"\"ifOutBroadcastPkts\": %u, \"ifOutDiscards\": %u, \"ifOutErrors\": %u, "
			"\"ifPromiscuousMode\": %u}",
			g->ifIndex, g->ifType, (unsigned long long)g->ifSpeed, g->ifDirection,
			g->ifStatus, (unsigned long long)g->ifInOctets, g->ifInUcastPkts,
			g->ifInMulticastPkts, g->ifInBroadcastPkts, g->ifInDiscards, g->ifInErrors,
			g->ifInUnknownProtos, (unsigned long long)g->ifOutOctets, g->ifOutUcastPkts,
			g->ifOutMulticastPkts, g->ifOutBroadcastPkts, g->ifOutDiscards,
			g->ifOutErrors, g->ifPromiscuousMode);
	if (cs->records & DPS_CR_ETHERNET)
		rec_sep(), fprintf(js, "{\"format\": 2, \"dot3StatsAlignmentErrors\": %u, "
			"\"dot3StatsFCSErrors\": %u, \"dot3StatsSingleCollisionFrames\": %u, "
			"\"dot3StatsMultipleCollisionFrames\": %u, \"dot3StatsSQETestErrors\": %u, "
			"\"dot3StatsDeferredTransmissions\": %u, \"dot3StatsLateCollisions\": %u, "
			"\"dot3StatsExcessiveCollisions\": %u, "
			"\"dot3StatsInternalMacTransmitErrors\": %u, "
			"\"dot3StatsCarrierSenseErrors\": %u, \"dot3StatsFrameTooLongs\": %u, "
			"\"dot3StatsInternalMacReceiveErrors\": %u, \"dot3StatsSymbolErrors\": %u}",
			e->dot3StatsAlignmentErrors, e->dot3StatsFCSErrors,
			e->dot3StatsSingleCollisionFrames, e->dot3StatsMultipleCollisionFrames,
			e->dot3StatsSQETestErrors, e->dot3StatsDeferredTransmissions,
			e->dot3StatsLateCollisions, e->dot3StatsExcessiveCollisions,
			e->dot3StatsInternalMacTransmitErrors, e->dot3StatsCarrierSenseErrors,
			e->dot3StatsFrameTooLongs, e->dot3StatsInternalMacReceiveErrors,
			e->dot3StatsSymbolErrors);
	if (cs->records & DPS_CR_PORT_NAME)
		rec_sep(), fprintf(js, "{\"format\": 1005, \"name\": \"%s\"}", cs->port_name);
	fprintf(js, "]}");
}

static void begin_datagram(const char *agent, uint32_t sub, uint32_t seq, uint32_t uptime,
			   bool first)
{
	fprintf(js, "%s\n  {\"agent\": \"%s\", \"sub_agent_id\": %u, \"seq\": %u, "
		"\"uptime\": %u, \"samples\": [", first ? "" : ",", agent, sub, seq, uptime);
}

static void write_outputs(const char *dir)
{
	char path[4096];
	for (unsigned i = 0; i < n_dgrams; i++) {
		snprintf(path, sizeof(path), "%s/dgram_%03u.bin", dir, i);
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(dgrams[i], 1, dgram_len[i], f) != dgram_len[i] || fclose(f)) {
			perror(path);
			exit(1);
		}
	}
	snprintf(path, sizeof(path), "%s/sflow.pcap", dir);
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(1);
	}
	/* classic pcap, little endian, microseconds, LINKTYPE_ETHERNET */
	static const uint8_t gh[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0,
					0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0 };
	fwrite(gh, 1, sizeof(gh), f);
	for (unsigned i = 0; i < n_dgrams; i++) {
		uint8_t hdr[14 + 20 + 8];
		size_t len = sizeof(hdr) + dgram_len[i];
		memcpy(hdr, "\x02\x00\x00\x00\x00\x0a\x02\x00\x00\x00\x00\x0b\x08\x00", 14);
		uint8_t *ip = hdr + 14;
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(20 + 8 + dgram_len[i]));
		ip[8] = 64;
		ip[9] = 17;
		memcpy(ip + 12, (uint8_t[]){ 192, 0, 2, 10 }, 4);
		memcpy(ip + 16, (uint8_t[]){ 192, 0, 2, 99 }, 4);
		put16(ip + 10, ip_checksum(ip, 20));
		uint8_t *udp = ip + 20;
		put16(udp, 40000);
		put16(udp + 2, DPS_SFLOW_PORT);
		put16(udp + 4, (uint16_t)(8 + dgram_len[i]));
		put16(udp + 6, 0);                 /* no checksum (allowed over IPv4) */
		uint32_t rec[4] = { 1700000000u + i, 0, (uint32_t)len, (uint32_t)len };
		uint8_t rh[16];
		for (int w = 0; w < 4; w++)
			for (int b = 0; b < 4; b++)
				rh[w * 4 + b] = (uint8_t)(rec[w] >> (8 * b));
		fwrite(rh, 1, 16, f);
		fwrite(hdr, 1, sizeof(hdr), f);
		fwrite(dgrams[i], 1, dgram_len[i], f);
	}
	if (fclose(f)) {
		perror(path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[2], "tunnel") && strcmp(argv[2], "notunnel"))) {
		fprintf(stderr, "usage: %s OUTDIR tunnel|notunnel\n", argv[0]);
		return 2;
	}
	tunnel = strcmp(argv[2], "tunnel") == 0;
	char path[4096];
	snprintf(path, sizeof(path), "%s/expected.json", argv[1]);
	js = fopen(path, "w");
	if (!js) {
		perror(path);
		return 1;
	}

	struct dps_agent_config cfg = { .sub_agent_id = 7, .datagram_bytes = 9000,
					.n_collectors = 1 };
	dps_sflow_addr_parse(&cfg.agent_addr, "192.0.2.10");
	cfg.collectors[0].send = capture;
	cfg.collectors[0].tunnel_records = tunnel;
	struct dps_agent *a = dps_agent_create(&cfg);
	if (!a)
		return 1;

	static uint8_t pkt[4][600];
	size_t pkt_len[4];
	for (unsigned i = 0; i < 4; i++)
		pkt_len[i] = build_vxlan_packet(pkt[i], i, 300 + i);

	fprintf(js, "{\"tunnel_records\": %s, \"datagrams\": [", tunnel ? "true" : "false");
	uint32_t dseq = 0, uptime = 1000;
	/* Datagram 1: flow samples with headers of odd and even lengths, switch, IPv4, IPv6,
	 * MPLS, tunnel records; a counters sample. */
	begin_datagram("192.0.2.10", 7, ++dseq, uptime, true);
	for (unsigned i = 0; i < 4; i++) {
		struct dps_flow_sample fs = {
			.source_type = 0, .source_index = 1 + (i & 1), .sampling_rate = 1000 * (i + 1),
			.sample_pool = 123456 + i * 1000, .drops = i,
			.input = { DPS_PORT_IFINDEX, 5 + i },
			.output = i == 3 ? (struct dps_sflow_port){ DPS_PORT_MULTIPLE, 2 }
					 : (struct dps_sflow_port){ DPS_PORT_IFINDEX, 9 },
			.records = DPS_FR_HEADER | DPS_FR_SWITCH | DPS_FR_IPV4 | DPS_FR_TUNNEL_RECORDS,
			.header = { 1, (uint32_t)pkt_len[i] + 4, 4, 101 + i, pkt[i] },
			.sw = { 100 + i, i, 200 + i, 7 - i },
			.ipv4 = { 20 + 8 + 8 + 14 + 40 + 300 + i, 17, { 10, 1, 0, (uint8_t)(1 + i) },
				  { 10, 1, 0, 200 }, 49152 + i, 4789, 0, 0 },
			.tun4_egress = { 100 + i, 17, { 172, 16, 0, 1 }, { 172, 16, 0, 2 }, 33000 + i,
					 6081, 0, 0x10 },
			.tun4_ingress = { 400 + i, 17, { 10, 1, 0, (uint8_t)(1 + i) }, { 10, 1, 0, 200 },
					  49152 + i, 4789, 0x12, 0 },
			.tun6_egress = { .length = 80 + i, .protocol = 47,
					 .src = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
					 .dst = { 0x20, 0x01, 0x0d, 0xb8, [15] = (uint8_t)(2 + i) },
					 .priority = i },
			.tun6_ingress = { .length = 90 + i, .protocol = 17,
					  .src = { 0xfd, 0, [15] = 0x11 }, .dst = { 0xfd, 0, [15] = 0x22 },
					  .src_port = 50000, .dst_port = 4790, .tcp_flags = 0,
					  .priority = 0xb8 },
			.decap_egress_offset = 0, .decap_ingress_offset = 50,
			.vni_egress = 0xfffffe - i, .vni_ingress = 1000 + i,
		};
		if (i == 2) {
			fs.records |= DPS_FR_IPV6 | DPS_FR_MPLS;
			fs.ipv6 = (struct dps_sampled_ipv6){ .length = 1280, .protocol = 6,
				.src = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 5 },
				.dst = { 0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 6 },
				.src_port = 443, .dst_port = 61000, .tcp_flags = 0x18, .priority = 0x28 };
			fs.mpls = (struct dps_ext_mpls){ .next_hop = { 1, { 10, 9, 8, 7 } },
				.n_in = 2, .in_stack = { 0x00011140, 0x000221ff },
				.n_out = 1, .out_stack = { 0x00033140 } };
		}
		add_flow(a, &fs, i == 0);
	}
	struct dps_counters_sample cs = {
		.source_type = 0, .source_index = 1,
		.records = DPS_CR_GENERIC | DPS_CR_ETHERNET,
		.generic = { 1, 6, 25000000000ull, 1, 3, 0x123456789aull, 1001, 1002, 1003, 4, 5, 6,
			     0x0fedcba987ull, 2001, 2002, 2003, 7, 8, 0 },
		.eth = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, DPS_SFLOW_UNKNOWN_COUNTER },
	};
	add_counters(a, &cs, false);
	fprintf(js, "]}");
	dps_agent_flush(a, uptime);

	/* Datagram 2: expanded formats (index >= 2^24), discard output, port name. */
	uptime = 2500;
	begin_datagram("192.0.2.10", 7, ++dseq, uptime, false);
	struct dps_flow_sample ex = {
		.source_type = 0, .source_index = 3 | 0x01000000, .sampling_rate = 65536,
		.sample_pool = 0xfffffff0, .drops = 0xffffffff,
		.input = { DPS_PORT_IFINDEX, 0x01000001 }, .output = { DPS_PORT_DISCARD, 258 },
		.records = DPS_FR_HEADER | DPS_FR_VNI_INGRESS,
		.header = { 1, (uint32_t)pkt_len[3] + 4, 4, 128, pkt[3] },
		.vni_ingress = 1003,
	};
	add_flow(a, &ex, true);
	struct dps_counters_sample cx = {
		.source_type = 0, .source_index = 2 | 0x01000000, .records = DPS_CR_GENERIC,
		.generic = { 0x01000002, 6, 100000000000ull, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
			     12, 13, 1 },
	};
	add_counters(a, &cx, false);
	fprintf(js, "]}");
	dps_agent_flush(a, uptime);

	/* Datagram 3: IPv6 agent after a reload; numbering continues. */
	uptime = 4000;
	dps_sflow_addr_parse(&cfg.agent_addr, "2001:db8::10");
	cfg.sub_agent_id = 9;
	if (dps_agent_reconfigure(a, &cfg, uptime) != 0)
		return 1;
	begin_datagram("2001:db8::10", 9, ++dseq, uptime, false);
	struct dps_flow_sample f6 = {
		.source_type = 0, .source_index = 1, .sampling_rate = 1, .sample_pool = 42,
		.input = { DPS_PORT_IFINDEX, 0x3fffffff }, .output = { DPS_PORT_IFINDEX, 0 },
		.records = DPS_FR_HEADER,
		.header = { 1, (uint32_t)pkt_len[0] + 4, 4, 104, pkt[0] },
	};
	add_flow(a, &f6, true);
	struct dps_counters_sample cp = { .source_type = 0, .source_index = 1,
					  .records = DPS_CR_PORT_NAME, .port_name = "dpdk0" };
	add_counters(a, &cp, false);   /* tshark 4.0 shows 1005 as unknown but skips it */
	fprintf(js, "]}");
	dps_agent_destroy(a, uptime);
	fprintf(js, "\n]}\n");
	if (fclose(js))
		return 1;
	if (n_dgrams != dseq) {
		fprintf(stderr, "expected %u datagrams, captured %u\n", dseq, n_dgrams);
		return 1;
	}
	write_outputs(argv[1]);
	return 0;
}
