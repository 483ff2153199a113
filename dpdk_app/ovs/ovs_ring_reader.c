/* SPDX-License-Identifier: BSD-3-Clause */
/* ovs_ring_reader.c - attach to, follow and drain the rings of a patched ovs-vswitchd. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ovs_ring_reader.h"

void dps_ovs_reader_init(struct dps_ovs_reader *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->path, sizeof(r->path), "%s", path);
	snprintf(r->error, sizeof(r->error), "%.255s does not exist yet", r->path);
}

const char *dps_ovs_reader_state_name(enum dps_ovs_reader_state s)
{
	switch (s) {
	case DPS_OVS_READER_ATTACHED: return "attached";
	case DPS_OVS_READER_REFUSED: return "refused";
	default: return "detached";
	}
}

static uint64_t backlog_of(const struct dps_ovs_ring *ring)
{
	uint64_t n = dps_ovs_load_acquire(&ring->head) - ring->tail;

	/* a tail beyond head (head went backwards) means nothing is waiting, not 2^64 */
	return (int64_t)n < 0 ? 0 : n;
}

uint64_t dps_ovs_reader_backlog(const struct dps_ovs_reader *r)
{
	uint64_t n = 0;

	if (r->state != DPS_OVS_READER_ATTACHED)
		return 0;
	for (uint32_t i = 0; i < r->file->n_rings; i++)
		n += backlog_of(&r->file->rings[i]);
	return n;
}

static void detach(struct dps_ovs_reader *r)
{
	if (r->file != NULL) {
		r->abandoned += dps_ovs_reader_backlog(r);
		munmap(r->file, r->size);
	}
	r->file = NULL;
	r->size = 0;
	r->state = DPS_OVS_READER_DETACHED;
}

/* Everything the reader relies on before it touches a ring. The producer is another process
 * that may be older or newer than this build: compare every size, not just the version. */
static int header_ok(const struct dps_ovs_ring_file *f, size_t size, char *err, size_t errlen)
{
	if (f->magic != DPS_OVS_RING_MAGIC) {
		snprintf(err, errlen, "not a dpsflow OVS ring file (bad magic)");
		return -1;
	}
	if (f->version != DPS_OVS_RING_VERSION) {
		snprintf(err, errlen, "ring layout version %u, this dpsflow reads version %u: "
			 "rebuild ovs-vswitchd from the ovs_patches/ of this dpsflow",
			 f->version, DPS_OVS_RING_VERSION);
		return -1;
	}
	if (f->file_header_size != offsetof(struct dps_ovs_ring_file, rings) ||
	    f->record_size != sizeof(struct dps_ovs_record) ||
	    f->ring_size != sizeof(struct dps_ovs_ring) ||
	    f->ring_capacity != DPS_OVS_RING_CAPACITY ||
	    f->port_slots != DPS_OVS_RING_PORT_SLOTS ||
	    f->n_rings == 0 || f->n_rings > DPS_OVS_RING_MAX_RINGS ||
	    f->file_size > size ||
	    offsetof(struct dps_ovs_ring_file, rings) + (uint64_t)f->n_rings * f->ring_size > size) {
		snprintf(err, errlen, "ring geometry differs from this build (record %u, ring %u, "
			 "%u rings of %u, file %llu bytes of %zu)", f->record_size, f->ring_size,
			 f->n_rings, f->ring_capacity, (unsigned long long)f->file_size, size);
		return -1;
	}
	return 0;
}

