/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * odp_walk.c - the datapath action walker: runs through an action list in order, keeps the
 * packet's pushed VLAN / MPLS stacks, records outputs and the egress tunnel they leave in,
 * and hands nested arguments to odp_nested.c, odp_set.c and odp_tnl_push.c.
 */
#include <stddef.h>
#include <string.h>

#include "odp_internal.h"

static uint8_t sat_inc8(uint8_t v)
{
    return v == UINT8_MAX ? v : (uint8_t)(v + 1);
}

void odp_stack_push_vlan(struct dps_odp_stacks *s, uint16_t tpid, uint16_t tci)
{
    /* Newest tag is outermost (index 0); past the array the innermost fall off. */
    memmove(&s->vlan_tpid[1], &s->vlan_tpid[0], (DPS_ODP_MAX_VLANS - 1) * sizeof(uint16_t));
    memmove(&s->vlan_tci[1], &s->vlan_tci[0], (DPS_ODP_MAX_VLANS - 1) * sizeof(uint16_t));
    s->vlan_tpid[0] = tpid;
    s->vlan_tci[0] = tci;
    s->n_vlans = sat_inc8(s->n_vlans);
}

void odp_stack_pop_vlan(struct dps_odp_stacks *s)
{
    if (s->n_vlans == 0) {
        s->vlan_input_pops = sat_inc8(s->vlan_input_pops);
        return;
    }
    memmove(&s->vlan_tpid[0], &s->vlan_tpid[1], (DPS_ODP_MAX_VLANS - 1) * sizeof(uint16_t));
    memmove(&s->vlan_tci[0], &s->vlan_tci[1], (DPS_ODP_MAX_VLANS - 1) * sizeof(uint16_t));
    s->vlan_tpid[DPS_ODP_MAX_VLANS - 1] = 0;
    s->vlan_tci[DPS_ODP_MAX_VLANS - 1] = 0;
    if (s->n_vlans > DPS_ODP_MAX_VLANS)
        s->lost = 1;    /* the tag now innermost in the array was never stored */
    s->n_vlans--;
}

void odp_stack_push_mpls(struct dps_odp_stacks *s, uint32_t lse, uint16_t ethertype)
{
    memmove(&s->mpls_lse[1], &s->mpls_lse[0], (DPS_ODP_MAX_MPLS - 1) * sizeof(uint32_t));
    s->mpls_lse[0] = lse;
    s->mpls_ethertype = ethertype;
    s->n_mpls = sat_inc8(s->n_mpls);
}

void odp_stack_pop_mpls(struct dps_odp_stacks *s, uint16_t ethertype)
{
    s->mpls_ethertype = ethertype;
    if (s->n_mpls == 0) {
        s->mpls_input_pops = sat_inc8(s->mpls_input_pops);
        return;
    }
    memmove(&s->mpls_lse[0], &s->mpls_lse[1], (DPS_ODP_MAX_MPLS - 1) * sizeof(uint32_t));
    s->mpls_lse[DPS_ODP_MAX_MPLS - 1] = 0;
    if (s->n_mpls > DPS_ODP_MAX_MPLS)
        s->lost = 1;
    s->n_mpls--;
}

struct dps_odp_tunnel *odp_tunnel_slot(struct odp_ctx *ctx, uint8_t *index)
{
    struct dps_odp_summary *sum = ctx->sum;
    uint8_t n = sum->n_tunnels;
    sum->n_tunnels = sat_inc8(n);
    if (n < DPS_ODP_MAX_TUNNELS) {
        *index = n;
        memset(&sum->tunnels[n], 0, sizeof sum->tunnels[n]);
        return &sum->tunnels[n];
    }
    *index = DPS_ODP_NO_TUNNEL;
    memset(&ctx->scratch, 0, sizeof ctx->scratch);
    return &ctx->scratch;
}

static void record_output(struct odp_ctx *ctx, struct odp_scope *scope, uint32_t port,
                          uint8_t extra_flags)
{
    struct dps_odp_summary *sum = ctx->sum;
    uint32_t n = sum->n_outputs;
    if (n != UINT32_MAX)
        sum->n_outputs = n + 1;

    if (scope->tunnel != DPS_ODP_NO_TUNNEL) {
        struct dps_odp_tunnel *t = &sum->tunnels[scope->tunnel];
        if (t->origin == DPS_ODP_FROM_SET && t->out_port == DPS_ODP_PORT_NONE)
            t->out_port = port;
    }
    if (n < DPS_ODP_MAX_OUTPUTS) {
        struct dps_odp_output *o = &sum->outputs[n];
        const struct dps_odp_stacks *st = &scope->st;
        o->port = port;
        o->flags = (uint8_t)(scope->out_flags | extra_flags |
                             (scope->trunc ? DPS_ODP_OUTF_TRUNC : 0) |
                             (scope->tunnel != DPS_ODP_NO_TUNNEL ? DPS_ODP_OUTF_TUNNEL : 0));
        o->tunnel = scope->tunnel;
        o->depth = scope->depth;
        o->n_vlans = st->n_vlans;
        o->n_mpls = st->n_mpls;
        o->vlan_tci = st->n_vlans ? st->vlan_tci[0] : 0;
        o->mpls_top = st->n_mpls ? st->mpls_lse[0] : 0;
        o->pad = 0;
    }
    /* dpif-netdev applies a truncation to the next output only. */
    scope->trunc = 0;
}

