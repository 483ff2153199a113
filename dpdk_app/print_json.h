/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DPS_PRINT_JSON_H
#define DPS_PRINT_JSON_H

#include <stdio.h>

#include "dps_sampling.h"
#include "dps_tunnel.h"

/* One line: {"type":"flow_sample", ...}; v may be NULL, else decoded from fs->header.header. */
void dps_print_sample_json(FILE *f, const char *port_name, const struct dps_flow_sample *fs,
			   const struct dps_sample_view *v);

#endif
