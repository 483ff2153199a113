/* sflow { } and its collector { } blocks: the hsflowd settings dpsflow implements, and the
 * ones it names as unsupported so an operator's hsflowd.conf fails loudly, not half-applied. */
#include <string.h>

#include "conf_internal.h"

static int on_agent(struct conf_ctx *c, const struct conf_token *key, const struct conf_token *val)
{
    struct dps_config *cfg = c->cfg;
    if (dps_config_parse_addr(val->text, &cfg->agent_ip) == 0) {
        cfg->agent_ifname[0] = '\0';
        return 0;
    }
    if (!conf_is_ifname(val->text))
        return conf_error_tok(c, val, "bad value '%.80s' for '%s' (an IP address or an "
                              "interface name of at most 15 characters)", val->text, key->text);
    memcpy(cfg->agent_ifname, val->text, val->len + 1);
    memset(&cfg->agent_ip, 0, sizeof cfg->agent_ip);
    return 0;
}

static int on_agent_cidr(struct conf_ctx *c, const struct conf_token *key,
                         const struct conf_token *val)
{
    if (conf_parse_cidr(val->text, &c->cfg->agent_cidr) != 0)
        return conf_error_tok(c, val, "bad CIDR '%.80s' for '%s' (e.g. 10.0.0.0/8 or fd00::/8)",
                              val->text, key->text);
    c->cfg->has_agent_cidr = true;
    return 0;
}

static int on_polling(struct conf_ctx *c, const struct conf_token *key, const struct conf_token *val)
{
    c->cfg->has_polling = true;
    return conf_value_u32(c, key, val, 0, 86400, &c->cfg->polling_s);
}

/* Bounded so the sampler's gap range [1, 2N-1] stays well inside 32 bits. */
#define MAX_SAMPLING 1000000000u

static int on_sampling(struct conf_ctx *c, const struct conf_token *key,
                       const struct conf_token *val)
{
    if (conf_value_u32(c, key, val, 0, MAX_SAMPLING, &c->cfg->sampling) != 0)
        return -1;
    c->cfg->has_sampling = true;
    return 0;
}

static int on_sampling_speed(struct conf_ctx *c, const struct conf_token *key,
                             const struct conf_token *val)
{
    struct dps_config *cfg = c->cfg;
    const char *speed_text = key->text + strlen("sampling.");
    uint64_t bps;
    if (dps_config_parse_speed(speed_text, &bps) != 0)
        return conf_error_tok(c, key, "bad speed '%.40s' in '%.64s' (e.g. sampling.10G; "
                              "sampling.<app> is not supported by dpsflow)", speed_text, key->text);
    for (unsigned i = 0; i < cfg->n_speed_sampling; i++)
        if (cfg->speed_sampling[i].speed_bps == bps)
            return conf_error_tok(c, key, "duplicate sampling for speed %.40s", speed_text);
    if (cfg->n_speed_sampling >= DPS_CONFIG_MAX_SPEED_RATES)
        return conf_error_tok(c, key, "too many sampling.<speed> settings (max %d)",
                              DPS_CONFIG_MAX_SPEED_RATES);
    uint32_t n;
    if (conf_value_u32(c, key, val, 0, MAX_SAMPLING, &n) != 0)
        return -1;
    cfg->speed_sampling[cfg->n_speed_sampling].speed_bps = bps;
    cfg->speed_sampling[cfg->n_speed_sampling].sampling = n;
    cfg->n_speed_sampling++;
    return 0;
}

static int on_header_bytes(struct conf_ctx *c, const struct conf_token *key,
                           const struct conf_token *val)
{
    c->cfg->has_header_bytes = true;
    return conf_value_u32(c, key, val, 14, 256, &c->cfg->header_bytes);
}

static int on_datagram_bytes(struct conf_ctx *c, const struct conf_token *key,
                             const struct conf_token *val)
{
    return conf_value_u32(c, key, val, 200, 65507, &c->cfg->datagram_bytes);
}

static int on_sub_agent_id(struct conf_ctx *c, const struct conf_token *key,
                           const struct conf_token *val)
{
    c->cfg->has_sub_agent_id = true;
    return conf_value_u32(c, key, val, 0, UINT32_MAX, &c->cfg->sub_agent_id);
}

static int on_datagram_timeout(struct conf_ctx *c, const struct conf_token *key,
                               const struct conf_token *val)
{
    return conf_value_u32(c, key, val, 1, 60000, &c->cfg->datagram_timeout_ms);
}

/* ---- collector { } ---- */

static int on_collector_ip(struct conf_ctx *c, const struct conf_token *key,
                           const struct conf_token *val)
{
    return conf_value_addr(c, key, val, &c->cur_collector->addr);
}

static int on_collector_port(struct conf_ctx *c, const struct conf_token *key,
                             const struct conf_token *val)
{
    uint32_t port;
    if (conf_value_u32(c, key, val, 1, 65535, &port) != 0)
        return -1;
    c->cur_collector->udp_port = (uint16_t)port;
    return 0;
}

