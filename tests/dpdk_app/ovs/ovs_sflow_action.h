/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ovs_sflow_action.h - the datapath sample action ofproto-dpif gives a flow when the bridge has
 * sFlow (OVS 3.1: sample(probability, actions(userspace(pid, userdata = sFlow cookie,
 * actions)))), for C code built against the patched OVS tree: the test of the offload's fast
 * path and benchmarks/bench_ovs_sample.c. Needs OVS's netlink.h, odp-netlink.h, odp-util.h and
 * openvswitch/ofpbuf.h before it.
 */
#ifndef OVS_SFLOW_ACTION_H
#define OVS_SFLOW_ACTION_H

/* Appends the action for sampling 1-in-n (probability UINT32_MAX / n) of a flow whose sFlow
 * output is 'output'. */
static inline void put_sflow_action(struct ofpbuf *buf, uint32_t n, uint32_t output)
{
    size_t s = nl_msg_start_nested(buf, OVS_ACTION_ATTR_SAMPLE);
    nl_msg_put_u32(buf, OVS_SAMPLE_ATTR_PROBABILITY, UINT32_MAX / n);
    size_t a = nl_msg_start_nested(buf, OVS_SAMPLE_ATTR_ACTIONS);
    struct user_action_cookie ck;
    memset(&ck, 0, sizeof ck);
    ck.type = USER_ACTION_COOKIE_SFLOW;
    ck.sflow.output = output;
    size_t u = nl_msg_start_nested(buf, OVS_ACTION_ATTR_USERSPACE);
    nl_msg_put_u32(buf, OVS_USERSPACE_ATTR_PID, 0);
    nl_msg_put_unspec(buf, OVS_USERSPACE_ATTR_USERDATA, &ck, sizeof ck);
    nl_msg_put_flag(buf, OVS_USERSPACE_ATTR_ACTIONS);
    nl_msg_end_nested(buf, u);
    nl_msg_end_nested(buf, a);
    nl_msg_end_nested(buf, s);
}

#endif
