/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hardware 1-in-N sampling with an rte_flow SAMPLE rule (offload.c).
 *
 * Two shapes, chosen per port at setup:
 *
 *  NIC Rx (PF, VF, anything that is not a representor): a rule on the port itself,
 *      ingress, pattern  eth / end
 *      actions  sample(ratio N, sub-actions: queue <sample queue> / end) / <normal fate> / end
 *    The normal fate is RSS over the port's ordinary rx queues (QUEUE 0 when it has only one),
 *    i.e. what the port would do without the rule, minus the sample queue: every copy the NIC
 *    makes lands on the sample queue, and nothing else does.
 *
 *  E-Switch (representor ports, switchdev): a transfer rule on the port's transfer proxy,
 *      transfer, pattern  represented_port <representor> / eth / end
 *      actions  sample(ratio N, sub-actions: port_representor <representor> / end) /
 *               count / <normal fate> / end
 *    matching what the VF sends into the switch (what the representor would otherwise
 *    receive). The fate is the switch doing what dpsflow would do in software: forward mode
 *    sends to the peer's represented entity, monitor mode drops. The representor's rx queues
 *    then carry only the sampled copies. COUNT gives the exact sample_pool, since the
 *    representor's own packet counters no longer see the original packets.
 *
 * Nothing here runs on a worker lcore: the rule is validated and created at start-up and
 * rebuilt when the port's rate changes (SIGHUP reload, link speed), from the control thread.
 */
#ifndef DPS_OFFLOAD_H
#define DPS_OFFLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_flow.h>

#include "dps_config.h"

enum dps_offload_domain { DPS_OFFLOAD_NIC_RX = 0, DPS_OFFLOAD_ESWITCH };

/* What one port's rule must do; fixed at port setup. */
struct dps_offload_spec {
	enum dps_offload_domain domain;
	uint16_t port_id;       /* the port dpsflow polls (the representor in E-Switch) */
	uint16_t flow_port_id;  /* where the rule is created: port_id, or the transfer proxy */
	uint16_t sample_queue;  /* NIC Rx: rx queue that receives the copies */
	uint16_t nb_normal_rxq; /* NIC Rx: queues [0, n) keep the normal traffic */
	uint64_t rss_types;     /* NIC Rx with n > 1: hash types, as the port's RSS uses */
	int32_t fwd_port_id;    /* E-Switch: peer ethdev to send the originals to; -1 = drop */
};

/* Every array and conf a rule points to. The PMD reads them only during validate/create. */
struct dps_offload_rule {
	struct rte_flow_attr attr;
	struct rte_flow_item pattern[3];
	struct rte_flow_action actions[4];
	struct rte_flow_action sample_actions[2];
	struct rte_flow_action_sample sample;
	struct rte_flow_action_queue sample_queue;
	struct rte_flow_action_ethdev sample_port;
	struct rte_flow_item_ethdev src_port;
	struct rte_flow_item_ethdev src_port_mask;
	struct rte_flow_action_queue fate_queue;
	struct rte_flow_action_rss fate_rss;
	struct rte_flow_action_ethdev fate_port;
	struct rte_flow_action_count count;
	uint16_t rss_queues[RTE_MAX_QUEUES_PER_PORT];
};

/* Fills r for spec and ratio (>= 1). Pure: no DPDK call. */
void dps_offload_build(const struct dps_offload_spec *spec, uint32_t ratio,
		       struct dps_offload_rule *r);

/* One port's hardware sampling state, owned by the control thread. */
struct dps_offload_state {
	struct dps_offload_spec spec;
	enum dps_offload mode;  /* configured: auto, on or off (follows reloads) */
	enum dps_offload setup_mode; /* as it was when the port was set up */
	bool usable;            /* the port was set up for it (sample queue, proxy found) */
	struct rte_flow *flow;  /* the rule in force, NULL = software sampling */
	uint32_t ratio;         /* of that rule */
	uint64_t hits_base;     /* E-Switch: COUNT of rules replaced so far (pool continuity) */
	char reason[256];       /* why software sampling ("" while hardware samples) */
};

/*
 * Validates the rule for ratio (create = false), or validates and installs it (create =
 * true, *flow gets the handle). Returns 0, or -1 with the PMD's message in why.
 */
int dps_offload_try(const struct dps_offload_spec *spec, uint32_t ratio, bool create,
		    struct rte_flow **flow, char *why, size_t whylen);

/*
 * Makes the installed rule sample 1-in-ratio: nothing to do when it already does; otherwise
 * the new rule is created before the old one is destroyed (traffic never falls back to the
 * default queues in between). ratio 0 (sampling off, link down), mode off or an unusable port
 * remove the rule. A rule the PMD refuses is removed and st->reason says why. Returns true
 * when hardware samples afterwards.
 */
bool dps_offload_apply(struct dps_offload_state *st, uint32_t ratio);

/* Destroys the rule if any (shutdown, before the port stops). */
void dps_offload_remove(struct dps_offload_state *st);

/* E-Switch: packets the rule matched since it first existed, from its COUNT action. Returns
 * 0, or -1 when there is no rule or the PMD cannot say. */
int dps_offload_hits(struct dps_offload_state *st, uint64_t *hits);

#endif /* DPS_OFFLOAD_H */
