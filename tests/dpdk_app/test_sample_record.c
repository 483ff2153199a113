/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of dpdk_app/sample_record.h: the record a worker writes per sample and the ring
 * reservation it keeps open across bursts. No EAL: the ring lives in ordinary memory
 * (rte_ring_init) and the mbufs are single-segment stand-ins over a local buffer, which is all
 * rte_pktmbuf_read's inline path reads.
 *
 * What must hold: a record is invisible to the exporter until its batch is published, and a
 * batch is published when it fills, when a poll round finds no packet, or after
 * DPS_RECORD_BATCH_ROUNDS rounds; a full ring writes what fits and gives back the slots it
 * reserved but did not write; a reservation that wraps around the ring's end keeps the order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sample_record.h"

#define N_PKTS 40

struct fixture {
	struct rte_ring *ring;
	struct dps_record_batch batch;
	struct rte_mbuf mbufs[N_PKTS];
	struct rte_mbuf *pkts[N_PKTS];
	uint8_t data[N_PKTS][200];
	uint16_t idx[N_PKTS];
	struct dps_record_meta meta;
};

/* A ring of `count` slots (count - 1 usable), SP/SC as the agent creates it. */
static struct rte_ring *
ring_new(unsigned int count)
{
	ssize_t size = rte_ring_get_memsize_elem(sizeof(struct dps_sample_record), count);
	struct rte_ring *r;

	assert_true(size > 0);
	r = aligned_alloc(RTE_CACHE_LINE_SIZE, (size_t)RTE_ALIGN_CEIL(size, RTE_CACHE_LINE_SIZE));
	assert_non_null(r);
	assert_int_equal(rte_ring_init(r, "t", count, RING_F_SP_ENQ | RING_F_SC_DEQ), 0);
	return r;
}

/* Packet i: 100 + i bytes, every byte (i * 7 + offset) so that records are told apart. */
static struct fixture *
fixture_new(unsigned int ring_count)
{
	/* struct rte_mbuf is cache-line aligned: calloc's alignment is not enough */
	struct fixture *f = aligned_alloc(RTE_CACHE_LINE_SIZE,
					  RTE_ALIGN_CEIL(sizeof(*f), RTE_CACHE_LINE_SIZE));
	unsigned int i, k;

	assert_non_null(f);
	memset(f, 0, sizeof(*f));
	f->ring = ring_new(ring_count);
	for (i = 0; i < N_PKTS; i++) {
		for (k = 0; k < sizeof(f->data[i]); k++)
			f->data[i][k] = (uint8_t)(i * 7 + k);
		f->mbufs[i].buf_addr = f->data[i];
		f->mbufs[i].data_off = 0;
		f->mbufs[i].nb_segs = 1;
		f->mbufs[i].data_len = (uint16_t)(100 + i);
		f->mbufs[i].pkt_len = 100 + i;
		f->pkts[i] = &f->mbufs[i];
		f->idx[i] = (uint16_t)i;
	}
	f->meta = (struct dps_record_meta){
		.source = 3, .header_bytes = 64, .in_ifindex = 11, .out_ifindex = 12,
	};
	return f;
}

static int
setup(void **state)
{
	*state = fixture_new(64);
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	free(f->ring);
	free(f);
	return 0;
}

/* Packet i's record is labelled with rate 1000 + i, so a record written in the wrong call
 * or slot shows. */
static unsigned int
add(struct fixture *f, unsigned int first, unsigned int n)
{
	unsigned int queued = 0, got;

	/* one call per run of equal rates, as the worker makes: here every packet its own */
	for (unsigned int i = 0; i < n; i++) {
		got = dps_record_batch_add(f->ring, &f->batch, f->pkts, &f->idx[first + i], 1,
					   &f->meta, 1000 + first + i, 1);
		queued += got;
		if (got == 0)
			break;
	}
	return queued;
}

