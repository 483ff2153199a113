/* SPDX-License-Identifier: BSD-3-Clause */
/* The rte_flow functions the offload tests replace at link time (-Wl,--wrap=...): the unit
 * test's scripted driver (test_offload.c) and the stand-in NIC sampler of the test-only agent
 * (fake_rte_flow.c) define them. */
#ifndef DPS_RTE_FLOW_WRAP_H
#define DPS_RTE_FLOW_WRAP_H

#include <rte_flow.h>

int __wrap_rte_flow_validate(uint16_t port_id, const struct rte_flow_attr *attr,
			     const struct rte_flow_item pattern[],
			     const struct rte_flow_action actions[], struct rte_flow_error *error);
struct rte_flow *__wrap_rte_flow_create(uint16_t port_id, const struct rte_flow_attr *attr,
					const struct rte_flow_item pattern[],
					const struct rte_flow_action actions[],
					struct rte_flow_error *error);
int __wrap_rte_flow_destroy(uint16_t port_id, struct rte_flow *flow,
			    struct rte_flow_error *error);
int __wrap_rte_flow_query(uint16_t port_id, struct rte_flow *flow,
			  const struct rte_flow_action *action, void *data,
			  struct rte_flow_error *error);

#endif
