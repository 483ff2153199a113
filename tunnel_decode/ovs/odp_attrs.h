/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * odp_attrs.h - netlink attribute numbers and payload layouts of OVS datapath actions, as
 * ovs-vswitchd 3.1.0 uses them in-process (userspace datapath).
 *
 * Source of the facts (Debian's openvswitch-source 3.1.0, /usr/src/openvswitch/):
 *   include/linux/openvswitch.h  enum ovs_action_attr (userspace-only entries TUNNEL_PUSH..
 *                                LB_OUTPUT follow ADD_MPLS because __KERNEL__ is unset),
 *                                ovs_key_attr, ovs_tunnel_key_attr, ovs_sample_attr,
 *                                ovs_userspace_attr, ovs_ct_attr, ovs_nat_attr,
 *                                ovs_check_pkt_len_attr, ovs_nsh_key_attr, ovs_vport_type,
 *                                struct ovs_action_push_tnl and the other action structs.
 *                                (lib/odp-netlink.h is generated from this file at build
 *                                time; in 3.1 the datapath/ tree is gone.)
 *   lib/odp-util.c               odp_action_len() (payload sizes), odp_put_tnl_push_action()
 *                                (attribute = the 16-byte push_tnl prefix + header_len
 *                                bytes), tun_key_to_attr(), format_odp_tnl_push_header().
 *   lib/odp-util.h               struct user_action_cookie (48 bytes).
 *   lib/packets.h                Ethernet / IPv4 / IPv6 / UDP / VXLAN / Geneve / GRE layouts.
 * These are this project's own definitions of those numbers; nothing is included from OVS.
 */
#ifndef DPS_ODP_ATTRS_H
#define DPS_ODP_ATTRS_H

/* Netlink framing (netlink(7)): header = u16 len, u16 type, payload aligned to 4. */
#define ODP_NLA_HDRLEN      4u
#define ODP_NLA_ALIGN(n)    (((n) + 3u) & ~(size_t)3u)
#define ODP_NLA_TYPE_MASK   0x3FFFu    /* strips NLA_F_NESTED / NLA_F_NET_BYTEORDER */

/* enum ovs_action_attr (userspace numbering) */
enum odp_action {
    ODP_A_UNSPEC = 0,
    ODP_A_OUTPUT = 1,          /* u32 odp port */
    ODP_A_USERSPACE = 2,       /* nested ODP_US_* */
    ODP_A_SET = 3,             /* one nested ODP_KEY_* */
    ODP_A_PUSH_VLAN = 4,       /* be16 tpid, be16 tci */
    ODP_A_POP_VLAN = 5,        /* empty */
    ODP_A_SAMPLE = 6,          /* nested ODP_SAMPLE_* */
    ODP_A_RECIRC = 7,          /* u32 recirc id */
    ODP_A_HASH = 8,            /* u32 alg, u32 basis */
    ODP_A_PUSH_MPLS = 9,       /* be32 lse, be16 ethertype, 2 pad (sizeof = 8) */
    ODP_A_POP_MPLS = 10,       /* be16 ethertype */
    ODP_A_SET_MASKED = 11,     /* one nested ODP_KEY_*: value then mask */
    ODP_A_CT = 12,             /* nested ODP_CT_* */
    ODP_A_TRUNC = 13,          /* u32 max_len */
    ODP_A_PUSH_ETH = 14,       /* 6 src, 6 dst */
    ODP_A_POP_ETH = 15,        /* empty */
    ODP_A_CT_CLEAR = 16,       /* empty */
    ODP_A_PUSH_NSH = 17,       /* nested ODP_NSH_* */
    ODP_A_POP_NSH = 18,        /* empty */
    ODP_A_METER = 19,          /* u32 meter id */
    ODP_A_CLONE = 20,          /* userspace: the nested action list itself */
    ODP_A_CHECK_PKT_LEN = 21,  /* nested ODP_CPL_* */
    ODP_A_ADD_MPLS = 22,       /* be32 lse, be16 ethertype, u16 tun_flags */
    ODP_A_TUNNEL_PUSH = 23,    /* struct ovs_action_push_tnl prefix + header */
    ODP_A_TUNNEL_POP = 24,     /* u32 odp port */
    ODP_A_DROP = 25,           /* u32 enum xlate_error */
    ODP_A_LB_OUTPUT = 26,      /* u32 bond id */
    ODP_A_MAX = 26,
};

/* Payload sizes of fixed-size actions (odp_action_len()). */
#define ODP_SZ_U32          4u
#define ODP_SZ_PUSH_VLAN    4u
#define ODP_SZ_HASH         8u
#define ODP_SZ_PUSH_MPLS    8u
#define ODP_SZ_POP_MPLS     2u
#define ODP_SZ_PUSH_ETH     12u
#define ODP_SZ_ADD_MPLS     8u

/* struct ovs_action_push_tnl: u32 tnl_port, u32 out_port, u32 header_len, u32 tnl_type,
 * then header_len bytes (at most TNL_PUSH_HEADER_SIZE). All u32 in host order. */
#define ODP_TNL_OFF_TNL_PORT   0u
#define ODP_TNL_OFF_OUT_PORT   4u
#define ODP_TNL_OFF_HEADER_LEN 8u
#define ODP_TNL_OFF_TNL_TYPE   12u
#define ODP_TNL_OFF_HEADER     16u
#define ODP_TNL_HEADER_MAX     512u

/* enum ovs_vport_type values OVS writes into tnl_type */
#define ODP_VPORT_GRE        3u
#define ODP_VPORT_VXLAN      4u
#define ODP_VPORT_GENEVE     5u
#define ODP_VPORT_ERSPAN     107u
#define ODP_VPORT_IP6ERSPAN  108u
#define ODP_VPORT_IP6GRE     109u
#define ODP_VPORT_GTPU       110u

/* enum ovs_key_attr (the subset a SET / SET_MASKED can carry that we decode) */
enum odp_key {
    ODP_KEY_ETHERNET = 4,      /* 6 src, 6 dst */
    ODP_KEY_IPV4 = 7,          /* be32 src, be32 dst, u8 proto, tos, ttl, frag (12) */
    ODP_KEY_IPV6 = 8,          /* 16 src, 16 dst, be32 label, u8 proto, tclass, hlimit,
                                * frag (40) */
    ODP_KEY_TCP = 9,           /* be16 src, be16 dst */
    ODP_KEY_UDP = 10,
    ODP_KEY_TUNNEL = 16,       /* nested ODP_TUN_* (SET only) */
    ODP_KEY_SCTP = 17,
    ODP_KEY_MPLS = 21,         /* be32 lse (array; a set carries one) */
    ODP_KEY_NSH = 28,          /* nested ODP_NSH_* (value+mask each under SET_MASKED) */
};
#define ODP_KEY_SZ_ETHERNET 12u
#define ODP_KEY_SZ_IPV4     12u
#define ODP_KEY_SZ_IPV6     40u
#define ODP_KEY_SZ_L4       4u
#define ODP_KEY_SZ_MPLS     4u

/* enum ovs_tunnel_key_attr (starts at 0: no UNSPEC) */
enum odp_tun {
    ODP_TUN_ID = 0,            /* be64 */
    ODP_TUN_IPV4_SRC = 1,      /* be32 */
    ODP_TUN_IPV4_DST = 2,
    ODP_TUN_TOS = 3,           /* u8 */
    ODP_TUN_TTL = 4,           /* u8 */
    ODP_TUN_DONT_FRAGMENT = 5, /* flag */
    ODP_TUN_CSUM = 6,          /* flag */
    ODP_TUN_OAM = 7,           /* flag */
    ODP_TUN_GENEVE_OPTS = 8,   /* Geneve TLVs as on the wire */
    ODP_TUN_TP_SRC = 9,        /* be16 */
    ODP_TUN_TP_DST = 10,       /* be16 */
    ODP_TUN_VXLAN_OPTS = 11,   /* nested (GBP) */
    ODP_TUN_IPV6_SRC = 12,     /* 16 bytes */
    ODP_TUN_IPV6_DST = 13,
    ODP_TUN_PAD = 14,
    ODP_TUN_ERSPAN_OPTS = 15,
    ODP_TUN_GTPU_OPTS = 16,
};

enum odp_sample { ODP_SAMPLE_PROBABILITY = 1 /* u32 */, ODP_SAMPLE_ACTIONS = 2 };
enum odp_userspace {
    ODP_US_PID = 1,            /* u32 */
    ODP_US_USERDATA = 2,       /* opaque cookie, padded by OVS to >= 8 bytes */
    ODP_US_EGRESS_TUN_PORT = 3,/* u32 */
    ODP_US_ACTIONS = 4,        /* flag */
};
enum odp_ct {
    ODP_CT_COMMIT = 1, ODP_CT_ZONE = 2 /* u16 */, ODP_CT_MARK = 3, ODP_CT_LABELS = 4,
    ODP_CT_HELPER = 5, ODP_CT_NAT = 6 /* nested ODP_NAT_* */, ODP_CT_FORCE_COMMIT = 7,
    ODP_CT_EVENTMASK = 8, ODP_CT_TIMEOUT = 9,
};
enum odp_nat { ODP_NAT_SRC = 1, ODP_NAT_DST = 2 };
enum odp_cpl {
    ODP_CPL_PKT_LEN = 1,       /* u16 */
    ODP_CPL_IF_GREATER = 2,    /* nested actions */
    ODP_CPL_IF_LESS_EQUAL = 3, /* nested actions */
};
enum odp_nsh {
    ODP_NSH_BASE = 1,          /* u8 flags, ttl, mdtype, np, be32 path_hdr (8) */
    ODP_NSH_MD1 = 2,           /* 4 x be32 context (16) */
    ODP_NSH_MD2 = 3,           /* variable */
};
#define ODP_NSH_SZ_BASE 8u

/* struct user_action_cookie (lib/odp-util.h): u16 type, 2 pad, u32 ofp_in_port,
 * 16-byte ofproto uuid, then a union; sFlow member: be16 vlan_tci, 2 pad, u32 output. */
#define ODP_COOKIE_SIZE          48u
#define ODP_COOKIE_OFF_TYPE      0u
#define ODP_COOKIE_OFF_IN_PORT   4u
#define ODP_COOKIE_OFF_SFLOW_TCI 24u
#define ODP_COOKIE_OFF_SFLOW_OUT 28u
#define ODP_COOKIE_TYPE_SFLOW    1u

#endif /* DPS_ODP_ATTRS_H */
