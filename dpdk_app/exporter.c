/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Exporter loop on the EAL main lcore (see exporter.h).
 *
 * It is the only consumer of every worker ring and the only user of the dps_agent, so nothing
 * here locks. It may block briefly (sendmmsg, stdout) without ever slowing a worker: a ring
 * that fills while it is busy costs counted drops, never back-pressure.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "agent_addr.h"
#include "counters.h"
#include "exporter.h"
#include "flow_export.h"
#include "hwsample.h"
#include "ovs_db.h"
#include "ovs_source.h"
#include "ports.h"
#include "print_json.h"
#include "stats.h"

#define DRAIN_BURST 64
#define TRICKLE 16          /* records per pass below which the loop sleeps */
/* sub-agent id with ovs { } when the file sets none (see agent_config) */
#define DPS_OVS_SUB_AGENT_ID 100u

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t reload_requested;

struct exporter_state {
	struct dps_decode_config decode_cfg;
	/* per data source: totals snapshot taken once per drain pass, and exported count */
	struct dps_source_stats snap[DPS_MAX_PORTS];
	uint64_t exported[DPS_MAX_PORTS];
	/* live stats view */
	uint64_t next_stats_ms;
	struct dps_source_stats prev[DPS_MAX_PORTS];
	uint64_t prev_stats_ms;
	uint64_t next_publish_ms;
	uint64_t next_link_ms;
	/* samples from a patched ovs-vswitchd (ovs { }), NULL without that block */
	struct dps_ovs_source *ovs;
	/* the OVSDB sFlow row dpsflow follows (OVSDB client only) */
	uint64_t ovs_view_generation;
	bool ovs_has_row;
	struct dps_ovsdb_bridge ovs_row;
	/* last counter sample's source stats per port (the summary compares with it) */
	struct rte_eth_stats last_eth[DPS_MAX_PORTS];
};

static struct exporter_state ex;

void
dps_exporter_request_stop(void)
{
	stop_requested = 1;
}

void
dps_exporter_request_reload(void)
{
	reload_requested = 1;
}

static void
addr_from_config(struct dps_sflow_addr *out, const struct dps_addr *in)
{
	memset(out, 0, sizeof(*out));
	out->type = in->family == 6 ? DPS_SFLOW_ADDR_IPV6 : DPS_SFLOW_ADDR_IPV4;
	memcpy(out->bytes, in->bytes, in->family == 6 ? 16 : 4);
}

static bool
agent_set_in_file(const struct dps_config *cfg)
{
	return cfg->agent_ifname[0] != '\0' || cfg->agent_ip.family != 0 || cfg->has_agent_cidr;
}

/* The agent address an OVS sFlow row names: an IP address, or an interface whose address
 * OVS would report. -1 when it names neither. */
static int
ovs_agent_addr(const struct dps_config *cfg, const char *agent, struct dps_sflow_addr *out)
{
	static struct dps_config tmp;
	struct dps_addr a;

	if (dps_config_parse_addr(agent, &a) == 0) {
		addr_from_config(out, &a);
		return 0;
	}
	tmp = *cfg;
	if (strlen(agent) >= sizeof(tmp.agent_ifname))
		return -1;
	memcpy(tmp.agent_ifname, agent, strlen(agent) + 1);
	tmp.has_agent_cidr = false;
	return dps_agent_addr_select(&tmp, out);
}

/* The agent's settings: the file's, and for what the file leaves unset (collectors, agent
 * address) the OVSDB sFlow row dpsflow follows, when there is one. */
static int
agent_config(const struct dps_config *cfg, const struct dps_ovsdb_bridge *row,
	     struct dps_agent_config *ac, char *err, size_t errlen)
{
	unsigned int i;

