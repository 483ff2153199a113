/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ovs_export.c - turns a sample ovs-vswitchd wrote into the ring into an sFlow flow sample.
 *
 *   ring record / decoded actions           flow sample field or record
 *   --------------------------------------  --------------------------------------------------
 *   input port → OVS ifindex                source_id, input
 *   sFlow cookie 'output'                   output (ifIndex, or discard / multiple encodings)
 *   sampling_rate, pools over all PMDs      sampling_rate, sample_pool, drops
 *   header bytes, frame_length              sampled_header; sampled_ipv4/6 via the decoder
 *   input tunnel metadata (after tnl_pop)   extended_ipv4/ipv6_tunnel_ingress (1024/1026),
 *                                           extended_vni_ingress (1030)
 *   tnl_push in the action list             extended_ipv4/ipv6_tunnel_egress (1023/1025),
 *                                           extended_vni_egress (1029)
 *   cookie VLAN TCI, packet's outer tag     extended_switch (1001)
 *   packet's MPLS stack, pushed labels      extended_mpls (1006) in/out stacks
 *
 * Stock OVS sends tunnel lengths of 0 and UDP ports byte-swapped (design brief §5); here the
 * ports come from the decoded header in numeric form, and the outer lengths are rebuilt from
 * the frame length and the encapsulation overhead.
 */
#include <arpa/inet.h>
#include <string.h>

#include "flow_export.h"
#include "ovs_export.h"

#define VXLAN_PORT 4789
#define GENEVE_PORT 6081
#define IPPROTO_UDP_ 17
#define IPPROTO_GRE_ 47

/* sFlow 'output' as OVS's cookie encodes it: the top two bits pick ifIndex (0), discard (1)
 * or multiple (2); the rest is the value. */
static void output_from_cookie(struct dps_sflow_port *out, uint32_t cookie_output)
{
	out->format = cookie_output >> 30;
	out->value = cookie_output & 0x3fffffffu;
	if (out->format > DPS_PORT_MULTIPLE) { /* 3 is not defined: say unknown */
		out->format = DPS_PORT_IFINDEX;
		out->value = 0;
	}
}

/* Bytes the encapsulation added in front of the inner Ethernet frame, outer IP header
 * excluded; 0 when the protocol is not known from the metadata. */
static uint32_t ingress_overhead(const struct dps_ovs_record *rec, uint32_t *ip_proto)
{
	if (rec->tun_tp_dst != 0) {
		*ip_proto = IPPROTO_UDP_;
		/* UDP 8 + VXLAN 8, or UDP 8 + Geneve 8 + its options */
		uint32_t opts = rec->tun_opts_length;
		if (opts > DPS_OVS_RING_TUN_OPTS_BYTES) /* another process wrote it: bound it */
			opts = DPS_OVS_RING_TUN_OPTS_BYTES;
		return 16u + (rec->tun_tp_dst == GENEVE_PORT ? opts : 0u);
	}
	*ip_proto = IPPROTO_GRE_;
	/* GRE base 4 + key 4 (OVS's GRE ports carry the key) */
	return 4u + ((rec->flags & DPS_OVS_REC_TUNNEL_KEY) ? 4u : 0u);
}

static void ingress_tunnel(struct dps_flow_sample *fs, const struct dps_ovs_record *rec)
{
	uint32_t proto, inner = rec->frame_length + ingress_overhead(rec, &proto);

	if (rec->flags & DPS_OVS_REC_TUNNEL_IPV6) {
		struct dps_sampled_ipv6 *t = &fs->tun6_ingress;
		fs->records |= DPS_FR_IPV6_TUN_INGRESS;
		fs->records &= ~(uint32_t)DPS_FR_IPV4_TUN_INGRESS;
		memset(t, 0, sizeof(*t));
		t->length = inner; /* IPv6: payload length */
		t->protocol = proto;
		memcpy(t->src, rec->tun_src, 16);
		memcpy(t->dst, rec->tun_dst, 16);
		t->src_port = rec->tun_tp_src;
		t->dst_port = rec->tun_tp_dst;
		t->priority = rec->tun_tos;
	} else {
		struct dps_sampled_ipv4 *t = &fs->tun4_ingress;
		fs->records |= DPS_FR_IPV4_TUN_INGRESS;
		fs->records &= ~(uint32_t)DPS_FR_IPV6_TUN_INGRESS;
		memset(t, 0, sizeof(*t));
		t->length = inner + 20u;
		t->protocol = proto;
		memcpy(t->src, rec->tun_src, 4);
		memcpy(t->dst, rec->tun_dst, 4);
		t->src_port = rec->tun_tp_src;
		t->dst_port = rec->tun_tp_dst;
		t->tos = rec->tun_tos;
	}
	if (rec->flags & DPS_OVS_REC_TUNNEL_KEY) {
		fs->records |= DPS_FR_VNI_INGRESS;
		/* VXLAN/Geneve carry a 24-bit VNI in tun_id; GRE a 32-bit key */
		fs->vni_ingress = (uint32_t)rec->tun_id;
	}
	/* the packet in the record is already decapsulated: no inner offset to report */
	fs->records &= ~(uint32_t)DPS_FR_DECAP_INGRESS;
}

