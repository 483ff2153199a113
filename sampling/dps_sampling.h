/* dps_sampling.h - sFlow v5 agent core: sampler, encoder, datagram assembly, collectors.
 *
 * Layers (each usable alone):
 *   dps_sampler_*   random 1-in-N sampler for worker lcores (inline, dps_sampler.h)
 *   dps_xdr_*,
 *   dps_encode_*    XDR encoding of flow and counters samples into a bounded buffer
 *   dps_agent_*     datagram assembly (packing, truncation, timer flush, sequence numbers)
 *                   and delivery to up to DPS_MAX_COLLECTORS collectors (UDP or injected)
 *
 * Time never comes from the library: every call that needs it takes now_ms (the agent's
 * uptime in milliseconds, which is also what goes into the datagram header). Nothing here is
 * thread safe except what dps_sampler.h documents: one exporter thread owns a dps_agent.
 */
#ifndef DPS_SAMPLING_H
#define DPS_SAMPLING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dps_sampler.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- wire constants */
#define DPS_SFLOW_VERSION            5u
#define DPS_SFLOW_PORT               6343u
#define DPS_SFLOW_ADDR_UNKNOWN       0u
#define DPS_SFLOW_ADDR_IPV4          1u
#define DPS_SFLOW_ADDR_IPV6          2u

/* data source types (source_id's upper byte) */
#define DPS_SFLOW_DS_IFINDEX         0u
#define DPS_SFLOW_DS_VLAN            1u
#define DPS_SFLOW_DS_ENTITY          2u

/* sample formats */
#define DPS_SFLOW_FLOW_SAMPLE        1u
#define DPS_SFLOW_COUNTERS_SAMPLE    2u
#define DPS_SFLOW_FLOW_SAMPLE_EXP    3u
#define DPS_SFLOW_COUNTERS_SAMPLE_EXP 4u

/* flow record formats */
#define DPS_SFLOW_REC_HEADER         1u
#define DPS_SFLOW_REC_IPV4           3u
#define DPS_SFLOW_REC_IPV6           4u
#define DPS_SFLOW_REC_SWITCH         1001u
#define DPS_SFLOW_REC_MPLS           1006u
#define DPS_SFLOW_REC_IPV4_TUN_EGRESS  1023u
#define DPS_SFLOW_REC_IPV4_TUN_INGRESS 1024u
#define DPS_SFLOW_REC_IPV6_TUN_EGRESS  1025u
#define DPS_SFLOW_REC_IPV6_TUN_INGRESS 1026u
#define DPS_SFLOW_REC_DECAP_EGRESS   1027u
#define DPS_SFLOW_REC_DECAP_INGRESS  1028u
#define DPS_SFLOW_REC_VNI_EGRESS     1029u
#define DPS_SFLOW_REC_VNI_INGRESS    1030u
/* counter record formats */
#define DPS_SFLOW_CTR_GENERIC        1u
#define DPS_SFLOW_CTR_ETHERNET       2u
#define DPS_SFLOW_CTR_PORT_NAME      1005u

#define DPS_SFLOW_HEADER_ETHERNET    1u   /* sampled_header header_protocol */
#define DPS_SFLOW_UNKNOWN_COUNTER    0xffffffffu

/* ---------------------------------------------------------------- addresses and ports */
struct dps_sflow_addr {
	uint32_t type;              /* DPS_SFLOW_ADDR_IPV4 / _IPV6 / _UNKNOWN */
	uint8_t bytes[16];          /* network order; IPv4 uses the first 4 */
};

/* Interface as sFlow encodes input/output. The compact (format 1) encoding is
 * format << 30 | value (30-bit value); expanded (format 3) writes format and value as two
 * words. The encoder picks format 3 only when needed: source_index >= 2^24 or an interface
 * value >= 2^30 (likewise format 4 for counters when source_index >= 2^24). */
enum dps_sflow_port_format {
	DPS_PORT_IFINDEX = 0,       /* value = ifIndex; 0 = unknown; 0x3FFFFFFF = internal */
	DPS_PORT_DISCARD = 1,       /* value = reason code (e.g. 0 unknown, 258 ...) */
	DPS_PORT_MULTIPLE = 2,      /* value = number of outputs, 0 = unknown */
};
#define DPS_SFLOW_IFINDEX_INTERNAL 0x3fffffffu
struct dps_sflow_port {
	uint32_t format;            /* enum dps_sflow_port_format */
	uint32_t value;
};

