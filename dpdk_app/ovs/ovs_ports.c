/* SPDX-License-Identifier: BSD-3-Clause */
/* ovs_ports.c - datapath port → OVS Interface (name, ifindex, bridge), refreshed in a thread. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ovs_ports.h"

/* ---------------------------------------------------------------- parsing (pure) */

static const char *next_line(const char *s, char *line, size_t len)
{
	size_t n = 0;

	if (*s == '\0')
		return NULL;
	while (*s != '\0' && *s != '\n') {
		if (n + 1 < len)
			line[n++] = *s;
		s++;
	}
	line[n] = '\0';
	return *s == '\n' ? s + 1 : s;
}

static size_t indent_of(const char *line)
{
	size_t n = 0;
	while (line[n] == ' ')
		n++;
	return n;
}

int dps_ovs_parse_dpif_show(const char *text, struct dps_ovs_port_table *t)
{
	char line[512], bridge[DPS_OVS_NAME_MAX] = "";
	const char *s = text;
	bool header = false;

	t->n = 0;
	while ((s = next_line(s, line, sizeof(line))) != NULL) {
		size_t ind = indent_of(line);
		char *l = line + ind;
		size_t len = strlen(l);

		if (ind == 0) {
			/* "netdev@ovs-netdev: hit:N missed:N" (one per datapath) */
			if (strchr(l, '@') != NULL)
				header = true;
			continue;
		}
		if (ind == 2 && len > 1 && l[len - 1] == ':' && len - 1 < sizeof(bridge)) {
			memcpy(bridge, l, len - 1);
			bridge[len - 1] = '\0';
			continue;
		}
		if (ind < 4 || bridge[0] == '\0')
			continue;
		/* "NAME OFPORT/ODPPORT: (TYPE...)" */
		char name[DPS_OVS_NAME_MAX], ofp[16];
		unsigned odp;
		if (sscanf(l, "%63s %15[0-9a-z]/%u:", name, ofp, &odp) != 3)
			continue;
		if (t->n >= DPS_OVS_MAX_PORTS)
			break;
		struct dps_ovs_port *p = &t->ports[t->n++];
		memset(p, 0, sizeof(*p));
		p->odp_port = odp;
		p->ofport = (uint32_t)strtoul(ofp, NULL, 10);
		snprintf(p->name, sizeof(p->name), "%s", name);
		snprintf(p->bridge, sizeof(p->bridge), "%s", bridge);
	}
	return header ? (int)t->n : -1;
}

int dps_ovs_parse_ifindex_csv(const char *text, struct dps_ovs_port_table *t)
{
	char line[256];
	const char *s = text;
	int matched = 0;

	while ((s = next_line(s, line, sizeof(line))) != NULL) {
		char *comma = strchr(line, ',');
		if (comma == NULL)
			continue;
		*comma = '\0';
		char *end;
		errno = 0;
		unsigned long ifindex = strtoul(comma + 1, &end, 10);
		if (errno != 0 || end == comma + 1 || ifindex > UINT32_MAX)
			continue; /* empty ifindex: the Interface has none (yet) */
		for (unsigned i = 0; i < t->n; i++) {
			if (strcmp(t->ports[i].name, line) == 0) {
				t->ports[i].ifindex = (uint32_t)ifindex;
				matched++;
			}
		}
	}
	return matched;
}

const struct dps_ovs_port *dps_ovs_port_find(const struct dps_ovs_port_table *t,
					     uint32_t odp_port)
{
	for (unsigned i = 0; i < t->n; i++)
		if (t->ports[i].odp_port == odp_port)
			return &t->ports[i];
	return NULL;
}

/* ---------------------------------------------------------------- refresher thread */

struct dps_ovs_ports {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop, poked;
	unsigned period_ms;
	char db_path[256];        /* the unix socket */
	char rundir[256];
	uint64_t generation;      /* of 'published' */
	struct dps_ovs_port_table published;
	struct dps_ovs_port_table work;
	char error[512];
	char out[256 * 1024];     /* the tools' output (per instance: each has its thread) */
};

/* Runs cmd (a fixed string built from validated paths) and reads at most len-1 bytes. */
static int run(const char *cmd, char *out, size_t len)
{
	FILE *f = popen(cmd, "r");
	size_t n = 0;

	if (f == NULL)
		return -1;
	while (n + 1 < len) {
		size_t got = fread(out + n, 1, len - 1 - n, f);
		if (got == 0)
			break;
		n += got;
	}
	out[n] = '\0';
	/* drain what did not fit so the child is not stuck on a full pipe */
	char sink[4096];
	while (fread(sink, 1, sizeof(sink), f) > 0)
		;
	int st = pclose(f);
	return st == 0 ? 0 : -1;
}