/* Expected payload size of fixed-size actions, -1 for variable / unknown. */
static int fixed_size(uint16_t type)
{
    switch (type) {
    case ODP_A_OUTPUT: case ODP_A_RECIRC: case ODP_A_TRUNC: case ODP_A_METER:
    case ODP_A_TUNNEL_POP: case ODP_A_DROP: case ODP_A_LB_OUTPUT:
        return ODP_SZ_U32;
    case ODP_A_PUSH_VLAN:  return ODP_SZ_PUSH_VLAN;
    case ODP_A_HASH:       return ODP_SZ_HASH;
    case ODP_A_PUSH_MPLS:  return ODP_SZ_PUSH_MPLS;
    case ODP_A_ADD_MPLS:   return ODP_SZ_ADD_MPLS;
    case ODP_A_POP_MPLS:   return ODP_SZ_POP_MPLS;
    case ODP_A_PUSH_ETH:   return ODP_SZ_PUSH_ETH;
    case ODP_A_POP_VLAN: case ODP_A_POP_ETH: case ODP_A_CT_CLEAR: case ODP_A_POP_NSH:
        return 0;
    default:
        return -1;
    }
}

static enum dps_odp_status do_tnl_push(struct odp_ctx *ctx, const struct odp_nla *a,
                                       struct odp_scope *scope)
{
    uint8_t idx;
    struct dps_odp_tunnel *t = odp_tunnel_slot(ctx, &idx);
    ctx->sum->flags |= DPS_ODP_F_TNL_PUSH;
    enum dps_odp_status st = odp_decode_tnl_push(a->payload, a->len, t);
    if (st != DPS_ODP_OK)
        return odp_fail(ctx, a->hdr, st);
    scope->tunnel = idx;
    /* The pushed header is the new outside: later push_vlan tags the underlay frame. */
    memset(&scope->st, 0, sizeof scope->st);
    return DPS_ODP_OK;
}

static enum dps_odp_status do_action(struct odp_ctx *ctx, const struct odp_nla *a,
                                     struct odp_scope *scope)
{
    struct dps_odp_summary *sum = ctx->sum;
    const uint8_t *p = a->payload;

    int want = fixed_size(a->type);
    if (want >= 0 && a->len != (unsigned)want)
        return odp_fail(ctx, a->hdr, DPS_ODP_ERR_ATTR_SIZE);

