/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of dpdk_app/ovs/ovs_ring_reader.c against ring files the test writes the way a
 * patched ovs-vswitchd does (ovs_producer.h): attach / refuse / follow restarts / drain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ovs_producer.h"
#include "ovs_ring_reader.h"

struct fixture {
	char dir[128];
	char path[256];
	struct producer prod;
	struct dps_ovs_reader r;
};

/* What the drain callback saw, in order. */
struct seen {
	unsigned n;
	unsigned refuse_at;   /* nonzero: refuse the record when n reaches it (once) */
	unsigned ring[4096];
	uint32_t id[4096];
};

static bool record_cb(void *ctx, unsigned ring, const struct dps_ovs_record *rec)
{
	struct seen *s = ctx;

	if (s->refuse_at != 0 && s->n == s->refuse_at) {
		s->refuse_at = 0;
		return false; /* not consumed: stays in the ring */
	}
	assert_true(s->n < 4096);
	s->ring[s->n] = ring;
	s->id[s->n] = rec->frame_length;
	s->n++;
	return true;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	prod_tmpdir(fx->dir, sizeof(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/sflow-ring", fx->dir);
	dps_ovs_reader_init(&fx->r, fx->path);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	dps_ovs_reader_close(&fx->r);
	prod_remove(&fx->prod);
	unlink(fx->path);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static struct seen *seen_new(void)
{
	struct seen *s = calloc(1, sizeof(*s));
	assert_non_null(s);
	return s;
}

/* ------------------------------------------------------------------ attach / refuse */

static void test_missing_file_detached(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(fx->r.state, DPS_OVS_READER_DETACHED);
	assert_false(dps_ovs_reader_check(&fx->r, 0)); /* detached -> detached: no change */
	assert_int_equal(fx->r.state, DPS_OVS_READER_DETACHED);
	assert_non_null(strstr(fx->r.error, fx->path));
	assert_non_null(strstr(fx->r.error, "No such file"));
	assert_int_equal(fx->r.attaches, 0);
	assert_null(fx->r.file);
	assert_int_equal(dps_ovs_reader_backlog(&fx->r), 0);
	struct seen *s = seen_new();
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 0);
	assert_int_equal(s->n, 0);
	free(s);
	assert_string_equal(dps_ovs_reader_state_name(fx->r.state), "detached");
}

static void test_empty_then_unready_then_ready(void **state)
{
	struct fixture *fx = *state;
	int fd = open(fx->path, O_RDWR | O_CREAT | O_EXCL, 0600);

	assert_true(fd >= 0);
	close(fd);
	/* OVS created the file but has not sized it yet */
	assert_false(dps_ovs_reader_check(&fx->r, 0));
	assert_int_equal(fx->r.state, DPS_OVS_READER_DETACHED);
	assert_non_null(strstr(fx->r.error, fx->path));
	assert_non_null(strstr(fx->r.error, "0 bytes"));

	/* sized and header written, but 'ready' not set yet (a new inode: OVS recreates) */
	prod_create_unready(&fx->prod, fx->path, 1, 1000);
	assert_false(dps_ovs_reader_check(&fx->r, 500));
	assert_int_equal(fx->r.state, DPS_OVS_READER_DETACHED);
	assert_non_null(strstr(fx->r.error, "not finished"));

	prod_ready(&fx->prod);
	assert_false(dps_ovs_reader_check(&fx->r, 999)); /* rate limited: nothing looked at */
	assert_int_equal(fx->r.state, DPS_OVS_READER_DETACHED);
	assert_true(dps_ovs_reader_check(&fx->r, 1000));
	assert_int_equal(fx->r.state, DPS_OVS_READER_ATTACHED);
	assert_string_equal(fx->r.error, "");
	assert_int_equal(fx->r.attaches, 1);
	assert_int_equal(fx->r.generation, 1000);
	assert_string_equal(dps_ovs_reader_state_name(fx->r.state), "attached");
}

/* A bad file is refused with a message, once: the same file is not re-read or re-reported,
 * and a replacement file is picked up. */
static void refuse_case(struct fixture *fx, const char *want1, const char *want2)
{
	assert_true(dps_ovs_reader_check(&fx->r, 0));
	assert_int_equal(fx->r.state, DPS_OVS_READER_REFUSED);
	assert_null(fx->r.file);
	assert_int_equal(fx->r.attaches, 0);
	assert_non_null(strstr(fx->r.error, fx->path));
	assert_non_null(strstr(fx->r.error, want1));
	if (want2 != NULL)
		assert_non_null(strstr(fx->r.error, want2));
	assert_string_equal(dps_ovs_reader_state_name(fx->r.state), "refused");
	char before[sizeof(fx->r.error)];
	memcpy(before, fx->r.error, sizeof(before));

	/* same file, later checks: no state change, same message */
	assert_false(dps_ovs_reader_check(&fx->r, 500));
	assert_false(dps_ovs_reader_check(&fx->r, 1000));
	assert_int_equal(fx->r.state, DPS_OVS_READER_REFUSED);
	assert_string_equal(fx->r.error, before);

	/* the operator rebuilt OVS: a new, good file */
	prod_remove(&fx->prod);
	prod_create(&fx->prod, fx->path, 1, 77);
	assert_true(dps_ovs_reader_check(&fx->r, 1500));
	assert_int_equal(fx->r.state, DPS_OVS_READER_ATTACHED);
	assert_int_equal(fx->r.attaches, 1);
	assert_string_equal(fx->r.error, "");
}

static void test_refuse_bad_magic(void **state)
{
	struct fixture *fx = *state;

	prod_create(&fx->prod, fx->path, 1, 1);
	fx->prod.f->magic ^= 1;
	refuse_case(fx, "bad magic", NULL);
}

static void test_refuse_other_version(void **state)
{
	struct fixture *fx = *state;

	prod_create(&fx->prod, fx->path, 1, 1);
	fx->prod.f->version = 2;
	refuse_case(fx, "version 2", "reads version 1");
}

static void test_refuse_other_record_size(void **state)
{
	struct fixture *fx = *state;

	prod_create(&fx->prod, fx->path, 1, 1);
	fx->prod.f->record_size = 1152;
	refuse_case(fx, "record 1152", "geometry");
}

static void test_refuse_other_geometry(void **state)
{
	struct fixture *fx = *state;

	/* too many rings */
	prod_create(&fx->prod, fx->path, DPS_OVS_RING_MAX_RINGS + 1, 1);
	refuse_case(fx, "17 rings", NULL);
	dps_ovs_reader_close(&fx->r);
	dps_ovs_reader_init(&fx->r, fx->path);

	/* capacity */
	prod_create(&fx->prod, fx->path, 1, 1);
	fx->prod.f->ring_capacity = 2048;
	refuse_case(fx, "of 2048", NULL);
	dps_ovs_reader_close(&fx->r);
	dps_ovs_reader_init(&fx->r, fx->path);

	/* a header claiming more bytes than the file has */
	prod_create(&fx->prod, fx->path, 1, 1);
	fx->prod.f->file_size = fx->prod.size + 4096;
	refuse_case(fx, "bytes of", NULL);
	dps_ovs_reader_close(&fx->r);
	dps_ovs_reader_init(&fx->r, fx->path);

	/* no rings at all */
	prod_create(&fx->prod, fx->path, 0, 1);
	refuse_case(fx, "0 rings", NULL);
}

static void test_refused_file_removed_detaches(void **state)
{
	struct fixture *fx = *state;

	prod_create(&fx->prod, fx->path, 1, 1);
	fx->prod.f->version = 9;
	assert_true(dps_ovs_reader_check(&fx->r, 0));
	assert_int_equal(fx->r.state, DPS_OVS_READER_REFUSED);
	prod_remove(&fx->prod);
	assert_true(dps_ovs_reader_check(&fx->r, 500));
	assert_int_equal(fx->r.state, DPS_OVS_READER_DETACHED);
	assert_non_null(strstr(fx->r.error, fx->path));
	assert_non_null(strstr(fx->r.error, "No such file"));
}

/* ------------------------------------------------------------------ drain */

static void test_drain_rings_in_order(void **state)
{
	struct fixture *fx = *state;
	struct seen *s = seen_new();

	prod_create(&fx->prod, fx->path, 3, 5);
	assert_true(dps_ovs_reader_check(&fx->r, 0));
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 0);

	for (uint32_t k = 0; k < 4; k++)
		prod_push_id(&fx->prod, 0, 100 + k);
	for (uint32_t k = 0; k < 3; k++)
		prod_push_id(&fx->prod, 2, 300 + k);
	assert_int_equal(dps_ovs_reader_backlog(&fx->r), 7);

	assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 7);
	static const unsigned want_ring[7] = { 0, 0, 0, 0, 2, 2, 2 };
	static const uint32_t want_id[7] = { 100, 101, 102, 103, 300, 301, 302 };
	assert_int_equal(s->n, 7);
	for (unsigned i = 0; i < 7; i++) {
		assert_int_equal(s->ring[i], want_ring[i]);
		assert_int_equal(s->id[i], want_id[i]);
	}
	assert_int_equal(fx->prod.f->rings[0].tail, 4);
	assert_int_equal(fx->prod.f->rings[1].tail, 0);
	assert_int_equal(fx->prod.f->rings[2].tail, 3);
	assert_int_equal(fx->r.records, 7);
	assert_int_equal(dps_ovs_reader_backlog(&fx->r), 0);
	assert_int_equal(fx->r.abandoned, 0);

	/* nothing new: nothing handed over */
	s->n = 0;
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 0);
	assert_int_equal(s->n, 0);
	free(s);
}

