/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ovs_db.c - the OVSDB client on OVS's own library (see ovs_db.h). The only dpsflow file
 * compiled against libopenvswitch's headers.
 *
 * OVS's library assumes one thread runs its poll loop; here that is our own thread, created
 * with pthread_create (OVS's ovs_thread_create would switch the library to multi-threaded
 * mode and fatal_signal_init would then abort). dps_ovsdb_start() calls fatal_signal_init()
 * on the caller's thread after dpsflow has installed its SIGINT/SIGTERM/SIGHUP handlers: OVS
 * only takes over signals still at SIG_DFL, so dpsflow keeps its own.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fatal-signal.h"
#include "jsonrpc.h"
#include "openvswitch/json.h"
#include "latch.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "timeval.h"
#include "unixctl.h"
#include "vswitch-idl.h"

#include "ovs_db.h"

/* How often dpif/show is asked again without a change in the database: ovs-vswitchd may
 * restart (and renumber) without any row changing. */
#define DPIF_REFRESH_MS 2000
/* Longest wait for ovs-vswitchd's answer: a stopped or hung ovs-vswitchd must not stall the
 * thread that follows the database. */
#define DPIF_TIMEOUT_MS 1000

struct dps_ovsdb {
	char remote[256];
	char unixctl[256];       /* explicit control socket, "" = from the pid file */
	char rundir[256];
	struct ovsdb_idl *idl;
	pthread_t thread;
	struct latch wake;       /* stop or poke */
	bool stop, poked;        /* under lock */
	pthread_mutex_t lock;
	struct dps_ovsdb_view published; /* under lock */
	uint64_t generation;     /* atomic: published.generation */
	/* thread-local state of the IDL thread */
	struct dps_ovsdb_view work;
	struct dps_ovsdb_iface *prev;    /* work's interfaces before the last read_rows */
	unsigned n_prev;
	struct dps_ovs_port_table dpif;  /* last good dpif/show */
	bool dpif_ok;
	char dpif_error[400];
	long long next_dpif_ms;
	unsigned last_seqno;
	bool was_connected;
	uint64_t connects;
};

bool dps_ovsdb_available(char *version, size_t len)
{
	if (len != 0)
		snprintf(version, len, "%s", VERSION);
	return true;
}

static void add_columns(struct ovsdb_idl *idl)
{
	ovsdb_idl_add_table(idl, &ovsrec_table_open_vswitch);
	ovsdb_idl_add_column(idl, &ovsrec_open_vswitch_col_bridges);
	ovsdb_idl_add_column(idl, &ovsrec_open_vswitch_col_other_config);
	ovsdb_idl_add_column(idl, &ovsrec_open_vswitch_col_ovs_version);
	ovsdb_idl_add_table(idl, &ovsrec_table_bridge);
	ovsdb_idl_add_column(idl, &ovsrec_bridge_col_name);
	ovsdb_idl_add_column(idl, &ovsrec_bridge_col_ports);
	ovsdb_idl_add_column(idl, &ovsrec_bridge_col_sflow);
	ovsdb_idl_add_table(idl, &ovsrec_table_port);
	ovsdb_idl_add_column(idl, &ovsrec_port_col_name);
	ovsdb_idl_add_column(idl, &ovsrec_port_col_interfaces);
	ovsdb_idl_add_table(idl, &ovsrec_table_interface);
	ovsdb_idl_add_column(idl, &ovsrec_interface_col_name);
	ovsdb_idl_add_column(idl, &ovsrec_interface_col_type);
	ovsdb_idl_add_column(idl, &ovsrec_interface_col_ifindex);
	ovsdb_idl_add_column(idl, &ovsrec_interface_col_ofport);
	ovsdb_idl_add_column(idl, &ovsrec_interface_col_statistics);
	ovsdb_idl_add_column(idl, &ovsrec_interface_col_link_speed);
	ovsdb_idl_add_column(idl, &ovsrec_interface_col_link_state);
	ovsdb_idl_add_column(idl, &ovsrec_interface_col_admin_state);
	ovsdb_idl_add_column(idl, &ovsrec_interface_col_duplex);
	ovsdb_idl_add_column(idl, &ovsrec_interface_col_mtu);
	ovsdb_idl_add_column(idl, &ovsrec_interface_col_mac_in_use);
	ovsdb_idl_add_table(idl, &ovsrec_table_sflow);
	ovsdb_idl_add_column(idl, &ovsrec_sflow_col_agent);
	ovsdb_idl_add_column(idl, &ovsrec_sflow_col_targets);
	ovsdb_idl_add_column(idl, &ovsrec_sflow_col_sampling);
	ovsdb_idl_add_column(idl, &ovsrec_sflow_col_polling);
	ovsdb_idl_add_column(idl, &ovsrec_sflow_col_header);
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(a, b);
}

