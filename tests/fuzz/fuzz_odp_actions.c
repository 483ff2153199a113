/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_odp_actions.c - libFuzzer harness for the OVS datapath-action decoder
 * (tunnel_decode/ovs).  Each input is decoded as an action list; the structural invariants
 * the agent relies on are checked (a violation aborts = a finding), and both renderings are
 * produced into a small and a large buffer to exercise the formatter's truncation.
 * Seeds: tests/fuzz/seeds/fuzz_odp_actions/ (the golden blobs of tests/tunnel_decode/ovs,
 * written with DPS_ODP_SEED_DIR).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ovs/dps_odp_actions.h"

static void check(const struct dps_odp_summary *s, enum dps_odp_status st, size_t size)
{
    if (s->status != st || st > DPS_ODP_ERR_TNL_HEADER)
        abort();
    /* each attribute walked consumes at least its 4-byte header */
    if (s->n_actions > size / 4 || s->max_depth > DPS_ODP_MAX_DEPTH)
        abort();
    if (st != DPS_ODP_OK && s->error_offset >= size)
        abort();
    unsigned n_out = s->n_outputs < DPS_ODP_MAX_OUTPUTS ? s->n_outputs : DPS_ODP_MAX_OUTPUTS;
    unsigned n_tnl = s->n_tunnels < DPS_ODP_MAX_TUNNELS ? s->n_tunnels : DPS_ODP_MAX_TUNNELS;
    for (unsigned i = 0; i < n_out; i++) {
        const struct dps_odp_output *o = &s->outputs[i];
        if (o->tunnel != DPS_ODP_NO_TUNNEL && o->tunnel >= n_tnl)
            abort();
        if (!!(o->flags & DPS_ODP_OUTF_TUNNEL) != (o->tunnel != DPS_ODP_NO_TUNNEL))
            abort();
        if (o->depth > s->max_depth)
            abort();
    }
    for (unsigned i = 0; i < n_tnl; i++) {
        const struct dps_odp_tunnel *t = &s->tunnels[i];
        if (t->header_len > 512)
            abort();
        if (t->ip_version != 0 && t->ip_version != 4 && t->ip_version != 6)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct dps_odp_summary s;
    enum dps_odp_status st = dps_odp_decode(data, size, &s);
    check(&s, st, size);

    char small[24], big[2048];
    for (int style = DPS_ODP_FMT_TEXT; style <= DPS_ODP_FMT_JSON; style++) {
        size_t need = dps_odp_format(&s, (enum dps_odp_format_style)style, big, sizeof big);
        if (need < sizeof big && strlen(big) != need)
            abort();
        if (dps_odp_format(&s, (enum dps_odp_format_style)style, small, sizeof small) != need)
            abort();
        if (strlen(small) != (need < sizeof small ? need : sizeof small - 1))
            abort();
    }
    return 0;
}
