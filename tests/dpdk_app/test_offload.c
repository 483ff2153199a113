/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of dpdk_app/offload.c, linked alone with rte_flow_validate/create/destroy/query
 * wrapped (-Wl,--wrap=...): no EAL, no port. The wrappers record every call and deep-copy the
 * attr/pattern/action arrays they were given, so the tests check the exact rule a PMD would
 * see, and script the PMD's answers (accept, refuse with a message).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <rte_errno.h>
#include <rte_flow.h>

#include "rte_flow_wrap.h"

#include "offload.h"

/* ---- the fake PMD ------------------------------------------------------------------------ */

#define MAX_FLOWS 8

struct seen_rule {
	uint16_t port;
	struct rte_flow_attr attr;
	enum rte_flow_item_type items[4];
	uint16_t src_port;              /* REPRESENTED_PORT item's spec, if any */
	int items_have_spec;            /* any item other than REPRESENTED_PORT with spec/mask */
	enum rte_flow_action_type acts[5];
	uint32_t ratio;
	enum rte_flow_action_type sub[3];
	uint16_t sub_queue, sub_port;
	uint16_t fate_queue, fate_port;
	uint32_t rss_n;
	uint16_t rss_q[8];
	uint64_t rss_types;
};

static struct {
	int validate_calls, create_calls, destroy_calls, query_calls;
	int refuse_validate;            /* validate fails with this errno */
	const char *refuse_msg;
	int refuse_create_from;         /* create calls numbered >= this fail (0 = never) */
	int one_rule_per_port;          /* create fails while another rule lives */
	struct seen_rule last;          /* of the last validate or create */
	uint32_t created_ratio[MAX_FLOWS];
	int live[MAX_FLOWS];            /* 1 while created and not destroyed */
	uint64_t hits[MAX_FLOWS];
	int destroyed_order[MAX_FLOWS];
	int n_destroyed;
} pmd;

static int
live_flows(void)
{
	int i, n = 0;

	for (i = 0; i < MAX_FLOWS; i++)
		n += pmd.live[i];
	return n;
}

static char flow_handles[MAX_FLOWS]; /* rte_flow is opaque: handles are addresses in here */

static void
record(uint16_t port, const struct rte_flow_attr *attr, const struct rte_flow_item *pattern,
       const struct rte_flow_action *actions)
{
	struct seen_rule *r = &pmd.last;
	int i;

	memset(r, 0, sizeof(*r));
	r->port = port;
	r->attr = *attr;
	for (i = 0; i < 4; i++) {
		r->items[i] = pattern[i].type;
		if (pattern[i].type == RTE_FLOW_ITEM_TYPE_REPRESENTED_PORT) {
			const struct rte_flow_item_ethdev *m = pattern[i].mask;

			assert_non_null(pattern[i].spec);
			assert_non_null(m);
			assert_int_equal(m->port_id, 0xffff);
			r->src_port = ((const struct rte_flow_item_ethdev *)pattern[i].spec)->port_id;
		} else if (pattern[i].spec != NULL || pattern[i].mask != NULL) {
			r->items_have_spec = 1;
		}
		if (pattern[i].type == RTE_FLOW_ITEM_TYPE_END)
			break;
	}
	assert_true(i < 4);
	for (i = 0; i < 5; i++) {
		const struct rte_flow_action *a = &actions[i];

		r->acts[i] = a->type;
		if (a->type == RTE_FLOW_ACTION_TYPE_SAMPLE) {
			const struct rte_flow_action_sample *s = a->conf;
			int k;

			r->ratio = s->ratio;
			for (k = 0; k < 3; k++) {
				r->sub[k] = s->actions[k].type;
				if (s->actions[k].type == RTE_FLOW_ACTION_TYPE_QUEUE)
					r->sub_queue = ((const struct rte_flow_action_queue *)
							s->actions[k].conf)->index;
				if (s->actions[k].type == RTE_FLOW_ACTION_TYPE_PORT_REPRESENTOR)
					r->sub_port = ((const struct rte_flow_action_ethdev *)
						       s->actions[k].conf)->port_id;
				if (s->actions[k].type == RTE_FLOW_ACTION_TYPE_END)
					break;
			}
		} else if (a->type == RTE_FLOW_ACTION_TYPE_QUEUE) {
			r->fate_queue = ((const struct rte_flow_action_queue *)a->conf)->index;
		} else if (a->type == RTE_FLOW_ACTION_TYPE_REPRESENTED_PORT) {
			r->fate_port = ((const struct rte_flow_action_ethdev *)a->conf)->port_id;
		} else if (a->type == RTE_FLOW_ACTION_TYPE_RSS) {
			const struct rte_flow_action_rss *rss = a->conf;
			uint32_t q;

			r->rss_n = rss->queue_num;
			r->rss_types = rss->types;
			assert_true(rss->queue_num <= 8);
			for (q = 0; q < rss->queue_num; q++)
				r->rss_q[q] = rss->queue[q];
		}
		if (a->type == RTE_FLOW_ACTION_TYPE_END)
			break;
	}
	assert_true(i < 5);
}


