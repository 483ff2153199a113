/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_odp_format.c - the text and JSON renderings of a summary, compared with strings
 * written out by hand, and the snprintf-like truncation contract.
 */
#include <unistd.h>

#include "odp_blob.h"

static const uint8_t hdr_vxlan4[50] = ODP_HDR_VXLAN4_INIT;

/* sample(userspace(pid=0, sFlow(vid=0, output=0x80000001), actions)), tnl_push(vxlan), 4 */
static void build_sflow_vxlan(struct blob *b)
{
    b_init(b);
    b_sflow_sample(b, 0, 0x80000001u);
    b_tnl_push(b, 4789, 100, 4, hdr_vxlan4, sizeof hdr_vxlan4);
    b_u32(b, ODP_A_OUTPUT, 4);
}

static void test_text_sflow_vxlan(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    char buf[512];
    build_sflow_vxlan(&b);
    assert_int_equal(blob_decode("fmt_sflow_vxlan", &b, &s), DPS_ODP_OK);
    const char *want =
        "out=1[4@tnl0]"
        " tnl0=push(vxlan,ipv4,1.1.2.88>1.1.2.92,udp=0>4789,vni=123,tos=0,ttl=64,"
        "hlen=50,tnl_port=4789,out_port=100)"
        " sflow=vid:0/out:0x80000001"
        " userspace sample";
    size_t n = dps_odp_format(&s, DPS_ODP_FMT_TEXT, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_json_sflow_vxlan(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    char buf[1024];
    build_sflow_vxlan(&b);
    assert_int_equal(blob_decode("fmt_sflow_vxlan", &b, &s), DPS_ODP_OK);
    const char *want =
        "{\"status\":\"ok\",\"n_outputs\":1,"
        "\"outputs\":[{\"port\":4,\"tunnel\":0,\"flags\":[\"tunnel\"]}],"
        "\"tunnels\":[{\"origin\":\"push\",\"proto\":\"vxlan\",\"ip_version\":4,"
        "\"src\":\"1.1.2.88\",\"dst\":\"1.1.2.92\",\"udp_src\":0,\"udp_dst\":4789,"
        "\"has_key\":true,\"vni\":123,\"tos\":0,\"ttl\":64,\"header_len\":50,"
        "\"geneve_opts\":0,\"tnl_port\":4789,\"out_port\":100}],"
        "\"vlans\":[],\"vlan_input_pops\":0,\"mpls\":[],\"mpls_input_pops\":0,"
        "\"dropped\":false,\"flags\":[\"userspace\",\"sflow\",\"tnl_push\",\"sample\"],"
        "\"sflow\":{\"vlan_tci\":0,\"output\":2147483649},\"rewrites\":0}";
    size_t n = dps_odp_format(&s, DPS_ODP_FMT_JSON, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

/* Stacks, conditional outputs, a set tunnel over IPv6, errors. */
static void test_text_stacks_and_error(void **state)
{
    (void)state;
    static const uint8_t v6dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
    struct blob b;
    struct dps_odp_summary s;
    char buf[512];
    b_init(&b);
    b_push_vlan(&b, 0x88a8, 0x1000 | 100);
    b_push_vlan(&b, 0x8100, 0x1000 | (3 << 13) | 20);
    b_push_mpls(&b, ODP_A_PUSH_MPLS, mpls_lse(1000, 0, 1, 64), 0x8847, 0);
    b_begin(&b, ODP_A_SET);
    b_begin(&b, ODP_KEY_TUNNEL);
    b_be64(&b, ODP_TUN_ID, 5000);
    b_put(&b, ODP_TUN_IPV6_DST, v6dst, 16);
    b_u8(&b, ODP_TUN_TTL, 9);
    b_be16(&b, ODP_TUN_TP_DST, 6081);
    b_end(&b);
    b_end(&b);
    b_begin(&b, ODP_A_CHECK_PKT_LEN);
    b_u16(&b, ODP_CPL_PKT_LEN, 1500);
    b_begin(&b, ODP_CPL_IF_GREATER);
    b_u32(&b, ODP_A_OUTPUT, 7);
    b_end(&b);
    b_end(&b);
    b_u32(&b, ODP_A_RECIRC, 0x2a);
    b_hdr(&b, 2, ODP_A_OUTPUT);                     /* broken: nla_len 2 */
    assert_int_equal(blob_decode("fmt_stacks_error", &b, &s), DPS_ODP_ERR_LEN_SHORT);
    size_t err_at = b.len - 4;
    char want[512];
    snprintf(want, sizeof want,
             "out=1[7@tnl0/gt]"
             " tnl0=set(geneve,ipv6,::>2001:db8::2,udp=0>6081,vni=5000,tos=0,ttl=9,"
             "out_port=7)"
             " vlans=[0x8100:20/3,0x88a8:100/0] mpls=[1000] recirc=0x2a check_pkt_len"
             " error=len_short@%zu", err_at);
    dps_odp_format(&s, DPS_ODP_FMT_TEXT, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_truncation_contract(void **state)
{
    (void)state;
    struct blob b;
    struct dps_odp_summary s;
    char full[1024], small[16];
    build_sflow_vxlan(&b);
    assert_int_equal(blob_decode("fmt_sflow_vxlan", &b, &s), DPS_ODP_OK);
    size_t need = dps_odp_format(&s, DPS_ODP_FMT_JSON, full, sizeof full);
    memset(small, 'x', sizeof small);
    assert_int_equal(dps_odp_format(&s, DPS_ODP_FMT_JSON, small, sizeof small), need);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_memory_equal(small, full, sizeof small - 1);
    assert_int_equal(dps_odp_format(&s, DPS_ODP_FMT_TEXT, NULL, 0),
                     dps_odp_format(&s, DPS_ODP_FMT_TEXT, full, sizeof full));
}

/* Every JSON rendering must parse with an independent parser (Python's json module), also
 * for summaries of damaged lists: 400 mutations of a rich list, one object per line. */
static void test_json_parses_in_python(void **state)
{
    (void)state;
    if (access("/usr/bin/python3", X_OK) != 0)
        skip();
    struct blob b;
    build_sflow_vxlan(&b);
    b_push_vlan(&b, 0x8100, 0x1003);
    b_begin(&b, ODP_A_CHECK_PKT_LEN);
    b_u16(&b, ODP_CPL_PKT_LEN, 99);
    b_begin(&b, ODP_CPL_IF_GREATER);
    b_u32(&b, ODP_A_OUTPUT, 3);
    b_end(&b);
    b_end(&b);

    char path[] = "/tmp/test_odp_json_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    uint64_t x = 0x1234567887654321ULL;             /* fixed-seed xorshift */
    const int lines = 400;
    for (int i = 0; i < lines; i++) {
        uint8_t m[BLOB_MAX];
        size_t len = b.len;
        memcpy(m, b.buf, len);
        for (int e = 0; e < (i ? 2 : 0); e++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            m[x % len] = (uint8_t)(x >> 32);
        }
        struct dps_odp_summary s;
        char buf[4096];
        dps_odp_decode(m, len, &s);
        size_t n = dps_odp_format(&s, DPS_ODP_FMT_JSON, buf, sizeof buf);
        assert_true(n < sizeof buf);
        fprintf(f, "%s\n", buf);
    }
    fclose(f);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c 'import json,sys\n"
             "n=0\n"
             "for line in open(sys.argv[1]):\n"
             "    o=json.loads(line); n+=1\n"
             "    assert len(o[\"outputs\"])==min(o[\"n_outputs\"],%d)\n"
             "    assert o[\"status\"]==\"ok\" or \"error_offset\" in o\n"
             "sys.exit(0 if n==int(sys.argv[2]) else 1)' %s %d",
             DPS_ODP_MAX_OUTPUTS, path, lines);
    int rc = system(cmd);
    unlink(path);
    assert_int_equal(rc, 0);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(dps_odp_status_name(DPS_ODP_ERR_TOO_DEEP), "too_deep");
    assert_string_equal(dps_odp_status_name(DPS_ODP_ERR_TNL_HEADER), "tnl_header");
    assert_string_equal(dps_odp_status_name((enum dps_odp_status)77), "unknown");
    assert_string_equal(dps_odp_tnl_proto_name(DPS_ODP_TNL_GENEVE), "geneve");
    assert_string_equal(dps_odp_tnl_proto_name(DPS_ODP_TNL_ERSPAN), "erspan");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_sflow_vxlan),
        cmocka_unit_test(test_json_sflow_vxlan),
        cmocka_unit_test(test_text_stacks_and_error),
        cmocka_unit_test(test_truncation_contract),
        cmocka_unit_test(test_json_parses_in_python),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
