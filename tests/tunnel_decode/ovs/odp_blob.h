/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * odp_blob.h - test-side builder of OVS datapath action lists (netlink attributes in host
 * order, payload padded with zeros to 4 bytes), written from the layouts documented in
 * tunnel_decode/ovs/odp_attrs.h, plus the golden-blob helper the tests share.
 *
 * Every blob a test decodes goes through odp_blob_decode(name, ...).  When the environment
 * variable DPS_ODP_SEED_DIR is set, the blob is also written to DIR/NAME.bin: that is how
 * tests/fuzz/seeds/fuzz_odp_actions/ was produced, e.g.
 *   DPS_ODP_SEED_DIR=tests/fuzz/seeds/fuzz_odp_actions BUILD/tests/.../test_odp_actions
 */
#ifndef ODP_BLOB_H
#define ODP_BLOB_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ovs/dps_odp_actions.h"
#include "odp_attrs.h"

#define BLOB_MAX 4096
#define BLOB_NEST_MAX 16

struct blob {
    uint8_t buf[BLOB_MAX];
    size_t len;
    size_t nest[BLOB_NEST_MAX];
    int depth;
};

static inline void b_init(struct blob *b)
{
    memset(b, 0, sizeof *b);
}

static inline void b_raw(struct blob *b, const void *data, size_t len)
{
    assert_true(b->len + len <= BLOB_MAX);
    if (len)
        memcpy(b->buf + b->len, data, len);
    b->len += len;
}

static inline void b_pad(struct blob *b)
{
    static const uint8_t zero[4];
    b_raw(b, zero, (4 - (b->len & 3)) & 3);
}

static inline void b_hdr(struct blob *b, uint16_t nla_len, uint16_t type)
{
    b_raw(b, &nla_len, 2);     /* host order: OVS keeps action lists in-process */
    b_raw(b, &type, 2);
}

/* One attribute with 'len' bytes of payload, then padding. */
static inline void b_put(struct blob *b, uint16_t type, const void *data, size_t len)
{
    b_hdr(b, (uint16_t)(4 + len), type);
    b_raw(b, data, len);
    b_pad(b);
}

static inline void b_flag(struct blob *b, uint16_t type) { b_put(b, type, NULL, 0); }
static inline void b_u8(struct blob *b, uint16_t type, uint8_t v) { b_put(b, type, &v, 1); }
static inline void b_u16(struct blob *b, uint16_t type, uint16_t v) { b_put(b, type, &v, 2); }
static inline void b_u32(struct blob *b, uint16_t type, uint32_t v) { b_put(b, type, &v, 4); }

