/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The agent's side of hardware sampling (hwsample.c): which rule shape a port gets, the
 * fallback of `offload = auto` and the refusal of `offload = on`, switching the port's tasks
 * between hardware and software sampling, the hardware sample_pool, and --probe-offload.
 */
#ifndef DPS_HWSAMPLE_H
#define DPS_HWSAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"

#define DPS_HWSAMPLE_FALLBACK (-1) /* auto: the NIC refused, software sampling */
#define DPS_HWSAMPLE_REFUSED (-2)  /* on: the NIC refused, do not start (exit 2) */

/* Whether the port may get hardware sampling (offload auto or on): sizes the mbuf pool. */
bool dps_hwsample_wanted(const struct dps_app *app, const struct dps_port *p);

/* Before the port's queues are set up: picks the rule's domain and queues. Returns the number
 * of rx queues to add for it (1 for the NIC Rx sample queue, else 0). */
int dps_hwsample_prepare(struct dps_app *app, struct dps_port *p,
			 const struct rte_eth_dev_info *info);

/* On the configured port: validates the rule. 0, DPS_HWSAMPLE_FALLBACK (p falls back to
 * software, reason logged), or DPS_HWSAMPLE_REFUSED with err filled. */
int dps_hwsample_validate(struct dps_app *app, struct dps_port *p, char *err, size_t errlen);

/* The port could not be configured with the sample queue (its message in err): falls back
 * like a refused rule (DPS_HWSAMPLE_FALLBACK, err cleared) or, with offload = on,
 * DPS_HWSAMPLE_REFUSED with err filled. */
int dps_hwsample_no_queue(struct dps_app *app, struct dps_port *p, char *err, size_t errlen);

/* The port's rate in force changed (start, reload, link): rebuilds or removes the rule and
 * moves the port's tasks to hardware or software sampling to match. Returns false when
 * offload = on and the rule could not be installed. */
bool dps_hwsample_apply(struct dps_app *app, struct dps_port *p, uint32_t rate);

/* Exporter: refreshes p->hw_pool and p->hw_queue_drops from the port's counters (or the
 * rule's COUNT) while hardware samples; at most once per now_ms value (0: now, always). */
void dps_hwsample_refresh(struct dps_app *app, struct dps_port *p, uint64_t now_ms);

/* --probe-offload: one JSON line per port on stdout. Ports are configured, never started. */
void dps_hwsample_probe(struct dps_app *app);

/* "hardware", "software" (with a reason in p->offload.reason) */
const char *dps_hwsample_path(const struct dps_port *p);

#endif
