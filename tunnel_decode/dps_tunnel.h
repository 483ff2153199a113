/* dps_tunnel.h - bounds-checked packet decoder and sFlow sample view (public API).
 *
 * The exporter lcore calls dps_decode_sample_view() (the same walk, keeping only the sample
 * view) once per exported sample on bytes any tenant can craft; dps_decode_packet() gives
 * every layer. The decoder never reads outside [pkt, pkt + captured_len), keeps no global state
 * (reentrant, thread-safe; the config is read-only), allocates nothing and terminates: every
 * loop consumes at least one byte of header per iteration and tunnel nesting is bounded.
 *
 * Output is a flat, fixed-size struct dps_decoded: the sequence of layers (type, byte offset,
 * length, flags, decoded fields). Only layers[0 .. n_layers-1] are written; the union member of
 * a layer matching its type is valid unless DPS_LAYER_PARTIAL is set (fixed header cut short:
 * all fields are zero). Bounded arrays (VLAN tags, MPLS labels, IPv6 extension headers, Geneve
 * options, NSH MD2 context headers) store the first DPS_MAX_* entries and count the rest.
 *
 * Lengths: a header that runs past the captured bytes is TRUNCATED (normal for sampled headers);
 * a header or length field that runs past the frame or the enclosing header's declared length
 * (IPv4 total length, IPv6 payload length, UDP length, GTP-U length, option areas) is MALFORMED.
 * Both stop decoding at that layer. Unknown next protocols end decoding as COMPLETE with the
 * rest of the frame as opaque payload at payload_offset.
 */
#ifndef DPS_TUNNEL_H
#define DPS_TUNNEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DPS_MAX_LAYERS        32  /* layers stored per packet; more => DPS_DECODE_LIMIT */
#define DPS_MAX_TUNNEL_DEPTH   8  /* hard cap for dps_decode_config.max_tunnel_depth */
#define DPS_DEFAULT_TUNNEL_DEPTH 4
#define DPS_MAX_VLAN_TAGS      4
#define DPS_MAX_MPLS_LABELS    8
#define DPS_MAX_IPV6_EXT       8
#define DPS_MAX_GENEVE_OPTS    8
#define DPS_MAX_NSH_TLVS       8
#define DPS_MAX_TUNNEL_PORTS  16  /* extra + default UDP tunnel ports in one config */

enum dps_layer_type {
	DPS_LAYER_NONE = 0,
	DPS_LAYER_ETH,
	DPS_LAYER_VLAN,        /* the whole 802.1Q/802.1ad tag stack */
	DPS_LAYER_MPLS,        /* the whole label stack down to bottom-of-stack */
	DPS_LAYER_IPV4,
	DPS_LAYER_IPV6,        /* fixed header plus its extension-header chain */
	DPS_LAYER_UDP,
	DPS_LAYER_TCP,
	DPS_LAYER_ICMP,
	DPS_LAYER_ICMPV6,
	DPS_LAYER_SCTP,
	DPS_LAYER_GRE,         /* also NVGRE (see dps_gre.is_nvgre) */
	DPS_LAYER_VXLAN,
	DPS_LAYER_VXLAN_GPE,
	DPS_LAYER_GENEVE,
	DPS_LAYER_NSH,
	DPS_LAYER_GTPU,
	DPS_LAYER_TYPE_COUNT
};

enum dps_decode_status {
	DPS_DECODE_COMPLETE = 0,  /* every recognised header decoded */
	DPS_DECODE_TRUNCATED,     /* captured bytes ended inside layer stop_layer */
	DPS_DECODE_MALFORMED,     /* layer stop_layer has an impossible length/version */
	DPS_DECODE_LIMIT,         /* nesting limit or DPS_MAX_LAYERS reached before stop_layer */
};

/* dps_layer.flags */
#define DPS_LAYER_TRUNCATED 0x01  /* header continues past the captured bytes */
#define DPS_LAYER_PARTIAL   0x02  /* fixed header incomplete: decoded fields are all zero */
#define DPS_LAYER_MALFORMED 0x04

enum dps_udp_tunnel { DPS_UDP_VXLAN, DPS_UDP_VXLAN_GPE, DPS_UDP_GENEVE, DPS_UDP_GTPU };

struct dps_decode_config {
	uint8_t max_tunnel_depth;                /* 1 .. DPS_MAX_TUNNEL_DEPTH */
	uint8_t n_ports;
	uint16_t port[DPS_MAX_TUNNEL_PORTS];      /* UDP destination ports, host order */
	uint8_t port_kind[DPS_MAX_TUNNEL_PORTS];  /* enum dps_udp_tunnel */
};