static void refresh(struct dps_ovs_ports *p)
{
	char *buf = p->out;
	const size_t buflen = sizeof(p->out);
	char cmd[1024];
	char err[512] = "";

	snprintf(cmd, sizeof(cmd), "OVS_RUNDIR='%s' ovs-appctl --timeout=2 dpif/show 2>&1",
		 p->rundir);
	if (run(cmd, buf, buflen) != 0 || dps_ovs_parse_dpif_show(buf, &p->work) < 0) {
		snprintf(err, sizeof(err), "ovs-appctl dpif/show (OVS_RUNDIR=%s) failed: %.120s",
			 p->rundir, buf);
	} else {
		snprintf(cmd, sizeof(cmd), "ovs-vsctl --db='unix:%s' --timeout=2 --format=csv "
			 "--data=bare --no-headings --columns=name,ifindex list Interface 2>&1",
			 p->db_path);
		if (run(cmd, buf, buflen) != 0)
			snprintf(err, sizeof(err), "ovs-vsctl list Interface failed: %.120s", buf);
		else
			dps_ovs_parse_ifindex_csv(buf, &p->work);
	}
	pthread_mutex_lock(&p->lock);
	if (err[0] == '\0') {
		if (memcmp(&p->work, &p->published, sizeof(p->work)) != 0) {
			p->published = p->work;
			__atomic_store_n(&p->generation, p->generation + 1, __ATOMIC_RELEASE);
		}
	}
	/* on failure keep the last good table: a restarting OVS keeps its port numbers */
	snprintf(p->error, sizeof(p->error), "%s", err);
	pthread_mutex_unlock(&p->lock);
}

static void *refresher(void *arg)
{
	struct dps_ovs_ports *p = arg;

	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		p->poked = false;
		pthread_mutex_unlock(&p->lock);
		refresh(p);
		pthread_mutex_lock(&p->lock);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += p->period_ms / 1000u;
		until.tv_nsec += (long)(p->period_ms % 1000u) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (!p->stop && !p->poked)
			if (pthread_cond_timedwait(&p->wake, &p->lock, &until) == ETIMEDOUT)
				break;
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct dps_ovs_ports *dps_ovs_ports_start(const char *db, unsigned period_ms, char *err,
					  size_t errlen)
{
	if (strncmp(db, "unix:", 5) != 0 || db[5] != '/') {
		snprintf(err, errlen, "ovs db '%s': only unix:/ABSOLUTE/PATH is supported for the "
			 "port map", db);
		return NULL;
	}
	const char *path = db + 5;
	if (strchr(path, '\'') != NULL || strlen(path) >= sizeof(((struct dps_ovs_ports *)0)->db_path)) {
		snprintf(err, errlen, "ovs db path '%s' is too long or contains a quote", path);
		return NULL;
	}
	struct dps_ovs_ports *p = calloc(1, sizeof(*p));
	if (p == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(p->db_path, sizeof(p->db_path), "%s", path);
	snprintf(p->rundir, sizeof(p->rundir), "%s", path);
	char *slash = strrchr(p->rundir, '/');
	if (slash == p->rundir)
		slash[1] = '\0';
	else
		*slash = '\0';
	p->period_ms = period_ms ? period_ms : 2000;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	/* once before the first sample: records that wait for the thread would go out with
	 * ifIndex 0. A failure here is not fatal (OVS may start later): the thread retries. */
	refresh(p);
	if (pthread_create(&p->thread, NULL, refresher, p) != 0) {
		snprintf(err, errlen, "cannot start the OVS port map thread");
		free(p);
		return NULL;
	}
	return p;
}

bool dps_ovs_ports_latest(struct dps_ovs_ports *p, struct dps_ovs_port_table *t,
			  uint64_t *generation)
{
	if (__atomic_load_n(&p->generation, __ATOMIC_ACQUIRE) == *generation)
		return false;
	pthread_mutex_lock(&p->lock);
	*t = p->published;
	*generation = p->generation;
	pthread_mutex_unlock(&p->lock);
	return true;
}

void dps_ovs_ports_poke(struct dps_ovs_ports *p)
{
	pthread_mutex_lock(&p->lock);
	p->poked = true;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
}

void dps_ovs_ports_error(struct dps_ovs_ports *p, char *buf, size_t len)
{
	pthread_mutex_lock(&p->lock);
	snprintf(buf, len, "%s", p->error);
	pthread_mutex_unlock(&p->lock);
}

void dps_ovs_ports_stop(struct dps_ovs_ports *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
	free(p);
}