	memset(ac, 0, sizeof(*ac));
	bool from_row = row != NULL && !agent_set_in_file(cfg) && row->sflow.agent[0] != '\0';
	if (from_row && ovs_agent_addr(cfg, row->sflow.agent, &ac->agent_addr) == 0) {
		/* taken from the row */
	} else if (from_row && dps_agent_addr_select(cfg, &ac->agent_addr) == 0) {
		fprintf(stderr, "dpsflow: ovsdb: sFlow agent '%s' of bridge %s is neither an "
			"address nor a local interface with one: using the default agent "
			"address\n", row->sflow.agent, row->name);
	} else if (dps_agent_addr_select(cfg, &ac->agent_addr) != 0) {
		snprintf(err, errlen, "no local address matches %s",
			 cfg->has_agent_cidr ? "agent.cidr" : "the agent interface");
		return -1;
	}
	ac->sub_agent_id = cfg->sub_agent_id;
	/* ovs-vswitchd's own sFlow agent keeps sending its counter samples under sub-agent ids
	 * 0, 1, ... (one per bridge, same agent address): two sequence-number streams under one
	 * id would look like loss to a collector */
	if (cfg->has_ovs && !cfg->has_sub_agent_id)
		ac->sub_agent_id = DPS_OVS_SUB_AGENT_ID;
	ac->datagram_bytes = cfg->datagram_bytes;
	ac->max_wait_ms = cfg->datagram_timeout_ms;
	if (row != NULL && cfg->n_collectors == 0) {
		for (i = 0; i < row->sflow.n_targets && ac->n_collectors < DPS_MAX_COLLECTORS; i++) {
			struct dps_collector c;

			if (dps_config_parse_collector(row->sflow.targets[i], &c) != 0) {
				fprintf(stderr, "dpsflow: ovsdb: sFlow target '%s' of bridge %s is not "
					"IP:PORT: skipped\n", row->sflow.targets[i], row->name);
				continue;
			}
			addr_from_config(&ac->collectors[ac->n_collectors].addr, &c.addr);
			ac->collectors[ac->n_collectors].port = c.udp_port;
			ac->collectors[ac->n_collectors].tunnel_records = c.tunnel_records;
			ac->n_collectors++;
		}
		return 0;
	}
	ac->n_collectors = cfg->n_collectors;
	for (i = 0; i < cfg->n_collectors; i++) {
		addr_from_config(&ac->collectors[i].addr, &cfg->collectors[i].addr);
		ac->collectors[i].port = cfg->collectors[i].udp_port;
		ac->collectors[i].tunnel_records = cfg->collectors[i].tunnel_records;
	}
	return 0;
}

static const struct dps_ovsdb_bridge *
ovs_row(void)
{
	return ex.ovs_has_row ? &ex.ovs_row : NULL;
}

/* Header bytes and counter polling of OVS samples: the file's when it sets them, else the
 * sFlow row's (OVS's defaults 128 bytes and 30 s where the row leaves them empty). */
static uint32_t
ovs_header_bytes(const struct dps_app *app)
{
	if (app->cfg.has_header_bytes || !ex.ovs_has_row || ex.ovs_row.sflow.header_bytes == 0)
		return app->cfg.header_bytes;
	return ex.ovs_row.sflow.header_bytes;
}

static uint32_t
ovs_polling_s(const struct dps_app *app)
{
	if (app->cfg.has_polling)
		return app->cfg.polling_s;
	if (!ex.ovs_has_row)
		return 0; /* no bridge has sFlow: OVS samples nothing, dpsflow polls nothing */
	return ex.ovs_row.sflow.polling_s != 0 ? ex.ovs_row.sflow.polling_s : 30;
}

static void
log_ovs_row(const struct dps_app *app, const char *conflict)
{
	const struct dps_ovsdb_sflow *r = &ex.ovs_row.sflow;
	char targets[512] = "";
	size_t used = 0;

	if (!ex.ovs_has_row) {
		fprintf(stderr, "dpsflow: ovsdb: no exported bridge has sFlow configured\n");
		return;
	}
	for (unsigned int i = 0; i < r->n_targets && used < sizeof(targets); i++)
		used += (size_t)snprintf(targets + used, sizeof(targets) - used, "%s%s",
					 i ? "," : "", r->targets[i]);
	fprintf(stderr, "dpsflow: ovsdb: following bridge %s's sFlow: targets %s%s, sampling "
		"%u, polling %u s, header %u bytes, agent %s%s\n", ex.ovs_row.name,
		targets[0] ? targets : "(none)",
		app->cfg.n_collectors ? " (file's collectors used)" : "",
		r->sampling ? r->sampling : 400, ovs_polling_s(app), ovs_header_bytes(app),
		r->agent[0] ? r->agent : "(default)",
		agent_set_in_file(&app->cfg) ? " (file's agent used)" : "");
	if (conflict != NULL)
		fprintf(stderr, "dpsflow: ovsdb: warning: bridge %s has other sFlow settings than "
			"%s; dpsflow exports all bridges with %s's\n", conflict, ex.ovs_row.name,
			ex.ovs_row.name);
}