int
__wrap_rte_flow_validate(uint16_t port_id, const struct rte_flow_attr *attr,
			 const struct rte_flow_item pattern[],
			 const struct rte_flow_action actions[], struct rte_flow_error *error)
{
	pmd.validate_calls++;
	record(port_id, attr, pattern, actions);
	if (pmd.refuse_validate) {
		error->type = RTE_FLOW_ERROR_TYPE_ACTION;
		error->message = pmd.refuse_msg;
		return -pmd.refuse_validate;
	}
	return 0;
}

struct rte_flow *
__wrap_rte_flow_create(uint16_t port_id, const struct rte_flow_attr *attr,
		       const struct rte_flow_item pattern[],
		       const struct rte_flow_action actions[], struct rte_flow_error *error)
{
	int i = pmd.create_calls++;

	record(port_id, attr, pattern, actions);
	if ((pmd.refuse_create_from != 0 && pmd.create_calls >= pmd.refuse_create_from) ||
	    (pmd.one_rule_per_port && live_flows() > 0)) {
		error->type = RTE_FLOW_ERROR_TYPE_ACTION;
		error->message = "sampler resources exhausted";
		rte_errno = ENOSPC;
		return NULL;
	}
	assert_true(i < MAX_FLOWS);
	pmd.created_ratio[i] = pmd.last.ratio;
	pmd.live[i] = 1;
	return (struct rte_flow *)&flow_handles[i];
}

static int
handle_index(struct rte_flow *flow)
{
	int i = (int)((char *)flow - flow_handles);

	assert_true(i >= 0 && i < MAX_FLOWS);
	return i;
}

int
__wrap_rte_flow_destroy(uint16_t port_id, struct rte_flow *flow, struct rte_flow_error *error)
{
	int i = handle_index(flow);

	(void)port_id;
	(void)error;
	assert_int_equal(pmd.live[i], 1); /* never twice, never a handle we did not give */
	pmd.live[i] = 0;
	pmd.destroyed_order[pmd.n_destroyed++] = i;
	pmd.destroy_calls++;
	return 0;
}

int
__wrap_rte_flow_query(uint16_t port_id, struct rte_flow *flow,
		      const struct rte_flow_action *action, void *data,
		      struct rte_flow_error *error)
{
	struct rte_flow_query_count *q = data;
	int i = handle_index(flow);

	(void)port_id;
	(void)error;
	pmd.query_calls++;
	assert_int_equal(action->type, RTE_FLOW_ACTION_TYPE_COUNT);
	assert_int_equal(pmd.live[i], 1);
	q->hits_set = 1;
	q->hits = pmd.hits[i];
	return 0;
}

static int
reset(void **state)
{
	(void)state;
	memset(&pmd, 0, sizeof(pmd));
	return 0;
}

static const struct dps_offload_spec nic_one_queue = {
	.domain = DPS_OFFLOAD_NIC_RX, .port_id = 3, .flow_port_id = 3,
	.sample_queue = 1, .nb_normal_rxq = 1, .fwd_port_id = -1,
};

static const struct dps_offload_spec nic_four_queues = {
	.domain = DPS_OFFLOAD_NIC_RX, .port_id = 2, .flow_port_id = 2,
	.sample_queue = 4, .nb_normal_rxq = 4, .rss_types = RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP,
	.fwd_port_id = -1,
};

static const struct dps_offload_spec eswitch_monitor = {
	.domain = DPS_OFFLOAD_ESWITCH, .port_id = 5, .flow_port_id = 0, .fwd_port_id = -1,
};

