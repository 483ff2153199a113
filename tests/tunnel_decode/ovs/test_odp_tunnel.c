/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_odp_tunnel.c - egress tunnels: TUNNEL_PUSH headers (VXLAN over IPv4 / IPv6, Geneve
 * with options, GRE with key over IPv4 / IPv6, ERSPAN), TUNNEL_POP and SET(tunnel key).
 *
 * Reference: the strings in ovs_ref_* were printed by Debian's ovs-vswitchd 3.1.0
 * (ovs-appctl ofproto/trace and dpctl/dump-flows on a dummy-datapath bridge with vxlan,
 * vxlan-over-IPv6, geneve, gre and ip6gre ports; remote 1.1.2.92 / 2001:cafe::92, local
 * 1.1.2.88 / 2001:cafe::88, keys 123..127).  The headers below are the bytes those strings
 * describe, written out field by field from the layouts in lib/packets.h; the decoder must
 * read back exactly the values OVS printed.  The whole capture, with its setup, is in
 * ovs310_datapath_actions.txt next to this file.
 */
#include "odp_blob.h"

/* --- pushed headers, byte by byte ---------------------------------------------------- */

#define ETH_OVS \
    0xf8, 0xbc, 0x12, 0x44, 0x34, 0xb6,  /* eth dst f8:bc:12:44:34:b6 (remote VTEP's MAC) */ \
    0x3a, 0x9f, 0x8d, 0x10, 0x17, 0x46   /* eth src 3a:9f:8d:10:17:46 (br0) */

#define IPV4_OVS(proto) \
    0x45, 0x00,              /* version 4, IHL 5; tos 0 */ \
    0x00, 0x00,              /* total length: filled per packet */ \
    0x00, 0x00,              /* id */ \
    0x40, 0x00,              /* flags DF (frag=0x4000), offset 0 */ \
    0x40, (proto),           /* ttl 64, protocol */ \
    0x00, 0x00,              /* header checksum (not checked by the decoder) */ \
    0x01, 0x01, 0x02, 0x58,  /* src 1.1.2.88 */ \
    0x01, 0x01, 0x02, 0x5c   /* dst 1.1.2.92 */

#define IPV6_OVS(nxt) \
    0x60, 0x00, 0x00, 0x00,  /* version 6, tclass 0, label 0 */ \
    0x00, 0x00,              /* payload length: filled per packet */ \
    (nxt), 0x40,             /* next header, hop limit 64 */ \
    0x20, 0x01, 0xca, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x88,  /* src 2001:cafe::88 */ \
    0x20, 0x01, 0xca, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x92   /* dst 2001:cafe::92 */

static const char ovs_ref_vxlan4[] =
    "tnl_push(tnl_port(4789),header(size=50,type=4,eth(dst=f8:bc:12:44:34:b6,"
    "src=3a:9f:8d:10:17:46,dl_type=0x0800),ipv4(src=1.1.2.88,dst=1.1.2.92,proto=17,tos=0,"
    "ttl=64,frag=0x4000),udp(src=0,dst=4789,csum=0x0),vxlan(flags=0x8000000,vni=0x7b)),"
    "out_port(100)),4";
static const uint8_t hdr_vxlan4[50] = {
    ETH_OVS, 0x08, 0x00,     /* ethertype IPv4 */
    IPV4_OVS(17),
    0x00, 0x00,              /* udp src 0: chosen per packet from the flow hash */
    0x12, 0xb5,              /* udp dst 4789 */
    0x00, 0x00, 0x00, 0x00,  /* udp length, checksum 0 */
    0x08, 0x00, 0x00, 0x00,  /* vxlan flags: I */
    0x00, 0x00, 0x7b, 0x00,  /* vni 123, reserved */
};

static const char ovs_ref_vxlan6[] =
    "tnl_push(tnl_port(4789),header(size=70,type=4,eth(dst=f8:bc:12:44:34:b6,"
    "src=3a:9f:8d:10:17:46,dl_type=0x86dd),ipv6(src=2001:cafe::88,dst=2001:cafe::92,label=0,"
    "proto=17,tclass=0x0,hlimit=64),udp(src=0,dst=4789,csum=0xffff),vxlan(flags=0x8000000,"
    "vni=0x7c)),out_port(100)),4";
