/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * odp_nested.c - actions whose argument is itself a netlink attribute set: USERSPACE, CT,
 * SAMPLE and CHECK_PKT_LEN.  Every nested stream goes through odp_nla_next(), so a bad
 * inner length stops the decoder exactly like a bad action length.
 */
#include <string.h>

#include "odp_internal.h"

enum dps_odp_status odp_do_userspace(struct odp_ctx *ctx, const struct odp_nla *a)
{
    struct dps_odp_summary *sum = ctx->sum;
    uint32_t pid = 0, tun_port = DPS_ODP_PORT_NONE, in_port = 0, sflow_out = 0;
    uint16_t cookie_type = 0, sflow_tci = 0;
    uint8_t want_actions = 0;
    size_t pos = 0;

    while (pos < a->len) {
        struct odp_nla n;
        enum dps_odp_status st = odp_nla_next(a->payload, a->len, &pos, &n);
        if (st != DPS_ODP_OK)
            return odp_fail(ctx, a->payload + pos, st);
        switch (n.type) {
        case ODP_US_PID:
        case ODP_US_EGRESS_TUN_PORT:
            if (n.len != ODP_SZ_U32)
                return odp_fail(ctx, n.hdr, DPS_ODP_ERR_ATTR_SIZE);
            if (n.type == ODP_US_PID)
                pid = odp_ld_h32(n.payload);
            else
                tun_port = odp_ld_h32(n.payload);
            break;
        case ODP_US_USERDATA:
            /* Only ovs-vswitchd's own 48-byte cookie has a known layout; other userdata
             * (controller() continuations from other tools, old 8-byte cookies) is opaque. */
            if (n.len == ODP_COOKIE_SIZE) {
                cookie_type = odp_ld_h16(n.payload + ODP_COOKIE_OFF_TYPE);
                in_port = odp_ld_h32(n.payload + ODP_COOKIE_OFF_IN_PORT);
                if (cookie_type == ODP_COOKIE_TYPE_SFLOW) {
                    sflow_tci = odp_ld_be16(n.payload + ODP_COOKIE_OFF_SFLOW_TCI);
                    sflow_out = odp_ld_h32(n.payload + ODP_COOKIE_OFF_SFLOW_OUT);
                }
            }
            break;
        case ODP_US_ACTIONS:
            want_actions = 1;
            break;
        default:
            break;
        }
    }

    bool is_sflow = cookie_type == ODP_COOKIE_TYPE_SFLOW;
    sum->flags |= DPS_ODP_F_USERSPACE;
    /* Keep the first userspace action, but let a later sFlow cookie replace a non-sFlow
     * first one: the agent wants the sFlow upcall's view. */
    if (sum->userspace.n == 0 || (is_sflow && !(sum->flags & DPS_ODP_F_SFLOW_COOKIE))) {
        sum->userspace.pid = pid;
        sum->userspace.egress_tun_port = tun_port;
        sum->userspace.cookie_type = cookie_type;
        sum->userspace.ofp_in_port = in_port;
        sum->userspace.sflow_vlan_tci = sflow_tci;
        sum->userspace.sflow_output = sflow_out;
        sum->userspace.want_actions = want_actions;
        if (is_sflow)
            sum->flags |= DPS_ODP_F_SFLOW_COOKIE;
    }
    if (sum->userspace.n != UINT32_MAX)
        sum->userspace.n++;
    return DPS_ODP_OK;
}

enum dps_odp_status odp_do_ct(struct odp_ctx *ctx, const struct odp_nla *a)
{
    struct dps_odp_summary *sum = ctx->sum;
    size_t pos = 0;