static void test_drain_budget_per_ring(void **state)
{
	struct fixture *fx = *state;
	struct seen *s = seen_new();

	prod_create(&fx->prod, fx->path, 2, 5);
	assert_true(dps_ovs_reader_check(&fx->r, 0));
	for (uint32_t k = 0; k < 5; k++)
		prod_push_id(&fx->prod, 0, k);
	for (uint32_t k = 0; k < 3; k++)
		prod_push_id(&fx->prod, 1, 10 + k);

	assert_int_equal(dps_ovs_reader_drain(&fx->r, 2, record_cb, s), 4);
	assert_int_equal(fx->prod.f->rings[0].tail, 2);
	assert_int_equal(fx->prod.f->rings[1].tail, 2);
	assert_int_equal(dps_ovs_reader_backlog(&fx->r), 4);
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 2, record_cb, s), 3);
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 2, record_cb, s), 1);
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 2, record_cb, s), 0);

	static const unsigned want_ring[8] = { 0, 0, 1, 1, 0, 0, 1, 0 };
	static const uint32_t want_id[8] = { 0, 1, 10, 11, 2, 3, 12, 4 };
	assert_int_equal(s->n, 8);
	for (unsigned i = 0; i < 8; i++) {
		assert_int_equal(s->ring[i], want_ring[i]);
		assert_int_equal(s->id[i], want_id[i]);
	}
	assert_int_equal(fx->r.records, 8);
	free(s);
}

