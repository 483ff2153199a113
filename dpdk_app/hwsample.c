/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hardware sampling for the agent (see hwsample.h; the rules themselves are in offload.c).
 *
 * Control thread only. Workers learn the outcome through two relaxed stores per task: the
 * sampler's rate (0 while the NIC samples for them) and hw_rate (non-zero on a queue that
 * receives only the NIC's copies). Every hardware sample is counted by the worker that
 * polled it; the pool it came from is counted by the NIC and read here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_flow.h>

#include "hwsample.h"
#include "ports.h"
#include "telemetry.h"

static unsigned int
port_index(const struct dps_app *app, const struct dps_port *p)
{
	return (unsigned int)(p - app->ports);
}

/* Ports EAL probed without a config entry follow --offload, else auto. */
static enum dps_offload
configured_mode(const struct dps_app *app, const struct dps_port *p)
{
	unsigned int i = port_index(app, p);

	if (i < app->cfg.n_ports)
		return app->cfg.ports[i].offload;
	return (app->cfg.cli.set & DPS_CLI_OFFLOAD) ? app->cfg.cli.offload : DPS_OFFLOAD_AUTO;
}

bool
dps_hwsample_wanted(const struct dps_app *app, const struct dps_port *p)
{
	return configured_mode(app, p) != DPS_OFFLOAD_OFF || app->probing;
}

/*
 * The 1-in-N to validate with before the link is known: the rate configured for the port,
 * or hsflowd's default as if the link ran at 10 Gb/s (1-in-10000). The rule actually
 * installed always uses the rate in force once the link is up.
 */
static uint32_t
validation_ratio(const struct dps_app *app, const struct dps_port *p)
{
	uint64_t speed = p->link_up && p->speed_bps ? p->speed_bps : 10000000000ull;
	uint32_t n = dps_config_port_sampling(&app->cfg, port_index(app, p), speed);

	return n ? n : 10000;
}

int
dps_hwsample_prepare(struct dps_app *app, struct dps_port *p, const struct rte_eth_dev_info *info)
{
	struct dps_offload_state *st = &p->offload;
	struct rte_flow_error e;
	uint16_t proxy;

	memset(st, 0, sizeof(*st));
	st->mode = configured_mode(app, p);
	st->setup_mode = st->mode;
	st->spec.port_id = p->port_id;
	st->spec.flow_port_id = p->port_id;
	if (st->mode == DPS_OFFLOAD_OFF && !app->probing) {
		snprintf(st->reason, sizeof(st->reason), "offload = off");
		return 0;
	}
	if (*info->dev_flags & RTE_ETH_DEV_REPRESENTOR) {
		/* switchdev representor: the E-Switch samples what the VF sends, through a
		 * transfer rule on the port that manages the switch (the PF) */
		st->spec.domain = DPS_OFFLOAD_ESWITCH;
		st->spec.fwd_port_id = p->peer >= 0 ? app->ports[p->peer].port_id : -1;
		memset(&e, 0, sizeof(e));
		if (rte_flow_pick_transfer_proxy(p->port_id, &proxy, &e) != 0) {
			snprintf(st->reason, sizeof(st->reason), "no transfer proxy for the "
				 "representor: %s", e.message ? e.message : "unsupported");
			return 0;
		}
		st->spec.flow_port_id = proxy;
		st->usable = true;
		return 0; /* the copies arrive on the representor's own queues */
	}
	st->spec.domain = DPS_OFFLOAD_NIC_RX;
	if ((unsigned int)p->nb_rxq + 1 > info->max_rx_queues) {
		snprintf(st->reason, sizeof(st->reason), "the device has %u rx queues: none left "
			 "for the sample queue (rxq = %u)", info->max_rx_queues, p->nb_rxq);
		return 0;
	}
	st->spec.sample_queue = p->nb_rxq;
	st->spec.nb_normal_rxq = p->nb_rxq;
	st->spec.rss_types = DPS_RSS_TYPES_OF(info);
	st->usable = true;
	return 1;
}

int
dps_hwsample_validate(struct dps_app *app, struct dps_port *p, char *err, size_t errlen)
{
	struct dps_offload_state *st = &p->offload;
	char why[sizeof(st->reason)];
	uint32_t n = validation_ratio(app, p);

	if (dps_offload_try(&st->spec, n, false, NULL, why, sizeof(why)) == 0)
		return 0;
	snprintf(st->reason, sizeof(st->reason), "%s", why);
	if (app->probing)
		return DPS_HWSAMPLE_FALLBACK;
	if (st->mode == DPS_OFFLOAD_ON) {
		snprintf(err, errlen, "%s: offload = on but the NIC refuses the SAMPLE rule "
			 "(1-in-%u): %s", p->name, n, why);
		return DPS_HWSAMPLE_REFUSED;
	}
	fprintf(stderr, "dpsflow: %s: offload = auto: sampling in software: %s\n", p->name, why);
	st->usable = false;
	return DPS_HWSAMPLE_FALLBACK;
}

