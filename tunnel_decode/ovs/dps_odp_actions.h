/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dps_odp_actions.h - decoder for Open vSwitch datapath action lists (issue 4, part 3).
 *
 * Input: the netlink attribute stream ovs-vswitchd 3.1's userspace datapath (dpif-netdev)
 * builds for a flow's actions: each attribute is u16 nla_len (header included), u16 nla_type,
 * payload padded to 4 bytes, header fields in HOST byte order (OVS keeps the list in-process;
 * it is never sent to a kernel).  Attribute numbers and layouts: see odp_attrs.h.
 *
 * Output: struct dps_odp_summary, fixed size, no allocation.  The decoder never reads outside
 * [actions, actions + len), recursion is bounded by DPS_ODP_MAX_DEPTH, every loop advances by
 * at least 4 bytes.  On a framing error it stops, sets status/error_offset and leaves
 * everything decoded before the bad attribute in place.
 *
 * What is summarised, and how:
 *  - outputs[]: every OUTPUT and LB_OUTPUT in execution order, across nested lists, with flags
 *    saying whether it runs only conditionally (CHECK_PKT_LEN branch, probabilistic SAMPLE),
 *    inside a CLONE, and which egress tunnel (tunnels[] index) wraps it.  n_outputs counts all
 *    of them even past DPS_ODP_MAX_OUTPUTS.  TUNNEL_PUSH is not an output: dpif-netdev only
 *    prepends the header; the OUTPUT after it sends the packet (its out_port is informational).
 *  - tunnels[]: every TUNNEL_PUSH (whole pushed header decoded) and every SET(tunnel key).
 *    A set tunnel key applies to the outputs that follow it in the same list (and lists nested
 *    below it); its out_port is filled from the first such output.
 *    Only the first min(n_outputs, MAX_OUTPUTS) outputs and min(n_tunnels, MAX_TUNNELS)
 *    tunnels are written; later array entries are left as they were (not cleared, to keep
 *    the per-sample cost down).  Every other field is always written.
 *  - final: VLAN and MPLS stacks after the top-level list ran.  CLONE and SAMPLE work on a copy
 *    of the packet, and CHECK_PKT_LEN's branches are alternatives, so their pushes/pops are
 *    visible only in the outputs they contain (per-output vlan/mpls fields), never in final.
 *    A pop with nothing pushed before it counts as a pop of the input packet's own tag.
 *    A TUNNEL_PUSH starts a new outer header: the stacks restart empty after it, so a
 *    push_vlan that follows tags the underlay frame.
 *  - DEC_TTL: OVS 3.1 has no datapath DEC_TTL action (it arrived in later trees); ovs-vswitchd
 *    3.1 turns OpenFlow dec_ttl into SET_MASKED(ipv4(ttl)) / (ipv6(hlimit)), reported as a TTL
 *    rewrite (DPS_ODP_RW_TTL).  An attribute number without meaning in 3.1 is skipped.
 *  - USERSPACE: pid, EGRESS_TUN_PORT, the ACTIONS flag, and the userdata cookie when it has
 *    the 48-byte layout of OVS 3.1's struct user_action_cookie (lib/odp-util.h): cookie type,
 *    ofp_in_port, and for type 1 (sFlow) the destination vlan_tci (network order in the cookie,
 *    reported numerically) and the sFlow 'output' word (0x80000000|n = n outputs,
 *    0x40000000|reason = discarded, else an ifIndex / OpenFlow port).
 */
#ifndef DPS_ODP_ACTIONS_H
#define DPS_ODP_ACTIONS_H

#include <stddef.h>
#include <stdint.h>

