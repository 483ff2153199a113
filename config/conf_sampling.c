/* Which 1-in-N applies to a port: the most specific setting wins, then hsflowd's default. */
#include "conf_internal.h"

uint32_t dps_config_port_sampling(const struct dps_config *cfg, unsigned port_idx,
                                  uint64_t speed_bps)
{
    /* An operator debugging with --sampling means every port, whatever the file says. */
    if (cfg->cli.set & DPS_CLI_SAMPLING)
        return cfg->cli.sampling;
    const struct dps_port_config *port = port_idx < cfg->n_ports ? &cfg->ports[port_idx] : NULL;
    if (port != NULL && port->has_sampling)
        return port->sampling;
    /* A configured speed stands in for what a vdev or VF reports, but a down link stays down. */
    uint64_t speed = speed_bps;
    if (speed != 0 && port != NULL && port->speed_bps != 0)
        speed = port->speed_bps;
    if (speed != 0)
        for (unsigned i = 0; i < cfg->n_speed_sampling; i++)
            if (cfg->speed_sampling[i].speed_bps == speed)
                return cfg->speed_sampling[i].sampling;
    if (cfg->has_sampling)
        return cfg->sampling;
    if (speed == 0)
        return 0;
    uint64_t n = speed / 1000000u;
    if (n < DPS_CONFIG_MIN_DEFAULT_SAMPLING)
        n = DPS_CONFIG_MIN_DEFAULT_SAMPLING;
    return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}