static uint32_t opt_u32(const int64_t *v, size_t n)
{
	return n != 0 && v[0] > 0 && v[0] <= UINT32_MAX ? (uint32_t)v[0] : 0;
}

static void read_sflow(const struct ovsrec_sflow *row, struct dps_ovsdb_sflow *out)
{
	memset(out, 0, sizeof(*out));
	if (row->agent != NULL)
		snprintf(out->agent, sizeof(out->agent), "%s", row->agent);
	out->sampling = opt_u32(row->sampling, row->n_sampling);
	out->polling_s = opt_u32(row->polling, row->n_polling);
	out->header_bytes = opt_u32(row->header, row->n_header);
	for (size_t i = 0; i < row->n_targets && out->n_targets < DPS_OVSDB_MAX_TARGETS; i++)
		snprintf(out->targets[out->n_targets++], DPS_OVSDB_TEXT_MAX, "%s", row->targets[i]);
	/* a set has no order: sort so that the same targets compare equal */
	qsort(out->targets, out->n_targets, DPS_OVSDB_TEXT_MAX, cmp_text);
}

static void read_stats(const struct ovsrec_interface *row, struct dps_ovsdb_iface *out)
{
	static const struct {
		const char *key;
		size_t offset;
	} keys[] = {
#define K(name) {#name, offsetof(struct dps_ovsdb_iface, name)}
		K(rx_packets), K(rx_bytes), K(rx_dropped), K(rx_errors),
		K(tx_packets), K(tx_bytes), K(tx_dropped), K(tx_errors),
		K(rx_crc_err), K(rx_frame_err), K(collisions),
		{"rx_multicast_packets", offsetof(struct dps_ovsdb_iface, rx_multicast)},
		{"rx_broadcast_packets", offsetof(struct dps_ovsdb_iface, rx_broadcast)},
		{"tx_multicast_packets", offsetof(struct dps_ovsdb_iface, tx_multicast)},
		{"tx_broadcast_packets", offsetof(struct dps_ovsdb_iface, tx_broadcast)},
		{"rx_oversize_errors", offsetof(struct dps_ovsdb_iface, rx_oversize)},
		{"multicast", offsetof(struct dps_ovsdb_iface, rx_multicast)},
#undef K
	};
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		*(uint64_t *)((char *)out + keys[k].offset) = UINT64_MAX;
	out->has_stats = row->n_statistics != 0;
	for (size_t i = 0; i < row->n_statistics; i++)
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (strcmp(row->key_statistics[i], keys[k].key) == 0 &&
			    row->value_statistics[i] >= 0)
				*(uint64_t *)((char *)out + keys[k].offset) =
					(uint64_t)row->value_statistics[i];
}

static void read_iface(const struct ovsrec_interface *row, const char *bridge,
		       struct dps_ovsdb_iface *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", row->name);
	snprintf(out->bridge, sizeof(out->bridge), "%s", bridge);
	snprintf(out->type, sizeof(out->type), "%s", row->type);
	out->ifindex = opt_u32(row->ifindex, row->n_ifindex);
	out->has_ifindex = row->n_ifindex != 0;
	out->ofport = row->n_ofport != 0 ? row->ofport[0] : -1;
	out->odp_port = DPS_OVS_PORT_UNKNOWN;
	out->link_speed_bps = row->n_link_speed != 0 && row->link_speed[0] > 0
			      ? (uint64_t)row->link_speed[0] : 0;
	out->mtu = opt_u32(row->mtu, row->n_mtu);
	out->admin_up = row->admin_state != NULL && strcmp(row->admin_state, "up") == 0;
	out->link_up = row->link_state != NULL && strcmp(row->link_state, "up") == 0;
	out->full_duplex = row->duplex != NULL && strcmp(row->duplex, "full") == 0;
	unsigned m[6];
	if (row->mac_in_use != NULL &&
	    sscanf(row->mac_in_use, "%2x:%2x:%2x:%2x:%2x:%2x", &m[0], &m[1], &m[2], &m[3], &m[4],
		   &m[5]) == 6) {
		for (int i = 0; i < 6; i++)
			out->mac[i] = (uint8_t)m[i];
		out->has_mac = true;
	}
	read_stats(row, out);
}

