/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * odp_set.c - SET and SET_MASKED.  The argument is a flow key attribute (OVS_KEY_ATTR_*):
 * for SET its value, for SET_MASKED its value immediately followed by a mask of the same
 * size (OVS sends masked sets for every header the userspace datapath can mask; only the
 * tunnel key is never masked).  The tunnel key is a nested OVS_TUNNEL_KEY_ATTR_* set and
 * becomes an egress tunnel; header keys accumulate into summary->rewrites.
 */
#include <string.h>

#include "odp_internal.h"

#define UDP_PORT_VXLAN  4789u
#define UDP_PORT_VXLAN_LINUX 8472u
#define UDP_PORT_GENEVE 6081u
#define UDP_PORT_GTPU   2152u

/* The all-ones mask an unmasked SET implies; sized for the largest header key (IPv6). */
static const uint8_t all_ones[ODP_KEY_SZ_IPV6] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/* Applies value/mask to a recorded field the way the datapath applies it to the packet:
 * masked bits take the new value, the rest keep what earlier sets wrote.  Returns whether
 * any bit is set by this mask. */
static bool merge(uint8_t *val, uint8_t *mask, const uint8_t *v, const uint8_t *m, size_t n)
{
    uint8_t any = 0;
    for (size_t i = 0; i < n; i++) {
        val[i] = (uint8_t)((val[i] & ~m[i]) | (v[i] & m[i]));
        mask[i] |= m[i];
        any |= m[i];
    }
    return any != 0;
}

static void set_ethernet(struct dps_odp_rewrites *rw, const uint8_t *v, const uint8_t *m)
{
    if (merge(rw->eth_src, rw->eth_src_mask, v, m, 6))
        rw->fields |= DPS_ODP_RW_ETH_SRC;
    if (merge(rw->eth_dst, rw->eth_dst_mask, v + 6, m + 6, 6))
        rw->fields |= DPS_ODP_RW_ETH_DST;
}

static void set_tos_ttl(struct dps_odp_rewrites *rw, uint8_t tos, uint8_t tos_m, uint8_t ttl,
                        uint8_t ttl_m)
{
    if (tos_m) {
        rw->tos = (uint8_t)((rw->tos & ~tos_m) | (tos & tos_m));
        rw->tos_mask |= tos_m;
        rw->fields |= DPS_ODP_RW_TOS;
    }
    if (ttl_m) {
        rw->ttl = (uint8_t)((rw->ttl & ~ttl_m) | (ttl & ttl_m));
        rw->fields |= DPS_ODP_RW_TTL;
    }
}

/* ovs_key_ipv4: src(4) dst(4) proto tos ttl frag; proto and frag cannot be rewritten. */
static void set_ipv4(struct dps_odp_rewrites *rw, const uint8_t *v, const uint8_t *m)
{
    if (merge(rw->ipv4_src, rw->ipv4_src_mask, v, m, 4))
        rw->fields |= DPS_ODP_RW_IPV4_SRC;
    if (merge(rw->ipv4_dst, rw->ipv4_dst_mask, v + 4, m + 4, 4))
        rw->fields |= DPS_ODP_RW_IPV4_DST;
    set_tos_ttl(rw, v[9], m[9], v[10], m[10]);
}

/* ovs_key_ipv6: src(16) dst(16) label(be32, 20 bits) proto tclass hlimit frag. */
static void set_ipv6(struct dps_odp_rewrites *rw, const uint8_t *v, const uint8_t *m)
{
    if (merge(rw->ipv6_src, rw->ipv6_src_mask, v, m, 16))
        rw->fields |= DPS_ODP_RW_IPV6_SRC;
    if (merge(rw->ipv6_dst, rw->ipv6_dst_mask, v + 16, m + 16, 16))
        rw->fields |= DPS_ODP_RW_IPV6_DST;
    uint32_t label_m = odp_ld_be32(m + 32) & 0xFFFFFu;
    if (label_m) {
        rw->ipv6_label = (rw->ipv6_label & ~label_m) | (odp_ld_be32(v + 32) & label_m);
        rw->fields |= DPS_ODP_RW_IPV6_LABEL;
    }
    set_tos_ttl(rw, v[37], m[37], v[38], m[38]);
}

