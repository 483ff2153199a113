/* encode_flow.c - flow_sample (format 1 / expanded 3) and its flow records. */
#include <errno.h>

#include "xdr_writer.h"

#define COMPACT_INDEX_LIMIT 0x01000000u   /* 24-bit index in a format-1 source_id */
#define PORT_VALUE_LIMIT    0x40000000u   /* 30-bit value in a format-1 interface word */

/* Body sizes (without the 8-byte format+length record header). */
#define IPV4_BODY   32u   /* length, protocol, src, dst, sport, dport, tcp_flags, tos */
#define IPV6_BODY   56u   /* length, protocol, src[16], dst[16], sport, dport, flags, prio */
#define SWITCH_BODY 16u
#define U32_BODY    4u

bool dps_flow_sample_expanded(const struct dps_flow_sample *fs)
{
	/* Format 3 only when format 1 would truncate something: a data source index of
	 * 2^24 or more (format 1 has 24 bits for it) or an interface value of 2^30 or more
	 * (format 1 has 30). Everything else stays in format 1, which every collector reads. */
	return fs->source_index >= COMPACT_INDEX_LIMIT || fs->source_type > 0xff ||
	       fs->input.value >= PORT_VALUE_LIMIT || fs->output.value >= PORT_VALUE_LIMIT;
}

static bool port_valid(const struct dps_sflow_port *p)
{
	return p->format <= DPS_PORT_MULTIPLE;
}

static size_t mpls_body(const struct dps_ext_mpls *m)
{
	return xdr_addr_size(&m->next_hop) + 4 + 4 * (size_t)m->n_in + 4 + 4 * (size_t)m->n_out;
}

size_t dps_flow_sample_size(const struct dps_flow_sample *fs, uint32_t mask)
{
	uint32_t rec = fs->records & mask;
	bool expanded = dps_flow_sample_expanded(fs);
	size_t n = 8 + (expanded ? 44 : 32);

	if (!port_valid(&fs->input) || !port_valid(&fs->output))
		return 0;
	if (rec & DPS_FR_HEADER) {
		if (fs->header.header_length > DPS_MAX_HEADER_BYTES ||
		    (fs->header.header_length && !fs->header.header))
			return 0;
		n += 8 + 16 + xdr_pad4(fs->header.header_length);
	}
	if (rec & DPS_FR_IPV4)
		n += 8 + IPV4_BODY;
	if (rec & DPS_FR_IPV6)
		n += 8 + IPV6_BODY;
	if (rec & DPS_FR_SWITCH)
		n += 8 + SWITCH_BODY;
	if (rec & DPS_FR_MPLS) {
		const struct dps_ext_mpls *m = &fs->mpls;
		if (m->n_in > DPS_SFLOW_MAX_MPLS_LABELS || m->n_out > DPS_SFLOW_MAX_MPLS_LABELS ||
		    !xdr_addr_valid(&m->next_hop))
			return 0;
		n += 8 + mpls_body(m);
	}
	if (rec & DPS_FR_IPV4_TUN_EGRESS)
		n += 8 + IPV4_BODY;
	if (rec & DPS_FR_IPV4_TUN_INGRESS)
		n += 8 + IPV4_BODY;
	if (rec & DPS_FR_IPV6_TUN_EGRESS)
		n += 8 + IPV6_BODY;
	if (rec & DPS_FR_IPV6_TUN_INGRESS)
		n += 8 + IPV6_BODY;
	n += (size_t)xdr_count_records(rec & (DPS_FR_DECAP_EGRESS | DPS_FR_DECAP_INGRESS |
					      DPS_FR_VNI_EGRESS | DPS_FR_VNI_INGRESS)) *
	     (8 + U32_BODY);
	return n;
}

static uint8_t *put_ipv4(uint8_t *p, uint32_t format, const struct dps_sampled_ipv4 *r)
{
	p = xdr_u32(p, format);
	p = xdr_u32(p, IPV4_BODY);
	p = xdr_u32(p, r->length);
	p = xdr_u32(p, r->protocol);
	p = xdr_opaque(p, r->src, 4);
	p = xdr_opaque(p, r->dst, 4);
	p = xdr_u32(p, r->src_port);
	p = xdr_u32(p, r->dst_port);
	p = xdr_u32(p, r->tcp_flags);
	return xdr_u32(p, r->tos);
}

static uint8_t *put_ipv6(uint8_t *p, uint32_t format, const struct dps_sampled_ipv6 *r)
{
	p = xdr_u32(p, format);
	p = xdr_u32(p, IPV6_BODY);
	p = xdr_u32(p, r->length);
	p = xdr_u32(p, r->protocol);
	p = xdr_opaque(p, r->src, 16);
	p = xdr_opaque(p, r->dst, 16);
	p = xdr_u32(p, r->src_port);
	p = xdr_u32(p, r->dst_port);
	p = xdr_u32(p, r->tcp_flags);
	return xdr_u32(p, r->priority);
}

static uint8_t *put_u32_record(uint8_t *p, uint32_t format, uint32_t v)
{
	p = xdr_u32(p, format);
	p = xdr_u32(p, U32_BODY);
	return xdr_u32(p, v);
}

