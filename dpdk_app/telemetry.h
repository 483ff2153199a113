/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DPS_TELEMETRY_H
#define DPS_TELEMETRY_H

#include "app.h"

/* Registers /dpsflow/info, /dpsflow/ports and /dpsflow/stats with rte_telemetry. */
void dps_telemetry_register(struct dps_app *app);
/* Held by the control thread while it changes what the callbacks read beyond atomics (the
 * ports' offload state), so a reader never sees half a message. */
void dps_telemetry_lock(void);
void dps_telemetry_unlock(void);
/* After this no telemetry callback reads the app (call before ports close and EAL cleanup). */
void dps_telemetry_shutdown(void);

#endif
