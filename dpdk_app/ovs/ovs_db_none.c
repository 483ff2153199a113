/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ovs_db_none.c - the OVSDB client's functions in a build without libopenvswitch: dpsflow
 * then maps OVS ports with ovs-appctl/ovs-vsctl (ovs_ports.c) and needs ovs { ring = ... }.
 */
#include <stdio.h>

#include "ovs_db.h"

bool dps_ovsdb_available(char *version, size_t len)
{
	if (len != 0)
		version[0] = '\0';
	return false;
}

struct dps_ovsdb *dps_ovsdb_start(const char *remote, const char *unixctl, unsigned wait_ms,
				  char *err, size_t errlen)
{
	(void)unixctl;
	(void)wait_ms;
	snprintf(err, errlen, "ovs db %s: this dpsflow was built without libopenvswitch "
		 "(ovs_patches/build-ovs.sh before meson setup)", remote);
	return NULL;
}

bool dps_ovsdb_latest(struct dps_ovsdb *db, struct dps_ovsdb_view *v)
{
	(void)db;
	(void)v;
	return false;
}

void dps_ovsdb_poke(struct dps_ovsdb *db)
{
	(void)db;
}

void dps_ovsdb_stop(struct dps_ovsdb *db)
{
	(void)db;
}

bool dps_ovsdb_format_actions(const void *nl_actions, size_t len, char *out, size_t outlen)
{
	(void)nl_actions;
	(void)len;
	if (outlen != 0)
		out[0] = '\0';
	return false;
}
