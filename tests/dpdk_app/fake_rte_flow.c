/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A stand-in NIC sampler for the integration test of hardware sampling (test_offload.py).
 * No vdev accepts rte_flow SAMPLE, so the agent's hardware path (sample queue, its task,
 * the NIC-counted sample_pool, rule rebuilds on reload, removal at exit) could otherwise
 * only run on an mlx5 NIC. This file is linked into a test-only copy of the agent,
 * dpsflow_fakeflow, with rte_flow_validate/create/destroy/query wrapped: it accepts NIC Rx
 * SAMPLE rules whose sample queue exists and logs every call on stderr, one line each:
 *   fake_rte_flow: validate port=P ratio=N queue=Q
 *   fake_rte_flow: create port=P ratio=N queue=Q id=I
 *   fake_rte_flow: destroy port=P id=I
 * With DPS_FAKE_FLOW_REFUSE set, every validate/create is refused with that text as the
 * PMD's message. net_null then plays the NIC: whatever it generates on the sample queue is
 * what the rule "copied" there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_flow.h>

#include "rte_flow_wrap.h"


#define MAX_RULES 64
static char handles[MAX_RULES];
static unsigned int next_id;

static int
refuse(struct rte_flow_error *e, int err, const char *msg)
{
	e->type = RTE_FLOW_ERROR_TYPE_ACTION;
	e->cause = NULL;
	e->message = msg;
	rte_errno = err;
	return -err;
}

/* 0 and the rule's ratio/queue when it is a NIC Rx SAMPLE-to-queue rule the port can take */
static int
check(uint16_t port_id, const struct rte_flow_attr *attr, const struct rte_flow_action *a,
      uint32_t *ratio, uint16_t *queue, struct rte_flow_error *e)
{
	const char *no = getenv("DPS_FAKE_FLOW_REFUSE");
	const struct rte_flow_action_sample *s;
	struct rte_eth_dev_info info;

	if (no != NULL)
		return refuse(e, ENOTSUP, no);
	if (!attr->ingress || attr->transfer || a[0].type != RTE_FLOW_ACTION_TYPE_SAMPLE)
		return refuse(e, ENOTSUP, "fake: only ingress SAMPLE rules");
	s = a[0].conf;
	if (s->ratio == 0 || s->actions[0].type != RTE_FLOW_ACTION_TYPE_QUEUE)
		return refuse(e, EINVAL, "fake: sample needs a ratio and a queue");
	*ratio = s->ratio;
	*queue = ((const struct rte_flow_action_queue *)s->actions[0].conf)->index;
	if (rte_eth_dev_info_get(port_id, &info) != 0 || *queue >= info.nb_rx_queues)
		return refuse(e, EINVAL, "fake: sample queue index out of range");
	return 0;
}

int
__wrap_rte_flow_validate(uint16_t port_id, const struct rte_flow_attr *attr,
			 const struct rte_flow_item pattern[],
			 const struct rte_flow_action actions[], struct rte_flow_error *error)
{
	uint32_t ratio = 0;
	uint16_t queue = 0;
	int rc;

	(void)pattern;
	rc = check(port_id, attr, actions, &ratio, &queue, error);
	fprintf(stderr, "fake_rte_flow: validate port=%u ratio=%u queue=%u rc=%d\n", port_id,
		ratio, queue, rc);
	return rc;
}

struct rte_flow *
__wrap_rte_flow_create(uint16_t port_id, const struct rte_flow_attr *attr,
		       const struct rte_flow_item pattern[],
		       const struct rte_flow_action actions[], struct rte_flow_error *error)
{
	uint32_t ratio = 0;
	uint16_t queue = 0;

	(void)pattern;
	if (check(port_id, attr, actions, &ratio, &queue, error) != 0)
		return NULL;
	if (next_id == MAX_RULES) {
		refuse(error, ENOSPC, "fake: out of rules");
		return NULL;
	}
	fprintf(stderr, "fake_rte_flow: create port=%u ratio=%u queue=%u id=%u\n", port_id,
		ratio, queue, next_id);
	return (struct rte_flow *)&handles[next_id++];
}

int
__wrap_rte_flow_destroy(uint16_t port_id, struct rte_flow *flow, struct rte_flow_error *error)
{
	(void)error;
	fprintf(stderr, "fake_rte_flow: destroy port=%u id=%u\n", port_id,
		(unsigned int)((char *)flow - handles));
	return 0;
}

int
__wrap_rte_flow_query(uint16_t port_id, struct rte_flow *flow,
		      const struct rte_flow_action *action, void *data,
		      struct rte_flow_error *error)
{
	(void)port_id;
	(void)flow;
	(void)action;
	(void)data;
	return refuse(error, ENOTSUP, "fake: no counters");
}
