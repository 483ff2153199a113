/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_odp_malformed.c - hostile action lists: truncated attributes, lengths < 4 or past
 * the buffer, nesting past DPS_ODP_MAX_DEPTH, tnl_push header_len larger than its attribute,
 * headers shorter than their layers, wrong fixed sizes at every nesting level.  Each case
 * checks the error code, the offset, and that the summary decoded before the fault stays.
 * Ends with a fixed-seed mutation run over valid lists (bounded progress, no crash).
 */
#include "odp_blob.h"

static const uint8_t hdr_vxlan4[50] = ODP_HDR_VXLAN4_INIT;

static void put_u16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, 2);
}

/* output:1, then 'tail' bytes of a second attribute header. */
static void test_truncated_header(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_u32(&b, ODP_A_OUTPUT, 1);
    b_u32(&b, ODP_A_OUTPUT, 2);
    for (size_t tail = 1; tail < 4; tail++) {
        assert_int_equal(odp_blob_decode("trunc_hdr", b.buf, 8 + tail, &s),
                         DPS_ODP_ERR_TRUNCATED);
        assert_int_equal(s.status, DPS_ODP_ERR_TRUNCATED);
        assert_int_equal(s.error_offset, 8);
        assert_int_equal(s.n_outputs, 1);           /* what came before is kept */
        assert_int_equal(s.outputs[0].port, 1);
    }
}

/* The attribute header is whole but its payload is cut: nla_len runs past the buffer. */
static void test_truncated_payload(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_u32(&b, ODP_A_OUTPUT, 1);
    b_tnl_push(&b, 4789, 100, 4, hdr_vxlan4, sizeof hdr_vxlan4);
    assert_int_equal(odp_blob_decode("trunc_payload", b.buf, b.len - 10, &s),
                     DPS_ODP_ERR_LEN_BEYOND);
    assert_int_equal(s.error_offset, 8);
    assert_int_equal(s.n_outputs, 1);
    assert_int_equal(s.n_tunnels, 0);
}

static void test_len_below_header(void **state)
{
    (void)state;
    for (uint16_t bad = 0; bad < 4; bad++) {
        struct blob b;
        struct dps_odp_summary s;
        b_init(&b);
        b_u32(&b, ODP_A_OUTPUT, 1);
        b_u32(&b, ODP_A_OUTPUT, 2);
        put_u16(b.buf + 8, bad);                    /* second attribute: nla_len < 4 */
        assert_int_equal(odp_blob_decode("len_short", b.buf, b.len, &s),
                         DPS_ODP_ERR_LEN_SHORT);
        assert_int_equal(s.error_offset, 8);
        assert_int_equal(s.n_outputs, 1);
    }
}

static void test_len_beyond_buffer(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_u32(&b, ODP_A_OUTPUT, 1);
    b_u32(&b, ODP_A_OUTPUT, 2);
    put_u16(b.buf + 8, 0xffff);
    assert_int_equal(odp_blob_decode("len_beyond", b.buf, b.len, &s), DPS_ODP_ERR_LEN_BEYOND);
    assert_int_equal(s.error_offset, 8);
    assert_int_equal(s.n_outputs, 1);
}

/* A nested list whose inner attribute overruns the nested payload (but not the buffer):
 * the inner bound is the enclosing attribute, not the whole list. */
static void test_nested_len_beyond_parent(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_begin(&b, ODP_A_CLONE);                       /* offset 0, payload at 4 */
    b_u32(&b, ODP_A_OUTPUT, 1);                     /* offset 4 */
    b_u32(&b, ODP_A_OUTPUT, 2);                     /* offset 12 */
    b_end(&b);
    b_u32(&b, ODP_A_OUTPUT, 3);                     /* offset 20: room after the clone */
    put_u16(b.buf + 12, 12);                        /* reaches 24 > clone end 20 */
    assert_int_equal(odp_blob_decode("nested_beyond", b.buf, b.len, &s),
                     DPS_ODP_ERR_LEN_BEYOND);
    assert_int_equal(s.error_offset, 12);
    assert_int_equal(s.n_outputs, 1);
    assert_int_equal(s.outputs[0].flags, DPS_ODP_OUTF_CLONE);
}

