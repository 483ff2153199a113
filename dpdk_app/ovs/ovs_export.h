/* SPDX-License-Identifier: BSD-3-Clause */
/* ovs_export.h - one sample record from ovs-vswitchd → one sFlow flow sample. No DPDK. */
#ifndef DPS_OVS_EXPORT_H
#define DPS_OVS_EXPORT_H

#include <stdint.h>

#include "dps_odp_actions.h"
#include "dps_ovs_ring.h"
#include "dps_sampling.h"
#include "dps_tunnel.h"

struct dps_ovs_export_in {
	const struct dps_ovs_record *rec;
	uint32_t in_ifindex;      /* OVS's ifindex of the input Interface, 0 if unknown */
	uint32_t source_ifindex;  /* data source; 0 = in_ifindex (see ovs_source.c) */
	uint64_t sample_pool;     /* the data source's pool, summed over every PMD ring */
	uint64_t drops;           /* likewise */
	uint32_t header_bytes;    /* the operator's headerBytes: at most this much of the packet */
};

/* Scratch the caller owns (large; keep it off the stack in loops). view and actions are
 * also what --print-samples shows. */
struct dps_ovs_export_out {
	struct dps_flow_sample fs;
	struct dps_sample_view view;
	struct dps_odp_summary actions;
	int actions_ok;           /* the action list decoded without error */
};

/* Fills out->fs. decode_cfg drives the decode of the sampled header (tunnels carried as
 * plain packets through the bridge are still seen). */
void dps_ovs_export_fill(struct dps_ovs_export_out *out, const struct dps_ovs_export_in *in,
			 const struct dps_decode_config *decode_cfg);

#endif
