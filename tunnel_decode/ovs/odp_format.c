/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * odp_format.c - renders a struct dps_odp_summary as one compact line (the agent's
 * --print-samples) or as a JSON object.  Not on the per-sample path.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "dps_odp_actions.h"

struct out {
    char *buf;
    size_t size;
    size_t len;     /* bytes the full string needs so far */
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
    char *dst = NULL;
    size_t room = 0;
    if (o->len < o->size) {
        dst = o->buf + o->len;
        room = o->size - o->len;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(dst, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n;
}

const char *dps_odp_status_name(enum dps_odp_status status)
{
    switch (status) {
    case DPS_ODP_OK:             return "ok";
    case DPS_ODP_ERR_TRUNCATED:  return "truncated";
    case DPS_ODP_ERR_LEN_SHORT:  return "len_short";
    case DPS_ODP_ERR_LEN_BEYOND: return "len_beyond";
    case DPS_ODP_ERR_ATTR_SIZE:  return "attr_size";
    case DPS_ODP_ERR_TOO_DEEP:   return "too_deep";
    case DPS_ODP_ERR_TNL_HEADER: return "tnl_header";
    case DPS_ODP_ERR_BAD_ARG:    return "bad_arg";
    }
    return "unknown";
}

const char *dps_odp_tnl_proto_name(enum dps_odp_tnl_proto proto)
{
    switch (proto) {
    case DPS_ODP_TNL_NONE:   return "none";
    case DPS_ODP_TNL_VXLAN:  return "vxlan";
    case DPS_ODP_TNL_GENEVE: return "geneve";
    case DPS_ODP_TNL_GRE:    return "gre";
    case DPS_ODP_TNL_ERSPAN: return "erspan";
    case DPS_ODP_TNL_GTPU:   return "gtpu";
    case DPS_ODP_TNL_OTHER:  return "other";
    }
    return "unknown";
}

static void ip_str(const uint8_t *addr, uint8_t version, char *s, size_t n)
{
    if (version == 4)
        inet_ntop(AF_INET, addr, s, (socklen_t)n);
    else if (version == 6)
        inet_ntop(AF_INET6, addr, s, (socklen_t)n);
    else
        snprintf(s, n, "-");
}

static const struct { uint32_t bit; const char *name; } flag_names[] = {
    { DPS_ODP_F_EMPTY, "empty" },       { DPS_ODP_F_DROP, "drop" },
    { DPS_ODP_F_RECIRC, "recirc" },     { DPS_ODP_F_CT, "ct" },
    { DPS_ODP_F_CT_COMMIT, "ct_commit" }, { DPS_ODP_F_CT_NAT, "ct_nat" },
    { DPS_ODP_F_CT_CLEAR, "ct_clear" }, { DPS_ODP_F_TRUNC, "trunc" },
    { DPS_ODP_F_METER, "meter" },       { DPS_ODP_F_HASH, "hash" },
    { DPS_ODP_F_USERSPACE, "userspace" }, { DPS_ODP_F_SFLOW_COOKIE, "sflow" },
    { DPS_ODP_F_TNL_POP, "tnl_pop" },   { DPS_ODP_F_TNL_PUSH, "tnl_push" },
    { DPS_ODP_F_SET_TUNNEL, "set_tunnel" }, { DPS_ODP_F_CHECK_PKT_LEN, "check_pkt_len" },
    { DPS_ODP_F_CLONE, "clone" },       { DPS_ODP_F_SAMPLE, "sample" },
    { DPS_ODP_F_PUSH_ETH, "push_eth" }, { DPS_ODP_F_POP_ETH, "pop_eth" },
    { DPS_ODP_F_PUSH_NSH, "push_nsh" }, { DPS_ODP_F_POP_NSH, "pop_nsh" },
    { DPS_ODP_F_LB_OUTPUT, "lb_output" }, { DPS_ODP_F_ADD_MPLS, "add_mpls" },
    { DPS_ODP_F_UNKNOWN, "unknown_attr" },
};

static const struct { uint8_t bit; const char *name; } out_flag_names[] = {
    { DPS_ODP_OUTF_COND_GT, "gt" },   { DPS_ODP_OUTF_COND_LE, "le" },
    { DPS_ODP_OUTF_SAMPLED, "sampled" }, { DPS_ODP_OUTF_CLONE, "clone" },
    { DPS_ODP_OUTF_BOND, "bond" },    { DPS_ODP_OUTF_TUNNEL, "tunnel" },
    { DPS_ODP_OUTF_TRUNC, "trunc" },
};

static unsigned stored(uint32_t n, unsigned max)
{
    return n < max ? (unsigned)n : max;
}

static void vid_pcp(uint16_t tci, unsigned *vid, unsigned *pcp)
{
    *vid = tci & 0x0FFFu;
    *pcp = tci >> 13;
}

static void text_tunnel(struct out *o, unsigned i, const struct dps_odp_tunnel *t)
{
    char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
    ip_str(t->src_ip, t->ip_version, src, sizeof src);
    ip_str(t->dst_ip, t->ip_version, dst, sizeof dst);
    put(o, " tnl%u=%s(%s", i, t->origin == DPS_ODP_FROM_PUSH ? "push" : "set",
        dps_odp_tnl_proto_name((enum dps_odp_tnl_proto)t->proto));
    if (t->ip_version)
        put(o, ",ipv%u,%s>%s", t->ip_version, src, dst);
    if (t->udp_src || t->udp_dst)
        put(o, ",udp=%u>%u", t->udp_src, t->udp_dst);
    if (t->flags & DPS_ODP_TNLF_KEY)
        put(o, ",%s=%u", t->proto == DPS_ODP_TNL_GRE ? "key" : "vni", t->vni);
    put(o, ",tos=%u,ttl=%u", t->tos, t->ttl);
    if (t->geneve_opts)
        put(o, ",opts=%u", t->geneve_opts);
    if (t->origin == DPS_ODP_FROM_PUSH)
        put(o, ",hlen=%u,tnl_port=%u", t->header_len, t->tnl_port);
    if (t->out_port != DPS_ODP_PORT_NONE)
        put(o, ",out_port=%u", t->out_port);
    put(o, ")");
}

static void text_stacks(struct out *o, const struct dps_odp_stacks *s)
{
    if (s->n_vlans || s->vlan_input_pops) {
        put(o, " vlans=[");
        for (unsigned i = 0; i < stored(s->n_vlans, DPS_ODP_MAX_VLANS); i++) {
            unsigned vid, pcp;
            vid_pcp(s->vlan_tci[i], &vid, &pcp);
            put(o, "%s0x%04x:%u/%u", i ? "," : "", s->vlan_tpid[i], vid, pcp);
        }
        put(o, "]");
        if (s->vlan_input_pops)
            put(o, " vlan_pops=%u", s->vlan_input_pops);
    }
    if (s->n_mpls || s->mpls_input_pops) {
        put(o, " mpls=[");
        for (unsigned i = 0; i < stored(s->n_mpls, DPS_ODP_MAX_MPLS); i++)
            put(o, "%s%u", i ? "," : "", s->mpls_lse[i] >> 12);
        put(o, "]");
        if (s->mpls_input_pops)
            put(o, " mpls_pops=%u", s->mpls_input_pops);
    }
}

static void format_text(struct out *o, const struct dps_odp_summary *s)
{
    put(o, "out=%u[", s->n_outputs);
    for (unsigned i = 0; i < stored(s->n_outputs, DPS_ODP_MAX_OUTPUTS); i++) {
        const struct dps_odp_output *op = &s->outputs[i];
        put(o, "%s%s%u", i ? "," : "", op->flags & DPS_ODP_OUTF_BOND ? "bond" : "",
            op->port);
        if (op->tunnel != DPS_ODP_NO_TUNNEL)
            put(o, "@tnl%u", op->tunnel);
        for (size_t f = 0; f < sizeof out_flag_names / sizeof out_flag_names[0]; f++)
            if ((op->flags & out_flag_names[f].bit) && out_flag_names[f].bit != DPS_ODP_OUTF_TUNNEL
                && out_flag_names[f].bit != DPS_ODP_OUTF_BOND)
                put(o, "/%s", out_flag_names[f].name);
    }
    put(o, "]");
    for (unsigned i = 0; i < stored(s->n_tunnels, DPS_ODP_MAX_TUNNELS); i++)
        text_tunnel(o, i, &s->tunnels[i]);
    text_stacks(o, &s->final);
    if (s->flags & DPS_ODP_F_TNL_POP)
        put(o, " tnl_pop=%u", s->tnl_pop_port);
    if (s->flags & DPS_ODP_F_RECIRC)
        put(o, " recirc=0x%x", s->recirc_id);
    if (s->flags & DPS_ODP_F_PUSH_NSH)
        put(o, " nsh=spi:0x%x/si:%u/md%u", s->nsh.spi, s->nsh.si, s->nsh.md_type);
    if (s->flags & DPS_ODP_F_SFLOW_COOKIE)
        put(o, " sflow=vid:%u/out:0x%x", s->userspace.sflow_vlan_tci & 0x0FFFu,
            s->userspace.sflow_output);
    for (size_t f = 0; f < sizeof flag_names / sizeof flag_names[0]; f++) {
        uint32_t bit = flag_names[f].bit;
        /* Shown above with their values already. */
        if (bit == DPS_ODP_F_TNL_POP || bit == DPS_ODP_F_RECIRC || bit == DPS_ODP_F_TNL_PUSH ||
            bit == DPS_ODP_F_PUSH_NSH || bit == DPS_ODP_F_SFLOW_COOKIE ||
            bit == DPS_ODP_F_SET_TUNNEL)
            continue;
        if (s->flags & bit)
            put(o, " %s", flag_names[f].name);
    }
    if (s->rewrites.fields)
        put(o, " set=0x%x", s->rewrites.fields);
    if (s->status != DPS_ODP_OK)
        put(o, " error=%s@%u", dps_odp_status_name((enum dps_odp_status)s->status),
            s->error_offset);
}

static void json_tunnel(struct out *o, const struct dps_odp_tunnel *t)
{
    char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
    ip_str(t->src_ip, t->ip_version, src, sizeof src);
    ip_str(t->dst_ip, t->ip_version, dst, sizeof dst);
    put(o, "{\"origin\":\"%s\",\"proto\":\"%s\",\"ip_version\":%u,\"src\":\"%s\","
        "\"dst\":\"%s\",\"udp_src\":%u,\"udp_dst\":%u,\"has_key\":%s,\"vni\":%u,"
        "\"tos\":%u,\"ttl\":%u,\"header_len\":%u,\"geneve_opts\":%u,\"tnl_port\":%u,"
        "\"out_port\":%ld}",
        t->origin == DPS_ODP_FROM_PUSH ? "push" : "set",
        dps_odp_tnl_proto_name((enum dps_odp_tnl_proto)t->proto), t->ip_version, src, dst,
        t->udp_src, t->udp_dst, (t->flags & DPS_ODP_TNLF_KEY) ? "true" : "false", t->vni,
        t->tos, t->ttl, t->header_len, t->geneve_opts, t->tnl_port,
        t->out_port == DPS_ODP_PORT_NONE ? -1L : (long)t->out_port);
}

static void json_stacks(struct out *o, const struct dps_odp_stacks *s)
{
    put(o, "\"vlans\":[");
    for (unsigned i = 0; i < stored(s->n_vlans, DPS_ODP_MAX_VLANS); i++) {
        unsigned vid, pcp;
        vid_pcp(s->vlan_tci[i], &vid, &pcp);
        put(o, "%s{\"tpid\":%u,\"vid\":%u,\"pcp\":%u}", i ? "," : "", s->vlan_tpid[i], vid, pcp);
    }
    put(o, "],\"vlan_input_pops\":%u,\"mpls\":[", s->vlan_input_pops);
    for (unsigned i = 0; i < stored(s->n_mpls, DPS_ODP_MAX_MPLS); i++) {
        uint32_t lse = s->mpls_lse[i];
        put(o, "%s{\"label\":%u,\"tc\":%u,\"bos\":%u,\"ttl\":%u}", i ? "," : "", lse >> 12,
            (lse >> 9) & 7u, (lse >> 8) & 1u, lse & 0xFFu);
    }
    put(o, "],\"mpls_input_pops\":%u", s->mpls_input_pops);
}

static void format_json(struct out *o, const struct dps_odp_summary *s)
{
    put(o, "{\"status\":\"%s\"", dps_odp_status_name((enum dps_odp_status)s->status));
    if (s->status != DPS_ODP_OK)
        put(o, ",\"error_offset\":%u", s->error_offset);
    put(o, ",\"n_outputs\":%u,\"outputs\":[", s->n_outputs);
    for (unsigned i = 0; i < stored(s->n_outputs, DPS_ODP_MAX_OUTPUTS); i++) {
        const struct dps_odp_output *op = &s->outputs[i];
        put(o, "%s{\"port\":%u,\"tunnel\":%d,\"flags\":[", i ? "," : "", op->port,
            op->tunnel == DPS_ODP_NO_TUNNEL ? -1 : (int)op->tunnel);
        bool first = true;
        for (size_t f = 0; f < sizeof out_flag_names / sizeof out_flag_names[0]; f++) {
            if (op->flags & out_flag_names[f].bit) {
                put(o, "%s\"%s\"", first ? "" : ",", out_flag_names[f].name);
                first = false;
            }
        }
        put(o, "]}");
    }
    put(o, "],\"tunnels\":[");
    for (unsigned i = 0; i < stored(s->n_tunnels, DPS_ODP_MAX_TUNNELS); i++) {
        put(o, "%s", i ? "," : "");
        json_tunnel(o, &s->tunnels[i]);
    }
    put(o, "],");
    json_stacks(o, &s->final);
    put(o, ",\"dropped\":%s,\"flags\":[",
        (s->flags & (DPS_ODP_F_DROP | DPS_ODP_F_EMPTY)) ? "true" : "false");
    bool first = true;
    for (size_t f = 0; f < sizeof flag_names / sizeof flag_names[0]; f++) {
        if (s->flags & flag_names[f].bit) {
            put(o, "%s\"%s\"", first ? "" : ",", flag_names[f].name);
            first = false;
        }
    }
    put(o, "]");
    if (s->flags & DPS_ODP_F_RECIRC)
        put(o, ",\"recirc_id\":%u", s->recirc_id);
    if (s->flags & DPS_ODP_F_TNL_POP)
        put(o, ",\"tnl_pop_port\":%u", s->tnl_pop_port);
    if (s->flags & DPS_ODP_F_PUSH_NSH)
        put(o, ",\"nsh\":{\"spi\":%u,\"si\":%u,\"md_type\":%u}", s->nsh.spi, s->nsh.si,
            s->nsh.md_type);
    if (s->flags & DPS_ODP_F_SFLOW_COOKIE)
        put(o, ",\"sflow\":{\"vlan_tci\":%u,\"output\":%u}", s->userspace.sflow_vlan_tci,
            s->userspace.sflow_output);
    put(o, ",\"rewrites\":%u}", s->rewrites.fields);
}

size_t dps_odp_format(const struct dps_odp_summary *summary, enum dps_odp_format_style style,
                      char *buf, size_t size)
{
    struct out o = { .buf = buf, .size = size, .len = 0 };
    if (size)
        buf[0] = '\0';
    if (!summary)
        return 0;
    if (style == DPS_ODP_FMT_JSON)
        format_json(&o, summary);
    else
        format_text(&o, summary);
    return o.len;
}