static const uint8_t hdr_vxlan6[70] = {
    ETH_OVS, 0x86, 0xdd,     /* ethertype IPv6 */
    IPV6_OVS(17),
    0x00, 0x00, 0x12, 0xb5,  /* udp src 0, dst 4789 */
    0x00, 0x00, 0xff, 0xff,  /* udp length, checksum 0xffff = "compute" marker */
    0x08, 0x00, 0x00, 0x00,  /* vxlan flags: I */
    0x00, 0x00, 0x7c, 0x00,  /* vni 124 */
};

static const char ovs_ref_geneve_opt[] =
    "tnl_push(tnl_port(6081),header(size=58,type=5,eth(dst=f8:bc:12:44:34:b6,"
    "src=3a:9f:8d:10:17:46,dl_type=0x0800),ipv4(src=1.1.2.88,dst=1.1.2.92,proto=17,tos=0,"
    "ttl=64,frag=0x4000),udp(src=0,dst=6081,csum=0x0),geneve(crit,vni=0x7d,"
    "options({class=0x102,type=0x80,len=4,0x1234abcd}))),out_port(100)),4";
static const uint8_t hdr_geneve_opt[58] = {
    ETH_OVS, 0x08, 0x00,
    IPV4_OVS(17),
    0x00, 0x00, 0x17, 0xc1,  /* udp src 0, dst 6081 */
    0x00, 0x00, 0x00, 0x00,
    0x02,                    /* geneve version 0, option length 2 words */
    0x40,                    /* O=0, C=1 (a critical option is present) */
    0x65, 0x58,              /* protocol: Ethernet */
    0x00, 0x00, 0x7d, 0x00,  /* vni 125 */
    0x01, 0x02, 0x80, 0x01,  /* option class 0x0102, type 0x80 (critical), len 1 word */
    0x12, 0x34, 0xab, 0xcd,  /* option data */
};

static const char ovs_ref_gre4[] =
    "tnl_push(tnl_port(2),header(size=42,type=3,eth(dst=f8:bc:12:44:34:b6,"
    "src=3a:9f:8d:10:17:46,dl_type=0x0800),ipv4(src=1.1.2.88,dst=1.1.2.92,proto=47,tos=0,"
    "ttl=64,frag=0x4000),gre((flags=0x2000,proto=0x6558),key=0x7e)),out_port(100)),4";
static const uint8_t hdr_gre4[42] = {
    ETH_OVS, 0x08, 0x00,
    IPV4_OVS(47),
    0x20, 0x00,              /* gre flags: K */
    0x65, 0x58,              /* protocol: transparent Ethernet bridging */
    0x00, 0x00, 0x00, 0x7e,  /* key 126 */
};

static const char ovs_ref_gre6[] =
    "tnl_push(tnl_port(6),header(size=62,type=109,eth(dst=f8:bc:12:44:34:b6,"
    "src=3a:9f:8d:10:17:46,dl_type=0x86dd),ipv6(src=2001:cafe::88,dst=2001:cafe::92,label=0,"
    "proto=47,tclass=0x0,hlimit=64),gre((flags=0x2000,proto=0x6558),key=0x7f)),"
    "out_port(100)),4";
static const uint8_t hdr_gre6[62] = {
    ETH_OVS, 0x86, 0xdd,
    IPV6_OVS(47),
    0x20, 0x00, 0x65, 0x58,  /* gre flags K, protocol 0x6558 */
    0x00, 0x00, 0x00, 0x7f,  /* key 127 */
};

/* From OVS's own tests/tunnel-push-pop.at (ERSPAN v1, tnl_type 107). */
static const char ovs_ref_erspan[] =
    "tnl_push(tnl_port(3),header(size=50,type=107,eth(dst=f8:bc:12:44:34:b6,"
    "src=aa:55:aa:55:00:00,dl_type=0x0800),ipv4(src=1.1.2.88,dst=1.1.2.92,proto=47,tos=0,"
    "ttl=64,frag=0x4000),erspan(ver=1,sid=0x7b,idx=0x3)),out_port(100)),1";