static const struct dps_offload_spec eswitch_forward = {
	.domain = DPS_OFFLOAD_ESWITCH, .port_id = 5, .flow_port_id = 0, .fwd_port_id = 6,
};

/* ---- rule shapes ------------------------------------------------------------------------- */

static void
test_nic_rx_single_queue(void **state)
{
	(void)state;
	assert_int_equal(dps_offload_try(&nic_one_queue, 1000, false, NULL, NULL, 0), 0);
	assert_int_equal(pmd.validate_calls, 1);
	assert_int_equal(pmd.create_calls, 0); /* validate only */
	assert_int_equal(pmd.last.port, 3);
	assert_int_equal(pmd.last.attr.ingress, 1);
	assert_int_equal(pmd.last.attr.egress, 0);
	assert_int_equal(pmd.last.attr.transfer, 0);
	assert_int_equal(pmd.last.attr.group, 0);
	/* pattern: eth / end, matching every frame */
	assert_int_equal(pmd.last.items[0], RTE_FLOW_ITEM_TYPE_ETH);
	assert_int_equal(pmd.last.items[1], RTE_FLOW_ITEM_TYPE_END);
	assert_false(pmd.last.items_have_spec);
	/* actions: sample(1000, queue 1 / end) / queue 0 / end */
	assert_int_equal(pmd.last.acts[0], RTE_FLOW_ACTION_TYPE_SAMPLE);
	assert_int_equal(pmd.last.ratio, 1000);
	assert_int_equal(pmd.last.sub[0], RTE_FLOW_ACTION_TYPE_QUEUE);
	assert_int_equal(pmd.last.sub_queue, 1);
	assert_int_equal(pmd.last.sub[1], RTE_FLOW_ACTION_TYPE_END);
	assert_int_equal(pmd.last.acts[1], RTE_FLOW_ACTION_TYPE_QUEUE);
	assert_int_equal(pmd.last.fate_queue, 0);
	assert_int_equal(pmd.last.acts[2], RTE_FLOW_ACTION_TYPE_END);
}

static void
test_nic_rx_rss_fate_skips_sample_queue(void **state)
{
	(void)state;
	assert_int_equal(dps_offload_try(&nic_four_queues, 4096, false, NULL, NULL, 0), 0);
	assert_int_equal(pmd.last.ratio, 4096);
	assert_int_equal(pmd.last.sub_queue, 4);
	assert_int_equal(pmd.last.acts[1], RTE_FLOW_ACTION_TYPE_RSS);
	assert_int_equal(pmd.last.rss_n, 4);
	for (int q = 0; q < 4; q++)
		assert_int_equal(pmd.last.rss_q[q], q);
	assert_int_equal(pmd.last.rss_types, RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP);
	assert_int_equal(pmd.last.acts[2], RTE_FLOW_ACTION_TYPE_END);
}

static void
test_eswitch_monitor(void **state)
{
	(void)state;
	assert_int_equal(dps_offload_try(&eswitch_monitor, 512, false, NULL, NULL, 0), 0);
	assert_int_equal(pmd.last.port, 0); /* on the transfer proxy, not the representor */
	assert_int_equal(pmd.last.attr.transfer, 1);
	assert_int_equal(pmd.last.attr.ingress, 0);
	assert_int_equal(pmd.last.items[0], RTE_FLOW_ITEM_TYPE_REPRESENTED_PORT);
	assert_int_equal(pmd.last.src_port, 5);
	assert_int_equal(pmd.last.items[1], RTE_FLOW_ITEM_TYPE_ETH);
	assert_int_equal(pmd.last.items[2], RTE_FLOW_ITEM_TYPE_END);
	assert_int_equal(pmd.last.acts[0], RTE_FLOW_ACTION_TYPE_SAMPLE);
	assert_int_equal(pmd.last.ratio, 512);
	assert_int_equal(pmd.last.sub[0], RTE_FLOW_ACTION_TYPE_PORT_REPRESENTOR);
	assert_int_equal(pmd.last.sub_port, 5);
	assert_int_equal(pmd.last.sub[1], RTE_FLOW_ACTION_TYPE_END);
	assert_int_equal(pmd.last.acts[1], RTE_FLOW_ACTION_TYPE_COUNT);
	assert_int_equal(pmd.last.acts[2], RTE_FLOW_ACTION_TYPE_DROP);
	assert_int_equal(pmd.last.acts[3], RTE_FLOW_ACTION_TYPE_END);
}

