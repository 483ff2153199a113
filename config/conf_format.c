/* The effective configuration written back in the file grammar, for --print-config and the
 * agent's start-up log. It parses back to the same settings (tested), so an operator can
 * paste it into a file. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conf_internal.h"

void conf_out_printf(struct conf_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *dst = o->len < o->size ? o->buf + o->len : NULL;
    size_t room = o->len < o->size ? o->size - o->len : 0;
    int n = vsnprintf(dst, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n;
}

/* Names and paths are always quoted: devargs may hold '#' or spaces. */
static void out_quoted(struct conf_out *o, const char *s)
{
    conf_out_printf(o, "\"");
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\')
            conf_out_printf(o, "\\%c", *s);
        else
            conf_out_printf(o, "%c", *s);
    }
    conf_out_printf(o, "\"");
}

static void out_speed(struct conf_out *o, uint64_t bps)
{
    static const struct {
        uint64_t mult;
        char suffix;
    } units[] = {{UINT64_C(1000000000000), 'T'}, {1000000000u, 'G'}, {1000000u, 'M'}, {1000u, 'K'}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (bps % units[i].mult == 0) {
            conf_out_printf(o, "%llu%c", (unsigned long long)(bps / units[i].mult),
                            units[i].suffix);
            return;
        }
    conf_out_printf(o, "%llu", (unsigned long long)bps);
}

static void out_sflow(struct conf_out *o, const struct dps_config *cfg)
{
    char addr[64];
    conf_out_printf(o, "sflow {\n");
    if (cfg->agent_ip.family != 0) {
        conf_format_addr(&cfg->agent_ip, addr, sizeof addr);
        conf_out_printf(o, "  agent = %s\n", addr);
    } else if (cfg->agent_ifname[0] != '\0') {
        conf_out_printf(o, "  agent = %s\n", cfg->agent_ifname);
    }
    if (cfg->has_agent_cidr) {
        conf_format_addr(&cfg->agent_cidr.addr, addr, sizeof addr);
        conf_out_printf(o, "  agent.cidr = %s/%u\n", addr, cfg->agent_cidr.prefix_len);
    }
    conf_out_printf(o, "  polling = %u\n", cfg->polling_s);
    if (cfg->has_sampling)
        conf_out_printf(o, "  sampling = %u%s\n", cfg->sampling,
                        (cfg->cli.set & DPS_CLI_SAMPLING) ? "  # --sampling: applies to every port" : "");
    for (unsigned i = 0; i < cfg->n_speed_sampling; i++) {
        conf_out_printf(o, "  sampling.");
        out_speed(o, cfg->speed_sampling[i].speed_bps);
        conf_out_printf(o, " = %u\n", cfg->speed_sampling[i].sampling);
    }
    conf_out_printf(o, "  headerBytes = %u\n  datagramBytes = %u\n  subAgentId = %u\n"
                    "  datagramTimeoutMs = %u\n", cfg->header_bytes, cfg->datagram_bytes,
                    cfg->sub_agent_id, cfg->datagram_timeout_ms);
    for (unsigned i = 0; i < cfg->n_collectors; i++) {
        const struct dps_collector *col = &cfg->collectors[i];
        conf_format_addr(&col->addr, addr, sizeof addr);
        conf_out_printf(o, "  collector { ip = %s udpport = %u tunnelRecords = %s }\n", addr,
                        col->udp_port, col->tunnel_records ? "on" : "off");
    }
    conf_out_printf(o, "}\n");
}

static void out_port(struct conf_out *o, const struct dps_config *cfg,
                     const struct dps_port_config *p)
{
    conf_out_printf(o, "  port {\n    name = ");
    out_quoted(o, p->name);
    conf_out_printf(o, "\n");
    if (p->ifindex != 0)
        conf_out_printf(o, "    ifindex = %u\n", p->ifindex);
    if (p->has_sampling)
        conf_out_printf(o, "    sampling = %u\n", p->sampling);
    if (p->mode != DPS_MODE_UNSET)
        conf_out_printf(o, "    mode = %s\n", dps_config_mode_name(p->mode));
    if (p->forward_port >= 0 && (unsigned)p->forward_port < cfg->n_ports &&
        p->mode != DPS_MODE_MONITOR) {
        conf_out_printf(o, "    forward = ");
        out_quoted(o, cfg->ports[p->forward_port].name);
        conf_out_printf(o, "\n");
    }
    if (p->rxq != 0)
        conf_out_printf(o, "    rxq = %u\n", p->rxq);
    if (p->n_lcores > 0) {
        conf_out_printf(o, "    lcores = ");
        for (unsigned i = 0; i < p->n_lcores; i++)
            conf_out_printf(o, "%s%u", i ? "," : "", p->lcores[i]);
        conf_out_printf(o, "\n");
    }
    conf_out_printf(o, "    offload = %s\n", dps_config_offload_name(p->offload));
    if (p->speed_bps != 0) {
        conf_out_printf(o, "    speed = ");
        out_speed(o, p->speed_bps);
        conf_out_printf(o, "\n");
    }
    conf_out_printf(o, "  }\n");
}

size_t dps_config_format(const struct dps_config *cfg, char *buf, size_t size)
{
    struct conf_out o = {.buf = buf, .size = size, .len = 0};
    if (buf != NULL && size > 0)
        buf[0] = '\0';
    const struct dps_runtime_options *run = &cfg->run;
    conf_out_printf(&o, "# dpsflow effective configuration%s%s\n",
                    run->config_path[0] ? " from " : "", run->config_path);
    conf_out_printf(&o, "# duration=%us stats-period=%us print-samples=%s probe-offload=%s\n",
                    run->duration_s, run->stats_period_s, run->print_samples ? "yes" : "no",
                    run->probe_offload ? "yes" : "no");
    out_sflow(&o, cfg);
    conf_out_printf(&o, "dpdk {\n  ringSize = %u\n", cfg->ring_size);
    if (cfg->has_exporter_lcore)
        conf_out_printf(&o, "  exporterLcore = %u\n", cfg->exporter_lcore);
    for (unsigned i = 0; i < cfg->n_ports; i++)
        out_port(&o, cfg, &cfg->ports[i]);
    conf_out_printf(&o, "}\n");
    if (cfg->has_ovs) {
        conf_out_printf(&o, "ovs {\n");
        for (unsigned i = 0; i < cfg->n_ovs_rings; i++) {
            conf_out_printf(&o, "  ring = ");
            out_quoted(&o, cfg->ovs_rings[i]);
            conf_out_printf(&o, "\n");
        }
        for (unsigned i = 0; i < cfg->n_ovs_bridges; i++)
            conf_out_printf(&o, "  bridge = %s\n", cfg->ovs_bridges[i]);
        if (cfg->ovs_db[0] != '\0') {
            conf_out_printf(&o, "  db = ");
            out_quoted(&o, cfg->ovs_db);
            conf_out_printf(&o, "\n");
        }
        conf_out_printf(&o, "}\n");
    }
    return o.len;
}