/* ---------------------------------------------------------------- flow sample */
/* Presence bits for the optional records (dps_flow_sample.records and the record masks). */
enum {
	DPS_FR_HEADER          = 1u << 0,
	DPS_FR_IPV4            = 1u << 1,
	DPS_FR_IPV6            = 1u << 2,
	DPS_FR_SWITCH          = 1u << 3,
	DPS_FR_MPLS            = 1u << 4,
	DPS_FR_IPV4_TUN_EGRESS = 1u << 5,
	DPS_FR_IPV4_TUN_INGRESS = 1u << 6,
	DPS_FR_IPV6_TUN_EGRESS = 1u << 7,
	DPS_FR_IPV6_TUN_INGRESS = 1u << 8,
	DPS_FR_DECAP_EGRESS    = 1u << 9,
	DPS_FR_DECAP_INGRESS   = 1u << 10,
	DPS_FR_VNI_EGRESS      = 1u << 11,
	DPS_FR_VNI_INGRESS     = 1u << 12,
};
/* The tunnel records (1023-1030) that some collectors cannot parse (Wireshark 4.0, sfcapd). */
#define DPS_FR_TUNNEL_RECORDS (DPS_FR_IPV4_TUN_EGRESS | DPS_FR_IPV4_TUN_INGRESS | \
	DPS_FR_IPV6_TUN_EGRESS | DPS_FR_IPV6_TUN_INGRESS | DPS_FR_DECAP_EGRESS | \
	DPS_FR_DECAP_INGRESS | DPS_FR_VNI_EGRESS | DPS_FR_VNI_INGRESS)
#define DPS_FR_ALL ((DPS_FR_VNI_INGRESS << 1) - 1)

#define DPS_MAX_HEADER_BYTES  256u   /* cap on sampled_header.header_length we accept */
#define DPS_SFLOW_MAX_MPLS_LABELS   8u

struct dps_sampled_header {
	uint32_t protocol;          /* DPS_SFLOW_HEADER_ETHERNET */
	uint32_t frame_length;      /* on the wire, including the FCS */
	uint32_t stripped;          /* bytes removed from the frame before header (4 = FCS) */
	uint32_t header_length;     /* bytes at header (<= DPS_MAX_HEADER_BYTES) */
	const uint8_t *header;      /* not owned; must stay valid during the encode call */
};

/* sampled_ipv4 (3) and the outer header of an IPv4 tunnel (1023/1024) */
struct dps_sampled_ipv4 {
	uint32_t length;            /* IP packet length */
	uint32_t protocol;          /* IP protocol */
	uint8_t src[4], dst[4];     /* network order */
	uint32_t src_port, dst_port;/* host order; the encoder writes them big-endian */
	uint32_t tcp_flags;
	uint32_t tos;
};

/* sampled_ipv6 (4) and the outer header of an IPv6 tunnel (1025/1026) */
struct dps_sampled_ipv6 {
	uint32_t length;            /* payload length */
	uint32_t protocol;          /* next header */
	uint8_t src[16], dst[16];
	uint32_t src_port, dst_port;
	uint32_t tcp_flags;
	uint32_t priority;          /* traffic class */
};

struct dps_ext_switch {
	uint32_t src_vlan, src_priority, dst_vlan, dst_priority;
};

struct dps_ext_mpls {
	struct dps_sflow_addr next_hop;
	uint32_t n_in, n_out;       /* <= DPS_SFLOW_MAX_MPLS_LABELS each */
	uint32_t in_stack[DPS_SFLOW_MAX_MPLS_LABELS];  /* label stack entries as on the wire */
	uint32_t out_stack[DPS_SFLOW_MAX_MPLS_LABELS];
};

struct dps_flow_sample {
	uint32_t source_type;       /* DPS_SFLOW_DS_* */
	uint32_t source_index;      /* >= 2^24 selects the expanded format */
	uint32_t sampling_rate;
	uint32_t sample_pool;       /* low 32 bits of the sampler's pool */
	uint32_t drops;
	struct dps_sflow_port input, output;
	uint32_t records;           /* DPS_FR_* present */
	struct dps_sampled_header header;
	struct dps_sampled_ipv4 ipv4;
	struct dps_sampled_ipv6 ipv6;
	struct dps_ext_switch sw;
	struct dps_ext_mpls mpls;
	struct dps_sampled_ipv4 tun4_egress, tun4_ingress;
	struct dps_sampled_ipv6 tun6_egress, tun6_ingress;
	uint32_t decap_egress_offset, decap_ingress_offset;  /* inner_header_offset */
	uint32_t vni_egress, vni_ingress;
};

