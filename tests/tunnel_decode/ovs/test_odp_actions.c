/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_odp_actions.c - every OVS 3.1 datapath action the decoder knows, nested CLONE /
 * SAMPLE / CHECK_PKT_LEN, VLAN / MPLS stacks, SET / SET_MASKED rewrites, and the complete
 * action lists captured from a real ovs-vswitchd 3.1.0 (strings quoted per test; the full
 * capture and its setup are in ovs310_datapath_actions.txt).
 */
#include "odp_blob.h"

static const uint8_t hdr_vxlan4[50] = ODP_HDR_VXLAN4_INIT;

/* ------------------------------------------------------------------------------------- */

static void test_empty_list_is_drop(void **state)
{
    (void)state;
    struct dps_odp_summary s;
    assert_int_equal(odp_blob_decode("empty", NULL, 0, &s), DPS_ODP_OK);
    assert_int_equal(s.flags, DPS_ODP_F_EMPTY);
    assert_int_equal(s.n_outputs, 0);
    assert_int_equal(s.n_actions, 0);
}

static void test_drop_action(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_u32(&b, ODP_A_DROP, 10);            /* XLATE_CONGESTION_DROP */
    assert_int_equal(blob_decode("drop", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.flags, DPS_ODP_F_DROP);
    assert_int_equal(s.drop_reason, 10);
}

/* Real: "sample(sample=0.1%,actions(userspace(pid=0,sFlow(vid=0,pcp=0,
 * output=2147483649),actions))),tnl_push(tnl_port(4789),header(size=50,type=4,...
 * vxlan(flags=0x8000000,vni=0x7b)),out_port(100)),4"  (OpenFlow output:2 to a vxlan port) */
static void test_real_sflow_vxlan(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_sflow_sample(&b, 0, 2147483649u);
    b_tnl_push(&b, 4789, 100, 4, hdr_vxlan4, sizeof hdr_vxlan4);
    b_u32(&b, ODP_A_OUTPUT, 4);
    assert_int_equal(blob_decode("real_sflow_vxlan", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.n_actions, 4);      /* sample, userspace, tnl_push, output */
    assert_int_equal(s.flags, DPS_ODP_F_SAMPLE | DPS_ODP_F_USERSPACE |
                                  DPS_ODP_F_SFLOW_COOKIE | DPS_ODP_F_TNL_PUSH);
    assert_int_equal(s.sample_probability, SFLOW_PROB);
    assert_int_equal(s.userspace.n, 1);
    assert_int_equal(s.userspace.pid, 0);
    assert_int_equal(s.userspace.cookie_type, 1);
    assert_int_equal(s.userspace.ofp_in_port, 7);
    assert_int_equal(s.userspace.sflow_vlan_tci, 0);
    assert_int_equal(s.userspace.sflow_output, 0x80000001u);   /* one output */
    assert_int_equal(s.userspace.want_actions, 1);
    assert_int_equal(s.userspace.egress_tun_port, DPS_ODP_PORT_NONE);
    assert_int_equal(s.n_outputs, 1);
    assert_int_equal(s.outputs[0].port, 4);
    assert_int_equal(s.outputs[0].flags, DPS_ODP_OUTF_TUNNEL);
    assert_int_equal(s.tunnels[0].udp_dst, 4789);
    assert_int_equal(s.tunnels[0].vni, 123);
    assert_int_equal(s.max_depth, 1);
}

/* Real: "sample(...sFlow(vid=20,pcp=0,output=2147483649)...),push_vlan(tpid=0x88a8,vid=100,
 * pcp=0),push_vlan(vid=20,pcp=0),tnl_push(...),4" - QinQ pushed before the tunnel, so the
 * tags travel inside it; the sFlow cookie carries the outer vid 20. */
static void test_real_qinq_then_tunnel(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_sflow_sample(&b, 0x1000 | 20, 2147483649u);
    b_push_vlan(&b, 0x88a8, 0x1000 | 100);
    b_push_vlan(&b, 0x8100, 0x1000 | 20);
    b_u32(&b, ODP_A_OUTPUT, 5);            /* an output before the tunnel sees both tags */
    b_tnl_push(&b, 4789, 100, 4, hdr_vxlan4, sizeof hdr_vxlan4);
    b_u32(&b, ODP_A_OUTPUT, 4);
    assert_int_equal(blob_decode("real_qinq_tunnel", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.userspace.sflow_vlan_tci & 0xfff, 20);
    assert_int_equal(s.n_outputs, 2);
    assert_int_equal(s.outputs[0].n_vlans, 2);
    assert_int_equal(s.outputs[0].vlan_tci, 0x1000 | 20);
    assert_int_equal(s.outputs[0].tunnel, DPS_ODP_NO_TUNNEL);
    assert_int_equal(s.outputs[1].n_vlans, 0);
    assert_int_equal(s.outputs[1].tunnel, 0);
}

/* Real: "push_mpls(label=1000,tc=0,ttl=64,bos=1,eth_type=0x8847),push_mpls(label=2000,tc=0,
 * ttl=64,bos=0,eth_type=0x8847),..." then a pop and an add_mpls. */
static void test_mpls_stack(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_push_mpls(&b, ODP_A_PUSH_MPLS, mpls_lse(1000, 0, 1, 64), 0x8847, 0);
    b_push_mpls(&b, ODP_A_PUSH_MPLS, mpls_lse(2000, 0, 0, 64), 0x8847, 0);
    b_u32(&b, ODP_A_OUTPUT, 1);
    b_be16(&b, ODP_A_POP_MPLS, 0x8847);
    b_push_mpls(&b, ODP_A_ADD_MPLS, mpls_lse(3000, 5, 0, 9), 0x8848, 1);
    b_u32(&b, ODP_A_OUTPUT, 2);
    assert_int_equal(blob_decode("mpls_stack", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.flags, DPS_ODP_F_ADD_MPLS);
    assert_int_equal(s.outputs[0].n_mpls, 2);
    assert_int_equal(s.outputs[0].mpls_top >> 12, 2000);
    assert_int_equal(s.final.n_mpls, 2);
    assert_int_equal(s.final.mpls_lse[0], mpls_lse(3000, 5, 0, 9));
    assert_int_equal(s.final.mpls_lse[1], mpls_lse(1000, 0, 1, 64));
    assert_int_equal(s.final.mpls_ethertype, 0x8848);
    assert_int_equal(s.final.mpls_input_pops, 0);
}

static void test_pop_input_tags(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_flag(&b, ODP_A_POP_VLAN);            /* removes the input's tag */
    b_push_vlan(&b, 0x8100, 0x1000 | 7);
    b_flag(&b, ODP_A_POP_VLAN);            /* removes the tag just pushed */
    b_flag(&b, ODP_A_POP_VLAN);            /* and another of the input's */
    b_be16(&b, ODP_A_POP_MPLS, 0x0800);    /* input's label, payload now IPv4 */
    b_u32(&b, ODP_A_OUTPUT, 3);
    assert_int_equal(blob_decode("pop_input", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.final.n_vlans, 0);
    assert_int_equal(s.final.vlan_input_pops, 2);
    assert_int_equal(s.final.n_mpls, 0);
    assert_int_equal(s.final.mpls_input_pops, 1);
    assert_int_equal(s.final.mpls_ethertype, 0x0800);
    assert_int_equal(s.final.lost, 0);
}

/* Six pushes into a four-entry array: outermost kept, the two innermost overflow; popping
 * into them is reported as lost, the count stays exact. */
static void test_vlan_overflow(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    for (uint16_t vid = 1; vid <= 6; vid++)
        b_push_vlan(&b, 0x8100, (uint16_t)(0x1000 | vid));
    b_u32(&b, ODP_A_OUTPUT, 1);
    for (int i = 0; i < 3; i++)
        b_flag(&b, ODP_A_POP_VLAN);
    assert_int_equal(blob_decode("vlan_overflow", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.outputs[0].n_vlans, 6);
    assert_int_equal(s.outputs[0].vlan_tci & 0xfff, 6);
    assert_int_equal(s.final.n_vlans, 3);
    assert_int_equal(s.final.vlan_tci[0] & 0xfff, 3);
    assert_int_equal(s.final.lost, 1);
}

/* Real (dec_ttl,mod_nw_src:10.0.0.1,mod_tp_dst:8080): "set(ipv4(src=10.0.0.1,ttl=63)),
 * set(tcp(dst=8080)),5" - printed as set() but built as SET_MASKED by dpif-netdev. */
static void test_real_set_masked_ipv4_tcp(void **state)
{
    (void)state;
    static const uint8_t ipv4[24] = {
        10, 0, 0, 1,   0, 0, 0, 0,   0, 0, 63, 0,          /* value: src, dst, proto tos ttl frag */
        255, 255, 255, 255,   0, 0, 0, 0,   0, 0, 255, 0,  /* mask: src and ttl */
    };
    static const uint8_t tcp[8] = { 0, 0, 0x1f, 0x90,  0, 0, 0xff, 0xff };  /* dst 8080 */
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_begin(&b, ODP_A_SET_MASKED);
    b_put(&b, ODP_KEY_IPV4, ipv4, sizeof ipv4);
    b_end(&b);
    b_begin(&b, ODP_A_SET_MASKED);
    b_put(&b, ODP_KEY_TCP, tcp, sizeof tcp);
    b_end(&b);
    b_u32(&b, ODP_A_OUTPUT, 5);
    assert_int_equal(blob_decode("real_set_masked_v4_tcp", &b, &s), DPS_ODP_OK);
    const struct dps_odp_rewrites *rw = &s.rewrites;
    assert_int_equal(rw->fields, DPS_ODP_RW_IPV4_SRC | DPS_ODP_RW_TTL | DPS_ODP_RW_L4_DST);
    assert_ip4(rw->ipv4_src, 10, 0, 0, 1);
    assert_ip4(rw->ipv4_src_mask, 255, 255, 255, 255);
    assert_int_equal(rw->ttl, 63);
    assert_int_equal(rw->l4_proto, 6);
    assert_int_equal(rw->l4_dst, 8080);
    assert_int_equal(rw->l4_dst_mask, 0xffff);
    assert_int_equal(s.outputs[0].port, 5);
}

/* Real (mod_nw_tos:32,mod_nw_ttl:9,mod_tp_src:1234): "set(ipv4(tos=0x20/0xfc,ttl=9)),
 * set(tcp(src=1234)),5" - a partial (DSCP-only) tos mask. */
static void test_real_set_masked_tos(void **state)
{
    (void)state;
    static const uint8_t ipv4[24] = {
        0, 0, 0, 0,  0, 0, 0, 0,  0, 0x20, 9, 0,
        0, 0, 0, 0,  0, 0, 0, 0,  0, 0xfc, 0xff, 0,
    };
    static const uint8_t udp[8] = { 0x04, 0xd2, 0, 0,  0xff, 0xff, 0, 0 };  /* src 1234 */
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_begin(&b, ODP_A_SET_MASKED);
    b_put(&b, ODP_KEY_IPV4, ipv4, sizeof ipv4);
    b_end(&b);
    b_begin(&b, ODP_A_SET_MASKED);
    b_put(&b, ODP_KEY_UDP, udp, sizeof udp);
    b_end(&b);
    assert_int_equal(blob_decode("real_set_masked_tos", &b, &s), DPS_ODP_OK);
    const struct dps_odp_rewrites *rw = &s.rewrites;
    assert_int_equal(rw->fields, DPS_ODP_RW_TOS | DPS_ODP_RW_TTL | DPS_ODP_RW_L4_SRC);
    assert_int_equal(rw->tos, 0x20);
    assert_int_equal(rw->tos_mask, 0xfc);
    assert_int_equal(rw->ttl, 9);
    assert_int_equal(rw->l4_proto, 17);
    assert_int_equal(rw->l4_src, 1234);
}

/* IPv6 masked set: low 64 bits of the destination, flow label, hop limit (dec_ttl). */
static void test_set_masked_ipv6(void **state)
{
    (void)state;
    uint8_t key[80] = { 0 };
    uint8_t *v = key, *m = key + 40;
    for (int i = 8; i < 16; i++) {
        v[16 + i] = (uint8_t)i;             /* dst ::0809:0a0b:0c0d:0e0f */
        m[16 + i] = 0xff;
    }
    v[33] = 0x0a; v[34] = 0xbc; v[35] = 0xde;     /* label 0xabcde */
    m[33] = 0x0f; m[34] = 0xff; m[35] = 0xff;
    v[38] = 41; m[38] = 0xff;                     /* hop limit */
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_begin(&b, ODP_A_SET_MASKED);
    b_put(&b, ODP_KEY_IPV6, key, sizeof key);
    b_end(&b);
    assert_int_equal(blob_decode("set_masked_v6", &b, &s), DPS_ODP_OK);
    const struct dps_odp_rewrites *rw = &s.rewrites;
    assert_int_equal(rw->fields, DPS_ODP_RW_IPV6_DST | DPS_ODP_RW_IPV6_LABEL | DPS_ODP_RW_TTL);
    assert_memory_equal(rw->ipv6_dst + 8, v + 24, 8);
    assert_int_equal(rw->ipv6_dst_mask[0], 0);
    assert_int_equal(rw->ipv6_dst_mask[15], 0xff);
    assert_int_equal(rw->ipv6_label, 0xabcde);
    assert_int_equal(rw->ttl, 41);
}

/* Unmasked SET: every field of the key counts as written; a second masked set merges. */
static void test_set_unmasked_then_merge(void **state)
{
    (void)state;
    static const uint8_t eth[12] = { 1, 2, 3, 4, 5, 6,  0xa, 0xb, 0xc, 0xd, 0xe, 0xf };
    static const uint8_t sctp[4] = { 0x0b, 0xb8, 0x0f, 0xa0 };       /* 3000 -> 4000 */
    static const uint8_t sctp_m[8] = { 0x00, 0x07, 0, 0,  0x00, 0xff, 0, 0 };
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_begin(&b, ODP_A_SET);
    b_put(&b, ODP_KEY_ETHERNET, eth, sizeof eth);
    b_end(&b);
    b_begin(&b, ODP_A_SET);
    b_put(&b, ODP_KEY_SCTP, sctp, sizeof sctp);
    b_end(&b);
    b_begin(&b, ODP_A_SET_MASKED);
    b_put(&b, ODP_KEY_SCTP, sctp_m, sizeof sctp_m);  /* low 8 bits of src: 0x07 */
    b_end(&b);
    assert_int_equal(blob_decode("set_eth_sctp", &b, &s), DPS_ODP_OK);
    const struct dps_odp_rewrites *rw = &s.rewrites;
    assert_int_equal(rw->fields, DPS_ODP_RW_ETH_SRC | DPS_ODP_RW_ETH_DST |
                                     DPS_ODP_RW_L4_SRC | DPS_ODP_RW_L4_DST);
    assert_memory_equal(rw->eth_src, eth, 6);
    assert_memory_equal(rw->eth_dst, eth + 6, 6);
    assert_int_equal(rw->l4_proto, 132);
    assert_int_equal(rw->l4_src, 0x0b07);           /* 0x0bb8 with its low byte set to 7 */
    assert_int_equal(rw->l4_dst, 4000);
}

/* set(mpls(label=...)) rewrites the top label this list pushed. */
static void test_set_mpls_on_pushed(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_push_mpls(&b, ODP_A_PUSH_MPLS, mpls_lse(16, 0, 1, 64), 0x8847, 0);
    b_begin(&b, ODP_A_SET);
    b_be32(&b, ODP_KEY_MPLS, mpls_lse(99, 3, 1, 10));
    b_end(&b);
    assert_int_equal(blob_decode("set_mpls", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.rewrites.fields, DPS_ODP_RW_MPLS);
    assert_int_equal(s.rewrites.mpls_lse, mpls_lse(99, 3, 1, 10));
    assert_int_equal(s.final.mpls_lse[0], mpls_lse(99, 3, 1, 10));
}

/* Real: "ct(commit,zone=5,nat(src=10.0.0.1)),5"; then "hash(l4(0)),recirc(0x1)" (select
 * group), meter(0), trunc(100), ct_clear. */
static void test_ct_hash_recirc_meter_trunc(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_begin(&b, ODP_A_CT);
    b_flag(&b, ODP_CT_COMMIT);
    b_u16(&b, ODP_CT_ZONE, 5);
    b_begin(&b, ODP_CT_NAT);
    b_flag(&b, ODP_NAT_SRC);
    b_be32(&b, 3 /* IP_MIN */, 0x0a000001);
    b_end(&b);
    b_end(&b);
    b_u32(&b, ODP_A_METER, 0);
    b_u32(&b, ODP_A_TRUNC, 100);
    b_u32(&b, ODP_A_OUTPUT, 5);
    b_u32(&b, ODP_A_OUTPUT, 6);
    b_flag(&b, ODP_A_CT_CLEAR);
    uint32_t hash[2] = { 0, 0 };               /* l4, basis 0 */
    b_put(&b, ODP_A_HASH, hash, sizeof hash);
    b_u32(&b, ODP_A_RECIRC, 1);
    assert_int_equal(blob_decode("ct_hash_recirc", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.flags, DPS_ODP_F_CT | DPS_ODP_F_CT_COMMIT | DPS_ODP_F_CT_NAT |
                                  DPS_ODP_F_METER | DPS_ODP_F_TRUNC | DPS_ODP_F_CT_CLEAR |
                                  DPS_ODP_F_HASH | DPS_ODP_F_RECIRC);
    assert_int_equal(s.ct_zone, 5);
    assert_int_equal(s.meter_id, 0);
    assert_int_equal(s.trunc_max_len, 100);
    assert_int_equal(s.hash_alg, 0);
    assert_int_equal(s.recirc_id, 1);
    /* trunc applies to the next output only */
    assert_int_equal(s.outputs[0].flags, DPS_ODP_OUTF_TRUNC);
    assert_int_equal(s.outputs[1].flags, 0);
}

/* Real: "check_pkt_len(size=1400,gt(5),le(tnl_push(...vxlan...),4))" */
static void test_real_check_pkt_len(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_sflow_sample(&b, 0, 2147483650u);
    b_begin(&b, ODP_A_CHECK_PKT_LEN);
    b_u16(&b, ODP_CPL_PKT_LEN, 1400);
    b_begin(&b, ODP_CPL_IF_GREATER);
    b_u32(&b, ODP_A_OUTPUT, 5);
    b_end(&b);
    b_begin(&b, ODP_CPL_IF_LESS_EQUAL);
    b_tnl_push(&b, 4789, 100, 4, hdr_vxlan4, sizeof hdr_vxlan4);
    b_u32(&b, ODP_A_OUTPUT, 4);
    b_end(&b);
    b_end(&b);
    assert_int_equal(blob_decode("real_check_pkt_len", &b, &s), DPS_ODP_OK);
    assert_true(s.flags & DPS_ODP_F_CHECK_PKT_LEN);
    assert_int_equal(s.check_pkt_len, 1400);
    assert_int_equal(s.userspace.sflow_output, 0x80000002u);
    assert_int_equal(s.n_outputs, 2);
    assert_int_equal(s.outputs[0].port, 5);
    assert_int_equal(s.outputs[0].flags, DPS_ODP_OUTF_COND_GT);
    assert_int_equal(s.outputs[1].port, 4);
    assert_int_equal(s.outputs[1].flags, DPS_ODP_OUTF_COND_LE | DPS_ODP_OUTF_TUNNEL);
    assert_int_equal(s.outputs[1].tunnel, 0);
    /* the branch's tunnel does not leak to the top-level list */
    assert_int_equal(s.final.n_vlans, 0);
}

/* Branches and clones work on copies: a VLAN pushed inside does not reach 'final', but
 * the outputs inside see it. */
static void test_nested_scopes_are_copies(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_push_vlan(&b, 0x8100, 0x1000 | 1);
    b_begin(&b, ODP_A_CLONE);
    b_push_vlan(&b, 0x8100, 0x1000 | 2);
    b_u32(&b, ODP_A_OUTPUT, 10);
    b_end(&b);
    b_begin(&b, ODP_A_SAMPLE);
    b_u32(&b, ODP_SAMPLE_PROBABILITY, UINT32_MAX);    /* 100 %: not conditional */
    b_begin(&b, ODP_SAMPLE_ACTIONS);
    b_flag(&b, ODP_A_POP_VLAN);
    b_u32(&b, ODP_A_OUTPUT, 11);
    b_end(&b);
    b_end(&b);
    b_u32(&b, ODP_A_OUTPUT, 12);
    assert_int_equal(blob_decode("nested_copies", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.n_outputs, 3);
    assert_int_equal(s.outputs[0].n_vlans, 2);
    assert_int_equal(s.outputs[0].vlan_tci & 0xfff, 2);
    assert_int_equal(s.outputs[0].flags, DPS_ODP_OUTF_CLONE);
    assert_int_equal(s.outputs[1].n_vlans, 0);
    assert_int_equal(s.outputs[1].flags, DPS_ODP_OUTF_CLONE);    /* not SAMPLED at 100 % */
    assert_int_equal(s.outputs[2].n_vlans, 1);
    assert_int_equal(s.outputs[2].vlan_tci & 0xfff, 1);
    assert_int_equal(s.outputs[2].depth, 0);
    assert_int_equal(s.final.n_vlans, 1);
    assert_int_equal(s.sample_probability, UINT32_MAX);
}

/* CLONE in SAMPLE in CHECK_PKT_LEN in CLONE: flags accumulate, depth counted. */
static void test_deep_nesting_flags(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_begin(&b, ODP_A_CLONE);                       /* depth 1 */
    b_begin(&b, ODP_A_CHECK_PKT_LEN);
    b_u16(&b, ODP_CPL_PKT_LEN, 200);
    b_begin(&b, ODP_CPL_IF_LESS_EQUAL);             /* depth 2 */
    b_begin(&b, ODP_A_SAMPLE);
    b_begin(&b, ODP_SAMPLE_ACTIONS);                /* depth 3, before PROBABILITY */
    b_begin(&b, ODP_A_CLONE);                       /* depth 4 */
    b_u32(&b, ODP_A_LB_OUTPUT, 3);
    b_end(&b);
    b_end(&b);
    b_u32(&b, ODP_SAMPLE_PROBABILITY, 12345);
    b_end(&b);
    b_end(&b);
    b_end(&b);
    b_end(&b);
    assert_int_equal(blob_decode("deep_nesting", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.max_depth, 4);
    assert_int_equal(s.n_outputs, 1);
    assert_int_equal(s.outputs[0].port, 3);
    assert_int_equal(s.outputs[0].depth, 4);
    assert_int_equal(s.outputs[0].flags, DPS_ODP_OUTF_BOND | DPS_ODP_OUTF_CLONE |
                                             DPS_ODP_OUTF_COND_LE | DPS_ODP_OUTF_SAMPLED);
    assert_int_equal(s.sample_probability, 12345);
    assert_true(s.flags & DPS_ODP_F_LB_OUTPUT);
}

static void test_nsh_and_eth(void **state)
{
    (void)state;
    uint8_t base[8] = { 0x00, 63, 1, 3,           /* flags, ttl, md type 1, next proto 3 */
                        0x00, 0x12, 0x34, 0x05 }; /* SPI 0x1234, SI 5 */
    uint8_t md1[16] = { 0 };
    uint8_t eth[12] = { 2, 0, 0, 0, 0, 1,  2, 0, 0, 0, 0, 2 };
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_begin(&b, ODP_A_PUSH_NSH);
    b_put(&b, ODP_NSH_BASE, base, sizeof base);
    b_put(&b, ODP_NSH_MD1, md1, sizeof md1);
    b_end(&b);
    b_put(&b, ODP_A_PUSH_ETH, eth, sizeof eth);
    b_u32(&b, ODP_A_OUTPUT, 2);
    b_flag(&b, ODP_A_POP_ETH);
    b_flag(&b, ODP_A_POP_NSH);
    assert_int_equal(blob_decode("nsh_eth", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.flags, DPS_ODP_F_PUSH_NSH | DPS_ODP_F_PUSH_ETH | DPS_ODP_F_POP_ETH |
                                  DPS_ODP_F_POP_NSH);
    assert_int_equal(s.nsh.spi, 0x1234);
    assert_int_equal(s.nsh.si, 5);
    assert_int_equal(s.nsh.md_type, 1);
    assert_int_equal(s.nsh.next_proto, 3);
    assert_int_equal(s.nsh.ttl, 63);
    assert_memory_equal(s.push_eth_src, eth, 6);
    assert_memory_equal(s.push_eth_dst, eth + 6, 6);
}

/* NSH MD type 2, then a masked SET of the NSH base (SI decrement). */
static void test_nsh_md2_and_set(void **state)
{
    (void)state;
    uint8_t base[8] = { 0, 10, 2, 1, 0xab, 0xcd, 0xef, 0xff };
    uint8_t md2[12] = { 0x01, 0x02, 0x03, 0x02, 1, 2, 3, 4, 5, 6, 7, 8 };
    uint8_t set_base[16] = { 0, 0, 0, 0, 0xab, 0xcd, 0xef, 0xfe,      /* value: SI 254 */
                             0, 0, 0, 0, 0, 0, 0, 0xff };             /* mask: SI only */
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_begin(&b, ODP_A_PUSH_NSH);
    b_put(&b, ODP_NSH_BASE, base, sizeof base);
    b_put(&b, ODP_NSH_MD2, md2, sizeof md2);
    b_end(&b);
    assert_int_equal(blob_decode("nsh_md2", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.nsh.spi, 0xabcdef);
    assert_int_equal(s.nsh.si, 255);
    assert_int_equal(s.nsh.md_type, 2);
    assert_int_equal(s.nsh.md2_len, 12);

    b_begin(&b, ODP_A_SET_MASKED);
    b_begin(&b, ODP_KEY_NSH);
    b_put(&b, ODP_NSH_BASE, set_base, sizeof set_base);
    b_end(&b);
    b_end(&b);
    assert_int_equal(blob_decode("nsh_md2_set", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.nsh.si, 254);
    assert_true(s.rewrites.fields & DPS_ODP_RW_NSH);
}

/* Real: "userspace(pid=0,controller(reason=1,...))" - a non-sFlow cookie comes first; a
 * later sFlow cookie replaces it; EGRESS_TUN_PORT is read. */
static void test_userspace_cookies(void **state)
{
    (void)state;
    uint8_t ctl[48] = { 0 };
    uint16_t ctl_type = 5;                          /* USER_ACTION_COOKIE_CONTROLLER */
    memcpy(ctl, &ctl_type, 2);
    uint8_t sfl[48];
    sflow_cookie(sfl, 3, 0x2000 | 0x1000 | 77, 0x40000100u);
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_begin(&b, ODP_A_USERSPACE);
    b_u32(&b, ODP_US_PID, 42);
    b_put(&b, ODP_US_USERDATA, ctl, sizeof ctl);
    b_end(&b);
    b_begin(&b, ODP_A_USERSPACE);
    b_u32(&b, ODP_US_PID, 43);
    b_put(&b, ODP_US_USERDATA, sfl, sizeof sfl);
    b_u32(&b, ODP_US_EGRESS_TUN_PORT, 4789);
    b_end(&b);
    assert_int_equal(blob_decode("userspace_cookies", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.userspace.n, 2);
    assert_int_equal(s.userspace.pid, 43);
    assert_int_equal(s.userspace.cookie_type, 1);
    assert_int_equal(s.userspace.ofp_in_port, 3);
    assert_int_equal(s.userspace.sflow_vlan_tci, 0x3000 | 77);   /* pcp 1, vid 77 */
    assert_int_equal(s.userspace.sflow_output, 0x40000100u);     /* discarded */
    assert_int_equal(s.userspace.egress_tun_port, 4789);
    assert_int_equal(s.userspace.want_actions, 0);

    /* The controller cookie alone: type recorded, no sFlow fields. */
    b_init(&b);
    b_begin(&b, ODP_A_USERSPACE);
    b_u32(&b, ODP_US_PID, 42);
    b_put(&b, ODP_US_USERDATA, ctl, sizeof ctl);
    b_end(&b);
    assert_int_equal(blob_decode("userspace_controller", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.flags, DPS_ODP_F_USERSPACE);
    assert_int_equal(s.userspace.cookie_type, 5);
    assert_int_equal(s.userspace.sflow_output, 0);
}

/* Unknown attribute types are skipped by their length; the walk continues. */
static void test_unknown_skipped(void **state)
{
    (void)state;
    uint8_t junk[7] = { 1, 2, 3, 4, 5, 6, 7 };
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_put(&b, 99, junk, sizeof junk);
    b_put(&b, 0, junk, 3);                          /* UNSPEC */
    b_u32(&b, ODP_A_OUTPUT, 8);
    assert_int_equal(blob_decode("unknown_attrs", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.flags, DPS_ODP_F_UNKNOWN);
    assert_int_equal(s.n_actions, 3);
    assert_int_equal(s.n_outputs, 1);
    assert_int_equal(s.outputs[0].port, 8);
}

/* More outputs than stored: all counted, first ones kept in order. */
static void test_output_overflow(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    for (uint32_t p = 0; p < 20; p++)
        b_u32(&b, ODP_A_OUTPUT, 100 + p);
    assert_int_equal(blob_decode("output_overflow", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.n_outputs, 20);
    for (unsigned i = 0; i < DPS_ODP_MAX_OUTPUTS; i++)
        assert_int_equal(s.outputs[i].port, 100 + i);
}

/* The last attribute may come without its padding (nla_len 5, buffer ends). */
static void test_unpadded_last_attribute(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_u32(&b, ODP_A_OUTPUT, 1);
    b_u8(&b, 77, 9);
    assert_int_equal(b.len, 16);
    assert_int_equal(odp_blob_decode("unpadded_last", b.buf, 13, &s), DPS_ODP_OK);
    assert_int_equal(s.n_actions, 2);
    assert_int_equal(s.n_outputs, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_list_is_drop),
        cmocka_unit_test(test_drop_action),
        cmocka_unit_test(test_real_sflow_vxlan),
        cmocka_unit_test(test_real_qinq_then_tunnel),
        cmocka_unit_test(test_mpls_stack),
        cmocka_unit_test(test_pop_input_tags),
        cmocka_unit_test(test_vlan_overflow),
        cmocka_unit_test(test_real_set_masked_ipv4_tcp),
        cmocka_unit_test(test_real_set_masked_tos),
        cmocka_unit_test(test_set_masked_ipv6),
        cmocka_unit_test(test_set_unmasked_then_merge),
        cmocka_unit_test(test_set_mpls_on_pushed),
        cmocka_unit_test(test_ct_hash_recirc_meter_trunc),
        cmocka_unit_test(test_real_check_pkt_len),
        cmocka_unit_test(test_nested_scopes_are_copies),
        cmocka_unit_test(test_deep_nesting_flags),
        cmocka_unit_test(test_nsh_and_eth),
        cmocka_unit_test(test_nsh_md2_and_set),
        cmocka_unit_test(test_userspace_cookies),
        cmocka_unit_test(test_unknown_skipped),
        cmocka_unit_test(test_output_overflow),
        cmocka_unit_test(test_unpadded_last_attribute),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
