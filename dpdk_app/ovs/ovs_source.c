/* SPDX-License-Identifier: BSD-3-Clause */
/* ovs_source.c - ring records from ovs-vswitchd → flow samples (see ovs_source.h). */
#include <stdlib.h>
#include <string.h>

#include "ovs_db.h"
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
	const char *bridge_names[DPS_CONFIG_MAX_OVS_BRIDGES]; /* bridges[], as the helper takes */
	unsigned n_readers;
	struct dps_ovs_reader readers[DPS_CONFIG_MAX_OVS_RINGS];
	enum dps_ovs_reader_state logged[DPS_CONFIG_MAX_OVS_RINGS];
	uint64_t logged_attaches[DPS_CONFIG_MAX_OVS_RINGS]; /* a restart of OVS is news too */
	uint64_t pools_attaches[DPS_CONFIG_MAX_OVS_RINGS];  /* attach the pools[] belong to */
	struct dps_ovs_ports *ports;          /* tools-based port map, or NULL */
	struct dps_ovsdb *db;                 /* OVSDB client port map, or NULL */
	struct dps_ovsdb_view *view;          /* its latest view (with db) */
	bool ring_from_db;                    /* no ring in the file: OVS's own setting */
	uint64_t next_counters_ms;            /* OVS ports' counter samples (with db) */
	uint32_t counters_interval_ms;
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

/* ring path given by OVSDB (other_config:sflow-offload-ring) → the one reader */
static void follow_ring_path(struct dps_ovs_source *s)
{
	const char *want = s->view->ring_path;

	if (s->n_readers == 1 && strcmp(s->readers[0].path, want) == 0)
		return;
	if (s->n_readers == 1) {
		dps_ovs_reader_close(&s->readers[0]);
		s->n_readers = 0;
	}
	if (want[0] != '/') {
		if (want[0] != '\0')
			fprintf(stderr, "dpsflow: ovs: other_config:sflow-offload-ring '%s' is not "
				"an absolute path: ignored\n", want);
		return;
	}
	dps_ovs_reader_init(&s->readers[0], want);
	s->logged[0] = (enum dps_ovs_reader_state)-1;
	s->n_readers = 1;
}

struct dps_ovs_source *dps_ovs_source_create(const struct dps_config *cfg,
					     enum dps_ovs_port_map map, char *err, size_t errlen)
{
	bool port_map = map != DPS_OVS_MAP_NONE;
	bool use_db = map == DPS_OVS_MAP_AUTO && cfg->ovs_db[0] != '\0' &&
		      dps_ovsdb_available(NULL, 0);