int
dps_hwsample_no_queue(struct dps_app *app, struct dps_port *p, char *err, size_t errlen)
{
	struct dps_offload_state *st = &p->offload;

	snprintf(st->reason, sizeof(st->reason), "no sample queue: %s", err);
	st->usable = false;
	if (st->mode == DPS_OFFLOAD_ON && !app->probing) {
		snprintf(err, errlen, "%s: offload = on: %s", p->name, st->reason);
		return DPS_HWSAMPLE_REFUSED;
	}
	if (!app->probing)
		fprintf(stderr, "dpsflow: %s: offload = auto: sampling in software: %s\n", p->name,
			st->reason);
	err[0] = '\0';
	return DPS_HWSAMPLE_FALLBACK;
}

/* NIC Rx: originals the port received = its packets minus the copies on the sample queue. */
static uint64_t
nic_rx_originals(const struct dps_port *p, const struct rte_eth_stats *s)
{
	uint16_t sq = p->offload.spec.sample_queue;
	uint64_t copies = 0;
	unsigned int t;

	for (t = 0; t < p->n_tasks; t++)
		if (p->tasks[t]->sample_queue)
			copies += __atomic_load_n(&p->tasks[t]->rx_packets, __ATOMIC_RELAXED);
	/* the PMD's per-queue count is the same source as ipackets, when it keeps one */
	if (sq < RTE_ETHDEV_QUEUE_STAT_CNTRS && s->q_ipackets[sq] > copies)
		copies = s->q_ipackets[sq];
	return s->ipackets > copies ? s->ipackets - copies : 0;
}

/* What the port's software samplers counted, ever */
static uint64_t
sw_pool(const struct dps_port *p)
{
	struct dps_sampler_stats ss;
	uint64_t n = 0;
	unsigned int t;

	for (t = 0; t < p->n_tasks; t++) {
		dps_sampler_read(&p->tasks[t]->sampler, &ss);
		n += ss.sample_pool;
	}
	return n;
}

/* The pool counted while hardware sampled. NIC Rx: `in` is nic_rx_originals() of one
 * counter read, the same value that opens the next period, so no packet is counted in two
 * periods or lost between them. */
static uint64_t
current_pool(struct dps_port *p, uint64_t in)
{
	uint64_t hits = 0, period, late;

	if (p->offload.spec.domain == DPS_OFFLOAD_ESWITCH)
		return dps_offload_hits(&p->offload, &hits) == 0 ? hits : 0;
	if (!p->hw_active)
		return p->hw_pool_done;
	period = in > p->hw_in_base ? in - p->hw_in_base : 0;
	/* a software sampler stops at the end of the gap it was in when set to 0 (its mean
	 * must stay N): what it counted after the switch is its, not the NIC's */
	late = sw_pool(p) - RTE_MIN(sw_pool(p), p->hw_sw_pool_base);
	return p->hw_pool_done + period - RTE_MIN(period, late);
}

static void
set_tasks(struct dps_port *p, bool hw, uint32_t rate)
{
	unsigned int t;

	for (t = 0; t < p->n_tasks; t++) {
		struct dps_task *k = p->tasks[t];
		bool copies = hw && (p->offload.spec.domain == DPS_OFFLOAD_ESWITCH ||
				     k->sample_queue);

		/* hardware off before software on, software off before hardware on: no queue
		 * is ever counted by both */
		if (!copies)
			__atomic_store_n(&k->hw_rate, 0, __ATOMIC_RELAXED);
		dps_sampler_set_rate(&k->sampler, hw || k->sample_queue ? 0 : rate);
		if (copies)
			__atomic_store_n(&k->hw_rate, rate, __ATOMIC_RELAXED);
	}
}

/* NIC Rx originals now: a counter read as close as possible to the switch it measures */
static uint64_t
originals_now(struct dps_port *p)
{
	struct rte_eth_stats s;

	memset(&s, 0, sizeof(s));
	if (p->offload.spec.domain != DPS_OFFLOAD_NIC_RX || rte_eth_stats_get(p->port_id, &s) != 0)
		return 0;
	return nic_rx_originals(p, &s);
}

/*
 * Moves the port between the samplers. The counter read that closes or opens a hardware
 * period sits on the side of the switch that leaves packets in neither pool rather than in
 * both: it closes a period before the software samplers start, and opens one after they
 * stopped. A rebuild at a new rate closes and reopens with the same read.
 */
