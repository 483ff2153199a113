/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of dpdk_app/ovs/ovs_export.c: golden ring records (packet bytes, tunnel
 * metadata, sFlow cookie, datapath actions built with tests/tunnel_decode/ovs/odp_blob.h in
 * OVS 3.1's netlink layout) → exact flow sample fields. Every record lives in a heap block of
 * exactly sizeof(struct dps_ovs_record), so a read past it is an ASan error.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "odp_blob.h"
#include "ovs_export.h"

/* Ethernet 02:..:01 -> 02:..:02 / IPv4 10.1.0.1 -> 10.1.0.2 tos 0x10 total 986 /
 * TCP 40000 -> 443 SYN: the first 54 bytes of a 1000-byte frame. */
static const uint8_t tcp_frame[54] = {
	0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
	0x45, 0x10, 0x03, 0xda, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 1, 0, 1, 10, 1, 0, 2,
	0x9c, 0x40, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0x20, 0x00, 0, 0, 0, 0,
};
#define TCP_FRAME_LEN 1000u

/* Ethernet / 802.1Q vid 200 pcp 3 / IPv4 10.0.0.1 -> 10.0.0.2 / UDP 1000 -> 2000 (46 bytes) */
static const uint8_t vlan_frame[46] = {
	0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x81, 0x00, 0x60, 0xc8, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x1c, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	0x03, 0xe8, 0x07, 0xd0, 0x00, 0x08, 0, 0,
};

/* Ethernet / MPLS label 77 tc 0 bos ttl 63 / IPv4 10.0.0.1 -> 10.0.0.2 / UDP 1000 -> 2000 */
static const uint8_t mpls_frame[46] = {
	0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x88, 0x47, 0x00, 0x04, 0xd1, 0x3f,
	0x45, 0x00, 0x00, 0x1c, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	0x03, 0xe8, 0x07, 0xd0, 0x00, 0x08, 0, 0,
};

#define ETH_PUSH 0xf8, 0xbc, 0x12, 0x44, 0x34, 0xb6, 0x3a, 0x9f, 0x8d, 0x10, 0x17, 0x46

/* tnl_push header OVS 3.1 builds for a VXLAN port over IPv4: 192.0.2.1 -> 192.0.2.2,
 * tos 0x20, ttl 64, DF, UDP dst 4789 (source chosen per packet), VNI 456. */
static const uint8_t push_vxlan4[50] = {
	ETH_PUSH, 0x08, 0x00,
	0x45, 0x20, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
	192, 0, 2, 1, 192, 0, 2, 2,
	0x00, 0x00, 0x12, 0xb5, 0x00, 0x00, 0x00, 0x00,
	0x08, 0x00, 0x00, 0x00, 0x00, 0x01, 0xc8, 0x00,
};

/* the same over IPv6: 2001:db8::1 -> 2001:db8::2, traffic class 0, VNI 124 */
static const uint8_t push_vxlan6[70] = {
	ETH_PUSH, 0x86, 0xdd,
	0x60, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, 0x40,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
	0x00, 0x00, 0x12, 0xb5, 0x00, 0x00, 0xff, 0xff,
	0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7c, 0x00,
};

struct ctx {
	struct dps_ovs_record *rec;
	struct dps_ovs_export_in in;
	struct dps_ovs_export_out *out;
	struct dps_decode_config dcfg;
};

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->rec = calloc(1, sizeof(*c->rec)); /* exactly one record: ASan sees any over-read */
	c->out = calloc(1, sizeof(*c->out));
	assert_non_null(c->rec);
	assert_non_null(c->out);
	dps_decode_config_init(&c->dcfg);

	/* a plain TCP packet from datapath port 2 */
	memcpy(c->rec->header, tcp_frame, sizeof(tcp_frame));
	c->rec->header_length = sizeof(tcp_frame);
	c->rec->frame_length = TCP_FRAME_LEN;
	c->rec->in_odp_port = 2;
	c->rec->sampling_rate = 512;
	c->rec->sflow_output = 7;
	c->rec->sample_pool = 1000;
	c->in.rec = c->rec;
	c->in.in_ifindex = 4656282;
	c->in.sample_pool = 0x100000005ull; /* the sum over PMD rings; sFlow keeps 32 bits */
	c->in.drops = 3;
	c->in.header_bytes = 128;
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	free(c->rec);
	free(c->out);
	free(c);
	return 0;
}