/* ---------------------------------------------------------------- counters sample */
enum {
	DPS_CR_GENERIC   = 1u << 0,
	DPS_CR_ETHERNET  = 1u << 1,
	DPS_CR_PORT_NAME = 1u << 2,
};
#define DPS_MAX_PORT_NAME 255u

struct dps_if_counters {
	uint32_t ifIndex, ifType;
	uint64_t ifSpeed;
	uint32_t ifDirection;       /* 0 unknown, 1 full, 2 half, 3 in, 4 out */
	uint32_t ifStatus;          /* bit0 admin up, bit1 oper up */
	uint64_t ifInOctets;
	uint32_t ifInUcastPkts, ifInMulticastPkts, ifInBroadcastPkts;
	uint32_t ifInDiscards, ifInErrors, ifInUnknownProtos;
	uint64_t ifOutOctets;
	uint32_t ifOutUcastPkts, ifOutMulticastPkts, ifOutBroadcastPkts;
	uint32_t ifOutDiscards, ifOutErrors;
	uint32_t ifPromiscuousMode;
};

struct dps_eth_counters {       /* DPS_SFLOW_UNKNOWN_COUNTER where unknown */
	uint32_t dot3StatsAlignmentErrors, dot3StatsFCSErrors;
	uint32_t dot3StatsSingleCollisionFrames, dot3StatsMultipleCollisionFrames;
	uint32_t dot3StatsSQETestErrors, dot3StatsDeferredTransmissions;
	uint32_t dot3StatsLateCollisions, dot3StatsExcessiveCollisions;
	uint32_t dot3StatsInternalMacTransmitErrors, dot3StatsCarrierSenseErrors;
	uint32_t dot3StatsFrameTooLongs, dot3StatsInternalMacReceiveErrors;
	uint32_t dot3StatsSymbolErrors;
};

struct dps_counters_sample {
	uint32_t source_type;
	uint32_t source_index;      /* >= 2^24 selects the expanded format */
	uint32_t records;           /* DPS_CR_* present */
	struct dps_if_counters generic;
	struct dps_eth_counters eth;
	const char *port_name;      /* DPS_CR_PORT_NAME; <= DPS_MAX_PORT_NAME bytes */
};

/* ---------------------------------------------------------------- XDR encoding */
/* A bounded output buffer. Encoders append at len; on error len is left unchanged. */
struct dps_xdr {
	uint8_t *buf;
	size_t cap;
	size_t len;
};
static inline void dps_xdr_init(struct dps_xdr *x, void *buf, size_t cap)
{
	x->buf = (uint8_t *)buf;
	x->cap = cap;
	x->len = 0;
}

/* Encoded size in bytes of the flow sample with the records in (fs->records & mask), or 0
 * if the sample is invalid (header_length > DPS_MAX_HEADER_BYTES or header NULL with a
 * length, more than DPS_SFLOW_MAX_MPLS_LABELS labels, unknown address or port format). */
size_t dps_flow_sample_size(const struct dps_flow_sample *fs, uint32_t mask);
/* Appends the flow sample with sequence number seq. Returns 0, -ENOSPC (no room: nothing
 * written) or -EINVAL (invalid, see above). */
int dps_encode_flow_sample(struct dps_xdr *x, const struct dps_flow_sample *fs, uint32_t seq,
			   uint32_t mask);
/* True when the sample needs format 3 (an index or port value does not fit format 1). */
bool dps_flow_sample_expanded(const struct dps_flow_sample *fs);

size_t dps_counters_sample_size(const struct dps_counters_sample *cs);
int dps_encode_counters_sample(struct dps_xdr *x, const struct dps_counters_sample *cs,
			       uint32_t seq);

/* Datagram header: 28 bytes with an IPv4 agent, 40 with IPv6. */
size_t dps_datagram_header_size(const struct dps_sflow_addr *agent);
int dps_encode_datagram_header(struct dps_xdr *x, const struct dps_sflow_addr *agent,
			       uint32_t sub_agent_id, uint32_t seq, uint32_t uptime_ms,
			       uint32_t n_samples);