/* Follows the sFlow row in OVSDB: new targets or agent address reconfigure the agent. */
static void
follow_ovsdb(struct dps_app *app, uint64_t now)
{
	const struct dps_ovsdb_view *v = ex.ovs != NULL ? dps_ovs_source_view(ex.ovs) : NULL;
	const char *names[DPS_CONFIG_MAX_OVS_BRIDGES];
	const struct dps_ovsdb_bridge *row;
	const char *conflict;
	struct dps_agent_config ac;
	char err[256] = "";

	if (v == NULL || v->generation == ex.ovs_view_generation)
		return;
	ex.ovs_view_generation = v->generation;
	for (unsigned int i = 0; i < app->cfg.n_ovs_bridges; i++)
		names[i] = app->cfg.ovs_bridges[i];
	row = dps_ovsdb_governing(v, names, app->cfg.n_ovs_bridges, &conflict);
	if ((row != NULL) == ex.ovs_has_row &&
	    (row == NULL || memcmp(row, &ex.ovs_row, sizeof(*row)) == 0))
		return;
	ex.ovs_has_row = row != NULL;
	if (row != NULL)
		ex.ovs_row = *row;
	log_ovs_row(app, conflict);
	if (agent_config(&app->cfg, ovs_row(), &ac, err, sizeof(err)) != 0 ||
	    dps_agent_reconfigure(app->agent, &ac, now) != 0)
		fprintf(stderr, "dpsflow: ovsdb: keeping the running collectors: %s\n",
			err[0] ? err : "collectors could not be set up");
}

/* Spread the ports' counter polls over the interval so they do not burst together. */
static void
schedule_counters(struct dps_app *app, uint64_t now)
{
	uint64_t interval = (uint64_t)app->cfg.polling_s * 1000u;
	unsigned int i;

	for (i = 0; i < app->n_ports; i++)
		app->ports[i].next_counter_ms = now + interval * i / (app->n_ports ? app->n_ports : 1);
}

int
dps_exporter_init(struct dps_app *app, char *err, size_t errlen)
{
	struct dps_agent_config ac;

	memset(&ex, 0, sizeof(ex));
	dps_decode_config_init(&ex.decode_cfg);
	if (agent_config(&app->cfg, NULL, &ac, err, errlen) != 0)
		return -1;
	app->agent = dps_agent_create(&ac);
	if (app->agent == NULL) {
		snprintf(err, errlen, "cannot create the sFlow agent: %s", strerror(errno));
		return -1;
	}
	if (app->cfg.has_ovs) {
		ex.ovs = dps_ovs_source_create(&app->cfg, DPS_OVS_MAP_AUTO, err, errlen);
		if (ex.ovs == NULL)
			return -1;
		follow_ovsdb(app, 0); /* the sFlow row's collectors from the first sample on */
	}
	if (app->cfg.n_collectors == 0 && !ex.ovs_has_row)
		fprintf(stderr, "dpsflow: warning: no collector configured; samples are only "
			"counted%s\n", app->cfg.run.print_samples ? " and printed" : "");
	return 0;
}

/* Samples ovs-vswitchd's PMD threads wrote into the shared rings (ovs { }). */
static unsigned int
poll_ovs(struct dps_app *app, uint64_t now, unsigned int budget)
{
	uint64_t exported_before;
	unsigned int n, counters;

	if (ex.ovs == NULL)
		return 0;
	exported_before = dps_ovs_source_exported(ex.ovs);
	n = dps_ovs_source_poll(ex.ovs, app->agent, &ex.decode_cfg, ovs_header_bytes(app),
				app->cfg.run.print_samples ? stdout : NULL, now, budget);
	dps_ovs_source_log(ex.ovs, stderr);
	follow_ovsdb(app, now);
	/* OVS ports' counters (OVSDB client only); at exit (budget 0) one last set */
	counters = dps_ovs_source_counters(ex.ovs, app->agent, ovs_polling_s(app), now,
					   budget == 0);
	if (counters != 0)
		__atomic_store_n(&app->counter_samples, app->counter_samples + counters,
				 __ATOMIC_RELAXED);
	if (n != 0) {
		/* what the agent accepted, not what was read (bridge filter, rejects) */
		__atomic_store_n(&app->samples_exported, app->samples_exported +
				 (dps_ovs_source_exported(ex.ovs) - exported_before),
				 __ATOMIC_RELAXED);
		if (app->cfg.run.print_samples)
			fflush(stdout);
	}
	return n;
}