static const struct dps_flow_sample *fill(struct ctx *c)
{
	dps_ovs_export_fill(c->out, &c->in, &c->dcfg);
	/* whatever is produced must be encodable */
	assert_true(dps_flow_sample_size(&c->out->fs, DPS_FR_ALL) > 0);
	return &c->out->fs;
}

static void set_actions(struct ctx *c, const struct blob *b)
{
	assert_int_equal(b->depth, 0);
	assert_true(b->len <= DPS_OVS_RING_ACTIONS_BYTES);
	memcpy(c->rec->actions, b->buf, b->len);
	c->rec->actions_length = (uint16_t)b->len;
}

static void set_tunnel4(struct dps_ovs_record *rec, uint16_t tp_src, uint16_t tp_dst,
			uint64_t tun_id, uint16_t extra_flags)
{
	static const uint8_t src[4] = { 172, 31, 1, 2 }, dst[4] = { 172, 31, 1, 1 };

	rec->flags |= DPS_OVS_REC_TUNNEL | extra_flags;
	memcpy(rec->tun_src, src, 4);
	memcpy(rec->tun_dst, dst, 4);
	rec->tun_id = tun_id;
	rec->tun_tp_src = tp_src;
	rec->tun_tp_dst = tp_dst;
	rec->tun_tos = 0x28;
	rec->tun_ttl = 63;
}

/* ------------------------------------------------------------------ base fields */

static void test_plain_sample(void **state)
{
	struct ctx *c = *state;
	const struct dps_flow_sample *fs = fill(c);
	static const uint8_t s4[4] = { 10, 1, 0, 1 }, d4[4] = { 10, 1, 0, 2 };

	assert_int_equal(fs->source_type, DPS_SFLOW_DS_IFINDEX);
	assert_int_equal(fs->source_index, 4656282);
	assert_int_equal(fs->input.format, DPS_PORT_IFINDEX);
	assert_int_equal(fs->input.value, 4656282);
	assert_int_equal(fs->output.format, DPS_PORT_IFINDEX);
	assert_int_equal(fs->output.value, 7);
	assert_int_equal(fs->sampling_rate, 512);
	assert_int_equal(fs->sample_pool, 5);
	assert_int_equal(fs->drops, 3);
	assert_int_equal(fs->records, DPS_FR_HEADER | DPS_FR_IPV4);
	assert_int_equal(fs->header.protocol, DPS_SFLOW_HEADER_ETHERNET);
	assert_int_equal(fs->header.frame_length, TCP_FRAME_LEN + 4);
	assert_int_equal(fs->header.stripped, 4);
	assert_int_equal(fs->header.header_length, 54);
	assert_ptr_equal(fs->header.header, c->rec->header);
	assert_int_equal(fs->ipv4.length, 986);
	assert_int_equal(fs->ipv4.protocol, 6);
	assert_memory_equal(fs->ipv4.src, s4, 4);
	assert_memory_equal(fs->ipv4.dst, d4, 4);
	assert_int_equal(fs->ipv4.src_port, 40000);
	assert_int_equal(fs->ipv4.dst_port, 443);
	assert_int_equal(fs->ipv4.tcp_flags, 0x02);
	assert_int_equal(fs->ipv4.tos, 0x10);
	/* no action list: decodes (an empty list) and adds nothing */
	assert_int_equal(c->out->actions_ok, 1);
	assert_int_equal(c->out->actions.n_tunnels, 0);
}

