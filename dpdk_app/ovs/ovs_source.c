/* SPDX-License-Identifier: BSD-3-Clause */
/* ovs_source.c - ring records from ovs-vswitchd → flow samples (see ovs_source.h). */
#include <stdlib.h>
#include <string.h>

#include "ovs_export.h"
#include "ovs_ports.h"
#include "ovs_ring_reader.h"
#include "ovs_source.h"
#include "name_ifindex.h"
#include "print_json.h"

/* sFlow wants one pool per data source (the input port). OVS counts per (PMD ring, port):
 * keep the latest value each ring reported and sum. */
#define POOL_SLOTS 256
struct port_pools {
	uint32_t odp_port;        /* UINT32_MAX: free */
	uint64_t pool[DPS_CONFIG_MAX_OVS_RINGS][DPS_OVS_RING_MAX_RINGS];
	uint64_t drops[DPS_CONFIG_MAX_OVS_RINGS][DPS_OVS_RING_MAX_RINGS];
	uint64_t pool_sum, drops_sum; /* of the two tables: kept per update, not re-added */
};

struct dps_ovs_source {
	unsigned n_bridges;                   /* 0: every bridge OVS samples */
	char bridges[DPS_CONFIG_MAX_OVS_BRIDGES][DPS_CONFIG_IFNAME_MAX];
	unsigned n_readers;
	struct dps_ovs_reader readers[DPS_CONFIG_MAX_OVS_RINGS];
	enum dps_ovs_reader_state logged[DPS_CONFIG_MAX_OVS_RINGS];
	uint64_t logged_attaches[DPS_CONFIG_MAX_OVS_RINGS]; /* a restart of OVS is news too */
	uint64_t pools_attaches[DPS_CONFIG_MAX_OVS_RINGS];  /* attach the pools[] belong to */
	struct dps_ovs_ports *ports;          /* NULL without the port map */
	struct dps_ovs_port_table table;
	uint64_t table_generation;
	/* a record named a port the table lacks: its ring waits for a refresh until then */
	uint64_t hold_until_ms;
	uint64_t held_generation; /* table generation the hold was for (one hold each) */
	struct port_pools pools[POOL_SLOTS];
	struct dps_ovs_export_out out;        /* scratch: large */
	struct dps_ovs_source_stats st;
	/* the pass in progress (the drain callback's context) */
	struct dps_agent *agent;
	const struct dps_decode_config *decode_cfg;
	uint32_t header_bytes;
	FILE *print;
	uint64_t now_ms;
	unsigned reader;
};

struct dps_ovs_source *dps_ovs_source_create(const struct dps_config *cfg, bool port_map,
					     char *err, size_t errlen)
{
	if (!cfg->has_ovs || cfg->n_ovs_rings == 0) {
		snprintf(err, errlen, "ovs { }: no 'ring = /dev/hugepages/...' given (the path "
			 "set in ovs-vsctl set Open_vSwitch . other_config:sflow-offload-ring=...)");
		return NULL;
	}
	if (port_map && cfg->ovs_db[0] == '\0') {
		snprintf(err, errlen, "ovs { }: 'db = unix:/var/run/openvswitch/db.sock' is needed "
			 "to map OVS ports to their ifIndex");
		return NULL;
	}
	struct dps_ovs_source *s = calloc(1, sizeof(*s));
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (unsigned i = 0; i < POOL_SLOTS; i++)
		s->pools[i].odp_port = UINT32_MAX;
	s->n_readers = cfg->n_ovs_rings;
	s->n_bridges = cfg->n_ovs_bridges;
	memcpy(s->bridges, cfg->ovs_bridges, sizeof(s->bridges));
	for (unsigned i = 0; i < s->n_readers; i++) {
		dps_ovs_reader_init(&s->readers[i], cfg->ovs_rings[i]);
		s->logged[i] = (enum dps_ovs_reader_state)-1;
	}
	if (port_map) {
		s->ports = dps_ovs_ports_start(cfg->ovs_db, 2000, err, errlen);
		if (s->ports == NULL) {
			free(s);
			return NULL;
		}
	}
	return s;
}

static struct port_pools *pools_of(struct dps_ovs_source *s, uint32_t odp_port)
{
	unsigned start = (odp_port * 2654435761u) % POOL_SLOTS;

