/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DPS_AGENT_ADDR_H
#define DPS_AGENT_ADDR_H

#include "dps_config.h"
#include "dps_sampling.h"

/* Picks the agent address; -1 when agent.cidr or the agent interface matches no address. */
int dps_agent_addr_select(const struct dps_config *cfg, struct dps_sflow_addr *out);

#endif
