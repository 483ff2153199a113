/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rte_telemetry endpoints, for dpdk-telemetry.py:
 *   /dpsflow/info   version, agent, uptime, lcores, ring size, reloads
 *   /dpsflow/ports  per port: name, ifIndex, mode, link, speed, sampling rate, rx queues,
 *                   sampling path (hardware/software) and why not hardware
 *   /dpsflow/stats  per data source: rx packets, sample_pool, samples, drops, ring occupancy;
 *                   exporter: samples, datagrams, bytes, send errors per collector
 * Callbacks run on DPDK's telemetry thread: they only read (relaxed atomics or values the
 * control thread writes once at start-up).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "app.h"
#include "hwsample.h"
#include "stats.h"
#include "telemetry.h"

/* Callbacks run on the telemetry thread, which EAL does not stop before rte_eal_cleanup()
 * unmaps the hugepages the tasks and rings live in: they take this lock and give up once
 * dps_telemetry_shutdown() has cleared tel_app. */
static pthread_mutex_t tel_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dps_app *tel_app;

/* 22.11 accepts only [A-Za-z0-9_/] in dict keys, so "0000:3b:02.0" cannot be a key: ports are
 * keyed "port<N>" (N = their index) and carry their name as a value. */
static int
add_container(struct rte_tel_data *d, const char *key, struct rte_tel_data *c)
{
	if (rte_tel_data_add_dict_container(d, key, c, 0) != 0) {
		rte_tel_data_free(c);
		return -1;
	}
	return 0;
}