static void
test_eswitch_forward(void **state)
{
	(void)state;
	assert_int_equal(dps_offload_try(&eswitch_forward, 1, false, NULL, NULL, 0), 0);
	assert_int_equal(pmd.last.ratio, 1);
	assert_int_equal(pmd.last.acts[1], RTE_FLOW_ACTION_TYPE_COUNT);
	assert_int_equal(pmd.last.acts[2], RTE_FLOW_ACTION_TYPE_REPRESENTED_PORT);
	assert_int_equal(pmd.last.fate_port, 6);
	assert_int_equal(pmd.last.acts[3], RTE_FLOW_ACTION_TYPE_END);
}

/* ---- validation answers -------------------------------------------------------------------- */

static void
test_refusal_carries_pmd_message(void **state)
{
	struct dps_offload_state st = { .spec = nic_one_queue, .mode = DPS_OFFLOAD_AUTO,
					.usable = true };
	char why[256];

	(void)state;
	pmd.refuse_validate = ENOTSUP;
	pmd.refuse_msg = "sample action not supported";
	assert_int_equal(dps_offload_try(&nic_one_queue, 100, false, NULL, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "rte_flow_validate"));
	assert_non_null(strstr(why, "sample action not supported"));
	assert_non_null(strstr(why, strerror(ENOTSUP)));

	/* auto: apply falls back, keeps no rule, says why */
	assert_false(dps_offload_apply(&st, 100));
	assert_null(st.flow);
	assert_int_equal(pmd.create_calls, 0);
	assert_non_null(strstr(st.reason, "sample action not supported"));

	/* no message from the PMD: the errno text stands in */
	pmd.refuse_msg = NULL;
	assert_int_equal(dps_offload_try(&nic_one_queue, 100, false, NULL, why, sizeof(why)), -1);
	assert_string_equal(why, "rte_flow_validate: Operation not supported");
}

/* ---- lifecycle ----------------------------------------------------------------------------- */

static void
test_apply_creates_once_and_rebuilds_on_new_ratio(void **state)
{
	struct dps_offload_state st = { .spec = nic_four_queues, .mode = DPS_OFFLOAD_ON,
					.usable = true };

	(void)state;
	assert_true(dps_offload_apply(&st, 1000));
	assert_non_null(st.flow);
	assert_int_equal(st.ratio, 1000);
	assert_string_equal(st.reason, "");
	assert_int_equal(pmd.create_calls, 1);
	assert_int_equal(pmd.validate_calls, 1); /* validated before created */

	/* same rate (e.g. a reload that changed something else): untouched */
	assert_true(dps_offload_apply(&st, 1000));
	assert_int_equal(pmd.create_calls, 1);
	assert_int_equal(pmd.destroy_calls, 0);

	/* SIGHUP changes N: the new rule exists before the old one goes */
	assert_true(dps_offload_apply(&st, 250));
	assert_int_equal(pmd.create_calls, 2);
	assert_int_equal(pmd.created_ratio[1], 250);
	assert_int_equal(pmd.destroy_calls, 1);
	assert_int_equal(pmd.destroyed_order[0], 0);
	assert_int_equal(live_flows(), 1);
	assert_int_equal(st.ratio, 250);

	/* shutdown */
	dps_offload_remove(&st);
	assert_null(st.flow);
	assert_int_equal(live_flows(), 0);
	assert_int_equal(pmd.destroy_calls, 2);
	dps_offload_remove(&st); /* idempotent: nothing destroyed twice */
	assert_int_equal(pmd.destroy_calls, 2);
}

