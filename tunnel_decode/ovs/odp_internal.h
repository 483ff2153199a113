/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * odp_internal.h - shared state of the OVS action decoder's files (internal).
 *   odp_walk.c      the action walker: lists, nesting, outputs, stacks, simple actions
 *   odp_nested.c    USERSPACE, CT, SAMPLE and CHECK_PKT_LEN argument parsing
 *   odp_tnl_push.c  the header carried by TUNNEL_PUSH
 *   odp_set.c       SET / SET_MASKED keys, including the tunnel key, and NSH keys
 *   odp_format.c    text / JSON rendering of a summary
 */
#ifndef DPS_ODP_INTERNAL_H
#define DPS_ODP_INTERNAL_H

#include <stdbool.h>

#include "dps_odp_actions.h"
#include "odp_nla.h"

/* Decoder-wide context. */
struct odp_ctx {
    struct dps_odp_summary *sum;
    const uint8_t *base;              /* the top-level list, for error offsets */
    struct dps_odp_tunnel scratch;    /* tunnels past DPS_ODP_MAX_TUNNELS decode here */
};

/* State of the packet while one action list runs.  Nested CLONE / SAMPLE / CHECK_PKT_LEN
 * lists get a copy, because their effects do not reach the actions after them. */
struct odp_scope {
    struct dps_odp_stacks st;
    uint8_t tunnel;                   /* egress tunnel wrapping later outputs, or NO_TUNNEL */
    uint8_t out_flags;                /* DPS_ODP_OUTF_* inherited by outputs in this list */
    uint8_t depth;
    uint8_t trunc;                    /* a TRUNC is pending for the next output */
};

/* Records a failure at 'where' (inside the top-level buffer) and returns 'st'. */
static inline enum dps_odp_status odp_fail(struct odp_ctx *ctx, const uint8_t *where,
                                           enum dps_odp_status st)
{
    ctx->sum->status = (uint8_t)st;
    ctx->sum->error_offset = (uint32_t)(where - ctx->base);
    return st;
}

/* Hands out the next tunnel record: a tunnels[] slot, or the scratch one once they are full.
 * *index receives the slot number or DPS_ODP_NO_TUNNEL. */
struct dps_odp_tunnel *odp_tunnel_slot(struct odp_ctx *ctx, uint8_t *index);

enum dps_odp_status odp_walk_list(struct odp_ctx *ctx, const uint8_t *list, size_t len,
                                  struct odp_scope *scope);

/* Nested-argument actions (odp_nested.c); 'a' is the action attribute. */
enum dps_odp_status odp_do_userspace(struct odp_ctx *ctx, const struct odp_nla *a);
enum dps_odp_status odp_do_ct(struct odp_ctx *ctx, const struct odp_nla *a);
enum dps_odp_status odp_do_sample(struct odp_ctx *ctx, const struct odp_nla *a,
                                  const struct odp_scope *scope);
enum dps_odp_status odp_do_check_pkt_len(struct odp_ctx *ctx, const struct odp_nla *a,
                                         const struct odp_scope *scope);
enum dps_odp_status odp_do_nested_list(struct odp_ctx *ctx, const uint8_t *list, size_t len,
                                       const struct odp_scope *scope, uint8_t add_flags,
                                       const uint8_t *where);

/* TUNNEL_PUSH argument (odp_tnl_push.c): fills *t (already zeroed); on error the fields
 * decoded before the inconsistency stay set. */
enum dps_odp_status odp_decode_tnl_push(const uint8_t *p, size_t len, struct dps_odp_tunnel *t);

/* SET (masked = false) / SET_MASKED argument (odp_set.c). */
enum dps_odp_status odp_do_set(struct odp_ctx *ctx, const struct odp_nla *a, bool masked,
                               struct odp_scope *scope);
/* PUSH_NSH argument: nested NSH key attributes, values only. */
enum dps_odp_status odp_do_push_nsh(struct odp_ctx *ctx, const struct odp_nla *a);

/* Stack edits (odp_walk.c), shared with SET(mpls). */
void odp_stack_push_vlan(struct dps_odp_stacks *s, uint16_t tpid, uint16_t tci);
void odp_stack_pop_vlan(struct dps_odp_stacks *s);
void odp_stack_push_mpls(struct dps_odp_stacks *s, uint32_t lse, uint16_t ethertype);
void odp_stack_pop_mpls(struct dps_odp_stacks *s, uint16_t ethertype);

#endif /* DPS_ODP_INTERNAL_H */