static int cmp_bridge(const void *a, const void *b)
{
	return strcmp(((const struct dps_ovsdb_bridge *)a)->name,
		      ((const struct dps_ovsdb_bridge *)b)->name);
}

static int cmp_iface(const void *a, const void *b)
{
	const struct dps_ovsdb_iface *x = a, *y = b;
	int c = strcmp(x->bridge, y->bridge);
	return c != 0 ? c : strcmp(x->name, y->name);
}

/* An interface whose statistics column is empty keeps the values it had (see has_stats). */
static void keep_stats(const struct dps_ovsdb *db, struct dps_ovsdb_iface *f)
{
	for (unsigned i = 0; i < db->n_prev; i++) {
		const struct dps_ovsdb_iface *p = &db->prev[i];
		if (!p->has_stats || strcmp(p->name, f->name) != 0 || strcmp(p->bridge, f->bridge) != 0)
			continue;
		f->has_stats = true;
#define KEEP(x) f->x = p->x
		KEEP(rx_packets); KEEP(rx_bytes); KEEP(rx_dropped); KEEP(rx_errors);
		KEEP(rx_multicast); KEEP(rx_broadcast); KEEP(tx_packets); KEEP(tx_bytes);
		KEEP(tx_dropped); KEEP(tx_errors); KEEP(tx_multicast); KEEP(tx_broadcast);
		KEEP(rx_crc_err); KEEP(rx_frame_err); KEEP(collisions); KEEP(rx_oversize);
#undef KEEP
		return;
	}
}

/* The rows of the monitored tables → work (everything but the datapath port numbers). */
static void read_rows(struct dps_ovsdb *db)
{
	struct dps_ovsdb_view *v = &db->work;
	const struct ovsrec_open_vswitch *ovs = ovsrec_open_vswitch_first(db->idl);
	const struct ovsrec_bridge *br;

	memcpy(db->prev, v->ifaces, v->n_ifaces * sizeof(v->ifaces[0]));
	db->n_prev = v->n_ifaces;

	v->n_bridges = 0;
	v->n_ifaces = 0;
	v->ring_path[0] = '\0';
	v->ovs_version[0] = '\0';
	if (ovs != NULL) {
		const char *ring = smap_get(&ovs->other_config, "sflow-offload-ring");
		if (ring != NULL)
			snprintf(v->ring_path, sizeof(v->ring_path), "%s", ring);
		if (ovs->ovs_version != NULL)
			snprintf(v->ovs_version, sizeof(v->ovs_version), "%s", ovs->ovs_version);
	}
	OVSREC_BRIDGE_FOR_EACH (br, db->idl) {
		if (v->n_bridges < DPS_OVSDB_MAX_BRIDGES) {
			struct dps_ovsdb_bridge *b = &v->bridges[v->n_bridges++];
			memset(b, 0, sizeof(*b));
			snprintf(b->name, sizeof(b->name), "%s", br->name);
			b->has_sflow = br->sflow != NULL;
			if (br->sflow != NULL)
				read_sflow(br->sflow, &b->sflow);
		}
		for (size_t p = 0; p < br->n_ports; p++)
			for (size_t i = 0; i < br->ports[p]->n_interfaces; i++)
				if (v->n_ifaces < DPS_OVS_MAX_PORTS)
					read_iface(br->ports[p]->interfaces[i], br->name,
						   &v->ifaces[v->n_ifaces++]);
	}
	qsort(v->bridges, v->n_bridges, sizeof(v->bridges[0]), cmp_bridge);
	qsort(v->ifaces, v->n_ifaces, sizeof(v->ifaces[0]), cmp_iface);
	for (unsigned i = 0; i < v->n_ifaces; i++)
		if (!v->ifaces[i].has_stats)
			keep_stats(db, &v->ifaces[i]);
}