#define DPS_ODP_MAX_OUTPUTS 8   /* outputs stored; n_outputs keeps counting past it */
#define DPS_ODP_MAX_TUNNELS 4   /* egress tunnels stored; n_tunnels keeps counting */
#define DPS_ODP_MAX_VLANS   4   /* pushed VLAN tags tracked per stack */
#define DPS_ODP_MAX_MPLS    8   /* pushed MPLS LSEs tracked per stack */
#define DPS_ODP_MAX_DEPTH   8   /* nested CLONE / SAMPLE / CHECK_PKT_LEN lists */
#define DPS_ODP_NO_TUNNEL   0xFF
#define DPS_ODP_PORT_NONE   0xFFFFFFFFu

enum dps_odp_status {
    DPS_ODP_OK = 0,
    DPS_ODP_ERR_TRUNCATED,   /* 1-3 bytes left: too short for an attribute header */
    DPS_ODP_ERR_LEN_SHORT,   /* nla_len < 4 */
    DPS_ODP_ERR_LEN_BEYOND,  /* nla_len runs past the enclosing buffer */
    DPS_ODP_ERR_ATTR_SIZE,   /* known fixed-size attribute with another payload size */
    DPS_ODP_ERR_TOO_DEEP,    /* nested action lists deeper than DPS_ODP_MAX_DEPTH */
    DPS_ODP_ERR_TNL_HEADER,  /* tnl_push: header_len > attribute / 512, or header shorter
                              * than the layers it declares */
    DPS_ODP_ERR_BAD_ARG,     /* NULL summary, or NULL actions with len > 0 */
};

enum dps_odp_tnl_proto {
    DPS_ODP_TNL_NONE = 0,
    DPS_ODP_TNL_VXLAN,
    DPS_ODP_TNL_GENEVE,
    DPS_ODP_TNL_GRE,
    DPS_ODP_TNL_ERSPAN,
    DPS_ODP_TNL_GTPU,
    DPS_ODP_TNL_OTHER,       /* set(tunnel) without a hint, or an unknown pushed L4 */
};

enum dps_odp_tnl_origin { DPS_ODP_FROM_PUSH = 1, DPS_ODP_FROM_SET = 2 };

/* dps_odp_tunnel.flags */
#define DPS_ODP_TNLF_KEY     0x01  /* vni holds a VNI / GRE key / session / TEID */
#define DPS_ODP_TNLF_DF      0x02  /* outer IPv4 don't-fragment */
#define DPS_ODP_TNLF_CSUM    0x04  /* outer UDP/GRE checksum requested */
#define DPS_ODP_TNLF_OAM     0x08  /* Geneve O bit / set(tunnel(oam)) */
#define DPS_ODP_TNLF_CRIT    0x10  /* Geneve C bit */
#define DPS_ODP_TNLF_GBP     0x20  /* set(tunnel): VXLAN group policy extension present */

struct dps_odp_tunnel {
    uint8_t  proto;            /* enum dps_odp_tnl_proto */
    uint8_t  origin;           /* enum dps_odp_tnl_origin */
    uint8_t  ip_version;       /* 4 or 6; 0 when a set(tunnel) carried no address */
    uint8_t  flags;            /* DPS_ODP_TNLF_* */
    uint8_t  tos;              /* IPv4 TOS / IPv6 traffic class */
    uint8_t  ttl;              /* IPv4 TTL / IPv6 hop limit */
    uint8_t  ip_proto;         /* outer IP protocol (17, 47) from the pushed header */
    uint8_t  geneve_opts;      /* number of Geneve TLV options */
    uint8_t  src_ip[16];       /* network order; IPv4 uses the first 4 bytes */
    uint8_t  dst_ip[16];
    uint16_t udp_src;          /* numeric (host) value. tnl_push leaves 0: dpif-netdev
                                * picks the source port per packet from the flow hash */
    uint16_t udp_dst;          /* numeric: VXLAN reads 4789, never 46354 */
    uint16_t header_len;       /* bytes tnl_push prepends (0 for a set tunnel key) */
    uint16_t inner_proto;      /* GRE protocol / Geneve protocol type (0x6558 = Ethernet) */
    uint16_t geneve_opt_len;   /* bytes of Geneve options */
    uint16_t vxlan_flags;      /* first 16 bits of the VXLAN header (0x0800 = I flag) */
    uint32_t vni;              /* 24-bit VNI, 32-bit GRE key, ERSPAN session, GTP-U TEID */
    uint64_t tun_id;           /* set(tunnel): the 64-bit tun_id as given */
    uint32_t tnl_port;         /* tnl_push: tunnel (vport) port number */
    uint32_t out_port;         /* tnl_push: out_port field; set: first following output */
    uint32_t tnl_type;         /* tnl_push: OVS_VPORT_TYPE_* as OVS wrote it */
    uint8_t  eth_dst[6];       /* pushed Ethernet header */
    uint8_t  eth_src[6];
};