	for (unsigned i = 0; i < POOL_SLOTS; i++) {
		struct port_pools *p = &s->pools[(start + i) % POOL_SLOTS];
		if (p->odp_port == odp_port)
			return p;
		if (p->odp_port == UINT32_MAX) {
			p->odp_port = odp_port;
			return p;
		}
	}
	return NULL; /* more than POOL_SLOTS input ports: use the ring's own figures */
}

#define DPS_OVS_HOLD_MS 1000u

static bool bridge_wanted(const struct dps_ovs_source *s, const char *bridge)
{
	if (s->n_bridges == 0)
		return true;
	for (unsigned i = 0; i < s->n_bridges; i++)
		if (strcmp(s->bridges[i], bridge) == 0)
			return true;
	return false;
}

static bool on_record(void *ctx, unsigned ring, const struct dps_ovs_record *rec)
{
	struct dps_ovs_source *s = ctx;
	struct dps_ovs_export_in in;
	const struct dps_ovs_port *port = dps_ovs_port_find(&s->table, rec->in_odp_port);

	/* A port added a moment ago: ask OVS again and leave its samples in the ring (it
	 * holds 1024 per PMD) rather than export them without an ifIndex. Once per table
	 * generation, for at most DPS_OVS_HOLD_MS: a port OVS never names goes out as 0. */
	if (port == NULL && s->ports != NULL) {
		if (s->held_generation != s->table_generation + 1) {
			s->held_generation = s->table_generation + 1;
			s->hold_until_ms = s->now_ms + DPS_OVS_HOLD_MS;
			dps_ovs_ports_poke(s->ports);
		}
		if (s->now_ms < s->hold_until_ms)
			return false;
	}
	s->st.records++;
	if (port != NULL && !bridge_wanted(s, port->bridge)) {
		s->st.other_bridge++; /* sFlow on a bridge this agent was not asked to export */
		return true;
	}
	memset(&in, 0, sizeof(in));
	in.rec = rec;
	in.header_bytes = s->header_bytes;
	in.in_ifindex = port != NULL ? port->ifindex : 0;
	/* OVS gives tunnel and patch ports no ifindex (input 0 = unknown, as OVS reports it),
	 * but each input port needs a data source of its own: its pool and sequence numbers
	 * must not mix with another port's. Such ports get the name-derived index dpsflow
	 * gives DPDK ports. */
	if (port != NULL && port->ifindex == 0)
		in.source_ifindex = dps_port_name_ifindex(port->name);
	/* ifindex 0 is OVS's own answer for ports without one (tunnel ports): only a port
	 * missing from the table is unmapped */
	if (port == NULL)
		s->st.unmapped++;
	struct port_pools *pp = ring < DPS_OVS_RING_MAX_RINGS ? pools_of(s, rec->in_odp_port) : NULL;
	if (pp != NULL) {
		pp->pool_sum += rec->sample_pool - pp->pool[s->reader][ring];
		pp->drops_sum += rec->drops - pp->drops[s->reader][ring];
		pp->pool[s->reader][ring] = rec->sample_pool;
		pp->drops[s->reader][ring] = rec->drops;
		in.sample_pool = pp->pool_sum;
		in.drops = pp->drops_sum;
	} else {
		in.sample_pool = rec->sample_pool;
		in.drops = rec->drops;
	}
	dps_ovs_export_fill(&s->out, &in, s->decode_cfg);
	if (!s->out.actions_ok)
		s->st.actions_bad++;
	if (dps_agent_add_flow(s->agent, &s->out.fs, s->now_ms) == 0)
		s->st.exported++;
	if (s->print != NULL) {
		char name[80];
		snprintf(name, sizeof(name), "%s", port != NULL ? port->name : "ovs:unknown");
		dps_print_sample_json(s->print, name, &s->out.fs, &s->out.view);
		char actions[2048];
		dps_odp_format(&s->out.actions, DPS_ODP_FMT_JSON, actions, sizeof(actions));
		fprintf(s->print, "{\"type\":\"ovs_actions\",\"port\":\"%s\",\"odp_port\":%u,"
			"\"actions\":%s}\n", name, rec->in_odp_port, actions);
	}
	return true;
}

