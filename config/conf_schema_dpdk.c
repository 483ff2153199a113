/* dpdk { } and its port { } blocks, plus the checks that need every port at once (forward
 * peers, ifIndex and lcore clashes), run when the file has been read. */
#include <string.h>

#include "conf_internal.h"

/* A port is named by its devargs ("net_pcap0,rx_pcap=x.pcap") or just its device name
 * ("net_pcap0"): two names refer to the same device when their parts before the first comma
 * are equal. */
static bool same_device(const char *a, const char *b)
{
    size_t la = strcspn(a, ","), lb = strcspn(b, ",");
    return la == lb && memcmp(a, b, la) == 0;
}

static int on_ring_size(struct conf_ctx *c, const struct conf_token *key,
                        const struct conf_token *val)
{
    uint32_t n;
    if (conf_value_u32(c, key, val, 64, 1u << 20, &n) != 0)
        return -1;
    if ((n & (n - 1)) != 0)
        return conf_error_tok(c, val, "'%s' must be a power of two (got %u)", key->text, n);
    c->cfg->ring_size = n;
    return 0;
}

static int on_exporter_lcore(struct conf_ctx *c, const struct conf_token *key,
                             const struct conf_token *val)
{
    if (conf_value_u32(c, key, val, 0, DPS_CONFIG_MAX_LCORE, &c->cfg->exporter_lcore) != 0)
        return -1;
    c->cfg->has_exporter_lcore = true;
    c->exporter_line = val->line;
    c->exporter_col = val->col;
    return 0;
}

/* ---- port { } ---- */

static int on_port_name(struct conf_ctx *c, const struct conf_token *key,
                        const struct conf_token *val)
{
    return conf_value_copy(c, key, val, c->cur_port->name, sizeof c->cur_port->name);
}

static int on_port_ifindex(struct conf_ctx *c, const struct conf_token *key,
                           const struct conf_token *val)
{
    /* 0 means "no ifIndex" in sFlow, and >= 2^31 collides with the discard/multiple flags. */
    if (conf_value_u32(c, key, val, 1, 0x7fffffffu, &c->cur_port->ifindex) != 0)
        return -1;
    c->cur_port_pos->ifindex_line = val->line;
    c->cur_port_pos->ifindex_col = val->col;
    return 0;
}

static int on_port_sampling(struct conf_ctx *c, const struct conf_token *key,
                            const struct conf_token *val)
{
    if (conf_value_u32(c, key, val, 0, 1000000000u, &c->cur_port->sampling) != 0)
        return -1;
    c->cur_port->has_sampling = true;
    return 0;
}

static int on_port_mode(struct conf_ctx *c, const struct conf_token *key,
                        const struct conf_token *val)
{
    if (strcmp(val->text, "monitor") == 0)
        c->cur_port->mode = DPS_MODE_MONITOR;
    else if (strcmp(val->text, "forward") == 0)
        c->cur_port->mode = DPS_MODE_FORWARD;
    else
        return conf_error_tok(c, val, "bad value '%.80s' for '%s' (monitor or forward)",
                              val->text, key->text);
    return 0;
}

static int on_port_forward(struct conf_ctx *c, const struct conf_token *key,
                           const struct conf_token *val)
{
    if (conf_value_copy(c, key, val, c->cur_port_pos->forward_name,
                        sizeof c->cur_port_pos->forward_name) != 0)
        return -1;
    c->cur_port_pos->forward_line = val->line;
    c->cur_port_pos->forward_col = val->col;
    return 0;
}

static int on_port_rxq(struct conf_ctx *c, const struct conf_token *key,
                       const struct conf_token *val)
{
    uint32_t n;
    if (conf_value_u32(c, key, val, 1, 1024, &n) != 0)
        return -1;
    c->cur_port->rxq = (uint16_t)n;
    return 0;
}

static int on_port_lcores(struct conf_ctx *c, const struct conf_token *key,
                          const struct conf_token *val)
{
    struct dps_port_config *p = c->cur_port;
    const char *s = val->text;
    p->n_lcores = 0;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t n = comma != NULL ? (size_t)(comma - s) : strlen(s);
        char item[16];
        uint64_t id;
        if (n == 0 || n >= sizeof item)
            return conf_error_tok(c, val, "bad lcore list '%.80s' for '%s' (e.g. 1,2)", val->text,
                                  key->text);
        memcpy(item, s, n);
        item[n] = '\0';
        if (conf_parse_u64(item, 0, DPS_CONFIG_MAX_LCORE, &id) != 0)
            return conf_error_tok(c, val, "bad lcore '%s' in '%s' (expected 0..%d)", item,
                                  key->text, DPS_CONFIG_MAX_LCORE);
        for (unsigned i = 0; i < p->n_lcores; i++)
            if (p->lcores[i] == id)
                return conf_error_tok(c, val, "lcore %s listed twice in '%s'", item, key->text);
        if (p->n_lcores >= DPS_CONFIG_MAX_PORT_LCORES)
            return conf_error_tok(c, val, "too many lcores in '%s' (max %d)", key->text,
                                  DPS_CONFIG_MAX_PORT_LCORES);
        p->lcores[p->n_lcores++] = (uint16_t)id;
        if (comma == NULL)
            return 0;
        s = comma + 1;
    }
}

