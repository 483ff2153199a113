/* source_table.c - hash table of data sources -> sequence numbers. Entries are never removed
 * (a reset only zeroes the numbers), which keeps linear probing trivially correct. */
#include <stdlib.h>

#include "source_table.h"

static uint64_t make_key(uint32_t type, uint32_t index)
{
	return ((uint64_t)type << 32 | index) + 1;
}

static size_t slot_of(uint64_t key, size_t cap)
{
	key *= 0x9e3779b97f4a7c15ull;      /* Fibonacci hashing: top bits are well mixed */
	return (size_t)(key >> 32) & (cap - 1);
}

struct source_seq *source_table_find(const struct source_table *t, uint32_t type, uint32_t index)
{
	if (!t->cap)
		return NULL;
	uint64_t key = make_key(type, index);
	for (size_t i = slot_of(key, t->cap), probes = 0; probes < t->cap;
	     i = (i + 1) & (t->cap - 1), probes++) {
		if (t->slots[i].key == key)
			return &t->slots[i];
		if (t->slots[i].key == 0)
			return NULL;
	}
	return NULL;
}

static int grow(struct source_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64;
	struct source_seq *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -1;
	for (size_t j = 0; j < t->cap; j++) {
		if (!t->slots[j].key)
			continue;
		size_t i = slot_of(t->slots[j].key, cap);
		while (slots[i].key)
			i = (i + 1) & (cap - 1);
		slots[i] = t->slots[j];
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return 0;
}

struct source_seq *source_table_get(struct source_table *t, uint32_t type, uint32_t index)
{
	struct source_seq *e = source_table_find(t, type, index);
	if (e)
		return e;
	/* Keep the load at most 1/2 so probe sequences stay short. */
	if ((t->count + 1) * 2 > t->cap && grow(t) != 0)
		return NULL;
	uint64_t key = make_key(type, index);
	size_t i = slot_of(key, t->cap);
	while (t->slots[i].key)
		i = (i + 1) & (t->cap - 1);
	t->slots[i].key = key;
	t->slots[i].flow_seq = 0;
	t->slots[i].counter_seq = 0;
	t->count++;
	return &t->slots[i];
}

void source_table_free(struct source_table *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->count = 0;
}