/* A callback that does not consume a record leaves it, and the rest of its ring, for the
 * next drain; other rings carry on. */
static void test_drain_stops_where_callback_refuses(void **state)
{
	struct fixture *fx = *state;
	struct seen *s = seen_new();

	prod_create(&fx->prod, fx->path, 2, 5);
	assert_true(dps_ovs_reader_check(&fx->r, 0));
	for (uint32_t k = 0; k < 4; k++)
		prod_push_id(&fx->prod, 0, k);
	for (uint32_t k = 0; k < 2; k++)
		prod_push_id(&fx->prod, 1, 10 + k);

	s->refuse_at = 2; /* the third record of ring 0 is refused */
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 4);
	assert_int_equal(fx->prod.f->rings[0].tail, 2);
	assert_int_equal(fx->prod.f->rings[1].tail, 2);
	assert_int_equal(fx->r.records, 4);
	assert_int_equal(dps_ovs_reader_backlog(&fx->r), 2);

	/* refusing the very first record of a ring leaves its tail alone */
	s->refuse_at = 4;
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 0);
	assert_int_equal(fx->prod.f->rings[0].tail, 2);
	assert_int_equal(fx->r.records, 4);

	assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 2);
	static const unsigned want_ring[6] = { 0, 0, 1, 1, 0, 0 };
	static const uint32_t want_id[6] = { 0, 1, 10, 11, 2, 3 };
	assert_int_equal(s->n, 6);
	for (unsigned i = 0; i < 6; i++) {
		assert_int_equal(s->ring[i], want_ring[i]);
		assert_int_equal(s->id[i], want_id[i]);
	}
	assert_int_equal(fx->prod.f->rings[0].tail, 4);
	assert_int_equal(fx->r.records, 6);
	assert_int_equal(dps_ovs_reader_backlog(&fx->r), 0);
	free(s);
}

