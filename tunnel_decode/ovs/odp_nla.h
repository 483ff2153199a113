/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * odp_nla.h - bounds-checked netlink attribute walking and unaligned loads for the OVS action
 * decoder (internal).  Everything here is on the per-sample path, hence static inline.
 *
 * Action payloads sit at 4-byte boundaries of a buffer we do not own, and be64 / be32 fields
 * inside them are not naturally aligned: every multi-byte read is memcpy or byte loads.
 */
#ifndef DPS_ODP_NLA_H
#define DPS_ODP_NLA_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dps_odp_actions.h"
#include "odp_attrs.h"

/* Host-order fields (nla header, ports, ids: OVS fills them in-process). */
static inline uint16_t odp_ld_h16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint32_t odp_ld_h32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Network-order fields (packet headers, be16/be32/be64 key fields). */
static inline uint16_t odp_ld_be16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t odp_ld_be24(const uint8_t *p)
{
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline uint32_t odp_ld_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t odp_ld_be64(const uint8_t *p)
{
    return (uint64_t)odp_ld_be32(p) << 32 | odp_ld_be32(p + 4);
}

/* One attribute of a stream. */
struct odp_nla {
    const uint8_t *hdr;        /* start of the attribute (for error offsets) */
    const uint8_t *payload;
    uint16_t type;             /* flag bits stripped */
    uint16_t len;              /* payload bytes, padding excluded */
};

/* Reads the attribute at data[*pos] of a 'len'-byte stream and moves *pos past it and its
 * padding (the last attribute may omit its padding).  Each successful call advances *pos by
 * at least ODP_NLA_HDRLEN, so a loop `while (*pos < len)` always terminates. */
static inline enum dps_odp_status odp_nla_next(const uint8_t *data, size_t len, size_t *pos,
                                               struct odp_nla *a)
{
    size_t left = len - *pos;
    if (left < ODP_NLA_HDRLEN)
        return DPS_ODP_ERR_TRUNCATED;
    const uint8_t *p = data + *pos;
    uint16_t nla_len = odp_ld_h16(p);
    if (nla_len < ODP_NLA_HDRLEN)
        return DPS_ODP_ERR_LEN_SHORT;
    if (nla_len > left)
        return DPS_ODP_ERR_LEN_BEYOND;
    a->hdr = p;
    a->payload = p + ODP_NLA_HDRLEN;
    a->type = (uint16_t)(odp_ld_h16(p + 2) & ODP_NLA_TYPE_MASK);
    a->len = (uint16_t)(nla_len - ODP_NLA_HDRLEN);
    size_t step = ODP_NLA_ALIGN((size_t)nla_len);
    *pos += step < left ? step : left;
    return DPS_ODP_OK;
}

#endif /* DPS_ODP_NLA_H */