static void set_l4(struct dps_odp_rewrites *rw, uint8_t proto, const uint8_t *v,
                   const uint8_t *m)
{
    uint16_t src_m = odp_ld_be16(m), dst_m = odp_ld_be16(m + 2);
    if (src_m) {
        rw->l4_src = (uint16_t)((rw->l4_src & ~src_m) | (odp_ld_be16(v) & src_m));
        rw->l4_src_mask |= src_m;
        rw->fields |= DPS_ODP_RW_L4_SRC;
        rw->l4_proto = proto;
    }
    if (dst_m) {
        rw->l4_dst = (uint16_t)((rw->l4_dst & ~dst_m) | (odp_ld_be16(v + 2) & dst_m));
        rw->l4_dst_mask |= dst_m;
        rw->fields |= DPS_ODP_RW_L4_DST;
        rw->l4_proto = proto;
    }
}

static void set_mpls(struct dps_odp_rewrites *rw, struct odp_scope *scope, const uint8_t *v,
                     const uint8_t *m)
{
    uint32_t lse = odp_ld_be32(v), mask = odp_ld_be32(m);
    if (!mask)
        return;
    rw->mpls_lse = (rw->mpls_lse & ~mask) | (lse & mask);
    rw->mpls_lse_mask |= mask;
    rw->fields |= DPS_ODP_RW_MPLS;
    /* A label this list pushed is the top one being rewritten. */
    if (scope->st.n_mpls)
        scope->st.mpls_lse[0] = (scope->st.mpls_lse[0] & ~mask) | (lse & mask);
}

/* Nested NSH key attributes; with 'masked' each payload is value then mask, and only the
 * value half is read. */
static enum dps_odp_status nsh_key(struct odp_ctx *ctx, const struct odp_nla *a, bool masked)
{
    struct dps_odp_summary *sum = ctx->sum;
    size_t pos = 0;
    unsigned mult = masked ? 2u : 1u;

    while (pos < a->len) {
        struct odp_nla n;
        enum dps_odp_status st = odp_nla_next(a->payload, a->len, &pos, &n);
        if (st != DPS_ODP_OK)
            return odp_fail(ctx, a->payload + pos, st);
        if (n.type == ODP_NSH_BASE) {
            if (n.len != ODP_NSH_SZ_BASE * mult)
                return odp_fail(ctx, n.hdr, DPS_ODP_ERR_ATTR_SIZE);
            /* flags, ttl, mdtype, np, path header = SPI(24) | SI(8) */
            sum->nsh.flags = n.payload[0];
            sum->nsh.ttl = n.payload[1];
            sum->nsh.md_type = n.payload[2];
            sum->nsh.next_proto = n.payload[3];
            uint32_t path = odp_ld_be32(n.payload + 4);
            sum->nsh.spi = path >> 8;
            sum->nsh.si = (uint8_t)path;
        } else if (n.type == ODP_NSH_MD2) {
            sum->nsh.md2_len = n.len > UINT8_MAX ? UINT8_MAX : (uint8_t)n.len;
        }
    }
    return DPS_ODP_OK;
}

enum dps_odp_status odp_do_push_nsh(struct odp_ctx *ctx, const struct odp_nla *a)
{
    ctx->sum->flags |= DPS_ODP_F_PUSH_NSH;
    return nsh_key(ctx, a, false);
}

/* Guesses the encapsulation of a set tunnel key: the key itself does not name it (the
 * output port's type does), but the options and the UDP port give it away. */
static uint8_t tunnel_proto_hint(const struct dps_odp_tunnel *t, bool geneve_opts,
                                 bool vxlan_opts, bool erspan_opts, bool gtpu_opts)
{
    if (geneve_opts)
        return DPS_ODP_TNL_GENEVE;
    if (vxlan_opts)
        return DPS_ODP_TNL_VXLAN;
    if (erspan_opts)
        return DPS_ODP_TNL_ERSPAN;
    if (gtpu_opts)
        return DPS_ODP_TNL_GTPU;
    switch (t->udp_dst) {
    case UDP_PORT_VXLAN:
    case UDP_PORT_VXLAN_LINUX:
        return DPS_ODP_TNL_VXLAN;
    case UDP_PORT_GENEVE:
        return DPS_ODP_TNL_GENEVE;
    case UDP_PORT_GTPU:
        return DPS_ODP_TNL_GTPU;
    default:
        return DPS_ODP_TNL_OTHER;
    }
}