/* dps_odp_output.flags */
#define DPS_ODP_OUTF_COND_GT   0x01  /* in CHECK_PKT_LEN's "greater than" branch */
#define DPS_ODP_OUTF_COND_LE   0x02  /* in CHECK_PKT_LEN's "less or equal" branch */
#define DPS_ODP_OUTF_SAMPLED   0x04  /* inside SAMPLE with probability < 100 % */
#define DPS_ODP_OUTF_CLONE     0x08  /* inside CLONE or SAMPLE (runs on a copy) */
#define DPS_ODP_OUTF_BOND      0x10  /* LB_OUTPUT: port is the bond id */
#define DPS_ODP_OUTF_TUNNEL    0x20  /* 'tunnel' indexes the egress tunnel around it */
#define DPS_ODP_OUTF_TRUNC     0x40  /* a TRUNC before it limits the packet length */
#define DPS_ODP_OUTF_CONDITIONAL (DPS_ODP_OUTF_COND_GT | DPS_ODP_OUTF_COND_LE | \
                                  DPS_ODP_OUTF_SAMPLED)

struct dps_odp_output {
    uint32_t port;             /* odp port number, or bond id with DPS_ODP_OUTF_BOND */
    uint32_t mpls_top;         /* top pushed MPLS LSE at this output (valid if n_mpls) */
    uint16_t vlan_tci;         /* outermost pushed VLAN TCI at this output (valid if n_vlans) */
    uint8_t  flags;            /* DPS_ODP_OUTF_* */
    uint8_t  tunnel;           /* tunnels[] index or DPS_ODP_NO_TUNNEL */
    uint8_t  depth;            /* nesting depth of the list holding it (0 = top) */
    uint8_t  n_vlans;          /* pushed tags still on the packet at this output */
    uint8_t  n_mpls;           /* pushed labels still on the packet at this output */
    uint8_t  pad;
};

/* Header stacks relative to the input packet.  Index 0 is the outermost tag / top label. */
struct dps_odp_stacks {
    uint8_t  n_vlans;          /* tags pushed and still present (may exceed MAX_VLANS) */
    uint8_t  vlan_input_pops;  /* pop_vlan that removed one of the input's own tags */
    uint8_t  n_mpls;           /* labels pushed and still present (may exceed MAX_MPLS) */
    uint8_t  mpls_input_pops;  /* pop_mpls that removed one of the input's own labels */
    uint16_t vlan_tpid[DPS_ODP_MAX_VLANS];
    uint16_t vlan_tci[DPS_ODP_MAX_VLANS];   /* as OVS passes it: CFI bit (0x1000) set */
    uint32_t mpls_lse[DPS_ODP_MAX_MPLS];    /* label<<12 | tc<<9 | bos<<8 | ttl */
    uint16_t mpls_ethertype;   /* ethertype given by the last push/pop_mpls (0 none) */
    uint8_t  lost;             /* pops went below entries that overflowed the arrays */
    uint8_t  pad;
};