/* The control socket of the running ovs-vswitchd: OVS names it after its pid. */
static int control_path(const struct dps_ovsdb *db, char *path, size_t len)
{
	if (db->unixctl[0] != '\0') {
		snprintf(path, len, "%s", db->unixctl);
		return 0;
	}
	char pidfile[300];
	snprintf(pidfile, sizeof(pidfile), "%s/ovs-vswitchd.pid", db->rundir);
	FILE *f = fopen(pidfile, "r");
	if (f == NULL)
		return -errno;
	long pid = 0;
	int n = fscanf(f, "%ld", &pid);
	fclose(f);
	if (n != 1 || pid <= 0)
		return -EINVAL;
	snprintf(path, len, "%s/ovs-vswitchd.%ld.ctl", db->rundir, pid);
	return 0;
}

/* unixctl_client_transact() without its unbounded wait: sends 'command' and waits at most
 * timeout_ms for the reply. 0 with *result or *err set (both malloc'd), or an errno value
 * (ETIMEDOUT). */
static int transact_bounded(struct jsonrpc *client, const char *command, long long timeout_ms,
			    char **result, char **err)
{
	struct jsonrpc_msg *request = jsonrpc_create_request(command, json_array_create_empty(),
							     NULL);
	struct json *id = json_clone(request->id);
	struct jsonrpc_msg *reply = NULL;
	long long deadline = time_msec() + timeout_ms;
	int error = jsonrpc_send(client, request);

	*result = *err = NULL;
	while (!error) {
		jsonrpc_run(client);
		error = jsonrpc_recv(client, &reply);
		if (!error) {
			if ((reply->type == JSONRPC_REPLY || reply->type == JSONRPC_ERROR) &&
			    json_equal(reply->id, id))
				break;
			jsonrpc_msg_destroy(reply); /* not ours (a notification) */
			reply = NULL;
			continue;
		}
		if (error != EAGAIN)
			break;
		error = time_msec() >= deadline ? ETIMEDOUT : 0;
		if (!error) {
			jsonrpc_wait(client);
			jsonrpc_recv_wait(client);
			poll_timer_wait_until(deadline);
			poll_block();
		}
	}
	if (!error) {
		const struct json *j = reply->type == JSONRPC_ERROR ? reply->error : reply->result;
		char *text = xstrdup(j != NULL && j->type == JSON_STRING ? json_string(j) : "");
		if (reply->type == JSONRPC_ERROR)
			*err = text;
		else
			*result = text;
		jsonrpc_msg_destroy(reply);
	}
	json_destroy(id);
	return error;
}

/* dpif/show → db->dpif. On failure the last good table stays (a restarting ovs-vswitchd
 * keeps its port numbers more often than not). */
static void refresh_dpif(struct dps_ovsdb *db)
{
	char path[400];
	struct jsonrpc *client = NULL;
	char *result = NULL, *error = NULL;
	int rc = control_path(db, path, sizeof(path));

	if (rc == 0)
		rc = unixctl_client_create(path, &client);
	if (rc == 0)
		rc = transact_bounded(client, "dpif/show", DPIF_TIMEOUT_MS, &result, &error);
	if (rc != 0) {
		snprintf(db->dpif_error, sizeof(db->dpif_error), "ovs-vswitchd control socket "
			 "(%.200s/ovs-vswitchd.pid): %.100s", db->rundir, ovs_retval_to_string(rc));
	} else if (error != NULL) {
		snprintf(db->dpif_error, sizeof(db->dpif_error), "dpif/show: %.150s", error);
	} else if (result == NULL || dps_ovs_parse_dpif_show(result, &db->dpif) < 0) {
		snprintf(db->dpif_error, sizeof(db->dpif_error), "dpif/show: unexpected reply");
	} else {
		db->dpif_ok = true;
		db->dpif_error[0] = '\0';
	}
	free(result);
	free(error);
	jsonrpc_close(client);
	db->next_dpif_ms = time_msec() + DPIF_REFRESH_MS;
}