/* Payload size each tunnel key attribute must have; -1 = variable. */
static int tun_attr_size(uint16_t type)
{
    switch (type) {
    case ODP_TUN_ID:            return 8;
    case ODP_TUN_IPV4_SRC:
    case ODP_TUN_IPV4_DST:      return 4;
    case ODP_TUN_TOS:
    case ODP_TUN_TTL:           return 1;
    case ODP_TUN_DONT_FRAGMENT:
    case ODP_TUN_CSUM:
    case ODP_TUN_OAM:           return 0;
    case ODP_TUN_TP_SRC:
    case ODP_TUN_TP_DST:        return 2;
    case ODP_TUN_IPV6_SRC:
    case ODP_TUN_IPV6_DST:      return 16;
    default:                    return -1;
    }
}

static enum dps_odp_status set_tunnel(struct odp_ctx *ctx, const struct odp_nla *key,
                                      struct odp_scope *scope)
{
    uint8_t idx;
    struct dps_odp_tunnel *t = odp_tunnel_slot(ctx, &idx);
    bool geneve = false, vxlan = false, erspan = false, gtpu = false;
    size_t pos = 0;

    ctx->sum->flags |= DPS_ODP_F_SET_TUNNEL;
    t->origin = DPS_ODP_FROM_SET;
    t->out_port = DPS_ODP_PORT_NONE;
    while (pos < key->len) {
        struct odp_nla n;
        enum dps_odp_status st = odp_nla_next(key->payload, key->len, &pos, &n);
        if (st != DPS_ODP_OK)
            return odp_fail(ctx, key->payload + pos, st);
        int want = tun_attr_size(n.type);
        if (want >= 0 && n.len != (unsigned)want)
            return odp_fail(ctx, n.hdr, DPS_ODP_ERR_ATTR_SIZE);
        const uint8_t *v = n.payload;
        switch (n.type) {
        case ODP_TUN_ID:
            t->tun_id = odp_ld_be64(v);
            t->vni = (uint32_t)t->tun_id;   /* VNI in the low 24 bits, GRE key in 32 */
            t->flags |= DPS_ODP_TNLF_KEY;
            break;
        case ODP_TUN_IPV4_SRC:
            t->ip_version = 4;
            memcpy(t->src_ip, v, 4);
            break;
        case ODP_TUN_IPV4_DST:
            t->ip_version = 4;
            memcpy(t->dst_ip, v, 4);
            break;
        case ODP_TUN_IPV6_SRC:
            t->ip_version = 6;
            memcpy(t->src_ip, v, 16);
            break;
        case ODP_TUN_IPV6_DST:
            t->ip_version = 6;
            memcpy(t->dst_ip, v, 16);
            break;
        case ODP_TUN_TOS:
            t->tos = v[0];
            break;
        case ODP_TUN_TTL:
            t->ttl = v[0];
            break;
        case ODP_TUN_DONT_FRAGMENT:
            t->flags |= DPS_ODP_TNLF_DF;
            break;
        case ODP_TUN_CSUM:
            t->flags |= DPS_ODP_TNLF_CSUM;
            break;
        case ODP_TUN_OAM:
            t->flags |= DPS_ODP_TNLF_OAM;
            break;
        case ODP_TUN_TP_SRC:
            t->udp_src = odp_ld_be16(v);
            break;
        case ODP_TUN_TP_DST:
            t->udp_dst = odp_ld_be16(v);
            break;
        case ODP_TUN_GENEVE_OPTS: {
            /* Same TLV layout as on the wire; count them, every step bounded. */
            size_t o = 0;
            geneve = true;
            t->geneve_opt_len = n.len;
            while (o < n.len) {
                if (n.len - o < 4)
                    return odp_fail(ctx, n.hdr, DPS_ODP_ERR_ATTR_SIZE);
                size_t step = 4 + (size_t)(v[o + 3] & 0x1F) * 4;
                if (step > n.len - o)
                    return odp_fail(ctx, n.hdr, DPS_ODP_ERR_ATTR_SIZE);
                if (v[o + 2] & 0x80)     /* critical bit of the option type */
                    t->flags |= DPS_ODP_TNLF_CRIT;
                if (t->geneve_opts != UINT8_MAX)
                    t->geneve_opts++;
                o += step;
            }
            break;
        }
        case ODP_TUN_VXLAN_OPTS:
            vxlan = true;
            t->flags |= DPS_ODP_TNLF_GBP;
            break;
        case ODP_TUN_ERSPAN_OPTS:
            erspan = true;
            break;
        case ODP_TUN_GTPU_OPTS:
            gtpu = true;
            break;
        default:
            break;
        }
    }
    t->proto = tunnel_proto_hint(t, geneve, vxlan, erspan, gtpu);
    scope->tunnel = idx;
    return DPS_ODP_OK;
}

