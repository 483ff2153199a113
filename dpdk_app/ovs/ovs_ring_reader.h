/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ovs_ring_reader.h - the consumer side of the sample rings a patched ovs-vswitchd writes
 * (layout: ovs_patches/dps_ovs_ring.h). Plain POSIX, no DPDK: unit-tested against a file the
 * test writes as the producer would.
 *
 * OVS owns the file: it creates a new one each time it starts. The reader therefore
 *  - attaches when the path exists and holds a valid, ready header of the version it knows
 *    (another version is refused with a message naming both, once per file);
 *  - re-checks the path every DPS_OVS_REATTACH_MS: a new inode or generation means OVS
 *    restarted, and the reader moves to the new file (what was left unread in the old one was
 *    written by a process that is gone; it is dropped and counted as lost);
 *  - never writes anything but the rings' tails.
 */
#ifndef DPS_OVS_RING_READER_H
#define DPS_OVS_RING_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "dps_ovs_ring.h"

#define DPS_OVS_REATTACH_MS 500u

enum dps_ovs_reader_state {
	DPS_OVS_READER_DETACHED = 0, /* no file yet (OVS not started or offload not set) */
	DPS_OVS_READER_ATTACHED,
	DPS_OVS_READER_REFUSED,      /* a file is there but its header is not ours */
};

struct dps_ovs_reader {
	char path[256];
	enum dps_ovs_reader_state state;
	struct dps_ovs_ring_file *file;
	size_t size;
	dev_t dev;
	ino_t ino;
	uint64_t generation;
	uint64_t next_check_ms;
	uint64_t attaches;           /* successful attaches (1 + restarts of OVS seen) */
	uint64_t records;            /* records consumed */
	uint64_t abandoned;          /* records left unread in a file OVS replaced */
	char error[640];             /* why the reader is not attached ("" when attached) */
};

/* path must be absolute. Does not attach yet: the first dps_ovs_reader_check does. */
void dps_ovs_reader_init(struct dps_ovs_reader *r, const char *path);

/* Attaches, re-attaches or detaches as the file at the path dictates. Cheap when called
 * often: does the file system work at most once per DPS_OVS_REATTACH_MS of now_ms.
 * Returns true when the state changed or the reader moved to a new file (OVS restarted;
 * r->attaches grew): the caller may log r->state / r->error. */
bool dps_ovs_reader_check(struct dps_ovs_reader *r, uint64_t now_ms);

/* Called for each record in ring order. ring is the ring index (one per OVS PMD thread).
 * Returns true when it consumed the record; false leaves it (and the rest of that ring) in
 * place for a later drain, e.g. while the port map is being refreshed. */
typedef bool (*dps_ovs_record_fn)(void *ctx, unsigned ring, const struct dps_ovs_record *rec);

/* Hands up to budget records of every ring to fn (all of them when budget is 0), then frees
 * those fn consumed for the producer. Returns the number consumed. */
unsigned dps_ovs_reader_drain(struct dps_ovs_reader *r, unsigned budget, dps_ovs_record_fn fn,
			      void *ctx);

/* Records waiting in all rings. */
uint64_t dps_ovs_reader_backlog(const struct dps_ovs_reader *r);

void dps_ovs_reader_close(struct dps_ovs_reader *r);

const char *dps_ovs_reader_state_name(enum dps_ovs_reader_state s);

#endif