static int on_port_offload(struct conf_ctx *c, const struct conf_token *key,
                           const struct conf_token *val)
{
    if (strcmp(val->text, "auto") == 0)
        c->cur_port->offload = DPS_OFFLOAD_AUTO;
    else if (strcmp(val->text, "on") == 0)
        c->cur_port->offload = DPS_OFFLOAD_ON;
    else if (strcmp(val->text, "off") == 0)
        c->cur_port->offload = DPS_OFFLOAD_OFF;
    else
        return conf_error_tok(c, val, "bad value '%.80s' for '%s' (auto, on or off)", val->text,
                              key->text);
    return 0;
}

static int on_port_speed(struct conf_ctx *c, const struct conf_token *key,
                         const struct conf_token *val)
{
    if (dps_config_parse_speed(val->text, &c->cur_port->speed_bps) != 0)
        return conf_error_tok(c, val, "bad speed '%.80s' for '%s' (e.g. 10G, 100M)", val->text,
                              key->text);
    return 0;
}

static const struct conf_key_spec port_keys[] = {
    {.key = "name", .kind = KEY_VALUE, .on_value = on_port_name},
    {.key = "ifindex", .kind = KEY_VALUE, .on_value = on_port_ifindex},
    {.key = "sampling", .kind = KEY_VALUE, .on_value = on_port_sampling},
    {.key = "mode", .kind = KEY_VALUE, .on_value = on_port_mode},
    {.key = "forward", .kind = KEY_VALUE, .on_value = on_port_forward},
    {.key = "rxq", .kind = KEY_VALUE, .on_value = on_port_rxq},
    {.key = "lcores", .kind = KEY_VALUE, .on_value = on_port_lcores},
    {.key = "offload", .kind = KEY_VALUE, .on_value = on_port_offload},
    {.key = "speed", .kind = KEY_VALUE, .on_value = on_port_speed},
};
static const struct conf_block_spec port_block = {"port", port_keys,
                                                  sizeof port_keys / sizeof port_keys[0]};

static int on_port(struct conf_ctx *c, const struct conf_token *key)
{
    struct dps_config *cfg = c->cfg;
    if (cfg->n_ports >= DPS_CONFIG_MAX_PORTS)
        return conf_error_tok(c, key, "too many ports (max %d)", DPS_CONFIG_MAX_PORTS);
    unsigned idx = cfg->n_ports;
    struct dps_port_config *p = &cfg->ports[idx];
    memset(p, 0, sizeof *p);
    p->forward_port = -1;
    struct conf_port_pos *pos = &c->port_pos[idx];
    memset(pos, 0, sizeof *pos);
    pos->block_line = key->line;
    pos->block_col = key->col;
    c->cur_port = p;
    c->cur_port_pos = pos;
    if (conf_parse_block_body(c, &port_block, key) != 0)
        return -1;
    if (p->name[0] == '\0')
        return conf_error_tok(c, key, "port without 'name'");
    for (unsigned i = 0; i < idx; i++)
        if (same_device(cfg->ports[i].name, p->name))
            return conf_error_tok(c, key, "duplicate port '%.80s' (first at line %u)", p->name,
                                  c->port_pos[i].block_line);
    cfg->n_ports++;
    return 0;
}

static const struct conf_key_spec dpdk_keys[] = {
    {.key = "ringSize", .kind = KEY_VALUE, .on_value = on_ring_size},
    {.key = "exporterLcore", .kind = KEY_VALUE, .on_value = on_exporter_lcore},
    {.key = "port", .kind = KEY_BLOCK, .repeatable = true, .on_block = on_port},
};
const struct conf_block_spec conf_dpdk_block = {"dpdk", dpdk_keys,
                                                sizeof dpdk_keys / sizeof dpdk_keys[0]};

int conf_dpdk_check(struct conf_ctx *c)
{
    struct dps_config *cfg = c->cfg;
    for (unsigned i = 0; i < cfg->n_ports; i++) {
        struct dps_port_config *p = &cfg->ports[i];
        const struct conf_port_pos *pos = &c->port_pos[i];
        if (pos->forward_name[0] != '\0') {
            int peer = -1;
            for (unsigned j = 0; j < cfg->n_ports; j++)
                if (same_device(cfg->ports[j].name, pos->forward_name))
                    peer = (int)j;
            if (peer < 0)
                return conf_error_at(c, pos->forward_line, pos->forward_col,
                                     "forward peer '%.80s' is not a configured port",
                                     pos->forward_name);
            if ((unsigned)peer == i)
                return conf_error_at(c, pos->forward_line, pos->forward_col,
                                     "port '%.80s' cannot forward to itself", p->name);
            if (p->mode == DPS_MODE_MONITOR)
                return conf_error_at(c, pos->forward_line, pos->forward_col,
                                     "'forward' given but mode = monitor");
            p->forward_port = peer;
            p->mode = DPS_MODE_FORWARD;
        }
        if (p->ifindex != 0)
            for (unsigned j = 0; j < i; j++)
                if (cfg->ports[j].ifindex == p->ifindex)
                    return conf_error_at(c, pos->ifindex_line, pos->ifindex_col,
                                         "ifindex %u already used by port '%.80s'", p->ifindex,
                                         cfg->ports[j].name);
        if (p->rxq != 0 && p->n_lcores > p->rxq)
            return conf_error_at(c, pos->block_line, pos->block_col,
                                 "port '%.80s' has %u lcores but only %u rx queues", p->name,
                                 p->n_lcores, p->rxq);
        for (unsigned k = 0; k < p->n_lcores; k++) {
            if (cfg->has_exporter_lcore && p->lcores[k] == cfg->exporter_lcore)
                return conf_error_at(c, c->exporter_line, c->exporter_col,
                                     "exporterLcore %u is also a worker lcore of port '%.80s'",
                                     cfg->exporter_lcore, p->name);
        }
    }
    return 0;
}