struct dps_eth {
	uint8_t dst[6], src[6];
	uint16_t ethertype;
};

struct dps_vlan_tag {
	uint16_t tpid;   /* 0x8100, 0x88A8 or 0x9100: the type that introduced this tag */
	uint16_t vid;
	uint8_t pcp, dei;
};
struct dps_vlan {
	uint8_t n_tags;      /* tags in the packet (may exceed n_stored) */
	uint8_t n_stored;
	uint16_t ethertype;  /* after the last tag */
	struct dps_vlan_tag tag[DPS_MAX_VLAN_TAGS];  /* tag[0] is the outermost */
};

struct dps_mpls {
	uint8_t n_labels, n_stored;
	uint32_t lse[DPS_MAX_MPLS_LABELS];  /* raw label stack entries: label<<12|tc<<9|s<<8|ttl */
};
static inline uint32_t dps_mpls_label(uint32_t lse) { return lse >> 12; }

struct dps_ipv4 {
	uint8_t src[4], dst[4];   /* network byte order, as on the wire */
	uint8_t ihl, tos, ttl, protocol;
	uint16_t total_length, id;
	uint16_t frag_off;        /* fragment offset in 8-byte units */
	uint8_t more_frags, dont_frag;
	uint16_t checksum;
};

struct dps_ipv6_ext {
	uint8_t type;      /* the next-header value that announced it: 0, 43, 44, 51, 60, 135 */
	uint8_t pad;
	uint16_t length;   /* bytes */
	uint32_t offset;   /* in the packet */
};
struct dps_ipv6 {
	uint8_t src[16], dst[16];
	uint32_t flow_label;
	uint16_t payload_length;
	uint8_t traffic_class, hop_limit;
	uint8_t next_header;      /* in the fixed header */
	uint8_t protocol;         /* upper-layer protocol after the extension chain */
	uint8_t n_ext, n_ext_stored;
	uint8_t is_fragment, more_frags;
	uint16_t frag_off;        /* 8-byte units, from the fragment header */
	uint32_t frag_id;
	struct dps_ipv6_ext ext[DPS_MAX_IPV6_EXT];
};

struct dps_udp { uint16_t src_port, dst_port, length, checksum; };
struct dps_tcp {
	uint16_t src_port, dst_port;
	uint32_t seq, ack;
	uint8_t data_offset;      /* 32-bit words */
	uint16_t flags;           /* 9 bits: NS CWR ECE URG ACK PSH RST SYN FIN */
	uint16_t window;
};
struct dps_icmp { uint8_t type, code; uint16_t checksum; };
struct dps_sctp { uint16_t src_port, dst_port; uint32_t vtag; };

struct dps_gre {
	uint16_t flags_version;   /* first 16 bits as on the wire */
	uint16_t protocol;
	uint8_t has_checksum, has_key, has_seq, is_nvgre;
	uint16_t checksum;
	uint32_t key, seq;
	uint32_t vsid;            /* NVGRE: key >> 8 */
	uint8_t flow_id;          /* NVGRE: key & 0xff */
};

struct dps_vxlan {
	uint16_t flags;           /* first 16 bits: I = 0x0800 (VNI valid), GBP's G = 0x8000 */
	uint8_t vni_valid;
	uint16_t gbp;             /* bytes 2-3 (group policy ID when the G bit is set) */
	uint32_t vni;
};

struct dps_vxlan_gpe {
	uint8_t flags;            /* Ver(0x30) I(0x08) P(0x04) B(0x02) O(0x01) */
	uint8_t next_protocol;    /* 1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH, 5 MPLS */
	uint8_t vni_valid;
	uint32_t vni;
};

struct dps_tlv {              /* Geneve option / NSH MD2 context header */
	uint16_t cls;
	uint8_t type;
	uint8_t length;           /* bytes of option data (excluding the 4-byte TLV header) */
	uint32_t offset;          /* of the TLV header in the packet */
};
struct dps_geneve {
	uint8_t version, opt_len; /* opt_len in 4-byte words */
	uint8_t oam, critical;
	uint16_t protocol;
	uint32_t vni;
	uint8_t n_opts, n_stored;
	struct dps_tlv opt[DPS_MAX_GENEVE_OPTS];
};