static void
test_reload_to_off_and_rate_zero_remove_the_rule(void **state)
{
	struct dps_offload_state st = { .spec = nic_one_queue, .mode = DPS_OFFLOAD_AUTO,
					.usable = true };

	(void)state;
	assert_true(dps_offload_apply(&st, 400));
	st.mode = DPS_OFFLOAD_OFF; /* SIGHUP: offload = off */
	assert_false(dps_offload_apply(&st, 400));
	assert_null(st.flow);
	assert_int_equal(live_flows(), 0);
	assert_string_equal(st.reason, "offload = off");

	st.mode = DPS_OFFLOAD_AUTO; /* and back */
	assert_true(dps_offload_apply(&st, 400));
	assert_int_equal(live_flows(), 1);

	assert_false(dps_offload_apply(&st, 0)); /* link down: nothing to sample */
	assert_int_equal(live_flows(), 0);
	assert_non_null(strstr(st.reason, "sampling off"));

	/* an unusable port (no sample queue) never calls the PMD */
	st.usable = false;
	pmd.validate_calls = pmd.create_calls = 0;
	assert_false(dps_offload_apply(&st, 400));
	assert_int_equal(pmd.validate_calls + pmd.create_calls, 0);
}

static void
test_rebuild_refused_falls_back_without_stale_rule(void **state)
{
	struct dps_offload_state st = { .spec = nic_one_queue, .mode = DPS_OFFLOAD_AUTO,
					.usable = true };

	(void)state;
	assert_true(dps_offload_apply(&st, 1000));
	/* the NIC takes one sampler: the second create fails while the first rule lives, and
	 * fails again after it is removed: software sampling, and the 1-in-1000 rule is gone */
	pmd.refuse_create_from = 2;
	assert_false(dps_offload_apply(&st, 10));
	assert_null(st.flow);
	assert_int_equal(live_flows(), 0);
	assert_int_equal(pmd.create_calls, 3); /* once beside the old rule, once alone */
	assert_non_null(strstr(st.reason, "rte_flow_create"));
	assert_non_null(strstr(st.reason, "sampler resources exhausted"));
	assert_non_null(strstr(st.reason, strerror(ENOSPC)));
}

static void
test_rebuild_retries_alone_when_one_rule_per_port(void **state)
{
	struct dps_offload_state st = { .spec = nic_one_queue, .mode = DPS_OFFLOAD_AUTO,
					.usable = true };

	(void)state;
	pmd.one_rule_per_port = 1;
	assert_true(dps_offload_apply(&st, 1000));
	/* beside the old rule the create is refused; alone it is accepted */
	assert_true(dps_offload_apply(&st, 10));
	assert_int_equal(pmd.create_calls, 3);
	assert_int_equal(pmd.destroy_calls, 1);
	assert_int_equal(live_flows(), 1);
	assert_int_equal(st.ratio, 10);
	assert_string_equal(st.reason, "");
}

static void
test_eswitch_pool_survives_rebuilds(void **state)
{
	struct dps_offload_state st = { .spec = eswitch_monitor, .mode = DPS_OFFLOAD_AUTO,
					.usable = true };
	uint64_t hits = 0;

	(void)state;
	assert_true(dps_offload_apply(&st, 100));
	pmd.hits[0] = 5000;
	assert_int_equal(dps_offload_hits(&st, &hits), 0);
	assert_int_equal(hits, 5000);
	/* rebuilt at a new rate: the old rule's count is kept, the new one adds to it */
	assert_true(dps_offload_apply(&st, 200));
	pmd.hits[1] = 70;
	assert_int_equal(dps_offload_hits(&st, &hits), 0);
	assert_int_equal(hits, 5070);
	dps_offload_remove(&st);
	assert_int_equal(dps_offload_hits(&st, &hits), 0);
	assert_int_equal(hits, 5070);
	/* NIC Rx rules carry no COUNT: the pool comes from the port's counters */
	st.spec = nic_one_queue;
	assert_int_equal(dps_offload_hits(&st, &hits), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_nic_rx_single_queue, reset),
		cmocka_unit_test_setup(test_nic_rx_rss_fate_skips_sample_queue, reset),
		cmocka_unit_test_setup(test_eswitch_monitor, reset),
		cmocka_unit_test_setup(test_eswitch_forward, reset),
		cmocka_unit_test_setup(test_refusal_carries_pmd_message, reset),
		cmocka_unit_test_setup(test_apply_creates_once_and_rebuilds_on_new_ratio, reset),
		cmocka_unit_test_setup(test_reload_to_off_and_rate_zero_remove_the_rule, reset),
		cmocka_unit_test_setup(test_rebuild_refused_falls_back_without_stale_rule, reset),
		cmocka_unit_test_setup(test_rebuild_retries_alone_when_one_rule_per_port, reset),
		cmocka_unit_test_setup(test_eswitch_pool_survives_rebuilds, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
