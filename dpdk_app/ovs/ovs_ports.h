/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ovs_ports.h - which OVS Interface (name, OVS's ifindex, bridge) sits behind each datapath
 * port number a ring record carries.
 *
 * Source of truth is OVS itself, read the way an operator would: `ovs-appctl dpif/show`
 * (bridge, name, OpenFlow port / datapath port) and `ovs-vsctl list Interface` (name,
 * ifindex: OVS's own value, a hash of the name for DPDK and vhost ports). A refresher thread
 * re-reads both every period and whenever the exporter meets a port it does not know, so
 * added, removed and renamed ports are followed without a restart. The exporter only takes
 * a mutex when a new table has been published (a generation counter says so).
 */
#ifndef DPS_OVS_PORTS_H
#define DPS_OVS_PORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DPS_OVS_MAX_PORTS 1024
#define DPS_OVS_NAME_MAX 64

struct dps_ovs_port {
	uint32_t odp_port;
	uint32_t ifindex;         /* 0 when OVS has none for it */
	uint32_t ofport;
	char name[DPS_OVS_NAME_MAX];
	char bridge[DPS_OVS_NAME_MAX];
};

struct dps_ovs_port_table {
	unsigned n;
	struct dps_ovs_port ports[DPS_OVS_MAX_PORTS];
};

/* Parses `ovs-appctl dpif/show` into t (names, bridges, port numbers). Returns the number of
 * ports found, -1 if the text is not dpif/show output. */
int dps_ovs_parse_dpif_show(const char *text, struct dps_ovs_port_table *t);

/* Adds ifindexes from `ovs-vsctl --format=csv --data=bare --no-headings
 * --columns=name,ifindex list Interface` to the ports of t with those names. Returns the
 * number of ports matched. */
int dps_ovs_parse_ifindex_csv(const char *text, struct dps_ovs_port_table *t);

const struct dps_ovs_port *dps_ovs_port_find(const struct dps_ovs_port_table *t,
					     uint32_t odp_port);

/* The refresher. db is "unix:PATH" (the ovsdb-server socket); the ovs-vswitchd control
 * socket is looked up in the same directory (OVS_RUNDIR), the tools in PATH. */
struct dps_ovs_ports;
struct dps_ovs_ports *dps_ovs_ports_start(const char *db, unsigned period_ms, char *err,
					  size_t errlen);
/* Copies the latest published table into *t if it is newer than the one t holds (tracked
 * through *generation). Returns true when *t changed. */
bool dps_ovs_ports_latest(struct dps_ovs_ports *p, struct dps_ovs_port_table *t,
			  uint64_t *generation);
/* Asks for a refresh soon (a record named a port the table does not have). */
void dps_ovs_ports_poke(struct dps_ovs_ports *p);
/* Last refresh error ("" if the last refresh worked), copied into buf. */
void dps_ovs_ports_error(struct dps_ovs_ports *p, char *buf, size_t len);
void dps_ovs_ports_stop(struct dps_ovs_ports *p);

#endif