uint8_t *flow_sample_write(uint8_t *p, const struct dps_flow_sample *fs, uint32_t seq,
			   uint32_t mask, size_t size)
{
	uint32_t rec = fs->records & mask;
	bool expanded = dps_flow_sample_expanded(fs);

	p = xdr_u32(p, expanded ? DPS_SFLOW_FLOW_SAMPLE_EXP : DPS_SFLOW_FLOW_SAMPLE);
	p = xdr_u32(p, (uint32_t)(size - 8));
	p = xdr_u32(p, seq);
	if (expanded) {
		p = xdr_u32(p, fs->source_type);
		p = xdr_u32(p, fs->source_index);
	} else {
		p = xdr_u32(p, fs->source_type << 24 | fs->source_index);
	}
	p = xdr_u32(p, fs->sampling_rate);
	p = xdr_u32(p, fs->sample_pool);
	p = xdr_u32(p, fs->drops);
	if (expanded) {
		p = xdr_u32(p, fs->input.format);
		p = xdr_u32(p, fs->input.value);
		p = xdr_u32(p, fs->output.format);
		p = xdr_u32(p, fs->output.value);
	} else {
		p = xdr_u32(p, fs->input.format << 30 | fs->input.value);
		p = xdr_u32(p, fs->output.format << 30 | fs->output.value);
	}
	p = xdr_u32(p, xdr_count_records(rec));

	if (rec & DPS_FR_HEADER) {
		const struct dps_sampled_header *h = &fs->header;
		p = xdr_u32(p, DPS_SFLOW_REC_HEADER);
		p = xdr_u32(p, (uint32_t)(16 + xdr_pad4(h->header_length)));
		p = xdr_u32(p, h->protocol);
		p = xdr_u32(p, h->frame_length);
		p = xdr_u32(p, h->stripped);
		p = xdr_u32(p, h->header_length);
		p = xdr_opaque(p, h->header, h->header_length);
	}
	if (rec & DPS_FR_IPV4)
		p = put_ipv4(p, DPS_SFLOW_REC_IPV4, &fs->ipv4);
	if (rec & DPS_FR_IPV6)
		p = put_ipv6(p, DPS_SFLOW_REC_IPV6, &fs->ipv6);
	if (rec & DPS_FR_SWITCH) {
		p = xdr_u32(p, DPS_SFLOW_REC_SWITCH);
		p = xdr_u32(p, SWITCH_BODY);
		p = xdr_u32(p, fs->sw.src_vlan);
		p = xdr_u32(p, fs->sw.src_priority);
		p = xdr_u32(p, fs->sw.dst_vlan);
		p = xdr_u32(p, fs->sw.dst_priority);
	}
	if (rec & DPS_FR_MPLS) {
		const struct dps_ext_mpls *m = &fs->mpls;
		p = xdr_u32(p, DPS_SFLOW_REC_MPLS);
		p = xdr_u32(p, (uint32_t)mpls_body(m));
		p = xdr_addr(p, &m->next_hop);
		p = xdr_u32(p, m->n_in);
		for (uint32_t i = 0; i < m->n_in; i++)
			p = xdr_u32(p, m->in_stack[i]);
		p = xdr_u32(p, m->n_out);
		for (uint32_t i = 0; i < m->n_out; i++)
			p = xdr_u32(p, m->out_stack[i]);
	}
	if (rec & DPS_FR_IPV4_TUN_EGRESS)
		p = put_ipv4(p, DPS_SFLOW_REC_IPV4_TUN_EGRESS, &fs->tun4_egress);
	if (rec & DPS_FR_IPV4_TUN_INGRESS)
		p = put_ipv4(p, DPS_SFLOW_REC_IPV4_TUN_INGRESS, &fs->tun4_ingress);
	if (rec & DPS_FR_IPV6_TUN_EGRESS)
		p = put_ipv6(p, DPS_SFLOW_REC_IPV6_TUN_EGRESS, &fs->tun6_egress);
	if (rec & DPS_FR_IPV6_TUN_INGRESS)
		p = put_ipv6(p, DPS_SFLOW_REC_IPV6_TUN_INGRESS, &fs->tun6_ingress);
	if (rec & DPS_FR_DECAP_EGRESS)
		p = put_u32_record(p, DPS_SFLOW_REC_DECAP_EGRESS, fs->decap_egress_offset);
	if (rec & DPS_FR_DECAP_INGRESS)
		p = put_u32_record(p, DPS_SFLOW_REC_DECAP_INGRESS, fs->decap_ingress_offset);
	if (rec & DPS_FR_VNI_EGRESS)
		p = put_u32_record(p, DPS_SFLOW_REC_VNI_EGRESS, fs->vni_egress);
	if (rec & DPS_FR_VNI_INGRESS)
		p = put_u32_record(p, DPS_SFLOW_REC_VNI_INGRESS, fs->vni_ingress);

	return p;
}

int dps_encode_flow_sample(struct dps_xdr *x, const struct dps_flow_sample *fs, uint32_t seq,
			   uint32_t mask)
{
	size_t size = dps_flow_sample_size(fs, mask);
	if (size == 0)
		return -EINVAL;
	if (!dps_xdr_room(x, size))
		return -ENOSPC;
	uint8_t *end = flow_sample_write(x->buf + x->len, fs, seq, mask, size);
	/* The size function and the writer agree by construction (the unit tests check every
	 * record subset); the assertion documents that the room check above covers the write. */
	if ((size_t)(end - (x->buf + x->len)) != size)
		__builtin_trap();
	x->len += size;
	return 0;
}
