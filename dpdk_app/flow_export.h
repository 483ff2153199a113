/* SPDX-License-Identifier: BSD-3-Clause */
/* Sample record + decoded view → sFlow flow sample (flow_export.c). No DPDK. */
#ifndef DPS_FLOW_EXPORT_H
#define DPS_FLOW_EXPORT_H

#include <stdint.h>

#include "dps_sampling.h"
#include "dps_tunnel.h"

struct dps_flow_export_in {
	uint32_t source_ifindex;
	uint32_t sampling_rate;
	uint64_t sample_pool;     /* the data source's totals when the sample is exported */
	uint64_t drops;
	uint32_t in_ifindex, out_ifindex;
	uint32_t frame_len;       /* without FCS */
	uint32_t header_len;
	const uint8_t *header;
};

/* v may be NULL (no decode): then only the sampled header record is filled. Otherwise v must
 * have been decoded from header / header_len: its flow refs point into those bytes. */
void dps_flow_export_fill(struct dps_flow_sample *fs, const struct dps_flow_export_in *in,
			  const struct dps_sample_view *v);

#endif
