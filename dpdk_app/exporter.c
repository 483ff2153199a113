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
#include "ovs_source.h"
#include "ports.h"
#include "print_json.h"
#include "stats.h"

#define DRAIN_BURST 64

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

static int
agent_config(const struct dps_config *cfg, struct dps_agent_config *ac, char *err,
	     size_t errlen)
{
	unsigned int i;

	memset(ac, 0, sizeof(*ac));
	if (dps_agent_addr_select(cfg, &ac->agent_addr) != 0) {
		snprintf(err, errlen, "no local address matches %s",
			 cfg->has_agent_cidr ? "agent.cidr" : "the agent interface");
		return -1;
	}
	ac->sub_agent_id = cfg->sub_agent_id;
	ac->datagram_bytes = cfg->datagram_bytes;
	ac->max_wait_ms = cfg->datagram_timeout_ms;
	ac->n_collectors = cfg->n_collectors;
	for (i = 0; i < cfg->n_collectors; i++) {
		addr_from_config(&ac->collectors[i].addr, &cfg->collectors[i].addr);
		ac->collectors[i].port = cfg->collectors[i].udp_port;
		ac->collectors[i].tunnel_records = cfg->collectors[i].tunnel_records;
	}
	return 0;
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
	if (agent_config(&app->cfg, &ac, err, errlen) != 0)
		return -1;
	app->agent = dps_agent_create(&ac);
	if (app->agent == NULL) {
		snprintf(err, errlen, "cannot create the sFlow agent: %s", strerror(errno));
		return -1;
	}
	if (app->cfg.n_collectors == 0)
		fprintf(stderr, "dpsflow: warning: no collector configured; samples are only "
			"counted%s\n", app->cfg.run.print_samples ? " and printed" : "");
	if (app->cfg.has_ovs) {
		ex.ovs = dps_ovs_source_create(&app->cfg, true, err, errlen);
		if (ex.ovs == NULL)
			return -1;
	}
	return 0;
}

/* Samples ovs-vswitchd's PMD threads wrote into the shared rings (ovs { }). */
static unsigned int
poll_ovs(struct dps_app *app, uint64_t now, unsigned int budget)
{
	uint64_t exported_before;
	unsigned int n;

	if (ex.ovs == NULL)
		return 0;
	exported_before = dps_ovs_source_exported(ex.ovs);
	n = dps_ovs_source_poll(ex.ovs, app->agent, &ex.decode_cfg, app->cfg.header_bytes,
				app->cfg.run.print_samples ? stdout : NULL, now, budget);
	dps_ovs_source_log(ex.ovs, stderr);
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

	for (i = 0; i < app->cfg.n_collectors && i < DPS_MAX_COLLECTORS; i++) {
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
	if (agent_config(&next, &ac, err, sizeof(err)) != 0 ||
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
		if (n == 0)
			usleep(100); /* idle: give the core back, samples wait at most 0.1 ms more */
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
	for (i = 0; i < app->cfg.n_collectors; i++) {
		if (dps_agent_get_collector_stats(app->agent, i, &cs) != 0)
			continue;
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
		       ",\"actions_bad\":%" PRIu64 ",\"other_bridge\":%" PRIu64 "}", os.n_rings,
		       os.n_attached, os.attaches, os.records, os.exported, os.ring_drops,
		       os.abandoned, os.unmapped, os.actions_bad, os.other_bridge);
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