static inline void b_be16(struct blob *b, uint16_t type, uint16_t v)
{
    uint8_t p[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    b_put(b, type, p, 2);
}

static inline void b_be32(struct blob *b, uint16_t type, uint32_t v)
{
    uint8_t p[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    b_put(b, type, p, 4);
}

static inline void b_be64(struct blob *b, uint16_t type, uint64_t v)
{
    uint8_t p[8];
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
    b_put(b, type, p, 8);
}

/* Nested attribute: b_begin() ... b_end(). */
static inline void b_begin(struct blob *b, uint16_t type)
{
    assert_true(b->depth < BLOB_NEST_MAX);
    b->nest[b->depth++] = b->len;
    b_hdr(b, 0, type);
}

static inline void b_end(struct blob *b)
{
    assert_true(b->depth > 0);
    size_t start = b->nest[--b->depth];
    uint16_t nla_len = (uint16_t)(b->len - start);
    memcpy(b->buf + start, &nla_len, 2);
    b_pad(b);
}

/* struct ovs_action_push_tnl: 4 host-order u32 then the header bytes. */
static inline void b_tnl_push(struct blob *b, uint32_t tnl_port, uint32_t out_port,
                              uint32_t tnl_type, const uint8_t *hdr, size_t hdr_len)
{
    uint32_t pre[4] = { tnl_port, out_port, (uint32_t)hdr_len, tnl_type };
    b_hdr(b, (uint16_t)(4 + sizeof pre + hdr_len), ODP_A_TUNNEL_PUSH);
    b_raw(b, pre, sizeof pre);
    b_raw(b, hdr, hdr_len);
    b_pad(b);
}

/* push_vlan / push_mpls / add_mpls / pop_mpls arguments (network-order fields). */
static inline void b_push_vlan(struct blob *b, uint16_t tpid, uint16_t tci)
{
    uint8_t p[4] = { (uint8_t)(tpid >> 8), (uint8_t)tpid, (uint8_t)(tci >> 8), (uint8_t)tci };
    b_put(b, ODP_A_PUSH_VLAN, p, 4);
}

static inline uint32_t mpls_lse(uint32_t label, unsigned tc, unsigned bos, unsigned ttl)
{
    return label << 12 | (uint32_t)tc << 9 | (uint32_t)bos << 8 | ttl;
}

static inline void b_push_mpls(struct blob *b, uint16_t type, uint32_t lse, uint16_t ethertype,
                               uint16_t tun_flags)
{
    uint8_t p[8] = { (uint8_t)(lse >> 24), (uint8_t)(lse >> 16), (uint8_t)(lse >> 8),
                     (uint8_t)lse, (uint8_t)(ethertype >> 8), (uint8_t)ethertype, 0, 0 };
    memcpy(p + 6, &tun_flags, 2);   /* add_mpls: host-order u16; push_mpls: padding */
    b_put(b, type, p, 8);
}

/* The 50-byte VXLAN/IPv4 header ovs-vswitchd 3.1.0 pushes in ovs310_datapath_actions.txt
 * ("== output:2"): 3a:9f:8d:10:17:46 -> f8:bc:12:44:34:b6, 1.1.2.88 -> 1.1.2.92, DF, TTL 64,
 * UDP 0 -> 4789, VNI 123. Each user declares its own copy with this initializer. */
#define ODP_HDR_VXLAN4_INIT {                                                         \
    0xf8, 0xbc, 0x12, 0x44, 0x34, 0xb6, 0x3a, 0x9f, 0x8d, 0x10, 0x17, 0x46, /* MACs */  \
    0x08, 0x00,                                      /* IPv4 */                        \
    0x45, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00,  /* v4 ihl5 tos0, len, id, DF */   \
    0x40, 0x11, 0x00, 0x00,                          /* ttl 64, UDP, checksum */       \
    1, 1, 2, 88, 1, 1, 2, 92,                        /* 1.1.2.88 -> 1.1.2.92 */        \
    0x00, 0x00, 0x12, 0xb5, 0x00, 0x00, 0x00, 0x00,  /* udp 0 -> 4789 */               \
    0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7b, 0x00,  /* vxlan I, vni 123 */            \
}

/* sampling=1000 on the bridge: OVS's probability is UINT32_MAX / 1000, printed as 0.1%. */
#define SFLOW_PROB (UINT32_MAX / 1000u)

/* ovs-vswitchd's struct user_action_cookie for sFlow (48 bytes, lib/odp-util.h). */
static inline void sflow_cookie(uint8_t c[48], uint32_t ofp_in_port, uint16_t vlan_tci,
                                uint32_t output)
{
    uint16_t type = 1;                      /* USER_ACTION_COOKIE_SFLOW, host order */
    memset(c, 0, 48);
    memcpy(c + 0, &type, 2);
    memcpy(c + 4, &ofp_in_port, 4);         /* host order */
    for (int i = 0; i < 16; i++)
        c[8 + i] = (uint8_t)(0xa0 + i);     /* ofproto uuid */
    c[24] = (uint8_t)(vlan_tci >> 8);       /* vlan_tci: network order */
    c[25] = (uint8_t)vlan_tci;
    memcpy(c + 28, &output, 4);             /* sFlow output word, host order */
}

/* sample(sample=0.1%,actions(userspace(pid=0,sFlow(vid=V,pcp=0,output=OUT),actions))) */
static inline void b_sflow_sample(struct blob *b, uint16_t vlan_tci, uint32_t output)
{
    uint8_t cookie[48];
    sflow_cookie(cookie, 7, vlan_tci, output);
    b_begin(b, ODP_A_SAMPLE);
    b_u32(b, ODP_SAMPLE_PROBABILITY, SFLOW_PROB);
    b_begin(b, ODP_SAMPLE_ACTIONS);
    b_begin(b, ODP_A_USERSPACE);
    b_u32(b, ODP_US_PID, 0);
    b_put(b, ODP_US_USERDATA, cookie, sizeof cookie);
    b_flag(b, ODP_US_ACTIONS);
    b_end(b);
    b_end(b);
    b_end(b);
}

/* Writes the blob under $DPS_ODP_SEED_DIR (if set) and decodes it. */
static inline enum dps_odp_status odp_blob_decode(const char *name, const void *data,
                                                  size_t len, struct dps_odp_summary *sum)
{
    const char *dir = getenv("DPS_ODP_SEED_DIR");
    if (dir && *dir) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.bin", dir, name);
        FILE *f = fopen(path, "wb");
        if (f) {
            if (len)
                fwrite(data, 1, len, f);
            fclose(f);
        }
    }
    return dps_odp_decode(data, len, sum);
}

static inline enum dps_odp_status blob_decode(const char *name, const struct blob *b,
                                              struct dps_odp_summary *sum)
{
    assert_int_equal(b->depth, 0);
    return odp_blob_decode(name, b->buf, b->len, sum);
}

static inline void assert_ip4(const uint8_t *ip, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    const uint8_t want[4] = { a, b, c, d };
    assert_memory_equal(ip, want, 4);
}

#endif /* ODP_BLOB_H */
