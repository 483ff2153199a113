/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ovs_producer.h - test-side emulation of the patched ovs-vswitchd that writes the sample
 * rings (ovs_patches/dps_ovs_ring.h): creates a ring file in a private temporary directory on
 * tmpfs, fills the header the way the producer does (ready set last, with release), claims
 * port slots and publishes records with a release store of head.
 */
#ifndef TEST_OVS_PRODUCER_H
#define TEST_OVS_PRODUCER_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dps_ovs_ring.h"

struct producer {
	char path[512];
	struct dps_ovs_ring_file *f;
	size_t size;
};

/* A fresh directory on tmpfs (/dev/shm when there is one, else /tmp). */
static inline void prod_tmpdir(char *dir, size_t len)
{
	struct stat st;
	const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";

	snprintf(dir, len, "%s/dps-ovs-test-XXXXXX", base);
	assert_non_null(mkdtemp(dir));
}

/* Maps a new file at path (a new inode: any old file there is unlinked first, as OVS does)
 * and writes a valid header. The file is not ready until prod_ready(). */
static inline void prod_create_unready(struct producer *p, const char *path, uint32_t n_rings,
				       uint64_t generation)
{
	if (p->f != NULL)
		munmap(p->f, p->size);
	memset(p, 0, sizeof(*p));
	snprintf(p->path, sizeof(p->path), "%s", path);
	unlink(path);
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	p->size = (size_t)dps_ovs_ring_file_bytes();
	assert_int_equal(ftruncate(fd, (off_t)p->size), 0);
	void *base = mmap(NULL, p->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	assert_true(base != MAP_FAILED);
	p->f = base;

	struct dps_ovs_ring_file *f = p->f;
	f->magic = DPS_OVS_RING_MAGIC;
	f->version = DPS_OVS_RING_VERSION;
	f->file_header_size = (uint32_t)offsetof(struct dps_ovs_ring_file, rings);
	f->record_size = sizeof(struct dps_ovs_record);
	f->ring_size = sizeof(struct dps_ovs_ring);
	f->n_rings = n_rings;
	f->ring_capacity = DPS_OVS_RING_CAPACITY;
	f->port_slots = DPS_OVS_RING_PORT_SLOTS;
	f->producer_pid = 4242;
	f->generation = generation;
	f->file_size = p->size;
	for (uint32_t i = 0; i < DPS_OVS_RING_MAX_RINGS; i++) {
		f->rings[i].owner_core = DPS_OVS_PORT_NONE;
		for (unsigned k = 0; k < DPS_OVS_RING_PORT_SLOTS; k++)
			f->rings[i].ports[k].odp_port = DPS_OVS_PORT_NONE;
	}
}

static inline void prod_ready(struct producer *p)
{
	__atomic_store_n(&p->f->ready, 1u, __ATOMIC_RELEASE);
}

static inline void prod_create(struct producer *p, const char *path, uint32_t n_rings,
			       uint64_t generation)
{
	prod_create_unready(p, path, n_rings, generation);
	for (uint32_t i = 0; i < n_rings && i < DPS_OVS_RING_MAX_RINGS; i++)
		p->f->rings[i].owner_core = 2 + i;
	p->f->n_rings_claimed = n_rings;
	prod_ready(p);
}

/* Unmaps (the file stays for the consumer; prod_remove unlinks it). */
static inline void prod_unmap(struct producer *p)
{
	if (p->f != NULL)
		munmap(p->f, p->size);
	p->f = NULL;
}

static inline void prod_remove(struct producer *p)
{
	prod_unmap(p);
	unlink(p->path);
}

/* Publishes one record in ring ri: fills the slot at head, then head+1 with release. */
static inline void prod_push(struct producer *p, unsigned ri, const struct dps_ovs_record *rec)
{
	struct dps_ovs_ring *ring = &p->f->rings[ri];
	uint64_t head = ring->head;

	assert_true(head - dps_ovs_load_acquire(&ring->tail) < DPS_OVS_RING_CAPACITY);
	ring->records[head & (DPS_OVS_RING_CAPACITY - 1)] = *rec;
	dps_ovs_store_release(&ring->head, head + 1);
}

/* A record whose frame_length carries 'id' (how the tests follow ordering). */
static inline void prod_push_id(struct producer *p, unsigned ri, uint32_t id)
{
	struct dps_ovs_record rec;

	memset(&rec, 0, sizeof(rec));
	rec.frame_length = id;
	rec.in_odp_port = 2;
	rec.sampling_rate = 1;
	prod_push(p, ri, &rec);
}

/* Claims port slot 'slot' of ring ri for odp_port, with its counters. */
static inline void prod_port(struct producer *p, unsigned ri, unsigned slot, uint32_t odp_port,
			     uint64_t pool, uint64_t samples, uint64_t drops)
{
	struct dps_ovs_port_stats *ps = &p->f->rings[ri].ports[slot];

	ps->sampling_rate = 100;
	dps_ovs_store_relaxed(&ps->sample_pool, pool);
	dps_ovs_store_relaxed(&ps->samples, samples);
	dps_ovs_store_relaxed(&ps->drops, drops);
	__atomic_store_n(&ps->odp_port, odp_port, __ATOMIC_RELAXED);
	if (slot + 1 > p->f->rings[ri].n_port_slots_used)
		p->f->rings[ri].n_port_slots_used = slot + 1;
}

#endif
