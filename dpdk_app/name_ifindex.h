/* SPDX-License-Identifier: BSD-3-Clause */
/* An ifIndex for a port the kernel does not know (DPDK ports; OVS ports without one). No DPDK. */
#ifndef DPS_NAME_IFINDEX_H
#define DPS_NAME_IFINDEX_H

#include <stdint.h>

/* Stable across restarts: 24-bit FNV-1a of the name, never 0 and never 0x3FFFFFFF. */
uint32_t dps_port_name_ifindex(const char *name);

#endif