static void nest_clones(struct blob *b, int levels)
{
    for (int i = 0; i < levels; i++) {
        b_begin(b, ODP_A_CLONE);
        if (i == 2)
            b_u32(b, ODP_A_OUTPUT, 33);             /* an output at depth 3 */
    }
    b_u32(b, ODP_A_OUTPUT, 99);
    for (int i = 0; i < levels; i++)
        b_end(b);
}

static void test_depth_limit(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;

    b_init(&b);
    nest_clones(&b, DPS_ODP_MAX_DEPTH);             /* exactly the limit: fine */
    assert_int_equal(blob_decode("depth_ok", &b, &s), DPS_ODP_OK);
    assert_int_equal(s.max_depth, DPS_ODP_MAX_DEPTH);
    assert_int_equal(s.n_outputs, 2);
    assert_int_equal(s.outputs[1].port, 99);
    assert_int_equal(s.outputs[1].depth, DPS_ODP_MAX_DEPTH);

    b_init(&b);
    nest_clones(&b, DPS_ODP_MAX_DEPTH + 1);         /* one more: refused */
    assert_int_equal(blob_decode("depth_too_deep", &b, &s), DPS_ODP_ERR_TOO_DEEP);
    /* the refused clone is the 9th header: 8 headers of 4 bytes plus the output of 8 */
    assert_int_equal(s.error_offset, DPS_ODP_MAX_DEPTH * 4 + 8);
    assert_int_equal(s.max_depth, DPS_ODP_MAX_DEPTH);
    assert_int_equal(s.n_outputs, 1);
    assert_int_equal(s.outputs[0].port, 33);
    assert_int_equal(s.outputs[0].depth, 3);
}

/* 200 nested samples: refused at the limit, no deep recursion. */
static void test_depth_bomb(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    /* Build by hand: every level is SAMPLE{ACTIONS{...}}, 8 bytes of headers. */
    const int levels = 200;
    for (int i = 0; i < levels; i++) {
        uint16_t sample_len = (uint16_t)(8 * (levels - i));
        uint16_t acts_len = (uint16_t)(sample_len - 4);
        b_hdr(&b, sample_len, ODP_A_SAMPLE);
        b_hdr(&b, acts_len, ODP_SAMPLE_ACTIONS);
    }
    assert_int_equal(blob_decode("depth_bomb", &b, &s), DPS_ODP_ERR_TOO_DEEP);
    assert_int_equal(s.max_depth, DPS_ODP_MAX_DEPTH);
    assert_int_equal(s.error_offset, 8 * DPS_ODP_MAX_DEPTH + 4);
}

static void tnl_push_raw(struct blob *b, uint32_t header_len, const uint8_t *hdr,
                         size_t hdr_bytes)
{
    uint32_t pre[4] = { 4789, 100, header_len, 4 };
    b_hdr(b, (uint16_t)(4 + sizeof pre + hdr_bytes), ODP_A_TUNNEL_PUSH);
    b_raw(b, pre, sizeof pre);
    b_raw(b, hdr, hdr_bytes);
    b_pad(b);
}

static void test_tnl_header_len_beyond_attribute(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    b_init(&b);
    b_u32(&b, ODP_A_OUTPUT, 1);
    tnl_push_raw(&b, 51, hdr_vxlan4, sizeof hdr_vxlan4);   /* claims 51, carries 50 */
    b_u32(&b, ODP_A_OUTPUT, 4);
    assert_int_equal(blob_decode("tnl_hlen_beyond", &b, &s), DPS_ODP_ERR_TNL_HEADER);
    assert_int_equal(s.error_offset, 8);
    assert_int_equal(s.n_outputs, 1);
    assert_int_equal(s.n_tunnels, 1);
    assert_int_equal(s.tunnels[0].tnl_port, 4789);
    assert_int_equal(s.tunnels[0].header_len, 0);        /* never accepted */
    assert_int_equal(s.tunnels[0].ip_version, 0);

    b_init(&b);
    tnl_push_raw(&b, 0x7fffffffu, hdr_vxlan4, sizeof hdr_vxlan4);
    assert_int_equal(blob_decode("tnl_hlen_huge", &b, &s), DPS_ODP_ERR_TNL_HEADER);

    /* More than TNL_PUSH_HEADER_SIZE (512) even though the attribute holds it. */
    uint8_t big[600] = { 0 };
    memcpy(big, hdr_vxlan4, sizeof hdr_vxlan4);
    b_init(&b);
    tnl_push_raw(&b, sizeof big, big, sizeof big);
    assert_int_equal(blob_decode("tnl_hlen_513", &b, &s), DPS_ODP_ERR_TNL_HEADER);

    /* Shorter than the 16-byte prefix. */
    b_init(&b);
    b_put(&b, ODP_A_TUNNEL_PUSH, hdr_vxlan4, 15);
    assert_int_equal(blob_decode("tnl_short_prefix", &b, &s), DPS_ODP_ERR_ATTR_SIZE);
}