struct dps_nsh {
	uint8_t version, oam, ttl;
	uint8_t length;           /* 4-byte words, whole NSH header */
	uint8_t md_type, next_protocol;
	uint32_t spi;             /* 24 bits */
	uint8_t si;
	uint8_t n_tlvs, n_stored; /* MD type 2 */
	uint8_t context[16];      /* MD type 1 fixed context */
	struct dps_tlv tlv[DPS_MAX_NSH_TLVS];
};

struct dps_gtpu {
	uint8_t flags, msg_type;
	uint16_t length;
	uint32_t teid;
	uint8_t n_ext;            /* extension headers walked */
};

struct dps_layer {
	uint8_t type;             /* enum dps_layer_type */
	uint8_t flags;            /* DPS_LAYER_* */
	uint8_t level;            /* tunnel level: 0 = outermost packet */
	uint8_t pad;
	uint32_t offset;          /* byte offset of the header in the packet */
	uint32_t length;          /* header bytes (captured part if truncated) */
	union {
		struct dps_eth eth;
		struct dps_vlan vlan;
		struct dps_mpls mpls;
		struct dps_ipv4 ipv4;
		struct dps_ipv6 ipv6;
		struct dps_udp udp;
		struct dps_tcp tcp;
		struct dps_icmp icmp;
		struct dps_sctp sctp;
		struct dps_gre gre;
		struct dps_vxlan vxlan;
		struct dps_vxlan_gpe gpe;
		struct dps_geneve geneve;
		struct dps_nsh nsh;
		struct dps_gtpu gtpu;
	} u;
};

struct dps_decoded {
	uint8_t n_layers;
	uint8_t status;           /* enum dps_decode_status */
	uint8_t stop_layer;       /* layer index where TRUNCATED/MALFORMED/LIMIT happened */
	uint8_t tunnel_depth;     /* encapsulations entered (0 = plain packet) */
	uint32_t payload_offset;  /* first byte not covered by a decoded header */
	uint32_t captured_len, frame_len;
	uint8_t level_start[DPS_MAX_TUNNEL_DEPTH + 1];  /* first layer index of each level */
	uint8_t level_encap[DPS_MAX_TUNNEL_DEPTH + 1];  /* [k]: layer whose header opened level k */
	struct dps_layer layers[DPS_MAX_LAYERS];
};

/* Defaults: VXLAN 4789 and 8472, VXLAN-GPE 4790, Geneve 6081, GTP-U 2152, depth 4. */
void dps_decode_config_init(struct dps_decode_config *cfg);
/* Adds an extra UDP destination port; returns 0, or -1 if the table is full or kind invalid. */
int dps_decode_config_add_port(struct dps_decode_config *cfg, enum dps_udp_tunnel kind,
			       uint16_t port);

/* Decodes pkt. cfg may be NULL (defaults). frame_len is the original frame length without FCS;
 * a value below captured_len is treated as captured_len. Returns out->status (>= 0), or -1 if
 * pkt/out is NULL (with captured_len > 0). */
int dps_decode_packet(const struct dps_decode_config *cfg, const uint8_t *pkt,
		      uint32_t captured_len, uint32_t frame_len, struct dps_decoded *out);

const char *dps_layer_type_name(enum dps_layer_type type);
const char *dps_decode_status_name(enum dps_decode_status status);

/* ---------------------------------------------------------------------------------------------
 * Sample view: the values the sFlow flow records need, taken from one decoded packet.
 *
 *  view field                          | sFlow record (enterprise 0)
 *  ------------------------------------+----------------------------------------------------------
 *  flow (innermost IPv4 / IPv6 packet) | sampled_ipv4 (flow 3) / sampled_ipv6 (flow 4); for a
 *                                      | tunnelled packet this is the INNER (tenant) packet
 *  underlay (outer IP, only tunnelled) | extended_ipv4_tunnel_ingress (1024) /
 *                                      | extended_ipv6_tunnel_ingress (1026)
 *  has_vni, vni                        | extended_vni_ingress (1030): VXLAN/GPE/Geneve VNI, GRE
 *                                      | key, NVGRE VSID (by convention)
 *  inner_header_offset                 | extended_decapsulate_ingress (1028)
 *  vlan_* (level-0 802.1Q tags)        | extended_switch (1001) src_vlan / src_priority
 *  mpls_lse[] (level-0 stack)          | extended_mpls (1006) in_stack
 *  nsh_spi, nsh_si, tunnel_proto       | no standard record (dpsflow telemetry / logging)
 *
 * flow and underlay say where their IP packet is, not what it holds (struct dps_flow_ref):
 * the addresses, lengths and ports are read from the captured bytes, once, when the record is
 * filled (dps_flow_read). Why: copying 2 x 32 bytes of IPv6 addresses into the view and then
 * again into the record was a third of the exporter's decode of a tunnelled sample, and the
 * header bytes are at hand wherever a view is (the sampled_header record carries them).
 *
 * In the struct dps_flow dps_flow_read gives: length is the IPv4 total length, or the IPv6
 * payload length + 40, as on the wire; protocol is the upper-layer protocol (after IPv6
 * extension headers); ports are in host order (VXLAN's 4789 reads 4789); ICMP/ICMPv6 put
 * type/code in src_port/dst_port (hsflowd habit); non-first fragments have no ports; tos is
 * the IPv4 TOS byte or the IPv6 traffic class.
 * With nested tunnels, `underlay`/`vni`/`tunnel_proto` describe the outermost tunnel,
 * inner_header_offset its inner packet (level 1), and `flow` the innermost IP packet.
 * ------------------------------------------------------------------------------------------- */