/* dps_odp_rewrites.fields: headers changed by SET / SET_MASKED (value and mask kept) */
#define DPS_ODP_RW_ETH_SRC   0x0001
#define DPS_ODP_RW_ETH_DST   0x0002
#define DPS_ODP_RW_IPV4_SRC  0x0004
#define DPS_ODP_RW_IPV4_DST  0x0008
#define DPS_ODP_RW_IPV6_SRC  0x0010
#define DPS_ODP_RW_IPV6_DST  0x0020
#define DPS_ODP_RW_TOS       0x0040  /* IPv4 TOS / IPv6 traffic class */
#define DPS_ODP_RW_TTL       0x0080  /* IPv4 TTL / IPv6 hop limit (what dec_ttl becomes) */
#define DPS_ODP_RW_IPV6_LABEL 0x0100
#define DPS_ODP_RW_L4_SRC    0x0200
#define DPS_ODP_RW_L4_DST    0x0400
#define DPS_ODP_RW_MPLS      0x0800  /* top label stack entry of the input packet */
#define DPS_ODP_RW_NSH       0x1000
#define DPS_ODP_RW_OTHER     0x2000  /* a key this decoder does not track (mark, ARP, ...) */

struct dps_odp_rewrites {
    uint16_t fields;           /* DPS_ODP_RW_* */
    uint8_t  l4_proto;         /* 6 TCP, 17 UDP, 132 SCTP: which key set the ports */
    uint8_t  ttl;              /* valid with RW_TTL */
    uint8_t  tos, tos_mask;    /* valid with RW_TOS */
    uint8_t  eth_src[6], eth_src_mask[6], eth_dst[6], eth_dst_mask[6];
    uint8_t  ipv4_src[4], ipv4_src_mask[4], ipv4_dst[4], ipv4_dst_mask[4];
    uint8_t  ipv6_src[16], ipv6_src_mask[16], ipv6_dst[16], ipv6_dst_mask[16];
    uint32_t ipv6_label;       /* valid with RW_IPV6_LABEL */
    uint16_t l4_src, l4_src_mask, l4_dst, l4_dst_mask;  /* numeric */
    uint32_t mpls_lse, mpls_lse_mask;
};

/* dps_odp_summary.flags */
#define DPS_ODP_F_EMPTY        0x00000001u  /* the list had no action: OVS drops */
#define DPS_ODP_F_DROP         0x00000002u  /* explicit DROP action */
#define DPS_ODP_F_RECIRC       0x00000004u
#define DPS_ODP_F_CT           0x00000008u
#define DPS_ODP_F_CT_COMMIT    0x00000010u
#define DPS_ODP_F_CT_NAT       0x00000020u
#define DPS_ODP_F_CT_CLEAR     0x00000040u
#define DPS_ODP_F_TRUNC        0x00000080u
#define DPS_ODP_F_METER        0x00000100u
#define DPS_ODP_F_HASH         0x00000200u
#define DPS_ODP_F_USERSPACE    0x00000400u
#define DPS_ODP_F_SFLOW_COOKIE 0x00000800u  /* a userspace cookie of type sFlow was decoded */
#define DPS_ODP_F_TNL_POP      0x00001000u
#define DPS_ODP_F_TNL_PUSH     0x00002000u
#define DPS_ODP_F_SET_TUNNEL   0x00004000u
#define DPS_ODP_F_CHECK_PKT_LEN 0x00008000u
#define DPS_ODP_F_CLONE        0x00010000u
#define DPS_ODP_F_SAMPLE       0x00020000u
#define DPS_ODP_F_PUSH_ETH     0x00040000u
#define DPS_ODP_F_POP_ETH      0x00080000u
#define DPS_ODP_F_PUSH_NSH     0x00100000u
#define DPS_ODP_F_POP_NSH      0x00200000u
#define DPS_ODP_F_LB_OUTPUT    0x00400000u
#define DPS_ODP_F_ADD_MPLS     0x00800000u
#define DPS_ODP_F_UNKNOWN      0x01000000u  /* an attribute type unknown to OVS 3.1 skipped */