/* header_len honest but too short for the layers its Ethernet / IP / UDP declare. */
static void test_tnl_header_short_layers(void **state)
{
    (void)state;
    static const size_t cuts[] = { 0, 13, 14, 33, 34, 41, 42, 49 };
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        struct blob b;
        struct dps_odp_summary s;
        b_init(&b);
        tnl_push_raw(&b, (uint32_t)cuts[i], hdr_vxlan4, cuts[i]);
        assert_int_equal(blob_decode("tnl_short_layers", &b, &s), DPS_ODP_ERR_TNL_HEADER);
        assert_int_equal(s.error_offset, 0);
        /* fields of the complete layers are still reported */
        assert_int_equal(s.tunnels[0].ip_version, cuts[i] >= 34 ? 4 : 0);
        assert_int_equal(s.tunnels[0].udp_dst, cuts[i] >= 42 ? 4789 : 0);
        assert_int_equal(s.tunnels[0].proto, cuts[i] >= 42 ? DPS_ODP_TNL_VXLAN : 0);
        assert_int_equal(s.tunnels[0].vni, 0);
    }
}

/* IPv4 IHL pointing past the header; Geneve option length past it; a TLV overrunning. */
static void test_tnl_header_bad_inner_lengths(void **state)
{
    (void)state;
    uint8_t h[58];
    struct blob b;
    struct dps_odp_summary s;

    memcpy(h, hdr_vxlan4, 50);
    h[14] = 0x4f;                                   /* IHL 15 words = 60 bytes > 36 left */
    b_init(&b);
    tnl_push_raw(&b, 50, h, 50);
    assert_int_equal(blob_decode("tnl_bad_ihl", &b, &s), DPS_ODP_ERR_TNL_HEADER);

    static const uint8_t geneve[16] = {
        0x00, 0x00, 0x17, 0xc1, 0, 0, 0, 0,         /* udp -> 6081 */
        0x03, 0x00, 0x65, 0x58, 0, 0, 0x7d, 0,      /* option length 3 words: 12 > 8 left */
    };
    memcpy(h, hdr_vxlan4, 34);
    memcpy(h + 34, geneve, 16);
    memset(h + 50, 0, 8);
    b_init(&b);
    b_tnl_push(&b, 6081, 100, 5, h, 58);
    assert_int_equal(blob_decode("tnl_geneve_optlen", &b, &s), DPS_ODP_ERR_TNL_HEADER);
    assert_int_equal(s.tunnels[0].vni, 0x7d);       /* base header decoded */

    h[42] = 0x02;                                   /* option length 2 words: fits */
    h[53] = 0x05;                                   /* but the TLV claims 5 data words */
    b_init(&b);
    b_tnl_push(&b, 6081, 100, 5, h, 58);
    assert_int_equal(blob_decode("tnl_geneve_tlv", &b, &s), DPS_ODP_ERR_TNL_HEADER);
}

/* Fixed-size actions with another size, at top level and nested. */
static void test_wrong_fixed_sizes(void **state)
{
    (void)state;
    static const struct { uint16_t type; uint16_t len; } cases[] = {
        { ODP_A_OUTPUT, 2 }, { ODP_A_OUTPUT, 8 }, { ODP_A_PUSH_VLAN, 2 },
        { ODP_A_POP_VLAN, 4 }, { ODP_A_HASH, 4 }, { ODP_A_PUSH_MPLS, 6 },
        { ODP_A_POP_MPLS, 4 }, { ODP_A_PUSH_ETH, 6 }, { ODP_A_TUNNEL_POP, 0 },
        { ODP_A_DROP, 1 }, { ODP_A_LB_OUTPUT, 3 }, { ODP_A_ADD_MPLS, 6 },
    };
    uint8_t junk[16] = { 0 };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct blob b;
        struct dps_odp_summary s;
        b_init(&b);
        b_u32(&b, ODP_A_OUTPUT, 1);
        b_begin(&b, ODP_A_CLONE);
        b_put(&b, cases[i].type, junk, cases[i].len);
        b_end(&b);
        assert_int_equal(blob_decode("wrong_size", &b, &s), DPS_ODP_ERR_ATTR_SIZE);
        assert_int_equal(s.error_offset, 12);
        assert_int_equal(s.n_outputs, 1);
    }
}

