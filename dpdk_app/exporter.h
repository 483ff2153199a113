/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The exporter runs on the EAL main lcore: it drains the workers' sample rings, decodes each
 * sample (tunnel_decode/), encodes sFlow v5 (sampling/) and sends it to the collectors, polls
 * port counters on a staggered schedule, flushes datagrams on time, prints the live stats view
 * and --print-samples lines, and applies SIGHUP reloads.
 */
#ifndef DPS_EXPORTER_H
#define DPS_EXPORTER_H

#include <stdbool.h>
#include <stddef.h>

#include "app.h"

int dps_exporter_init(struct dps_app *app, char *err, size_t errlen);
/* Loops until a stop is requested (signal or --duration); returns the exit status. */
int dps_exporter_run(struct dps_app *app);
/* After the workers stopped: drain every ring, one last counter sample per port, flush, and
 * print the summary line. */
void dps_exporter_finish(struct dps_app *app);
void dps_exporter_free(struct dps_app *app);

/* async-signal-safe */
void dps_exporter_request_stop(void);
void dps_exporter_request_reload(void);

/* main.c: push configuration into the running workers */
bool dps_apply_sampling(struct dps_app *app); /* false: an offload = on port lost its rule */
void dps_apply_header_bytes(struct dps_app *app);

#endif