static const uint8_t hdr_erspan[50] = {
    0xf8, 0xbc, 0x12, 0x44, 0x34, 0xb6, 0xaa, 0x55, 0xaa, 0x55, 0x00, 0x00, 0x08, 0x00,
    IPV4_OVS(47),
    0x10, 0x00, 0x88, 0xbe,  /* gre flags S, protocol ERSPAN type II */
    0x00, 0x00, 0x00, 0x00,  /* sequence number */
    0x10, 0x00,              /* erspan version 1, vlan 0 */
    0x00, 0x7b,              /* cos/en/t 0, session id 0x7b */
    0x00, 0x00, 0x00, 0x03,  /* index 3 */
};

/* --- helpers ------------------------------------------------------------------------- */

static void decode_push_output(const char *name, uint32_t tnl_port, uint32_t tnl_type,
                               const uint8_t *hdr, size_t hdr_len, uint32_t out,
                               struct dps_odp_summary *s)
{
    struct blob b;
    b_init(&b);
    b_tnl_push(&b, tnl_port, 100, tnl_type, hdr, hdr_len);
    b_u32(&b, ODP_A_OUTPUT, out);
    assert_int_equal(blob_decode(name, &b, s), DPS_ODP_OK);
    assert_int_equal(s->status, DPS_ODP_OK);
    assert_int_equal(s->n_actions, 2);
    assert_int_equal(s->n_tunnels, 1);
    assert_true(s->flags & DPS_ODP_F_TNL_PUSH);
    /* tnl_push only prepends; the output after it is the one wrapped by the tunnel */
    assert_int_equal(s->n_outputs, 1);
    assert_int_equal(s->outputs[0].port, out);
    assert_int_equal(s->outputs[0].tunnel, 0);
    assert_int_equal(s->outputs[0].flags, DPS_ODP_OUTF_TUNNEL);
    const struct dps_odp_tunnel *t = &s->tunnels[0];
    assert_int_equal(t->origin, DPS_ODP_FROM_PUSH);
    assert_int_equal(t->tnl_port, tnl_port);
    assert_int_equal(t->out_port, 100);
    assert_int_equal(t->tnl_type, tnl_type);
    assert_int_equal(t->header_len, hdr_len);
    static const uint8_t mac_dst[6] = { 0xf8, 0xbc, 0x12, 0x44, 0x34, 0xb6 };
    assert_memory_equal(t->eth_dst, mac_dst, 6);
}

static void assert_ovs_v6(const uint8_t *ip, uint8_t last)
{
    uint8_t want[16] = { 0x20, 0x01, 0xca, 0xfe };
    want[15] = last;
    assert_memory_equal(ip, want, 16);
}

/* --- tests --------------------------------------------------------------------------- */

/* One list written entirely by hand, to pin the builder and the host-order framing:
 * tnl_push(VXLAN/IPv4) then output:4. */
static void test_handwritten_vxlan4_list(void **state)
{
    (void)state;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    static const uint8_t list[80] = {
        70, 0, 23, 0,                 /* nla_len 70 = 4 + 16 + 50, type 23 TUNNEL_PUSH */
        0xb5, 0x12, 0, 0,             /* tnl_port 4789 (host u32) */
        100, 0, 0, 0,                 /* out_port 100 */
        50, 0, 0, 0,                  /* header_len 50 */
        4, 0, 0, 0,                   /* tnl_type 4 = OVS_VPORT_TYPE_VXLAN */
        0xf8, 0xbc, 0x12, 0x44, 0x34, 0xb6, 0x3a, 0x9f, 0x8d, 0x10, 0x17, 0x46, /* MACs */
        0x08, 0x00,                   /* IPv4 */
        0x45, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
        1, 1, 2, 88, 1, 1, 2, 92,     /* 1.1.2.88 -> 1.1.2.92 */
        0x00, 0x00, 0x12, 0xb5, 0x00, 0x00, 0x00, 0x00,  /* udp 0 -> 4789 */
        0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7b, 0x00,  /* vxlan I, vni 123 */
        0, 0,                         /* padding of the 70-byte attribute to 72 */
        8, 0, 1, 0,                   /* nla_len 8, type 1 OUTPUT */
        4, 0, 0, 0,                   /* port 4 */
    };
    struct blob b;
    b_init(&b);
    b_tnl_push(&b, 4789, 100, 4, hdr_vxlan4, sizeof hdr_vxlan4);
    b_u32(&b, ODP_A_OUTPUT, 4);
    assert_int_equal(b.len, sizeof list);
    assert_memory_equal(b.buf, list, sizeof list);

    struct dps_odp_summary s;
    assert_int_equal(odp_blob_decode("hand_vxlan4", list, sizeof list, &s), DPS_ODP_OK);
    assert_int_equal(s.tunnels[0].udp_dst, 4789);
    assert_int_equal(s.tunnels[0].vni, 123);
    assert_int_equal(s.outputs[0].port, 4);
#else
    skip();
#endif
}

