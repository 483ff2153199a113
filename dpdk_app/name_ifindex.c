/* SPDX-License-Identifier: BSD-3-Clause */
#include "name_ifindex.h"

/*
 * DPDK ports have no kernel ifIndex. Like OVS, derive one from the port name so it survives
 * restarts and port renumbering: FNV-1a over the name, folded to 24 bits so flow samples keep
 * the compact format (expanded formats are only needed at 2^24 and above), never 0 (0 means
 * "unknown" in sFlow) and never 0x3FFFFFFF (internal). Collisions between configured ports are
 * resolved by probing upward in configuration order.
 */
uint32_t
dps_port_name_ifindex(const char *name)
{
	uint32_t h = 2166136261u;
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p != '\0'; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	h = (h >> 24 ^ h) & 0xFFFFFFu;
	return h == 0 ? 1 : h;
}

