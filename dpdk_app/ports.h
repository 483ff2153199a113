/* SPDX-License-Identifier: BSD-3-Clause */
/* Port attach, setup, link and teardown (ports.c). */
#ifndef DPS_PORTS_H
#define DPS_PORTS_H

#include <stddef.h>
#include <stdint.h>

#include "name_ifindex.h"

#include "app.h"

/* hash types of the ports' RSS, and of the rule's RSS fate */
#define DPS_RSS_TYPES (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP)
#define DPS_RSS_TYPES_OF(info) (DPS_RSS_TYPES & (info)->flow_type_rss_offloads)

int dps_port_attach(const char *devargs, uint16_t *port_id, char *errbuf, size_t errlen);
/* Returns -1 when a configured ifindex is already used by an earlier port. */
int dps_port_assign_ifindex(struct dps_app *app, unsigned int idx, uint32_t configured);
struct rte_mempool *dps_ports_mempool(const struct dps_app *app);
/* Configures (queues, hardware sampling check) without starting: --probe-offload stops here.
 * Returns 0, -1, or DPS_HWSAMPLE_REFUSED (offload = on and the NIC refuses: exit 2). */
int dps_port_configure(struct dps_app *app, struct dps_port *p, char *errbuf, size_t errlen);
/* dps_port_configure, then start, promiscuous mode, link and xstats. Same returns. */
int dps_port_start(struct dps_app *app, struct dps_port *p, char *errbuf, size_t errlen);
void dps_port_refresh_link(struct dps_port *p);
void dps_port_lookup_xstats(struct dps_port *p);
void dps_port_stop(struct dps_port *p);

#endif