static void test_push_vxlan_ipv4(void **state)
{
    (void)state;
    (void)ovs_ref_vxlan4;
    struct dps_odp_summary s;
    decode_push_output("push_vxlan4", 4789, 4, hdr_vxlan4, sizeof hdr_vxlan4, 4, &s);
    const struct dps_odp_tunnel *t = &s.tunnels[0];
    assert_int_equal(t->proto, DPS_ODP_TNL_VXLAN);
    assert_int_equal(t->ip_version, 4);
    assert_ip4(t->src_ip, 1, 1, 2, 88);
    assert_ip4(t->dst_ip, 1, 1, 2, 92);
    assert_int_equal(t->ip_proto, 17);
    assert_int_equal(t->tos, 0);
    assert_int_equal(t->ttl, 64);
    assert_int_equal(t->udp_src, 0);
    assert_int_equal(t->udp_dst, 4789);      /* numeric, not 46354 */
    assert_int_equal(t->vni, 0x7b);
    assert_int_equal(t->vxlan_flags, 0x0800);
    assert_int_equal(t->flags, DPS_ODP_TNLF_KEY | DPS_ODP_TNLF_DF);
    assert_int_equal(t->header_len, 50);
}

static void test_push_vxlan_ipv6(void **state)
{
    (void)state;
    (void)ovs_ref_vxlan6;
    struct dps_odp_summary s;
    decode_push_output("push_vxlan6", 4789, 4, hdr_vxlan6, sizeof hdr_vxlan6, 4, &s);
    const struct dps_odp_tunnel *t = &s.tunnels[0];
    assert_int_equal(t->proto, DPS_ODP_TNL_VXLAN);
    assert_int_equal(t->ip_version, 6);
    assert_ovs_v6(t->src_ip, 0x88);
    assert_ovs_v6(t->dst_ip, 0x92);
    assert_int_equal(t->tos, 0);
    assert_int_equal(t->ttl, 64);
    assert_int_equal(t->udp_dst, 4789);
    assert_int_equal(t->vni, 0x7c);
    assert_int_equal(t->flags, DPS_ODP_TNLF_KEY | DPS_ODP_TNLF_CSUM);
    assert_int_equal(t->header_len, 70);
}

static void test_push_geneve_option(void **state)
{
    (void)state;
    (void)ovs_ref_geneve_opt;
    struct dps_odp_summary s;
    decode_push_output("push_geneve_opt", 6081, 5, hdr_geneve_opt, sizeof hdr_geneve_opt, 4,
                       &s);
    const struct dps_odp_tunnel *t = &s.tunnels[0];
    assert_int_equal(t->proto, DPS_ODP_TNL_GENEVE);
    assert_int_equal(t->udp_dst, 6081);
    assert_int_equal(t->vni, 0x7d);
    assert_int_equal(t->inner_proto, 0x6558);
    assert_int_equal(t->geneve_opts, 1);
    assert_int_equal(t->geneve_opt_len, 8);
    assert_int_equal(t->flags, DPS_ODP_TNLF_KEY | DPS_ODP_TNLF_DF | DPS_ODP_TNLF_CRIT);
    assert_int_equal(t->header_len, 58);
}

/* Geneve with two options of different lengths over IPv6, tos and hop limit set, tnl_type
 * unknown to the decoder (0): the UDP port alone must identify Geneve. */