static uint64_t
uptime_ms(const struct dps_app *app)
{
	return dps_now_ms() - app->start_ms;
}

static void
snapshot_sources(struct dps_app *app, uint64_t now)
{
	unsigned int i;

	/* a hardware-sampled port's pool is the NIC's count: read it before the sums */
	for (i = 0; i < app->n_ports; i++) {
		dps_hwsample_refresh(app, &app->ports[i], now);
		dps_source_stats_read(app, i, &ex.snap[i]);
	}
}

static void
export_record(struct dps_app *app, const struct dps_sample_record *rec, uint64_t now)
{
	const struct dps_port *p;
	struct dps_flow_export_in in;
	struct dps_flow_sample fs;
	struct dps_sample_view view;

	if (rec->source >= app->n_ports)
		return; /* cannot happen: workers write indexes we gave them */
	p = &app->ports[rec->source];
	/* the view is all the flow records need: the lean decode gives the same view as
	 * dps_decode_packet + dps_sample_view_from at a fraction of the instructions */
	if (dps_decode_sample_view(&ex.decode_cfg, rec->header, rec->header_len, rec->frame_len,
				   &view) == DPS_DECODE_MALFORMED)
		app->decode_malformed++;

	in.source_ifindex = p->ifindex;
	in.sampling_rate = rec->sampling_rate;
	in.sample_pool = ex.snap[rec->source].sample_pool;
	in.drops = ex.snap[rec->source].drops;
	in.in_ifindex = rec->in_ifindex;
	in.out_ifindex = rec->out_ifindex;
	in.frame_len = rec->frame_len;
	in.header_len = rec->header_len;
	in.header = rec->header;
	dps_flow_export_fill(&fs, &in, &view);

	if (dps_agent_add_flow(app->agent, &fs, now) == 0) {
		ex.exported[rec->source]++;
		__atomic_store_n(&app->samples_exported, app->samples_exported + 1,
				 __ATOMIC_RELAXED);
	}
	if (app->cfg.run.print_samples)
		dps_print_sample_json(stdout, p->name, &fs, &view);
}

/* Drains up to `budget` records per ring (all of them when budget is 0). */
static unsigned int
drain_rings(struct dps_app *app, uint64_t now, unsigned int budget)
{
	struct dps_sample_record recs[DRAIN_BURST];
	unsigned int i, k, n, total = 0, taken;
	bool snapped = false;

	for (i = 0; i < app->n_workers; i++) {
		taken = 0;
		do {
			n = rte_ring_dequeue_burst_elem(app->workers[i].ring, recs, sizeof(recs[0]),
							DRAIN_BURST, NULL);
			/* Read the workers' counters only when there is something to export (each
			 * read pulls their hot lines across cores), and after the dequeue, so the
			 * pool a sample carries is never older than the sample. */
			if (n != 0 && !snapped) {
				snapshot_sources(app, now);
				snapped = true;
			}
			for (k = 0; k < n; k++)
				export_record(app, &recs[k], now);
			taken += n;
		} while (n == DRAIN_BURST && (budget == 0 || taken < budget));
		total += taken;
	}
	if (total != 0 && app->cfg.run.print_samples)
		fflush(stdout);
	return total;
}

/* hsflowd's default rate follows the link speed, and a link that goes down stops sampling */
static void
refresh_link(struct dps_app *app, struct dps_port *p)
{
	bool was_up = p->link_up;
	uint64_t was_speed = p->speed_bps;

	dps_port_refresh_link(p);
	if (p->link_up != was_up || p->speed_bps != was_speed)
		dps_apply_sampling(app);
}

static void
publish_collector_stats(struct dps_app *app)
{
	struct dps_collector_stats cs;
	unsigned int i;

	/* the agent's collectors: the file's, or those of the OVSDB sFlow row */
	for (i = 0; i < DPS_MAX_COLLECTORS; i++) {
		if (dps_agent_get_collector_stats(app->agent, i, &cs) != 0)
			break;
		__atomic_store_n(&app->tel_collectors[i].datagrams, cs.datagrams, __ATOMIC_RELAXED);
		__atomic_store_n(&app->tel_collectors[i].bytes, cs.bytes, __ATOMIC_RELAXED);
		__atomic_store_n(&app->tel_collectors[i].samples, cs.samples, __ATOMIC_RELAXED);
		__atomic_store_n(&app->tel_collectors[i].send_errors, cs.send_errors,
				 __ATOMIC_RELAXED);
	}
	__atomic_store_n(&app->tel_n_collectors, i, __ATOMIC_RELEASE);
}