/* Bad sizes and framing inside nested arguments. */
static void test_nested_argument_errors(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;

    b_init(&b);                                     /* set(tunnel(ipv4_src of 3 bytes)) */
    b_begin(&b, ODP_A_SET);
    b_begin(&b, ODP_KEY_TUNNEL);
    b_be64(&b, ODP_TUN_ID, 5);
    b_put(&b, ODP_TUN_IPV4_SRC, "\x01\x02\x03", 3);
    b_end(&b);
    b_end(&b);
    assert_int_equal(blob_decode("bad_tun_attr", &b, &s), DPS_ODP_ERR_ATTR_SIZE);
    assert_int_equal(s.error_offset, 8 + 12);
    assert_int_equal(s.tunnels[0].tun_id, 5);       /* attributes before it kept */

    b_init(&b);                                     /* set_masked(ipv4) with 12 bytes */
    b_begin(&b, ODP_A_SET_MASKED);
    b_put(&b, ODP_KEY_IPV4, "012345678901", 12);
    b_end(&b);
    assert_int_equal(blob_decode("bad_masked_size", &b, &s), DPS_ODP_ERR_ATTR_SIZE);
    assert_int_equal(s.error_offset, 4);

    b_init(&b);                                     /* userspace pid of 2 bytes */
    b_begin(&b, ODP_A_USERSPACE);
    b_u16(&b, ODP_US_PID, 1);
    b_end(&b);
    assert_int_equal(blob_decode("bad_us_pid", &b, &s), DPS_ODP_ERR_ATTR_SIZE);

    b_init(&b);                                     /* sample probability of 8 bytes */
    b_begin(&b, ODP_A_SAMPLE);
    b_be64(&b, ODP_SAMPLE_PROBABILITY, 1);
    b_end(&b);
    assert_int_equal(blob_decode("bad_sample_prob", &b, &s), DPS_ODP_ERR_ATTR_SIZE);

    b_init(&b);                                     /* check_pkt_len of 4 bytes */
    b_begin(&b, ODP_A_CHECK_PKT_LEN);
    b_u32(&b, ODP_CPL_PKT_LEN, 1);
    b_end(&b);
    assert_int_equal(blob_decode("bad_cpl_len", &b, &s), DPS_ODP_ERR_ATTR_SIZE);

    b_init(&b);                                     /* ct zone of 4 bytes */
    b_begin(&b, ODP_A_CT);
    b_u32(&b, ODP_CT_ZONE, 1);
    b_end(&b);
    assert_int_equal(blob_decode("bad_ct_zone", &b, &s), DPS_ODP_ERR_ATTR_SIZE);
    assert_true(s.flags & DPS_ODP_F_CT);

    b_init(&b);                                     /* push_nsh base of 4 bytes */
    b_begin(&b, ODP_A_PUSH_NSH);
    b_u32(&b, ODP_NSH_BASE, 1);
    b_end(&b);
    assert_int_equal(blob_decode("bad_nsh_base", &b, &s), DPS_ODP_ERR_ATTR_SIZE);

    b_init(&b);                                     /* geneve opts TLV overrunning */
    b_begin(&b, ODP_A_SET);
    b_begin(&b, ODP_KEY_TUNNEL);
    b_put(&b, ODP_TUN_GENEVE_OPTS, "\x01\x02\x03\x02\x00\x00\x00\x00", 8);
    b_end(&b);
    b_end(&b);
    assert_int_equal(blob_decode("bad_geneve_opts", &b, &s), DPS_ODP_ERR_ATTR_SIZE);

    b_init(&b);                                     /* userspace with a 2-byte tail */
    b_begin(&b, ODP_A_USERSPACE);
    b_u32(&b, ODP_US_PID, 1);
    b_raw(&b, "\x05\x00", 2);
    b_end(&b);
    assert_int_equal(blob_decode("bad_us_tail", &b, &s), DPS_ODP_ERR_TRUNCATED);
    assert_int_equal(s.error_offset, 12);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    struct dps_odp_summary s;
    assert_int_equal(dps_odp_decode(NULL, 4, &s), DPS_ODP_ERR_BAD_ARG);
    assert_int_equal(s.status, DPS_ODP_ERR_BAD_ARG);
    assert_int_equal(dps_odp_decode("", 0, NULL), DPS_ODP_ERR_BAD_ARG);
}

