/* SIGHUP: re-read the file, keep the command line's word, and tell the agent what changed.
 * Ports, rings and lcores cannot change without restarting ports, so those stay as running. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_internal.h"

static bool same_port_structure(const struct dps_port_config *a, const struct dps_port_config *b)
{
    return a->ifindex == b->ifindex && a->mode == b->mode && a->forward_port == b->forward_port &&
           a->rxq == b->rxq && a->n_lcores == b->n_lcores &&
           memcmp(a->lcores, b->lcores, a->n_lcores * sizeof a->lcores[0]) == 0;
}

/* Compares the structure (not the sampling) of the reloaded ports with the running ones and
 * carries per-port sampling, speed and offload over by name (offload: the agent rebuilds or
 * removes the port's SAMPLE rule, and says so when a port set up without one needs a
 * restart). Returns true when something differs. */
static bool merge_ports(const struct dps_config *file, struct dps_config *next,
                        bool *sampling_changed)
{
    bool differs = file->n_ports != next->n_ports;
    for (unsigned i = 0; i < next->n_ports; i++) {
        struct dps_port_config *run = &next->ports[i];
        const struct dps_port_config *want = NULL;
        for (unsigned j = 0; j < file->n_ports; j++)
            if (strcmp(file->ports[j].name, run->name) == 0)
                want = &file->ports[j];
        if (want == NULL) {
            differs = true;
            continue;
        }
        /* forward_port is an index into each config's own list: compare by peer name. */
        struct dps_port_config want_cmp = *want;
        want_cmp.forward_port = -1;
        if (want->forward_port >= 0)
            for (unsigned k = 0; k < next->n_ports; k++)
                if (strcmp(next->ports[k].name, file->ports[want->forward_port].name) == 0)
                    want_cmp.forward_port = (int)k;
        if (!same_port_structure(run, &want_cmp))
            differs = true;
        if (run->has_sampling != want->has_sampling ||
            (want->has_sampling && run->sampling != want->sampling) ||
            run->speed_bps != want->speed_bps || run->offload != want->offload)
            *sampling_changed = true;
        run->offload = want->offload;
        run->has_sampling = want->has_sampling;
        run->sampling = want->sampling;
        run->speed_bps = want->speed_bps;
    }
    return differs;
}

static bool ovs_differs(const struct dps_config *a, const struct dps_config *b)
{
    return a->has_ovs != b->has_ovs || a->n_ovs_rings != b->n_ovs_rings ||
           a->n_ovs_bridges != b->n_ovs_bridges ||
           memcmp(a->ovs_rings, b->ovs_rings, sizeof a->ovs_rings) != 0 ||
           memcmp(a->ovs_bridges, b->ovs_bridges, sizeof a->ovs_bridges) != 0 ||
           strcmp(a->ovs_db, b->ovs_db) != 0;
}

int dps_config_reload(const struct dps_config *running, struct dps_config *next,
                      uint32_t *changed, struct dps_config_error *err)
{
    err->line = err->col = 0;
    if (running->run.config_path[0] == '\0') {
        snprintf(err->msg, sizeof err->msg, "no configuration file to re-read "
                 "(started without --config)");
        return -1;
    }
    struct dps_config *file = malloc(sizeof *file);
    if (file == NULL) {
        snprintf(err->msg, sizeof err->msg, "out of memory for reload");
        return -1;
    }
    dps_config_init(file);
    file->run = running->run;
    file->cli = running->cli;
    if (dps_config_parse_file(file, running->run.config_path, err) != 0 ||
        dps_config_finalize(file, err) != 0) {
        free(file);
        return -1;
    }

    uint32_t ch = 0;
    bool sampling_changed = false;
    *next = *running;
    if (merge_ports(file, next, &sampling_changed))
        ch |= DPS_RELOAD_IGNORED;
    if (file->ring_size != running->ring_size ||
        file->has_exporter_lcore != running->has_exporter_lcore ||
        (file->has_exporter_lcore && file->exporter_lcore != running->exporter_lcore) ||
        ovs_differs(file, running))
        ch |= DPS_RELOAD_IGNORED;

    if (sampling_changed || file->has_sampling != running->has_sampling ||
        file->sampling != running->sampling ||
        file->n_speed_sampling != running->n_speed_sampling)
        ch |= DPS_RELOAD_SAMPLING;
    for (unsigned i = 0; i < file->n_speed_sampling && i < running->n_speed_sampling; i++)
        if (file->speed_sampling[i].speed_bps != running->speed_sampling[i].speed_bps ||
            file->speed_sampling[i].sampling != running->speed_sampling[i].sampling)
            ch |= DPS_RELOAD_SAMPLING;
    next->has_sampling = file->has_sampling;
    next->sampling = file->sampling;
    next->n_speed_sampling = file->n_speed_sampling;
    memcpy(next->speed_sampling, file->speed_sampling, sizeof next->speed_sampling);

    if (file->polling_s != running->polling_s)
        ch |= DPS_RELOAD_POLLING;
    next->polling_s = file->polling_s;

    /* Field by field: the struct has padding, and bool/uint16 members compare cleanly. */
    bool collectors_same = file->n_collectors == running->n_collectors;
    for (unsigned i = 0; collectors_same && i < file->n_collectors; i++) {
        const struct dps_collector *a = &file->collectors[i], *b = &running->collectors[i];
        collectors_same = a->addr.family == b->addr.family &&
                          memcmp(a->addr.bytes, b->addr.bytes, sizeof a->addr.bytes) == 0 &&
                          a->udp_port == b->udp_port && a->tunnel_records == b->tunnel_records;
    }
    if (!collectors_same)
        ch |= DPS_RELOAD_COLLECTORS;
    next->n_collectors = file->n_collectors;
    memcpy(next->collectors, file->collectors, sizeof next->collectors);

    if (file->header_bytes != running->header_bytes)
        ch |= DPS_RELOAD_HEADER_BYTES;
    next->header_bytes = file->header_bytes;

    if (file->datagram_bytes != running->datagram_bytes ||
        file->datagram_timeout_ms != running->datagram_timeout_ms)
        ch |= DPS_RELOAD_DATAGRAM;
    next->datagram_bytes = file->datagram_bytes;
    next->datagram_timeout_ms = file->datagram_timeout_ms;

    if (memcmp(&file->agent_ip, &running->agent_ip, sizeof file->agent_ip) != 0 ||
        strcmp(file->agent_ifname, running->agent_ifname) != 0 ||
        file->has_agent_cidr != running->has_agent_cidr ||
        (file->has_agent_cidr &&
         memcmp(&file->agent_cidr, &running->agent_cidr, sizeof file->agent_cidr) != 0) ||
        file->sub_agent_id != running->sub_agent_id)
        ch |= DPS_RELOAD_AGENT;
    memcpy(next->agent_ifname, file->agent_ifname, sizeof next->agent_ifname);
    next->agent_ip = file->agent_ip;
    next->has_agent_cidr = file->has_agent_cidr;
    next->agent_cidr = file->agent_cidr;
    next->sub_agent_id = file->sub_agent_id;

    free(file);
    *changed = ch;
    return 0;
}
