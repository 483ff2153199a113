/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --print-samples: one JSON object per exported flow sample on stdout, so an operator can see
 * what the collector should receive without a collector. Plain C (tested without EAL).
 */
#include <arpa/inet.h>
#include <stdio.h>

#include "print_json.h"

static void
print_addr(FILE *f, const char *key, const struct dps_ip_addr *a)
{
	char text[INET6_ADDRSTRLEN];

	if (a->family == DPS_AF_IPV4)
		inet_ntop(AF_INET, a->bytes, text, sizeof(text));
	else if (a->family == DPS_AF_IPV6)
		inet_ntop(AF_INET6, a->bytes, text, sizeof(text));
	else
		return;
	fprintf(f, ",\"%s\":\"%s\"", key, text);
}

static void
print_flow(FILE *f, const char *key, const struct dps_flow *fl)
{
	fprintf(f, ",\"%s\":{\"protocol\":%u,\"length\":%u,\"src_port\":%u,\"dst_port\":%u,"
		"\"tcp_flags\":%u,\"tos\":%u", key, fl->protocol, fl->length, fl->src_port,
		fl->dst_port, fl->tcp_flags, fl->tos);
	print_addr(f, "src", &fl->src);
	print_addr(f, "dst", &fl->dst);
	fputc('}', f);
}

void
dps_print_sample_json(FILE *f, const char *port_name, const struct dps_flow_sample *fs,
		      const struct dps_sample_view *v)
{
	uint32_t i;

	fprintf(f, "{\"type\":\"flow_sample\",\"port\":\"%s\",\"source_id\":%u,"
		"\"sampling_rate\":%u,\"sample_pool\":%u,\"drops\":%u,\"input\":%u,\"output\":%u,"
		"\"frame_length\":%u,\"stripped\":%u,\"header_length\":%u",
		port_name, fs->source_index, fs->sampling_rate, fs->sample_pool, fs->drops,
		fs->input.value, fs->output.value, fs->header.frame_length, fs->header.stripped,
		fs->header.header_length);
	if (v != NULL) {
		fprintf(f, ",\"decode\":\"%s\",\"tunnel\":\"%s\",\"tunnel_depth\":%u",
			dps_decode_status_name((enum dps_decode_status)v->status),
			dps_tunnel_proto_name((enum dps_tunnel_proto)v->tunnel_proto),
			v->tunnel_depth);
		if (v->has_vni)
			fprintf(f, ",\"vni\":%u", v->vni);
		if (v->has_inner_offset)
			fprintf(f, ",\"inner_header_offset\":%u", v->inner_header_offset);
		struct dps_flow fl;
		/* the view was decoded from the sampled header bytes */
		if (v->tunnel_depth > 0 && dps_flow_read(fs->header.header, fs->header.header_length,
							 &v->underlay, &fl))
			print_flow(f, "underlay", &fl);
		if (dps_flow_read(fs->header.header, fs->header.header_length, &v->flow, &fl))
			print_flow(f, "flow", &fl);
		if (v->n_vlans > 0)
			fprintf(f, ",\"vlan\":%u,\"vlan_pcp\":%u", v->vlan_outer_vid,
				v->vlan_outer_pcp);
		if (v->n_mpls_stored > 0) {
			fputs(",\"mpls\":[", f);
			for (i = 0; i < v->n_mpls_stored && i < DPS_MAX_MPLS_LABELS; i++)
				fprintf(f, "%s%u", i ? "," : "", dps_mpls_label(v->mpls_lse[i]));
			fputc(']', f);
		}
		if (v->has_nsh)
			fprintf(f, ",\"nsh_spi\":%u,\"nsh_si\":%u", v->nsh_spi, v->nsh_si);
	}
	{
		/* one fwrite instead of a printf per byte: this line is on the exporter's path */
		static const char hex[] = "0123456789abcdef";
		char text[2 * DPS_MAX_HEADER_BYTES];
		uint32_t n = fs->header.header_length;

		if (n > DPS_MAX_HEADER_BYTES)
			n = DPS_MAX_HEADER_BYTES;
		for (i = 0; i < n; i++) {
			text[2 * i] = hex[fs->header.header[i] >> 4];
			text[2 * i + 1] = hex[fs->header.header[i] & 15];
		}
		fputs(",\"header\":\"", f);
		fwrite(text, 1, 2 * n, f);
		fputs("\"}\n", f);
	}
}