static void
poll_counters(struct dps_app *app, uint64_t now, bool force)
{
	struct dps_counters_sample cs;
	uint64_t interval = (uint64_t)app->cfg.polling_s * 1000u;
	unsigned int i;

	if (interval == 0)
		return;
	for (i = 0; i < app->n_ports; i++) {
		struct dps_port *p = &app->ports[i];

		if (!force && now < p->next_counter_ms)
			continue;
		if (!force) {
			p->next_counter_ms += interval;
			if (p->next_counter_ms <= now) /* we were stalled: do not burst */
				p->next_counter_ms = now + interval;
		}
		dps_hwsample_refresh(app, p, now);
		if (dps_port_counters(app, i, &cs, &ex.last_eth[i]) != 0)
			continue;
		if (dps_agent_add_counters(app->agent, &cs, now) == 0)
			__atomic_store_n(&app->counter_samples, app->counter_samples + 1,
					 __ATOMIC_RELAXED);
	}
}

static void
print_stats_line(struct dps_app *app, uint64_t now)
{
	double secs = (double)(now - ex.prev_stats_ms) / 1000.0;
	unsigned int i, w;
	uint64_t fill = 0, cap = 0;

	for (w = 0; w < app->n_workers; w++) {
		fill += rte_ring_count(app->workers[w].ring);
		cap += rte_ring_get_capacity(app->workers[w].ring);
	}
	for (i = 0; i < app->n_ports && secs > 0; i++) {
		struct dps_source_stats s;

		dps_source_stats_read(app, i, &s);
		fprintf(stderr, "dpsflow: %-12s rx %8.3f Mpps  samples %9.0f/s  drops %" PRIu64
			"  exported %" PRIu64 "  ring %.1f%%\n", app->ports[i].name,
			(double)(s.rx_packets - ex.prev[i].rx_packets) / secs / 1e6,
			(double)(s.samples - ex.prev[i].samples) / secs, s.drops, ex.exported[i],
			cap ? 100.0 * (double)fill / (double)cap : 0.0);
		ex.prev[i] = s;
	}
	ex.prev_stats_ms = now;
}

static void
apply_reload(struct dps_app *app, uint64_t now)
{
	static struct dps_config next;
	struct dps_config_error cerr;
	struct dps_agent_config ac;
	char err[256] = "";
	uint32_t changed = 0;

	if (app->cfg.run.config_path[0] == '\0') {
		fprintf(stderr, "dpsflow: SIGHUP: no configuration file to re-read\n");
		return;
	}
	if (dps_config_reload(&app->cfg, &next, &changed, &cerr) != 0) {
		__atomic_store_n(&app->reload_errors, app->reload_errors + 1, __ATOMIC_RELAXED);
		fprintf(stderr, "dpsflow: SIGHUP: keeping the running configuration: %s\n",
			cerr.msg);
		return;
	}
	if (agent_config(&next, ovs_row(), &ac, err, sizeof(err)) != 0 ||
	    dps_agent_reconfigure(app->agent, &ac, now) != 0) {
		__atomic_store_n(&app->reload_errors, app->reload_errors + 1, __ATOMIC_RELAXED);
		fprintf(stderr, "dpsflow: SIGHUP: keeping the running configuration: %s\n",
			err[0] ? err : "collectors could not be set up");
		return;
	}
	app->cfg = next;
	dps_apply_sampling(app);
	dps_apply_header_bytes(app);
	if (changed & DPS_RELOAD_POLLING)
		schedule_counters(app, now);
	__atomic_store_n(&app->reloads, app->reloads + 1, __ATOMIC_RELAXED);
	fprintf(stderr, "dpsflow: SIGHUP: configuration reloaded (changes 0x%x)%s\n", changed,
		(changed & DPS_RELOAD_IGNORED) ? "; port/dpdk/ovs changes need a restart" : "");
}

