/* source_table.h (private) - per data source sequence numbers (flow and counters apart). */
#ifndef DPS_SOURCE_TABLE_H
#define DPS_SOURCE_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct source_seq {
	uint64_t key;           /* source_type << 32 | source_index, +1 so 0 marks a free slot */
	uint32_t flow_seq;      /* last flow sample sequence number used */
	uint32_t counter_seq;   /* last counters sample sequence number used */
};

struct source_table {
	struct source_seq *slots;   /* open addressing, linear probing, power-of-two size */
	size_t cap, count;
};

/* Finds or inserts the entry; NULL only when growing the table fails. */
struct source_seq *source_table_get(struct source_table *t, uint32_t type, uint32_t index);
/* Entry if present, else NULL. */
struct source_seq *source_table_find(const struct source_table *t, uint32_t type, uint32_t index);
void source_table_free(struct source_table *t);

#endif
