/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rte_flow SAMPLE rules: building them (pure), and keeping the one rule of a port in step with
 * its rate (see offload.h for the two shapes). Only rte_flow_validate/create/destroy/query are
 * called, so the unit test links this file alone with those wrapped.
 */
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_flow.h>

#include "offload.h"

static void
build_nic_rx(const struct dps_offload_spec *spec, struct dps_offload_rule *r)
{
	uint16_t q;

	r->attr.ingress = 1;
	r->pattern[0].type = RTE_FLOW_ITEM_TYPE_ETH; /* no spec/mask: every Ethernet frame */
	r->pattern[1].type = RTE_FLOW_ITEM_TYPE_END;

	r->sample_queue.index = spec->sample_queue;
	r->sample_actions[0].type = RTE_FLOW_ACTION_TYPE_QUEUE;
	r->sample_actions[0].conf = &r->sample_queue;
	r->sample_actions[1].type = RTE_FLOW_ACTION_TYPE_END;

	/* A rule's fate replaces the port's default dispatch for what it matches, so the
	 * originals must be sent where they would have gone: RSS over the ordinary queues when
	 * there are several (never the sample queue: a copy and an original there would be
	 * indistinguishable), QUEUE 0 when there is one (RSS over one queue is refused by some
	 * PMDs and means the same). */
	if (spec->nb_normal_rxq > 1) {
		for (q = 0; q < spec->nb_normal_rxq && q < RTE_DIM(r->rss_queues); q++)
			r->rss_queues[q] = q;
		r->fate_rss.func = RTE_ETH_HASH_FUNCTION_DEFAULT;
		r->fate_rss.level = 0;
		r->fate_rss.types = spec->rss_types;
		r->fate_rss.key_len = 0; /* the port's key */
		r->fate_rss.key = NULL;
		r->fate_rss.queue_num = q;
		r->fate_rss.queue = r->rss_queues;
		r->actions[1].type = RTE_FLOW_ACTION_TYPE_RSS;
		r->actions[1].conf = &r->fate_rss;
	} else {
		r->fate_queue.index = 0;
		r->actions[1].type = RTE_FLOW_ACTION_TYPE_QUEUE;
		r->actions[1].conf = &r->fate_queue;
	}
	r->actions[2].type = RTE_FLOW_ACTION_TYPE_END;
}

static void
build_eswitch(const struct dps_offload_spec *spec, struct dps_offload_rule *r)
{
	r->attr.transfer = 1;
	/* traffic entering the switch from the entity (VF) the representor stands for */
	r->src_port.port_id = spec->port_id;
	r->src_port_mask.port_id = 0xffff;
	r->pattern[0].type = RTE_FLOW_ITEM_TYPE_REPRESENTED_PORT;
	r->pattern[0].spec = &r->src_port;
	r->pattern[0].mask = &r->src_port_mask;
	r->pattern[1].type = RTE_FLOW_ITEM_TYPE_ETH;
	r->pattern[2].type = RTE_FLOW_ITEM_TYPE_END;

	/* the copies go up to the representor ethdev, which dpsflow polls */
	r->sample_port.port_id = spec->port_id;
	r->sample_actions[0].type = RTE_FLOW_ACTION_TYPE_PORT_REPRESENTOR;
	r->sample_actions[0].conf = &r->sample_port;
	r->sample_actions[1].type = RTE_FLOW_ACTION_TYPE_END;

	/* the representor no longer sees the originals: the rule counts the pool */
	r->actions[1].type = RTE_FLOW_ACTION_TYPE_COUNT;
	r->actions[1].conf = &r->count;
	if (spec->fwd_port_id >= 0) {
		r->fate_port.port_id = (uint16_t)spec->fwd_port_id;
		r->actions[2].type = RTE_FLOW_ACTION_TYPE_REPRESENTED_PORT;
		r->actions[2].conf = &r->fate_port;
	} else {
		r->actions[2].type = RTE_FLOW_ACTION_TYPE_DROP; /* monitor mode frees them too */
	}
	r->actions[3].type = RTE_FLOW_ACTION_TYPE_END;
}

void
dps_offload_build(const struct dps_offload_spec *spec, uint32_t ratio,
		  struct dps_offload_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->sample.ratio = ratio;
	r->sample.actions = r->sample_actions;
	r->actions[0].type = RTE_FLOW_ACTION_TYPE_SAMPLE;
	r->actions[0].conf = &r->sample;
	if (spec->domain == DPS_OFFLOAD_ESWITCH)
		build_eswitch(spec, r);
	else
		build_nic_rx(spec, r);
}