static void test_wrap_around(void **state)
{
	struct fixture *fx = *state;
	struct seen *s = seen_new();

	prod_create(&fx->prod, fx->path, 1, 5);
	assert_true(dps_ovs_reader_check(&fx->r, 0));
	/* a full ring (head - tail == capacity) is drained whole, not resynced */
	for (uint32_t k = 0; k < DPS_OVS_RING_CAPACITY; k++)
		prod_push_id(&fx->prod, 0, k);
	assert_int_equal(dps_ovs_reader_backlog(&fx->r), DPS_OVS_RING_CAPACITY);
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 1000, record_cb, s), 1000);
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 24);
	/* the next 1500 cross the end of the slot array */
	for (uint32_t k = 0; k < 1500; k++) {
		prod_push_id(&fx->prod, 0, DPS_OVS_RING_CAPACITY + k);
		if (k % 500 == 499)
			assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 500);
	}
	assert_int_equal(s->n, DPS_OVS_RING_CAPACITY + 1500);
	for (unsigned i = 0; i < s->n; i++)
		assert_int_equal(s->id[i], i);
	assert_int_equal(fx->prod.f->rings[0].head, 2524);
	assert_int_equal(fx->prod.f->rings[0].tail, 2524);
	assert_int_equal(fx->r.records, 2524);
	assert_int_equal(fx->r.abandoned, 0);
	free(s);
}

/* ------------------------------------------------------------------ restarts */

static void test_producer_restart_reattaches(void **state)
{
	struct fixture *fx = *state;
	struct seen *s = seen_new();

	prod_create(&fx->prod, fx->path, 2, 1000);
	assert_true(dps_ovs_reader_check(&fx->r, 10000));
	for (uint32_t k = 0; k < 3; k++)
		prod_push_id(&fx->prod, 0, k);
	prod_push_id(&fx->prod, 1, 50);
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 4);
	for (uint32_t k = 0; k < 2; k++)
		prod_push_id(&fx->prod, 1, 60 + k);  /* left unread when OVS goes */

	/* OVS restarts: unlink, new file, new generation, fewer rings */
	prod_unmap(&fx->prod);
	prod_create(&fx->prod, fx->path, 1, 2000);
	prod_push_id(&fx->prod, 0, 900);

	/* within the check period nothing is looked at: still the old file */
	assert_false(dps_ovs_reader_check(&fx->r, 10499));
	assert_int_equal(fx->r.generation, 1000);
	assert_int_equal(fx->r.file->n_rings, 2);
	assert_int_equal(dps_ovs_reader_backlog(&fx->r), 2);

	/* one period later: moved to the new file; a restart is reported as a change */
	assert_true(dps_ovs_reader_check(&fx->r, 10500));
	assert_int_equal(fx->r.state, DPS_OVS_READER_ATTACHED);
	assert_int_equal(fx->r.generation, 2000);
	assert_int_equal(fx->r.file->n_rings, 1);
	assert_int_equal(fx->r.attaches, 2);
	assert_int_equal(fx->r.abandoned, 2);
	s->n = 0;
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 1);
	assert_int_equal(s->id[0], 900);
	assert_int_equal(fx->r.records, 5);

	/* the same file gets a new generation (OVS re-initialised it in place) */
	fx->prod.f->generation = 3000;
	assert_false(dps_ovs_reader_check(&fx->r, 10999));
	assert_true(dps_ovs_reader_check(&fx->r, 11000));
	assert_int_equal(fx->r.generation, 3000);
	assert_int_equal(fx->r.attaches, 3);
	assert_int_equal(fx->r.abandoned, 2);

	/* nothing changes: no re-attach */
	assert_false(dps_ovs_reader_check(&fx->r, 20000));
	assert_int_equal(fx->r.attaches, 3);
	free(s);
}

static void test_producer_gone_detaches(void **state)
{
	struct fixture *fx = *state;

	prod_create(&fx->prod, fx->path, 1, 1);
	assert_true(dps_ovs_reader_check(&fx->r, 0));
	for (uint32_t k = 0; k < 5; k++)
		prod_push_id(&fx->prod, 0, k);
	prod_remove(&fx->prod);
	assert_true(dps_ovs_reader_check(&fx->r, 500));
	assert_int_equal(fx->r.state, DPS_OVS_READER_DETACHED);
	assert_null(fx->r.file);
	assert_int_equal(fx->r.abandoned, 5);
	assert_non_null(strstr(fx->r.error, fx->path));
	assert_non_null(strstr(fx->r.error, "No such file"));
	assert_int_equal(dps_ovs_reader_backlog(&fx->r), 0);

	/* OVS comes back */
	prod_create(&fx->prod, fx->path, 1, 2);
	assert_true(dps_ovs_reader_check(&fx->r, 1000));
	assert_int_equal(fx->r.attaches, 2);
}