int
dps_exporter_run(struct dps_app *app)
{
	uint64_t now = uptime_ms(app), deadline;
	unsigned int n;

	schedule_counters(app, now);
	ex.prev_stats_ms = now;
	ex.next_stats_ms = now + (uint64_t)app->cfg.run.stats_period_s * 1000u;
	deadline = app->cfg.run.duration_s ? (uint64_t)app->cfg.run.duration_s * 1000u : 0;

	while (!stop_requested) {
		now = uptime_ms(app);
		if (deadline != 0 && now >= deadline)
			break;
		n = drain_rings(app, now, 1024);
		n += poll_ovs(app, now, 1024);
		poll_counters(app, now, false);
		dps_agent_poll(app->agent, now);
		if (now >= ex.next_link_ms) {
			/* a NIC often negotiates after start: hsflowd's default rate needs the
			 * speed, and a link going down stops sampling, whatever polling is */
			for (unsigned int i = 0; i < app->n_ports; i++)
				refresh_link(app, &app->ports[i]);
			ex.next_link_ms = now + 1000;
		}
		if (now >= ex.next_publish_ms) {
			publish_collector_stats(app);
			ex.next_publish_ms = now + 100;
		}
		if (app->cfg.run.stats_period_s != 0 && now >= ex.next_stats_ms) {
			print_stats_line(app, now);
			ex.next_stats_ms = now + (uint64_t)app->cfg.run.stats_period_s * 1000u;
		}
		if (reload_requested) {
			reload_requested = 0;
			apply_reload(app, now);
		}
		/* Sleep unless samples pour in. A pass that found fewer than TRICKLE records
		 * means they arrive slower than ~TRICKLE per pass plus 0.1 ms (~0.15 M/s):
		 * 0.1 ms more of latency then costs at most ~TRICKLE slots of any ring (64 is
		 * the smallest), while spinning on such a trickle would keep this core 100 %
		 * busy. That matters: this core is often an SMT sibling of a PMD or worker
		 * core, and at 1:1000 a spinning exporter cost the OVS PMD on the sibling
		 * ~14 % (benchmarks/ suite ovs-ratio). */
		if (n < TRICKLE)
			usleep(100);
	}
	return 0;
}

static void
print_summary(struct dps_app *app)
{
	struct dps_agent_stats as;
	struct dps_collector_stats cs;
	struct dps_source_stats s;
	unsigned int i;

	dps_agent_get_stats(app->agent, &as);
	printf("{\"type\":\"summary\",\"uptime_ms\":%" PRIu64 ",\"ports\":[", uptime_ms(app));
	for (i = 0; i < app->n_ports; i++) {
		const struct rte_eth_stats *e = &ex.last_eth[i];

		dps_source_stats_read(app, i, &s);
		printf("%s{\"name\":\"%s\",\"ifindex\":%u,\"sampling_rate\":%u,\"rx_packets\":%"
		       PRIu64 ",\"sample_pool\":%" PRIu64 ",\"samples\":%" PRIu64 ",\"drops\":%"
		       PRIu64 ",\"exported\":%" PRIu64 ",\"tx_packets\":%" PRIu64
		       ",\"tx_dropped\":%" PRIu64 ",\"eth_ipackets\":%" PRIu64 ",\"eth_ibytes\":%"
		       PRIu64 ",\"eth_opackets\":%" PRIu64 ",\"eth_obytes\":%" PRIu64
		       ",\"eth_imissed\":%" PRIu64 ",\"eth_ierrors\":%" PRIu64
		       ",\"sampling_path\":\"%s\",\"offload\":\"%s\",\"sample_queue_rx\":%" PRIu64
		       "}",
		       i ? "," : "", app->ports[i].name, app->ports[i].ifindex,
		       app->ports[i].sampling_rate, s.rx_packets, s.sample_pool, s.samples, s.drops,
		       ex.exported[i], s.tx_packets, s.tx_dropped, e->ipackets, e->ibytes,
		       e->opackets, e->obytes, e->imissed, e->ierrors,
		       dps_hwsample_path(&app->ports[i]),
		       dps_config_offload_name(app->ports[i].offload.mode), s.sample_queue_rx);
	}
	printf("],\"exporter\":{\"flow_samples\":%" PRIu64 ",\"counter_samples\":%" PRIu64
	       ",\"truncated\":%" PRIu64 ",\"rejected\":%" PRIu64 ",\"datagrams\":%" PRIu64
	       ",\"decode_malformed\":%" PRIu64 ",\"reloads\":%" PRIu64 ",\"reload_errors\":%"
	       PRIu64 ",\"collectors\":[", as.flow_samples, as.counter_samples, as.truncated,
	       as.rejected, as.datagrams, app->decode_malformed, app->reloads, app->reload_errors);
	for (i = 0; i < DPS_MAX_COLLECTORS; i++) {
		if (dps_agent_get_collector_stats(app->agent, i, &cs) != 0)
			break;
		printf("%s{\"datagrams\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"samples\":%" PRIu64
		       ",\"send_errors\":%" PRIu64 "}", i ? "," : "", cs.datagrams, cs.bytes,
		       cs.samples, cs.send_errors);
	}
	printf("]}");
	if (ex.ovs != NULL) {
		struct dps_ovs_source_stats os;

		dps_ovs_source_get_stats(ex.ovs, &os);
		printf(",\"ovs\":{\"rings\":%u,\"attached\":%u,\"attaches\":%" PRIu64
		       ",\"records\":%" PRIu64 ",\"exported\":%" PRIu64 ",\"ring_drops\":%"
		       PRIu64 ",\"abandoned\":%" PRIu64 ",\"unmapped\":%" PRIu64
		       ",\"actions_bad\":%" PRIu64 ",\"other_bridge\":%" PRIu64, os.n_rings,
		       os.n_attached, os.attaches, os.records, os.exported, os.ring_drops,
		       os.abandoned, os.unmapped, os.actions_bad, os.other_bridge);
		if (dps_ovs_source_view(ex.ovs) != NULL)
			printf(",\"db\":{\"connected\":%s,\"connects\":%" PRIu64
			       ",\"counter_samples\":%" PRIu64 ",\"sflow_bridge\":\"%s\"}",
			       os.db_connected ? "true" : "false", os.db_connects,
			       os.counter_samples, ex.ovs_has_row ? ex.ovs_row.name : "");
		printf("}");
	}
	printf("}\n");
	fflush(stdout);
}

