/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Turns one sample record plus its decoded view into an sFlow flow sample:
 *
 *   record / view                     flow sample field or record
 *   --------------------------------  ------------------------------------------------------
 *   port ifIndex, rate, pool, drops   source_id, sampling_rate, sample_pool, drops
 *   in/out ifIndex                    input, output (0 = unknown in monitor mode)
 *   header bytes, frame_len           sampled_header (frame_length + 4 FCS, stripped 4)
 *   view.flow (innermost IP)          sampled_ipv4 (3) / sampled_ipv6 (4)
 *   view.underlay (outer IP)          extended_ipv4/ipv6_tunnel_ingress (1024 / 1026)
 *     (both read from the header bytes the view was decoded from: dps_flow_fields)
 *   view.vni                          extended_vni_ingress (1030)
 *   view.inner_header_offset          extended_decapsulate_ingress (1028)
 *   view.vlan_outer_*                 extended_switch (1001)
 *   view.mpls_lse                     extended_mpls (1006) in_stack
 *
 * Plain C on purpose (no DPDK): the mapping is unit-tested without EAL.
 */
#include <string.h>

#include "flow_export.h"

/* Records straight from the header bytes (dps_flow_fields): no struct dps_flow in between. */
static void
fill_ipv4(struct dps_sampled_ipv4 *out, const struct dps_flow_ref *ref,
	  const struct dps_flow_fields *f)
{
	out->length = f->length;
	out->protocol = ref->protocol;
	memcpy(out->src, f->src, 4);
	memcpy(out->dst, f->dst, 4);
	out->src_port = f->src_port;
	out->dst_port = f->dst_port;
	out->tcp_flags = f->tcp_flags;
	out->tos = f->tos;
}

static void
fill_ipv6(struct dps_sampled_ipv6 *out, const struct dps_flow_ref *ref,
	  const struct dps_flow_fields *f)
{
	out->length = f->length;
	out->protocol = ref->protocol;
	memcpy(out->src, f->src, 16);
	memcpy(out->dst, f->dst, 16);
	out->src_port = f->src_port;
	out->dst_port = f->dst_port;
	out->tcp_flags = f->tcp_flags;
	out->priority = f->tos;
}

/* The packet a ref names into the IPv4 or the IPv6 record given, by its family; nothing when
 * the ref names none. Always inlined: gcc's out-of-line copy cost 25 to 50 more instructions
 * per sample (callgrind, bench_decoder --sample). */
static inline __attribute__((always_inline)) void
fill_flow(struct dps_flow_sample *fs, const struct dps_flow_export_in *in,
	  const struct dps_flow_ref *ref, struct dps_sampled_ipv4 *rec4, uint32_t bit4,
	  struct dps_sampled_ipv6 *rec6, uint32_t bit6)
{
	struct dps_flow_fields f;

	switch (dps_flow_fields(in->header, in->header_len, ref, &f)) {
	case DPS_AF_IPV4:
		fs->records |= bit4;
		fill_ipv4(rec4, ref, &f);
		break;
	case DPS_AF_IPV6:
		fs->records |= bit6;
		fill_ipv6(rec6, ref, &f);
		break;
	default:
		break;
	}
}

void
dps_flow_export_fill(struct dps_flow_sample *fs, const struct dps_flow_export_in *in,
		     const struct dps_sample_view *v)
{
	memset(fs, 0, sizeof(*fs));
	fs->source_type = DPS_SFLOW_DS_IFINDEX;
	fs->source_index = in->source_ifindex;
	fs->sampling_rate = in->sampling_rate;
	fs->sample_pool = (uint32_t)in->sample_pool;
	fs->drops = (uint32_t)in->drops;
	fs->input.format = DPS_PORT_IFINDEX;
	fs->input.value = in->in_ifindex;
	fs->output.format = DPS_PORT_IFINDEX;
	fs->output.value = in->out_ifindex;

	fs->records = DPS_FR_HEADER;
	fs->header.protocol = DPS_SFLOW_HEADER_ETHERNET;
	/* DPDK hands frames without the FCS: report the wire length and say 4 were stripped */
	fs->header.frame_length = in->frame_len + 4;
	fs->header.stripped = 4;
	fs->header.header_length = in->header_len;
	fs->header.header = in->header;

	if (v == NULL)
		return;
	fill_flow(fs, in, &v->flow, &fs->ipv4, DPS_FR_IPV4, &fs->ipv6, DPS_FR_IPV6);
	if (v->tunnel_depth > 0)
		fill_flow(fs, in, &v->underlay, &fs->tun4_ingress, DPS_FR_IPV4_TUN_INGRESS,
			  &fs->tun6_ingress, DPS_FR_IPV6_TUN_INGRESS);
	if (v->has_vni) {
		fs->records |= DPS_FR_VNI_INGRESS;
		fs->vni_ingress = v->vni;
	}
	if (v->has_inner_offset) {
		fs->records |= DPS_FR_DECAP_INGRESS;
		fs->decap_ingress_offset = v->inner_header_offset;
	}
	if (v->n_vlans > 0) {
		/* the agent does not rewrite tags: the packet leaves on the VLAN it came in on */
		fs->records |= DPS_FR_SWITCH;
		fs->sw.src_vlan = v->vlan_outer_vid;
		fs->sw.src_priority = v->vlan_outer_pcp;
		fs->sw.dst_vlan = v->vlan_outer_vid;
		fs->sw.dst_priority = v->vlan_outer_pcp;
	}
	if (v->n_mpls_stored > 0) {
		unsigned int i, n = v->n_mpls_stored;

		if (n > DPS_MAX_MPLS_LABELS)
			n = DPS_MAX_MPLS_LABELS;
		fs->records |= DPS_FR_MPLS;
		fs->mpls.next_hop.type = DPS_SFLOW_ADDR_UNKNOWN;
		fs->mpls.n_in = n;
		for (i = 0; i < n; i++)
			fs->mpls.in_stack[i] = v->mpls_lse[i];
	}
}