static void test_push_geneve_two_options_ipv6(void **state)
{
    (void)state;
    static const uint8_t hdr[14 + 40 + 8 + 8 + 8 + 12] = {
        ETH_OVS, 0x86, 0xdd,
        0x6b, 0x80, 0x00, 0x00,  /* version 6, tclass 0xb8 (EF), label 0 */
        0x00, 0x00, 17, 7,       /* payload length, next header UDP, hop limit 7 */
        0x20, 0x01, 0xca, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x88,
        0x20, 0x01, 0xca, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x92,
        0xc3, 0x50, 0x17, 0xc1,  /* udp src 50000, dst 6081 */
        0x00, 0x00, 0x00, 0x00,
        0x05,                    /* option length 5 words = 20 bytes */
        0x80,                    /* O bit */
        0x65, 0x58,
        0xab, 0xcd, 0xef, 0x00,  /* vni 0xabcdef */
        0x01, 0x02, 0x03, 0x01,  /* class 0x0102 type 3, 1 word */
        0xde, 0xad, 0xbe, 0xef,
        0xff, 0xff, 0x04, 0x02,  /* class 0xffff type 4, 2 words */
        1, 2, 3, 4, 5, 6, 7, 8,
    };
    struct dps_odp_summary s;
    decode_push_output("push_geneve2_v6", 6081, 0, hdr, sizeof hdr, 9, &s);
    const struct dps_odp_tunnel *t = &s.tunnels[0];
    assert_int_equal(t->proto, DPS_ODP_TNL_GENEVE);
    assert_int_equal(t->ip_version, 6);
    assert_int_equal(t->tos, 0xb8);
    assert_int_equal(t->ttl, 7);
    assert_int_equal(t->udp_src, 50000);
    assert_int_equal(t->udp_dst, 6081);
    assert_int_equal(t->vni, 0xabcdef);
    assert_int_equal(t->geneve_opts, 2);
    assert_int_equal(t->geneve_opt_len, 20);
    assert_int_equal(t->flags, DPS_ODP_TNLF_KEY | DPS_ODP_TNLF_OAM);
}

static void test_push_gre_ipv4(void **state)
{
    (void)state;
    (void)ovs_ref_gre4;
    struct dps_odp_summary s;
    decode_push_output("push_gre4", 2, 3, hdr_gre4, sizeof hdr_gre4, 4, &s);
    const struct dps_odp_tunnel *t = &s.tunnels[0];
    assert_int_equal(t->proto, DPS_ODP_TNL_GRE);
    assert_int_equal(t->ip_version, 4);
    assert_int_equal(t->ip_proto, 47);
    assert_ip4(t->dst_ip, 1, 1, 2, 92);
    assert_int_equal(t->vni, 0x7e);
    assert_int_equal(t->inner_proto, 0x6558);
    assert_int_equal(t->udp_src, 0);
    assert_int_equal(t->udp_dst, 0);
    assert_int_equal(t->flags, DPS_ODP_TNLF_KEY | DPS_ODP_TNLF_DF);
}

static void test_push_gre_ipv6(void **state)
{
    (void)state;
    (void)ovs_ref_gre6;
    struct dps_odp_summary s;
    decode_push_output("push_gre6", 6, 109, hdr_gre6, sizeof hdr_gre6, 4, &s);
    const struct dps_odp_tunnel *t = &s.tunnels[0];
    assert_int_equal(t->proto, DPS_ODP_TNL_GRE);
    assert_int_equal(t->ip_version, 6);
    assert_ovs_v6(t->src_ip, 0x88);
    assert_ovs_v6(t->dst_ip, 0x92);
    assert_int_equal(t->ttl, 64);
    assert_int_equal(t->vni, 0x7f);
    assert_int_equal(t->header_len, 62);
    assert_int_equal(t->flags, DPS_ODP_TNLF_KEY);
}