unsigned dps_ovs_source_poll(struct dps_ovs_source *s, struct dps_agent *agent,
			     const struct dps_decode_config *decode_cfg, uint32_t header_bytes,
			     FILE *print, uint64_t now_ms, unsigned budget)
{
	unsigned total = 0;

	if (s->ports != NULL)
		dps_ovs_ports_latest(s->ports, &s->table, &s->table_generation);
	s->agent = agent;
	s->decode_cfg = decode_cfg;
	s->header_bytes = header_bytes;
	s->print = print;
	s->now_ms = now_ms;
	for (unsigned i = 0; i < s->n_readers; i++) {
		dps_ovs_reader_check(&s->readers[i], now_ms);
		if (s->readers[i].attaches != s->pools_attaches[i]) {
			/* a new file (OVS restarted): its counters start again from 0 and its rings
			 * are other threads; what the old file's rings reported is history */
			s->pools_attaches[i] = s->readers[i].attaches;
			for (unsigned k = 0; k < POOL_SLOTS; k++) {
				for (unsigned r = 0; r < DPS_OVS_RING_MAX_RINGS; r++) {
					s->pools[k].pool_sum -= s->pools[k].pool[i][r];
					s->pools[k].drops_sum -= s->pools[k].drops[i][r];
				}
				memset(s->pools[k].pool[i], 0, sizeof(s->pools[k].pool[i]));
				memset(s->pools[k].drops[i], 0, sizeof(s->pools[k].drops[i]));
			}
		}
		s->reader = i;
		total += dps_ovs_reader_drain(&s->readers[i], budget, on_record, s);
	}
	return total;
}

uint64_t dps_ovs_source_exported(const struct dps_ovs_source *s)
{
	return s->st.exported;
}

void dps_ovs_source_get_stats(const struct dps_ovs_source *s, struct dps_ovs_source_stats *out)
{
	*out = s->st;
	out->n_rings = s->n_readers;
	out->state[0] = '\0';
	for (unsigned i = 0; i < s->n_readers; i++) {
		const struct dps_ovs_reader *r = &s->readers[i];
		out->attaches += r->attaches;
		out->abandoned += r->abandoned;
		if (r->state == DPS_OVS_READER_ATTACHED) {
			out->n_attached++;
			const struct dps_ovs_ring_file *f = r->file;
			for (uint32_t k = 0; k < f->n_rings; k++) {
				const struct dps_ovs_ring *ring = &f->rings[k];
				out->ring_drops += __atomic_load_n(&ring->unaccounted_drops,
								   __ATOMIC_RELAXED);
				for (unsigned p = 0; p < DPS_OVS_RING_PORT_SLOTS; p++)
					if (__atomic_load_n(&ring->ports[p].odp_port, __ATOMIC_RELAXED) !=
					    DPS_OVS_PORT_NONE)
						out->ring_drops += __atomic_load_n(&ring->ports[p].drops,
										   __ATOMIC_RELAXED);
			}
		} else if (out->state[0] == '\0') {
			snprintf(out->state, sizeof(out->state), "%s", r->error);
		}
	}
	if (out->state[0] == '\0')
		snprintf(out->state, sizeof(out->state), "attached");
}

void dps_ovs_source_log(struct dps_ovs_source *s, FILE *f)
{
	for (unsigned i = 0; i < s->n_readers; i++) {
		const struct dps_ovs_reader *r = &s->readers[i];
		if (r->state == s->logged[i] && r->attaches == s->logged_attaches[i])
			continue;
		s->logged[i] = r->state;
		s->logged_attaches[i] = r->attaches;
		if (r->state == DPS_OVS_READER_ATTACHED)
			fprintf(f, "dpsflow: ovs ring %s attached (producer pid %u, %u rings)\n",
				r->path, r->file->producer_pid, r->file->n_rings);
		else
			fprintf(f, "dpsflow: ovs ring %s: %s\n", dps_ovs_reader_state_name(r->state),
				r->error);
	}
}

void dps_ovs_source_destroy(struct dps_ovs_source *s)
{
	if (s == NULL)
		return;
	dps_ovs_ports_stop(s->ports);
	for (unsigned i = 0; i < s->n_readers; i++)
		dps_ovs_reader_close(&s->readers[i]);
	free(s);
}