static void egress_tunnel(struct dps_flow_sample *fs, const struct dps_odp_tunnel *t,
			  uint32_t frame_length)
{
	/* tnl_push prepends header_len bytes, 14 of which are the outer Ethernet header */
	uint32_t outer_ip = frame_length + (t->header_len > 14 ? t->header_len - 14u : 0u);

	if (t->ip_version == 6) {
		struct dps_sampled_ipv6 *e = &fs->tun6_egress;
		fs->records |= DPS_FR_IPV6_TUN_EGRESS;
		memset(e, 0, sizeof(*e));
		e->length = outer_ip > 40 ? outer_ip - 40u : 0u;
		e->protocol = t->ip_proto;
		memcpy(e->src, t->src_ip, 16);
		memcpy(e->dst, t->dst_ip, 16);
		e->src_port = t->udp_src;
		e->dst_port = t->udp_dst;
		e->priority = t->tos;
	} else if (t->ip_version == 4) {
		struct dps_sampled_ipv4 *e = &fs->tun4_egress;
		fs->records |= DPS_FR_IPV4_TUN_EGRESS;
		memset(e, 0, sizeof(*e));
		e->length = outer_ip;
		e->protocol = t->ip_proto;
		memcpy(e->src, t->src_ip, 4);
		memcpy(e->dst, t->dst_ip, 4);
		e->src_port = t->udp_src;
		e->dst_port = t->udp_dst;
		e->tos = t->tos;
	}
	if (t->flags & DPS_ODP_TNLF_KEY) {
		fs->records |= DPS_FR_VNI_EGRESS;
		fs->vni_egress = t->vni;
	}
}

void dps_ovs_export_fill(struct dps_ovs_export_out *out, const struct dps_ovs_export_in *in,
			 const struct dps_decode_config *decode_cfg)
{
	const struct dps_ovs_record *rec = in->rec;
	struct dps_flow_export_in fin;
	uint32_t header_len = rec->header_length;

	/* the record comes from another process: never trust its lengths */
	if (header_len > DPS_OVS_RING_HEADER_BYTES)
		header_len = DPS_OVS_RING_HEADER_BYTES;
	if (header_len > rec->frame_length)
		header_len = rec->frame_length;
	if (in->header_bytes != 0 && header_len > in->header_bytes)
		header_len = in->header_bytes;
	dps_decode_sample_view(decode_cfg, rec->header, header_len, rec->frame_length,
			       &out->view);

	memset(&fin, 0, sizeof(fin));
	fin.source_ifindex = in->source_ifindex ? in->source_ifindex : in->in_ifindex;
	fin.sampling_rate = rec->sampling_rate;
	fin.sample_pool = in->sample_pool;
	fin.drops = in->drops;
	fin.in_ifindex = in->in_ifindex;
	fin.frame_len = rec->frame_length;
	fin.header_len = header_len;
	fin.header = rec->header;
	dps_flow_export_fill(&out->fs, &fin, &out->view);
	output_from_cookie(&out->fs.output, rec->sflow_output);

	if (rec->flags & DPS_OVS_REC_TUNNEL)
		ingress_tunnel(&out->fs, rec);

	uint32_t alen = rec->actions_length;
	if (alen > DPS_OVS_RING_ACTIONS_BYTES)
		alen = DPS_OVS_RING_ACTIONS_BYTES;
	out->actions_ok = dps_odp_decode(rec->actions, alen, &out->actions) == DPS_ODP_OK;
	const struct dps_odp_summary *a = &out->actions;
	for (unsigned i = 0; i < a->n_tunnels && i < DPS_ODP_MAX_TUNNELS; i++) {
		if (a->tunnels[i].origin == DPS_ODP_FROM_PUSH) {
			egress_tunnel(&out->fs, &a->tunnels[i], rec->frame_length);
			break; /* sFlow has room for one egress tunnel */
		}
	}

	/* extended_switch: the VLAN the packet leaves on is the cookie's (OVS computed it from
	 * the output port's VLAN mode); the one it came in on is the packet's outer tag */
	uint16_t tci = ntohs(rec->sflow_vlan_tci_be);
	if (tci != 0 || out->view.n_vlans > 0) {
		out->fs.records |= DPS_FR_SWITCH;
		out->fs.sw.src_vlan = out->view.n_vlans ? out->view.vlan_outer_vid : 0;
		out->fs.sw.src_priority = out->view.n_vlans ? out->view.vlan_outer_pcp : 0;
		out->fs.sw.dst_vlan = tci & 0x0fffu;
		out->fs.sw.dst_priority = tci >> 13;
	}

	/* extended_mpls out stack: labels the actions pushed (index 0 = top) */
	if (a->final.n_mpls > 0) {
		unsigned n = a->final.n_mpls;
		if (n > DPS_ODP_MAX_MPLS)
			n = DPS_ODP_MAX_MPLS;
		if (n > DPS_SFLOW_MAX_MPLS_LABELS)
			n = DPS_SFLOW_MAX_MPLS_LABELS;
		if (!(out->fs.records & DPS_FR_MPLS)) {
			out->fs.records |= DPS_FR_MPLS;
			out->fs.mpls.next_hop.type = DPS_SFLOW_ADDR_UNKNOWN;
		}
		out->fs.mpls.n_out = n;
		for (unsigned i = 0; i < n; i++)
			out->fs.mpls.out_stack[i] = a->final.mpls_lse[i];
	}
}
