/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sflow_ring_fast.c - the OVS patch's inline fast path (ovs_patches/0001,
 * lib/dpif-netdev-sflow-ring.h), built against the patched tree's libopenvswitch.
 *
 * The fast path recognises a flow's sFlow sample action by its pointer while the PMD thread
 * has not quiesced since the action's bytes were last compared (nothing the thread read can
 * be freed before it quiesces), and compares the bytes again after each quiesce. These tests
 * pin that contract down by changing an action's bytes in place, which a real datapath never
 * does inside one epoch, so that which check ran is visible in the port's sampling rate:
 *   - same pointer, same epoch: the pointer check is trusted (the old rate stays);
 *   - after sflow_ring_pmd_quiesced(): the bytes are compared, the change is seen at once;
 *   - the non-PMD instance (never reports a quiesce): the bytes are compared every batch;
 *   - a copy of the same bytes elsewhere still takes the fast path (no parse);
 *   - ports polled in turn, samples due: each keeps its own parsed action (cookie, rate);
 *   - samples due on the inline path: gaps uniform on [1, 2N-1], the count pool/N;
 *   - sflow_ring_pmd_untrust() (actions from an upcall's reused buffer): bytes compared again;
 *   - a thread taking over a released ring draws a fresh gap;
 *   - the largest rate's gaps span [1, 2N-1].
 * A thread's first batch claims a ring, which starts its state afresh (epoch included): the
 * fixture's arm() gets each test past that.
 */
#include <config.h>
#include <setjmp.h>
#include <stdarg.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "dp-packet.h"
#include "dpif-netdev-sflow-ring.h"
#include "netlink.h"
#include "odp-netlink.h"
#include "odp-util.h"
#include "openvswitch/ofpbuf.h"
#include "ovs_sflow_action.h"

#define OLD_RATE (1u << 24) /* gaps of ~1.7e7 packets: no sample within these tests */
#define NEW_RATE 2u         /* gaps of 1..3 packets: a sample in every 32-packet batch */

/* The rate the ring reports for a flow asking for 1:n (OVS's probability is UINT32_MAX / n,
 * rounded back to the nearest N). */
static uint32_t reported(uint32_t n)
{
    uint32_t p = UINT32_MAX / n;
    return (uint32_t) (((uint64_t) UINT32_MAX + p / 2) / p);
}

struct fixture {
    char path[64];
    struct sflow_ring_map *map;
    struct sflow_ring_pmd st;
    struct dp_packet *pkts[32];
    struct dp_packet_batch batch;
    struct ofpbuf action;       /* where the datapath's flow keeps its actions */
};

/* The flow's actions become the sample action for 1:n (output 2), in place. */
static void set_action(struct ofpbuf *buf, uint32_t n)
{
    ofpbuf_clear(buf);
    put_sflow_action(buf, n, 2);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/dev/shm/dps-test-sflow-fast-%d.ring", (int) getpid());
    f->map = sflow_ring_map_create(f->path);
    if (!f->map) {
        free(f);
        return -1;
    }
    sflow_ring_pmd_init(&f->st);
    for (int i = 0; i < 32; i++) {
        f->pkts[i] = dp_packet_new(128);
        dp_packet_put_zeros(f->pkts[i], 64);
        f->pkts[i]->md.in_port.odp_port = u32_to_odp(1);
    }
    ofpbuf_init(&f->action, 256);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    sflow_ring_pmd_release(&f->st, f->map);
    sflow_ring_map_destroy(f->map);
    unlink(f->path);
    for (int i = 0; i < 32; i++) {
        dp_packet_delete(f->pkts[i]);
    }
    ofpbuf_uninit(&f->action);
    free(f);
    return 0;
}

/* One 32-packet batch from port 1 whose flow's actions start at 'sample'. */
static void offer(struct fixture *f, const struct nlattr *sample)
{
    dp_packet_batch_init(&f->batch);
    for (int i = 0; i < 32; i++) {
        dp_packet_batch_add(&f->batch, f->pkts[i]);
    }
    assert_true(sflow_ring_offer(f->map, &f->st, 1, &f->batch, sample,
                                 (const struct nlattr *) ((const char *) sample +
                                                          sample->nla_len), 0));
}

/* The first batches of a fresh thread: the first claims a ring (which starts the thread's
 * state afresh, its epoch included), the second parses the action and arms the port's fast
 * entry. A PMD thread then quiesces, and the next batch compares the bytes once and records
 * the pointer; the non-PMD instance never quiesces. 3 batches in all. */
static void arm(struct fixture *f, const struct nlattr *sample, bool pmd)
{
    offer(f, sample);
    offer(f, sample);
    struct sflow_ring_fast *e = &f->st.fast[1 & (SFLOW_RING_FAST - 1)];
    assert_int_equal(e->len, sample->nla_len);
    if (pmd) {
        sflow_ring_pmd_quiesced(&f->st);
    }
    offer(f, sample);
    if (pmd) {
        assert_ptr_equal(e->checked, sample);
    } else {
        assert_null(e->checked);
    }
}

static struct dps_ovs_port_stats *port_stats(struct fixture *f)
{
    struct sflow_ring_fast *e = &f->st.fast[1 & (SFLOW_RING_FAST - 1)];
    assert_int_equal(e->port, 1);
    assert_non_null(e->stats);
    return e->stats;
}

static void test_pointer_trusted_within_epoch(void **state)
{
    struct fixture *f = *state;
    set_action(&f->action, OLD_RATE);
    const struct nlattr *sample = f->action.data;
    arm(f, sample, true);
    struct dps_ovs_port_stats *ps = port_stats(f);
    assert_int_equal(ps->sampling_rate, reported(OLD_RATE));
    assert_int_equal(ps->sample_pool, 3 * 32);

    /* same place, new bytes, same epoch: the pointer is trusted, nothing is re-read */
    void *before = f->action.data;
    set_action(&f->action, NEW_RATE);
    assert_ptr_equal(before, f->action.data);
    for (int i = 0; i < 10; i++) {
        offer(f, sample);
    }
    assert_int_equal(ps->sampling_rate, reported(OLD_RATE));
    assert_int_equal(ps->samples, 0);
    assert_int_equal(ps->sample_pool, 13 * 32);

    /* after a quiesce the bytes are compared: the new rate is seen in the next batch */
    sflow_ring_pmd_quiesced(&f->st);
    offer(f, sample);
    assert_int_equal(ps->sampling_rate, reported(NEW_RATE));
    assert_true(ps->samples >= 1);
    assert_int_equal(ps->sample_pool, 14 * 32);
}

/* Actions run from an upcall's (or a caller's) buffer: the next upcall reuses the buffer at
 * the same address within the same epoch, so dpif-netdev brackets such a run with
 * sflow_ring_pmd_untrust(). Same place, new bytes, no quiesce: after an untrust the bytes are
 * compared and the new rate is seen at once (test_pointer_trusted_within_epoch shows the
 * old rate staying without it). */
static void test_untrust_compares_reused_buffer(void **state)
{
    struct fixture *f = *state;
    set_action(&f->action, OLD_RATE);
    const struct nlattr *sample = f->action.data;
    arm(f, sample, true);
    struct dps_ovs_port_stats *ps = port_stats(f);
    uint64_t epoch = f->st.epoch;
    sflow_ring_pmd_untrust(&f->st);
    assert_true(f->st.epoch != epoch);
    set_action(&f->action, NEW_RATE);
    assert_ptr_equal(sample, f->action.data);
    offer(f, sample);
    assert_int_equal(ps->sampling_rate, reported(NEW_RATE));
    assert_true(ps->samples >= 1);
}

/* The non-PMD instance (epoch 0) trusts no pointer; an untrust must leave it so. */
static void test_untrust_keeps_non_pmd_at_zero(void **state)
{
    struct fixture *f = *state;
    set_action(&f->action, OLD_RATE);
    arm(f, f->action.data, false);
    sflow_ring_pmd_untrust(&f->st);
    assert_int_equal(f->st.epoch, 0);
    offer(f, f->action.data);
    assert_null(f->st.fast[1].checked);
}

/* A PMD goes away (sflow_ring_pmd_release) and a new thread takes over its ring: the ring
 * still holds the port's slot and rate, while the new thread's countdown for that slot is 0.
 * The new thread must draw a fresh gap, not read packets[countdown - 1]: the samples go on,
 * from the same head, with the pool continuing. */
static void test_takeover_draws_fresh_gap(void **state)
{
    struct fixture *f = *state;
    set_action(&f->action, NEW_RATE);
    arm(f, f->action.data, true);
    struct dps_ovs_ring *ring = f->st.ring;
    uint64_t head = ring->head, pool = port_stats(f)->sample_pool;
    assert_true(head >= 1);
    sflow_ring_pmd_release(&f->st, f->map);
    assert_null(f->st.ring);
    for (int k = 0; k < 4; k++) {
        offer(f, f->action.data);
    }
    assert_ptr_equal(f->st.ring, ring);             /* the released ring, taken over */
    assert_true(ring->head > head);
    for (uint64_t h = head; h < ring->head; h++) {
        const struct dps_ovs_record *rec = &ring->records[h % DPS_OVS_RING_CAPACITY];
        assert_int_equal(rec->in_odp_port, 1);
        assert_in_range(rec->sample_pool, pool + 1, pool + 4 * 32);
    }
    assert_int_equal(port_stats(f)->sample_pool, pool + 4 * 32);
}

static void test_non_pmd_compares_every_batch(void **state)
{
    struct fixture *f = *state;             /* never quiesced: the non-PMD instance */
    set_action(&f->action, OLD_RATE);
    const struct nlattr *sample = f->action.data;
    arm(f, sample, false);
    struct dps_ovs_port_stats *ps = port_stats(f);
    assert_int_equal(ps->sampling_rate, reported(OLD_RATE));

    set_action(&f->action, NEW_RATE);
    offer(f, sample);
    assert_int_equal(ps->sampling_rate, reported(NEW_RATE));
    assert_true(ps->samples >= 1);
    assert_int_equal(ps->sample_pool, 4 * 32);
}

static void test_same_bytes_elsewhere_stay_fast(void **state)
{
    struct fixture *f = *state;
    set_action(&f->action, OLD_RATE);
    arm(f, f->action.data, true);
    struct dps_ovs_port_stats *ps = port_stats(f);

    /* the flow was re-installed: same bytes at another address */
    struct ofpbuf copy;
    ofpbuf_init(&copy, 256);
    ofpbuf_put(&copy, f->action.data, f->action.size);
    assert_ptr_not_equal(copy.data, f->action.data);
    uint64_t countdown = f->st.countdown[f->st.fast[1].slot];
    offer(f, copy.data);
    struct sflow_ring_fast *e = &f->st.fast[1 & (SFLOW_RING_FAST - 1)];
    assert_ptr_equal(e->checked, copy.data);    /* accepted by the byte compare */
    assert_int_equal(f->st.countdown[e->slot], countdown - 32);  /* the same gap goes on */
    assert_int_equal(ps->sampling_rate, reported(OLD_RATE));
    assert_int_equal(ps->sample_pool, 4 * 32);
    ofpbuf_uninit(&copy);
}

static void test_changed_pointer_and_bytes_take_slow_path(void **state)
{
    struct fixture *f = *state;
    set_action(&f->action, OLD_RATE);
    arm(f, f->action.data, true);
    struct dps_ovs_port_stats *ps = port_stats(f);

    /* a new flow (new buffer) with another rate, same epoch: the pointer differs, so the
     * bytes are compared and the change is seen at once */
    struct ofpbuf other;
    ofpbuf_init(&other, 256);
    set_action(&other, NEW_RATE);
    offer(f, other.data);
    assert_int_equal(ps->sampling_rate, reported(NEW_RATE));
    assert_true(ps->samples >= 1);
    ofpbuf_uninit(&other);
}

/* One 32-packet batch from 'port'. */
static void offer_from(struct fixture *f, const struct nlattr *sample, uint32_t port)
{
    for (int i = 0; i < 32; i++) {
        f->pkts[i]->md.in_port.odp_port = u32_to_odp(port);
    }
    offer(f, sample);
}

/* A PMD polling two ports in turn, each port's flow with its own sample action (its own
 * output in the cookie, its own rate), a sample due in nearly every batch: the slow path
 * reuses a port's parse only while its entry holds that port and those bytes, so every
 * record carries its port's cookie and rate. Ports 1 and 5 share an entry of the
 * direct-mapped table, so each batch finds the other port's parse there. */
static void test_ports_in_turn_keep_their_actions(void **state)
{
    struct fixture *f = *state;
    struct ofpbuf a1, a2;
    ofpbuf_init(&a1, 256);
    ofpbuf_init(&a2, 256);
    put_sflow_action(&a1, NEW_RATE, 7);
    put_sflow_action(&a2, 3, 9);
    sflow_ring_pmd_quiesced(&f->st);
    for (int k = 0; k < 30; k++) {
        offer_from(f, a1.data, 1);
        offer_from(f, a2.data, 5);
        if (k % 8 == 7) {
            sflow_ring_pmd_quiesced(&f->st);
        }
    }
    struct dps_ovs_ring *ring = f->st.ring;
    assert_non_null(ring);
    uint64_t n[6] = { 0 };
    for (uint64_t h = 0; h < ring->head; h++) {
        const struct dps_ovs_record *rec = &ring->records[h % DPS_OVS_RING_CAPACITY];
        assert_true(rec->in_odp_port == 1 || rec->in_odp_port == 5);
        assert_int_equal(rec->sflow_output, rec->in_odp_port == 1 ? 7 : 9);
        assert_int_equal(rec->sampling_rate,
                         rec->in_odp_port == 1 ? reported(NEW_RATE) : reported(3));
        n[rec->in_odp_port]++;
    }
    assert_int_equal(ring->head, n[1] + n[5]);
    /* 30 batches of 32 per port at mean gaps of 2 and 3 packets: ~480 and ~320 samples,
     * all of them in the ring (no consumer here, and it holds 1024) */
    assert_in_range(n[1], 420, 540);
    assert_in_range(n[5], 260, 380);
    for (int s = 0; s < DPS_OVS_RING_PORT_SLOTS; s++) {
        assert_int_equal(ring->ports[s].drops, 0);
    }
    ofpbuf_uninit(&a1);
    ofpbuf_uninit(&a2);
}

/* The largest rate OVS can ask for (probability 1, read as N = UINT32_MAX): the gap must
 * still be uniform on [1, 2N - 1], so about half the draws exceed 2^32. A draw times the
 * span once overflowed 64 bits there and never exceeded 2^32. Each switch from a 1:2 action
 * to the largest rate draws a fresh gap: 64 draws, none above 2^32 has probability 2^-64. */
static void test_largest_rate_gap_spans_range(void **state)
{
    struct fixture *f = *state;
    struct ofpbuf big, small;
    ofpbuf_init(&big, 256);
    ofpbuf_init(&small, 256);
    put_sflow_action(&big, UINT32_MAX, 2);
    put_sflow_action(&small, NEW_RATE, 2);
    offer(f, small.data);
    int above = 0;
    for (int k = 0; k < 64; k++) {
        offer(f, small.data);
        offer(f, big.data);
        struct sflow_ring_fast *e = &f->st.fast[1 & (SFLOW_RING_FAST - 1)];
        assert_int_equal(e->stats->sampling_rate, UINT32_MAX);
        uint64_t gap = f->st.countdown[e->slot] + 32;  /* the batch went on the countdown */
        assert_in_range(gap, 33, 2 * (uint64_t) UINT32_MAX - 1);
        above += gap > (UINT64_C(1) << 32);
    }
    assert_true(above > 0);
    ofpbuf_uninit(&big);
    ofpbuf_uninit(&small);
}

/* Samples due in batches the inline path recognises go straight to the sampler
 * (sflow_ring_sample_due) with the entry's slot, rate and cookie. Two ports in turn, in
 * different entries of the direct-mapped table, each with its own action (output 7 or 9),
 * 4000 batches of 32 each at 1:16, the ring drained after each batch as a consumer would.
 * Per port: every gap between two samples (the difference of their sample_pool) lies in
 * [1, 31]; the gap histogram is flat (chi-square over the 31 values, 30 degrees of freedom,
 * below 80: p = 2e-6 for a uniform draw); the count is pool / 16 within 4 sigma (a renewal
 * count: variance pool * Var(gap) / 16^3); every record carries its port's cookie and holds
 * the packet its sample_pool names. The generator's state and the first gaps are set after
 * the arming batches, so the run is the same every time. */
static void test_due_samples_gaps_uniform(void **state)
{
    struct fixture *f = *state;
    enum { RATE = 16, BATCHES = 4000, MAXGAP = 2 * RATE - 1 };
    static const uint32_t port[2] = { 1, 2 }, output[2] = { 7, 9 };
    struct ofpbuf act[2];
    for (int i = 0; i < 32; i++) {
        ((uint8_t *) dp_packet_data(f->pkts[i]))[0] = (uint8_t) i;
    }
    for (int p = 0; p < 2; p++) {
        ofpbuf_init(&act[p], 256);
        put_sflow_action(&act[p], RATE, output[p]);
        offer_from(f, act[p].data, port[p]);    /* claim, then arm */
        offer_from(f, act[p].data, port[p]);
    }
    struct dps_ovs_ring *ring = f->st.ring;
    assert_non_null(ring);
    ring->tail = ring->head;
    f->st.rng = UINT64_C(0x9E3779B97F4A7C15);
    uint64_t hist[2][MAXGAP + 1] = { { 0 } }, count[2] = { 0 }, last_pool[2], pool0[2];
    for (int p = 0; p < 2; p++) {
        struct sflow_ring_fast *e = &f->st.fast[port[p] & (SFLOW_RING_FAST - 1)];
        assert_int_equal(e->port, port[p]);
        f->st.countdown[e->slot] = 1;           /* the next batch's first packet */
        pool0[p] = last_pool[p] = e->stats->sample_pool;
    }
    for (int k = 0; k < 2 * BATCHES; k++) {
        int p = k & 1;
        if (k % 64 == 0) {
            sflow_ring_pmd_quiesced(&f->st);
        }
        offer_from(f, act[p].data, port[p]);
        for (uint64_t h = ring->tail; h < ring->head; h++) {
            const struct dps_ovs_record *rec = &ring->records[h % DPS_OVS_RING_CAPACITY];
            assert_int_equal(rec->in_odp_port, port[p]);
            assert_int_equal(rec->sflow_output, output[p]);
            assert_int_equal(rec->sampling_rate, reported(RATE));
            uint64_t gap = rec->sample_pool - last_pool[p];
            assert_in_range(gap, 1, MAXGAP);
            assert_int_equal(rec->header[0], (rec->sample_pool - 1) % 32);
            if (count[p]) {
                hist[p][gap]++;
            }
            last_pool[p] = rec->sample_pool;
            count[p]++;
        }
        ring->tail = ring->head;
    }
    double want = (double) BATCHES * 32 / RATE;
    double var_gap = ((double) MAXGAP * MAXGAP - 1) / 12;
    double sigma = sqrt((double) BATCHES * 32 * var_gap / ((double) RATE * RATE * RATE));
    for (int p = 0; p < 2; p++) {
        const struct dps_ovs_port_stats *ps =
            f->st.fast[port[p] & (SFLOW_RING_FAST - 1)].stats;
        assert_int_equal(ps->sample_pool - pool0[p], (uint64_t) BATCHES * 32);
        assert_int_equal(ps->drops, 0);
        assert_true(fabs((double) count[p] - want) <= 4 * sigma);
        double chi2 = 0, cell = (double) (count[p] - 1) / MAXGAP;
        for (int g = 1; g <= MAXGAP; g++) {
            chi2 += (hist[p][g] - cell) * (hist[p][g] - cell) / cell;
        }
        assert_true(chi2 < 80);
        ofpbuf_uninit(&act[p]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pointer_trusted_within_epoch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_untrust_compares_reused_buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_untrust_keeps_non_pmd_at_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_takeover_draws_fresh_gap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_largest_rate_gap_spans_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_non_pmd_compares_every_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_bytes_elsewhere_stay_fast, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_pointer_and_bytes_take_slow_path, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ports_in_turn_keep_their_actions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_due_samples_gaps_uniform, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
