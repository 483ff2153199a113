/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dpsflow: sFlow v5 agent for DPDK ports.
 *
 *   dpsflow [EAL options] -- [options]
 *
 * The options after `--` and the configuration file are parsed and validated before EAL
 * starts, so a bad configuration exits 2 having touched no hugepage and no port. Lcore roles:
 * the EAL main lcore exports (and handles signals, reloads and the stats view); every other
 * lcore is a worker polling its (port, rx queue) tasks.
 *
 * Exit status: 0 clean stop, 2 bad usage or configuration, 1 runtime failure.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_version.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_random.h>
#include <rte_ring.h>

#include "app.h"
#include "exporter.h"
#include "hwsample.h"
#include "ovs_db.h"
#include "ports.h"
#include "telemetry.h"

#define EXIT_USAGE 2

volatile bool dps_force_quit;

static struct dps_app app;

uint64_t
dps_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		dps_exporter_request_reload();
	else
		dps_exporter_request_stop();
}

/*
 * Only the main thread takes SIGINT/SIGTERM/SIGHUP: the mask is set before rte_eal_init so
 * every EAL thread (workers, telemetry, interrupts) inherits it blocked — a signal landing in
 * the telemetry thread's accept() would end that thread for good in 22.11 — and lifted on the
 * main thread afterwards. SA_RESTART keeps the exporter's blocking writes whole.
 */
static void
signals_mask(int how)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(how, &set, NULL);
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/*
 * Splits argv at the first "--": EAL gets what comes before, the agent what comes after (with
 * argv[0] in front, as getopt expects). Without "--", a lone --help/--version/-h/-V is the
 * agent's; anything else is EAL's.
 */
/* Whether the EAL arguments name devices (-a/--allow/--vdev): only then may dpsflow take every
 * probed ethdev as a port when the configuration names none. Otherwise EAL probes every
 * DPDK-bound NIC of the host, and on an OVS-DPDK node those are OVS's. */
static bool eal_names_devices;

static void
split_args(int argc, char **argv, int *eal_argc, int *app_argc, char ***app_argv)
{
	static char *only_prog[2];
	int i;

	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--allow", 7) == 0 ||
		    strncmp(argv[i], "--vdev", 6) == 0 || strncmp(argv[i], "-a", 2) == 0)
			eal_names_devices = true;
		if (strcmp(argv[i], "--") == 0) {
			*eal_argc = i;
			argv[i] = argv[0];
			*app_argc = argc - i;
			*app_argv = &argv[i];
			return;
		}
	}
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
			  strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		*eal_argc = 1;
		*app_argc = argc;
		*app_argv = argv;
		return;
	}
	*eal_argc = argc;
	only_prog[0] = argv[0];
	only_prog[1] = NULL;
	*app_argc = 1;
	*app_argv = only_prog;
}

static int
fail(int status, const char *what, const char *detail)
{
	fprintf(stderr, "dpsflow: %s%s\n", what, detail);
	return status;
}