	if (!cfg->has_ovs || (cfg->n_ovs_rings == 0 && !use_db)) {
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
	for (unsigned i = 0; i < s->n_bridges; i++)
		s->bridge_names[i] = s->bridges[i];
	for (unsigned i = 0; i < s->n_readers; i++) {
		dps_ovs_reader_init(&s->readers[i], cfg->ovs_rings[i]);
		s->logged[i] = (enum dps_ovs_reader_state)-1;
	}
	if (use_db) {
		s->view = calloc(1, sizeof(*s->view));
		if (s->view == NULL) {
			snprintf(err, errlen, "out of memory");
			free(s);
			return NULL;
		}
		/* a database that cannot be read at start is the operator's error to see */
		s->db = dps_ovsdb_start(cfg->ovs_db, "", 5000, err, errlen);
		if (s->db == NULL) {
			free(s->view);
			free(s);
			return NULL;
		}
		dps_ovsdb_latest(s->db, s->view);
		dps_ovsdb_port_table(s->view, &s->table);
		s->table_generation++;
		s->ring_from_db = cfg->n_ovs_rings == 0;
		if (s->ring_from_db)
			follow_ring_path(s);
	} else if (port_map) {
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
	return dps_ovsdb_bridge_wanted(s->bridge_names, s->n_bridges, bridge);
}

/* The action list as OVS itself prints it (ovs-appctl dpctl/dump-flows), when this build has
 * OVS's library: an operator can put the two side by side. */
static void print_ovs_text(FILE *f, const struct dps_ovs_record *rec)
{
	/* OVS reads netlink attributes in place: give it an aligned copy */
	static uint32_t aligned[DPS_OVS_RING_ACTIONS_BYTES / 4];
	static char text[4096];
	size_t len = rec->actions_length <= sizeof(aligned) ? rec->actions_length : 0;

	memcpy(aligned, rec->actions, len);
	if (!dps_ovsdb_format_actions(aligned, len, text, sizeof(text)))
		return;
	fputs(",\"ovs_text\":\"", f);
	for (const char *c = text; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			fputc('\\', f);
		if ((unsigned char)*c >= 0x20)
			fputc(*c, f);
	}
	fputc('"', f);
}

static bool on_record(void *ctx, unsigned ring, const struct dps_ovs_record *rec)
{
	struct dps_ovs_source *s = ctx;
	struct dps_ovs_export_in in;
	const struct dps_ovs_port *port = dps_ovs_port_find(&s->table, rec->in_odp_port);

	/* A port added a moment ago: ask OVS again and leave its samples in the ring (it
	 * holds 1024 per PMD) rather than export them without an ifIndex. Once per table
	 * generation, for at most DPS_OVS_HOLD_MS: a port OVS never names goes out as 0. */
	if (port == NULL && (s->ports != NULL || s->db != NULL)) {
		if (s->held_generation != s->table_generation + 1) {
			s->held_generation = s->table_generation + 1;
			s->hold_until_ms = s->now_ms + DPS_OVS_HOLD_MS;
			if (s->db != NULL)
				dps_ovsdb_poke(s->db);
			else
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
			"\"actions\":%s", name, rec->in_odp_port, actions);
		print_ovs_text(s->print, rec);
		fputs("}\n", s->print);
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
	if (s->db != NULL && dps_ovsdb_latest(s->db, s->view)) {
		dps_ovsdb_port_table(s->view, &s->table);
		s->table_generation++;
		if (s->ring_from_db)
			follow_ring_path(s);
	}
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
	if (s->db != NULL) {
		out->db_connected = s->view->connected;
		out->db_connects = s->view->connects;
		if (s->n_readers == 0)
			snprintf(out->state, sizeof(out->state), "OVS has no other_config:"
				 "sflow-offload-ring%s", s->view->connected ? "" : " (database down)");
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

const struct dps_ovsdb_view *dps_ovs_source_view(const struct dps_ovs_source *s)
{
	return s->db != NULL ? s->view : NULL;
}

unsigned dps_ovs_source_counters(struct dps_ovs_source *s, struct dps_agent *agent,
				 uint32_t polling_s, uint64_t now_ms, bool force)
{
	uint32_t interval_ms = polling_s * 1000u;
	struct dps_counters_sample cs;
	unsigned n = 0;

	if (s->db == NULL || (interval_ms == 0 && !force))
		return 0;
	if (!force) {
		if (interval_ms != s->counters_interval_ms) {
			/* a new polling interval (ovs-vsctl set sflow ... polling=N) starts now */
			s->counters_interval_ms = interval_ms;
			s->next_counters_ms = now_ms;
		}
		if (now_ms < s->next_counters_ms)
			return 0;
		s->next_counters_ms += interval_ms;
		if (s->next_counters_ms <= now_ms) /* stalled: do not burst */
			s->next_counters_ms = now_ms + interval_ms;
	}
	for (unsigned i = 0; i < s->view->n_ifaces; i++) {
		const struct dps_ovsdb_iface *f = &s->view->ifaces[i];
		if (!f->has_stats || !bridge_wanted(s, f->bridge))
			continue;
		/* the data source its flow samples use (see on_record) */
		uint32_t source = f->ifindex != 0 ? f->ifindex : dps_port_name_ifindex(f->name);
		dps_ovsdb_iface_counters(f, source, &cs);
		if (dps_agent_add_counters(agent, &cs, now_ms) == 0)
			n++;
	}
	s->st.counter_samples += n;
	return n;
}

void dps_ovs_source_destroy(struct dps_ovs_source *s)
{
	if (s == NULL)
		return;
	dps_ovs_ports_stop(s->ports);
	dps_ovsdb_stop(s->db);
	free(s->view);
	for (unsigned i = 0; i < s->n_readers; i++)
		dps_ovs_reader_close(&s->readers[i]);
	free(s);
}
