/* Defaults, command-line overrides on top of the file, and the resolution of port modes and
 * forward peers that the agent then takes as given. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conf_internal.h"

void dps_config_init(struct dps_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->polling_s = DPS_CONFIG_DEFAULT_POLLING_S;
    cfg->header_bytes = DPS_CONFIG_DEFAULT_HEADER_BYTES;
    cfg->datagram_bytes = DPS_CONFIG_DEFAULT_DATAGRAM_BYTES;
    cfg->datagram_timeout_ms = DPS_CONFIG_DEFAULT_DATAGRAM_TIMEOUT_MS;
    cfg->ring_size = DPS_CONFIG_DEFAULT_RING_SIZE;
}

static int fail(struct dps_config_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(struct dps_config_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->line = err->col = 0;
    return -1;
}

static int apply_cli(struct dps_config *cfg, struct dps_config_error *err)
{
    const struct dps_cli_overrides *cli = &cfg->cli;
    if (cli->set & DPS_CLI_COLLECTORS) {
        memcpy(cfg->collectors, cli->collectors, sizeof cfg->collectors);
        cfg->n_collectors = cli->n_collectors;
    }
    if (cli->set & DPS_CLI_NO_TUNNEL_RECORDS)
        for (unsigned i = 0; i < cfg->n_collectors; i++)
            cfg->collectors[i].tunnel_records = false;
    if (cli->set & DPS_CLI_SAMPLING) {
        cfg->sampling = cli->sampling;
        cfg->has_sampling = true;
    }
    if (cli->set & DPS_CLI_POLLING) {
        cfg->polling_s = cli->polling_s;
        cfg->has_polling = true;
    }
    if (cli->set & DPS_CLI_HEADER_BYTES) {
        cfg->header_bytes = cli->header_bytes;
        cfg->has_header_bytes = true;
    }
    if (cli->set & DPS_CLI_DATAGRAM_BYTES)
        cfg->datagram_bytes = cli->datagram_bytes;
    if (cli->set & DPS_CLI_SUB_AGENT_ID) {
        cfg->sub_agent_id = cli->sub_agent_id;
        cfg->has_sub_agent_id = true;
    }
    if (cli->set & DPS_CLI_AGENT_IP) {
        cfg->agent_ip = cli->agent_ip;
        cfg->agent_ifname[0] = '\0';
    }
    if (cli->set & DPS_CLI_PORTS) {
        for (unsigned i = 0; i < cli->n_ports; i++) {
            if (cfg->n_ports >= DPS_CONFIG_MAX_PORTS)
                return fail(err, "too many ports (max %d)", DPS_CONFIG_MAX_PORTS);
            for (unsigned j = 0; j < cfg->n_ports; j++)
                if (strcmp(cfg->ports[j].name, cli->ports[i]) == 0)
                    return fail(err, "duplicate port '%.80s'", cli->ports[i]);
            struct dps_port_config *p = &cfg->ports[cfg->n_ports++];
            memset(p, 0, sizeof *p);
            p->forward_port = -1;
            memcpy(p->name, cli->ports[i], sizeof p->name);
        }
    }
    for (unsigned i = 0; i < cfg->n_ports; i++) {
        if (cli->set & DPS_CLI_MODE) {
            cfg->ports[i].mode = cli->mode;
            if (cli->mode == DPS_MODE_MONITOR)
                cfg->ports[i].forward_port = -1;
        }
        if (cli->set & DPS_CLI_OFFLOAD)
            cfg->ports[i].offload = cli->offload;
    }
    return 0;
}

/* A forward-mode port without `forward =` sends back to a port that forwards to it, else pairs
 * with the next such port (0<->1, 2<->3 in order, like testpmd), so `--mode forward --port A
 * --port B` needs nothing else. */
static int resolve_ports(struct dps_config *cfg, struct dps_config_error *err)
{
    for (unsigned i = 0; i < cfg->n_ports; i++) {
        struct dps_port_config *p = &cfg->ports[i];
        if (p->mode == DPS_MODE_UNSET)
            p->mode = p->forward_port >= 0 ? DPS_MODE_FORWARD : DPS_MODE_MONITOR;
        if (p->rxq == 0)
            p->rxq = p->n_lcores > 0 ? p->n_lcores : 1;
    }
    for (unsigned i = 0; i < cfg->n_ports; i++) {
        struct dps_port_config *p = &cfg->ports[i];
        if (p->mode != DPS_MODE_FORWARD || p->forward_port >= 0)
            continue;
        /* The reply direction of a port that forwards here comes first. */
        for (unsigned j = 0; j < cfg->n_ports && p->forward_port < 0; j++)
            if (j != i && cfg->ports[j].forward_port == (int)i)
                p->forward_port = (int)j;
        for (unsigned j = i + 1; j < cfg->n_ports && p->forward_port < 0; j++) {
            struct dps_port_config *q = &cfg->ports[j];
            if (q->mode == DPS_MODE_FORWARD && q->forward_port < 0) {
                p->forward_port = (int)j;
                q->forward_port = (int)i;
                break;
            }
        }
        if (p->forward_port < 0)
            return fail(err, "port '%.80s' is in forward mode without a peer (set 'forward = "
                        "<port>' or configure an even number of forward ports)", p->name);
    }
    return 0;
}

int dps_config_finalize(struct dps_config *cfg, struct dps_config_error *err)
{
    const char *file = cfg->run.config_path[0] != '\0' ? cfg->run.config_path : "command line";
    if (apply_cli(cfg, err) != 0 || resolve_ports(cfg, err) != 0) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        snprintf(err->msg, sizeof err->msg, "%.200s: %.400s", file, msg);
        return -1;
    }
    /* No ports here is fine: the agent also takes the ethdevs EAL probed (--vdev, -a) and
     * refuses to start only when it ends up with nothing to poll. */
    return 0;
}