void
dps_exporter_finish(struct dps_app *app)
{
	uint64_t now = uptime_ms(app);

	/* workers have stopped: everything still in the rings is exported, nothing is lost */
	drain_rings(app, now, 0);
	poll_ovs(app, now, 0);
	for (unsigned int i = 0; i < app->n_ports; i++)
		dps_hwsample_refresh(app, &app->ports[i], 0); /* final hardware pool */
	poll_counters(app, now, true);
	if (app->cfg.polling_s == 0) /* the summary still reports the ports' final counters */
		for (unsigned int i = 0; i < app->n_ports; i++)
			rte_eth_stats_get(app->ports[i].port_id, &ex.last_eth[i]);
	dps_agent_flush(app->agent, now);
	publish_collector_stats(app);
	if (app->cfg.run.stats_period_s != 0)
		print_stats_line(app, dps_now_ms() - app->start_ms);
	print_summary(app);
}

void
dps_exporter_free(struct dps_app *app)
{
	dps_ovs_source_destroy(ex.ovs);
	ex.ovs = NULL;
	dps_agent_destroy(app->agent, uptime_ms(app));
	app->agent = NULL;
}

void
dps_exporter_tel_collectors(const struct dps_app *app, struct rte_tel_data *d)
{
	unsigned int i, n = __atomic_load_n(&app->tel_n_collectors, __ATOMIC_ACQUIRE);
	char key[32];

	/* runs on the telemetry thread: reads the snapshot the exporter publishes, never the
	 * agent itself */
	for (i = 0; i < n; i++) {
		const struct dps_tel_collector *t = &app->tel_collectors[i];
		struct rte_tel_data *c = rte_tel_data_alloc();

		if (c == NULL)
			return;
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_u64(c, "datagrams",
					  __atomic_load_n(&t->datagrams, __ATOMIC_RELAXED));
		rte_tel_data_add_dict_u64(c, "bytes", __atomic_load_n(&t->bytes, __ATOMIC_RELAXED));
		rte_tel_data_add_dict_u64(c, "samples",
					  __atomic_load_n(&t->samples, __ATOMIC_RELAXED));
		rte_tel_data_add_dict_u64(c, "send_errors",
					  __atomic_load_n(&t->send_errors, __ATOMIC_RELAXED));
		snprintf(key, sizeof(key), "collector%u", i);
		if (rte_tel_data_add_dict_container(d, key, c, 0) != 0)
			rte_tel_data_free(c);
	}
}
