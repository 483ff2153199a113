/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which address the agent puts in its datagrams (hsflowd's rules, in order): `agent = <IP>`
 * or --agent-ip; the first local address inside `agent.cidr`; the first address of
 * `agent = <interface>`; otherwise the first global IPv4 address of the host, then IPv6, then
 * 127.0.0.1. Collectors key agents by this address, so it must be stable across restarts:
 * getifaddrs order is the kernel's, which is stable for a given configuration.
 */
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "agent_addr.h"

static bool
in_cidr(const uint8_t *addr, const struct dps_cidr *c)
{
	unsigned int full = c->prefix_len / 8, rest = c->prefix_len % 8;

	if (memcmp(addr, c->addr.bytes, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((addr[full] ^ c->addr.bytes[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

static bool
sockaddr_bytes(const struct sockaddr *sa, uint8_t *family, uint8_t bytes[16])
{
	if (sa == NULL)
		return false;
	if (sa->sa_family == AF_INET) {
		*family = 4;
		memcpy(bytes, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		*family = 6;
		memcpy(bytes, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
		return true;
	}
	return false;
}

static void
set_out(struct dps_sflow_addr *out, uint8_t family, const uint8_t *bytes)
{
	memset(out, 0, sizeof(*out));
	out->type = family == 4 ? DPS_SFLOW_ADDR_IPV4 : DPS_SFLOW_ADDR_IPV6;
	memcpy(out->bytes, bytes, family == 4 ? 4 : 16);
}

static bool
is_link_local6(const uint8_t *b)
{
	return b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
}

int
dps_agent_addr_select(const struct dps_config *cfg, struct dps_sflow_addr *out)
{
	struct ifaddrs *ifs = NULL, *i;
	uint8_t fam, b[16];
	int pass;

	if (cfg->agent_ip.family != 0) {
		set_out(out, cfg->agent_ip.family, cfg->agent_ip.bytes);
		return 0;
	}
	if (getifaddrs(&ifs) != 0)
		ifs = NULL;
	/* pass 0: agent.cidr; 1: agent interface; 2: global v4; 3: global v6; */
	for (pass = 0; pass < 4; pass++) {
		if (pass == 0 && !cfg->has_agent_cidr)
			continue;
		if (pass == 1 && cfg->agent_ifname[0] == '\0')
			continue;
		for (i = ifs; i != NULL; i = i->ifa_next) {
			if (!sockaddr_bytes(i->ifa_addr, &fam, b))
				continue;
			if (pass == 0 && (fam != cfg->agent_cidr.addr.family ||
					  !in_cidr(b, &cfg->agent_cidr)))
				continue;
			if (pass == 1 && strcmp(i->ifa_name, cfg->agent_ifname) != 0)
				continue;
			if (pass >= 2 && ((i->ifa_flags & IFF_LOOPBACK) ||
					  fam != (pass == 2 ? 4 : 6) ||
					  (fam == 6 && is_link_local6(b))))
				continue;
			set_out(out, fam, b);
			freeifaddrs(ifs);
			return 0;
		}
		if (pass <= 1) {
			/* an explicit rule that matches nothing is the operator's mistake */
			if (ifs != NULL)
				freeifaddrs(ifs);
			return -1;
		}
	}
	if (ifs != NULL)
		freeifaddrs(ifs);
	b[0] = 127; b[1] = 0; b[2] = 0; b[3] = 1;
	set_out(out, 4, b);
	return 0;
}