/* One key attribute of a SET / SET_MASKED. */
static enum dps_odp_status set_key(struct odp_ctx *ctx, const struct odp_nla *k, bool masked,
                                   struct odp_scope *scope)
{
    struct dps_odp_rewrites *rw = &ctx->sum->rewrites;
    size_t size;

    switch (k->type) {
    case ODP_KEY_TUNNEL:
        /* OVS never masks the tunnel key (openvswitch.h); a masked one would interleave
         * mask attributes with values, so it is not read as a tunnel. */
        if (masked) {
            rw->fields |= DPS_ODP_RW_OTHER;
            return DPS_ODP_OK;
        }
        return set_tunnel(ctx, k, scope);
    case ODP_KEY_NSH:
        rw->fields |= DPS_ODP_RW_NSH;
        return nsh_key(ctx, k, masked);
    case ODP_KEY_ETHERNET: size = ODP_KEY_SZ_ETHERNET; break;
    case ODP_KEY_IPV4:     size = ODP_KEY_SZ_IPV4; break;
    case ODP_KEY_IPV6:     size = ODP_KEY_SZ_IPV6; break;
    case ODP_KEY_TCP:
    case ODP_KEY_UDP:
    case ODP_KEY_SCTP:     size = ODP_KEY_SZ_L4; break;
    case ODP_KEY_MPLS:     size = ODP_KEY_SZ_MPLS; break;
    default:
        rw->fields |= DPS_ODP_RW_OTHER;
        return DPS_ODP_OK;
    }
    if (k->len != (masked ? 2 * size : size))
        return odp_fail(ctx, k->hdr, DPS_ODP_ERR_ATTR_SIZE);

    const uint8_t *v = k->payload;
    const uint8_t *m = masked ? v + size : all_ones;
    switch (k->type) {
    case ODP_KEY_ETHERNET: set_ethernet(rw, v, m); break;
    case ODP_KEY_IPV4:     set_ipv4(rw, v, m); break;
    case ODP_KEY_IPV6:     set_ipv6(rw, v, m); break;
    case ODP_KEY_TCP:      set_l4(rw, 6, v, m); break;
    case ODP_KEY_UDP:      set_l4(rw, 17, v, m); break;
    case ODP_KEY_SCTP:     set_l4(rw, 132, v, m); break;
    default:               set_mpls(rw, scope, v, m); break;
    }
    return DPS_ODP_OK;
}

enum dps_odp_status odp_do_set(struct odp_ctx *ctx, const struct odp_nla *a, bool masked,
                               struct odp_scope *scope)
{
    size_t pos = 0;
    /* OVS puts exactly one key in a set action; walking all of them costs nothing and
     * validates the framing of whatever is there. */
    while (pos < a->len) {
        struct odp_nla k;
        enum dps_odp_status st = odp_nla_next(a->payload, a->len, &pos, &k);
        if (st != DPS_ODP_OK)
            return odp_fail(ctx, a->payload + pos, st);
        st = set_key(ctx, &k, masked, scope);
        if (st != DPS_ODP_OK)
            return st;
    }
    return DPS_ODP_OK;
}