/* Ports from the configuration, or every ethdev EAL probed (--vdev / -a) when none is set. */
static int
setup_port_table(struct dps_app *a, char *err, size_t errlen)
{
	const struct dps_config *cfg = &a->cfg;
	unsigned int i;
	uint16_t pid;

	if (cfg->n_ports == 0) {
		/* samples from Open vSwitch only: no DPDK port of our own */
		if (cfg->has_ovs && !eal_names_devices)
			return 0;
		if (!eal_names_devices) {
			snprintf(err, errlen, "no ports: configure dpdk { port { name = ... } } or "
				 "--port DEVARGS, or name the devices to take with EAL -a/--vdev "
				 "(dpsflow never takes every NIC EAL probed)");
			return EXIT_USAGE;
		}
		RTE_ETH_FOREACH_DEV(pid) {
			struct dps_port *p;

			if (a->n_ports == DPS_MAX_PORTS)
				break;
			p = &a->ports[a->n_ports];
			p->port_id = pid;
			rte_eth_dev_get_name_by_port(pid, p->name);
			p->mode = (cfg->cli.set & DPS_CLI_MODE) ? cfg->cli.mode : DPS_MODE_MONITOR;
			p->peer = -1;
			p->nb_rxq = 1;
			dps_port_assign_ifindex(a, a->n_ports, 0);
			a->n_ports++;
		}
		/* forward mode without a file: pair ports 0<->1, 2<->3, ... */
		for (i = 0; i + 1 < a->n_ports; i += 2) {
			if (a->ports[i].mode == DPS_MODE_FORWARD) {
				a->ports[i].peer = (int)i + 1;
				a->ports[i + 1].peer = (int)i;
				a->ports[i + 1].mode = DPS_MODE_FORWARD;
			}
		}
		if (a->n_ports > 0 && a->ports[a->n_ports - 1].mode == DPS_MODE_FORWARD &&
		    a->ports[a->n_ports - 1].peer < 0) {
			snprintf(err, errlen, "forward mode needs an even number of ports");
			return EXIT_USAGE;
		}
		if (a->n_ports == 0) {
			snprintf(err, errlen, "no ports: configure dpdk { port { name = ... } }, "
				 "--port DEVARGS, or give EAL --vdev/-a");
			return EXIT_USAGE;
		}
		return 0;
	}
	for (i = 0; i < cfg->n_ports; i++) {
		const struct dps_port_config *pc = &cfg->ports[i];
		struct dps_port *p = &a->ports[i];

		if (dps_port_attach(pc->name, &p->port_id, err, errlen) != 0)
			return EXIT_FAILURE;
		rte_eth_dev_get_name_by_port(p->port_id, p->name);
		p->mode = pc->mode;
		p->peer = pc->forward_port;
		p->nb_rxq = pc->rxq ? pc->rxq : 1;
		a->n_ports = i + 1;
		if (dps_port_assign_ifindex(a, i, pc->ifindex) != 0) {
			snprintf(err, errlen, "port %s: ifindex %u is used by another port", p->name,
				 pc->ifindex);
			return EXIT_USAGE;
		}
	}
	return 0;
}

static bool
lcore_is_worker(unsigned int lcore)
{
	return lcore < RTE_MAX_LCORE && rte_lcore_is_enabled(lcore) &&
	       lcore != rte_get_main_lcore();
}

static struct dps_worker *
worker_of_lcore(struct dps_app *a, unsigned int lcore)
{
	unsigned int i;

	for (i = 0; i < a->n_workers; i++)
		if (a->workers[i].lcore_id == lcore)
			return &a->workers[i];
	return NULL;
}

/*
 * Adds the task of (port i, rx queue q) to a worker: the port's configured lcores in turn
 * (lcores[q % n]), or round-robin over all workers (*rr). The sample queue of hardware
 * sampling (sample_queue) never forwards: the NIC already sent the original on.
 */
static int
add_task(struct dps_app *a, unsigned int i, uint16_t q, bool sample_queue, unsigned int *rr,
	 char *err, size_t errlen)
{
	struct dps_port *p = &a->ports[i];
	const struct dps_port_config *pc = i < a->cfg.n_ports ? &a->cfg.ports[i] : NULL;
	struct dps_worker *w;
	struct dps_task *t;
	unsigned int lcore;

	if (pc != NULL && pc->n_lcores > 0) {
		lcore = pc->lcores[q % pc->n_lcores];
		if (!lcore_is_worker(lcore)) {
			snprintf(err, errlen, "port %s: lcore %u is not an enabled worker lcore",
				 p->name, lcore);
			return EXIT_USAGE;
		}
		w = worker_of_lcore(a, lcore);
	} else {
		w = &a->workers[(*rr)++ % a->n_workers];
	}
	if (w == NULL || w->n_tasks == DPS_MAX_TASKS_PER_WORKER ||
	    p->n_tasks == RTE_DIM(p->tasks)) {
		snprintf(err, errlen, "port %s: too many queues for the lcores", p->name);
		return EXIT_USAGE;
	}
	t = rte_zmalloc_socket("dps_task", sizeof(*t), RTE_CACHE_LINE_SIZE,
			       (int)rte_lcore_to_socket_id(w->lcore_id));
	if (t == NULL) {
		snprintf(err, errlen, "out of hugepage memory for tasks");
		return EXIT_FAILURE;
	}
	t->port_id = p->port_id;
	t->queue_id = q;
	t->sample_queue = sample_queue;
	t->meta.source = (uint16_t)i;
	t->meta.in_ifindex = p->ifindex;
	t->tx_port = UINT16_MAX;
	if (p->mode == DPS_MODE_FORWARD && p->peer >= 0) {
		struct dps_port *peer = &a->ports[p->peer];
		unsigned int wi = (unsigned int)(w - a->workers);

		t->meta.out_ifindex = peer->ifindex;
		/* each worker gets a tx queue of its own on the peer: tx bursts never share a
		 * queue, so they need no lock */
		if (!sample_queue) {
			if (peer->txq_of_worker[wi] < 0)
				peer->txq_of_worker[wi] = (int16_t)peer->nb_txq++;
			t->tx_port = peer->port_id;
			t->tx_queue = (uint16_t)peer->txq_of_worker[wi];
		}
	}
	w->tasks[w->n_tasks++] = t;
	p->tasks[p->n_tasks++] = t;
	return 0;
}