static void add_odp_ports(struct dps_ovsdb *db)
{
	for (unsigned i = 0; i < db->work.n_ifaces; i++) {
		struct dps_ovsdb_iface *f = &db->work.ifaces[i];
		for (unsigned k = 0; k < db->dpif.n; k++) {
			const struct dps_ovs_port *p = &db->dpif.ports[k];
			if (strcmp(p->name, f->name) == 0 && strcmp(p->bridge, f->bridge) == 0) {
				f->odp_port = p->odp_port;
				break;
			}
		}
	}
}

static void publish(struct dps_ovsdb *db)
{
	struct dps_ovsdb_view *w = &db->work;

	w->connected = ovsdb_idl_is_connected(db->idl);
	w->connects = db->connects;
	if (!w->connected) {
		int e = ovsdb_idl_get_last_error(db->idl);
		snprintf(w->error, sizeof(w->error), "%.150s: %.100s", db->remote,
			 e ? ovs_retval_to_string(e) : "not connected");
	} else {
		snprintf(w->error, sizeof(w->error), "%.255s", db->dpif_error);
	}
	pthread_mutex_lock(&db->lock);
	w->generation = db->published.generation;
	if (memcmp(w, &db->published, sizeof(*w)) != 0) {
		w->generation++;
		db->published = *w;
		__atomic_store_n(&db->generation, w->generation, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&db->lock);
}

static void *idl_thread(void *arg)
{
	struct dps_ovsdb *db = arg;
	sigset_t all;

	/* signals belong to dpsflow's main thread */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		bool stop, poked;

		pthread_mutex_lock(&db->lock);
		stop = db->stop;
		poked = db->poked;
		db->poked = false;
		pthread_mutex_unlock(&db->lock);
		if (stop)
			break;
		latch_poll(&db->wake);

		ovsdb_idl_run(db->idl);
		bool connected = ovsdb_idl_is_connected(db->idl);
		unsigned seqno = ovsdb_idl_get_seqno(db->idl);
		bool changed = seqno != db->last_seqno || connected != db->was_connected;
		if (connected && !db->was_connected) {
			db->connects++;
			if (db->connects > 1)
				fprintf(stderr, "dpsflow: ovsdb %s: connected again\n", db->remote);
		} else if (!connected && db->was_connected) {
			int e = ovsdb_idl_get_last_error(db->idl);
			fprintf(stderr, "dpsflow: ovsdb %s: connection lost (%s), retrying\n",
				db->remote, e ? ovs_retval_to_string(e) : "closed");
		}
		db->was_connected = connected;
		db->last_seqno = seqno;
		/* only a connected IDL holds the database: while ovsdb-server restarts the last
		 * rows stay in force (collectors keep receiving) */
		if (changed && connected && ovsrec_open_vswitch_first(db->idl) != NULL)
			read_rows(db);
		/* a port set change renumbers nothing in the database: ask the datapath */
		if (changed || poked || time_msec() >= db->next_dpif_ms) {
			refresh_dpif(db);
			add_odp_ports(db);
		}
		if (ovsdb_idl_has_ever_connected(db->idl))
			publish(db);

		ovsdb_idl_wait(db->idl);
		latch_wait(&db->wake);
		poll_timer_wait_until(db->next_dpif_ms);
		poll_block();
	}
	return NULL;
}

static void rundir_of(const char *remote, char *out, size_t len)
{
	const char *env = getenv("OVS_RUNDIR");
	if (strncmp(remote, "unix:", 5) == 0 && strchr(remote + 5, '/') != NULL) {
		snprintf(out, len, "%s", remote + 5);
		char *slash = strrchr(out, '/');
		if (slash == out)
			slash[1] = '\0';
		else
			*slash = '\0';
	} else {
		snprintf(out, len, "%s", env != NULL ? env : "/var/run/openvswitch");
	}
}

static void destroy(struct dps_ovsdb *db)
{
	ovsdb_idl_destroy(db->idl);
	latch_destroy(&db->wake);
	pthread_mutex_destroy(&db->lock);
	free(db->prev);
	free(db);
}