    sum->flags |= DPS_ODP_F_CT;
    while (pos < a->len) {
        struct odp_nla n;
        enum dps_odp_status st = odp_nla_next(a->payload, a->len, &pos, &n);
        if (st != DPS_ODP_OK)
            return odp_fail(ctx, a->payload + pos, st);
        switch (n.type) {
        case ODP_CT_COMMIT:
        case ODP_CT_FORCE_COMMIT:
            sum->flags |= DPS_ODP_F_CT_COMMIT;
            break;
        case ODP_CT_ZONE:
            if (n.len != 2)
                return odp_fail(ctx, n.hdr, DPS_ODP_ERR_ATTR_SIZE);
            sum->ct_zone = odp_ld_h16(n.payload);
            break;
        case ODP_CT_NAT:
            sum->flags |= DPS_ODP_F_CT_NAT;
            break;
        default:
            break;
        }
    }
    return DPS_ODP_OK;
}

enum dps_odp_status odp_do_sample(struct odp_ctx *ctx, const struct odp_nla *a,
                                  const struct odp_scope *scope)
{
    struct dps_odp_summary *sum = ctx->sum;
    const struct odp_nla *acts = NULL;
    struct odp_nla n, acts_attr = { 0 };
    uint32_t probability = UINT32_MAX;   /* OVS requires the attribute; absent = always */
    size_t pos = 0;

    /* Probability first, whatever the attribute order, so the outputs inside know whether
     * they are conditional. */
    while (pos < a->len) {
        enum dps_odp_status st = odp_nla_next(a->payload, a->len, &pos, &n);
        if (st != DPS_ODP_OK)
            return odp_fail(ctx, a->payload + pos, st);
        if (n.type == ODP_SAMPLE_PROBABILITY) {
            if (n.len != ODP_SZ_U32)
                return odp_fail(ctx, n.hdr, DPS_ODP_ERR_ATTR_SIZE);
            probability = odp_ld_h32(n.payload);
        } else if (n.type == ODP_SAMPLE_ACTIONS) {
            acts_attr = n;
            acts = &acts_attr;
        }
    }
    if (!(sum->flags & DPS_ODP_F_SAMPLE))
        sum->sample_probability = probability;
    sum->flags |= DPS_ODP_F_SAMPLE;
    if (!acts)
        return DPS_ODP_OK;
    /* dpif-netdev runs sample actions on a clone unless sample is the last action; the
     * summary treats them as a copy either way. */
    uint8_t add = DPS_ODP_OUTF_CLONE;
    if (probability != UINT32_MAX)
        add |= DPS_ODP_OUTF_SAMPLED;
    return odp_do_nested_list(ctx, acts->payload, acts->len, scope, add, acts->hdr);
}

enum dps_odp_status odp_do_check_pkt_len(struct odp_ctx *ctx, const struct odp_nla *a,
                                         const struct odp_scope *scope)
{
    struct dps_odp_summary *sum = ctx->sum;
    struct odp_nla n, gt = { 0 }, le = { 0 };
    bool have_gt = false, have_le = false;
    size_t pos = 0;

    sum->flags |= DPS_ODP_F_CHECK_PKT_LEN;
    while (pos < a->len) {
        enum dps_odp_status st = odp_nla_next(a->payload, a->len, &pos, &n);
        if (st != DPS_ODP_OK)
            return odp_fail(ctx, a->payload + pos, st);
        if (n.type == ODP_CPL_PKT_LEN) {
            if (n.len != 2)
                return odp_fail(ctx, n.hdr, DPS_ODP_ERR_ATTR_SIZE);
            sum->check_pkt_len = odp_ld_h16(n.payload);
        } else if (n.type == ODP_CPL_IF_GREATER) {
            gt = n;
            have_gt = true;
        } else if (n.type == ODP_CPL_IF_LESS_EQUAL) {
            le = n;
            have_le = true;
        }
    }
    /* Both branches are possible for a flow; each runs on the packet as it is here, so
     * each gets its own copy of the state. */
    if (have_gt) {
        enum dps_odp_status st = odp_do_nested_list(ctx, gt.payload, gt.len, scope,
                                                    DPS_ODP_OUTF_COND_GT, gt.hdr);
        if (st != DPS_ODP_OK)
            return st;
    }
    if (have_le)
        return odp_do_nested_list(ctx, le.payload, le.len, scope, DPS_ODP_OUTF_COND_LE,
                                  le.hdr);
    return DPS_ODP_OK;
}
