/* ovs { }: where the patched ovs-vswitchd's sample rings live and which bridges to watch.
 * Only the shape is validated here; whether the rings exist is the agent's business. */
#include <string.h>

#include "conf_internal.h"

static int on_ring(struct conf_ctx *c, const struct conf_token *key, const struct conf_token *val)
{
    struct dps_config *cfg = c->cfg;
    if (val->text[0] != '/')
        return conf_error_tok(c, val, "'%s' must be an absolute path (hugetlbfs file or "
                              "directory)", key->text);
    if (cfg->n_ovs_rings >= DPS_CONFIG_MAX_OVS_RINGS)
        return conf_error_tok(c, key, "too many rings (max %d)", DPS_CONFIG_MAX_OVS_RINGS);
    char *dst = cfg->ovs_rings[cfg->n_ovs_rings];
    if (conf_value_copy(c, key, val, dst, DPS_CONFIG_PATH_MAX) != 0)
        return -1;
    for (unsigned i = 0; i < cfg->n_ovs_rings; i++)
        if (strcmp(cfg->ovs_rings[i], dst) == 0)
            return conf_error_tok(c, val, "duplicate ring '%.80s'", dst);
    cfg->n_ovs_rings++;
    return 0;
}

static int on_bridge(struct conf_ctx *c, const struct conf_token *key,
                     const struct conf_token *val)
{
    struct dps_config *cfg = c->cfg;
    if (!conf_is_ifname(val->text))
        return conf_error_tok(c, val, "bad bridge name '%.80s' (at most 15 characters, no '/')",
                              val->text);
    if (cfg->n_ovs_bridges >= DPS_CONFIG_MAX_OVS_BRIDGES)
        return conf_error_tok(c, key, "too many bridges (max %d)", DPS_CONFIG_MAX_OVS_BRIDGES);
    for (unsigned i = 0; i < cfg->n_ovs_bridges; i++)
        if (strcmp(cfg->ovs_bridges[i], val->text) == 0)
            return conf_error_tok(c, val, "duplicate bridge '%s'", val->text);
    memcpy(cfg->ovs_bridges[cfg->n_ovs_bridges++], val->text, val->len + 1);
    return 0;
}

static int on_db(struct conf_ctx *c, const struct conf_token *key, const struct conf_token *val)
{
    static const char *const methods[] = {"unix:", "tcp:", "ssl:"};
    bool known = false;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        size_t n = strlen(methods[i]);
        if (strncmp(val->text, methods[i], n) == 0 && val->text[n] != '\0')
            known = true;
    }
    if (!known)
        return conf_error_tok(c, val, "bad '%s' '%.80s' (unix:PATH, tcp:IP:PORT or "
                              "ssl:IP:PORT)", key->text, val->text);
    return conf_value_copy(c, key, val, c->cfg->ovs_db, sizeof c->cfg->ovs_db);
}

static const struct conf_key_spec ovs_keys[] = {
    {.key = "ring", .kind = KEY_VALUE, .repeatable = true, .on_value = on_ring},
    {.key = "bridge", .kind = KEY_VALUE, .repeatable = true, .on_value = on_bridge},
    {.key = "db", .kind = KEY_VALUE, .on_value = on_db},
};
const struct conf_block_spec conf_ovs_block = {"ovs", ovs_keys,
                                               sizeof ovs_keys / sizeof ovs_keys[0]};