/* Returns 1 attached, 0 not there (yet), -1 refused. */
static int attach(struct dps_ovs_reader *r)
{
	struct stat st;
	int fd = open(r->path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		snprintf(r->error, sizeof(r->error), "%.255s: %.100s", r->path, strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(r->error, sizeof(r->error), "%.255s: fstat: %.100s", r->path, strerror(errno));
		close(fd);
		return -1;
	}
	if ((size_t)st.st_size < offsetof(struct dps_ovs_ring_file, rings) +
	    sizeof(struct dps_ovs_ring)) {
		snprintf(r->error, sizeof(r->error), "%.255s: %lld bytes, too small for a ring file",
			 r->path, (long long)st.st_size);
		close(fd);
		return st.st_size == 0 ? 0 : -1; /* empty: OVS may be sizing it right now */
	}
	void *base = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (base == MAP_FAILED) {
		snprintf(r->error, sizeof(r->error), "%.255s: mmap: %.100s", r->path, strerror(errno));
		return -1;
	}
	struct dps_ovs_ring_file *f = base;
	if (!__atomic_load_n(&f->ready, __ATOMIC_ACQUIRE)) {
		munmap(base, (size_t)st.st_size);
		snprintf(r->error, sizeof(r->error), "%.255s: OVS has not finished creating it",
			 r->path);
		return 0;
	}
	if (header_ok(f, (size_t)st.st_size, r->error, sizeof(r->error)) != 0) {
		char why[320];
		snprintf(why, sizeof(why), "%.300s", r->error);
		snprintf(r->error, sizeof(r->error), "%.255s: %.300s", r->path, why);
		munmap(base, (size_t)st.st_size);
		r->dev = st.st_dev;
		r->ino = st.st_ino;
		return -1;
	}
	r->file = f;
	r->size = (size_t)st.st_size;
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	r->generation = f->generation;
	r->error[0] = '\0';
	r->attaches++;
	/* A consumer that died left its tails where they were: resume there, unless a tail is
	 * impossible (beyond head, or more than a ring behind), then start afresh at head. */
	for (uint32_t i = 0; i < f->n_rings; i++) {
		struct dps_ovs_ring *ring = &f->rings[i];
		uint64_t head = dps_ovs_load_acquire(&ring->head);
		if (head - ring->tail > DPS_OVS_RING_CAPACITY)
			dps_ovs_store_release(&ring->tail, head);
	}
	return 1;
}

bool dps_ovs_reader_check(struct dps_ovs_reader *r, uint64_t now_ms)
{
	enum dps_ovs_reader_state before = r->state;
	uint64_t attaches_before = r->attaches;
	struct stat st;

	if (now_ms < r->next_check_ms)
		return false;
	r->next_check_ms = now_ms + DPS_OVS_REATTACH_MS;

	bool there = stat(r->path, &st) == 0;
	bool same_file = there && st.st_dev == r->dev && st.st_ino == r->ino;
	switch (r->state) {
	case DPS_OVS_READER_ATTACHED:
		if (same_file && r->file->generation == r->generation)
			return false;
		detach(r); /* OVS went away or started again with a new file */
		break;
	case DPS_OVS_READER_REFUSED:
		if (same_file)
			return false; /* the same bad file: say it once */
		r->state = DPS_OVS_READER_DETACHED;
		break;
	default:
		break;
	}
	if (there) {
		int rc = attach(r);
		r->state = rc > 0 ? DPS_OVS_READER_ATTACHED :
			   rc < 0 ? DPS_OVS_READER_REFUSED : DPS_OVS_READER_DETACHED;
	} else {
		snprintf(r->error, sizeof(r->error), "%.255s: %.100s", r->path, strerror(errno));
	}
	/* moving to a new file (OVS restarted) is a change too, though attached -> attached */
	return r->state != before || r->attaches != attaches_before;
}

unsigned dps_ovs_reader_drain(struct dps_ovs_reader *r, unsigned budget, dps_ovs_record_fn fn,
			      void *ctx)
{
	unsigned total = 0;

	if (r->state != DPS_OVS_READER_ATTACHED)
		return 0;
	for (uint32_t i = 0; i < r->file->n_rings; i++) {
		struct dps_ovs_ring *ring = &r->file->rings[i];
		uint64_t tail = ring->tail;
		uint64_t head = dps_ovs_load_acquire(&ring->head);
		uint64_t n = head - tail;

		if (n == 0)
			continue;
		if (n > DPS_OVS_RING_CAPACITY) { /* a producer bug, or a torn restart: resync */
			if ((int64_t)n > 0) /* head ran ahead: those are lost; behind: none are */
				r->abandoned += n;
			dps_ovs_store_release(&ring->tail, head);
			continue;
		}
		if (budget != 0 && n > budget)
			n = budget;
		uint64_t k;
		for (k = 0; k < n; k++)
			if (!fn(ctx, i, &ring->records[(tail + k) & (DPS_OVS_RING_CAPACITY - 1)]))
				break;
		if (k == 0)
			continue;
		/* release: the producer may reuse the slots only after we are done reading */
		dps_ovs_store_release(&ring->tail, tail + k);
		total += (unsigned)k;
	}
	r->records += total;
	return total;
}

void dps_ovs_reader_close(struct dps_ovs_reader *r)
{
	detach(r);
}