enum dps_addr_family { DPS_AF_NONE = 0, DPS_AF_IPV4 = 4, DPS_AF_IPV6 = 6 };
struct dps_ip_addr {
	uint8_t family;           /* enum dps_addr_family */
	uint8_t bytes[16];        /* network order; IPv4 uses the first 4 */
};

struct dps_flow {
	uint8_t valid;
	uint8_t protocol;
	uint8_t tos;
	uint8_t tcp_flags;        /* low 8 TCP flag bits (sFlow tcp_flags) */
	struct dps_ip_addr src, dst;
	uint32_t length;
	uint16_t src_port, dst_port;
};

/* What the ports of a struct dps_flow_ref's L4 header are. */
enum dps_flow_l4 {
	DPS_FLOW_L4_NONE = 0,     /* no complete L4 header right after the IP header: no ports */
	DPS_FLOW_L4_PORTS,        /* UDP, SCTP: source and destination port */
	DPS_FLOW_L4_TCP,          /* ports and flags */
	DPS_FLOW_L4_ICMP,         /* ICMP, ICMPv6: type and code stand in for the ports */
};

/* One IP packet of a sample, as offsets into the captured bytes the view was decoded from. The
 * decoder sets it only for an IP header it found complete, and l4_kind only for a complete L4
 * header directly after it, so every byte dps_flow_read reads lies in those headers. */
struct dps_flow_ref {
	uint32_t ip_offset;       /* the IPv4 / IPv6 header */
	uint32_t l4_offset;       /* its L4 header (0 with DPS_FLOW_L4_NONE) */
	uint8_t family;           /* enum dps_addr_family; DPS_AF_NONE = no such packet */
	uint8_t protocol;         /* upper-layer protocol: IPv6's is after extension headers */
	uint8_t l4_kind;          /* enum dps_flow_l4 */
	uint8_t reserved;         /* 0 */
};

/* The values of a ref's packet: pointers to its addresses in the captured bytes, the rest in
 * host order, as struct dps_flow defines them. For a caller that fills a record of its own
 * straight from the packet (dpdk_app/flow_export.c): inline, so nothing is copied twice. */
struct dps_flow_fields {
	const uint8_t *src, *dst;   /* 4 (family DPS_AF_IPV4) or 16 bytes, network order */
	uint32_t length;
	uint16_t src_port, dst_port;
	uint8_t tos, tcp_flags;
};

/* Returns ref->family (DPS_AF_IPV4 / DPS_AF_IPV6) with *out set, or DPS_AF_NONE (*out
 * untouched) when ref names no packet or its headers do not lie within captured_len (a ref
 * from another packet: refused, never read past). */
