/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpsflow agent state shared by the control thread (EAL main lcore, which is also the
 * exporter), the worker lcores and the telemetry callbacks.
 *
 * Ownership: everything a worker writes per packet lives in its own dps_task (cache-line
 * aligned, one writer); other threads only read it with relaxed atomic loads. Control-plane
 * changes (SIGHUP) reach workers only through dps_sampler_set_rate() and relaxed stores to
 * dps_task.meta.header_bytes, so workers never take a lock.
 */
#ifndef DPS_APP_H
#define DPS_APP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_ring.h>

#include "dps_sampling.h"
#include "dps_config.h"
#include "offload.h"
#include "sample_record.h"

#define DPS_MAX_PORTS 64
#define DPS_MAX_WORKERS 64
#define DPS_MAX_TASKS_PER_WORKER 64
#define DPS_RX_BURST 32

/* One (port, rx queue) polled by one worker lcore. */
struct dps_task {
	struct dps_sampler sampler;   /* first: hot, written per burst */
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t tx_dropped;          /* forward mode: tx ring of the peer full */
	/* Hardware sampling (offload.h): non-zero while the NIC's 1-in-hw_rate sampler feeds
	 * this queue, and then every packet on it is a sample, never forwarded. Written by the
	 * control thread (relaxed), read once per burst. */
	uint32_t hw_rate;
	uint64_t hw_samples;          /* packets taken as hardware samples */
	uint64_t hw_drops;            /* of those, lost to a full ring */
	uint16_t port_id;
	uint16_t queue_id;
	uint16_t tx_port;             /* forward mode peer; UINT16_MAX in monitor mode */
	uint16_t tx_queue;
	bool sample_queue;            /* the NIC Rx rule's dedicated sample queue */
	struct dps_record_meta meta;  /* copied into each sample record */
} __rte_cache_aligned;

struct dps_worker {
	unsigned int lcore_id;
	unsigned int n_tasks;
	struct dps_task *tasks[DPS_MAX_TASKS_PER_WORKER];
	struct rte_ring *ring;        /* SP/SC, hugepage memory, dps_sample_record elements */
} __rte_cache_aligned;

struct dps_port {
	uint16_t port_id;
	char name[RTE_ETH_NAME_MAX_LEN];
	uint32_t ifindex;
	enum dps_port_mode mode;
	int peer;                     /* index in app.ports of the forward peer, or -1 */
	uint16_t nb_rxq;
	uint16_t nb_txq;              /* one per worker forwarding to this port (at least 1) */
	int16_t txq_of_worker[DPS_MAX_WORKERS]; /* that worker's tx queue here, or -1 */
	uint32_t sampling_rate;       /* in force (after the default rule) */
	uint64_t speed_bps;
	bool link_up;
	bool started;
	unsigned int n_tasks;
	struct dps_task *tasks[DPS_MAX_WORKERS * 4];
	uint64_t next_counter_ms;     /* staggered polling schedule */
	/* hardware sampling (hwsample.c); the offload state belongs to the control thread */
	struct dps_offload_state offload;
	bool hw_active;               /* the rule is installed: hardware samples this port */
	uint64_t hw_pool;             /* sample_pool counted while hardware sampled (published) */
	uint64_t hw_queue_drops;      /* the sample queue's rx errors (published) */
	uint64_t hw_pool_done;        /* NIC Rx: pool of earlier hardware periods */
	uint64_t hw_in_base;          /* NIC Rx: originals received when the rule went in */
	uint64_t hw_sw_pool_base;     /* NIC Rx: software samplers' pool at that moment */
	uint64_t hw_refresh_ms;
	char hw_setup_reason[256];    /* why the port got no hardware sampling at start */
	/* xstat ids for the generic counter breakdown, UINT64_MAX when the PMD lacks them */
	uint64_t xid_rx_ucast, xid_rx_mcast, xid_rx_bcast;
	uint64_t xid_tx_ucast, xid_tx_mcast, xid_tx_bcast, xid_rx_crc;
};

/* collector counters as last published by the exporter, for the telemetry thread */
struct dps_tel_collector {
	uint64_t datagrams, bytes, samples, send_errors;
};

struct dps_app {
	struct dps_config cfg;

	unsigned int n_ports;
	struct dps_port ports[DPS_MAX_PORTS];
	unsigned int n_workers;
	struct dps_worker workers[DPS_MAX_WORKERS];
	struct rte_mempool *pool;

	struct dps_agent *agent;      /* sFlow datagram assembly + collectors (sampling/) */
	bool probing;                 /* --probe-offload: ports are configured, never started */
	uint64_t start_ms;

	/* exporter counters */
	uint64_t samples_exported;
	uint64_t counter_samples;
	uint64_t decode_malformed;
	uint64_t reloads, reload_errors;
	unsigned int tel_n_collectors;
	struct dps_tel_collector tel_collectors[DPS_MAX_COLLECTORS];
};

extern volatile bool dps_force_quit;

/* worker.c */
int dps_worker_main(void *arg);

/* time */
uint64_t dps_now_ms(void);

#endif /* DPS_APP_H */
