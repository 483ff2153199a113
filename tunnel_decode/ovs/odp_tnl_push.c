/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * odp_tnl_push.c - decodes the argument of TUNNEL_PUSH: the 16-byte prefix of OVS's
 * struct ovs_action_push_tnl (tnl_port, out_port, header_len, tnl_type; host order) and the
 * outer header ovs-vswitchd pre-built for the tunnel port (netdev_*_build_header in 3.1):
 * Ethernet, IPv4 or IPv6, then UDP + VXLAN / Geneve / GTP-U, or GRE (+ ERSPAN).
 *
 * The header is a template: OVS leaves the UDP source port 0 and the IP lengths / ids to
 * be filled per packet, so udp_src reads 0 here.  Every read is checked against header_len,
 * and header_len against the attribute.
 */
#include <string.h>

#include "odp_internal.h"

#define ETH_HLEN        14u
#define ETHERTYPE_IPV4  0x0800u
#define ETHERTYPE_IPV6  0x86DDu
#define IPV4_MIN_HLEN   20u
#define IPV6_HLEN       40u
#define IPV4_DF         0x4000u
#define UDP_HLEN        8u
#define VXLAN_HLEN      8u
#define GENEVE_HLEN     8u
#define GTPU_HLEN       8u
#define GRE_BASE_HLEN   4u
#define GRE_F_CSUM      0x8000u
#define GRE_F_KEY       0x2000u
#define GRE_F_SEQ       0x1000u
#define ERSPAN_BASE_HLEN 4u
#define GRE_PROTO_ERSPAN1 0x88BEu
#define GRE_PROTO_ERSPAN2 0x22EBu
#define UDP_PORT_VXLAN  4789u
#define UDP_PORT_VXLAN_LINUX 8472u
#define UDP_PORT_GENEVE 6081u
#define UDP_PORT_GTPU   2152u
#define IPPROTO_UDP_    17u
#define IPPROTO_GRE_    47u

static enum dps_odp_status decode_vxlan(const uint8_t *h, size_t left, struct dps_odp_tunnel *t)
{
    t->proto = DPS_ODP_TNL_VXLAN;
    if (left < VXLAN_HLEN)
        return DPS_ODP_ERR_TNL_HEADER;
    t->vxlan_flags = odp_ld_be16(h);
    t->vni = odp_ld_be24(h + 4);
    if (h[0] & 0x08)                 /* I flag: the VNI is valid */
        t->flags |= DPS_ODP_TNLF_KEY;
    return DPS_ODP_OK;
}

static enum dps_odp_status decode_geneve(const uint8_t *h, size_t left, struct dps_odp_tunnel *t)
{
    t->proto = DPS_ODP_TNL_GENEVE;
    if (left < GENEVE_HLEN)
        return DPS_ODP_ERR_TNL_HEADER;
    size_t opt_len = (size_t)(h[0] & 0x3F) * 4;
    if (h[1] & 0x80)
        t->flags |= DPS_ODP_TNLF_OAM;
    if (h[1] & 0x40)
        t->flags |= DPS_ODP_TNLF_CRIT;
    t->inner_proto = odp_ld_be16(h + 2);
    t->vni = odp_ld_be24(h + 4);
    t->flags |= DPS_ODP_TNLF_KEY;
    t->geneve_opt_len = (uint16_t)opt_len;
    if (opt_len > left - GENEVE_HLEN)
        return DPS_ODP_ERR_TNL_HEADER;

    /* TLVs: class(16) type(8) rsvd(3)+len(5, in words) then len*4 bytes of data. */
    const uint8_t *opt = h + GENEVE_HLEN;
    size_t pos = 0;
    while (pos < opt_len) {
        if (opt_len - pos < 4)
            return DPS_ODP_ERR_TNL_HEADER;
        size_t step = 4 + (size_t)(opt[pos + 3] & 0x1F) * 4;
        if (step > opt_len - pos)
            return DPS_ODP_ERR_TNL_HEADER;
        if (t->geneve_opts != UINT8_MAX)
            t->geneve_opts++;
        pos += step;
    }
    return DPS_ODP_OK;
}

static enum dps_odp_status decode_udp(const uint8_t *h, size_t left, uint32_t tnl_type,
                                      struct dps_odp_tunnel *t)
{
    if (left < UDP_HLEN)
        return DPS_ODP_ERR_TNL_HEADER;
    t->udp_src = odp_ld_be16(h);
    t->udp_dst = odp_ld_be16(h + 2);
    /* IPv4 templates carry 0 unless checksums were asked for; IPv6 ones carry 0xffff,
     * OVS's marker for "compute it" (UDP over IPv6 needs one). */
    if (odp_ld_be16(h + 6) != 0)
        t->flags |= DPS_ODP_TNLF_CSUM;
    h += UDP_HLEN;
    left -= UDP_HLEN;

    /* tnl_type is what OVS itself goes by; the port is the fallback for other types. */
    if (tnl_type == ODP_VPORT_VXLAN)
        return decode_vxlan(h, left, t);
    if (tnl_type == ODP_VPORT_GENEVE)
        return decode_geneve(h, left, t);
    if (tnl_type != ODP_VPORT_GTPU) {
        if (t->udp_dst == UDP_PORT_VXLAN || t->udp_dst == UDP_PORT_VXLAN_LINUX)
            return decode_vxlan(h, left, t);
        if (t->udp_dst == UDP_PORT_GENEVE)
            return decode_geneve(h, left, t);
        if (t->udp_dst != UDP_PORT_GTPU) {
            t->proto = DPS_ODP_TNL_OTHER;
            return DPS_ODP_OK;
        }
    }
    t->proto = DPS_ODP_TNL_GTPU;
    if (left < GTPU_HLEN)
        return DPS_ODP_ERR_TNL_HEADER;
    t->vni = odp_ld_be32(h + 4);     /* TEID */
    t->flags |= DPS_ODP_TNLF_KEY;
    return DPS_ODP_OK;
}

