/* agent_internal.h (private) - state shared by the datagram assembler and the senders. */
#ifndef DPS_AGENT_INTERNAL_H
#define DPS_AGENT_INTERNAL_H

#include "dps_sampling.h"
#include "source_table.h"

/* Collectors that want the same records share one datagram stream (same bytes, same
 * datagram sequence numbers): stream 0 carries every record, stream 1 omits 1023-1030. */
#define N_STREAMS 2
#define OUT_QUEUE 32    /* finished datagrams held for one sendmmsg batch per collector */

struct stream {
	uint32_t mask;          /* DPS_FR_* records this stream carries */
	uint32_t seq;           /* last datagram sequence number used */
	unsigned n_collectors;  /* 0: samples are not encoded for it */
	uint8_t *buf;           /* datagram being filled; samples start at hdr_len */
	size_t len;             /* sample bytes in buf */
	uint32_t n_samples;
	uint64_t first_ms;      /* when the oldest pending sample was added */
};

struct out_datagram {
	uint8_t *buf;
	size_t len;
	uint32_t n_samples;
	unsigned stream;
};

struct collector {
	struct dps_collector_config cfg;
	unsigned stream;
	int fd;                 /* connected UDP socket, -1 when injected or not connected */
	struct dps_collector_stats stats;
};

struct dps_agent {
	struct dps_agent_config cfg;        /* defaults applied */
	size_t hdr_len;                     /* datagram header size for cfg.agent_addr */
	struct stream streams[N_STREAMS];
	struct out_datagram out[OUT_QUEUE];
	unsigned n_out;
	struct collector collectors[DPS_MAX_COLLECTORS];
	struct source_table sources;
	struct dps_agent_stats stats;
};

/* collector.c */
int collector_open(struct collector *c);
void collector_close(struct collector *c);
bool collector_same_destination(const struct dps_collector_config *a,
				const struct dps_collector_config *b);
/* Sends every queued datagram to every collector of its stream, then empties the queue. */
void agent_send_queued(struct dps_agent *a);

#endif