struct dps_ovsdb *dps_ovsdb_start(const char *remote, const char *unixctl, unsigned wait_ms,
				  char *err, size_t errlen)
{
	static bool lib_ready;

	if (strlen(remote) >= sizeof(((struct dps_ovsdb *)0)->remote) ||
	    (unixctl != NULL && strlen(unixctl) >= sizeof(((struct dps_ovsdb *)0)->unixctl))) {
		snprintf(err, errlen, "ovs db '%.80s': path too long", remote);
		return NULL;
	}
	if (!lib_ready) {
		/* OVS logs to the console at INFO and to syslog by default: dpsflow reports
		 * connection changes itself and leaves only OVS's warnings on stderr */
		vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
		vlog_set_levels(NULL, VLF_SYSLOG, VLL_OFF);
		vlog_set_levels(NULL, VLF_FILE, VLL_OFF);
		fatal_signal_init();
		lib_ready = true;
	}
	struct dps_ovsdb *db = xzalloc(sizeof(*db));
	db->prev = xcalloc(DPS_OVS_MAX_PORTS, sizeof(*db->prev));
	snprintf(db->remote, sizeof(db->remote), "%s", remote);
	snprintf(db->unixctl, sizeof(db->unixctl), "%s", unixctl != NULL ? unixctl : "");
	rundir_of(remote, db->rundir, sizeof(db->rundir));
	pthread_mutex_init(&db->lock, NULL);
	latch_init(&db->wake);
	db->last_seqno = UINT_MAX;

	/* First contact on this thread, bounded: a database that is missing at start is a
	 * configuration error the operator must see, not a silent retry loop. */
	db->idl = ovsdb_idl_create(remote, &ovsrec_idl_class, false, true);
	add_columns(db->idl);
	ovsdb_idl_set_probe_interval(db->idl, 5000);
	long long deadline = time_msec() + wait_ms;
	while (time_msec() < deadline) {
		ovsdb_idl_run(db->idl);
		if (ovsdb_idl_has_ever_connected(db->idl) && ovsdb_idl_is_connected(db->idl) &&
		    ovsrec_open_vswitch_first(db->idl) != NULL)
			break;
		ovsdb_idl_wait(db->idl);
		poll_timer_wait_until(deadline);
		poll_block();
	}
	if (!ovsdb_idl_has_ever_connected(db->idl) || ovsrec_open_vswitch_first(db->idl) == NULL) {
		int e = ovsdb_idl_get_last_error(db->idl);
		snprintf(err, errlen, "ovs db %s: cannot read the Open_vSwitch database within "
			 "%u ms: %s", remote, wait_ms,
			 e ? ovs_retval_to_string(e)
			   : (ovsdb_idl_has_ever_connected(db->idl) ? "no Open_vSwitch row"
								     : "no answer"));
		destroy(db);
		return NULL;
	}
	db->connects = 1;
	db->was_connected = true;
	db->last_seqno = ovsdb_idl_get_seqno(db->idl);
	read_rows(db);
	refresh_dpif(db);
	add_odp_ports(db);
	publish(db);
	/* the IDL and OVS's poll loop belong to the thread from here on */
	if (pthread_create(&db->thread, NULL, idl_thread, db) != 0) {
		snprintf(err, errlen, "cannot start the OVSDB thread");
		destroy(db);
		return NULL;
	}
	return db;
}

bool dps_ovsdb_latest(struct dps_ovsdb *db, struct dps_ovsdb_view *v)
{
	if (__atomic_load_n(&db->generation, __ATOMIC_ACQUIRE) == v->generation)
		return false;
	pthread_mutex_lock(&db->lock);
	*v = db->published;
	pthread_mutex_unlock(&db->lock);
	return true;
}

void dps_ovsdb_poke(struct dps_ovsdb *db)
{
	pthread_mutex_lock(&db->lock);
	db->poked = true;
	pthread_mutex_unlock(&db->lock);
	latch_set(&db->wake);
}

void dps_ovsdb_stop(struct dps_ovsdb *db)
{
	if (db == NULL)
		return;
	pthread_mutex_lock(&db->lock);
	db->stop = true;
	pthread_mutex_unlock(&db->lock);
	latch_set(&db->wake);
	pthread_join(db->thread, NULL);
	destroy(db);
}

bool dps_ovsdb_format_actions(const void *nl_actions, size_t len, char *out, size_t outlen)
{
	struct ds s = DS_EMPTY_INITIALIZER;

	if (outlen == 0)
		return false;
	/* OVS's formatter checks each attribute's length against the list it is given */
	format_odp_actions(&s, nl_actions, len, NULL);
	snprintf(out, outlen, "%s", ds_cstr(&s));
	ds_destroy(&s);
	return true;
}