static void test_cookie_output_encodings(void **state)
{
	struct ctx *c = *state;
	static const struct {
		uint32_t cookie, format, value;
	} cases[] = {
		{ 7, DPS_PORT_IFINDEX, 7 },
		{ 0x40000000u | 0x102, DPS_PORT_DISCARD, 0x102 },  /* dropped, reason 258 */
		{ 0x40000000u, DPS_PORT_DISCARD, 0 },
		{ 0x80000000u | 3, DPS_PORT_MULTIPLE, 3 },         /* flooded to 3 ports */
		{ 0x80000000u, DPS_PORT_MULTIPLE, 0 },             /* multiple, unknown count */
		{ 0x3fffffffu, DPS_PORT_IFINDEX, DPS_SFLOW_IFINDEX_INTERNAL },
		{ 0xc0000005u, DPS_PORT_IFINDEX, 0 },              /* format 3 is undefined */
		{ 0, DPS_PORT_IFINDEX, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c->rec->sflow_output = cases[i].cookie;
		const struct dps_flow_sample *fs = fill(c);
		assert_int_equal(fs->output.format, cases[i].format);
		assert_int_equal(fs->output.value, cases[i].value);
		assert_int_equal(fs->input.format, DPS_PORT_IFINDEX); /* input untouched */
		assert_int_equal(fs->input.value, 4656282);
	}
}

static void test_header_truncation(void **state)
{
	struct ctx *c = *state;

	c->in.header_bytes = 32;
	assert_int_equal(fill(c)->header.header_length, 32);
	c->in.header_bytes = 0; /* no operator limit: what the record has */
	assert_int_equal(fill(c)->header.header_length, 54);
	c->in.header_bytes = 128;
	c->rec->frame_length = 40; /* a record claiming more header than frame */
	const struct dps_flow_sample *fs = fill(c);
	assert_int_equal(fs->header.header_length, 40);
	assert_int_equal(fs->header.frame_length, 44);
}

/* header_length and actions_length come from another process: clamped to the record */
static void test_lying_lengths_clamped(void **state)
{
	struct ctx *c = *state;
	struct blob b;

	c->rec->frame_length = 1500;
	c->rec->header_length = 0xffff;
	c->in.header_bytes = 0;
	/* actions[] full of valid OUTPUT attributes (64 x 8 bytes), and tun_opts[] behind it
	 * too: reading past actions[] would show as more than 64 outputs */
	b_init(&b);
	for (uint32_t k = 0; k < DPS_OVS_RING_ACTIONS_BYTES / 8; k++)
		b_u32(&b, ODP_A_OUTPUT, 100 + k);
	set_actions(c, &b);
	c->rec->actions_length = 0xffff;
	memcpy(c->rec->tun_opts, b.buf, sizeof(c->rec->tun_opts));
	c->rec->tun_opts_length = 0xff;

	const struct dps_flow_sample *fs = fill(c);
	assert_int_equal(fs->header.header_length, DPS_OVS_RING_HEADER_BYTES);
	assert_int_equal(fs->header.frame_length, 1504);
	assert_int_equal(c->out->actions_ok, 1);
	assert_int_equal(c->out->actions.n_outputs, 64);
	assert_int_equal(c->out->actions.outputs[7].port, 107);

	/* actions_length 600: clamped to 512 as well */
	c->rec->actions_length = 600;
	fill(c);
	assert_int_equal(c->out->actions.n_outputs, 64);

	/* a broken list: reported, the sample still goes out */
	memset(c->rec->actions, 0, 8);
	c->rec->actions_length = 8; /* nla_len 0 */
	fs = fill(c);
	assert_int_equal(c->out->actions_ok, 0);
	assert_int_equal(fs->records & DPS_FR_HEADER, DPS_FR_HEADER);
}

/* ------------------------------------------------------------------ ingress tunnels */

static void test_ingress_vxlan_ipv4(void **state)
{
	struct ctx *c = *state;
	static const uint8_t s4[4] = { 172, 31, 1, 2 }, d4[4] = { 172, 31, 1, 1 };

	set_tunnel4(c->rec, 49152, 4789, 0x7b, DPS_OVS_REC_TUNNEL_KEY);
	const struct dps_flow_sample *fs = fill(c);
	assert_int_equal(fs->records, DPS_FR_HEADER | DPS_FR_IPV4 | DPS_FR_IPV4_TUN_INGRESS |
			 DPS_FR_VNI_INGRESS);
	/* outer IPv4 total length: 20 IP + 8 UDP + 8 VXLAN + inner frame */
	assert_int_equal(fs->tun4_ingress.length, TCP_FRAME_LEN + 20 + 16);
	assert_int_equal(fs->tun4_ingress.protocol, 17);
	assert_memory_equal(fs->tun4_ingress.src, s4, 4);
	assert_memory_equal(fs->tun4_ingress.dst, d4, 4);
	assert_int_equal(fs->tun4_ingress.src_port, 49152);
	assert_int_equal(fs->tun4_ingress.dst_port, 4789);
	assert_int_equal(fs->tun4_ingress.tcp_flags, 0);
	assert_int_equal(fs->tun4_ingress.tos, 0x28);
	assert_int_equal(fs->vni_ingress, 123);
	/* the inner packet is still what sampled_ipv4 describes */
	assert_int_equal(fs->ipv4.length, 986);
	assert_int_equal(fs->ipv4.dst_port, 443);
}

static void test_ingress_geneve_ipv6_options(void **state)
{
	struct ctx *c = *state;
	static const uint8_t s6[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a };
	static const uint8_t d6[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b };
	struct dps_ovs_record *rec = c->rec;

	rec->flags = DPS_OVS_REC_TUNNEL | DPS_OVS_REC_TUNNEL_IPV6 | DPS_OVS_REC_TUNNEL_KEY |
		     DPS_OVS_REC_TUNNEL_OPTS_RAW;
	memcpy(rec->tun_src, s6, 16);
	memcpy(rec->tun_dst, d6, 16);
	rec->tun_id = 0xabcdef;
	rec->tun_tp_src = 51000;
	rec->tun_tp_dst = 6081;
	rec->tun_tos = 0xb8;
	rec->tun_opts_length = 8;
	const struct dps_flow_sample *fs = fill(c);
	assert_int_equal(fs->records, DPS_FR_HEADER | DPS_FR_IPV4 | DPS_FR_IPV6_TUN_INGRESS |
			 DPS_FR_VNI_INGRESS);
	/* IPv6 payload length: 8 UDP + 8 Geneve + 8 options + inner frame */
	assert_int_equal(fs->tun6_ingress.length, TCP_FRAME_LEN + 16 + 8);
	assert_int_equal(fs->tun6_ingress.protocol, 17);
	assert_memory_equal(fs->tun6_ingress.src, s6, 16);
	assert_memory_equal(fs->tun6_ingress.dst, d6, 16);
	assert_int_equal(fs->tun6_ingress.src_port, 51000);
	assert_int_equal(fs->tun6_ingress.dst_port, 6081);
	assert_int_equal(fs->tun6_ingress.priority, 0xb8);
	assert_int_equal(fs->vni_ingress, 0xabcdef);

	/* options count only for Geneve: the same record on the VXLAN port */
	rec->tun_tp_dst = 4789;
	assert_int_equal(fill(c)->tun6_ingress.length, TCP_FRAME_LEN + 16);
}

static void test_ingress_gre(void **state)
{
	struct ctx *c = *state;

	/* GRE with a key: 20 IP + 4 GRE + 4 key, protocol 47, the 32-bit key as VNI */
	set_tunnel4(c->rec, 0, 0, 0xdeadbeef, DPS_OVS_REC_TUNNEL_KEY);
	const struct dps_flow_sample *fs = fill(c);
	assert_int_equal(fs->records, DPS_FR_HEADER | DPS_FR_IPV4 | DPS_FR_IPV4_TUN_INGRESS |
			 DPS_FR_VNI_INGRESS);
	assert_int_equal(fs->tun4_ingress.length, TCP_FRAME_LEN + 20 + 8);
	assert_int_equal(fs->tun4_ingress.protocol, 47);
	assert_int_equal(fs->tun4_ingress.src_port, 0);
	assert_int_equal(fs->tun4_ingress.dst_port, 0);
	assert_int_equal(fs->vni_ingress, 0xdeadbeef);

	/* without a key: 4 bytes of GRE, no VNI record */
	c->rec->flags = DPS_OVS_REC_TUNNEL;
	fs = fill(c);
	assert_int_equal(fs->records, DPS_FR_HEADER | DPS_FR_IPV4 | DPS_FR_IPV4_TUN_INGRESS);
	assert_int_equal(fs->tun4_ingress.length, TCP_FRAME_LEN + 20 + 4);
	assert_int_equal(fs->vni_ingress, 0);
}

/* ------------------------------------------------------------------ egress tunnels */

static void test_egress_vxlan_ipv4_push(void **state)
{
	struct ctx *c = *state;
	static const uint8_t s4[4] = { 192, 0, 2, 1 }, d4[4] = { 192, 0, 2, 2 };
	struct blob b;

	b_init(&b);
	b_tnl_push(&b, 4789, 3, ODP_VPORT_VXLAN, push_vxlan4, sizeof(push_vxlan4));
	b_u32(&b, ODP_A_OUTPUT, 3);
	set_actions(c, &b);
	const struct dps_flow_sample *fs = fill(c);
	assert_int_equal(c->out->actions_ok, 1);
	assert_int_equal(fs->records, DPS_FR_HEADER | DPS_FR_IPV4 | DPS_FR_IPV4_TUN_EGRESS |
			 DPS_FR_VNI_EGRESS);
	/* 50 bytes pushed, 14 of them Ethernet: the outer IPv4 packet */
	assert_int_equal(fs->tun4_egress.length, TCP_FRAME_LEN + 50 - 14);
	assert_int_equal(fs->tun4_egress.protocol, 17);
	assert_memory_equal(fs->tun4_egress.src, s4, 4);
	assert_memory_equal(fs->tun4_egress.dst, d4, 4);
	assert_int_equal(fs->tun4_egress.src_port, 0);     /* picked per packet by OVS */
	assert_int_equal(fs->tun4_egress.dst_port, 4789);  /* numeric, not 0xb512 */
	assert_int_equal(fs->tun4_egress.tos, 0x20);
	assert_int_equal(fs->tun4_egress.tcp_flags, 0);
	assert_int_equal(fs->vni_egress, 456);
	assert_int_equal(fs->vni_ingress, 0);
}

/* in on an IPv4 VXLAN port, out on an IPv6 one: both directions in one sample */
static void test_tunnel_to_tunnel_ipv6_egress(void **state)
{
	struct ctx *c = *state;
	static const uint8_t s6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const uint8_t d6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
	struct blob b;

	set_tunnel4(c->rec, 49152, 4789, 0x7b, DPS_OVS_REC_TUNNEL_KEY);
	b_init(&b);
	b_u32(&b, ODP_A_TUNNEL_POP, 5);
	b_tnl_push(&b, 4789, 3, ODP_VPORT_VXLAN, push_vxlan6, sizeof(push_vxlan6));
	b_u32(&b, ODP_A_OUTPUT, 3);
	set_actions(c, &b);
	const struct dps_flow_sample *fs = fill(c);
	assert_int_equal(c->out->actions_ok, 1);
	assert_int_equal(fs->records, DPS_FR_HEADER | DPS_FR_IPV4 | DPS_FR_IPV4_TUN_INGRESS |
			 DPS_FR_VNI_INGRESS | DPS_FR_IPV6_TUN_EGRESS | DPS_FR_VNI_EGRESS);
	/* IPv6 payload length: 70 pushed - 14 Ethernet - 40 IPv6 + frame */
	assert_int_equal(fs->tun6_egress.length, TCP_FRAME_LEN + 16);
	assert_int_equal(fs->tun6_egress.protocol, 17);
	assert_memory_equal(fs->tun6_egress.src, s6, 16);
	assert_memory_equal(fs->tun6_egress.dst, d6, 16);
	assert_int_equal(fs->tun6_egress.dst_port, 4789);
	assert_int_equal(fs->tun6_egress.priority, 0);
	assert_int_equal(fs->vni_egress, 124);
	assert_int_equal(fs->tun4_ingress.length, TCP_FRAME_LEN + 36);
	assert_int_equal(fs->vni_ingress, 123);
}

/* sFlow has room for one egress tunnel: the first tnl_push is reported */
static void test_only_first_push_is_egress(void **state)
{
	struct ctx *c = *state;
	static const uint8_t d4[4] = { 192, 0, 2, 2 };
	struct blob b;

	b_init(&b);
	b_tnl_push(&b, 4789, 3, ODP_VPORT_VXLAN, push_vxlan4, sizeof(push_vxlan4));
	b_u32(&b, ODP_A_OUTPUT, 3);
	b_tnl_push(&b, 4789, 4, ODP_VPORT_VXLAN, push_vxlan6, sizeof(push_vxlan6));
	b_u32(&b, ODP_A_OUTPUT, 4);
	set_actions(c, &b);
	const struct dps_flow_sample *fs = fill(c);
	assert_int_equal(c->out->actions.n_tunnels, 2);
	assert_int_equal(fs->records & (DPS_FR_IPV4_TUN_EGRESS | DPS_FR_IPV6_TUN_EGRESS),
			 DPS_FR_IPV4_TUN_EGRESS);
	assert_memory_equal(fs->tun4_egress.dst, d4, 4);
	assert_int_equal(fs->vni_egress, 456);
}

/* ------------------------------------------------------------------ switch, MPLS */

static void test_vlan_cookie_extended_switch(void **state)
{
	struct ctx *c = *state;

	/* untagged in, leaves on VLAN 100 priority 5 */
	c->rec->sflow_vlan_tci_be = htons(0xa064);
	const struct dps_flow_sample *fs = fill(c);
	assert_int_equal(fs->records, DPS_FR_HEADER | DPS_FR_IPV4 | DPS_FR_SWITCH);
	assert_int_equal(fs->sw.src_vlan, 0);
	assert_int_equal(fs->sw.src_priority, 0);
	assert_int_equal(fs->sw.dst_vlan, 100);
	assert_int_equal(fs->sw.dst_priority, 5);

	/* tagged in (vid 200 pcp 3), out on VLAN 100 priority 2 (CFI set as OVS keeps it) */
	memcpy(c->rec->header, vlan_frame, sizeof(vlan_frame));
	c->rec->header_length = sizeof(vlan_frame);
	c->rec->frame_length = sizeof(vlan_frame);
	c->rec->sflow_vlan_tci_be = htons(0x4000 | 0x1000 | 100);
	fs = fill(c);
	assert_int_equal(fs->records & DPS_FR_SWITCH, DPS_FR_SWITCH);
	assert_int_equal(fs->sw.src_vlan, 200);
	assert_int_equal(fs->sw.src_priority, 3);
	assert_int_equal(fs->sw.dst_vlan, 100);
	assert_int_equal(fs->sw.dst_priority, 2);

	/* no cookie VLAN and an untagged packet: no extended_switch */
	memcpy(c->rec->header, tcp_frame, sizeof(tcp_frame));
	c->rec->header_length = sizeof(tcp_frame);
	c->rec->frame_length = TCP_FRAME_LEN;
	c->rec->sflow_vlan_tci_be = 0;
	assert_int_equal(fill(c)->records, DPS_FR_HEADER | DPS_FR_IPV4);
}

static void test_push_mpls_out_stack(void **state)
{
	struct ctx *c = *state;
	struct blob b;
	uint32_t lse_a = mpls_lse(1000, 0, 1, 64), lse_b = mpls_lse(2000, 5, 0, 64);

	b_init(&b);
	b_push_mpls(&b, ODP_A_PUSH_MPLS, lse_a, 0x8847, 0);
	b_push_mpls(&b, ODP_A_PUSH_MPLS, lse_b, 0x8847, 0);
	b_u32(&b, ODP_A_OUTPUT, 2);
	set_actions(c, &b);
	const struct dps_flow_sample *fs = fill(c);
	assert_int_equal(c->out->actions_ok, 1);
	assert_int_equal(fs->records, DPS_FR_HEADER | DPS_FR_IPV4 | DPS_FR_MPLS);
	assert_int_equal(fs->mpls.next_hop.type, DPS_SFLOW_ADDR_UNKNOWN);
	assert_int_equal(fs->mpls.n_in, 0);
	assert_int_equal(fs->mpls.n_out, 2);
	assert_int_equal(fs->mpls.out_stack[0], lse_b); /* the top label: pushed last */
	assert_int_equal(fs->mpls.out_stack[1], lse_a);

	/* an MPLS packet in: its stack is the in_stack, the pushed one the out_stack */
	memcpy(c->rec->header, mpls_frame, sizeof(mpls_frame));
	c->rec->header_length = sizeof(mpls_frame);
	c->rec->frame_length = sizeof(mpls_frame);
	fs = fill(c);
	assert_int_equal(fs->records & DPS_FR_MPLS, DPS_FR_MPLS);
	assert_int_equal(fs->mpls.n_in, 1);
	assert_int_equal(fs->mpls.in_stack[0], mpls_lse(77, 0, 1, 63));
	assert_int_equal(fs->mpls.n_out, 2);
	assert_int_equal(fs->mpls.out_stack[0], lse_b);
	assert_int_equal(fs->mpls.out_stack[1], lse_a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain_sample, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookie_output_encodings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_truncation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lying_lengths_clamped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingress_vxlan_ipv4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingress_geneve_ipv6_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingress_gre, setup, teardown),
		cmocka_unit_test_setup_teardown(test_egress_vxlan_ipv4_push, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tunnel_to_tunnel_ipv6_egress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_only_first_push_is_egress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vlan_cookie_extended_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_push_mpls_out_stack, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