/* ---------------------------------------------------------------- agent and collectors */
#define DPS_MAX_COLLECTORS        8u
#define DPS_DATAGRAM_DEFAULT      1400u
#define DPS_DATAGRAM_MIN          512u   /* smaller cannot hold a useful sample; a sample that
                                          * does not fit even without header bytes is rejected */
#define DPS_DATAGRAM_MAX          65507u
#define DPS_MAX_WAIT_DEFAULT_MS   250u

/* Injected delivery (tests, or another transport): return 0 or -errno (counted). */
typedef int (*dps_collector_send_fn)(void *ctx, unsigned collector, const uint8_t *dgram,
				     size_t len);

struct dps_collector_config {
	struct dps_sflow_addr addr;     /* IPv4 or IPv6 destination (ignored with send) */
	uint16_t port;                  /* 0 = 6343 */
	bool tunnel_records;            /* send records 1023-1030 (off for Wireshark 4.0) */
	dps_collector_send_fn send;     /* non-NULL: call this instead of a UDP socket */
	void *send_ctx;
};

struct dps_agent_config {
	struct dps_sflow_addr agent_addr;
	uint32_t sub_agent_id;
	uint32_t datagram_bytes;        /* 0 = 1400; DPS_DATAGRAM_MIN..DPS_DATAGRAM_MAX */
	uint32_t max_wait_ms;           /* 0 = 250: longest a sample waits in a datagram */
	unsigned n_collectors;          /* <= DPS_MAX_COLLECTORS */
	struct dps_collector_config collectors[DPS_MAX_COLLECTORS];
};

struct dps_collector_stats {
	uint64_t datagrams, bytes, samples;   /* delivered */
	uint64_t send_errors;                 /* datagrams lost to send errors */
	int last_error;                       /* last errno seen, 0 if none */
};

struct dps_agent_stats {
	uint64_t flow_samples, counter_samples;  /* accepted by add */
	uint64_t truncated;     /* flow samples whose header was cut to fit a datagram */
	uint64_t rejected;      /* samples refused (invalid, or cannot fit even truncated) */
	uint64_t datagrams;     /* datagrams assembled (all streams) */
};

struct dps_agent;

/* Returns NULL with errno set (EINVAL bad config, or the socket error). */
struct dps_agent *dps_agent_create(const struct dps_agent_config *cfg);
/* Sends what is pending, closes sockets, frees. NULL is fine. */
void dps_agent_destroy(struct dps_agent *a, uint64_t now_ms);
/* Applies a new configuration at run time (SIGHUP): pending samples are sent with the old
 * settings first; datagram and per-source sequence numbers continue. Returns 0 or -errno
 * (the old configuration stays in force on error). */
int dps_agent_reconfigure(struct dps_agent *a, const struct dps_agent_config *cfg,
			  uint64_t now_ms);

/* Add one sample; assigns its per-source sequence number. Returns 0 (0 is also returned when
 * the header had to be truncated; see stats) or -EINVAL / -EMSGSIZE (counted as rejected). */
int dps_agent_add_flow(struct dps_agent *a, const struct dps_flow_sample *fs, uint64_t now_ms);
int dps_agent_add_counters(struct dps_agent *a, const struct dps_counters_sample *cs,
			   uint64_t now_ms);
/* Call often (every exporter loop): closes datagrams whose oldest sample waited max_wait_ms
 * and sends every finished datagram (batched per collector with sendmmsg). */
void dps_agent_poll(struct dps_agent *a, uint64_t now_ms);
/* Closes and sends everything now (shutdown, reconfiguration). */
void dps_agent_flush(struct dps_agent *a, uint64_t now_ms);
/* Forget a data source's sequence numbers (its sample_pool was reset). */
void dps_agent_reset_source(struct dps_agent *a, uint32_t source_type, uint32_t source_index);

void dps_agent_get_stats(const struct dps_agent *a, struct dps_agent_stats *out);
/* Returns -EINVAL if collector >= n_collectors. */
int dps_agent_get_collector_stats(const struct dps_agent *a, unsigned collector,
				  struct dps_collector_stats *out);

/* Helpers to fill a struct dps_sflow_addr from text ("10.0.0.1", "::1"): 0 or -EINVAL. */
int dps_sflow_addr_parse(struct dps_sflow_addr *out, const char *text);

#ifdef __cplusplus
}
#endif
#endif /* DPS_SAMPLING_H */
