/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ovs_db.h - what OVSDB says about the bridges dpsflow exports, followed live through Open
 * vSwitch's own client library (ovsdb-idl, the client ovs-vswitchd uses).
 *
 * A thread of its own runs OVS's poll loop: it monitors Open_vSwitch, Bridge, Port, Interface
 * and sFlow, asks ovs-vswitchd for the datapath port numbers (unixctl dpif/show, the numbers
 * the ring records carry) whenever the ports change, and publishes a complete view under a
 * mutex with a generation counter. The exporter copies the view only when the generation
 * moved, so it never waits for the database and never sees half an update.
 *
 * This header holds no OVS type: ovs_db.c is the one file compiled against libopenvswitch's
 * headers (their config.h must not meet DPDK's). Without libopenvswitch, ovs_db_none.c
 * provides the same functions, reporting the feature as absent.
 */
#ifndef DPS_OVS_DB_H
#define DPS_OVS_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ovs_ports.h"

#define DPS_OVSDB_MAX_TARGETS 8
#define DPS_OVSDB_MAX_BRIDGES 16
#define DPS_OVSDB_TEXT_MAX 128

/* One bridge's sFlow row (ovs-vsctl create sflow ...). 0 / "" = the column is empty and OVS's
 * default applies (sampling 400, polling 30 s, header 128 bytes). */
struct dps_ovsdb_sflow {
	char agent[DPS_OVSDB_TEXT_MAX];       /* interface name or IP address */
	uint32_t sampling, polling_s, header_bytes;
	unsigned n_targets;
	char targets[DPS_OVSDB_MAX_TARGETS][DPS_OVSDB_TEXT_MAX]; /* "IP:PORT", sorted */
};

struct dps_ovsdb_bridge {
	char name[DPS_OVS_NAME_MAX];
	bool has_sflow;
	struct dps_ovsdb_sflow sflow;
};

/* One Interface row of a bridge, with its statistics column (ovs-vswitchd refreshes it every
 * other_config:stats-update-interval, 5 s by default). UINT64_MAX = key absent. */
struct dps_ovsdb_iface {
	char name[DPS_OVS_NAME_MAX];
	char bridge[DPS_OVS_NAME_MAX];
	char type[32];                        /* "" (system), dpdk, dpdkvhostuser, vxlan, ... */
	uint32_t ifindex;                     /* 0: OVS has none (tunnel, patch ports) */
	bool has_ifindex;                     /* false until ovs-vswitchd filled the column */
	uint32_t odp_port;                    /* DPS_OVS_PORT_UNKNOWN until dpif/show named it */
	int64_t ofport;                       /* -1: none */
	uint64_t link_speed_bps;              /* 0: unknown */
	uint32_t mtu;
	bool admin_up, link_up, full_duplex;
	uint8_t mac[6];
	bool has_mac;
	/* statistics: the column is ephemeral, empty in a restarted ovsdb-server and for a new
	 * port until ovs-vswitchd's next refresh (every 5 s): the last values seen are kept
	 * meanwhile, and a port never seen with statistics gets no counter sample (0 would
	 * look like a counter reset to a collector) */
	bool has_stats;
	uint64_t rx_packets, rx_bytes, rx_dropped, rx_errors, rx_multicast, rx_broadcast;
	uint64_t tx_packets, tx_bytes, tx_dropped, tx_errors, tx_multicast, tx_broadcast;
	uint64_t rx_crc_err, rx_frame_err, collisions, rx_oversize;
};

#define DPS_OVS_PORT_UNKNOWN UINT32_MAX

struct dps_ovsdb_view {
	uint64_t generation;                  /* moves on every published change */
	bool connected;                       /* the session to ovsdb-server is up */
	uint64_t connects;                    /* sessions established so far */
	char error[256];                      /* why not connected, or the last unixctl error */
	char ovs_version[32];                 /* Open_vSwitch ovs_version */
	char ring_path[256];                  /* other_config:sflow-offload-ring ("" = unset) */
	unsigned n_bridges;
	struct dps_ovsdb_bridge bridges[DPS_OVSDB_MAX_BRIDGES];
	unsigned n_ifaces;
	struct dps_ovsdb_iface ifaces[DPS_OVS_MAX_PORTS];
};

struct dps_ovsdb;

/* True when this build has the OVSDB client (libopenvswitch); version gets the library's
 * version ("3.1.0") or "". */
bool dps_ovsdb_available(char *version, size_t len);

/* Connects to remote ("unix:PATH", "tcp:IP:PORT") and waits up to wait_ms for the first
 * complete view. NULL with a clear message in err when the database cannot be reached or read
 * in that time (a start-up error); once started, a lost connection is logged to stderr and
 * retried forever. unixctl is the ovs-vswitchd control socket for dpif/show ("" = found from
 * the pid file next to a unix: remote). */
struct dps_ovsdb *dps_ovsdb_start(const char *remote, const char *unixctl, unsigned wait_ms,
				  char *err, size_t errlen);

/* Copies the latest view into *v when its generation differs from v->generation. Returns
 * true when *v changed. Takes the mutex only then. */
bool dps_ovsdb_latest(struct dps_ovsdb *db, struct dps_ovsdb_view *v);

/* A sample named a datapath port the view lacks: ask ovs-vswitchd again now. */
void dps_ovsdb_poke(struct dps_ovsdb *db);

void dps_ovsdb_stop(struct dps_ovsdb *db);

/* --- pure helpers on a view (ovs_db_view.c, unit-tested without OVS) --------------------- */

/* The port table ovs_source maps ring records with (datapath port → name, bridge, ifindex):
 * the interfaces whose datapath port dpif/show named and whose ifindex ovs-vswitchd has
 * written (a port added a moment ago has an empty column: its samples wait for it rather than
 * go out under a made-up data source). */
void dps_ovsdb_port_table(const struct dps_ovsdb_view *v, struct dps_ovs_port_table *t);

/* Whether a bridge is exported: listed in ovs { bridge = ... }, or any bridge when none is. */
bool dps_ovsdb_bridge_wanted(const char *const *bridges, unsigned n_bridges, const char *name);

/* The sFlow row that governs dpsflow's OVS export: the first exported bridge (by name) that has
 * one. NULL when none has. When another exported bridge has a different row, *conflict names
 * it (dpsflow runs one agent; OVS's per-bridge agents differ only in sub-agent id). */
const struct dps_ovsdb_bridge *dps_ovsdb_governing(const struct dps_ovsdb_view *v,
						   const char *const *bridges, unsigned n_bridges,
						   const char **conflict);

/* The counter sample of one interface (f->has_stats): generic interface counters (tag 1) from
 * the Interface statistics column and the port name (tag 1005). source_index is the data source the flow
 * samples of that port use. cs->port_name points into f. */
struct dps_counters_sample;
void dps_ovsdb_iface_counters(const struct dps_ovsdb_iface *f, uint32_t source_index,
			      struct dps_counters_sample *cs);

/* Formats a netlink datapath action list in OVS's own text syntax (as ovs-appctl
 * dpctl/dump-flows prints it) into out. Returns false when this build has no libopenvswitch
 * or the list is malformed (out then holds "" or OVS's error text). */
bool dps_ovsdb_format_actions(const void *nl_actions, size_t len, char *out, size_t outlen);

#endif
