/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DPS_TELEMETRY_H
#define DPS_TELEMETRY_H

#include "app.h"

/* Registers /dpsflow/info, /dpsflow/ports and /dpsflow/stats with rte_telemetry. */
void dps_telemetry_register(struct dps_app *app);
/* After this no telemetry callback reads the app (call before ports close and EAL cleanup). */
void dps_telemetry_shutdown(void);

#endif