static void
switch_samplers(struct dps_port *p, bool was, bool hw, uint32_t rate)
{
	uint64_t in;

	if (was && !hw) {
		in = originals_now(p);
		p->hw_pool_done = current_pool(p, in);
		__atomic_store_n(&p->hw_active, false, __ATOMIC_RELAXED);
		set_tasks(p, false, rate);
	} else if (!was && hw) {
		set_tasks(p, true, rate);
		p->hw_sw_pool_base = sw_pool(p);
		p->hw_in_base = originals_now(p);
		__atomic_store_n(&p->hw_active, true, __ATOMIC_RELAXED);
	} else if (was) {
		in = originals_now(p);
		p->hw_pool_done = current_pool(p, in);
		p->hw_in_base = in;
		set_tasks(p, true, rate);
	} else {
		set_tasks(p, false, rate);
	}
	__atomic_store_n(&p->hw_pool, current_pool(p, p->hw_in_base), __ATOMIC_RELAXED);
}

bool
dps_hwsample_apply(struct dps_app *app, struct dps_port *p, uint32_t rate)
{
	struct dps_offload_state *st = &p->offload;
	enum dps_offload mode = configured_mode(app, p);
	bool hw;

	dps_telemetry_lock();
	/* A port without hardware sampling keeps the reason it got at start, whatever reloads
	 * turn offload to (the first call is at start, before any reload). */
	if (!st->usable && p->hw_setup_reason[0] == '\0')
		snprintf(p->hw_setup_reason, sizeof(p->hw_setup_reason), "%s", st->reason);
	if (!st->usable && mode == DPS_OFFLOAD_OFF)
		snprintf(st->reason, sizeof(st->reason), "offload = off");
	else if (!st->usable && st->setup_mode == DPS_OFFLOAD_OFF)
		snprintf(st->reason, sizeof(st->reason), "offload turned on by a reload: hardware "
			 "sampling (sample queue, rule) is only set up at start; restart dpsflow");
	else if (!st->usable)
		snprintf(st->reason, sizeof(st->reason), "%s", p->hw_setup_reason);
	st->mode = mode;
	hw = p->started && dps_offload_apply(st, rate);
	switch_samplers(p, p->hw_active, hw, rate);
	dps_telemetry_unlock();
	return hw || mode != DPS_OFFLOAD_ON || rate == 0;
}

void
dps_hwsample_refresh(struct dps_app *app, struct dps_port *p, uint64_t now_ms)
{
	struct rte_eth_stats s;
	uint64_t drops = 0;
	uint16_t q;

	(void)app;
	if (!__atomic_load_n(&p->hw_active, __ATOMIC_RELAXED) ||
	    (now_ms != 0 && now_ms == p->hw_refresh_ms))
		return;
	p->hw_refresh_ms = now_ms;
	memset(&s, 0, sizeof(s));
	if (rte_eth_stats_get(p->port_id, &s) != 0)
		return;
	if (p->offload.spec.domain == DPS_OFFLOAD_ESWITCH) {
		/* only copies reach the representor: whatever it missed was a sample */
		drops = s.imissed;
		for (q = 0; q < p->nb_rxq && q < RTE_ETHDEV_QUEUE_STAT_CNTRS; q++)
			drops += s.q_errors[q];
	} else if (p->offload.spec.sample_queue < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
		/* imissed is the whole port's: only the sample queue's own errors are samples */
		drops = s.q_errors[p->offload.spec.sample_queue];
	}
	__atomic_store_n(&p->hw_pool, current_pool(p, nic_rx_originals(p, &s)), __ATOMIC_RELAXED);
	__atomic_store_n(&p->hw_queue_drops, drops, __ATOMIC_RELAXED);
}

const char *
dps_hwsample_path(const struct dps_port *p)
{
	return __atomic_load_n(&p->hw_active, __ATOMIC_RELAXED) ? "hardware" : "software";
}

static void
json_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

void
dps_hwsample_probe(struct dps_app *app)
{
	char err[512];
	unsigned int i;

	app->probing = true;
	for (i = 0; i < app->n_ports; i++) {
		struct dps_port *p = &app->ports[i];
		const struct dps_offload_state *st = &p->offload;
		int rc;

		err[0] = '\0';
		rc = dps_port_configure(app, p, err, sizeof(err));
		printf("{\"type\":\"probe_offload\",\"port\":");
		json_string(p->name);
		printf(",\"port_index\":%u,\"offload\":\"%s\",\"domain\":\"%s\",\"ratio\":%u,"
		       "\"accepted\":%s,\"reason\":", i, dps_config_offload_name(configured_mode(app, p)),
		       st->spec.domain == DPS_OFFLOAD_ESWITCH ? "eswitch" : "nic_rx",
		       validation_ratio(app, p),
		       rc == 0 && st->usable && st->reason[0] == '\0' ? "true" : "false");
		json_string(rc != 0 ? err : st->reason);
		printf("}\n");
	}
	fflush(stdout);
}