static enum dps_odp_status decode_gre(const uint8_t *h, size_t left, uint32_t tnl_type,
                                      struct dps_odp_tunnel *t)
{
    t->proto = DPS_ODP_TNL_GRE;
    if (left < GRE_BASE_HLEN)
        return DPS_ODP_ERR_TNL_HEADER;
    uint16_t gre_flags = odp_ld_be16(h);
    t->inner_proto = odp_ld_be16(h + 2);
    size_t off = GRE_BASE_HLEN;
    if (gre_flags & GRE_F_CSUM) {
        t->flags |= DPS_ODP_TNLF_CSUM;
        off += 4;                    /* checksum + reserved1 */
    }
    if (gre_flags & GRE_F_KEY) {
        if (left < off + 4)
            return DPS_ODP_ERR_TNL_HEADER;
        t->vni = odp_ld_be32(h + off);
        t->flags |= DPS_ODP_TNLF_KEY;
        off += 4;
    }
    if (gre_flags & GRE_F_SEQ)
        off += 4;
    if (left < off)
        return DPS_ODP_ERR_TNL_HEADER;

    bool erspan = tnl_type == ODP_VPORT_ERSPAN || tnl_type == ODP_VPORT_IP6ERSPAN ||
                  t->inner_proto == GRE_PROTO_ERSPAN1 || t->inner_proto == GRE_PROTO_ERSPAN2;
    if (!erspan)
        return DPS_ODP_OK;
    /* ERSPAN base header: ver(4) vlan(12) cos(3) en(2) t(1) session id(10). */
    t->proto = DPS_ODP_TNL_ERSPAN;
    if (left - off < ERSPAN_BASE_HLEN)
        return DPS_ODP_ERR_TNL_HEADER;
    t->vni = odp_ld_be16(h + off + 2) & 0x3FFu;
    t->flags |= DPS_ODP_TNLF_KEY;
    return DPS_ODP_OK;
}

enum dps_odp_status odp_decode_tnl_push(const uint8_t *p, size_t len, struct dps_odp_tunnel *t)
{
    t->origin = DPS_ODP_FROM_PUSH;
    if (len < ODP_TNL_OFF_HEADER)
        return DPS_ODP_ERR_ATTR_SIZE;
    t->tnl_port = odp_ld_h32(p + ODP_TNL_OFF_TNL_PORT);
    t->out_port = odp_ld_h32(p + ODP_TNL_OFF_OUT_PORT);
    uint32_t header_len = odp_ld_h32(p + ODP_TNL_OFF_HEADER_LEN);
    t->tnl_type = odp_ld_h32(p + ODP_TNL_OFF_TNL_TYPE);
    if (header_len > ODP_TNL_HEADER_MAX || header_len > len - ODP_TNL_OFF_HEADER)
        return DPS_ODP_ERR_TNL_HEADER;
    t->header_len = (uint16_t)header_len;

    const uint8_t *h = p + ODP_TNL_OFF_HEADER;
    size_t left = header_len;
    if (left < ETH_HLEN)
        return DPS_ODP_ERR_TNL_HEADER;
    memcpy(t->eth_dst, h, 6);
    memcpy(t->eth_src, h + 6, 6);
    uint16_t ethertype = odp_ld_be16(h + 12);
    h += ETH_HLEN;
    left -= ETH_HLEN;

    if (ethertype == ETHERTYPE_IPV4) {
        if (left < IPV4_MIN_HLEN)
            return DPS_ODP_ERR_TNL_HEADER;
        size_t ihl = (size_t)(h[0] & 0x0F) * 4;
        t->ip_version = 4;
        t->tos = h[1];
        if (odp_ld_be16(h + 6) & IPV4_DF)
            t->flags |= DPS_ODP_TNLF_DF;
        t->ttl = h[8];
        t->ip_proto = h[9];
        memcpy(t->src_ip, h + 12, 4);
        memcpy(t->dst_ip, h + 16, 4);
        if (ihl < IPV4_MIN_HLEN || ihl > left)
            return DPS_ODP_ERR_TNL_HEADER;
        h += ihl;
        left -= ihl;
    } else if (ethertype == ETHERTYPE_IPV6) {
        if (left < IPV6_HLEN)
            return DPS_ODP_ERR_TNL_HEADER;
        t->ip_version = 6;
        t->tos = (uint8_t)((h[0] & 0x0F) << 4 | h[1] >> 4);
        t->ip_proto = h[6];
        t->ttl = h[7];
        memcpy(t->src_ip, h + 8, 16);
        memcpy(t->dst_ip, h + 24, 16);
        h += IPV6_HLEN;
        left -= IPV6_HLEN;
    } else {
        t->proto = DPS_ODP_TNL_OTHER;   /* not a layout OVS 3.1 builds; nothing to read */
        return DPS_ODP_OK;
    }

    if (t->ip_proto == IPPROTO_UDP_)
        return decode_udp(h, left, t->tnl_type, t);
    if (t->ip_proto == IPPROTO_GRE_)
        return decode_gre(h, left, t->tnl_type, t);
    t->proto = DPS_ODP_TNL_OTHER;
    return DPS_ODP_OK;
}