static int
info_body(const struct dps_app *app, struct rte_tel_data *d)
{

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "version", DPS_VERSION);
	rte_tel_data_add_dict_u64(d, "uptime_ms", dps_now_ms() - app->start_ms);
	rte_tel_data_add_dict_u64(d, "ports", app->n_ports);
	rte_tel_data_add_dict_u64(d, "workers", app->n_workers);
	rte_tel_data_add_dict_u64(d, "ring_size", app->n_workers ?
				  rte_ring_get_size(app->workers[0].ring) : 0);
	rte_tel_data_add_dict_u64(d, "reloads", __atomic_load_n(&app->reloads, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(d, "reload_errors",
				  __atomic_load_n(&app->reload_errors, __ATOMIC_RELAXED));
	return 0;
}

static int
ports_body(const struct dps_app *app, struct rte_tel_data *d)
{
	char reason[RTE_TEL_MAX_STRING_LEN];
	char key[32];
	unsigned int i;

	rte_tel_data_start_dict(d);
	for (i = 0; i < app->n_ports; i++) {
		const struct dps_port *p = &app->ports[i];
		struct rte_tel_data *pd = rte_tel_data_alloc();

		if (pd == NULL)
			return -ENOMEM;
		rte_tel_data_start_dict(pd);
		rte_tel_data_add_dict_string(pd, "name", p->name);
		rte_tel_data_add_dict_u64(pd, "port_id", p->port_id);
		rte_tel_data_add_dict_u64(pd, "ifindex", p->ifindex);
		rte_tel_data_add_dict_string(pd, "mode",
					     p->mode == DPS_MODE_FORWARD ? "forward" : "monitor");
		rte_tel_data_add_dict_string(pd, "link", p->link_up ? "up" : "down");
		rte_tel_data_add_dict_u64(pd, "speed_bps", p->speed_bps);
		rte_tel_data_add_dict_u64(pd, "sampling_rate",
					  __atomic_load_n(&p->sampling_rate, __ATOMIC_RELAXED));
		rte_tel_data_add_dict_u64(pd, "rx_queues", p->nb_rxq);
		/* which sampler is in force, and why not the NIC's (the control thread
		 * changes both under tel_lock, which this callback holds) */
		rte_tel_data_add_dict_string(pd, "sampling_path", dps_hwsample_path(p));
		rte_tel_data_add_dict_string(pd, "offload",
					     dps_config_offload_name(p->offload.mode));
		if (p->offload.usable)
			rte_tel_data_add_dict_string(pd, "offload_domain",
				p->offload.spec.domain == DPS_OFFLOAD_ESWITCH ? "eswitch" : "nic_rx");
		if (p->offload.usable && p->offload.spec.domain == DPS_OFFLOAD_NIC_RX)
			rte_tel_data_add_dict_u64(pd, "sample_queue", p->offload.spec.sample_queue);
		/* 22.11 holds at most RTE_TEL_MAX_STRING_LEN per value: cut, do not drop */
		snprintf(reason, sizeof(reason), "%.*s", (int)sizeof(reason) - 1,
			 p->offload.reason);
		rte_tel_data_add_dict_string(pd, "offload_reason", reason);
		snprintf(key, sizeof(key), "port%u", i);
		add_container(d, key, pd);
	}
	return 0;
}

static int
stats_body(const struct dps_app *app, struct rte_tel_data *d)
{
	char key[32];
	struct dps_source_stats s;
	struct rte_tel_data *sd;
	unsigned int i;

	rte_tel_data_start_dict(d);
	for (i = 0; i < app->n_ports; i++) {
		dps_source_stats_read(app, i, &s);
		sd = rte_tel_data_alloc();
		if (sd == NULL)
			return -ENOMEM;
		rte_tel_data_start_dict(sd);
		rte_tel_data_add_dict_string(sd, "name", app->ports[i].name);
		rte_tel_data_add_dict_u64(sd, "ifindex", app->ports[i].ifindex);
		rte_tel_data_add_dict_u64(sd, "rx_packets", s.rx_packets);
		rte_tel_data_add_dict_u64(sd, "sample_pool", s.sample_pool);
		rte_tel_data_add_dict_u64(sd, "samples", s.samples);
		rte_tel_data_add_dict_u64(sd, "drops", s.drops);
		rte_tel_data_add_dict_u64(sd, "tx_packets", s.tx_packets);
		rte_tel_data_add_dict_u64(sd, "tx_dropped", s.tx_dropped);
		snprintf(key, sizeof(key), "port%u", i);
		add_container(d, key, sd);
	}
	sd = rte_tel_data_alloc();
	if (sd == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(sd);
	rte_tel_data_add_dict_u64(sd, "ring_occupancy", dps_rings_occupancy(app));
	rte_tel_data_add_dict_u64(sd, "samples_exported",
				  __atomic_load_n(&app->samples_exported, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(sd, "counter_samples",
				  __atomic_load_n(&app->counter_samples, __ATOMIC_RELAXED));
	dps_exporter_tel_collectors(app, sd);
	add_container(d, "exporter", sd);
	return 0;
}

static int
with_app(int (*body)(const struct dps_app *, struct rte_tel_data *), struct rte_tel_data *d)
{
	int rc = -ENODEV; /* shutting down */

	pthread_mutex_lock(&tel_lock);
	if (tel_app != NULL)
		rc = body(tel_app, d);
	pthread_mutex_unlock(&tel_lock);
	return rc;
}

static int
tel_info(const char *cmd __rte_unused, const char *params __rte_unused, struct rte_tel_data *d)
{
	return with_app(info_body, d);
}

static int
tel_ports(const char *cmd __rte_unused, const char *params __rte_unused, struct rte_tel_data *d)
{
	return with_app(ports_body, d);
}

static int
tel_stats(const char *cmd __rte_unused, const char *params __rte_unused, struct rte_tel_data *d)
{
	return with_app(stats_body, d);
}

void
dps_telemetry_lock(void)
{
	pthread_mutex_lock(&tel_lock);
}

void
dps_telemetry_unlock(void)
{
	pthread_mutex_unlock(&tel_lock);
}

void
dps_telemetry_shutdown(void)
{
	pthread_mutex_lock(&tel_lock);
	tel_app = NULL;
	pthread_mutex_unlock(&tel_lock);
}

void
dps_telemetry_register(struct dps_app *app)
{
	pthread_mutex_lock(&tel_lock);
	tel_app = app;
	pthread_mutex_unlock(&tel_lock);
	rte_telemetry_register_cmd("/dpsflow/info", tel_info,
				   "dpsflow version, uptime, lcores and reloads. No parameters");
	rte_telemetry_register_cmd("/dpsflow/ports", tel_ports,
				   "dpsflow ports: ifIndex, mode, link, sampling. No parameters");
	rte_telemetry_register_cmd("/dpsflow/stats", tel_stats,
				   "dpsflow per data source pool/samples/drops and exporter counters. No parameters");
}