    switch (a->type) {
    case ODP_A_OUTPUT:
        record_output(ctx, scope, odp_ld_h32(p), 0);
        break;
    case ODP_A_LB_OUTPUT:
        sum->flags |= DPS_ODP_F_LB_OUTPUT;
        record_output(ctx, scope, odp_ld_h32(p), DPS_ODP_OUTF_BOND);
        break;
    case ODP_A_TUNNEL_PUSH:
        return do_tnl_push(ctx, a, scope);
    case ODP_A_TUNNEL_POP:
        sum->flags |= DPS_ODP_F_TNL_POP;
        sum->tnl_pop_port = odp_ld_h32(p);
        break;
    case ODP_A_SET:
        return odp_do_set(ctx, a, false, scope);
    case ODP_A_SET_MASKED:
        return odp_do_set(ctx, a, true, scope);
    case ODP_A_PUSH_VLAN:
        odp_stack_push_vlan(&scope->st, odp_ld_be16(p), odp_ld_be16(p + 2));
        break;
    case ODP_A_POP_VLAN:
        odp_stack_pop_vlan(&scope->st);
        break;
    case ODP_A_PUSH_MPLS:
        odp_stack_push_mpls(&scope->st, odp_ld_be32(p), odp_ld_be16(p + 4));
        break;
    case ODP_A_ADD_MPLS:
        sum->flags |= DPS_ODP_F_ADD_MPLS;
        odp_stack_push_mpls(&scope->st, odp_ld_be32(p), odp_ld_be16(p + 4));
        break;
    case ODP_A_POP_MPLS:
        odp_stack_pop_mpls(&scope->st, odp_ld_be16(p));
        break;
    case ODP_A_RECIRC:
        sum->flags |= DPS_ODP_F_RECIRC;
        sum->recirc_id = odp_ld_h32(p);
        break;
    case ODP_A_HASH:
        sum->flags |= DPS_ODP_F_HASH;
        sum->hash_alg = odp_ld_h32(p);
        sum->hash_basis = odp_ld_h32(p + 4);
        break;
    case ODP_A_TRUNC:
        sum->flags |= DPS_ODP_F_TRUNC;
        sum->trunc_max_len = odp_ld_h32(p);
        scope->trunc = 1;
        break;
    case ODP_A_METER:
        sum->flags |= DPS_ODP_F_METER;
        sum->meter_id = odp_ld_h32(p);
        break;
    case ODP_A_DROP:
        sum->flags |= DPS_ODP_F_DROP;
        sum->drop_reason = odp_ld_h32(p);
        break;
    case ODP_A_CT_CLEAR:
        sum->flags |= DPS_ODP_F_CT_CLEAR;
        break;
    case ODP_A_PUSH_ETH:
        sum->flags |= DPS_ODP_F_PUSH_ETH;
        memcpy(sum->push_eth_src, p, 6);
        memcpy(sum->push_eth_dst, p + 6, 6);
        break;
    case ODP_A_POP_ETH:
        sum->flags |= DPS_ODP_F_POP_ETH;
        break;
    case ODP_A_PUSH_NSH:
        return odp_do_push_nsh(ctx, a);
    case ODP_A_POP_NSH:
        sum->flags |= DPS_ODP_F_POP_NSH;
        break;
    case ODP_A_USERSPACE:
        return odp_do_userspace(ctx, a);
    case ODP_A_CT:
        return odp_do_ct(ctx, a);
    case ODP_A_SAMPLE:
        return odp_do_sample(ctx, a, scope);
    case ODP_A_CHECK_PKT_LEN:
        return odp_do_check_pkt_len(ctx, a, scope);
    case ODP_A_CLONE:
        /* Userspace CLONE carries the action list itself (the kernel's OVS_CLONE_ATTR_EXEC
         * wrapper is added only when talking to the kernel module). */
        sum->flags |= DPS_ODP_F_CLONE;
        return odp_do_nested_list(ctx, p, a->len, scope, DPS_ODP_OUTF_CLONE, a->hdr);
    default:
        sum->flags |= DPS_ODP_F_UNKNOWN;
        break;
    }
    return DPS_ODP_OK;
}

enum dps_odp_status odp_walk_list(struct odp_ctx *ctx, const uint8_t *list, size_t len,
                                  struct odp_scope *scope)
{
    size_t pos = 0;
    while (pos < len) {
        struct odp_nla a;
        enum dps_odp_status st = odp_nla_next(list, len, &pos, &a);
        if (st != DPS_ODP_OK)
            return odp_fail(ctx, list + pos, st);
        if (ctx->sum->n_actions != UINT32_MAX)
            ctx->sum->n_actions++;
        st = do_action(ctx, &a, scope);
        if (st != DPS_ODP_OK)
            return st;
    }
    return DPS_ODP_OK;
}

enum dps_odp_status odp_do_nested_list(struct odp_ctx *ctx, const uint8_t *list, size_t len,
                                       const struct odp_scope *scope, uint8_t add_flags,
                                       const uint8_t *where)
{
    if (scope->depth >= DPS_ODP_MAX_DEPTH)
        return odp_fail(ctx, where, DPS_ODP_ERR_TOO_DEEP);
    struct odp_scope inner = *scope;
    inner.depth = (uint8_t)(scope->depth + 1);
    inner.out_flags |= add_flags;
    if (inner.depth > ctx->sum->max_depth)
        ctx->sum->max_depth = inner.depth;
    return odp_walk_list(ctx, list, len, &inner);
}

enum dps_odp_status dps_odp_decode(const void *actions, size_t len,
                                   struct dps_odp_summary *summary)
{
    if (!summary)
        return DPS_ODP_ERR_BAD_ARG;
    /* outputs[] and tunnels[] (480 of the summary's ~780 bytes) are written entry by entry
     * as they are used (odp_tunnel_slot zeroes a tunnel, record_output fills an output), so
     * only the rest is cleared: this halves the decoder's cost on a typical list. */
    memset(summary, 0, offsetof(struct dps_odp_summary, outputs));
    memset(&summary->final, 0, sizeof *summary - offsetof(struct dps_odp_summary, final));
    summary->userspace.egress_tun_port = DPS_ODP_PORT_NONE;
    if (!actions && len) {
        summary->status = DPS_ODP_ERR_BAD_ARG;
        return DPS_ODP_ERR_BAD_ARG;
    }
    if (len == 0) {
        /* ovs-vswitchd installs an empty list for flows that drop. */
        summary->flags = DPS_ODP_F_EMPTY;
        return DPS_ODP_OK;
    }

    struct odp_ctx ctx = { .sum = summary, .base = actions };
    struct odp_scope scope;
    memset(&scope, 0, sizeof scope);
    scope.tunnel = DPS_ODP_NO_TUNNEL;

    enum dps_odp_status st = odp_walk_list(&ctx, actions, len, &scope);
    summary->final = scope.st;
    return st;
}