static void
explain(char *why, size_t whylen, const char *step, int err, const struct rte_flow_error *e)
{
	const char *errtext = strerror(err);

	/* the PMD's own words when it gave some, with the errno meaning when that adds to it */
	if (e->message == NULL || strcmp(e->message, errtext) == 0)
		snprintf(why, whylen, "%s: %s", step, errtext);
	else
		snprintf(why, whylen, "%s: %s (%s)", step, e->message, errtext);
}

int
dps_offload_try(const struct dps_offload_spec *spec, uint32_t ratio, bool create,
		struct rte_flow **flow, char *why, size_t whylen)
{
	/* static: 2 KiB of queue list; only the control thread builds rules */
	static struct dps_offload_rule r;
	struct rte_flow_error e;
	int rc;

	dps_offload_build(spec, ratio, &r);
	memset(&e, 0, sizeof(e));
	rc = rte_flow_validate(spec->flow_port_id, &r.attr, r.pattern, r.actions, &e);
	if (rc != 0) {
		explain(why, whylen, "rte_flow_validate", -rc, &e);
		return -1;
	}
	if (!create)
		return 0;
	memset(&e, 0, sizeof(e));
	*flow = rte_flow_create(spec->flow_port_id, &r.attr, r.pattern, r.actions, &e);
	if (*flow == NULL) {
		explain(why, whylen, "rte_flow_create", rte_errno, &e);
		return -1;
	}
	return 0;
}

static uint64_t
rule_hits(const struct dps_offload_state *st, struct rte_flow *flow)
{
	struct rte_flow_action count[2] = {
		{ .type = RTE_FLOW_ACTION_TYPE_COUNT },
		{ .type = RTE_FLOW_ACTION_TYPE_END },
	};
	struct rte_flow_query_count q;
	struct rte_flow_error e;

	memset(&q, 0, sizeof(q));
	if (rte_flow_query(st->spec.flow_port_id, flow, count, &q, &e) != 0 || !q.hits_set)
		return 0;
	return q.hits;
}

static void
destroy(struct dps_offload_state *st, struct rte_flow *flow)
{
	struct rte_flow_error e;

	if (flow == NULL)
		return;
	/* the replaced rule's count stays in the pool: the pool only grows */
	if (st->spec.domain == DPS_OFFLOAD_ESWITCH)
		st->hits_base += rule_hits(st, flow);
	memset(&e, 0, sizeof(e));
	if (rte_flow_destroy(st->spec.flow_port_id, flow, &e) != 0)
		fprintf(stderr, "dpsflow: port %u: rte_flow_destroy: %s\n", st->spec.port_id,
			e.message != NULL ? e.message : "failed");
}

void
dps_offload_remove(struct dps_offload_state *st)
{
	destroy(st, st->flow);
	st->flow = NULL;
	st->ratio = 0;
}

static void
set_reason(struct dps_offload_state *st, const char *why, bool log)
{
	/* a refusal is logged once per distinct message, not at every reload or link event */
	if (log && strcmp(st->reason, why) != 0)
		fprintf(stderr, "dpsflow: port %u: hardware sampling not used: %s\n",
			st->spec.port_id, why);
	snprintf(st->reason, sizeof(st->reason), "%s", why);
}

bool
dps_offload_apply(struct dps_offload_state *st, uint32_t ratio)
{
	struct rte_flow *flow = NULL;
	char why[sizeof(st->reason)];

	if (st->mode == DPS_OFFLOAD_OFF || !st->usable || ratio == 0) {
		dps_offload_remove(st);
		if (st->mode == DPS_OFFLOAD_OFF)
			set_reason(st, "offload = off", false);
		else if (ratio == 0 && st->usable)
			set_reason(st, "sampling off (rate 0 or link down)", false);
		return false;
	}
	if (st->flow != NULL && st->ratio == ratio)
		return true;
	if (dps_offload_try(&st->spec, ratio, true, &flow, why, sizeof(why)) != 0 &&
	    st->flow != NULL) {
		/* some PMDs take one sample rule per port: make room and ask once more */
		dps_offload_remove(st);
		if (dps_offload_try(&st->spec, ratio, true, &flow, why, sizeof(why)) != 0)
			flow = NULL;
	}
	if (flow == NULL) {
		/* the old rule, if any, samples at a rate that no longer applies */
		dps_offload_remove(st);
		set_reason(st, why, true);
		return false;
	}
	destroy(st, st->flow);
	st->flow = flow;
	st->ratio = ratio;
	set_reason(st, "", false);
	return true;
}

int
dps_offload_hits(struct dps_offload_state *st, uint64_t *hits)
{
	if (st->spec.domain != DPS_OFFLOAD_ESWITCH)
		return -1;
	*hits = st->hits_base + (st->flow != NULL ? rule_hits(st, st->flow) : 0);
	return 0;
}
