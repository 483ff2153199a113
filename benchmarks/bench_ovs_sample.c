/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_ovs_sample.c ITERATIONS N [PORTS] - instructions per 32-packet batch spent on a flow's
 * sFlow sample action in the userspace datapath, stock (odp_execute_actions: a random draw per
 * packet; the upcall a hit triggers is NOT included, so stock is a lower bound) vs the
 * offload (sflow_ring_offer: per-batch countdown, every sample written into the ring, which
 * the loop drains after each batch as dpsflow would). PORTS (default 1): batches come from
 * that many input ports in turn, each with its own flow (the sFlow cookie names a different
 * output), as on a PMD polling several ports. Built by
 * benchmarks/bench_ovs.py against build/ovs/obj (the patched tree), run under
 *   valgrind --tool=callgrind --toggle-collect=run_stock --toggle-collect=run_offload
 */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include "dp-packet.h"
#include "dpif-netdev-sflow-ring.h"
#include "netlink.h"
#include "odp-execute.h"
#include "odp-netlink.h"
#include "odp-util.h"
#include "openvswitch/ofpbuf.h"
#include "ovs_sflow_action.h"

static void cb(void *dp, struct dp_packet_batch *b, const struct nlattr *a, bool steal)
{
    (void) dp; (void) a;
    dp_packet_delete_batch(b, steal);
}

void run_stock(struct dp_packet_batch *b, const struct nlattr *acts, size_t len);
void run_offload(struct sflow_ring_map *m, struct sflow_ring_pmd *st, struct dp_packet_batch *b,
                 const struct nlattr *acts, size_t len);

void __attribute__((noinline))
run_stock(struct dp_packet_batch *b, const struct nlattr *acts, size_t len)
{
    odp_execute_actions(NULL, b, false, acts, len, cb);
}

void __attribute__((noinline))
run_offload(struct sflow_ring_map *m, struct sflow_ring_pmd *st, struct dp_packet_batch *b,
            const struct nlattr *acts, size_t len)
{
    sflow_ring_offer(m, st, 1, b, acts, (const struct nlattr *) ((const char *) acts + len),
                     0);
}

#define MAX_PORTS 8

int main(int argc, char **argv)
{
    int iters = argc > 1 ? atoi(argv[1]) : 100000;
    uint32_t n = argc > 2 ? atoi(argv[2]) : 1000;
    int ports = argc > 3 ? atoi(argv[3]) : 1;
    if (n == 0 || ports < 1 || ports > MAX_PORTS) {
        fprintf(stderr, "usage: bench_ovs_sample ITERATIONS N [PORTS 1..%d]\n", MAX_PORTS);
        return 2;
    }
    struct ofpbuf buf[MAX_PORTS];
    struct dp_packet *pk[MAX_PORTS][32];
    for (int p = 0; p < ports; p++) {
        ofpbuf_init(&buf[p], 256);
        put_sflow_action(&buf[p], n, 2 + p);
        for (int i = 0; i < 32; i++) {
            pk[p][i] = dp_packet_new(128);
            dp_packet_put_zeros(pk[p][i], 64);
            pk[p][i]->md.in_port.odp_port = u32_to_odp(1 + p);
        }
    }
    char path[64];
    snprintf(path, sizeof path, "/dev/shm/dps-bench-ovs-sample-%d.ring", (int) getpid());
    struct sflow_ring_map *m = sflow_ring_map_create(path);
    if (!m) {
        return 1;
    }
    struct sflow_ring_pmd st;
    sflow_ring_pmd_init(&st);
    struct dp_packet_batch b;
    for (int it = 0; it < iters; it++) {
        int p = it % ports;
        if (it % 1024 == 0) {
            /* as the PMD loop does: an RCU quiesce at least every 1025 iterations (the
             * offload then compares the action's bytes once more) */
            sflow_ring_pmd_quiesced(&st);
        }
        dp_packet_batch_init(&b);
        for (int i = 0; i < 32; i++) dp_packet_batch_add(&b, pk[p][i]);
        run_stock(&b, buf[p].data, buf[p].size);
        run_offload(m, &st, &b, buf[p].data, buf[p].size);
        /* A consumer that keeps up, outside the measured function: without it the ring
         * (1024 records) fills within the first few thousand batches at 1:10 and 1:100, and
         * every later sample would be measured as a counted drop, not as a record written. */
        if (st.ring) {
            st.ring->tail = st.ring->head;
        }
    }
    sflow_ring_map_destroy(m);
    printf("done %d iterations at 1:%u, %d port(s)\n", iters, n, ports);
    return 0;
}