static unsigned int place_rr;

/* One task per (port, rx queue), placed on the configured lcores or spread round-robin. */
static int
place_tasks(struct dps_app *a, char *err, size_t errlen)
{
	unsigned int lcore, i, q;
	int rc;

	if (a->n_ports == 0)
		return 0; /* OVS samples only: the exporter is all there is to run */
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (a->n_workers == DPS_MAX_WORKERS)
			break;
		a->workers[a->n_workers++].lcore_id = lcore;
	}
	if (a->n_workers == 0) {
		snprintf(err, errlen, "no worker lcore: give EAL at least two lcores (e.g. -l 0,1); "
			 "the main lcore exports, the others poll ports");
		return EXIT_USAGE;
	}
	for (i = 0; i < a->n_ports; i++)
		memset(a->ports[i].txq_of_worker, 0xff, sizeof(a->ports[i].txq_of_worker));
	for (i = 0; i < a->n_ports; i++)
		for (q = 0; q < a->ports[i].nb_rxq; q++) {
			rc = add_task(a, i, (uint16_t)q, false, &place_rr, err, errlen);
			if (rc != 0)
				return rc;
		}
	return 0;
}

/* Ports whose NIC accepted the SAMPLE rule in the NIC Rx domain got one more rx queue: its
 * task is placed like the next queue of the port would be. */