static void test_consumer_restart_resumes_at_tail(void **state)
{
	struct fixture *fx = *state;
	struct seen *s = seen_new();

	prod_create(&fx->prod, fx->path, 2, 1);
	assert_true(dps_ovs_reader_check(&fx->r, 0));
	for (uint32_t k = 0; k < 5; k++)
		prod_push_id(&fx->prod, 0, k);
	for (uint32_t k = 0; k < 2; k++)
		prod_push_id(&fx->prod, 1, 10 + k);
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 2, record_cb, s), 4);

	/* dpsflow restarts: a new reader maps the same file */
	dps_ovs_reader_close(&fx->r);
	assert_int_equal(fx->r.abandoned, 3); /* the old reader left 3 behind... */
	dps_ovs_reader_init(&fx->r, fx->path);
	assert_true(dps_ovs_reader_check(&fx->r, 0));
	assert_int_equal(dps_ovs_reader_backlog(&fx->r), 3); /* ...the new one finds them */
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 3);
	static const uint32_t want_id[7] = { 0, 1, 10, 11, 2, 3, 4 };
	assert_int_equal(s->n, 7);
	for (unsigned i = 0; i < 7; i++)
		assert_int_equal(s->id[i], want_id[i]);
	assert_int_equal(fx->r.abandoned, 0);
	free(s);
}

static void test_impossible_tail_resyncs_at_attach(void **state)
{
	struct fixture *fx = *state;
	struct seen *s = seen_new();

	prod_create(&fx->prod, fx->path, 3, 1);
	/* ring 0: more than a ring behind; ring 1: tail beyond head; ring 2: fine, 2 waiting */
	fx->prod.f->rings[0].head = 5000;
	fx->prod.f->rings[0].tail = 10;
	fx->prod.f->rings[1].head = 20;
	fx->prod.f->rings[1].tail = 25;
	fx->prod.f->rings[2].head = 7000;
	fx->prod.f->rings[2].tail = 7000;
	prod_push_id(&fx->prod, 2, 1);
	prod_push_id(&fx->prod, 2, 2);
	assert_true(dps_ovs_reader_check(&fx->r, 0));
	assert_int_equal(fx->prod.f->rings[0].tail, 5000);
	assert_int_equal(fx->prod.f->rings[1].tail, 20);
	assert_int_equal(fx->prod.f->rings[2].tail, 7000);
	assert_int_equal(dps_ovs_reader_backlog(&fx->r), 2);
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 2);
	assert_int_equal(s->id[0], 1);
	assert_int_equal(s->id[1], 2);
	assert_int_equal(fx->prod.f->rings[2].tail, 7002);
	free(s);
}

static void test_impossible_tail_resyncs_in_drain(void **state)
{
	struct fixture *fx = *state;
	struct seen *s = seen_new();

	prod_create(&fx->prod, fx->path, 2, 1);
	assert_true(dps_ovs_reader_check(&fx->r, 0));
	/* a broken producer jumps head more than a ring ahead: skipped and counted */
	dps_ovs_store_release(&fx->prod.f->rings[0].head, DPS_OVS_RING_CAPACITY + 7);
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 0);
	assert_int_equal(s->n, 0);
	assert_int_equal(fx->prod.f->rings[0].tail, DPS_OVS_RING_CAPACITY + 7);
	assert_int_equal(fx->r.abandoned, DPS_OVS_RING_CAPACITY + 7);

	/* head moved backwards (tail beyond head): resync, and nothing counted as lost */
	dps_ovs_store_release(&fx->prod.f->rings[1].head, 0);
	fx->prod.f->rings[1].tail = 4;
	assert_int_equal(dps_ovs_reader_backlog(&fx->r), 0);
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 0);
	assert_int_equal(fx->prod.f->rings[1].tail, 0);
	assert_int_equal(fx->r.abandoned, DPS_OVS_RING_CAPACITY + 7);

	/* and it carries on normally */
	prod_push_id(&fx->prod, 1, 42);
	assert_int_equal(dps_ovs_reader_drain(&fx->r, 0, record_cb, s), 1);
	assert_int_equal(s->id[0], 42);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_missing_file_detached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_then_unready_then_ready, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuse_bad_magic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuse_other_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuse_other_record_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuse_other_geometry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_file_removed_detaches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drain_rings_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drain_budget_per_ring, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drain_stops_where_callback_refuses, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_wrap_around, setup, teardown),
		cmocka_unit_test_setup_teardown(test_producer_restart_reattaches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_producer_gone_detaches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_consumer_restart_resumes_at_tail, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_impossible_tail_resyncs_at_attach, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_impossible_tail_resyncs_in_drain, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