struct dps_odp_summary {
    uint8_t  status;           /* enum dps_odp_status */
    uint8_t  max_depth;        /* deepest nesting seen */
    uint8_t  n_tunnels;        /* egress tunnels seen (tunnels[] holds the first MAX) */
    uint8_t  pad0;
    uint32_t error_offset;     /* byte offset of the offending attribute when status != OK */
    uint32_t flags;            /* DPS_ODP_F_* */
    uint32_t n_actions;        /* attributes walked, nested ones included */

    uint32_t n_outputs;        /* OUTPUT + LB_OUTPUT seen (outputs[] holds the first MAX) */
    struct dps_odp_output outputs[DPS_ODP_MAX_OUTPUTS];
    struct dps_odp_tunnel tunnels[DPS_ODP_MAX_TUNNELS];

    struct dps_odp_stacks final;      /* VLAN / MPLS after the top-level list */
    struct dps_odp_rewrites rewrites; /* accumulated over every list walked */

    uint32_t tnl_pop_port;     /* valid with F_TNL_POP (last one) */
    uint32_t recirc_id;        /* valid with F_RECIRC (last one) */
    uint32_t drop_reason;      /* DROP's xlate_error (0 = XLATE_OK) */
    uint32_t meter_id;         /* valid with F_METER (last one) */
    uint32_t trunc_max_len;    /* valid with F_TRUNC (last one) */
    uint32_t hash_alg;         /* 0 = l4, 1 = sym_l4 */
    uint32_t hash_basis;
    uint16_t ct_zone;          /* valid with F_CT (last ct action that set one) */
    uint16_t check_pkt_len;    /* CHECK_PKT_LEN threshold (last one) */
    uint32_t sample_probability; /* first SAMPLE: UINT32_MAX = 100 % */

    uint8_t  push_eth_src[6], push_eth_dst[6];

    struct {
        uint32_t spi;          /* 24-bit service path id */
        uint8_t  si;           /* service index */
        uint8_t  md_type;      /* 1 or 2 */
        uint8_t  next_proto;
        uint8_t  ttl;
        uint8_t  flags;
        uint8_t  md2_len;      /* bytes of MD type 2 context (clamped at 255) */
        uint16_t pad;
    } nsh;                     /* last PUSH_NSH, or SET(nsh) */

    struct {
        uint32_t n;            /* USERSPACE actions seen */
        uint32_t pid;          /* of the first one */
        uint32_t egress_tun_port; /* DPS_ODP_PORT_NONE when absent */
        uint16_t cookie_type;  /* user_action_cookie.type; 0 if no 48-byte cookie */
        uint16_t sflow_vlan_tci;  /* sFlow cookie: destination VLAN TCI (numeric) */
        uint32_t ofp_in_port;  /* cookie's OpenFlow in_port */
        uint32_t sflow_output; /* sFlow cookie: sFlow 'output' word */
        uint8_t  want_actions; /* USERSPACE_ATTR_ACTIONS flag present */
        uint8_t  pad[3];
    } userspace;               /* first USERSPACE action (its sFlow cookie if any) */
};

/* Decodes 'len' bytes of datapath actions into *summary (fully overwritten).  Returns the
 * status, also stored in summary->status. */
enum dps_odp_status dps_odp_decode(const void *actions, size_t len,
                                   struct dps_odp_summary *summary);

enum dps_odp_format_style { DPS_ODP_FMT_TEXT = 0, DPS_ODP_FMT_JSON = 1 };

/* Writes a one-line description (TEXT) or a JSON object (JSON) of *summary into buf, always
 * NUL-terminated when size > 0.  Returns the length the full string needs (like snprintf);
 * a return >= size means it was cut. */
size_t dps_odp_format(const struct dps_odp_summary *summary, enum dps_odp_format_style style,
                      char *buf, size_t size);

const char *dps_odp_status_name(enum dps_odp_status status);
const char *dps_odp_tnl_proto_name(enum dps_odp_tnl_proto proto);

#endif /* DPS_ODP_ACTIONS_H */