static int
place_sample_queues(struct dps_app *a, char *err, size_t errlen)
{
	unsigned int i;
	int rc;

	for (i = 0; i < a->n_ports; i++) {
		const struct dps_offload_state *st = &a->ports[i].offload;

		if (!st->usable || st->spec.domain != DPS_OFFLOAD_NIC_RX)
			continue;
		rc = add_task(a, i, st->spec.sample_queue, true, &place_rr, err, errlen);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
create_rings(struct dps_app *a, char *err, size_t errlen)
{
	char name[RTE_RING_NAMESIZE];
	unsigned int i;

	for (i = 0; i < a->n_workers; i++) {
		struct dps_worker *w = &a->workers[i];

		snprintf(name, sizeof(name), "dps_samples_%u", w->lcore_id);
		w->ring = rte_ring_create_elem(name, sizeof(struct dps_sample_record),
					       a->cfg.ring_size,
					       (int)rte_lcore_to_socket_id(w->lcore_id),
					       RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (w->ring == NULL) {
			snprintf(err, errlen, "cannot create sample ring of %u records: %s",
				 a->cfg.ring_size, rte_strerror(rte_errno));
			return EXIT_FAILURE;
		}
	}
	return 0;
}

/* Sampling rates follow the link: hsflowd's default rule needs the speed. Returns false
 * when a port with offload = on could not get its SAMPLE rule (it samples in software). */
bool
dps_apply_sampling(struct dps_app *a)
{
	unsigned int i;
	bool ok = true;

	for (i = 0; i < a->n_ports; i++) {
		struct dps_port *p = &a->ports[i];
		/* ports probed from EAL have no config entry: only the global rules apply */
		unsigned int cfg_idx = i < a->cfg.n_ports ? i : UINT32_MAX;
		uint32_t rate = dps_config_port_sampling(&a->cfg, cfg_idx,
							 p->link_up ? p->speed_bps : 0);

		__atomic_store_n(&p->sampling_rate, rate, __ATOMIC_RELAXED);
		/* the NIC's sampler or the workers' samplers, never both */
		if (!dps_hwsample_apply(a, p, rate))
			ok = false;
	}
	return ok;
}

void
dps_apply_header_bytes(struct dps_app *a)
{
	uint16_t hb = (uint16_t)RTE_MIN(a->cfg.header_bytes, (uint32_t)DPS_RECORD_HEADER_MAX);
	unsigned int i, t;

	for (i = 0; i < a->n_ports; i++)
		for (t = 0; t < a->ports[i].n_tasks; t++)
			__atomic_store_n(&a->ports[i].tasks[t]->meta.header_bytes, hb,
					 __ATOMIC_RELAXED);
}

static int
start_ports(struct dps_app *a, char *err, size_t errlen)
{
	unsigned int i, t;
	int rc;

	a->pool = dps_ports_mempool(a);
	if (a->pool == NULL) {
		snprintf(err, errlen, "cannot create the mbuf pool: %s", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	for (i = 0; i < a->n_ports; i++) {
		rc = dps_port_start(a, &a->ports[i], err, errlen);
		if (rc != 0)
			return rc == DPS_HWSAMPLE_REFUSED ? EXIT_USAGE : EXIT_FAILURE;
	}
	rc = place_sample_queues(a, err, errlen);
	if (rc != 0)
		return rc;
	for (i = 0; i < a->n_ports; i++)
		for (t = 0; t < a->ports[i].n_tasks; t++)
			dps_sampler_init(&a->ports[i].tasks[t]->sampler, 0, rte_rand());
	dps_apply_header_bytes(a);
	if (!dps_apply_sampling(a)) {
		for (i = 0; i < a->n_ports; i++)
			if (a->ports[i].offload.mode == DPS_OFFLOAD_ON && !a->ports[i].hw_active &&
			    a->ports[i].sampling_rate != 0)
				snprintf(err, errlen, "%s: offload = on but the SAMPLE rule could not "
					 "be installed: %s", a->ports[i].name,
					 a->ports[i].offload.reason);
		return EXIT_USAGE;
	}
	return 0;
}

static void
stop_ports(struct dps_app *a)
{
	unsigned int i;

	/* dps_port_stop destroys the port's SAMPLE rule first */
	for (i = 0; i < a->n_ports; i++)
		dps_port_stop(&a->ports[i]);
}

/*
 * --probe-offload: configure every port as it would be run (queues, sample queue), validate
 * its SAMPLE rule for the rate it would use, print one JSON line per port, close the ports
 * and exit 0 without running. A refusal is an answer, not an error; a port that cannot even
 * be configured is reported with that reason.
 */
static int
probe_offload(struct dps_app *a, char *err, size_t errlen)
{
	unsigned int i;

	a->probing = true; /* every port gets its sample queue, whatever its offload says */
	a->pool = dps_ports_mempool(a);
	if (a->pool == NULL) {
		snprintf(err, errlen, "cannot create the mbuf pool: %s", rte_strerror(rte_errno));
		fail(EXIT_FAILURE, "", err);
		rte_eal_cleanup();
		return EXIT_FAILURE;
	}
	dps_hwsample_probe(a);
	for (i = 0; i < a->n_ports; i++)
		rte_eth_dev_close(a->ports[i].port_id);
	rte_eal_cleanup();
	return 0;
}

int
main(int argc, char **argv)
{
	struct dps_config_error cerr;
	char err[512];
	char **app_argv;
	int eal_argc, app_argc, rc;
	unsigned int lcore;
	enum dps_cli_status st;

	split_args(argc, argv, &eal_argc, &app_argc, &app_argv);
	dps_config_init(&app.cfg);
	st = dps_config_from_args(&app.cfg, app_argc, app_argv, &cerr);
	switch (st) {
	case DPS_CLI_HELP:
		printf("Usage: %s [EAL options] -- [options]\n%s", argv[0], dps_config_usage());
		return 0;
	case DPS_CLI_VERSION: {
		char ovs_version[32];
		bool idl = dps_ovsdb_available(ovs_version, sizeof(ovs_version));

		printf("dpsflow %s (%s)\nOVSDB client: %s%s%s\n", DPS_VERSION, rte_version(),
		       idl ? "yes (libopenvswitch " : "no (built without libopenvswitch)",
		       idl ? ovs_version : "", idl ? ")" : "");
		return 0;
	}
	case DPS_CLI_ERROR:
		return fail(EXIT_USAGE, "", cerr.msg);
	case DPS_CLI_OK:
		break;
	}
	if (app.cfg.has_ovs && app.cfg.ovs_db[0] == '\0')
		return fail(EXIT_USAGE, "", "ovs { }: give db = unix:/var/run/openvswitch/db.sock: "
			    "dpsflow reads OVS's ports (and, with the OVSDB client, the sFlow "
			    "settings and the ring path) from it");
	/* with the OVSDB client the ring path is OVS's own other_config:sflow-offload-ring */
	if (app.cfg.has_ovs && app.cfg.n_ovs_rings == 0 && !dps_ovsdb_available(NULL, 0))
		return fail(EXIT_USAGE, "", "ovs { }: give the ring file OVS writes, e.g. ring = "
			    "/dev/hugepages/dpsflow-ovs.ring (ovs-vsctl set Open_vSwitch . "
			    "other_config:sflow-offload-ring=<same path>); this build has no OVSDB "
			    "client to read it from OVS");
	if (app.cfg.run.print_config) {
		static char text[1 << 16];

		dps_config_format(&app.cfg, text, sizeof(text));
		fputs(text, stdout);
	}

	install_signals();
	signals_mask(SIG_BLOCK);
	rc = rte_eal_init(eal_argc, argv);
	signals_mask(SIG_UNBLOCK);
	if (rc < 0)
		return fail(rte_errno == EINVAL ? EXIT_USAGE : EXIT_FAILURE,
			    "EAL initialisation failed: ", rte_strerror(rte_errno));

	if (app.cfg.has_exporter_lcore && app.cfg.exporter_lcore != rte_get_main_lcore()) {
		snprintf(err, sizeof(err), "exporterLcore = %u: the exporter runs on the EAL main "
			 "lcore (%u); start EAL with --main-lcore %u", app.cfg.exporter_lcore,
			 rte_get_main_lcore(), app.cfg.exporter_lcore);
		fail(EXIT_USAGE, "", err);
		rte_eal_cleanup();
		return EXIT_USAGE;
	}
	rc = setup_port_table(&app, err, sizeof(err));
	if (rc == 0 && app.cfg.run.probe_offload)
		return probe_offload(&app, err, sizeof(err));
	if (rc == 0)
		rc = place_tasks(&app, err, sizeof(err));
	if (rc == 0)
		rc = create_rings(&app, err, sizeof(err));
	if (rc == 0)
		rc = start_ports(&app, err, sizeof(err));
	if (rc == 0 && dps_exporter_init(&app, err, sizeof(err)) != 0)
		rc = EXIT_FAILURE;
	if (rc != 0) {
		fail(rc, "", err);
		stop_ports(&app);
		rte_eal_cleanup();
		return rc;
	}
	dps_telemetry_register(&app);
	app.start_ms = dps_now_ms();

	for (unsigned int i = 0; i < app.n_workers; i++)
		rte_eal_remote_launch(dps_worker_main, &app.workers[i], app.workers[i].lcore_id);

	rc = dps_exporter_run(&app); /* returns once a stop was asked and workers may stop */

	__atomic_store_n(&dps_force_quit, true, __ATOMIC_RELAXED);
	RTE_LCORE_FOREACH_WORKER(lcore)
		rte_eal_wait_lcore(lcore);
	dps_exporter_finish(&app); /* drain rings, last counters, flush, summary */

	dps_telemetry_shutdown();
	stop_ports(&app);
	dps_exporter_free(&app);
	rte_eal_cleanup();
	return rc;
}