/* The same, all n in one call with one rate (a burst's samples). */
#define BURST_RATE 77
static unsigned int
add_burst(struct fixture *f, unsigned int first, unsigned int n)
{
	return dps_record_batch_add(f->ring, &f->batch, f->pkts, &f->idx[first], n, &f->meta,
				    BURST_RATE, BURST_RATE);
}

/* Dequeues one record and checks that it is packet i's, byte for byte, written with `rate`. */
static void
expect_rec(struct fixture *f, unsigned int i, uint32_t rate)
{
	struct dps_sample_record rec;

	memset(&rec, 0xAA, sizeof(rec));
	assert_int_equal(rte_ring_dequeue_elem(f->ring, &rec, sizeof(rec)), 0);
	assert_int_equal(rec.source, 3);
	assert_int_equal(rec.header_len, 64);
	assert_int_equal(rec.frame_len, 100 + i);
	assert_int_equal(rec.in_ifindex, 11);
	assert_int_equal(rec.out_ifindex, 12);
	assert_int_equal(rec.sampling_rate, rate);
	assert_int_equal(rec.reserved, 0);
	assert_memory_equal(rec.header, f->data[i], 64);
}

/* packet i, written by add() */
static void
expect_record(struct fixture *f, unsigned int i)
{
	expect_rec(f, i, 1000 + i);
}

static void
test_held_until_rounds(void **state)
{
	struct fixture *f = *state;
	unsigned int r;

	assert_int_equal(add(f, 5, 1), 1);
	assert_int_equal(rte_ring_count(f->ring), 0); /* reserved, written, not yet visible */
	for (r = 1; r < DPS_RECORD_BATCH_ROUNDS; r++) {
		dps_record_batch_round(f->ring, &f->batch, false);
		assert_int_equal(rte_ring_count(f->ring), 0);
	}
	dps_record_batch_round(f->ring, &f->batch, false);
	assert_int_equal(rte_ring_count(f->ring), 1);
	expect_record(f, 5);
	/* the next sample opens a new batch with a fresh round count */
	assert_int_equal(add(f, 6, 1), 1);
	dps_record_batch_round(f->ring, &f->batch, false);
	assert_int_equal(rte_ring_count(f->ring), 0);
}

static void
test_idle_round_publishes(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(add(f, 0, 2), 2);
	dps_record_batch_round(f->ring, &f->batch, false);
	assert_int_equal(rte_ring_count(f->ring), 0);
	dps_record_batch_round(f->ring, &f->batch, true);
	assert_int_equal(rte_ring_count(f->ring), 2);
	expect_record(f, 0);
	expect_record(f, 1);
	/* nothing open: an idle round and an explicit publish change nothing */
	dps_record_batch_round(f->ring, &f->batch, true);
	dps_record_batch_publish(f->ring, &f->batch);
	assert_int_equal(rte_ring_count(f->ring), 0);
}

static void
test_full_batch_publishes(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	for (i = 0; i + 1 < DPS_RECORD_BATCH; i++) {
		assert_int_equal(add(f, i, 1), 1);
		assert_int_equal(rte_ring_count(f->ring), 0);
	}
	assert_int_equal(add(f, i, 1), 1);
	assert_int_equal(rte_ring_count(f->ring), DPS_RECORD_BATCH);
	for (i = 0; i < DPS_RECORD_BATCH; i++)
		expect_record(f, i);
}

/* A burst with more samples than a batch holds reserves them all at once. */
static void
test_burst_larger_than_batch(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	assert_int_equal(add(f, 0, 3), 3);
	assert_int_equal(add_burst(f, 3, 30), 30);
	/* the first batch filled during the burst; the burst's remainder opened a second one
	 * of 30 - 13 = 17 slots, also filled */
	assert_int_equal(rte_ring_count(f->ring), 33);
	assert_int_equal(f->batch.reserved, 0);
	for (i = 0; i < 3; i++)
		expect_record(f, i);
	for (i = 3; i < 33; i++)
		expect_rec(f, i, BURST_RATE);
}