static int on_collector_tunnel(struct conf_ctx *c, const struct conf_token *key,
                               const struct conf_token *val)
{
    if (conf_parse_bool(val->text, &c->cur_collector->tunnel_records) != 0)
        return conf_error_tok(c, val, "bad value '%.80s' for '%s' (on or off)", val->text,
                              key->text);
    return 0;
}

static const struct conf_key_spec collector_keys[] = {
    {.key = "ip", .kind = KEY_VALUE, .on_value = on_collector_ip},
    {.key = "udpport", .kind = KEY_VALUE, .on_value = on_collector_port},
    {.key = "tunnelRecords", .kind = KEY_VALUE, .on_value = on_collector_tunnel},
    {.key = "dev", .kind = KEY_UNSUPPORTED},
    {.key = "namespace", .kind = KEY_UNSUPPORTED},
};
static const struct conf_block_spec collector_block = {
    "collector", collector_keys, sizeof collector_keys / sizeof collector_keys[0]};

static int on_collector(struct conf_ctx *c, const struct conf_token *key)
{
    struct dps_config *cfg = c->cfg;
    if (cfg->n_collectors >= DPS_CONFIG_MAX_COLLECTORS)
        return conf_error_tok(c, key, "too many collectors (max %d)", DPS_CONFIG_MAX_COLLECTORS);
    struct dps_collector *col = &cfg->collectors[cfg->n_collectors];
    memset(col, 0, sizeof *col);
    col->udp_port = DPS_CONFIG_DEFAULT_UDP_PORT;
    col->tunnel_records = true;
    c->cur_collector = col;
    if (conf_parse_block_body(c, &collector_block, key) != 0)
        return -1;
    if (col->addr.family == 0)
        return conf_error_tok(c, key, "collector without 'ip'");
    for (unsigned i = 0; i < cfg->n_collectors; i++)
        if (memcmp(&cfg->collectors[i].addr, &col->addr, sizeof col->addr) == 0 &&
            cfg->collectors[i].udp_port == col->udp_port)
            return conf_error_tok(c, key, "duplicate collector (same ip and udpport)");
    cfg->n_collectors++;
    return 0;
}

static const struct conf_key_spec sflow_keys[] = {
    {.key = "agent", .kind = KEY_VALUE, .on_value = on_agent},
    {.key = "agent.cidr", .kind = KEY_VALUE, .on_value = on_agent_cidr},
    {.key = "polling", .kind = KEY_VALUE, .on_value = on_polling},
    {.key = "sampling", .kind = KEY_VALUE, .on_value = on_sampling},
    {.key = "sampling.", .kind = KEY_VALUE, .prefix = true, .on_value = on_sampling_speed},
    {.key = "headerBytes", .kind = KEY_VALUE, .on_value = on_header_bytes},
    {.key = "datagramBytes", .kind = KEY_VALUE, .on_value = on_datagram_bytes},
    {.key = "subAgentId", .kind = KEY_VALUE, .on_value = on_sub_agent_id},
    {.key = "datagramTimeoutMs", .kind = KEY_VALUE, .on_value = on_datagram_timeout},
    {.key = "collector", .kind = KEY_BLOCK, .repeatable = true, .on_block = on_collector},
    /* hsflowd settings and modules dpsflow does not implement: */
    {.key = "DNSSD", .kind = KEY_UNSUPPORTED},
    {.key = "DNSSD_domain", .kind = KEY_UNSUPPORTED},
    {.key = "polling.", .kind = KEY_UNSUPPORTED, .prefix = true},
    {.key = "pcap", .kind = KEY_UNSUPPORTED},
    {.key = "psample", .kind = KEY_UNSUPPORTED},
    {.key = "nflog", .kind = KEY_UNSUPPORTED},
    {.key = "ulog", .kind = KEY_UNSUPPORTED},
    {.key = "dropmon", .kind = KEY_UNSUPPORTED},
    {.key = "json", .kind = KEY_UNSUPPORTED},
    {.key = "kvm", .kind = KEY_UNSUPPORTED},
    {.key = "xen", .kind = KEY_UNSUPPORTED},
    {.key = "docker", .kind = KEY_UNSUPPORTED},
    {.key = "containerd", .kind = KEY_UNSUPPORTED},
    {.key = "k8s", .kind = KEY_UNSUPPORTED},
    {.key = "systemd", .kind = KEY_UNSUPPORTED},
    {.key = "tcp", .kind = KEY_UNSUPPORTED},
    {.key = "nvml", .kind = KEY_UNSUPPORTED},
    {.key = "ovs", .kind = KEY_UNSUPPORTED},
    {.key = "sonic", .kind = KEY_UNSUPPORTED},
    {.key = "dbus", .kind = KEY_UNSUPPORTED},
};
const struct conf_block_spec conf_sflow_block = {"sflow", sflow_keys,
                                                 sizeof sflow_keys / sizeof sflow_keys[0]};