/* GRE with checksum, key and sequence: the key sits after the checksum word. */
static void test_push_gre_csum_key_seq(void **state)
{
    (void)state;
    static const uint8_t hdr[14 + 20 + 16] = {
        ETH_OVS, 0x08, 0x00,
        IPV4_OVS(47),
        0xb0, 0x00, 0x08, 0x00,  /* flags C|K|S, protocol IPv4 */
        0x00, 0x00, 0x00, 0x00,  /* checksum, reserved1 */
        0x12, 0x34, 0x56, 0x78,  /* key */
        0x00, 0x00, 0x00, 0x09,  /* sequence */
    };
    struct dps_odp_summary s;
    decode_push_output("push_gre_cks", 2, 3, hdr, sizeof hdr, 4, &s);
    assert_int_equal(s.tunnels[0].vni, 0x12345678);
    assert_int_equal(s.tunnels[0].inner_proto, 0x0800);
    assert_int_equal(s.tunnels[0].flags,
                     DPS_ODP_TNLF_KEY | DPS_ODP_TNLF_DF | DPS_ODP_TNLF_CSUM);
}

static void test_push_erspan(void **state)
{
    (void)state;
    (void)ovs_ref_erspan;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_tnl_push(&b, 3, 100, 107, hdr_erspan, sizeof hdr_erspan);
    b_u32(&b, ODP_A_OUTPUT, 1);
    assert_int_equal(blob_decode("push_erspan", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.tunnels[0].proto, DPS_ODP_TNL_ERSPAN);
    assert_int_equal(s.tunnels[0].vni, 0x7b);
    assert_int_equal(s.tunnels[0].inner_proto, 0x88be);
    assert_int_equal(s.outputs[0].port, 1);
}

/* tnl_push, then push_vlan on the underlay (VTEP on a tagged bridge): the VLAN belongs to
 * the outer frame, so only it shows; the tag pushed before the tunnel is inside. */
static void test_push_then_vlan_tags_underlay(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_push_vlan(&b, 0x8100, 0x1000 | 10);
    b_tnl_push(&b, 4789, 100, 4, hdr_vxlan4, sizeof hdr_vxlan4);
    b_push_vlan(&b, 0x8100, 0x1000 | 200);
    b_u32(&b, ODP_A_OUTPUT, 4);
    assert_int_equal(blob_decode("push_underlay_vlan", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.final.n_vlans, 1);
    assert_int_equal(s.final.vlan_tci[0] & 0xfff, 200);
    assert_int_equal(s.outputs[0].n_vlans, 1);
    assert_int_equal(s.outputs[0].vlan_tci & 0xfff, 200);
}

static void test_tnl_pop(void **state)
{
    (void)state;
    /* ovs_ref: "tnl_pop(4789)" for a VXLAN packet arriving on br0's p0 */
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_u32(&b, ODP_A_TUNNEL_POP, 4789);
    assert_int_equal(blob_decode("tnl_pop", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.flags, DPS_ODP_F_TNL_POP);
    assert_int_equal(s.tnl_pop_port, 4789);
    assert_int_equal(s.n_outputs, 0);
    assert_int_equal(s.n_tunnels, 0);
}

/* set(tunnel(tun_id=0x7b,src=1.1.2.88,dst=1.1.2.92,ttl=64,tp_dst=4789,flags(df|key))),3
 * as tun_key_to_attr() lays it out (ID, IPV4_SRC, IPV4_DST, TTL, DF, TP_DST). */
static void test_set_tunnel_ipv4(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_begin(&b, ODP_A_SET);
    b_begin(&b, ODP_KEY_TUNNEL);
    b_be64(&b, ODP_TUN_ID, 0x7b);
    b_be32(&b, ODP_TUN_IPV4_SRC, 0x01010258);
    b_be32(&b, ODP_TUN_IPV4_DST, 0x0101025c);
    b_u8(&b, ODP_TUN_TOS, 0x28);
    b_u8(&b, ODP_TUN_TTL, 64);
    b_flag(&b, ODP_TUN_DONT_FRAGMENT);
    b_be16(&b, ODP_TUN_TP_DST, 4789);
    b_end(&b);
    b_end(&b);
    b_u32(&b, ODP_A_OUTPUT, 3);
    b_u32(&b, ODP_A_OUTPUT, 9);
    assert_int_equal(blob_decode("set_tunnel4", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.flags, DPS_ODP_F_SET_TUNNEL);
    assert_int_equal(s.n_tunnels, 1);
    const struct dps_odp_tunnel *t = &s.tunnels[0];
    assert_int_equal(t->origin, DPS_ODP_FROM_SET);
    assert_int_equal(t->proto, DPS_ODP_TNL_VXLAN);    /* from tp_dst 4789 */
    assert_int_equal(t->ip_version, 4);
    assert_ip4(t->src_ip, 1, 1, 2, 88);
    assert_ip4(t->dst_ip, 1, 1, 2, 92);
    assert_int_equal(t->tun_id, 0x7b);
    assert_int_equal(t->vni, 0x7b);
    assert_int_equal(t->tos, 0x28);
    assert_int_equal(t->ttl, 64);
    assert_int_equal(t->udp_dst, 4789);
    assert_int_equal(t->flags, DPS_ODP_TNLF_KEY | DPS_ODP_TNLF_DF);
    assert_int_equal(t->out_port, 3);                 /* the first output after the set */
    assert_int_equal(s.n_outputs, 2);
    assert_int_equal(s.outputs[0].tunnel, 0);
    assert_int_equal(s.outputs[1].tunnel, 0);
    assert_true(s.outputs[1].flags & DPS_ODP_OUTF_TUNNEL);
}

/* IPv6 endpoints and Geneve options: proto from the options, csum/oam flags. */
static void test_set_tunnel_ipv6_geneve(void **state)
{
    (void)state;
    static const uint8_t v6src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
    static const uint8_t v6dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
    static const uint8_t opts[8] = {
        0x01, 0x02, 0x80, 0x01,  /* class 0x0102, type 0x80 (critical), 1 word */
        0x12, 0x34, 0xab, 0xcd,
    };
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_begin(&b, ODP_A_SET);
    b_begin(&b, ODP_KEY_TUNNEL);
    b_be64(&b, ODP_TUN_ID, 0xabcdefULL);
    b_put(&b, ODP_TUN_IPV6_SRC, v6src, 16);
    b_put(&b, ODP_TUN_IPV6_DST, v6dst, 16);
    b_u8(&b, ODP_TUN_TTL, 17);
    b_flag(&b, ODP_TUN_CSUM);
    b_be16(&b, ODP_TUN_TP_SRC, 40000);
    b_flag(&b, ODP_TUN_OAM);
    b_put(&b, ODP_TUN_GENEVE_OPTS, opts, sizeof opts);
    b_end(&b);
    b_end(&b);
    b_u32(&b, ODP_A_OUTPUT, 7);
    assert_int_equal(blob_decode("set_tunnel6_geneve", &b, &s), DPS_ODP_OK);
    const struct dps_odp_tunnel *t = &s.tunnels[0];
    assert_int_equal(t->proto, DPS_ODP_TNL_GENEVE);
    assert_int_equal(t->ip_version, 6);
    assert_memory_equal(t->src_ip, v6src, 16);
    assert_memory_equal(t->dst_ip, v6dst, 16);
    assert_int_equal(t->vni, 0xabcdef);
    assert_int_equal(t->ttl, 17);
    assert_int_equal(t->udp_src, 40000);
    assert_int_equal(t->udp_dst, 0);
    assert_int_equal(t->geneve_opts, 1);
    assert_int_equal(t->geneve_opt_len, 8);
    assert_int_equal(t->flags, DPS_ODP_TNLF_KEY | DPS_ODP_TNLF_CSUM | DPS_ODP_TNLF_OAM |
                                   DPS_ODP_TNLF_CRIT);
    assert_int_equal(t->out_port, 7);
}

/* A set tunnel key without port or options (GRE port): protocol stays "other"; no output
 * follows, so out_port stays unknown. */
static void test_set_tunnel_no_hint(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_begin(&b, ODP_A_SET);
    b_begin(&b, ODP_KEY_TUNNEL);
    b_be64(&b, ODP_TUN_ID, 0x1122334455667788ULL);
    b_be32(&b, ODP_TUN_IPV4_DST, 0x0a000001);
    b_u8(&b, ODP_TUN_TTL, 255);
    b_end(&b);
    b_end(&b);
    assert_int_equal(blob_decode("set_tunnel_nohint", &b, &s), DPS_ODP_OK);
    const struct dps_odp_tunnel *t = &s.tunnels[0];
    assert_int_equal(t->proto, DPS_ODP_TNL_OTHER);
    assert_int_equal(t->tun_id, 0x1122334455667788ULL);
    assert_int_equal(t->vni, 0x55667788);
    assert_int_equal(t->ttl, 255);
    assert_int_equal(t->out_port, DPS_ODP_PORT_NONE);
    assert_int_equal(s.n_outputs, 0);
}

/* Flooding to two tunnels as OVS 3.1 prints it:
 * clone(tnl_push(vxlan ...),4),tnl_push(gre6 ...),4 */
static void test_two_tunnels_clone(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_begin(&b, ODP_A_CLONE);
    b_tnl_push(&b, 4789, 100, 4, hdr_vxlan4, sizeof hdr_vxlan4);
    b_u32(&b, ODP_A_OUTPUT, 4);
    b_end(&b);
    b_tnl_push(&b, 6, 100, 109, hdr_gre6, sizeof hdr_gre6);
    b_u32(&b, ODP_A_OUTPUT, 4);
    assert_int_equal(blob_decode("two_tunnels_clone", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.n_tunnels, 2);
    assert_int_equal(s.tunnels[0].proto, DPS_ODP_TNL_VXLAN);
    assert_int_equal(s.tunnels[1].proto, DPS_ODP_TNL_GRE);
    assert_int_equal(s.n_outputs, 2);
    assert_int_equal(s.outputs[0].tunnel, 0);
    assert_int_equal(s.outputs[0].flags, DPS_ODP_OUTF_TUNNEL | DPS_ODP_OUTF_CLONE);
    assert_int_equal(s.outputs[0].depth, 1);
    assert_int_equal(s.outputs[1].tunnel, 1);
    assert_int_equal(s.outputs[1].flags, DPS_ODP_OUTF_TUNNEL);
    assert_int_equal(s.outputs[1].depth, 0);
    assert_int_equal(s.max_depth, 1);
}

/* More tunnels than the array holds: counted, decoded, outputs after them unlinked. */
static void test_tunnel_overflow(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    for (int i = 0; i < DPS_ODP_MAX_TUNNELS + 2; i++) {
        b_begin(&b, ODP_A_CLONE);
        b_tnl_push(&b, 4789, 100, 4, hdr_vxlan4, sizeof hdr_vxlan4);
        b_u32(&b, ODP_A_OUTPUT, (uint32_t)i);
        b_end(&b);
    }
    assert_int_equal(blob_decode("tunnel_overflow", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.n_tunnels, DPS_ODP_MAX_TUNNELS + 2);
    assert_int_equal(s.n_outputs, DPS_ODP_MAX_TUNNELS + 2);
    assert_int_equal(s.outputs[DPS_ODP_MAX_TUNNELS - 1].tunnel, DPS_ODP_MAX_TUNNELS - 1);
    assert_int_equal(s.outputs[DPS_ODP_MAX_TUNNELS].tunnel, DPS_ODP_NO_TUNNEL);
    assert_int_equal(s.outputs[DPS_ODP_MAX_TUNNELS].flags, DPS_ODP_OUTF_CLONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handwritten_vxlan4_list),
        cmocka_unit_test(test_push_vxlan_ipv4),
        cmocka_unit_test(test_push_vxlan_ipv6),
        cmocka_unit_test(test_push_geneve_option),
        cmocka_unit_test(test_push_geneve_two_options_ipv6),
        cmocka_unit_test(test_push_gre_ipv4),
        cmocka_unit_test(test_push_gre_ipv6),
        cmocka_unit_test(test_push_gre_csum_key_seq),
        cmocka_unit_test(test_push_erspan),
        cmocka_unit_test(test_push_then_vlan_tags_underlay),
        cmocka_unit_test(test_tnl_pop),
        cmocka_unit_test(test_set_tunnel_ipv4),
        cmocka_unit_test(test_set_tunnel_ipv6_geneve),
        cmocka_unit_test(test_set_tunnel_no_hint),
        cmocka_unit_test(test_two_tunnels_clone),
        cmocka_unit_test(test_tunnel_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