static void
test_wraps_in_order(void **state)
{
	struct fixture *f = *state;
	struct dps_sample_record rec;
	unsigned int i;

	memset(&rec, 0x55, sizeof(rec)); /* filler a misplaced record would be read as */
	/* move head and tail to slot 60 of 64 */
	for (i = 0; i < 60; i++) {
		assert_int_equal(rte_ring_enqueue_elem(f->ring, &rec, sizeof(rec)), 0);
		assert_int_equal(rte_ring_dequeue_elem(f->ring, &rec, sizeof(rec)), 0);
	}
	assert_int_equal(add_burst(f, 10, 8), 8);
	assert_int_equal(f->batch.zcd.n1, 4); /* the reservation really wrapped */
	dps_record_batch_publish(f->ring, &f->batch);
	for (i = 10; i < 18; i++)
		expect_rec(f, i, BURST_RATE);
}

static void
test_ring_full(void **state)
{
	struct fixture *f = *state;
	struct dps_sample_record rec;
	unsigned int i;

	memset(&rec, 0, sizeof(rec));
	for (i = 0; i < 50; i++) /* 13 of 63 usable slots left */
		assert_int_equal(rte_ring_enqueue_elem(f->ring, &rec, sizeof(rec)), 0);
	assert_int_equal(add(f, 0, 1), 1);
	assert_int_equal(f->batch.reserved, 13);
	dps_record_batch_round(f->ring, &f->batch, true);
	/* the 12 slots reserved and not written went back: they can be filled again */
	assert_int_equal(rte_ring_count(f->ring), 51);
	assert_int_equal(add_burst(f, 1, 20), 12);
	assert_int_equal(rte_ring_count(f->ring), 63);
	assert_int_equal(add(f, 13, 1), 0); /* full: the caller counts the drop */
	assert_int_equal(f->batch.reserved, 0);
	for (i = 0; i < 50; i++)
		assert_int_equal(rte_ring_dequeue_elem(f->ring, &rec, sizeof(rec)), 0);
	expect_record(f, 0);
	for (i = 1; i < 13; i++)
		expect_rec(f, i, BURST_RATE);
}

/* A burst across a rate change: its first record has the old rate, the others the new,
 * also when the first record closes one reservation and the others open the next. */
static void
test_two_rates(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	assert_int_equal(add_burst(f, 0, DPS_RECORD_BATCH - 1), DPS_RECORD_BATCH - 1);
	assert_int_equal(dps_record_batch_add(f->ring, &f->batch, f->pkts, &f->idx[20], 4,
					      &f->meta, 100, 1000), 4);
	dps_record_batch_publish(f->ring, &f->batch);
	for (i = 0; i < DPS_RECORD_BATCH - 1; i++)
		expect_rec(f, i, BURST_RATE);
	expect_rec(f, 20, 100);
	for (i = 21; i < 24; i++)
		expect_rec(f, i, 1000);
}

/* headerBytes larger than the frame: the record holds the whole frame */
static void
test_short_frame(void **state)
{
	struct fixture *f = *state;
	struct dps_sample_record rec;

	f->meta.header_bytes = 128;
	f->mbufs[2].data_len = 60;
	f->mbufs[2].pkt_len = 60;
	assert_int_equal(add(f, 2, 1), 1);
	dps_record_batch_publish(f->ring, &f->batch);
	assert_int_equal(rte_ring_dequeue_elem(f->ring, &rec, sizeof(rec)), 0);
	assert_int_equal(rec.header_len, 60);
	assert_int_equal(rec.frame_len, 60);
	assert_memory_equal(rec.header, f->data[2], 60);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_held_until_rounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_round_publishes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_batch_publishes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_burst_larger_than_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wraps_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ring_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_rates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_frame, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