static inline int dps_flow_fields(const uint8_t *pkt, uint32_t captured_len,
				  const struct dps_flow_ref *ref, struct dps_flow_fields *out)
{
	/* bytes each header must have: the fixed IP header; the L4 fields read below */
	const uint32_t ip_len = ref->family == DPS_AF_IPV4 ? 20 : 40;
	const uint32_t l4_len = ref->l4_kind == DPS_FLOW_L4_TCP ? 14 :
				ref->l4_kind == DPS_FLOW_L4_PORTS ? 4 :
				ref->l4_kind == DPS_FLOW_L4_ICMP ? 2 : 0;
	/* 64-bit sums: offsets from a foreign ref must not wrap into range */
	if ((ref->family != DPS_AF_IPV4 && ref->family != DPS_AF_IPV6) ||
	    (uint64_t)ref->ip_offset + ip_len > captured_len ||
	    (uint64_t)ref->l4_offset + l4_len > captured_len)
		return DPS_AF_NONE;
	const uint8_t *h = pkt + ref->ip_offset, *l4 = pkt + ref->l4_offset;
	if (ref->family == DPS_AF_IPV4) {
		out->src = h + 12;
		out->dst = h + 16;
		out->tos = h[1];
		out->length = (uint32_t)h[2] << 8 | h[3];
	} else {
		out->src = h + 8;
		out->dst = h + 24;
		out->tos = (uint8_t)((h[0] << 4) | (h[1] >> 4));  /* traffic class */
		out->length = 40u + ((uint32_t)h[4] << 8 | h[5]);
	}
	out->tcp_flags = ref->l4_kind == DPS_FLOW_L4_TCP ? l4[13] : 0;
	if (ref->l4_kind == DPS_FLOW_L4_ICMP) {  /* type and code */
		out->src_port = l4[0];
		out->dst_port = l4[1];
	} else if (ref->l4_kind != DPS_FLOW_L4_NONE) {
		out->src_port = (uint16_t)(l4[0] << 8 | l4[1]);
		out->dst_port = (uint16_t)(l4[2] << 8 | l4[3]);
	} else {
		out->src_port = out->dst_port = 0;
	}
	return ref->family;
}

/* The flow a ref points at as a struct dps_flow, read from pkt (the bytes the view was decoded
 * from). Returns 1 with *flow filled, or 0 with *flow zeroed (valid 0) where dps_flow_fields
 * refuses. */
int dps_flow_read(const uint8_t *pkt, uint32_t captured_len, const struct dps_flow_ref *ref,
		  struct dps_flow *flow);

enum dps_tunnel_proto {
	DPS_TUNNEL_NONE = 0, DPS_TUNNEL_VXLAN, DPS_TUNNEL_VXLAN_GPE, DPS_TUNNEL_GENEVE,
	DPS_TUNNEL_GRE, DPS_TUNNEL_NVGRE, DPS_TUNNEL_NSH, DPS_TUNNEL_GTPU, DPS_TUNNEL_IPIP,
};

struct dps_sample_view {
	struct dps_flow_ref flow;
	struct dps_flow_ref underlay;
	uint8_t tunnel_proto;     /* enum dps_tunnel_proto of the outermost tunnel */
	uint8_t tunnel_depth;
	uint8_t has_vni;
	uint8_t has_inner_offset;
	uint32_t vni;
	uint32_t inner_header_offset;
	uint8_t n_vlans;          /* level-0 tags in the packet (may exceed 2) */
	uint8_t vlan_outer_pcp, vlan_inner_pcp;
	uint16_t vlan_outer_vid, vlan_inner_vid;
	uint8_t n_mpls, n_mpls_stored;
	uint32_t mpls_lse[DPS_MAX_MPLS_LABELS];
	uint8_t has_nsh;
	uint8_t nsh_si;
	uint32_t nsh_spi;
	uint8_t status;           /* copied from dps_decoded.status */
};

/* Fills *view from *dec (never fails; fields without a source are zero). */
void dps_sample_view_from(const struct dps_decoded *dec, struct dps_sample_view *view);

/* The exporter's per-sample path: decodes pkt like dps_decode_packet (same arguments, same
 * bounds checks, limits and status) but keeps only the sample view, which is identical to
 * dps_sample_view_from() of the full decode. Several times cheaper: no struct dps_decoded, no
 * stores the view does not read, no scan afterwards, and a straight-line path for plain and
 * VXLAN / Geneve packets (tunnel_decode/td_fast.h). Returns view->status (>= 0), or -1 if
 * view is NULL or pkt is NULL with captured_len > 0 (view then untouched). */
int dps_decode_sample_view(const struct dps_decode_config *cfg, const uint8_t *pkt,
			   uint32_t captured_len, uint32_t frame_len,
			   struct dps_sample_view *view);

const char *dps_tunnel_proto_name(enum dps_tunnel_proto proto);

#ifdef __cplusplus
}
#endif

#if defined(__has_include)
#if __has_include("ovs/dps_odp_actions.h")
#include "ovs/dps_odp_actions.h"
#endif
#endif

#endif /* DPS_TUNNEL_H */