/* xorshift64*: fixed seed, same sequence everywhere. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

/* Random byte flips, length edits and cuts of a rich valid list: the decoder must return a
 * known status, walk at most one attribute per 4 bytes, and keep its arrays consistent. */
static void test_mutations(void **state)
{
    (void)state;
    struct blob b;
    b_init(&b);
    b_begin(&b, ODP_A_SAMPLE);
    b_u32(&b, ODP_SAMPLE_PROBABILITY, 4294967);
    b_begin(&b, ODP_SAMPLE_ACTIONS);
    b_begin(&b, ODP_A_USERSPACE);
    b_u32(&b, ODP_US_PID, 0);
    b_flag(&b, ODP_US_ACTIONS);
    b_end(&b);
    b_end(&b);
    b_end(&b);
    b_push_vlan(&b, 0x8100, 0x1005);
    b_begin(&b, ODP_A_CHECK_PKT_LEN);
    b_u16(&b, ODP_CPL_PKT_LEN, 100);
    b_begin(&b, ODP_CPL_IF_GREATER);
    b_begin(&b, ODP_A_CLONE);
    b_tnl_push(&b, 4789, 100, 4, hdr_vxlan4, sizeof hdr_vxlan4);
    b_u32(&b, ODP_A_OUTPUT, 4);
    b_end(&b);
    b_end(&b);
    b_begin(&b, ODP_CPL_IF_LESS_EQUAL);
    b_begin(&b, ODP_A_SET);
    b_begin(&b, ODP_KEY_TUNNEL);
    b_be64(&b, ODP_TUN_ID, 9);
    b_be16(&b, ODP_TUN_TP_DST, 6081);
    b_end(&b);
    b_end(&b);
    b_u32(&b, ODP_A_OUTPUT, 5);
    b_end(&b);
    b_end(&b);
    assert_int_equal(blob_decode("mutation_base", &b, &(struct dps_odp_summary){ 0 }),
                     DPS_ODP_OK);

    uint8_t m[BLOB_MAX];
    unsigned errors = 0;
    for (int iter = 0; iter < 50000; iter++) {
        size_t len = b.len;
        memcpy(m, b.buf, len);
        int edits = 1 + (int)(rng() % 4);
        for (int e = 0; e < edits; e++) {
            size_t at = (size_t)(rng() % len);
            switch (rng() % 3) {
            case 0: m[at] = (uint8_t)rng(); break;
            case 1: m[at & ~(size_t)3] = (uint8_t)(rng() % 256); break;   /* a length */
            default: len = at + 1; break;
            }
        }
        struct dps_odp_summary s;
        enum dps_odp_status st = dps_odp_decode(m, len, &s);
        assert_true(st <= DPS_ODP_ERR_TNL_HEADER);
        assert_int_equal(s.status, st);
        assert_true(s.n_actions <= len / 4);
        assert_true(s.max_depth <= DPS_ODP_MAX_DEPTH);
        if (st != DPS_ODP_OK) {
            assert_true(s.error_offset < len);
            errors++;
        }
        char text[1024];
        size_t need = dps_odp_format(&s, (iter & 1) ? DPS_ODP_FMT_JSON : DPS_ODP_FMT_TEXT,
                                     text, sizeof text);
        assert_true(need < sizeof text ? strlen(text) == need
                                       : strlen(text) == sizeof text - 1);
    }
    /* the mutations must actually exercise the error paths */
    assert_true(errors > 10000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_truncated_header),
        cmocka_unit_test(test_truncated_payload),
        cmocka_unit_test(test_len_below_header),
        cmocka_unit_test(test_len_beyond_buffer),
        cmocka_unit_test(test_nested_len_beyond_parent),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_depth_bomb),
        cmocka_unit_test(test_tnl_header_len_beyond_attribute),
        cmocka_unit_test(test_tnl_header_short_layers),
        cmocka_unit_test(test_tnl_header_bad_inner_lengths),
        cmocka_unit_test(test_wrong_fixed_sizes),
        cmocka_unit_test(test_nested_argument_errors),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
