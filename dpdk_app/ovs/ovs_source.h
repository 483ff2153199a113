/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ovs_source.h - samples from a patched ovs-vswitchd (ovs { } block) into the sFlow agent.
 *
 * Runs on the exporter thread next to the worker rings: follows the ring files
 * (ovs_ring_reader), maps datapath ports to OVS's ifindex (ovs_ports), turns each record into
 * a flow sample (ovs_export) and hands it to the dps_agent. No DPDK: the test suite drives it
 * with ring files it writes itself.
 */
#ifndef DPS_OVS_SOURCE_H
#define DPS_OVS_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dps_config.h"
#include "dps_sampling.h"
#include "dps_tunnel.h"

struct dps_ovs_source_stats {
	unsigned n_rings, n_attached;
	uint64_t attaches;        /* attaches over all ring files (restarts of OVS add one) */
	uint64_t records;         /* records read */
	uint64_t exported;        /* flow samples the agent accepted */
	uint64_t ring_drops;      /* samples OVS could not write (rings full), as OVS counts */
	uint64_t abandoned;       /* records left in files OVS replaced */
	uint64_t unmapped;        /* records whose input port OVS did not (yet) name */
	uint64_t actions_bad;     /* action lists that did not decode */
	uint64_t other_bridge;    /* samples of bridges not listed in ovs { bridge = ... } */
	uint64_t counter_samples; /* of OVS ports, from OVSDB's Interface statistics */
	bool db_connected;        /* OVSDB client: session up */
	uint64_t db_connects;     /* OVSDB client: sessions so far (reconnects + 1) */
	char state[640];          /* "attached" or why not, for logs and telemetry */
};

struct dps_ovs_source;

/* Needs cfg->has_ovs and cfg->ovs_db (the port map). With the OVSDB client (ovs_db.h) the port
 * map, the sFlow settings and, when the file names no ring, the ring path come from OVSDB;
 * without it ovs-appctl/ovs-vsctl map the ports and a ring must be given. With
 * DPS_OVS_MAP_NONE neither runs (unit tests): input ifIndex stays 0. */
enum dps_ovs_port_map {
	DPS_OVS_MAP_NONE,   /* unit tests */
	DPS_OVS_MAP_TOOLS,  /* ovs-appctl dpif/show + ovs-vsctl list Interface */
	DPS_OVS_MAP_AUTO,   /* the OVSDB client when this build has it, else the tools */
};
struct dps_ovs_source *dps_ovs_source_create(const struct dps_config *cfg,
					     enum dps_ovs_port_map port_map, char *err,
					     size_t errlen);

/* One pass: re-check the files, drain up to budget records per ring, export them.
 * print (may be NULL) receives one JSON line per sample. Returns records handled. */
unsigned dps_ovs_source_poll(struct dps_ovs_source *s, struct dps_agent *agent,
			     const struct dps_decode_config *decode_cfg, uint32_t header_bytes,
			     FILE *print, uint64_t now_ms, unsigned budget);

void dps_ovs_source_get_stats(const struct dps_ovs_source *s, struct dps_ovs_source_stats *out);

/* Flow samples the agent accepted so far (cheap: get_stats also walks the ring files). */
uint64_t dps_ovs_source_exported(const struct dps_ovs_source *s);

/* The OVSDB view the source follows (NULL without the OVSDB client): the exporter takes the
 * governing sFlow row from it. Its generation moves with every change. */
struct dps_ovsdb_view;
const struct dps_ovsdb_view *dps_ovs_source_view(const struct dps_ovs_source *s);

/* Counter samples (generic + port name) of every Interface of the exported bridges, every
 * polling_s seconds (0 = off), from OVSDB's statistics; force sends them now (at exit).
 * Returns the number the agent took. Nothing without the OVSDB client. */
unsigned dps_ovs_source_counters(struct dps_ovs_source *s, struct dps_agent *agent,
				 uint32_t polling_s, uint64_t now_ms, bool force);

/* Logs state changes (attach, detach, refused) to f since the last call. */
void dps_ovs_source_log(struct dps_ovs_source *s, FILE *f);

void dps_ovs_source_destroy(struct dps_ovs_source *s);

#endif
