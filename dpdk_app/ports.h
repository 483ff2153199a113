/* SPDX-License-Identifier: BSD-3-Clause */
/* Port attach, setup, link and teardown (ports.c). */
#ifndef DPS_PORTS_H
#define DPS_PORTS_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"

uint32_t dps_port_name_ifindex(const char *name);
int dps_port_attach(const char *devargs, uint16_t *port_id, char *errbuf, size_t errlen);
/* Returns -1 when a configured ifindex is already used by an earlier port. */
int dps_port_assign_ifindex(struct dps_app *app, unsigned int idx, uint32_t configured);
struct rte_mempool *dps_ports_mempool(const struct dps_app *app);
int dps_port_start(struct dps_app *app, struct dps_port *p, char *errbuf, size_t errlen);
void dps_port_refresh_link(struct dps_port *p);
void dps_port_lookup_xstats(struct dps_port *p);
void dps_port_stop(struct dps_port *p);

#endif
